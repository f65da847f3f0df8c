/* SPDX-License-Identifier: MIT */
/*
 * entry.h - what the entry points share (run.c, check.c): planning a run
 * from a set of cells.  Not part of the library's interface.
 */
#ifndef LP_ENTRY_H
#define LP_ENTRY_H

#include "../report/report.h"
#include "../probes/runner.h"
#include "../base/spec.h"

/* The most jobs a plan makes: a cell each, and a describe job per layer. */
#define LP_ENTRY_MAX_JOBS ((size_t)LP_MECH_COUNT * LP_LAYER_COUNT + LP_LAYER_COUNT)

/* The layers the C library reports on: all but the Python binding's. */
unsigned lp_entry_report_layers(void);

/* The library cell (m, l) of backend b reaches its mechanism through, or
   NULL. */
const struct lp_libdesc *lp_entry_library_of(const struct lp_backend *b, enum lp_layer l);

/* Adds every cell to r (set r->layers first) with the libraries the cells
   of only reach through, and fills jobs (LP_ENTRY_MAX_JOBS of them) with
   a job for each cell of only a backend will probe, then one describe job
   per loaded library whose layer has such a cell.  Returns 0, or -1 when
   memory runs out. */
int lp_entry_plan(struct lp_report *r, const struct lp_cellset *only,
                  const struct lp_probe_ctx *ctx, struct lp_job *jobs, size_t *njobs);

/* Adds to h the time and wait functions of the C library a wrapper
   serves.  Returns 0, or -1 when memory runs out. */
int lp_entry_time_wrappers(struct lp_host *h);

#endif
