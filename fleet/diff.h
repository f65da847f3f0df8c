/* SPDX-License-Identifier: MIT */
/*
 * diff.h - what changed between two reports (loopprobe-diff/1).
 *
 * A cell got worse when it was ok and is anything else now (a cell absent
 * from a report counts as skipped), better when it is ok now and was not,
 * and any other change of verdict is "other".  A finding is the same in
 * both when its severity, kind and cells are; otherwise it appeared or
 * disappeared.  The diff is worse - exit 1 - when a cell got worse or an
 * error finding appeared.
 */
#ifndef LP_FLEET_DIFF_H
#define LP_FLEET_DIFF_H

#include "model.h"

enum lpf_direction { LPF_WORSE, LPF_BETTER, LPF_OTHER, LPF_DIRECTIONS };

struct lpf_change {
  int mech, layer;
  enum lp_verdict before, after;
  const char *detail; /* the new report's detail, else the old one's; may be NULL */
};

/* A change of one value: a library's field or a host fact. */
struct lpf_value_change {
  const char *what;  /* "libevent" or the fact's name */
  const char *field; /* "runtime", "compiled", "default_mechanism"; NULL for facts */
  const char *before, *after;
};

struct lpf_diff {
  const struct lpf_report *old, *new;
  const char *old_file, *new_file; /* NULL: this run */
  struct lpf_change *cells[LPF_DIRECTIONS];
  size_t ncells[LPF_DIRECTIONS];
  const struct lpf_finding **appeared, **gone;
  size_t nappeared, ngone;
  size_t new_errors; /* appeared with severity error */
  struct lpf_value_change *libs, *facts;
  size_t nlibs, nfacts;
  int failed; /* memory ran out */
};

/* Compares old and new (which must outlive d). */
void lpf_diff_compute(struct lpf_diff *d, const struct lpf_report *old, const char *old_file,
                      const struct lpf_report *new, const char *new_file);
void lpf_diff_free(struct lpf_diff *d);
/* 1 when a cell got worse or an error finding appeared. */
int lpf_diff_worse(const struct lpf_diff *d);

void lpf_diff_text(const struct lpf_diff *d, size_t width, struct lp_buf *b);
/* "verdict: worse (exit 1): ..." on one line, unwrapped and escaped. */
void lpf_diff_summary(const struct lpf_diff *d, struct lp_buf *b);
void lpf_diff_markdown(const struct lpf_diff *d, struct lp_buf *b);
void lpf_diff_json(const struct lpf_diff *d, struct lp_buf *b);

#endif
