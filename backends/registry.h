/* SPDX-License-Identifier: MIT */
/*
 * registry.h - every backend descriptor, and the one ordered table of the
 * backends built into this loopprobe.  A backend file includes this header
 * so the compiler checks its descriptor against the declaration.
 */
#ifndef LP_REGISTRY_H
#define LP_REGISTRY_H

#include "backend.h"

/*
 * The one table of platforms: the mechanisms native to each family, and
 * the ones each event library implements there - libuv's one backend per
 * platform (its CMakeLists.txt), libev 4.33's EV_USE_* defaults, libevent
 * 2.1's eventops[].  A library backend declares LP_MECHS_<LIBRARY>; a cell
 * outside it is "na" for that library.
 */
#define LP_M(x) LP_BIT(LP_MECH_##x)
#if defined(__linux__)
#define LP_MECHS_NATIVE (LP_M(EPOLL) | LP_M(POLL) | LP_M(SELECT) | LP_M(IO_URING) | LP_M(LINUXAIO))
#define LP_MECHS_LIBUV LP_M(EPOLL)
#define LP_MECHS_LIBEV (LP_M(SELECT) | LP_M(POLL) | LP_M(EPOLL) | LP_M(LINUXAIO) | LP_M(IO_URING))
#define LP_MECHS_LIBEVENT (LP_M(EPOLL) | LP_M(POLL) | LP_M(SELECT))
#elif defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__) || \
    defined(__DragonFly__)
#define LP_MECHS_NATIVE (LP_M(KQUEUE) | LP_M(POLL) | LP_M(SELECT))
#define LP_MECHS_LIBUV LP_M(KQUEUE)
#define LP_MECHS_LIBEV (LP_M(SELECT) | LP_M(POLL) | LP_M(KQUEUE))
#define LP_MECHS_LIBEVENT (LP_M(KQUEUE) | LP_M(POLL) | LP_M(SELECT))
#elif defined(_WIN32)
#define LP_MECHS_NATIVE (LP_M(IOCP) | LP_M(WSAPOLL) | LP_M(SELECT))
#define LP_MECHS_LIBUV LP_M(IOCP)
#define LP_MECHS_LIBEV LP_M(SELECT)
#define LP_MECHS_LIBEVENT LP_M(SELECT)
#elif defined(__sun)
#define LP_MECHS_NATIVE (LP_M(EVPORT) | LP_M(DEVPOLL) | LP_M(POLL) | LP_M(SELECT))
#define LP_MECHS_LIBUV LP_M(EVPORT)
#define LP_MECHS_LIBEV (LP_M(SELECT) | LP_M(POLL) | LP_M(EVPORT))
#define LP_MECHS_LIBEVENT (LP_M(EVPORT) | LP_M(DEVPOLL) | LP_M(POLL) | LP_M(SELECT))
#else /* another POSIX system: what every one has */
#define LP_MECHS_NATIVE (LP_M(POLL) | LP_M(SELECT))
#define LP_MECHS_LIBUV 0u
#define LP_MECHS_LIBEV (LP_M(SELECT) | LP_M(POLL))
#define LP_MECHS_LIBEVENT (LP_M(POLL) | LP_M(SELECT))
#endif

extern const struct lp_backend lp_backend_epoll;
extern const struct lp_backend lp_backend_epoll_shim;
extern const struct lp_backend lp_backend_poll;
extern const struct lp_backend lp_backend_select;
extern const struct lp_backend lp_backend_io_uring;
extern const struct lp_backend lp_backend_linuxaio;
extern const struct lp_backend lp_backend_kqueue;
extern const struct lp_backend lp_backend_iocp;
extern const struct lp_backend lp_backend_wsapoll;
extern const struct lp_backend lp_backend_winselect;
extern const struct lp_backend lp_backend_libuv;
extern const struct lp_backend lp_backend_libev;
extern const struct lp_backend lp_backend_libevent;

/* The libraries loaded at run time, each defined by the backend that uses
   it (declared here even when that backend is not built). */
extern const struct lp_libdesc lp_lib_liburing;
extern const struct lp_libdesc lp_lib_libuv;
extern const struct lp_libdesc lp_lib_libev;
extern const struct lp_libdesc lp_lib_libevent;
extern const struct lp_libdesc lp_lib_libkqueue;
extern const struct lp_libdesc lp_lib_epoll_shim;

/* The libraries this loopprobe loads at run time, in the order reports
   list them; NULL-terminated. */
extern const struct lp_libdesc *const lp_libraries[];

/* The backends built in, in matrix order; NULL-terminated. */
extern const struct lp_backend *const lp_backends[];

/* LP_BIT(m) for each mechanism native to the platform loopprobe was built for. */
unsigned lp_native_mechanisms(void);

/* The backend that speaks for cell (m, l), or NULL when none is built in. */
const struct lp_backend *lp_backend_for(enum lp_mechanism m, enum lp_layer l);

/* Why a cell no backend speaks for is what it is: fills *verdict with
   LP_VERDICT_NA or LP_VERDICT_SKIPPED and returns a line for a person. */
const char *lp_unbuilt_reason(enum lp_mechanism m, enum lp_layer l, enum lp_verdict *verdict);

#endif
