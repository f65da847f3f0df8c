#!/bin/sh
# SPDX-License-Identifier: MIT
# The objects loopprobe ships need nothing but the C library to start: no
# DT_NEEDED entry for an event library or liburing (they are loaded at run
# time), and nothing else either - the C library, what an older glibc
# splits off it (libdl, libpthread, librt), and in a sanitizer build the
# sanitizer runtimes.
#   check_needed.sh READELF FILE...
set -eu
readelf=$1
shift
for f in "$@"; do
  needed=$("$readelf" -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  echo "$f: $(echo $needed)"
  echo "$needed" | grep -q '^libc\.so\.' || { echo "FAIL: $f does not need the C library?"; exit 1; }
  for n in $needed; do
    case $n in
    libc.so.* | libdl.so.* | libpthread.so.* | librt.so.*) ;;
    libasan.so.* | libubsan.so.* | liblsan.so.* | libstdc++.so.* | libm.so.* | libgcc_s.so.*)
      [ "${LP_SANITIZED:-0}" = 1 ] || { echo "FAIL: $f needs $n"; exit 1; } ;;
    *) echo "FAIL: $f needs $n"; exit 1 ;;
    esac
  done
done
echo "ok: only the C library"
