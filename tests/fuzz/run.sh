#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh - runs every fuzz target of a libFuzzer build for a bounded time
# and fails when any of them finds something (make fuzz).
#
#   tests/fuzz/run.sh BUILD_DIR SECONDS_PER_TARGET
#
# Each target starts from its seed corpus in the source tree (read only)
# and from what earlier runs found, kept in BUILD_DIR/fuzz-corpus/TARGET,
# so that runs build on each other.  A crash, a leak, a broken property or
# an input slower than 10 s stops that target; its input is written to
# BUILD_DIR/fuzz-findings/ and the run goes on to the next target, then
# fails.  Copy a finding into tests/fuzz/corpus/TARGET/ once it is fixed:
# the suite's fuzz.TARGET test replays it from then on.
set -u

build=${1:?usage: run.sh BUILD_DIR SECONDS}
seconds=${2:?usage: run.sh BUILD_DIR SECONDS}
src=$(cd "$(dirname "$0")" && pwd)
# Every target the build has (the reader's only where cJSON's headers were found).
targets=$(cd "$build/tests/fuzz" 2>/dev/null && ls fuzz_* 2>/dev/null | sed 's/^fuzz_//')
if [ -z "$targets" ]; then
  echo "fuzz: no fuzz target in $build/tests/fuzz (cmake --build $build --target lp_fuzz_targets)" >&2
  exit 1
fi
failed=""
summary=""

mkdir -p "$build/fuzz-findings"
for t in $targets; do
  exe="$build/tests/fuzz/fuzz_$t"
  work="$build/fuzz-corpus/$t"
  log="$build/fuzz-findings/$t.log"
  mkdir -p "$work"
  if [ ! -x "$exe" ]; then
    echo "fuzz: $exe is missing (cmake --build $build --target lp_fuzz_targets)" >&2
    failed="$failed $t"
    continue
  fi
  echo "== fuzz_$t for $seconds s"
  "$exe" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/fuzz-findings/$t-" "$work" "$src/corpus/$t" \
    >"$log" 2>&1
  rc=$?
  # "#12345  DONE   cov: 610 ft: 2400 corp: 300/100Kb ...", and the executions.
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(echo "$done_line" | sed -n 's/.*cov: \([0-9]*\) ft: \([0-9]*\) corp: \([^ ]*\).*/cov \1, ft \2, corpus \3/p')
  if [ "$rc" -ne 0 ]; then
    echo "fuzz_$t FOUND SOMETHING (exit $rc); its log is $log:" >&2
    grep -E 'fuzz property broken|ERROR: |SUMMARY: |Test unit written' "$log" | head -20 >&2
    failed="$failed $t"
    summary="$summary
  fuzz_$t: FAILED after ${execs:-?} executions (see $log)"
  else
    summary="$summary
  fuzz_$t: ${execs:-?} executions, ${cov:-no coverage line}"
  fi
done

echo "fuzzing, $seconds s per target:$summary"
if [ -n "$failed" ]; then
  echo "fuzz: findings in:$failed" >&2
  exit 1
fi
