#!/bin/sh
# SPDX-License-Identifier: MIT
# check_runtime.sh READELF LOOPPROBE LIBLOOPPROBE SONAME DATA - cJSON is
# loaded at run time, by the command alone: the command does not need it
# at load time (no NEEDED entry) and is not linked with it (no cJSON_
# symbol, defined or wanted); libloopprobe has nothing of it; a merge of
# two reports in DATA loads SONAME while it runs (the dynamic loader's
# LD_DEBUG=files log says so) and works; a plain run never loads it.
set -eu
readelf=$1
cmd=$2
lib=$3
soname=$4
data=$5
fail() {
  echo "FAIL: $*"
  exit 1
}
needed=$("$readelf" -d "$cmd" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
echo "NEEDED of $cmd: $(echo $needed)"
if echo "$needed" | grep -i cjson; then
  fail "$cmd needs cJSON at load time"
fi
if nm "$cmd" | grep ' cJSON_'; then
  fail "$cmd is linked with cJSON"
fi
grep -aq "$soname" "$cmd" || fail "$cmd does not name $soname, the soname it loads"
if "$readelf" -d "$lib" | grep NEEDED | grep -i cjson; then
  fail "$lib needs cJSON"
fi
if grep -aq "$soname" "$lib" || nm -D "$lib" | grep -E ' (cJSON_|lpf_)'; then
  fail "$lib holds cJSON's descriptor or the fleet's code"
fi

log=$(mktemp)
out=$(LD_DEBUG=files "$cmd" merge --format json "$data/clean-1.json" "$data/clean-2.json" 2>"$log") ||
  fail "merge exited $?: $(cat "$log" | grep -v 'file=\|calling\|^ *[0-9]*:\s*$' | head -5)"
echo "$out" | grep -q '"schema": "loopprobe-fleet/1"' || fail "merge wrote no fleet: $out"
echo "$out" | grep -q '"verdict": "ok (exit 0): 2 hosts' || fail "merge did not merge two hosts: $out"
grep "file=$soname .*dynamically loaded by" "$log" || fail "merge did not load $soname at run time"
LD_DEBUG=files "$cmd" --only epoll@api --quiet 2>"$log" || fail "a plain run failed"
if grep "file=$soname" "$log"; then
  fail "a plain run loads $soname"
fi
rm -f "$log"
echo "ok: $soname is loaded at run time by the command's merge, and only then"
