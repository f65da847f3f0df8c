#!/bin/sh
# SPDX-License-Identifier: MIT
# deps.sh - makes sure the Debian packages loopprobe needs are installed.
#
#   scripts/deps.sh run            what building and running needs
#   scripts/deps.sh test           what the whole test suite needs as well
#   scripts/deps.sh fuzz           make fuzz: clang with libFuzzer and the
#                                  sanitizer runtimes, besides what building needs
#   scripts/deps.sh deb            what make deb needs (the package's build
#                                  dependencies, debhelper, lintian)
#   scripts/deps.sh fresh-root     what the fresh-root checks need
#   scripts/deps.sh pkgs PKG...    these (scripts/toolchains.sh)
#
# As root it installs what is missing with apt-get; otherwise it prints the
# one apt-get line to run and fails, so that "make run" stops there.  The
# run list is what a minimal Debian 12 lacks: gcc recommends, and so does
# not bring, the C library's headers (libc6-dev).
set -eu

run_pkgs="gcc libc6-dev make cmake pkg-config liburing-dev libuv1-dev libev-dev libevent-dev
  libcjson-dev"
# The C library of another architecture, a real ELF object loopprobe must
# refuse to load (tests/libraries).
case "$(dpkg --print-architecture 2>/dev/null || echo unknown)" in
arm64) foreign_libc=libc6-amd64-cross ;;
*) foreign_libc=libc6-arm64-cross ;;
esac
test_pkgs="$run_pkgs libcmocka-dev libseccomp-dev python3 python3-jsonschema strace faketime
  libfaketime bubblewrap valgrind clang-format python3-eventlet python3-gevent python3-trio
  python3-pip python3-venv python3-gunicorn qemu-user cmark-gfm bash-completion zsh
  $foreign_libc ansible-core musl-tools"
deb_pkgs="$run_pkgs python3 dpkg-dev debhelper fakeroot lintian"
fresh_pkgs="mmdebstrap git python3 python3-jsonschema"
# clang-14's libFuzzer and ASan/UBSan/TSan runtimes are in libclang-rt-14-dev.
fuzz_pkgs="$run_pkgs clang libclang-rt-14-dev"

case "${1:-}" in
run) pkgs=$run_pkgs ;;
test) pkgs=$test_pkgs ;;
deb) pkgs=$deb_pkgs ;;
fresh-root) pkgs=$fresh_pkgs ;;
fuzz) pkgs=$fuzz_pkgs ;;
pkgs)
  shift
  pkgs="$*"
  ;;
*)
  echo "usage: $0 run|test|fuzz|deb|fresh-root|pkgs PACKAGE..." >&2
  exit 2
  ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "loopprobe: not a Debian system; make sure these are installed: $pkgs" >&2
  exit 0
fi

missing=""
for p in $pkgs; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "loopprobe needs these packages:$missing" >&2
  echo "Install them, then run make again:" >&2
  echo "  sudo apt-get install -y$missing" >&2
  exit 1
fi
echo "loopprobe: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# apt's chatter goes to a log, shown only when it fails.
log=$(mktemp)
# shellcheck disable=SC2086
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing; } \
  >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  echo "loopprobe: apt-get failed" >&2
  exit 1
fi
rm -f "$log"
