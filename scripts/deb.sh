#!/bin/sh
# SPDX-License-Identifier: MIT
# deb.sh - builds loopprobe's Debian packages (debian/) with
# dpkg-buildpackage -us -uc -b from a copy of the sources in OUT/src, so
# that nothing is written beside the clone: the .debs land in OUT.  Then
# lintian on them; an error fails (warnings are printed).
#   scripts/deb.sh OUT
set -eu
cd "$(dirname "$0")/.."
out=$1

version=$(sed -n 's/^project(loopprobe VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
packaged=$(dpkg-parsechangelog -S Version)
if [ "$version" != "$packaged" ]; then
  echo "deb: debian/changelog is at $packaged, CMakeLists.txt at $version" >&2
  exit 1
fi

rm -rf "$out"
mkdir -p "$out/src"
# The clone's files (tracked, and new ones not ignored), or without git
# everything but build output.
if git rev-parse --git-dir >/dev/null 2>&1; then
  git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$out/src"
else
  tar --exclude='./build*' --exclude=./.toolchains -cf - . | tar -C "$out/src" -xf -
fi

echo "deb: dpkg-buildpackage -us -uc -b in $out/src (log: $out/build.log)"
if ! (cd "$out/src" && dpkg-checkbuilddeps && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1
then
  cat "$out/build.log"
  echo "deb: dpkg-buildpackage failed" >&2
  exit 1
fi
ls -l "$out"/*.deb
echo "deb: lintian"
lintian --fail-on error --info "$out"/*.changes
