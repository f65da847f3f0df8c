# SPDX-License-Identifier: MIT
"""The python cell, probed in a child of this interpreter when probing it
here could harm the process that asked.

The python layer is meant to be seen from inside the running interpreter,
with whatever patched its modules, so a cell is probed here whenever that
is safe.  It is not when the library's own check would isolate itself
(lp_check_isolates() for MECHANISM@api, whose C library functions the
select module calls too): a seccomp filter on the thread, which may kill
on a call it refuses; a wrapper serving one of those functions, which may
hang or crash.  Nor when an entry is replaced by other code (a patcher's
green select), which may never return.  Then the interpreter forks - the
child has every module as it was, patched or not - and the child probes
the cell and writes it back; lp_child_collect() waits for it under a
watchdog with raw system calls, and kills it when it overruns.  A child
that died or was killed is judged by the library (lp_report_judge_end()):
a SIGSYS joins the seccomp filter's finding beneath.

Traps: the child must never return into the caller's code (os._exit in a
finally), never flush the parent's buffers, and write nothing on the
parent's standard output or error: both are pointed at an anonymous file
whose content is evidence.  The descriptor calls are posix's own (eventlet
patches os.read and os.write), and fork() is posix's too: a patcher's
fork may wait on its hub.  Python 3.12 warns about fork() in a process
with threads; the child runs nothing but the probe, so the warning is not
printed.
"""

import ctypes
import errno
import json
import os
import sys
import tempfile
import warnings

from . import _layer
from . import _lib
from . import _probe

_raw = _probe._raw
_ANSWER_MAX = 1 << 20


def hazard(ctx, mech):
    """Why probing mech here could harm this process, or None."""
    if not hasattr(_raw, "fork"):
        return None
    why = ctypes.create_string_buffer(1024)
    if _lib.lib().lp_check_isolates(("%s@api" % mech).encode(), why, len(why)) == 1:
        return why.value.decode("utf-8", errors="replace")
    if mech in _probe.ENTRIES:
        for e in ctx.entries(mech):
            if e.state == _probe.REPLACED:
                return "%s is %s's code, which may not return" % (e.where, e.owner)
    return None


def _output_file():
    """A file for what the child writes: anonymous where the system has
    them."""
    if hasattr(os, "memfd_create"):
        try:
            return os.memfd_create("loopprobe-python-probe", os.MFD_CLOEXEC)
        except OSError:
            pass
    f = tempfile.TemporaryFile()
    fd = _raw.dup(f.fileno())
    f.close()
    return fd


def _read_output(fd):
    try:
        _raw.lseek(fd, 0, 0)
        data = _raw.read(fd, 4096)
    except OSError:
        data = b""
    finally:
        _raw.close(fd)
    return data.decode("utf-8", errors="replace").strip()


def _write_all(fd, data):
    while data:
        n = _raw.write(fd, data)
        data = data[n:]


def _as_dict(cell):
    f = cell.finding
    return {
        "verdict": cell.verdict, "detail": cell.detail, "errno_name": cell.errno_name,
        "provider": cell.provider, "failure": cell.failure,
        "finding": None if f is None else {
            "severity": f.severity, "kind": f.kind, "summary": f.summary, "hint": f.hint,
            "evidence": f.evidence},
    }


def _from_dict(mech, d):
    cell = _layer.Cell(mech, d["verdict"], d["detail"], d["errno_name"], d["provider"])
    cell.failure = d["failure"]
    f = d["finding"]
    if f is not None:
        cell.finding = _layer.Finding(f["severity"], f["kind"], f["summary"], f["hint"])
        cell.finding.evidence = list(f["evidence"])
    return cell


def _child(ctx, mech, native, wr, out):
    """The child's whole life: probe, write the cell back, exit."""
    code = 2
    try:
        try:
            _raw.setpgid(0, 0)
        except OSError:
            pass
        _raw.dup2(out, 1)
        _raw.dup2(out, 2)
        ctx.step = lambda where: _write_all(wr, ("step %s\n" % where).encode())
        cell = _layer.probe(ctx, mech, native)
        _write_all(wr, ("cell %s\n" % json.dumps(_as_dict(cell))).encode())
        code = 0
    except BaseException:  # a traceback in the output file is evidence
        try:
            import traceback
            traceback.print_exc(file=sys.__stderr__)
        except BaseException:
            pass
    finally:
        _raw._exit(code)


def _answer(text):
    """(the last step the child named, its cell as a dict or None)."""
    step, cell = None, None
    for line in text.splitlines():
        kind, _, rest = line.partition(" ")
        if kind == "step":
            step = rest
        elif kind == "cell":
            cell = json.loads(rest)
    return step, cell


def probe(ctx, mech, native, timeout_ms):
    """The python cell of mech, probed in a child under a watchdog of
    timeout_ms.  A cell the child did not answer for has .end set:
    (step, signal, timeout_ms, output) for lp_report_judge_end()."""
    L = _lib.lib()
    out = _output_file()
    rd, wr = _raw.pipe()
    t0 = L.lp_monotonic_ns()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pid = _raw.fork()
    except OSError as e:
        for fd in (rd, wr, out):
            _raw.close(fd)
        return _layer.Cell(mech, "failed", "could not start the probe: fork() failed with %s"
                           % errno.errorcode.get(e.errno, str(e)))
    if pid == 0:
        _raw.close(rd)
        _child(ctx, mech, native, wr, out)
    _raw.close(wr)
    buf = ctypes.create_string_buffer(_ANSWER_MAX)
    status = ctypes.c_int(0)
    killed = L.lp_child_collect(pid, rd, timeout_ms, buf, len(buf), ctypes.byref(status))
    _raw.close(rd)
    output = _read_output(out)
    step, answer = _answer(buf.value.decode("utf-8", errors="replace"))
    where = step or "its first step"
    if killed == 1:
        cell = _layer.Cell(mech, "timeout", "no answer within %d ms" % timeout_ms)
        cell.end = (where, 0, timeout_ms, output)
    elif os.WIFSIGNALED(status.value):
        cell = _layer.Cell(mech, "crashed", "the probe died from signal %d"
                           % os.WTERMSIG(status.value))
        cell.end = (where, os.WTERMSIG(status.value), timeout_ms, output)
    elif answer is not None:
        cell = _from_dict(mech, answer)
    else:
        cell = _no_answer(mech, status.value, where, output)
    cell.elapsed_us = (L.lp_monotonic_ns() - t0) // 1000
    return cell


def _no_answer(mech, status, where, output):
    """A child that exited without writing its cell back."""
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1
    cell = _layer.Cell(mech, "failed", "the probe exited with status %d without a result, in %s"
                       % (code, where))
    cell.finding = _layer.Finding("error", "probe-failed",
                                  "%s at python fails: the probe exited with status %d without a "
                                  "result." % (mech, code), _lib.hint("probe-failed"))
    cell.finding.evidence.append("%s: %s" % (cell.name, cell.detail))
    if output:
        cell.finding.evidence.append("the %s probe wrote: %s" % (cell.name, output))
    return cell
