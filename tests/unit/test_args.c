/* SPDX-License-Identifier: MIT */
/*
 * test_args.c - the command's argument parser (cli/args.c, linked without
 * main()), where the fuzz target found it wrong: after an error inside a
 * cluster of short options, getopt kept its place in the old argv, and the
 * next parse went on from there instead of reading its own arguments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "cli/tool.h"

static void test_parse_starts_afresh(void **state)
{
  char *bad[] = {"loopprobe", "--format=json", "-Xq", NULL};
  char *list[] = {"loopprobe", "--list", NULL};
  struct tool_args a;

  (void)state;
  assert_int_equal(tool_parse_args(3, bad, &a), -1);
  assert_int_equal(tool_parse_args(2, list, &a), 0);
  assert_int_equal(a.list, 1);
  assert_int_equal(a.quiet, 0);
}

static void test_values(void **state)
{
  char *argv[] = {"loopprobe", "-qf", "json", "--only=epoll@api", "-t", "50", NULL};
  struct tool_args a;

  (void)state;
  assert_int_equal(tool_parse_args(6, argv, &a), 0);
  assert_int_equal(a.quiet, 1);
  assert_int_equal(a.format, LP_FORMAT_JSON);
  assert_string_equal(a.only, "epoll@api");
  assert_int_equal(a.timeout_ms, 50);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_starts_afresh),
      cmocka_unit_test(test_values),
  };
  return cmocka_run_group_tests_name("args", tests, NULL, NULL);
}
