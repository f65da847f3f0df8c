/* SPDX-License-Identifier: MIT */
/*
 * epoll_shim.c - epoll where the platform has none, at the api layer,
 * through the shim that provides it, loaded at run time (loader/dynlib.h):
 * epoll-shim on the BSDs and macOS (epoll over kqueue) and wepoll on
 * Windows (epoll over AFD polls on an I/O completion port).  Where the shim
 * is absent the cell is na, as it is without it.
 *
 * Traps: neither platform has <sys/epoll.h>; each shim's ABI is declared
 * below, and the two differ.  epoll-shim numbers EPOLL_CTL_MOD 3 and
 * EPOLLONESHOT 1<<30 as Linux does, packs struct epoll_event on x86_64 as
 * Linux does, and its epoll descriptor is the very number kqueue() gave
 * it - so kevent() with nothing to change and a zero timeout succeeds on
 * it, which is the evidence of what it runs over; the descriptor must be
 * closed with epoll_shim_close() (a plain close() would leave the shim's
 * state behind) where the library has it.  wepoll numbers EPOLL_CTL_MOD 2
 * and EPOLL_CTL_DEL 3, EPOLLONESHOT 1<<31, does not pack the structure,
 * takes sockets only, returns a HANDLE (the I/O completion port it waits
 * on, NULL on failure) and closes it with epoll_close(), which no Linux
 * epoll has; EPOLLET is not supported, so the probe asks for level
 * triggering and one-shot only.  Both set errno on failure.
 */
#include "backend.h"
#include "registry.h"

#include "../sys/sys.h"
#include "../base/util.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#if defined(_WIN32)
#include "support/winsock.h"
#include <windows.h>
#else
#include "support/fdpair.h"
#include <sys/types.h>
#include <sys/event.h>
#include <sys/time.h>
#include <unistd.h>
#endif

#define COOKIE_READ UINT64_C(0x6c70000000000021)
#define COOKIE_ONESHOT UINT64_C(0x6c70000000000022)

typedef union shim_data {
  void *ptr;
  int fd;
  uint32_t u32;
  uint64_t u64;
#if defined(_WIN32)
  SOCKET sock;
  HANDLE hnd;
#endif
} shim_data;

#if defined(_WIN32)
/* wepoll's ABI. */
#define SHIM_IN (1u << 0)
#define SHIM_ONESHOT (1u << 31)
#define SHIM_CTL_ADD 1
#define SHIM_CTL_MOD 2
struct shim_event {
  uint32_t events;
  shim_data data;
};
typedef HANDLE shim_port;   /* what epoll_create1() returns */
typedef SOCKET shim_target; /* what epoll_ctl() registers */
#define SHIM_NO_PORT NULL
HANDLE epoll_create1(int flags); /* declared for the type checks of the table only */
int epoll_close(HANDLE port);
int epoll_ctl(HANDLE port, int op, SOCKET sock, struct shim_event *ev);
int epoll_wait(HANDLE port, struct shim_event *events, int maxevents, int timeout);
#define SHIM_NAME "wepoll"
#define SHIM_SONAME "wepoll.dll"
#define SHIM_TARGET "a loopback TCP socket"
#else
/* epoll-shim's ABI. */
#define SHIM_IN 0x001u
#define SHIM_ONESHOT (1u << 30)
#define SHIM_CTL_ADD 1
#define SHIM_CTL_MOD 3
struct shim_event {
  uint32_t events;
  shim_data data;
}
#if defined(__x86_64__) || defined(__amd64__)
__attribute__((packed))
#endif
;
typedef int shim_port;
typedef int shim_target;
#define SHIM_NO_PORT (-1)
int epoll_create1(int flags); /* declared for the type checks of the table only */
int epoll_shim_close(int fd);
int epoll_ctl(int port, int op, int fd, struct shim_event *ev);
int epoll_wait(int port, struct shim_event *events, int maxevents, int timeout);
#define SHIM_NAME "epoll-shim"
#if defined(__APPLE__)
#define SHIM_SONAME "libepoll-shim.0.dylib"
#else
#define SHIM_SONAME "libepoll-shim.so.0"
#endif
#define SHIM_TARGET "a pipe"
#endif

/* The shim's functions, as the loaded library defines them. */
struct shimapi {
  shim_port (*create1)(int flags);
  int (*ctl)(shim_port port, int op, shim_target t, struct shim_event *ev);
  int (*wait)(shim_port port, struct shim_event *events, int maxevents, int timeout);
  int (*close)(shim_port port); /* epoll-shim: NULL where it has none (close() then) */
};

static const struct lp_symbol symbols[] = {
    LP_SYMBOL(struct shimapi, create1, epoll_create1),
    LP_SYMBOL(struct shimapi, ctl, epoll_ctl),
    LP_SYMBOL(struct shimapi, wait, epoll_wait),
#if defined(_WIN32)
    LP_SYMBOL(struct shimapi, close, epoll_close),
#else
    LP_SYMBOL_OPTIONAL(struct shimapi, close, epoll_shim_close),
#endif
};

/* Neither shim says its version. */
static void version(const struct lp_dynlib *lib, char *buf, size_t size)
{
  (void)lib, (void)size;
  buf[0] = '\0';
}

LP_LIBRARY(lp_lib_epoll_shim, struct shimapi, .name = SHIM_NAME, .soname = SHIM_SONAME,
           .compiled = NULL, .package = NULL, .marker = NULL, .shim = 1);

/* --- what the probe registers --- */

#if defined(_WIN32)
struct target_pair {
  struct lp_sockpair p;
  int started;
};

static int pair_open(struct target_pair *t, struct lp_obs *o)
{
  if (lp_winsock_start(o) < 0)
    return -1;
  t->started = 1;
  return lp_sockpair_open(&t->p, o);
}

static shim_target pair_target(struct target_pair *t)
{
  return t->p.rd;
}

static int pair_poke(struct target_pair *t, struct lp_obs *o)
{
  return lp_sockpair_poke(&t->p, o);
}

static void pair_close(struct target_pair *t)
{
  lp_sockpair_close(&t->p);
  if (t->started)
    lp_winsock_stop();
}
#define TARGET_PAIR_INIT                                                                           \
  {                                                                                                \
    LP_SOCKPAIR_INIT, 0                                                                            \
  }
#else
struct target_pair {
  struct lp_fdpair p;
};

static int pair_open(struct target_pair *t, struct lp_obs *o)
{
  return lp_fdpair_open(&t->p, o);
}

static shim_target pair_target(struct target_pair *t)
{
  return t->p.rd;
}

static int pair_poke(struct target_pair *t, struct lp_obs *o)
{
  return lp_fdpair_poke(&t->p, o);
}

static void pair_close(struct target_pair *t)
{
  lp_fdpair_close(&t->p);
}
#define TARGET_PAIR_INIT                                                                           \
  {                                                                                                \
    LP_FDPAIR_INIT                                                                                 \
  }
#endif

/* --- what the shim runs over --- */

#if defined(_WIN32)
/* wepoll's port is the I/O completion port it waits on: before anything
   is registered, a dequeue with no wait times out on it. */
static void beneath(const struct shimapi *s, shim_port port, struct lp_obs *o)
{
  DWORD bytes = 0;
  ULONG_PTR key = 0;
  OVERLAPPED *ov = NULL;
  BOOL got = GetQueuedCompletionStatus(port, &bytes, &key, &ov, 0);
  DWORD err = got ? 0 : GetLastError();

  lp_obs_beneath(o,
                 "epoll_create1() returned HANDLE %p, not a descriptor, and the library exports "
                 "epoll_close() to close it, which no Linux epoll has",
                 (void *)port);
  (void)s;
  if (!got && err == WAIT_TIMEOUT) {
    lp_strlcpy(o->emulated_by, "wepoll over an I/O completion port", sizeof(o->emulated_by));
    lp_obs_beneath(o,
                   "GetQueuedCompletionStatus() on that HANDLE times out (WAIT_TIMEOUT): it is an "
                   "I/O completion port, which wepoll feeds with AFD polls of the sockets");
  } else {
    lp_strlcpy(o->emulated_by, "wepoll", sizeof(o->emulated_by));
    lp_obs_beneath(o,
                   "GetQueuedCompletionStatus() on that HANDLE answers Windows error %lu, so what "
                   "wepoll runs over is not shown",
                   (unsigned long)err);
  }
}
#else
/* epoll-shim's descriptor is a kqueue: kevent() accepts it. */
static void beneath(const struct shimapi *s, shim_port port, struct lp_obs *o)
{
  struct timespec zero = {0, 0};
  int rc = kevent(port, NULL, 0, NULL, 0, &zero);

  (void)s;
  if (rc >= 0) {
    lp_strlcpy(o->emulated_by, "epoll-shim over kqueue", sizeof(o->emulated_by));
    lp_obs_beneath(o,
                   "the epoll descriptor %d is a kqueue: kevent() with no changes and a zero "
                   "timeout succeeds on it",
                   port);
  } else {
    lp_strlcpy(o->emulated_by, "epoll-shim", sizeof(o->emulated_by));
    lp_obs_beneath(o,
                   "kevent() on the epoll descriptor %d fails with %s, so what epoll-shim runs "
                   "over is not shown",
                   port, lp_errno_name(errno) ? lp_errno_name(errno) : "an error");
  }
}
#endif

/* --- the round trip --- */

static int ctl(const struct shimapi *s, shim_port port, int op, shim_target t, uint32_t events,
               uint64_t cookie, struct lp_obs *o)
{
  struct shim_event ev;

  memset(&ev, 0, sizeof(ev));
  ev.events = events;
  ev.data.u64 = cookie;
  lp_obs_enter(o, "epoll_ctl");
  return s->ctl(port, op, t, &ev) < 0 ? lp_obs_fail(o, "epoll_ctl", errno) : 0;
}

/* A wait that must end empty; timed unless in quick mode. */
static int empty_wait(const struct shimapi *s, shim_port port, const struct lp_probe_ctx *ctx,
                      const char *what, struct lp_obs *o)
{
  struct shim_event ev[4];
  int timeout = lp_ctx_wait_ms(ctx), n;
  int64_t t0;

  lp_obs_enter(o, "epoll_wait");
  t0 = lp_mono_ns();
  n = s->wait(port, ev, 4, timeout);
  if (n < 0)
    return lp_obs_fail(o, "epoll_wait", errno);
  if (timeout > 0)
    lp_obs_sample(o, (int64_t)timeout * 1000, (lp_mono_ns() - t0) / 1000);
  return n > 0 ? lp_obs_misbehave(o, LP_MIS_EARLY_EVENT, "%s", what) : 0;
}

/* A wait that must return one event carrying cookie. */
static int one_event(const struct shimapi *s, shim_port port, const struct lp_probe_ctx *ctx,
                     uint64_t cookie, const char *what, struct lp_obs *o)
{
  struct shim_event ev[4];
  int n;

  lp_obs_enter(o, "epoll_wait");
  n = s->wait(port, ev, 4, (int)ctx->event_wait_ms);
  if (n < 0)
    return lp_obs_fail(o, "epoll_wait", errno);
  if (n == 0)
    return lp_obs_misbehave(o, LP_MIS_LOST_EVENT, "no event %s", what);
  if (n > 1)
    return lp_obs_misbehave(o, LP_MIS_REPEATED, "%d events %s, expected one", n, what);
  if (ev[0].data.u64 != cookie || !(ev[0].events & SHIM_IN))
    return lp_obs_misbehave(o, LP_MIS_WRONG_DATA, "the event %s carried events %#x, data %#llx",
                            what, (unsigned)ev[0].events, (unsigned long long)ev[0].data.u64);
  return 0;
}

/* Level-triggered readiness, then EPOLLONESHOT: once reported, the
   registration stays disarmed although the data is still there. */
static int exercise(const struct shimapi *s, shim_port port, struct target_pair *t,
                    const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  if (ctl(s, port, SHIM_CTL_ADD, pair_target(t), SHIM_IN, COOKIE_READ, o) < 0 ||
      empty_wait(s, port, ctx, "an event came before any data was written", o) < 0 ||
      empty_wait(s, port, ctx, "an event came before any data was written", o) < 0 ||
      pair_poke(t, o) < 0 ||
      one_event(s, port, ctx, COOKIE_READ, "after a write (level-triggered)", o) < 0 ||
      ctl(s, port, SHIM_CTL_MOD, pair_target(t), SHIM_IN | SHIM_ONESHOT, COOKIE_ONESHOT, o) < 0 ||
      one_event(s, port, ctx, COOKIE_ONESHOT, "with EPOLLONESHOT and data waiting", o) < 0)
    return -1;
  return empty_wait(s, port, ctx, "EPOLLONESHOT reported the same data twice", o);
}

static void round_trip(const struct shimapi *s, const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  struct target_pair t = TARGET_PAIR_INIT;
  shim_port port = SHIM_NO_PORT;

  if (pair_open(&t, o) < 0)
    goto out;
  lp_obs_enter(o, "epoll_create1");
  port = s->create1(0);
  if (port == SHIM_NO_PORT) {
    lp_obs_fail(o, "epoll_create1", errno);
    goto out;
  }
  beneath(s, port, o);
  if (exercise(s, port, &t, ctx, o) < 0)
    goto out;
  lp_obs_ok(o, "EPOLLIN on %s, level-triggered and with EPOLLONESHOT; timeouts honoured",
            SHIM_TARGET);
out:
#if defined(_WIN32)
  if (port != SHIM_NO_PORT)
    s->close(port);
#else
  if (port != SHIM_NO_PORT && s->close)
    s->close(port);
  else if (port != SHIM_NO_PORT)
    close(port);
#endif
  pair_close(&t);
}

static void epoll_shim_probe(enum lp_mechanism mech, enum lp_layer layer,
                             const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  const struct lp_dynlib *lib = NULL;
  const struct shimapi *s = lp_library_table(ctx, &lp_lib_epoll_shim, o, &lib);

  (void)mech, (void)layer;
  if (!s)
    return;
  lp_obs_lib_provider(o, lib, "epoll_create1");
  lp_obs_lib_provider(o, lib, "epoll_ctl");
  lp_obs_lib_provider(o, lib, "epoll_wait");
  lp_obs_checkpoint(o);
  round_trip(s, ctx, o);
}

const struct lp_backend lp_backend_epoll_shim = {
    .name = SHIM_NAME,
    .mechanisms = LP_BIT(LP_MECH_EPOLL),
    .layers = LP_BIT(LP_LAYER_API),
    .probe = epoll_shim_probe,
    .library = &lp_lib_epoll_shim,
    .library_layers = LP_BIT(LP_LAYER_API),
};
