/* SPDX-License-Identifier: MIT */
/*
 * fuzz.c - reading fuzz input, failing, and the UTF-8 reference every
 * target checks output with (see fuzz.h).
 */
#include "fuzz.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fz_begin(struct fz *f, const uint8_t *data, size_t size)
{
  memset(f, 0, sizeof(*f));
  f->p = data;
  f->n = size;
}

void fz_end(struct fz *f)
{
  size_t i;

  for (i = 0; i < f->nowned; i++)
    free(f->owned[i]);
  f->nowned = 0;
}

static char *own(struct fz *f, char *s)
{
  if (!s || f->nowned == FZ_MAX_STRINGS)
    fz_fail(NULL, 0, "out of memory or of string slots");
  f->owned[f->nowned++] = s;
  return s;
}

char *fz_str(struct fz *f)
{
  const uint8_t *nul = f->n ? memchr(f->p, 0, f->n) : NULL;
  size_t len = nul ? (size_t)(nul - f->p) : f->n;
  char *s = own(f, malloc(len + 1));

  if (len)
    memcpy(s, f->p, len);
  s[len] = '\0';
  f->p += len + (nul != NULL);
  f->n -= len + (nul != NULL);
  return s;
}

unsigned fz_u8(struct fz *f)
{
  if (!f->n)
    return 0;
  f->n--;
  return f->p[f->n];
}

uint32_t fz_u32(struct fz *f)
{
  uint32_t v = 0;
  int i;

  for (i = 0; i < 4; i++)
    v = (v << 8) | fz_u8(f);
  return v;
}

uint64_t fz_u64(struct fz *f)
{
  return ((uint64_t)fz_u32(f) << 32) | fz_u32(f);
}

int fz_done(const struct fz *f)
{
  return f->n == 0;
}

void fz_fail(const char *text, size_t len, const char *fmt, ...)
{
  va_list ap;
  size_t i;

  fputs("fuzz property broken: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  if (text) {
    fputs("--- in this text (bytes outside printable ASCII as \\xNN) ---\n", stderr);
    for (i = 0; i < len && i < 8192; i++) {
      unsigned char c = (unsigned char)text[i];
      if (c == '\n' || (c >= 0x20 && c < 0x7f))
        fputc(c, stderr);
      else
        fprintf(stderr, "\\x%02x", c);
    }
    fputs("\n---\n", stderr);
  }
  abort();
}

/* Unicode 15, table 3-7: the first byte gives the length and the range of
   the second byte; the others are 80..BF. */
size_t fz_utf8(const uint8_t *s, size_t n, uint32_t *cp)
{
  uint8_t lo = 0x80, hi = 0xbf;
  size_t len, i;
  uint32_t c;

  if (n == 0)
    return 0;
  if (s[0] <= 0x7f) {
    *cp = s[0];
    return 1;
  }
  if (s[0] >= 0xc2 && s[0] <= 0xdf)
    len = 2, c = s[0] & 0x1f;
  else if (s[0] >= 0xe0 && s[0] <= 0xef)
    len = 3, c = s[0] & 0x0f, lo = s[0] == 0xe0 ? 0xa0 : 0x80, hi = s[0] == 0xed ? 0x9f : 0xbf;
  else if (s[0] >= 0xf0 && s[0] <= 0xf4)
    len = 4, c = s[0] & 0x07, lo = s[0] == 0xf0 ? 0x90 : 0x80, hi = s[0] == 0xf4 ? 0x8f : 0xbf;
  else
    return 0;
  if (n < len || s[1] < lo || s[1] > hi)
    return 0;
  for (i = 1; i < len; i++) {
    if (s[i] < 0x80 || s[i] > 0xbf)
      return 0;
    c = (c << 6) | (s[i] & 0x3f);
  }
  *cp = c;
  return len;
}

int fz_utf8_valid(const char *s, size_t n)
{
  const uint8_t *p = (const uint8_t *)s;
  uint32_t cp;

  while (n) {
    size_t k = fz_utf8(p, n, &cp);
    if (!k)
      return 0;
    p += k;
    n -= k;
  }
  return 1;
}

char *fz_utf8_replaced(const char *s, size_t *len)
{
  const uint8_t *p = (const uint8_t *)s;
  size_t n = strlen(s), o = 0;
  char *out = malloc(3 * n + 1);

  if (!out)
    abort();
  while (n) {
    uint32_t cp;
    size_t k = fz_utf8(p, n, &cp);
    if (k) {
      memcpy(out + o, p, k);
      o += k;
    } else {
      memcpy(out + o, "\xef\xbf\xbd", 3);
      o += 3;
      k = 1;
    }
    p += k;
    n -= k;
  }
  out[o] = '\0';
  if (len)
    *len = o;
  return out;
}

static char up(char c)
{
  return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

int fz_has_nocase(const char *s, const char *needle)
{
  size_t n = strlen(needle), i;

  for (; *s; s++) {
    for (i = 0; i < n && s[i] && up(s[i]) == up(needle[i]); i++)
      ;
    if (i == n)
      return 1;
  }
  return 0;
}
