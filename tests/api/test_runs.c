/* SPDX-License-Identifier: MIT */
/*
 * test_runs.c - lp_run() called again and again by one long-lived host, as
 * a server would: every cell, isolated, 100 times.  After every call the
 * host has no child and no zombie, and after the calls the same
 * descriptors and threads as before; every call's matrix is the first
 * one's, with no cell timed out, crashed or failed.
 *
 * The Linux AIO cell's child hands the slow teardown of its memory to a
 * helper that is not the host's child (probes/runner_posix.c).  Here the
 * host runs under a test process that is a child subreaper, so those
 * helpers come to it: it reaps them and checks that there is exactly one
 * per call, that each exited with status 0, and that none is left after a
 * bounded wait.  A host that would get the helpers back itself (a
 * subreaper, the init of a PID namespace) must not be given any: there the
 * runner waits for the child's exit instead, and the host has no child
 * after a call either.
 *
 * Traps: the hosts are forked children that report through a pipe (cmocka
 * asserts only in the test process); the process lists are read from
 * /proc, whose PIDs may belong to an outer namespace, so a process finds
 * itself there through /proc/self.
 */
#define _GNU_SOURCE
#include "loopprobe.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#define RUNS 100
#define FEW_RUNS 10
#define REAP_WAIT_S 60

/* What a host saw; written to the test process through a pipe. */
struct host_result {
  int runs;         /* calls that returned 0 */
  int same_matrix;  /* calls whose verdicts were all the first call's */
  int bad_cells;    /* timeout, crashed or failed cells, over every call */
  int aio_ok;       /* calls with linuxaio@syscall ok */
  int max_children; /* the most children the host had right after a call */
  int zombies;      /* zombie children found right after the calls, summed */
  int fds_before, fds_after;
  int threads_before, threads_after;
  int came_back; /* children the host could reap after the calls (waitpid(-1)) */
  char first_error[200];
};

/* --- what /proc says --- */

static int count_dir(const char *path)
{
  DIR *d = opendir(path);
  struct dirent *e = NULL;
  int n = 0;

  if (!d)
    return -1;
  while ((e = readdir(d)) != NULL)
    n += e->d_name[0] != '.';
  closedir(d);
  return n;
}

/* This process's PID as /proc names it. */
static long proc_self(void)
{
  char buf[32];
  ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);

  if (n <= 0)
    return -1;
  buf[n] = '\0';
  return strtol(buf, NULL, 10);
}

/* Children of pid, and how many of them are zombies. */
static int children_of(long pid, int *zombies)
{
  DIR *d = opendir("/proc");
  struct dirent *e = NULL;
  int n = 0;

  *zombies = 0;
  if (!d)
    return -1;
  while ((e = readdir(d)) != NULL) {
    char path[300], line[512], state = 0, *close_paren = NULL;
    long ppid = -1;
    FILE *f = NULL;
    if (e->d_name[0] < '0' || e->d_name[0] > '9')
      continue;
    snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
    f = fopen(path, "r");
    if (!f)
      continue; /* gone meanwhile */
    if (fgets(line, sizeof(line), f) && (close_paren = strrchr(line, ')')) != NULL &&
        sscanf(close_paren + 1, " %c %ld", &state, &ppid) == 2 && ppid == pid) {
      n++;
      *zombies += state == 'Z';
    }
    fclose(f);
  }
  closedir(d);
  return n;
}

/* --- the host --- */

static void note(struct host_result *h, const char *fmt, ...)
{
  va_list ap;

  if (h->first_error[0])
    return;
  va_start(ap, fmt);
  vsnprintf(h->first_error, sizeof(h->first_error), fmt, ap);
  va_end(ap);
}

/* One call: every cell, isolated, the default watchdog.  Fills verdicts
   (the first call's) or compares with them. */
/* ok and degraded differ by how long a 3 ms wait took, which a loaded
   machine (the sanitizer build, other tests) can stretch: not a lost or
   changed result. */
static int timing_only(enum lp_verdict a, enum lp_verdict b)
{
  return (a == LP_VERDICT_OK || a == LP_VERDICT_DEGRADED) &&
         (b == LP_VERDICT_OK || b == LP_VERDICT_DEGRADED);
}

static void one_run(struct host_result *h, enum lp_verdict *verdicts, size_t *ncells, int first)
{
  struct lp_options o;
  struct lp_report *r = NULL;
  char err[256];
  size_t i, n;
  int same = 1;

  lp_options_init(&o);
  if (lp_run(&o, &r, err, sizeof(err)) != 0) {
    note(h, "lp_run: %s", err);
    return;
  }
  h->runs++;
  n = lp_report_cell_count(r);
  if (first)
    *ncells = n;
  same = n == *ncells;
  for (i = 0; i < n && i < 256; i++) {
    enum lp_verdict v = LP_VERDICT_COUNT;
    lp_report_cell(r, i, NULL, NULL, &v, NULL);
    if (v == LP_VERDICT_TIMEOUT || v == LP_VERDICT_CRASHED || v == LP_VERDICT_FAILED)
      h->bad_cells++;
    if (first)
      verdicts[i] = v;
    else if (verdicts[i] != v && !timing_only(verdicts[i], v))
      same = 0;
  }
  h->same_matrix += same;
  h->aio_ok += lp_report_verdict(r, LP_MECH_LINUXAIO, LP_LAYER_SYSCALL) == LP_VERDICT_OK;
  lp_report_free(r);
}

static void host_main(int runs, int subreaper, int out)
{
  struct host_result h;
  enum lp_verdict verdicts[256];
  size_t ncells = 0;
  long self = proc_self();
  int i, z = 0, status;

  memset(&h, 0, sizeof(h));
  if (subreaper && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
    note(&h, "PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
  h.fds_before = count_dir("/proc/self/fd");
  h.threads_before = count_dir("/proc/self/task");
  for (i = 0; i < runs; i++) {
    int kids;
    one_run(&h, verdicts, &ncells, i == 0);
    kids = children_of(self, &z);
    h.zombies += z;
    if (kids > h.max_children)
      h.max_children = kids;
  }
  h.fds_after = count_dir("/proc/self/fd");
  h.threads_after = count_dir("/proc/self/task");
  while (waitpid(-1, &status, WNOHANG) > 0)
    h.came_back++;
  if (write(out, &h, sizeof(h)) != (ssize_t)sizeof(h))
    _exit(2);
  _exit(0);
}

/* Forks a host that makes runs calls; fills *h from its report. */
static void run_host(int runs, int subreaper, struct host_result *h)
{
  int p[2], status = -1;
  pid_t pid;

  assert_int_equal(pipe2(p, O_CLOEXEC), 0);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    close(p[0]);
    host_main(runs, subreaper, p[1]);
  }
  close(p[1]);
  memset(h, 0, sizeof(*h));
  assert_int_equal(read(p[0], h, sizeof(*h)), (ssize_t)sizeof(*h));
  close(p[0]);
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  print_message("host: %d calls, %d with the first matrix, linuxaio@syscall ok in %d; "
                "children after a call: at most %d, zombies %d; descriptors %d -> %d, threads "
                "%d -> %d; reaped by the host after the calls: %d\n",
                h->runs, h->same_matrix, h->aio_ok, h->max_children, h->zombies, h->fds_before,
                h->fds_after, h->threads_before, h->threads_after, h->came_back);
  assert_string_equal(h->first_error, "");
}

static void assert_clean_host(const struct host_result *h, int runs)
{
  assert_int_equal(h->runs, runs);
  assert_int_equal(h->same_matrix, runs);
  assert_int_equal(h->bad_cells, 0);
  assert_int_equal(h->aio_ok, runs);
  assert_int_equal(h->max_children, 0);
  assert_int_equal(h->zombies, 0);
  assert_int_equal(h->fds_after, h->fds_before);
  assert_int_equal(h->threads_after, h->threads_before);
  assert_int_equal(h->came_back, 0);
}

/* Reaps what comes to this (subreaper) process until nothing is left or
   the wait runs out; counts the exits with status 0 and the others. */
static void reap_orphans(int *clean, int *other)
{
  time_t end = time(NULL) + REAP_WAIT_S;

  *clean = *other = 0;
  for (;;) {
    int status = 0;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        ++*clean;
      else
        ++*other;
      continue;
    }
    if (pid < 0 || time(NULL) > end)
      break; /* ECHILD: every one reaped */
    usleep(10000);
  }
}

/* Whether close_range() exists: the hand-off needs it (Linux 5.9). */
static int have_close_range(void)
{
  return syscall(SYS_close_range, 0x7ffffff0, 0x7ffffff0, 0) == 0;
}

static void skip_without_aio(void)
{
  char why[256];

  if (lp_check("linuxaio@syscall", why, sizeof(why)) != 0) {
    print_message("skipped: %s\n", why);
    skip();
  }
}

/* --- the tests --- */

/* 100 calls from one host; the helpers come to this process. */
static void hundred_runs(void **state)
{
  struct host_result h;
  int clean = 0, other = 0, zombies = 0;

  (void)state;
  skip_without_aio();
  assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
  run_host(RUNS, 0, &h);
  assert_clean_host(&h, RUNS);
  reap_orphans(&clean, &other);
  print_message("helpers reaped by the subreaper above the host: %d with status 0, %d "
                "otherwise\n",
                clean, other);
  assert_int_equal(clean, have_close_range() ? RUNS : 0);
  assert_int_equal(other, 0);
  assert_int_equal(children_of(proc_self(), &zombies), 0);
  assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
  assert_int_equal(errno, ECHILD);
  assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0), 0);
}

/* A host that is a subreaper would get the helpers back: none is made. */
static void subreaper_host(void **state)
{
  struct host_result h;

  (void)state;
  skip_without_aio();
  run_host(FEW_RUNS, 1, &h);
  assert_clean_host(&h, FEW_RUNS);
}

/* The init of a PID namespace gets every orphan of it: none is made. */
static void pid1_host(void **state)
{
  struct host_result h;
  int p[2], status = -1;
  ssize_t got;
  pid_t pid;

  (void)state;
  skip_without_aio();
  assert_int_equal(pipe2(p, O_CLOEXEC), 0);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    pid_t host;
    close(p[0]);
    if (unshare(CLONE_NEWPID) != 0)
      _exit(77); /* no right to make a PID namespace here */
    host = fork();
    if (host == 0) {
      if (getpid() != 1)
        _exit(3);
      host_main(FEW_RUNS, 0, p[1]);
    }
    _exit(host > 0 && waitpid(host, &status, 0) == host && WIFEXITED(status) ? WEXITSTATUS(status)
                                                                             : 4);
  }
  close(p[1]);
  memset(&h, 0, sizeof(h));
  got = read(p[0], &h, sizeof(h));
  close(p[0]);
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  if (WEXITSTATUS(status) == 77) {
    print_message("skipped: unshare(CLONE_NEWPID) is not allowed here\n");
    skip();
  }
  assert_int_equal(WEXITSTATUS(status), 0);
  assert_int_equal(got, (ssize_t)sizeof(h));
  print_message("host as PID 1: %d calls, linuxaio@syscall ok in %d; children after a call: at "
                "most %d; descriptors %d -> %d\n",
                h.runs, h.aio_ok, h.max_children, h.fds_before, h.fds_after);
  assert_string_equal(h.first_error, "");
  assert_clean_host(&h, FEW_RUNS);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(hundred_runs),
      cmocka_unit_test(subreaper_host),
      cmocka_unit_test(pid1_host),
  };

  return cmocka_run_group_tests_name("api.runs", tests, NULL, NULL);
}
