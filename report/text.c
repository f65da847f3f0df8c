/* SPDX-License-Identifier: MIT */
/*
 * text.c - the terminal report: a header line, the matrix (at most 80
 * columns wide, so it fits the 100 the README promises with room to
 * spare), the findings wrapped to 100 columns, and the verdict line.
 * Colour only when the caller asks (LP_WRITE_COLOR); the CLI asks only for
 * a terminal without NO_COLOR.
 */
#include "escape.h"
#include "writers.h"

#include <string.h>

#define WIDTH 100
#define MECH_COL 10
#define LAYER_COL 10

static const char *verdict_color(enum lp_verdict v)
{
  switch (v) {
  case LP_VERDICT_OK:
    return "\033[32m";
  case LP_VERDICT_DEGRADED:
  case LP_VERDICT_MISSING:
    return "\033[33m";
  case LP_VERDICT_HIDDEN:
    return "\033[35m";
  case LP_VERDICT_EMULATED:
    return "\033[36m";
  case LP_VERDICT_NA:
  case LP_VERDICT_SKIPPED:
    return "\033[2m";
  default:
    return "\033[1;31m";
  }
}

static const char *severity_color(enum lp_severity s)
{
  return s == LP_SEVERITY_ERROR ? "\033[1;31m" : s == LP_SEVERITY_WARNING ? "\033[33m" : "\033[36m";
}

static void colored(struct lp_buf *b, unsigned flags, const char *color, const char *s, size_t pad)
{
  size_t n = strlen(s);

  if (flags & LP_WRITE_COLOR)
    lp_buf_printf(b, "%s%s\033[0m", color, s);
  else
    lp_buf_puts(b, s);
  if (pad > n)
    lp_buf_repeat(b, ' ', pad - n);
}

static void header(const struct lp_report *r, struct lp_buf *b)
{
  const struct lp_host *h = &r->host;

  lp_buf_printf(b, "loopprobe %s: ", LP_VERSION_STRING);
  lp_esc_text(b, h->os ? h->os : "unknown os");
  lp_buf_putc(b, ' ');
  lp_esc_text(b, h->kernel ? h->kernel : "");
  lp_buf_putc(b, ' ');
  lp_esc_text(b, h->arch ? h->arch : "");
  if (h->libc) {
    lp_buf_puts(b, ", ");
    lp_esc_text(b, h->libc);
  }
  if (h->virt) {
    lp_buf_puts(b, ", in ");
    lp_esc_text(b, h->virt);
  }
  lp_buf_putc(b, '\n');
}

static void matrix(const struct lp_report *r, unsigned flags, struct lp_buf *b)
{
  int m, l;

  lp_buf_repeat(b, ' ', MECH_COL);
  for (l = 0; l < LP_LAYER_COUNT; l++)
    if (r->layers & (1u << l))
      colored(b, flags, "\033[1m", lp_layer_name((enum lp_layer)l), LAYER_COL);
  while (b->len && b->data[b->len - 1] == ' ')
    b->data[--b->len] = '\0';
  lp_buf_putc(b, '\n');
  for (m = 0; m < LP_MECH_COUNT; m++) {
    lp_buf_puts(b, lp_mechanism_name((enum lp_mechanism)m));
    lp_buf_repeat(b, ' ', MECH_COL - strlen(lp_mechanism_name((enum lp_mechanism)m)));
    for (l = 0; l < LP_LAYER_COUNT; l++) {
      enum lp_verdict v;
      if (!(r->layers & (1u << l)))
        continue;
      v = lp_report_verdict(r, (enum lp_mechanism)m, (enum lp_layer)l);
      colored(b, flags, verdict_color(v), lp_verdict_name(v), LAYER_COL);
    }
    while (b->len && b->data[b->len - 1] == ' ')
      b->data[--b->len] = '\0';
    lp_buf_putc(b, '\n');
  }
}

/* Writes s escaped, wrapped at WIDTH; continuation lines get indent spaces.
   col is the column the text starts at. */
static void wrapped(struct lp_buf *b, const char *s, size_t col, size_t indent)
{
  struct lp_buf word;
  const char *p = s;

  lp_buf_init(&word);
  while (*p) {
    size_t n = strcspn(p, " "), w;
    lp_buf_free(&word);
    lp_buf_putn(&word, p, n);
    w = word.data ? lp_text_width(word.data) : 0;
    if (col > indent && col + 1 + w > WIDTH) {
      lp_buf_putc(b, '\n');
      lp_buf_repeat(b, ' ', indent);
      col = indent;
    } else if (col > indent) {
      lp_buf_putc(b, ' ');
      col++;
    }
    if (word.data)
      lp_esc_text(b, word.data);
    col += w;
    p += n;
    while (*p == ' ')
      p++;
  }
  lp_buf_free(&word);
  lp_buf_putc(b, '\n');
}

static void finding(const struct lp_report *r, const struct lp_finding *f, unsigned flags,
                    struct lp_buf *b)
{
  char where[64];
  size_t i;

  (void)r;
  lp_cell_name(where, sizeof(where), f->mech, f->layer);
  lp_buf_puts(b, "  ");
  colored(b, flags, severity_color(f->severity), lp_severity_name(f->severity), 8);
  lp_buf_printf(b, " %s: ", lp_finding_kind_name(f->kind));
  lp_esc_text(b, f->cells.n ? f->cells.v[0] : where);
  if (f->cells.n > 1)
    lp_buf_printf(b, " and %zu more", f->cells.n - 1);
  lp_buf_putc(b, '\n');
  lp_buf_repeat(b, ' ', 4);
  wrapped(b, f->summary, 4, 4);
  if (f->cells.n > 1) {
    struct lp_buf all;
    lp_buf_init(&all);
    lp_buf_puts(&all, "cells:");
    for (i = 0; i < f->cells.n; i++)
      lp_buf_printf(&all, " %s", f->cells.v[i]);
    lp_buf_repeat(b, ' ', 4);
    wrapped(b, all.data ? all.data : "", 4, 6);
    lp_buf_free(&all);
  }
  for (i = 0; i < f->evidence.n; i++) {
    lp_buf_puts(b, "    - ");
    wrapped(b, f->evidence.v[i], 6, 6);
  }
  lp_buf_puts(b, "    hint:");
  wrapped(b, f->hint, 9, 6);
}

/* The meaning of each verdict the matrix shows, from the table. */
static void legend(const struct lp_report *r, unsigned flags, struct lp_buf *b)
{
  unsigned shown = lp_verdicts_shown(r);
  int v;

  lp_buf_putc(b, '\n');
  for (v = 0; v < LP_VERDICT_COUNT; v++) {
    if (!(shown & (1u << v)))
      continue;
    lp_buf_puts(b, "  ");
    colored(b, flags, verdict_color((enum lp_verdict)v), lp_verdict_name((enum lp_verdict)v), 9);
    wrapped(b, lp_verdict_doc((enum lp_verdict)v), 11, 11);
  }
}

void lp_write_text(const struct lp_report *r, unsigned flags, struct lp_buf *b)
{
  struct lp_buf line;
  size_t i;

  header(r, b);
  lp_buf_putc(b, '\n');
  matrix(r, flags, b);
  legend(r, flags, b);
  if (r->nfindings) {
    lp_buf_puts(b, "\nfindings\n");
    for (i = 0; i < r->nfindings; i++)
      finding(r, &r->findings[i], flags, b);
  }
  lp_buf_init(&line);
  lp_verdict_line(r, &line);
  lp_buf_puts(b, "\nverdict: ");
  wrapped(b, line.data ? line.data : "", 9, 9);
  lp_buf_free(&line);
}
