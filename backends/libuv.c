/* SPDX-License-Identifier: MIT */
/*
 * libuv.c - mechanisms reached through libuv: a uv_poll_t on a pipe and
 * uv_timer_t timeouts on a fresh loop.
 *
 * Traps: UV_RUN_ONCE can block forever when a timer is already due as the
 * iteration starts, so the probe stops the loop from its callbacks.  libuv
 * has exactly one backend per platform and no fallback - on
 * Linux 1.44 a refused epoll_create1 makes uv_loop_init() fail (so no
 * libuv program can run at all), and an unexpected epoll_ctl error makes
 * it abort(), which the runner reports as a crash.  Its timers count whole
 * milliseconds of a cached loop clock, so a 3 ms timer may fire after just
 * over 2 ms: the probe declares that granularity rather than calling it a
 * distorted timeout.  The backend descriptor is the evidence of the
 * mechanism (uv_backend_fd(), an epoll instance on Linux).  Releases 1.45+
 * also open io_uring rings for file operations and epoll_ctl batching, and
 * read UV_USE_IO_URING; those rings are never the readiness mechanism.
 * libuv is loaded at run time (loader/dynlib.h): every call goes through
 * the table below, which the compiler checks against uv.h.
 */
#define _GNU_SOURCE
#include "backend.h"
#include "support/fdpair.h"
#include "support/kobjects.h"
#include "registry.h"

#include "../sys/sys.h"
#include "../base/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

/* libuv's functions, as the loaded library defines them. */
struct uvapi {
  int (*loop_init)(uv_loop_t *);
  int (*loop_close)(uv_loop_t *);
  int (*run)(uv_loop_t *, uv_run_mode);
  void (*stop)(uv_loop_t *);
  void (*update_time)(uv_loop_t *);
  int (*backend_fd)(const uv_loop_t *);
  void (*close)(uv_handle_t *, uv_close_cb);
  int (*timer_init)(uv_loop_t *, uv_timer_t *);
  int (*timer_start)(uv_timer_t *, uv_timer_cb, uint64_t, uint64_t);
  int (*poll_init)(uv_loop_t *, uv_poll_t *, int);
  int (*poll_start)(uv_poll_t *, int, uv_poll_cb);
  const char *(*version_string)(void);
};

static const struct lp_symbol symbols[] = {
    LP_SYMBOL(struct uvapi, loop_init, uv_loop_init),
    LP_SYMBOL(struct uvapi, loop_close, uv_loop_close),
    LP_SYMBOL(struct uvapi, run, uv_run),
    LP_SYMBOL(struct uvapi, stop, uv_stop),
    LP_SYMBOL(struct uvapi, update_time, uv_update_time),
    LP_SYMBOL(struct uvapi, backend_fd, uv_backend_fd),
    LP_SYMBOL(struct uvapi, close, uv_close),
    LP_SYMBOL(struct uvapi, timer_init, uv_timer_init),
    LP_SYMBOL(struct uvapi, timer_start, uv_timer_start),
    LP_SYMBOL(struct uvapi, poll_init, uv_poll_init),
    LP_SYMBOL(struct uvapi, poll_start, uv_poll_start),
    LP_SYMBOL(struct uvapi, version_string, uv_version_string),
};

static void version(const struct lp_dynlib *lib, char *buf, size_t size)
{
  const struct uvapi *uv = lib->table;

  lp_strlcpy(buf, uv->version_string(), size);
}

LP_LIBRARY(
    lp_lib_libuv, struct uvapi, .name = "libuv",
    .soname = LP_SONAME_LIBUV, /* read from the library the build found */
    .compiled = LP_STR(UV_VERSION_MAJOR) "." LP_STR(UV_VERSION_MINOR) "." LP_STR(UV_VERSION_PATCH),
    .package = "libuv1", .marker = "uv_version_string");

struct round {
  const struct uvapi *uv;
  int poll_calls;
  int poll_events;
  int poll_status;
  int timer_calls;
};

struct timer {
  const struct uvapi *uv;
  int calls;
};

/* Every callback stops the loop: see run_timer(). */
static void poll_cb(uv_poll_t *h, int status, int events)
{
  struct round *r = h->data;

  r->poll_calls++;
  r->poll_events |= events;
  if (status < 0)
    r->poll_status = status;
  r->uv->stop(h->loop);
}

static void timer_cb(uv_timer_t *t)
{
  struct timer *tm = t->data;

  tm->calls++;
  tm->uv->stop(t->loop);
}

/* Runs one timer of ms to completion (or until the poll fires).  Not with
   UV_RUN_ONCE: when the timer is already due as the iteration starts (the
   process was descheduled for longer than ms), libuv runs it first and then
   polls with no timer left - forever, on an idle pipe.  The callbacks call
   uv_stop() instead, and a stopped loop polls without blocking. */
static int run_timer(uv_loop_t *loop, struct round *r, uint64_t ms, int *calls, struct lp_obs *o)
{
  struct timer tm;
  uv_timer_t t;
  int rc;

  tm.uv = r->uv;
  tm.calls = 0;
  r->uv->timer_init(loop, &t);
  t.data = &tm;
  r->uv->update_time(loop);
  rc = r->uv->timer_start(&t, timer_cb, ms, 0);
  if (rc < 0)
    return lp_obs_fail(o, "uv_timer_start", -rc);
  lp_obs_enter(o, "uv_run");
  while (tm.calls == 0 && r->poll_calls == 0)
    r->uv->run(loop, UV_RUN_DEFAULT);
  r->uv->close((uv_handle_t *)&t, NULL);
  r->uv->run(loop, UV_RUN_NOWAIT);
  *calls += tm.calls;
  return 0;
}

static int empty_wait(uv_loop_t *loop, struct round *r, const struct lp_probe_ctx *ctx,
                      struct lp_obs *o)
{
  int64_t t0 = lp_mono_ns(); /* before the timer's deadline is fixed */

  r->timer_calls = 0;
  if (ctx->wait_ms == 0)
    r->uv->run(loop, UV_RUN_NOWAIT);
  else if (run_timer(loop, r, ctx->wait_ms, &r->timer_calls, o) < 0)
    return -1;
  else
    lp_obs_sample(o, (int64_t)ctx->wait_ms * 1000, (lp_mono_ns() - t0) / 1000);
  if (r->poll_calls)
    return lp_obs_misbehave(o, LP_MIS_EARLY_EVENT,
                            "the uv_poll_t callback ran before any data was written");
  return 0;
}

static int poll_after_write(uv_loop_t *loop, struct round *r, struct lp_fdpair *p,
                            const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  int guard = 0;

  if (lp_fdpair_poke(p, o) < 0 || run_timer(loop, r, ctx->event_wait_ms, &guard, o) < 0)
    return -1;
  if (r->poll_calls == 0)
    return lp_obs_misbehave(o, LP_MIS_LOST_EVENT,
                            "the uv_poll_t callback did not run after a write");
  if (r->poll_status < 0)
    return lp_obs_fail(o, "uv_poll_start", -r->poll_status);
  if (!(r->poll_events & UV_READABLE))
    return lp_obs_misbehave(o, LP_MIS_WRONG_DATA, "the uv_poll_t callback got events %#x",
                            r->poll_events);
  return 0;
}

/* The quick check (lp_check) trusts the kind of the backend descriptor
   (kind, from one readlink); the full run asks which epoll instance
   watches the pipe. */
static int kernel_objects(int kind, enum lp_mechanism mech, int fd, const struct lp_probe_ctx *ctx,
                          struct lp_obs *o)
{
  if (ctx->wait_ms > 0)
    return lp_expect_kernel_objects(o, "libuv", mech, fd);
  if (mech == LP_MECH_EPOLL && kind >= 0 && kind != (int)LP_KOBJ_EPOLL)
    return lp_obs_misbehave(o, LP_MIS_WRONG_BACKEND,
                            "libuv's backend descriptor is not an epoll instance");
  return 0;
}

static void round_trip(const struct uvapi *uv, uv_loop_t *loop, int kind, enum lp_mechanism mech,
                       const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  struct lp_fdpair p = LP_FDPAIR_INIT;
  struct round r;
  uv_poll_t h;
  int rc, started = 0;

  memset(&r, 0, sizeof(r));
  r.uv = uv;
  if (lp_fdpair_open(&p, o) < 0)
    goto out;
  rc = uv->poll_init(loop, &h, p.rd);
  if (rc < 0) {
    lp_obs_fail(o, "uv_poll_init", -rc);
    goto out;
  }
  started = 1;
  h.data = &r;
  rc = uv->poll_start(&h, UV_READABLE, poll_cb);
  if (rc < 0) {
    lp_obs_fail(o, "uv_poll_start", -rc);
    goto out;
  }
  if (empty_wait(loop, &r, ctx, o) < 0 || empty_wait(loop, &r, ctx, o) < 0 ||
      kernel_objects(kind, mech, p.rd, ctx, o) < 0 || poll_after_write(loop, &r, &p, ctx, o) < 0)
    goto out;
  lp_obs_ok(o, "uv_poll_t on a pipe and uv_timer_t through libuv's epoll backend");
out:
  if (started) {
    uv->close((uv_handle_t *)&h, NULL);
    uv->run(loop, UV_RUN_NOWAIT);
  }
  lp_fdpair_close(&p);
}

/* The mechanism behind the loop, by the kind of its backend descriptor
   (lp_fd_kind() tells only an epoll instance). */
static const char *backend_name(int kind)
{
  return kind == (int)LP_KOBJ_EPOLL ? "epoll" : "";
}

static int open_loop(const struct uvapi *uv, uv_loop_t *loop, struct lp_obs *o)
{
  int rc;

  lp_obs_enter(o, "uv_loop_init");
  rc = uv->loop_init(loop);
  return rc < 0 ? lp_obs_fail(o, "uv_loop_init", -rc) : 0;
}

static void libuv_probe(enum lp_mechanism mech, enum lp_layer layer, const struct lp_probe_ctx *ctx,
                        struct lp_obs *o)
{
  const struct lp_dynlib *lib = NULL;
  const struct uvapi *uv = lp_library_table(ctx, &lp_lib_libuv, o, &lib);
  uv_loop_t loop;
  int kind;

  (void)layer;
  if (!uv)
    return;
  o->wait_granularity_us = 1000;
  lp_obs_lib_provider(o, lib, "uv_loop_init");
  lp_obs_lib_provider(o, lib, "uv_run");
  lp_obs_lib_provider(o, lib, "uv_poll_start");
  lp_obs_checkpoint(o);
  if (open_loop(uv, &loop, o) < 0)
    return;
  kind = lp_fd_kind(uv->backend_fd(&loop));
  lp_strlcpy(o->used, backend_name(kind), sizeof(o->used));
  round_trip(uv, &loop, kind, mech, ctx, o);
  uv->loop_close(&loop);
}

static void libuv_describe(const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  const char *v = getenv("UV_USE_IO_URING");
  const struct lp_dynlib *lib = NULL;
  const struct uvapi *uv = lp_library_table(ctx, &lp_lib_libuv, o, &lib);
  uv_loop_t loop;

  if (!uv)
    return;
  if (v)
    lp_fmt(o->lib.env, sizeof(o->lib.env), "UV_USE_IO_URING=%.150s", v);
  lp_obs_lib_provider(o, lib, "uv_loop_init");
  lp_obs_lib_provider(o, lib, "uv_backend_fd");
  lp_obs_checkpoint(o);
  if (open_loop(uv, &loop, o) < 0)
    return;
  lp_strlcpy(o->lib.default_mech, backend_name(lp_fd_kind(uv->backend_fd(&loop))),
             sizeof(o->lib.default_mech));
  lp_obs_ok(o, "uv_loop_init() gives a loop on %s",
            o->lib.default_mech[0] ? o->lib.default_mech : "an unknown backend");
  uv->loop_close(&loop);
}

const struct lp_backend lp_backend_libuv = {
    .name = "libuv",
    .mechanisms = LP_MECHS_LIBUV, /* registry.h's table of platforms */
    .layers = LP_BIT(LP_LAYER_LIBUV),
    .probe = libuv_probe,
    .describe = libuv_describe,
    .library = &lp_lib_libuv,
    .library_layers = LP_BIT(LP_LAYER_LIBUV),
};
