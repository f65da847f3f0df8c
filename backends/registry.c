/* SPDX-License-Identifier: MIT */
/*
 * registry.c - the table of backends and the facts of the platform.
 *
 * Platform #ifs appear in the backend files, in registry.h's table of
 * platforms and here, and in CMake, which decides which backend files are
 * compiled and defines the LP_HAVE_* macros tested below.  (Beneath the
 * backends, sys/, loader/ and probes/ keep one file per OS family, which
 * CMake picks.)  The order of lp_backends[] is the order of the matrix
 * rows; every cell belongs to at most one backend.
 */
#include "registry.h"

#include <stddef.h>

const struct lp_backend *const lp_backends[] = {
#if LP_HAVE_EPOLL
    &lp_backend_epoll,
#endif
#if LP_HAVE_EPOLL_SHIM
    &lp_backend_epoll_shim,
#endif
#if LP_HAVE_POLL
    &lp_backend_poll,
#endif
#if LP_HAVE_SELECT
    &lp_backend_select,
#endif
#if LP_HAVE_IO_URING
    &lp_backend_io_uring,
#endif
#if LP_HAVE_LINUXAIO
    &lp_backend_linuxaio,
#endif
#if LP_HAVE_KQUEUE
    &lp_backend_kqueue,
#endif
#if LP_HAVE_IOCP
    &lp_backend_iocp,
    &lp_backend_wsapoll,
    &lp_backend_winselect,
#endif
#if LP_HAVE_LIBUV
    &lp_backend_libuv,
#endif
#if LP_HAVE_LIBEV
    &lp_backend_libev,
#endif
#if LP_HAVE_LIBEVENT
    &lp_backend_libevent,
#endif
    NULL,
};

const struct lp_libdesc *const lp_libraries[] = {
#if LP_HAVE_IO_URING && LP_HAVE_LIBURING
    &lp_lib_liburing,
#endif
#if LP_HAVE_LIBUV
    &lp_lib_libuv,
#endif
#if LP_HAVE_LIBEV
    &lp_lib_libev,
#endif
#if LP_HAVE_LIBEVENT
    &lp_lib_libevent,
#endif
#if LP_HAVE_KQUEUE && defined(__linux__) /* a shim: kqueue over epoll */
    &lp_lib_libkqueue,
#endif
#if LP_HAVE_EPOLL_SHIM /* a shim: epoll over kqueue (epoll-shim), or over IOCP (wepoll) */
    &lp_lib_epoll_shim,
#endif
    NULL,
};

unsigned lp_native_mechanisms(void)
{
  return LP_MECHS_NATIVE;
}

const struct lp_backend *lp_backend_for(enum lp_mechanism m, enum lp_layer l)
{
  size_t i;

  for (i = 0; lp_backends[i]; i++)
    if ((lp_backends[i]->mechanisms & LP_BIT(m)) && (lp_backends[i]->layers & LP_BIT(l)))
      return lp_backends[i];
  return NULL;
}

#if defined(__linux__)
#define LP_LIB_HINT(debian_package) " (install " debian_package " and rebuild)"
#else
/* Cross builds (Windows, macOS) find no library for the target. */
#define LP_LIB_HINT(debian_package) " (none was found for this target at configure time)"
#endif

static const char *library_absent(enum lp_layer l)
{
  switch (l) {
  case LP_LAYER_LIBUV:
    return "built without libuv" LP_LIB_HINT("libuv1-dev");
  case LP_LAYER_LIBEV:
    return "built without libev" LP_LIB_HINT("libev-dev");
  case LP_LAYER_LIBEVENT:
    return "built without libevent" LP_LIB_HINT("libevent-dev");
  default:
    return NULL;
  }
}

static int layer_built(enum lp_layer l)
{
  size_t i;

  for (i = 0; lp_backends[i]; i++)
    if (lp_backends[i]->layers & LP_BIT(l))
      return 1;
  return 0;
}

const char *lp_unbuilt_reason(enum lp_mechanism m, enum lp_layer l, enum lp_verdict *verdict)
{
  const char *lib = library_absent(l);

  *verdict = LP_VERDICT_SKIPPED;
  if (l == LP_LAYER_PYTHON)
    return "probed only by the Python binding, inside a Python process";
  *verdict = LP_VERDICT_NA;
  if (!(lp_native_mechanisms() & LP_BIT(m)))
    return "not a mechanism of this platform";
  if (lib && layer_built(l))
    return "the library does not implement this mechanism on this platform";
  *verdict = LP_VERDICT_SKIPPED;
  if (lib)
    return lib;
  return "no backend for this cell was built into this loopprobe";
}

int lp_mechanism_native(enum lp_mechanism m)
{
  return (unsigned)m < LP_MECH_COUNT && (lp_native_mechanisms() & LP_BIT(m)) != 0;
}

int lp_cell_built(enum lp_mechanism m, enum lp_layer l)
{
  if ((unsigned)m >= LP_MECH_COUNT || (unsigned)l >= LP_LAYER_COUNT)
    return 0;
  return lp_backend_for(m, l) != NULL;
}
