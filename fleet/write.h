/* SPDX-License-Identifier: MIT */
/*
 * write.h - what the diff and fleet writers share: JSON values, Markdown
 * cells, naming a report (text is wrapped by report/'s lp_text_wrap).  Every
 * string a report holds goes through report/escape.h's escapers, as in
 * the report writers.
 */
#ifndef LP_FLEET_WRITE_H
#define LP_FLEET_WRITE_H

#include "fleet.h"
#include "model.h"

#include "../report/escape.h"
#include "../report/writers.h"

/* "verdict: LINE" and a newline, the line escaped and never wrapped (the
   text report ends the same way: one line to grep). */
void lpf_verdict(struct lp_buf *b, const struct lp_buf *line);

/* A JSON string, or null for NULL. */
void lpf_json_str(struct lp_buf *b, const char *s);
/* "key": with indent spaces before it. */
void lpf_json_key(struct lp_buf *b, int indent, const char *key);
/* A JSON list of strings. */
void lpf_json_strv(struct lp_buf *b, const struct lp_strv *sv);
/* {"name": "loopprobe", "version": "..."} */
void lpf_json_tool(struct lp_buf *b);

/* Inline Markdown for s, or "-" for NULL or "". */
void lpf_md(struct lp_buf *b, const char *s);

/* The name a report goes by: its host name, else its file's base name
   without ".json", else "this run". */
void lpf_label(char *buf, size_t size, const struct lpf_report *r, const char *file);

/* Adds "FILE: why" to res->problems, escaped for a terminal (status 3
   when even that fails). */
void lpf_problem(struct lpf_result *res, const char *file, const char *why);

/* "1 cell" / "2 cells". */
const char *lpf_plural(size_t n, const char *one, const char *many);

#endif
