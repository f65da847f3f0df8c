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
  /* A family's names are letters, digits and '_': the fuzz target found two
     names with invalid bytes that JSON writes as the same key. */
  assert_false(lp_env_allowed("FAKETIME_\xff"));
  assert_false(lp_env_allowed("FAKETIME_\xfe"));
  assert_false(lp_env_allowed("EVENT_NO\x1b[2J"));
  assert_false(lp_env_allowed("FAKETIME-X"));
  assert_true(lp_env_allowed("FAKETIME_START_AFTER_SECONDS"));
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

/* The rule is a pattern over the name's parts, not a list of spellings:
   each of these slipped through the old list of substrings. */
static void test_secret_parts(void **state)
{
  static const char *const secret[] = {
      "FAKETIME_PASS",   "FAKETIME_PWD",      "FAKETIME_DB_PW",   "FAKETIME_CRED",
      "EVENT_NOCREDS",   "FAKETIME_PIN",      "FAKETIME_OTP",     "FAKETIME_JWT",
      "FAKETIME_DSN",    "LIBEV_FLAGS_PASS",  "FAKETIMEPass",     "faketime_pass",
      "FAKETIME_MYPASS", "FAKETIME_PASSCODE", "FAKETIME_ROOTPWD", "FAKETIME_PWDFILE",
      "FAKETIME_APIKEY", "FAKETIME_KEYS",     "FAKETIME_AUTHZ",   "FAKETIME_BEARER",
      "FAKETIME_SALT",   "FAKETIME_HMAC",     "FAKETIME_PSK",     "FAKETIME_dbPw",
      "FAKETIME_PW1",    "FAKETIME_SECRETS",  "FAKETIME-PASS",    "FAKETIME.PIN",
  };
  static const char *const plain[] = {
      "FAKETIME_SPIN",        "FAKETIME_PINNED_CPU", "EVENT_NOWIN32",     "FAKETIME_NO_CACHE",
      "FAKETIME_XRESET",      "FAKETIME_FLSHM",      "FAKETIME_SHARED",   "FAKETIME_TIMESTAMP_FILE",
      "FAKETIME_FOLLOW_FILE", "FAKETIME_OPTIONS",    "FAKETIME_TOPPINGS",
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof(secret) / sizeof(secret[0]); i++)
    if (!lp_env_secret(secret[i]))
      fail_msg("%s is not taken for a secret", secret[i]);
  for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
    if (lp_env_secret(plain[i]))
      fail_msg("%s is taken for a secret", plain[i]);
}

/* The rule must not hide what the allow-list is for: every exact name,
   and every variable libfaketime (1.0.x, as Debian 12 ships it) and
   libevent (EVENT_NO<METHOD>) read, stays visible. */
static void test_allowed_names_are_not_secret(void **state)
{
  static const char *const families[] = {
      "FAKETIME",
      "FAKETIME_CACHE_DURATION",
      "FAKETIME_COMPILE_CFLAGS",
      "FAKETIME_DEBUG",
      "FAKETIME_DONT_FAKE_MONOTONIC",
      "FAKETIME_DONT_RESET",
      "FAKETIME_FAKEPID",
      "FAKETIME_FMT",
      "FAKETIME_FOLLOW_FILE",
      "FAKETIME_FORCE_MONOTONIC_FIX",
      "FAKETIME_LOAD_FILE",
      "FAKETIME_NO_CACHE",
      "FAKETIME_ONLY_CMDS",
      "FAKETIME_SAVE_FILE",
      "FAKETIME_SHARED",
      "FAKETIME_SKIP_CMDS",
      "FAKETIME_SPAWN_NUMCALLS",
      "FAKETIME_SPAWN_SECONDS",
      "FAKETIME_SPAWN_TARGET",
      "FAKETIME_START_AFTER_NUMCALLS",
      "FAKETIME_START_AFTER_SECONDS",
      "FAKETIME_STOP_AFTER_NUMCALLS",
      "FAKETIME_STOP_AFTER_SECONDS",
      "FAKETIME_TIMESTAMP_FILE",
      "FAKETIME_UPDATE_TIMESTAMP_FILE",
      "FAKETIME_WAIT_MS",
      "FAKETIME_XRESET",
      "EVENT_NOEPOLL",
      "EVENT_NOPOLL",
      "EVENT_NOSELECT",
      "EVENT_NOKQUEUE",
      "EVENT_NODEVPOLL",
      "EVENT_NOEVPORT",
      "EVENT_NOWIN32",
  };
  const char *name;
  size_t i;

  (void)state;
  for (i = 0; (name = lp_env_allowed_name(i)) != NULL; i++) {
    assert_true(lp_env_allowed(name));
    if (lp_env_secret(name))
      fail_msg("the allow-listed %s would be redacted", name);
  }
  assert_true(i > 10);
  for (i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
    assert_true(lp_env_allowed(families[i]));
    if (lp_env_secret(families[i]))
      fail_msg("%s would be redacted", families[i]);
  }
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

/* execve() may pass the same name twice; getenv() returns the first, and
   so must the report - once, with a note that says so. */
static void test_collect_duplicate(void **state)
{
  extern char **environ;
  char *env[] = {"LIBEV_FLAGS=2",
                 "HOME=/root",
                 "LIBEV_FLAGS=8",
                 "FAKETIME_PASS=hunter5",
                 "FAKETIME_PASS=hunter6",
                 "LIBEV_FLAGS=1",
                 NULL};
  char **saved = environ;
  struct lp_host h;
  size_t i, flags = 0;
  int noted = 0;

  (void)state;
  memset(&h, 0, sizeof(h));
  environ = env;
  assert_int_equal(lp_env_collect(&h), 0);
  environ = saved;
  for (i = 0; i < h.nenv; i++) {
    if (strcmp(h.env[i].name, "LIBEV_FLAGS") == 0) {
      assert_string_equal(h.env[i].value, "2");
      flags++;
    }
    if (i > 0)
      assert_true(strcmp(h.env[i - 1].name, h.env[i].name) < 0);
  }
  assert_int_equal(flags, 1);
  for (i = 0; i < h.notes.n; i++) {
    assert_null(strstr(h.notes.v[i], "hunter"));
    noted += strstr(h.notes.v[i], "LIBEV_FLAGS is set 3 times in the environment") != NULL;
  }
  assert_int_equal(noted, 1);
  lp_host_free(&h);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_allow_list),        cmocka_unit_test(test_secrets),
      cmocka_unit_test(test_secret_parts),      cmocka_unit_test(test_allowed_names_are_not_secret),
      cmocka_unit_test(test_collect_duplicate), cmocka_unit_test(test_split),
      cmocka_unit_test(test_collect),
  };
  return cmocka_run_group_tests_name("env", tests, NULL, NULL);
}
