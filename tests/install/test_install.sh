#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs loopprobe into a temporary prefix, checks every file it should
# install, builds a consumer through pkg-config and through CMake, and runs
# the installed Python binding, which must find the library it was
# installed with (no LOOPPROBE_LIBRARY, no ldconfig).
#   test_install.sh BUILD_DIR SOURCE_DIR [PYTHON SITEDIR]
set -eu
build=$1
src=$2
python=${3:-}
sitedir=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(cd "$prefix" && ls -d lib*/ | head -n 1)
libdir=$prefix/${libdir%/}
for f in bin/loopprobe include/loopprobe.h share/man/man1/loopprobe.1 \
         share/loopprobe/loopprobe-1.schema.json; do
  [ -f "$prefix/$f" ] || { echo "FAIL: $f was not installed"; exit 1; }
done
for f in libloopprobe.a pkgconfig/loopprobe.pc cmake/loopprobe/loopprobeConfig.cmake \
         cmake/loopprobe/loopprobeConfigVersion.cmake cmake/loopprobe/loopprobeTargets.cmake; do
  [ -f "$libdir/$f" ] || { echo "FAIL: $libdir/$f was not installed"; exit 1; }
done
ls "$libdir"/libloopprobe.so* >/dev/null 2>&1 || { echo "FAIL: no shared library"; exit 1; }
"$prefix/bin/loopprobe" --version | grep -q "^loopprobe 0.1.0" || { echo "FAIL: installed binary"; exit 1; }
# The completions where bash-completion and zsh find them, the vocabulary
# and the schema under share/loopprobe/, all as in the source tree.
for f in share/bash-completion/completions/loopprobe:cli/completion/loopprobe.bash \
         share/zsh/vendor-completions/_loopprobe:cli/completion/_loopprobe \
         share/loopprobe/vocabulary.md:docs/vocabulary.md \
         share/loopprobe/loopprobe-1.schema.json:docs/loopprobe-1.schema.json; do
  cmp -s "$prefix/${f%%:*}" "$src/${f#*:}" || { echo "FAIL: ${f%%:*} is not installed as ${f#*:}"; exit 1; }
done
# Loaded the way an installed package's are: bash-completion's loader
# (XDG_DATA_DIRS) and zsh's fpath, driving the installed binary.
for shell in bash zsh; do
  (cd "$tmp" && python3 "$src/tests/cli/test_completion.py" $shell "$prefix/bin" --loader "$prefix/share") \
    >"$tmp/completion.log" 2>&1 || { cat "$tmp/completion.log"; echo "FAIL: installed $shell completion"; exit 1; }
done

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

# The Python binding, run from elsewhere with nothing but its own directory
# on the path.
if [ -n "$sitedir" ]; then
  site=$prefix/$sitedir
  [ -f "$site/loopprobe/_install_config.py" ] || { echo "FAIL: no $sitedir/loopprobe/_install_config.py"; exit 1; }
  got=$(cd "$tmp" && env -u LOOPPROBE_LIBRARY PYTHONPATH="$site" "$python" -c \
    'import loopprobe; print(loopprobe.library_path())')
  [ "$got" = "$libdir/libloopprobe.so.0" ] || { echo "FAIL: the binding loaded $got"; exit 1; }
  (cd "$tmp" && env -u LOOPPROBE_LIBRARY PYTHONPATH="$site" "$python" -m loopprobe \
    --only epoll@python,epoll@api --require epoll@python,epoll@api --quiet) ||
    { echo "FAIL: python3 -m loopprobe from the prefix"; exit 1; }
  echo "the binding in $sitedir loads $got"
fi
echo "ok: installed files present; completions load from the install; the Python binding finds its library; pkg-config and CMake consumers work (shared and static)"
