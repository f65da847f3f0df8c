/* SPDX-License-Identifier: MIT */
/*
 * diff.c - comparing two reports (diff.h), and the three ways in:
 * loopprobe diff OLD NEW, and --baseline FILE against the report of this
 * run.  The run's report is compared as its JSON says it, read back the
 * way a file is: --baseline and diff cannot disagree.
 */
#include "diff.h"
#include "fleet.h"
#include "write.h"

#include "../report/report.h"

#include <stdlib.h>
#include <string.h>

static int grow(void **p, size_t n, size_t size)
{
  void *q = realloc(*p, (n + 1) * size);

  if (!q)
    return -1;
  *p = q;
  return 0;
}

static void add_change(struct lpf_diff *d, enum lpf_direction dir, int m, int l,
                       enum lp_verdict before, enum lp_verdict after, const char *detail)
{
  struct lpf_change *c = NULL;

  if (grow((void **)&d->cells[dir], d->ncells[dir], sizeof(*c)) < 0) {
    d->failed = 1;
    return;
  }
  c = &d->cells[dir][d->ncells[dir]++];
  c->mech = m;
  c->layer = l;
  c->before = before;
  c->after = after;
  c->detail = detail;
}

static void compare_cells(struct lpf_diff *d)
{
  int m, l;

  for (m = 0; m < LP_MECH_COUNT; m++)
    for (l = 0; l < LP_LAYER_COUNT; l++) {
      const struct lpf_cell *a = lpf_find_cell(d->old, m, l), *b = lpf_find_cell(d->new, m, l);
      enum lp_verdict va = a ? (enum lp_verdict)a->verdict : LP_VERDICT_SKIPPED;
      enum lp_verdict vb = b ? (enum lp_verdict)b->verdict : LP_VERDICT_SKIPPED;
      const char *detail = b && b->detail ? b->detail : a ? a->detail : NULL;
      if (va == vb)
        continue;
      add_change(d,
                 va == LP_VERDICT_OK   ? LPF_WORSE
                 : vb == LP_VERDICT_OK ? LPF_BETTER
                                       : LPF_OTHER,
                 m, l, va, vb, detail);
    }
}

static int same_finding(const struct lpf_finding *a, const struct lpf_finding *b)
{
  size_t i;

  if (a->severity != b->severity || strcmp(a->kind, b->kind) != 0 ||
      strcmp(a->where, b->where) != 0 || a->cells.n != b->cells.n)
    return 0;
  for (i = 0; i < a->cells.n; i++)
    if (strcmp(a->cells.v[i], b->cells.v[i]) != 0)
      return 0;
  return 1;
}

/* The findings of a that b lacks, into *out. */
static size_t missing_from(const struct lpf_report *a, const struct lpf_report *b,
                           const struct lpf_finding ***out, int *failed)
{
  size_t i, k, n = 0;

  for (i = 0; i < a->nfindings; i++) {
    for (k = 0; k < b->nfindings; k++)
      if (same_finding(&a->findings[i], &b->findings[k]))
        break;
    if (k < b->nfindings)
      continue;
    if (grow((void **)out, n, sizeof(**out)) < 0) {
      *failed = 1;
      return n;
    }
    (*out)[n++] = &a->findings[i];
  }
  return n;
}

static int differ(const char *a, const char *b)
{
  return (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
}

static void add_value(struct lpf_value_change **v, size_t *n, int *failed, const char *what,
                      const char *field, const char *before, const char *after)
{
  if (!differ(before, after))
    return;
  if (grow((void **)v, *n, sizeof(**v)) < 0) {
    *failed = 1;
    return;
  }
  (*v)[*n].what = what;
  (*v)[*n].field = field;
  (*v)[*n].before = before;
  (*v)[*n].after = after;
  (*n)++;
}

static const struct lpf_library *find_lib(const struct lpf_report *r, const char *name)
{
  size_t i;

  for (i = 0; i < r->nlibs; i++)
    if (strcmp(r->libs[i].name, name) == 0)
      return &r->libs[i];
  return NULL;
}

static void compare_lib(struct lpf_diff *d, const char *name, const struct lpf_library *a,
                        const struct lpf_library *b)
{
  static const struct lpf_library none;

  a = a ? a : &none;
  b = b ? b : &none;
  add_value(&d->libs, &d->nlibs, &d->failed, name, "compiled", a->compiled, b->compiled);
  add_value(&d->libs, &d->nlibs, &d->failed, name, "runtime", a->runtime, b->runtime);
  add_value(&d->libs, &d->nlibs, &d->failed, name, "default_mechanism", a->default_mechanism,
            b->default_mechanism);
}

static void compare_libs(struct lpf_diff *d)
{
  size_t i;

  for (i = 0; i < d->new->nlibs; i++)
    compare_lib(d, d->new->libs[i].name, find_lib(d->old, d->new->libs[i].name), &d->new->libs[i]);
  for (i = 0; i < d->old->nlibs; i++)
    if (!find_lib(d->new, d->old->libs[i].name))
      compare_lib(d, d->old->libs[i].name, &d->old->libs[i], NULL);
}

static void compare_facts(struct lpf_diff *d)
{
  const struct lpf_fact *f = NULL;
  size_t i;

  add_value(&d->facts, &d->nfacts, &d->failed, "loopprobe version", NULL, d->old->tool_version,
            d->new->tool_version);
  for (i = 0; i < d->new->nfacts; i++) {
    f = lpf_find_fact(d->old, d->new->facts[i].name);
    add_value(&d->facts, &d->nfacts, &d->failed, d->new->facts[i].name, NULL, f ? f->value : NULL,
              d->new->facts[i].value);
  }
  for (i = 0; i < d->old->nfacts; i++)
    if (!lpf_find_fact(d->new, d->old->facts[i].name))
      add_value(&d->facts, &d->nfacts, &d->failed, d->old->facts[i].name, NULL,
                d->old->facts[i].value, NULL);
}

void lpf_diff_compute(struct lpf_diff *d, const struct lpf_report *old, const char *old_file,
                      const struct lpf_report *new, const char *new_file)
{
  size_t i;

  memset(d, 0, sizeof(*d));
  d->old = old;
  d->new = new;
  d->old_file = old_file;
  d->new_file = new_file;
  compare_cells(d);
  d->nappeared = missing_from(new, old, &d->appeared, &d->failed);
  d->ngone = missing_from(old, new, &d->gone, &d->failed);
  for (i = 0; i < d->nappeared; i++)
    d->new_errors += d->appeared[i]->severity == LP_SEVERITY_ERROR;
  compare_libs(d);
  compare_facts(d);
}

void lpf_diff_free(struct lpf_diff *d)
{
  int k;

  for (k = 0; k < LPF_DIRECTIONS; k++)
    free(d->cells[k]);
  free(d->appeared);
  free(d->gone);
  free(d->libs);
  free(d->facts);
  memset(d, 0, sizeof(*d));
}

int lpf_diff_worse(const struct lpf_diff *d)
{
  return d->ncells[LPF_WORSE] > 0 || d->new_errors > 0;
}

/* --- the commands --- */

static void render(const struct lpf_diff *d, const struct lpf_style *st, struct lpf_result *res)
{
  if (st->format == LP_FORMAT_JSON)
    lpf_diff_json(d, &res->doc);
  else if (st->format == LP_FORMAT_MARKDOWN)
    lpf_diff_markdown(d, &res->doc);
  else if (st->format == LP_FORMAT_SUMMARY)
    lpf_diff_summary(d, &res->doc);
  else
    lpf_diff_text(d, st->width, &res->doc);
  if (d->failed || lp_buf_failed(&res->doc)) {
    lpf_problem(res, "loopprobe", "out of memory while comparing the reports");
    res->status = 3;
    return;
  }
  res->status = lpf_diff_worse(d);
}

static void diff_reports(const struct lpf_report *old, const char *old_file,
                         const struct lpf_report *new, const char *new_file,
                         const struct lpf_style *st, struct lpf_result *res)
{
  struct lpf_diff d;

  lpf_diff_compute(&d, old, old_file, new, new_file);
  render(&d, st, res);
  lpf_diff_free(&d);
}

void lpf_diff_files(const char *old_path, const char *new_path, const struct lpf_style *st,
                    struct lpf_result *res)
{
  struct lpf_report *old = NULL, *new = NULL;
  char err[512];

  res->status = 0;
  if (lpf_load(old_path, 0, &old, err, sizeof(err)) < 0)
    lpf_problem(res, old_path, err);
  if (lpf_load(new_path, 0, &new, err, sizeof(err)) < 0)
    lpf_problem(res, new_path, err);
  if (old && new)
    diff_reports(old, old_path, new, new_path, st, res);
  else
    res->status = 3;
  lpf_report_free(old);
  lpf_report_free(new);
}

void lpf_diff_baseline(const char *baseline, const struct lp_report *run,
                       const struct lpf_style *st, struct lpf_result *res)
{
  struct lpf_report *old = NULL, *new = NULL;
  size_t len = 0;
  char err[512];
  char *json = lp_report_format(run, LP_FORMAT_JSON, 0, &len);

  res->status = 3;
  if (!json)
    lpf_problem(res, "loopprobe", "out of memory while formatting the report");
  else if (lpf_load(baseline, 0, &old, err, sizeof(err)) < 0)
    lpf_problem(res, baseline, err);
  else if (lpf_parse(json, len, 0, &new, err, sizeof(err)) < 0)
    lpf_problem(res, "this run's report", err);
  else
    diff_reports(old, baseline, new, NULL, st, res);
  lp_free(json);
  lpf_report_free(old);
  lpf_report_free(new);
}
