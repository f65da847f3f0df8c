/* SPDX-License-Identifier: MIT */
/*
 * linuxaio.c - Linux native AIO used as a readiness mechanism
 * (IOCB_CMD_POLL, kernel 4.18+), at the syscall layer.  libev can use it
 * as a backend.
 *
 * Traps: the C library offers no wrapper - io_setup() and friends are
 * reached with raw system calls or through libaio, which is a separate
 * library - so the api cell is "na".  A kernel older than 4.18 (and gVisor,
 * whose AIO knows only reads, writes and syncs) answers IOCB_CMD_POLL with
 * EINVAL from io_submit(), which means missing, not failed.  io_setup()
 * answers EAGAIN when fs.aio-max-nr is exhausted.  An AIO context has no
 * descriptor; it only shows in /proc/self/maps as "[aio]".  Destroying one
 * (io_destroy(), or the exit of the process that holds it) waits for RCU
 * grace periods, ~35 ms whatever the context did: in a probe process of
 * its own the context is left to the exit, which the runner takes off its
 * wait (obs->slow_exit).
 */
#define _GNU_SOURCE
#include "backend.h"
#include "support/fdpair.h"
#include "registry.h"

#include "../sys/sys.h"

#include <errno.h>
#include <linux/aio_abi.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#define COOKIE_AIO UINT64_C(0x6c70000000000021)

static int get_events(aio_context_t ctx, unsigned ms, struct io_event *ev, struct lp_obs *o)
{
  struct timespec ts;
  long n;

  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  lp_obs_enter(o, "io_getevents");
  do /* valgrind and debuggers interrupt waits; a restart only measures longer */
    n = lp_rawsys(SYS_io_getevents, (long)ctx, 1, 1, (long)ev, (long)&ts, 0);
  while (n == -EINTR);
  return n < 0 ? lp_obs_fail(o, "io_getevents", (int)-n) : (int)n;
}

static int submit_poll(aio_context_t ctx, int fd, struct lp_obs *o)
{
  struct iocb cb, *list[1];
  long rc;

  memset(&cb, 0, sizeof(cb));
  cb.aio_lio_opcode = IOCB_CMD_POLL;
  cb.aio_fildes = (uint32_t)fd;
  cb.aio_buf = POLLIN;
  cb.aio_data = COOKIE_AIO;
  list[0] = &cb;
  lp_obs_enter(o, "io_submit");
  rc = lp_rawsys(SYS_io_submit, (long)ctx, 1, (long)list, 0, 0, 0);
  if (rc < 0)
    return lp_obs_fail(o, "io_submit", (int)-rc);
  return rc == 1 ? 0 : lp_obs_fail(o, "io_submit", EAGAIN);
}

static int empty_wait(aio_context_t ctx, const struct lp_probe_ctx *pc, struct lp_obs *o)
{
  struct io_event ev;
  int64_t t0 = lp_mono_ns();
  int n = get_events(ctx, pc->wait_ms, &ev, o);

  if (n < 0)
    return -1;
  if (pc->wait_ms > 0)
    lp_obs_sample(o, (int64_t)pc->wait_ms * 1000, (lp_mono_ns() - t0) / 1000);
  if (n > 0)
    return lp_obs_misbehave(o, LP_MIS_EARLY_EVENT,
                            "the poll request completed before any data was written");
  return 0;
}

static int expect_event(aio_context_t ctx, const struct lp_probe_ctx *pc, struct lp_obs *o)
{
  struct io_event ev;
  int n = get_events(ctx, pc->event_wait_ms, &ev, o);

  if (n < 0)
    return -1;
  if (n == 0)
    return lp_obs_misbehave(o, LP_MIS_LOST_EVENT,
                            "the poll request did not complete after a write");
  if (ev.data != COOKIE_AIO)
    return lp_obs_misbehave(o, LP_MIS_WRONG_DATA, "the completion carried data %#llx",
                            (unsigned long long)ev.data);
  if (ev.res < 0)
    return lp_obs_fail(o, "IOCB_CMD_POLL", (int)-ev.res);
  if (!(ev.res & POLLIN))
    return lp_obs_misbehave(o, LP_MIS_WRONG_DATA, "the completion reported mask %#llx",
                            (unsigned long long)ev.res);
  return 0;
}

static void round_trip(const struct lp_probe_ctx *pc, struct lp_obs *o)
{
  struct lp_fdpair p = LP_FDPAIR_INIT;
  aio_context_t ctx = 0;
  long rc;

  lp_obs_enter(o, "io_setup");
  rc = lp_rawsys(SYS_io_setup, 4, (long)&ctx, 0, 0, 0, 0);
  if (rc < 0) {
    lp_obs_fail(o, "io_setup", (int)-rc);
    return;
  }
  if (lp_fdpair_open(&p, o) < 0 || submit_poll(ctx, p.rd, o) < 0 || empty_wait(ctx, pc, o) < 0 ||
      empty_wait(ctx, pc, o) < 0 || lp_fdpair_poke(&p, o) < 0 || expect_event(ctx, pc, o) < 0)
    goto out;
  lp_obs_ok(o, "IOCB_CMD_POLL on a pipe completed after a write, timeouts honoured");
out:
  lp_fdpair_close(&p);
  if (pc->exits_after)
    o->slow_exit = 1;
  else
    lp_rawsys(SYS_io_destroy, (long)ctx, 0, 0, 0, 0, 0);
}

/* After a refused call: the same call with malformed arguments (the kernel
   answers EINVAL or EFAULT), and io_destroy of no context as a sibling. */
static void second_opinions(struct lp_obs *o)
{
  if (strcmp(o->call, "io_setup") == 0) {
    lp_obs_check(&o->malformed, "io_setup(nr=0, ctx=NULL)",
                 lp_rawsys(SYS_io_setup, 0, 0, 0, 0, 0, 0));
    lp_obs_check(&o->sibling, "io_destroy(ctx=0)", lp_rawsys(SYS_io_destroy, 0, 0, 0, 0, 0, 0));
  } else if (strcmp(o->call, "io_submit") == 0)
    lp_obs_check(&o->malformed, "io_submit(ctx=0, iocbs=NULL)",
                 lp_rawsys(SYS_io_submit, 0, 1, 0, 0, 0, 0));
}

static void linuxaio_probe(enum lp_mechanism mech, enum lp_layer layer,
                           const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  (void)mech;
  if (layer == LP_LAYER_API) {
    lp_obs_status(o, LP_OBS_NA,
                  "the C library has no Linux AIO interface (libaio is a separate library)");
    return;
  }
  round_trip(ctx, o);
  if (o->status == LP_OBS_FAILED)
    second_opinions(o);
}

const struct lp_backend lp_backend_linuxaio = {
    .name = "linuxaio",
    .mechanisms = LP_BIT(LP_MECH_LINUXAIO),
    .layers = LP_BIT(LP_LAYER_SYSCALL) | LP_BIT(LP_LAYER_API),
    .probe = linuxaio_probe,
};
