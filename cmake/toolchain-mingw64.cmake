# SPDX-License-Identifier: MIT
# toolchain-mingw64.cmake - cross-builds loopprobe for 64-bit Windows with
# Debian's mingw-w64 (gcc-mingw-w64-x86-64, win32 thread model) and runs what
# it built under Wine.
#
#   cmake -S . -B build-win -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-mingw64.cmake
#
# Target libraries (cmocka, built by scripts/toolchains.sh) live in
# LP_MINGW_PREFIX, default .toolchains/mingw64 in the source tree; nothing of
# the build machine's own libraries or pkg-config files is ever used, so a
# Linux libuv cannot be mistaken for a Windows one.

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(LP_MINGW_TRIPLE x86_64-w64-mingw32)
find_program(CMAKE_C_COMPILER NAMES ${LP_MINGW_TRIPLE}-gcc-win32 ${LP_MINGW_TRIPLE}-gcc REQUIRED)
find_program(CMAKE_RC_COMPILER NAMES ${LP_MINGW_TRIPLE}-windres)
find_program(CMAKE_AR NAMES ${LP_MINGW_TRIPLE}-gcc-ar-win32 ${LP_MINGW_TRIPLE}-ar)
find_program(CMAKE_RANLIB NAMES ${LP_MINGW_TRIPLE}-gcc-ranlib-win32 ${LP_MINGW_TRIPLE}-ranlib)

include(${CMAKE_CURRENT_LIST_DIR}/toolchain-search.cmake)
lp_toolchain_dir(LP_MINGW_PREFIX mingw64)
lp_target_search(ROOTS /usr/${LP_MINGW_TRIPLE} ${LP_MINGW_PREFIX}
                 PKG_CONFIG ${LP_MINGW_PREFIX}/lib/pkgconfig)

# C99 printf formats (%zu, %lld) from the C library of every Windows.
set(CMAKE_C_FLAGS_INIT "-D__USE_MINGW_ANSI_STDIO=1")
# No mingw runtime DLL to ship next to the programs.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static-libgcc")

# Tests and the command run under Wine.
find_program(LP_WINE NAMES wine64 wine)
if(LP_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${LP_WINE})
endif()
