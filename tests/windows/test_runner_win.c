/* SPDX-License-Identifier: MIT */
/*
 * test_runner_win.c - the Windows runner with probes that behave, hang,
 * crash, abort, exit and write on standard error, each in a real child
 * process of this program (which calls lp_child_main() first, as every
 * program embedding the runner must).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "probes/runner.h"
#include "base/util.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#define TIMEOUT_MS 1500u

/* Every probe stores the id of the process it ran in, in obs.err. */
static void probe_ok(enum lp_mechanism m, enum lp_layer l, const struct lp_probe_ctx *ctx,
                     struct lp_obs *o)
{
  (void)m;
  (void)l;
  lp_obs_enter(o, "GetCurrentProcessId");
  o->err = (int)GetCurrentProcessId();
  lp_obs_ok(o, "ran with waits of %u ms", ctx->wait_ms);
}

static void probe_hang(enum lp_mechanism m, enum lp_layer l, const struct lp_probe_ctx *ctx,
                       struct lp_obs *o)
{
  (void)m;
  (void)l;
  (void)ctx;
  lp_obs_provider(o, "WSAPoll", "ws2_32.dll");
  lp_obs_checkpoint(o);
  lp_obs_enter(o, "Sleep");
  Sleep(INFINITE);
}

static void probe_crash(enum lp_mechanism m, enum lp_layer l, const struct lp_probe_ctx *ctx,
                        struct lp_obs *o)
{
  volatile int *volatile p = NULL;

  (void)m;
  (void)l;
  (void)ctx;
  lp_obs_enter(o, "store");
  *p = 1;
}

static void probe_abort(enum lp_mechanism m, enum lp_layer l, const struct lp_probe_ctx *ctx,
                        struct lp_obs *o)
{
  (void)m;
  (void)l;
  (void)ctx;
  lp_obs_enter(o, "abort");
  abort();
}

static void probe_exit(enum lp_mechanism m, enum lp_layer l, const struct lp_probe_ctx *ctx,
                       struct lp_obs *o)
{
  (void)m;
  (void)l;
  (void)ctx;
  lp_obs_enter(o, "ExitProcess");
  ExitProcess(7);
}

static void probe_stderr(enum lp_mechanism m, enum lp_layer l, const struct lp_probe_ctx *ctx,
                         struct lp_obs *o)
{
  (void)m;
  (void)l;
  (void)ctx;
  fputs("warning from the probe\n", stderr);
  o->err = (int)GetCurrentProcessId();
  lp_obs_ok(o, "wrote on standard error");
}

#define BACKEND(id, fn)                                                                            \
  static const struct lp_backend id = {.name = #id,                                                \
                                       .mechanisms = LP_BIT(LP_MECH_IOCP),                         \
                                       .layers = LP_BIT(LP_LAYER_API),                             \
                                       .probe = fn}

BACKEND(b_ok, probe_ok);
BACKEND(b_hang, probe_hang);
BACKEND(b_crash, probe_crash);
BACKEND(b_abort, probe_abort);
BACKEND(b_exit, probe_exit);
BACKEND(b_stderr, probe_stderr);

static void opts(struct lp_runner_opts *ro)
{
  memset(ro, 0, sizeof(*ro));
  ro->timeout_ms = TIMEOUT_MS;
  ro->isolate = 1;
  ro->ctx.wait_ms = 3;
  ro->ctx.event_wait_ms = 100;
}

static void job(struct lp_job *j, const struct lp_backend *b)
{
  memset(j, 0, sizeof(*j));
  j->mech = LP_MECH_IOCP;
  j->layer = LP_LAYER_API;
  j->backend = b;
}

static void every_outcome_is_told_apart(void **state)
{
  struct lp_job jobs[6];
  struct lp_runner_opts ro;
  ULONGLONG t0 = GetTickCount64();

  (void)state;
  opts(&ro);
  job(&jobs[0], &b_ok);
  job(&jobs[1], &b_hang);
  job(&jobs[2], &b_crash);
  job(&jobs[3], &b_abort);
  job(&jobs[4], &b_exit);
  job(&jobs[5], &b_stderr);
  lp_run_jobs(jobs, 6, &ro);

  assert_int_equal(jobs[0].status, LP_JOB_DONE);
  assert_int_equal(jobs[0].obs.status, LP_OBS_OK);
  assert_string_equal(jobs[0].obs.detail, "ran with waits of 3 ms");
  assert_int_not_equal(jobs[0].obs.err, (int)GetCurrentProcessId());
  assert_null(jobs[0].obs.report);
  assert_string_equal(jobs[0].note, "");

  assert_int_equal(jobs[1].status, LP_JOB_TIMEOUT);
  assert_string_equal(jobs[1].obs.step, "Sleep");
  assert_int_equal(jobs[1].obs.nproviders, 1);
  assert_string_equal(jobs[1].obs.providers[0].function, "WSAPoll");

  assert_int_equal(jobs[2].status, LP_JOB_SIGNALED);
  assert_int_equal(jobs[2].signal, SIGSEGV);
  assert_int_equal(jobs[2].exception, 0xC0000005u);
  assert_string_equal(jobs[2].obs.step, "store");

  assert_int_equal(jobs[3].status, LP_JOB_SIGNALED);
  assert_int_equal(jobs[3].signal, SIGABRT);
  assert_string_equal(jobs[3].obs.step, "abort");

  assert_int_equal(jobs[4].status, LP_JOB_NO_RESULT);
  assert_int_equal(jobs[4].exit_code, 7);
  assert_string_equal(jobs[4].obs.step, "ExitProcess");

  assert_int_equal(jobs[5].status, LP_JOB_DONE);
  assert_non_null(strstr(jobs[5].output, "warning from the probe")); /* CRLF on Windows */

  /* All at once: the hanging probe's watchdog, not the sum of the waits. */
  assert_true(GetTickCount64() - t0 < 15000 + TIMEOUT_MS * 2);
}

/* More cells than the runner runs at once: every one gets its own child. */
static void many_cells_each_in_its_own_process(void **state)
{
  struct lp_job jobs[12];
  struct lp_runner_opts ro;
  size_t i, k;

  (void)state;
  opts(&ro);
  for (i = 0; i < 12; i++)
    job(&jobs[i], &b_ok);
  lp_run_jobs(jobs, 12, &ro);
  for (i = 0; i < 12; i++) {
    assert_int_equal(jobs[i].status, LP_JOB_DONE);
    assert_int_equal(jobs[i].obs.status, LP_OBS_OK);
    assert_int_not_equal(jobs[i].obs.err, (int)GetCurrentProcessId());
    for (k = 0; k < i; k++)
      assert_int_not_equal(jobs[i].obs.err, jobs[k].obs.err);
  }
}

/* --no-isolate: the same process, and no note. */
static void in_process_when_asked(void **state)
{
  struct lp_job j;
  struct lp_runner_opts ro;

  (void)state;
  opts(&ro);
  ro.isolate = 0;
  job(&j, &b_ok);
  lp_run_jobs(&j, 1, &ro);
  assert_int_equal(j.status, LP_JOB_DONE);
  assert_int_equal(j.obs.err, (int)GetCurrentProcessId());
  assert_string_equal(j.note, "");
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_outcome_is_told_apart),
      cmocka_unit_test(many_cells_each_in_its_own_process),
      cmocka_unit_test(in_process_when_asked),
  };

  lp_child_main(argc, argv);
  return cmocka_run_group_tests(tests, NULL, NULL);
}
