/* SPDX-License-Identifier: MIT */
/*
 * kqueue.c - kqueue(2)/kevent(2): on the BSDs and macOS at the syscall and
 * api layers, and on Linux at the api layer through libkqueue, a shim that
 * implements kqueue in user space, loaded at run time (loader/dynlib.h).
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
 * layer exists on FreeBSD, DragonFly and NetBSD alone.
 *
 * libkqueue hands out the write end of a pipe as the kqueue descriptor (a
 * monitoring thread notices its close through the read end) and keeps an
 * epoll instance behind it, which watches that read end and every
 * descriptor registered with kevent(): that instance, found through the
 * registered pipe in /proc/self/fdinfo, is the mechanism beneath.  Linux
 * has no <sys/event.h>; the kevent ABI libkqueue implements (the BSDs'
 * layout before FreeBSD 12) is declared below.  libkqueue says its version
 * only through a query on a kqueue (filter EVFILT_LIBKQUEUE), which
 * reports one event less than it writes unless the event list has room
 * for exactly the one answer; it is asked inside the probe, never in
 * loopprobe's own process, where a first kqueue() would start libkqueue's
 * thread.  On a BSD, libkqueue named as the provider of kqueue() or a
 * kqueue descriptor that is a pipe's write end is recorded as emulation
 * too.
 */
#include "backend.h"
#include "support/fdpair.h"
#include "support/kobjects.h"
#include "registry.h"

#include "../sys/sys.h"
#include "../base/util.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if defined(__linux__)
#define LP_KQ_SHIM 1
/* The kevent ABI of libkqueue: the layout of struct kevent and the few
   constants this probe uses. */
struct kevent {
  uintptr_t ident;      /* a descriptor, for the read filter */
  short filter;         /* EVFILT_* */
  unsigned short flags; /* EV_* */
  unsigned int fflags;  /* filter-specific flags (NOTE_*) */
  intptr_t data;        /* filter-specific data: a timer's period, a query's answer */
  void *udata;          /* the caller's cookie, returned untouched */
};
#define EVFILT_READ (-1)
#define EVFILT_TIMER (-7)
#define EVFILT_LIBKQUEUE (-12) /* libkqueue's own queries */
#define EV_ADD 0x0001
#define EV_DELETE 0x0002
#define EV_ONESHOT 0x0010
#define EV_CLEAR 0x0020
#define EV_ERROR 0x4000
#define NOTE_VERSION 0x0001 /* EVFILT_LIBKQUEUE: the version, as 0xMMmmpprr in data */
/* The two functions, declared for the type checks of the table below
   only: nothing refers to them. */
int kqueue(void);
int kevent(int kq, const struct kevent *changes, int nchanges, struct kevent *events, int nevents,
           const struct timespec *timeout);

static void kev_fill(struct kevent *k, uintptr_t ident, int filter, unsigned flags, unsigned fflags,
                     intptr_t data, void *udata)
{
  memset(k, 0, sizeof(*k));
  k->ident = ident;
  k->filter = (short)filter;
  k->flags = (unsigned short)flags;
  k->fflags = fflags;
  k->data = data;
  k->udata = udata;
}
#define EV_SET(k, ident, filter, flags, fflags, data, udata)                                       \
  kev_fill((k), (ident), (filter), (flags), (fflags), (data), (udata))
#else
#define LP_KQ_SHIM 0
#include <sys/event.h>
#endif

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

/* One layer's way to the two calls, each answering -1 and errno on
   failure as kqueue(2) does; the probe's calls go through call_*(). */
struct kq_ops {
  int (*create)(void);
  int (*kevent)(int kq, const struct kevent *ch, int nch, struct kevent *ev, int nev,
                const struct timespec *ts);
};

static int call_create(const struct kq_ops *ops)
{
  int rc = ops->create();

  return rc < 0 ? -errno : rc;
}

/* The result, or -errno. */
static int call_kevent(const struct kq_ops *ops, int kq, const struct kevent *ch, int nch,
                       struct kevent *ev, int nev, const struct timespec *ts)
{
  int rc = ops->kevent(kq, ch, nch, ev, nev, ts);

  return rc < 0 ? -errno : rc;
}

#if !LP_KQ_SHIM
static int api_create(void)
{
  return kqueue();
}

/* (NetBSD counts the lists in size_t.) */
static int api_kevent(int kq, const struct kevent *ch, int nch, struct kevent *ev, int nev,
                      const struct timespec *ts)
{
  return kevent(kq, ch, nch, ev, nev, ts);
}

static const struct kq_ops api_ops = {api_create, api_kevent};
#endif

#if LP_KQ_SYSCALL
static int sys_create(void)
{
  return (int)syscall(SYS_kqueue);
}

static int sys_kevent(int kq, const struct kevent *ch, int nch, struct kevent *ev, int nev,
                      const struct timespec *ts)
{
  return (int)syscall(LP_SYS_KEVENT, kq, ch, nch, ev, nev, ts);
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
  rc = call_kevent(ops, kq, &ch, 1, NULL, 0, NULL);
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
  n = call_kevent(ops, kq, NULL, 0, ev, 4, &ts);
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
  n = call_kevent(ops, kq, NULL, 0, ev, 4, &ts);
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
  n = call_kevent(ops, kq, NULL, 0, ev, 4, &ts);
  if (n < 0)
    return lp_obs_fail(o, "kevent", -n);
  return n > 0 ? lp_obs_misbehave(o, LP_MIS_REPEATED, "%s", what) : 0;
}

static void emulation(const struct kq_ops *ops, int kq, int registered,
                      const struct lp_probe_ctx *ctx, struct lp_obs *o);

/* EVFILT_READ, level-triggered, on a pipe; while the pipe is registered,
   what serves the kqueue is recorded. */
static int pipe_level(const struct kq_ops *ops, int kq, struct lp_fdpair *p,
                      const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  if (change(ops, kq, (uintptr_t)p->rd, EVFILT_READ, EV_ADD, 0, COOKIE_PIPE, o) < 0)
    return -1;
  emulation(ops, kq, p->rd, ctx, o);
  if (empty_wait(ops, kq, ctx, o) < 0 || lp_fdpair_poke(p, o) < 0 ||
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
  rc = call_kevent(ops, kq, &ch, 1, NULL, 0, NULL);
  if (rc < 0)
    lp_fmt(fact, size, "%s", lp_errno_name(-rc) ? lp_errno_name(-rc) : "an error");
  close(fd);
}

/* 1 when kq is the write end of a pipe, which no kernel kqueue is. */
static int pipe_write_end(int kq)
{
  struct stat st;
  int fl = fcntl(kq, F_GETFL);

  return fstat(kq, &st) == 0 && S_ISFIFO(st.st_mode) && fl >= 0 && (fl & O_ACCMODE) == O_WRONLY;
}

#if LP_KQ_SHIM
/* libkqueue's version, from its own query (see the top of the file);
   empty when it does not answer. */
static void shim_version(const struct kq_ops *ops, int kq, char *buf, size_t size)
{
  struct kevent q, answer;
  struct timespec zero = {0, 0};
  long v;

  buf[0] = '\0';
  EV_SET(&q, 0, EVFILT_LIBKQUEUE, EV_ADD, NOTE_VERSION, 0, NULL);
  memset(&answer, 0, sizeof(answer));
  if (call_kevent(ops, kq, &q, 1, &answer, 1, &zero) != 1 || answer.filter != EVFILT_LIBKQUEUE ||
      ((answer.flags & EV_ERROR) && answer.data != 0) || answer.data <= 0)
    return;
  v = (long)answer.data;
  lp_fmt(buf, size, "%ld.%ld.%ld", (v >> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff);
  if (v & 0xff)
    lp_fmt(buf + strlen(buf), size - strlen(buf), "-%ld", v & 0xff);
}

/* The epoll instance behind libkqueue's kqueue: the one that watches the
   registered descriptor, and among the others it watches the read end of
   the kqueue descriptor's pipe. */
static void epoll_beneath(int kq, int registered, struct lp_obs *o)
{
  char kq_link[64], link[64];
  int targets[16], read_end = -1, ep;
  size_t n = 0, i;

  if (lp_fd_link(kq, kq_link, sizeof(kq_link)) < 0) {
    lp_obs_beneath(o,
                   "the kqueue descriptor %d is the write end of a pipe; /proc/self/fd cannot be "
                   "read, so what libkqueue runs it on is not shown",
                   kq);
    return;
  }
  ep = lp_epoll_watching(registered, targets, LP_ARRAY_LEN(targets), &n);
  for (i = 0; i < n && read_end < 0; i++)
    if (targets[i] != kq && lp_fd_link(targets[i], link, sizeof(link)) == 0 &&
        strcmp(link, kq_link) == 0)
      read_end = targets[i];
  lp_obs_beneath(o, "the kqueue descriptor %d is the write end of %s, not a kernel kqueue", kq,
                 kq_link);
  if (ep < 0) {
    lp_obs_beneath(o,
                   "no epoll instance of the probe watches the descriptor registered with "
                   "kevent() (%d)",
                   registered);
    return;
  }
  lp_fmt(o->emulated_by + strlen(o->emulated_by), sizeof(o->emulated_by) - strlen(o->emulated_by),
         " over epoll");
  lp_strlcpy(o->lib.default_mech, "epoll", sizeof(o->lib.default_mech));
  if (read_end >= 0)
    lp_obs_beneath(
        o,
        "libkqueue keeps epoll instance %d (anon_inode:[eventpoll]) behind it: "
        "/proc/self/fdinfo/%d lists the descriptor registered with kevent() (%d) and the "
        "pipe's read end (%d)",
        ep, ep, registered, read_end);
  else
    lp_obs_beneath(o,
                   "libkqueue keeps epoll instance %d (anon_inode:[eventpoll]) behind it: "
                   "/proc/self/fdinfo/%d lists the descriptor registered with kevent() (%d)",
                   ep, ep, registered);
}

/* On Linux every kqueue is libkqueue's: its version, and in the full run
   (a walk of /proc, which lp_check() does not make) what it runs over. */
static void emulation(const struct kq_ops *ops, int kq, int registered,
                      const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  shim_version(ops, kq, o->lib.version, sizeof(o->lib.version));
  lp_fmt(o->emulated_by, sizeof(o->emulated_by), "libkqueue%s%s", o->lib.version[0] ? " " : "",
         o->lib.version);
  if (!pipe_write_end(kq))
    lp_obs_beneath(o,
                   "the kqueue descriptor %d is not the write end of a pipe, as libkqueue's are "
                   "on Linux",
                   kq);
  else if (ctx->wait_ms > 0)
    epoll_beneath(kq, registered, o);
}
#else
/* libkqueue's tells on a system with its own kqueue: kqueue() served by a
   libkqueue object (the finding lists the providers), or a kqueue
   descriptor that is a pipe's write end. */
static void emulation(const struct kq_ops *ops, int kq, int registered,
                      const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  unsigned i;

  (void)ops, (void)registered, (void)ctx;
  for (i = 0; i < o->nproviders; i++)
    if (strcmp(o->providers[i].function, "kqueue") == 0 &&
        strstr(o->providers[i].object, "libkqueue"))
      lp_strlcpy(o->emulated_by, "libkqueue", sizeof(o->emulated_by));
  if (pipe_write_end(kq)) {
    lp_strlcpy(o->emulated_by, "libkqueue", sizeof(o->emulated_by));
    lp_obs_beneath(o, "the kqueue descriptor %d is the write end of a pipe, not a kernel kqueue",
                   kq);
  }
}
#endif

static void round_trip(const struct kq_ops *ops, const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  struct lp_fdpair p = LP_FDPAIR_INIT;
  char fact[96];
  int kq;

  lp_obs_enter(o, "kqueue");
  kq = call_create(ops);
  if (kq < 0) {
    lp_obs_fail(o, "kqueue", -kq);
    goto out;
  }
  if (lp_fdpair_open(&p, o) < 0 || pipe_level(ops, kq, &p, ctx, o) < 0 ||
      socket_edge(ops, kq, ctx, o) < 0 || timer(ops, kq, ctx, o) < 0)
    goto out;
  device_fact(ops, kq, fact, sizeof(fact));
  lp_obs_ok(o,
            "EVFILT_READ on a pipe and, with EV_CLEAR, on a socket; EVFILT_TIMER; timeouts "
            "honoured%s%s",
            fact[0] ? "; refuses /dev/null with " : "", fact);
out:
  lp_fdpair_close(&p);
  if (kq >= 0)
    close(kq);
}

#if LP_KQ_SHIM
/* libkqueue's two functions, as the loaded library defines them. */
struct kqapi {
  int (*kqueue)(void);
  int (*kevent)(int, const struct kevent *, int, struct kevent *, int, const struct timespec *);
};

static const struct lp_symbol symbols[] = {
    LP_SYMBOL(struct kqapi, kqueue, kqueue),
    LP_SYMBOL(struct kqapi, kevent, kevent),
};

/* libkqueue says its version only on a kqueue: asked in the probe. */
static void version(const struct lp_dynlib *lib, char *buf, size_t size)
{
  (void)lib, (void)size;
  buf[0] = '\0';
}

/* libkqueue.so.0: its ABI has not changed since it was first released
   (upstream keeps SOVERSION 0 on purpose); Debian 12 does not package it. */
LP_LIBRARY(lp_lib_libkqueue, struct kqapi, .name = "libkqueue", .soname = "libkqueue.so.0",
           .compiled = NULL, .package = NULL, .marker = NULL, .shim = 1);

static void api_probe(const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  const struct lp_dynlib *lib = NULL;
  const struct kqapi *k = lp_library_table(ctx, &lp_lib_libkqueue, o, &lib);
  struct kq_ops ops;

  if (!k)
    return;
  ops.create = k->kqueue;
  ops.kevent = k->kevent;
  lp_obs_lib_provider(o, lib, "kqueue");
  lp_obs_lib_provider(o, lib, "kevent");
  lp_obs_checkpoint(o);
  round_trip(&ops, ctx, o);
}
#else
static void api_probe(const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  lp_obs_provider(o, "kqueue", "c");
  lp_obs_provider(o, "kevent", "c");
  lp_obs_checkpoint(o);
  round_trip(&api_ops, ctx, o);
}
#endif

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
  api_probe(ctx, o);
}

const struct lp_backend lp_backend_kqueue = {
    .name = "kqueue",
    .mechanisms = LP_BIT(LP_MECH_KQUEUE),
#if LP_KQ_SHIM /* kqueue is no mechanism of Linux: only libkqueue's, at the api layer */
    .layers = LP_BIT(LP_LAYER_API),
    .library = &lp_lib_libkqueue,
    .library_layers = LP_BIT(LP_LAYER_API),
#else
    .layers = LP_BIT(LP_LAYER_SYSCALL) | LP_BIT(LP_LAYER_API),
#endif
    .probe = kqueue_probe,
};
