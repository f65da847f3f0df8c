# SPDX-License-Identifier: MIT
# toolchain-musl.cmake - builds loopprobe for Linux on the musl C library
# with Debian's musl-gcc (musl-tools), for this machine's architecture; what
# it builds runs here, with musl's dynamic loader.
#
#   cmake -S . -B build-musl -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-musl.cmake
#
# musl-gcc searches musl's headers and nothing else: not the kernel's
# (linux/io_uring.h, linux/aio_abi.h) and not those of glibc, which must
# never mix in.  LP_MUSL_ROOT (default .toolchains/musl/root, made by
# scripts/toolchains.sh) holds the kernel's headers and Debian's packages
# of the event libraries and liburing: their headers, pkg-config files and
# library files.  Those libraries are built for glibc: the build takes
# their headers and reads their sonames, and links none of them
# (LP_LINKS_LIBRARIES is OFF), and a musl loopprobe does not load them -
# on musl the library layers report the libraries not installed.  cmocka
# is built for musl into LP_MUSL_ROOT/cmocka.

set(CMAKE_SYSTEM_NAME Linux)
cmake_host_system_information(RESULT LP_MUSL_HOST_ARCH QUERY OS_PLATFORM)
set(CMAKE_SYSTEM_PROCESSOR ${LP_MUSL_HOST_ARCH})
find_program(CMAKE_C_COMPILER NAMES musl-gcc REQUIRED)

include(${CMAKE_CURRENT_LIST_DIR}/toolchain-search.cmake)
lp_toolchain_dir(LP_MUSL_ROOT musl/root)
set(LP_MUSL_GNU_TRIPLE ${CMAKE_SYSTEM_PROCESSOR}-linux-gnu)

# The kernel's headers (linux/, asm-generic/ and the architecture's asm/),
# as Alpine's linux-headers package gives them to a musl build.
set(CMAKE_C_FLAGS_INIT
    "-isystem ${LP_MUSL_ROOT}/usr/include -isystem ${LP_MUSL_ROOT}/usr/include/${LP_MUSL_GNU_TRIPLE}")

# The root's libraries are in Debian's directory for glibc (libev has no
# pkg-config file: CMake finds it there).
lp_target_search(ROOTS ${LP_MUSL_ROOT}
                 PKG_CONFIG ${LP_MUSL_ROOT}/usr/lib/${LP_MUSL_GNU_TRIPLE}/pkgconfig
                            ${LP_MUSL_ROOT}/usr/share/pkgconfig ${LP_MUSL_ROOT}/cmocka/lib/pkgconfig
                 SYSROOT ${LP_MUSL_ROOT})
set(CMAKE_LIBRARY_PATH /usr/lib/${LP_MUSL_GNU_TRIPLE})

# The libraries found are glibc's: headers and sonames only.
set(LP_LINKS_LIBRARIES OFF)

# The tests of tests/worlds, for this world.
set(LP_TEST_WORLD musl)
