# SPDX-License-Identifier: MIT
"""The python layer under a real seccomp filter refusing epoll_create1 with
EPERM (tests/tools/lp_seccomp_exec installs it before starting Python):
check() and the report name the filter for the python cell, as they do
for the C cells - a worker's log line must carry the cause.

    lp_seccomp_exec errno:EPERM epoll_create1 -- python3 seccomp.py
"""

from lpt import cell, eq, true, valid

import loopprobe

WHY = ("epoll@python: blocked: epoll at syscall is refused by a seccomp filter: epoll_create1() "
       "fails with EPERM.")

eq(loopprobe.check("epoll@python"), (False, WHY), "check('epoll@python')")
eq(loopprobe.check("poll@python"), (True, ""), "check('poll@python'): poll is not filtered")
report = valid(loopprobe.report(only="epoll"))
eq(cell(report, "epoll", "python")["verdict"], "blocked", "the python cell")
explained = [f for f in report["findings"] if "epoll@python" in f["cells"]]
eq([(f["kind"], f["cells"][0]) for f in explained], [("blocked-by-seccomp", "epoll@syscall")],
   "the python cell joins the filter's finding")
true(any(e.startswith("decided by: a seccomp filter is installed")
         for e in explained[0]["evidence"]), "the evidence that decides", explained[0]["evidence"])
print("ok: seccomp")
