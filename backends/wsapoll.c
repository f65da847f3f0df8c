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
#include "winsock.h"

#include "../probes/sys.h"

/* A wait that must time out with the socket not readable. */
static int empty_wait(SOCKET s, const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  WSAPOLLFD pfd;
  int timeout = lp_ctx_wait_ms(ctx), n;
  int64_t t0;

  pfd.fd = s;
  pfd.events = POLLRDNORM;
  pfd.revents = 0;
  lp_obs_enter(o, "WSAPoll");
  t0 = lp_mono_ns();
  n = WSAPoll(&pfd, 1, timeout);
  if (n == SOCKET_ERROR)
    return lp_obs_fail_win(o, "WSAPoll", (unsigned long)WSAGetLastError());
  if (timeout > 0)
    lp_obs_sample(o, (int64_t)timeout * 1000, (lp_mono_ns() - t0) / 1000);
  if (n > 0)
    return lp_obs_misbehave(o, LP_MIS_EARLY_EVENT,
                            "WSAPoll() reported revents %#x before anything was sent",
                            (unsigned)pfd.revents);
  return 0;
}

/* A wait of up to timeout ms that must (want != 0) or must not report the
   socket readable. */
static int readable(SOCKET s, int timeout, int want, const char *what, struct lp_obs *o)
{
  WSAPOLLFD pfd;
  int n;

  pfd.fd = s;
  pfd.events = POLLRDNORM;
  pfd.revents = 0;
  lp_obs_enter(o, "WSAPoll");
  n = WSAPoll(&pfd, 1, timeout);
  if (n == SOCKET_ERROR)
    return lp_obs_fail_win(o, "WSAPoll", (unsigned long)WSAGetLastError());
  if (want && n == 0)
    return lp_obs_misbehave(o, LP_MIS_LOST_EVENT, "no readiness %s", what);
  if (want && (n != 1 || !(pfd.revents & POLLRDNORM)))
    return lp_obs_misbehave(o, LP_MIS_WRONG_DATA, "WSAPoll() returned %d with revents %#x %s", n,
                            (unsigned)pfd.revents, what);
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
  lp_obs_ok(o, "a loopback TCP socket: not readable before data, POLLRDNORM after, not once "
               "drained; timeouts honoured");
out:
  lp_sockpair_close(&p);
  if (wsa)
    lp_winsock_stop();
}

static void wsapoll_probe(enum lp_mechanism mech, enum lp_layer layer,
                          const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  (void)mech;
  if (layer == LP_LAYER_SYSCALL) {
    lp_obs_status(o, LP_OBS_NA,
                  "Windows has no stable system call interface (the numbers change between "
                  "builds); the api layer is the lowest one");
    return;
  }
  lp_obs_provider(o, "WSAPoll", "ws2_32.dll");
  lp_obs_checkpoint(o);
  round_trip(ctx, o);
}

const struct lp_backend lp_backend_wsapoll = {
    "wsapoll",
    LP_BIT(LP_MECH_WSAPOLL),
    LP_BIT(LP_LAYER_SYSCALL) | LP_BIT(LP_LAYER_API),
    wsapoll_probe,
    NULL,
};
