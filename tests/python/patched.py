# SPDX-License-Identifier: MIT
"""The python layer under real monkey-patchers, one process per case.

    patched.py CASE

Each case patches the way a real program does (Debian's eventlet, gevent,
and a home-grown patcher in tinypatch.py), then checks loopprobe.check(),
loopprobe.report() and the command's exit status exactly.  The trio cases
reproduce trio's failure under patching and show loopprobe's explanation
of it; the *_fix cases check that the fixes loopprobe's hints give work.
"""

import sys

from lpt import MECHS, cell, eq, expect_python_row, finding, no_finding, true, valid

KERNEL_AND_LIBC = "works in the kernel and in libc"


def eventlet_patch():
    import eventlet
    eventlet.monkey_patch()
    return eventlet


def gevent_patch(**kw):
    from gevent import monkey
    monkey.patch_all(**kw)
    import gevent
    return gevent


def check_hidden_epoll(loopprobe, patcher):
    """What every patcher that removes epoll must produce."""
    why = ("epoll@python: hidden: %s's monkey-patching removed select.epoll and "
           "selectors.EpollSelector; epoll %s" % (patcher, KERNEL_AND_LIBC))
    eq(loopprobe.check("epoll@python"), (False, why), "check('epoll@python')")
    eq(loopprobe.check("epoll@syscall,epoll@api,epoll@python"), (False, why),
       "the C layers pass, python not")
    eq(loopprobe.check("epoll@syscall,epoll@api"), (True, ""), "check of the C layers")
    report = valid(loopprobe.report())
    f = finding(report, "epoll@python")
    eq((f["severity"], f["kind"], f["mechanism"], f["layer"]),
       ("error", "hidden-by-patching", "epoll", "python"), "the finding's header")
    eq(f["summary"], "epoll %s, but %s's monkey-patching hid it from Python: select.epoll and "
       "selectors.EpollSelector are gone." % (KERNEL_AND_LIBC, patcher), "the finding's summary")
    for line in ("select.epoll is gone from the running interpreter",
                 "selectors.EpollSelector is gone from the running interpreter",
                 "the interpreter's own select.epoll (a fresh instance of the module) works",
                 "beneath: epoll@syscall ok, epoll@api ok"):
        true(line in f["evidence"], "evidence %r" % line, f["evidence"])
    version = getattr(sys.modules[patcher], "__version__", None)
    label = "%s %s" % (patcher, version) if version else patcher
    named = [e for e in f["evidence"] if e.startswith(label + " is loaded: ")]
    eq(len(named), 1, "the evidence naming the patcher and its version")
    eq(report["exit_code"], 1, "exit_code")
    return report, f


def case_none():
    import loopprobe
    for spec in ("epoll@python", "poll@python", "select@python", "epoll@api,epoll@python",
                 "epoll@python,poll@syscall,poll@python,select@python"):
        eq(loopprobe.check(spec), (True, ""), "check(%r)" % spec)
    eq(loopprobe.check("io_uring@python"),
       (False, "io_uring@python: na: Python's select and selectors modules do not offer io_uring"),
       "check('io_uring@python')")
    report = valid(loopprobe.report())
    expect_python_row(report, epoll="ok", poll="ok", select="ok")
    for m in ("epoll", "poll", "select"):
        no_finding(report, m + "@python")
    epoll = cell(report, "epoll", "python")
    eq(epoll["detail"], "round trips on a pipe through select.epoll and selectors.EpollSelector",
       "epoll@python's detail")
    eq(epoll["provider"], "select", "epoll@python's provider")
    true(epoll["elapsed_us"] > 0, "epoll@python was timed", epoll)
    eq(report["python"]["patchers"], [], "no patcher")
    eq(report["python"]["default_selector"], "selectors.EpollSelector", "default selector")


def case_eventlet(late=False):
    if late:  # the binding imported first: it looks at the modules when called
        import loopprobe
        eventlet = eventlet_patch()
    else:
        eventlet = eventlet_patch()
        import loopprobe
    report, f = check_hidden_epoll(loopprobe, "eventlet")
    true("eventlet.monkey_patch(select=False)" in f["hint"] and "--worker-class gthread"
         in f["hint"] and "trio imported first" in f["hint"], "the hint names the fixes", f["hint"])
    expect_python_row(report, epoll="hidden", poll="hidden", select="emulated")
    eq(loopprobe.check("poll@python"),
       (False, "poll@python: hidden: eventlet's monkey-patching removed select.poll and "
        "selectors.PollSelector; poll %s" % KERNEL_AND_LIBC), "check('poll@python')")
    eq(loopprobe.check("select@python"),
       (False, "select@python: emulated: replaced by eventlet's monkey-patching: select.select "
        "(by eventlet.green.select) and selectors.SelectSelector (by eventlet.green.select)"),
       "check('select@python')")
    s = finding(report, "select@python")
    eq((s["severity"], s["kind"]), ("warning", "hidden-by-patching"), "select@python's finding")
    eq(report["python"]["patchers"],
       [{"name": "eventlet", "version": eventlet.__version__, "modules": ["select", "selectors"]}],
       "the patchers")
    eq((report["python"]["default_selector"], report["python"]["default_selector_waits_with"]),
       ("selectors.SelectSelector", "eventlet.green.select"), "the default selector")
    from loopprobe.__main__ import main
    eq(main(["--require", "epoll@python", "--quiet"]), 1, "the command's exit status")
    eq(main(["--require", "epoll@api", "--quiet"]), 0, "the command's exit status for epoll@api")


def case_gevent():
    gevent = gevent_patch()
    import loopprobe
    report, f = check_hidden_epoll(loopprobe, "gevent")
    true("patch_all(aggressive=False)" in f["hint"] and "--worker-class gthread" in f["hint"],
         "the hint names the fixes", f["hint"])
    expect_python_row(report, epoll="hidden", poll="emulated", select="emulated")
    eq(loopprobe.check("poll@python"),
       (False, "poll@python: emulated: replaced by gevent's monkey-patching: select.poll (by "
        "gevent.select) and selectors.PollSelector (by gevent.select)"), "check('poll@python')")
    eq(report["python"]["patchers"],
       [{"name": "gevent", "version": gevent.__version__, "modules": ["select", "selectors"]}],
       "the patchers")
    eq(report["python"]["default_selector"], "gevent.selectors.GeventSelector", "default selector")


def case_tinypatch():
    import tinypatch
    tinypatch.patch()
    import loopprobe
    report, f = check_hidden_epoll(loopprobe, "tinypatch")
    true("tinypatch is loaded: select.select is replaced by tinypatch" in f["evidence"],
         "the evidence shows what tinypatch replaced", f["evidence"])
    expect_python_row(report, epoll="hidden", poll="ok", select="emulated")
    eq(loopprobe.check("select@python"),
       (False, "select@python: emulated: replaced by tinypatch's monkey-patching: select.select "
        "(by tinypatch)"), "check('select@python')")


def reproduce_trio(patch):
    """trio under a patcher: the failure as the program sees it."""
    patch()
    import loopprobe
    try:
        import trio

        async def main():
            await trio.sleep(0)

        trio.run(main)
    except AttributeError as e:  # trio before its lazy epoll (0.22): at import
        failure = "%s: %s" % (type(e).__name__, e)
        eq(failure, "AttributeError: module 'select' has no attribute 'epoll'", "trio's failure")
    except NotImplementedError as e:  # later trio: at trio.run()
        failure = "%s: %s" % (type(e).__name__, e)
        true("unsupported platform" in str(e), "trio's failure", failure)
    else:
        true(False, "trio worked under patching: nothing to reproduce")
    ok, why = loopprobe.check("epoll@python")
    print("trio failed with   %s" % failure)
    print("loopprobe.check:   %s" % why)
    f = finding(loopprobe.report(only="epoll@python"), "epoll@python")
    print("loopprobe finding: %s\n  hint: %s" % (f["summary"], f["hint"]))
    true(not ok and "hidden" in why, "loopprobe calls epoll@python hidden", why)
    true(any(e.startswith("trio was imported here: on Linux it needs select.epoll")
             for e in f["evidence"]), "the finding connects trio to the missing epoll",
         f["evidence"])
    return why


def case_trio_eventlet():
    why = reproduce_trio(eventlet_patch)
    true("eventlet's monkey-patching removed select.epoll" in why, "eventlet is named", why)


def case_trio_gevent():
    why = reproduce_trio(gevent_patch)
    true("gevent's monkey-patching removed select.epoll" in why, "gevent is named", why)


def run_trio():
    import trio

    async def main():
        await trio.sleep(0.001)
        return 42

    return trio.run(main)


def case_fix_eventlet_select_false():
    """The hint: eventlet.monkey_patch(select=False) keeps epoll, but trio
    needs more (the hint says so): eventlet's green socket lacks sendmsg."""
    import eventlet
    eventlet.monkey_patch(select=False)
    import loopprobe
    import selectors
    eq(loopprobe.check("epoll@python,poll@python,select@python"), (True, ""), "check")
    eq(selectors.DefaultSelector.__name__, "EpollSelector", "asyncio's default selector")
    try:
        run_trio()
    except AttributeError as e:
        true("sendmsg" in str(e), "trio fails for want of sendmsg", e)
    else:
        true(False, "trio worked: the hint's caveat would be wrong")


def case_fix_eventlet_trio_first():
    """The hint: import what needs epoll before monkey_patch()."""
    import trio  # noqa: F401 - imported first on purpose
    eventlet_patch()
    import loopprobe
    eq(loopprobe.check("epoll@python")[0], False, "select.epoll is still gone from the module")
    eq(run_trio(), 42, "trio imported before eventlet's patching")


def case_fix_gevent_not_aggressive():
    """The hint: gevent.monkey.patch_all(aggressive=False)."""
    gevent_patch(aggressive=False)
    import loopprobe
    eq(loopprobe.check("epoll@python"), (True, ""), "check('epoll@python')")
    expect_python_row(loopprobe.report(), epoll="ok", poll="emulated", select="emulated")


def case_fix_gevent_trio_first_does_not_help():
    """The hint's warning: trio imported before gevent's patching still fails."""
    import trio  # noqa: F401
    gevent_patch()
    try:
        run_trio()
    except Exception as e:
        eq(type(e).__name__, "TrioInternalError", "trio's failure")
    else:
        true(False, "trio worked: the hint's warning would be wrong")


def replace_select(fn):
    """A patcher of our own that replaces select.select with fn (after
    selectors took the real one: a plain function there would be bound as
    a method, which loopprobe rightly reports as a failure of its own)."""
    import select
    import selectors  # noqa: F401
    fn.__module__ = "badpatch"
    select.select = fn


def case_hang():
    """A replacement that never returns: the cell times out, run() returns."""
    import threading
    never = threading.Event()
    replace_select(lambda r, w, x, timeout=None: never.wait())
    import loopprobe
    L = loopprobe._lib.lib()
    t0 = L.lp_monotonic_ns()
    report = valid(loopprobe.report(only="select@python", timeout_ms=300))
    took = (L.lp_monotonic_ns() - t0) / 1e9
    expect_python_row(report, select="timeout", **{m: "skipped" for m in MECHS if m != "select"})
    f = finding(report, "select@python")
    eq((f["severity"], f["kind"]), ("error", "probe-timeout"), "the finding")
    true(took < 10, "report() returned in %.1f s" % took)


def case_broken():
    """A replacement that fails with an errno: failed, the call and errno named."""
    import errno
    import os

    def refuse(r, w, x, timeout=None):
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))

    replace_select(refuse)
    import loopprobe
    # No filter, no tracer, no limit: the library's classifier cannot
    # attribute the EPERM, and says which call failed.
    eq(loopprobe.check("select@python"),
       (False, "select@python: failed: select at python fails: select.select() fails with EPERM."),
       "check('select@python')")
    report = loopprobe.report(only="select@python")
    select = cell(report, "select", "python")
    eq((select["verdict"], select["errno"], select["provider"]), ("failed", "EPERM", "badpatch"),
       "cell")
    f = finding(report, "select@python")
    eq(f["kind"], "probe-failed", "the finding's kind")
    true("select@python: select.select: select.select() (the zero-timeout wait) failed with EPERM "
         "(errno 1)" in f["evidence"], "the evidence names the step", f["evidence"])


def case_early():
    """A replacement that reports the pipe readable before any write."""
    replace_select(lambda r, w, x, timeout=None: (list(r), [], []))
    import loopprobe
    eq(loopprobe.check("select@python"),
       (False, "select@python: degraded: select.select: select.select() reported an event before "
        "any data was written"), "check('select@python')")
    eq(finding(loopprobe.report(only="select@python"), "select@python")["kind"],
       "event-misbehaved", "the finding's kind")


def case_impatient():
    """A replacement that ignores its timeout: fine for check(), which does
    not time waits, degraded for the full run, which does."""
    import select
    real = select.select
    replace_select(lambda r, w, x, timeout=None: real(r, w, x, 0))
    import loopprobe
    ok, why = loopprobe.check("select@python")
    eq((ok, why.split(": ")[:2]), (False, ["select@python", "emulated"]), "check()")
    report = loopprobe.report(only="select@python")
    f = finding(report, "select@python")
    eq((f["severity"], f["kind"]), ("error", "timeout-distorted"), "the finding")
    # The classifier's rule, not a time: the shortest wait was under 80% of
    # the 10 ms asked for (a loaded machine may stretch a zero timeout).
    head = "select at python does not honour timeouts: waits of 10.0 ms took "
    true(f["summary"].startswith(head), "the summary", f["summary"])
    shortest = float(f["summary"][len(head):].split(" ")[0])
    true(shortest < 8.0, "the shortest wait is under 8 ms", f["summary"])


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}
CASES["eventlet_late"] = lambda: case_eventlet(late=True)

if __name__ == "__main__":
    CASES[sys.argv[1]]()
    print("ok: %s" % sys.argv[1])
