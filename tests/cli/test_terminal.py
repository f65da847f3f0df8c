#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The text report fits where it is read, and is never cut mid-word.

Runs the whole matrix in real pseudo-terminals of 80 and 120 columns (the
size set with TIOCSWINSZ, as a terminal emulator does), through a pipe
with and without COLUMNS, and with --width, and checks each time:
 - no line is wider than the width the command should have picked
   (colour sequences take no room), and a wider width is really used;
 - the words are exactly those of an unwrapped report, in the same order:
   wrapping only ever replaced a space by a line break;
 - the last line is the whole verdict, "verdict: ok|problems (exit N): ...".

usage: test_terminal.py LOOPPROBE
"""

import os
import re
import subprocess
import sys

import lpcheck  # tests/cli/lpcheck.py: its pseudo-terminal

ANSI = re.compile(r"\x1b\[[0-9;]*m")
VERDICT = re.compile(r"^verdict: (ok|problems) \(exit [0-3]\): ")
BASE = ["--timeout", "10000"]


def fail(msg, text=""):
    print("FAIL: " + msg)
    print(text)
    sys.exit(1)


def environ(**changes):
    env = {k: v for k, v in os.environ.items()
           if k not in ("COLUMNS", "NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE")}
    env["TERM"] = "xterm"
    env.update(changes)
    return env


def in_terminal(cmd, cols, env):
    """Standard output on a pseudo-terminal of cols columns."""
    rc, out, err = lpcheck.run_in_terminal(cmd, env, cols, 60)
    if rc not in (0, 1):
        fail("exit status %d: %r" % (rc, err), out.decode("utf-8", "replace"))
    return out.decode("utf-8")


def in_pipe(cmd, env):
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    if p.returncode not in (0, 1):
        fail("exit status %d: %r" % (p.returncode, p.stderr), p.stdout.decode("utf-8", "replace"))
    return p.stdout.decode("utf-8")


def check(name, produce, width, reference, wider_than=None):
    """produce() runs loopprobe; reference() an unwrapped report to compare
    with.  They are two runs of the probes, and a cell may honestly change
    between them on a loaded machine (a wait measured too long): when the
    words differ, both are run once more before that counts."""
    for attempt in (1, 2):
        plain = ANSI.sub("", produce())
        ref = reference()
        if plain.split() == ref.split():
            break
        if attempt == 2:
            fail("%s: the words differ from the unwrapped report's:\n%s" % (name, ref), plain)
    lines = plain.splitlines()
    for line in lines:
        if len(line) > width:
            fail("%s: a line is wider than %d columns: %r" % (name, width, line), plain)
    if wider_than is not None and not any(len(line) > wider_than for line in lines):
        fail("%s: no line is wider than %d columns: the width was not used" % (name, wider_than),
             plain)
    if not VERDICT.match(lines[-1]) or lines[-1] != ref.splitlines()[-1]:
        fail("%s: the last line is not the whole verdict: %r" % (name, lines[-1]), plain)
    print("ok: %s: %d lines, the widest %d columns" % (name, len(lines), max(map(len, lines))))


def main():
    lp = sys.argv[1]

    def reference():
        text = in_pipe([lp, "--width", "10000", "--color=never"] + BASE, environ())
        if "\x1b" in text or len(text.splitlines()) < 10:
            fail("the unwrapped reference is not a plain report", text)
        return text

    def tty(cols, args=(), **env):
        return lambda: in_terminal([lp] + list(args) + BASE, cols, environ(**env))

    def pipe(args=(), **env):
        return lambda: in_pipe([lp] + list(args) + BASE, environ(**env))

    check("terminal of 80 columns", tty(80), 80, reference)
    check("terminal of 120 columns", tty(120), 120, reference, wider_than=80)
    check("terminal of 80 columns, COLUMNS=120 (the terminal wins)", tty(80, COLUMNS="120"), 80,
          reference)
    check("terminal of 80 columns, --width 120", tty(80, ["--width", "120"]), 120, reference,
          wider_than=80)
    check("pipe, no COLUMNS", pipe(), 80, reference)
    check("pipe, COLUMNS=100", pipe(COLUMNS="100"), 100, reference, wider_than=80)
    check("pipe, COLUMNS=junk", pipe(COLUMNS="12abc"), 80, reference)
    check("pipe, --width 30 (the matrix needs 60)", pipe(["--width", "30"]), 60, reference,
          wider_than=30)


if __name__ == "__main__":
    main()
