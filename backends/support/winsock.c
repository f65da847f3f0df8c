/* SPDX-License-Identifier: MIT */
/*
 * winsock.c - the loopback TCP pair the Windows probes register.
 *
 * Traps: Windows has no socketpair() and its pipes cannot be waited on by
 * WSAPoll(), select() or an overlapped WSARecv(), so the pair is a real TCP
 * connection through 127.0.0.1.  Nagle's algorithm would hold a lone byte
 * back for up to 200 ms, so the sending end has TCP_NODELAY.  Winsock keeps
 * a reference count of WSAStartup() calls: each probe starts and stops it
 * once, so the pair never outlives the library that made it.
 */
#include "winsock.h"

#include "../../sys/sys.h"

#include "../../base/util.h"
#include "../../sys/win.h"

#include <string.h>
#include <ws2tcpip.h>

int lp_obs_fail_win(struct lp_obs *o, const char *call, unsigned long code)
{
  const char *name = lp_win_error_name(code);

  if (o->status == LP_OBS_FAILED)
    return -1;
  lp_obs_fail(o, call, (int)code);
  o->err_win = 1;
  lp_strlcpy(o->err_name, name ? name : "", sizeof(o->err_name));
  if (name)
    lp_fmt(o->detail, sizeof(o->detail), "%s() failed with %s (Windows error %lu)", call, name,
           code);
  else
    lp_fmt(o->detail, sizeof(o->detail), "%s() failed with Windows error %lu", call, code);
  return -1;
}

int lp_winsock_start(struct lp_obs *o)
{
  WSADATA wsa;
  int rc = WSAStartup(MAKEWORD(2, 2), &wsa);

  return rc != 0 ? lp_obs_fail_win(o, "WSAStartup", (unsigned long)rc) : 0;
}

void lp_winsock_stop(void)
{
  WSACleanup();
}

static int sock_fail(struct lp_obs *o, const char *call)
{
  return lp_obs_fail_win(o, call, (unsigned long)WSAGetLastError());
}

/* A listener on 127.0.0.1 and an ephemeral port; its address in *addr. */
static SOCKET listener(struct sockaddr_in *addr, struct lp_obs *o)
{
  SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  int len = (int)sizeof(*addr);

  if (l == INVALID_SOCKET) {
    sock_fail(o, "socket");
    return INVALID_SOCKET;
  }
  memset(addr, 0, sizeof(*addr));
  addr->sin_family = AF_INET;
  addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr->sin_port = 0;
  if (bind(l, (struct sockaddr *)addr, (int)sizeof(*addr)) != 0)
    sock_fail(o, "bind");
  else if (listen(l, 1) != 0)
    sock_fail(o, "listen");
  else if (getsockname(l, (struct sockaddr *)addr, &len) != 0)
    sock_fail(o, "getsockname");
  else
    return l;
  closesocket(l);
  return INVALID_SOCKET;
}

int lp_sockpair_open(struct lp_sockpair *p, struct lp_obs *o)
{
  struct sockaddr_in addr;
  SOCKET l = listener(&addr, o);
  u_long on = 1;
  int nodelay = 1;
  int rc = -1;

  if (l == INVALID_SOCKET)
    return -1;
  p->wr = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (p->wr == INVALID_SOCKET) {
    sock_fail(o, "socket");
    goto out;
  }
  if (connect(p->wr, (struct sockaddr *)&addr, (int)sizeof(addr)) != 0) {
    sock_fail(o, "connect");
    goto out;
  }
  p->rd = accept(l, NULL, NULL);
  if (p->rd == INVALID_SOCKET) {
    sock_fail(o, "accept");
    goto out;
  }
  if (setsockopt(p->wr, IPPROTO_TCP, TCP_NODELAY, (const char *)&nodelay, sizeof(nodelay)) != 0) {
    sock_fail(o, "setsockopt");
    goto out;
  }
  if (ioctlsocket(p->rd, FIONBIO, &on) != 0) {
    sock_fail(o, "ioctlsocket");
    goto out;
  }
  rc = 0;
out:
  closesocket(l);
  return rc;
}

int lp_sockpair_poke(struct lp_sockpair *p, struct lp_obs *o)
{
  lp_obs_enter(o, "send");
  if (send(p->wr, "x", 1, 0) != 1)
    return sock_fail(o, "send");
  return 0;
}

void lp_sockpair_drain(struct lp_sockpair *p)
{
  char buf[64];

  while (recv(p->rd, buf, (int)sizeof(buf), 0) > 0)
    ;
}

void lp_sockpair_close(struct lp_sockpair *p)
{
  if (p->rd != INVALID_SOCKET)
    closesocket(p->rd);
  if (p->wr != INVALID_SOCKET)
    closesocket(p->wr);
  p->rd = INVALID_SOCKET;
  p->wr = INVALID_SOCKET;
}

/* A wait that must time out with the socket not readable. */
static int empty_wait(const struct lp_readiness *r, SOCKET s, const struct lp_probe_ctx *ctx,
                      struct lp_obs *o)
{
  int timeout = lp_ctx_wait_ms(ctx), ready = 0, n;
  int64_t t0;

  lp_obs_enter(o, r->call);
  t0 = lp_mono_ns();
  n = r->wait(s, timeout, &ready);
  if (n == SOCKET_ERROR)
    return lp_obs_fail_win(o, r->call, (unsigned long)WSAGetLastError());
  if (timeout > 0)
    lp_obs_sample(o, (int64_t)timeout * 1000, (lp_mono_ns() - t0) / 1000);
  if (n > 0)
    return lp_obs_misbehave(o, LP_MIS_EARLY_EVENT,
                            "%s() reported %d ready socket(s) before anything was sent", r->call,
                            n);
  return 0;
}

/* A wait of up to timeout ms that must (want != 0) or must not report the
   socket readable. */
static int readable(const struct lp_readiness *r, SOCKET s, int timeout, int want, const char *what,
                    struct lp_obs *o)
{
  int ready = 0, n;

  lp_obs_enter(o, r->call);
  n = r->wait(s, timeout, &ready);
  if (n == SOCKET_ERROR)
    return lp_obs_fail_win(o, r->call, (unsigned long)WSAGetLastError());
  if (want && n == 0)
    return lp_obs_misbehave(o, LP_MIS_LOST_EVENT, "no readiness %s", what);
  if (want && (n != 1 || !ready))
    return lp_obs_misbehave(o, LP_MIS_WRONG_DATA, "%s() returned %d without the socket readable %s",
                            r->call, n, what);
  if (!want && n > 0)
    return lp_obs_misbehave(o, LP_MIS_REPEATED, "%s", what);
  return 0;
}

int lp_win_syscall_na(enum lp_layer layer, struct lp_obs *o)
{
  if (layer != LP_LAYER_SYSCALL)
    return 0;
  lp_obs_status(o, LP_OBS_NA,
                "Windows has no stable system call interface (the numbers change between "
                "builds); the api layer is the lowest one");
  return 1;
}

void lp_readiness_round_trip(const struct lp_readiness *r, const struct lp_probe_ctx *ctx,
                             struct lp_obs *o)
{
  struct lp_sockpair p = LP_SOCKPAIR_INIT;
  int wsa = 0;

  if (lp_winsock_start(o) < 0)
    goto out;
  wsa = 1;
  if (lp_sockpair_open(&p, o) < 0 || empty_wait(r, p.rd, ctx, o) < 0 ||
      empty_wait(r, p.rd, ctx, o) < 0 || lp_sockpair_poke(&p, o) < 0 ||
      readable(r, p.rd, (int)ctx->event_wait_ms, 1, "after the peer sent a byte", o) < 0)
    goto out;
  lp_sockpair_drain(&p);
  if (readable(r, p.rd, 0, 0, "a drained socket was still reported readable", o) < 0)
    goto out;
  lp_obs_ok(o, "a loopback TCP socket: not readable before data, readable after, not once "
               "drained; timeouts honoured");
out:
  lp_sockpair_close(&p);
  if (wsa)
    lp_winsock_stop();
}
