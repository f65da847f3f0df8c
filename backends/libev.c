/* SPDX-License-Identifier: MIT */
/*
 * libev.c - mechanisms reached through libev: a loop forced onto each
 * backend, an ev_io watcher on a pipe and ev_timer timeouts.
 *
 * Traps: LIBEV_FLAGS replaces the caller's whole flags word - even an
 * explicit EVBACKEND_SELECT - unless EVFLAG_NOENV is passed, and any value
 * atoi() reads as 0 means "recommended", so the forced cells always pass
 * EVFLAG_NOENV and the default cell reports what the variable did.
 * ev_supported_backends() decides io_uring by uname's kernel version, not
 * by trying, and linuxaio is not compiled in by default since 4.32: a
 * backend absent from that mask is "missing", not failed.  ev_backend()
 * can change while the loop runs (io_uring and linuxaio fall back to epoll
 * on ring overflow), so it is read again after the round trip and checked
 * against the descriptors the loop opened.  The environment is ignored in
 * setuid programs.  ev_version_major()/minor() are the ABI version, which
 * is also the release version for 4.x.  libev is loaded at run time
 * (loader/dynlib.h): every call goes through the table below; the
 * ev_*_init() macros only fill the watcher structs ev.h lays out.
 */
#define _GNU_SOURCE
#include "backend.h"
#include "support/fdpair.h"
#include "support/kobjects.h"
#include "registry.h"

#include "../sys/sys.h"
#include "../base/util.h"

#include <errno.h>
#include <ev.h>
#include <stdlib.h>
#include <string.h>

/* libev's functions, as the loaded library defines them. */
struct evapi {
  struct ev_loop *(*loop_new)(unsigned);
  void (*loop_destroy)(struct ev_loop *);
  int (*run)(struct ev_loop *, int);
  void (*now_update)(struct ev_loop *);
  unsigned (*backend)(struct ev_loop *);
  unsigned (*supported_backends)(void);
  void (*io_start)(struct ev_loop *, ev_io *);
  void (*io_stop)(struct ev_loop *, ev_io *);
  void (*timer_start)(struct ev_loop *, ev_timer *);
  void (*timer_stop)(struct ev_loop *, ev_timer *);
  int (*version_major)(void);
  int (*version_minor)(void);
};

static const struct lp_symbol symbols[] = {
    LP_SYMBOL(struct evapi, loop_new, ev_loop_new),
    LP_SYMBOL(struct evapi, loop_destroy, ev_loop_destroy),
    LP_SYMBOL(struct evapi, run, ev_run),
    LP_SYMBOL(struct evapi, now_update, ev_now_update),
    LP_SYMBOL(struct evapi, backend, ev_backend),
    LP_SYMBOL(struct evapi, supported_backends, ev_supported_backends),
    LP_SYMBOL(struct evapi, io_start, ev_io_start),
    LP_SYMBOL(struct evapi, io_stop, ev_io_stop),
    LP_SYMBOL(struct evapi, timer_start, ev_timer_start),
    LP_SYMBOL(struct evapi, timer_stop, ev_timer_stop),
    LP_SYMBOL(struct evapi, version_major, ev_version_major),
    LP_SYMBOL(struct evapi, version_minor, ev_version_minor),
};

static void version(const struct lp_dynlib *lib, char *buf, size_t size)
{
  const struct evapi *ev = lib->table;

  lp_fmt(buf, size, "%d.%d", ev->version_major(), ev->version_minor());
}

LP_LIBRARY(lp_lib_libev, struct evapi, .name = "libev",
           .soname = LP_SONAME_LIBEV, /* read from the library the build found */
           .compiled = LP_STR(EV_VERSION_MAJOR) "." LP_STR(EV_VERSION_MINOR), .package = "libev4",
           .marker = "ev_version_major");

struct round {
  const struct evapi *ev;
  int io_calls;
  int io_revents;
  int timer_calls;
  int guard_calls;
};

static const struct {
  enum lp_mechanism mech;
  unsigned flag;
} backends[] = {
    {LP_MECH_SELECT, EVBACKEND_SELECT},     {LP_MECH_POLL, EVBACKEND_POLL},
    {LP_MECH_EPOLL, EVBACKEND_EPOLL},       {LP_MECH_KQUEUE, EVBACKEND_KQUEUE},
    {LP_MECH_DEVPOLL, EVBACKEND_DEVPOLL},   {LP_MECH_EVPORT, EVBACKEND_PORT},
    {LP_MECH_LINUXAIO, EVBACKEND_LINUXAIO}, {LP_MECH_IO_URING, EVBACKEND_IOURING},
};

static unsigned flag_of(enum lp_mechanism m)
{
  size_t i;

  for (i = 0; i < LP_ARRAY_LEN(backends); i++)
    if (backends[i].mech == m)
      return backends[i].flag;
  return 0;
}

static const char *name_of(unsigned flag)
{
  size_t i;

  for (i = 0; i < LP_ARRAY_LEN(backends); i++)
    if (backends[i].flag == flag)
      return lp_mechanism_name(backends[i].mech);
  return "unknown";
}

static void io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
  struct round *r = w->data;

  (void)loop;
  r->io_calls++;
  r->io_revents |= revents;
}

static void timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
  int *calls = w->data;

  (void)loop, (void)revents;
  (*calls)++;
}

/* One iteration that must end with the timer and no I/O. */
static int empty_wait(struct ev_loop *loop, struct round *r, const struct lp_probe_ctx *ctx,
                      struct lp_obs *o)
{
  const struct evapi *ev = r->ev;
  ev_timer t;
  int64_t t0;

  if (ctx->wait_ms == 0) {
    lp_obs_enter(o, "ev_run");
    ev->run(loop, EVRUN_NOWAIT);
  } else {
    ev_timer_init(&t, timer_cb, ctx->wait_ms / 1000.0, 0.);
    t.data = &r->timer_calls;
    lp_obs_enter(o, "ev_run");
    t0 = lp_mono_ns(); /* before the deadline is fixed: preemption only lengthens */
    ev->now_update(loop);
    ev->timer_start(loop, &t);
    while (r->timer_calls == 0 && r->io_calls == 0)
      ev->run(loop, EVRUN_ONCE);
    lp_obs_sample(o, (int64_t)ctx->wait_ms * 1000, (lp_mono_ns() - t0) / 1000);
    ev->timer_stop(loop, &t);
    r->timer_calls = 0;
  }
  if (r->io_calls)
    return lp_obs_misbehave(o, LP_MIS_EARLY_EVENT,
                            "the ev_io watcher fired before any data was written");
  return 0;
}

static int io_after_write(struct ev_loop *loop, struct round *r, struct lp_fdpair *p,
                          const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  const struct evapi *ev = r->ev;
  ev_timer guard;

  if (lp_fdpair_poke(p, o) < 0)
    return -1;
  ev_timer_init(&guard, timer_cb, ctx->event_wait_ms / 1000.0, 0.);
  guard.data = &r->guard_calls;
  ev->now_update(loop);
  ev->timer_start(loop, &guard);
  lp_obs_enter(o, "ev_run");
  while (r->io_calls == 0 && r->guard_calls == 0)
    ev->run(loop, EVRUN_ONCE);
  ev->timer_stop(loop, &guard);
  if (r->io_calls == 0)
    return lp_obs_misbehave(o, LP_MIS_LOST_EVENT, "the ev_io watcher did not fire after a write");
  if (!(r->io_revents & EV_READ))
    return lp_obs_misbehave(o, LP_MIS_WRONG_DATA, "the ev_io watcher fired with revents %#x",
                            r->io_revents);
  lp_fdpair_drain(p);
  r->io_calls = 0;
  ev->run(loop, EVRUN_NOWAIT);
  if (r->io_calls)
    return lp_obs_misbehave(o, LP_MIS_REPEATED, "the ev_io watcher fired again on a drained pipe");
  return 0;
}

static void round_trip(const struct evapi *ev, struct ev_loop *loop, enum lp_mechanism mech,
                       unsigned flag, const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  struct lp_fdpair p = LP_FDPAIR_INIT;
  struct round r;
  ev_io w;
  unsigned used;

  memset(&r, 0, sizeof(r));
  r.ev = ev;
  if (lp_fdpair_open(&p, o) < 0)
    return;
  ev_io_init(&w, io_cb, p.rd, EV_READ);
  w.data = &r;
  ev->io_start(loop, &w);
  if (empty_wait(loop, &r, ctx, o) < 0 || empty_wait(loop, &r, ctx, o) < 0 ||
      (ctx->wait_ms > 0 && lp_expect_kernel_objects(o, "libev", mech, p.rd) < 0) ||
      io_after_write(loop, &r, &p, ctx, o) < 0)
    goto out;
  used = ev->backend(loop);
  lp_strlcpy(o->used, name_of(used), sizeof(o->used));
  if (used != flag)
    lp_obs_misbehave(o, LP_MIS_WRONG_BACKEND, "libev switched from %s to %s while running",
                     name_of(flag), name_of(used));
  else
    lp_obs_ok(o, "ev_io on a pipe and ev_timer through libev's %s backend", name_of(flag));
out:
  ev->io_stop(loop, &w);
  lp_fdpair_close(&p);
}

static void libev_probe(enum lp_mechanism mech, enum lp_layer layer, const struct lp_probe_ctx *ctx,
                        struct lp_obs *o)
{
  const struct lp_dynlib *lib = NULL;
  const struct evapi *ev = lp_library_table(ctx, &lp_lib_libev, o, &lib);
  unsigned flag = flag_of(mech);
  struct ev_loop *loop = NULL;

  (void)layer;
  if (!ev)
    return;
  if (!(ev->supported_backends() & flag)) {
    lp_obs_status(o, LP_OBS_MISSING, "libev %d.%d offers no %s backend here (supported mask %#x)",
                  ev->version_major(), ev->version_minor(), lp_mechanism_name(mech),
                  ev->supported_backends());
    return;
  }
  lp_obs_lib_provider(o, lib, "ev_loop_new");
  lp_obs_lib_provider(o, lib, "ev_run");
  lp_obs_lib_provider(o, lib, "ev_io_start");
  lp_obs_checkpoint(o);
  errno = 0;
  lp_obs_enter(o, "ev_loop_new");
  loop = ev->loop_new(flag | EVFLAG_NOENV);
  if (!loop) {
    lp_obs_fail(o, "ev_loop_new", errno ? errno : EINVAL);
    return;
  }
  round_trip(ev, loop, mech, flag, ctx, o);
  ev->loop_destroy(loop);
}

static void env_note(struct lp_libinfo *lib)
{
  const char *v = getenv("LIBEV_FLAGS");

  if (v)
    lp_fmt(lib->env, sizeof(lib->env), "LIBEV_FLAGS=%.150s", v);
}

static void libev_describe(const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  const struct lp_dynlib *lib = NULL;
  const struct evapi *ev = lp_library_table(ctx, &lp_lib_libev, o, &lib);
  struct ev_loop *loop = NULL;

  if (!ev)
    return;
  env_note(&o->lib);
  lp_obs_lib_provider(o, lib, "ev_loop_new");
  lp_obs_lib_provider(o, lib, "ev_backend");
  lp_obs_checkpoint(o);
  loop = ev->loop_new(EVFLAG_NOENV);
  if (loop) {
    lp_strlcpy(o->lib.clean_mech, name_of(ev->backend(loop)), sizeof(o->lib.clean_mech));
    ev->loop_destroy(loop);
  }
  errno = 0;
  lp_obs_enter(o, "ev_loop_new");
  loop = ev->loop_new(EVFLAG_AUTO);
  if (!loop) {
    lp_obs_fail(o, "ev_loop_new", errno ? errno : EINVAL);
    return;
  }
  lp_strlcpy(o->lib.default_mech, name_of(ev->backend(loop)), sizeof(o->lib.default_mech));
  lp_obs_ok(o, "a loop created with EVFLAG_AUTO uses %s", o->lib.default_mech);
  ev->loop_destroy(loop);
}

const struct lp_backend lp_backend_libev = {
    .name = "libev",
    .mechanisms = LP_MECHS_LIBEV, /* registry.h's table of platforms */
    .layers = LP_BIT(LP_LAYER_LIBEV),
    .probe = libev_probe,
    .describe = libev_describe,
    .library = &lp_lib_libev,
    .library_layers = LP_BIT(LP_LAYER_LIBEV),
};
