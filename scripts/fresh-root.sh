#!/bin/sh
# SPDX-License-Identifier: MIT
# fresh-root.sh - proves what the README promises a new user, on a fresh
# Debian 12: a minimal root (mmdebstrap --variant=minbase bookworm, plus git
# and make, from this machine's configured Debian apt sources), entered
# with chroot inside a private mount namespace - the root bind-mounted onto
# itself (bwrap in the sandbox tests needs a mount point), /proc, /sys and
# /dev mounted - with a clean environment.
#
#   scripts/fresh-root.sh readme    a clean clone of HEAD in a fresh root:
#                                   make run (the matrix, exit 0), make test,
#                                   make install, then python3 -m loopprobe
#                                   from / (the binding finds /usr/local's
#                                   library by itself)
#   scripts/fresh-root.sh deb DIR   apt-get install ./loopprobe_*.deb (from
#                                   DIR) in a fresh root without the
#                                   package's Recommends: loopprobe --format
#                                   json reports every event library missing
#                                   and exits 0; then with them: all ok; then
#                                   python3-loopprobe; each report checked
#                                   against the installed JSON Schema
#
# The pristine root is made once and kept outside the clone, in
# LP_FRESH_CACHE (default ~/.cache/loopprobe), with the .debs apt
# downloads, so that a clean clone benefits too; every run works on a copy
# of it, removed afterwards (LP_FRESH_KEEP=1 keeps it).  Logs go to
# build-fresh/.  Any failure - a package the project's own steps forgot to
# install among them - fails the run.  Needs root.
set -eu
cd "$(dirname "$0")/.."
src=$(pwd)
cache=${LP_FRESH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/loopprobe}
base=$cache/bookworm-minbase
archives=$cache/apt-archives
logs=$src/build-fresh
CTEST_ARGS=${CTEST_ARGS:-}

say() { echo "fresh-root: $*"; }
die() {
  echo "fresh-root: $*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || die "needs root (mmdebstrap, chroot, mount)"

# The Debian sources this machine's apt uses for bookworm (deb822 or
# one-line files), or LP_FRESH_SOURCES.
sources() {
  if [ -n "${LP_FRESH_SOURCES:-}" ]; then
    echo "$LP_FRESH_SOURCES"
    return
  fi
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -s "$f" ] && grep -Eq '(^|[[:space:]])bookworm([-[:space:]]|$)' "$f" && echo "$f"
  done
}

# The pristine root, made once (under a lock: other clones may share it).
make_base() {
  mkdir -p "$cache" "$archives/partial"
  exec 9>"$cache/lock"
  flock 9
  if [ ! -e "$base/.complete" ]; then
    list=$(sources)
    [ -n "$list" ] || die "no apt source for bookworm in /etc/apt (set LP_FRESH_SOURCES)"
    say "making the minimal Debian 12 root in $base from:" $list
    rm -rf "$base"
    # shellcheck disable=SC2086
    mmdebstrap --quiet --variant=minbase --include=git,make bookworm "$base" $list
    touch "$base/.complete"
  fi
  flock -u 9
}

# A fresh copy of the pristine root.
fresh_copy() {
  root=$(mktemp -d "$cache/run.XXXXXX")
  cp -a "$base/." "$root/"
  rm -f "$root/.complete"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  say "fresh root: $root"
}

cleanup() {
  if [ -n "${root:-}" ] && [ "${LP_FRESH_KEEP:-0}" != 1 ]; then
    rm -rf "$root"
  fi
}
trap cleanup EXIT

# Runs SCRIPT in a private mount namespace with the root mounted, where
# "inroot CMD" runs CMD in the chroot with a clean environment; $1 and $2
# are the root and the apt archives, $3... the ARGs.
#   in_namespace SCRIPT [ARG...]
in_namespace() {
  script=$1
  shift
  unshare --mount --propagation private sh -euc "$MOUNTS
$script" fresh-root "$root" "$archives" "$@" </dev/null
}

MOUNTS='
root=$1 archives=$2
mount --bind "$root" "$root"
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --rbind /dev "$root/dev"
mount --bind "$archives" "$root/var/cache/apt/archives"
inroot() {
  chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 TERM=dumb "$@"
}'

# Runs STEP's script, its output in build-fresh/STEP.log; fails with the
# log when it fails.
#   step STEP SCRIPT [ARG...]
step() {
  name=$1
  shift
  start=$(date +%s)
  if ! in_namespace "$@" >"$logs/$name.log" 2>&1; then
    cat "$logs/$name.log"
    die "$name failed on a fresh root after $(($(date +%s) - start)) s (log: $logs/$name.log)"
  fi
  say "$name: ok in $(($(date +%s) - start)) s"
}

# --- readme: make run, make test, make install in a clean clone ---

readme() {
  commit=$(git rev-parse HEAD)
  git diff --quiet HEAD -- || say "note: uncommitted changes are not part of this run"
  git clone -q --no-hardlinks "$src" "$root/root/loopprobe"
  git -C "$root/root/loopprobe" checkout -q "$commit"
  say "make run in a clean clone of $commit"
  step make-run 'inroot sh -c "cd /root/loopprobe && make run"; echo "exit status $?"'
  cat "$logs/make-run.log"
  grep -q "^epoll  *ok" "$logs/make-run.log" || die "make run printed no matrix"
  grep -q "^verdict: ok (exit 0)" "$logs/make-run.log" || die "make run printed no verdict"
  grep -q "^exit status 0$" "$logs/make-run.log" || die "make run did not exit 0"

  say "make test CTEST_ARGS='$CTEST_ARGS' (log: $logs/make-test.log)"
  step make-test 'inroot sh -c "cd /root/loopprobe && make test CTEST_ARGS=\"\$1\"" sh "$3"' \
    "$CTEST_ARGS"
  grep "tests passed" "$logs/make-test.log" | sed 's/^/  /'

  say "make install, then loopprobe and python3 -m loopprobe from /"
  step make-install '
inroot sh -c "cd /root/loopprobe && make install" >/dev/null
inroot sh -c "cd / && loopprobe --only epoll --quiet"
path=$(inroot sh -c "cd / && python3 -c \"import loopprobe; print(loopprobe.library_path())\"")
echo "the binding loads $path"
[ "$path" = /usr/local/lib/libloopprobe.so.0 ]
inroot sh -c "cd / && python3 -m loopprobe --only epoll --require epoll@python,epoll@api"'
  cat "$logs/make-install.log"
}

# --- deb: the packages installed with apt-get ---

# Runs loopprobe in the root through lpcheck.py, with the schema the
# package installed, and the checks given.
check_report() {
  in_namespace 'lpcheck=$3
shift 3
python3 "$lpcheck" --loopprobe /usr/bin/loopprobe --wrap "chroot $root /usr/bin/env -i PATH=/usr/bin:/bin" \
  --schema "$root/usr/share/loopprobe/loopprobe-1.schema.json" --json "$@"' "$src/tests/cli/lpcheck.py" "$@"
}

deb() {
  dir=$1
  ls "$dir"/loopprobe_*.deb >/dev/null 2>&1 || die "no loopprobe_*.deb in $dir (make deb)"
  mkdir -p "$root/root/debs"
  cp "$dir"/*.deb "$root/root/debs/"
  rm -f "$root"/root/debs/*-dbgsym_*.deb
  say "apt-get install --no-install-recommends ./loopprobe_*.deb"
  step deb-install 'inroot sh -c "cd /root/debs && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ./loopprobe_*.deb" >/dev/null
inroot dpkg -L loopprobe'
  sed 's/^/  /' "$logs/deb-install.log"

  say "loopprobe --format json without the event libraries"
  set --
  for lib in liburing libuv libev libevent; do
    set -- "$@" --expect-library-path "$lib=null"
  done
  check_report --expect-exit 0 --no-errors --expect epoll@api=ok --expect epoll@libuv=missing \
    --expect epoll@libev=missing --expect epoll@libevent=missing --expect io_uring@api=missing \
    --expect-finding warning:library-not-installed:epoll@libuv \
    --expect-finding warning:library-not-installed:epoll@libev \
    --expect-finding warning:library-not-installed:epoll@libevent \
    --expect-finding warning:library-not-installed:io_uring@api "$@" -- --format json
  step deb-text 'inroot loopprobe'
  cat "$logs/deb-text.log"

  recommends=$(dpkg-deb -f "$dir"/loopprobe_*.deb Recommends | tr -d ',')
  say "apt-get install $recommends (the package's Recommends)"
  step deb-recommends 'inroot sh -c "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \$1" sh "$3" >/dev/null' \
    "$recommends"
  say "loopprobe --format json with them"
  check_report --expect-exit 0 --no-errors --expect epoll@api=ok --expect epoll@libuv=ok \
    --expect epoll@libev=ok --expect epoll@libevent=ok --expect io_uring@api=ok \
    --no-finding library-not-installed -- --format json

  say "apt-get install ./python3-loopprobe_*.deb, then python3 -m loopprobe"
  step deb-python 'inroot sh -c "cd /root/debs && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ./libloopprobe0_*.deb ./python3-loopprobe_*.deb" >/dev/null
inroot sh -c "cd / && python3 -m loopprobe --only epoll --require epoll@python,epoll@api"'
  cat "$logs/deb-python.log"
}

mkdir -p "$logs"
case "${1:-}" in
readme)
  make_base
  fresh_copy
  readme
  ;;
deb)
  [ $# -eq 2 ] || die "usage: $0 deb DIR"
  make_base
  fresh_copy
  deb "$2"
  ;;
*)
  echo "usage: $0 readme | deb DIR" >&2
  exit 2
  ;;
esac
say "ok"
