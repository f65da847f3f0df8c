/* SPDX-License-Identifier: MIT */
/*
 * json_strict.c - a strict JSON parser for the fuzz targets' checks (RFC
 * 8259, plus: no key twice in one object).  It builds nothing: it walks
 * the text once and says where it first goes wrong.  Written for checking
 * loopprobe's writers, never used by them.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

struct js {
  const char *s;
  size_t n, i;
  int depth;
  char *err;
  size_t err_len;
};

static int bad(struct js *j, const char *why)
{
  if (j->err && j->err_len)
    snprintf(j->err, j->err_len, "offset %zu: %s", j->i, why);
  return -1;
}

static void blanks(struct js *j)
{
  while (j->i < j->n &&
         (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' || j->s[j->i] == '\r'))
    j->i++;
}

static int hex4(const char *s, uint32_t *v)
{
  int k;

  *v = 0;
  for (k = 0; k < 4; k++) {
    char c = s[k];
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (d < 0)
      return -1;
    *v = (*v << 4) | (uint32_t)d;
  }
  return 0;
}

static size_t put_utf8(char *o, uint32_t c)
{
  size_t len = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4, k;
  static const unsigned char lead[] = {0, 0, 0xc0, 0xe0, 0xf0};

  for (k = len - 1; k > 0; k--, c >>= 6)
    o[k] = (char)(0x80 | (c & 0x3f));
  o[0] = (char)(lead[len] | c);
  return len;
}

/* One \u escape at s (after the backslash-u), with its low surrogate. */
static size_t unicode_escape(const char *s, size_t n, uint32_t *cp)
{
  uint32_t lo;

  if (n < 4 || hex4(s, cp) < 0)
    return 0;
  if (*cp >= 0xdc00 && *cp <= 0xdfff)
    return 0; /* a low surrogate alone */
  if (*cp < 0xd800 || *cp > 0xdbff)
    return 4;
  if (n < 10 || s[4] != '\\' || s[5] != 'u' || hex4(s + 6, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
    return 0; /* a high surrogate without its low one */
  *cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
  return 10;
}

size_t fz_json_string(const char *s, size_t n, char **out, size_t *out_len)
{
  size_t i = 1, o = 0, end = 1;
  char *buf = NULL;

  if (n < 2 || s[0] != '"')
    return 0;
  while (end < n && s[end] != '"') /* the closing quote bounds the decoded length */
    end += s[end] == '\\' ? 2 : 1;
  if (!(buf = malloc(end + 1)))
    return 0;
  n = end < n ? end + 1 : n;
  while (i < n && s[i] != '"') {
    unsigned char c = (unsigned char)s[i];
    uint32_t cp;
    size_t k;
    if (c < 0x20)
      goto fail;
    if (c != '\\') {
      k = fz_utf8((const uint8_t *)s + i, n - i, &cp);
      if (!k)
        goto fail;
      memcpy(buf + o, s + i, k);
      o += k, i += k;
      continue;
    }
    if (i + 1 >= n)
      goto fail;
    c = (unsigned char)s[i + 1];
    if (c == 'u') {
      k = unicode_escape(s + i + 2, n - i - 2, &cp);
      if (!k)
        goto fail;
      o += put_utf8(buf + o, cp);
      i += 2 + k;
      continue;
    }
    if (!c || !strchr("\"\\/bfnrt", c))
      goto fail;
    buf[o++] = c == 'b'   ? '\b'
               : c == 'f' ? '\f'
               : c == 'n' ? '\n'
               : c == 'r' ? '\r'
               : c == 't' ? '\t'
                          : (char)c;
    i += 2;
  }
  if (i >= n)
    goto fail;
  buf[o] = '\0';
  *out = buf;
  *out_len = o;
  return i + 1;
fail:
  free(buf);
  return 0;
}

static int value(struct js *j);

static int string(struct js *j, char **decoded, size_t *len)
{
  char *tmp = NULL;
  size_t tlen = 0, k = fz_json_string(j->s + j->i, j->n - j->i, &tmp, &tlen);

  if (!k)
    return bad(j, "not a valid string (raw control byte, bad escape, lone surrogate, "
                  "invalid UTF-8 or no closing quote)");
  j->i += k;
  if (decoded) {
    *decoded = tmp;
    *len = tlen;
  } else
    free(tmp);
  return 0;
}

static int digits(struct js *j)
{
  size_t start = j->i;

  while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
    j->i++;
  return j->i > start ? 0 : bad(j, "digit expected");
}

static int number(struct js *j)
{
  if (j->s[j->i] == '-')
    j->i++;
  if (j->i < j->n && j->s[j->i] == '0')
    j->i++;
  else if (digits(j) < 0)
    return -1;
  if (j->i < j->n && j->s[j->i] == '.') {
    j->i++;
    if (digits(j) < 0)
      return -1;
  }
  if (j->i < j->n && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
    j->i++;
    if (j->i < j->n && (j->s[j->i] == '+' || j->s[j->i] == '-'))
      j->i++;
    if (digits(j) < 0)
      return -1;
  }
  return 0;
}

static int literal(struct js *j, const char *word)
{
  size_t n = strlen(word);

  if (j->n - j->i < n || memcmp(j->s + j->i, word, n) != 0)
    return bad(j, "unexpected character");
  j->i += n;
  return 0;
}

struct keys {
  char **v;
  size_t *len;
  size_t n;
};

static void keys_free(struct keys *k)
{
  size_t i;

  for (i = 0; i < k->n; i++)
    free(k->v[i]);
  free(k->v);
  free(k->len);
}

static int key_new(struct js *j, struct keys *k, char *key, size_t len)
{
  size_t i;

  for (i = 0; i < k->n; i++)
    if (k->len[i] == len && memcmp(k->v[i], key, len) == 0) {
      free(key);
      return bad(j, "the same key twice in one object");
    }
  k->v = realloc(k->v, (k->n + 1) * sizeof(*k->v));
  k->len = realloc(k->len, (k->n + 1) * sizeof(*k->len));
  if (!k->v || !k->len)
    fz_fail(NULL, 0, "out of memory");
  k->v[k->n] = key;
  k->len[k->n++] = len;
  return 0;
}

/* Takes c when it comes next (after blanks); 1 when it did. */
static int take(struct js *j, char c)
{
  blanks(j);
  if (j->i >= j->n || j->s[j->i] != c)
    return 0;
  j->i++;
  return 1;
}

/* One member: "key": value, its key new in k. */
static int member(struct js *j, struct keys *k)
{
  char *key = NULL;
  size_t len = 0;

  blanks(j);
  if (j->i >= j->n || j->s[j->i] != '"')
    return bad(j, "a key string expected");
  if (string(j, &key, &len) < 0 || key_new(j, k, key, len) < 0)
    return -1;
  if (!take(j, ':'))
    return bad(j, "':' expected");
  return value(j);
}

/* An object or an array, its opening character already seen: items and
   commas up to the closing one. */
static int container(struct js *j, char close)
{
  struct keys k = {NULL, NULL, 0};
  int rc = 0;

  j->i++;
  if (take(j, close))
    return 0;
  for (;;) {
    if ((close == '}' ? member(j, &k) : value(j)) < 0) {
      rc = -1;
      break;
    }
    if (take(j, ','))
      continue;
    if (!take(j, close))
      rc = bad(j, close == '}' ? "',' or '}' expected" : "',' or ']' expected");
    break;
  }
  keys_free(&k);
  return rc;
}

static int value(struct js *j)
{
  int rc;

  blanks(j);
  if (j->i >= j->n)
    return bad(j, "a value expected");
  if (++j->depth > MAX_DEPTH)
    return bad(j, "nested too deep");
  switch (j->s[j->i]) {
  case '{':
    rc = container(j, '}');
    break;
  case '[':
    rc = container(j, ']');
    break;
  case '"':
    rc = string(j, NULL, NULL);
    break;
  case 't':
    rc = literal(j, "true");
    break;
  case 'f':
    rc = literal(j, "false");
    break;
  case 'n':
    rc = literal(j, "null");
    break;
  default:
    rc = (j->s[j->i] == '-' || (j->s[j->i] >= '0' && j->s[j->i] <= '9'))
             ? number(j)
             : bad(j, "unexpected character");
  }
  j->depth--;
  return rc;
}

int fz_json_check(const char *s, size_t n, char *err, size_t err_len)
{
  struct js j = {s, n, 0, 0, err, err_len};

  if (value(&j) < 0)
    return -1;
  blanks(&j);
  return j.i == j.n ? 0 : bad(&j, "text after the value");
}

/* The checks must be able to fail: known texts, each with the answer a
   strict reader gives. */
void fz_self_test(void)
{
  static const struct {
    const char *text;
    int ok;
  } cases[] = {
      {"{\"a\": [1, -0.5e+3, true, null, \"\\u00e9\\ud83d\\ude00\"]}", 1},
      {"{\"a\": 1, \"a\": 2}", 0},       /* a key twice */
      {"{\"a\": 1, \"\\u0061\": 2}", 0}, /* the same key, escaped */
      {"\"\x01\"", 0},                   /* a raw control byte */
      {"\"\xff\"", 0},                   /* invalid UTF-8 */
      {"\"\xed\xa0\x80\"", 0},           /* a surrogate in UTF-8 */
      {"\"\\ud800\"", 0},                /* a lone surrogate escape */
      {"[1,]", 0},
      {"01", 0},
      {"1.", 0},
      {"\"\\x41\"", 0},
      {"{} {}", 0},
      {"nul", 0},
      {"[\"a\" \"b\"]", 0},
  };
  static int done;
  char err[160];
  size_t i;
  uint32_t cp = 0;

  if (done)
    return;
  done = 1;
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    if ((fz_json_check(cases[i].text, strlen(cases[i].text), err, sizeof(err)) == 0) != cases[i].ok)
      fz_fail(cases[i].text, strlen(cases[i].text), "the JSON checker gets this wrong");
  if (fz_utf8((const uint8_t *)"\xe0\x80\x80", 3, &cp) ||
      fz_utf8((const uint8_t *)"\xf4\x90\x80\x80", 4, &cp) ||
      fz_utf8((const uint8_t *)"\xc2\x80", 2, &cp) != 2 || cp != 0x80)
    fz_fail(NULL, 0, "the UTF-8 reference gets a known sequence wrong");
}
