#!/bin/sh
# SPDX-License-Identifier: MIT
# check-spdx.sh - every source file the repository tracks carries the
# licence's SPDX line (LICENSE: MIT).  Documents, generated files and data
# (Markdown, JSON, golden files) are not source.  Prints the files that
# lack it and fails, or one line saying how many were checked.
set -eu
cd "$(dirname "$0")/.."
missing=0
checked=0
for f in $(git ls-files '*.c' '*.h' '*.py' '*.sh' '*.cmake' '*.in' '*.toml' '*.yml' '*.yaml' \
  '*.1' '*CMakeLists.txt' Makefile .ci/run 'debian/rules' '*.bash' 'cli/completion/_*'); do
  [ -f "$f" ] || continue
  checked=$((checked + 1))
  if ! head -n 3 "$f" | grep -q "SPDX-License-Identifier: MIT"; then
    echo "no SPDX line in the first three lines: $f" >&2
    missing=$((missing + 1))
  fi
done
if [ "$missing" -ne 0 ]; then
  echo "check-spdx: $missing of $checked files lack 'SPDX-License-Identifier: MIT'" >&2
  exit 1
fi
echo "spdx: $checked files carry the licence line"
