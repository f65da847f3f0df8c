# SPDX-License-Identifier: MIT
"""python3 -m loopprobe: formats, --output, --only, --require, --timeout and
the exit statuses 0, 1, 2 and 3, each in its own interpreter.

LP_SCHEMA, when set, names the loopprobe/1 JSON Schema the report must
validate against (with python3-jsonschema)."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

import lpt

TIMEOUT = 120


def run(*args, env=None):
    e = dict(os.environ, NO_COLOR="1")
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "loopprobe"] + list(args), capture_output=True,
                          text=True, env=e, timeout=TIMEOUT)


class Command(unittest.TestCase):
    def test_json_and_its_exit_status(self):
        p = run("--format", "json")
        doc = json.loads(p.stdout)
        self.assertEqual(p.returncode, doc["exit_code"], p.stderr)
        self.assertEqual(doc["schema"], "loopprobe/1")
        self.assertIn({"mechanism": "epoll", "layer": "python", "verdict": "ok"},
                      [{k: c[k] for k in ("mechanism", "layer", "verdict")} for c in doc["cells"]])
        lpt.valid(doc)

    def test_text_and_markdown(self):
        p = run("--only", "epoll@python")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("libevent  python\nepoll     ok        ok        ", p.stdout)
        self.assertNotIn("\033[", p.stdout)
        p = run("--format", "markdown", "--only", "epoll@python")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(p.stdout.startswith("### loopprobe report\n"), p.stdout)
        self.assertIn("| mechanism | syscall | api | libuv | libev | libevent | python |", p.stdout)

    def test_require(self):
        self.assertEqual(run("--require", "epoll@python", "--quiet").returncode, 0)
        p = run("--require", "kqueue@python", "--only", "epoll")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("verdict: problems (exit 1): requirement not met: kqueue@python is na", p.stdout)

    def test_output(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "report.json")
            p = run("--format", "json", "--output", path, "--only", "poll@python")
            self.assertEqual((p.returncode, p.stdout), (0, ""), p.stderr)
            with open(path, encoding="utf-8") as f:
                self.assertEqual(json.load(f)["schema"], "loopprobe/1")
            p = run("--output", os.path.join(d, "missing", "report.txt"), "--only", "poll")
            self.assertEqual(p.returncode, 3)
            self.assertRegex(p.stderr, r"^loopprobe: cannot write the report to '.*/missing/"
                                       r"report\.txt': No such file or directory\n$")

    def test_usage_errors(self):
        for args, message in ((["--require", "epol"], "loopprobe: --require: unknown mechanism "
                                                      "'epol' in SPEC"),
                              (["--only", "epoll@"], "loopprobe: --only: missing layer after '@'"),
                              (["--format", "xml"], "invalid choice: 'xml'"),
                              (["--timeout", "0"], "--timeout takes milliseconds from 1 to 600000"),
                              (["--timeout", "x"], "--timeout takes milliseconds from 1 to 600000"),
                              (["--output", ""], "loopprobe: --output needs a file name"),
                              (["extra"], "unrecognized arguments: extra")):
            p = run(*args)
            self.assertEqual(p.returncode, 2, (args, p.stderr))
            self.assertIn(message, p.stderr, args)
            self.assertEqual(p.stdout, "", args)

    def test_library_missing(self):
        p = run("--only", "epoll", env={"LOOPPROBE_LIBRARY": "/nonexistent/libloopprobe.so"})
        self.assertEqual(p.returncode, 3)
        self.assertTrue(p.stderr.startswith("loopprobe: cannot load libloopprobe from "
                                            "LOOPPROBE_LIBRARY=/nonexistent/libloopprobe.so: "),
                        p.stderr)

    def test_timeout_option(self):
        p = run("--timeout", "5000", "--only", "select@python", "--format", "json")
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_version(self):
        p = run("--version")
        self.assertEqual(p.returncode, 0)
        self.assertRegex(p.stdout, r"^loopprobe \d+\.\d+\.\d+ \(python binding \d+\.\d+\.\d+, "
                                   r"library .*libloopprobe.*\)\n$")


if __name__ == "__main__":
    unittest.main()
