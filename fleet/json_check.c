/* SPDX-License-Identifier: MIT */
/*
 * json_check.c - the JSON rules cJSON lets through, checked on the text,
 * and the words for the errors it finds (json_check.h).
 *
 * cJSON 1.7.15 (Debian 12's) accepts, where RFC 8259 does not (and this
 * reader did not, before cJSON):
 *  - any byte up to 0x20 as whitespace, NUL and control characters
 *    included, and a UTF-8 byte order mark before the document;
 *  - raw control characters in strings (a tab, a newline, ESC);
 *  - invalid UTF-8 in strings (0xff, overlong forms, encoded surrogates);
 *  - \u0000, which ends the C string there, and \u escapes whose four
 *    characters are not hex digits (read as 0);
 *  - numbers strtod() reads and JSON does not have: 01, 1., -.5, 1.e3;
 *    numbers out of range (1e999 becomes infinity, an integer beyond 64
 *    bits a rounded double);
 *  - text after the document (read.c asks it not to require a NUL);
 *  - the same key twice in an object (read.c checks the tree for that).
 * The scan below is a lexer, nothing more: it checks every token of the
 * text (strings, numbers, true/false/null, the bytes between them) and
 * leaves the grammar - what may follow what, the nesting - to cJSON.
 * Where both see an error, the first in the text is reported, as a
 * parser reading left to right would.  cJSON also refuses numbers longer
 * than 63 characters (JSON does not) and nesting deeper than 1000; both
 * are said so.
 *
 * Traps: cJSON's position is where its cursor was, which for a key that
 * is not a string is one byte past it (parse_string() moves past the
 * byte it refuses): the context of the position tells that case apart.
 * A text that stops inside a token (a string, "tru", "1e") was cut
 * short, as is one where cJSON runs out of text; anything else is not
 * JSON.  strtod() reads the C locale's decimal point: the command never
 * calls setlocale().
 */
#include "json_check.h"

#include "../base/util.h"
#include "../report/escape.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOWHERE ((size_t)-1)
#define MAX_NUMBER 63 /* cJSON copies a number into 64 bytes */

struct lex {
  const unsigned char *d;
  size_t len;
  size_t error_at; /* the first lexical error, or NOWHERE */
  char error[160];
  size_t open_at; /* the token the text ends inside, or NOWHERE */
  char open[96];  /* what that token is */
};

static size_t lex_error(struct lex *x, size_t at, const char *fmt, ...) LP_PRINTF(3, 4);

static size_t lex_error(struct lex *x, size_t at, const char *fmt, ...)
{
  va_list ap;

  x->error_at = at;
  va_start(ap, fmt);
  vsnprintf(x->error, sizeof(x->error), fmt, ap);
  va_end(ap);
  return NOWHERE;
}

static size_t lex_open(struct lex *x, size_t at, const char *what)
{
  x->open_at = at;
  lp_fmt(x->open, sizeof(x->open), "%s", what);
  return NOWHERE;
}

static int is_digit(unsigned char c)
{
  return c >= '0' && c <= '9';
}

static int is_space(unsigned char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int hex_value(unsigned char c)
{
  if (is_digit(c))
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The four hex digits at i: their value, -1 when one is not a hex digit,
   -2 when the text ends first (and every digit there is one). */
static long hex4(const struct lex *x, size_t i)
{
  long v = 0;
  size_t k;

  for (k = 0; k < 4; k++) {
    int h;
    if (i + k >= x->len)
      return -2;
    if ((h = hex_value(x->d[i + k])) < 0)
      return -1;
    v = v * 16 + h;
  }
  return v;
}

/* The \u escape at i (x->d[i] is the backslash): the position after it. */
static size_t lex_unicode(struct lex *x, size_t i, size_t start)
{
  long u = hex4(x, i + 2), low;

  if (u == -2)
    return lex_open(x, start, "a string");
  if (u == -1)
    return lex_error(x, i, "an invalid escape '\\u%.*s' in a string (four hex digits expected)",
                     (int)(x->len - (i + 2) < 4 ? x->len - (i + 2) : 4),
                     (const char *)x->d + i + 2);
  if (u == 0)
    return lex_error(x, i, "\\u0000 in a string");
  if (u >= 0xdc00 && u <= 0xdfff)
    return lex_error(x, i, "a lone UTF-16 surrogate \\u%04lx in a string", u);
  if (u < 0xd800 || u > 0xdbff)
    return i + 6;
  if (i + 7 >= x->len && (i + 6 >= x->len || x->d[i + 6] == '\\'))
    return lex_open(x, start, "a string");
  low = x->d[i + 6] == '\\' && x->d[i + 7] == 'u' ? hex4(x, i + 8) : -1;
  if (low == -2)
    return lex_open(x, start, "a string");
  if (low < 0xdc00 || low > 0xdfff)
    return lex_error(x, i, "a lone UTF-16 surrogate \\u%04lx in a string", u);
  return i + 12;
}

/* The escape at i (x->d[i] is the backslash). */
static size_t lex_escape(struct lex *x, size_t i, size_t start)
{
  unsigned char e;

  if (i + 1 >= x->len)
    return lex_open(x, start, "a string");
  e = x->d[i + 1];
  if (strchr("\"\\/bfnrt", e) && e)
    return i + 2;
  if (e == 'u')
    return lex_unicode(x, i, start);
  if (e > 0x20 && e < 0x7f)
    return lex_error(x, i, "an invalid escape '\\%c' in a string", e);
  return lex_error(x, i, "an invalid escape (a backslash before byte 0x%02x) in a string", e);
}

/* 1 when the n bytes at s, the last of the text, begin a UTF-8 sequence. */
static int utf8_start(const unsigned char *s, size_t n)
{
  size_t need = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2, i;

  if (s[0] < 0xc2 || s[0] > 0xf4 || n >= need)
    return 0;
  for (i = 1; i < n; i++)
    if ((s[i] & 0xc0) != 0x80)
      return 0;
  return 1;
}

/* How many of the n bytes at p, from the first, need no look in a string:
   printable ASCII, neither a quote nor a backslash.  Eight at a time: a
   byte of 0x80 or more, one under 0x20 (minus 0x20), a quote or a
   backslash (xor it, minus 1) sets its high bit in m; the borrows this
   can carry only reach bytes after one that set it, so the lowest bit set
   is the first byte to look at (the lowest address on a little-endian
   machine; elsewhere, byte by byte). */
static size_t plain_run(const unsigned char *p, size_t n)
{
  size_t i = 0;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;

  for (; i + 8 <= n; i += 8) {
    uint64_t v, m;
    memcpy(&v, p + i, sizeof(v));
    m = (v | (v - ones * 0x20) | ((v ^ (ones * '"')) - ones) | ((v ^ (ones * '\\')) - ones)) & high;
    if (m)
      return i + (size_t)__builtin_ctzll(m) / 8;
  }
#endif
  while (i < n && p[i] >= 0x20 && p[i] < 0x80 && p[i] != '"' && p[i] != '\\')
    i++;
  return i;
}

/* The string that starts at i (a quote): the position after it. */
static size_t lex_string(struct lex *x, size_t start)
{
  const unsigned char *d = x->d;
  size_t i = start + 1, len = x->len, k;
  unsigned long cp = 0;

  while (i < len) {
    unsigned char c;
    i += plain_run(d + i, len - i);
    if (i >= len)
      break;
    c = d[i];
    if (c == '"')
      return i + 1;
    if (c == '\\') {
      if ((i = lex_escape(x, i, start)) == NOWHERE)
        return NOWHERE;
      continue;
    }
    if (c < 0x20)
      return lex_error(x, i, "a control character (0x%02x) in a string", c);
    if ((k = lp_utf8_decode(d + i, len - i, &cp)) == 0) {
      if (utf8_start(d + i, len - i))
        return lex_open(x, start, "a string");
      return lex_error(x, i, "invalid UTF-8 (byte 0x%02x) in a string", c);
    }
    i += k;
  }
  return lex_open(x, start, "a string");
}

/* Where the digits from i end. */
static size_t digits(const struct lex *x, size_t i, size_t end)
{
  while (i < end && is_digit(x->d[i]))
    i++;
  return i;
}

/* How far the number [i, end) follows JSON's grammar: the position where
   it stops, with *done set when what is there up to it is a whole number
   (else it stopped because something it needed is not there), and *real
   when it has a fraction or an exponent. */
static size_t number_grammar(const struct lex *x, size_t i, size_t end, int *done, int *real)
{
  const unsigned char *d = x->d;

  *done = *real = 0;
  if (i < end && d[i] == '-')
    i++;
  if (i < end && d[i] == '0')
    i++;
  else if (i < end && is_digit(d[i]))
    i = digits(x, i, end);
  else
    return i;
  if (i < end && d[i] == '.') {
    *real = 1;
    if (++i >= end || !is_digit(d[i]))
      return i;
    i = digits(x, i, end);
  }
  if (i < end && (d[i] == 'e' || d[i] == 'E')) {
    *real = 1;
    i++;
    if (i < end && (d[i] == '+' || d[i] == '-'))
      i++;
    if (i >= end || !is_digit(d[i]))
      return i;
    i = digits(x, i, end);
  }
  *done = 1;
  return i;
}

/* A number in range: an integer within 64 bits, a real that is not
   infinite (one that underflows reads as 0, as strtod() has it). */
static size_t number_range(struct lex *x, size_t start, size_t end, int real)
{
  char copy[MAX_NUMBER + 1], *stop = NULL;
  size_t n = end - start;

  memcpy(copy, x->d + start, n);
  copy[n] = '\0';
  errno = 0;
  if (!real && n - (copy[0] == '-') > 18) {
    (void)strtoll(copy, &stop, 10);
    if (errno == ERANGE)
      return lex_error(x, start, "an integer beyond 64 bits '%s'", copy);
  } else if (real && strpbrk(copy, "eE")) {
    double v = strtod(copy, &stop);
    if (errno == ERANGE && (v > 1 || v < -1))
      return lex_error(x, start, "a number out of range '%s'", copy);
  }
  return end;
}

/* The number that starts at i: the run of the characters cJSON copies for
   strtod(), which must be one JSON number. */
static size_t lex_number(struct lex *x, size_t start)
{
  size_t end = start, ok;
  int done = 0, real = 0;

  while (end < x->len && (is_digit(x->d[end]) || x->d[end] == '.' || x->d[end] == '-' ||
                          x->d[end] == '+' || x->d[end] == 'e' || x->d[end] == 'E'))
    end++;
  ok = number_grammar(x, start, end, &done, &real);
  if (done && ok == end && end - start > MAX_NUMBER)
    return lex_error(x, start, "a number of %zu characters '%.20s...' (this reader takes %d)",
                     end - start, (const char *)x->d + start, MAX_NUMBER);
  if (done && ok == end)
    return number_range(x, start, end, real);
  if (!done && ok == x->len) { /* the grammar wanted more, and the text ended */
    char what[96];
    lp_fmt(what, sizeof(what), "the number '%.*s'",
           (int)(x->len - start > 60 ? 60 : x->len - start), (const char *)x->d + start);
    return lex_open(x, start, what);
  }
  return lex_error(x, start, "an invalid number '%.*s'", (int)(end - start > 60 ? 60 : end - start),
                   (const char *)x->d + start);
}

static int is_letter(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The word at i: true, false or null. */
static size_t lex_word(struct lex *x, size_t start)
{
  static const struct {
    const char *word;
    size_t len;
  } words[] = {{"true", 4}, {"false", 5}, {"null", 4}};
  size_t end = start, n, k;
  char what[96];

  while (end < x->len && is_letter(x->d[end]))
    end++;
  n = end - start;
  for (k = 0; k < LP_ARRAY_LEN(words); k++) {
    if (words[k].len == n && x->d[start] == words[k].word[0] &&
        memcmp(x->d + start, words[k].word, n) == 0)
      return end;
    if (end == x->len && n < words[k].len && memcmp(x->d + start, words[k].word, n) == 0) {
      lp_fmt(what, sizeof(what), "'%.*s'", (int)n, (const char *)x->d + start);
      return lex_open(x, start, what);
    }
  }
  return lex_error(x, start, "an unknown word '%.*s' (JSON has true, false and null)",
                   (int)(n > 40 ? 40 : n), (const char *)x->d + start);
}

/* A byte that starts no token. */
static size_t lex_stray(struct lex *x, size_t i)
{
  unsigned char c = x->d[i];

  if (i == 0 && x->len >= 3 && memcmp(x->d, "\xef\xbb\xbf", 3) == 0)
    return lex_error(x, i, "a byte order mark (EF BB BF) before the document");
  if (c < 0x20)
    return lex_error(x, i, "a control character (0x%02x) outside a string", c);
  if (c >= 0x7f)
    return lex_error(x, i, "a byte 0x%02x outside a string", c);
  if (c == '\'')
    return lex_error(x, i, "an unexpected ' (JSON quotes strings with \")");
  return lex_error(x, i, "an unexpected '%c'", c);
}

/* Every token of the text, up to the first error or the end.  A switch,
   not strchr(): most bytes between the strings of a report are its
   indentation. */
static void lex_all(struct lex *x)
{
  size_t i = 0;

  x->error_at = x->open_at = NOWHERE;
  x->error[0] = x->open[0] = '\0';
  while (i < x->len) {
    switch (x->d[i]) {
    case ' ':
    case '\t':
    case '\n':
    case '\r':
    case '{':
    case '}':
    case '[':
    case ']':
    case ':':
    case ',':
      i++;
      break;
    case '"':
      i = lex_string(x, i);
      break;
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
      i = lex_number(x, i);
      break;
    default:
      i = is_letter(x->d[i]) ? lex_word(x, i) : lex_stray(x, i);
    }
  }
}

/* Line and column (in characters) of pos. */
static void line_col(const struct lex *x, size_t pos, size_t *line, size_t *col)
{
  size_t i;

  *line = *col = 1;
  for (i = 0; i < pos && i < x->len; i++) {
    if (x->d[i] == '\n') {
      ++*line;
      *col = 1;
    } else if ((x->d[i] & 0xc0) != 0x80)
      ++*col;
  }
}

/* What surrounds pos: how deep it is, whether its innermost container is
   an object, and the last byte before it outside strings and blanks. */
struct context {
  size_t depth;
  int in_object;
  unsigned char prev;
};

static void context_at(const struct lex *x, size_t pos, struct context *c)
{
  unsigned char kinds[LPF_JSON_MAX_DEPTH + 2]; /* '{' or '[' at each depth */
  size_t i;
  int in_string = 0;

  memset(c, 0, sizeof(*c));
  for (i = 0; i < pos && i < x->len; i++) {
    unsigned char b = x->d[i];
    if (in_string) {
      if (b == '\\')
        i++;
      else if (b == '"')
        in_string = 0;
      continue;
    }
    if (is_space(b))
      continue;
    c->prev = b;
    if (b == '"')
      in_string = 1;
    else if (b == '{' || b == '[') {
      if (c->depth < sizeof(kinds))
        kinds[c->depth] = b;
      c->depth++;
    } else if ((b == '}' || b == ']') && c->depth > 0)
      c->depth--;
  }
  c->in_object = c->depth > 0 && c->depth <= sizeof(kinds) && kinds[c->depth - 1] == '{';
}

/* The token at pos, quoted for a message ("'x'"; a byte that is not
   printable ASCII as "byte 0x01"). */
static void token_at(const struct lex *x, size_t pos, char *out, size_t size)
{
  size_t end = pos + 1;

  if (x->d[pos] < 0x20 || x->d[pos] >= 0x7f) {
    lp_fmt(out, size, "byte 0x%02x", x->d[pos]);
    return;
  }
  if (is_letter(x->d[pos]) || is_digit(x->d[pos]) || x->d[pos] == '-')
    while (end < x->len && end - pos < 40 &&
           (is_letter(x->d[end]) || is_digit(x->d[end]) || strchr("+-.", x->d[end])) && x->d[end])
      end++;
  else if (x->d[pos] == '"')
    while (end < x->len && end - pos < 40 && x->d[end] != '"' && x->d[end] != '\n')
      end += 1 + (x->d[end] == '\\');
  if (end > x->len)
    end = x->len;
  lp_fmt(out, size, "'%.*s%s'", (int)(end - pos), (const char *)x->d + pos,
         x->d[pos] == '"' && end < x->len && x->d[end] == '"' ? "\"" : "");
}

static int not_json(const struct lex *x, size_t at, char *err, size_t err_len, const char *what)
{
  size_t line, col;

  line_col(x, at, &line, &col);
  lp_fmt(err, err_len, "not JSON: %s (line %zu, column %zu)", what, line, col);
  return -1;
}

static int truncated(const struct lex *x, char *err, size_t err_len)
{
  struct context c;
  size_t line, col, oline, ocol;
  char why[160];

  line_col(x, x->len, &line, &col);
  if (x->open_at != NOWHERE && strcmp(x->open, "a string") == 0) {
    line_col(x, x->open_at, &oline, &ocol);
    if (oline == line)
      lp_fmt(why, sizeof(why), "inside a string that starts at column %zu", ocol);
    else
      lp_fmt(why, sizeof(why), "inside a string that starts at line %zu, column %zu", oline, ocol);
  } else if (x->open_at != NOWHERE)
    lp_fmt(why, sizeof(why), "inside %s", x->open);
  else {
    context_at(x, x->len, &c);
    if (c.depth == 1)
      lp_fmt(why, sizeof(why), "an %s is not closed", c.in_object ? "object" : "array");
    else
      lp_fmt(why, sizeof(why), "%zu objects and arrays are not closed", c.depth);
  }
  lp_fmt(err, err_len, "truncated: the JSON ends at line %zu before the document does (%s)", line,
         why);
  return -1;
}

/* cJSON stopped at pos, before the end of a document. */
static int structure(const struct lex *x, size_t pos, char *err, size_t err_len)
{
  struct context c;
  char what[128], tok[96];

  if (pos > 0 && pos <= x->len && !is_space(x->d[pos - 1]) && x->d[pos - 1] != '"') {
    context_at(x, pos - 1, &c);
    if (c.in_object && (c.prev == '{' || c.prev == ',')) { /* a key that is not a string */
      token_at(x, pos - 1, tok, sizeof(tok));
      lp_fmt(what, sizeof(what), "%s where a key (a string) must be", tok);
      return not_json(x, pos - 1, err, err_len, what);
    }
  }
  if (pos >= x->len || (x->open_at != NOWHERE && x->open_at <= pos))
    return truncated(x, err, err_len);
  context_at(x, pos, &c);
  if ((x->d[pos] == '[' || x->d[pos] == '{') && c.depth >= LPF_JSON_MAX_DEPTH) {
    lp_fmt(what, sizeof(what), "arrays and objects nested deeper than %d", LPF_JSON_MAX_DEPTH);
    return not_json(x, pos, err, err_len, what);
  }
  token_at(x, pos, tok, sizeof(tok));
  lp_fmt(what, sizeof(what), "an unexpected %s", tok);
  return not_json(x, pos, err, err_len, what);
}

int lpf_json_check(const char *data, size_t len, int parsed, size_t pos, char *err, size_t err_len)
{
  struct lex x;
  char what[128], tok[96];

  x.d = (const unsigned char *)data;
  x.len = len;
  lex_all(&x);
  /* a parser reading from the left meets the first error first; text
     after a document is said so, even when it is no token either */
  if (x.error_at != NOWHERE && (x.error_at < pos || (!parsed && x.error_at == pos)))
    return not_json(&x, x.error_at, err, err_len, x.error);
  if (!parsed)
    return structure(&x, pos, err, err_len);
  if (pos >= len)
    return 0;
  token_at(&x, pos, tok, sizeof(tok));
  lp_fmt(what, sizeof(what), "%s after the end of the document", tok);
  return not_json(&x, pos, err, err_len, what);
}
