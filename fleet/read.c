/* SPDX-License-Identifier: MIT */
/*
 * read.c - a loopprobe/1 report read back with cJSON (model.h), loaded at
 * run time (cjson.h).
 *
 * cJSON builds the tree; json_check.c holds the text to JSON's rules where
 * cJSON is lenient and words its errors, and this file refuses the last
 * leniency, which only the tree shows: the same key twice in an object
 * (RFC 8259 leaves it to the reader; loopprobe never writes one, and such
 * a report could be read two ways).  Then it judges what the document
 * means: the schema name and version, the types of the keys diff and
 * merge use, and the names that carry meaning (mechanism, layer, verdict,
 * severity).  Keys it does not know are ignored (loopprobe/1 may gain
 * keys).
 *
 * Traps: a reason may quote the input, which can hold any byte: quotes
 * are bounded here, and escaped by whoever prints the reason.  Keys are
 * compared case-sensitively (cJSON_GetObjectItem() would not), by walking
 * the tree as cJSON.h lays it out.  cJSON keeps an object's keys in their
 * order, which is what makes the flattened host facts come out in the
 * report's own order.  cJSON has one kind of number, a double: an integer
 * is one whose value is whole ("exit_code": 1.0 is 1, as JSON Schema has
 * it), exact up to 2^53.  cJSON writes its last error's position into a
 * global on every parse, from every thread at once; nothing reads it: the
 * position comes back through return_parse_end.  Built without cJSON's
 * headers (LP_HAVE_CJSON 0), lpf_reader() says so and every read fails
 * with that reason.
 */
#define _POSIX_C_SOURCE 200809L
#include "fleet.h"
#include "json_check.h"
#include "model.h"

#include "../base/spec.h"
#include "../report/escape.h"
#include "../report/report.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef LP_HAVE_CJSON
#define LP_HAVE_CJSON 0
#endif

#if LP_HAVE_CJSON
#include "cjson.h"
#endif

#define MAX_REPORT_BYTES (64u << 20)

static int fail(char *err, size_t err_len, const char *fmt, ...) LP_PRINTF(3, 4);

static int fail(char *err, size_t err_len, const char *fmt, ...)
{
  va_list ap;

  if (err && err_len) {
    va_start(ap, fmt);
    vsnprintf(err, err_len, fmt, ap);
    va_end(ap);
  }
  return -1;
}

void lpf_report_free(struct lpf_report *r)
{
  size_t i;

  if (!r)
    return;
  for (i = 0; i < r->ncells; i++)
    free(r->cells[i].detail);
  for (i = 0; i < r->nfindings; i++) {
    free(r->findings[i].kind);
    free(r->findings[i].summary);
    free(r->findings[i].where);
    lp_strv_free(&r->findings[i].cells);
  }
  for (i = 0; i < r->nlibs; i++) {
    free(r->libs[i].name);
    free(r->libs[i].compiled);
    free(r->libs[i].runtime);
    free(r->libs[i].default_mechanism);
  }
  for (i = 0; i < r->nfacts; i++) {
    free(r->facts[i].name);
    free(r->facts[i].value);
  }
  free(r->cells);
  free(r->findings);
  free(r->libs);
  free(r->facts);
  free(r->host);
  free(r->generated_at);
  free(r->tool_version);
  free(r);
}

int lpf_cell_ids(const char *name, int *m, int *l)
{
  const char *at = strchr(name, '@');

  if (!at)
    return -1;
  *m = lp_mechanism_lookup(name, (size_t)(at - name));
  *l = lp_layer_lookup(at + 1, strlen(at + 1));
  return *m < 0 || *l < 0 ? -1 : 0;
}

const struct lpf_cell *lpf_find_cell(const struct lpf_report *r, int m, int l)
{
  size_t i;

  for (i = 0; i < r->ncells; i++)
    if (r->cells[i].mech == m && r->cells[i].layer == l)
      return &r->cells[i];
  return NULL;
}

const struct lpf_fact *lpf_find_fact(const struct lpf_report *r, const char *name)
{
  size_t i;

  for (i = 0; i < r->nfacts; i++)
    if (strcmp(r->facts[i].name, name) == 0)
      return &r->facts[i];
  return NULL;
}

static int names_cell(const struct lpf_finding *f, const char *cell)
{
  return f->cells.n ? lp_strv_has(&f->cells, cell) : strcmp(f->where, cell) == 0;
}

const struct lpf_finding *lpf_cause(const struct lpf_report *r, int m, int l)
{
  const struct lpf_finding *best = NULL;
  char cell[48];
  size_t i;

  lp_cell_name(cell, sizeof(cell), m, l);
  for (i = 0; i < r->nfindings; i++)
    if (names_cell(&r->findings[i], cell) && (!best || r->findings[i].severity < best->severity))
      best = &r->findings[i];
  return best;
}

#if LP_HAVE_CJSON

/* At most 60 bytes of s, into out, "..." after a cut.  Not escaped: the
   caller escapes the whole reason for where it goes. */
static const char *quoted(char *out, size_t size, const char *s)
{
  lp_fmt(out, size, "%.60s%s", s, strlen(s) > 60 ? "..." : "");
  return out;
}

enum lpf_reader lpf_reader(char *why, size_t why_len)
{
  return lpf_cjson(why, why_len) ? LPF_READER_OK : LPF_READER_NOT_LOADED;
}

void lpf_read_init(void)
{
  (void)lpf_cjson(NULL, 0); /* loads it now, before the threads ask */
}

/* --- the tree, as cJSON.h lays it out --- */

static int is(const cJSON *v, int type)
{
  return v && (v->type & 0xff) == type;
}

/* The member key of obj (case-sensitive); NULL when absent or obj is no
   object. */
static const cJSON *get(const cJSON *obj, const char *key)
{
  const cJSON *c = NULL;

  if (!is(obj, cJSON_Object))
    return NULL;
  for (c = obj->child; c; c = c->next)
    if (c->string && c->string[0] == key[0] && strcmp(c->string, key) == 0)
      return c;
  return NULL;
}

static size_t count(const cJSON *arr)
{
  const cJSON *c = NULL;
  size_t n = 0;

  for (c = arr->child; c; c = c->next)
    n++;
  return n;
}

/* 1 when v is a number with a whole value that a long long holds. */
static int whole(const cJSON *v, long long *out)
{
  double d = v->valuedouble;

  if (!is(v, cJSON_Number) || !(d >= -9.2e18 && d <= 9.2e18) || (double)(long long)d != d)
    return 0;
  *out = (long long)d;
  return 1;
}

/* --- the same key twice in an object: cJSON keeps both, this refuses it --- */

/* Where a value is in the document, for a message: its parent and its key
   or index. */
struct where {
  const struct where *up;
  const char *key; /* NULL: index */
  size_t index;
};

static void where_name(struct lp_buf *b, const struct where *w)
{
  if (!w)
    return;
  where_name(b, w->up);
  if (w->key)
    lp_buf_printf(b, "%s%.40s", w->up ? "." : "", w->key);
  else
    lp_buf_printf(b, "[%zu]", w->index);
}

static int duplicate(const struct where *w, const char *key, char *err, size_t err_len)
{
  struct lp_buf b;
  char q[256];

  lp_buf_init(&b);
  where_name(&b, w);
  fail(err, err_len, "not JSON: duplicate key \"%s\" in %s", quoted(q, sizeof(q), key),
       b.data && b.len ? b.data : "the top-level object");
  lp_buf_free(&b);
  return -1;
}

static int by_key(const void *a, const void *b)
{
  return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

/* The keys of obj, each once.  Few keys (a cell, a finding) are compared
   pairwise; many are sorted, so that no object costs its square. */
static int unique_keys(const cJSON *obj, size_t n, const struct where *w, char *err, size_t err_len)
{
  const cJSON *a = NULL, *b = NULL, **keys = NULL;
  size_t i = 0;
  int rc = 0;

  if (n <= 16) {
    for (a = obj->child; a; a = a->next)
      for (b = a->next; b; b = b->next)
        if (a->string[0] == b->string[0] && strcmp(a->string, b->string) == 0)
          return duplicate(w, a->string, err, err_len);
    return 0;
  }
  if (!(keys = malloc(n * sizeof(*keys))))
    return fail(err, err_len, "out of memory");
  for (a = obj->child; a; a = a->next)
    keys[i++] = a;
  qsort(keys, n, sizeof(*keys), by_key);
  for (i = 1; i < n && rc == 0; i++)
    if (strcmp(keys[i - 1]->string, keys[i]->string) == 0)
      rc = duplicate(w, keys[i]->string, err, err_len);
  free(keys);
  return rc;
}

static int no_duplicates(const cJSON *v, const struct where *w, char *err, size_t err_len)
{
  const cJSON *c = NULL;
  struct where here;
  size_t n = 0;

  if (!is(v, cJSON_Object) && !is(v, cJSON_Array))
    return 0;
  here.up = w;
  for (c = v->child; c; c = c->next, n++) {
    here.key = is(v, cJSON_Object) ? c->string : NULL;
    here.index = n;
    if ((c->child || !w) && no_duplicates(c, &here, err, err_len) < 0)
      return -1;
  }
  return is(v, cJSON_Object) && n > 1 ? unique_keys(v, n, w, err, err_len) : 0;
}

/* --- syntax --- */

/* Where cJSON stops on the text followed by one byte (0xff) that no JSON
   text continues with: running out of text then shows as len (without
   it, cJSON puts an error past the end on the last byte). */
static int stopped_at(const struct lpf_cjson *cj, const char *data, size_t len, size_t *pos)
{
  char *copy = malloc(len + 1);
  const char *end = NULL;
  cJSON *root = NULL;

  if (!copy)
    return -1;
  memcpy(copy, data, len);
  copy[len] = '\xff';
  root = cj->parse(copy, len + 1, &end, 0);
  *pos = root || !end ? len : (size_t)(end - copy);
  if (root) /* the arena's, unless there is none */
    cj->destroy(root);
  free(copy);
  return 0;
}

static int syntax(const struct lpf_cjson *cj, const cJSON *root, const char *data, size_t len,
                  const char *end, char *err, size_t err_len)
{
  size_t pos = len;

  if (root) {
    pos = (size_t)(end - data);
    while (pos < len &&
           (data[pos] == ' ' || data[pos] == '\t' || data[pos] == '\n' || data[pos] == '\r'))
      pos++;
    return lpf_json_check(data, len, 1, pos, err, err_len) < 0
               ? -1
               : no_duplicates(root, NULL, err, err_len);
  }
  if (stopped_at(cj, data, len, &pos) < 0)
    return fail(err, err_len, "out of memory");
  if (lpf_json_check(data, len, 0, pos, err, err_len) == 0)
    return fail(err, err_len, "not JSON: cJSON refuses it (at byte %zu)", pos);
  return -1;
}

/* --- what the document means --- */

/* "cells[3]" into buf, without printf: it is made for every cell of every
   report, and a merge reads many. */
static void index_name(char *buf, size_t size, const char *list, size_t i)
{
  char digits[24];
  size_t n = 0, k = strlen(list);

  do
    digits[n++] = (char)('0' + i % 10);
  while ((i /= 10) && n < sizeof(digits));
  if (k + n + 2 >= size) {
    lp_strlcpy(buf, list, size);
    return;
  }
  memcpy(buf, list, k);
  buf[k++] = '[';
  while (n)
    buf[k++] = digits[--n];
  buf[k++] = ']';
  buf[k] = '\0';
}

/* A copy of the string at key, NULL for null or absent; -1 for another
   type or out of memory. */
static int opt_string(const cJSON *obj, const char *key, char **out, const char *where, char *err,
                      size_t err_len)
{
  const cJSON *v = get(obj, key);

  *out = NULL;
  if (!v || is(v, cJSON_NULL))
    return 0;
  if (!is(v, cJSON_String))
    return fail(err, err_len, "%s: \"%s\" is not a string", where, key);
  *out = lp_strdup(v->valuestring);
  return *out ? 0 : fail(err, err_len, "out of memory");
}

static int lookup_verdict(const char *s)
{
  int v;

  for (v = 0; v < LP_VERDICT_COUNT; v++)
    if (strcmp(lp_verdict_name((enum lp_verdict)v), s) == 0)
      return v;
  return -1;
}

static int lookup_severity(const char *s)
{
  int v;

  for (v = 0; v < LP_SEVERITY_COUNT; v++)
    if (strcmp(lp_severity_name((enum lp_severity)v), s) == 0)
      return v;
  return -1;
}

/* The string at key, which must be one; NULL after a reason in err. */
static const char *need_string(const cJSON *obj, const char *key, const char *where, char *err,
                               size_t err_len)
{
  const cJSON *v = get(obj, key);

  if (!is(v, cJSON_String)) {
    fail(err, err_len, "%s: %s \"%s\"", where, v ? "not a string:" : "no", key);
    return NULL;
  }
  return v->valuestring;
}

static int check_schema(const cJSON *root, char *err, size_t err_len)
{
  const cJSON *v = get(root, "schema");
  const char *s = NULL, *slash = NULL;
  char q[256];
  long version = 0;

  if (!v)
    return fail(err, err_len, "not a loopprobe report: no \"schema\" key");
  if (!is(v, cJSON_String))
    return fail(err, err_len, "not a loopprobe report: \"schema\" is not a string");
  s = v->valuestring;
  if (strcmp(s, LP_SCHEMA) == 0)
    return 0;
  slash = strrchr(s, '/');
  if (slash && (size_t)(slash - s) == strlen("loopprobe") && strncmp(s, "loopprobe", 9) == 0 &&
      slash[1] >= '1' && slash[1] <= '9' && strspn(slash + 1, "0123456789") == strlen(slash + 1)) {
    version = strtol(slash + 1, NULL, 10);
    if (version > 1)
      return fail(err, err_len,
                  "schema '%s' is newer than this loopprobe reads (%s): read it with a newer "
                  "loopprobe",
                  quoted(q, sizeof(q), s), LP_SCHEMA);
  }
  return fail(err, err_len, "schema '%s' is not a loopprobe report (%s)", quoted(q, sizeof(q), s),
              LP_SCHEMA);
}

static int parse_cell(const cJSON *c, size_t i, unsigned flags, struct lpf_report *r,
                      unsigned seen[LP_MECH_COUNT], char *err, size_t err_len)
{
  char where[48], q[256];
  const char *mech = NULL, *layer = NULL, *verdict = NULL;
  struct lpf_cell *cell = &r->cells[r->ncells];
  int m, l, v;

  index_name(where, sizeof(where), "cells", i);
  if (!is(c, cJSON_Object))
    return fail(err, err_len, "%s: not an object", where);
  if (!(mech = need_string(c, "mechanism", where, err, err_len)) ||
      !(layer = need_string(c, "layer", where, err, err_len)) ||
      !(verdict = need_string(c, "verdict", where, err, err_len)))
    return -1;
  if ((m = lp_mechanism_lookup(mech, strlen(mech))) < 0)
    return fail(err, err_len, "%s: unknown mechanism '%s'", where, quoted(q, sizeof(q), mech));
  if ((l = lp_layer_lookup(layer, strlen(layer))) < 0)
    return fail(err, err_len, "%s: unknown layer '%s'", where, quoted(q, sizeof(q), layer));
  if ((v = lookup_verdict(verdict)) < 0)
    return fail(err, err_len, "%s: unknown verdict '%s'", where, quoted(q, sizeof(q), verdict));
  if (seen[m] & (1u << l))
    return fail(err, err_len, "%s: %s@%s appears twice", where, mech, layer);
  seen[m] |= 1u << l;
  memset(cell, 0, sizeof(*cell));
  cell->mech = (unsigned char)m;
  cell->layer = (unsigned char)l;
  cell->verdict = (unsigned char)v;
  if (!(flags & LPF_BRIEF) && opt_string(c, "detail", &cell->detail, where, err, err_len) < 0)
    return -1;
  r->ncells++;
  return 0;
}

static int parse_cells(const cJSON *root, unsigned flags, struct lpf_report *r, char *err,
                       size_t err_len)
{
  const cJSON *cells = get(root, "cells"), *c = NULL;
  unsigned seen[LP_MECH_COUNT];
  size_t i = 0;

  if (!is(cells, cJSON_Array))
    return fail(err, err_len, "not a loopprobe report: %s \"cells\"",
                cells ? "not an array:" : "no");
  memset(seen, 0, sizeof(seen));
  r->cells = calloc(count(cells) + 1, sizeof(*r->cells));
  if (!r->cells)
    return fail(err, err_len, "out of memory");
  for (c = cells->child; c; c = c->next, i++)
    if (parse_cell(c, i, flags, r, seen, err, err_len) < 0)
      return -1;
  return 0;
}

/* f->where: the first cell, else MECHANISM@LAYER, MECHANISM or "host". */
static int finding_where(const cJSON *f, struct lpf_finding *out)
{
  const cJSON *m = get(f, "mechanism"), *l = get(f, "layer");
  char where[128];

  if (out->cells.n)
    lp_fmt(where, sizeof(where), "%s", out->cells.v[0]);
  else if (is(m, cJSON_String) && is(l, cJSON_String))
    lp_fmt(where, sizeof(where), "%s@%s", m->valuestring, l->valuestring);
  else if (is(m, cJSON_String))
    lp_fmt(where, sizeof(where), "%s", m->valuestring);
  else
    lp_fmt(where, sizeof(where), "host");
  out->where = lp_strdup(where);
  return out->where ? 0 : -1;
}

static int parse_finding(const cJSON *f, size_t i, struct lpf_report *r, char *err, size_t err_len)
{
  struct lpf_finding *out = &r->findings[r->nfindings];
  const char *sev = NULL, *kind = NULL;
  const cJSON *cells = NULL, *c = NULL;
  char where[48], q[256];
  size_t k = 0;
  int s;

  index_name(where, sizeof(where), "findings", i);
  memset(out, 0, sizeof(*out));
  if (!is(f, cJSON_Object))
    return fail(err, err_len, "%s: not an object", where);
  if (!(sev = need_string(f, "severity", where, err, err_len)) ||
      !(kind = need_string(f, "kind", where, err, err_len)))
    return -1;
  if ((s = lookup_severity(sev)) < 0)
    return fail(err, err_len, "%s: unknown severity '%s'", where, quoted(q, sizeof(q), sev));
  if (!*kind)
    return fail(err, err_len, "%s: an empty \"kind\"", where);
  r->nfindings++; /* owned from here on: lpf_report_free releases what is set */
  out->severity = (enum lp_severity)s;
  if (!(out->kind = lp_strdup(kind)) ||
      opt_string(f, "summary", &out->summary, where, err, err_len))
    return out->kind ? -1 : fail(err, err_len, "out of memory");
  if (!out->summary && !(out->summary = lp_strdup("")))
    return fail(err, err_len, "out of memory");
  cells = get(f, "cells");
  if (cells && !is(cells, cJSON_Array))
    return fail(err, err_len, "%s: \"cells\" is not an array", where);
  for (c = cells ? cells->child : NULL; c; c = c->next, k++) {
    if (!is(c, cJSON_String))
      return fail(err, err_len, "%s: cells[%zu] is not a string", where, k);
    if (lp_strv_add(&out->cells, c->valuestring) < 0)
      return fail(err, err_len, "out of memory");
  }
  return finding_where(f, out) < 0 ? fail(err, err_len, "out of memory") : 0;
}

static int parse_findings(const cJSON *root, struct lpf_report *r, char *err, size_t err_len)
{
  const cJSON *fs = get(root, "findings"), *f = NULL;
  size_t i = 0;

  if (!is(fs, cJSON_Array))
    return fail(err, err_len, "not a loopprobe report: %s \"findings\"",
                fs ? "not an array:" : "no");
  r->findings = calloc(count(fs) + 1, sizeof(*r->findings));
  if (!r->findings)
    return fail(err, err_len, "out of memory");
  for (f = fs->child; f; f = f->next, i++)
    if (parse_finding(f, i, r, err, err_len) < 0)
      return -1;
  return 0;
}

static int parse_libraries(const cJSON *root, struct lpf_report *r, char *err, size_t err_len)
{
  const cJSON *libs = get(root, "libraries"), *l = NULL;
  char where[48];
  size_t i = 0;

  if (!libs || is(libs, cJSON_NULL))
    return 0;
  if (!is(libs, cJSON_Array))
    return fail(err, err_len, "\"libraries\" is not an array");
  r->libs = calloc(count(libs) + 1, sizeof(*r->libs));
  if (!r->libs)
    return fail(err, err_len, "out of memory");
  for (l = libs->child; l; l = l->next, i++) {
    struct lpf_library *out = &r->libs[r->nlibs];
    index_name(where, sizeof(where), "libraries", i);
    if (!is(l, cJSON_Object))
      return fail(err, err_len, "%s: not an object", where);
    if (!need_string(l, "name", where, err, err_len))
      return -1;
    r->nlibs++;
    if (opt_string(l, "name", &out->name, where, err, err_len) < 0 ||
        opt_string(l, "compiled", &out->compiled, where, err, err_len) < 0 ||
        opt_string(l, "runtime", &out->runtime, where, err, err_len) < 0 ||
        opt_string(l, "default_mechanism", &out->default_mechanism, where, err, err_len) < 0)
      return -1;
  }
  return 0;
}

/* Facts that change on every run without meaning anything. */
static int noisy(const char *name)
{
  static const char *const skip[] = {"name", "anonymized", "tracer_pid", "libc_clock_rate",
                                     "limits.aio_nr"};
  size_t i;

  for (i = 0; i < LP_ARRAY_LEN(skip); i++)
    if (strcmp(name, skip[i]) == 0)
      return 1;
  return 0;
}

/* A whole number as an integer, any other as %g. */
static void put_number(struct lp_buf *b, const cJSON *v)
{
  long long n = 0;

  if (whole(v, &n))
    lp_buf_printf(b, "%lld", n);
  else
    lp_buf_printf(b, "%g", v->valuedouble);
}

/* v as compact JSON. */
static void dump(struct lp_buf *b, const cJSON *v)
{
  const cJSON *c = NULL;

  if (is(v, cJSON_String))
    lp_esc_json(b, v->valuestring);
  else if (is(v, cJSON_Number))
    put_number(b, v);
  else if (is(v, cJSON_Array) || is(v, cJSON_Object)) {
    lp_buf_putc(b, is(v, cJSON_Array) ? '[' : '{');
    for (c = v->child; c; c = c->next) {
      if (is(v, cJSON_Object)) {
        lp_esc_json(b, c->string);
        lp_buf_putc(b, ':');
      }
      dump(b, c);
      if (c->next)
        lp_buf_putc(b, ',');
    }
    lp_buf_putc(b, is(v, cJSON_Array) ? ']' : '}');
  } else
    lp_buf_puts(b, is(v, cJSON_True) ? "true" : is(v, cJSON_False) ? "false" : "null");
}

/* A scalar as text into b; arrays and objects as compact JSON. */
static void scalar(struct lp_buf *b, const cJSON *v)
{
  if (is(v, cJSON_String))
    lp_buf_puts(b, v->valuestring);
  else if (is(v, cJSON_Number))
    put_number(b, v);
  else
    dump(b, v);
}

static int add_fact(struct lpf_report *r, const char *name, const cJSON *v)
{
  struct lpf_fact *facts = realloc(r->facts, (r->nfacts + 1) * sizeof(*facts));
  const cJSON *c = NULL;
  struct lp_buf b;

  if (!facts)
    return -1;
  r->facts = facts;
  lp_buf_init(&b);
  if (is(v, cJSON_Array))
    for (c = v->child; c; c = c->next) {
      lp_buf_puts(&b, c == v->child ? "" : ", ");
      scalar(&b, c);
    }
  if (is(v, cJSON_Array) && !v->child)
    lp_buf_puts(&b, "none");
  else if (!is(v, cJSON_Array) && !is(v, cJSON_NULL))
    scalar(&b, v);
  facts[r->nfacts].name = lp_strdup(name);
  facts[r->nfacts].value = is(v, cJSON_NULL) ? NULL : lp_buf_take(&b, NULL);
  lp_buf_free(&b);
  r->nfacts++;
  return !facts[r->nfacts - 1].name || (!is(v, cJSON_NULL) && !facts[r->nfacts - 1].value) ? -1 : 0;
}

/* Every host fact, objects flattened with dotted names ("env.LIBEV_FLAGS"). */
static int flatten(struct lpf_report *r, const char *prefix, const cJSON *obj)
{
  const cJSON *v = NULL;
  char name[256];

  for (v = obj->child; v; v = v->next) {
    lp_fmt(name, sizeof(name), "%s%s%s", prefix, *prefix ? "." : "", v->string);
    if (noisy(name))
      continue;
    if (is(v, cJSON_Object) && !*prefix) {
      if (flatten(r, name, v) < 0)
        return -1;
    } else if (add_fact(r, name, v) < 0)
      return -1;
  }
  return 0;
}

static int parse_host(const cJSON *root, unsigned flags, struct lpf_report *r, char *err,
                      size_t err_len)
{
  const cJSON *host = get(root, "host");

  if (!is(host, cJSON_Object))
    return fail(err, err_len, "not a loopprobe report: %s \"host\"",
                host ? "not an object:" : "no");
  if (opt_string(host, "name", &r->host, "host", err, err_len) < 0)
    return -1;
  r->anonymized = is(get(host, "anonymized"), cJSON_True);
  if (!(flags & LPF_BRIEF) && flatten(r, "", host) < 0)
    return fail(err, err_len, "out of memory");
  return 0;
}

static int parse_top(const cJSON *root, struct lpf_report *r, char *err, size_t err_len)
{
  const cJSON *tool = get(root, "tool"), *code = get(root, "exit_code");
  long long n = 0;

  if (opt_string(root, "generated_at", &r->generated_at, "report", err, err_len) < 0 ||
      (is(tool, cJSON_Object) &&
       opt_string(tool, "version", &r->tool_version, "tool", err, err_len) < 0))
    return -1;
  if ((!r->generated_at && !(r->generated_at = lp_strdup(""))) ||
      (!r->tool_version && !(r->tool_version = lp_strdup(""))))
    return fail(err, err_len, "out of memory");
  if (code && !whole(code, &n))
    return fail(err, err_len, "\"exit_code\" is not an integer");
  if (code && (n < INT_MIN || n > INT_MAX))
    return fail(err, err_len, "\"exit_code\" is out of range");
  r->exit_code = code ? (int)n : -1;
  return 0;
}

/* Only whitespace in data[0..len). */
static int blank(const char *data, size_t len)
{
  size_t i;

  for (i = 0; i < len; i++)
    if (!strchr(" \t\r\n", data[i]) || !data[i])
      return 0;
  return 1;
}

static const char *kind_of(const cJSON *v)
{
  return is(v, cJSON_Array)    ? "an array"
         : is(v, cJSON_String) ? "a string"
         : is(v, cJSON_Number) ? "a number"
                               : "a literal";
}

int lpf_parse(const char *data, size_t len, unsigned flags, struct lpf_report **out, char *err,
              size_t err_len)
{
  const struct lpf_cjson *cj = NULL;
  struct lpf_report *r = NULL;
  struct lpf_arena arena;
  const char *end = NULL;
  cJSON *root = NULL;
  char why[1024];
  int rc = -1;

  *out = NULL;
  if (len == 0)
    return fail(err, err_len, "empty");
  if (blank(data, len))
    return fail(err, err_len, "empty: nothing but blanks");
  if (!(cj = lpf_cjson(why, sizeof(why))))
    return fail(err, err_len, "cannot read JSON: %s", why);
  lpf_cjson_arena_begin(&arena); /* every node of the tree, freed at once at the end */
  root = cj->parse(data, len, &end, 0);
  if (syntax(cj, root, data, len, end, err, err_len) < 0)
    goto out;
  if (!is(root, cJSON_Object)) {
    fail(err, err_len, "not a loopprobe report: the document is %s, not an object", kind_of(root));
    goto out;
  }
  if (check_schema(root, err, err_len) < 0)
    goto out;
  if (!(r = calloc(1, sizeof(*r)))) {
    fail(err, err_len, "out of memory");
    goto out;
  }
  if (parse_top(root, r, err, err_len) < 0 || parse_host(root, flags, r, err, err_len) < 0 ||
      parse_cells(root, flags, r, err, err_len) < 0 || parse_findings(root, r, err, err_len) < 0 ||
      parse_libraries(root, r, err, err_len) < 0)
    goto out;
  *out = r;
  r = NULL;
  rc = 0;
out:
  lpf_report_free(r);
  if (cj)
    lpf_cjson_arena_end(&arena, &root, 1);
  return rc;
}

#else /* no cJSON */

#define NOT_BUILT                                                                                  \
  "this loopprobe was built without cJSON, the JSON reader (install libcjson-dev and build again)"

enum lpf_reader lpf_reader(char *why, size_t why_len)
{
  if (why && why_len)
    lp_fmt(why, why_len, "%s", NOT_BUILT);
  return LPF_READER_NOT_BUILT;
}

void lpf_read_init(void)
{
}

int lpf_parse(const char *data, size_t len, unsigned flags, struct lpf_report **out, char *err,
              size_t err_len)
{
  (void)data, (void)len, (void)flags;
  *out = NULL;
  return fail(err, err_len, "%s", NOT_BUILT);
}

#endif

static int read_all(FILE *f, char **data, size_t *len)
{
  size_t cap = 0, n = 0;
  char *buf = NULL;

  for (;;) {
    size_t got;
    if (n == cap) {
      char *p = NULL;
      if (cap >= MAX_REPORT_BYTES) {
        free(buf);
        errno = EFBIG;
        return -1;
      }
      cap = cap ? cap * 2 : 16384;
      if (!(p = realloc(buf, cap))) {
        free(buf);
        errno = ENOMEM;
        return -1;
      }
      buf = p;
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0)
      break;
  }
  if (ferror(f)) {
    int saved = errno ? errno : EIO;
    free(buf);
    errno = saved;
    return -1;
  }
  *data = buf;
  *len = n;
  return 0;
}

int lpf_load(const char *path, unsigned flags, struct lpf_report **out, char *err, size_t err_len)
{
  struct stat st;
  FILE *f = NULL;
  char *data = NULL;
  size_t len = 0;
  int rc;

  *out = NULL;
  if (stat(path, &st) != 0)
    return fail(err, err_len, "cannot read: %s", strerror(errno));
  if (S_ISDIR(st.st_mode))
    return fail(err, err_len, "is a directory, not a report");
  if (!(f = fopen(path, "rb")))
    return fail(err, err_len, "cannot read: %s", strerror(errno));
  errno = 0;
  rc = read_all(f, &data, &len);
  fclose(f);
  if (rc < 0 && errno == EFBIG)
    return fail(err, err_len, "larger than %u MiB: not a loopprobe report", MAX_REPORT_BYTES >> 20);
  if (rc < 0)
    return fail(err, err_len, "cannot read: %s", strerror(errno));
  if (len == 0) {
    free(data);
    return fail(err, err_len, "empty file");
  }
  rc = lpf_parse(data, len, flags, out, err, err_len);
  free(data);
  return rc;
}
