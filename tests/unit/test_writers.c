/* SPDX-License-Identifier: MIT */
/*
 * test_writers.c - every writer against its golden file, on a fixed report
 * that holds one of each verdict and hostile bytes in its strings: text at
 * 80 and 120 columns, in colour, with every row, the summary line, JSON,
 * Markdown whole and cut to a size cap.  Then the rules the golden files
 * only show: widths, the unwrapped verdict line, the rows of na, the size
 * cap on a huge environment, the command line's quoting and redaction.
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
  h->name = lp_strdup("web-07");
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

/* A command line with a secret option value, a secret NAME=VALUE, a
   quote and hostile bytes. */
static const char *const sample_argv[] = {
    "loopprobe",        "--format", "json",   "--api-token", "hunter2", "PGPASSWORD=s3cret",
    "--secret-key=abc", "it's",     "--only", "epoll@api",   HOSTILE,
};

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
  lib = lp_report_add_library(r, "liburing");
  lib->compiled = lp_strdup("2.3");
  lib->soname = lp_strdup("liburing.so.2");
  lib->absence = lp_strdup("liburing.so.2 is not installed");
  lib = lp_report_add_library(r, "libuv");
  lib->compiled = lp_strdup("1.44.2");
  lib->runtime = lp_strdup("1.44.2");
  lib->default_mechanism = lp_strdup("epoll");
  lib->soname = lp_strdup("libuv.so.1");
  lib->path = lp_strdup("/opt/app/lib/libuv.so.1");
  lib->given = 1;
  assert_int_equal(lp_report_set_command_line(r, (int)LP_ARRAY_LEN(sample_argv), sample_argv), 0);
  lp_report_settle(r);
  return r;
}

static void against_golden(enum lp_format fmt, unsigned flags, unsigned width, size_t max_size,
                           const char *name)
{
  struct lp_report *r = sample();
  char path[512], *want = NULL;
  char *got = lp_report_format_sized(r, fmt, flags, width, max_size, NULL);

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

/* Every golden file and what makes it. */
static const struct golden {
  enum lp_format fmt;
  unsigned flags, width;
  size_t max_size;
  const char *name;
} goldens[] = {
    {LP_FORMAT_TEXT, 0, 80, 0, "report.txt"},
    {LP_FORMAT_TEXT, 0, 120, 0, "report.120.txt"},
    {LP_FORMAT_TEXT, LP_WRITE_COLOR, 80, 0, "report.color.txt"},
    {LP_FORMAT_TEXT, LP_WRITE_ALL, 80, 0, "report.all.txt"},
    /* the summary line has no colour; JSON has no width, no cap */
    {LP_FORMAT_SUMMARY, LP_WRITE_COLOR, 80, 0, "report.summary.txt"},
    {LP_FORMAT_JSON, LP_WRITE_COLOR, 80, 100, "report.json"},
    {LP_FORMAT_MARKDOWN, 0, 0, LP_MARKDOWN_MAX_SIZE, "report.md"},
    {LP_FORMAT_MARKDOWN, LP_WRITE_ALL, 0, 0, "report.all.md"},
    {LP_FORMAT_MARKDOWN, 0, 0, 3760, "report.capped.md"},
};

static void test_golden(void **state)
{
  size_t i;

  (void)state;
  for (i = 0; i < LP_ARRAY_LEN(goldens); i++)
    against_golden(goldens[i].fmt, goldens[i].flags, goldens[i].width, goldens[i].max_size,
                   goldens[i].name);
}

/* The lines of text, split in place. */
static size_t lines_of(char *text, char **lines, size_t max)
{
  size_t n = 0;
  char *save = NULL, *line = NULL;

  for (line = strtok_r(text, "\n", &save); line && n < max; line = strtok_r(NULL, "\n", &save))
    lines[n++] = line;
  return n;
}

/* Columns of a line of escaped text, or characters of a report: one per
   code point. */
static size_t columns(const char *s)
{
  size_t c = 0;

  for (; *s; s++)
    c += ((unsigned char)*s & 0xc0) != 0x80;
  return c;
}

/* Every line fits width, but the verdict (the last line, whole) and a line
   that is one hostile word too long to break. */
static void fits(unsigned width)
{
  struct lp_report *r = sample();
  char *text = lp_report_format_sized(r, LP_FORMAT_TEXT, 0, width, 0, NULL), *lines[200];
  size_t n, i;

  assert_non_null(text);
  n = lines_of(text, lines, 200);
  assert_true(n > 20);
  for (i = 0; i + 1 < n; i++)
    if (columns(lines[i]) > width && !strstr(lines[i], "we\"ird"))
      fail_msg("wider than %u columns: %s", width, lines[i]);
  assert_string_equal(lines[n - 1],
                      "verdict: problems (exit 1): epoll@api hidden, io_uring@syscall blocked, "
                      "io_uring@api blocked; 8 ok, 1 degraded, 2 hidden, 2 blocked, 1 emulated, "
                      "2 missing, 30 na, 1 failed, 1 timeout, 1 crashed, 1 skipped; 1 warning");
  lp_free(text);
  lp_report_free(r);
}

static void test_text_fits_80_columns(void **state)
{
  (void)state;
  fits(80);
}

static void test_text_fits_120_columns(void **state)
{
  (void)state;
  fits(120);
}

/* Never narrower than the matrix (10 + 5 layers of 10 columns); 0 is 80;
   lp_report_format() is the sized call with width 0 and no cap. */
static void test_text_width_floor(void **state)
{
  struct lp_report *r = sample();
  char *narrow = lp_report_format_sized(r, LP_FORMAT_TEXT, 0, 1, 0, NULL);
  char *matrix = lp_report_format_sized(r, LP_FORMAT_TEXT, 0, 60, 0, NULL);
  char *wide = lp_report_format_sized(r, LP_FORMAT_TEXT, 0, 80, 0, NULL);
  char *dflt = lp_report_format_sized(r, LP_FORMAT_TEXT, 0, 0, 0, NULL);
  char *plain = lp_report_format(r, LP_FORMAT_TEXT, 0, NULL);

  (void)state;
  assert_non_null(narrow);
  assert_non_null(matrix);
  assert_string_equal(narrow, matrix);
  assert_string_equal(dflt, wide);
  assert_string_equal(plain, wide);
  assert_string_not_equal(matrix, wide);
  assert_null(lp_report_format(r, (enum lp_format)99, 0, NULL));
  lp_free(narrow);
  lp_free(matrix);
  lp_free(wide);
  lp_free(dflt);
  lp_free(plain);
  lp_report_free(r);
}

/* Rows of na: left out of text and Markdown with a line naming them,
   shown with LP_WRITE_ALL, always in JSON. */
static void test_na_rows(void **state)
{
  struct lp_report *r = sample();
  char *text = lp_report_format(r, LP_FORMAT_TEXT, 0, NULL);
  char *all = lp_report_format(r, LP_FORMAT_TEXT, LP_WRITE_ALL, NULL);
  char *md = lp_report_format(r, LP_FORMAT_MARKDOWN, 0, NULL);
  char *json = lp_report_format(r, LP_FORMAT_JSON, 0, NULL);
  const char *p = NULL;
  size_t n = 0;

  (void)state;
  assert_non_null(strstr(text, "\nkqueue    na        emulated"));
  assert_null(strstr(text, "\niocp "));
  assert_non_null(strstr(text, "\n4 rows of na left out: iocp, wsapoll, evport, devpoll (--all "
                               "shows them)\n"));
  assert_non_null(strstr(all, "\ndevpoll   na        na"));
  assert_null(strstr(all, "left out"));
  assert_null(strstr(md, "| iocp |"));
  assert_non_null(strstr(md, "4 rows of `na` left out: iocp, wsapoll, evport, devpoll (`--all` "
                             "shows them)."));
  for (p = json; (p = strstr(p, "\"mechanism\": \"devpoll\"")) != NULL; p++)
    n++;
  assert_int_equal(n, 5);
  lp_free(text);
  lp_free(all);
  lp_free(md);
  lp_free(json);
  lp_report_free(r);
}

/* Markdown: error cells and warning cells read differently; the summary
   paragraph comes first. */
static void test_markdown_marks(void **state)
{
  struct lp_report *r = sample();
  char *md = lp_report_format(r, LP_FORMAT_MARKDOWN, 0, NULL);

  (void)state;
  assert_non_null(strstr(md, "| epoll | ok | **hidden (error)** | ok | ok | hidden |"));
  assert_non_null(strstr(md, "| linuxaio | *missing (warning)* | na | na | missing | na |"));
  assert_non_null(strstr(md, "| io\\_uring | **blocked (error)** | **blocked (error)** |"));
  assert_true(strncmp(md, "### loopprobe report\n\n**Verdict: problems (exit 1): epoll@api hidden",
                      62) == 0);
  lp_free(md);
  lp_report_free(r);
}

/* A 111 kB LD_LIBRARY_PATH and 3000 lines of evidence: the Markdown report
   fits 60,000 characters, says what was cut, and keeps the verdict, every
   row and every finding's summary; the JSON report keeps everything. */
static void test_markdown_size_cap(void **state)
{
  struct lp_report *r = sample();
  struct lp_buf big;
  struct lp_finding *f = &r->findings[0];
  char *md = NULL, *json = NULL, *uncapped = NULL;
  size_t i;

  (void)state;
  lp_buf_init(&big);
  for (i = 0; i < 2600; i++)
    lp_buf_printf(&big, "%s/nonexistent/library/directory/number%05u", i ? ":" : "", (unsigned)i);
  assert_true(big.len > 111000);
  free(r->host.env[1].value);
  r->host.env[1].value = lp_buf_take(&big, NULL);
  for (i = 0; i < 3000; i++)
    assert_int_equal(
        lp_strv_addf(&f->evidence, "evidence line %u, padded to be long enough", (unsigned)i), 0);
  uncapped = lp_report_format_sized(r, LP_FORMAT_MARKDOWN, 0, 0, 0, NULL);
  md = lp_report_format_sized(r, LP_FORMAT_MARKDOWN, 0, 0, LP_MARKDOWN_MAX_SIZE, NULL);
  json = lp_report_format(r, LP_FORMAT_JSON, 0, NULL);
  assert_true(columns(uncapped) > 200000); /* characters */
  assert_true(columns(md) <= LP_MARKDOWN_MAX_SIZE);
  assert_non_null(strstr(md, "> **Shortened to fit 60000 characters** (`--max-size`): "));
  assert_non_null(strstr(md, "`loopprobe --format json` has everything."));
  assert_non_null(strstr(md, "**Verdict: problems (exit 1): epoll@api hidden, io\\_uring@syscall"));
  assert_non_null(strstr(md, "| kqueue | na | emulated | na | na | failed |"));
  assert_non_null(strstr(md, "(served by ./we\"ird\\|&lt;b&gt;"));
  assert_non_null(strstr(md, "io\\_uring at syscall is refused by a seccomp filter: "
                             "io\\_uring\\_setup() fails with EPERM."));
  assert_non_null(strstr(md, "linuxaio at syscall is not available here"));
  assert_non_null(strstr(md, "more lines of evidence cut"));
  assert_non_null(strstr(json, "number02599\""));
  assert_non_null(strstr(json, "evidence line 2999, padded"));
  lp_free(uncapped);
  lp_free(md);
  lp_free(json);
  lp_report_free(r);
}

/* A cap smaller than the summary, matrix and findings: they stay whole, and
   the note says they alone are longer. */
static void test_markdown_cap_too_small(void **state)
{
  struct lp_report *r = sample();
  char *md = lp_report_format_sized(r, LP_FORMAT_MARKDOWN, 0, 0, 100, NULL);

  (void)state;
  assert_non_null(strstr(md, " They alone are longer than that."));
  assert_null(strstr(md, "| devpoll |"));
  assert_non_null(strstr(md, "| kqueue | na | emulated | na | na | failed |"));
  assert_non_null(strstr(md, "Some cells of native mechanisms are not built in"));
  lp_free(md);
  lp_report_free(r);
}

/* How a command line is quoted and what is redacted. */
static void test_command_line(void **state)
{
  static const struct {
    const char *argv[4];
    const char *want;
  } cases[] = {
      {{"loopprobe", "--format", "json", NULL}, "loopprobe --format json"},
      {{"a b", "it's", "", NULL}, "'a b' 'it'\\''s' ''"},
      {{"srv", "--api-key", "hunter2", NULL}, "srv --api-key '<redacted>'"},
      {{"srv", "--api-key=hunter2", "x", NULL}, "srv '--api-key=<redacted>' x"},
      {{"env", "PGPASSWORD=s3cret", "srv", NULL}, "env 'PGPASSWORD=<redacted>' srv"},
      {{"srv", "--token", "--verbose", NULL}, "srv --token --verbose"},
      {{"srv", "--only", "KEY", NULL}, "srv --only KEY"},
      {{"srv", "a/b=TOKEN", "x=y", NULL}, "srv a/b=TOKEN x=y"},
  };
  struct lp_report *r = lp_report_new();
  size_t i;
  int n;

  (void)state;
  assert_null(lp_report_command_line(r));
  for (i = 0; i < LP_ARRAY_LEN(cases); i++) {
    for (n = 0; cases[i].argv[n]; n++)
      ;
    assert_int_equal(lp_report_set_command_line(r, n, cases[i].argv), 0);
    assert_string_equal(lp_report_command_line(r), cases[i].want);
  }
  assert_int_equal(lp_report_set_command_line(r, 0, NULL), 0);
  assert_null(lp_report_command_line(r));
  assert_int_equal(lp_report_set_command_line(NULL, 1, cases[0].argv), -1);
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

/* out holds no ESC and holds want. */
static void assert_escaped(const char *out, const char *want)
{
  assert_non_null(out);
  assert_null(strchr(out, '\x1b'));
  assert_non_null(strstr(out, want));
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
  assert_escaped(text, "probe-failed: \\x1b]0;owned\\x07epoll@\\xffpython and 1 more");
  assert_null(strchr(text, '\x07'));
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
  assert_escaped(md, "generated &lt;b&gt;&#9243;\\[31m\\|x</sub>");
  assert_null(strstr(md, "<b>"));
  lp_free(md);
  lp_report_free(r);
}

/* The verdict line's other heads: ok, and exit 3 with and without a cause
   to name. */
static void test_verdict_heads(void **state)
{
  static const struct {
    enum lp_severity sev;
    const char *want;
  } cases[] = {
      {LP_SEVERITY_ERROR, "problems (exit 3): loopprobe could not run every probe: runner-failed; "
                          "1 ok"},
      {LP_SEVERITY_INFO, "problems (exit 3): loopprobe could not run every probe; 1 ok"},
  };
  struct lp_report *r = lp_report_new();
  struct lp_buf b;
  size_t i;

  (void)state;
  r->layers = 1u << LP_LAYER_API;
  assert_non_null(lp_report_add_cell(r, LP_MECH_EPOLL, LP_LAYER_API, LP_VERDICT_OK, "round trip"));
  lp_report_settle(r);
  lp_buf_init(&b);
  lp_verdict_line(r, &b);
  assert_string_equal(b.data, "ok (exit 0): 1 ok");
  lp_buf_free(&b);
  for (i = 0; i < LP_ARRAY_LEN(cases); i++) {
    r->nfindings = 0;
    assert_non_null(lp_report_add_finding(r, cases[i].sev, LP_FINDING_RUNNER_FAILED, -1, -1,
                                          "fork() failed with EAGAIN.", "Raise the limits."));
    lp_report_settle(r);
    lp_buf_init(&b);
    lp_verdict_line(r, &b);
    assert_string_equal(b.data, cases[i].want);
    lp_buf_free(&b);
    free(r->findings[0].summary);
    free(r->findings[0].hint);
  }
  r->nfindings = 0;
  lp_report_free(r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_golden),
      cmocka_unit_test(test_text_fits_80_columns),
      cmocka_unit_test(test_text_fits_120_columns),
      cmocka_unit_test(test_text_width_floor),
      cmocka_unit_test(test_na_rows),
      cmocka_unit_test(test_markdown_marks),
      cmocka_unit_test(test_markdown_size_cap),
      cmocka_unit_test(test_markdown_cap_too_small),
      cmocka_unit_test(test_command_line),
      cmocka_unit_test(test_verdict_line),
      cmocka_unit_test(test_text_cell_names_escaped),
      cmocka_unit_test(test_markdown_time_escaped),
      cmocka_unit_test(test_verdict_heads),
  };
  return cmocka_run_group_tests_name("writers", tests, NULL, NULL);
}
