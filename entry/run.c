/* SPDX-License-Identifier: MIT */
/*
 * run.c - the library's entry points: lp_run() builds the full report,
 * lp_check() answers the cheap start-up question in-process.
 *
 * Libraries loaded at run time: the plan asks the loader for each library
 * a requested cell reaches through - the system's copy, or the file named
 * for it (lp_run_libraries()) - and lists it in the report's libraries[].
 * The cells of a library that is not loaded are "missing" without a
 * probe; the classifier explains them with one finding.
 */
#include "loopprobe.h"

#include "../backends/registry.h"
#include "../report/report.h"
#include "../classify/classify.h"
#include "../loader/dynlib.h"
#include "../loader/provenance.h"
#include "../probes/runner.h"
#include "../base/spec.h"
#include "../sys/sys.h"
#include "../base/util.h"

#include <stdlib.h>
#include <string.h>

void lp_options_init(struct lp_options *opts)
{
  memset(opts, 0, sizeof(*opts));
  opts->timeout_ms = LP_DEFAULT_TIMEOUT_MS;
  opts->isolate = 1;
}

static int error(char *err, size_t err_len, const char *msg)
{
  if (err && err_len)
    lp_strlcpy(err, msg, err_len);
  return -1;
}

static int parse_options(const struct lp_options *o, struct lp_cellset *only,
                         struct lp_cellset *req, char *err, size_t err_len)
{
  char msg[512];

  if (o->timeout_ms < 1 || o->timeout_ms > LP_MAX_TIMEOUT_MS) {
    lp_fmt(msg, sizeof(msg), "timeout %u ms is out of range (1 to %u)", o->timeout_ms,
           LP_MAX_TIMEOUT_MS);
    return error(err, err_len, msg);
  }
  lp_cellset_fill(only);
  lp_cellset_clear(req);
  if (o->only && lp_spec_parse(o->only, only, err, err_len) < 0)
    return -1;
  if (o->require && lp_spec_parse(o->require, req, err, err_len) < 0)
    return -1;
  lp_cellset_union(only, req);
  return 0;
}

/* The layers the C library reports on: all but the Python binding's. */
static unsigned report_layers(void)
{
  return ((1u << LP_LAYER_COUNT) - 1u) & ~LP_BIT(LP_LAYER_PYTHON);
}

static void add_job(struct lp_job *jobs, size_t *njobs, const struct lp_backend *b,
                    enum lp_mechanism m, enum lp_layer l, int describe)
{
  struct lp_job *j = &jobs[(*njobs)++];

  memset(j, 0, sizeof(*j));
  j->mech = m;
  j->layer = l;
  j->backend = b;
  j->describe = describe;
}

/* The library cell (m, l) reaches its mechanism through, or NULL. */
static const struct lp_libdesc *library_of(const struct lp_backend *b, enum lp_layer l)
{
  return b && b->library && (b->library_layers & LP_BIT(l)) ? b->library : NULL;
}

static int loaded(const struct lp_probe_ctx *ctx, const struct lp_libdesc *d)
{
  return !d || lp_ctx_library(ctx, d)->state == LP_DYNLIB_LOADED;
}

/* One describe job per loaded library whose layer has a cell to probe. */
static void plan_describes(const struct lp_report *r, const struct lp_cellset *only,
                           const struct lp_probe_ctx *ctx, struct lp_job *jobs, size_t *njobs)
{
  size_t i;
  int m, l;

  for (i = 0; lp_backends[i]; i++) {
    const struct lp_backend *b = lp_backends[i];
    int wanted = 0;
    if (!b->describe)
      continue;
    for (l = 0; l < LP_LAYER_COUNT && !(b->layers & LP_BIT(l)); l++)
      ;
    for (m = 0; m < LP_MECH_COUNT; m++)
      wanted |= (b->mechanisms & LP_BIT(m)) &&
                lp_cellset_has(only, (enum lp_mechanism)m, (enum lp_layer)l);
    if (wanted && (r->layers & LP_BIT(l)) && loaded(ctx, library_of(b, (enum lp_layer)l)))
      add_job(jobs, njobs, b, (enum lp_mechanism)0, (enum lp_layer)l, 1);
  }
}

static int set_optional(char **dst, const char *s)
{
  return lp_strdup_optional(s, dst);
}

/* libraries[]'s entry for lib, as the loader found it. */
static int add_library(struct lp_report *r, const struct lp_dynlib *lib, enum lp_layer l)
{
  struct lp_library *e = lp_report_add_library(r, lib->desc->name);
  int ok = lib->state == LP_DYNLIB_LOADED;
  char absence[LP_OBJ_MAX + 300];

  if (!e)
    return -1;
  e->given = lib->given;
  e->layer = (int)l;
  lp_dynlib_absence(lib, 0, absence, sizeof(absence));
  if (set_optional(&e->compiled, lib->desc->compiled) < 0 ||
      set_optional(&e->soname, lib->desc->soname) < 0 ||
      set_optional(&e->runtime, ok ? lib->version : NULL) < 0 ||
      set_optional(&e->path, ok ? lib->path : NULL) < 0 ||
      set_optional(&e->package, lp_dynlib_package(lib->desc)) < 0)
    return -1;
  if (ok)
    return 0;
  if (set_optional(&e->absence, absence) < 0 || set_optional(&e->why, lib->why) < 0 ||
      set_optional(&e->searched, lib->searched) < 0 || set_optional(&e->others, lib->others) < 0)
    return -1;
  return 0;
}

/* Lists every library a requested cell reaches through, in the order of
   lp_libraries[] (loading the system's copies on first use). */
static int plan_libraries(struct lp_report *r, const struct lp_cellset *only,
                          const struct lp_probe_ctx *ctx)
{
  const struct lp_dynlib *lib = NULL;
  size_t i;
  int m, l, used;

  for (i = 0; lp_libraries[i]; i++) {
    enum lp_layer at = LP_LAYER_SYSCALL;
    used = 0;
    for (m = 0; m < LP_MECH_COUNT; m++)
      for (l = 0; l < LP_LAYER_COUNT; l++)
        if ((r->layers & LP_BIT(l)) &&
            library_of(lp_backend_for((enum lp_mechanism)m, (enum lp_layer)l), (enum lp_layer)l) ==
                lp_libraries[i] &&
            lp_cellset_has(only, (enum lp_mechanism)m, (enum lp_layer)l)) {
          used = 1;
          at = (enum lp_layer)l;
        }
    if (!used)
      continue;
    lib = lp_ctx_library(ctx, lp_libraries[i]);
    /* An absent shim is no library the run lacks: the platform lacks its
       mechanism anyway. */
    if (lp_libraries[i]->shim && lib->state != LP_DYNLIB_LOADED)
      continue;
    if (add_library(r, lib, at) < 0)
      return -1;
  }
  return 0;
}

/* Adds every cell to r and a job for each one a backend will probe. */
static int plan(struct lp_report *r, const struct lp_cellset *only, const struct lp_probe_ctx *ctx,
                struct lp_job *jobs, size_t *njobs)
{
  char absence[LP_OBJ_MAX + 300];
  int m, l;

  *njobs = 0;
  if (plan_libraries(r, only, ctx) < 0)
    return -1;
  for (m = 0; m < LP_MECH_COUNT; m++)
    for (l = 0; l < LP_LAYER_COUNT; l++) {
      const struct lp_backend *b = lp_backend_for((enum lp_mechanism)m, (enum lp_layer)l);
      const struct lp_libdesc *lib = library_of(b, (enum lp_layer)l);
      int wanted = lp_cellset_has(only, (enum lp_mechanism)m, (enum lp_layer)l);
      enum lp_verdict v = LP_VERDICT_SKIPPED;
      const char *why = "not requested";
      if (!(r->layers & LP_BIT(l)))
        continue;
      if (wanted && !b)
        why = lp_unbuilt_reason((enum lp_mechanism)m, (enum lp_layer)l, &v);
      else if (wanted && !loaded(ctx, lib)) {
        v = lp_library_unavailable(lp_ctx_library(ctx, lib), absence, sizeof(absence))
                ? LP_VERDICT_NA
                : LP_VERDICT_MISSING;
        why = absence;
      } else if (wanted)
        why = "";
      if (!lp_report_add_cell(r, (enum lp_mechanism)m, (enum lp_layer)l, v, why))
        return -1;
      if (!b || !wanted || v == LP_VERDICT_MISSING || v == LP_VERDICT_NA)
        continue;
      add_job(jobs, njobs, b, (enum lp_mechanism)m, (enum lp_layer)l, 0);
    }
  plan_describes(r, only, ctx, jobs, njobs);
  return 0;
}

/* The time and wait functions of the C library that a wrapper serves. */
static int time_wrappers(struct lp_host *h)
{
  static const char *const names[] = {"clock_gettime", "nanosleep", "epoll_wait", "poll", "select"};
  struct lp_provider p;
  size_t i;

  for (i = 0; i < LP_ARRAY_LEN(names); i++) {
    lp_provenance(names[i], "c", &p);
    if (p.interposed && lp_strv_addf(&h->time_wrappers, "%s() is served by %s instead of %s",
                                     names[i], p.object, p.home) < 0)
      return -1;
  }
  return 0;
}

/* Reads the C library's clock between two readings of the kernel's, again
   until the bracket is tight: a preemption between the two clocks would
   otherwise look like a clock running at the wrong rate.  Returns -1 when
   there is no C library clock or no tight bracket. */
static int clock_pair(int64_t *raw, int64_t *libc)
{
  int tries;

  for (tries = 0; tries < 20; tries++) {
    int64_t a = lp_mono_ns(), l = lp_libc_mono_ns(), b = lp_mono_ns();
    if (l <= 0)
      return -1;
    if (b - a < 50000) {
      *raw = a + (b - a) / 2;
      *libc = l;
      return 0;
    }
  }
  return -1;
}

/* The C library's clock against the kernel's over the run (2 ms at least,
   so the brackets' 50 us cannot matter). */
static void clock_rate(struct lp_host *h, int ok0, int64_t raw0, int64_t libc0)
{
  int64_t raw1, libc1;

  if (ok0 == 0 && clock_pair(&raw1, &libc1) == 0 && raw1 - raw0 >= 2000000)
    h->libc_clock_rate = (double)(libc1 - libc0) / (double)(raw1 - raw0);
}

static void runner_options(const struct lp_options *o, const struct lp_dynlib *const *given,
                           size_t ngiven, struct lp_runner_opts *ro)
{
  memset(ro, 0, sizeof(*ro));
  ro->timeout_ms = o->timeout_ms;
  ro->isolate = o->isolate;
  ro->exit_on_timeout = o->exit_on_inprocess_timeout;
  ro->ctx.wait_ms = o->timeout_ms >= 60 ? LP_WAIT_MS : 0;
  ro->ctx.event_wait_ms = o->timeout_ms / 4 > LP_EVENT_WAIT_MAX_MS
                              ? LP_EVENT_WAIT_MAX_MS
                              : (o->timeout_ms / 4 ? o->timeout_ms / 4 : 1);
  ro->ctx.libs = given;
  ro->ctx.nlibs = ngiven;
}

static int run(const struct lp_options *opts, const struct lp_dynlib *const *given, size_t ngiven,
               struct lp_report **out, char *err, size_t err_len)
{
  struct lp_cellset only, req;
  struct lp_runner_opts ro;
  struct lp_report *r = NULL;
  struct lp_job *jobs = NULL;
  size_t njobs = 0;
  int64_t raw0 = 0, libc0 = 0;
  int ok0;

  *out = NULL;
  if (parse_options(opts, &only, &req, err, err_len) < 0)
    return -1;
  r = lp_report_new();
  jobs = calloc((size_t)LP_MECH_COUNT * LP_LAYER_COUNT + LP_LAYER_COUNT, sizeof(*jobs));
  if (!r || !jobs)
    goto oom;
  lp_utc_now(r->generated_at, sizeof(r->generated_at));
  r->layers = report_layers();
  r->has_require = opts->require != NULL;
  r->require = req;
  runner_options(opts, given, ngiven, &ro);
  if (lp_host_collect(&r->host) < 0 || plan(r, &only, &ro.ctx, jobs, &njobs) < 0)
    goto oom;
  ok0 = clock_pair(&raw0, &libc0);
  lp_run_jobs(jobs, njobs, &ro);
  clock_rate(&r->host, ok0, raw0, libc0);
  if (time_wrappers(&r->host) < 0)
    goto oom;
  if (lp_classify(r, jobs, njobs, opts->timeout_ms) < 0)
    goto oom;
  lp_report_settle(r);
  free(jobs);
  *out = r;
  return 0;
oom:
  free(jobs);
  lp_report_free(r);
  return error(err, err_len, "out of memory");
}

int lp_run(const struct lp_options *opts, struct lp_report **out, char *err, size_t err_len)
{
  return run(opts, NULL, 0, out, err, err_len);
}

/* --- libraries named by the caller --- */

static const struct lp_libdesc *library_named(const char *name, size_t n)
{
  size_t i;

  for (i = 0; lp_libraries[i]; i++)
    if (strlen(lp_libraries[i]->name) == n && strncmp(lp_libraries[i]->name, name, n) == 0)
      return lp_libraries[i];
  return NULL;
}

static void unknown_library(const char *name, size_t n, char *err, size_t err_len)
{
  struct lp_buf b;
  size_t i;

  lp_buf_init(&b);
  lp_buf_printf(&b, "%s: unknown library '%.*s' (", name, (int)n, name);
  for (i = 0; lp_libraries[i]; i++)
    lp_buf_printf(&b, "%s%s", i ? ", " : "this loopprobe loads ", lp_libraries[i]->name);
  lp_buf_puts(&b, i ? ")" : "this loopprobe loads none at run time)");
  error(err, err_len, b.data ? b.data : "out of memory");
  lp_buf_free(&b);
}

/* Splits "NAME=PATH" into the library and the path. */
static int parse_library(const char *arg, const struct lp_libdesc **d, const char **path, char *err,
                         size_t err_len)
{
  const char *eq = arg ? strchr(arg, '=') : NULL;
  char msg[512];

  if (!eq || eq == arg) {
    lp_fmt(msg, sizeof(msg), "%s: not NAME=PATH (e.g. libuv=/opt/app/lib/libuv.so.1)",
           !arg   ? "(null)"
           : *arg ? arg
                  : "''");
    return error(err, err_len, msg);
  }
  *d = library_named(arg, (size_t)(eq - arg));
  if (!*d) {
    unknown_library(arg, (size_t)(eq - arg), err, err_len);
    return -1;
  }
  if (!eq[1]) {
    lp_fmt(msg, sizeof(msg), "%s: no file named after '='", arg);
    return error(err, err_len, msg);
  }
  *path = eq + 1;
  return 0;
}

/* Loads arg's file into lib.  The system's copy is loaded first: on glibc
   a file loaded by path would otherwise answer every later load by its
   soname in this process. */
static int open_library(const char *arg, struct lp_dynlib *lib, char *err, size_t err_len)
{
  const struct lp_libdesc *d = NULL;
  const char *path = NULL;
  char why[LP_OBJ_MAX + 300], msg[LP_OBJ_MAX * 2 + 400];

  if (parse_library(arg, &d, &path, err, err_len) < 0)
    return -1;
  lp_dynlib_system(d);
  if (lp_dynlib_open_file(d, path, lib, why, sizeof(why)) < 0) {
    lp_fmt(msg, sizeof(msg), "%s: %s", arg, why);
    return error(err, err_len, msg);
  }
  return 0;
}

int lp_library_validate(const char *name_path, char *err, size_t err_len)
{
  struct lp_dynlib *lib = calloc(1, sizeof(*lib));
  int rc;

  if (!lib)
    return error(err, err_len, "out of memory");
  rc = open_library(name_path, lib, err, err_len);
  lp_dynlib_release(lib);
  free(lib);
  return rc;
}

int lp_run_libraries(const struct lp_options *opts, const char *const *libraries,
                     struct lp_report **out, char *err, size_t err_len)
{
  struct lp_dynlib *libs = NULL;
  const struct lp_dynlib **given = NULL;
  size_t n = 0, i, j;
  char msg[256];
  int rc = -1;

  *out = NULL;
  while (libraries && libraries[n])
    n++;
  libs = calloc(n ? n : 1, sizeof(*libs));
  given = calloc(n ? n : 1, sizeof(*given));
  if (!libs || !given) {
    error(err, err_len, "out of memory");
    goto out;
  }
  for (i = 0; i < n; i++) {
    if (open_library(libraries[i], &libs[i], err, err_len) < 0)
      goto out;
    for (j = 0; j < i; j++)
      if (libs[j].desc == libs[i].desc) {
        lp_fmt(msg, sizeof(msg), "%s is named twice", libs[i].desc->name);
        error(err, err_len, msg);
        goto out;
      }
    given[i] = &libs[i];
  }
  rc = run(opts, given, n, out, err, err_len);
out:
  for (i = 0; libs && i < n; i++)
    lp_dynlib_release(&libs[i]);
  free(libs);
  free(given);
  return rc;
}

/* --- lp_check --- */

static enum lp_verdict quick_verdict(const struct lp_obs *o)
{
  switch (o->status) {
  case LP_OBS_OK: /* a shim's round trip is the full run's emulated too */
    return o->emulated_by[0] ? LP_VERDICT_EMULATED : LP_VERDICT_OK;
  case LP_OBS_MISBEHAVED:
    return LP_VERDICT_DEGRADED;
  case LP_OBS_NA:
    return LP_VERDICT_NA;
  case LP_OBS_MISSING:
    return LP_VERDICT_MISSING;
  case LP_OBS_SKIPPED:
    return LP_VERDICT_SKIPPED;
  case LP_OBS_FAILED:
    break;
  }
  return LP_VERDICT_FAILED;
}

/* A shim leaves machinery of its own in the process that uses it -
   libkqueue a thread and descriptors for the life of the process, more
   with each call - so lp_check() probes a loaded shim's cell in a child,
   as lp_run() does; every other cell in-process. */
static int check_isolated(const struct lp_backend *b, enum lp_layer l)
{
  const struct lp_libdesc *d = library_of(b, l);

  return d && d->shim && lp_dynlib_system(d)->state == LP_DYNLIB_LOADED;
}

/* The verdict of a cell whose child did not report. */
static enum lp_verdict unreported(const struct lp_job *job, char *detail, size_t size)
{
  const char *sig = lp_signal_name(job->signal);

  switch (job->status) {
  case LP_JOB_TIMEOUT:
    lp_fmt(detail, size, "no answer within %u ms; the probe was in %s()", LP_DEFAULT_TIMEOUT_MS,
           job->obs.step[0] ? job->obs.step : "its first call");
    return LP_VERDICT_TIMEOUT;
  case LP_JOB_SIGNALED:
    lp_fmt(detail, size, "the probe died from %s in %s()", sig ? sig : "a signal",
           job->obs.step[0] ? job->obs.step : "its first call");
    return LP_VERDICT_CRASHED;
  case LP_JOB_NOT_STARTED:
    lp_fmt(detail, size, "could not start the probe: %s() failed", job->start_call);
    return LP_VERDICT_FAILED;
  default:
    lp_fmt(detail, size, "the probe exited with status %d without a result", job->exit_code);
    return LP_VERDICT_FAILED;
  }
}

/* Probes one cell quickly; fills detail for a non-ok cell. */
static enum lp_verdict check_cell(enum lp_mechanism m, enum lp_layer l, char *detail, size_t size)
{
  const struct lp_backend *b = lp_backend_for(m, l);
  struct lp_runner_opts ro;
  struct lp_job *job = NULL;
  enum lp_verdict v;

  if (!b) {
    lp_strlcpy(detail, lp_unbuilt_reason(m, l, &v), size);
    return v;
  }
  job = calloc(1, sizeof(*job));
  if (!job) {
    lp_strlcpy(detail, "out of memory", size);
    return LP_VERDICT_FAILED;
  }
  memset(&ro, 0, sizeof(ro)); /* no libraries named: the system's copies */
  ro.timeout_ms = LP_DEFAULT_TIMEOUT_MS;
  ro.ctx.event_wait_ms = LP_EVENT_WAIT_MAX_MS;
  job->mech = m;
  job->layer = l;
  job->backend = b;
  lp_obs_init(&job->obs);
  if (check_isolated(b, l)) {
    ro.isolate = 1;
    lp_run_jobs(job, 1, &ro);
  } else
    lp_job_call(job, &ro.ctx);
  if (job->status != LP_JOB_DONE)
    v = unreported(job, detail, size);
  else if ((v = quick_verdict(&job->obs)) == LP_VERDICT_EMULATED)
    lp_fmt(detail, size, "%s; provided by %s", job->obs.detail, job->obs.emulated_by);
  else
    lp_strlcpy(detail, job->obs.detail, size);
  free(job);
  return v;
}

static void check_reason(char *why, size_t len, int m, int l, enum lp_verdict v, const char *detail)
{
  char cell[48];

  lp_cell_name(cell, sizeof(cell), m, l);
  if (l < 0)
    lp_fmt(why, len, "%s: no layer built into this library applies here", cell);
  else
    lp_fmt(why, len, "%s: %s: %s", cell, lp_verdict_name(v), detail);
}

int lp_check(const char *spec, char *why, size_t why_len)
{
  static const size_t detail_size = 320;
  enum lp_verdict v[LP_MECH_COUNT][LP_LAYER_COUNT];
  char details[LP_MECH_COUNT][LP_LAYER_COUNT][320];
  struct lp_cellset req;
  int m, l, bad_m = -1, bad_l = -1;

  if (why && why_len)
    why[0] = '\0';
  if (lp_spec_parse(spec, &req, why, why_len) < 0)
    return -1;
  for (m = 0; m < LP_MECH_COUNT; m++)
    for (l = 0; l < LP_LAYER_COUNT; l++) {
      v[m][l] = LP_VERDICT_SKIPPED;
      details[m][l][0] = '\0';
      if (lp_cellset_has(&req, (enum lp_mechanism)m, (enum lp_layer)l))
        v[m][l] = check_cell((enum lp_mechanism)m, (enum lp_layer)l, details[m][l], detail_size);
    }
  if (lp_requirement_met(&req, v, &bad_m, &bad_l))
    return 0;
  if (why && why_len)
    check_reason(why, why_len, bad_m, bad_l, bad_l >= 0 ? v[bad_m][bad_l] : LP_VERDICT_NA,
                 bad_l >= 0 ? details[bad_m][bad_l] : "");
  return 1;
}
