/* SPDX-License-Identifier: MIT */
/*
 * test_inprocess_win.c - a program that never calls lp_child_main(): the
 * Windows runner cannot start children that would serve a cell, so it runs
 * the probes in-process and says so in the job and in the cell's detail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "probes/runner.h"

#include <string.h>
#include <windows.h>

static void probe_pid(enum lp_mechanism m, enum lp_layer l, const struct lp_probe_ctx *ctx,
                      struct lp_obs *o)
{
  (void)m;
  (void)l;
  (void)ctx;
  o->err = (int)GetCurrentProcessId();
  lp_obs_ok(o, "round trip");
}

static const struct lp_backend b_pid = {.name = "pid",
                                        .mechanisms = LP_BIT(LP_MECH_IOCP),
                                        .layers = LP_BIT(LP_LAYER_API),
                                        .probe = probe_pid};

static void falls_back_and_says_so(void **state)
{
  struct lp_runner_opts ro;
  struct lp_job j;

  (void)state;
  memset(&ro, 0, sizeof(ro));
  ro.timeout_ms = 2000;
  ro.isolate = 1;
  memset(&j, 0, sizeof(j));
  j.mech = LP_MECH_IOCP;
  j.layer = LP_LAYER_API;
  j.backend = &b_pid;
  lp_run_jobs(&j, 1, &ro);
  assert_int_equal(j.status, LP_JOB_DONE);
  assert_int_equal(j.obs.status, LP_OBS_OK);
  assert_int_equal(j.obs.err, (int)GetCurrentProcessId());
  assert_non_null(strstr(j.note, "lp_child_main"));
  assert_non_null(strstr(j.obs.detail, "round trip (run in-process:"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(falls_back_and_says_so),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
