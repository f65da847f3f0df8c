/* SPDX-License-Identifier: MIT */
/*
 * test_writers.c - every writer against its golden file, on a fixed report
 * that holds one of each verdict and hostile bytes in its strings.
 *
 * To accept a deliberate change of output: LP_UPDATE_GOLDEN=1 ./test_writers
 * rewrites tests/golden/, and the diff goes into review.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "slurp.h"

#include "report/writers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GOLDEN LP_SOURCE_DIR "/tests/golden/"
#define HOSTILE "./we\"ird|<b>*\x1b[31m\\\xc3\xa9\xff$.so"

static const enum lp_verdict rows[][5] = {
    /* syscall, api, libuv, libev, libevent */
    {LP_VERDICT_OK, LP_VERDICT_HIDDEN, LP_VERDICT_OK, LP_VERDICT_OK, LP_VERDICT_HIDDEN}, /* epoll */
    {LP_VERDICT_OK, LP_VERDICT_DEGRADED, LP_VERDICT_NA, LP_VERDICT_OK, LP_VERDICT_OK},   /* poll */
    {LP_VERDICT_OK, LP_VERDICT_CRASHED, LP_VERDICT_NA, LP_VERDICT_OK,
     LP_VERDICT_TIMEOUT}, /* select */
    {LP_VERDICT_BLOCKED, LP_VERDICT_BLOCKED, LP_VERDICT_NA, LP_VERDICT_SKIPPED, LP_VERDICT_NA},
    {LP_VERDICT_MISSING, LP_VERDICT_NA, LP_VERDICT_NA, LP_VERDICT_MISSING, LP_VERDICT_NA},
    {LP_VERDICT_NA, LP_VERDICT_EMULATED, LP_VERDICT_NA, LP_VERDICT_NA,
     LP_VERDICT_FAILED}, /* kqueue */
};

static void host(struct lp_host *h)
{
  h->os = lp_strdup("linux");
  h->kernel = lp_strdup("6.1.0-test");
  h->arch = lp_strdup("x86_64");
  h->libc = lp_strdup("glibc 2.36");
  h->seccomp_mode = 2;
  h->seccomp_filters = 1;
  h->tracer_pid = 0;
  h->io_uring_disabled = -1;
  h->virt = lp_strdup("docker");
  lp_strv_add(&h->virt_evidence, "/.dockerenv exists");
  lp_strv_add(&h->preload, "./libwrap.so");
  lp_strv_add(&h->preload, HOSTILE);
  h->env = calloc(2, sizeof(*h->env));
  h->nenv = 2;
  h->env[0].name = lp_strdup("EVENT_NO_API_KEY");
  h->env[0].value = lp_strdup("<redacted>");
  h->env[1].name = lp_strdup("LD_PRELOAD");
  h->env[1].value = lp_strdup("./libwrap.so " HOSTILE);
}

static void cells(struct lp_report *r)
{
  int m, l;

  for (m = 0; m < LP_MECH_COUNT; m++)
    for (l = 0; l < LP_LAYER_PYTHON; l++) {
      enum lp_verdict v = m < 6 ? rows[m][l] : LP_VERDICT_NA;
      struct lp_cell *c = lp_report_add_cell(r, (enum lp_mechanism)m, (enum lp_layer)l, v,
                                             v == LP_VERDICT_NA ? "not a mechanism of this platform"
                                                                : "round trip on pipes");
      assert_non_null(c);
      c->elapsed_us = v == LP_VERDICT_NA ? -1 : 1000 + m * 10 + l;
    }
  free(r->cells[1].detail);
  r->cells[1].detail = lp_strdup("epoll_wait() failed with EIO (errno 5)");
  r->cells[1].err_name = lp_strdup("EIO");
  r->cells[1].provider = lp_strdup(HOSTILE);
  r->cells[11].signal_name = lp_strdup("SIGSEGV");
}

static void findings(struct lp_report *r)
{
  struct lp_finding *f;

  f = lp_report_add_finding(r, LP_SEVERITY_ERROR, LP_FINDING_HIDDEN_BY_WRAPPER, LP_MECH_EPOLL,
                            LP_LAYER_API,
                            "epoll works at the syscall layer, but through the api layer "
                            "epoll_wait() (served by " HOSTILE ") fails with EIO.",
                            "Remove the wrapper from LD_PRELOAD.");
  lp_strv_add(&f->cells, "epoll@api");
  lp_strv_add(&f->evidence, "epoll_wait() is served by " HOSTILE " instead of /lib/libc.so.6");
  lp_strv_add(&f->evidence, "a line\nwith a break and a | pipe and <html> & `code`");
  f = lp_report_add_finding(r, LP_SEVERITY_ERROR, LP_FINDING_BLOCKED_BY_SECCOMP, LP_MECH_IO_URING,
                            LP_LAYER_SYSCALL,
                            "io_uring at syscall is refused by a seccomp filter: "
                            "io_uring_setup() fails with EPERM.",
                            "Allow the system call in the seccomp profile.");
  lp_strv_add(&f->cells, "io_uring@syscall");
  lp_strv_add(&f->cells, "io_uring@api");
  lp_strv_add(&f->evidence, "seccomp mode 2 with 1 filter(s) (/proc/self/status)");
  f = lp_report_add_finding(r, LP_SEVERITY_WARNING, LP_FINDING_MISSING_IN_KERNEL, LP_MECH_LINUXAIO,
                            LP_LAYER_SYSCALL,
                            "linuxaio at syscall is not available here: io_submit() fails with "
                            "EINVAL.",
                            "Use a kernel that provides the mechanism, or rely on one the matrix "
                            "shows as ok.");
  lp_strv_add(&f->cells, "linuxaio@syscall");
  f = lp_report_add_finding(r, LP_SEVERITY_INFO, LP_FINDING_NOT_BUILT, -1, -1,
                            "Some cells of native mechanisms are not built in: built without "
                            "libev (install libev-dev and rebuild).",
                            "Install the missing development package and rebuild loopprobe.");
  lp_strv_add(&f->cells, "io_uring@libev");
}

static struct lp_report *sample(void)
{
  struct lp_report *r = lp_report_new();
  struct lp_library *lib;

  assert_non_null(r);
  lp_strlcpy(r->generated_at, "2026-11-22T10:00:00Z", sizeof(r->generated_at));
  host(&r->host);
  r->layers = ((1u << LP_LAYER_COUNT) - 1u) & ~(1u << LP_LAYER_PYTHON);
  cells(r);
  findings(r);
  lib = lp_report_add_library(r, "libuv");
  lib->compiled = lp_strdup("1.44.2");
  lib->runtime = lp_strdup("1.44.2");
  lib->default_mechanism = lp_strdup("epoll");
  lp_report_settle(r);
  return r;
}

static void against_golden(enum lp_format fmt, unsigned flags, const char *name)
{
  struct lp_report *r = sample();
  char path[512], *got = lp_report_format(r, fmt, flags, NULL), *want = NULL;

  assert_non_null(got);
  snprintf(path, sizeof(path), GOLDEN "%s", name);
  if (getenv("LP_UPDATE_GOLDEN"))
    assert_int_equal(spill(path, got), 0);
  want = slurp(path);
  if (!want)
    fail_msg("cannot read %s (LP_UPDATE_GOLDEN=1 creates it)", path);
  if (strcmp(got, want) != 0)
    fail_msg("%s differs from the writer's output:\n%s", name, got);
  free(want);
  lp_free(got);
  lp_report_free(r);
}

static void test_text(void **state)
{
  (void)state;
  against_golden(LP_FORMAT_TEXT, 0, "report.txt");
}

static void test_text_color(void **state)
{
  (void)state;
  against_golden(LP_FORMAT_TEXT, LP_WRITE_COLOR, "report.color.txt");
}

static void test_json(void **state)
{
  (void)state;
  against_golden(LP_FORMAT_JSON, 0, "report.json");
}

static void test_markdown(void **state)
{
  (void)state;
  against_golden(LP_FORMAT_MARKDOWN, 0, "report.md");
}

static void test_text_fits_100_columns(void **state)
{
  struct lp_report *r = sample();
  char *text = lp_report_format(r, LP_FORMAT_TEXT, 0, NULL), *line = NULL, *save = NULL;

  (void)state;
  assert_non_null(text);
  for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
    if (strlen(line) > 100 && !strstr(line, "we\"ird"))
      fail_msg("wider than 100 columns: %s", line);
  lp_free(text);
  lp_report_free(r);
}

static void test_verdict_line(void **state)
{
  struct lp_report *r = sample();
  struct lp_buf b;

  (void)state;
  lp_buf_init(&b);
  lp_verdict_line(r, &b);
  assert_string_equal(b.data, "problems (exit 1): epoll@api hidden, io_uring@syscall blocked, "
                              "io_uring@api blocked; 8 ok, 1 degraded, 2 hidden, 2 blocked, "
                              "1 emulated, 2 missing, 30 na, 1 failed, 1 timeout, 1 crashed, "
                              "1 skipped; 1 warning");
  lp_buf_free(&b);
  lp_report_free(r);
}

/* A finding's cell names come from the embedding API as any bytes: the
   first one, printed in the finding's title line, is escaped like the rest
   (an OSC sequence would retitle the terminal). */
static void test_text_cell_names_escaped(void **state)
{
  struct lp_report *r = sample();
  int i = lp_report_add_finding_for(r, LP_SEVERITY_ERROR, LP_FINDING_PROBE_FAILED, LP_MECH_EPOLL,
                                    LP_LAYER_PYTHON, "a probe failed", "look");
  char *text = NULL;

  (void)state;
  assert_true(i >= 0);
  assert_int_equal(lp_report_finding_add_cell(r, (size_t)i,
                                              "\x1b]0;owned\x07"
                                              "epoll@\xff"
                                              "python"),
                   0);
  assert_int_equal(lp_report_finding_add_cell(r, (size_t)i, "\x1b[2Jpoll@python"), 0);
  text = lp_report_format(r, LP_FORMAT_TEXT, 0, NULL);
  assert_non_null(text);
  assert_null(strchr(text, '\x1b'));
  assert_null(strchr(text, '\x07'));
  assert_non_null(strstr(text, "probe-failed: \\x1b]0;owned\\x07epoll@\\xffpython and 1 more"));
  lp_free(text);
  lp_report_free(r);
}

/* The time stamp is a string like the others: the fuzz target put HTML and
   an escape sequence in it, and Markdown printed them raw. */
static void test_markdown_time_escaped(void **state)
{
  struct lp_report *r = sample();
  char *md = NULL;

  (void)state;
  lp_strlcpy(r->generated_at, "<b>\x1b[31m|x", sizeof(r->generated_at));
  md = lp_report_format(r, LP_FORMAT_MARKDOWN, 0, NULL);
  assert_non_null(md);
  assert_null(strchr(md, '\x1b'));
  assert_null(strstr(md, "<b>"));
  assert_non_null(strstr(md, "generated &lt;b&gt;&#9243;\\[31m\\|x</sub>"));
  lp_free(md);
  lp_report_free(r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_text),
      cmocka_unit_test(test_text_color),
      cmocka_unit_test(test_json),
      cmocka_unit_test(test_markdown),
      cmocka_unit_test(test_text_fits_100_columns),
      cmocka_unit_test(test_verdict_line),
      cmocka_unit_test(test_text_cell_names_escaped),
      cmocka_unit_test(test_markdown_time_escaped),
  };
  return cmocka_run_group_tests_name("writers", tests, NULL, NULL);
}
