#!/bin/sh
# SPDX-License-Identifier: MIT
# check_static.sh LOOPPROBE LIBLOOPPROBE - jansson is linked statically
# into the command (its parser is defined there; no libjansson in its
# NEEDED list), and libloopprobe has nothing of it.
set -eu
cmd=$1
lib=$2
fail() {
  echo "FAIL: $*"
  exit 1
}
if readelf -d "$cmd" | grep NEEDED | grep -i jansson; then
  fail "$cmd needs libjansson at load time"
fi
nm "$cmd" | grep -q ' T json_loadb$' || fail "json_loadb is not defined in $cmd"
if nm "$lib" | grep -q ' json_'; then
  fail "$lib holds jansson symbols"
fi
if readelf -d "$lib" | grep NEEDED | grep -i jansson; then
  fail "$lib needs libjansson"
fi
echo "NEEDED of $cmd:"
readelf -d "$cmd" | grep NEEDED
echo "ok: jansson is in the command, not in its NEEDED list, not in libloopprobe"
