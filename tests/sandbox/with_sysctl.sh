#!/bin/sh
# SPDX-License-Identifier: MIT
# with_sysctl.sh NAME VALUE -- COMMAND...
# Sets /proc/sys/NAME to VALUE for the duration of COMMAND and restores it,
# whatever happens.  Exits 77 (skipped) where the sysctl does not exist or
# cannot be written (an unprivileged user, a read-only /proc/sys).
set -u
name=$1
value=$2
shift 3
file=/proc/sys/$name
if [ ! -w "$file" ] || ! old=$(cat "$file" 2>/dev/null); then
  echo "skipped: /proc/sys/$name cannot be written here"
  exit 77
fi
if ! echo "$value" >"$file" 2>/dev/null; then
  echo "skipped: writing /proc/sys/$name was refused"
  exit 77
fi
trap 'echo "$old" >"$file"' EXIT INT TERM
"$@"
