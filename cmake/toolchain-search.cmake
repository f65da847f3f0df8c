# SPDX-License-Identifier: MIT
# toolchain-search.cmake - what each cross toolchain file sets so that
# nothing of the build machine is taken for the target: CMake's searches
# for libraries, headers and packages confined to the target's roots
# (programs are the build machine's), and pkg-config answering from the
# target's directories only; and where the target's files are kept.
#
#   lp_toolchain_dir(VAR SUBDIR)
#   lp_target_search(ROOTS dir... PKG_CONFIG dir... [SYSROOT dir])
#
# SYSROOT, when given, is pkg-config's: the .pc files there name paths
# inside the root (prefix=/usr), which pkg-config prefixes with it.

# VAR, unless the command line or the cache sets it, is SUBDIR of
# .toolchains in the source tree (where scripts/toolchains.sh puts the
# target's files); try-compile projects get it too.
macro(lp_toolchain_dir var subdir)
  if(NOT ${var})
    get_filename_component(${var} "${CMAKE_CURRENT_LIST_DIR}/../.toolchains/${subdir}" ABSOLUTE)
  endif()
  list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES ${var})
endmacro()

function(lp_target_search)
  cmake_parse_arguments(S "" "SYSROOT" "ROOTS;PKG_CONFIG" ${ARGN})
  set(CMAKE_FIND_ROOT_PATH ${S_ROOTS} PARENT_SCOPE)
  set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER PARENT_SCOPE)
  foreach(kind LIBRARY INCLUDE PACKAGE)
    set(CMAKE_FIND_ROOT_PATH_MODE_${kind} ONLY PARENT_SCOPE)
  endforeach()
  list(JOIN S_PKG_CONFIG ":" libdir)
  set(ENV{PKG_CONFIG_LIBDIR} "${libdir}")
  set(ENV{PKG_CONFIG_PATH} "")
  set(ENV{PKG_CONFIG_SYSROOT_DIR} "${S_SYSROOT}")
endfunction()
