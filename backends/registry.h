/* SPDX-License-Identifier: MIT */
/*
 * registry.h - every backend descriptor, and the one ordered table of the
 * backends built into this loopprobe.  A backend file includes this header
 * so the compiler checks its descriptor against the declaration.
 */
#ifndef LP_REGISTRY_H
#define LP_REGISTRY_H

#include "backend.h"

extern const struct lp_backend lp_backend_epoll;
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
