/* SPDX-License-Identifier: MIT */
/*
 * writers.h - the report writers.  Each renders the whole report into a
 * buffer; the caller does the I/O (and so owns its failure).
 */
#ifndef LP_WRITERS_H
#define LP_WRITERS_H

#include "../base/util.h"
#include "report.h"

void lp_write_text(const struct lp_report *r, unsigned flags, struct lp_buf *b);
void lp_write_json(const struct lp_report *r, struct lp_buf *b);
void lp_write_markdown(const struct lp_report *r, struct lp_buf *b);

/* The one-line verdict the text and Markdown writers end with, e.g.
   "problems (exit 1): epoll@api hidden; 16 ok, 30 na, 3 skipped". */
void lp_verdict_line(const struct lp_report *r, struct lp_buf *b);

/* Writes s escaped for a terminal, wrapped at width columns, and ends the
   line.  col is the column s starts at (a space comes first when col is
   past indent: something stands before it); continuation lines start at
   indent.  A word wider than the line stands alone on one, never cut. */
void lp_text_wrap(struct lp_buf *b, const char *s, size_t col, size_t indent, size_t width);

/* LP_BIT(v) for each verdict the matrix shows, for the legend. */
unsigned lp_verdicts_shown(const struct lp_report *r);

/* "disabled", "strict", "filter", or NULL when unknown. */
const char *lp_seccomp_name(int mode);

#endif
