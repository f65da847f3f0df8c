/* SPDX-License-Identifier: MIT */
/*
 * test_env.c - the environment allow-list and the secret detector: only
 * allow-listed names are reported, secret-looking ones are redacted.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "probes/host.h"

#include <stdlib.h>
#include <string.h>

static void test_allow_list(void **state)
{
  (void)state;
  assert_true(lp_env_allowed("LD_PRELOAD"));
  assert_true(lp_env_allowed("LIBEV_FLAGS"));
  assert_true(lp_env_allowed("EVENT_NOEPOLL"));
  assert_true(lp_env_allowed("FAKETIME_DONT_FAKE_MONOTONIC"));
  assert_true(lp_env_allowed("UV_USE_IO_URING"));
  assert_false(lp_env_allowed("HOME"));
  assert_false(lp_env_allowed("PATH"));
  assert_false(lp_env_allowed("AWS_SECRET_ACCESS_KEY"));
  assert_false(lp_env_allowed("LD_PRELOADX"));
  assert_false(lp_env_allowed("ld_preload"));
}

static void test_secrets(void **state)
{
  (void)state;
  assert_true(lp_env_secret("EVENT_NO_API_KEY"));
  assert_true(lp_env_secret("FAKETIME_password"));
  assert_true(lp_env_secret("GITHUB_TOKEN"));
  assert_true(lp_env_secret("my_session_cookie"));
  assert_false(lp_env_secret("EVENT_NOEPOLL"));
  assert_false(lp_env_secret("LD_PRELOAD"));
}

static void test_split(void **state)
{
  struct lp_strv sv = {NULL, 0};

  (void)state;
  assert_int_equal(lp_split_list("  a.so:b.so  c.so::", &sv), 0);
  assert_int_equal(sv.n, 3);
  assert_string_equal(sv.v[0], "a.so");
  assert_string_equal(sv.v[1], "b.so");
  assert_string_equal(sv.v[2], "c.so");
  lp_strv_free(&sv);
  assert_int_equal(lp_split_list("", &sv), 0);
  assert_int_equal(sv.n, 0);
}

static void test_collect(void **state)
{
  struct lp_host h;
  size_t i;
  int saw_key = 0, saw_flags = 0;

  (void)state;
  memset(&h, 0, sizeof(h));
  setenv("EVENT_NO_API_KEY", "hunter2", 1);
  setenv("LIBEV_FLAGS", "2", 1);
  setenv("SECRET_THING", "hunter3", 1);
  assert_int_equal(lp_env_collect(&h), 0);
  for (i = 0; i < h.nenv; i++) {
    assert_null(strstr(h.env[i].value, "hunter"));
    assert_string_not_equal(h.env[i].name, "SECRET_THING");
    if (strcmp(h.env[i].name, "EVENT_NO_API_KEY") == 0) {
      assert_string_equal(h.env[i].value, "<redacted>");
      saw_key = 1;
    }
    if (strcmp(h.env[i].name, "LIBEV_FLAGS") == 0) {
      assert_string_equal(h.env[i].value, "2");
      saw_flags = 1;
    }
    if (i > 0)
      assert_true(strcmp(h.env[i - 1].name, h.env[i].name) < 0);
  }
  assert_true(saw_key && saw_flags);
  lp_host_free(&h);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_allow_list),
      cmocka_unit_test(test_secrets),
      cmocka_unit_test(test_split),
      cmocka_unit_test(test_collect),
  };
  return cmocka_run_group_tests_name("env", tests, NULL, NULL);
}
