/* SPDX-License-Identifier: MIT */
/*
 * fuzz_escape.c - the three escapers and the UTF-8 decoder on any bytes.
 *
 *   lp_utf8_decode  agrees with the reference decoder (fuzz.c) everywhere;
 *   lp_esc_json     a valid JSON string literal, no raw control byte, no
 *                   raw U+2028/U+2029, that decodes to the input with each
 *                   invalid byte as U+FFFD;
 *   lp_esc_text     valid UTF-8 with no C0 or C1 control and no DEL (so no
 *                   escape sequence), as many code points as lp_text_width
 *                   says, and undone exactly by reading the escapes back;
 *   lp_esc_md       valid UTF-8, no control, no '<' '>' or line break, '&'
 *                   only as an entity, every Markdown special backslashed:
 *                   "| x |" stays one table cell.
 *
 * Input: the string, up to the first NUL.
 */
#include "fuzz.h"

#include "report/escape.h"

#include <stdlib.h>
#include <string.h>

static void check_decoder(const char *s)
{
  const uint8_t *p = (const uint8_t *)s;
  size_t n = strlen(s);

  while (n) {
    unsigned long got = 0;
    uint32_t want = 0;
    size_t k = lp_utf8_decode(p, n, &got), r = fz_utf8(p, n, &want);
    FZ_CHECK(k == r && (k == 0 || got == want), s, strlen(s),
             "lp_utf8_decode gives %zu bytes (U+%04lX), the reference %zu (U+%04X)", k, got, r,
             (unsigned)want);
    p += k ? k : 1;
    n -= k ? k : 1;
  }
}

static void check_json(const char *s)
{
  struct lp_buf b;
  char *dec = NULL, *want = NULL;
  size_t dlen = 0, wlen = 0, used;

  lp_buf_init(&b);
  lp_esc_json(&b, s);
  FZ_CHECK(!lp_buf_failed(&b) && b.data, s, strlen(s), "lp_esc_json failed");
  used = fz_json_string(b.data, b.len, &dec, &dlen);
  FZ_CHECK(used == b.len, b.data, b.len, "lp_esc_json wrote no valid JSON string literal");
  FZ_CHECK(!strstr(b.data, "\xe2\x80\xa8") && !strstr(b.data, "\xe2\x80\xa9"), b.data, b.len,
           "a raw U+2028 or U+2029 (a line break to JavaScript)");
  want = fz_utf8_replaced(s, &wlen);
  FZ_CHECK(dlen == wlen && memcmp(dec, want, wlen) == 0, b.data, b.len,
           "the JSON string does not decode to the input");
  free(dec);
  free(want);
  lp_buf_free(&b);
}

static int hexval(char c)
{
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Reads lp_esc_text's escapes back: \\, \xNN, \u00NN. */
static char *unescape_text(const char *t, size_t *len)
{
  size_t n = strlen(t), i = 0, o = 0;
  char *out = malloc(n + 1);

  if (!out)
    abort();
  while (i < n) {
    if (t[i] != '\\') {
      out[o++] = t[i++];
      continue;
    }
    if (t[i + 1] == '\\') {
      out[o++] = '\\', i += 2;
    } else if (t[i + 1] == 'x' && hexval(t[i + 2]) >= 0 && hexval(t[i + 3]) >= 0) {
      out[o++] = (char)(hexval(t[i + 2]) * 16 + hexval(t[i + 3])), i += 4;
    } else if (t[i + 1] == 'u' && t[i + 2] == '0' && t[i + 3] == '0' && hexval(t[i + 4]) >= 0 &&
               hexval(t[i + 5]) >= 0) {
      unsigned c = (unsigned)(hexval(t[i + 4]) * 16 + hexval(t[i + 5]));
      out[o++] = (char)(0xc0 | (c >> 6)), out[o++] = (char)(0x80 | (c & 0x3f)), i += 6;
    } else {
      free(out);
      return NULL;
    }
  }
  out[o] = '\0';
  *len = o;
  return out;
}

static void check_text(const char *s)
{
  struct lp_buf b;
  const uint8_t *p;
  size_t n, points = 0, ulen = 0;
  char *back = NULL;

  lp_buf_init(&b);
  lp_esc_text(&b, s);
  FZ_CHECK(!lp_buf_failed(&b), s, strlen(s), "lp_esc_text failed");
  p = (const uint8_t *)(b.data ? b.data : "");
  n = b.len;
  FZ_CHECK(fz_utf8_valid((const char *)p, n), (const char *)p, n, "text: not valid UTF-8");
  while (n) {
    uint32_t cp = 0;
    size_t k = fz_utf8(p, n, &cp);
    FZ_CHECK(cp >= 0x20 && cp != 0x7f && (cp < 0x80 || cp >= 0xa0), b.data, b.len,
             "text: control character U+%04X left raw", (unsigned)cp);
    points++;
    p += k, n -= k;
  }
  FZ_CHECK(points == lp_text_width(s), b.data ? b.data : "", b.len,
           "lp_text_width says %zu columns, the escaped text has %zu code points", lp_text_width(s),
           points);
  back = unescape_text(b.data ? b.data : "", &ulen);
  FZ_CHECK(back && ulen == strlen(s) && memcmp(back, s, ulen) == 0, b.data ? b.data : "", b.len,
           "text: the escapes do not read back to the input");
  free(back);
  lp_buf_free(&b);
}

static void check_md(const char *s)
{
  struct lp_buf b;
  const char *t;
  size_t i, n;

  lp_buf_init(&b);
  lp_buf_puts(&b, "| ");
  lp_esc_md(&b, s);
  lp_buf_puts(&b, " |");
  FZ_CHECK(!lp_buf_failed(&b) && b.data, s, strlen(s), "lp_esc_md failed");
  t = b.data;
  n = b.len;
  FZ_CHECK(fz_utf8_valid(t, n), t, n, "markdown: not valid UTF-8");
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)t[i];
    uint32_t cp = 0;
    FZ_CHECK(c >= 0x20 && c != 0x7f && c != '<' && c != '>', t, n,
             "markdown: byte 0x%02x at %zu left raw", c, i);
    if (c == 0xc2 && i + 1 < n && fz_utf8((const uint8_t *)t + i, n - i, &cp) == 2)
      FZ_CHECK(cp >= 0xa0, t, n, "markdown: C1 control U+%04X left raw", (unsigned)cp);
    if (c == '&')
      FZ_CHECK(!strncmp(t + i, "&lt;", 4) || !strncmp(t + i, "&gt;", 4) ||
                   !strncmp(t + i, "&amp;", 5) || (t[i + 1] == '#' && strchr(t + i, ';')),
               t, n, "markdown: '&' at %zu starts no entity of the escaper's", i);
    if (c == '\\') {
      FZ_CHECK(i + 1 < n && strchr("\\`*_[]|~", t[i + 1]), t, n,
               "markdown: a backslash at %zu escapes nothing special", i);
      i++;
      continue;
    }
    FZ_CHECK(!strchr("`*_[]~", c) && (c != '|' || i == 0 || i == n - 1), t, n,
             "markdown: special character '%c' at %zu not escaped", c, i);
  }
  lp_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fz f;
  const char *s = NULL;

  fz_self_test();
  fz_begin(&f, data, size);
  s = fz_str(&f);
  check_decoder(s);
  check_json(s);
  check_text(s);
  check_md(s);
  fz_end(&f);
  return 0;
}
