/* SPDX-License-Identifier: MIT */
/*
 * test_runner.c - the isolated runner with probes that misbehave on
 * purpose: crash, hang, die by SIGSYS, exit without a result, write to
 * standard error, and more cells than the runner runs at once.  The
 * probes here are real code in real child processes; the test checks what
 * the runner saw.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "probes/runner.h"
#include "sys/sys.h"
#include "base/util.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* The mechanism picks the behaviour. */
static void probe(enum lp_mechanism m, enum lp_layer l, const struct lp_probe_ctx *ctx,
                  struct lp_obs *o)
{
  (void)l, (void)ctx;
  switch (m) {
  case LP_MECH_EPOLL:
    lp_obs_ok(o, "fine");
    return;
  case LP_MECH_POLL:
    lp_obs_enter(o, "crash_here");
    raise(SIGSEGV); /* not a null store: sanitizers would turn that into exit(1) */
    return;
  case LP_MECH_SELECT:
    lp_strlcpy(o->providers[0].function, "hang_here", sizeof(o->providers[0].function));
    lp_strlcpy(o->providers[0].object, "./libhang.so", sizeof(o->providers[0].object));
    o->nproviders = 1;
    lp_obs_checkpoint(o);
    lp_obs_enter(o, "hang_here");
    for (;;)
      pause();
  case LP_MECH_IO_URING:
    _exit(7);
  case LP_MECH_LINUXAIO:
    raise(SIGSYS);
    return;
  case LP_MECH_KQUEUE:
    fprintf(stderr, "[warn] something the library said\n");
    lp_obs_fail(o, "kevent", 22);
    return;
  default:
    lp_obs_ok(o, "fine");
    return;
  }
}

static const struct lp_backend test_backend = {
    .name = "test", .mechanisms = ~0u, .layers = ~0u, .probe = probe};

static struct lp_job make_job(enum lp_mechanism m)
{
  struct lp_job j;

  memset(&j, 0, sizeof(j));
  j.mech = m;
  j.layer = LP_LAYER_API;
  j.backend = &test_backend;
  return j;
}

/* The watchdog of the cells that must hang (2 s), and of those that must
   finish: generous, since a loaded machine running the sanitizer build can
   take seconds to start a hundred children. */
#define HANG_MS 2000
#define FINISH_MS 60000

static struct lp_runner_opts opts(int isolate, unsigned timeout_ms)
{
  struct lp_runner_opts ro;

  memset(&ro, 0, sizeof(ro));
  ro.timeout_ms = timeout_ms;
  ro.isolate = isolate;
  ro.ctx.wait_ms = 0;
  ro.ctx.event_wait_ms = 100;
  return ro;
}

static void test_misbehaving_children(void **state)
{
  struct lp_job jobs[6] = {make_job(LP_MECH_EPOLL),    make_job(LP_MECH_POLL),
                           make_job(LP_MECH_SELECT),   make_job(LP_MECH_IO_URING),
                           make_job(LP_MECH_LINUXAIO), make_job(LP_MECH_KQUEUE)};
  struct lp_runner_opts ro = opts(1, HANG_MS);
  int64_t t0 = lp_mono_ns();

  (void)state;
  lp_run_jobs(jobs, 6, &ro);
  assert_int_equal(jobs[0].status, LP_JOB_DONE);
  assert_int_equal(jobs[0].obs.status, LP_OBS_OK);
  assert_string_equal(jobs[0].obs.detail, "fine");
  assert_int_equal(jobs[1].status, LP_JOB_SIGNALED);
  assert_int_equal(jobs[1].signal, SIGSEGV);
  assert_string_equal(jobs[1].obs.step, "crash_here");
  assert_int_equal(jobs[2].status, LP_JOB_TIMEOUT);
  assert_string_equal(jobs[2].obs.step, "hang_here");
  assert_int_equal(jobs[2].obs.nproviders, 1);
  assert_string_equal(jobs[2].obs.providers[0].object, "./libhang.so");
  assert_true(jobs[2].elapsed_us >= HANG_MS * 1000);
  assert_int_equal(jobs[3].status, LP_JOB_NO_RESULT);
  assert_int_equal(jobs[3].exit_code, 7);
  assert_int_equal(jobs[4].status, LP_JOB_SIGNALED);
  assert_int_equal(jobs[4].signal, SIGSYS);
  assert_int_equal(jobs[5].status, LP_JOB_DONE);
  assert_int_equal(jobs[5].obs.status, LP_OBS_FAILED);
  assert_string_equal(jobs[5].obs.call, "kevent");
  assert_string_equal(jobs[5].output, "[warn] something the library said\n");
  /* All at once: the hang costs one watchdog, not one per cell (generous bound). */
  assert_true(lp_mono_ns() - t0 < 20 * (int64_t)1000000000);
}

static void test_more_jobs_than_slots(void **state)
{
  struct lp_job *jobs = calloc(150, sizeof(*jobs));
  struct lp_runner_opts ro = opts(1, FINISH_MS);
  size_t i;

  (void)state;
  assert_non_null(jobs);
  for (i = 0; i < 150; i++)
    jobs[i] = make_job(LP_MECH_EPOLL);
  lp_run_jobs(jobs, 150, &ro);
  for (i = 0; i < 150; i++) {
    assert_int_equal(jobs[i].status, LP_JOB_DONE);
    assert_string_equal(jobs[i].obs.detail, "fine");
  }
  free(jobs);
}

/* With few descriptors the runner runs fewer cells at once, but all of
   them.  Done in a child so the limit does not stay with this process. */
static void test_low_descriptor_limit(void **state)
{
  pid_t pid;
  int status = 0;

  (void)state;
  fflush(NULL);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    struct rlimit rl = {24, 24};
    struct lp_job jobs[40];
    struct lp_runner_opts ro = opts(1, FINISH_MS);
    size_t i;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
      _exit(10);
    for (i = 0; i < 40; i++)
      jobs[i] = make_job(LP_MECH_EPOLL);
    lp_run_jobs(jobs, 40, &ro);
    for (i = 0; i < 40; i++)
      if (jobs[i].status != LP_JOB_DONE)
        _exit(20 + (int)jobs[i].status);
    _exit(0);
  }
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_in_process(void **state)
{
  struct lp_job jobs[2] = {make_job(LP_MECH_EPOLL), make_job(LP_MECH_KQUEUE)};
  struct lp_runner_opts ro = opts(0, HANG_MS);

  (void)state;
  ro.exit_on_timeout = 1; /* starts the watchdog thread; nothing overruns */
  lp_run_jobs(jobs, 2, &ro);
  assert_int_equal(jobs[0].status, LP_JOB_DONE);
  assert_int_equal(jobs[0].obs.status, LP_OBS_OK);
  assert_int_equal(jobs[1].obs.status, LP_OBS_FAILED);
  assert_null(jobs[1].obs.report);
}

/* In-process, a hang ends the process with status 3 and a message. */
static void test_in_process_watchdog(void **state)
{
  int fds[2], status = 0;
  char msg[512] = "";
  pid_t pid;
  ssize_t n;

  (void)state;
  assert_int_equal(pipe(fds), 0);
  fflush(NULL);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    struct lp_job job = make_job(LP_MECH_SELECT);
    struct lp_runner_opts ro = opts(0, HANG_MS);
    dup2(fds[1], 2);
    ro.exit_on_timeout = 1;
    lp_run_jobs(&job, 1, &ro);
    _exit(0);
  }
  close(fds[1]);
  n = read(fds[0], msg, sizeof(msg) - 1);
  close(fds[0]);
  assert_true(n > 0);
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 3);
  assert_non_null(strstr(msg, "select@api did not return in time (last call: hang_here)"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_misbehaving_children), cmocka_unit_test(test_more_jobs_than_slots),
      cmocka_unit_test(test_low_descriptor_limit), cmocka_unit_test(test_in_process),
      cmocka_unit_test(test_in_process_watchdog),
  };
  return cmocka_run_group_tests_name("runner", tests, NULL, NULL);
}
