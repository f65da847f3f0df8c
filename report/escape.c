/* SPDX-License-Identifier: MIT */
/*
 * escape.c - the three escapers and a strict UTF-8 decoder.
 */
#include "escape.h"

#include <string.h>

size_t lp_utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
  size_t len, i;
  unsigned long c;

  if (n == 0)
    return 0;
  if (s[0] < 0x80) {
    *cp = s[0];
    return 1;
  }
  if (s[0] >= 0xc2 && s[0] <= 0xdf) {
    len = 2;
    c = s[0] & 0x1fu;
  } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
    len = 3;
    c = s[0] & 0x0fu;
  } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
    len = 4;
    c = s[0] & 0x07u;
  } else
    return 0;
  if (n < len)
    return 0;
  for (i = 1; i < len; i++) {
    if ((s[i] & 0xc0) != 0x80)
      return 0;
    c = (c << 6) | (s[i] & 0x3fu);
  }
  if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) || c > 0x10ffff ||
      (c >= 0xd800 && c <= 0xdfff))
    return 0;
  *cp = c;
  return len;
}

void lp_esc_json(struct lp_buf *b, const char *s)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s);

  lp_buf_putc(b, '"');
  while (n > 0) {
    unsigned long cp = 0;
    size_t k = lp_utf8_decode(p, n, &cp);
    if (k == 0) {
      lp_buf_puts(b, "\\ufffd");
      k = 1;
    } else if (cp == '"' || cp == '\\') {
      lp_buf_putc(b, '\\');
      lp_buf_putc(b, (char)cp);
    } else if (cp == '\n')
      lp_buf_puts(b, "\\n");
    else if (cp == '\t')
      lp_buf_puts(b, "\\t");
    else if (cp == '\r')
      lp_buf_puts(b, "\\r");
    else if (cp < 0x20 || cp == 0x7f || cp == 0x2028 || cp == 0x2029)
      lp_buf_printf(b, "\\u%04lx", cp);
    else
      lp_buf_putn(b, (const char *)p, k);
    p += k;
    n -= k;
  }
  lp_buf_putc(b, '"');
}

void lp_esc_text(struct lp_buf *b, const char *s)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s);

  while (n > 0) {
    unsigned long cp = 0;
    size_t k = lp_utf8_decode(p, n, &cp);
    if (k == 0) {
      lp_buf_printf(b, "\\x%02x", p[0]);
      k = 1;
    } else if (cp == '\\')
      lp_buf_puts(b, "\\\\");
    else if (cp < 0x20 || cp == 0x7f)
      lp_buf_printf(b, "\\x%02lx", cp);
    else if (cp >= 0x80 && cp < 0xa0)
      lp_buf_printf(b, "\\u%04lx", cp);
    else
      lp_buf_putn(b, (const char *)p, k);
    p += k;
    n -= k;
  }
}

size_t lp_text_width(const char *s)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s), w = 0;

  while (n > 0) {
    unsigned long cp = 0;
    size_t k = lp_utf8_decode(p, n, &cp);
    if (k == 0) {
      w += 4;
      k = 1;
    } else if (cp == '\\')
      w += 2;
    else if (cp < 0x20 || cp == 0x7f)
      w += 4;
    else if (cp >= 0x80 && cp < 0xa0)
      w += 6;
    else
      w += 1;
    p += k;
    n -= k;
  }
  return w;
}

void lp_esc_md(struct lp_buf *b, const char *s)
{
  static const char special[] = "\\`*_[]|~";
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s);

  while (n > 0) {
    unsigned long cp = 0;
    size_t k = lp_utf8_decode(p, n, &cp);
    if (k == 0) {
      lp_buf_puts(b, "\xef\xbf\xbd");
      k = 1;
    } else if (cp == '<')
      lp_buf_puts(b, "&lt;");
    else if (cp == '>')
      lp_buf_puts(b, "&gt;");
    else if (cp == '&')
      lp_buf_puts(b, "&amp;");
    else if (cp == '\n' || cp == '\r' || cp == '\t')
      lp_buf_putc(b, ' ');
    else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
      lp_buf_printf(b, "&#%lu;", cp < 0x20 ? 0x2400ul + cp : 0xfffdul); /* control picture */
    else if (cp < 0x80 && strchr(special, (int)cp)) {
      lp_buf_putc(b, '\\');
      lp_buf_putc(b, (char)cp);
    } else
      lp_buf_putn(b, (const char *)p, k);
    p += k;
    n -= k;
  }
}
