/* SPDX-License-Identifier: MIT */
/*
 * text.c - the terminal report: a header line, the matrix, the legend and
 * the findings wrapped at the width the caller names (the command asks the
 * terminal; lp_report_format_sized() never lets it be narrower than the
 * matrix), and the verdict as the last line, never wrapped, so that
 * "tail -n 1" and grep get all of it.  Rows where every cell is na are
 * left out unless LP_WRITE_ALL, with a line that says so.  Colour only
 * when the caller asks (LP_WRITE_COLOR).
 *
 * Traps: wrapping happens between words only - a word wider than the line
 * (a long path) keeps a line of its own - and widths are counted on the
 * escaped text, which is what the terminal shows.
 */
#include "escape.h"
#include "writers.h"

#include <string.h>

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

static void header(const struct lp_report *r, const struct lp_write_opts *o, struct lp_buf *b)
{
  const struct lp_host *h = &r->host;
  struct lp_buf line;

  lp_buf_init(&line);
  lp_buf_printf(&line, "loopprobe %s", LP_VERSION_STRING);
  if (h->name)
    lp_buf_printf(&line, " on %s", h->name);
  lp_buf_printf(&line, ": %s %s %s", h->os ? h->os : "unknown os", h->kernel ? h->kernel : "",
                h->arch ? h->arch : "");
  if (h->libc)
    lp_buf_printf(&line, ", %s", h->libc);
  if (h->virt)
    lp_buf_printf(&line, ", in %s", h->virt);
  if (h->emulator && h->emulator_translates)
    lp_buf_printf(&line, ", under %s", h->emulator);
  lp_text_wrap(b, line.data ? line.data : "", 0, 2, o->width);
  if (lp_buf_failed(&line))
    b->failed = 1;
  lp_buf_free(&line);
}

/* The libraries named with --library: which file each layer probed. */
static void given_libraries(const struct lp_report *r, const struct lp_write_opts *o,
                            struct lp_buf *b)
{
  struct lp_buf line;
  size_t i;

  for (i = 0; i < r->nlibs; i++) {
    if (!r->libs[i].given || !r->libs[i].path)
      continue;
    lp_buf_init(&line);
    lp_buf_printf(&line, "%s%s%s from %s (--library)", r->libs[i].name,
                  r->libs[i].runtime ? " " : "", r->libs[i].runtime ? r->libs[i].runtime : "",
                  r->libs[i].path);
    lp_text_wrap(b, line.data ? line.data : "", 0, 2, o->width);
    if (lp_buf_failed(&line))
      b->failed = 1;
    lp_buf_free(&line);
  }
}

static void matrix(const struct lp_report *r, const struct lp_write_opts *o, struct lp_buf *b)
{
  unsigned flags = o->flags;
  struct lp_buf names, left;
  size_t n;
  int m, l;

  lp_buf_repeat(b, ' ', MECH_COL);
  for (l = 0; l < LP_LAYER_COUNT; l++)
    if (r->layers & (1u << l))
      colored(b, flags, "\033[1m", lp_layer_name((enum lp_layer)l), LAYER_COL);
  while (b->len && b->data[b->len - 1] == ' ')
    b->data[--b->len] = '\0';
  lp_buf_putc(b, '\n');
  for (m = 0; m < LP_MECH_COUNT; m++) {
    if (lp_row_hidden(r, m, flags))
      continue;
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
  lp_buf_init(&names);
  n = lp_rows_hidden(r, flags, &names);
  if (n) {
    lp_buf_init(&left);
    lp_buf_printf(&left, "%zu row%s of na left out: %s (--all shows %s)", n, n == 1 ? "" : "s",
                  names.data ? names.data : "", n == 1 ? "it" : "them");
    if (lp_buf_failed(&left))
      b->failed = 1;
    else
      lp_text_wrap(b, left.data, 0, 2, o->width);
    lp_buf_free(&left);
  }
  if (lp_buf_failed(&names))
    b->failed = 1;
  lp_buf_free(&names);
}

void lp_text_wrap(struct lp_buf *b, const char *s, size_t col, size_t indent, size_t width)
{
  struct lp_buf word;
  const char *p = s;
  int fresh = 1; /* no word on this line yet */

  lp_buf_init(&word);
  while (*p) {
    size_t n = strcspn(p, " "), w;
    lp_buf_free(&word);
    lp_buf_putn(&word, p, n);
    w = word.data ? lp_text_width(word.data) : 0;
    if (!fresh && col + 1 + w > width) {
      lp_buf_putc(b, '\n');
      lp_buf_repeat(b, ' ', indent);
      col = indent;
    } else if (!fresh) {
      lp_buf_putc(b, ' ');
      col++;
    }
    fresh = 0;
    if (word.data)
      lp_esc_text(b, word.data);
    col += w;
    p += n;
    while (*p == ' ')
      p++;
  }
  if (lp_buf_failed(&word))
    b->failed = 1;
  lp_buf_free(&word);
  lp_buf_putc(b, '\n');
}

static void finding(const struct lp_finding *f, const struct lp_write_opts *o, struct lp_buf *b)
{
  char where[64];
  size_t i;

  lp_cell_name(where, sizeof(where), f->mech, f->layer);
  lp_buf_puts(b, "  ");
  colored(b, o->flags, severity_color(f->severity), lp_severity_name(f->severity), 8);
  lp_buf_printf(b, " %s: %s", lp_finding_kind_name(f->kind), f->cells.n ? f->cells.v[0] : where);
  if (f->cells.n > 1)
    lp_buf_printf(b, " and %zu more", f->cells.n - 1);
  lp_buf_putc(b, '\n');
  lp_buf_repeat(b, ' ', 4);
  lp_text_wrap(b, f->summary, 4, 4, o->width);
  if (f->cells.n > 1) {
    struct lp_buf all;
    lp_buf_init(&all);
    lp_buf_puts(&all, "cells:");
    for (i = 0; i < f->cells.n; i++)
      lp_buf_printf(&all, " %s", f->cells.v[i]);
    lp_buf_repeat(b, ' ', 4);
    lp_text_wrap(b, all.data ? all.data : "", 4, 6, o->width);
    lp_buf_free(&all);
  }
  for (i = 0; i < f->evidence.n; i++) {
    lp_buf_puts(b, "    - ");
    lp_text_wrap(b, f->evidence.v[i], 6, 6, o->width);
  }
  lp_buf_puts(b, "    hint: ");
  lp_text_wrap(b, f->hint, 10, 6, o->width);
}

/* The meaning of each verdict the matrix shows, from the table. */
static void legend(const struct lp_report *r, const struct lp_write_opts *o, struct lp_buf *b)
{
  unsigned shown = lp_verdicts_shown(r, o->flags);
  int v;

  lp_buf_putc(b, '\n');
  for (v = 0; v < LP_VERDICT_COUNT; v++) {
    if (!(shown & (1u << v)))
      continue;
    lp_buf_puts(b, "  ");
    colored(b, o->flags, verdict_color((enum lp_verdict)v), lp_verdict_name((enum lp_verdict)v), 9);
    lp_text_wrap(b, lp_verdict_doc((enum lp_verdict)v), 11, 11, o->width);
  }
}

void lp_write_text(const struct lp_report *r, const struct lp_write_opts *o, struct lp_buf *b)
{
  struct lp_buf line;
  size_t i;

  header(r, o, b);
  given_libraries(r, o, b);
  lp_buf_putc(b, '\n');
  matrix(r, o, b);
  legend(r, o, b);
  if (r->nfindings) {
    lp_buf_puts(b, "\nfindings\n");
    for (i = 0; i < r->nfindings; i++)
      finding(&r->findings[i], o, b);
  }
  lp_buf_init(&line);
  lp_verdict_line(r, &line);
  lp_buf_puts(b, "\nverdict: ");
  if (lp_buf_failed(&line))
    b->failed = 1;
  else
    lp_esc_text(b, line.data);
  lp_buf_putc(b, '\n');
  lp_buf_free(&line);
}
