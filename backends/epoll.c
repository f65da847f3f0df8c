/* SPDX-License-Identifier: MIT */
/*
 * epoll.c - Linux epoll(7), at the syscall and api layers.
 *
 * Traps: epoll_create1(), epoll_wait() and epoll_pwait() are separate
 * system call numbers, and a seccomp filter judges each number on its own,
 * so the syscall layer exercises both waits (glibc's epoll_wait() uses the
 * epoll_wait number where the architecture has one; aarch64 has only
 * epoll_pwait - and no epoll_create - and there the syscall layer makes
 * epoll_pwait alone and says so).  Edge-triggered registrations must report a readiness
 * change once, not once per wait - WSL1 and some emulations repeat it - and
 * EPOLLONESHOT must disarm after one event until EPOLL_CTL_MOD re-arms it.
 * epoll_ctl() refuses regular files with EPERM, which has nothing to do
 * with policy, so the probe registers pipes only.  libfaketime and similar
 * wrappers rescale the wait's timeout argument, which only a clock they do
 * not wrap can reveal.
 */
#define _GNU_SOURCE
#include "backend.h"
#include "support/fdpair.h"
#include "registry.h"

#include "../sys/sys.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

#define COOKIE_LEVEL UINT64_C(0x6c70000000000001)
#define COOKIE_EDGE UINT64_C(0x6c70000000000002)
#define COOKIE_ONESHOT UINT64_C(0x6c70000000000003)

/* One layer's way to the four calls; each returns the result or -errno.
   wait_name is the call wait really makes: where the layer has no
   epoll_wait (the syscall layer of aarch64), wait is epoll_pwait, and
   alone says why. */
struct epoll_ops {
  int (*create1)(int flags);
  int (*ctl)(int ep, int op, int fd, struct epoll_event *ev);
  int (*wait)(int ep, struct epoll_event *evs, int max, int timeout);
  int (*pwait)(int ep, struct epoll_event *evs, int max, int timeout);
  const char *wait_name;
  const char *alone;
};

static int sys_create1(int flags)
{
  return (int)lp_rawsys(SYS_epoll_create1, flags, 0, 0, 0, 0, 0);
}

static int sys_ctl(int ep, int op, int fd, struct epoll_event *ev)
{
  return (int)lp_rawsys(SYS_epoll_ctl, ep, op, fd, (long)ev, 0, 0);
}

static int sys_pwait(int ep, struct epoll_event *evs, int max, int timeout)
{
  return (int)lp_rawsys(SYS_epoll_pwait, ep, (long)evs, max, timeout, 0, 8);
}

#ifdef SYS_epoll_wait
static int sys_wait(int ep, struct epoll_event *evs, int max, int timeout)
{
  return (int)lp_rawsys(SYS_epoll_wait, ep, (long)evs, max, timeout, 0, 0);
}
#endif

static int neg(int rc)
{
  return rc < 0 ? -errno : rc;
}

static int api_create1(int flags)
{
  return neg(epoll_create1(flags));
}

static int api_ctl(int ep, int op, int fd, struct epoll_event *ev)
{
  return neg(epoll_ctl(ep, op, fd, ev));
}

static int api_wait(int ep, struct epoll_event *evs, int max, int timeout)
{
  return neg(epoll_wait(ep, evs, max, timeout));
}

static int api_pwait(int ep, struct epoll_event *evs, int max, int timeout)
{
  return neg(epoll_pwait(ep, evs, max, timeout, NULL));
}

#ifdef SYS_epoll_wait
static const struct epoll_ops sys_ops = {.create1 = sys_create1,
                                         .ctl = sys_ctl,
                                         .wait = sys_wait,
                                         .pwait = sys_pwait,
                                         .wait_name = "epoll_wait"};
#else
static const struct epoll_ops sys_ops = {.create1 = sys_create1,
                                         .ctl = sys_ctl,
                                         .wait = sys_pwait,
                                         .pwait = sys_pwait,
                                         .wait_name = "epoll_pwait",
                                         .alone =
                                             "this architecture has no epoll_wait system call"};
#endif
static const struct epoll_ops api_ops = {.create1 = api_create1,
                                         .ctl = api_ctl,
                                         .wait = api_wait,
                                         .pwait = api_pwait,
                                         .wait_name = "epoll_wait"};

/* After a refused system call: the same call with malformed arguments
   (the kernel answers EINVAL or EBADF) and, for epoll_create1, the older
   epoll_create, which programs fall back to. */
static void second_opinions(struct lp_obs *o)
{
  if (strcmp(o->call, "epoll_create1") == 0) {
    lp_obs_check(&o->malformed, "epoll_create1(flags=-1)",
                 lp_rawsys(SYS_epoll_create1, -1, 0, 0, 0, 0, 0));
#ifdef SYS_epoll_create
    long rc = lp_rawsys(SYS_epoll_create, 1, 0, 0, 0, 0, 0);

    lp_obs_check(&o->sibling, "epoll_create(1)", rc);
    if (rc >= 0)
      close((int)rc);
#endif
  } else if (strcmp(o->call, "epoll_ctl") == 0)
    lp_obs_check(&o->malformed, "epoll_ctl(fd=-1)",
                 lp_rawsys(SYS_epoll_ctl, -1, EPOLL_CTL_ADD, -1, 0, 0, 0));
  else if (strcmp(o->call, "epoll_pwait") == 0)
    lp_obs_check(&o->malformed, "epoll_pwait(fd=-1)", sys_pwait(-1, NULL, 1, 0));
#ifdef SYS_epoll_wait
  else if (strcmp(o->call, "epoll_wait") == 0)
    lp_obs_check(&o->malformed, "epoll_wait(fd=-1)", sys_wait(-1, NULL, 1, 0));
#endif
}

/* Every wait retries when a signal interrupts it (valgrind, a debugger, a
   SIGCHLD); a restarted timed wait can only measure longer, never shorter. */
static int wait_events(const struct epoll_ops *ops, int use_pwait, int ep, struct epoll_event *ev,
                       int timeout)
{
  int n;

  do
    n = (use_pwait ? ops->pwait : ops->wait)(ep, ev, 4, timeout);
  while (n == -EINTR);
  return n;
}

static int add(const struct epoll_ops *ops, int ep, int op, int fd, uint32_t events,
               uint64_t cookie, struct lp_obs *o)
{
  struct epoll_event ev;
  int rc;

  ev.events = events;
  ev.data.u64 = cookie;
  lp_obs_enter(o, "epoll_ctl");
  rc = ops->ctl(ep, op, fd, &ev);
  return rc < 0 ? lp_obs_fail(o, "epoll_ctl", -rc) : 0;
}

/* A wait that must time out with no event; timed unless in quick mode. */
static int empty_wait(const struct epoll_ops *ops, int use_pwait, int ep,
                      const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  const char *call = use_pwait ? "epoll_pwait" : ops->wait_name;
  struct epoll_event ev[4];
  int timeout = lp_ctx_wait_ms(ctx);
  int64_t t0;
  int n;

  lp_obs_enter(o, call);
  t0 = lp_mono_ns();
  n = wait_events(ops, use_pwait, ep, ev, timeout);
  if (n < 0)
    return lp_obs_fail(o, call, -n);
  if (timeout > 0)
    lp_obs_sample(o, (int64_t)timeout * 1000, (lp_mono_ns() - t0) / 1000);
  if (n > 0)
    return lp_obs_misbehave(o, LP_MIS_EARLY_EVENT,
                            "%s() reported %d event(s) before any data was written", call, n);
  return 0;
}

/* A wait that must return exactly one event carrying cookie. */
static int one_event(const struct epoll_ops *ops, int ep, uint64_t cookie, int timeout,
                     const char *what, struct lp_obs *o)
{
  struct epoll_event ev[4];
  int n;

  lp_obs_enter(o, ops->wait_name);
  n = wait_events(ops, 0, ep, ev, timeout);
  if (n < 0)
    return lp_obs_fail(o, ops->wait_name, -n);
  if (n == 0)
    return lp_obs_misbehave(o, LP_MIS_LOST_EVENT, "no event %s", what);
  if (n > 1)
    return lp_obs_misbehave(o, LP_MIS_REPEATED, "%d events %s, expected one", n, what);
  if (ev[0].data.u64 != cookie || !(ev[0].events & EPOLLIN))
    return lp_obs_misbehave(o, LP_MIS_WRONG_DATA, "the event %s carried data %#llx events %#x",
                            what, (unsigned long long)ev[0].data.u64, ev[0].events);
  return 0;
}

/* A zero-timeout wait that must return nothing. */
static int no_event(const struct epoll_ops *ops, int ep, const char *what, struct lp_obs *o)
{
  struct epoll_event ev[4];
  int n;

  lp_obs_enter(o, ops->wait_name);
  n = wait_events(ops, 0, ep, ev, 0);
  if (n < 0)
    return lp_obs_fail(o, ops->wait_name, -n);
  if (n > 0)
    return lp_obs_misbehave(o, LP_MIS_REPEATED, "%s", what);
  return 0;
}

static int level_triggered(const struct epoll_ops *ops, int ep, struct lp_fdpair *p,
                           const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  if (add(ops, ep, EPOLL_CTL_ADD, p->rd, EPOLLIN, COOKIE_LEVEL, o) < 0 ||
      empty_wait(ops, 0, ep, ctx, o) < 0 || empty_wait(ops, 1, ep, ctx, o) < 0 ||
      lp_fdpair_poke(p, o) < 0 ||
      one_event(ops, ep, COOKIE_LEVEL, (int)ctx->event_wait_ms, "after a write", o) < 0)
    return -1;
  lp_fdpair_drain(p);
  return no_event(ops, ep, "a drained pipe was still reported readable", o);
}

static int edge_triggered(const struct epoll_ops *ops, int ep, struct lp_fdpair *p,
                          const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  if (add(ops, ep, EPOLL_CTL_ADD, p->rd, EPOLLIN | EPOLLET, COOKIE_EDGE, o) < 0 ||
      lp_fdpair_poke(p, o) < 0 ||
      one_event(ops, ep, COOKIE_EDGE, (int)ctx->event_wait_ms, "after a write (EPOLLET)", o) < 0)
    return -1;
  return no_event(ops, ep, "EPOLLET reported the same write twice", o);
}

static int oneshot(const struct epoll_ops *ops, int ep, struct lp_fdpair *p,
                   const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  uint32_t ev = EPOLLIN | EPOLLONESHOT;

  if (add(ops, ep, EPOLL_CTL_ADD, p->rd, ev, COOKIE_ONESHOT, o) < 0 || lp_fdpair_poke(p, o) < 0 ||
      one_event(ops, ep, COOKIE_ONESHOT, (int)ctx->event_wait_ms, "after a write (EPOLLONESHOT)",
                o) < 0 ||
      no_event(ops, ep, "EPOLLONESHOT fired again before it was re-armed", o) < 0 ||
      add(ops, ep, EPOLL_CTL_MOD, p->rd, ev, COOKIE_ONESHOT, o) < 0)
    return -1;
  return one_event(ops, ep, COOKIE_ONESHOT, (int)ctx->event_wait_ms,
                   "after EPOLL_CTL_MOD re-armed EPOLLONESHOT", o);
}

static void round_trip(const struct epoll_ops *ops, const struct lp_probe_ctx *ctx,
                       struct lp_obs *o)
{
  struct lp_fdpair lvl = LP_FDPAIR_INIT, edge = LP_FDPAIR_INIT, once = LP_FDPAIR_INIT;
  int ep;

  lp_obs_enter(o, "epoll_create1");
  ep = ops->create1(EPOLL_CLOEXEC);
  if (ep < 0) {
    lp_obs_fail(o, "epoll_create1", -ep);
    goto out;
  }
  if (lp_fdpair_open(&lvl, o) < 0 || lp_fdpair_open(&edge, o) < 0 || lp_fdpair_open(&once, o) < 0)
    goto out;
  if (level_triggered(ops, ep, &lvl, ctx, o) < 0 || edge_triggered(ops, ep, &edge, ctx, o) < 0 ||
      oneshot(ops, ep, &once, ctx, o) < 0)
    goto out;
  if (ops->alone)
    lp_obs_ok(o,
              "level, edge-triggered and one-shot round trips on pipes with epoll_pwait() "
              "alone: %s",
              ops->alone);
  else
    lp_obs_ok(o, "level, edge-triggered and one-shot round trips on pipes");
out:
  lp_fdpair_close(&lvl);
  lp_fdpair_close(&edge);
  lp_fdpair_close(&once);
  if (ep >= 0)
    close(ep);
}

static void epoll_probe(enum lp_mechanism mech, enum lp_layer layer, const struct lp_probe_ctx *ctx,
                        struct lp_obs *o)
{
  (void)mech;
  if (layer == LP_LAYER_SYSCALL) {
    round_trip(&sys_ops, ctx, o);
    if (o->status == LP_OBS_FAILED)
      second_opinions(o);
    return;
  }
  lp_obs_provider(o, "epoll_create1", "c");
  lp_obs_provider(o, "epoll_ctl", "c");
  lp_obs_provider(o, "epoll_wait", "c");
  lp_obs_provider(o, "epoll_pwait", "c");
  lp_obs_checkpoint(o);
  round_trip(&api_ops, ctx, o);
}

const struct lp_backend lp_backend_epoll = {
    .name = "epoll",
    .mechanisms = LP_BIT(LP_MECH_EPOLL),
    .layers = LP_BIT(LP_LAYER_SYSCALL) | LP_BIT(LP_LAYER_API),
    .probe = epoll_probe,
};
