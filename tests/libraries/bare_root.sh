#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs a program in a root that holds nothing but the program and the
# shared objects it needs to start (its ldd list), with /proc and /dev:
# a machine without libuv, libev, libevent or liburing, and without the
# loader's cache.  With --lib-dir DIR, DIR is there too, as /opt/lib, and
# LD_LIBRARY_PATH names it.
#   bare_root.sh BWRAP [--lib-dir DIR] -- PROGRAM [ARG...]
set -eu
bwrap=$1
shift
libdir=
if [ "$1" = --lib-dir ]; then
  libdir=$2
  shift 2
fi
[ "$1" = -- ] && shift
prog=$1
shift
# bwrap reads its options from a file (NUL-separated), so that the
# program's own arguments stay as they are.
opts=$(mktemp)
{
  printf '%s\0' --die-with-parent --tmpfs / --proc /proc --dev /dev --tmpfs /tmp \
    --ro-bind "$prog" /bin/program
  for f in $(ldd "$prog" | grep -o '/[^ ]*'); do
    printf '%s\0' --ro-bind "$f" "$f"
  done
  if [ -n "$libdir" ]; then
    printf '%s\0' --ro-bind "$libdir" /opt/lib --setenv LD_LIBRARY_PATH /opt/lib
  fi
} >"$opts"
exec 3<"$opts"
rm -f "$opts"
exec "$bwrap" --args 3 /bin/program "$@"
