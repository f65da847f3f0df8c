/* SPDX-License-Identifier: MIT */
/*
 * merge.c - many reports as one fleet (merge.h), and loopprobe merge.
 *
 * Reading is most of the cost (cJSON, and the checks of json_check.c, for
 * reports of 12 KB), so the reports are read by one thread per processor,
 * each taking every k-th file, each into its own slot: nothing is shared
 * but the read-only list of paths.  Reports are read brief (no details,
 * no host facts): the fleet does not show them.  The rest is linear in
 * the number of hosts, but for the grouping by cause, which compares a
 * host's cause with the groups its cell already has.
 *
 * Traps: a directory given on the command line is read for its *.json
 * files (not recursively); a *.json entry that is itself a directory is
 * an unusable input, like any other.  cJSON is loaded on first use:
 * lpf_read_init() does it before the threads start.
 */
#define _POSIX_C_SOURCE 200809L
#include "merge.h"
#include "fleet.h"
#include "write.h"

#include "../base/spec.h"
#include "../report/report.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#if !defined(_WIN32)
#include <pthread.h>
#include <unistd.h>
#define LPF_THREADS 1
#else
#define LPF_THREADS 0
#endif

#define MAX_THREADS 8

/* A new zeroed element at the end of the array at *arr, which holds *n
   elements of size bytes; NULL when memory ran out (the array is kept). */
static void *append(void *arr, size_t *n, size_t size)
{
  char *p = realloc(*(void **)arr, (*n + 1) * size);

  if (!p)
    return NULL;
  *(void **)arr = p;
  memset(p + *n * size, 0, size);
  return p + (*n)++ * size;
}

static int add_path(struct lpf_fleet *f, const char *dir, const char *name)
{
  char **p = realloc(f->paths, (f->npaths + 1) * sizeof(*p));
  struct lp_buf b;

  if (!p)
    return -1;
  f->paths = p;
  lp_buf_init(&b);
  if (dir) {
    lp_buf_puts(&b, dir);
    if (b.len && b.data[b.len - 1] != '/')
      lp_buf_putc(&b, '/');
  }
  lp_buf_puts(&b, name);
  if (!(f->paths[f->npaths] = lp_buf_take(&b, NULL)))
    return -1;
  f->npaths++;
  return 0;
}

static int add_unused(struct lpf_fleet *f, const char *file, const char *why)
{
  struct lpf_unused *u = append(&f->unused, &f->nunused, sizeof(*u));

  if (!u)
    return -1;
  u->file = file;
  lp_strlcpy(u->why, why, sizeof(u->why));
  return 0;
}

static int by_string(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.json entries of dir, sorted by name. */
static int expand_dir(struct lpf_fleet *f, const char *dir)
{
  DIR *d = opendir(dir);
  struct dirent *e = NULL;
  struct lp_strv names = {NULL, 0};
  char why[256];
  size_t i;
  int rc = 0;

  if (!d) {
    lp_fmt(why, sizeof(why), "cannot read the directory: %s", strerror(errno));
    return add_unused(f, dir, why);
  }
  while ((e = readdir(d)) != NULL) {
    size_t n = strlen(e->d_name);
    if (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0 && lp_strv_add(&names, e->d_name) < 0)
      rc = -1;
  }
  closedir(d);
  if (names.n > 1)
    qsort(names.v, names.n, sizeof(*names.v), by_string);
  for (i = 0; rc == 0 && i < names.n; i++)
    rc = add_path(f, dir, names.v[i]);
  if (rc == 0 && names.n == 0)
    rc = add_unused(f, dir, "no *.json report in this directory");
  lp_strv_free(&names);
  return rc;
}

static int expand(struct lpf_fleet *f, char *const *paths, size_t n)
{
  struct stat st;
  size_t i;

  for (i = 0; i < n; i++)
    if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode) ? expand_dir(f, paths[i]) < 0
                                                        : add_path(f, NULL, paths[i]) < 0)
      return -1;
  return 0;
}

struct loader {
  struct lpf_fleet *f;
  char (*why)[512];
  size_t start, step;
};

static void *load_some(void *arg)
{
  struct loader *l = arg;
  size_t i;

  for (i = l->start; i < l->f->npaths; i += l->step)
    lpf_load(l->f->paths[i], LPF_BRIEF, &l->f->reports[i], l->why[i], sizeof(l->why[i]));
  return NULL;
}

static size_t threads_for(size_t n)
{
  size_t t = 1;

#if LPF_THREADS && defined(_SC_NPROCESSORS_ONLN)
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  t = cpus > 1 ? (size_t)cpus : 1;
#elif LPF_THREADS
  t = 2; /* macOS hides the processor count from POSIX programs */
#endif
  if (t > MAX_THREADS)
    t = MAX_THREADS;
  if (t > n / 32 + 1)
    t = n / 32 + 1;
  return t;
}

/* Reads every path into f->reports; what could not be read goes to why. */
static void load_all(struct lpf_fleet *f, char (*why)[512])
{
  struct loader l[MAX_THREADS];
  size_t t = threads_for(f->npaths), k;
#if LPF_THREADS
  pthread_t tid[MAX_THREADS];
  int started[MAX_THREADS] = {0};
#endif

  lpf_read_init();
  for (k = 0; k < t; k++) {
    l[k].f = f;
    l[k].why = why;
    l[k].start = k;
    l[k].step = t;
  }
#if LPF_THREADS
  for (k = 1; k < t; k++)
    started[k] = pthread_create(&tid[k], NULL, load_some, &l[k]) == 0;
  for (k = 1; k < t; k++)
    if (!started[k]) /* no thread: this one reads that share too */
      load_some(&l[k]);
#endif
  load_some(&l[0]);
#if LPF_THREADS
  for (k = 1; k < t; k++)
    if (started[k])
      pthread_join(tid[k], NULL);
#endif
}

static int host_order(const void *a, const void *b)
{
  const struct lpf_fhost *x = a, *y = b;
  int c = strcmp(x->name, y->name);

  if (c == 0)
    c = strcmp(x->r->generated_at, y->r->generated_at);
  return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* One host per name: the last of each run of equal names (sorted oldest
   first) is used, the others are duplicates. */
static int dedup(struct lpf_fleet *f)
{
  size_t i, kept = 0;

  for (i = 0; i < f->nhosts; i++) {
    int last = i + 1 == f->nhosts || strcmp(f->hosts[i].name, f->hosts[i + 1].name) != 0;
    if (last) {
      f->hosts[kept++] = f->hosts[i];
      continue;
    }
    struct lpf_dup *d = append(&f->dups, &f->ndups, sizeof(*d));
    if (!d)
      return -1;
    d->used = kept; /* the index the used report will have */
    d->file = f->hosts[i].file;
    d->when = f->hosts[i].r->generated_at;
  }
  f->nhosts = kept;
  return 0;
}

static int collect_hosts(struct lpf_fleet *f)
{
  size_t i;

  f->hosts = calloc(f->npaths + 1, sizeof(*f->hosts));
  if (!f->hosts)
    return -1;
  for (i = 0; i < f->npaths; i++) {
    struct lpf_fhost *h = &f->hosts[f->nhosts];
    if (!f->reports[i])
      continue;
    lpf_label(h->name, sizeof(h->name), f->reports[i], f->paths[i]);
    h->file = f->paths[i];
    h->r = f->reports[i];
    h->order = i;
    f->nhosts++;
  }
  if (f->nhosts > 1)
    qsort(f->hosts, f->nhosts, sizeof(*f->hosts), host_order);
  return dedup(f);
}

enum lp_verdict lpf_fleet_verdict(const struct lpf_fhost *h, int m, int l)
{
  const struct lpf_cell *c = lpf_find_cell(h->r, m, l);

  return c ? (enum lp_verdict)c->verdict : LP_VERDICT_SKIPPED;
}

static int list_add(struct lpf_hostlist *hl, size_t host)
{
  size_t *v = NULL;

  if ((hl->n & (hl->n - 1)) == 0) { /* 0, 1, 2, 4, ...: grow to the next power of two */
    v = realloc(hl->v, (hl->n ? hl->n * 2 : 1) * sizeof(*v));
    if (!v)
      return -1;
    hl->v = v;
  }
  hl->v[hl->n++] = host;
  return 0;
}

static int same_cause(const struct lpf_finding *a, const struct lpf_finding *b)
{
  if (!a || !b)
    return a == b;
  return a->severity == b->severity && strcmp(a->kind, b->kind) == 0 &&
         strcmp(a->summary, b->summary) == 0;
}

static int add_to_group(struct lpf_group **groups, size_t *n, enum lp_verdict v,
                        const struct lpf_finding *cause, size_t host)
{
  struct lpf_group *g = NULL;
  size_t k;

  for (k = 0; k < *n; k++)
    if ((*groups)[k].verdict == v && same_cause((*groups)[k].cause, cause))
      return list_add(&(*groups)[k].hosts, host);
  if (!(g = append(groups, n, sizeof(*g))))
    return -1;
  g->verdict = v;
  g->cause = cause;
  return list_add(&g->hosts, host);
}

static int group_order(const void *a, const void *b)
{
  const struct lpf_group *x = a, *y = b;

  if (x->hosts.n != y->hosts.n)
    return x->hosts.n > y->hosts.n ? -1 : 1;
  if (x->verdict != y->verdict)
    return x->verdict < y->verdict ? -1 : 1;
  if (!x->cause || !y->cause) /* the groups no finding explains last */
    return (x->cause == NULL) - (y->cause == NULL);
  return strcmp(x->cause->kind, y->cause->kind);
}

static int fill_cell(struct lpf_fleet *f, struct lpf_fcell *c)
{
  size_t h, best = 0;
  int v, kinds = 0;

  for (h = 0; h < f->nhosts; h++)
    c->counts[lpf_fleet_verdict(&f->hosts[h], c->mech, c->layer)]++;
  c->majority = LP_VERDICT_OK;
  for (v = 0; v < LP_VERDICT_COUNT; v++) {
    kinds += c->counts[v] > 0;
    if (c->counts[v] > best) {
      best = c->counts[v];
      c->majority = (enum lp_verdict)v; /* ok is first: it wins its ties */
    }
  }
  if (kinds < 2)
    return 0;
  for (h = 0; h < f->nhosts; h++) {
    enum lp_verdict hv = lpf_fleet_verdict(&f->hosts[h], c->mech, c->layer);
    const struct lpf_finding *cause = lpf_cause(f->hosts[h].r, c->mech, c->layer);
    if (hv != c->majority     ? add_to_group(&c->groups, &c->ngroups, hv, cause, h) < 0
        : hv != LP_VERDICT_OK ? add_to_group(&c->causes, &c->ncauses, hv, cause, h) < 0
                              : 0)
      return -1;
  }
  qsort(c->groups, c->ngroups, sizeof(*c->groups), group_order);
  if (c->ncauses > 1)
    qsort(c->causes, c->ncauses, sizeof(*c->causes), group_order);
  return 0;
}

static int cell_order(const void *a, const void *b)
{
  const struct lpf_fcell *x = a, *y = b;

  if ((x->ngroups > 0) != (y->ngroups > 0))
    return x->ngroups > 0 ? -1 : 1;
  return x->mech != y->mech ? x->mech - y->mech : x->layer - y->layer;
}

static int collect_cells(struct lpf_fleet *f)
{
  unsigned present[LP_MECH_COUNT];
  size_t h, i;
  int m, l;

  memset(present, 0, sizeof(present));
  for (h = 0; h < f->nhosts; h++)
    for (i = 0; i < f->hosts[h].r->ncells; i++)
      present[f->hosts[h].r->cells[i].mech] |= 1u << f->hosts[h].r->cells[i].layer;
  f->cells = calloc(LP_MECH_COUNT * LP_LAYER_COUNT, sizeof(*f->cells));
  if (!f->cells)
    return -1;
  for (m = 0; m < LP_MECH_COUNT; m++)
    for (l = 0; l < LP_LAYER_COUNT; l++) {
      struct lpf_fcell *c = &f->cells[f->ncells];
      if (!(present[m] & (1u << l)))
        continue;
      c->mech = m;
      c->layer = l;
      f->ncells++;
      if (fill_cell(f, c) < 0)
        return -1;
      f->ndisagree += c->ngroups > 0;
    }
  qsort(f->cells, f->ncells, sizeof(*f->cells), cell_order);
  return 0;
}

static int same_str(const char *a, const char *b)
{
  return a == b || (a && b && strcmp(a, b) == 0);
}

static int share(struct lpf_share **s, size_t *n, const char *a, const char *b, size_t host)
{
  struct lpf_share *p = NULL;
  size_t k;

  for (k = 0; k < *n; k++)
    if (same_str((*s)[k].a, a) && same_str((*s)[k].b, b))
      return list_add(&(*s)[k].hosts, host);
  if (!(p = append(s, n, sizeof(*p))))
    return -1;
  p->a = a;
  p->b = b;
  return list_add(&p->hosts, host);
}

static int share_order(const void *a, const void *b)
{
  const struct lpf_share *x = a, *y = b;

  return x->hosts.n != y->hosts.n ? (x->hosts.n > y->hosts.n ? -1 : 1) : 0;
}

static struct lpf_flib *find_flib(struct lpf_fleet *f, const char *name)
{
  struct lpf_flib *l = NULL;
  size_t k;

  for (k = 0; k < f->nlibs; k++)
    if (strcmp(f->libs[k].name, name) == 0)
      return &f->libs[k];
  if ((l = append(&f->libs, &f->nlibs, sizeof(*l))) != NULL)
    l->name = name;
  return l;
}

static int has_lib(const struct lpf_report *r, const char *name)
{
  size_t i;

  for (i = 0; i < r->nlibs; i++)
    if (strcmp(r->libs[i].name, name) == 0)
      return 1;
  return 0;
}

static int collect_libs(struct lpf_fleet *f)
{
  size_t h, i, k;

  for (h = 0; h < f->nhosts; h++)
    for (i = 0; i < f->hosts[h].r->nlibs; i++) {
      const struct lpf_library *lib = &f->hosts[h].r->libs[i];
      struct lpf_flib *fl = find_flib(f, lib->name);
      if (!fl || share(&fl->versions, &fl->nversions, lib->compiled, lib->runtime, h) < 0 ||
          share(&fl->defaults, &fl->ndefaults, lib->default_mechanism, NULL, h) < 0)
        return -1;
    }
  for (k = 0; k < f->nlibs; k++) {
    struct lpf_flib *fl = &f->libs[k];
    for (h = 0; h < f->nhosts; h++)
      if (!has_lib(f->hosts[h].r, fl->name) && share(&fl->versions, &fl->nversions, NULL, NULL, h))
        return -1;
    qsort(fl->versions, fl->nversions, sizeof(*fl->versions), share_order);
    qsort(fl->defaults, fl->ndefaults, sizeof(*fl->defaults), share_order);
  }
  return 0;
}

static void judge_require(struct lpf_fhost *h, const struct lp_cellset *req)
{
  enum lp_verdict v[LP_MECH_COUNT][LP_LAYER_COUNT];
  int m, l, bad_m = -1, bad_l = -1;
  char cell[48];

  for (m = 0; m < LP_MECH_COUNT; m++)
    for (l = 0; l < LP_LAYER_COUNT; l++)
      v[m][l] = lpf_fleet_verdict(h, m, l);
  if (lp_requirement_met(req, v, &bad_m, &bad_l))
    return;
  h->failed = 1;
  lp_cell_name(cell, sizeof(cell), bad_m, bad_l);
  if (bad_l < 0)
    lp_fmt(h->why, sizeof(h->why), "requirement not met: no layer of %s applies", cell);
  else
    lp_fmt(h->why, sizeof(h->why), "requirement not met: %s is %s", cell,
           lp_verdict_name(v[bad_m][bad_l]));
}

static void judge_findings(struct lpf_fhost *h)
{
  const struct lpf_finding *first = NULL;
  char more[32] = "";
  size_t i, n = 0;

  for (i = 0; i < h->r->nfindings; i++)
    if (h->r->findings[i].severity == LP_SEVERITY_ERROR) {
      first = first ? first : &h->r->findings[i];
      n++;
    }
  if (!n)
    return;
  h->failed = 1;

  if (first->cells.n > 1)
    lp_fmt(more, sizeof(more), " and %zu more", first->cells.n - 1);
  if (n == 1)
    lp_fmt(h->why, sizeof(h->why), "%s (%s%s)", first->kind, first->where, more);
  else
    lp_fmt(h->why, sizeof(h->why), "%s (%s%s) and %zu more error %s", first->kind, first->where,
           more, n - 1, lpf_plural(n - 1, "finding", "findings"));
}

int lpf_fleet_build(struct lpf_fleet *f, char *const *paths, size_t n, const char *require,
                    char *err, size_t err_len)
{
  struct lp_cellset req;
  char(*why)[512] = NULL;
  size_t i;

  memset(f, 0, sizeof(*f));
  f->require = require;
  if (require && lp_spec_parse(require, &req, err, err_len) < 0)
    return -1;
  if (expand(f, paths, n) < 0 || !(f->reports = calloc(f->npaths + 1, sizeof(*f->reports))) ||
      !(why = calloc(f->npaths + 1, sizeof(*why))))
    goto oom;
  load_all(f, why);
  for (i = 0; i < f->npaths; i++)
    if (!f->reports[i] && add_unused(f, f->paths[i], why[i]) < 0)
      goto oom;
  if (collect_hosts(f) < 0 || collect_cells(f) < 0 || collect_libs(f) < 0)
    goto oom;
  for (i = 0; i < f->nhosts; i++) {
    if (require)
      judge_require(&f->hosts[i], &req);
    else
      judge_findings(&f->hosts[i]);
    f->nfailed += f->hosts[i].failed != 0;
  }
  f->status = f->nunused ? 3 : f->nfailed ? 1 : 0;
  free(why);
  return 0;
oom:
  free(why);
  f->oom = 1;
  f->status = 3;
  return 0;
}

void lpf_fleet_free(struct lpf_fleet *f)
{
  size_t i, k;

  for (i = 0; i < f->ncells; i++) {
    for (k = 0; k < f->cells[i].ngroups; k++)
      free(f->cells[i].groups[k].hosts.v);
    for (k = 0; k < f->cells[i].ncauses; k++)
      free(f->cells[i].causes[k].hosts.v);
    free(f->cells[i].groups);
    free(f->cells[i].causes);
  }
  for (i = 0; i < f->nlibs; i++) {
    for (k = 0; k < f->libs[i].nversions; k++)
      free(f->libs[i].versions[k].hosts.v);
    for (k = 0; k < f->libs[i].ndefaults; k++)
      free(f->libs[i].defaults[k].hosts.v);
    free(f->libs[i].versions);
    free(f->libs[i].defaults);
  }
  for (i = 0; i < f->npaths; i++) {
    lpf_report_free(f->reports ? f->reports[i] : NULL);
    free(f->paths[i]);
  }
  free(f->cells);
  free(f->libs);
  free(f->hosts);
  free(f->dups);
  free(f->unused);
  free(f->reports);
  free(f->paths);
  memset(f, 0, sizeof(*f));
}

static void hosts_part(const struct lpf_fleet *f, struct lp_buf *b)
{
  const char *hosts = lpf_plural(f->nhosts, "host", "hosts");

  if (f->nfailed && f->require)
    lp_buf_printf(b, "%zu of %zu %s %s the requirement %s", f->nfailed, f->nhosts, hosts,
                  f->nfailed == 1 ? "fails" : "fail", f->require);
  else if (f->nfailed)
    lp_buf_printf(b, "%zu of %zu %s %s error findings", f->nfailed, f->nhosts, hosts,
                  f->nfailed == 1 ? "has" : "have");
  else if (f->require)
    lp_buf_printf(b, "%zu %s, every one meets the requirement %s", f->nhosts, hosts, f->require);
  else
    lp_buf_printf(b, "%zu %s, none with an error finding", f->nhosts, hosts);
}

void lpf_fleet_verdict_line(const struct lpf_fleet *f, struct lp_buf *b)
{
  size_t inputs = f->nunused + f->nhosts + f->ndups;

  if (f->oom) {
    lp_buf_puts(b, "loopprobe ran out of memory (exit 3)");
    return;
  }
  if (f->nunused)
    lp_buf_printf(b, "unusable input (exit 3): %zu of %zu %s could not be read; ", f->nunused,
                  inputs, lpf_plural(inputs, "input", "inputs"));
  else
    lp_buf_puts(b, f->nfailed ? "problems (exit 1): " : "ok (exit 0): ");
  hosts_part(f, b);
}

void lpf_merge(char *const *paths, size_t n, const char *require, const struct lpf_style *st,
               struct lpf_result *res)
{
  struct lpf_fleet f;
  char err[512];
  size_t i;

  if (lpf_fleet_build(&f, paths, n, require, err, sizeof(err)) < 0) {
    lpf_problem(res, "--require", err);
    res->status = 2;
    return;
  }
  for (i = 0; i < f.nunused; i++)
    lpf_problem(res, f.unused[i].file, f.unused[i].why);
  if (st->format == LP_FORMAT_JSON)
    lpf_fleet_json(&f, &res->doc);
  else if (st->format == LP_FORMAT_MARKDOWN)
    lpf_fleet_markdown(&f, &res->doc);
  else if (st->format == LP_FORMAT_SUMMARY)
    lpf_fleet_summary(&f, &res->doc);
  else
    lpf_fleet_text(&f, st->width, &res->doc);
  res->status = f.status;
  if (f.oom || lp_buf_failed(&res->doc)) {
    lpf_problem(res, "loopprobe", "out of memory while merging the reports");
    res->status = 3;
  }
  lpf_fleet_free(&f);
}
