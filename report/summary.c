/* SPDX-License-Identifier: MIT */
/*
 * summary.c - the verdict line and lp_report_format(), shared by every
 * writer.
 */
#include "escape.h"
#include "writers.h"

#include <string.h>

#define MAX_LISTED 4

const char *lp_seccomp_name(int mode)
{
  switch (mode) {
  case 0:
    return "disabled";
  case 1:
    return "strict";
  case 2:
    return "filter";
  default:
    return NULL;
  }
}

static int is_problem(const struct lp_report *r, const struct lp_cell *c)
{
  size_t i, k;
  char name[48];

  lp_cell_name(name, sizeof(name), (int)c->mech, (int)c->layer);
  for (i = 0; i < r->nfindings; i++)
    for (k = 0; k < r->findings[i].cells.n; k++)
      if (r->findings[i].severity == LP_SEVERITY_ERROR &&
          strcmp(r->findings[i].cells.v[k], name) == 0)
        return 1;
  return 0;
}

static void list_problems(const struct lp_report *r, struct lp_buf *b)
{
  size_t i, listed = 0, more = 0;
  char name[48];

  for (i = 0; i < r->ncells; i++) {
    const struct lp_cell *c = &r->cells[i];
    if (!is_problem(r, c))
      continue;
    if (listed == MAX_LISTED) {
      more++;
      continue;
    }
    lp_cell_name(name, sizeof(name), (int)c->mech, (int)c->layer);
    lp_buf_printf(b, "%s%s %s", listed ? ", " : "", name, lp_verdict_name(c->verdict));
    listed++;
  }
  if (more)
    lp_buf_printf(b, " and %zu more", more);
}

static void counts(const struct lp_report *r, struct lp_buf *b)
{
  size_t n[LP_VERDICT_COUNT], w = 0, i;
  int v, first = 1;

  lp_report_count(r, n);
  for (v = 0; v < LP_VERDICT_COUNT; v++) {
    if (!n[v])
      continue;
    lp_buf_printf(b, "%s%zu %s", first ? "" : ", ", n[v], lp_verdict_name((enum lp_verdict)v));
    first = 0;
  }
  for (i = 0; i < r->nfindings; i++)
    w += r->findings[i].severity == LP_SEVERITY_WARNING;
  if (w)
    lp_buf_printf(b, "; %zu warning%s", w, w == 1 ? "" : "s");
}

static void require_line(const struct lp_report *r, struct lp_buf *b)
{
  char name[48];

  if (r->exit_code == 0) {
    lp_buf_puts(b, "every required cell is ok (exit 0)");
    return;
  }
  lp_cell_name(name, sizeof(name), r->require_bad_m, r->require_bad_l);
  if (r->require_bad_l < 0)
    lp_buf_printf(b, "requirement not met (exit 1): no layer of %s applies here", name);
  else
    lp_buf_printf(b, "requirement not met (exit 1): %s is %s", name,
                  lp_verdict_name(lp_report_verdict(r, (enum lp_mechanism)r->require_bad_m,
                                                    (enum lp_layer)r->require_bad_l)));
}

unsigned lp_verdicts_shown(const struct lp_report *r)
{
  unsigned shown = 0;
  size_t i;

  for (i = 0; i < r->ncells; i++)
    if (r->layers & (1u << r->cells[i].layer))
      shown |= 1u << r->cells[i].verdict;
  return shown;
}

void lp_verdict_line(const struct lp_report *r, struct lp_buf *b)
{
  if (r->exit_code == 3) {
    lp_buf_puts(b, "loopprobe could not run every probe (exit 3): ");
    list_problems(r, b);
  } else if (r->has_require)
    require_line(r, b);
  else if (r->exit_code == 0)
    lp_buf_puts(b, "ok (exit 0)");
  else {
    lp_buf_puts(b, "problems (exit 1): ");
    list_problems(r, b);
  }
  lp_buf_puts(b, "; ");
  counts(r, b);
}

char *lp_report_format(const struct lp_report *r, enum lp_format fmt, unsigned flags, size_t *len)
{
  struct lp_buf b;

  lp_buf_init(&b);
  if (fmt == LP_FORMAT_JSON)
    lp_write_json(r, &b);
  else if (fmt == LP_FORMAT_MARKDOWN)
    lp_write_markdown(r, &b);
  else
    lp_write_text(r, flags, &b);
  return lp_buf_take(&b, len);
}
