#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""lpcheck - runs loopprobe once and checks what it did.

Every CLI, scenario and valgrind test is one call of this script: it runs
the command with the environment the test asks for (LD_PRELOAD and other
variables are set for loopprobe only, never for this script), waits at most
--max-seconds, and checks the exit status, the output and - for JSON
reports - the schema, the verdicts and the findings.  Any failed check
prints what was expected and what came, and exits 1.
"""

import argparse
import fcntl
import json

import consistency
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "unit"))
import check_gfm  # noqa: E402  (tests/unit/check_gfm.py)

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def fail(msg, out=None, err=None):
    print("FAIL: " + msg)
    if out is not None:
        print("--- stdout ---")
        print(out.decode("utf-8", "replace") if isinstance(out, bytes) else out)
    if err is not None:
        print("--- stderr ---")
        print(err.decode("utf-8", "replace") if isinstance(err, bytes) else err)
    sys.exit(1)


def unescape(s):
    """Decodes \\xHH, \\uHHHH and \\\\ in test arguments, which CMake cannot hold."""
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            c = s[i + 1]
            if c == "x":
                out.append(chr(int(s[i + 2:i + 4], 16)))
                i += 4
                continue
            if c == "u":
                out.append(chr(int(s[i + 2:i + 6], 16)))
                i += 6
                continue
            if c == "\\":
                out.append("\\")
                i += 2
                continue
        out.append(s[i])
        i += 1
    return "".join(out)


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--loopprobe", required=True)
    p.add_argument("--schema")
    p.add_argument("--wrap", default="", help="command prefix, e.g. valgrind options")
    p.add_argument("--env", action="append", default=[], help="NAME=VALUE for loopprobe")
    p.add_argument("--unset", action="append", default=[], help="NAME to remove")
    p.add_argument("--preload", action="append", default=[], help="library for LD_PRELOAD")
    p.add_argument("--sanitized", action="store_true", help="the build uses ASan/UBSan")
    p.add_argument("--expect-exit", type=int)
    p.add_argument("--expect", action="append", default=[], help="CELL=VERDICT")
    p.add_argument("--expect-env", action="append", default=[],
                   help="NAME=VALUE host.env must hold (exactly once: duplicate keys fail)")
    p.add_argument("--expect-library", action="append", default=[],
                   help="NAME=COMPILED,RUNTIME,DEFAULT_MECHANISM (any may be 'null')")
    p.add_argument("--expect-library-path", action="append", default=[],
                   help="NAME=PATH: the file libraries[] says NAME was probed from ('null': none)")
    p.add_argument("--no-library", action="append", default=[],
                   help="NAME that libraries[] must not list")
    p.add_argument("--expect-provider", action="append", default=[],
                   help="CELL=OBJECT: the cell's provider ('null': none)")
    p.add_argument("--expect-detail", action="append", default=[],
                   help="CELL=TEXT: text the cell's detail contains")
    p.add_argument("--expect-host", action="append", default=[],
                   help="KEY=VALUE: host.KEY ('null': none; VALUE ending in '*': a prefix)")
    p.add_argument("--expect-finding", action="append", default=[],
                   help="SEVERITY:KIND:CELL, CELL '-' for a finding about the whole host")
    p.add_argument("--no-finding", action="append", default=[], help="KIND that must not appear")
    p.add_argument("--no-errors", action="store_true", help="no finding of severity error")
    p.add_argument("--finding-mentions", action="append", default=[],
                   help="text some finding (summary or evidence) must contain")
    p.add_argument("--stdout-has", action="append", default=[])
    p.add_argument("--stdout-lacks", action="append", default=[])
    p.add_argument("--stderr-has", action="append", default=[])
    p.add_argument("--stderr-re", action="append", default=[],
                   help="a regular expression some line of standard error matches")
    p.add_argument("--no-stderr-re", action="append", default=[],
                   help="a regular expression no line of standard error matches")
    p.add_argument("--stderr-empty", action="store_true")
    p.add_argument("--stdout-empty", action="store_true")
    p.add_argument("--stdout-to", help="redirect loopprobe's standard output to this file")
    p.add_argument("--close-fd", type=int, action="append", default=[], choices=(0, 1, 2),
                   help="start loopprobe with this standard descriptor closed")
    p.add_argument("--max-width", type=int,
                   help="no output line may be wider (colour sequences take no room)")
    p.add_argument("--some-line-wider", type=int, help="some output line is wider than this")
    p.add_argument("--stdout-lines", type=int, help="standard output has exactly this many lines")
    p.add_argument("--stderr-lines", type=int, help="standard error has exactly this many lines")
    p.add_argument("--last-line-starts", help="the last line of standard output starts so")
    p.add_argument("--max-chars", type=int, help="standard output has at most this many characters")
    p.add_argument("--min-chars", type=int, help="standard output has at least this many characters")
    p.add_argument("--big-env", action="append", default=[],
                   help="NAME=BYTES: a loader-path-like value at least BYTES long for loopprobe")
    p.add_argument("--expect-env-length", action="append", default=[],
                   help="NAME=BYTES: host.env.NAME in the JSON report is at least BYTES long")
    p.add_argument("--command-line-ends", help="tool.command_line in the JSON report ends so")
    p.add_argument("--stdout-closed", action="store_true",
                   help="standard output is a pipe whose reading end is already closed")
    p.add_argument("--gfm", action="store_true",
                   help="the Markdown report renders as intended with cmark-gfm")
    p.add_argument("--tty", action="store_true", help="run in a pseudo-terminal")
    p.add_argument("--tty-cols", type=int, default=80, help="the pseudo-terminal's width")
    p.add_argument("--json", action="store_true", help="standard output is a JSON report")
    p.add_argument("--markdown", action="store_true", help="standard output is a Markdown report")
    p.add_argument("--max-seconds", type=float, default=60.0)
    p.add_argument("args", nargs=argparse.REMAINDER)
    a = p.parse_args()
    if a.args and a.args[0] == "--":
        a.args = a.args[1:]
    a.args = [unescape(x) for x in a.args]
    for name in ("stdout_has", "stdout_lacks", "stderr_has", "finding_mentions", "env", "stderr_re",
                 "no_stderr_re", "expect_detail", "expect_env"):
        setattr(a, name, [unescape(x) for x in getattr(a, name)])
    if a.last_line_starts is not None:
        a.last_line_starts = unescape(a.last_line_starts)
    return a


def build_env(a):
    env = dict(os.environ)
    for name in a.unset:
        env.pop(name, None)
    if a.sanitized:
        # Preloaded wrappers come before the ASan runtime, and a probe that
        # crashes must die from its signal, not from ASan's report.  A
        # test's --env may change these.
        env["ASAN_OPTIONS"] = "verify_asan_link_order=0:detect_leaks=1:handle_segv=0"
        env["UBSAN_OPTIONS"] = "halt_on_error=1:print_stacktrace=1"
    for item in a.env:
        name, _, value = item.partition("=")
        env[name] = value
    for item in a.big_env:
        name, _, size = item.partition("=")
        parts, n = [], 0
        while n < int(size):
            parts.append("/nonexistent/library/directory/number%05d" % len(parts))
            n += len(parts[-1]) + 1
        env[name] = ":".join(parts)
    preload = list(a.preload)
    envb = {os.fsencode(k): os.fsencode(v) for k, v in env.items()}
    if preload:
        envb[b"LD_PRELOAD"] = b" ".join(os.fsencode(p) for p in preload)
    return envb


def close_fds(fds):
    """A preexec_fn closing the standard descriptors a test asks to close."""
    if not fds:
        return None

    def close():
        for fd in fds:
            os.close(fd)
    return close


def run_closed(cmd, env, a):
    """Runs cmd writing into a pipe nobody reads any more."""
    r, w = os.pipe()
    os.close(r)
    try:
        p = subprocess.run(cmd, env=env, stdout=w, stderr=subprocess.PIPE, timeout=a.max_seconds)
    except subprocess.TimeoutExpired:
        fail("loopprobe did not finish within %.0f s" % a.max_seconds)
    finally:
        os.close(w)
    return p.returncode, b"", p.stderr


def run_pipes(cmd, env, a):
    if a.stdout_closed:
        return run_closed(cmd, env, a)
    stdout = subprocess.PIPE
    if a.stdout_to:
        stdout = open(a.stdout_to, "wb")
    try:
        p = subprocess.run(cmd, env=env, stdout=stdout, stderr=subprocess.PIPE,
                           timeout=a.max_seconds, preexec_fn=close_fds(a.close_fd))
    except subprocess.TimeoutExpired:
        fail("loopprobe did not finish within %.0f s" % a.max_seconds)
    return p.returncode, p.stdout or b"", p.stderr


def run_in_terminal(cmd, env, cols, seconds):
    """Runs cmd with standard output on a pseudo-terminal of cols columns
    (set with TIOCSWINSZ, as a terminal emulator does).  Returns the exit
    status, what the terminal got (line ends as written) and stderr."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
    p = subprocess.Popen(cmd, env=env, stdout=slave, stderr=subprocess.PIPE)
    os.close(slave)
    out = b""
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            p.kill()
            fail("loopprobe did not finish within %.0f s" % seconds)
        r, _, _ = select.select([master], [], [], left)
        if not r:
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    err = p.stderr.read()
    p.wait()
    os.close(master)
    return p.returncode, out.replace(b"\r\n", b"\n"), err


def run_tty(cmd, env, a):
    return run_in_terminal(cmd, env, a.tty_cols, a.max_seconds)


def check_text(a, out, err):
    text = out.decode("utf-8", "replace")
    for s in a.stdout_has:
        if s not in text:
            fail("standard output lacks %r" % s, out, err)
    for s in a.stdout_lacks:
        if s in text:
            fail("standard output contains %r" % s, out, err)
    for s in a.stderr_has:
        if s not in err.decode("utf-8", "replace"):
            fail("standard error lacks %r" % s, out, err)
    for pattern in a.stderr_re:
        if not re.search(pattern, err.decode("utf-8", "replace"), re.M):
            fail("no line of standard error matches %r" % pattern, out, err)
    for pattern in a.no_stderr_re:
        m = re.search(pattern, err.decode("utf-8", "replace"), re.M)
        if m:
            fail("standard error has %r, which matches %r" % (m.group(0), pattern), out, err)
    if a.stderr_empty and err.strip():
        fail("standard error is not empty", out, err)
    if a.stdout_empty and out:
        fail("standard output is not empty", out, err)
    lines = ANSI.sub("", text).splitlines()
    if a.max_width:
        for line in lines:
            if len(line) > a.max_width:
                fail("line wider than %d columns: %r" % (a.max_width, line), out, err)
    if a.some_line_wider and not any(len(line) > a.some_line_wider for line in lines):
        fail("no line is wider than %d columns" % a.some_line_wider, out, err)
    if a.stdout_lines is not None and len(lines) != a.stdout_lines:
        fail("%d lines on standard output, expected %d" % (len(lines), a.stdout_lines), out, err)
    if a.stderr_lines is not None and len(err.splitlines()) != a.stderr_lines:
        fail("%d lines on standard error, expected %d" % (len(err.splitlines()), a.stderr_lines),
             out, err)
    if a.last_line_starts is not None and (not lines or not lines[-1].startswith(a.last_line_starts)):
        fail("the last line does not start with %r" % a.last_line_starts, out, err)
    if a.max_chars is not None and len(text) > a.max_chars:
        fail("%d characters, more than %d" % (len(text), a.max_chars), out, err)
    if a.min_chars is not None and len(text) < a.min_chars:
        fail("%d characters, fewer than %d" % (len(text), a.min_chars), out, err)


def check_consistency(report, out, err):
    wrong = consistency.contradictions(report)
    if wrong:
        fail("evidence contradicts its finding: " + "; ".join(wrong), out, err)


def validate_schema(a, report, out, err):
    if not a.schema:
        return
    import jsonschema  # Debian: python3-jsonschema

    with open(a.schema) as f:
        schema = json.load(f)
    try:
        jsonschema.validate(report, schema, cls=jsonschema.Draft202012Validator)
    except jsonschema.ValidationError as e:
        fail("the report does not follow the schema: %s at %s" % (e.message, list(e.path)), out, err)


def cell_verdicts(report):
    return {"%s@%s" % (c["mechanism"], c["layer"]): c["verdict"] for c in report["cells"]}


def sanitizer_object(text):
    return any(s in text for s in ("libasan", "libubsan", "liblsan"))


def check_findings(a, report, out, err):
    findings = report["findings"]
    for spec in a.expect_finding:
        sev, kind, cell = spec.split(":")
        if not any(f["severity"] == sev and f["kind"] == kind and (cell in f["cells"] or cell == "-")
                   for f in findings):
            fail("no %s finding %s for %s" % (sev, kind, cell), out, err)
    for kind in a.no_finding:
        for f in findings:
            if f["kind"] == kind and not (a.sanitized and kind == "interposed" and
                                          sanitizer_object(" ".join(f["evidence"]))):
                fail("unexpected finding %s: %s" % (kind, f["summary"]), out, err)
    if a.no_errors:
        for f in findings:
            if f["severity"] == "error":
                fail("unexpected error finding: %s" % f["summary"], out, err)
    for text in a.finding_mentions:
        if not any(text in f["summary"] or any(text in e for e in f["evidence"]) for f in findings):
            fail("no finding mentions %r" % text, out, err)


def check_libraries(a, report, out, err):
    libs = {l["name"]: l for l in report["libraries"]}

    def lib(name):
        if name not in libs:
            fail("no library %s in libraries[]" % name, out, err)
        return libs[name]

    for spec in a.expect_library:
        name, _, rest = spec.partition("=")
        want = tuple(rest.split(","))
        l = lib(name)
        got = tuple(l[k] or "null" for k in ("compiled", "runtime", "default_mechanism"))
        if got != want:
            fail("library %s is %s, expected %s" % (name, got, want), out, err)
    for spec in a.expect_library_path:
        name, _, want = spec.partition("=")
        got = lib(name)["path"] or "null"
        if got != want:
            fail("library %s was probed from %s, expected %s" % (name, got, want), out, err)
    for name in a.no_library:
        if name in libs:
            fail("libraries[] lists %s: %s" % (name, libs[name]), out, err)


def check_providers(a, report, out, err):
    providers = {"%s@%s" % (c["mechanism"], c["layer"]): c["provider"] for c in report["cells"]}
    for spec in a.expect_provider:
        cell, _, want = spec.partition("=")
        if providers.get(cell) != (None if want == "null" else want):
            fail("%s is provided by %s, expected %s" % (cell, providers.get(cell), want), out, err)
    details = {"%s@%s" % (c["mechanism"], c["layer"]): c["detail"] for c in report["cells"]}
    for spec in a.expect_detail:
        cell, _, want = spec.partition("=")
        if want not in (details.get(cell) or ""):
            fail("the detail of %s is %r, which lacks %r" % (cell, details.get(cell), want), out,
                 err)


def check_host(a, report, out, err):
    for spec in a.expect_host:
        key, _, want = spec.partition("=")
        got = report["host"].get(key)
        shown = "null" if got is None else str(got)
        if want.endswith("*") and shown.startswith(want[:-1]) or shown == want:
            continue
        fail("host.%s is %s, expected %s" % (key, shown, want), out, err)


def unique_keys(pairs):
    """object_pairs_hook: a key twice in one object is an error, not "the last wins"."""
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise ValueError("duplicate key %r in one JSON object" % k)
        seen[k] = v
    return seen


def check_env(a, report, out, err):
    env = report["host"]["env"]
    for item in a.expect_env:
        name, _, value = item.partition("=")
        if env.get(name) != value:
            fail("host.env has %s=%r, expected %r" % (name, env.get(name), value), out, err)


def check_json(a, rc, out, err):
    try:
        report = json.loads(out.decode("utf-8"), strict=True, object_pairs_hook=unique_keys)
    except (UnicodeDecodeError, ValueError) as e:
        fail("standard output is not a JSON report: %s" % e, out, err)
    validate_schema(a, report, out, err)
    check_consistency(report, out, err)
    if report["exit_code"] != rc:
        fail("exit_code %d in the report, but the process exited %d" % (report["exit_code"], rc),
             out, err)
    verdicts = cell_verdicts(report)
    for spec in a.expect:
        cell, _, want = spec.partition("=")
        got = verdicts.get(cell)
        if got != want:
            fail("%s is %s, expected %s" % (cell, got, want), out, err)
    check_findings(a, report, out, err)
    check_libraries(a, report, out, err)
    check_env(a, report, out, err)
    check_providers(a, report, out, err)
    check_host(a, report, out, err)
    for spec in a.expect_env_length:
        name, _, size = spec.partition("=")
        if len(report["host"]["env"].get(name, "")) < int(size):
            fail("host.env.%s is shorter than %s" % (name, size), out, err)
    line = report["tool"].get("command_line")
    if a.command_line_ends is not None and (line is None or not line.endswith(a.command_line_ends)):
        fail("tool.command_line %r does not end with %r" % (line, a.command_line_ends), out, err)
    return report


def check_markdown(a, out, err):
    text = out.decode("utf-8")
    if "<b>" in text or "\x1b" in text:
        fail("markup or an escape sequence leaked into Markdown", out, err)
    if a.gfm:
        problems = check_gfm.check(text)
        if problems:
            fail("the report does not render as intended: " + "; ".join(problems), out, err)


def main():
    a = parse_args()
    cmd = a.wrap.split() + [a.loopprobe] + a.args
    env = build_env(a)
    start = time.monotonic()
    rc, out, err = (run_tty if a.tty else run_pipes)(cmd, env, a)
    elapsed = time.monotonic() - start
    if rc < 0:
        fail("loopprobe died from signal %s" % signal.Signals(-rc).name, out, err)
    if a.expect_exit is not None and rc != a.expect_exit:
        fail("exit status %d, expected %d" % (rc, a.expect_exit), out, err)
    check_text(a, out, err)
    if a.json:
        check_json(a, rc, out, err)
    if a.markdown:
        check_markdown(a, out, err)
    print("ok: exit %d in %.2f s" % (rc, elapsed))


if __name__ == "__main__":
    main()
