/* SPDX-License-Identifier: MIT */
/*
 * runner_posix.c - the runner for POSIX systems: fork per cell, a pipe
 * back, a watchdog per child, and an in-process mode for debugging.
 *
 * The child reports over the framed protocol of runner_proto.h.  What it
 * writes on standard error (libraries print warnings and fatal messages
 * there; they are evidence, and they must not scribble over the report)
 * goes to an anonymous file the parent created, so the parent reads it
 * however the child ended - even when a library called exit() or abort().
 *
 * The runner waits for the exit of every child it starts, so that nothing
 * is left for its caller (a server embedding lp_run()) to reap, and a
 * child's exit must be quick.  One is not by itself: the exit of a process
 * that holds a Linux AIO context waits for RCU grace periods (~35 ms, more
 * than all the other cells together).  Such a child (obs.slow_exit) hands
 * that teardown to a helper sharing its memory (lp_sys_hand_off_exit()),
 * which is never the caller's child: it is reparented to init or the
 * nearest subreaper, who reaps it when it is done.  The runner does not do
 * it when it would be that reaper itself (the init of its PID namespace, a
 * subreaper): the child's exit then takes its time, as before.
 */
#define _GNU_SOURCE
#include "runner.h"

#include "runner_proto.h"
#include "../sys/sys.h"
#include "../base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_SLOTS 64

struct slot {
  struct lp_job *job;
  pid_t pid;
  int fd;  /* the result pipe's read end; -1 once EOF was seen */
  int err; /* the child's standard error */
  int64_t start_ns;
  int64_t deadline_ns;
  struct lp_msg_reader reader;
};

/* --- the child --- */

static void write_fd(void *ctx, const void *p, size_t n)
{
  int fd = *(int *)ctx;
  const char *c = p;

  while (n > 0) {
    ssize_t w = write(fd, c, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return;
    c += w;
    n -= (size_t)w;
  }
}

/* The parent's handlers (a crash reporter, a language runtime) must not
   run in a probe: a crash has to kill the child so the parent sees it. */
static void default_signals(void)
{
  struct sigaction sa;
  sigset_t none;
  int sig;

  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = SIG_DFL;
  sigemptyset(&sa.sa_mask);
  for (sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP)
      sigaction(sig, &sa, NULL);
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
}

static void child_main(struct lp_job *job, int wfd, int err, const struct slot *slots,
                       size_t nslots, const struct lp_runner_opts *ro)
{
  struct lp_probe_ctx ctx = ro->ctx;
  struct lp_msg_channel ch;
  struct lp_obs *o = &job->obs;
  size_t i;

  setpgid(0, 0);
  default_signals();
  for (i = 0; i < nslots; i++)
    if (slots[i].job) {
      if (slots[i].fd >= 0)
        close(slots[i].fd);
      close(slots[i].err);
    }
  if (err != 2) {
    dup2(err, 2);
    close(err);
  }
  ch.write_all = write_fd;
  ch.ctx = &wfd;
  lp_obs_init(o);
  o->report = lp_msg_report;
  o->report_arg = &ch;
  ctx.exits_after = 1;
  lp_job_call(job, &ctx);
  o->report = NULL;
  fflush(stderr);
  lp_msg_send(&ch, LP_MSG_FINAL, o, sizeof(*o));
  if (o->slow_exit && ro->hand_off) {
    close(wfd);             /* the parent's end-of-file does not wait for the helper */
    lp_sys_hand_off_exit(); /* when it cannot, the exit takes its time */
  }
  _exit(0);
}

/* --- the parent --- */

/* An anonymous file for a child's standard error. */
static int error_file(void)
{
  int fd = -1;
  FILE *f = NULL;

#ifdef MFD_CLOEXEC
  fd = memfd_create("loopprobe-stderr", MFD_CLOEXEC);
#endif
  if (fd >= 0)
    return fd;
  f = tmpfile();
  fd = f ? dup(fileno(f)) : open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (f)
    fclose(f);
  return fd;
}

static void read_output(struct slot *s)
{
  char *out = s->job->output;
  ssize_t n = pread(s->err, out, sizeof(s->job->output) - 1, 0);

  out[n > 0 ? n : 0] = '\0';
}

static void read_slot(struct slot *s)
{
  char buf[8192];
  ssize_t n = read(s->fd, buf, sizeof(buf));

  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return;
  if (n <= 0) {
    close(s->fd);
    s->fd = -1;
    return;
  }
  lp_msg_feed(&s->reader, buf, (size_t)n);
}

/* A child that had sent its observation died from a signal while handing
   its exit off (a sandbox that kills on clone(CLONE_VM)): the probe's
   result stands, and its detail says what happened after. */
static void after_final(struct lp_job *job, int sig)
{
  size_t used = strlen(job->obs.detail);
  const char *name = lp_signal_name(sig);

  job->status = LP_JOB_DONE;
  if (name)
    lp_fmt(job->note, sizeof(job->note), "the probe's process died from %s after it reported",
           name);
  else
    lp_fmt(job->note, sizeof(job->note),
           "the probe's process died from signal %d after it reported", sig);
  if (used + 4 < sizeof(job->obs.detail))
    lp_fmt(job->obs.detail + used, sizeof(job->obs.detail) - used, "%s(%s)", used ? " " : "",
           job->note);
}

static void finish(struct slot *s, int status, int timed_out)
{
  struct lp_job *job = s->job;

  job->elapsed_us = (lp_mono_ns() - s->start_ns) / 1000;
  if (timed_out)
    job->status = LP_JOB_TIMEOUT;
  else if (WIFSIGNALED(status) && s->reader.final_seen && job->obs.slow_exit)
    after_final(job, WTERMSIG(status));
  else if (WIFSIGNALED(status)) {
    job->status = LP_JOB_SIGNALED;
    job->signal = WTERMSIG(status);
  } else if (s->reader.final_seen)
    job->status = LP_JOB_DONE;
  else {
    job->status = LP_JOB_NO_RESULT;
    job->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  read_output(s);
  if (s->fd >= 0)
    close(s->fd);
  close(s->err);
  lp_msg_reader_free(&s->reader);
  memset(s, 0, sizeof(*s));
  s->fd = -1;
}

static void not_started(struct lp_job *job, const char *call, int err)
{
  job->status = LP_JOB_NOT_STARTED;
  lp_strlcpy(job->start_call, call, sizeof(job->start_call));
  job->start_err = err;
}

/* Starts job in slot s.  Returns 0, or -errno when the start failed for
   want of a resource that a finishing child may give back (-errno of a
   failed pipe() is reported as such by the caller). */
static int start(struct slot *s, struct lp_job *job, struct slot *slots, size_t nslots,
                 const struct lp_runner_opts *ro, const char **call)
{
  int fds[2], err;
  pid_t pid;

  *call = "pipe";
  if (pipe(fds) < 0)
    return -errno;
  err = error_file();
  if (err < 0) {
    err = errno;
    close(fds[0]);
    close(fds[1]);
    return -err;
  }
  *call = "fork";
  pid = fork();
  if (pid < 0) {
    int e = errno;
    close(fds[0]);
    close(fds[1]);
    close(err);
    return -e;
  }
  if (pid == 0) {
    close(fds[0]);
    child_main(job, fds[1], err, slots, nslots, ro);
  }
  close(fds[1]);
  fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  setpgid(pid, pid); /* also in the child: whichever runs first */
  s->job = job;
  s->pid = pid;
  s->fd = fds[0];
  s->err = err;
  s->start_ns = lp_mono_ns();
  s->deadline_ns = s->start_ns + (int64_t)ro->timeout_ms * 1000000;
  lp_msg_reader_init(&s->reader, job);
  lp_obs_init(&job->obs);
  return 0;
}

static void kill_slot(struct slot *s)
{
  int status = 0;

  lp_sys_kill(-s->pid, SIGKILL);
  lp_sys_kill(s->pid, SIGKILL);
  while (lp_sys_wait(s->pid, &status, 0) == -EINTR)
    ;
  finish(s, status, 1);
}

/* Reaps a slot whose pipe is closed, if its child has exited. */
static void try_reap(struct slot *s)
{
  int status = 0;
  long rc = lp_sys_wait(s->pid, &status, 1);

  if (rc == s->pid)
    finish(s, status, 0);
  else if (rc < 0 && rc != -EINTR)
    finish(s, 0, 0); /* not our child any more (SIGCHLD ignored?) */
}

/* How many children may run at once: each costs the parent two
   descriptors (the result pipe and the standard error file). */
static size_t concurrency(size_t n)
{
  struct rlimit rl;
  size_t limit = MAX_SLOTS;

  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 256) {
    size_t room = rl.rlim_cur > 16 ? ((size_t)rl.rlim_cur - 16) / 2 : 1;
    limit = room < limit ? room : limit;
  }
  return n < limit ? n : limit;
}

static size_t running(const struct slot *slots, size_t nslots)
{
  size_t i, k = 0;

  for (i = 0; i < nslots; i++)
    k += slots[i].job != NULL;
  return k;
}

/* Fills free slots.  Returns the index of the next job to start. */
static size_t start_more(struct lp_job *jobs, size_t n, size_t next, struct slot *slots,
                         size_t nslots, const struct lp_runner_opts *ro)
{
  size_t i;

  for (i = 0; i < nslots && next < n; i++) {
    const char *call = NULL;
    int rc;
    if (slots[i].job)
      continue;
    rc = start(&slots[i], &jobs[next], slots, nslots, ro, &call);
    if (rc == 0) {
      next++;
      continue;
    }
    if (running(slots, nslots) > 0 && (rc == -EMFILE || rc == -ENFILE || rc == -EAGAIN))
      break; /* try again when a child finishes */
    not_started(&jobs[next], call, -rc);
    next++;
  }
  return next;
}

static int64_t poll_timeout(const struct slot *slots, size_t nslots)
{
  int64_t now = lp_mono_ns(), t = -1;
  size_t i;

  for (i = 0; i < nslots; i++) {
    int64_t left;
    if (!slots[i].job)
      continue;
    left = slots[i].fd < 0 ? 1000000 : slots[i].deadline_ns - now;
    if (left < 0)
      left = 0;
    if (t < 0 || left < t)
      t = left;
  }
  return t;
}

static void service(struct slot *slots, size_t nslots)
{
  struct pollfd pf[MAX_SLOTS];
  size_t map[MAX_SLOTS];
  unsigned k = 0;
  size_t i;
  int rc;

  for (i = 0; i < nslots; i++) {
    if (!slots[i].job || slots[i].fd < 0)
      continue;
    pf[k].fd = slots[i].fd;
    pf[k].events = POLLIN;
    pf[k].revents = 0;
    map[k++] = i;
  }
  rc = lp_sys_poll(pf, k, poll_timeout(slots, nslots));
  for (i = 0; rc > 0 && i < k; i++)
    if (pf[i].revents)
      read_slot(&slots[map[i]]);
  for (i = 0; i < nslots; i++) {
    if (slots[i].job && slots[i].fd < 0)
      try_reap(&slots[i]);
    if (slots[i].job && lp_mono_ns() >= slots[i].deadline_ns)
      kill_slot(&slots[i]);
  }
}

static void run_isolated(struct lp_job *jobs, size_t n, const struct lp_runner_opts *opts)
{
  struct slot slots[MAX_SLOTS];
  size_t nslots = concurrency(n), next = 0, i;
  struct lp_runner_opts own = *opts, *ro = &own;

  own.hand_off = !lp_sys_orphans_return();
  for (i = 0; i < MAX_SLOTS; i++) {
    memset(&slots[i], 0, sizeof(slots[i]));
    slots[i].fd = -1;
  }
  while (next < n || running(slots, nslots) > 0) {
    next = start_more(jobs, n, next, slots, nslots, ro);
    if (running(slots, nslots) > 0)
      service(slots, nslots);
  }
}

/* --- in-process --- */

struct watchdog {
  pthread_mutex_t lock;
  int stop;
  int64_t deadline_ns;
  const struct lp_job *job;
  char step[sizeof(((struct lp_obs *)0)->step)];
};

/* The probe's steps reach the watchdog through the lock, never directly. */
static void inproc_report(const struct lp_obs *o, int full, void *arg)
{
  struct watchdog *w = arg;

  (void)full;
  pthread_mutex_lock(&w->lock);
  lp_strlcpy(w->step, o->step, sizeof(w->step));
  pthread_mutex_unlock(&w->lock);
}

static void *watchdog_main(void *arg)
{
  struct watchdog *w = arg;
  char msg[256];

  for (;;) {
    int stop, over = 0;
    lp_sys_poll(NULL, 0, 20000000);
    pthread_mutex_lock(&w->lock);
    stop = w->stop;
    if (w->job && lp_mono_ns() > w->deadline_ns) {
      over = 1;
      lp_watchdog_message(msg, sizeof(msg), w->job, w->step);
    }
    pthread_mutex_unlock(&w->lock);
    if (stop)
      return NULL;
    if (over) {
      if (write(2, msg, strlen(msg)) < 0) {
        /* nothing more can be done */
      }
      _exit(3);
    }
  }
}

static void run_inprocess(struct lp_job *jobs, size_t n, const struct lp_runner_opts *ro)
{
  struct watchdog w;
  pthread_t tid;
  int have_thread = 0;
  size_t i;

  memset(&w, 0, sizeof(w));
  pthread_mutex_init(&w.lock, NULL);
  if (ro->exit_on_timeout)
    have_thread = pthread_create(&tid, NULL, watchdog_main, &w) == 0;
  for (i = 0; i < n; i++) {
    int64_t t0 = lp_mono_ns();
    pthread_mutex_lock(&w.lock);
    w.job = &jobs[i];
    w.step[0] = '\0';
    w.deadline_ns = t0 + (int64_t)ro->timeout_ms * 1000000;
    pthread_mutex_unlock(&w.lock);
    lp_obs_init(&jobs[i].obs);
    if (have_thread) {
      jobs[i].obs.report = inproc_report;
      jobs[i].obs.report_arg = &w;
    }
    lp_job_call(&jobs[i], &ro->ctx);
    jobs[i].obs.report = NULL;
    jobs[i].obs.report_arg = NULL;
    jobs[i].status = LP_JOB_DONE;
    jobs[i].elapsed_us = (lp_mono_ns() - t0) / 1000;
  }
  pthread_mutex_lock(&w.lock);
  w.stop = 1;
  w.job = NULL;
  pthread_mutex_unlock(&w.lock);
  if (have_thread)
    pthread_join(tid, NULL);
  pthread_mutex_destroy(&w.lock);
}

void lp_run_jobs(struct lp_job *jobs, size_t n, const struct lp_runner_opts *ro)
{
  if (ro->isolate)
    run_isolated(jobs, n, ro);
  else
    run_inprocess(jobs, n, ro);
}
