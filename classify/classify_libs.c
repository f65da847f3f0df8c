/* SPDX-License-Identifier: MIT */
/*
 * classify_libs.c - the library pass of the classifier.
 *
 * libraries[] comes from the loader (entry/run.c lists each library the
 * run needed: its soname, the file it loaded or why none, its versions; a
 * library that says its version only inside a probe, libkqueue, gets the
 * one its cell's probe saw, and the mechanism it runs over).
 * A library that is not loaded gives one finding for all its cells, which
 * were not probed.  For each loaded one, its backend's describe job says
 * what an ordinary program gets from it: the mechanism of a default loop
 * with the environment honoured and ignored, the override variables that
 * are set, and which objects serve the library's API.  From that come four
 * more kinds of finding: a version mismatch, a library that cannot create
 * a loop at all, an environment variable that moves the library off a
 * mechanism that works (the cell becomes hidden), and a compatibility
 * layer serving the library's names (every cell of it becomes hidden).
 */
#include "classify_int.h"

#include "../backends/registry.h"

#include <stdlib.h>
#include <string.h>

/* The describe job of library lib, or NULL (liburing has none). */
static const struct lp_job *describe_job(const struct lp_cls *c, const struct lp_library *lib)
{
  size_t i;

  for (i = 0; i < c->n; i++)
    if (c->jobs[i].describe && c->jobs[i].backend->library &&
        strcmp(c->jobs[i].backend->library->name, lib->name) == 0)
      return &c->jobs[i];
  return NULL;
}

static int version_mismatch(struct lp_cls *c, const struct lp_library *lib)
{
  struct lp_finding *f = NULL;
  char summary[256];

  if (!lib->compiled || !lib->runtime || strcmp(lib->compiled, lib->runtime) == 0)
    return 0;
  lp_fmt(summary, sizeof(summary), "%s %s is loaded, but loopprobe was compiled against %s.",
         lib->name, lib->runtime, lib->compiled);
  f = lp_cls_finding(c, LP_SEVERITY_WARNING, LP_FINDING_VERSION_MISMATCH, -1, lib->layer, summary);
  if (!f || (lib->path && lp_strv_addf(&f->evidence, "%s is %s", lib->name, lib->path) < 0))
    return -1;
  return 0;
}

/* The cells the plan left missing because lib is not loaded. */
static int absent_cells(const struct lp_cls *c, const struct lp_library *lib, struct lp_finding *f)
{
  char cell[48];
  size_t i;

  for (i = 0; i < c->r->ncells; i++) {
    const struct lp_cell *x = &c->r->cells[i];
    const struct lp_backend *b = lp_backend_for(x->mech, x->layer);
    if ((int)x->layer != lib->layer || x->verdict != LP_VERDICT_MISSING || !b || !b->library ||
        strcmp(b->library->name, lib->name) != 0)
      continue;
    lp_cell_name(cell, sizeof(cell), (int)x->mech, (int)x->layer);
    if (lp_strv_add(&f->cells, cell) < 0)
      return -1;
  }
  return 0;
}

static int not_installed(struct lp_cls *c, const struct lp_library *lib)
{
  struct lp_finding *f = NULL;
  char summary[LP_OBJ_MAX + 300];
  int m;

  lp_fmt(summary, sizeof(summary), "%s cannot be probed: %s, so none of its cells was probed.",
         lib->name, lib->absence ? lib->absence : "it is not loaded");
  f = lp_cls_finding(c, LP_SEVERITY_WARNING, LP_FINDING_LIBRARY_NOT_INSTALLED, -1, lib->layer,
                     summary);
  if (!f || absent_cells(c, lib, f) < 0)
    return -1;
  if (f->cells.n == 1) { /* liburing: the one cell io_uring@api */
    m = lp_mechanism_lookup(f->cells.v[0], strcspn(f->cells.v[0], "@"));
    f->mech = m;
  }
  if ((lib->searched && lp_strv_addf(&f->evidence, "the dynamic loader looked for %s in %s",
                                     lib->soname, lib->searched) < 0) ||
      (lib->why && lp_strv_add(&f->evidence, lib->why) < 0) ||
      (lib->others &&
       lp_strv_addf(&f->evidence,
                    "%s: another soname major than the %s this loopprobe was built for, not "
                    "loaded",
                    lib->others, lib->soname) < 0) ||
      (lib->package && lp_strv_addf(&f->evidence, "Debian ships %s in the package %s", lib->soname,
                                    lib->package) < 0))
    return -1;
  return 0;
}

/* The job of cell (m, l) when the library implements m here, or -1.  The
   probe's own answer decides (na, missing, skipped), not the verdict so
   far: a call that failed with ENOSYS is judged missing until the layers
   are compared, yet the library does implement the mechanism. */
static int implemented(const struct lp_cls *c, int m, enum lp_layer l)
{
  int i = lp_cls_find(c, (enum lp_mechanism)m, l);
  enum lp_obs_status s;

  if (i < 0 || c->jobs[i].status != LP_JOB_DONE)
    return i;
  s = c->jobs[i].obs.status;
  return s == LP_OBS_NA || s == LP_OBS_MISSING || s == LP_OBS_SKIPPED ? -1 : i;
}

/* Every cell of layer l the library implements, as evidence cells. */
static int add_layer_cells(struct lp_cls *c, struct lp_finding *f, enum lp_layer l)
{
  char cell[48];
  int m;

  for (m = 0; m < LP_MECH_COUNT; m++) {
    if (implemented(c, m, l) < 0)
      continue;
    lp_cell_name(cell, sizeof(cell), m, (int)l);
    if (lp_strv_add(&f->cells, cell) < 0)
      return -1;
  }
  return 0;
}

static int no_loop(struct lp_cls *c, const struct lp_job *d)
{
  const struct lp_obs *o = &d->obs;
  const char *name = d->backend->name;
  struct lp_finding *f = NULL;
  char summary[400];

  if (d->status == LP_JOB_DONE && o->status != LP_OBS_FAILED)
    return 0;
  if (d->status == LP_JOB_DONE)
    lp_fmt(summary, sizeof(summary), "%s cannot create an event loop at all: %s() fails with %s.",
           name, o->call, o->err_name[0] ? o->err_name : "an error");
  else
    lp_fmt(summary, sizeof(summary), "%s cannot create an event loop: the attempt %s.", name,
           d->status == LP_JOB_TIMEOUT ? "hung" : "died");
  f = lp_cls_finding(c, LP_SEVERITY_ERROR, LP_FINDING_LIBRARY_NO_LOOP, -1, (int)d->layer, summary);
  if (!f || add_layer_cells(c, f, d->layer) < 0 ||
      (o->lib.env[0] && lp_strv_addf(&f->evidence, "the environment has %s", o->lib.env) < 0) ||
      (d->output[0] && lp_strv_addf(&f->evidence, "%s wrote: %.*s", name,
                                    (int)strcspn(d->output, "\n"), d->output) < 0))
    return -1;
  return 0;
}

static int env_override(struct lp_cls *c, const struct lp_job *d)
{
  const struct lp_libinfo *info = &d->obs.lib;
  const char *name = d->backend->name;
  struct lp_finding *f = NULL;
  char summary[512], cell[48];
  int m, i;

  if (!info->env[0] || !info->clean_mech[0] || !info->default_mech[0] ||
      strcmp(info->clean_mech, info->default_mech) == 0)
    return 0;
  m = lp_mechanism_lookup(info->clean_mech, strlen(info->clean_mech));
  i = m < 0 ? -1 : lp_cls_find(c, (enum lp_mechanism)m, d->layer);
  lp_fmt(summary, sizeof(summary),
         "%s avoids %s because of %s: an ordinary %s program gets %s instead.", name,
         info->clean_mech, info->env, name, info->default_mech);
  f = lp_cls_finding(c, LP_SEVERITY_ERROR, LP_FINDING_HIDDEN_BY_ENVIRONMENT, m, (int)d->layer,
                     summary);
  if (!f ||
      lp_strv_addf(&f->evidence, "%s with the environment ignored uses %s", name,
                   info->clean_mech) < 0 ||
      lp_strv_addf(&f->evidence, "%s with the environment honoured uses %s", name,
                   info->default_mech) < 0)
    return -1;
  if (i >= 0) {
    lp_cell_name(cell, sizeof(cell), m, (int)d->layer);
    if (lp_strv_add(&f->cells, cell) < 0 ||
        lp_strv_addf(&f->evidence, "%s, forced with the environment ignored: %s", cell,
                     lp_verdict_name(c->j[i].verdict)) < 0)
      return -1;
    if (c->j[i].verdict == LP_VERDICT_OK) {
      c->j[i].verdict = LP_VERDICT_HIDDEN;
      c->j[i].kind = LP_FINDING_HIDDEN_BY_ENVIRONMENT;
      c->j[i].cause = LP_CAUSE_LIBRARY;
      lp_fmt(c->j[i].detail, sizeof(c->j[i].detail), "works when forced, but %s moves %s to %s",
             info->env, name, info->default_mech);
    }
  }
  return 0;
}

static int compat_layer(struct lp_cls *c, const struct lp_job *d)
{
  const struct lp_provider *p = lp_interposed_provider(&d->obs);
  const char *name = d->backend->name;
  struct lp_finding *f = NULL;
  char summary[LP_OBJ_MAX * 2 + 200];
  int m, i;

  if (!p || lp_is_preloaded(&c->r->host, p->object))
    return 0;
  lp_fmt(summary, sizeof(summary),
         "%s's API is served by %s, another library exporting the same names, not by %s.", name,
         p->object, p->home);
  f = lp_cls_finding(c, LP_SEVERITY_ERROR, LP_FINDING_HIDDEN_BY_COMPAT_LAYER, -1, (int)d->layer,
                     summary);
  if (!f || add_layer_cells(c, f, d->layer) < 0 || lp_add_provider_evidence(f, &d->obs, 1) < 0)
    return -1;
  /* Even a cell that crashed is hidden: the library's own internal calls
     to its exported names reach the imitation too, so nothing of it works
     as itself.  The cell's detail stays as evidence. */
  for (m = 0; m < LP_MECH_COUNT; m++) {
    i = implemented(c, m, d->layer);
    if (i < 0)
      continue;
    if (c->j[i].verdict != LP_VERDICT_OK &&
        lp_strv_addf(&f->evidence, "%s@%s: %s", lp_mechanism_name((enum lp_mechanism)m),
                     lp_layer_name(d->layer), c->j[i].detail) < 0)
      return -1;
    if (c->j[i].verdict == LP_VERDICT_OK)
      lp_fmt(c->j[i].detail, sizeof(c->j[i].detail),
             "works when %s is reached directly, but an ordinary program's calls go to %s", name,
             p->object);
    c->j[i].verdict = LP_VERDICT_HIDDEN;
    c->j[i].kind = LP_FINDING_HIDDEN_BY_COMPAT_LAYER;
    c->j[i].cause = LP_CAUSE_LIBRARY;
  }
  return 0;
}

static int described(struct lp_cls *c, struct lp_library *lib, const struct lp_job *d)
{
  if (lp_strdup_optional(d->status == LP_JOB_DONE ? d->obs.lib.default_mech : NULL,
                         &lib->default_mechanism) < 0)
    return -1;
  if (no_loop(c, d) < 0 || env_override(c, d) < 0 || compat_layer(c, d) < 0)
    return -1;
  return 0;
}

/* The probe of a cell of library lib that saw what the library says of
   itself only there (libkqueue: its version, and what it runs over), or
   NULL. */
static const struct lp_obs *seen_inside(const struct lp_cls *c, const struct lp_library *lib)
{
  size_t i;

  for (i = 0; i < c->n; i++)
    if (!c->jobs[i].describe && c->jobs[i].backend && c->jobs[i].backend->library &&
        strcmp(c->jobs[i].backend->library->name, lib->name) == 0 && c->jobs[i].obs.lib.version[0])
      return &c->jobs[i].obs;
  return NULL;
}

/* Fills what the loader could not say of lib from inside its probe. */
static int seen(const struct lp_cls *c, struct lp_library *lib)
{
  const struct lp_obs *o = lib->path && !lib->runtime ? seen_inside(c, lib) : NULL;

  if (!o)
    return 0;
  if (lp_strdup_optional(o->lib.version, &lib->runtime) < 0)
    return -1;
  return !lib->default_mechanism && o->lib.default_mech[0]
             ? lp_strdup_optional(o->lib.default_mech, &lib->default_mechanism)
             : 0;
}

int lp_cls_libraries(struct lp_cls *c)
{
  size_t i;

  for (i = 0; i < c->r->nlibs; i++) {
    struct lp_library *lib = &c->r->libs[i];
    const struct lp_job *d = describe_job(c, lib);
    if (seen(c, lib) < 0)
      return -1;
    if (!lib->path) {
      if (not_installed(c, lib) < 0)
        return -1;
      continue;
    }
    if (version_mismatch(c, lib) < 0 || (d && described(c, lib, d) < 0))
      return -1;
  }
  return 0;
}
