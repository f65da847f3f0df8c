# SPDX-License-Identifier: MIT
"""The binding's API in an unpatched interpreter: check(), run(), report(),
their errors, and calls from several threads."""

import errno
import os
import resource
import threading
import unittest

import loopprobe
from lpt import MECHS, cell

MECHS_MSG = "(mechanisms: %s)" % ", ".join(MECHS)


class Check(unittest.TestCase):
    def test_ok(self):
        for spec in ("epoll@python", "epoll@api", "epoll@syscall,epoll@api,epoll@python",
                     "epoll@python,poll@python,select@api", " epoll@python ,\tpoll@python "):
            self.assertEqual(loopprobe.check(spec), (True, ""), spec)

    def test_not_ok(self):
        self.assertEqual(loopprobe.check("iocp@api"),
                         (False, "iocp@api: na: not a mechanism of this platform"))
        # Built in through libkqueue, which Debian 12 does not package.
        self.assertEqual(loopprobe.check("kqueue@api"),
                         (False, "kqueue@api: na: not a mechanism of this platform, and no shim "
                                 "provides it: libkqueue.so.0 is not installed"))
        self.assertEqual(loopprobe.check("kqueue@python"),
                         (False, "kqueue@python: na: not a mechanism of this platform"))
        self.assertEqual(loopprobe.check("linuxaio@python"),
                         (False, "linuxaio@python: na: Python's select and selectors modules do "
                                 "not offer linuxaio"))
        self.assertEqual(loopprobe.check("kqueue"),
                         (False, "kqueue: no layer built into this library applies here"))
        self.assertEqual(loopprobe.check("epoll@python,iocp@api"),
                         (False, "iocp@api: na: not a mechanism of this platform"))

    def test_malformed(self):
        with self.assertRaises(ValueError) as e:
            loopprobe.check("epol@python")
        self.assertEqual(str(e.exception), "unknown mechanism 'epol' in SPEC " + MECHS_MSG)
        with self.assertRaises(ValueError) as e:
            loopprobe.check("")
        self.assertEqual(str(e.exception),
                         "empty SPEC: name at least one MECHANISM[@LAYER], e.g. epoll or epoll@api")
        with self.assertRaises(ValueError):
            loopprobe.check("epoll@python@api")
        for bad in (None, b"epoll", 3):
            with self.assertRaises(TypeError):
                loopprobe.check(bad)

    def test_threads(self):
        wrong = []

        def worker():
            for _ in range(40):
                for spec, want in (("epoll@python", (True, "")), ("epoll@api", (True, "")),
                                   ("kqueue@python", (False, "kqueue@python: na: not a mechanism "
                                                             "of this platform"))):
                    got = loopprobe.check(spec)
                    if got != want:
                        wrong.append((spec, got))

        threads = [threading.Thread(target=worker) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(wrong, [])


class DescriptorTableFull(unittest.TestCase):
    """No descriptor left (a real RLIMIT_NOFILE, filled up): the python
    cell fails with EMFILE; nothing raises."""

    def test_check_and_report(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        self.assertEqual(loopprobe.check("epoll@python"), (True, ""))  # everything loaded
        held = []
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(map(int, os.listdir("/proc/self/fd"))) + 1,
                                                    hard))
        try:
            while True:
                held.append(os.open(os.devnull, os.O_RDONLY))
        except OSError as e:
            self.assertEqual(e.errno, errno.EMFILE)
        try:
            got = loopprobe.check("epoll@python")
            r = loopprobe.report(only="epoll@python")
        finally:
            for fd in held:
                os.close(fd)
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        # The library's classifier names the cause, as for its own cells.
        self.assertEqual(got, (False, "epoll@python: failed: A limit ran out: epoll at python "
                                      "could not run, os.pipe() fails with EMFILE."))
        self.assertEqual((cell(r, "epoll", "python")["verdict"], cell(r, "epoll", "python")["errno"]),
                         ("failed", "EMFILE"))
        kinds = [f["kind"] for f in r["findings"] if "epoll@python" in f["cells"]]
        self.assertEqual(kinds, ["resource-limit"])
        self.assertEqual(r["exit_code"], 3)  # the C probes could not be started


class Report(unittest.TestCase):
    def test_full(self):
        r = loopprobe.report()
        self.assertEqual(list(r), ["schema", "tool", "generated_at", "host", "libraries", "python",
                                   "cells", "findings", "exit_code"])
        self.assertEqual(r["schema"], "loopprobe/1")
        python = [c for c in r["cells"] if c["layer"] == "python"]
        self.assertEqual([c["mechanism"] for c in python], MECHS)
        self.assertEqual([c["verdict"] for c in python[:3]], ["ok", "ok", "ok"])
        # matrix order: each mechanism's python cell right after its C cells
        order = [(c["mechanism"], c["layer"]) for c in r["cells"]]
        self.assertEqual(order.index(("epoll", "python")) + 1, order.index(("poll", "syscall")))
        self.assertEqual(r["python"]["patchers"], [])

    def test_only_brings_the_layers_beneath(self):
        r = loopprobe.report(only="epoll@python")
        self.assertEqual(cell(r, "epoll", "python")["verdict"], "ok")
        self.assertEqual(cell(r, "epoll", "syscall")["verdict"], "ok")
        self.assertEqual(cell(r, "epoll", "api")["verdict"], "ok")
        self.assertEqual(cell(r, "poll", "python"),
                         dict(cell(r, "poll", "python"), verdict="skipped", detail="not requested"))
        self.assertEqual(cell(r, "poll", "api")["verdict"], "skipped")

    def test_require(self):
        self.assertEqual(loopprobe.report(only="epoll", require="epoll@python")["exit_code"], 0)
        self.assertEqual(loopprobe.report(only="epoll", require="kqueue@python")["exit_code"], 1)
        with loopprobe.run(only="poll", require="kqueue@python") as r:
            self.assertIn("verdict: problems (exit 1): requirement not met: kqueue@python is na",
                          r.format("text"))

    def test_formats(self):
        with loopprobe.run(only="epoll@python") as r:
            text = r.format("text")
            self.assertIn("          syscall   api       libuv     libev     libevent  python\n"
                          "epoll     ok        ok        ", text)
            self.assertIn("| mechanism | syscall | api | libuv | libev | libevent | python |",
                          r.format("markdown"))
            self.assertIn('"layer": "python"', r.format("json"))
            self.assertIn("\033[", r.format("text", color=True))
            summary = r.format("summary")
            self.assertTrue(summary.startswith("verdict: ok (exit 0): "), summary)
            self.assertEqual(summary.count("\n"), 1)
            self.assertEqual(summary, text.splitlines(True)[-1])
            with self.assertRaises(ValueError):
                r.format("xml")
        with self.assertRaises(ValueError):
            r.format("text")  # closed

    def test_bad_arguments(self):
        with self.assertRaises(ValueError):
            loopprobe.report(only="epol")
        with self.assertRaises(ValueError):
            loopprobe.report(require="epoll@")
        for bad in (0, 600001, 1.5):
            with self.assertRaises(ValueError):
                loopprobe.report(timeout_ms=bad)


if __name__ == "__main__":
    unittest.main()
