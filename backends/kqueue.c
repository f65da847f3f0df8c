/* SPDX-License-Identifier: MIT */
/*
 * kqueue.c - BSD and macOS kqueue(2)/kevent(2), at the syscall and api
 * layers.
 *
 * Traps: a registration without EV_CLEAR is level-triggered and reports a
 * readable descriptor on every call; with EV_CLEAR the state is reset once
 * the event is retrieved, so one write must give one event, not two -
 * emulations get this wrong.  EVFILT_TIMER counts milliseconds unless told
 * otherwise and must neither fire early nor twice with EV_ONESHOT.
 * kevent() with no room for events returns errors of the change list as -1
 * and errno.  macOS refuses EVFILT_READ on some device files (/dev/null and
 * /dev/tty give EINVAL) and FreeBSD's /dev/null gives ENODEV: facts of the
 * platform, recorded in the detail, never a failure.  macOS has no stable
 * system call interface (only libSystem's entry points are supported) and
 * OpenBSD accepts system calls only from libc's own code, so the syscall
 * layer exists on FreeBSD, DragonFly and NetBSD alone.  libkqueue provides
 * kqueue in user space (over epoll on Linux) and hands out the write end of
 * a pipe as the kqueue descriptor, which no native kqueue is: that tell,
 * and a kqueue() served by a libkqueue object, are recorded as emulation.
 */
#include "backend.h"
#include "support/fdpair.h"
#include "registry.h"

#include "../sys/sys.h"
#include "../base/util.h"

#include <sys/types.h>
#include <sys/event.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#if defined(__FreeBSD__) || defined(__DragonFly__) || defined(__NetBSD__)
#include <sys/syscall.h>
#define LP_KQ_SYSCALL 1
#if defined(SYS___kevent100)
#define LP_SYS_KEVENT SYS___kevent100
#elif defined(SYS___kevent50)
#define LP_SYS_KEVENT SYS___kevent50
#else
#define LP_SYS_KEVENT SYS_kevent
#endif
#else
#define LP_KQ_SYSCALL 0
#endif

#if defined(__APPLE__)
#define LP_KQ_NO_SYSCALL                                                                           \
  "macOS has no stable system call interface: only libSystem's entry points are supported"
#elif defined(__OpenBSD__)
#define LP_KQ_NO_SYSCALL "OpenBSD accepts system calls only from libc's own code"
#else
#define LP_KQ_NO_SYSCALL "no direct system call is possible on this system"
#endif

#define COOKIE_PIPE 0x6c01
#define COOKIE_SOCKET 0x6c02
#define COOKIE_TIMER 0x6c03
#define TIMER_IDENT 0x6c

/* One layer's way to the two calls; each returns the result or -errno. */
struct kq_ops {
  int (*create)(void);
  int (*kevent)(int kq, const struct kevent *ch, int nch, struct kevent *ev, int nev,
                const struct timespec *ts);
};

static int neg(int rc)
{
  return rc < 0 ? -errno : rc;
}

static int api_create(void)
{
  return neg(kqueue());
}

static int api_kevent(int kq, const struct kevent *ch, int nch, struct kevent *ev, int nev,
                      const struct timespec *ts)
{
  return neg(kevent(kq, ch, nch, ev, nev, ts));
}

static const struct kq_ops api_ops = {api_create, api_kevent};

#if LP_KQ_SYSCALL
static int sys_create(void)
{
  return neg((int)syscall(SYS_kqueue));
}

static int sys_kevent(int kq, const struct kevent *ch, int nch, struct kevent *ev, int nev,
                      const struct timespec *ts)
{
  return neg((int)syscall(LP_SYS_KEVENT, kq, ch, nch, ev, nev, ts));
}

static const struct kq_ops sys_ops = {sys_create, sys_kevent};
#endif

static struct timespec ms_spec(int ms)
{
  struct timespec ts;

  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (long)(ms % 1000) * 1000000;
  return ts;
}

static int change(const struct kq_ops *ops, int kq, uintptr_t ident, int filter, unsigned flags,
                  intptr_t data, uintptr_t cookie, struct lp_obs *o)
{
  struct kevent ch;
  int rc;

  EV_SET(&ch, ident, filter, flags, 0, data, (void *)cookie);
  lp_obs_enter(o, "kevent");
  rc = ops->kevent(kq, &ch, 1, NULL, 0, NULL);
  return rc < 0 ? lp_obs_fail(o, "kevent", -rc) : 0;
}

/* A wait that must time out with no event; timed unless in quick mode. */
static int empty_wait(const struct kq_ops *ops, int kq, const struct lp_probe_ctx *ctx,
                      struct lp_obs *o)
{
  struct kevent ev[4];
  int timeout = lp_ctx_wait_ms(ctx), n;
  struct timespec ts = ms_spec(timeout);
  int64_t t0;

  lp_obs_enter(o, "kevent");
  t0 = lp_mono_ns();
  n = ops->kevent(kq, NULL, 0, ev, 4, &ts);
  if (n < 0)
    return lp_obs_fail(o, "kevent", -n);
  if (timeout > 0)
    lp_obs_sample(o, (int64_t)timeout * 1000, (lp_mono_ns() - t0) / 1000);
  if (n > 0)
    return lp_obs_misbehave(o, LP_MIS_EARLY_EVENT,
                            "kevent() reported %d event(s) before any data was written", n);
  return 0;
}

/* A wait that must return exactly one event of filter carrying cookie. */
static int one_event(const struct kq_ops *ops, int kq, int filter, uintptr_t cookie, int timeout,
                     const char *what, struct lp_obs *o)
{
  struct kevent ev[4];
  struct timespec ts = ms_spec(timeout);
  int n;

  lp_obs_enter(o, "kevent");
  n = ops->kevent(kq, NULL, 0, ev, 4, &ts);
  if (n < 0)
    return lp_obs_fail(o, "kevent", -n);
  if (n == 0)
    return lp_obs_misbehave(o, LP_MIS_LOST_EVENT, "no event %s", what);
  if (n > 1)
    return lp_obs_misbehave(o, LP_MIS_REPEATED, "%d events %s, expected one", n, what);
  if (ev[0].filter != filter || (uintptr_t)ev[0].udata != cookie || (ev[0].flags & EV_ERROR))
    return lp_obs_misbehave(
        o, LP_MIS_WRONG_DATA, "the event %s carried filter %d, flags %#x, data %#lx", what,
        (int)ev[0].filter, (unsigned)ev[0].flags, (unsigned long)(uintptr_t)ev[0].udata);
  return 0;
}

/* A zero-timeout wait that must return nothing. */
static int no_event(const struct kq_ops *ops, int kq, const char *what, struct lp_obs *o)
{
  struct kevent ev[4];
  struct timespec ts = ms_spec(0);
  int n;

  lp_obs_enter(o, "kevent");
  n = ops->kevent(kq, NULL, 0, ev, 4, &ts);
  if (n < 0)
    return lp_obs_fail(o, "kevent", -n);
  return n > 0 ? lp_obs_misbehave(o, LP_MIS_REPEATED, "%s", what) : 0;
}

/* EVFILT_READ, level-triggered, on a pipe. */
static int pipe_level(const struct kq_ops *ops, int kq, struct lp_fdpair *p,
                      const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  if (change(ops, kq, (uintptr_t)p->rd, EVFILT_READ, EV_ADD, 0, COOKIE_PIPE, o) < 0 ||
      empty_wait(ops, kq, ctx, o) < 0 || lp_fdpair_poke(p, o) < 0 ||
      one_event(ops, kq, EVFILT_READ, COOKIE_PIPE, (int)ctx->event_wait_ms,
                "after a write to a pipe", o) < 0)
    return -1;
  lp_fdpair_drain(p);
  if (no_event(ops, kq, "a drained pipe was still reported readable", o) < 0)
    return -1;
  return change(ops, kq, (uintptr_t)p->rd, EVFILT_READ, EV_DELETE, 0, COOKIE_PIPE, o);
}

/* EVFILT_READ with EV_CLEAR on a socket: one write, one event. */
static int socket_edge(const struct kq_ops *ops, int kq, const struct lp_probe_ctx *ctx,
                       struct lp_obs *o)
{
  int sv[2] = {-1, -1}, rc = -1;

  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
    return lp_obs_fail(o, "socketpair", errno);
  if (change(ops, kq, (uintptr_t)sv[0], EVFILT_READ, EV_ADD | EV_CLEAR, 0, COOKIE_SOCKET, o) < 0 ||
      empty_wait(ops, kq, ctx, o) < 0)
    goto out;
  if (write(sv[1], "x", 1) != 1) {
    lp_obs_fail(o, "write", errno);
    goto out;
  }
  if (one_event(ops, kq, EVFILT_READ, COOKIE_SOCKET, (int)ctx->event_wait_ms,
                "after a write to a socket (EV_CLEAR)", o) < 0)
    goto out;
  rc = no_event(ops, kq, "EV_CLEAR reported the same write twice", o);
out:
  close(sv[0]); /* closing the descriptor removes its registration */
  close(sv[1]);
  return rc;
}

/* A one-shot EVFILT_TIMER fires once, and not before its time. */
static int timer(const struct kq_ops *ops, int kq, const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  int ms = lp_ctx_wait_ms(ctx) > 0 ? lp_ctx_wait_ms(ctx) : 1;
  int64_t t0 = lp_mono_ns();

  if (change(ops, kq, TIMER_IDENT, EVFILT_TIMER, EV_ADD | EV_ONESHOT, ms, COOKIE_TIMER, o) < 0 ||
      one_event(ops, kq, EVFILT_TIMER, COOKIE_TIMER, ms + (int)ctx->event_wait_ms,
                "from a one-shot EVFILT_TIMER", o) < 0)
    return -1;
  if (lp_ctx_wait_ms(ctx) > 0)
    lp_obs_sample(o, (int64_t)ms * 1000, (lp_mono_ns() - t0) / 1000);
  return no_event(ops, kq, "an EV_ONESHOT timer fired twice", o);
}

/* Whether this kqueue takes /dev/null: a platform fact, never a failure. */
static void device_fact(const struct kq_ops *ops, int kq, char *fact, size_t size)
{
  int fd = open("/dev/null", O_RDONLY);
  struct kevent ch;
  int rc;

  fact[0] = '\0';
  if (fd < 0)
    return;
  EV_SET(&ch, (uintptr_t)fd, EVFILT_READ, EV_ADD, 0, 0, NULL);
  rc = ops->kevent(kq, &ch, 1, NULL, 0, NULL);
  if (rc < 0)
    lp_fmt(fact, size, "%s", lp_errno_name(-rc) ? lp_errno_name(-rc) : "an error");
  close(fd);
}

/* libkqueue's tells: its kqueue() lives in a libkqueue object, and the
   descriptor it returns is the write end of a pipe. */
static void emulation(int kq, struct lp_obs *o)
{
  struct stat st;
  unsigned i;
  int fl = fcntl(kq, F_GETFL);

  for (i = 0; i < o->nproviders; i++)
    if (strcmp(o->providers[i].function, "kqueue") == 0 &&
        strstr(o->providers[i].object, "libkqueue")) {
      lp_fmt(o->emulated_by, sizeof(o->emulated_by), "libkqueue: kqueue() is served by %s",
             o->providers[i].object);
      return;
    }
  if (fstat(kq, &st) == 0 && S_ISFIFO(st.st_mode) && fl >= 0 && (fl & O_ACCMODE) == O_WRONLY)
    lp_strlcpy(o->emulated_by, "libkqueue: the kqueue descriptor is the write end of a pipe",
               sizeof(o->emulated_by));
}

static void round_trip(const struct kq_ops *ops, const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  struct lp_fdpair p = LP_FDPAIR_INIT;
  char fact[96];
  int kq;

  lp_obs_enter(o, "kqueue");
  kq = ops->create();
  if (kq < 0) {
    lp_obs_fail(o, "kqueue", -kq);
    goto out;
  }
  emulation(kq, o);
  if (lp_fdpair_open(&p, o) < 0 || pipe_level(ops, kq, &p, ctx, o) < 0 ||
      socket_edge(ops, kq, ctx, o) < 0 || timer(ops, kq, ctx, o) < 0)
    goto out;
  device_fact(ops, kq, fact, sizeof(fact));
  lp_obs_ok(o,
            "EVFILT_READ on a pipe and, with EV_CLEAR, on a socket; EVFILT_TIMER; timeouts "
            "honoured%s%s%s%s",
            fact[0] ? "; refuses /dev/null with " : "", fact,
            o->emulated_by[0] ? "; emulated by " : "", o->emulated_by);
out:
  lp_fdpair_close(&p);
  if (kq >= 0)
    close(kq);
}

static void kqueue_probe(enum lp_mechanism mech, enum lp_layer layer,
                         const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  (void)mech;
  if (layer == LP_LAYER_SYSCALL) {
#if LP_KQ_SYSCALL
    round_trip(&sys_ops, ctx, o);
#else
    (void)ctx;
    lp_obs_status(o, LP_OBS_NA, "%s", LP_KQ_NO_SYSCALL);
#endif
    return;
  }
  lp_obs_provider(o, "kqueue", "c");
  lp_obs_provider(o, "kevent", "c");
  if (lp_obs_checkpoint(o) == 0)
    round_trip(&api_ops, ctx, o);
}

const struct lp_backend lp_backend_kqueue = {
    .name = "kqueue",
    .mechanisms = LP_BIT(LP_MECH_KQUEUE),
    .layers = LP_BIT(LP_LAYER_SYSCALL) | LP_BIT(LP_LAYER_API),
    .probe = kqueue_probe,
};
