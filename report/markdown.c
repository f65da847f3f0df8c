/* SPDX-License-Identifier: MIT */
/*
 * markdown.c - the report for a bug tracker: a GitHub table, the findings,
 * and the host facts in a <details> block.  Every string is escaped with
 * lp_esc_md(), so nothing a path or variable holds can break the table or
 * inject HTML.  Only the allow-listed environment appears.
 */
#include "escape.h"
#include "writers.h"

static void table(const struct lp_report *r, struct lp_buf *b)
{
  int m, l;

  lp_buf_puts(b, "| mechanism |");
  for (l = 0; l < LP_LAYER_COUNT; l++)
    if (r->layers & (1u << l))
      lp_buf_printf(b, " %s |", lp_layer_name((enum lp_layer)l));
  lp_buf_puts(b, "\n|---|");
  for (l = 0; l < LP_LAYER_COUNT; l++)
    if (r->layers & (1u << l))
      lp_buf_puts(b, "---|");
  lp_buf_putc(b, '\n');
  for (m = 0; m < LP_MECH_COUNT; m++) {
    lp_buf_puts(b, "| ");
    lp_esc_md(b, lp_mechanism_name((enum lp_mechanism)m));
    lp_buf_puts(b, " |");
    for (l = 0; l < LP_LAYER_COUNT; l++) {
      enum lp_verdict v;
      if (!(r->layers & (1u << l)))
        continue;
      v = lp_report_verdict(r, (enum lp_mechanism)m, (enum lp_layer)l);
      if (v == LP_VERDICT_OK || v == LP_VERDICT_NA || v == LP_VERDICT_SKIPPED)
        lp_buf_printf(b, " %s |", lp_verdict_name(v));
      else
        lp_buf_printf(b, " **%s** |", lp_verdict_name(v));
    }
    lp_buf_putc(b, '\n');
  }
}

static void legend(const struct lp_report *r, struct lp_buf *b)
{
  unsigned shown = lp_verdicts_shown(r);
  int v;

  lp_buf_puts(b, "\n<details><summary>Legend</summary>\n\n");
  for (v = 0; v < LP_VERDICT_COUNT; v++)
    if (shown & (1u << v)) {
      lp_buf_printf(b, "- `%s`: ", lp_verdict_name((enum lp_verdict)v));
      lp_esc_md(b, lp_verdict_doc((enum lp_verdict)v));
      lp_buf_putc(b, '\n');
    }
  lp_buf_puts(b, "\n</details>\n");
}

static void finding(const struct lp_finding *f, struct lp_buf *b)
{
  char where[64];
  size_t i;

  lp_cell_name(where, sizeof(where), f->mech, f->layer);
  lp_buf_printf(b, "- **%s** `%s` ", lp_severity_name(f->severity), lp_finding_kind_name(f->kind));
  lp_esc_md(b, f->cells.n ? f->cells.v[0] : where);
  lp_buf_puts(b, ": ");
  lp_esc_md(b, f->summary);
  lp_buf_putc(b, '\n');
  if (f->cells.n > 1) {
    lp_buf_puts(b, "  - cells:");
    for (i = 0; i < f->cells.n; i++) {
      lp_buf_putc(b, ' ');
      lp_esc_md(b, f->cells.v[i]);
    }
    lp_buf_putc(b, '\n');
  }
  for (i = 0; i < f->evidence.n; i++) {
    lp_buf_puts(b, "  - ");
    lp_esc_md(b, f->evidence.v[i]);
    lp_buf_putc(b, '\n');
  }
  lp_buf_puts(b, "  - hint: ");
  lp_esc_md(b, f->hint);
  lp_buf_putc(b, '\n');
}

static void fact(struct lp_buf *b, const char *name, const char *value)
{
  lp_buf_printf(b, "| %s | ", name);
  if (value && *value)
    lp_esc_md(b, value);
  else
    lp_buf_puts(b, "unknown");
  lp_buf_puts(b, " |\n");
}

static void fact_list(struct lp_buf *b, const char *name, const struct lp_strv *sv)
{
  size_t i;

  lp_buf_printf(b, "| %s | ", name);
  for (i = 0; i < sv->n; i++) {
    lp_buf_puts(b, i ? ", " : "");
    lp_esc_md(b, sv->v[i]);
  }
  lp_buf_puts(b, sv->n ? " |\n" : "none |\n");
}

static void environment(const struct lp_report *r, struct lp_buf *b)
{
  const struct lp_host *h = &r->host;
  char num[64], line[512];
  size_t i;

  lp_buf_puts(b, "<details><summary>Environment</summary>\n\n| fact | value |\n|---|---|\n");
  fact(b, "os", h->os);
  fact(b, "kernel", h->kernel);
  fact(b, "arch", h->arch);
  fact(b, "libc", h->libc);
  fact(b, "seccomp", lp_seccomp_name(h->seccomp_mode));
  lp_fmt(num, sizeof(num), "%ld", h->tracer_pid);
  fact(b, "tracer pid", h->tracer_pid >= 0 ? num : NULL);
  fact_list(b, "LD_PRELOAD entries", &h->preload);
  fact_list(b, "/etc/ld.so.preload", &h->ld_so_preload);
  fact(b, "virtualization", h->virt ? h->virt : "none detected");
  fact_list(b, "virtualization evidence", &h->virt_evidence);
  for (i = 0; i < r->nlibs; i++) {
    lp_fmt(line, sizeof(line), "%s %s (compiled %s), default %s", r->libs[i].name,
           r->libs[i].runtime ? r->libs[i].runtime : "?",
           r->libs[i].compiled ? r->libs[i].compiled : "?",
           r->libs[i].default_mechanism ? r->libs[i].default_mechanism : "none");
    fact(b, "library", line);
  }
  for (i = 0; i < h->nenv; i++) {
    lp_buf_puts(b, "| env ");
    lp_esc_md(b, h->env[i].name);
    lp_buf_puts(b, " | ");
    lp_esc_md(b, h->env[i].value);
    lp_buf_puts(b, " |\n");
  }
  if (h->limits.known) {
    lp_fmt(line, sizeof(line),
           "descriptors %lld (hard %lld), epoll watches %lld, AIO contexts %lld of %lld",
           h->limits.nofile_soft, h->limits.nofile_hard, h->limits.epoll_max_user_watches,
           h->limits.aio_nr, h->limits.aio_max_nr);
    fact(b, "limits", line);
  }
  fact(b, "emulator", h->emulator ? h->emulator : "none detected");
  if (h->libc_clock_rate > 0) {
    lp_fmt(line, sizeof(line), "%.3f x the kernel's", h->libc_clock_rate);
    fact(b, "C library clock rate", line);
  }
  fact_list(b, "time wrappers", &h->time_wrappers);
  for (i = 0; i < h->notes.n; i++)
    fact(b, "note", h->notes.v[i]);
  lp_buf_puts(b, "\n</details>\n");
}

void lp_write_markdown(const struct lp_report *r, struct lp_buf *b)
{
  size_t i;

  struct lp_buf line;

  lp_buf_init(&line);
  lp_verdict_line(r, &line);
  lp_buf_puts(b, "### loopprobe report\n\n**Verdict:** ");
  lp_esc_md(b, line.data ? line.data : "");
  lp_buf_free(&line);
  lp_buf_puts(b, "\n\n");
  table(r, b);
  legend(r, b);
  if (r->nfindings) {
    lp_buf_puts(b, "\n#### Findings\n\n");
    for (i = 0; i < r->nfindings; i++)
      finding(&r->findings[i], b);
  }
  lp_buf_putc(b, '\n');
  environment(r, b);
  lp_buf_printf(b, "\n<sub>loopprobe %s, schema %s, generated ", LP_VERSION_STRING, LP_SCHEMA);
  lp_esc_md(b, r->generated_at);
  lp_buf_puts(b, "</sub>\n");
}
