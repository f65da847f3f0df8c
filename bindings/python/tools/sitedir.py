# SPDX-License-Identifier: MIT
"""Prints where this Python reads packages from under a prefix, relative to
the prefix: Debian's python3 reads lib/python3/dist-packages under /usr
(packages) and lib/python3.X/dist-packages under /usr/local; any other
Python its posix_prefix scheme.  Used by CMake to install the binding.

    sitedir.py PREFIX
"""

import os
import sys
import sysconfig


def main():
    prefix = sys.argv[1]
    schemes = sysconfig.get_scheme_names()
    if "deb_system" in schemes and prefix == "/usr":
        base, scheme = "/usr", "deb_system"
    elif "posix_local" in schemes and "deb_system" in schemes:
        base, scheme = "/usr", "posix_local"  # /usr/local/lib/python3.X/dist-packages
        prefix = "/usr/local"
    else:
        base, scheme = prefix, "posix_prefix"
    path = sysconfig.get_path("purelib", scheme, vars={"base": base, "platbase": base})
    print(os.path.relpath(path, prefix))


if __name__ == "__main__":
    main()
