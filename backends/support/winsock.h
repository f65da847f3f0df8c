/* SPDX-License-Identifier: MIT */
/*
 * winsock.h - what the Windows probes share: Winsock start-up, a loopback
 * TCP pair to register, and failures recorded with the names of Windows
 * error codes.  Compiled on Windows only.
 */
#ifndef LP_WINSOCK_H
#define LP_WINSOCK_H

#include "../backend.h"

#include <winsock2.h>

/* A connected loopback TCP pair: the probe watches rd, the peer sends on wr. */
struct lp_sockpair {
  SOCKET rd;
  SOCKET wr;
};

#define LP_SOCKPAIR_INIT                                                                           \
  {                                                                                                \
    INVALID_SOCKET, INVALID_SOCKET                                                                 \
  }

/* WSAStartup(2.2); records failure in o.  Pair each success with
   lp_winsock_stop(). */
int lp_winsock_start(struct lp_obs *o);
void lp_winsock_stop(void);

/* Connects the pair through a listener on 127.0.0.1 and an ephemeral port;
   rd is non-blocking.  On failure records the call and error in o. */
int lp_sockpair_open(struct lp_sockpair *p, struct lp_obs *o);
/* The peer sends one byte ('x'). */
int lp_sockpair_poke(struct lp_sockpair *p, struct lp_obs *o);
/* Reads whatever rd has buffered. */
void lp_sockpair_drain(struct lp_sockpair *p);
void lp_sockpair_close(struct lp_sockpair *p);

/* A readiness mechanism on one socket, for lp_readiness_round_trip(). */
struct lp_readiness {
  const char *call; /* "WSAPoll", "select" */
  /* Waits up to timeout_ms for s to become readable: returns how many
     sockets are ready (and sets *readable), or SOCKET_ERROR. */
  int (*wait)(SOCKET s, int timeout_ms, int *readable);
};

/* The round trip WSAPoll and Winsock select share, on a loopback TCP
   pair: not readable before data (two timed empty waits), readable once
   the peer sends, not readable once drained. */
void lp_readiness_round_trip(const struct lp_readiness *r, const struct lp_probe_ctx *ctx,
                             struct lp_obs *o);

/* Windows has no stable system call table, so every Windows backend
   answers "n/a" at the syscall layer.  Returns 1 (and records it in o)
   when layer is the syscall layer; the probe then returns. */
int lp_win_syscall_na(enum lp_layer layer, struct lp_obs *o);

/* lp_obs_fail() for a Windows error code (GetLastError, WSAGetLastError):
   the name is the Windows one ("WSAEWOULDBLOCK") and o->err_win is set.
   Returns -1. */
int lp_obs_fail_win(struct lp_obs *o, const char *call, unsigned long code);

#endif
