/* SPDX-License-Identifier: MIT */
/*
 * diff_write.c - a diff as text (wrapped to the terminal), as Markdown
 * for a bug tracker ("works here, fails there") and as JSON,
 * loopprobe-diff/1 (docs/loopprobe-diff-1.schema.json).  Sections in the
 * same order in all three: cells that got worse, better, other; findings
 * that appeared and disappeared; libraries; host facts; the verdict.
 * Every string from a report is escaped for its format.
 */
#include "diff.h"
#include "write.h"

#include "../report/report.h"

#include <string.h>

#define LPF_DIFF_SCHEMA "loopprobe-diff/1"

static const char *const direction_title[LPF_DIRECTIONS] = {
    "cells that got worse", "cells that got better", "other cell changes"};
static const char *const direction_key[LPF_DIRECTIONS] = {"worse", "better", "other"};

static size_t changes(const struct lpf_diff *d)
{
  return d->ncells[LPF_WORSE] + d->ncells[LPF_BETTER] + d->ncells[LPF_OTHER] + d->nappeared +
         d->ngone + d->nlibs + d->nfacts;
}

/* "worse (exit 1): 1 cell got worse, 1 error finding appeared" */
static void verdict_line(const struct lpf_diff *d, struct lp_buf *b)
{
  size_t w = d->ncells[LPF_WORSE], e = d->new_errors, n = changes(d);

  if (lpf_diff_worse(d)) {
    lp_buf_puts(b, "worse (exit 1): ");
    if (w)
      lp_buf_printf(b, "%zu %s got worse", w, lpf_plural(w, "cell", "cells"));
    if (e)
      lp_buf_printf(b, "%s%zu error %s appeared", w ? ", " : "", e,
                    lpf_plural(e, "finding", "findings"));
  } else if (n == 0)
    lp_buf_puts(b, "no change (exit 0)");
  else
    lp_buf_printf(b, "not worse (exit 0): %zu %s, none for the worse", n,
                  lpf_plural(n, "change", "changes"));
}

static void side(const struct lpf_report *r, const char *file, const char *which, struct lp_buf *b,
                 size_t width)
{
  struct lp_buf line;

  lp_buf_init(&line);
  lp_buf_printf(&line, "%s: host %s%s, %s, loopprobe %s", file ? file : "this run",
                r->host ? r->host : "unknown", r->anonymized ? " (anonymized)" : "",
                *r->generated_at ? r->generated_at : "no date",
                *r->tool_version ? r->tool_version : "?");
  lp_buf_printf(b, "  %-5s", which);
  lp_text_wrap(b, line.data, 7, 9, width);
  lp_buf_free(&line);
}

static const char *or_none(const char *s)
{
  return s ? s : "(none)";
}

static void text_cells(const struct lpf_diff *d, size_t width, struct lp_buf *b)
{
  char name[48];
  size_t i;
  int k;

  for (k = 0; k < LPF_DIRECTIONS; k++) {
    if (!d->ncells[k])
      continue;
    lp_buf_printf(b, "\n%s (%zu)\n", direction_title[k], d->ncells[k]);
    for (i = 0; i < d->ncells[k]; i++) {
      const struct lpf_change *c = &d->cells[k][i];
      lp_cell_name(name, sizeof(name), c->mech, c->layer);
      lp_buf_printf(b, "  %-18s %s -> %s\n", name, lp_verdict_name(c->before),
                    lp_verdict_name(c->after));
      if (c->detail && *c->detail) {
        lp_buf_repeat(b, ' ', 4);
        lp_text_wrap(b, c->detail, 4, 4, width);
      }
    }
  }
}

static void text_findings(const char *title, const struct lpf_finding *const *fs, size_t n,
                          size_t width, struct lp_buf *b)
{
  struct lp_buf head;
  size_t i;

  if (!n)
    return;
  lp_buf_printf(b, "\n%s (%zu)\n", title, n);
  for (i = 0; i < n; i++) {
    lp_buf_init(&head);
    lp_buf_printf(&head, "%s: %s", fs[i]->kind, fs[i]->where);
    if (fs[i]->cells.n > 1)
      lp_buf_printf(&head, " and %zu more", fs[i]->cells.n - 1);
    lp_buf_printf(b, "  %-8s ", lp_severity_name(fs[i]->severity));
    lp_text_wrap(b, head.data, 11, 13, width);
    lp_buf_free(&head);
    lp_buf_repeat(b, ' ', 4);
    lp_text_wrap(b, fs[i]->summary, 4, 4, width);
  }
}

static void text_values(const char *title, const struct lpf_value_change *v, size_t n, size_t width,
                        struct lp_buf *b)
{
  struct lp_buf line;
  size_t i;

  if (!n)
    return;
  lp_buf_printf(b, "\n%s (%zu)\n", title, n);
  for (i = 0; i < n; i++) {
    lp_buf_init(&line);
    lp_buf_printf(&line, "%s%s%s: %s -> %s", v[i].what, v[i].field ? " " : "",
                  v[i].field ? v[i].field : "", or_none(v[i].before), or_none(v[i].after));
    lp_buf_puts(b, "  ");
    lp_text_wrap(b, line.data, 2, 4, width);
    lp_buf_free(&line);
  }
}

void lpf_diff_text(const struct lpf_diff *d, size_t width, struct lp_buf *b)
{
  lp_buf_puts(b, "loopprobe diff\n");
  side(d->old, d->old_file, "old", b, width);
  side(d->new, d->new_file, "new", b, width);
  text_cells(d, width, b);
  text_findings("findings that appeared", d->appeared, d->nappeared, width, b);
  text_findings("findings that disappeared", d->gone, d->ngone, width, b);
  text_values("libraries", d->libs, d->nlibs, width, b);
  text_values("host facts", d->facts, d->nfacts, width, b);
  lp_buf_putc(b, '\n');
  lpf_diff_summary(d, b);
}

void lpf_diff_summary(const struct lpf_diff *d, struct lp_buf *b)
{
  struct lp_buf line;

  lp_buf_init(&line);
  verdict_line(d, &line);
  lpf_verdict(b, &line);
  lp_buf_free(&line);
}

/* --- Markdown --- */

static void md_side(const struct lpf_report *r, const char *file, const char *which,
                    struct lp_buf *b)
{
  lp_buf_printf(b, "| %s | ", which);
  lpf_md(b, file ? file : "this run");
  lp_buf_puts(b, " | ");
  lpf_md(b, r->host);
  lp_buf_puts(b, r->anonymized ? " (anonymized) | " : " | ");
  lpf_md(b, r->generated_at);
  lp_buf_puts(b, " | ");
  lpf_md(b, r->tool_version);
  lp_buf_puts(b, " |\n");
}

static void md_cells(const struct lpf_diff *d, struct lp_buf *b)
{
  char name[48];
  size_t i;
  int k;

  for (k = 0; k < LPF_DIRECTIONS; k++) {
    if (!d->ncells[k])
      continue;
    lp_buf_printf(b, "\n#### %c%s (%zu)\n\n| cell | old | new | detail |\n|---|---|---|---|\n",
                  direction_title[k][0] - 'a' + 'A', direction_title[k] + 1, d->ncells[k]);
    for (i = 0; i < d->ncells[k]; i++) {
      const struct lpf_change *c = &d->cells[k][i];
      lp_cell_name(name, sizeof(name), c->mech, c->layer);
      lp_buf_printf(b, "| %s | %s | %s%s%s | ", name, lp_verdict_name(c->before),
                    k == LPF_WORSE ? "**" : "", lp_verdict_name(c->after),
                    k == LPF_WORSE ? "**" : "");
      lpf_md(b, c->detail);
      lp_buf_puts(b, " |\n");
    }
  }
}

static void md_findings(const char *title, const struct lpf_finding *const *fs, size_t n,
                        struct lp_buf *b)
{
  size_t i, k;

  if (!n)
    return;
  lp_buf_printf(b, "\n#### %s (%zu)\n\n", title, n);
  for (i = 0; i < n; i++) {
    lp_buf_printf(b, "- **%s** ", lp_severity_name(fs[i]->severity));
    lp_esc_md(b, fs[i]->kind);
    lp_buf_puts(b, " ");
    lp_esc_md(b, fs[i]->where);
    for (k = 1; k < fs[i]->cells.n; k++) {
      lp_buf_puts(b, k == 1 ? " (also " : ", ");
      lp_esc_md(b, fs[i]->cells.v[k]);
    }
    lp_buf_puts(b, fs[i]->cells.n > 1 ? "): " : ": ");
    lpf_md(b, fs[i]->summary);
    lp_buf_putc(b, '\n');
  }
}

static void md_values(const char *title, const struct lpf_value_change *v, size_t n,
                      struct lp_buf *b)
{
  size_t i;

  if (!n)
    return;
  lp_buf_printf(b, "\n#### %s (%zu)\n\n| what | old | new |\n|---|---|---|\n", title, n);
  for (i = 0; i < n; i++) {
    lp_buf_puts(b, "| ");
    lp_esc_md(b, v[i].what);
    if (v[i].field) {
      lp_buf_putc(b, ' ');
      lp_esc_md(b, v[i].field);
    }
    lp_buf_puts(b, " | ");
    lpf_md(b, v[i].before);
    lp_buf_puts(b, " | ");
    lpf_md(b, v[i].after);
    lp_buf_puts(b, " |\n");
  }
}

void lpf_diff_markdown(const struct lpf_diff *d, struct lp_buf *b)
{
  char old[128], new[128];
  struct lp_buf line;

  lpf_label(old, sizeof(old), d->old, d->old_file);
  lpf_label(new, sizeof(new), d->new, d->new_file);
  lp_buf_puts(b, "### loopprobe diff: ");
  lp_esc_md(b, old);
  lp_buf_puts(b, " against ");
  lp_esc_md(b, new);
  lp_buf_init(&line);
  verdict_line(d, &line);
  lp_buf_puts(b, "\n\n**Verdict:** ");
  lp_esc_md(b, line.data ? line.data : "");
  lp_buf_free(&line);
  lp_buf_puts(b, "\n\n| | report | host | generated | loopprobe |\n|---|---|---|---|---|\n");
  md_side(d->old, d->old_file, "old", b);
  md_side(d->new, d->new_file, "new", b);
  md_cells(d, b);
  md_findings("Findings that appeared", d->appeared, d->nappeared, b);
  md_findings("Findings that disappeared", d->gone, d->ngone, b);
  md_values("Libraries", d->libs, d->nlibs, b);
  md_values("Host facts", d->facts, d->nfacts, b);
  lp_buf_printf(b, "\n<sub>loopprobe %s, schema %s</sub>\n", LP_VERSION_STRING, LPF_DIFF_SCHEMA);
}

/* --- JSON --- */

static void json_side(const struct lpf_report *r, const char *file, struct lp_buf *b)
{
  lp_buf_puts(b, "{\"file\": ");
  lpf_json_str(b, file);
  lp_buf_puts(b, ", \"host\": ");
  lpf_json_str(b, r->host);
  lp_buf_printf(b, ", \"anonymized\": %s, \"generated_at\": ", r->anonymized ? "true" : "false");
  lpf_json_str(b, r->generated_at);
  lp_buf_puts(b, ", \"tool_version\": ");
  lpf_json_str(b, r->tool_version);
  lp_buf_putc(b, '}');
}

static void json_cells(const struct lpf_diff *d, struct lp_buf *b)
{
  size_t i;
  int k;

  lp_buf_puts(b, "{\n");
  for (k = 0; k < LPF_DIRECTIONS; k++) {
    lpf_json_key(b, 4, direction_key[k]);
    lp_buf_putc(b, '[');
    for (i = 0; i < d->ncells[k]; i++) {
      const struct lpf_change *c = &d->cells[k][i];
      lp_buf_printf(b,
                    "%s\n      {\"mechanism\": \"%s\", \"layer\": \"%s\", \"old\": \"%s\", "
                    "\"new\": \"%s\", \"detail\": ",
                    i ? "," : "", lp_mechanism_name((enum lp_mechanism)c->mech),
                    lp_layer_name((enum lp_layer)c->layer), lp_verdict_name(c->before),
                    lp_verdict_name(c->after));
      lpf_json_str(b, c->detail);
      lp_buf_putc(b, '}');
    }
    lp_buf_puts(b, d->ncells[k] ? "\n    ]" : "]");
    lp_buf_puts(b, k + 1 < LPF_DIRECTIONS ? ",\n" : "\n  }");
  }
}

static void json_findings(const struct lpf_finding *const *fs, size_t n, struct lp_buf *b)
{
  size_t i;

  lp_buf_putc(b, '[');
  for (i = 0; i < n; i++) {
    lp_buf_printf(b, "%s\n      {\"severity\": \"%s\", \"kind\": ", i ? "," : "",
                  lp_severity_name(fs[i]->severity));
    lp_esc_json(b, fs[i]->kind);
    lp_buf_puts(b, ", \"where\": ");
    lp_esc_json(b, fs[i]->where);
    lp_buf_puts(b, ", \"cells\": ");
    lpf_json_strv(b, &fs[i]->cells);
    lp_buf_puts(b, ",\n       \"summary\": ");
    lp_esc_json(b, fs[i]->summary);
    lp_buf_putc(b, '}');
  }
  lp_buf_puts(b, n ? "\n    ]" : "]");
}

static void json_values(const struct lpf_value_change *v, size_t n, const char *what,
                        struct lp_buf *b)
{
  size_t i;

  lp_buf_putc(b, '[');
  for (i = 0; i < n; i++) {
    lp_buf_printf(b, "%s\n    {\"%s\": ", i ? "," : "", what);
    lp_esc_json(b, v[i].what);
    if (v[i].field) {
      lp_buf_puts(b, ", \"field\": ");
      lp_esc_json(b, v[i].field);
    }
    lp_buf_puts(b, ", \"old\": ");
    lpf_json_str(b, v[i].before);
    lp_buf_puts(b, ", \"new\": ");
    lpf_json_str(b, v[i].after);
    lp_buf_putc(b, '}');
  }
  lp_buf_puts(b, n ? "\n  ]" : "]");
}

void lpf_diff_json(const struct lpf_diff *d, struct lp_buf *b)
{
  struct lp_buf line;

  lp_buf_puts(b, "{\n");
  lpf_json_key(b, 2, "schema"), lp_esc_json(b, LPF_DIFF_SCHEMA), lp_buf_puts(b, ",\n");
  lpf_json_key(b, 2, "tool"), lpf_json_tool(b), lp_buf_puts(b, ",\n");
  lpf_json_key(b, 2, "old"), json_side(d->old, d->old_file, b), lp_buf_puts(b, ",\n");
  lpf_json_key(b, 2, "new"), json_side(d->new, d->new_file, b), lp_buf_puts(b, ",\n");
  lpf_json_key(b, 2, "cells"), json_cells(d, b), lp_buf_puts(b, ",\n");
  lpf_json_key(b, 2, "findings");
  lp_buf_puts(b, "{\n");
  lpf_json_key(b, 4, "appeared"), json_findings(d->appeared, d->nappeared, b);
  lp_buf_puts(b, ",\n");
  lpf_json_key(b, 4, "disappeared"), json_findings(d->gone, d->ngone, b);
  lp_buf_puts(b, "\n  },\n");
  lpf_json_key(b, 2, "libraries"), json_values(d->libs, d->nlibs, "library", b);
  lp_buf_puts(b, ",\n");
  lpf_json_key(b, 2, "host"), json_values(d->facts, d->nfacts, "fact", b);
  lp_buf_puts(b, ",\n");
  lp_buf_init(&line);
  verdict_line(d, &line);
  lpf_json_key(b, 2, "verdict"), lpf_json_str(b, line.data ? line.data : ""), lp_buf_puts(b, ",\n");
  lp_buf_free(&line);
  lpf_json_key(b, 2, "worse"), lp_buf_puts(b, lpf_diff_worse(d) ? "true,\n" : "false,\n");
  lpf_json_key(b, 2, "exit_code"), lp_buf_printf(b, "%d\n", lpf_diff_worse(d));
  lp_buf_puts(b, "}\n");
}
