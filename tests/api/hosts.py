# SPDX-License-Identifier: MIT
"""lp_check() and loopprobe.check() inside real host processes, under every
condition the check must survive without harming its host.

    hosts.py KIND CONDITION [--check-host P] [--compat-host P] [--hooks-host P]
             [--python P] [--python-host P] [--wrappers DIR] [--seccomp P]
             [--strace P] [--libev SONAME]

KIND c runs tests/tools/check_host (a C server's start-up), KIND python
tests/python/check_host.py (a Python worker's).  Each condition is created
for real around the host: an LD_PRELOAD wrapper that makes libc's
epoll_create1(), epoll_ctl() or epoll_wait() fail; a seccomp filter that
refuses epoll_create1() with EPERM, and one that kills on epoll_wait();
strace attached, and strace injecting a failure; standard input and output
closed; libev's imitation of libevent's names answering libevent's calls
(a host linked with libev before libevent, or a worker that loaded libev
into its global scope); libevent asked to say which method it takes
(EVENT_SHOW_METHOD), which it writes through its log callback; eventlet's
and gevent's monkey-patching.  For each one the test asserts that the
host exits with status 0, that its standard error is empty (the host
writes nothing there itself), and, for each SPEC it checked, the return
value and the reason - exactly, the classifier's sentence naming the
cause: the wrapper's path, the filter, the tracer, the closed descriptors,
the library that answers another's names, the patcher.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

TIMEOUT = 300


def hidden(cell, wrapper, call, err):
    return ("%s: hidden: epoll works at the syscall layer, but through the api layer %s() "
            "(served by %s) fails with %s." % (cell, call, wrapper, err))


def refused(cell):
    return ("%s: blocked: epoll at syscall is refused by a seccomp filter: epoll_create1() fails "
            "with EPERM." % cell)


def killed(cell):
    return ("%s: blocked: epoll at syscall is refused by seccomp: the probe was killed by SIGSYS "
            "in epoll_wait()." % cell)


def stdio_crash(which):
    return ("epoll@libuv: crashed: epoll at libuv crashes with %s closed in this process: the "
            "probe died from SIGABRT in uv_run(). Open /dev/null on descriptors 0 to 2 before "
            "starting." % which)


INJECTED = ("epoll@api: failed: epoll at syscall fails under a tracer: epoll_create1() fails with "
            "ENOSYS, which did not come from the kernel's implementation.")
COMPAT = re.compile(r"epoll@libevent: hidden: libevent's API is served by \S+/libev\.so\.\d+, "
                    r"another library exporting the same names, not by "
                    r"\S+/libevent_core-[0-9.]+\.so\.\d+\.")
HOOKS = ("hooks: during the checks libevent called the host's callback 0 times, libev 0; after "
         "them libevent 1 (\"libevent using: epoll\"), libev 1")
LIBRARIES = ("epoll@libuv", "epoll@libev", "epoll@libevent")


def patched(patcher):
    work = "epoll works in the kernel and in libc"
    select_by = {"eventlet": "select.select (by eventlet.green.select) and selectors.SelectSelector "
                             "(by eventlet.green.select)",
                 "gevent": "select.select (by gevent.select) and selectors.SelectSelector (by "
                           "gevent.selectors)"}[patcher]
    epoll = ("epoll@python: hidden: %s's monkey-patching removed select.epoll and "
             "selectors.EpollSelector; %s" % (patcher, work))
    return [("epoll@python", 1, epoll),
            ("select@python", 1, "select@python: emulated: replaced by %s's monkey-patching: %s"
             % (patcher, select_by)),
            ("epoll", 1, epoll),
            ("epoll@syscall,epoll@api,epoll@libuv,epoll@libev,epoll@libevent", 0, "")]


def wrapped(args, name, call, err, python):
    """A wrapper serving one of libc's epoll functions: every layer that
    reaches epoll through libc is hidden by it, the kernel's epoll works."""
    w = os.path.join(args.wrappers, "libwrap_%s.so" % name)
    cells = ["epoll@api"] + list(LIBRARIES) + (["epoll@python"] if python else [])
    checks = [(c, 1, hidden(c, w, call, err)) for c in cells]
    checks += [("epoll@syscall", 0, ""), ("poll,select", 0, "")]
    return {"preload": w, "checks": checks}


def conditions(args, python):
    """{name: {"checks": [(SPEC, rc, reason)], and how to start the host}}"""
    py = ["epoll@python"] if python else []
    seccomp = [args.seccomp] if args.seccomp else None
    strace = [args.strace, "-f", "-o", "/dev/null"] if args.strace else None
    out = {
        "clean": {"checks": [("epoll,poll,select", 0, ""), ("io_uring@api", 0, "")] +
                  [(c, 0, "") for c in py]},
        "stdio-closed": {"close": (0, 1), "checks": [
            ("epoll,poll,select@api", 1, stdio_crash("standard input and output (descriptors 0 "
                                                      "and 1)")),
            ("epoll@api", 0, ""), ("epoll@libev", 0, ""), ("epoll@libevent", 0, "")] +
            [(c, 0, "") for c in py]},
        "libevent-log": {"env": {"EVENT_SHOW_METHOD": "1"}, "checks": [
            ("epoll@libevent", 0, ""), ("poll@libevent", 0, "")]},
    }
    if args.wrappers:
        out["wrap-create"] = wrapped(args, "enosys", "epoll_create1", "ENOSYS", python)
        out["wrap-ctl"] = wrapped(args, "ctl", "epoll_ctl", "EIO", python)
        out["wrap-wait"] = wrapped(args, "fail", "epoll_wait", "EIO", python)
    if seccomp:
        out["seccomp-eperm"] = {"wrap": seccomp + ["errno:EPERM", "epoll_create1", "--"], "checks": [
            (c, 1, refused(c)) for c in ["epoll@api", "epoll@libuv", "epoll@libev"] + py] + [
            ("epoll@libevent", 0, ""), ("poll@api", 0, "")]}
        out["seccomp-kill"] = {"wrap": seccomp + ["kill", "epoll_wait,epoll_pwait", "--"],
                               "checks": [(c, 1, killed(c)) for c in
                                          ["epoll@api"] + list(LIBRARIES) + py] +
                               [("poll,select", 0, "")]}
    if strace:
        out["tracer"] = {"wrap": strace, "checks": [("epoll,poll,select", 0, "")] +
                         [(c, 0, "") for c in py]}
        out["tracer-inject"] = {"wrap": strace + ["-e", "inject=epoll_create1:error=ENOSYS"],
                                "checks": [("epoll@api", 1, INJECTED), ("epoll@libuv", 0, "")] +
                                [(c, 1, INJECTED.replace("epoll@api", c, 1)) for c in py]}
    if python:
        out["compat"] = {"host_args": ["--global", args.libev], "checks": [
            ("epoll@libevent", 1, COMPAT), ("epoll@libev", 0, ""), ("epoll@python", 0, "")]}
        out["eventlet"] = {"host_args": ["--eventlet"], "checks": patched("eventlet")}
        out["gevent"] = {"host_args": ["--gevent"], "checks": patched("gevent")}
    else:
        out["compat"] = {"host": args.compat_host, "checks": [
            ("epoll@libevent", 1, COMPAT), ("epoll", 1, COMPAT), ("epoll@libev", 0, ""),
            ("epoll@api", 0, "")]}
        out["hooks"] = {"host": args.hooks_host, "host_args": ["--hooks"],
                        "checks": [("epoll@libevent", 0, ""), ("epoll@libev", 0, "")],
                        "hooks": HOOKS}
    return out


def fail(what, got, stderr=""):
    sys.stderr.write("FAIL: %s\n--- output ---\n%s\n--- stderr ---\n%s\n" % (what, got, stderr))
    sys.exit(1)


def close_fds(fds):
    def close():
        for fd in fds:
            os.close(fd)
    return close


def run(args, python, cond):
    with tempfile.TemporaryDirectory() as tmp:
        result = os.path.join(tmp, "result")
        if python:
            cmd = [args.python, args.python_host]
        else:
            cmd = [cond.get("host") or args.check_host]
        cmd += cond.get("host_args", []) + ["--out", result] + [c[0] for c in cond["checks"]]
        cmd = cond.get("wrap", []) + cmd
        env = dict(os.environ)
        env.update(cond.get("env", {}))
        if "preload" in cond:
            env["LD_PRELOAD"] = ":".join(p for p in (env.get("LD_PRELOAD"), cond["preload"]) if p)
            env["ASAN_OPTIONS"] = ":".join(p for p in (env.get("ASAN_OPTIONS"),
                                                       "verify_asan_link_order=0") if p)
        p = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=TIMEOUT, preexec_fn=close_fds(cond.get("close", ())))
        got = open(result, encoding="utf-8").read() if os.path.exists(result) else ""
        return p, got


def expect(cond, p, got):
    print("$ the host, %d checks: exit status %d, %d bytes on stderr" %
          (len(cond["checks"]), p.returncode, len(p.stderr)))
    sys.stdout.write(got)
    if p.returncode != 0:
        fail("the host's exit status is %d, expected 0" % p.returncode, got, p.stderr.decode())
    if p.stderr:
        fail("the host's standard error is not empty", got, p.stderr.decode())
    lines = [line for line in got.splitlines() if " -> " in line]
    if len(lines) != len(cond["checks"]):
        fail("%d answers for %d checks" % (len(lines), len(cond["checks"])), got)
    for line, (spec, rc, reason) in zip(lines, cond["checks"]):
        head = "%s -> %d: " % (spec, rc)
        if not line.startswith(head):
            fail("%s: expected return value %d" % (spec, rc), line)
        why = line[len(head):]
        ok = reason.fullmatch(why) if hasattr(reason, "fullmatch") else why == reason
        if not ok:
            fail("%s: the reason\n  got:  %r\n  want: %r" % (spec, why, getattr(reason, "pattern",
                                                                                  reason)), got)
    for line in got.splitlines():
        if " isolates: " in line and not line.endswith(" isolates: 0: "):
            fail("the check left the host's process: %s" % line, got)
    if cond.get("hooks") and cond["hooks"] not in got.splitlines():
        fail("the libraries' callbacks after the checks\n  want: %s" % cond["hooks"], got)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["c", "python"])
    ap.add_argument("condition")
    for opt in ("check-host", "compat-host", "hooks-host", "python", "python-host", "wrappers",
                "seccomp", "strace", "libev"):
        ap.add_argument("--" + opt)
    args = ap.parse_args()
    python = args.kind == "python"
    table = conditions(args, python)
    if args.condition not in table:
        fail("unknown condition %r (here: %s)" % (args.condition, ", ".join(table)), "")
    cond = table[args.condition]
    p, got = run(args, python, cond)
    expect(cond, p, got)
    print("ok: %s host, %s" % (args.kind, args.condition))


if __name__ == "__main__":
    main()
