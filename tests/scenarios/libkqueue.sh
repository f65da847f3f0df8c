#!/bin/sh
# SPDX-License-Identifier: MIT
# libkqueue.sh - libkqueue (kqueue over epoll, a user-space shim) built from
# its source for the scenario tests; Debian 12 does not package it.
#
#   libkqueue.sh build TARBALL DIR CMAKE   unpacks and builds it in DIR
#                                          (DIR/build/libkqueue.so.0)
#   libkqueue.sh run TARBALL DIR CMD...    runs CMD once it is built
#
# Where the tarball is absent both say so, naming it, and exit 77, which
# CTest reports as skipped (SKIP_RETURN_CODE); any other trouble fails.
set -eu

mode=$1 tarball=$2 dir=$3
shift 3
if [ ! -f "$tarball" ]; then
  echo "SKIPPED: $tarball not found (libkqueue's source; see the README of that folder)"
  exit 77
fi

case $mode in
build)
  cmake=$1
  rm -rf "$dir"
  mkdir -p "$dir/src"
  tar xzf "$tarball" -C "$dir/src"
  src=$(find "$dir/src" -mindepth 1 -maxdepth 1 -type d | head -n 1)
  # Its own tests and static library are not needed; a release build, so
  # that no debugging output reaches the probes.
  if ! { "$cmake" -S "$src" -B "$dir/build" -DCMAKE_BUILD_TYPE=Release -DENABLE_TESTING=OFF \
           -DENABLE_STATIC=OFF &&
         "$cmake" --build "$dir/build" -j 2; } >"$dir/build.log" 2>&1; then
    cat "$dir/build.log"
    echo "FAIL: libkqueue did not build from $tarball (log above)"
    exit 1
  fi
  ls -l "$dir/build/libkqueue.so.0"
  ;;
run)
  if [ ! -f "$dir/build/libkqueue.so.0" ]; then
    echo "FAIL: $dir/build/libkqueue.so.0 is missing: scenario.libkqueue-build did not build it"
    exit 1
  fi
  exec "$@"
  ;;
*)
  echo "usage: libkqueue.sh build|run TARBALL DIR ..." >&2
  exit 2
  ;;
esac
