/* SPDX-License-Identifier: MIT */
/*
 * fuzz_writers.c - the three writers on a report whose every string is
 * fuzz bytes: host facts, environment values (names as the allow-list
 * admits them), libraries, cells, findings, the
 * command line, even the time stamp; verdicts, kinds, numbers, the text
 * width, the Markdown size cap and the flags from the input too.
 *
 *   JSON      parses strictly (fuzz.h: no raw control byte in a string,
 *             valid UTF-8, no key twice);
 *   text      without colour: valid UTF-8, no control character but the
 *             line feed - so no ESC; with colour: the same once the
 *             writer's own SGR sequences (ESC [ digits m) are taken out,
 *             and then equal to the text without colour;
 *   Markdown  valid UTF-8, no control but the line feed, HTML only as the
 *             writer's own <details>, <summary> and <sub> tags, '&' only
 *             in an entity, every line starting as the writer starts its
 *             lines, every row of a table with as many cell borders as
 *             the table's header.
 */
#include "fuzz.h"

#include "probes/host.h"
#include "report/writers.h"

#include <stdlib.h>
#include <string.h>

static char *opt_str(struct fz *f)
{
  return fz_u8(f) & 1 ? lp_strdup(fz_str(f)) : NULL;
}

static void strv(struct fz *f, struct lp_strv *sv)
{
  unsigned n = fz_u8(f) % 4;

  while (n--)
    lp_strv_add(sv, fz_str(f));
}

/* An allow-listed name, as lp_env_collect() admits them: one of the exact
   list, or a family's prefix and letters, digits and '_'. */
static char *env_name(struct fz *f)
{
  const char *exact = lp_env_allowed_name(fz_u8(f) % 32), *tail = NULL;
  struct lp_buf b;

  if (exact && fz_u8(f) & 1)
    return lp_strdup(exact);
  lp_buf_init(&b);
  lp_buf_puts(&b, fz_u8(f) & 1 ? "FAKETIME" : "EVENT_NO");
  for (tail = fz_str(f); *tail; tail++)
    if ((*tail >= 'A' && *tail <= 'Z') || (*tail >= 'a' && *tail <= 'z') ||
        (*tail >= '0' && *tail <= '9') || *tail == '_')
      lp_buf_putc(&b, *tail);
  return b.data;
}

static void environment(struct fz *f, struct lp_host *h)
{
  unsigned n = fz_u8(f) % 5, i;

  h->env = calloc(n ? n : 1, sizeof(*h->env));
  if (!h->env)
    abort();
  while (n--) {
    char *name = env_name(f);
    for (i = 0; name && i < h->nenv && strcmp(h->env[i].name, name) != 0; i++)
      ;
    if (!name || !lp_env_allowed(name) || i < h->nenv) { /* the model holds each once */
      free(name);
      continue;
    }
    h->env[h->nenv].name = name;
    h->env[h->nenv].value = lp_strdup(fz_str(f));
    h->nenv++;
  }
}

static void host(struct fz *f, struct lp_host *h)
{
  h->os = opt_str(f);
  h->kernel = opt_str(f);
  h->arch = opt_str(f);
  h->libc = opt_str(f);
  h->seccomp_mode = (int)(fz_u8(f) % 5) - 1;
  h->seccomp_filters = (int)(int8_t)fz_u8(f);
  h->tracer_pid = (long)(int32_t)fz_u32(f);
  h->tracer_name = opt_str(f);
  h->io_uring_disabled = (int)(int8_t)fz_u8(f);
  strv(f, &h->preload);
  strv(f, &h->ld_so_preload);
  h->virt = opt_str(f);
  strv(f, &h->virt_evidence);
  strv(f, &h->notes);
  environment(f, h);
  h->limits.known = fz_u8(f) & 1;
  h->limits.nofile_soft = (long long)fz_u64(f);
  h->limits.nofile_hard = (long long)fz_u64(f);
  h->limits.memlock_soft = (long long)fz_u64(f);
  h->limits.epoll_max_user_watches = (long long)fz_u64(f);
  h->limits.aio_max_nr = (long long)fz_u64(f);
  h->limits.aio_nr = (long long)fz_u64(f);
  h->emulator = opt_str(f);
  h->emulator_translates = fz_u8(f) & 1;
  strv(f, &h->emulator_evidence);
  h->libc_clock_rate = (double)(int32_t)fz_u32(f) / 1000.0; /* finite, as run.c makes it */
  strv(f, &h->time_wrappers);
}

static void cells(struct fz *f, struct lp_report *r)
{
  int m, l;

  r->layers = fz_u8(f) & ((1u << LP_LAYER_COUNT) - 1u);
  for (m = 0; m < LP_MECH_COUNT; m++)
    for (l = 0; l < LP_LAYER_COUNT; l++) {
      struct lp_cell *c = NULL;
      unsigned pick = fz_u8(f);
      if (!(pick & 0x80))
        continue;
      c = lp_report_add_cell(r, (enum lp_mechanism)m, (enum lp_layer)l,
                             (enum lp_verdict)(pick % LP_VERDICT_COUNT), fz_str(f));
      if (!c)
        abort();
      c->err_name = opt_str(f);
      c->signal_name = opt_str(f);
      c->provider = opt_str(f);
      c->elapsed_us = (int64_t)fz_u64(f);
    }
}

static void findings(struct fz *f, struct lp_report *r)
{
  unsigned n = fz_u8(f) % 5;

  while (n--) {
    int mech = (int)(fz_u8(f) % (LP_MECH_COUNT + 1)) - 1;
    int layer = (int)(fz_u8(f) % (LP_LAYER_COUNT + 1)) - 1;
    struct lp_finding *fi = NULL;
    unsigned sev = fz_u8(f) % LP_SEVERITY_COUNT, kind = fz_u8(f) % LP_FINDING_COUNT;
    const char *summary = fz_str(f);
    fi = lp_report_add_finding(r, (enum lp_severity)sev, (enum lp_finding_kind)kind, mech, layer,
                               summary, fz_str(f));
    if (!fi)
      abort();
    strv(f, &fi->cells);
    strv(f, &fi->evidence);
  }
}

static void libraries(struct fz *f, struct lp_report *r)
{
  unsigned n = fz_u8(f) % 4;

  while (n--) {
    struct lp_library *lib = lp_report_add_library(r, fz_str(f));
    if (!lib)
      abort();
    lib->compiled = opt_str(f);
    lib->runtime = opt_str(f);
    lib->default_mechanism = opt_str(f);
  }
}

static void require(struct fz *f, struct lp_report *r)
{
  int m;

  r->has_require = fz_u8(f) & 1;
  for (m = 0; m < LP_MECH_COUNT && r->has_require; m++) {
    r->require.layers[m] = fz_u8(f) & ((1u << LP_LAYER_COUNT) - 1u);
    r->require.named[m] = r->require.layers[m] & fz_u8(f);
  }
}

/* The command line as lp_report_set_command_line() records it. */
static void command_line(struct fz *f, struct lp_report *r)
{
  const char *argv[5];
  int argc = (int)(fz_u8(f) % 6), i;

  for (i = 0; i < argc; i++)
    argv[i] = fz_str(f);
  if (argc && lp_report_set_command_line(r, argc, argv) != 0)
    abort();
}

static void check_json(const char *s, size_t n)
{
  char err[160];

  FZ_CHECK(fz_json_check(s, n, err, sizeof(err)) == 0, s, n, "JSON: %s", err);
}

/* Valid UTF-8 with no control character but the line feed. */
static void check_plain(const char *s, size_t n, const char *what)
{
  const uint8_t *p = (const uint8_t *)s;
  size_t left = n;

  while (left) {
    uint32_t cp = 0;
    size_t k = fz_utf8(p, left, &cp);
    FZ_CHECK(k, s, n, "%s: invalid UTF-8 at %zu", what, n - left);
    FZ_CHECK(cp == '\n' || (cp >= 0x20 && cp != 0x7f && (cp < 0x80 || cp >= 0xa0)), s, n,
             "%s: control character U+%04X at %zu", what, (unsigned)cp, n - left);
    p += k, left -= k;
  }
}

/* The coloured text without its SGR sequences; NULL when an ESC starts
   anything else. */
static char *strip_sgr(const char *s, size_t n)
{
  char *out = malloc(n + 1);
  size_t i = 0, o = 0;

  if (!out)
    abort();
  while (i < n) {
    size_t k = 2;
    if (s[i] != '\033') {
      out[o++] = s[i++];
      continue;
    }
    if (i + 1 >= n || s[i + 1] != '[')
      goto bad;
    while (i + k < n && ((s[i + k] >= '0' && s[i + k] <= '9') || s[i + k] == ';'))
      k++;
    if (i + k >= n || s[i + k] != 'm')
      goto bad;
    i += k + 1;
  }
  out[o] = '\0';
  return out;
bad:
  free(out);
  return NULL;
}

static size_t borders(const char *line, size_t n)
{
  size_t i, count = 0;

  for (i = 0; i < n; i++) {
    if (line[i] == '\\') {
      i++;
      continue;
    }
    count += line[i] == '|';
  }
  return count;
}

static int starts(const char *s, size_t n, const char *prefix)
{
  size_t k = strlen(prefix);

  return n >= k && memcmp(s, prefix, k) == 0;
}

static void check_md_line(const char *all, size_t total, const char *line, size_t n)
{
  static const char *const tags[] = {"<details>",  "</details>", "<summary>",
                                     "</summary>", "<sub>",      "</sub>"};
  static const char *const heads[] = {"### ",
                                      "#### ",
                                      "**Verdict: ",
                                      "| ",
                                      "|---",
                                      "<details>",
                                      "</details>",
                                      "- ",
                                      "  - ",
                                      "<sub>",
                                      "> **Shortened to fit ",
                                      "A cell marked **(error)**"};
  size_t i, k;
  int ok = n == 0;

  for (k = 0; k < sizeof(heads) / sizeof(heads[0]) && !ok; k++)
    ok = starts(line, n, heads[k]);
  for (k = 0; !ok && k < n && line[k] >= '0' && line[k] <= '9'; k++) /* "3 rows of `na` left out" */
    ok = starts(line + k + 1, n - k - 1, " row");
  FZ_CHECK(ok, all, total, "Markdown: a line starts as the writer never starts one: %.40s", line);
  for (i = 0; i < n; i++) {
    if (line[i] == '<') {
      for (ok = 0, k = 0; k < sizeof(tags) / sizeof(tags[0]) && !ok; k++)
        ok = starts(line + i, n - i, tags[k]);
      FZ_CHECK(ok, all, total, "Markdown: '<' opens HTML the writer did not write: %.40s",
               line + i);
    }
    if (line[i] == '&')
      FZ_CHECK(starts(line + i, n - i, "&lt;") || starts(line + i, n - i, "&gt;") ||
                   starts(line + i, n - i, "&amp;") || starts(line + i, n - i, "&#"),
               all, total, "Markdown: '&' starts no entity: %.40s", line + i);
  }
}

static void check_markdown(const char *s, size_t n)
{
  const char *line = s, *end = s + n;
  size_t header = 0; /* the cell borders of the table being read, 0 outside one */

  check_plain(s, n, "Markdown");
  while (line < end) {
    const char *nl = memchr(line, '\n', (size_t)(end - line));
    size_t len = nl ? (size_t)(nl - line) : (size_t)(end - line);
    check_md_line(s, n, line, len);
    if (len && line[0] == '|') {
      size_t b = borders(line, len);
      FZ_CHECK(line[len - 1] == '|', s, n, "Markdown: a table row does not end with '|'");
      if (!header)
        header = b;
      FZ_CHECK(b == header, s, n, "Markdown: a row has %zu cell borders, its header %zu: %.60s", b,
               header, line);
    } else
      header = 0;
    line += len + 1;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fz f;
  struct lp_report *r = lp_report_new();
  char *json = NULL, *text = NULL, *color = NULL, *md = NULL, *stripped = NULL;
  size_t jn = 0, tn = 0, cn = 0, mn = 0, max_size;
  unsigned width, flags;

  if (!r)
    abort();
  fz_self_test();
  fz_begin(&f, data, size);
  lp_strlcpy(r->generated_at, fz_str(&f), sizeof(r->generated_at));
  host(&f, &r->host);
  cells(&f, r);
  findings(&f, r);
  libraries(&f, r);
  require(&f, r);
  command_line(&f, r);
  lp_report_settle(r);
  width = fz_u8(&f) % 4 ? fz_u8(&f) : 0;
  max_size = fz_u8(&f) % 2 ? (size_t)(fz_u32(&f) % 100000) : 0;
  flags = fz_u8(&f) & LP_WRITE_ALL;
  json = lp_report_format(r, LP_FORMAT_JSON, 0, &jn);
  text = lp_report_format_sized(r, LP_FORMAT_TEXT, flags, width, 0, &tn);
  color = lp_report_format_sized(r, LP_FORMAT_TEXT, flags | LP_WRITE_COLOR, width, 0, &cn);
  md = lp_report_format_sized(r, LP_FORMAT_MARKDOWN, flags, 0, max_size, &mn);
  FZ_CHECK(json && text && color && md, NULL, 0, "a writer failed");
  check_json(json, jn);
  check_plain(text, tn, "text");
  stripped = strip_sgr(color, cn);
  FZ_CHECK(stripped, color, cn, "coloured text: an ESC that starts no SGR sequence");
  FZ_CHECK(strcmp(stripped, text) == 0, color, cn,
           "coloured text, without its colours, differs from the text without colour");
  check_markdown(md, mn);
  free(stripped);
  lp_free(json);
  lp_free(text);
  lp_free(color);
  lp_free(md);
  lp_report_free(r);
  fz_end(&f);
  return 0;
}
