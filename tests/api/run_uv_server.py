# SPDX-License-Identifier: MIT
"""Starts the libuv example server for real and checks what it does.

    run_uv_server.py CASE SERVER PRELOAD

ok        the check passes: the server logs it, listens, echoes one
          connection and exits 0
refuses   under PRELOAD (libc's epoll_create1() fails with ENOSYS) the
          server refuses to start: exit 1, the reason naming the failing
          call, the full matrix in its log, never listening
bad_spec  --require with a malformed SPEC: exit 2 and the parser's message
"""

import os
import re
import socket
import subprocess
import sys

TIMEOUT = 30


def fail(msg, err=""):
    sys.stderr.write("FAIL: %s\n%s\n" % (msg, err))
    sys.exit(1)


def case_ok(server, preload):
    p = subprocess.Popen([server, "--port", "0", "--max-connections", "1"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        serve_once(p)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def serve_once(p):
    line = p.stdout.readline()
    m = re.fullmatch(r"listening on 127\.0\.0\.1:(\d+)\n", line)
    if not m:
        p.kill()
        fail("expected 'listening on 127.0.0.1:PORT', got %r" % line, p.stderr.read())
    with socket.create_connection(("127.0.0.1", int(m.group(1))), timeout=TIMEOUT) as s:
        s.sendall(b"ping loopprobe\n")
        got = b""
        while len(got) < 15:
            chunk = s.recv(64)
            if not chunk:
                break
            got += chunk
    out, err = p.communicate(timeout=TIMEOUT)
    if got != b"ping loopprobe\n":
        fail("echo returned %r" % got, err)
    if p.returncode != 0:
        fail("exit status %d, expected 0" % p.returncode, err)
    passed = r"uv_server\[\d+\]: loopprobe \d+\.\d+\.\d+: epoll@api(,epoll@libuv)? ok\n"
    if not re.search(passed, err):
        fail("the log does not show the passed check", err)


def case_refuses(server, preload):
    env = dict(os.environ, LD_PRELOAD=preload, ASAN_OPTIONS="verify_asan_link_order=0")
    p = subprocess.run([server, "--port", "0"], env=env, capture_output=True, text=True,
                       timeout=TIMEOUT)
    if p.returncode != 1:
        fail("exit status %d, expected 1" % p.returncode, p.stderr)
    if p.stdout:
        fail("it listened anyway: %r" % p.stdout, p.stderr)
    want = ("refusing to start: epoll@api: failed: epoll_create1() failed with ENOSYS (errno 38)\n")
    if want not in p.stderr:
        fail("the log lacks %r" % want, p.stderr)
    # the matrix: the kernel's epoll works, the wrapper is named, the
    # requirement is what failed
    if not re.search(r"\nepoll +ok +\w+", p.stderr):
        fail("the matrix does not show epoll@syscall ok", p.stderr)
    if "epoll_create1() is served by %s" % preload not in " ".join(p.stderr.split()):
        fail("the findings do not name the wrapper %s" % preload, p.stderr)
    if "verdict: problems (exit 1): requirement not met: epoll@api is " not in p.stderr:
        fail("the verdict line does not name epoll@api", p.stderr)


def case_bad_spec(server, preload):
    p = subprocess.run([server, "--require", "epol"], capture_output=True, text=True,
                       timeout=TIMEOUT)
    if p.returncode != 2:
        fail("exit status %d, expected 2" % p.returncode, p.stderr)
    if not re.fullmatch(r"uv_server\[\d+\]: bad --require: unknown mechanism 'epol' in SPEC "
                        r"\(mechanisms: [a-z_, ]+\)\n", p.stderr):
        fail("unexpected message", p.stderr)


def main():
    case, server, preload = sys.argv[1:4]
    {"ok": case_ok, "refuses": case_refuses, "bad_spec": case_bad_spec}[case](server, preload)
    print("ok: %s" % case)


if __name__ == "__main__":
    main()
