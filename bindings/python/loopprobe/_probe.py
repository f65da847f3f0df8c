# SPDX-License-Identifier: MIT
"""The python layer: each mechanism as this interpreter's select and
selectors modules offer it.

For every mechanism two entries are looked at: the object in ``select``
(``select.epoll``) and the class in ``selectors`` (``EpollSelector``).  Each
is judged from the module objects themselves:

- real: the interpreter's own object (a built-in of the select module, or
  the standard selector class over one);
- removed: gone, although a fresh instance of the interpreter's own select
  module - which no patcher has touched - still has it;
- replaced: present, but defined by another module (``eventlet.green``,
  ``gevent.select``);
- absent: this interpreter never had it.

Every entry that is present then does a real round trip on a pipe: it is
registered, reports nothing before data, reports the pipe readable after a
write, and (in a full run) an empty wait lasts about as long as asked.
Nothing here imports a patcher: what is known about one is read from the
module objects and from ``sys.modules``.
"""

import errno
import functools
import importlib.machinery
import importlib.util
import inspect
import os
import sys
import threading
import types

from . import _lib
from . import _patchers

# A timed empty wait of a full run.  Longer than the C probes' (the
# library's wait_ms): a wait through the interpreter carries its own
# overhead, and the library's 80% rule needs room above it.  Whether waits
# kept time is the library's rule (lp_waits_distorted), as is the longest
# wait for an event that must come at once (event_wait_max_ms).
WAIT_S = 0.010

# Each mechanism's entries: (module, attribute).
ENTRIES = {
    "epoll": (("select", "epoll"), ("selectors", "EpollSelector")),
    "poll": (("select", "poll"), ("selectors", "PollSelector")),
    "select": (("select", "select"), ("selectors", "SelectSelector")),
    "kqueue": (("select", "kqueue"), ("selectors", "KqueueSelector")),
    "devpoll": (("select", "devpoll"), ("selectors", "DevpollSelector")),
}
NOT_IN_PYTHON = "Python's select and selectors modules do not offer %s"

REAL, REMOVED, REPLACED, ABSENT = "real", "removed", "replaced", "absent"


class Entry:
    """One (module, attribute) as the running interpreter has it."""

    def __init__(self, module, name, state, obj=None, owner=None):
        self.module = module
        self.name = name
        self.state = state
        self.obj = obj
        self.owner = owner  # the module that defines a replacement

    @property
    def where(self):
        return "%s.%s" % (self.module, self.name)


class Outcome:
    """What one round trip saw."""

    def __init__(self):
        self.status = "ok"  # ok, failed, misbehaved
        self.call = ""
        self.function = ""  # the function of the failed call ("select.epoll")
        self.errno_name = None
        self.detail = ""
        self.waits_us = []
        self.requested_us = 0

    def fail(self, call, exc):
        self.status = "failed"
        self.call = call
        self.function = call.split("(", 1)[0]
        err = getattr(exc, "errno", None)
        self.errno_name = errno.errorcode.get(err) if isinstance(err, int) else None
        if self.errno_name:
            self.detail = "%s failed with %s (errno %d)" % (call, self.errno_name, err)
        else:
            self.detail = "%s raised %s: %s" % (call, type(exc).__name__, exc)
        return self

    def misbehave(self, text):
        self.status = "misbehaved"
        self.detail = text
        return self

    def distorted(self):
        """The library's rule for timed waits (lp_waits_distorted)."""
        if not self.waits_us:
            return False
        return bool(_lib.lib().lp_waits_distorted(self.requested_us, min(self.waits_us), 0))


# --- what the interpreter has ---------------------------------------------


def _own_select_spec():
    """The spec of the interpreter's own select module, wherever the name
    select points in sys.modules now."""
    spec = importlib.machinery.BuiltinImporter.find_spec("select")
    return spec or importlib.machinery.PathFinder.find_spec("select")


def pristine_select():
    """A new instance of the interpreter's own select module, untouched by
    any patcher, or None when this interpreter cannot make one."""
    try:
        spec = _own_select_spec()
        mod = importlib.util.module_from_spec(spec)
        if mod is sys.modules.get("select"):
            return None  # a single-phase module: the same, patched, object
        spec.loader.exec_module(mod)
        return mod
    except Exception:  # an exotic interpreter: fall back to the patchers' copies
        return None


def reference_select():
    """What the select module held before any patching: a fresh instance,
    else the originals a known patcher saved, else None."""
    return pristine_select() or _patchers.saved_select()


@functools.lru_cache(maxsize=64)
def _python_defined(cls):
    """cls has methods written in Python (classes do not change often
    enough for this to be asked again)."""
    return any(isinstance(v, types.FunctionType) for v in vars(cls).values())


def _is_own(obj, name):
    """obj is the interpreter's own select.<name>: a built-in function of
    the select module, or a class the module defines in C."""
    if getattr(obj, "__module__", None) != "select":
        return False
    if isinstance(obj, types.BuiltinFunctionType):
        return obj.__name__ == name
    return isinstance(obj, type) and obj.__qualname__ == name and not _python_defined(obj)


def _owner_of(obj):
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    return getattr(obj, "__module__", None) or type(obj).__module__


def _selector_wait(cls, name):
    """(what a selectors class waits with, its select attribute name)."""
    if name == "SelectSelector":
        wait = inspect.getattr_static(cls, "_select", None)
        if isinstance(wait, staticmethod):
            wait = wait.__func__
        if isinstance(wait, types.FunctionType) and wait.__module__ == "selectors":
            wait = getattr(wait.__globals__.get("select"), "select", None)  # Windows
        return wait, "select"
    if name == "KqueueSelector":
        return getattr(sys.modules["selectors"].__dict__.get("select"), "kqueue", None), "kqueue"
    return getattr(cls, "_selector_cls", None), name[: -len("Selector")].lower()


def _judge_select_attr(name, ref_of):
    obj = getattr(sys.modules.get("select"), name, None)
    if obj is None:
        ref = ref_of()
        return Entry("select", name, REMOVED if ref is not None and hasattr(ref, name) else ABSENT)
    if _is_own(obj, name):
        return Entry("select", name, REAL, obj)
    return Entry("select", name, REPLACED, obj, owner=_owner_of(obj))


def _judge_selector(name, ref_of, mech):
    cls = getattr(sys.modules.get("selectors"), name, None)
    if cls is None:
        ref = ref_of()
        had = ref is not None and hasattr(ref, mech)
        return Entry("selectors", name, REMOVED if had else ABSENT)
    if getattr(cls, "__module__", None) != "selectors":
        return Entry("selectors", name, REPLACED, cls, owner=cls.__module__)
    wait, attr = _selector_wait(cls, name)
    if wait is None or _is_own(wait, attr):
        return Entry("selectors", name, REAL, cls)
    return Entry("selectors", name, REPLACED, cls, owner=_owner_of(wait))


def entries(mech, ref_of):
    """The two entries of mech; ref_of() gives what the select module held
    before any patching (see reference_select), asked only when something
    is missing."""
    import selectors  # noqa: F401 - make sure sys.modules has it

    (_, attr), (_, cls) = ENTRIES[mech]
    return [_judge_select_attr(attr, ref_of), _judge_selector(cls, ref_of, attr)]


def constant(name, default):
    """A constant of the select module (patchers keep them)."""
    return getattr(sys.modules.get("select"), name, default)


# --- round trips --------------------------------------------------------------


# The interpreter's own descriptor calls: eventlet patches os.read and
# os.write with green versions that wait on the hub instead of failing with
# EAGAIN, and loopprobe's machinery must not depend on what it probes.
_raw = sys.modules.get("posix") or sys.modules.get("nt") or os


class Pipe:
    """The pipe round trips register; one serves every entry of a cell."""

    def __init__(self):
        self.rd, self.wr = _raw.pipe()
        os.set_blocking(self.rd, False)

    def poke(self):
        _raw.write(self.wr, b"x")

    def drain(self):
        try:
            while _raw.read(self.rd, 64):
                pass
        except BlockingIOError:
            pass

    def close(self):
        _raw.close(self.rd)
        _raw.close(self.wr)


def _timed(out, wait, requested_s):
    """A timed empty wait: returns what it returned."""
    t0 = _lib.lib().lp_monotonic_ns()
    got = wait(requested_s)
    out.waits_us.append((_lib.lib().lp_monotonic_ns() - t0) // 1000)
    out.requested_us = int(requested_s * 1e6)
    return got


def _trip(out, quick, call, setup, wait, ready, pipe):
    """setup() registers the pipe; wait(timeout_s) returns what is ready;
    ready(result) says whether that is exactly the pipe."""
    step = call
    try:
        setup()
        step = "the zero-timeout wait"
        if wait(0):
            return out.misbehave("%s reported an event before any data was written" % call)
        step = "the timed wait"
        if not quick and _timed(out, wait, WAIT_S):  # quick: the zero-timeout wait suffices
            return out.misbehave("%s reported an event before any data was written" % call)
        step = "write"
        pipe.poke()
        step = "the wait for the event"
        got = wait(_lib.constant("event_wait_max_ms") / 1000.0)
        if not ready(got):
            return out.misbehave("%s returned %r after a write, expected the pipe readable"
                                 % (call, got))
        return out
    except Exception as e:  # a patched module may raise anything
        return out.fail("%s (%s)" % (call, step) if step != call else call, e)


def _trip_epoll(cls, pipe, quick):
    out, box = Outcome(), {}
    flag = constant("EPOLLIN", 1)

    def setup():
        box["ep"] = cls()
        box["ep"].register(pipe.rd, flag)

    try:
        return _trip(out, quick, "select.epoll()", setup, lambda t: box["ep"].poll(t),
                     lambda got: [fd for fd, ev in got] == [pipe.rd] and got[0][1] & flag, pipe)
    finally:
        if "ep" in box:
            box["ep"].close()


def _trip_poll(factory, pipe, quick):
    out, box = Outcome(), {}
    flag = constant("POLLIN", 1)

    def setup():
        box["p"] = factory()
        box["p"].register(pipe.rd, flag)

    def wait(t):
        return box["p"].poll(int(t * 1000))

    return _trip(out, quick, "select.poll()", setup, wait,
                 lambda got: [fd for fd, ev in got] == [pipe.rd] and got[0][1] & flag, pipe)


def _trip_select(fn, pipe, quick):
    def wait(t):
        r, w, x = fn([pipe.rd], [], [], t)
        return r + w + x

    return _trip(Outcome(), quick, "select.select()", lambda: None, wait,
                 lambda got: got == [pipe.rd], pipe)


def _trip_selector(cls, pipe, quick):
    import selectors

    out, box, cookie = Outcome(), {}, object()
    name = "selectors.%s()" % cls.__name__

    def setup():
        box["s"] = cls()
        box["s"].register(pipe.rd, selectors.EVENT_READ, cookie)

    def ready(got):
        return len(got) == 1 and got[0][0].fd == pipe.rd and got[0][0].data is cookie and \
            got[0][1] == selectors.EVENT_READ

    try:
        return _trip(out, quick, name, setup, lambda t: box["s"].select(t), ready, pipe)
    finally:
        if "s" in box:
            box["s"].close()


_TRIPS = {"epoll": _trip_epoll, "poll": _trip_poll, "select": _trip_select}


def round_trip(entry, mech, quick, pipe):
    """A round trip through entry on pipe, which it leaves empty."""
    try:
        if entry.module == "selectors":
            return _trip_selector(entry.obj, pipe, quick)
        if mech in _TRIPS:
            return _TRIPS[mech](entry.obj, pipe, quick)
        out = Outcome()
        out.detail = "present; the round trip goes through its selectors class"
        return out
    finally:
        pipe.drain()


def run_with_deadline(fn, timeout_s):
    """fn() in a daemon thread; (True, result) or (False, None) when it did
    not return in time (the thread is left behind, as a hung C probe's
    child would be killed)."""
    box = {}

    def target():
        try:
            box["r"] = fn()
        except BaseException as e:  # reported, never raised into the caller's thread
            box["e"] = e

    t = threading.Thread(target=target, name="loopprobe-python-probe", daemon=True)
    t.start()
    t.join(timeout_s)
    if t.is_alive():
        return False, None
    if "e" in box:
        raise box["e"]
    return True, box["r"]
