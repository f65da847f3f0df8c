/* SPDX-License-Identifier: MIT */
/*
 * fuzz_writers.c - the three writers on a report whose every string is
 * fuzz bytes (gen_report.c), with the text width, the Markdown size cap
 * and the flags from the input too.
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

#include "report/writers.h"

#include <stdlib.h>
#include <string.h>

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
  struct lp_report *r = NULL;
  char *json = NULL, *text = NULL, *color = NULL, *md = NULL, *stripped = NULL;
  size_t jn = 0, tn = 0, cn = 0, mn = 0, max_size;
  unsigned width, flags;

  fz_self_test();
  fz_begin(&f, data, size);
  r = fz_report(&f);
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
