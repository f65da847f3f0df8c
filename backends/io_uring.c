/* SPDX-License-Identifier: MIT */
/*
 * io_uring.c - Linux io_uring, probed with poll requests: at the syscall
 * layer through a ring built by hand on the raw system calls, and at the
 * api layer through liburing.
 *
 * Traps: io_uring_setup() is the call policies refuse - seccomp profiles
 * of Docker 25+, containerd 2.0 and Android answer EPERM, Podman's and
 * gVisor's ENOSYS, kernel.io_uring_disabled=2 EPERM before the arguments
 * are even read - so its errno is evidence, not a verdict.  A ring that
 * sets up can still lack an opcode, so the probe completes a real
 * IORING_OP_POLL_ADD on a pipe and times an IORING_OP_TIMEOUT (5.4+)
 * rather than trusting the setup.  liburing returns -errno instead of
 * setting errno, and calls the kernel with its own inline system calls, so
 * an LD_PRELOAD of libc cannot touch it but a preload of liburing can.
 * The ring's head and tail are shared with the kernel and need acquire and
 * release ordering.  liburing is loaded at run time (loader/dynlib.h):
 * its exported functions go through the table below, and only those of
 * liburing.h's inline helpers that call none of them are used (the quick
 * check's peek is io_uring_peek_cqe() spelled out for that reason).
 */
#define _GNU_SOURCE
#include "backend.h"
#include "support/fdpair.h"
#include "registry.h"

#include "../sys/sys.h"
#include "../base/util.h"

#include <errno.h>
#include <linux/io_uring.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#if LP_HAVE_LIBURING
#include <liburing.h>
#endif

#define COOKIE_POLL UINT64_C(0x6c70000000000011)
#define COOKIE_TIMEOUT UINT64_C(0x6c70000000000012)
#define COOKIE_GUARD UINT64_C(0x6c70000000000013)

/* --- the syscall layer: a ring on the raw system calls --- */

struct ring {
  int fd;
  void *sq;
  size_t sq_len;
  void *cq;
  size_t cq_len;
  struct io_uring_sqe *sqes;
  size_t sqes_len;
  unsigned *sq_tail, *sq_mask, *sq_array;
  unsigned *cq_head, *cq_tail, *cq_mask;
  struct io_uring_cqe *cqes;
};

static void *map(int fd, size_t len, off_t off)
{
  void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, off);

  return p == MAP_FAILED ? NULL : p;
}

static int ring_map(struct ring *r, const struct io_uring_params *p, struct lp_obs *o)
{
  r->sq_len = p->sq_off.array + p->sq_entries * sizeof(unsigned);
  r->cq_len = p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
  if (p->features & IORING_FEAT_SINGLE_MMAP)
    r->sq_len = r->cq_len = r->sq_len > r->cq_len ? r->sq_len : r->cq_len;
  r->sq = map(r->fd, r->sq_len, IORING_OFF_SQ_RING);
  if (!r->sq)
    return lp_obs_fail(o, "mmap", errno);
  r->cq =
      (p->features & IORING_FEAT_SINGLE_MMAP) ? r->sq : map(r->fd, r->cq_len, IORING_OFF_CQ_RING);
  if (!r->cq)
    return lp_obs_fail(o, "mmap", errno);
  r->sqes_len = p->sq_entries * sizeof(struct io_uring_sqe);
  r->sqes = map(r->fd, r->sqes_len, IORING_OFF_SQES);
  if (!r->sqes)
    return lp_obs_fail(o, "mmap", errno);
  r->sq_tail = (unsigned *)((char *)r->sq + p->sq_off.tail);
  r->sq_mask = (unsigned *)((char *)r->sq + p->sq_off.ring_mask);
  r->sq_array = (unsigned *)((char *)r->sq + p->sq_off.array);
  r->cq_head = (unsigned *)((char *)r->cq + p->cq_off.head);
  r->cq_tail = (unsigned *)((char *)r->cq + p->cq_off.tail);
  r->cq_mask = (unsigned *)((char *)r->cq + p->cq_off.ring_mask);
  r->cqes = (struct io_uring_cqe *)((char *)r->cq + p->cq_off.cqes);
  return 0;
}

static int ring_open(struct ring *r, struct lp_obs *o)
{
  struct io_uring_params p;
  long fd;

  memset(&p, 0, sizeof(p));
  lp_obs_enter(o, "io_uring_setup");
  fd = lp_rawsys(SYS_io_uring_setup, 8, (long)&p, 0, 0, 0, 0);
  if (fd < 0)
    return lp_obs_fail(o, "io_uring_setup", (int)-fd);
  r->fd = (int)fd;
  return ring_map(r, &p, o);
}

static void ring_close(struct ring *r)
{
  if (r->sqes)
    munmap(r->sqes, r->sqes_len);
  if (r->cq && r->cq != r->sq)
    munmap(r->cq, r->cq_len);
  if (r->sq)
    munmap(r->sq, r->sq_len);
  if (r->fd >= 0)
    close(r->fd);
}

/* Queues one request; the caller submits with ring_enter(). */
static void ring_push(struct ring *r, const struct io_uring_sqe *sqe)
{
  unsigned tail = *r->sq_tail;
  unsigned idx = tail & *r->sq_mask;

  r->sqes[idx] = *sqe;
  r->sq_array[idx] = idx;
  __atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
}

static int ring_enter(struct ring *r, unsigned submit, unsigned wait, struct lp_obs *o)
{
  long rc;

  lp_obs_enter(o, "io_uring_enter");
  do /* interrupted: nothing more was submitted or reaped; call again */
    rc =
        lp_rawsys(SYS_io_uring_enter, r->fd, submit, wait, wait ? IORING_ENTER_GETEVENTS : 0, 0, 0);
  while (rc == -EINTR);
  return rc < 0 ? lp_obs_fail(o, "io_uring_enter", (int)-rc) : 0;
}

/* Takes the next completion; returns 0 when there is none. */
static int ring_pop(struct ring *r, struct io_uring_cqe *out)
{
  unsigned head = *r->cq_head;

  if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
    return 0;
  *out = r->cqes[head & *r->cq_mask];
  __atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
  return 1;
}

static struct io_uring_sqe poll_sqe(int fd)
{
  struct io_uring_sqe s;

  memset(&s, 0, sizeof(s));
  s.opcode = IORING_OP_POLL_ADD;
  s.fd = fd;
  s.poll32_events = POLLIN;
  s.user_data = COOKIE_POLL;
  return s;
}

static struct io_uring_sqe timeout_sqe(const struct __kernel_timespec *ts, uint64_t cookie)
{
  struct io_uring_sqe s;

  memset(&s, 0, sizeof(s));
  s.opcode = IORING_OP_TIMEOUT;
  s.fd = -1;
  s.addr = (uint64_t)(uintptr_t)ts;
  s.len = 1;
  s.user_data = cookie;
  return s;
}

static struct __kernel_timespec ms_ts(unsigned ms)
{
  struct __kernel_timespec ts;

  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (long long)(ms % 1000) * 1000000;
  return ts;
}

/* Waits for a timer of ctx->wait_ms; the pending poll must not complete. */
static int sys_empty_wait(struct ring *r, const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  struct __kernel_timespec ts = ms_ts(ctx->wait_ms);
  struct io_uring_sqe t = timeout_sqe(&ts, COOKIE_TIMEOUT);
  struct io_uring_cqe c;
  int64_t t0;

  if (ctx->wait_ms == 0)
    return ring_pop(r, &c) ? lp_obs_misbehave(o, LP_MIS_EARLY_EVENT,
                                              "a completion arrived before any data was written")
                           : 0;
  ring_push(r, &t);
  t0 = lp_mono_ns();
  if (ring_enter(r, 1, 1, o) < 0)
    return -1;
  if (!ring_pop(r, &c))
    return lp_obs_misbehave(o, LP_MIS_LOST_EVENT, "io_uring_enter() returned without a completion");
  if (c.user_data != COOKIE_TIMEOUT)
    return lp_obs_misbehave(o, LP_MIS_EARLY_EVENT,
                            "the poll request completed (res %d) before any data was written",
                            c.res);
  if (c.res != -ETIME)
    return lp_obs_fail(o, "IORING_OP_TIMEOUT", -c.res);
  lp_obs_sample(o, (int64_t)ctx->wait_ms * 1000, (lp_mono_ns() - t0) / 1000);
  return 0;
}

static int sys_expect_poll(struct ring *r, const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  struct __kernel_timespec ts = ms_ts(ctx->event_wait_ms);
  struct io_uring_sqe guard = timeout_sqe(&ts, COOKIE_GUARD);
  struct io_uring_cqe c;

  ring_push(r, &guard);
  if (ring_enter(r, 1, 1, o) < 0)
    return -1;
  if (!ring_pop(r, &c) || c.user_data == COOKIE_GUARD)
    return lp_obs_misbehave(o, LP_MIS_LOST_EVENT,
                            "the poll request did not complete after a write");
  if (c.user_data != COOKIE_POLL)
    return lp_obs_misbehave(o, LP_MIS_WRONG_DATA, "a completion carried user data %#llx",
                            (unsigned long long)c.user_data);
  if (c.res < 0)
    return lp_obs_fail(o, "IORING_OP_POLL_ADD", -c.res);
  if (!(c.res & POLLIN))
    return lp_obs_misbehave(o, LP_MIS_WRONG_DATA, "the poll completion reported mask %#x", c.res);
  return 0;
}

/* After a refused call: the same call with a bad address or descriptor.
   The kernel answers EFAULT or EBADF - except that kernel.io_uring_disabled
   refuses io_uring_setup with EPERM before it looks at the arguments. */
static void second_opinions(struct lp_obs *o)
{
  if (strcmp(o->call, "io_uring_setup") == 0)
    lp_obs_check(&o->malformed, "io_uring_setup(params=NULL)",
                 lp_rawsys(SYS_io_uring_setup, 1, 0, 0, 0, 0, 0));
  else if (strcmp(o->call, "io_uring_enter") == 0)
    lp_obs_check(&o->malformed, "io_uring_enter(fd=-1)",
                 lp_rawsys(SYS_io_uring_enter, -1, 0, 0, 0, 0, 0));
}

static void sys_round_trip(const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  struct ring r;
  struct lp_fdpair p = LP_FDPAIR_INIT;
  struct io_uring_sqe s;

  memset(&r, 0, sizeof(r));
  r.fd = -1;
  if (ring_open(&r, o) < 0 || lp_fdpair_open(&p, o) < 0)
    goto out;
  s = poll_sqe(p.rd);
  ring_push(&r, &s);
  if (ring_enter(&r, 1, 0, o) < 0 || sys_empty_wait(&r, ctx, o) < 0 ||
      sys_empty_wait(&r, ctx, o) < 0 || lp_fdpair_poke(&p, o) < 0 ||
      sys_expect_poll(&r, ctx, o) < 0)
    goto out;
  lp_obs_ok(o, "IORING_OP_POLL_ADD on a pipe completed after a write, timers honoured");
out:
  lp_fdpair_close(&p);
  ring_close(&r);
}

/* --- the api layer: liburing --- */

#if LP_HAVE_LIBURING
/* liburing's exported functions, as the loaded library defines them. */
struct uringapi {
  int (*queue_init)(unsigned, struct io_uring *, unsigned);
  void (*queue_exit)(struct io_uring *);
  int (*submit)(struct io_uring *);
  int (*wait_cqe_timeout)(struct io_uring *, struct io_uring_cqe **, struct __kernel_timespec *);
  int (*get_cqe)(struct io_uring *, struct io_uring_cqe **, unsigned, unsigned, sigset_t *);
#ifdef IO_URING_VERSION_MAJOR
  int (*major_version)(void);
  int (*minor_version)(void);
#endif
};

static const struct lp_symbol symbols[] = {
    LP_SYMBOL(struct uringapi, queue_init, io_uring_queue_init),
    LP_SYMBOL(struct uringapi, queue_exit, io_uring_queue_exit),
    LP_SYMBOL(struct uringapi, submit, io_uring_submit),
    LP_SYMBOL(struct uringapi, wait_cqe_timeout, io_uring_wait_cqe_timeout),
    LP_SYMBOL(struct uringapi, get_cqe, __io_uring_get_cqe),
#ifdef IO_URING_VERSION_MAJOR
    LP_SYMBOL_OPTIONAL(struct uringapi, major_version, io_uring_major_version),
    LP_SYMBOL_OPTIONAL(struct uringapi, minor_version, io_uring_minor_version),
#endif
};

/* liburing 2.4 and later say their version; older ones by their newest
   symbol version (LIBURING_2.3). */
static void version(const struct lp_dynlib *lib, char *buf, size_t size)
{
#ifdef IO_URING_VERSION_MAJOR
  const struct uringapi *u = lib->table;

  if (u->major_version && u->minor_version) {
    lp_fmt(buf, size, "%d.%d", u->major_version(), u->minor_version());
    return;
  }
#endif
  if (lp_dynlib_version_node(lib, "LIBURING_", buf, size) < 0)
    buf[0] = '\0';
}

#ifdef IO_URING_VERSION_MAJOR
#define LP_URING_COMPILED LP_STR(IO_URING_VERSION_MAJOR) "." LP_STR(IO_URING_VERSION_MINOR)
#else
#define LP_URING_COMPILED LP_URING_PC_VERSION /* liburing.pc's, at configure time */
#endif

LP_LIBRARY(lp_lib_liburing, struct uringapi, .name = "liburing",
           .soname = LP_SONAME_LIBURING, /* read from the library the build found */
           .compiled = LP_URING_COMPILED, .package = "liburing2", .marker = "io_uring_queue_init");

/* io_uring_peek_cqe(), whose fallback calls an exported function. */
static int peek_cqe(const struct uringapi *u, struct io_uring *ring, struct io_uring_cqe **cqe)
{
  if (!__io_uring_peek_cqe(ring, cqe, NULL) && *cqe)
    return 0;
  return u->get_cqe(ring, cqe, 0, 0, NULL);
}

static int uring_empty_wait(const struct uringapi *u, struct io_uring *ring,
                            const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  struct __kernel_timespec ts = ms_ts(ctx->wait_ms);
  struct io_uring_cqe *cqe = NULL;
  int64_t t0;
  int rc;

  if (ctx->wait_ms == 0) {
    rc = peek_cqe(u, ring, &cqe);
    if (rc == 0)
      return lp_obs_misbehave(o, LP_MIS_EARLY_EVENT,
                              "a completion arrived before any data was written");
    return 0;
  }
  lp_obs_enter(o, "io_uring_wait_cqe_timeout");
  t0 = lp_mono_ns();
  do
    rc = u->wait_cqe_timeout(ring, &cqe, &ts);
  while (rc == -EINTR);
  if (rc == 0)
    return lp_obs_misbehave(o, LP_MIS_EARLY_EVENT,
                            "the poll request completed (res %d) before any data was written",
                            cqe->res);
  if (rc != -ETIME)
    return lp_obs_fail(o, "io_uring_wait_cqe_timeout", -rc);
  lp_obs_sample(o, (int64_t)ctx->wait_ms * 1000, (lp_mono_ns() - t0) / 1000);
  return 0;
}

static int uring_expect_poll(const struct uringapi *u, struct io_uring *ring,
                             const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  struct __kernel_timespec ts = ms_ts(ctx->event_wait_ms);
  struct io_uring_cqe *cqe = NULL;
  int rc;

  lp_obs_enter(o, "io_uring_wait_cqe_timeout");
  do
    rc = u->wait_cqe_timeout(ring, &cqe, &ts);
  while (rc == -EINTR);
  if (rc == -ETIME)
    return lp_obs_misbehave(o, LP_MIS_LOST_EVENT,
                            "the poll request did not complete after a write");
  if (rc < 0)
    return lp_obs_fail(o, "io_uring_wait_cqe_timeout", -rc);
  rc = 0;
  if (cqe->user_data != COOKIE_POLL)
    rc = lp_obs_misbehave(o, LP_MIS_WRONG_DATA, "a completion carried user data %#llx",
                          (unsigned long long)cqe->user_data);
  else if (cqe->res < 0)
    rc = lp_obs_fail(o, "IORING_OP_POLL_ADD", -cqe->res);
  else if (!(cqe->res & POLLIN))
    rc = lp_obs_misbehave(o, LP_MIS_WRONG_DATA, "the poll completion reported mask %#x", cqe->res);
  io_uring_cqe_seen(ring, cqe);
  return rc;
}

static void api_round_trip(const struct uringapi *u, const struct lp_probe_ctx *ctx,
                           struct lp_obs *o)
{
  struct io_uring ring;
  struct io_uring_sqe *sqe = NULL;
  struct lp_fdpair p = LP_FDPAIR_INIT;
  int inited = 0, rc;

  lp_obs_enter(o, "io_uring_queue_init");
  rc = u->queue_init(8, &ring, 0);
  if (rc < 0) {
    lp_obs_fail(o, "io_uring_queue_init", -rc);
    goto out;
  }
  inited = 1;
  if (lp_fdpair_open(&p, o) < 0)
    goto out;
  sqe = io_uring_get_sqe(&ring);
  if (!sqe) {
    lp_obs_fail(o, "io_uring_get_sqe", EBUSY);
    goto out;
  }
  io_uring_prep_poll_add(sqe, p.rd, POLLIN);
  sqe->user_data = COOKIE_POLL;
  lp_obs_enter(o, "io_uring_submit");
  rc = u->submit(&ring);
  if (rc < 0) {
    lp_obs_fail(o, "io_uring_submit", -rc);
    goto out;
  }
  if (uring_empty_wait(u, &ring, ctx, o) < 0 || uring_empty_wait(u, &ring, ctx, o) < 0 ||
      lp_fdpair_poke(&p, o) < 0 || uring_expect_poll(u, &ring, ctx, o) < 0)
    goto out;
  lp_obs_ok(o, "liburing poll request on a pipe completed after a write, timeouts honoured");
out:
  lp_fdpair_close(&p);
  if (inited)
    u->queue_exit(&ring);
}

static void api_probe(const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  const struct lp_dynlib *lib = NULL;
  const struct uringapi *u = lp_library_table(ctx, &lp_lib_liburing, o, &lib);

  if (!u)
    return;
  lp_obs_lib_provider(o, lib, "io_uring_queue_init");
  lp_obs_lib_provider(o, lib, "io_uring_get_sqe");
  lp_obs_lib_provider(o, lib, "io_uring_submit");
  lp_obs_lib_provider(o, lib, "io_uring_wait_cqe_timeout");
  lp_obs_lib_provider(o, lib, "io_uring_queue_exit");
  lp_obs_checkpoint(o);
  api_round_trip(u, ctx, o);
}
#endif

static void io_uring_probe(enum lp_mechanism mech, enum lp_layer layer,
                           const struct lp_probe_ctx *ctx, struct lp_obs *o)
{
  (void)mech;
  if (layer == LP_LAYER_SYSCALL) {
    sys_round_trip(ctx, o);
    if (o->status == LP_OBS_FAILED)
      second_opinions(o);
    return;
  }
#if LP_HAVE_LIBURING
  api_probe(ctx, o);
#else
  lp_obs_status(o, LP_OBS_SKIPPED, "built without liburing (install liburing-dev and rebuild)");
#endif
}

const struct lp_backend lp_backend_io_uring = {
    .name = "io_uring",
    .mechanisms = LP_BIT(LP_MECH_IO_URING),
    .layers = LP_BIT(LP_LAYER_SYSCALL) | LP_BIT(LP_LAYER_API),
    .probe = io_uring_probe,
#if LP_HAVE_LIBURING
    .library = &lp_lib_liburing,
    .library_layers = LP_BIT(LP_LAYER_API),
#endif
};
