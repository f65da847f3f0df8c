/* SPDX-License-Identifier: MIT */
/*
 * libevent.c - mechanisms reached through libevent: a base limited to one
 * method, an EV_READ event on a pipe and timer events.
 *
 * Traps: libev's shared library exports 24 of libevent's names
 * (event_base_new, event_base_get_method answering "libev", ...), and
 * which library answers an ordinary call depends on link order - so every
 * call here goes through the table of libevent's own object that the
 * loader resolved (loader/dynlib.h), and the provenance of the names an
 * ordinary program calls is recorded separately, for the
 * compatibility-layer finding.  That protects only
 * the entry points: libevent calls its own exported names through the PLT,
 * so under libev's imitation its internals reach libev and the probe
 * crashes, as every program linked that way would.  EVENT_NO<METHOD>
 * disables a method whatever its value, even empty; the forced bases set
 * EVENT_BASE_FLAG_IGNORE_ENV and avoid every other method, and the default
 * cell reports what the variables did.  event_get_supported_methods() is
 * what was compiled in, not what works.  The epoll method may call itself
 * "epoll (with changelist)", so method names are compared by prefix.  When
 * epoll_create fails libevent prints a warning on standard error and falls
 * back to poll; the runner captures that line as evidence.  By default
 * libevent times with CLOCK_MONOTONIC_COARSE, whose tick (4 ms at HZ=250)
 * lets timers fire that much early; the forced bases ask for
 * EVENT_BASE_FLAG_PRECISE_TIMER so the timer measures the mechanism.
 */
#define _GNU_SOURCE
#include "backend.h"
#include "support/fdpair.h"
#include "support/kobjects.h"
#include "registry.h"

#include "../sys/sys.h"
#include "../base/util.h"

#include <errno.h>
#include <event2/event.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* libevent's functions, as libevent itself defines them. */
struct evapi {
  const char *(*version)(void);
  const char **(*supported_methods)(void);
  struct event_config *(*config_new)(void);
  int (*config_avoid)(struct event_config *, const char *);
  int (*config_flag)(struct event_config *, int);
  void (*config_free)(struct event_config *);
  struct event_base *(*base_new)(void);
  struct event_base *(*base_new_with_config)(const struct event_config *);
  const char *(*base_method)(const struct event_base *);
  void (*base_free)(struct event_base *);
  struct event *(*event_new)(struct event_base *, evutil_socket_t, short, event_callback_fn,
                             void *);
  int (*event_add)(struct event *, const struct timeval *);
  void (*event_free)(struct event *);
  int (*base_loop)(struct event_base *, int);
};

static const struct lp_symbol symbols[] = {
    LP_SYMBOL(struct evapi, version, event_get_version),
    LP_SYMBOL(struct evapi, supported_methods, event_get_supported_methods),
    LP_SYMBOL(struct evapi, config_new, event_config_new),
    LP_SYMBOL(struct evapi, config_avoid, event_config_avoid_method),
    LP_SYMBOL(struct evapi, config_flag, event_config_set_flag),
    LP_SYMBOL(struct evapi, config_free, event_config_free),
    LP_SYMBOL(struct evapi, base_new, event_base_new),
    LP_SYMBOL(struct evapi, base_new_with_config, event_base_new_with_config),
    LP_SYMBOL(struct evapi, base_method, event_base_get_method),
    LP_SYMBOL(struct evapi, base_free, event_base_free),
    LP_SYMBOL(struct evapi, event_new, event_new),
    LP_SYMBOL(struct evapi, event_add, event_add),
    LP_SYMBOL(struct evapi, event_free, event_free),
    LP_SYMBOL(struct evapi, base_loop, event_base_loop),
};

static void version(const struct lp_dynlib *lib, char *buf, size_t size)
{
  const struct evapi *api = lib->table;

  lp_strlcpy(buf, api->version(), size);
}

LP_LIBRARY(lp_lib_libevent, struct evapi, .name = "libevent",
           .soname = LP_SONAME_LIBEVENT, /* read from the library the build found */
           .compiled = LIBEVENT_VERSION, .package = "libevent-core-2.1-7",
           /* libev imitates 24 of libevent's names, not this one */
           .marker = "event_get_supported_methods");

/* The names an ordinary program calls, checked for a compatibility layer. */
static void provenance(const struct lp_dynlib *lib, struct lp_obs *o)
{
  static const char *const names[] = {"event_base_new", "event_base_get_method", "event_add",
                                      "event_base_loop", "event_config_new"};
  size_t i;

  for (i = 0; i < LP_ARRAY_LEN(names); i++)
    lp_obs_lib_provider(o, lib, names[i]);
}

static const char *method_of(enum lp_mechanism m)
{
  return m == LP_MECH_EVPORT ? "evport" : lp_mechanism_name(m);
}

/* libevent's compiled-in methods, copied.  event_get_supported_methods()
   frees the array it returned last time on every call, so calls from
   several threads (lp_check() in a server) must not overlap. */
#define MAX_METHODS 12

#if defined(_WIN32)
#include <windows.h>
static SRWLOCK methods_lock = SRWLOCK_INIT;
#define METHODS_LOCK() AcquireSRWLockExclusive(&methods_lock)
#define METHODS_UNLOCK() ReleaseSRWLockExclusive(&methods_lock)
#else
#include <pthread.h>
static pthread_mutex_t methods_lock = PTHREAD_MUTEX_INITIALIZER;
#define METHODS_LOCK() pthread_mutex_lock(&methods_lock)
#define METHODS_UNLOCK() pthread_mutex_unlock(&methods_lock)
#endif

static int methods(const struct evapi *api, char out[MAX_METHODS][24])
{
  const char **m = NULL;
  int n = 0;

  METHODS_LOCK();
  for (m = api->supported_methods(); m && *m && n < MAX_METHODS; m++)
    lp_strlcpy(out[n++], *m, sizeof(out[0]));
  METHODS_UNLOCK();
  return n;
}

static int listed(char m[MAX_METHODS][24], int n, const char *method)
{
  int i;

  for (i = 0; i < n; i++)
    if (strcmp(m[i], method) == 0)
      return 1;
  return 0;
}

/* A base that can use nothing but method (one of the n compiled-in
   methods m), whatever the environment says. */
static struct event_base *forced_base(const struct evapi *api, const char *method,
                                      char m[MAX_METHODS][24], int n, struct lp_obs *o)
{
  struct event_config *cfg = api->config_new();
  struct event_base *base = NULL;
  int i;

  if (!cfg) {
    lp_obs_fail(o, "event_config_new", ENOMEM);
    return NULL;
  }
  api->config_flag(cfg, EVENT_BASE_FLAG_IGNORE_ENV | EVENT_BASE_FLAG_PRECISE_TIMER);
  for (i = 0; i < n; i++)
    if (strcmp(m[i], method) != 0)
      api->config_avoid(cfg, m[i]);
  errno = 0;
  lp_obs_enter(o, "event_base_new_with_config");
  base = api->base_new_with_config(cfg);
  if (!base)
    lp_obs_fail(o, "event_base_new_with_config", errno ? errno : EINVAL);
  api->config_free(cfg);
  return base;
}

static void count_cb(evutil_socket_t fd, short what, void *arg)
{
  int *n = arg;

  (void)fd, (void)what;
  (*n)++;
}

struct round {
  const struct evapi *api;
  struct event_base *base;
  int io_calls;
  int timer_calls;
};

/* Runs the loop until the timer of ms fires; returns -1 on failure. */
static int run_until_timer(struct round *r, unsigned ms, int *calls, struct lp_obs *o)
{
  struct timeval tv;
  struct event *t = r->api->event_new(r->base, -1, 0, count_cb, calls);
  int rc = 0;

  if (!t)
    return lp_obs_fail(o, "event_new", ENOMEM);
  tv.tv_sec = ms / 1000;
  tv.tv_usec = (long)(ms % 1000) * 1000;
  r->api->event_add(t, &tv);
  lp_obs_enter(o, "event_base_loop");
  while (*calls == 0 && r->io_calls == 0 && rc == 0)
    rc = r->api->base_loop(r->base, EVLOOP_ONCE);
  r->api->event_free(t);
  return rc < 0 ? lp_obs_fail(o, "event_base_loop", EIO) : 0;
}

static int empty_wait(struct round *r, const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  int64_t t0 = lp_mono_ns(); /* before the timer's deadline is fixed */

  r->timer_calls = 0;
  if (ctx->wait_ms == 0)
    r->api->base_loop(r->base, EVLOOP_NONBLOCK);
  else if (run_until_timer(r, ctx->wait_ms, &r->timer_calls, o) < 0)
    return -1;
  else
    lp_obs_sample(o, (int64_t)ctx->wait_ms * 1000, (lp_mono_ns() - t0) / 1000);
  if (r->io_calls)
    return lp_obs_misbehave(o, LP_MIS_EARLY_EVENT,
                            "the EV_READ event fired before any data was written");
  return 0;
}

static int event_after_write(struct round *r, struct lp_fdpair *p, const struct lp_probe_ctx *ctx,
                             struct lp_obs *o)
{
  int guard = 0;

  if (lp_fdpair_poke(p, o) < 0 || run_until_timer(r, ctx->event_wait_ms, &guard, o) < 0)
    return -1;
  if (r->io_calls == 0)
    return lp_obs_misbehave(o, LP_MIS_LOST_EVENT, "the EV_READ event did not fire after a write");
  if (r->io_calls > 1)
    return lp_obs_misbehave(o, LP_MIS_REPEATED, "the EV_READ event fired %d times", r->io_calls);
  return 0;
}

static void round_trip(const struct evapi *api, struct event_base *base, enum lp_mechanism mech,
                       const char *method, const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  struct lp_fdpair p = LP_FDPAIR_INIT;
  struct event *ev = NULL;
  struct round r;

  memset(&r, 0, sizeof(r));
  r.api = api;
  r.base = base;
  if (lp_fdpair_open(&p, o) < 0)
    goto out;
  ev = api->event_new(base, p.rd, EV_READ, count_cb, &r.io_calls);
  errno = 0;
  if (!ev || api->event_add(ev, NULL) != 0) {
    lp_obs_fail(o, ev ? "event_add" : "event_new", errno ? errno : ev ? EINVAL : ENOMEM);
    goto out;
  }
  if (empty_wait(&r, ctx, o) < 0 || empty_wait(&r, ctx, o) < 0 ||
      (ctx->wait_ms > 0 && lp_expect_kernel_objects(o, "libevent", mech, p.rd) < 0) ||
      event_after_write(&r, &p, ctx, o) < 0)
    goto out;
  lp_obs_ok(o, "EV_READ on a pipe and timer events through libevent's %s method", method);
out:
  if (ev)
    api->event_free(ev);
  lp_fdpair_close(&p);
}

static void libevent_probe(enum lp_mechanism mech, enum lp_layer layer,
                           const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  const char *method = method_of(mech), *used = NULL;
  const struct lp_dynlib *lib = NULL;
  const struct evapi *api = lp_library_table(ctx, &lp_lib_libevent, o, &lib);
  struct event_base *base = NULL;
  char m[MAX_METHODS][24];
  int n;

  (void)layer;
  if (!api)
    return;
  provenance(lib, o);
  lp_obs_checkpoint(o);
  n = methods(api, m);
  if (!listed(m, n, method)) {
    lp_obs_status(o, LP_OBS_MISSING, "libevent %s was built without the %s method", api->version(),
                  method);
    return;
  }
  base = forced_base(api, method, m, n, o);
  if (!base)
    return;
  used = api->base_method(base);
  lp_strlcpy(o->used, used ? used : "", sizeof(o->used));
  if (!used || strncmp(used, method, strlen(method)) != 0)
    lp_obs_misbehave(o, LP_MIS_WRONG_BACKEND, "libevent was limited to %s but uses \"%s\"", method,
                     used ? used : "nothing");
  else
    round_trip(api, base, mech, used, ctx, o);
  api->base_free(base);
}

/* The EVENT_NO* family and the other variables libevent reads. */
static void env_note(const struct evapi *api, struct lp_libinfo *lib)
{
  static const char *const extra[] = {"EVENT_EPOLL_USE_CHANGELIST", "EVENT_PRECISE_TIMER"};
  char m[MAX_METHODS][24];
  int n = methods(api, m), k;
  struct lp_buf b;
  size_t i;

  lp_buf_init(&b);
  for (k = 0; k < n; k++) {
    char name[64], *c;
    const char *v;
    lp_fmt(name, sizeof(name), "EVENT_NO%s", m[k]);
    for (c = name; *c; c++)
      if (*c >= 'a' && *c <= 'z')
        *c = (char)(*c - 'a' + 'A');
    v = getenv(name);
    if (v)
      lp_buf_printf(&b, "%s%s=%.40s", b.len ? " " : "", name, v);
  }
  for (i = 0; i < LP_ARRAY_LEN(extra); i++)
    if (getenv(extra[i]))
      lp_buf_printf(&b, "%s%s=%.40s", b.len ? " " : "", extra[i], getenv(extra[i]));
  if (b.data)
    lp_strlcpy(lib->env, b.data, sizeof(lib->env));
  lp_buf_free(&b);
}

/* "epoll (with changelist)" is epoll. */
static void mech_of_method(char *dst, size_t size, const char *method)
{
  size_t n = strcspn(method ? method : "", " ");

  lp_fmt(dst, size, "%.*s", (int)n, method ? method : "");
  if (strcmp(dst, "win32") == 0)
    lp_strlcpy(dst, "select", size);
}

static void libevent_describe(const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  const struct lp_dynlib *lib = NULL;
  const struct evapi *api = lp_library_table(ctx, &lp_lib_libevent, o, &lib);
  struct event_config *cfg = NULL;
  struct event_base *base = NULL;

  if (!api)
    return;
  provenance(lib, o);
  lp_obs_checkpoint(o);
  env_note(api, &o->lib);
  cfg = api->config_new();
  if (cfg) {
    api->config_flag(cfg, EVENT_BASE_FLAG_IGNORE_ENV);
    base = api->base_new_with_config(cfg);
    if (base) {
      mech_of_method(o->lib.clean_mech, sizeof(o->lib.clean_mech), api->base_method(base));
      api->base_free(base);
    }
    api->config_free(cfg);
  }
  errno = 0;
  lp_obs_enter(o, "event_base_new");
  base = api->base_new();
  if (!base) {
    lp_obs_fail(o, "event_base_new", errno ? errno : EINVAL);
    return;
  }
  mech_of_method(o->lib.default_mech, sizeof(o->lib.default_mech), api->base_method(base));
  lp_obs_ok(o, "event_base_new() uses %s", api->base_method(base));
  api->base_free(base);
}

const struct lp_backend lp_backend_libevent = {
    .name = "libevent",
    .mechanisms = LP_MECHS_LIBEVENT, /* registry.h's table of platforms */
    .layers = LP_BIT(LP_LAYER_LIBEVENT),
    .probe = libevent_probe,
    .describe = libevent_describe,
    .library = &lp_lib_libevent,
    .library_layers = LP_BIT(LP_LAYER_LIBEVENT),
};
