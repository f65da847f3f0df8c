/* SPDX-License-Identifier: MIT */
/*
 * edit.c - the calls a binding uses to add the cells and findings of a
 * layer it probes itself (the Python binding's python layer) to a report,
 * so that one set of writers and one exit-code rule cover every layer
 * (loopprobe.h, section "Embedding").
 */
#include "loopprobe.h"

#include "../base/util.h"
#include "report.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int before(const struct lp_cell *c, enum lp_mechanism m, enum lp_layer l)
{
  return c->mech < m || (c->mech == m && c->layer < l);
}

/* Appends cell (m, l) and moves it to its place in matrix order. */
static struct lp_cell *insert_cell(struct lp_report *r, enum lp_mechanism m, enum lp_layer l)
{
  struct lp_cell added;
  size_t pos = 0;

  if (!lp_report_add_cell(r, m, l, LP_VERDICT_SKIPPED, ""))
    return NULL;
  added = r->cells[r->ncells - 1];
  while (pos < r->ncells - 1 && before(&r->cells[pos], m, l))
    pos++;
  memmove(&r->cells[pos + 1], &r->cells[pos], (r->ncells - 1 - pos) * sizeof(r->cells[0]));
  r->cells[pos] = added;
  return &r->cells[pos];
}

static void swap_str(char **a, char **b)
{
  char *t = *a;

  *a = *b;
  *b = t;
}

int lp_report_set_cell(struct lp_report *r, enum lp_mechanism m, enum lp_layer l, enum lp_verdict v,
                       const char *detail, const char *errno_name, const char *provider,
                       long long elapsed_us)
{
  char *text = NULL, *err = NULL, *prov = NULL;
  struct lp_cell *c = NULL;
  int rc = -1;

  if (!r || (unsigned)m >= LP_MECH_COUNT || (unsigned)l >= LP_LAYER_COUNT ||
      (unsigned)v >= LP_VERDICT_COUNT)
    return -1;
  text = lp_strdup(detail ? detail : "");
  if (!text || lp_strdup_optional(errno_name, &err) < 0 || lp_strdup_optional(provider, &prov) < 0)
    goto out;
  c = lp_report_find_cell(r, m, l);
  if (!c)
    c = insert_cell(r, m, l);
  if (!c)
    goto out;
  swap_str(&c->detail, &text); /* the old strings are freed below */
  swap_str(&c->err_name, &err);
  swap_str(&c->provider, &prov);
  c->verdict = v;
  c->elapsed_us = elapsed_us < 0 ? -1 : (int64_t)elapsed_us;
  r->layers |= 1u << l;
  lp_report_settle(r);
  rc = 0;
out:
  free(text);
  free(err);
  free(prov);
  return rc;
}

int lp_report_add_finding_for(struct lp_report *r, enum lp_severity sev, enum lp_finding_kind kind,
                              int m, int l, const char *summary, const char *hint)
{
  if (!r || !summary || !hint || (unsigned)sev >= LP_SEVERITY_COUNT ||
      (unsigned)kind >= LP_FINDING_COUNT || m < -1 || m >= LP_MECH_COUNT || l < -1 ||
      l >= LP_LAYER_COUNT || r->nfindings >= (size_t)INT_MAX)
    return -1;
  if (!lp_report_add_finding(r, sev, kind, m, l, summary, hint))
    return -1;
  lp_report_settle(r);
  return (int)(r->nfindings - 1);
}

int lp_report_finding_add_cell(struct lp_report *r, size_t i, const char *s)
{
  if (!r || !s || i >= r->nfindings)
    return -1;
  return lp_strv_add(&r->findings[i].cells, s);
}

int lp_report_finding_add_evidence(struct lp_report *r, size_t i, const char *s)
{
  if (!r || !s || i >= r->nfindings)
    return -1;
  return lp_strv_add(&r->findings[i].evidence, s);
}
