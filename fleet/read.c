/* SPDX-License-Identifier: MIT */
/*
 * read.c - a loopprobe/1 report read back with jansson (model.h).
 *
 * The JSON itself is jansson's to judge; this file judges what it means:
 * the schema name and version, the types of the keys diff and merge use,
 * and the names that carry meaning (mechanism, layer, verdict, severity).
 * Keys it does not know are ignored (loopprobe/1 may gain keys).
 *
 * Traps: a reason may quote the input, which can hold any byte: quotes
 * are bounded here, and escaped by whoever prints the reason.  A
 * truncated file is told from other syntax errors by where jansson
 * stopped: at the very end of the input.  jansson keeps an object's keys
 * in insertion order, which is what makes the flattened host facts come
 * out in the report's own order.  Built without jansson (LP_HAVE_JANSSON
 * 0), lpf_can_read() says so and every read fails with that reason.
 */
#define _POSIX_C_SOURCE 200809L
#include "model.h"

#include "../base/spec.h"
#include "../report/report.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef LP_HAVE_JANSSON
#define LP_HAVE_JANSSON 0
#endif

#if LP_HAVE_JANSSON
#include <jansson.h>
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

#if LP_HAVE_JANSSON

/* At most 60 bytes of s, into out, "..." after a cut.  Not escaped: the
   caller escapes the whole reason for where it goes. */
static const char *quoted(char *out, size_t size, const char *s)
{
  lp_fmt(out, size, "%.60s%s", s, strlen(s) > 60 ? "..." : "");
  return out;
}

int lpf_can_read(void)
{
  return 1;
}

void lpf_read_init(void)
{
  json_object_seed(0); /* picks the hash seed now, not racing in the threads */
}

/* A copy of the string at key, NULL for null or absent; -1 for another
   type or out of memory. */
static int opt_string(json_t *obj, const char *key, char **out, const char *where, char *err,
                      size_t err_len)
{
  json_t *v = json_object_get(obj, key);

  *out = NULL;
  if (!v || json_is_null(v))
    return 0;
  if (!json_is_string(v))
    return fail(err, err_len, "%s: \"%s\" is not a string", where, key);
  *out = lp_strdup(json_string_value(v));
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
static const char *need_string(json_t *obj, const char *key, const char *where, char *err,
                               size_t err_len)
{
  json_t *v = json_object_get(obj, key);

  if (!json_is_string(v)) {
    fail(err, err_len, "%s: %s \"%s\"", where, v ? "not a string:" : "no", key);
    return NULL;
  }
  return json_string_value(v);
}

static int check_schema(json_t *root, char *err, size_t err_len)
{
  json_t *v = json_object_get(root, "schema");
  const char *s = NULL, *slash = NULL;
  char q[256];
  long version = 0;

  if (!v)
    return fail(err, err_len, "not a loopprobe report: no \"schema\" key");
  if (!json_is_string(v))
    return fail(err, err_len, "not a loopprobe report: \"schema\" is not a string");
  s = json_string_value(v);
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

static int parse_cell(json_t *c, size_t i, unsigned flags, struct lpf_report *r,
                      unsigned seen[LP_MECH_COUNT], char *err, size_t err_len)
{
  char where[48], q[256];
  const char *mech = NULL, *layer = NULL, *verdict = NULL;
  struct lpf_cell *cell = &r->cells[r->ncells];
  int m, l, v;

  lp_fmt(where, sizeof(where), "cells[%zu]", i);
  if (!json_is_object(c))
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

static int parse_cells(json_t *root, unsigned flags, struct lpf_report *r, char *err,
                       size_t err_len)
{
  json_t *cells = json_object_get(root, "cells");
  unsigned seen[LP_MECH_COUNT];
  size_t i;

  if (!json_is_array(cells))
    return fail(err, err_len, "not a loopprobe report: %s \"cells\"",
                cells ? "not an array:" : "no");
  memset(seen, 0, sizeof(seen));
  r->cells = calloc(json_array_size(cells) + 1, sizeof(*r->cells));
  if (!r->cells)
    return fail(err, err_len, "out of memory");
  for (i = 0; i < json_array_size(cells); i++)
    if (parse_cell(json_array_get(cells, i), i, flags, r, seen, err, err_len) < 0)
      return -1;
  return 0;
}

/* f->where: the first cell, else MECHANISM@LAYER, MECHANISM or "host". */
static int finding_where(json_t *f, struct lpf_finding *out)
{
  json_t *m = json_object_get(f, "mechanism"), *l = json_object_get(f, "layer");
  char where[128];

  if (out->cells.n)
    lp_fmt(where, sizeof(where), "%s", out->cells.v[0]);
  else if (json_is_string(m) && json_is_string(l))
    lp_fmt(where, sizeof(where), "%s@%s", json_string_value(m), json_string_value(l));
  else if (json_is_string(m))
    lp_fmt(where, sizeof(where), "%s", json_string_value(m));
  else
    lp_fmt(where, sizeof(where), "host");
  out->where = lp_strdup(where);
  return out->where ? 0 : -1;
}

static int parse_finding(json_t *f, size_t i, struct lpf_report *r, char *err, size_t err_len)
{
  struct lpf_finding *out = &r->findings[r->nfindings];
  const char *sev = NULL, *kind = NULL;
  json_t *cells = NULL;
  char where[48], q[256];
  size_t k;
  int s;

  lp_fmt(where, sizeof(where), "findings[%zu]", i);
  memset(out, 0, sizeof(*out));
  if (!json_is_object(f))
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
  cells = json_object_get(f, "cells");
  if (cells && !json_is_array(cells))
    return fail(err, err_len, "%s: \"cells\" is not an array", where);
  for (k = 0; cells && k < json_array_size(cells); k++) {
    json_t *c = json_array_get(cells, k);
    if (!json_is_string(c))
      return fail(err, err_len, "%s: cells[%zu] is not a string", where, k);
    if (lp_strv_add(&out->cells, json_string_value(c)) < 0)
      return fail(err, err_len, "out of memory");
  }
  return finding_where(f, out) < 0 ? fail(err, err_len, "out of memory") : 0;
}

static int parse_findings(json_t *root, struct lpf_report *r, char *err, size_t err_len)
{
  json_t *fs = json_object_get(root, "findings");
  size_t i;

  if (!json_is_array(fs))
    return fail(err, err_len, "not a loopprobe report: %s \"findings\"",
                fs ? "not an array:" : "no");
  r->findings = calloc(json_array_size(fs) + 1, sizeof(*r->findings));
  if (!r->findings)
    return fail(err, err_len, "out of memory");
  for (i = 0; i < json_array_size(fs); i++)
    if (parse_finding(json_array_get(fs, i), i, r, err, err_len) < 0)
      return -1;
  return 0;
}

static int parse_libraries(json_t *root, struct lpf_report *r, char *err, size_t err_len)
{
  json_t *libs = json_object_get(root, "libraries");
  char where[48];
  size_t i;

  if (!libs || json_is_null(libs))
    return 0;
  if (!json_is_array(libs))
    return fail(err, err_len, "\"libraries\" is not an array");
  r->libs = calloc(json_array_size(libs) + 1, sizeof(*r->libs));
  if (!r->libs)
    return fail(err, err_len, "out of memory");
  for (i = 0; i < json_array_size(libs); i++) {
    json_t *l = json_array_get(libs, i);
    struct lpf_library *out = &r->libs[r->nlibs];
    lp_fmt(where, sizeof(where), "libraries[%zu]", i);
    if (!json_is_object(l))
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

/* A scalar as text into b; arrays and objects as compact JSON. */
static void scalar(struct lp_buf *b, json_t *v)
{
  char *dump = NULL;

  if (json_is_string(v))
    lp_buf_puts(b, json_string_value(v));
  else if (json_is_integer(v))
    lp_buf_printf(b, "%lld", (long long)json_integer_value(v));
  else if (json_is_real(v))
    lp_buf_printf(b, "%g", json_real_value(v));
  else if (json_is_boolean(v))
    lp_buf_puts(b, json_is_true(v) ? "true" : "false");
  else if ((dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)) != NULL) {
    lp_buf_puts(b, dump);
    free(dump);
  } else
    b->failed = 1;
}

static int add_fact(struct lpf_report *r, const char *name, json_t *v)
{
  struct lpf_fact *facts = realloc(r->facts, (r->nfacts + 1) * sizeof(*facts));
  struct lp_buf b;
  size_t i;

  if (!facts)
    return -1;
  r->facts = facts;
  lp_buf_init(&b);
  for (i = 0; json_is_array(v) && i < json_array_size(v); i++) {
    lp_buf_puts(&b, i ? ", " : "");
    scalar(&b, json_array_get(v, i));
  }
  if (json_is_array(v) && !json_array_size(v))
    lp_buf_puts(&b, "none");
  else if (!json_is_array(v) && !json_is_null(v))
    scalar(&b, v);
  facts[r->nfacts].name = lp_strdup(name);
  facts[r->nfacts].value = json_is_null(v) ? NULL : lp_buf_take(&b, NULL);
  lp_buf_free(&b);
  r->nfacts++;
  return !facts[r->nfacts - 1].name || (!json_is_null(v) && !facts[r->nfacts - 1].value) ? -1 : 0;
}

/* Every host fact, objects flattened with dotted names ("env.LIBEV_FLAGS"). */
static int flatten(struct lpf_report *r, const char *prefix, json_t *obj)
{
  const char *key = NULL;
  json_t *v = NULL;
  char name[256];

  json_object_foreach(obj, key, v)
  {
    lp_fmt(name, sizeof(name), "%s%s%s", prefix, *prefix ? "." : "", key);
    if (noisy(name))
      continue;
    if (json_is_object(v) && !*prefix) {
      if (flatten(r, name, v) < 0)
        return -1;
    } else if (add_fact(r, name, v) < 0)
      return -1;
  }
  return 0;
}

static int parse_host(json_t *root, unsigned flags, struct lpf_report *r, char *err, size_t err_len)
{
  json_t *host = json_object_get(root, "host");

  if (!json_is_object(host))
    return fail(err, err_len, "not a loopprobe report: %s \"host\"",
                host ? "not an object:" : "no");
  if (opt_string(host, "name", &r->host, "host", err, err_len) < 0)
    return -1;
  r->anonymized = json_is_true(json_object_get(host, "anonymized"));
  if (!(flags & LPF_BRIEF) && flatten(r, "", host) < 0)
    return fail(err, err_len, "out of memory");
  return 0;
}

static int parse_top(json_t *root, struct lpf_report *r, char *err, size_t err_len)
{
  json_t *tool = json_object_get(root, "tool"), *code = json_object_get(root, "exit_code");

  if (opt_string(root, "generated_at", &r->generated_at, "report", err, err_len) < 0 ||
      (json_is_object(tool) &&
       opt_string(tool, "version", &r->tool_version, "tool", err, err_len) < 0))
    return -1;
  if ((!r->generated_at && !(r->generated_at = lp_strdup(""))) ||
      (!r->tool_version && !(r->tool_version = lp_strdup(""))))
    return fail(err, err_len, "out of memory");
  if (code && !json_is_integer(code))
    return fail(err, err_len, "\"exit_code\" is not an integer");
  r->exit_code = code ? (int)json_integer_value(code) : -1;
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

/* A document that starts like a report and stops at the end of the input
   was cut short; anything else is not JSON. */
static int syntax_error(const json_error_t *e, const char *data, size_t len, char *err,
                        size_t err_len)
{
  size_t first = 0;
  char q[512];

  while (first < len && strchr(" \t\r\n", data[first]) && data[first])
    first++;
  if (first < len && data[first] == '{' && (size_t)e->position >= len &&
      !strstr(e->text, "end of file expected"))
    return fail(err, err_len, "truncated: the JSON ends at line %d before the document does (%s)",
                e->line, quoted(q, sizeof(q), e->text));
  return fail(err, err_len, "not JSON: %s (line %d, column %d)", quoted(q, sizeof(q), e->text),
              e->line, e->column);
}

int lpf_parse(const char *data, size_t len, unsigned flags, struct lpf_report **out, char *err,
              size_t err_len)
{
  struct lpf_report *r = NULL;
  json_error_t e;
  json_t *root = NULL;
  int rc = -1;

  *out = NULL;
  if (len == 0)
    return fail(err, err_len, "empty");
  if (blank(data, len))
    return fail(err, err_len, "empty: nothing but blanks");
  root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &e);
  if (!root)
    return syntax_error(&e, data, len, err, err_len);
  if (!json_is_object(root)) {
    fail(err, err_len, "not a loopprobe report: the document is a JSON %s, not an object",
         json_is_array(root) ? "array" : "value");
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
  json_decref(root);
  return rc;
}

#else /* no jansson */

int lpf_can_read(void)
{
  return 0;
}

void lpf_read_init(void)
{
}

int lpf_parse(const char *data, size_t len, unsigned flags, struct lpf_report **out, char *err,
              size_t err_len)
{
  (void)data, (void)len, (void)flags;
  *out = NULL;
  return fail(err, err_len, "this loopprobe was built without a JSON reader (jansson)");
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
