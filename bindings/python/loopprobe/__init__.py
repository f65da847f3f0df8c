# SPDX-License-Identifier: MIT
"""loopprobe for Python: which event-notification mechanisms really work in
this process, and what hid the missing ones.

    import loopprobe

    ok, why = loopprobe.check("epoll@python")  # cheap: for a worker's start
    if not ok:
        log.error("refusing to start: %s", why)
        log.error("%s", loopprobe.run(only="epoll").format("text"))

    report = loopprobe.report()  # the loopprobe/1 report as a dict

The C layers (syscall, api, libuv, libev, libevent) are libloopprobe's,
loaded with ctypes (see loopprobe._lib for where it is looked for).  The
python layer is probed here, inside the running interpreter, where
monkey-patching happens: see loopprobe._probe.
"""

import ctypes
import json

from . import _layer
from . import _lib
from . import _probe
from ._lib import LibraryNotFound

__all__ = ["check", "report", "run", "Report", "LibraryNotFound", "library_path", "__version__"]
__version__ = "0.1.0"

_ERR_LEN = 1024


def _formats():
    """{name: enum value} of the library's report formats."""
    return {name: i for i, name in enumerate(_lib.names("lp_format_name"))}


_FROM_LIBRARY = {
    "DEFAULT_TIMEOUT_MS": lambda: _lib.constant("default_timeout_ms"),
    "MAX_TIMEOUT_MS": lambda: _lib.constant("max_timeout_ms"),
    "WRITE_COLOR": lambda: _lib.constant("write_color"),
    "FORMATS": _formats,
}


def __getattr__(name):
    """DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, WRITE_COLOR and FORMATS are the
    library's own, read from it when first asked for (import stays cheap
    and works before libloopprobe is found)."""
    if name in _FROM_LIBRARY:
        return _FROM_LIBRARY[name]()
    raise AttributeError("module %r has no attribute %r" % (__name__, name))


def library_path():
    """The libloopprobe this binding uses, as the loader names it."""
    return _lib.path()


# --- SPEC -------------------------------------------------------------------


def _validate(spec, what="SPEC"):
    if not isinstance(spec, str):
        raise TypeError("%s must be a str, not %s" % (what, type(spec).__name__))
    err = ctypes.create_string_buffer(_ERR_LEN)
    if _lib.lib().lp_spec_validate(spec.encode(), err, _ERR_LEN) < 0:
        raise ValueError(err.value.decode(errors="replace"))


def _items(spec):
    """[(mechanism, layer or None)] of a SPEC already validated."""
    out = []
    for raw in spec.split(","):
        mech, _, layer = raw.strip(" \t").partition("@")
        out.append((mech, layer or None))
    return out


def _mechanisms():
    return _lib.names("lp_mechanism_name")


def _native(mech):
    return _lib.native(mech)


def _python_wanted(items):
    """{mechanism: named} for the python cells items select: named is True
    for MECHANISM@python, False for a bare MECHANISM."""
    wanted = {}
    for mech, layer in items:
        if layer == "python":
            wanted[mech] = True
        elif layer is None:
            wanted.setdefault(mech, False)
    return wanted


# --- check ------------------------------------------------------------------


def _c_check(spec):
    why = ctypes.create_string_buffer(_ERR_LEN)
    rc = _lib.lib().lp_check(spec.encode(), why, _ERR_LEN)
    return rc, why.value.decode(errors="replace")


class _Beneath:
    """The C layers beneath the python cells, read from a C report: a full
    run's own (not ours to free), or - for check() - an isolated run of
    MECH@syscall and MECH@api made the first time a python cell of MECH is
    not ok, and freed by close()."""

    def __init__(self, handle=None, timeout_ms=None):
        self._handle = handle
        self._timeout_ms = timeout_ms
        self._own = {}

    def handle(self, mech):
        if self._handle is not None:
            return self._handle
        if mech not in self._own:
            timeout = self._timeout_ms or _lib.constant("default_timeout_ms")
            self._own[mech] = _c_run("%s@syscall,%s@api" % (mech, mech), None, timeout)
        return self._own[mech]

    def verdicts(self, mech):
        """{"syscall": verdict, "api": verdict}; a cell the report does not
        hold reads as skipped, and is left out."""
        L, h = _lib.lib(), self.handle(mech)
        mechs, layers = _mechanisms(), _lib.names("lp_layer_name")
        names = _lib.names("lp_verdict_name")
        below = {}
        for layer in ("syscall", "api"):
            v = names[L.lp_report_verdict(h, mechs.index(mech), layers.index(layer))]
            if v != "skipped":
                below[layer] = v
        return below

    def judge(self, cell):
        """The library judges a python cell whose call failed, against the
        layers beneath: sets cell.verdict, adds the cell and its finding to
        the report, and returns the finding's summary."""
        L, h = _lib.lib(), self.handle(cell.mech)
        verdict, summary = ctypes.c_int(), ctypes.c_char_p()
        i = L.lp_report_judge_failure(h, _mechanisms().index(cell.mech),
                                      _lib.names("lp_layer_name").index("python"),
                                      cell.failure.encode(), _lib.enc(cell.errno_name),
                                      cell.detail.encode(), _lib.enc(cell.provider),
                                      cell.elapsed_us, ctypes.byref(verdict))
        if i < 0 or L.lp_report_finding(h, i, None, None, ctypes.byref(summary), None) < 0:
            raise MemoryError("lp_report_judge_failure() failed")
        cell.verdict = _lib.names("lp_verdict_name")[verdict.value]
        return summary.value.decode("utf-8", errors="replace")

    def close(self):
        for h in self._own.values():
            _lib.lib().lp_report_free(h)
        self._own = {}


def check(spec):
    """Checks every cell SPEC names, in this process, quickly.

    Returns (True, "") when every named cell gives a full round trip, or
    (False, why) with a one-line reason naming the first cell that does
    not, its verdict and the cause.  The python cells are probed here; the
    others by lp_check() - in-process, no fork, no output, no timed waits.
    Raises ValueError for a malformed SPEC, LibraryNotFound when
    libloopprobe cannot be loaded.
    """
    _validate(spec)
    items = _items(spec)
    c_part = ["%s@%s" % (m, l) if l else m for m, l in items if l != "python"]
    if c_part:
        rc, why = _c_check(",".join(c_part))
        if rc != 0:
            return False, why
    wanted = _python_wanted(items)
    if not wanted:
        return True, ""
    beneath = _Beneath()
    try:
        return _check_python(_layer.Context(quick=True, beneath=beneath), wanted)
    finally:
        beneath.close()


def _check_python(ctx, wanted):
    for mech in _mechanisms():
        if mech not in wanted:
            continue
        cell = _layer.probe(ctx, mech, _native(mech))
        if cell.verdict == "ok" or (not wanted[mech] and cell.verdict in ("na", "skipped")):
            continue
        if cell.failure is not None:
            summary = ctx.beneath.judge(cell)
            return False, "%s: %s: %s" % (cell.name, cell.verdict, summary)
        return False, "%s: %s: %s" % (cell.name, cell.verdict, cell.detail)
    return True, ""


# --- the full run -------------------------------------------------------------


class Report:
    """A loopprobe/1 report with the python layer: the C report object
    (released by close(), or when this object goes away) and the facts
    about the interpreter."""

    def __init__(self, handle, python_facts):
        self._handle = handle
        self.python = python_facts

    def _h(self):
        if not self._handle:
            raise ValueError("the report is closed")
        return self._handle

    @property
    def exit_code(self):
        """0 nothing wrong (or every required cell ok), 1 an error finding
        (or a required cell not ok), 3 a probe could not be started."""
        return _lib.lib().lp_report_exit_code(self._h())

    def _c_format(self, fmt, color=False):
        n = ctypes.c_size_t(0)
        p = _lib.lib().lp_report_format(self._h(), _formats()[fmt],
                                        _lib.constant("write_color") if color else 0,
                                        ctypes.byref(n))
        if not p:
            raise MemoryError("lp_report_format() ran out of memory")
        try:
            return ctypes.string_at(p, n.value).decode("utf-8", errors="replace")
        finally:
            _lib.lib().lp_free(p)

    def as_dict(self):
        """The report as a dict: the library's loopprobe/1 document, with a
        "python" key after "libraries"."""
        doc = json.loads(self._c_format("json"))
        out = {}
        for key, value in doc.items():
            out[key] = value
            if key == "libraries":
                out["python"] = self.python
        out.setdefault("python", self.python)
        return out

    def format(self, fmt="text", color=False):
        """The report as text, json, markdown or summary (the text report's
        last line alone): the command's formats."""
        if fmt not in _formats():
            raise ValueError("unknown format %r (use %s)" % (fmt, ", ".join(_formats())))
        if fmt == "json":
            return json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n"
        return self._c_format(fmt, color)

    def close(self):
        if self._handle:
            _lib.lib().lp_report_free(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown
            pass


def _c_only(only, wanted):
    """The C run's only: the python cells bring their layers beneath."""
    if only is None:
        return None
    extra = ["%s@syscall,%s@api" % (m, m) for m in wanted]
    return ",".join([only] + extra)


def _c_run(only, require, timeout_ms):
    out = ctypes.c_void_p()
    err = ctypes.create_string_buffer(_ERR_LEN)
    rc = _lib.lib().lp_run_spec(_lib.enc(only), _lib.enc(require), timeout_ms, 1,
                                ctypes.byref(out), err, _ERR_LEN)
    if rc != 0:
        raise RuntimeError("lp_run: %s" % err.value.decode(errors="replace"))
    return out.value


def _probe_cell(ctx, mech, timeout_ms):
    L = _lib.lib()
    t0 = L.lp_monotonic_ns()
    done, cell = _probe.run_with_deadline(lambda: _layer.probe(ctx, mech, _native(mech)),
                                          timeout_ms / 1000.0)
    if not done:
        cell = _layer.Cell(mech, "timeout", "no answer within %d ms" % timeout_ms)
        cell.finding = _layer.Finding(
            "error", "probe-timeout",
            "%s at python hangs: the round trip did not return before its watchdog." % mech,
            _lib.hint("probe-timeout"))
        cell.finding.evidence.append("%s: %s" % (cell.name, cell.detail))
    cell.elapsed_us = (L.lp_monotonic_ns() - t0) // 1000
    return cell


def _add_cell(ctx, handle, cell, mechs):
    if cell.failure is not None:
        ctx.beneath.judge(cell)
        return
    L = _lib.lib()
    m = mechs.index(cell.mech)
    python = _lib.names("lp_layer_name").index("python")
    verdict = _lib.names("lp_verdict_name").index(cell.verdict)
    if L.lp_report_set_cell(handle, m, python, verdict, cell.detail.encode(),
                            _lib.enc(cell.errno_name), _lib.enc(cell.provider),
                            cell.elapsed_us) < 0:
        raise MemoryError("lp_report_set_cell() failed")
    f = cell.finding
    if f is None:
        return
    i = L.lp_report_add_finding_for(handle, _lib.names("lp_severity_name").index(f.severity),
                                    _lib.names("lp_finding_kind_name").index(f.kind), m, python,
                                    f.summary.encode(), f.hint.encode())
    if i < 0 or L.lp_report_finding_add_cell(handle, i, cell.name.encode()) < 0:
        raise MemoryError("lp_report_add_finding_for() failed")
    for line in f.evidence:
        if L.lp_report_finding_add_evidence(handle, i, line.encode()) < 0:
            raise MemoryError("lp_report_finding_add_evidence() failed")


def run(only=None, require=None, timeout_ms=None):
    """Runs the probes (the C layers isolated, each in its own child process
    under a watchdog; the python layer here, each cell under a watchdog
    thread) and returns a Report.  only and require are SPECs or None, as
    for the command; a python cell brings its mechanism's syscall and api
    cells with it, since its findings are explained against them.
    Raises ValueError for a bad SPEC or timeout, LibraryNotFound when
    libloopprobe cannot be loaded, RuntimeError when the run fails.
    """
    for value, what in ((only, "only"), (require, "require")):
        if value is not None:
            _validate(value, what)
    if timeout_ms is None:
        timeout_ms = _lib.constant("default_timeout_ms")
    most = _lib.constant("max_timeout_ms")
    if not isinstance(timeout_ms, int) or not 1 <= timeout_ms <= most:
        raise ValueError("timeout_ms %r is out of range (1 to %d)" % (timeout_ms, most))
    mechs = _mechanisms()
    wanted = _python_wanted(_items(only)) if only is not None else dict.fromkeys(mechs, False)
    if require is not None:
        wanted.update({m: n for m, n in _python_wanted(_items(require)).items() if m not in wanted})
    handle = _c_run(_c_only(only, wanted), require, timeout_ms)
    try:
        ctx = _layer.Context(quick=False, beneath=_Beneath(handle))
        for mech in mechs:
            if mech in wanted:
                cell = _probe_cell(ctx, mech, timeout_ms)
            else:
                cell = _layer.Cell(mech, "skipped", "not requested")
            _add_cell(ctx, handle, cell, mechs)
        return Report(handle, _layer.facts(ctx))
    except BaseException:
        _lib.lib().lp_report_free(handle)
        raise


def report(only=None, require=None, timeout_ms=None):
    """The loopprobe/1 report as a dict, with the python layer: cells with
    layer "python", their findings, and a "python" key describing the
    interpreter and the patchers found.  Arguments as for run()."""
    with run(only, require, timeout_ms) as r:
        return r.as_dict()
