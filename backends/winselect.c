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
#include "winsock.h"

#include "../probes/sys.h"

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

/* A wait that must time out with the socket not readable. */
static int empty_wait(SOCKET s, const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  int timeout = lp_ctx_wait_ms(ctx), ready = 0, n;
  int64_t t0;

  lp_obs_enter(o, "select");
  t0 = lp_mono_ns();
  n = select_one(s, timeout, &ready);
  if (n == SOCKET_ERROR)
    return lp_obs_fail_win(o, "select", (unsigned long)WSAGetLastError());
  if (timeout > 0)
    lp_obs_sample(o, (int64_t)timeout * 1000, (lp_mono_ns() - t0) / 1000);
  if (n > 0)
    return lp_obs_misbehave(o, LP_MIS_EARLY_EVENT,
                            "select() reported %d ready socket(s) before anything was sent", n);
  return 0;
}

/* A wait of up to timeout ms that must (want != 0) or must not report the
   socket readable. */
static int readable(SOCKET s, int timeout, int want, const char *what, struct lp_obs *o)
{
  int ready = 0, n;

  lp_obs_enter(o, "select");
  n = select_one(s, timeout, &ready);
  if (n == SOCKET_ERROR)
    return lp_obs_fail_win(o, "select", (unsigned long)WSAGetLastError());
  if (want && n == 0)
    return lp_obs_misbehave(o, LP_MIS_LOST_EVENT, "no readiness %s", what);
  if (want && (n != 1 || !ready))
    return lp_obs_misbehave(o, LP_MIS_WRONG_DATA,
                            "select() returned %d without the socket in its set %s", n, what);
  if (!want && n > 0)
    return lp_obs_misbehave(o, LP_MIS_REPEATED, "%s", what);
  return 0;
}

static void round_trip(const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  struct lp_sockpair p = LP_SOCKPAIR_INIT;
  int wsa = 0;

  if (lp_winsock_start(o) < 0)
    goto out;
  wsa = 1;
  if (lp_sockpair_open(&p, o) < 0 || empty_wait(p.rd, ctx, o) < 0 || empty_wait(p.rd, ctx, o) < 0 ||
      lp_sockpair_poke(&p, o) < 0 ||
      readable(p.rd, (int)ctx->event_wait_ms, 1, "after the peer sent a byte", o) < 0)
    goto out;
  lp_sockpair_drain(&p);
  if (readable(p.rd, 0, 0, "a drained socket was still reported readable", o) < 0)
    goto out;
  lp_obs_ok(o, "a loopback TCP socket: not readable before data, readable after, not once "
               "drained; timeouts honoured");
out:
  lp_sockpair_close(&p);
  if (wsa)
    lp_winsock_stop();
}

static void winselect_probe(enum lp_mechanism mech, enum lp_layer layer,
                            const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  (void)mech;
  if (layer == LP_LAYER_SYSCALL) {
    lp_obs_status(o, LP_OBS_NA,
                  "Windows has no stable system call interface (the numbers change between "
                  "builds); the api layer is the lowest one");
    return;
  }
  lp_obs_provider(o, "select", "ws2_32.dll");
  lp_obs_checkpoint(o);
  round_trip(ctx, o);
}

const struct lp_backend lp_backend_winselect = {
    "winselect",
    LP_BIT(LP_MECH_SELECT),
    LP_BIT(LP_LAYER_SYSCALL) | LP_BIT(LP_LAYER_API),
    winselect_probe,
    NULL,
};
