/* SPDX-License-Identifier: MIT */
/*
 * model.h - a loopprobe/1 report as the fleet commands read it back: the
 * cells, findings, libraries and host facts that diff and merge compare.
 * It is not struct lp_report: a report from another loopprobe may name a
 * finding kind this one does not know, and that must still be read.  The
 * vocabulary that decides meaning (mechanism, layer, verdict, severity)
 * must be this loopprobe's, or the report is refused with a reason.
 *
 * Reading is lpf_parse(): bytes in, a report or a one-line reason out; it
 * is the function the fuzz targets call.  LPF_BRIEF leaves out what only
 * diff shows (details and host facts), for merges of thousands.
 */
#ifndef LP_FLEET_MODEL_H
#define LP_FLEET_MODEL_H

#include "loopprobe.h"

#include "../base/util.h"

#include <stddef.h>

#define LPF_BRIEF 0x1u /* skip cell details and host facts */

struct lpf_cell {
  unsigned char mech;    /* enum lp_mechanism */
  unsigned char layer;   /* enum lp_layer */
  unsigned char verdict; /* enum lp_verdict */
  char *detail;          /* NULL when read brief */
};

struct lpf_finding {
  enum lp_severity severity;
  char *kind;    /* as the report names it: a newer loopprobe may know more kinds */
  char *summary; /* "" when the report has none */
  char *where;   /* its first cell, "MECH@LAYER", "MECH" or "host" */
  struct lp_strv cells;
};

struct lpf_library {
  char *name, *compiled, *runtime, *default_mechanism; /* NULL for null */
};

/* A host fact flattened to a string: "kernel", "env.EVENT_NOEPOLL",
   "limits.nofile_soft"; value NULL for null. */
struct lpf_fact {
  char *name;
  char *value;
};

struct lpf_report {
  char *host;         /* host.name, or NULL in reports from before it */
  int anonymized;     /* host.anonymized */
  char *generated_at; /* "" when absent */
  char *tool_version; /* "" when absent */
  int exit_code;      /* -1 when absent */
  struct lpf_cell *cells;
  size_t ncells;
  struct lpf_finding *findings;
  size_t nfindings;
  struct lpf_library *libs;
  size_t nlibs;
  struct lpf_fact *facts;
  size_t nfacts;
};

/* Call before reading in several threads at once: loads the JSON reader
   (cJSON, at run time) now. */
void lpf_read_init(void);

/*
 * Reads a loopprobe/1 report from len bytes at data (no terminator
 * needed).  Returns 0 and sets *out (lpf_report_free() it), or -1 with a
 * one-line reason in err: "empty", "not JSON: ... (line L, column C)",
 * "truncated: ...", "schema 'loopprobe/2' is newer than ...", "cells[3]:
 * unknown verdict 'x'", and "cannot read JSON: ..." when cJSON cannot be
 * loaded (lpf_reader() tells that first).  The reason may quote the
 * input: escape it before printing.
 */
int lpf_parse(const char *data, size_t len, unsigned flags, struct lpf_report **out, char *err,
              size_t err_len);

/* Reads the file at path and parses it.  The reasons add "is a directory",
   "cannot read: ...", "empty file" and "larger than ... bytes". */
int lpf_load(const char *path, unsigned flags, struct lpf_report **out, char *err, size_t err_len);

void lpf_report_free(struct lpf_report *r);

/* The cell (m, l), or NULL. */
const struct lpf_cell *lpf_find_cell(const struct lpf_report *r, int m, int l);
/* The fact named name, or NULL. */
const struct lpf_fact *lpf_find_fact(const struct lpf_report *r, const char *name);
/* The most severe finding that names cell (m, l) (the first of equals);
   NULL when none does. */
const struct lpf_finding *lpf_cause(const struct lpf_report *r, int m, int l);
/* Parses "MECH@LAYER" into table ids.  Returns 0, or -1. */
int lpf_cell_ids(const char *name, int *m, int *l);

#endif
