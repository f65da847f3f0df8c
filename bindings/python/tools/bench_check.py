# SPDX-License-Identifier: MIT
"""What loopprobe.check() costs a Python worker at start-up, against the
bare calls of the same round trip, in one run.

    PYTHONPATH=<build>/python python3 bindings/python/tools/bench_check.py

The bare round trip is what check("epoll@python") does when nothing is
patched: one non-blocking pipe, select.epoll() and selectors.EpollSelector
each registering it, a zero-timeout wait with nothing to report, a
write, the wait that reports it, a read to empty the pipe.  What check()
adds is the SPEC parser (in the C library), the look at the module
objects, and the bookkeeping.  Each figure is the median over repetitions
of the mean time of one call in a batch; the variants are interleaved.
"""

import os
import platform
import select
import selectors
import statistics
import sys
import time

import loopprobe

BATCH, REPETITIONS = 300, 21


def bare():
    r, w = os.pipe()
    os.set_blocking(r, False)
    ep = select.epoll()
    ep.register(r, select.EPOLLIN)
    assert ep.poll(0) == []
    os.write(w, b"x")
    assert ep.poll(1.0) == [(r, select.EPOLLIN)]
    ep.close()
    os.read(r, 64)
    sel = selectors.EpollSelector()
    sel.register(r, selectors.EVENT_READ)
    assert sel.select(0) == []
    os.write(w, b"x")
    assert len(sel.select(1.0)) == 1
    sel.close()
    os.read(r, 64)
    os.close(r)
    os.close(w)


def checked(spec):
    def call():
        ok, why = loopprobe.check(spec)
        if not ok:
            sys.exit("loopprobe.check(%r): %s" % (spec, why))
    return call


def main():
    variants = [("bare Python round trip (same calls)", bare),
                ("loopprobe.check(\"epoll@python\")", checked("epoll@python")),
                ("loopprobe.check(\"epoll@api\")", checked("epoll@api"))]
    times = {name: [] for name, _ in variants}
    for _ in range(REPETITIONS):
        for name, fn in variants:
            t0 = time.perf_counter()
            for _ in range(BATCH):
                fn()
            times[name].append((time.perf_counter() - t0) / BATCH * 1e6)
    print("python %s on %s %s; %s" % (platform.python_version(), platform.system(),
                                      platform.release(), loopprobe.library_path()))
    med = {name: statistics.median(t) for name, t in times.items()}
    for name, _ in variants:
        print("  %-38s %9.2f us" % (name, med[name]))
    ratio = med[variants[1][0]] / med[variants[0][0]]
    print("ratio epoll@python %6.2fx  (target <= 3x: %s)" % (ratio, "met" if ratio <= 3 else
                                                              "NOT met"))


if __name__ == "__main__":
    main()
