/* SPDX-License-Identifier: MIT */
/*
 * merge_write.c - a fleet as text (wrapped to the terminal), Markdown and
 * JSON, loopprobe-fleet/1 (docs/loopprobe-fleet-1.schema.json).  The same
 * order everywhere: where hosts disagree (each odd group with its hosts
 * and cause), the fleet's matrix, the libraries, the hosts that fail, the
 * same host twice, unusable input, the verdict.  Text and Markdown name
 * the hosts outside the majority only, 30 at most for each group ("and
 * 170 more"); JSON names every host.  Every
 * string from a report is escaped for its format.
 */
#include "merge.h"
#include "write.h"

#include "../report/report.h"

#include <string.h>

#define LPF_FLEET_SCHEMA "loopprobe-fleet/1"
#define MECH_COL 10
#define LAYER_COL 10
#define NAMES_SHOWN 30

/* At most NAMES_SHOWN names (text and Markdown; JSON names every host). */
static void host_names(const struct lpf_fleet *f, const struct lpf_hostlist *hl, struct lp_buf *b)
{
  size_t i;

  for (i = 0; i < hl->n && i < NAMES_SHOWN; i++) {
    lp_buf_puts(b, i ? " " : "");
    lp_buf_puts(b, f->hosts[hl->v[i]].name);
  }
  if (hl->n > NAMES_SHOWN)
    lp_buf_printf(b, " and %zu more", hl->n - NAMES_SHOWN);
}

/* "hidden on 1 of 4: noepoll -- hidden-by-environment: SUMMARY" (unescaped) */
static void group_line(const struct lpf_fleet *f, const struct lpf_group *g, struct lp_buf *b)
{
  lp_buf_printf(b, "%s on %zu of %zu: ", lp_verdict_name(g->verdict), g->hosts.n, f->nhosts);
  host_names(f, &g->hosts, b);
  if (g->cause)
    lp_buf_printf(b, " -- %s: %s", g->cause->kind, g->cause->summary);
  else
    lp_buf_puts(b, " -- no finding names this cell");
}

/* "of these, 2 -- hidden-by-environment: SUMMARY": the majority's causes */
static void cause_line(const struct lpf_group *g, struct lp_buf *b)
{
  lp_buf_printf(b, "of these, %zu -- ", g->hosts.n);
  if (g->cause)
    lp_buf_printf(b, "%s: %s", g->cause->kind, g->cause->summary);
  else
    lp_buf_puts(b, "no finding names this cell");
}

static void text_disagree(const struct lpf_fleet *f, size_t width, struct lp_buf *b)
{
  char name[48];
  size_t i, k;

  if (!f->ndisagree) {
    lp_buf_printf(b, "\nevery host agrees on all %zu cells\n", f->ncells);
    return;
  }
  lp_buf_printf(b, "\nhosts disagree on %zu of %zu cells\n", f->ndisagree, f->ncells);
  for (i = 0; i < f->ndisagree; i++) {
    const struct lpf_fcell *c = &f->cells[i];
    lp_cell_name(name, sizeof(name), c->mech, c->layer);
    lp_buf_printf(b, "  %-18s %s on %zu of %zu\n", name, lp_verdict_name(c->majority),
                  c->counts[c->majority], f->nhosts);
    for (k = 0; k < c->ncauses; k++) {
      struct lp_buf line;
      lp_buf_init(&line);
      cause_line(&c->causes[k], &line);
      lp_buf_repeat(b, ' ', 4);
      lp_text_wrap(b, line.data, 4, 6, width);
      lp_buf_free(&line);
    }
    for (k = 0; k < c->ngroups; k++) {
      struct lp_buf line;
      lp_buf_init(&line);
      group_line(f, &c->groups[k], &line);
      lp_buf_repeat(b, ' ', 4);
      lp_text_wrap(b, line.data, 4, 6, width);
      lp_buf_free(&line);
    }
  }
}

static const struct lpf_fcell *find_fcell(const struct lpf_fleet *f, int m, int l)
{
  size_t i;

  for (i = 0; i < f->ncells; i++)
    if (f->cells[i].mech == m && f->cells[i].layer == l)
      return &f->cells[i];
  return NULL;
}

/* The layers some host has a cell of. */
static unsigned layers_shown(const struct lpf_fleet *f)
{
  unsigned layers = 0;
  size_t i;

  for (i = 0; i < f->ncells; i++)
    layers |= 1u << f->cells[i].layer;
  return layers;
}

static void text_matrix(const struct lpf_fleet *f, struct lp_buf *b)
{
  unsigned layers = layers_shown(f);
  int m, l;

  if (!f->ncells)
    return;
  lp_buf_puts(b, "\nthe fleet's matrix: most hosts' verdict, * where some differ\n");
  lp_buf_repeat(b, ' ', MECH_COL);
  for (l = 0; l < LP_LAYER_COUNT; l++)
    if (layers & (1u << l))
      lp_buf_printf(b, "%-*s", LAYER_COL, lp_layer_name((enum lp_layer)l));
  for (m = 0; m < LP_MECH_COUNT; m++) {
    while (b->len && b->data[b->len - 1] == ' ')
      b->data[--b->len] = '\0';
    lp_buf_printf(b, "\n%-*s", MECH_COL, lp_mechanism_name((enum lp_mechanism)m));
    for (l = 0; l < LP_LAYER_COUNT; l++) {
      const struct lpf_fcell *c = find_fcell(f, m, l);
      char cell[16];
      if (!(layers & (1u << l)))
        continue;
      lp_fmt(cell, sizeof(cell), "%s%s", c ? lp_verdict_name(c->majority) : "-",
             c && c->ngroups ? "*" : "");
      lp_buf_printf(b, "%-*s", LAYER_COL, cell);
    }
  }
  while (b->len && b->data[b->len - 1] == ' ')
    b->data[--b->len] = '\0';
  lp_buf_putc(b, '\n');
}

/* "2.1.12-stable" or "1.48.0 (compiled 1.44.2)" or "absent" */
static void version(const struct lpf_share *s, struct lp_buf *b)
{
  if (!s->a && !s->b)
    lp_buf_puts(b, "absent");
  else if (!s->a || !s->b || strcmp(s->a, s->b) == 0)
    lp_buf_puts(b, s->b ? s->b : s->a);
  else
    lp_buf_printf(b, "%s (compiled %s)", s->b ? s->b : "unknown", s->a ? s->a : "unknown");
}

/* "1.44.2 on 3 of 4, 1.48.0 on 1: web-07" (unescaped) */
static void shares(const struct lpf_fleet *f, const struct lpf_share *s, size_t n, int versions,
                   struct lp_buf *b)
{
  size_t k;

  for (k = 0; k < n; k++) {
    lp_buf_puts(b, k ? ", " : "");
    if (versions)
      version(&s[k], b);
    else
      lp_buf_puts(b, s[k].a ? s[k].a : "none");
    lp_buf_printf(b, " on %zu", s[k].hosts.n);
    if (k == 0)
      lp_buf_printf(b, " of %zu", f->nhosts);
    else {
      lp_buf_puts(b, ": ");
      host_names(f, &s[k].hosts, b);
    }
  }
}

static void text_libs(const struct lpf_fleet *f, size_t width, struct lp_buf *b)
{
  size_t i;

  if (!f->nlibs)
    return;
  lp_buf_puts(b, "\nlibraries\n");
  for (i = 0; i < f->nlibs; i++) {
    const struct lpf_flib *l = &f->libs[i];
    struct lp_buf line;
    lp_buf_init(&line);
    shares(f, l->versions, l->nversions, 1, &line);
    lp_buf_puts(&line, "; default mechanism ");
    shares(f, l->defaults, l->ndefaults, 0, &line);
    lp_buf_puts(b, "  ");
    lp_esc_text(b, l->name);
    lp_buf_repeat(b, ' ', lp_text_width(l->name) < 10 ? 10 - lp_text_width(l->name) : 1);
    lp_text_wrap(b, line.data, 12, 12, width);
    lp_buf_free(&line);
  }
}

static void text_failed(const struct lpf_fleet *f, size_t width, struct lp_buf *b)
{
  size_t i;

  if (!f->nfailed)
    return;
  lp_buf_printf(b, "\nhosts that fail (%zu of %zu)\n", f->nfailed, f->nhosts);
  for (i = 0; i < f->nhosts; i++) {
    struct lp_buf line;
    if (!f->hosts[i].failed)
      continue;
    lp_buf_init(&line);
    lp_buf_printf(&line, "%s: %s", f->hosts[i].name, f->hosts[i].why);
    lp_buf_puts(b, "  ");
    lp_text_wrap(b, line.data, 2, 4, width);
    lp_buf_free(&line);
  }
}

static void text_input(const struct lpf_fleet *f, size_t width, struct lp_buf *b)
{
  struct lp_buf line;
  size_t i;

  if (f->ndups)
    lp_buf_puts(b, "\nthe same host twice: the newer report is used\n");
  for (i = 0; i < f->ndups; i++) {
    const struct lpf_fhost *h = &f->hosts[f->dups[i].used];
    lp_buf_init(&line);
    lp_buf_printf(&line, "%s: used %s (%s), left out %s (%s)", h->name, h->file,
                  *h->r->generated_at ? h->r->generated_at : "no date", f->dups[i].file,
                  *f->dups[i].when ? f->dups[i].when : "no date");
    lp_buf_puts(b, "  ");
    lp_text_wrap(b, line.data, 2, 4, width);
    lp_buf_free(&line);
  }
  if (f->nunused)
    lp_buf_printf(b, "\nunusable input (%zu)\n", f->nunused);
  for (i = 0; i < f->nunused; i++) {
    lp_buf_init(&line);
    lp_buf_printf(&line, "%s: %s", f->unused[i].file, f->unused[i].why);
    lp_buf_puts(b, "  ");
    lp_text_wrap(b, line.data, 2, 4, width);
    lp_buf_free(&line);
  }
}

void lpf_fleet_text(const struct lpf_fleet *f, size_t width, struct lp_buf *b)
{
  lp_buf_printf(b, "loopprobe merge: %zu %s from %zu %s\n", f->nhosts,
                lpf_plural(f->nhosts, "host", "hosts"), f->nhosts + f->ndups,
                lpf_plural(f->nhosts + f->ndups, "report", "reports"));
  if (f->nhosts) {
    text_disagree(f, width, b);
    text_matrix(f, b);
  }
  text_libs(f, width, b);
  text_failed(f, width, b);
  text_input(f, width, b);
  lp_buf_putc(b, '\n');
  lpf_fleet_summary(f, b);
}

void lpf_fleet_summary(const struct lpf_fleet *f, struct lp_buf *b)
{
  struct lp_buf line;

  lp_buf_init(&line);
  lpf_fleet_verdict_line(f, &line);
  lpf_verdict(b, &line);
  lp_buf_free(&line);
}

/* --- Markdown --- */

static void md_hosts(const struct lpf_fleet *f, const struct lpf_hostlist *hl, struct lp_buf *b)
{
  size_t i;

  for (i = 0; i < hl->n && i < NAMES_SHOWN; i++) {
    lp_buf_puts(b, i ? " " : "");
    lp_esc_md(b, f->hosts[hl->v[i]].name);
  }
  if (hl->n > NAMES_SHOWN)
    lp_buf_printf(b, " and %zu more", hl->n - NAMES_SHOWN);
}

static void md_cause(const struct lpf_finding *cause, struct lp_buf *b)
{
  if (cause) {
    lp_esc_md(b, cause->kind);
    lp_buf_puts(b, ": ");
    lpf_md(b, cause->summary);
  } else
    lp_buf_puts(b, "no finding names this cell");
}

static void md_disagree(const struct lpf_fleet *f, struct lp_buf *b)
{
  char name[48];
  size_t i, k;

  if (!f->ndisagree) {
    lp_buf_printf(b, "\nEvery host agrees on all %zu cells.\n", f->ncells);
    return;
  }
  lp_buf_printf(b,
                "\n#### Where hosts disagree (%zu of %zu cells)\n\n"
                "| cell | most hosts | the others | hosts | cause |\n|---|---|---|---|---|\n",
                f->ndisagree, f->ncells);
  for (i = 0; i < f->ndisagree; i++) {
    const struct lpf_fcell *c = &f->cells[i];
    lp_cell_name(name, sizeof(name), c->mech, c->layer);
    lp_buf_printf(b, "| %s | %s on %zu of %zu | | | |\n", name, lp_verdict_name(c->majority),
                  c->counts[c->majority], f->nhosts);
    for (k = 0; k < c->ncauses; k++) {
      lp_buf_printf(b, "| | of these, %zu | | | ", c->causes[k].hosts.n);
      md_cause(c->causes[k].cause, b);
      lp_buf_puts(b, " |\n");
    }
    for (k = 0; k < c->ngroups; k++) {
      const struct lpf_group *g = &c->groups[k];
      lp_buf_puts(b, "| | |");
      lp_buf_printf(b, " **%s** on %zu | ", lp_verdict_name(g->verdict), g->hosts.n);
      md_hosts(f, &g->hosts, b);
      lp_buf_puts(b, " | ");
      md_cause(g->cause, b);
      lp_buf_puts(b, " |\n");
    }
  }
}

static void md_matrix(const struct lpf_fleet *f, struct lp_buf *b)
{
  unsigned layers = layers_shown(f);
  int m, l;

  if (!f->ncells)
    return;
  lp_buf_puts(b, "\n#### The fleet's matrix\n\nThe verdict most hosts share; "
                 "the count where some differ.\n\n| mechanism |");
  for (l = 0; l < LP_LAYER_COUNT; l++)
    if (layers & (1u << l))
      lp_buf_printf(b, " %s |", lp_layer_name((enum lp_layer)l));
  lp_buf_puts(b, "\n|---|");
  for (l = 0; l < LP_LAYER_COUNT; l++)
    if (layers & (1u << l))
      lp_buf_puts(b, "---|");
  for (m = 0; m < LP_MECH_COUNT; m++) {
    lp_buf_printf(b, "\n| %s |", lp_mechanism_name((enum lp_mechanism)m));
    for (l = 0; l < LP_LAYER_COUNT; l++) {
      const struct lpf_fcell *c = find_fcell(f, m, l);
      if (!(layers & (1u << l)))
        continue;
      if (!c)
        lp_buf_puts(b, " - |");
      else if (c->ngroups)
        lp_buf_printf(b, " **%s** (%zu of %zu) |", lp_verdict_name(c->majority),
                      c->counts[c->majority], f->nhosts);
      else
        lp_buf_printf(b, " %s |", lp_verdict_name(c->majority));
    }
  }
  lp_buf_putc(b, '\n');
}

static void md_libs(const struct lpf_fleet *f, struct lp_buf *b)
{
  struct lp_buf cell;
  size_t i;

  if (!f->nlibs)
    return;
  lp_buf_puts(b, "\n#### Libraries\n\n| library | version | default mechanism |\n|---|---|---|\n");
  for (i = 0; i < f->nlibs; i++) {
    lp_buf_puts(b, "| ");
    lp_esc_md(b, f->libs[i].name);
    lp_buf_puts(b, " | ");
    lp_buf_init(&cell);
    shares(f, f->libs[i].versions, f->libs[i].nversions, 1, &cell);
    lpf_md(b, cell.data);
    lp_buf_free(&cell);
    lp_buf_puts(b, " | ");
    shares(f, f->libs[i].defaults, f->libs[i].ndefaults, 0, &cell);
    lpf_md(b, cell.data);
    lp_buf_free(&cell);
    lp_buf_puts(b, " |\n");
  }
}

static void md_hosts_and_input(const struct lpf_fleet *f, struct lp_buf *b)
{
  size_t i;

  if (f->nfailed)
    lp_buf_printf(b, "\n#### Hosts that fail (%zu of %zu)\n\n", f->nfailed, f->nhosts);
  for (i = 0; i < f->nhosts; i++)
    if (f->hosts[i].failed) {
      lp_buf_puts(b, "- ");
      lp_esc_md(b, f->hosts[i].name);
      lp_buf_puts(b, ": ");
      lp_esc_md(b, f->hosts[i].why);
      lp_buf_putc(b, '\n');
    }
  if (f->ndups || f->nunused)
    lp_buf_puts(b, "\n#### Input\n\n");
  for (i = 0; i < f->ndups; i++) {
    const struct lpf_fhost *h = &f->hosts[f->dups[i].used];
    lp_buf_puts(b, "- same host twice: ");
    lp_esc_md(b, h->name);
    lp_buf_puts(b, ": used ");
    lp_esc_md(b, h->file);
    lp_buf_puts(b, ", the newer; left out ");
    lp_esc_md(b, f->dups[i].file);
    lp_buf_putc(b, '\n');
  }
  for (i = 0; i < f->nunused; i++) {
    lp_buf_puts(b, "- unusable: ");
    lp_esc_md(b, f->unused[i].file);
    lp_buf_puts(b, ": ");
    lp_esc_md(b, f->unused[i].why);
    lp_buf_putc(b, '\n');
  }
}

void lpf_fleet_markdown(const struct lpf_fleet *f, struct lp_buf *b)
{
  struct lp_buf line;

  lp_buf_printf(b, "### loopprobe fleet: %zu %s\n\n**Verdict:** ", f->nhosts,
                lpf_plural(f->nhosts, "host", "hosts"));
  lp_buf_init(&line);
  lpf_fleet_verdict_line(f, &line);
  lp_esc_md(b, line.data ? line.data : "");
  lp_buf_free(&line);
  lp_buf_putc(b, '\n');
  if (f->nhosts) {
    md_disagree(f, b);
    md_matrix(f, b);
  }
  md_libs(f, b);
  md_hosts_and_input(f, b);
  lp_buf_printf(b, "\n<sub>loopprobe %s, schema %s</sub>\n", LP_VERSION_STRING, LPF_FLEET_SCHEMA);
}

/* --- JSON --- */

static void json_hosts(const struct lpf_fleet *f, const struct lpf_hostlist *hl, struct lp_buf *b)
{
  size_t i;

  lp_buf_putc(b, '[');
  for (i = 0; i < hl->n; i++) {
    lp_buf_puts(b, i ? ", " : "");
    lp_esc_json(b, f->hosts[hl->v[i]].name);
  }
  lp_buf_putc(b, ']');
}

static void json_host_list(const struct lpf_fleet *f, struct lp_buf *b)
{
  size_t i;

  lp_buf_putc(b, '[');
  for (i = 0; i < f->nhosts; i++) {
    const struct lpf_fhost *h = &f->hosts[i];
    lp_buf_puts(b, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
    lp_esc_json(b, h->name);
    lp_buf_puts(b, ", \"file\": ");
    lp_esc_json(b, h->file);
    lp_buf_puts(b, ", \"generated_at\": ");
    lp_esc_json(b, h->r->generated_at);
    lp_buf_puts(b, ", \"tool_version\": ");
    lp_esc_json(b, h->r->tool_version);
    lp_buf_printf(
        b, ", \"anonymized\": %s,\n     \"exit_code\": ", h->r->anonymized ? "true" : "false");
    if (h->r->exit_code >= 0)
      lp_buf_printf(b, "%d", h->r->exit_code);
    else
      lp_buf_puts(b, "null");
    lp_buf_printf(b, ", \"failed\": %s, \"why\": ", h->failed ? "true" : "false");
    lpf_json_str(b, h->failed ? h->why : NULL);
    lp_buf_putc(b, '}');
  }
  lp_buf_puts(b, f->nhosts ? "\n  ]" : "]");
}

static void json_cause(const struct lpf_finding *c, struct lp_buf *b)
{
  if (!c) {
    lp_buf_puts(b, "null");
    return;
  }
  lp_buf_printf(b, "{\"severity\": \"%s\", \"kind\": ", lp_severity_name(c->severity));
  lp_esc_json(b, c->kind);
  lp_buf_puts(b, ", \"summary\": ");
  lp_esc_json(b, c->summary);
  lp_buf_putc(b, '}');
}

static void json_groups(const struct lpf_fleet *f, const struct lpf_group *g, size_t n,
                        struct lp_buf *b)
{
  size_t k;

  lp_buf_putc(b, '[');
  for (k = 0; k < n; k++) {
    lp_buf_printf(b, "%s\n       {\"verdict\": \"%s\", \"hosts\": ", k ? "," : "",
                  lp_verdict_name(g[k].verdict));
    json_hosts(f, &g[k].hosts, b);
    lp_buf_puts(b, ",\n        \"cause\": ");
    json_cause(g[k].cause, b);
    lp_buf_putc(b, '}');
  }
  lp_buf_puts(b, n ? "\n     ]" : "]");
}

static void json_cell(const struct lpf_fleet *f, const struct lpf_fcell *c, struct lp_buf *b)
{
  int v, first = 1;

  lp_buf_printf(
      b,
      "    {\"mechanism\": \"%s\", \"layer\": \"%s\", \"agree\": %s, \"majority\": \"%s\",\n"
      "     \"counts\": {",
      lp_mechanism_name((enum lp_mechanism)c->mech), lp_layer_name((enum lp_layer)c->layer),
      c->ngroups ? "false" : "true", lp_verdict_name(c->majority));
  for (v = 0; v < LP_VERDICT_COUNT; v++)
    if (c->counts[v]) {
      lp_buf_printf(b, "%s\"%s\": %zu", first ? "" : ", ", lp_verdict_name((enum lp_verdict)v),
                    c->counts[v]);
      first = 0;
    }
  lp_buf_puts(b, "},\n     \"minority\": ");
  json_groups(f, c->groups, c->ngroups, b);
  lp_buf_puts(b, ",\n     \"majority_causes\": ");
  json_groups(f, c->causes, c->ncauses, b);
  lp_buf_putc(b, '}');
}

static void json_shares(const struct lpf_fleet *f, const struct lpf_share *s, size_t n,
                        int versions, struct lp_buf *b)
{
  size_t k;

  lp_buf_putc(b, '[');
  for (k = 0; k < n; k++) {
    lp_buf_puts(b, k ? ",\n        {" : "\n        {");
    if (versions) {
      lp_buf_puts(b, "\"compiled\": ");
      lpf_json_str(b, s[k].a);
      lp_buf_puts(b, ", \"runtime\": ");
      lpf_json_str(b, s[k].b);
      lp_buf_printf(b, ", \"present\": %s", s[k].a || s[k].b ? "true" : "false");
    } else {
      lp_buf_puts(b, "\"mechanism\": ");
      lpf_json_str(b, s[k].a);
    }
    lp_buf_puts(b, ", \"hosts\": ");
    json_hosts(f, &s[k].hosts, b);
    lp_buf_putc(b, '}');
  }
  lp_buf_puts(b, n ? "\n      ]" : "]");
}

static void json_libs(const struct lpf_fleet *f, struct lp_buf *b)
{
  size_t i;

  lp_buf_putc(b, '[');
  for (i = 0; i < f->nlibs; i++) {
    lp_buf_puts(b, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
    lp_esc_json(b, f->libs[i].name);
    lp_buf_puts(b, ",\n      \"versions\": ");
    json_shares(f, f->libs[i].versions, f->libs[i].nversions, 1, b);
    lp_buf_puts(b, ",\n      \"default_mechanisms\": ");
    json_shares(f, f->libs[i].defaults, f->libs[i].ndefaults, 0, b);
    lp_buf_putc(b, '}');
  }
  lp_buf_puts(b, f->nlibs ? "\n  ]" : "]");
}

static void json_input(const struct lpf_fleet *f, struct lp_buf *b)
{
  size_t i;

  lpf_json_key(b, 2, "duplicates");
  lp_buf_putc(b, '[');
  for (i = 0; i < f->ndups; i++) {
    const struct lpf_fhost *h = &f->hosts[f->dups[i].used];
    lp_buf_puts(b, i ? ",\n    {\"host\": " : "\n    {\"host\": ");
    lp_esc_json(b, h->name);
    lp_buf_puts(b, ", \"used\": ");
    lp_esc_json(b, h->file);
    lp_buf_puts(b, ", \"left_out\": ");
    lp_esc_json(b, f->dups[i].file);
    lp_buf_puts(b, ", \"left_out_generated_at\": ");
    lp_esc_json(b, f->dups[i].when);
    lp_buf_putc(b, '}');
  }
  lp_buf_puts(b, f->ndups ? "\n  ],\n" : "],\n");
  lpf_json_key(b, 2, "unusable");
  lp_buf_putc(b, '[');
  for (i = 0; i < f->nunused; i++) {
    lp_buf_puts(b, i ? ",\n    {\"file\": " : "\n    {\"file\": ");
    lp_esc_json(b, f->unused[i].file);
    lp_buf_puts(b, ", \"reason\": ");
    lp_esc_json(b, f->unused[i].why);
    lp_buf_putc(b, '}');
  }
  lp_buf_puts(b, f->nunused ? "\n  ],\n" : "],\n");
}

void lpf_fleet_json(const struct lpf_fleet *f, struct lp_buf *b)
{
  struct lp_buf line;
  size_t i;
  int first;

  lp_buf_puts(b, "{\n");
  lpf_json_key(b, 2, "schema"), lp_esc_json(b, LPF_FLEET_SCHEMA), lp_buf_puts(b, ",\n");
  lpf_json_key(b, 2, "tool"), lpf_json_tool(b), lp_buf_puts(b, ",\n");
  lpf_json_key(b, 2, "require"), lpf_json_str(b, f->require), lp_buf_puts(b, ",\n");
  lpf_json_key(b, 2, "hosts"), json_host_list(f, b), lp_buf_puts(b, ",\n");
  lpf_json_key(b, 2, "cells");
  lp_buf_puts(b, f->ncells ? "[\n" : "[");
  for (i = 0; i < f->ncells; i++) {
    json_cell(f, &f->cells[i], b);
    lp_buf_puts(b, i + 1 < f->ncells ? ",\n" : "\n  ");
  }
  lp_buf_puts(b, "],\n");
  lpf_json_key(b, 2, "libraries"), json_libs(f, b), lp_buf_puts(b, ",\n");
  lpf_json_key(b, 2, "failed_hosts");
  lp_buf_putc(b, '[');
  for (i = 0, first = 1; i < f->nhosts; i++)
    if (f->hosts[i].failed) {
      lp_buf_puts(b, first ? "" : ", ");
      lp_esc_json(b, f->hosts[i].name);
      first = 0;
    }
  lp_buf_puts(b, "],\n");
  json_input(f, b);
  lp_buf_init(&line);
  lpf_fleet_verdict_line(f, &line);
  lpf_json_key(b, 2, "verdict"), lpf_json_str(b, line.data ? line.data : ""), lp_buf_puts(b, ",\n");
  lp_buf_free(&line);
  lpf_json_key(b, 2, "exit_code"), lp_buf_printf(b, "%d\n", f->status);
  lp_buf_puts(b, "}\n");
}
