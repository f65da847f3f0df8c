/* SPDX-License-Identifier: MIT */
/*
 * winselect.c - Winsock select(), at the api layer (mechanism "select").
 *
 * Traps: Winsock's fd_set is not a bitmap but a counted array of SOCKET
 * handles (FD_SETSIZE defaults to 64 entries, not descriptor numbers), and
 * the first argument is ignored.  select() takes sockets only, and with
 * every set empty it fails with WSAEINVAL instead of sleeping, so it
 * cannot stand in for a sleep the way POSIX programs use it.  A timeout of
 * a few milliseconds is rounded to the system timer on real Windows,
 * which is within what the classifier allows.  There is no stable system
 * call under it: the syscall layer does not exist here.
 */
#include "backend.h"
#include "registry.h"
#include "support/winsock.h"

/* select() on s for reading; returns its result, or SOCKET_ERROR. */
static int select_one(SOCKET s, int timeout_ms, int *ready)
{
  fd_set rfds;
  struct timeval tv;
  int n;

  FD_ZERO(&rfds);
  FD_SET(s, &rfds);
  tv.tv_sec = timeout_ms / 1000;
  tv.tv_usec = (timeout_ms % 1000) * 1000;
  n = select(0, &rfds, NULL, NULL, &tv);
  *ready = n > 0 && FD_ISSET(s, &rfds);
  return n;
}

static const struct lp_readiness winselect = {"select", select_one};

static void winselect_probe(enum lp_mechanism mech, enum lp_layer layer,
                            const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  (void)mech;
  if (lp_win_syscall_na(layer, o))
    return;
  lp_obs_provider(o, "select", "ws2_32.dll");
  if (lp_obs_checkpoint(o) == 0)
    lp_readiness_round_trip(&winselect, ctx, o);
}

const struct lp_backend lp_backend_winselect = {
    .name = "winselect",
    .mechanisms = LP_BIT(LP_MECH_SELECT),
    .layers = LP_BIT(LP_LAYER_SYSCALL) | LP_BIT(LP_LAYER_API),
    .probe = winselect_probe,
};
