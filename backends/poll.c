/* SPDX-License-Identifier: MIT */
/*
 * poll.c - poll(2) and its variant ppoll(2), at the syscall layer (Linux)
 * and the api layer (any POSIX system).
 *
 * Traps: poll and ppoll are separate system call numbers, and glibc's
 * poll() may use either, so the syscall layer exercises both where the
 * architecture has both; aarch64 (and every architecture that came after
 * it) has only ppoll, and there the syscall layer says so.  revents must be set on the descriptor
 * that became ready and only on it.  On macOS poll() is built on kqueue and refuses some device
 * files; the probe uses pipes, which every implementation serves. libfaketime and sanitizer
 * runtimes wrap poll() and ppoll(), so provenance is worth recording even when the round trip
 * works.
 */
#define _GNU_SOURCE
#include "backend.h"
#include "support/fdpair.h"
#include "registry.h"

#include "../sys/sys.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#if defined(__linux__)
#include <sys/syscall.h>
#define HAVE_RAW_POLL 1
#endif

/* One layer's way to the two calls; each returns the result or -errno.
   The names are the calls really made: where the layer has one of them
   only (the syscall layer of aarch64, which has no poll system call), both
   are that one, and alone says why. */
struct poll_ops {
  int (*poll)(struct pollfd *f, nfds_t n, int timeout);
  int (*ppoll)(struct pollfd *f, nfds_t n, int timeout);
  const char *poll_name;
  const char *ppoll_name;
  const char *alone;
};

/* Used by ppoll(), which macOS lacks (LP_HAVE_PPOLL: CMake's check). */
#if defined(HAVE_RAW_POLL) || LP_HAVE_PPOLL
static struct timespec ms_to_ts(int ms)
{
  struct timespec ts;

  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  return ts;
}
#endif

#ifdef HAVE_RAW_POLL
static int sys_ppoll(struct pollfd *f, nfds_t n, int timeout)
{
  struct timespec ts = ms_to_ts(timeout);

  return (int)lp_rawsys(SYS_ppoll, (long)f, (long)n, (long)&ts, 0, 8, 0);
}

#ifdef SYS_poll
static int sys_poll(struct pollfd *f, nfds_t n, int timeout)
{
  return (int)lp_rawsys(SYS_poll, (long)f, (long)n, timeout, 0, 0, 0);
}

static const struct poll_ops sys_ops = {sys_poll, sys_ppoll, "poll", "ppoll", NULL};
#else
static const struct poll_ops sys_ops = {sys_ppoll, sys_ppoll, "ppoll", "ppoll",
                                        "this architecture has no poll system call"};
#endif

/* After a refused call: the same call on a bad address (the kernel answers
   EFAULT) and, where there is one, the other system call with nothing to
   wait for. */
static void second_opinions(struct lp_obs *o)
{
  int ppoll_failed = strcmp(o->call, "ppoll") == 0;

  if (!ppoll_failed && strcmp(o->call, "poll") != 0)
    return;
  lp_obs_check(&o->malformed, ppoll_failed ? "ppoll(fds=NULL, n=1)" : "poll(fds=NULL, n=1)",
               ppoll_failed ? sys_ppoll(NULL, 1, 0) : sys_ops.poll(NULL, 1, 0));
#ifdef SYS_poll
  lp_obs_check(&o->sibling, ppoll_failed ? "poll(n=0)" : "ppoll(n=0)",
               ppoll_failed ? sys_poll(NULL, 0, 0) : sys_ppoll(NULL, 0, 0));
#endif
}
#endif

static int api_poll(struct pollfd *f, nfds_t n, int timeout)
{
  int rc = poll(f, n, timeout);

  return rc < 0 ? -errno : rc;
}

#if LP_HAVE_PPOLL
static int api_ppoll(struct pollfd *f, nfds_t n, int timeout)
{
  struct timespec ts = ms_to_ts(timeout);
  int rc = ppoll(f, n, &ts, NULL);

  return rc < 0 ? -errno : rc;
}
static const struct poll_ops api_ops = {api_poll, api_ppoll, "poll", "ppoll", NULL};
#else
static const struct poll_ops api_ops = {api_poll, api_poll, "poll", "poll",
                                        "this C library has no ppoll()"};
#endif

/* Each wait on the two descriptors retries when a signal interrupts it; a
   restarted timed wait can only measure longer, and every call rewrites
   revents. */
static int wait_ready(const struct poll_ops *ops, int variant, struct pollfd *f, int timeout)
{
  int n;

  do
    n = (variant ? ops->ppoll : ops->poll)(f, 2, timeout);
  while (n == -EINTR);
  return n;
}

static int empty_wait(const struct poll_ops *ops, int variant, struct pollfd *f,
                      const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  const char *call = variant ? ops->ppoll_name : ops->poll_name;
  int timeout = lp_ctx_wait_ms(ctx);
  int64_t t0;
  int n;

  lp_obs_enter(o, call);
  t0 = lp_mono_ns();
  n = wait_ready(ops, variant, f, timeout);
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

static void round_trip(const struct poll_ops *ops, const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  struct lp_fdpair a = LP_FDPAIR_INIT, b = LP_FDPAIR_INIT;
  struct pollfd f[2];
  int n;

  if (lp_fdpair_open(&a, o) < 0 || lp_fdpair_open(&b, o) < 0)
    goto out;
  f[0].fd = a.rd;
  f[1].fd = b.rd;
  f[0].events = f[1].events = POLLIN;
  if (empty_wait(ops, 0, f, ctx, o) < 0 || empty_wait(ops, 1, f, ctx, o) < 0 ||
      lp_fdpair_poke(&a, o) < 0)
    goto out;
  lp_obs_enter(o, ops->poll_name);
  n = wait_ready(ops, 0, f, (int)ctx->event_wait_ms);
  if (n < 0) {
    lp_obs_fail(o, ops->poll_name, -n);
    goto out;
  }
  if (n == 0) {
    lp_obs_misbehave(o, LP_MIS_LOST_EVENT, "%s() saw nothing after a write", ops->poll_name);
    goto out;
  }
  if (n != 1 || !(f[0].revents & POLLIN) || f[1].revents != 0) {
    lp_obs_misbehave(o, LP_MIS_WRONG_DATA,
                     "%s() returned %d with revents %#x on the written pipe and %#x on the other",
                     ops->poll_name, n, (unsigned)f[0].revents, (unsigned)f[1].revents);
    goto out;
  }
  lp_fdpair_drain(&a);
  n = wait_ready(ops, 0, f, 0);
  if (n != 0) {
    if (n < 0)
      lp_obs_fail(o, ops->poll_name, -n);
    else
      lp_obs_misbehave(o, LP_MIS_REPEATED, "a drained pipe was still reported readable");
    goto out;
  }
  if (ops->alone)
    lp_obs_ok(o, "round trip on two pipes with %s() alone: %s", ops->poll_name, ops->alone);
  else
    lp_obs_ok(o, "round trip on two pipes with %s() and %s()", ops->poll_name, ops->ppoll_name);
out:
  lp_fdpair_close(&a);
  lp_fdpair_close(&b);
}

static void poll_probe(enum lp_mechanism mech, enum lp_layer layer, const struct lp_probe_ctx *ctx,
                       struct lp_obs *o)
{
  (void)mech;
  if (layer == LP_LAYER_SYSCALL) {
#ifdef HAVE_RAW_POLL
    round_trip(&sys_ops, ctx, o);
    if (o->status == LP_OBS_FAILED)
      second_opinions(o);
#else
    lp_obs_status(o, LP_OBS_NA, "this platform offers no stable system call interface");
#endif
    return;
  }
  lp_obs_provider(o, "poll", "c");
  if (api_ops.ppoll != api_ops.poll)
    lp_obs_provider(o, "ppoll", "c");
  lp_obs_checkpoint(o);
  round_trip(&api_ops, ctx, o);
}

const struct lp_backend lp_backend_poll = {
    .name = "poll",
    .mechanisms = LP_BIT(LP_MECH_POLL),
    .layers = LP_BIT(LP_LAYER_SYSCALL) | LP_BIT(LP_LAYER_API),
    .probe = poll_probe,
};
