/* SPDX-License-Identifier: MIT */
/*
 * util.c - string buffer, string vector, bounded formatting.
 */
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lp_buf_init(struct lp_buf *b)
{
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  b->failed = 0;
}

void lp_buf_free(struct lp_buf *b)
{
  free(b->data);
  lp_buf_init(b);
}

static int buf_reserve(struct lp_buf *b, size_t extra)
{
  size_t want = b->len + extra + 1;
  size_t cap = b->cap ? b->cap : 256;
  char *p = NULL;

  if (b->failed)
    return -1;
  if (want <= b->cap)
    return 0;
  while (cap < want)
    cap *= 2;
  p = realloc(b->data, cap);
  if (!p) {
    b->failed = 1;
    return -1;
  }
  b->data = p;
  b->cap = cap;
  return 0;
}

void lp_buf_putn(struct lp_buf *b, const char *s, size_t n)
{
  if (buf_reserve(b, n) < 0)
    return;
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void lp_buf_puts(struct lp_buf *b, const char *s)
{
  lp_buf_putn(b, s, strlen(s));
}

void lp_buf_putc(struct lp_buf *b, char c)
{
  lp_buf_putn(b, &c, 1);
}

void lp_buf_repeat(struct lp_buf *b, char c, size_t n)
{
  if (buf_reserve(b, n) < 0)
    return;
  memset(b->data + b->len, c, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void lp_buf_quote(struct lp_buf *b, const char *s, size_t n, size_t max)
{
  size_t i;

  lp_buf_putc(b, '\'');
  for (i = 0; i < n && i < max; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'')
      lp_buf_putc(b, (char)c);
    else
      lp_buf_printf(b, "\\x%02x", c);
  }
  if (n > max)
    lp_buf_puts(b, "...");
  lp_buf_putc(b, '\'');
}

void lp_buf_vprintf(struct lp_buf *b, const char *fmt, va_list ap)
{
  va_list ap2;
  int n;

  va_copy(ap2, ap);
  n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0) {
    b->failed = 1;
    return;
  }
  if (buf_reserve(b, (size_t)n) < 0)
    return;
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
}

void lp_buf_printf(struct lp_buf *b, const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  lp_buf_vprintf(b, fmt, ap);
  va_end(ap);
}

char *lp_buf_take(struct lp_buf *b, size_t *len)
{
  char *out = NULL;

  if (buf_reserve(b, 0) < 0) {
    lp_buf_free(b);
    return NULL;
  }
  b->data[b->len] = '\0';
  out = b->data;
  if (len)
    *len = b->len;
  lp_buf_init(b);
  return out;
}

int lp_buf_failed(const struct lp_buf *b)
{
  return b->failed;
}

int lp_strv_add(struct lp_strv *sv, const char *s)
{
  char **v = NULL;
  char *copy = lp_strdup(s ? s : "");

  if (!copy)
    return -1;
  v = realloc(sv->v, (sv->n + 1) * sizeof(*v));
  if (!v) {
    free(copy);
    return -1;
  }
  v[sv->n++] = copy;
  sv->v = v;
  return 0;
}

int lp_strv_addf(struct lp_strv *sv, const char *fmt, ...)
{
  struct lp_buf b;
  va_list ap;
  int rc;

  lp_buf_init(&b);
  va_start(ap, fmt);
  lp_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  rc = lp_buf_failed(&b) ? -1 : lp_strv_add(sv, b.data ? b.data : "");
  lp_buf_free(&b);
  return rc;
}

int lp_strv_copy(struct lp_strv *dst, const struct lp_strv *src)
{
  size_t i;

  for (i = 0; i < src->n; i++)
    if (lp_strv_add(dst, src->v[i]) < 0)
      return -1;
  return 0;
}

int lp_strv_has(const struct lp_strv *sv, const char *s)
{
  size_t i;

  for (i = 0; i < sv->n; i++)
    if (strcmp(sv->v[i], s) == 0)
      return 1;
  return 0;
}

void lp_strv_free(struct lp_strv *sv)
{
  size_t i;

  for (i = 0; i < sv->n; i++)
    free(sv->v[i]);
  free(sv->v);
  sv->v = NULL;
  sv->n = 0;
}

void lp_fmt(char *dst, size_t size, const char *fmt, ...)
{
  va_list ap;

  if (size == 0)
    return;
  va_start(ap, fmt);
  if (vsnprintf(dst, size, fmt, ap) < 0)
    dst[0] = '\0';
  va_end(ap);
}

int lp_strdup_optional(const char *s, char **out)
{
  *out = s && *s ? lp_strdup(s) : NULL;
  return s && *s && !*out ? -1 : 0;
}

static const char *fill_value(const char *name, size_t n, const char *const (*vars)[2])
{
  size_t i;

  for (i = 0; vars[i][0]; i++)
    if (strlen(vars[i][0]) == n && strncmp(vars[i][0], name, n) == 0)
      return vars[i][1] ? vars[i][1] : "?";
  return "?";
}

void lp_fill(char *dst, size_t size, const char *tpl, const char *const (*vars)[2])
{
  struct lp_buf b;
  const char *p = tpl;

  lp_buf_init(&b);
  while (*p) {
    const char *open = strchr(p, '{'), *close = open ? strchr(open, '}') : NULL;
    if (!close) {
      lp_buf_puts(&b, p);
      break;
    }
    lp_buf_putn(&b, p, (size_t)(open - p));
    lp_buf_puts(&b, fill_value(open + 1, (size_t)(close - open - 1), vars));
    p = close + 1;
  }
  lp_strlcpy(dst, b.data ? b.data : "", size);
  lp_buf_free(&b);
}

char *lp_strdup(const char *s)
{
  size_t n;
  char *p = NULL;

  if (!s)
    return NULL;
  n = strlen(s) + 1;
  p = malloc(n);
  if (p)
    memcpy(p, s, n);
  return p;
}

void lp_strlcpy(char *dst, const char *s, size_t size)
{
  size_t n;

  if (size == 0)
    return;
  n = strlen(s);
  if (n >= size)
    n = size - 1;
  memcpy(dst, s, n);
  dst[n] = '\0';
}

size_t lp_line_copy(char *dst, const char *s, size_t size)
{
  size_t len = strlen(s), n, i;

  if (size == 0)
    return 0;
  n = len < size ? len : size - 1;
  /* s[n] continuing a sequence means the cut is inside a character */
  while (n > 0 && n < len && ((unsigned char)s[n] & 0xC0) == 0x80)
    n--;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    dst[i] = c < 0x20 || c == 0x7F ? ' ' : (char)c;
  }
  dst[n] = '\0';
  return n;
}
