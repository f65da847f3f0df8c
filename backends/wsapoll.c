/* SPDX-License-Identifier: MIT */
/*
 * wsapoll.c - Windows WSAPoll(), at the api layer.
 *
 * Traps: WSAPoll() takes sockets only, and returns SOCKET_ERROR with
 * WSAEINVAL rather than sleeping when it is given none.  Before Windows 10
 * 2004 it did not report a failed non-blocking connect() at all (no POLLERR,
 * no POLLHUP), which is why libuv and libevent never use it; the probe
 * checks readiness on an established loopback TCP pair, where every
 * release agrees.  It reports POLLRDNORM for POLLIN and refuses some POSIX
 * flags (POLLPRI on a TCP socket gives WSAEINVAL), so the probe asks for
 * POLLRDNORM.  There is no stable system call under it: the syscall layer
 * does not exist here.
 */
#include "backend.h"
#include "registry.h"
#include "support/winsock.h"

/* WSAPoll() on s for reading; returns its result, or SOCKET_ERROR. */
static int poll_one(SOCKET s, int timeout_ms, int *ready)
{
  WSAPOLLFD pfd;
  int n;

  pfd.fd = s;
  pfd.events = POLLRDNORM;
  pfd.revents = 0;
  n = WSAPoll(&pfd, 1, timeout_ms);
  *ready = n > 0 && (pfd.revents & POLLRDNORM);
  return n;
}

static const struct lp_readiness wsapoll = {"WSAPoll", poll_one};

static void wsapoll_probe(enum lp_mechanism mech, enum lp_layer layer,
                          const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  (void)mech;
  if (lp_win_syscall_na(layer, o))
    return;
  lp_obs_provider(o, "WSAPoll", "ws2_32.dll");
  if (lp_obs_checkpoint(o) == 0)
    lp_readiness_round_trip(&wsapoll, ctx, o);
}

const struct lp_backend lp_backend_wsapoll = {
    .name = "wsapoll",
    .mechanisms = LP_BIT(LP_MECH_WSAPOLL),
    .layers = LP_BIT(LP_LAYER_SYSCALL) | LP_BIT(LP_LAYER_API),
    .probe = wsapoll_probe,
};
