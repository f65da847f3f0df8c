/* SPDX-License-Identifier: MIT */
/*
 * bench_check.c - what lp_check() costs a worker at start-up, against the
 * bare calls of the same round trip, in one run.
 *
 *   lp_bench_check [--iterations N] [--repetitions R]
 *
 * epoll@api: lp_check("epoll@api") against the libc calls its probe makes,
 * made directly: epoll_create1(), three non-blocking pipes, and the level-
 * triggered, edge-triggered and one-shot round trips (registration, no
 * event before data, the event after it, re-arming), every result checked.
 * What lp_check() adds is the SPEC parser, the observation bookkeeping and
 * the provenance of the four epoll functions.
 *
 * epoll@libuv: lp_check("epoll@libuv") against the libuv calls its probe
 * makes (backends/libuv.c), made directly: a loop, a poll watcher on a
 * non-blocking pipe that must not fire in two non-blocking runs before the
 * write and must fire after it (within a one-second guard timer), then
 * closing everything.  What lp_check() adds there is also the provenance
 * of three libuv functions and the look at the loop's kernel object.  A
 * build without libuv has neither the backend nor this variant, and says
 * so.
 *
 * The isolated path: lp_check() runs its cells in children under a
 * watchdog, and classifies them, when it cannot run them safely in the
 * caller's process - under a seccomp filter, for one.  A thread of this
 * program installs a filter that allows everything (a one-instruction
 * BPF program; a filter is the thread's own, so the rest of the program
 * is left alone) and times lp_check("epoll@api") and
 * lp_check("epoll@libuv") there, in batches of N / 10.
 *
 * Each figure is the median, over R repetitions, of the mean time of one
 * call in a batch; the variants are interleaved within every repetition
 * so that they share the machine's noise.  The targets: a ratio of at
 * most 1.5 on the cheap path, under 2 ms on the isolated one.
 */
#define _GNU_SOURCE
#include "loopprobe.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#if LP_BENCH_LIBUV
#include <uv.h>
#endif

#define TARGET_RATIO 1.5
#define TARGET_ISOLATED_MS 2.0
#define MAX_REPS 201

static void die(const char *what)
{
  fprintf(stderr, "lp_bench_check: %s failed: %s\n", what, strerror(errno));
  exit(1);
}

/* --- the bare epoll round trip, call for call as backends/epoll.c --- */

static void nonblocking_pipe(int fds[2])
{
  int i;

  if (pipe(fds) < 0)
    die("pipe");
  for (i = 0; i < 2; i++) {
    int fl = fcntl(fds[i], F_GETFL);
    if (fl < 0 || fcntl(fds[i], F_SETFL, fl | O_NONBLOCK) < 0 ||
        fcntl(fds[i], F_SETFD, FD_CLOEXEC) < 0)
      die("fcntl");
  }
}

static void add(int ep, int op, int fd, uint32_t events)
{
  struct epoll_event ev;

  ev.events = events;
  ev.data.u64 = (uint64_t)fd;
  if (epoll_ctl(ep, op, fd, &ev) < 0)
    die("epoll_ctl");
}

static void expect_events(int ep, int n, int timeout, int use_pwait)
{
  struct epoll_event ev[4];
  int got = use_pwait ? epoll_pwait(ep, ev, 4, timeout, NULL) : epoll_wait(ep, ev, 4, timeout);

  if (got != n) {
    fprintf(stderr, "lp_bench_check: epoll_wait returned %d, expected %d\n", got, n);
    exit(1);
  }
}

static void poke(int fd)
{
  if (write(fd, "x", 1) != 1)
    die("write");
}

static void drain(int fd)
{
  char buf[64];

  while (read(fd, buf, sizeof(buf)) > 0)
    ;
}

static void close_pipe(int fds[2])
{
  close(fds[0]);
  close(fds[1]);
}

static void bare_epoll(void)
{
  int ep = epoll_create1(EPOLL_CLOEXEC), lvl[2], edge[2], once[2];

  if (ep < 0)
    die("epoll_create1");
  nonblocking_pipe(lvl);
  nonblocking_pipe(edge);
  nonblocking_pipe(once);
  add(ep, EPOLL_CTL_ADD, lvl[0], EPOLLIN);
  expect_events(ep, 0, 0, 0);
  expect_events(ep, 0, 0, 1);
  poke(lvl[1]);
  expect_events(ep, 1, 1000, 0);
  drain(lvl[0]);
  expect_events(ep, 0, 0, 0);
  add(ep, EPOLL_CTL_ADD, edge[0], EPOLLIN | EPOLLET);
  poke(edge[1]);
  expect_events(ep, 1, 1000, 0);
  expect_events(ep, 0, 0, 0);
  add(ep, EPOLL_CTL_ADD, once[0], EPOLLIN | EPOLLONESHOT);
  poke(once[1]);
  expect_events(ep, 1, 1000, 0);
  expect_events(ep, 0, 0, 0);
  add(ep, EPOLL_CTL_MOD, once[0], EPOLLIN | EPOLLONESHOT);
  expect_events(ep, 1, 1000, 0);
  close_pipe(lvl);
  close_pipe(edge);
  close_pipe(once);
  close(ep);
}

/* The smallest useful round trip, for scale: one pipe, one registration. */
static void minimal_epoll(void)
{
  int ep = epoll_create1(EPOLL_CLOEXEC), p[2];

  if (ep < 0)
    die("epoll_create1");
  if (pipe(p) < 0)
    die("pipe");
  add(ep, EPOLL_CTL_ADD, p[0], EPOLLIN);
  expect_events(ep, 0, 0, 0);
  poke(p[1]);
  expect_events(ep, 1, 1000, 0);
  close_pipe(p);
  close(ep);
}

/* --- the bare libuv round trip --- */

#if LP_BENCH_LIBUV
struct uv_trip {
  int polled, timed;
};

static void on_poll(uv_poll_t *h, int status, int events)
{
  struct uv_trip *t = h->data;

  t->polled += status == 0 && (events & UV_READABLE);
}

static void on_timer(uv_timer_t *h)
{
  ((struct uv_trip *)h->data)->timed++;
}

static void check_uv(int rc, const char *what)
{
  if (rc < 0) {
    fprintf(stderr, "lp_bench_check: %s failed: %s\n", what, uv_strerror(rc));
    exit(1);
  }
}

/* After the write: a guard timer of one second, and the loop run until the
   poll watcher fires, as backends/libuv.c does. */
static void wait_for_poll(uv_loop_t *loop, struct uv_trip *t)
{
  uv_timer_t guard;

  check_uv(uv_timer_init(loop, &guard), "uv_timer_init");
  guard.data = t;
  uv_update_time(loop);
  check_uv(uv_timer_start(&guard, on_timer, 1000, 0), "uv_timer_start");
  while (t->polled == 0 && t->timed == 0)
    uv_run(loop, UV_RUN_ONCE);
  uv_close((uv_handle_t *)&guard, NULL);
  uv_run(loop, UV_RUN_NOWAIT);
}

static void bare_libuv(void)
{
  struct uv_trip t = {0, 0};
  uv_loop_t loop;
  uv_poll_t poll;
  int p[2];

  check_uv(uv_loop_init(&loop), "uv_loop_init");
  nonblocking_pipe(p);
  check_uv(uv_poll_init(&loop, &poll, p[0]), "uv_poll_init");
  poll.data = &t;
  check_uv(uv_poll_start(&poll, UV_READABLE, on_poll), "uv_poll_start");
  uv_run(&loop, UV_RUN_NOWAIT);
  uv_run(&loop, UV_RUN_NOWAIT);
  if (t.polled) {
    fprintf(stderr, "lp_bench_check: the poll watcher fired before the write\n");
    exit(1);
  }
  poke(p[1]);
  wait_for_poll(&loop, &t);
  if (t.polled == 0) { /* level-triggered: it may fire again in the closing run */
    fprintf(stderr, "lp_bench_check: the poll watcher did not fire after the write\n");
    exit(1);
  }
  uv_close((uv_handle_t *)&poll, NULL);
  uv_run(&loop, UV_RUN_NOWAIT);
  close_pipe(p);
  check_uv(uv_loop_close(&loop), "uv_loop_close");
}
#endif

/* --- measuring --- */

struct variant {
  const char *name;
  const char *spec; /* lp_check(spec) when not NULL, else fn() */
  void (*fn)(void);
  int isolated; /* run in the filtered thread, a tenth of the calls */
  double per_call_us[MAX_REPS];
};

static void check_call(const char *spec)
{
  char why[512];

  if (lp_check(spec, why, sizeof(why)) != 0) {
    fprintf(stderr, "lp_bench_check: lp_check(\"%s\") is not 0: %s\n", spec, why);
    exit(1);
  }
}

static void batch(struct variant *v, int rep, int n)
{
  int64_t t0 = lp_monotonic_ns();
  int i;

  for (i = 0; i < n; i++) {
    if (v->spec)
      check_call(v->spec);
    else
      v->fn();
  }
  v->per_call_us[rep] = (double)(lp_monotonic_ns() - t0) / 1000.0 / n;
}

/* --- the thread with a seccomp filter --- */

struct filtered {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  struct variant *job; /* a batch to run, or NULL */
  int rep, n, done, failed;
};

static struct filtered filtered = {
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, 0, 0, 0, 0};

/* A filter that allows every call: the thread is under seccomp, nothing
   else changes. */
static int allow_all_filter(void)
{
  struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  struct sock_fprog prog = {1, &allow};

  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return -1;
  return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

static void *filtered_main(void *arg)
{
  (void)arg;
  pthread_mutex_lock(&filtered.lock);
  filtered.failed = allow_all_filter() < 0;
  filtered.done = 1;
  pthread_cond_broadcast(&filtered.cond);
  for (;;) {
    struct variant *v;
    while (!filtered.job)
      pthread_cond_wait(&filtered.cond, &filtered.lock);
    v = filtered.job;
    pthread_mutex_unlock(&filtered.lock);
    if (!v->spec) /* the end */
      return NULL;
    batch(v, filtered.rep, filtered.n);
    pthread_mutex_lock(&filtered.lock);
    filtered.job = NULL;
    filtered.done = 1;
    pthread_cond_broadcast(&filtered.cond);
  }
}

/* Runs a batch of v in the filtered thread and waits for it. */
static void filtered_batch(struct variant *v, int rep, int n)
{
  pthread_mutex_lock(&filtered.lock);
  filtered.rep = rep;
  filtered.n = n;
  filtered.done = 0;
  filtered.job = v;
  pthread_cond_broadcast(&filtered.cond);
  while (v->spec && !filtered.done)
    pthread_cond_wait(&filtered.cond, &filtered.lock);
  pthread_mutex_unlock(&filtered.lock);
}

static int start_filtered(pthread_t *tid)
{
  if (pthread_create(tid, NULL, filtered_main, NULL) != 0)
    return -1;
  pthread_mutex_lock(&filtered.lock);
  while (!filtered.done)
    pthread_cond_wait(&filtered.cond, &filtered.lock);
  pthread_mutex_unlock(&filtered.lock);
  return filtered.failed ? -1 : 0;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

static double median(struct variant *v, int reps)
{
  qsort(v->per_call_us, (size_t)reps, sizeof(double), cmp_double);
  return v->per_call_us[reps / 2];
}

static void machine(void)
{
  struct utsname u;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);

  if (uname(&u) == 0)
    printf("machine: %s %s %s, %ld CPU(s); libloopprobe %s\n", u.sysname, u.release, u.machine,
           cpus, lp_version());
}

static void ratio_line(const char *what, double check_us, double bare_us)
{
  double r = check_us / bare_us;

  printf("ratio %-12s %6.2fx  (target <= %.1fx: %s)\n", what, r, TARGET_RATIO,
         r <= TARGET_RATIO ? "met" : "NOT met");
}

static void isolated_line(const char *what, double us)
{
  printf("isolated %-12s %6.2f ms  (target < %.0f ms: %s)\n", what, us / 1000.0, TARGET_ISOLATED_MS,
         us / 1000.0 < TARGET_ISOLATED_MS ? "met" : "NOT met");
}

static int parse(int argc, char **argv, int *n, int *reps)
{
  int i;

  for (i = 1; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--iterations") == 0)
      *n = atoi(argv[i + 1]);
    else if (strcmp(argv[i], "--repetitions") == 0)
      *reps = atoi(argv[i + 1]);
    else
      return -1;
  }
  return i == argc && *n > 0 && *reps > 0 && *reps <= MAX_REPS ? 0 : -1;
}

int main(int argc, char **argv)
{
  /* Each ratio compares a check with the bare calls just before it. */
  enum { BARE_API, CHECK_API, CHECK_SYSCALL, MINIMAL, BARE_UV, CHECK_UV, ISO_API, ISO_UV };
  static struct variant v[] = {
    [BARE_API] = {"bare epoll round trip (same calls)", NULL, bare_epoll, 0, {0}},
    [CHECK_API] = {"lp_check(\"epoll@api\")", "epoll@api", NULL, 0, {0}},
    [CHECK_SYSCALL] = {"lp_check(\"epoll@syscall\")", "epoll@syscall", NULL, 0, {0}},
    [MINIMAL] = {"minimal epoll round trip (1 pipe)", NULL, minimal_epoll, 0, {0}},
#if LP_BENCH_LIBUV
    [BARE_UV] = {"bare libuv round trip", NULL, bare_libuv, 0, {0}},
    [CHECK_UV] = {"lp_check(\"epoll@libuv\")", "epoll@libuv", NULL, 0, {0}},
#endif
    [ISO_API] = {"lp_check(\"epoll@api\"), isolated", "epoll@api", NULL, 1, {0}},
#if LP_BENCH_LIBUV
    [ISO_UV] = {"lp_check(\"epoll@libuv\"), isolated", "epoll@libuv", NULL, 1, {0}},
#endif
  };
  static struct variant end = {"", NULL, NULL, 1, {0}};
  size_t nv = sizeof(v) / sizeof(v[0]), k;
  int n = 200, reps = 31, rep, filter = 0;
  double med[sizeof(v) / sizeof(v[0])];
  pthread_t tid;

  if (parse(argc, argv, &n, &reps) < 0) {
    fprintf(stderr, "usage: lp_bench_check [--iterations N] [--repetitions R (1..%d)]\n", MAX_REPS);
    return 2;
  }
  machine();
  if (!LP_BENCH_LIBUV)
    printf("epoll@libuv: no ratio: built without libuv\n");
  filter = start_filtered(&tid) == 0;
  if (!filter)
    printf("isolated: no figure: a seccomp filter could not be installed (%s)\n", strerror(errno));
  /* The cheap variants first, interleaved; then the isolated ones, whose
     children exit in the background and would slow the others down. */
  for (rep = 0; rep < reps; rep++)
    for (k = 0; k < nv; k++)
      if (v[k].name && !v[k].isolated)
        batch(&v[k], rep, n);
  for (rep = 0; filter && rep < reps; rep++)
    for (k = 0; k < nv; k++)
      if (v[k].name && v[k].isolated)
        filtered_batch(&v[k], rep, n / 10 > 0 ? n / 10 : 1);
  filtered_batch(&end, 0, 0);
  pthread_join(tid, NULL);
  printf("median of %d repetitions of %d calls each (%d isolated):\n", reps, n,
         n / 10 > 0 ? n / 10 : 1);
  for (k = 0; k < nv; k++) {
    if (!v[k].name || (v[k].isolated && !filter))
      continue;
    med[k] = median(&v[k], reps);
    printf("  %-38s %9.2f us\n", v[k].name, med[k]);
  }
  ratio_line("epoll@api", med[CHECK_API], med[BARE_API]);
#if LP_BENCH_LIBUV
  ratio_line("epoll@libuv", med[CHECK_UV], med[BARE_UV]);
#endif
  if (filter)
    isolated_line("epoll@api", med[ISO_API]);
#if LP_BENCH_LIBUV
  if (filter)
    isolated_line("epoll@libuv", med[ISO_UV]);
#endif
  return 0;
}
