# SPDX-License-Identifier: MIT
"""Verdicts and findings of the python layer, one mechanism at a time.

The layers beneath (syscall, api) come from the C library, as a report
(see Context.beneath), so that a finding can say "epoll works in the kernel
and in libc; eventlet's patching hid it from Python".  What is Python's
own - a patcher that removed or replaced an entry, an emulation, a wait
through the interpreter - is judged here; a call that failed is judged by
the library's own classifier against the layers beneath
(lp_report_judge_failure), so that a seccomp filter, a wrapper or a tracer
is named as it is for the C cells.
"""

import platform  # not in facts(): importing opens a file, and facts() must work with none left
import sys

from . import _lib
from . import _patchers
from . import _probe


class Finding:
    def __init__(self, severity, kind, summary, hint):
        self.severity = severity
        self.kind = kind
        self.summary = summary
        self.hint = hint
        self.evidence = []


class Cell:
    """The python cell of one mechanism."""

    def __init__(self, mech, verdict, detail, errno_name=None, provider=None):
        self.mech = mech
        self.verdict = verdict
        self.detail = detail
        self.errno_name = errno_name
        self.provider = provider
        self.elapsed_us = -1
        self.finding = None
        self.failure = None  # a failed call, for the library to judge: (function, detail)

    @property
    def name(self):
        return "%s@python" % self.mech


# The finding kind of a mechanism a patcher removed or replaced.
PATCHING_KIND = "hidden-by-patching"


def _and(items):
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _who(patchers):
    return _and("%s's" % p for p in patchers) if patchers else "unidentified code's"


def beneath_phrase(mech, below):
    """below: {"syscall": verdict, "api": verdict} (either may be missing)."""
    s, a = below.get("syscall"), below.get("api")
    if s == "ok" and a == "ok":
        return "%s works in the kernel and in libc" % mech
    if a == "ok":
        return "%s works through the platform's C API" % mech
    if s == "ok":
        return "%s works in the kernel" % mech
    return None


def _beneath_evidence(mech, below):
    parts = ["%s@%s %s" % (mech, layer, below[layer])
             for layer in ("syscall", "api") if layer in below]
    return "beneath: " + ", ".join(parts) if parts else None


def _patchers_of(module, entries_all):
    """Who patched module: owners of its replaced entries, then the
    patchers' own bookkeeping.  Returns ({patcher: [evidence]}, ...)."""
    found = {name: [line] for name, line in _patchers.confirmed(module).items()}
    for e in entries_all:
        if e.module == module and e.state == _probe.REPLACED:
            name = _patchers.package_of(e.owner)
            if name not in (module, ""):
                found.setdefault(name, []).append("%s is replaced by %s" % (e.where, e.owner))
    return found


def _patcher_evidence(name, lines):
    """One line per patcher: who it is and at most four facts about it."""
    shown = lines[:4] + (["and %d more" % (len(lines) - 4)] if len(lines) > 4 else [])
    return "%s is loaded: %s" % (_patchers.label(name), "; ".join(shown))


class Context:
    """What every mechanism's verdict is judged against, computed once.

    beneath has verdicts(mech) -> {"syscall": verdict, "api": verdict}
    (either may be missing) and judge(cell), which has the library judge a
    cell whose call failed (see loopprobe._Beneath)."""

    def __init__(self, quick, beneath):
        self.quick = quick
        self.beneath = beneath
        self._ref = None
        self._entries = {}
        self._by_module = None

    def below_of(self, mech):
        return self.beneath.verdicts(mech)

    def ref(self):
        """The select module as it was before any patching (a fresh
        instance), made the first time something is found missing."""
        if self._ref is None:
            self._ref = _probe.reference_select() or False
        return self._ref or None

    def entries(self, mech):
        if mech not in self._entries:
            self._entries[mech] = _probe.entries(mech, self.ref)
        return self._entries[mech]

    @property
    def by_module(self):
        """{module: {patcher: [evidence]}}, from every mechanism's entries."""
        if self._by_module is None:
            flat = [e for m in _probe.ENTRIES for e in self.entries(m)]
            self._by_module = {mod: _patchers_of(mod, flat) for mod in ("select", "selectors")}
        return self._by_module

    def patchers(self, entries):
        """{patcher: [evidence]} for the modules of the entries it changed."""
        names = {}
        changed = (_probe.REMOVED, _probe.REPLACED)
        modules = sorted({e.module for e in entries if e.state in changed})
        for module in modules:
            for name, lines in self.by_module.get(module, {}).items():
                known = names.setdefault(name, [])
                for line in lines:
                    if line not in known:
                        known.append(line)
        return names


def _absent_cell(mech, native):
    if not native:
        return Cell(mech, "na", "not a mechanism of this platform")
    cell = Cell(mech, "missing", "this Python's select module was built without %s" % mech)
    cell.finding = Finding("warning", "missing-in-library",
                           "%s is native here, but this Python's select module lacks it." % mech,
                           _lib.hint("missing-in-library"))
    cell.finding.evidence.append("the interpreter's own select module has no %s" % mech)
    return cell


def _hidden_cell(ctx, mech, entries, removed):
    who = ctx.patchers(removed)
    patchers = sorted(who)
    what = _and(e.where for e in removed)
    verb = "is" if len(removed) == 1 else "are"
    cell = Cell(mech, "hidden", "%s monkey-patching removed %s" % (_who(patchers), what))
    below = ctx.below_of(mech)
    works = beneath_phrase(mech, below)
    if works:
        cell.detail += "; " + works
        summary = "%s, but %s monkey-patching hid it from Python: %s %s gone." % (
            works, _who(patchers), what, verb)
    else:
        summary = "%s monkey-patching removed %s from Python." % (_who(patchers), what)
    hint = _patchers.hidden_hint(patchers, mech, what, ENTRY_ATTR[mech])
    cell.finding = Finding("error", PATCHING_KIND, summary, hint)
    _hidden_evidence(ctx, cell, mech, entries, who, below)
    return cell


ENTRY_ATTR = {m: e[0][1] for m, e in _probe.ENTRIES.items()}


def _hidden_evidence(ctx, cell, mech, entries, who, below):
    ev = cell.finding.evidence
    for e in entries:
        if e.state == _probe.REMOVED:
            ev.append("%s is gone from the running interpreter" % e.where)
        elif e.state == _probe.REPLACED:
            ev.append("%s is replaced by %s" % (e.where, e.owner))
    own = _own_round_trip(ctx, mech)
    if own:
        ev.append(own)
    for name in sorted(who):
        ev.append(_patcher_evidence(name, who[name]))
    if not who:
        loaded = _patchers.loaded()
        ev.append("no known patcher claims it; loaded: %s" % (", ".join(loaded) or "none of "
                                                               + ", ".join(_patchers.KNOWN)))
    line = _beneath_evidence(mech, below)
    if line:
        ev.append(line)
    ev.extend(_dependents(mech))


def _own_round_trip(ctx, mech):
    """The interpreter's own object, from a fresh module, doing a round trip."""
    attr, ref = ENTRY_ATTR[mech], ctx.ref()
    if ref is None or not hasattr(ref, attr) or mech not in _probe._TRIPS:
        return None
    entry = _probe.Entry("select", attr, _probe.REAL, getattr(ref, attr))
    try:
        pipe = _probe.Pipe()
    except OSError as e:
        return "the interpreter's own select.%s could not be tried: %s" % (
            attr, _probe.Outcome().fail("os.pipe()", e).detail)
    try:
        out = _probe.round_trip(entry, mech, True, pipe)
    finally:
        pipe.close()
    if out.status == "ok":
        return "the interpreter's own select.%s (a fresh instance of the module) works" % attr
    return "the interpreter's own select.%s fails too: %s" % (attr, out.detail)


def _dependents(mech):
    """Loaded modules known to need this mechanism from select."""
    out = []
    if mech == "epoll" and any(k == "trio" or k.startswith("trio.") for k in sys.modules):
        out.append("trio was imported here: on Linux it needs select.epoll and fails without it "
                   "(AttributeError: module 'select' has no attribute 'epoll' in older versions "
                   "such as 0.22, NotImplementedError: unsupported platform in newer ones)")
    if "asyncio" in sys.modules and "selectors" in sys.modules:
        default = getattr(sys.modules["selectors"], "DefaultSelector", None)
        if default is not None and mech == "epoll":
            out.append("asyncio's event loops take selectors.DefaultSelector, which is %s.%s here"
                       % (default.__module__, default.__qualname__))
    return out


def _provider(entries):
    for e in entries:
        if e.state == _probe.REPLACED:
            return e.owner
    return "select" if any(e.state == _probe.REAL for e in entries) else None


def _trip_all(ctx, mech, present):
    """Round trips through every present entry; the first bad outcome or
    the last good one, and the waits of all."""
    waits, requested, last = [], 0, None
    try:
        pipe = _probe.Pipe()
    except OSError as e:  # no descriptor left: the cell fails, like a C probe's pipe()
        out = _probe.Outcome().fail("os.pipe()", e)
        out.where = present[0].where
        return out
    try:
        for e in present:
            out = _probe.round_trip(e, mech, ctx.quick, pipe)
            out.where = e.where
            if out.status != "ok":
                return out
            waits.extend(out.waits_us)
            requested = out.requested_us or requested
            last = out
    finally:
        pipe.close()
    last.waits_us, last.requested_us = waits, requested
    return last


def _failed_cell(ctx, mech, out, present):
    """A round trip that went wrong.  A failed call is left to the library
    to judge against the layers beneath (the cell's verdict and finding
    are its); a misbehaviour is the interpreter's own."""
    cell = Cell(mech, "failed", "%s: %s" % (out.where, out.detail), out.errno_name,
                _provider(present))
    if out.status == "failed":
        cell.failure = out.function
        return cell
    cell.verdict = "degraded"
    cell.finding = Finding("error", "event-misbehaved",
                           "%s at python misbehaves: %s." % (mech, out.detail),
                           _lib.hint("event-misbehaved"))
    cell.finding.evidence.append("%s: %s" % (cell.name, cell.detail))
    line = _beneath_evidence(mech, ctx.below_of(mech))
    if line:
        cell.finding.evidence.append(line)
    return cell


def _distorted_cell(mech, out, present):
    detail = "waits of %.1f ms took %.2f to %.2f ms of real time" % (
        out.requested_us / 1000, min(out.waits_us) / 1000, max(out.waits_us) / 1000)
    cell = Cell(mech, "degraded", detail, None, _provider(present))
    cell.finding = Finding("error", "timeout-distorted",
                           "%s at python does not honour timeouts: %s." % (mech, detail),
                           _lib.hint("timeout-distorted"))
    cell.finding.evidence.append("%s: %s" % (cell.name, detail))
    return cell


def _emulated_cell(ctx, mech, present, replaced):
    who = ctx.patchers(replaced)
    patchers = sorted(who) or sorted({_patchers.package_of(e.owner) for e in replaced})
    what = _and("%s (by %s)" % (e.where, e.owner) for e in replaced)
    cell = Cell(mech, "emulated", "replaced by %s monkey-patching: %s" % (_who(patchers), what),
                None, _provider(present))
    works = beneath_phrase(mech, ctx.below_of(mech))
    summary = "%s in Python is served by %s monkey-patching, not by the interpreter: %s." % (
        mech, _who(patchers), what)
    if works:
        summary = "%s; %s." % (summary[:-1], works)
    cell.finding = Finding("warning", PATCHING_KIND, summary,
                           _patchers.emulated_hint(patchers, ENTRY_ATTR[mech]))
    for name in sorted(who):
        cell.finding.evidence.append(_patcher_evidence(name, who[name]))
    return cell


def probe(ctx, mech, native):
    """The python cell of mech."""
    if mech not in _probe.ENTRIES:
        return Cell(mech, "na", _probe.NOT_IN_PYTHON % mech)
    entries = ctx.entries(mech)
    if all(e.state == _probe.ABSENT for e in entries):
        return _absent_cell(mech, native)
    removed = [e for e in entries if e.state == _probe.REMOVED]
    if removed:
        return _hidden_cell(ctx, mech, entries, removed)
    present = [e for e in entries if e.state in (_probe.REAL, _probe.REPLACED)]
    out = _trip_all(ctx, mech, present)
    if out.status != "ok":
        return _failed_cell(ctx, mech, out, present)
    if out.distorted():
        return _distorted_cell(mech, out, present)
    replaced = [e for e in present if e.state == _probe.REPLACED]
    if replaced:
        return _emulated_cell(ctx, mech, present, replaced)
    what = _and(e.where for e in present)
    return Cell(mech, "ok", "round trips on a pipe through %s" % what, None, _provider(present))


def facts(ctx):
    """The "python" key of the report: the interpreter and its patchers."""
    import selectors

    default = getattr(selectors, "DefaultSelector", None)
    served = None
    if default is not None:
        wait, attr = _probe._selector_wait(default, default.__name__)
        served = getattr(wait, "__module__", None) if wait is not None else None
    patchers = {}
    for mod, who in ctx.by_module.items():
        for name in who:
            patchers.setdefault(name, []).append(mod)
    return {
        "implementation": platform.python_implementation(),
        "version": platform.python_version(),
        "executable": sys.executable,
        "default_selector": ("%s.%s" % (default.__module__, default.__qualname__)
                             if default else None),
        "default_selector_waits_with": served,
        "patchers": [{"name": n, "version": _patchers.version_of(n), "modules": sorted(m)}
                     for n, m in sorted(patchers.items())],
        "patchers_loaded": _patchers.loaded(),
    }
