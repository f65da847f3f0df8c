/* SPDX-License-Identifier: MIT */
/*
 * check.c - lp_check(): the start-up question a server asks, answered
 * without ever harming the server, with the cause the full run names.
 *
 * Each named cell is probed in quick mode (no timed waits), in the
 * caller's process when nothing there can make it kill, hang or write into
 * the caller, otherwise in a child under a watchdog, as the full run
 * probes it.  When every named cell did its round trip and nothing the
 * classifier weighs is in sight, the answer is 0 - no host facts read,
 * nothing classified.  Otherwise the layers beneath the named cells and
 * the libraries' describe jobs are probed the same way, the host facts
 * read, and lp_classify() judges every job; the reason is the summary of
 * the finding that explains the first cell not ok: the full run's own
 * sentence, never a second copy of its rules.
 *
 * A cell runs here only when: no seccomp filter is on the calling thread
 * (a filter is the thread's own, and one may kill: only a child learns
 * which calls); for the api layer, every function the probe will call is
 * served by the C library (the probe names them at its checkpoint, before
 * its first call); for a library, the calls its relocations were bound to
 * reach only the library and the objects it depends on - no wrapper, and
 * its own names answered by no other library (a compatibility layer) - no
 * standard descriptor is closed (libuv takes descriptor 0 for its loop and
 * aborts when it closes it), none of its override variables is set (the
 * classifier needs its describe job then), and its log messages can be
 * captured (support/hooks.h); and never through a shim (libkqueue leaves
 * a thread and descriptors in the process that uses it, more with each
 * call).  The gate at the probe's checkpoint stops a probe before its
 * first call when one of these fails, and the cell goes to a child.
 *
 * Traps: TracerPid costs a read of /proc/self/status, as much as the whole
 * round trip, so a tracer is seen only on the classifier's path - a tracer
 * that injects a failure fails the round trip, and the classifier names
 * it.  A library entered here may still meet a failure beyond what its
 * round trip beneath would have shown (a limit reached between two calls):
 * its messages are captured, but what it does next is its own (libuv
 * aborts on an epoll_ctl() error it does not expect): the gates keep out
 * every cause the full run names, not a race with another process.
 */
#include "loopprobe.h"

#include "entry.h"

#include "../backends/registry.h"
#include "../classify/classify.h"
#include "../loader/dynlib.h"
#include "../probes/host.h"
#include "../sys/sys.h"
#include "../base/util.h"

#include <stdlib.h>
#include <string.h>

struct check {
  struct lp_cellset req;
  int dry;             /* lp_check_isolates(): every probe stops at its checkpoint */
  int seccomp;         /* the calling thread's seccomp mode (lp_sys_seccomp_mode()) */
  int std_asked;       /* std_closed is known */
  unsigned std_closed; /* standard descriptors not open */
  char away_why[LP_OBJ_MAX * 2 + 200]; /* why the first cell sent to a child went there */
  /* Each cell's job: probed here, or in a child; NULL while not planned. */
  struct lp_job *job[LP_MECH_COUNT][LP_LAYER_COUNT];
  unsigned char away[LP_MECH_COUNT][LP_LAYER_COUNT];  /* still to be probed in a child */
  unsigned char doubt[LP_MECH_COUNT][LP_LAYER_COUNT]; /* an ok round trip is not the answer:
                                                         the classifier needs the describe job */
};

/* What the probe's gate is asked about. */
struct gate {
  struct check *c;
  const struct lp_job *job;
  const struct lp_probe_ctx *ctx;
};

static void quick_ctx(struct lp_probe_ctx *ctx)
{
  memset(ctx, 0, sizeof(*ctx)); /* no libraries named: the system's copies */
  ctx->event_wait_ms = LP_EVENT_WAIT_MAX_MS;
}

static void note(struct check *c, const char *why)
{
  if (why[0] && !c->away_why[0])
    lp_strlcpy(c->away_why, why, sizeof(c->away_why));
}

/* --- may a cell run here? --- */

/* The first variable of names (a trailing '*': a prefix) that is set, or
   NULL. */
static const char *env_set(const char *const *names)
{
  char **env = lp_os_environ();
  size_t i, j, n;

  for (i = 0; names && names[i]; i++) {
    n = strlen(names[i]);
    if (n == 0 || names[i][n - 1] != '*') {
      if (getenv(names[i]))
        return names[i];
      continue;
    }
    for (j = 0; env && env[j]; j++)
      if (strncmp(env[j], names[i], n - 1) == 0)
        return names[i];
  }
  return NULL;
}

static unsigned std_closed(struct check *c)
{
  if (!c->std_asked) {
    c->std_closed = lp_sys_std_closed();
    c->std_asked = 1;
  }
  return c->std_closed;
}

/* What makes the classifier's library pass matter for a library cell: an
   override variable set, or the library's calls reaching another object
   (a wrapper, another library answering its names).  Sets doubt and why. */
static void library_doubt(struct check *c, const struct lp_job *job, const struct lp_probe_ctx *ctx,
                          char *why, size_t size)
{
  const struct lp_libdesc *d = lp_entry_library_of(job->backend, job->layer);
  const char *var = d ? env_set(job->backend->overrides) : NULL;
  struct lp_provider p;
  int rc;

  why[0] = '\0';
  if (!d || lp_ctx_library(ctx, d)->state != LP_DYNLIB_LOADED)
    return;
  if (var) {
    lp_fmt(why, size, "%s is set, which the classifier weighs with %s's default loop", var,
           d->name);
  } else if ((rc = lp_dynlib_foreign_call(lp_ctx_library(ctx, d), lp_loop_calls, &p)) < 0) {
    lp_fmt(why, size, "what %s's relocations were bound to cannot be read", d->name);
  } else if (rc > 0) {
    lp_fmt(why, size, "%s's calls of %s() reach %s instead of %s", d->name, p.function, p.object,
           p.home);
  }
  if (why[0])
    c->doubt[job->mech][job->layer] = 1;
}

/* Why cell job may not run here, into why; "" when it may. */
static void hazard(struct gate *g, const struct lp_obs *o, char *why, size_t size)
{
  const struct lp_libdesc *d = lp_entry_library_of(g->job->backend, g->job->layer);
  unsigned i;

  why[0] = '\0';
  if (d && d->shim) { /* libkqueue: a thread and descriptors for the life of the process */
    lp_fmt(why, size, "%s leaves machinery of its own in the process that uses it", d->name);
    return;
  }
  for (i = 0; i < o->nproviders; i++)
    if (o->providers[i].interposed && !o->providers[i].sanitizer) {
      lp_fmt(why, size, "%s() is served by %s instead of %s", o->providers[i].function,
             o->providers[i].object, o->providers[i].home);
      return;
    }
  if (!d)
    return;
  library_doubt(g->c, g->job, g->ctx, why, size);
  if (!why[0] && std_closed(g->c))
    lp_fmt(why, size, "a standard descriptor (0, 1 or 2) is not open, and %s may take it", d->name);
}

/* The gate at the probe's checkpoint: nonzero sends the cell to a child
   (and stops every probe of lp_check_isolates() there). */
static int gate(const struct lp_obs *o, void *arg)
{
  struct gate *g = arg;
  char why[sizeof(g->c->away_why)];

  hazard(g, o, why, sizeof(why));
  note(g->c, why);
  return why[0] || g->c->dry;
}

/* Probes job here, in quick mode, with its libraries' messages captured
   into job->output.  Returns 0, or -1 when the gate sent it to a child. */
static int run_here(struct check *c, struct lp_job *job)
{
  struct lp_probe_ctx ctx;
  struct gate g;

  quick_ctx(&ctx);
  ctx.log = job->output;
  ctx.log_size = sizeof(job->output);
  job->output[0] = '\0';
  g.c = c;
  g.job = job;
  g.ctx = &ctx;
  lp_obs_init(&job->obs);
  job->obs.gate = gate;
  job->obs.gate_arg = &g;
  lp_job_call(job, &ctx);
  job->obs.gate = NULL;
  job->obs.gate_arg = NULL;
  job->status = LP_JOB_DONE;
  job->elapsed_us = -1; /* not timed: each reading of the clock is a system call */
  return job->obs.deferred ? -1 : 0;
}

static void note_seccomp(struct check *c)
{
  note(c, c->seccomp > 0 ? "a seccomp filter is installed on the calling thread, and a call it "
                           "refuses may kill"
                         : "the calling thread's seccomp mode cannot be read");
}

/* Plans cell (m, l): probes it here when it may, or leaves it for a
   child.  Returns its job, or NULL when no backend speaks for it (or
   memory runs out: the classifier's path then reports it not run). */
static struct lp_job *plan_cell(struct check *c, enum lp_mechanism m, enum lp_layer l)
{
  const struct lp_backend *b = lp_backend_for(m, l);
  struct lp_job *job = c->job[m][l];
  struct lp_probe_ctx ctx;
  char why[sizeof(c->away_why)];

  if (job || !b || !(job = calloc(1, sizeof(*job))))
    return job;
  job->mech = m;
  job->layer = l;
  job->backend = b;
  c->job[m][l] = job;
  if (c->seccomp == 0 && run_here(c, job) == 0)
    return job;
  if (c->seccomp != 0) { /* not probed: what the gate would have weighed */
    note_seccomp(c);
    quick_ctx(&ctx);
    library_doubt(c, job, &ctx, why, sizeof(why));
  }
  c->away[m][l] = 1;
  return job;
}

/* Probes in children, all at once, each under its watchdog: every cell
   left for a child, and the n jobs of extra (describe jobs). */
static int run_away(struct check *c, struct lp_job *extra, size_t n)
{
  struct lp_job **src = calloc(LP_ENTRY_MAX_JOBS + n, sizeof(*src));
  struct lp_job *batch = NULL;
  struct lp_runner_opts ro;
  size_t k = 0, i;
  int m, l;

  if (!src)
    return -1;
  for (m = 0; m < LP_MECH_COUNT; m++)
    for (l = 0; l < LP_LAYER_COUNT; l++)
      if (c->away[m][l])
        src[k++] = c->job[m][l];
  for (i = 0; i < n; i++)
    src[k++] = &extra[i];
  if (k > 0 && !(batch = malloc(k * sizeof(*batch)))) {
    free(src);
    return -1;
  }
  for (i = 0; i < k; i++)
    batch[i] = *src[i];
  memset(&ro, 0, sizeof(ro));
  ro.timeout_ms = LP_DEFAULT_TIMEOUT_MS;
  ro.isolate = 1;
  quick_ctx(&ro.ctx);
  if (k > 0)
    lp_run_jobs(batch, k, &ro);
  for (i = 0; i < k; i++)
    *src[i] = batch[i];
  memset(c->away, 0, sizeof(c->away));
  free(batch);
  free(src);
  return 0;
}

/* --- the cheap answer --- */

static enum lp_verdict quick_verdict(const struct lp_obs *o)
{
  switch (o->status) {
  case LP_OBS_OK:
    return LP_VERDICT_OK;
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

/* A round trip that worked, which the classifier would still call
   otherwise: a shim provides the mechanism, or a user-space kernel
   answers the calls, or the library pass has something to weigh. */
static int ok_is_not_enough(const struct check *c, const struct lp_job *job)
{
  return c->doubt[job->mech][job->layer] || job->obs.emulated_by[0] ||
         ((job->layer == LP_LAYER_SYSCALL || job->layer == LP_LAYER_API) &&
          lp_host_kernel_emulated());
}

static void cell_reason(char *why, size_t len, int m, int l, const char *verdict, const char *text)
{
  char line[LP_OBJ_MAX * 2 + 1024], cell[48];

  lp_cell_name(cell, sizeof(cell), m, l);
  if (l < 0)
    lp_fmt(line, sizeof(line), "%s: no layer built into this library applies here", cell);
  else
    lp_fmt(line, sizeof(line), "%s: %s: %s", cell, verdict, text);
  if (why)
    lp_line_copy(why, line, len);
}

/* Answers from the named cells' round trips: 0 or 1 in *rc, and returns
   1; 0 when only the classifier can answer. */
static int quick_answer(struct check *c, char *why, size_t len, int *rc)
{
  enum lp_verdict v[LP_MECH_COUNT][LP_LAYER_COUNT];
  const char *detail[LP_MECH_COUNT][LP_LAYER_COUNT];
  int m, l, bad_m = -1, bad_l = -1;

  for (m = 0; m < LP_MECH_COUNT; m++)
    for (l = 0; l < LP_LAYER_COUNT; l++) {
      const struct lp_job *job = c->job[m][l];
      v[m][l] = LP_VERDICT_SKIPPED;
      detail[m][l] = "";
      if (!lp_cellset_has(&c->req, (enum lp_mechanism)m, (enum lp_layer)l))
        continue;
      if (job && (job->status != LP_JOB_DONE ||
                  (job->obs.status == LP_OBS_OK && ok_is_not_enough(c, job))))
        return 0;
      if (job) {
        v[m][l] = quick_verdict(&job->obs);
        detail[m][l] = job->obs.detail;
      } else
        detail[m][l] = lp_unbuilt_reason((enum lp_mechanism)m, (enum lp_layer)l, &v[m][l]);
    }
  *rc = 0;
  if (lp_requirement_met(&c->req, v, &bad_m, &bad_l))
    return 1;
  if (bad_l >= 0 && c->job[bad_m][bad_l])
    return 0; /* a probe that ran: its cause is the classifier's to name */
  *rc = 1;
  cell_reason(why, len, bad_m, bad_l, bad_l >= 0 ? lp_verdict_name(v[bad_m][bad_l]) : "",
              bad_l >= 0 ? detail[bad_m][bad_l] : "");
  return 1;
}

/* --- the classifier's answer --- */

/* The named cells and the layers beneath each: a named cell above the
   syscall layer is judged against them. */
static void needed(const struct lp_cellset *req, struct lp_cellset *need)
{
  int m, l;

  *need = *req;
  for (m = 0; m < LP_MECH_COUNT; m++)
    for (l = LP_LAYER_API; l < LP_LAYER_COUNT; l++)
      if (lp_cellset_has(req, (enum lp_mechanism)m, (enum lp_layer)l)) {
        lp_cellset_add(need, (enum lp_mechanism)m, LP_LAYER_SYSCALL);
        if (l > LP_LAYER_API)
          lp_cellset_add(need, (enum lp_mechanism)m, LP_LAYER_API);
      }
}

/* The report of the named cells and the layers beneath them, classified:
   the cells probed already keep their results, the others are probed
   here or in children like them, the describe jobs in children. */
static struct lp_report *classified(struct check *c)
{
  struct lp_cellset need;
  struct lp_probe_ctx ctx;
  struct lp_report *r = lp_report_new();
  struct lp_job *jobs = calloc(LP_ENTRY_MAX_JOBS, sizeof(*jobs)), *describes = NULL;
  size_t njobs = 0, first = 0, i;

  if (!r || !jobs)
    goto fail;
  needed(&c->req, &need);
  quick_ctx(&ctx);
  r->layers = lp_entry_report_layers();
  if (lp_host_collect(&r->host) < 0 || lp_entry_plan(r, &need, &ctx, jobs, &njobs) < 0)
    goto fail;
  for (i = 0; i < njobs && !jobs[i].describe; i++)
    plan_cell(c, jobs[i].mech, jobs[i].layer);
  first = i; /* the describe jobs come last */
  describes = jobs + first;
  if (run_away(c, describes, njobs - first) < 0)
    goto fail;
  for (i = 0; i < first; i++)
    if (c->job[jobs[i].mech][jobs[i].layer])
      jobs[i] = *c->job[jobs[i].mech][jobs[i].layer];
    else
      jobs[i].status = LP_JOB_NOT_STARTED; /* out of memory */
  if (lp_entry_time_wrappers(&r->host) < 0 ||
      lp_classify(r, jobs, njobs, LP_DEFAULT_TIMEOUT_MS) < 0)
    goto fail;
  free(jobs);
  return r;
fail:
  free(jobs);
  lp_report_free(r);
  return NULL;
}

static int classified_answer(struct check *c, char *why, size_t len)
{
  enum lp_verdict v[LP_MECH_COUNT][LP_LAYER_COUNT];
  struct lp_report *r = classified(c);
  const struct lp_cell *cell = NULL;
  const struct lp_finding *f = NULL;
  const char *text = "";
  int m, l, bad_m = -1, bad_l = -1;

  if (!r) {
    if (why)
      lp_line_copy(why, "loopprobe could not check: out of memory", len);
    return 1;
  }
  for (m = 0; m < LP_MECH_COUNT; m++)
    for (l = 0; l < LP_LAYER_COUNT; l++)
      v[m][l] = lp_report_verdict(r, (enum lp_mechanism)m, (enum lp_layer)l);
  if (lp_requirement_met(&c->req, v, &bad_m, &bad_l)) {
    lp_report_free(r);
    return 0;
  }
  cell = bad_l >= 0 ? lp_report_find_cell(r, (enum lp_mechanism)bad_m, (enum lp_layer)bad_l) : NULL;
  f = cell ? lp_report_cell_finding(r, cell) : NULL;
  if (bad_l >= 0 && !cell) /* a layer this report has no column for (python) */
    text = lp_unbuilt_reason((enum lp_mechanism)bad_m, (enum lp_layer)bad_l, &v[bad_m][bad_l]);
  else
    text = f ? f->summary : cell ? cell->detail : "";
  cell_reason(why, len, bad_m, bad_l, bad_l >= 0 ? lp_verdict_name(v[bad_m][bad_l]) : "", text);
  lp_report_free(r);
  return 1;
}

/* --- lp_check --- */

static void release(struct check *c)
{
  int m, l;

  for (m = 0; m < LP_MECH_COUNT; m++)
    for (l = 0; l < LP_LAYER_COUNT; l++)
      free(c->job[m][l]);
}

static int begin(struct check *c, const char *spec, char *why, size_t why_len)
{
  if (why && why_len)
    why[0] = '\0';
  memset(c, 0, sizeof(*c));
  if (lp_spec_parse(spec, &c->req, why, why_len) < 0)
    return -1;
  c->seccomp = lp_sys_seccomp_mode();
  return 0;
}

int lp_check(const char *spec, char *why, size_t why_len)
{
  struct check *c = malloc(sizeof(*c));
  int m, l, rc = 0;

  if (!c || begin(c, spec, why, why_len) < 0) {
    if (!c && why)
      lp_line_copy(why, "loopprobe could not check: out of memory", why_len);
    free(c);
    return c ? -1 : 1;
  }
  for (m = 0; m < LP_MECH_COUNT; m++)
    for (l = 0; l < LP_LAYER_COUNT; l++)
      if (lp_cellset_has(&c->req, (enum lp_mechanism)m, (enum lp_layer)l))
        plan_cell(c, (enum lp_mechanism)m, (enum lp_layer)l);
  if (run_away(c, NULL, 0) < 0 || !quick_answer(c, why, why_len, &rc))
    rc = classified_answer(c, why, why_len);
  if (rc == 0 && why && why_len)
    why[0] = '\0';
  release(c);
  free(c);
  return rc;
}

int lp_check_isolates(const char *spec, char *why, size_t why_len)
{
  struct check *c = malloc(sizeof(*c));
  int m, l, rc;

  if (!c || begin(c, spec, why, why_len) < 0) {
    free(c);
    return -1;
  }
  c->dry = 1;
  if (c->seccomp != 0)
    note_seccomp(c);
  else
    for (m = 0; m < LP_MECH_COUNT; m++)
      for (l = LP_LAYER_API; l < LP_LAYER_COUNT; l++)
        if (lp_cellset_has(&c->req, (enum lp_mechanism)m, (enum lp_layer)l))
          plan_cell(c, (enum lp_mechanism)m, (enum lp_layer)l);
  if (why)
    lp_line_copy(why, c->away_why, why_len);
  rc = c->away_why[0] != 0;
  release(c);
  free(c);
  return rc;
}
