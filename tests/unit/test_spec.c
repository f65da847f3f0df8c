/* SPDX-License-Identifier: MIT */
/*
 * test_spec.c - the SPEC grammar, its error messages, and the requirement
 * rule shared by --require and lp_check().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/spec.h"

#include <string.h>

static void parses(const char *spec, struct lp_cellset *out)
{
  char err[512] = "";

  assert_int_equal(lp_spec_parse(spec, out, err, sizeof(err)), 0);
  assert_string_equal(err, "");
}

static void rejects(const char *spec, const char *message)
{
  struct lp_cellset set;
  char err[512] = "";

  assert_int_equal(lp_spec_parse(spec, &set, err, sizeof(err)), -1);
  assert_string_equal(err, message);
}

static void test_bare_mechanism(void **state)
{
  struct lp_cellset s;

  (void)state;
  parses("epoll", &s);
  assert_true(lp_cellset_has(&s, LP_MECH_EPOLL, LP_LAYER_SYSCALL));
  assert_true(lp_cellset_has(&s, LP_MECH_EPOLL, LP_LAYER_LIBEVENT));
  assert_false(lp_cellset_named(&s, LP_MECH_EPOLL, LP_LAYER_API));
  assert_false(lp_cellset_has(&s, LP_MECH_POLL, LP_LAYER_API));
}

static void test_layers_and_blanks(void **state)
{
  struct lp_cellset s;

  (void)state;
  parses(" io_uring@api ,poll\t", &s);
  assert_true(lp_cellset_has(&s, LP_MECH_IO_URING, LP_LAYER_API));
  assert_true(lp_cellset_named(&s, LP_MECH_IO_URING, LP_LAYER_API));
  assert_false(lp_cellset_has(&s, LP_MECH_IO_URING, LP_LAYER_SYSCALL));
  assert_true(lp_cellset_has(&s, LP_MECH_POLL, LP_LAYER_LIBEV));
  parses("epoll@python,epoll@api,epoll@api", &s);
  assert_true(lp_cellset_named(&s, LP_MECH_EPOLL, LP_LAYER_PYTHON));
  assert_false(lp_cellset_has(&s, LP_MECH_EPOLL, LP_LAYER_SYSCALL));
}

static void test_errors(void **state)
{
  (void)state;
  rejects("", "empty SPEC: name at least one MECHANISM[@LAYER], e.g. epoll or epoll@api");
  rejects(NULL, "empty SPEC: name at least one MECHANISM[@LAYER], e.g. epoll or epoll@api");
  rejects("epol", "unknown mechanism 'epol' in SPEC (mechanisms: epoll, poll, select, io_uring, "
                  "linuxaio, kqueue, iocp, wsapoll, evport, devpoll)");
  rejects("EPOLL@api", "unknown mechanism 'EPOLL' in SPEC (mechanisms: epoll, poll, select, "
                       "io_uring, linuxaio, kqueue, iocp, wsapoll, evport, devpoll)");
  rejects("epoll@", "missing layer after '@' in 'epoll@' in SPEC (layers: syscall, api, libuv, "
                    "libev, libevent, python)");
  rejects("epoll@kernel", "unknown layer 'kernel' in SPEC (layers: syscall, api, libuv, libev, "
                          "libevent, python)");
  rejects("epoll,,poll",
          "empty item 2 in SPEC 'epoll,,poll': items are separated by single commas");
  rejects("epoll,", "empty item 2 in SPEC 'epoll,': items are separated by single commas");
  rejects(",", "empty item 1 in SPEC ',': items are separated by single commas");
  rejects("epoll@api@x", "more than one '@' in SPEC item 'epoll@api@x'");
  rejects("\x1b[31m'\\",
          "unknown mechanism '\\x1b[31m\\x27\\x5c' in SPEC (mechanisms: epoll, "
          "poll, select, io_uring, linuxaio, kqueue, iocp, wsapoll, evport, devpoll)");
}

static void test_long_item_is_cut(void **state)
{
  char spec[200], err[512];
  struct lp_cellset s;

  (void)state;
  memset(spec, 'x', sizeof(spec) - 1);
  spec[sizeof(spec) - 1] = '\0';
  assert_int_equal(lp_spec_parse(spec, &s, err, sizeof(err)), -1);
  assert_non_null(strstr(err, "unknown mechanism 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'"));
  /* A short buffer gets a terminated prefix. */
  assert_int_equal(lp_spec_parse(spec, &s, err, 8), -1);
  assert_string_equal(err, "unknown");
}

static void all(enum lp_verdict v[LP_MECH_COUNT][LP_LAYER_COUNT], enum lp_verdict value)
{
  int m, l;

  for (m = 0; m < LP_MECH_COUNT; m++)
    for (l = 0; l < LP_LAYER_COUNT; l++)
      v[m][l] = value;
}

static int met(const char *spec, enum lp_verdict v[LP_MECH_COUNT][LP_LAYER_COUNT], int *bm, int *bl)
{
  struct lp_cellset s;

  assert_int_equal(lp_spec_parse(spec, &s, NULL, 0), 0);
  return lp_requirement_met(&s, (const enum lp_verdict(*)[LP_LAYER_COUNT])v, bm, bl);
}

static void test_requirement_rule(void **state)
{
  enum lp_verdict v[LP_MECH_COUNT][LP_LAYER_COUNT];
  int bm = -2, bl = -2;

  (void)state;
  all(v, LP_VERDICT_NA);
  v[LP_MECH_POLL][LP_LAYER_SYSCALL] = LP_VERDICT_OK;
  v[LP_MECH_POLL][LP_LAYER_API] = LP_VERDICT_OK;
  v[LP_MECH_POLL][LP_LAYER_LIBEV] = LP_VERDICT_SKIPPED;
  /* A bare mechanism ignores the layers where it does not apply... */
  assert_true(met("poll", v, &bm, &bl));
  /* ...but a named cell must be ok... */
  assert_false(met("poll@libuv", v, &bm, &bl));
  assert_int_equal(bm, LP_MECH_POLL);
  assert_int_equal(bl, LP_LAYER_LIBUV);
  /* ...and a mechanism with no applicable layer fails. */
  assert_false(met("poll,kqueue", v, &bm, &bl));
  assert_int_equal(bm, LP_MECH_KQUEUE);
  assert_int_equal(bl, -1);
  /* Any applicable cell that is not ok fails a bare mechanism. */
  v[LP_MECH_POLL][LP_LAYER_LIBEVENT] = LP_VERDICT_HIDDEN;
  assert_false(met("poll", v, &bm, &bl));
  assert_int_equal(bl, LP_LAYER_LIBEVENT);
  v[LP_MECH_POLL][LP_LAYER_LIBEVENT] = LP_VERDICT_DEGRADED;
  assert_false(met("poll@api,poll", v, &bm, &bl));
  assert_true(met("poll@api", v, &bm, &bl));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bare_mechanism),   cmocka_unit_test(test_layers_and_blanks),
      cmocka_unit_test(test_errors),           cmocka_unit_test(test_long_item_is_cut),
      cmocka_unit_test(test_requirement_rule),
  };
  return cmocka_run_group_tests_name("spec", tests, NULL, NULL);
}
