/* SPDX-License-Identifier: MIT */
/*
 * select.c - select(2) and its variant pselect(2), at the syscall layer
 * (Linux) and the api layer (any POSIX system).
 *
 * Traps: glibc's select() is implemented with the pselect6 system call on
 * x86_64, so a filter that refuses only the old select number leaves the
 * api layer working while the syscall layer fails - both layers exercise
 * both numbers to make that visible.  aarch64 (and every architecture
 * that came after it) has no select system call, only pselect6: there the
 * syscall layer makes that one alone and says so.  fd_set holds descriptors below
 * FD_SETSIZE only; a descriptor above it is undefined behaviour, not an
 * error, so the probe refuses to try.  The kernel may rewrite the timeval
 * it is given; it is rebuilt before every call.
 */
#define _GNU_SOURCE
#include "backend.h"
#include "support/fdpair.h"
#include "registry.h"

#include "../sys/sys.h"
#include "../base/util.h"

#include <errno.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

#if defined(__linux__)
#include <sys/syscall.h>
#define HAVE_RAW_SELECT 1
#endif

/* One layer's way to the two calls.  The names are the calls really made:
   where the layer has one of them only (the syscall layer of aarch64,
   which has no select system call), both are that one, and alone says
   why. */
struct select_ops {
  int (*select)(int nfds, fd_set *r, int timeout_ms);
  int (*pselect)(int nfds, fd_set *r, int timeout_ms);
  const char *select_name;
  const char *alone;
};

#ifdef HAVE_RAW_SELECT
static int sys_pselect(int nfds, fd_set *r, int timeout_ms)
{
  struct timespec ts;

  ts.tv_sec = timeout_ms / 1000;
  ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
  return (int)lp_rawsys(SYS_pselect6, nfds, (long)r, 0, 0, (long)&ts, 0);
}

#ifdef SYS_select
static int sys_select(int nfds, fd_set *r, int timeout_ms)
{
  struct timeval tv;

  tv.tv_sec = timeout_ms / 1000;
  tv.tv_usec = (timeout_ms % 1000) * 1000;
  return (int)lp_rawsys(SYS_select, nfds, (long)r, 0, 0, (long)&tv, 0);
}

static const struct select_ops sys_ops = {sys_select, sys_pselect, "select", NULL};
#else
static const struct select_ops sys_ops = {sys_pselect, sys_pselect, "pselect",
                                          "this architecture has no select system call"};
#endif

/* After a refused call: the same call with nfds=-1 (the kernel answers
   EINVAL) and, where there is one, the other system call with nothing to
   wait for. */
static void second_opinions(struct lp_obs *o)
{
  int pselect_failed = strcmp(o->call, "pselect") == 0;

  if (!pselect_failed && strcmp(o->call, "select") != 0)
    return;
  lp_obs_check(&o->malformed, pselect_failed ? "pselect6(nfds=-1)" : "select(nfds=-1)",
               pselect_failed ? sys_pselect(-1, NULL, 0) : sys_ops.select(-1, NULL, 0));
#ifdef SYS_select
  lp_obs_check(&o->sibling, pselect_failed ? "select(nfds=0)" : "pselect6(nfds=0)",
               pselect_failed ? sys_select(0, NULL, 0) : sys_pselect(0, NULL, 0));
#endif
}
#endif

static int api_select(int nfds, fd_set *r, int timeout_ms)
{
  struct timeval tv;
  int rc;

  tv.tv_sec = timeout_ms / 1000;
  tv.tv_usec = (timeout_ms % 1000) * 1000;
  rc = select(nfds, r, NULL, NULL, &tv);
  return rc < 0 ? -errno : rc;
}

static int api_pselect(int nfds, fd_set *r, int timeout_ms)
{
  struct timespec ts;
  int rc;

  ts.tv_sec = timeout_ms / 1000;
  ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
  rc = pselect(nfds, r, NULL, NULL, &ts, NULL);
  return rc < 0 ? -errno : rc;
}

static const struct select_ops api_ops = {api_select, api_pselect, "select", NULL};

static void fill(fd_set *r, int a, int b)
{
  FD_ZERO(r);
  FD_SET(a, r);
  FD_SET(b, r);
}

static int empty_wait(const struct select_ops *ops, int variant, int a, int b,
                      const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  const char *call = variant ? "pselect" : ops->select_name;
  int timeout = lp_ctx_wait_ms(ctx);
  fd_set r;
  int64_t t0;
  int n;

  lp_obs_enter(o, call);
  t0 = lp_mono_ns();
  do { /* after EINTR the sets are undefined: fill them again */
    fill(&r, a, b);
    n = (variant ? ops->pselect : ops->select)((a > b ? a : b) + 1, &r, timeout);
  } while (n == -EINTR);
  if (n < 0)
    return lp_obs_fail(o, call, -n);
  if (timeout > 0)
    lp_obs_sample(o, (int64_t)timeout * 1000, (lp_mono_ns() - t0) / 1000);
  if (n > 0)
    return lp_obs_misbehave(o, LP_MIS_EARLY_EVENT,
                            "%s() reported %d ready descriptor(s) before any data was written",
                            call, n);
  return 0;
}

static int readiness(const struct select_ops *ops, struct lp_fdpair *a, struct lp_fdpair *b,
                     const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  int nfds = (a->rd > b->rd ? a->rd : b->rd) + 1;
  fd_set r;
  int n;

  lp_obs_enter(o, ops->select_name);
  do {
    fill(&r, a->rd, b->rd);
    n = ops->select(nfds, &r, (int)ctx->event_wait_ms);
  } while (n == -EINTR);
  if (n < 0)
    return lp_obs_fail(o, ops->select_name, -n);
  if (n == 0)
    return lp_obs_misbehave(o, LP_MIS_LOST_EVENT, "%s() saw nothing after a write",
                            ops->select_name);
  if (n != 1 || !FD_ISSET(b->rd, &r) || FD_ISSET(a->rd, &r))
    return lp_obs_misbehave(o, LP_MIS_WRONG_DATA,
                            "%s() returned %d and marked the wrong descriptor", ops->select_name,
                            n);
  lp_fdpair_drain(b);
  fill(&r, a->rd, b->rd);
  n = ops->select(nfds, &r, 0);
  if (n < 0)
    return lp_obs_fail(o, ops->select_name, -n);
  if (n > 0)
    return lp_obs_misbehave(o, LP_MIS_REPEATED, "a drained pipe was still reported readable");
  return 0;
}

static void round_trip(const struct select_ops *ops, const struct lp_probe_ctx *ctx,
                       struct lp_obs *o)
{
  struct lp_fdpair a = LP_FDPAIR_INIT, b = LP_FDPAIR_INIT;

  if (lp_fdpair_open(&a, o) < 0 || lp_fdpair_open(&b, o) < 0)
    goto out;
  if (a.rd >= FD_SETSIZE || b.rd >= FD_SETSIZE) {
    lp_obs_fail(o, "select", EBADF);
    lp_fmt(o->detail, sizeof(o->detail), "descriptor %d is beyond FD_SETSIZE (%d)",
           a.rd > b.rd ? a.rd : b.rd, FD_SETSIZE);
    goto out;
  }
  if (empty_wait(ops, 0, a.rd, b.rd, ctx, o) < 0 || empty_wait(ops, 1, a.rd, b.rd, ctx, o) < 0 ||
      lp_fdpair_poke(&b, o) < 0 || readiness(ops, &a, &b, ctx, o) < 0)
    goto out;
  if (ops->alone)
    lp_obs_ok(o, "round trip on two pipes with pselect6() alone: %s", ops->alone);
  else
    lp_obs_ok(o, "round trip on two pipes with select() and pselect()");
out:
  lp_fdpair_close(&a);
  lp_fdpair_close(&b);
}

static void select_probe(enum lp_mechanism mech, enum lp_layer layer,
                         const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  (void)mech;
  if (layer == LP_LAYER_SYSCALL) {
#ifdef HAVE_RAW_SELECT
    round_trip(&sys_ops, ctx, o);
    if (o->status == LP_OBS_FAILED)
      second_opinions(o);
#else
    lp_obs_status(o, LP_OBS_NA, "this platform offers no stable system call interface");
#endif
    return;
  }
  lp_obs_provider(o, "select", "c");
  lp_obs_provider(o, "pselect", "c");
  lp_obs_checkpoint(o);
  round_trip(&api_ops, ctx, o);
}

const struct lp_backend lp_backend_select = {
    .name = "select",
    .mechanisms = LP_BIT(LP_MECH_SELECT),
    .layers = LP_BIT(LP_LAYER_SYSCALL) | LP_BIT(LP_LAYER_API),
    .probe = select_probe,
};
