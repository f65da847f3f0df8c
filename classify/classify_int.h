/* SPDX-License-Identifier: MIT */
/*
 * classify_int.h - what the classifier's passes share (classify.c,
 * classify_libs.c).  Not part of the library's interface.
 */
#ifndef LP_CLASSIFY_INT_H
#define LP_CLASSIFY_INT_H

#include "classify.h"

/* Who explains a cell's problem. */
#define LP_CAUSE_OWN -1     /* the cell gets its own finding */
#define LP_CAUSE_LIBRARY -2 /* a library-level finding already names it */

struct judged {
  enum lp_verdict verdict;
  enum lp_finding_kind kind; /* the finding a problem verdict gets */
  char detail[400];
  int cause;     /* LP_CAUSE_*, or the job whose finding also explains this cell */
  int below;     /* a cell beneath with a policy problem this cell reacted badly to, or -1 */
  char why[600]; /* the evidence that decided the verdict, for the finding */
  /* A hang or crash with a preloaded object loaded into the probe: the
     object its finding names (see blame_preload()); empty otherwise. */
  char suspect[LP_OBJ_MAX];
};

struct lp_cls {
  struct lp_report *r;
  const struct lp_job *jobs;
  size_t n;
  struct judged *j;
  unsigned timeout_ms;
};

/* The index of the cell job (m, l), or -1. */
int lp_cls_find(const struct lp_cls *c, enum lp_mechanism m, enum lp_layer l);
/* The library pass: versions, loops that cannot be created, environment
   overrides, compatibility layers.  Returns 0, or -1 out of memory. */
int lp_cls_libraries(struct lp_cls *c);

const struct lp_provider *lp_interposed_provider(const struct lp_obs *o);
/* 1 when object was put in front by LD_PRELOAD or /etc/ld.so.preload. */
int lp_is_preloaded(const struct lp_host *h, const char *object);
int lp_add_loader_evidence(struct lp_finding *f, const struct lp_host *h);
/* "f() is served by X" for each provider of o (only_interposed: "f() is
   served by X instead of Y" for each one that is interposed). */
int lp_add_provider_evidence(struct lp_finding *f, const struct lp_obs *o, int only_interposed);
/* Which sentence of a kind: a call failed, hung or crashed; the probe
   reported its finding itself; it hung or crashed with a preloaded object
   loaded into it. */
enum lp_say { LP_SAY_FAILED, LP_SAY_REPORTED, LP_SAY_PRELOADED };
/* The severity of a finding of kind, and its summary with words filled in.
   sentences.c holds them as data. */
enum lp_severity lp_cls_severity(enum lp_finding_kind kind);
void lp_cls_sentence(char *buf, size_t size, enum lp_finding_kind kind, enum lp_say say,
                     const char *const (*words)[2]);
/* Adds a finding about one cell with its first evidence line.  Returns it,
   or NULL out of memory. */
struct lp_finding *lp_cls_finding(struct lp_cls *c, enum lp_severity sev, enum lp_finding_kind kind,
                                  int mech, int layer, const char *summary);

#endif
