/* SPDX-License-Identifier: MIT */
/*
 * markdown.c - the report for a bug tracker: a one-paragraph summary a
 * maintainer reads without expanding anything, a GitHub table in which a
 * cell that an error finding explains reads "**hidden (error)**" and one a
 * warning explains "*missing (warning)*" (plain text and rendered alike),
 * the findings, and the host facts in a <details> block.  Every string is
 * escaped with lp_esc_md(), so nothing a path or variable holds can break
 * the table or inject HTML.  Only the allow-listed environment appears.
 *
 * The size cap: a report longer than max_size characters is written again
 * with its evidence lists and host facts shortened, one step at a time
 * (long items cut, then lists cut, then the facts reduced to the basic
 * ones), until it fits, with a note after the summary that says what was
 * cut and that the JSON report has everything.  The summary, the verdict,
 * the matrix and the findings' summaries and hints are never cut.
 */
#include "escape.h"
#include "writers.h"

#include <stdint.h>
#include <string.h>

/* How much of the evidence and host facts one rendering keeps. */
struct md_step {
  size_t item_max; /* characters of one evidence line or fact; 0: all */
  size_t list_max; /* items of one list; SIZE_MAX: all */
  int brief;       /* host facts: the platform only */
};

static const struct md_step steps[] = {
    {0, SIZE_MAX, 0}, {1000, 20, 0}, {200, 8, 0}, {80, 3, 0}, {80, 0, 1},
};

struct md {
  const struct lp_report *r;
  const struct lp_write_opts *o;
  struct md_step step;
  size_t shortened; /* items cut short */
  size_t left_out;  /* items left out */
};

/* The byte offset after the first max code points of s (an invalid byte
   counts as one), or strlen(s). */
static size_t cut_point(const char *s, size_t max)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s), off = 0, count = 0;

  while (off < n && count < max) {
    unsigned long cp = 0;
    size_t k = lp_utf8_decode(p + off, n - off, &cp);
    off += k ? k : 1;
    count++;
  }
  return off;
}

/* One evidence line or host fact, cut short when the step says so. */
static void item(struct md *d, struct lp_buf *b, const char *s)
{
  size_t n = strlen(s), cut = d->step.item_max ? cut_point(s, d->step.item_max) : n;
  struct lp_buf head;

  if (cut >= n) {
    lp_esc_md(b, s);
    return;
  }
  lp_buf_init(&head);
  lp_buf_putn(&head, s, cut);
  if (lp_buf_failed(&head))
    b->failed = 1;
  else
    lp_esc_md(b, head.data);
  lp_buf_free(&head);
  lp_buf_printf(b, " \xe2\x80\xa6 (cut: %zu more characters)", lp_text_width(s + cut));
  d->shortened++;
}

/* How many of n items a list keeps; counts the others as left out. */
static size_t kept(struct md *d, size_t n)
{
  if (n <= d->step.list_max)
    return n;
  d->left_out += n - d->step.list_max;
  return d->step.list_max;
}

/* --- the summary paragraph --- */

static size_t count_severity(const struct lp_report *r, enum lp_severity s)
{
  size_t i, n = 0;

  for (i = 0; i < r->nfindings; i++)
    n += r->findings[i].severity == s;
  return n;
}

#define SUMMARY_LISTED 6

/* "2 errors: `kind` (epoll@api), `kind` (io_uring@syscall and 1 more)." */
static void severity_sentence(const struct lp_report *r, enum lp_severity s, struct lp_buf *b)
{
  size_t i, n = count_severity(r, s), listed = 0;
  const char *name = lp_severity_name(s);

  if (!n) {
    if (s == LP_SEVERITY_ERROR)
      lp_buf_puts(b, " No errors.");
    return;
  }
  lp_buf_printf(b, " %zu %s%s:", n, name, n == 1 || s == LP_SEVERITY_INFO ? "" : "s");
  for (i = 0; i < r->nfindings && listed < SUMMARY_LISTED; i++) {
    const struct lp_finding *f = &r->findings[i];
    if (f->severity != s)
      continue;
    lp_buf_printf(b, "%s `%s`", listed++ ? "," : "", lp_finding_kind_name(f->kind));
    if (f->cells.n) {
      lp_buf_puts(b, " (");
      lp_esc_md(b, f->cells.v[0]);
      if (f->cells.n > 1)
        lp_buf_printf(b, " and %zu more", f->cells.n - 1);
      lp_buf_putc(b, ')');
    }
  }
  if (n > listed)
    lp_buf_printf(b, " and %zu more", n - listed);
  lp_buf_putc(b, '.');
}

static void summary(const struct lp_report *r, struct lp_buf *b)
{
  const struct lp_host *h = &r->host;
  struct lp_buf line;

  lp_buf_init(&line);
  lp_verdict_head(r, &line);
  lp_buf_puts(b, "**Verdict: ");
  lp_esc_md(b, line.data ? line.data : "");
  lp_buf_printf(b, ".** loopprobe %s on ", LP_VERSION_STRING);
  lp_esc_md(b, h->os ? h->os : "an unknown system");
  lp_buf_putc(b, ' ');
  lp_esc_md(b, h->kernel ? h->kernel : "");
  lp_buf_putc(b, ' ');
  lp_esc_md(b, h->arch ? h->arch : "");
  if (h->libc) {
    lp_buf_puts(b, ", ");
    lp_esc_md(b, h->libc);
  }
  if (h->virt) {
    lp_buf_puts(b, ", in ");
    lp_esc_md(b, h->virt);
  }
  if (h->emulator && h->emulator_translates) {
    lp_buf_puts(b, ", under ");
    lp_esc_md(b, h->emulator);
  }
  lp_buf_printf(b, ": of %zu cells, ", r->ncells);
  if (lp_buf_failed(&line))
    b->failed = 1;
  lp_buf_free(&line);
  lp_buf_init(&line);
  lp_verdict_counts(r, &line);
  if (line.data && strchr(line.data, ';'))
    line.data[strcspn(line.data, ";")] = '\0'; /* the warnings are counted below */
  lp_esc_md(b, line.data ? line.data : "");
  lp_buf_putc(b, '.');
  if (lp_buf_failed(&line))
    b->failed = 1;
  lp_buf_free(&line);
  severity_sentence(r, LP_SEVERITY_ERROR, b);
  severity_sentence(r, LP_SEVERITY_WARNING, b);
  severity_sentence(r, LP_SEVERITY_INFO, b);
  lp_buf_puts(b, "\n\n");
}

/* --- the matrix --- */

static void cell(const struct lp_report *r, enum lp_mechanism m, enum lp_layer l, struct lp_buf *b)
{
  enum lp_verdict v = lp_report_verdict(r, m, l);
  int sev = lp_cell_severity(r, m, l);

  if (sev == LP_SEVERITY_ERROR)
    lp_buf_printf(b, " **%s (error)** |", lp_verdict_name(v));
  else if (sev == LP_SEVERITY_WARNING)
    lp_buf_printf(b, " *%s (warning)* |", lp_verdict_name(v));
  else
    lp_buf_printf(b, " %s |", lp_verdict_name(v));
}

/* The sentence under the table: the marks, and the rows left out. */
static void under_table(const struct lp_report *r, unsigned flags, int marked, struct lp_buf *b)
{
  struct lp_buf names;
  size_t n;

  lp_buf_init(&names);
  n = lp_rows_hidden(r, flags, &names);
  if (marked)
    lp_buf_puts(b, "\nA cell marked **(error)** is explained by an error finding below, one "
                   "marked *(warning)* by a warning.");
  if (n) {
    lp_buf_printf(b, "%s%zu row%s of `na` left out: ", marked ? " " : "\n", n, n == 1 ? "" : "s");
    lp_esc_md(b, names.data ? names.data : "");
    lp_buf_printf(b, " (`--all` shows %s).", n == 1 ? "it" : "them");
  }
  if (marked || n)
    lp_buf_putc(b, '\n');
  if (lp_buf_failed(&names))
    b->failed = 1;
  lp_buf_free(&names);
}

static void table(const struct lp_report *r, unsigned flags, struct lp_buf *b)
{
  int m, l, marked = 0;

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
    if (lp_row_hidden(r, m, flags))
      continue;
    lp_buf_puts(b, "| ");
    lp_esc_md(b, lp_mechanism_name((enum lp_mechanism)m));
    lp_buf_puts(b, " |");
    for (l = 0; l < LP_LAYER_COUNT; l++) {
      if (!(r->layers & (1u << l)))
        continue;
      cell(r, (enum lp_mechanism)m, (enum lp_layer)l, b);
      if (lp_cell_severity(r, (enum lp_mechanism)m, (enum lp_layer)l) == LP_SEVERITY_ERROR ||
          lp_cell_severity(r, (enum lp_mechanism)m, (enum lp_layer)l) == LP_SEVERITY_WARNING)
        marked = 1;
    }
    lp_buf_putc(b, '\n');
  }
  under_table(r, flags, marked, b);
}

static void legend(const struct lp_report *r, unsigned flags, struct lp_buf *b)
{
  unsigned shown = lp_verdicts_shown(r, flags);
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

/* --- the findings --- */

static void finding(struct md *d, const struct lp_finding *f, struct lp_buf *b)
{
  char where[64];
  size_t i, n = kept(d, f->evidence.n);

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
  for (i = 0; i < n; i++) {
    lp_buf_puts(b, "  - ");
    item(d, b, f->evidence.v[i]);
    lp_buf_putc(b, '\n');
  }
  if (n < f->evidence.n)
    lp_buf_printf(b, "  - \xe2\x80\xa6 %zu more line%s of evidence cut\n", f->evidence.n - n,
                  f->evidence.n - n == 1 ? "" : "s");
  lp_buf_puts(b, "  - hint: ");
  lp_esc_md(b, f->hint);
  lp_buf_putc(b, '\n');
}

/* --- the host facts --- */

static void fact(struct md *d, struct lp_buf *b, const char *name, const char *value)
{
  lp_buf_printf(b, "| %s | ", name);
  if (value && *value)
    item(d, b, value);
  else
    lp_buf_puts(b, "unknown");
  lp_buf_puts(b, " |\n");
}

static void fact_list(struct md *d, struct lp_buf *b, const char *name, const struct lp_strv *sv)
{
  size_t i, n = kept(d, sv->n);

  lp_buf_printf(b, "| %s | ", name);
  for (i = 0; i < n; i++) {
    lp_buf_puts(b, i ? ", " : "");
    item(d, b, sv->v[i]);
  }
  if (n < sv->n)
    lp_buf_printf(b, "%s\xe2\x80\xa6 %zu more cut", n ? ", " : "", sv->n - n);
  lp_buf_puts(b, sv->n ? " |\n" : "none |\n");
}

/* One library: its version and file, or why it is not loaded. */
static void library(struct md *d, struct lp_buf *b, const struct lp_library *l)
{
  char line[1024], compiled[80] = "";

  /* A shim's ABI is declared by loopprobe itself: no headers, no version. */
  if (l->compiled)
    lp_fmt(compiled, sizeof(compiled), " (compiled %s)", l->compiled);
  if (l->path)
    lp_fmt(line, sizeof(line), "%s %s%s, default %s, from %s%s", l->name,
           l->runtime ? l->runtime : "?", compiled,
           l->default_mechanism ? l->default_mechanism : "none", l->path,
           l->given ? " (--library)" : "");
  else
    lp_fmt(line, sizeof(line), "%s%s: %s", l->name, compiled,
           l->absence ? l->absence : "not loaded");
  fact(d, b, "library", line);
}

static void platform_facts(struct md *d, struct lp_buf *b)
{
  const struct lp_host *h = &d->r->host;

  fact(d, b, "host", h->name);
  if (h->anonymized)
    fact(d, b, "anonymized",
         "the host name is a salted hash; paths under home directories are removed");
  fact(d, b, "command line", d->r->command_line ? d->r->command_line : "not recorded");
  fact(d, b, "os", h->os);
  fact(d, b, "kernel", h->kernel);
  fact(d, b, "arch", h->arch);
  fact(d, b, "libc", h->libc);
  fact(d, b, "seccomp", lp_seccomp_name(h->seccomp_mode));
  fact(d, b, "virtualization", h->virt ? h->virt : "none detected");
}

/* The facts a brief rendering leaves out, counted as left out. */
static size_t other_fact_count(const struct lp_report *r)
{
  const struct lp_host *h = &r->host;

  return 4 + r->nlibs + h->nenv + (h->limits.known ? 1 : 0) + (h->libc_clock_rate > 0) + 3 +
         h->notes.n;
}

static void other_facts(struct md *d, struct lp_buf *b)
{
  const struct lp_report *r = d->r;
  const struct lp_host *h = &r->host;
  char num[64], line[512];
  size_t i;

  lp_fmt(num, sizeof(num), "%ld", h->tracer_pid);
  fact(d, b, "tracer pid", h->tracer_pid >= 0 ? num : NULL);
  fact_list(d, b, "LD_PRELOAD entries", &h->preload);
  fact_list(d, b, "/etc/ld.so.preload", &h->ld_so_preload);
  fact_list(d, b, "virtualization evidence", &h->virt_evidence);
  for (i = 0; i < r->nlibs; i++)
    library(d, b, &r->libs[i]);
  for (i = 0; i < h->nenv; i++) {
    lp_buf_puts(b, "| env ");
    lp_esc_md(b, h->env[i].name);
    lp_buf_puts(b, " | ");
    item(d, b, h->env[i].value);
    lp_buf_puts(b, " |\n");
  }
  if (h->limits.known) {
    lp_fmt(line, sizeof(line),
           "descriptors %lld (hard %lld), epoll watches %lld, AIO contexts %lld of %lld",
           h->limits.nofile_soft, h->limits.nofile_hard, h->limits.epoll_max_user_watches,
           h->limits.aio_nr, h->limits.aio_max_nr);
    fact(d, b, "limits", line);
  }
  fact(d, b, "emulator", h->emulator ? h->emulator : "none detected");
  fact_list(d, b, "emulator evidence", &h->emulator_evidence);
  if (h->libc_clock_rate > 0) {
    lp_fmt(line, sizeof(line), "%.3f x the kernel's", h->libc_clock_rate);
    fact(d, b, "C library clock rate", line);
  }
  fact_list(d, b, "time wrappers", &h->time_wrappers);
  for (i = 0; i < h->notes.n; i++)
    fact(d, b, "note", h->notes.v[i]);
}

static void environment(struct md *d, struct lp_buf *b)
{
  lp_buf_puts(b, "<details><summary>Environment</summary>\n\n| fact | value |\n|---|---|\n");
  platform_facts(d, b);
  if (d->step.brief) {
    size_t n = other_fact_count(d->r);
    d->left_out += n;
    lp_buf_printf(b, "| other facts | %zu cut |\n", n);
  } else
    other_facts(d, b);
  lp_buf_puts(b, "\n</details>\n");
}

/* Everything after the summary. */
static void body(struct md *d, struct lp_buf *b)
{
  const struct lp_report *r = d->r;
  size_t i;

  table(r, d->o->flags, b);
  legend(r, d->o->flags, b);
  if (r->nfindings) {
    lp_buf_puts(b, "\n#### Findings\n\n");
    for (i = 0; i < r->nfindings; i++)
      finding(d, &r->findings[i], b);
  }
  lp_buf_putc(b, '\n');
  environment(d, b);
  lp_buf_printf(b, "\n<sub>loopprobe %s, schema %s, generated %s</sub>\n", LP_VERSION_STRING,
                LP_SCHEMA, r->generated_at);
}

static void cut_note(const struct md *d, int fits, struct lp_buf *b)
{
  lp_buf_printf(b, "> **Shortened to fit %zu characters** (`--max-size`): ", d->o->max_size);
  if (d->shortened)
    lp_buf_printf(b, "%zu evidence line%s or host fact%s cut short", d->shortened,
                  d->shortened == 1 ? "" : "s", d->shortened == 1 ? "" : "s");
  if (d->left_out)
    lp_buf_printf(b, "%s%zu left out", d->shortened ? ", " : "", d->left_out);
  lp_buf_puts(b, "; the verdict, the matrix and the findings' summaries are never cut.");
  if (!fits)
    lp_buf_puts(b, " They alone are longer than that.");
  lp_buf_puts(b, " `loopprobe --format json` has everything.\n\n");
}

/* Characters (code points) in s[0..n); s may be NULL when n is 0. */
static size_t chars(const char *s, size_t n)
{
  size_t i, c = 0;

  for (i = 0; i < n; i++)
    c += ((unsigned char)s[i] & 0xc0) != 0x80;
  return c;
}

/* Writes the report at step k after start in b (everything written there
   before is replaced); returns 1 when it fits the cap. */
static int attempt(const struct lp_report *r, const struct lp_write_opts *o, size_t k,
                   const struct lp_buf *head, struct lp_buf *b, size_t start)
{
  struct lp_buf rest, note;
  struct md d;
  size_t size;
  int fits = 1;

  memset(&d, 0, sizeof(d));
  d.r = r;
  d.o = o;
  d.step = steps[k];
  lp_buf_init(&rest);
  lp_buf_init(&note);
  body(&d, &rest);
  if (k > 0)
    cut_note(&d, 1, &note);
  size = chars(head->data, head->len) + chars(note.data, note.len) + chars(rest.data, rest.len);
  if (o->max_size && size > o->max_size) {
    fits = 0;
    if (k + 1 == LP_ARRAY_LEN(steps)) { /* even the briefest is too long: say so */
      lp_buf_free(&note);
      cut_note(&d, 0, &note);
    }
  }
  b->len = start;
  lp_buf_puts(b, head->data ? head->data : "");
  lp_buf_puts(b, note.data ? note.data : "");
  lp_buf_puts(b, rest.data ? rest.data : "");
  if (lp_buf_failed(&rest) || lp_buf_failed(&note))
    b->failed = 1;
  lp_buf_free(&rest);
  lp_buf_free(&note);
  return fits;
}

void lp_write_markdown(const struct lp_report *r, const struct lp_write_opts *o, struct lp_buf *b)
{
  struct lp_buf head;
  size_t k, start = b->len;

  lp_buf_init(&head);
  lp_buf_puts(&head, "### loopprobe report\n\n");
  summary(r, &head);
  for (k = 0; k < LP_ARRAY_LEN(steps); k++)
    if (attempt(r, o, k, &head, b, start) || lp_buf_failed(b))
      break;
  if (lp_buf_failed(&head))
    b->failed = 1;
  lp_buf_free(&head);
}
