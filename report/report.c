/* SPDX-License-Identifier: MIT */
/*
 * report.c - the report model: building it, reading it through the public
 * accessors, and the one rule that turns it into an exit status.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

struct lp_report *lp_report_new(void)
{
  return calloc(1, sizeof(struct lp_report));
}

static void *grow(void *p, size_t n, size_t size)
{
  return realloc(p, (n + 1) * size);
}

struct lp_cell *lp_report_add_cell(struct lp_report *r, enum lp_mechanism m, enum lp_layer l,
                                   enum lp_verdict v, const char *detail)
{
  struct lp_cell *cells = grow(r->cells, r->ncells, sizeof(*cells)), *c = NULL;

  if (!cells)
    return NULL;
  r->cells = cells;
  c = &cells[r->ncells];
  memset(c, 0, sizeof(*c));
  c->mech = m;
  c->layer = l;
  c->verdict = v;
  c->elapsed_us = -1;
  c->detail = lp_strdup(detail ? detail : "");
  if (!c->detail)
    return NULL;
  r->ncells++;
  return c;
}

struct lp_cell *lp_report_find_cell(const struct lp_report *r, enum lp_mechanism m, enum lp_layer l)
{
  size_t i;

  for (i = 0; i < r->ncells; i++)
    if (r->cells[i].mech == m && r->cells[i].layer == l)
      return &r->cells[i];
  return NULL;
}

struct lp_finding *lp_report_add_finding(struct lp_report *r, enum lp_severity sev,
                                         enum lp_finding_kind kind, int mech, int layer,
                                         const char *summary, const char *hint)
{
  struct lp_finding *fs = grow(r->findings, r->nfindings, sizeof(*fs)), *f = NULL;

  if (!fs)
    return NULL;
  r->findings = fs;
  f = &fs[r->nfindings];
  memset(f, 0, sizeof(*f));
  f->severity = sev;
  f->kind = kind;
  f->mech = mech;
  f->layer = layer;
  f->summary = lp_strdup(summary);
  f->hint = lp_strdup(hint);
  if (!f->summary || !f->hint) {
    free(f->summary);
    free(f->hint);
    return NULL;
  }
  r->nfindings++;
  return f;
}

struct lp_library *lp_report_add_library(struct lp_report *r, const char *name)
{
  struct lp_library *ls = grow(r->libs, r->nlibs, sizeof(*ls)), *l = NULL;

  if (!ls)
    return NULL;
  r->libs = ls;
  l = &ls[r->nlibs];
  memset(l, 0, sizeof(*l));
  l->name = lp_strdup(name);
  if (!l->name)
    return NULL;
  r->nlibs++;
  return l;
}

struct lp_library *lp_report_find_library(const struct lp_report *r, const char *name)
{
  size_t i;

  for (i = 0; i < r->nlibs; i++)
    if (strcmp(r->libs[i].name, name) == 0)
      return &r->libs[i];
  return NULL;
}

void lp_cell_name(char *buf, size_t size, int mech, int layer)
{
  if (mech < 0)
    lp_fmt(buf, size, "host");
  else if (layer < 0)
    lp_fmt(buf, size, "%s", lp_mechanism_name((enum lp_mechanism)mech));
  else
    lp_fmt(buf, size, "%s@%s", lp_mechanism_name((enum lp_mechanism)mech),
           lp_layer_name((enum lp_layer)layer));
}

void lp_report_count(const struct lp_report *r, size_t counts[LP_VERDICT_COUNT])
{
  size_t i;

  memset(counts, 0, sizeof(size_t) * LP_VERDICT_COUNT);
  for (i = 0; i < r->ncells; i++)
    counts[r->cells[i].verdict]++;
}

void lp_report_settle(struct lp_report *r)
{
  size_t i;
  int code = 0;

  for (i = 0; i < r->nfindings; i++)
    if (r->findings[i].kind == LP_FINDING_RUNNER_FAILED) {
      r->exit_code = 3;
      return;
    }
  if (r->has_require) {
    enum lp_verdict v[LP_MECH_COUNT][LP_LAYER_COUNT];
    int m, l;
    for (m = 0; m < LP_MECH_COUNT; m++)
      for (l = 0; l < LP_LAYER_COUNT; l++)
        v[m][l] = LP_VERDICT_SKIPPED;
    for (i = 0; i < r->ncells; i++)
      v[r->cells[i].mech][r->cells[i].layer] = r->cells[i].verdict;
    r->exit_code = lp_requirement_met(&r->require, v, &r->require_bad_m, &r->require_bad_l) ? 0 : 1;
    return;
  }
  for (i = 0; i < r->nfindings; i++)
    if (r->findings[i].severity == LP_SEVERITY_ERROR)
      code = 1;
  r->exit_code = code;
}

/* --- the public accessors --- */

int lp_report_exit_code(const struct lp_report *r)
{
  return r->exit_code;
}

size_t lp_report_cell_count(const struct lp_report *r)
{
  return r->ncells;
}

int lp_report_cell(const struct lp_report *r, size_t i, enum lp_mechanism *mech,
                   enum lp_layer *layer, enum lp_verdict *verdict, const char **detail)
{
  const struct lp_cell *c = NULL;

  if (i >= r->ncells)
    return -1;
  c = &r->cells[i];
  if (mech)
    *mech = c->mech;
  if (layer)
    *layer = c->layer;
  if (verdict)
    *verdict = c->verdict;
  if (detail)
    *detail = c->detail;
  return 0;
}

enum lp_verdict lp_report_verdict(const struct lp_report *r, enum lp_mechanism m, enum lp_layer l)
{
  const struct lp_cell *c = lp_report_find_cell(r, m, l);

  return c ? c->verdict : LP_VERDICT_SKIPPED;
}

size_t lp_report_finding_count(const struct lp_report *r)
{
  return r->nfindings;
}

int lp_report_finding(const struct lp_report *r, size_t i, enum lp_severity *sev,
                      enum lp_finding_kind *kind, const char **summary, const char **hint)
{
  const struct lp_finding *f = NULL;

  if (i >= r->nfindings)
    return -1;
  f = &r->findings[i];
  if (sev)
    *sev = f->severity;
  if (kind)
    *kind = f->kind;
  if (summary)
    *summary = f->summary;
  if (hint)
    *hint = f->hint;
  return 0;
}

void lp_report_free(struct lp_report *r)
{
  size_t i;

  if (!r)
    return;
  for (i = 0; i < r->ncells; i++) {
    free(r->cells[i].detail);
    free(r->cells[i].err_name);
    free(r->cells[i].signal_name);
    free(r->cells[i].provider);
  }
  for (i = 0; i < r->nfindings; i++) {
    lp_strv_free(&r->findings[i].cells);
    lp_strv_free(&r->findings[i].evidence);
    free(r->findings[i].summary);
    free(r->findings[i].hint);
  }
  for (i = 0; i < r->nlibs; i++) {
    free(r->libs[i].name);
    free(r->libs[i].compiled);
    free(r->libs[i].runtime);
    free(r->libs[i].default_mechanism);
    free(r->libs[i].soname);
    free(r->libs[i].package);
    free(r->libs[i].path);
    free(r->libs[i].absence);
    free(r->libs[i].why);
    free(r->libs[i].searched);
    free(r->libs[i].others);
  }
  free(r->cells);
  free(r->findings);
  free(r->libs);
  free(r->command_line);
  lp_host_free(&r->host);
  free(r);
}

void lp_free(void *p)
{
  free(p);
}
