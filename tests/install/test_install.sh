#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs loopprobe into a temporary prefix, checks every file it should
# install, and builds a consumer through pkg-config and through CMake.
#   test_install.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(cd "$prefix" && ls -d lib*/ | head -n 1)
libdir=$prefix/${libdir%/}
for f in bin/loopprobe include/loopprobe.h share/man/man1/loopprobe.1; do
  [ -f "$prefix/$f" ] || { echo "FAIL: $f was not installed"; exit 1; }
done
for f in libloopprobe.a pkgconfig/loopprobe.pc cmake/loopprobe/loopprobeConfig.cmake \
         cmake/loopprobe/loopprobeConfigVersion.cmake cmake/loopprobe/loopprobeTargets.cmake; do
  [ -f "$libdir/$f" ] || { echo "FAIL: $libdir/$f was not installed"; exit 1; }
done
ls "$libdir"/libloopprobe.so* >/dev/null 2>&1 || { echo "FAIL: no shared library"; exit 1; }
"$prefix/bin/loopprobe" --version | grep -q "^loopprobe 0.1.0" || { echo "FAIL: installed binary"; exit 1; }

# pkg-config, shared library
PKG_CONFIG_PATH=$libdir/pkgconfig
export PKG_CONFIG_PATH
cc -o "$tmp/consumer_pc" "$src/tests/install/consumer.c" $(pkg-config --cflags --libs loopprobe) \
  -Wl,-rpath,"$libdir"
"$tmp/consumer_pc" | grep -q "poll@api ok" || { echo "FAIL: pkg-config consumer"; exit 1; }
# pkg-config, static library
cc -o "$tmp/consumer_pc_static" "$src/tests/install/consumer.c" \
  $(pkg-config --cflags loopprobe) "$libdir/libloopprobe.a" $(pkg-config --static --libs-only-l loopprobe | sed 's/-lloopprobe//')
"$tmp/consumer_pc_static" | grep -q "poll@api ok" || { echo "FAIL: static consumer"; exit 1; }
# CMake package
cmake -S "$src/tests/install" -B "$tmp/consumer" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$tmp/consumer" >/dev/null
"$tmp/consumer/consumer_shared" | grep -q "poll@api ok" || { echo "FAIL: CMake shared"; exit 1; }
"$tmp/consumer/consumer_static" | grep -q "poll@api ok" || { echo "FAIL: CMake static"; exit 1; }
echo "ok: installed files present; pkg-config and CMake consumers work (shared and static)"
