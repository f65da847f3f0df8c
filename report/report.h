/* SPDX-License-Identifier: MIT */
/*
 * report.h - the report model every writer reads and the classifier fills.
 * One struct lp_report per run; strings are owned by it.
 */
#ifndef LP_REPORT_H
#define LP_REPORT_H

#include "loopprobe.h"

#include "../probes/host.h"
#include "../base/spec.h"

#include <stdint.h>

struct lp_cell {
  enum lp_mechanism mech;
  enum lp_layer layer;
  enum lp_verdict verdict;
  char *detail;
  char *err_name;     /* "EPERM", or NULL */
  char *signal_name;  /* "SIGSYS", or NULL */
  char *provider;     /* the shared object serving the API, or NULL */
  int64_t elapsed_us; /* -1 when the cell was not run */
};

struct lp_finding {
  enum lp_severity severity;
  enum lp_finding_kind kind;
  int mech;             /* an enum lp_mechanism, or -1 for the whole host */
  int layer;            /* the lowest layer concerned, or -1 */
  struct lp_strv cells; /* every cell it explains, "epoll@api" */
  char *summary;        /* the cause, one sentence */
  struct lp_strv evidence;
  char *hint; /* what to do */
};

/* A library loaded at run time (loader/dynlib.h), as the run found it. */
struct lp_library {
  char *name;
  char *compiled;          /* the version of the headers loopprobe was built with */
  char *runtime;           /* the version the loaded library reports; NULL when not loaded */
  char *default_mechanism; /* what a loop made the ordinary way uses; NULL when none */
  char *soname;            /* what the dynamic loader was asked for */
  char *path;              /* the file probed, as the loader names it; NULL when not loaded */
  char *package;           /* the Debian package that ships soname */
  int given;               /* path was named with --library */
  int layer;               /* the layer whose cells reach through it */
  /* Not loaded: why in one line, the loader's message, where it looked,
     and files of the library under another soname major (or NULL). */
  char *absence;
  char *why;
  char *searched;
  char *others;
};

struct lp_report {
  char generated_at[32]; /* RFC 3339, UTC */
  struct lp_host host;
  unsigned layers; /* LP_BIT(l) for each layer the report has a column for */
  struct lp_library *libs;
  size_t nlibs;
  struct lp_cell *cells; /* mechanism-major, in table order */
  size_t ncells;
  struct lp_finding *findings;
  size_t nfindings;
  int has_require;
  struct lp_cellset require;
  int require_bad_m; /* the first required cell not ok (set when exit_code is 1) */
  int require_bad_l; /* -1: no layer of require_bad_m applied */
  int exit_code;
  char *command_line; /* quoted and redacted (report/cmdline.c), or NULL */
};

struct lp_report *lp_report_new(void);
/* Appends a cell; returns it, or NULL when memory ran out. */
struct lp_cell *lp_report_add_cell(struct lp_report *r, enum lp_mechanism m, enum lp_layer l,
                                   enum lp_verdict v, const char *detail);
struct lp_cell *lp_report_find_cell(const struct lp_report *r, enum lp_mechanism m,
                                    enum lp_layer l);
/* Appends a finding with its summary and hint; NULL when memory ran out. */
struct lp_finding *lp_report_add_finding(struct lp_report *r, enum lp_severity sev,
                                         enum lp_finding_kind kind, int mech, int layer,
                                         const char *summary, const char *hint);
struct lp_library *lp_report_add_library(struct lp_report *r, const char *name);
struct lp_library *lp_report_find_library(const struct lp_report *r, const char *name);
/* Sets r->exit_code from the findings, or from the required cells. */
void lp_report_settle(struct lp_report *r);
/* Formats "epoll@api". */
void lp_cell_name(char *buf, size_t size, int mech, int layer);
/* The number of cells per verdict, for the verdict line. */
void lp_report_count(const struct lp_report *r, size_t counts[LP_VERDICT_COUNT]);

#endif
