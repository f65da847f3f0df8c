# SPDX-License-Identifier: MIT
"""A Python worker's start-up, as tests/api/hosts.py runs it under every
condition the check must survive: it calls loopprobe.check() for each SPEC
and writes one line per SPEC, "SPEC -> RC: WHY" (RC 0 for ok, 1 for not),
on standard output or into FILE (opened once every check is done, so that
a worker started with descriptors 0 to 2 closed keeps them closed while it
checks).  It writes nothing on standard error itself.

    check_host.py [--eventlet | --gevent] [--global LIBRARY] [--out FILE] SPEC...

--eventlet and --gevent monkey-patch first, as their gunicorn workers do;
--global loads LIBRARY into the global scope first (libev.so.4: its
imitation of libevent's names then answers libevent's own calls, as when
a program is linked with libev before libevent).
"""

import ctypes
import sys


def main(argv):
    out, specs = None, []
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--eventlet":
            import eventlet
            eventlet.monkey_patch()
        elif arg == "--gevent":
            from gevent import monkey
            monkey.patch_all()
        elif arg == "--global":
            ctypes.CDLL(args.pop(0), mode=ctypes.RTLD_GLOBAL)
        elif arg == "--out":
            out = args.pop(0)
        else:
            specs.append(arg)
    import loopprobe
    lines = []
    for spec in specs:
        ok, why = loopprobe.check(spec)
        lines.append("%s -> %d: %s\n" % (spec, 0 if ok else 1, why))
    if out is None:
        sys.stdout.write("".join(lines))
    else:
        with open(out, "w", encoding="utf-8") as f:
            f.write("".join(lines))


main(sys.argv[1:])
