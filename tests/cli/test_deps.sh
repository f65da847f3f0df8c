#!/bin/sh
# SPDX-License-Identifier: MIT
# The dependency step of "make run" and "make test": with packages missing,
# an unprivileged user gets the one apt-get line to run and a failure; root
# gets them installed.  dpkg-query and apt-get are stand-ins on PATH that
# report every package missing and record what they are asked.
#   test_deps.sh SOURCE_DIR
set -eu
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
cat >"$tmp/dpkg-query" <<'STUB'
#!/bin/sh
exit 1
STUB
cat >"$tmp/apt-get" <<'STUB'
#!/bin/sh
echo "apt-get $*" >>"$LP_APT_LOG"
STUB
chmod 755 "$tmp/dpkg-query" "$tmp/apt-get"
cp "$src/scripts/deps.sh" "$tmp/deps.sh"

# Unprivileged: the install line, and exit 1 so that make stops.
if command -v setpriv >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  if PATH="$tmp:$PATH" setpriv --reuid=65534 --regid=65534 --clear-groups \
       sh "$tmp/deps.sh" run >"$tmp/out" 2>&1; then
    echo "FAIL: deps.sh succeeded for a user without the packages"; exit 1
  fi
  grep -q "^  sudo apt-get install -y gcc libc6-dev make cmake pkg-config liburing-dev libuv1-dev libev-dev libevent-dev libcjson-dev$" "$tmp/out" ||
    { echo "FAIL: no apt-get line for the user:"; cat "$tmp/out"; exit 1; }
fi

# Root: apt-get update, then install exactly what is missing.
if [ "$(id -u)" -eq 0 ]; then
  LP_APT_LOG=$tmp/apt.log PATH="$tmp:$PATH" sh "$tmp/deps.sh" run >/dev/null
  grep -q "^apt-get update -qq$" "$tmp/apt.log" || { echo "FAIL: no apt-get update"; exit 1; }
  grep -q "^apt-get install -y -qq --no-install-recommends gcc libc6-dev make cmake pkg-config liburing-dev libuv1-dev libev-dev libevent-dev libcjson-dev$" "$tmp/apt.log" ||
    { echo "FAIL: wrong install:"; cat "$tmp/apt.log"; exit 1; }
  # make fuzz's: clang and its libFuzzer and sanitizer runtimes.
  LP_APT_LOG=$tmp/apt.log PATH="$tmp:$PATH" sh "$tmp/deps.sh" fuzz >/dev/null
  grep -q "^apt-get install -y -qq --no-install-recommends gcc libc6-dev make cmake pkg-config liburing-dev libuv1-dev libev-dev libevent-dev libcjson-dev clang libclang-rt-14-dev$" "$tmp/apt.log" ||
    { echo "FAIL: wrong install for fuzz:"; cat "$tmp/apt.log"; exit 1; }
  # The toolchains' packages go through the same step.
  LP_APT_LOG=$tmp/apt.log PATH="$tmp:$PATH" sh "$tmp/deps.sh" pkgs npm wine >/dev/null
  grep -q "^apt-get install -y -qq --no-install-recommends npm wine$" "$tmp/apt.log" ||
    { echo "FAIL: wrong install of named packages:"; cat "$tmp/apt.log"; exit 1; }
fi

# A bad argument is a usage error.
if sh "$tmp/deps.sh" bogus 2>/dev/null; then echo "FAIL: bad argument accepted"; exit 1; fi
echo "ok: the user gets the apt-get line and a failure; root gets the packages installed"
