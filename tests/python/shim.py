# SPDX-License-Identifier: MIT
"""shim - the binding with libkqueue loadable (LD_LIBRARY_PATH, set by the
test): check() calls kqueue@api emulated and names the shim, and leaves
nothing behind in this process (libkqueue starts a thread and keeps
descriptors in the process that creates a kqueue, so lp_check() probes a
shim's cell in a child); report() has the cell and its finding."""

import os
import unittest

import loopprobe
from lpt import valid


def footprint():
    return len(os.listdir("/proc/self/task")), len(os.listdir("/proc/self/fd"))


class Shim(unittest.TestCase):
    def test_check(self):
        before = footprint()
        for _ in range(3):
            ok, why = loopprobe.check("kqueue@api")
            self.assertFalse(ok)
            self.assertTrue(why.startswith("kqueue@api: emulated: EVFILT_READ on a pipe"), why)
            self.assertTrue(why.endswith("; provided by libkqueue 2.7.0"), why)
        self.assertEqual(footprint(), before)

    def test_report(self):
        r = loopprobe.report(only="kqueue")
        valid(r)
        cell = [c for c in r["cells"] if c["mechanism"] == "kqueue" and c["layer"] == "api"][0]
        self.assertEqual(cell["verdict"], "emulated")
        self.assertTrue(cell["provider"].endswith("/libkqueue.so.0"), cell)
        kinds = [(f["severity"], f["kind"], f["cells"]) for f in r["findings"]]
        self.assertEqual(kinds, [("warning", "emulated", ["kqueue@api"])])
        self.assertEqual(r["exit_code"], 0)


if __name__ == "__main__":
    unittest.main()
