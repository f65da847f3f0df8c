/* SPDX-License-Identifier: MIT */
/*
 * test_backends_win.c - the Windows backends against the real Winsock and
 * completion ports of the system under test (Windows, or Wine): a full
 * round trip for iocp, wsapoll and select at the api layer, timed waits,
 * the modules that serve their functions, and the platform's facts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "backends/registry.h"

#include <string.h>
#include <windows.h>

static void probe(enum lp_mechanism m, enum lp_layer l, struct lp_obs *o)
{
  const struct lp_backend *b = lp_backend_for(m, l);
  struct lp_probe_ctx ctx;

  assert_non_null(b);
  memset(&ctx, 0, sizeof(ctx)); /* no library named */
  ctx.wait_ms = 3;
  ctx.event_wait_ms = 1000;
  lp_obs_init(o);
  b->probe(m, l, &ctx, o);
}

static int ends_with_nocase(const char *s, const char *tail)
{
  size_t n = strlen(s), k = strlen(tail);

  return n >= k && _stricmp(s + n - k, tail) == 0;
}

static void round_trip(enum lp_mechanism m, const char *function, const char *dll)
{
  struct lp_obs o;
  unsigned i;

  probe(m, LP_LAYER_API, &o);
  if (o.status != LP_OBS_OK)
    fail_msg("%s@api: %s", lp_mechanism_name(m), o.detail);
  assert_int_equal(o.wait_samples, 2);
  assert_true(o.wait_min_us >= 2000); /* a wait never ends early */
  assert_int_equal(o.err_win, 0);
  assert_string_equal(o.emulated_by, "");
  for (i = 0; i < o.nproviders; i++)
    if (strcmp(o.providers[i].function, function) == 0)
      break;
  assert_true(i < o.nproviders);
  assert_true(ends_with_nocase(o.providers[i].home, dll) ||
              ends_with_nocase(o.providers[i].home, "kernelbase.dll"));
  assert_string_equal(o.providers[i].object, o.providers[i].home);
  assert_int_equal(o.providers[i].interposed, 0);
}

static void iocp_round_trip(void **state)
{
  (void)state;
  round_trip(LP_MECH_IOCP, "GetQueuedCompletionStatusEx", "kernel32.dll");
  round_trip(LP_MECH_IOCP, "WSARecv", "ws2_32.dll");
}

static void wsapoll_round_trip(void **state)
{
  (void)state;
  round_trip(LP_MECH_WSAPOLL, "WSAPoll", "ws2_32.dll");
}

static void select_round_trip(void **state)
{
  (void)state;
  round_trip(LP_MECH_SELECT, "select", "ws2_32.dll");
}

static void no_syscall_layer_on_windows(void **state)
{
  enum lp_mechanism ms[] = {LP_MECH_IOCP, LP_MECH_WSAPOLL, LP_MECH_SELECT};
  struct lp_obs o;
  size_t i;

  (void)state;
  for (i = 0; i < 3; i++) {
    probe(ms[i], LP_LAYER_SYSCALL, &o);
    assert_int_equal(o.status, LP_OBS_NA);
    assert_non_null(strstr(o.detail, "no stable system call interface"));
  }
}

/* epoll@api is wepoll's, a shim loaded at run time, which this build
   cannot load: the cell stays na and says why, with no provider. */
static void epoll_through_wepoll(void **state)
{
  const struct lp_backend *b = lp_backend_for(LP_MECH_EPOLL, LP_LAYER_API);
  struct lp_obs o;

  (void)state;
  assert_false(lp_mechanism_native(LP_MECH_EPOLL));
  assert_null(lp_backend_for(LP_MECH_EPOLL, LP_LAYER_SYSCALL));
  assert_non_null(b);
  assert_string_equal(b->name, "wepoll");
  assert_non_null(b->library);
  assert_true(b->library->shim);
  probe(LP_MECH_EPOLL, LP_LAYER_API, &o);
  assert_int_equal(o.status, LP_OBS_NA);
  assert_string_equal(o.detail, "not a mechanism of this platform, and no shim provides it: "
                                "wepoll.dll cannot be looked for: loading libraries at run "
                                "time is implemented for ELF systems (Linux, the BSDs) only");
  assert_int_equal(o.nproviders, 0);
}

static void posix_mechanisms_are_not_applicable(void **state)
{
  enum lp_mechanism ms[] = {LP_MECH_POLL, LP_MECH_IO_URING, LP_MECH_LINUXAIO, LP_MECH_KQUEUE};
  enum lp_verdict v;
  size_t i;

  (void)state;
  for (i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
    assert_false(lp_mechanism_native(ms[i]));
    assert_null(lp_backend_for(ms[i], LP_LAYER_API));
    assert_null(lp_backend_for(ms[i], LP_LAYER_SYSCALL));
    lp_unbuilt_reason(ms[i], LP_LAYER_API, &v);
    assert_int_equal(v, LP_VERDICT_NA);
  }
  assert_true(lp_mechanism_native(LP_MECH_IOCP));
  assert_true(lp_mechanism_native(LP_MECH_WSAPOLL));
  assert_true(lp_mechanism_native(LP_MECH_SELECT));
}

/* The quick check an embedding server makes at start-up. */
static void lp_check_says_yes(void **state)
{
  char why[256];

  (void)state;
  assert_int_equal(lp_check("iocp@api,wsapoll@api,select@api", why, sizeof(why)), 0);
  assert_int_equal(lp_check("epoll@api", why, sizeof(why)), 1);
  assert_non_null(strstr(why, "na"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(iocp_round_trip),
      cmocka_unit_test(wsapoll_round_trip),
      cmocka_unit_test(select_round_trip),
      cmocka_unit_test(no_syscall_layer_on_windows),
      cmocka_unit_test(posix_mechanisms_are_not_applicable),
      cmocka_unit_test(epoll_through_wepoll),
      cmocka_unit_test(lp_check_says_yes),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
