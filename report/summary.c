/* SPDX-License-Identifier: MIT */
/*
 * summary.c - what every writer shares: the verdict line, which rows the
 * matrix leaves out, which finding explains a cell, and
 * lp_report_format_sized(), which picks the writer and the width.
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

int lp_cell_severity(const struct lp_report *r, enum lp_mechanism m, enum lp_layer l)
{
  size_t i, k;
  char name[48];
  int worst = -1;

  lp_cell_name(name, sizeof(name), (int)m, (int)l);
  for (i = 0; i < r->nfindings; i++)
    for (k = 0; k < r->findings[i].cells.n; k++)
      if (strcmp(r->findings[i].cells.v[k], name) == 0 &&
          (worst < 0 || (int)r->findings[i].severity < worst))
        worst = (int)r->findings[i].severity;
  return worst;
}

/* The cells error findings name, then the kinds of those that name none. */
static void list_problems(const struct lp_report *r, struct lp_buf *b)
{
  size_t i, listed = 0, more = 0;
  char name[48];

  for (i = 0; i < r->ncells; i++) {
    const struct lp_cell *c = &r->cells[i];
    if (lp_cell_severity(r, c->mech, c->layer) != LP_SEVERITY_ERROR)
      continue;
    if (listed == MAX_LISTED) {
      more++;
      continue;
    }
    lp_cell_name(name, sizeof(name), (int)c->mech, (int)c->layer);
    lp_buf_printf(b, "%s%s %s", listed ? ", " : "", name, lp_verdict_name(c->verdict));
    listed++;
  }
  for (i = 0; i < r->nfindings && more == 0 && listed < MAX_LISTED; i++)
    if (r->findings[i].severity == LP_SEVERITY_ERROR && r->findings[i].cells.n == 0)
      lp_buf_printf(b, "%s%s", listed++ ? ", " : "", lp_finding_kind_name(r->findings[i].kind));
  if (more)
    lp_buf_printf(b, " and %zu more", more);
}

void lp_verdict_counts(const struct lp_report *r, struct lp_buf *b)
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

static void require_head(const struct lp_report *r, struct lp_buf *b)
{
  char name[48];

  if (r->exit_code == 0) {
    lp_buf_puts(b, "ok (exit 0): every required cell is ok");
    return;
  }
  lp_cell_name(name, sizeof(name), r->require_bad_m, r->require_bad_l);
  if (r->require_bad_l < 0)
    lp_buf_printf(b, "problems (exit 1): requirement not met: no layer of %s applies here", name);
  else
    lp_buf_printf(b, "problems (exit 1): requirement not met: %s is %s", name,
                  lp_verdict_name(lp_report_verdict(r, (enum lp_mechanism)r->require_bad_m,
                                                    (enum lp_layer)r->require_bad_l)));
}

int lp_row_hidden(const struct lp_report *r, int m, unsigned flags)
{
  int l;

  if (flags & LP_WRITE_ALL)
    return 0;
  for (l = 0; l < LP_LAYER_COUNT; l++)
    if ((r->layers & (1u << l)) &&
        lp_report_verdict(r, (enum lp_mechanism)m, (enum lp_layer)l) != LP_VERDICT_NA)
      return 0;
  return r->layers != 0;
}

size_t lp_rows_hidden(const struct lp_report *r, unsigned flags, struct lp_buf *b)
{
  size_t n = 0;
  int m;

  for (m = 0; m < LP_MECH_COUNT; m++)
    if (lp_row_hidden(r, m, flags))
      lp_buf_printf(b, "%s%s", n++ ? ", " : "", lp_mechanism_name((enum lp_mechanism)m));
  return n;
}

unsigned lp_verdicts_shown(const struct lp_report *r, unsigned flags)
{
  unsigned shown = 0;
  size_t i;

  for (i = 0; i < r->ncells; i++)
    if ((r->layers & (1u << r->cells[i].layer)) && !lp_row_hidden(r, (int)r->cells[i].mech, flags))
      shown |= 1u << r->cells[i].verdict;
  return shown;
}

int lp_verdict_head(const struct lp_report *r, struct lp_buf *b)
{
  if (r->exit_code == 0 && !r->has_require) {
    lp_buf_puts(b, "ok (exit 0)");
    return 0;
  }
  if (r->exit_code == 3) {
    size_t before;
    lp_buf_puts(b, "problems (exit 3): loopprobe could not run every probe: ");
    before = b->len;
    list_problems(r, b);
    if (b->len == before && !lp_buf_failed(b)) {
      b->len -= 2; /* nothing to name: no ": " */
      b->data[b->len] = '\0';
    }
  } else if (r->has_require)
    require_head(r, b);
  else {
    lp_buf_printf(b, "problems (exit %d): ", r->exit_code);
    list_problems(r, b);
  }
  return 1;
}

void lp_verdict_line(const struct lp_report *r, struct lp_buf *b)
{
  lp_buf_puts(b, lp_verdict_head(r, b) ? "; " : ": ");
  lp_verdict_counts(r, b);
}

/* The text report's last line, alone. */
static void write_summary(const struct lp_report *r, struct lp_buf *b)
{
  lp_buf_puts(b, "verdict: ");
  lp_verdict_line(r, b);
  lp_buf_putc(b, '\n');
}

/* The narrowest a text report gets: the mechanism column and one column
   per layer. */
static unsigned matrix_width(const struct lp_report *r)
{
  unsigned w = 10;
  int l;

  for (l = 0; l < LP_LAYER_COUNT; l++)
    if (r->layers & (1u << l))
      w += 10;
  return w;
}

char *lp_report_format_sized(const struct lp_report *r, enum lp_format fmt, unsigned flags,
                             unsigned width, size_t max_size, size_t *len)
{
  struct lp_write_opts o;
  struct lp_buf b;

  if (!r)
    return NULL;
  o.flags = flags;
  o.width = width ? width : LP_TEXT_WIDTH;
  if (o.width < matrix_width(r))
    o.width = matrix_width(r);
  o.max_size = max_size;
  lp_buf_init(&b);
  switch (fmt) {
  case LP_FORMAT_TEXT:
    lp_write_text(r, &o, &b);
    break;
  case LP_FORMAT_JSON:
    lp_write_json(r, &b);
    break;
  case LP_FORMAT_MARKDOWN:
    lp_write_markdown(r, &o, &b);
    break;
  case LP_FORMAT_SUMMARY:
    write_summary(r, &b);
    break;
  default:
    return NULL;
  }
  return lp_buf_take(&b, len);
}

char *lp_report_format(const struct lp_report *r, enum lp_format fmt, unsigned flags, size_t *len)
{
  return lp_report_format_sized(r, fmt, flags, 0, 0, len);
}
