/* SPDX-License-Identifier: MIT */
/*
 * writers.h - the report writers.  Each renders the whole report into a
 * buffer; the caller does the I/O (and so owns its failure).
 */
#ifndef LP_WRITERS_H
#define LP_WRITERS_H

#include "../base/util.h"
#include "report.h"

/* What lp_report_format_sized() was asked for. */
struct lp_write_opts {
  unsigned flags;  /* LP_WRITE_* */
  unsigned width;  /* text: columns, already at least the matrix's */
  size_t max_size; /* Markdown: characters, 0 for no cap */
};

void lp_write_text(const struct lp_report *r, const struct lp_write_opts *o, struct lp_buf *b);
void lp_write_json(const struct lp_report *r, struct lp_buf *b);
void lp_write_markdown(const struct lp_report *r, const struct lp_write_opts *o, struct lp_buf *b);

/* The one-line verdict the text report ends with and the Markdown report
   starts with, e.g. "problems (exit 1): epoll@api hidden; 16 ok, 30 na,
   3 skipped".  Its head is "ok (exit 0)" or "problems (exit N)", then
   ": " and what is wrong when there is more to say (the head returns 1
   then); the counts follow after "; " or, when the head said no more,
   after ": ". */
void lp_verdict_line(const struct lp_report *r, struct lp_buf *b);
int lp_verdict_head(const struct lp_report *r, struct lp_buf *b);
void lp_verdict_counts(const struct lp_report *r, struct lp_buf *b);

/* 1 when row m is left out of the matrix: every cell of it the report has
   a column for is na, and flags lack LP_WRITE_ALL. */
int lp_row_hidden(const struct lp_report *r, int m, unsigned flags);
/* The number of rows left out, and their names ("kqueue, iocp") in b. */
size_t lp_rows_hidden(const struct lp_report *r, unsigned flags, struct lp_buf *b);

/* LP_BIT(v) for each verdict the matrix shows, for the legend. */
unsigned lp_verdicts_shown(const struct lp_report *r, unsigned flags);

/* The most severe finding that names cell (m, l): LP_SEVERITY_ERROR,
   LP_SEVERITY_WARNING or LP_SEVERITY_INFO; -1 when none does. */
int lp_cell_severity(const struct lp_report *r, enum lp_mechanism m, enum lp_layer l);

/* "disabled", "strict", "filter", or NULL when unknown. */
const char *lp_seccomp_name(int mode);

/* Text: s escaped (lp_esc_text) and wrapped at width between words, the
   first line starting at column col, the others indented by indent;
   ends with a newline. */
void lp_text_wrap(struct lp_buf *b, const char *s, size_t col, size_t indent, size_t width);

#endif
