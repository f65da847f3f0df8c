# SPDX-License-Identifier: MIT
# toolchain-aarch64-linux-gnu.cmake - cross-builds loopprobe for Linux on
# aarch64 with Debian's cross compiler (gcc-aarch64-linux-gnu, whose C
# library is libc6-dev-arm64-cross in /usr/aarch64-linux-gnu) and runs what
# it built under Debian's qemu-user.
#
#   cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64-linux-gnu.cmake
#
# The target's libraries are Debian's own arm64 packages (the event
# libraries, liburing, cmocka, the C library), unpacked by
# scripts/toolchains.sh into LP_AARCH64_ROOT, default
# .toolchains/aarch64/root in the source tree: their headers and pkg-config
# files build loopprobe, and the same root is the file system qemu-aarch64
# runs the programs in (-L).  Nothing of the build machine's own libraries,
# headers or pkg-config files is used, so an x86_64 libuv cannot be
# mistaken for an arm64 one.

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(LP_AARCH64_TRIPLE aarch64-linux-gnu)
find_program(CMAKE_C_COMPILER NAMES ${LP_AARCH64_TRIPLE}-gcc REQUIRED)
find_program(CMAKE_AR NAMES ${LP_AARCH64_TRIPLE}-gcc-ar ${LP_AARCH64_TRIPLE}-ar)
find_program(CMAKE_RANLIB NAMES ${LP_AARCH64_TRIPLE}-gcc-ranlib ${LP_AARCH64_TRIPLE}-ranlib)
find_program(CMAKE_READELF NAMES ${LP_AARCH64_TRIPLE}-readelf readelf)

include(${CMAKE_CURRENT_LIST_DIR}/toolchain-search.cmake)
lp_toolchain_dir(LP_AARCH64_ROOT aarch64/root)
lp_target_search(ROOTS /usr/${LP_AARCH64_TRIPLE} ${LP_AARCH64_ROOT}
                 PKG_CONFIG ${LP_AARCH64_ROOT}/usr/lib/${LP_AARCH64_TRIPLE}/pkgconfig
                            ${LP_AARCH64_ROOT}/usr/share/pkgconfig
                 SYSROOT ${LP_AARCH64_ROOT})

# Tests and the command run under qemu-user, with the root as their /.
find_program(LP_QEMU_AARCH64 NAMES qemu-aarch64 qemu-aarch64-static)
if(LP_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${LP_QEMU_AARCH64} -L ${LP_AARCH64_ROOT})
endif()

# The tests of tests/worlds, for this world.
set(LP_TEST_WORLD aarch64)
