/* SPDX-License-Identifier: MIT */
/*
 * fleet.h - what the command does with reports once they are written:
 * their identity (--host-name, --anonymize), diff, --baseline and merge.
 * The command (cli/) parses the arguments and prints; the work is here.
 * None of it is in libloopprobe: it is compiled into the command only,
 * and reads reports with cJSON, loaded at run time (docs/fleet.md).
 *
 * Every call fills a struct lpf_result: the document to write, one line
 * per input that could not be used (already escaped for a terminal), and
 * the exit status the document calls for.  Statuses: 0 nothing worse or
 * wrong, 1 a cell got worse (diff) or a host failed (merge), 3 an input
 * could not be read (the others are still used).
 */
#ifndef LP_FLEET_H
#define LP_FLEET_H

#include "loopprobe.h"

#include "../base/util.h"

struct lp_report;

struct lpf_style {
  enum lp_format format;
  unsigned width; /* text: the terminal's columns */
};

struct lpf_result {
  struct lp_buf doc;
  struct lp_strv problems; /* "FILE: why", escaped for a terminal */
  int status;
};

void lpf_result_init(struct lpf_result *res);
void lpf_result_free(struct lpf_result *res);

/* Whether this loopprobe can read reports back.  LPF_READER_NOT_BUILT: it
   was built without cJSON's headers; LPF_READER_NOT_LOADED: libcjson
   cannot be loaded here.  Either way why says so in one line (the
   soname, why not, where the dynamic loader looked, the Debian package). */
enum lpf_reader { LPF_READER_OK, LPF_READER_NOT_BUILT, LPF_READER_NOT_LOADED };
enum lpf_reader lpf_reader(char *why, size_t why_len);

/* loopprobe diff OLD NEW. */
void lpf_diff_files(const char *old_path, const char *new_path, const struct lpf_style *st,
                    struct lpf_result *res);
/* loopprobe --baseline FILE: the report of this run against FILE. */
void lpf_diff_baseline(const char *baseline, const struct lp_report *run,
                       const struct lpf_style *st, struct lpf_result *res);
/* loopprobe merge: paths are reports or directories of them (*.json);
   require is a SPEC every host must meet, or NULL (the error findings
   decide). */
void lpf_merge(char *const *paths, size_t n, const char *require, const struct lpf_style *st,
               struct lpf_result *res);

/* --host-name: the name the report gives the host.  Returns 0, or -1 out
   of memory. */
int lpf_set_host_name(struct lp_report *r, const char *name);

/*
 * --anonymize: the host name becomes "host-" and 12 hex digits of
 * HMAC-SHA-256 under a salt, wherever it appears, and every path under a
 * home directory becomes "<home path>", in every string of the report.
 * The salt is LOOPPROBE_SALT when set (one secret for a whole fleet: the
 * same host gets the same name on every run and every host a different
 * one, and nobody without the salt can test guessed names), else the
 * machine's id (/etc/machine-id: stable for this machine), else random
 * (a note in the report says the name is then this run's only).  Returns
 * 0, or -1 out of memory.
 */
int lpf_anonymize(struct lp_report *r);

#endif
