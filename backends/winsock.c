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

#include "../probes/util.h"
#include "../probes/win.h"

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
