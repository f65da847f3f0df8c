/* SPDX-License-Identifier: MIT */
/*
 * spec.c - parser of the SPEC grammar.  Every error names the offending
 * item, quoted with unprintable bytes escaped, and lists what is accepted.
 */
#include "spec.h"

#include "util.h"

#include <string.h>

#define QUOTED 40 /* bytes of an offending item a message quotes */

void lp_cellset_clear(struct lp_cellset *s)
{
  memset(s, 0, sizeof(*s));
}

void lp_cellset_fill(struct lp_cellset *s)
{
  int m;

  for (m = 0; m < LP_MECH_COUNT; m++)
    s->layers[m] = (1u << LP_LAYER_COUNT) - 1u;
}

void lp_cellset_add(struct lp_cellset *s, enum lp_mechanism m, enum lp_layer l)
{
  s->layers[m] |= 1u << l;
  s->named[m] |= 1u << l;
}

int lp_cellset_named(const struct lp_cellset *s, enum lp_mechanism m, enum lp_layer l)
{
  return (s->named[m] >> l) & 1u;
}

void lp_cellset_union(struct lp_cellset *dst, const struct lp_cellset *src)
{
  int m;

  for (m = 0; m < LP_MECH_COUNT; m++) {
    dst->layers[m] |= src->layers[m];
    dst->named[m] |= src->named[m];
  }
}

int lp_cellset_has(const struct lp_cellset *s, enum lp_mechanism m, enum lp_layer l)
{
  return (s->layers[m] >> l) & 1u;
}

int lp_cellset_empty(const struct lp_cellset *s)
{
  int m;

  for (m = 0; m < LP_MECH_COUNT; m++)
    if (s->layers[m])
      return 0;
  return 1;
}

static int lookup(const char *(*name_of)(int), int count, const char *s, size_t n)
{
  int i;

  for (i = 0; i < count; i++) {
    const char *name = name_of(i);
    if (strlen(name) == n && memcmp(name, s, n) == 0)
      return i;
  }
  return -1;
}

static const char *mech_name_i(int i)
{
  return lp_mechanism_name((enum lp_mechanism)i);
}

static const char *layer_name_i(int i)
{
  return lp_layer_name((enum lp_layer)i);
}

int lp_mechanism_lookup(const char *name, size_t n)
{
  return lookup(mech_name_i, LP_MECH_COUNT, name, n);
}

int lp_layer_lookup(const char *name, size_t n)
{
  return lookup(layer_name_i, LP_LAYER_COUNT, name, n);
}

static void list_names(struct lp_buf *b, const char *(*name_of)(int), int count)
{
  int i;

  for (i = 0; i < count; i++)
    lp_buf_printf(b, "%s%s", i ? ", " : "", name_of(i));
}

static int fail(char *err, size_t err_len, struct lp_buf *msg)
{
  if (err && err_len)
    lp_strlcpy(err, lp_buf_failed(msg) || !msg->data ? "malformed SPEC" : msg->data, err_len);
  lp_buf_free(msg);
  return -1;
}

static size_t count_char(const char *b, const char *e, char c)
{
  size_t n = 0;

  for (; b < e; b++)
    n += *b == c;
  return n;
}

static int is_blank(char c)
{
  return c == ' ' || c == '\t';
}

/* Parses one item s[0..n), already trimmed. */
static int parse_item(const char *s, size_t n, struct lp_cellset *out, struct lp_buf *msg)
{
  const char *at = memchr(s, '@', n);
  size_t mlen = at ? (size_t)(at - s) : n;
  int m, l;

  m = lp_mechanism_lookup(s, mlen);
  if (m < 0) {
    lp_buf_puts(msg, "unknown mechanism ");
    lp_buf_quote(msg, s, mlen, QUOTED);
    lp_buf_puts(msg, " in SPEC (mechanisms: ");
    list_names(msg, mech_name_i, LP_MECH_COUNT);
    lp_buf_puts(msg, ")");
    return -1;
  }
  if (!at) {
    out->layers[m] = (1u << LP_LAYER_COUNT) - 1u;
    return 0;
  }
  l = lp_layer_lookup(at + 1, n - mlen - 1);
  if (l < 0) {
    lp_buf_puts(msg, n - mlen - 1 ? "unknown layer " : "missing layer after '@' in ");
    lp_buf_quote(msg, n - mlen - 1 ? at + 1 : s, n - mlen - 1 ? n - mlen - 1 : n, QUOTED);
    lp_buf_puts(msg, " in SPEC (layers: ");
    list_names(msg, layer_name_i, LP_LAYER_COUNT);
    lp_buf_puts(msg, ")");
    return -1;
  }
  lp_cellset_add(out, (enum lp_mechanism)m, (enum lp_layer)l);
  return 0;
}

int lp_spec_parse(const char *spec, struct lp_cellset *out, char *err, size_t err_len)
{
  struct lp_buf msg;
  const char *p = spec;
  unsigned item = 0;

  lp_buf_init(&msg);
  lp_cellset_clear(out);
  if (!spec || !*spec) {
    lp_buf_puts(&msg, "empty SPEC: name at least one MECHANISM[@LAYER], e.g. epoll or epoll@api");
    return fail(err, err_len, &msg);
  }
  for (;;) {
    const char *end = strchr(p, ',');
    const char *b = p, *e = end ? end : p + strlen(p);
    item++;
    while (b < e && is_blank(*b))
      b++;
    while (e > b && is_blank(e[-1]))
      e--;
    if (b == e) {
      lp_buf_printf(&msg, "empty item %u in SPEC ", item);
      lp_buf_quote(&msg, spec, strlen(spec), QUOTED);
      lp_buf_puts(&msg, ": items are separated by single commas");
      return fail(err, err_len, &msg);
    }
    if (count_char(b, e, '@') > 1) {
      lp_buf_puts(&msg, "more than one '@' in SPEC item ");
      lp_buf_quote(&msg, b, (size_t)(e - b), QUOTED);
      return fail(err, err_len, &msg);
    }
    if (parse_item(b, (size_t)(e - b), out, &msg) < 0)
      return fail(err, err_len, &msg);
    if (!end)
      break;
    p = end + 1;
  }
  lp_buf_free(&msg);
  return 0;
}

int lp_spec_validate(const char *spec, char *err, size_t err_len)
{
  struct lp_cellset set;

  return lp_spec_parse(spec, &set, err, err_len);
}

static int applies(enum lp_verdict v)
{
  return v != LP_VERDICT_NA && v != LP_VERDICT_SKIPPED;
}

int lp_requirement_met(const struct lp_cellset *req,
                       const enum lp_verdict verdicts[LP_MECH_COUNT][LP_LAYER_COUNT], int *bad_m,
                       int *bad_l)
{
  int m, l;

  for (m = 0; m < LP_MECH_COUNT; m++) {
    int applicable = 0, bare = (req->layers[m] & ~req->named[m]) != 0;
    for (l = 0; l < LP_LAYER_COUNT; l++) {
      enum lp_verdict v = verdicts[m][l];
      int named = lp_cellset_named(req, (enum lp_mechanism)m, (enum lp_layer)l);
      if (!lp_cellset_has(req, (enum lp_mechanism)m, (enum lp_layer)l))
        continue;
      if (!named && !applies(v))
        continue;
      applicable++;
      if (v != LP_VERDICT_OK) {
        *bad_m = m;
        *bad_l = l;
        return 0;
      }
    }
    if (bare && applicable == 0) {
      *bad_m = m;
      *bad_l = -1;
      return 0;
    }
  }
  return 1;
}
