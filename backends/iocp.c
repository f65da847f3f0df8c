/* SPDX-License-Identifier: MIT */
/*
 * iocp.c - Windows I/O completion ports, at the api layer.
 *
 * Traps: a completion port reports finished operations, not readiness, so
 * the probe starts an overlapped WSARecv() and must see it complete once,
 * after the peer sends and not before.  A WSARecv() that finds data already
 * there may succeed at once and still queue its completion to the port
 * (unless FILE_SKIP_COMPLETION_PORT_ON_SUCCESS is set), so an immediate
 * success before anything was sent is the misbehaviour, not the queued
 * packet.  GetQueuedCompletionStatus() reports a timeout as FALSE with
 * WAIT_TIMEOUT and a NULL OVERLAPPED, whereas FALSE with an OVERLAPPED is a
 * failed operation that was dequeued.  An operation still pending when its
 * socket closes completes later and writes into its OVERLAPPED, so the
 * probe cancels it and waits before that memory goes.  Windows has no
 * stable system call interface (the numbers change between builds): the
 * syscall layer does not exist here.
 */
#include "backend.h"
#include "registry.h"
#include "support/winsock.h"

#include "../sys/sys.h"

#include <string.h>
#include <windows.h>

#define KEY_POSTED ((ULONG_PTR)0x6c70)
#define KEY_SOCKET ((ULONG_PTR)0x6c71)
#define POSTED_BYTES 7

struct recv_op {
  WSAOVERLAPPED ov;
  WSABUF buf;
  char data[16];
  DWORD flags;
  int pending;
};

/* GetQueuedCompletionStatus() that must time out with nothing dequeued. */
static int empty_wait(HANDLE port, const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  DWORD bytes = 0, timeout = (DWORD)lp_ctx_wait_ms(ctx), err;
  ULONG_PTR key = 0;
  OVERLAPPED *ov = NULL;
  int64_t t0;
  BOOL ok;

  lp_obs_enter(o, "GetQueuedCompletionStatus");
  t0 = lp_mono_ns();
  ok = GetQueuedCompletionStatus(port, &bytes, &key, &ov, timeout);
  err = GetLastError();
  if (ok || ov)
    return lp_obs_misbehave(o, LP_MIS_EARLY_EVENT,
                            "GetQueuedCompletionStatus() dequeued a completion (key %#lx) before "
                            "anything was sent",
                            (unsigned long)key);
  if (err != WAIT_TIMEOUT)
    return lp_obs_fail_win(o, "GetQueuedCompletionStatus", err);
  if (timeout > 0)
    lp_obs_sample(o, (int64_t)timeout * 1000, (lp_mono_ns() - t0) / 1000);
  return 0;
}

/* GetQueuedCompletionStatusEx() that must time out with nothing dequeued. */
static int empty_wait_ex(HANDLE port, const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  OVERLAPPED_ENTRY e[4];
  ULONG n = 0;
  DWORD timeout = (DWORD)lp_ctx_wait_ms(ctx), err;
  int64_t t0;
  BOOL ok;

  lp_obs_enter(o, "GetQueuedCompletionStatusEx");
  t0 = lp_mono_ns();
  ok = GetQueuedCompletionStatusEx(port, e, 4, &n, timeout, FALSE);
  err = GetLastError();
  if (ok && n > 0)
    return lp_obs_misbehave(o, LP_MIS_EARLY_EVENT,
                            "GetQueuedCompletionStatusEx() dequeued %lu completion(s) before "
                            "anything was sent",
                            (unsigned long)n);
  if (!ok && err != WAIT_TIMEOUT)
    return lp_obs_fail_win(o, "GetQueuedCompletionStatusEx", err);
  if (timeout > 0)
    lp_obs_sample(o, (int64_t)timeout * 1000, (lp_mono_ns() - t0) / 1000);
  return 0;
}

/* A zero-timeout GetQueuedCompletionStatus() that must find nothing. */
static int no_completion(HANDLE port, const char *what, struct lp_obs *o)
{
  DWORD bytes = 0, err;
  ULONG_PTR key = 0;
  OVERLAPPED *ov = NULL;
  BOOL ok;

  lp_obs_enter(o, "GetQueuedCompletionStatus");
  ok = GetQueuedCompletionStatus(port, &bytes, &key, &ov, 0);
  err = GetLastError();
  if (ok || ov)
    return lp_obs_misbehave(o, LP_MIS_REPEATED, "%s", what);
  return err == WAIT_TIMEOUT ? 0 : lp_obs_fail_win(o, "GetQueuedCompletionStatus", err);
}

/* A completion posted by hand comes back with the same key, OVERLAPPED and
   byte count. */
static int posted(HANDLE port, const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  OVERLAPPED mine, *ov = NULL;
  DWORD bytes = 0;
  ULONG_PTR key = 0;

  memset(&mine, 0, sizeof(mine));
  lp_obs_enter(o, "PostQueuedCompletionStatus");
  if (!PostQueuedCompletionStatus(port, POSTED_BYTES, KEY_POSTED, &mine))
    return lp_obs_fail_win(o, "PostQueuedCompletionStatus", GetLastError());
  lp_obs_enter(o, "GetQueuedCompletionStatus");
  if (!GetQueuedCompletionStatus(port, &bytes, &key, &ov, ctx->event_wait_ms)) {
    DWORD err = GetLastError();
    if (err == WAIT_TIMEOUT && !ov)
      return lp_obs_misbehave(o, LP_MIS_LOST_EVENT, "a posted completion never came back");
    return lp_obs_fail_win(o, "GetQueuedCompletionStatus", err);
  }
  if (key != KEY_POSTED || ov != &mine || bytes != POSTED_BYTES)
    return lp_obs_misbehave(
        o, LP_MIS_WRONG_DATA, "a posted completion came back as key %#lx, %lu bytes, %s OVERLAPPED",
        (unsigned long)key, (unsigned long)bytes, ov == &mine ? "the same" : "another");
  return no_completion(port, "a posted completion came back twice", o);
}

static int start_recv(SOCKET s, struct recv_op *r, struct lp_obs *o)
{
  int err;

  memset(r, 0, sizeof(*r));
  r->buf.buf = r->data;
  r->buf.len = sizeof(r->data);
  lp_obs_enter(o, "WSARecv");
  if (WSARecv(s, &r->buf, 1, NULL, &r->flags, &r->ov, NULL) == 0) {
    r->pending = 1; /* its completion is queued all the same */
    return lp_obs_misbehave(o, LP_MIS_EARLY_EVENT,
                            "WSARecv() completed before the peer sent anything");
  }
  err = WSAGetLastError();
  if (err != WSA_IO_PENDING)
    return lp_obs_fail_win(o, "WSARecv", (unsigned long)err);
  r->pending = 1;
  return 0;
}

/* Cancels a receive that may still be pending and waits until the system
   is done with its OVERLAPPED. */
static void end_recv(SOCKET s, struct recv_op *r)
{
  DWORD n = 0, flags = 0;

  if (!r->pending || s == INVALID_SOCKET)
    return;
  CancelIoEx((HANDLE)s, (OVERLAPPED *)&r->ov);
  WSAGetOverlappedResult(s, &r->ov, &n, TRUE, &flags);
  r->pending = 0;
}

/* GetQueuedCompletionStatusEx() that must return exactly the receive. */
static int recv_completed(HANDLE port, struct recv_op *r, const struct lp_probe_ctx *ctx,
                          struct lp_obs *o)
{
  OVERLAPPED_ENTRY e[4];
  ULONG n = 0;

  lp_obs_enter(o, "GetQueuedCompletionStatusEx");
  if (!GetQueuedCompletionStatusEx(port, e, 4, &n, ctx->event_wait_ms, FALSE)) {
    DWORD err = GetLastError();
    if (err == WAIT_TIMEOUT)
      return lp_obs_misbehave(o, LP_MIS_LOST_EVENT,
                              "the WSARecv() did not complete after the peer sent a byte");
    return lp_obs_fail_win(o, "GetQueuedCompletionStatusEx", err);
  }
  if (n > 1)
    return lp_obs_misbehave(o, LP_MIS_REPEATED, "%lu completions for one WSARecv()",
                            (unsigned long)n);
  if (e[0].lpOverlapped != (OVERLAPPED *)&r->ov || e[0].lpCompletionKey != KEY_SOCKET)
    return lp_obs_misbehave(o, LP_MIS_WRONG_DATA,
                            "the completion carried key %#lx and another OVERLAPPED",
                            (unsigned long)e[0].lpCompletionKey);
  r->pending = 0;
  if (e[0].dwNumberOfBytesTransferred != 1 || r->data[0] != 'x')
    return lp_obs_misbehave(o, LP_MIS_WRONG_DATA,
                            "the WSARecv() completed with %lu byte(s), not the one byte sent",
                            (unsigned long)e[0].dwNumberOfBytesTransferred);
  return 0;
}

static int overlapped_recv(HANDLE port, const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  struct lp_sockpair p = LP_SOCKPAIR_INIT;
  struct recv_op r;
  int rc = -1;

  memset(&r, 0, sizeof(r));
  if (lp_sockpair_open(&p, o) < 0)
    goto out;
  lp_obs_enter(o, "CreateIoCompletionPort");
  if (CreateIoCompletionPort((HANDLE)p.rd, port, KEY_SOCKET, 0) != port) {
    lp_obs_fail_win(o, "CreateIoCompletionPort", GetLastError());
    goto out;
  }
  if (start_recv(p.rd, &r, o) < 0 || empty_wait(port, ctx, o) < 0 ||
      empty_wait_ex(port, ctx, o) < 0 || lp_sockpair_poke(&p, o) < 0 ||
      recv_completed(port, &r, ctx, o) < 0)
    goto out;
  rc = no_completion(port, "one WSARecv() completed twice", o);
out:
  end_recv(p.rd, &r);
  lp_sockpair_close(&p);
  return rc;
}

static void round_trip(const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  HANDLE port = NULL;
  int wsa = 0;

  if (lp_winsock_start(o) < 0)
    goto out;
  wsa = 1;
  lp_obs_enter(o, "CreateIoCompletionPort");
  port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
  if (!port) {
    lp_obs_fail_win(o, "CreateIoCompletionPort", GetLastError());
    goto out;
  }
  if (posted(port, ctx, o) < 0 || overlapped_recv(port, ctx, o) < 0)
    goto out;
  lp_obs_ok(o, "a posted completion; an overlapped WSARecv() on a loopback TCP pair completing "
               "once, after the peer sent; GetQueuedCompletionStatus(Ex) timeouts honoured");
out:
  if (port)
    CloseHandle(port);
  if (wsa)
    lp_winsock_stop();
}

static void iocp_probe(enum lp_mechanism mech, enum lp_layer layer, const struct lp_probe_ctx *ctx,
                       struct lp_obs *o)
{
  (void)mech;
  if (lp_win_syscall_na(layer, o))
    return;
  lp_obs_provider(o, "CreateIoCompletionPort", "kernel32.dll");
  lp_obs_provider(o, "PostQueuedCompletionStatus", "kernel32.dll");
  lp_obs_provider(o, "GetQueuedCompletionStatus", "kernel32.dll");
  lp_obs_provider(o, "GetQueuedCompletionStatusEx", "kernel32.dll");
  lp_obs_provider(o, "WSARecv", "ws2_32.dll");
  if (lp_obs_checkpoint(o) == 0)
    round_trip(ctx, o);
}

const struct lp_backend lp_backend_iocp = {
    .name = "iocp",
    .mechanisms = LP_BIT(LP_MECH_IOCP),
    .layers = LP_BIT(LP_LAYER_SYSCALL) | LP_BIT(LP_LAYER_API),
    .probe = iocp_probe,
};
