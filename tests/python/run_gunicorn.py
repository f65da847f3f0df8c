# SPDX-License-Identifier: MIT
"""Runs the gunicorn example (examples/gunicorn) for real.

    run_gunicorn.py WORKER_CLASS EXAMPLE_DIR

sync        the worker's check passes: it logs so and serves a request;
            SIGTERM stops gunicorn with status 0
eventlet,   the worker class monkey-patches, the check in post_worker_init
gevent      fails: the worker logs the reason naming the patcher and the
            matrix, and gunicorn stops with "Worker failed to boot" (3)
"""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

TIMEOUT = 60


def fail(msg, log):
    sys.stderr.write("FAIL: %s\n--- gunicorn's log ---\n%s\n" % (msg, log))
    sys.exit(1)


def start(worker_class, example_dir):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([example_dir, env.get("PYTHONPATH", "")])
    cmd = [sys.executable, "-m", "gunicorn", "-c", os.path.join(example_dir, "gunicorn.conf.py"),
           "--bind", "127.0.0.1:0", "--workers", "1", "--worker-class", worker_class, "app:app"]
    # its own process group, so that nothing it forked outlives the test
    return subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def read_until(p, pattern, log):
    """Reads gunicorn's log until a line matches; returns the match."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        line = p.stderr.readline()
        if not line:
            return None
        log.append(line)
        m = re.search(pattern, line)
        if m:
            return m
    return None


def case_starts(p, log):
    m = read_until(p, r"Listening at: http://127\.0\.0\.1:(\d+)", log)
    if not m:
        fail("gunicorn did not listen", "".join(log))
    port = m.group(1)
    if not read_until(p, r"\[INFO\] loopprobe: epoll@python ok$", log):
        fail("the worker did not log a passed check", "".join(log))
    with urllib.request.urlopen("http://127.0.0.1:%s/" % port, timeout=TIMEOUT) as r:
        body = r.read()
    if body != b"hello from a worker loopprobe let start\n":
        fail("the application answered %r" % body, "".join(log))
    p.send_signal(signal.SIGTERM)
    rest = p.communicate(timeout=TIMEOUT)[1]
    if p.returncode != 0:
        fail("gunicorn exited with %d" % p.returncode, "".join(log) + rest)


def case_refuses(p, patcher, log):
    rest = p.communicate(timeout=TIMEOUT)[1]
    text = "".join(log) + rest
    if p.returncode != 3:
        fail("gunicorn exited with %d, expected 3 (worker failed to boot)" % p.returncode, text)
    want = ("[ERROR] loopprobe: refusing to start this worker: epoll@python: hidden: %s's "
            "monkey-patching removed select.epoll and selectors.EpollSelector; epoll works in the "
            "kernel and in libc\n" % patcher)
    if want not in text:
        fail("the log lacks %r" % want, text)
    for pattern in (r"\[ERROR\] loopprobe: epoll +ok +ok +\S+ +\S+ +\S+ +hidden\n",
                    r"\[ERROR\] loopprobe: verdict: problems \(exit 1\): requirement not met: epoll@python "
                    r"is hidden",
                    r"Worker failed to boot"):
        if not re.search(pattern, text):
            fail("the log lacks %r" % pattern, text)


def main():
    worker_class, example_dir = sys.argv[1:3]
    p = start(worker_class, example_dir)
    log = []
    try:
        if worker_class == "sync":
            case_starts(p, log)
        else:
            case_refuses(p, worker_class, log)
    finally:
        try:
            os.killpg(p.pid, signal.SIGKILL)  # the arbiter and any worker left
        except ProcessLookupError:
            pass
        if p.poll() is None:
            p.wait()
    print("ok: %s" % worker_class)


if __name__ == "__main__":
    main()
