/* SPDX-License-Identifier: MIT */
/*
 * merge.h - many reports as one fleet (loopprobe-fleet/1).
 *
 * A host is known by its report's host.name (the file's name when the
 * report has none); of two reports from the same host the newer one
 * (generated_at, then the later on the command line) is used, and the
 * fleet says which it left out.  A cell absent from a report counts as
 * skipped there.  For each cell, the verdict most hosts share is the
 * majority (on a tie: ok, else the first in the table); every other host
 * is in a group of its verdict and cause - the most severe finding of its
 * report naming the cell (kind and summary) - biggest group first.  When
 * the majority itself is not ok, its hosts are grouped by cause too.
 *
 * A host fails when its report has an error finding, or, with require,
 * when it does not meet the SPEC (the rule of --require).  The merge's
 * status: 3 when an input could not be used, else 1 when a host fails,
 * else 0.
 */
#ifndef LP_FLEET_MERGE_H
#define LP_FLEET_MERGE_H

#include "model.h"

struct lpf_hostlist {
  size_t *v; /* indices into the fleet's hosts, in name order */
  size_t n;
};

struct lpf_group {
  enum lp_verdict verdict;
  const struct lpf_finding *cause; /* the first host's; NULL: no finding names the cell */
  struct lpf_hostlist hosts;
};

struct lpf_fcell {
  int mech, layer;
  size_t counts[LP_VERDICT_COUNT];
  enum lp_verdict majority;
  struct lpf_group *groups; /* the hosts outside the majority */
  size_t ngroups;
  struct lpf_group *causes; /* the majority by cause, when it is not ok and hosts disagree */
  size_t ncauses;
};

/* Hosts that share a value: a library version pair or default mechanism. */
struct lpf_share {
  const char *a, *b; /* compiled and runtime, or the mechanism and NULL; NULL: absent */
  struct lpf_hostlist hosts;
};

struct lpf_flib {
  const char *name;
  struct lpf_share *versions, *defaults;
  size_t nversions, ndefaults;
};

struct lpf_fhost {
  char name[256];
  const char *file;
  struct lpf_report *r;
  size_t order; /* position among the inputs */
  int failed;
  char why[256]; /* why it fails: "hidden-by-environment (epoll@libevent)" */
};

struct lpf_unused {
  const char *file;
  char why[512];
};

struct lpf_dup {
  size_t used;      /* index into hosts */
  const char *file; /* the report left out */
  const char *when; /* its generated_at */
};

struct lpf_fleet {
  const char *require;
  struct lpf_fhost *hosts;
  size_t nhosts;
  struct lpf_fcell *cells; /* the cells where hosts disagree first, then table order */
  size_t ncells, ndisagree;
  struct lpf_flib *libs;
  size_t nlibs;
  struct lpf_dup *dups;
  size_t ndups;
  struct lpf_unused *unused; /* inputs that could not be read */
  size_t nunused;
  size_t nfailed;
  int status;
  int oom;
  /* owned by the fleet */
  char **paths;
  size_t npaths;
  struct lpf_report **reports;
};

/* Reads every report of paths (directories give their *.json files) and
   computes the fleet.  Returns 0, or -1 when require is malformed (err
   says why). */
int lpf_fleet_build(struct lpf_fleet *f, char *const *paths, size_t n, const char *require,
                    char *err, size_t err_len);
void lpf_fleet_free(struct lpf_fleet *f);

/* The host's verdict of cell (m, l): skipped when its report lacks it. */
enum lp_verdict lpf_fleet_verdict(const struct lpf_fhost *h, int m, int l);
/* "problems (exit 1): 2 of 4 hosts fail" */
void lpf_fleet_verdict_line(const struct lpf_fleet *f, struct lp_buf *b);

void lpf_fleet_text(const struct lpf_fleet *f, size_t width, struct lp_buf *b);
/* "verdict: problems (exit 1): ..." on one line, unwrapped and escaped. */
void lpf_fleet_summary(const struct lpf_fleet *f, struct lp_buf *b);
void lpf_fleet_markdown(const struct lpf_fleet *f, struct lp_buf *b);
void lpf_fleet_json(const struct lpf_fleet *f, struct lp_buf *b);

#endif
