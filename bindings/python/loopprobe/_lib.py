# SPDX-License-Identifier: MIT
"""ctypes access to libloopprobe: finding it, declaring its functions.

The library is looked for, in order:

1. the file named by the LOOPPROBE_LIBRARY environment variable (and only
   that file: a name set on purpose that does not load is an error);
2. the build tree, when this package is the copy CMake puts there
   (``_build_config.py`` then names the library it built);
3. where ``make install`` put the library, when this package was installed
   with it (``_install_config.py`` names the installed file, so that
   /usr/local/lib needs no ldconfig);
4. the system: the library's soname through the dynamic loader's usual
   search (LD_LIBRARY_PATH, the loader cache), then
   ctypes.util.find_library().
"""

import ctypes
import ctypes.util
import importlib
import os
import sys
import threading

ENV_VAR = "LOOPPROBE_LIBRARY"


class LibraryNotFound(OSError):
    """libloopprobe could not be loaded; the message says where it looked."""


def _system_names():
    if sys.platform == "darwin":
        return ["libloopprobe.0.dylib", "libloopprobe.dylib"]
    if sys.platform == "win32":
        return ["loopprobe.dll", "libloopprobe.dll"]
    return ["libloopprobe.so.0", "libloopprobe.so"]


def _candidates():
    """(path or name, where it came from) in search order."""
    found = []
    # _build_config only in the build tree's copy, _install_config only in
    # a copy make install put beside the library.
    for module, origin in (("_build_config", "the build tree"),
                           ("_install_config", "where make install put it")):
        try:
            config = importlib.import_module("." + module, __package__)
        except ImportError:
            continue
        found.append((config.LIBRARY, origin))
    found.extend((name, "the system") for name in _system_names())
    name = ctypes.util.find_library("loopprobe")
    if name:
        found.append((name, "ctypes.util.find_library"))
    return found


def _load():
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        try:
            return ctypes.CDLL(explicit)
        except OSError as e:
            raise LibraryNotFound(
                "cannot load libloopprobe from %s=%s: %s" % (ENV_VAR, explicit, e)) from None
    tried = []
    for name, origin in _candidates():
        try:
            return ctypes.CDLL(name)
        except OSError as e:
            tried.append("%s (%s): %s" % (name, origin, e))
    raise LibraryNotFound(
        "cannot find libloopprobe; set %s to the library's path. Tried: %s"
        % (ENV_VAR, "; ".join(tried)))


_c = ctypes.c_char_p
_i = ctypes.c_int
_sz = ctypes.c_size_t
_p = ctypes.c_void_p

_SIGNATURES = {
    "lp_version": (_c, []),
    "lp_mechanism_name": (_c, [_i]),
    "lp_layer_name": (_c, [_i]),
    "lp_verdict_name": (_c, [_i]),
    "lp_severity_name": (_c, [_i]),
    "lp_finding_kind_name": (_c, [_i]),
    "lp_mechanism_native": (_i, [_i]),
    "lp_spec_validate": (_i, [_c, _c, _sz]),
    "lp_check": (_i, [_c, _c, _sz]),
    "lp_run_spec": (_i, [_c, _c, ctypes.c_uint, _i, ctypes.POINTER(_p), _c, _sz]),
    "lp_report_exit_code": (_i, [_p]),
    "lp_report_verdict": (_i, [_p, _i, _i]),
    "lp_report_format": (_p, [_p, _i, ctypes.c_uint, ctypes.POINTER(_sz)]),
    "lp_report_set_cell": (_i, [_p, _i, _i, _i, _c, _c, _c, ctypes.c_longlong]),
    "lp_report_add_finding_for": (_i, [_p, _i, _i, _i, _i, _c, _c]),
    "lp_report_finding_add_cell": (_i, [_p, _sz, _c]),
    "lp_report_finding_add_evidence": (_i, [_p, _sz, _c]),
    "lp_report_free": (None, [_p]),
    "lp_free": (None, [_p]),
    "lp_monotonic_ns": (ctypes.c_longlong, []),
    "lp_format_name": (_c, [_i]),
    "lp_constant": (ctypes.c_longlong, [_c]),
    "lp_waits_distorted": (_i, [ctypes.c_longlong, ctypes.c_longlong, ctypes.c_longlong]),
    "lp_finding_kind_hint": (_c, [_i]),
    "lp_report_judge_failure": (_i, [_p, _i, _i, _c, _c, _c, _c, ctypes.c_longlong,
                                     ctypes.POINTER(_i)]),
    "lp_report_finding": (_i, [_p, _sz, ctypes.POINTER(_i), ctypes.POINTER(_i),
                               ctypes.POINTER(_c), ctypes.POINTER(_c)]),
}

_lib = None
_lock = threading.Lock()


def lib():
    """The loaded library, with every function declared (loaded once)."""
    global _lib
    if _lib is not None:
        return _lib
    with _lock:
        if _lib is not None:
            return _lib
        handle = _load()
        for name, (restype, argtypes) in _SIGNATURES.items():
            try:
                fn = getattr(handle, name)
            except AttributeError:
                raise LibraryNotFound("%s has no %s(): it is older than this binding"
                                      % (handle._name, name)) from None
            fn.restype = restype
            fn.argtypes = argtypes
        _lib = handle
        return _lib


def path():
    """The file the library was loaded from, as the loader names it."""
    return lib()._name


_names = {}
_native = {}


def names(function):
    """Every name of one vocabulary table, in table order (read once: the
    tables are constant)."""
    if function not in _names:
        out = []
        fn = getattr(lib(), function)
        while True:
            name = fn(len(out))
            if name is None:
                break
            out.append(name.decode())
        _names[function] = out
    return _names[function]


def native(mech):
    """mech is a mechanism of this platform (read once)."""
    if mech not in _native:
        index = names("lp_mechanism_name").index(mech)
        _native[mech] = bool(lib().lp_mechanism_native(index))
    return _native[mech]


_constants = {}


def constant(name):
    """One of the library's constants (LP_CONSTANT_MAP in loopprobe.h), by
    name: the binding copies none of the library's numbers."""
    if name not in _constants:
        value = lib().lp_constant(name.encode())
        if value < 0:
            raise KeyError("libloopprobe has no constant %r" % name)
        _constants[name] = value
    return _constants[name]


def hint(kind):
    """What to do about a finding of kind, from the library's table."""
    return lib().lp_finding_kind_hint(names("lp_finding_kind_name").index(kind)).decode()


def enc(s):
    return None if s is None else s.encode()
