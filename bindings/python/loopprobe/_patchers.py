# SPDX-License-Identifier: MIT
"""Monkey-patchers: who changed select and selectors, read from the module
objects and from sys.modules, and what to do about it.

Nothing here imports a patcher.  A replaced object names its module
(``eventlet.green.select``); a patcher that is loaded is asked through its
own bookkeeping (``eventlet.patcher.is_monkey_patched``,
``gevent.monkey.is_module_patched``), which is how a removal - that leaves
no object behind - is attributed.
"""

import sys
import types

KNOWN = ("eventlet", "gevent")


def package_of(module_name):
    return (module_name or "").split(".")[0]


def version_of(name):
    mod = sys.modules.get(name)
    return getattr(mod, "__version__", None) if mod else None


def label(name):
    version = version_of(name)
    return "%s %s" % (name, version) if version else name


def _eventlet_says(module):
    patcher = sys.modules.get("eventlet.patcher")
    if patcher is None:
        return None
    try:  # eventlet patches selectors as part of select
        hit = patcher.is_monkey_patched("select")
    except Exception:
        return None
    return "eventlet.patcher.is_monkey_patched('select') is True" if hit else None


def _gevent_says(module):
    monkey = sys.modules.get("gevent.monkey")
    if monkey is None:
        return None
    try:
        hit = monkey.is_module_patched(module)
    except Exception:
        return None
    return "gevent.monkey.is_module_patched(%r) is True" % module if hit else None


_SAYS = {"eventlet": _eventlet_says, "gevent": _gevent_says}


def confirmed(module):
    """{patcher: evidence} for the known patchers whose own bookkeeping says
    they patched module ("select" or "selectors")."""
    out = {}
    for name, says in _SAYS.items():
        line = says(module)
        if line:
            out[name] = line
    return out


def loaded():
    """The known patchers that are imported (not necessarily patching)."""
    return [name for name in KNOWN if name in sys.modules]


def saved_select():
    """The select module as a known patcher saved it before patching, or
    None.  Used only when this interpreter cannot make a fresh instance."""
    original = sys.modules.get("__original_module_select")  # eventlet.patcher.original()
    if original is not None:
        return original
    monkey = sys.modules.get("gevent.monkey")
    saved = getattr(monkey, "saved", {}).get("select") if monkey else None
    if not saved or "select" not in sys.modules:
        return None
    ns = types.SimpleNamespace(**vars(sys.modules["select"]))
    vars(ns).update(saved)
    return ns


_WORKER = ("under gunicorn, a worker class that does not patch (--worker-class gthread) "
           "avoids it")

_HIDDEN_HINTS = {
    "eventlet": (
        "eventlet removes {what} on purpose. If the program needs {mech}, call "
        "eventlet.monkey_patch(select=False) (select and selectors stay the interpreter's), "
        "or import what needs {mech} before monkey_patch(){eventlet_trio}; " + _WORKER + ". "
        "eventlet.patcher.original('select') still reaches the real module."),
    "gevent": (
        "gevent removes {what} on purpose. gevent.monkey.patch_all(aggressive=False) keeps "
        "them (select.select and select.poll stay green), and patch_all(select=False) leaves "
        "select and selectors alone; " + _WORKER + ".{gevent_trio} "
        "gevent.monkey.get_original('select', '{attr}') still reaches the real one."),
}

# What was verified about trio 0.22, which needs select.epoll on Linux.
_TRIO = {
    "eventlet_trio": (" (trio imported first keeps the select.epoll it found; select=False is "
                      "not enough for trio, which also needs the sendmsg that eventlet's green "
                      "socket lacks)"),
    "gevent_trio": " Importing trio before patching does not help: trio then fails inside "
                   "trio.run().",
}

_EMULATED_HINTS = {
    "eventlet": ("Nothing is broken: the calls cooperate with eventlet's hub. "
                 "eventlet.patcher.original('select') reaches the interpreter's own module."),
    "gevent": ("Nothing is broken: the calls cooperate with gevent's hub. "
               "gevent.monkey.get_original('select', '{attr}') reaches the interpreter's own one."),
}


def hidden_hint(patchers, mech, what, attr):
    for name in patchers:
        if name in _HIDDEN_HINTS:
            trio = _TRIO if mech == "epoll" else dict.fromkeys(_TRIO, "")
            return _HIDDEN_HINTS[name].format(mech=mech, what=what, attr=attr, **trio)
    return ("Find the code that modifies the select module at run time (the evidence names what "
            "it replaced, or which patchers are loaded) and keep it from removing {what}, or "
            "import what needs {mech} before it runs; {worker}.").format(
                what=what, mech=mech, worker=_WORKER)


def emulated_hint(patchers, attr):
    for name in patchers:
        if name in _EMULATED_HINTS:
            return _EMULATED_HINTS[name].format(attr=attr)
    return ("Nothing is broken if the replacement is meant to be there; otherwise find the "
            "module named in the evidence and stop it from patching select.")
