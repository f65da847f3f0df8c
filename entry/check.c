/* SPDX-License-Identifier: MIT */
/*
 * check.c - lp_check(): the start-up question a server asks, answered
 * without ever harming the server, with the cause the full run names.
 *
 * Two paths.  The cheap one probes each named cell in the caller's
 * process, in quick mode (no timed waits), and answers 0 when every cell
 * did its round trip and nothing the classifier weighs is in sight - no
 * host facts read, nothing classified.  Anything else takes the other
 * path: the cells the cheap one could not run safely, the layers beneath
 * the named cells and the libraries' describe jobs are run as the full run
 * runs them, each in a child process under a watchdog; the host facts are
 * read, lp_classify() judges every job, and the reason is the summary of
 * the finding that explains the first cell not ok - the full run's own
 * sentence.
 *
 * A cell runs here only when nothing can make it kill, hang or write into
 * the caller: not under a seccomp filter (the calling thread's; one may
 * kill, and only a child learns which); for the api layer, not when a
 * function the probe will call is served by another object than the C
 * library (the probe says which at its checkpoint, before any call); for a
 * library, not when the library's own calls - read from the pointers its
 * relocations were bound to - reach a wrapper, or its own names another
 * library (a compatibility layer), not when a standard descriptor is
 * closed (libuv takes descriptor 0 for its loop and aborts when it closes
 * it), not when one of its override variables is set (the classifier
 * needs its describe job), and only with its log messages captured
 * (support/hooks.h).  A gate at the probe's checkpoint stops it before
 * its first call, and the cell goes to a child.
 *
 * Traps: TracerPid costs a read of /proc/self/status, as much as the whole
 * round trip, so a tracer is seen only on the classifier's path: a tracer
 * that injects a failure fails the round trip, and the classifier names
 * it.  A library entered here may still meet a failure its round trip did
 * not show beforehand (a limit reached between two calls); its messages
 * are captured, but what the library does next is its own (libuv aborts
 * on an epoll_ctl() error): the gates keep out every cause the full run
 * names, not a race.
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
  char away_why[LP_OBJ_MAX * 2 + 200]; /* why the first cell sent to a child went there */
  int seccomp;         /* the calling thread's seccomp mode (lp_sys_seccomp_mode()) */
  int std_asked;       /* std_closed is known */
  unsigned std_closed; /* standard descriptors not open */
  struct lp_job *here[LP_MECH_COUNT][LP_LAYER_COUNT]; /* a cell probed here, or NULL */
  unsigned char away[LP_MECH_COUNT][LP_LAYER_COUNT];  /* a cell that must run in a child */
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

/* Why cell job may not run here, into why; "" when it may. */
static void hazard(struct gate *g, const struct lp_obs *o, char *why, size_t size)
{
  const struct lp_backend *b = g->job->backend;
  const struct lp_libdesc *d = lp_entry_library_of(b, g->job->layer);
  const char *var = NULL;
  struct lp_provider p;
  unsigned i;

  why[0] = '\0';
  for (i = 0; i < o->nproviders; i++)
    if (o->providers[i].interposed) {
      lp_fmt(why, size, "%s() is served by %s instead of %s", o->providers[i].function,
             o->providers[i].object, o->providers[i].home);
      return;
    }
  if (!d)
    return;
  if (std_closed(g->c))
    lp_fmt(why, size, "a standard descriptor (0, 1 or 2) is not open, and %s may take it",
           d->name);
  else if ((var = env_set(b->overrides)) != NULL)
    lp_fmt(why, size, "%s is set, which the classifier weighs with %s's default loop", var,
           d->name);
  else if (lp_dynlib_foreign_call(lp_ctx_library(g->ctx, d), lp_loop_calls, &p) < 0)
    lp_fmt(why, size, "what %s's relocations were bound to cannot be read", d->name);
  else if (p.function[0])
    lp_fmt(why, size, "%s's calls of %s() reach %s instead of %s", d->name, p.function, p.object,
           p.home);
}

/* The gate at the probe's checkpoint: nonzero sends the cell to a child
   (and stops every probe of lp_check_isolates() there). */
static int gate(const struct lp_obs *o, void *arg)
{
  struct gate *g = arg;
  char why[sizeof(g->c->away_why)];

  hazard(g, o, why, sizeof(why));
  if (why[0] && !g->c->away_why[0])
    lp_strlcpy(g->c->away_why, why, sizeof(g->c->away_why));
  return why[0] || g->c->dry;
}

/* Probes job here, in quick mode, with its libraries' messages captured
   into job->output.  Returns 0, or -1 when the gate sent it to a child. */
static int run_here(struct check *c, struct lp_job *job)
{
  struct lp_probe_ctx ctx;
  struct gate g;
  int64_t t0 = lp_mono_ns();

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
  job->elapsed_us = (lp_mono_ns() - t0) / 1000;
  return job->obs.deferred ? -1 : 0;
}

static void note_seccomp(struct check *c)
{
  if (!c->away_why[0])
    lp_strlcpy(c->away_why,
               c->seccomp > 0 ? "a seccomp filter is installed on the calling thread, and a call "
                                "it refuses may kill"
                              : "the calling thread's seccomp mode cannot be read",
               sizeof(c->away_why));
}

/* Probes cell (m, l) here when it may; otherwise marks it for a child. */
static void try_here(struct check *c, enum lp_mechanism m, enum lp_layer l)
{
  const struct lp_backend *b = lp_backend_for(m, l);
  struct lp_job *job = NULL;

  if (!b || c->here[m][l] || c->away[m][l])
    return;
  if (c->seccomp != 0)
    note_seccomp(c);
  if (c->seccomp != 0 || !(job = calloc(1, sizeof(*job)))) {
    c->away[m][l] = 1;
    return;
  }
  job->mech = m;
  job->layer = l;
  job->backend = b;
  if (run_here(c, job) == 0) {
    c->here[m][l] = job;
    return;
  }
  free(job);
  c->away[m][l] = 1;
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

/* An ok round trip the classifier would still call otherwise: a shim
   provides the mechanism, or a user-space kernel answers the calls. */
static int ok_but_emulated(const struct lp_job *job)
{
  return job->obs.emulated_by[0] ||
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

/* Answers from the cells probed here: 0 or 1 in *rc, and returns 1; 0
   when only the classifier can answer. */
static int quick_answer(struct check *c, char *why, size_t len, int *rc)
{
  enum lp_verdict v[LP_MECH_COUNT][LP_LAYER_COUNT];
  const char *detail[LP_MECH_COUNT][LP_LAYER_COUNT];
  int m, l, bad_m = -1, bad_l = -1;

  for (m = 0; m < LP_MECH_COUNT; m++)
    for (l = 0; l < LP_LAYER_COUNT; l++) {
      const struct lp_job *job = c->here[m][l];
      v[m][l] = LP_VERDICT_SKIPPED;
      detail[m][l] = "";
      if (!lp_cellset_has(&c->req, (enum lp_mechanism)m, (enum lp_layer)l))
        continue;
      if (c->away[m][l] || (job && job->obs.status == LP_OBS_OK && ok_but_emulated(job)))
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
  /* a probe that ran: its cause is the classifier's to name */
  if (bad_l >= 0 && c->here[bad_m][bad_l])
    return 0;
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

/* Fills the planned job with what was probed here, probing it here first
   when it may be; returns 1 when it must run in a child instead. */
static int fill_here(struct check *c, struct lp_job *job)
{
  const struct lp_job *done = NULL;

  if (job->describe)
    return 1; /* a default loop, with the environment honoured: a child's */
  try_here(c, job->mech, job->layer);
  done = c->here[job->mech][job->layer];
  if (!done)
    return 1;
  job->status = done->status;
  job->elapsed_us = done->elapsed_us;
  job->obs = done->obs;
  memcpy(job->output, done->output, sizeof(job->output));
  return 0;
}

/* Runs the jobs that must run in children, each under its watchdog. */
static int run_away(struct lp_job *jobs, size_t njobs, const unsigned char *away)
{
  struct lp_runner_opts ro;
  struct lp_job *batch = NULL;
  size_t i, k = 0;

  for (i = 0; i < njobs; i++)
    k += away[i];
  if (k == 0)
    return 0;
  batch = malloc(k * sizeof(*batch));
  if (!batch)
    return -1;
  for (i = 0, k = 0; i < njobs; i++)
    if (away[i])
      batch[k++] = jobs[i];
  memset(&ro, 0, sizeof(ro));
  ro.timeout_ms = LP_DEFAULT_TIMEOUT_MS;
  ro.isolate = 1;
  quick_ctx(&ro.ctx);
  lp_run_jobs(batch, k, &ro);
  for (i = 0, k = 0; i < njobs; i++)
    if (away[i])
      jobs[i] = batch[k++];
  free(batch);
  return 0;
}

/* The report of the named cells and the layers beneath them, classified. */
static struct lp_report *classified(struct check *c)
{
  struct lp_cellset need;
  struct lp_probe_ctx ctx;
  struct lp_report *r = lp_report_new();
  struct lp_job *jobs = calloc(LP_ENTRY_MAX_JOBS, sizeof(*jobs));
  unsigned char away[LP_ENTRY_MAX_JOBS];
  size_t njobs = 0, i;

  if (!r || !jobs)
    goto fail;
  needed(&c->req, &need);
  quick_ctx(&ctx);
  r->layers = lp_entry_report_layers();
  if (lp_host_collect(&r->host) < 0 || lp_entry_plan(r, &need, &ctx, jobs, &njobs) < 0)
    goto fail;
  for (i = 0; i < njobs; i++)
    away[i] = (unsigned char)fill_here(c, &jobs[i]);
  if (run_away(jobs, njobs, away) < 0 || lp_entry_time_wrappers(&r->host) < 0 ||
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
      free(c->here[m][l]);
}

int lp_check(const char *spec, char *why, size_t why_len)
{
  struct check c;
  int m, l, rc = 0;

  if (why && why_len)
    why[0] = '\0';
  memset(&c, 0, sizeof(c));
  if (lp_spec_parse(spec, &c.req, why, why_len) < 0)
    return -1;
  c.seccomp = lp_sys_seccomp_mode();
  for (m = 0; m < LP_MECH_COUNT; m++)
    for (l = 0; l < LP_LAYER_COUNT; l++)
      if (lp_cellset_has(&c.req, (enum lp_mechanism)m, (enum lp_layer)l))
        try_here(&c, (enum lp_mechanism)m, (enum lp_layer)l);
  if (!quick_answer(&c, why, why_len, &rc))
    rc = classified_answer(&c, why, why_len);
  if (rc == 0 && why && why_len)
    why[0] = '\0';
  release(&c);
  return rc;
}

int lp_check_isolates(const char *spec, char *why, size_t why_len)
{
  struct check c;
  int m, l;

  if (why && why_len)
    why[0] = '\0';
  memset(&c, 0, sizeof(c));
  if (lp_spec_parse(spec, &c.req, why, why_len) < 0)
    return -1;
  c.dry = 1;
  c.seccomp = lp_sys_seccomp_mode();
  for (m = 0; m < LP_MECH_COUNT; m++)
    for (l = LP_LAYER_API; l < LP_LAYER_COUNT; l++)
      if (lp_cellset_has(&c.req, (enum lp_mechanism)m, (enum lp_layer)l))
        try_here(&c, (enum lp_mechanism)m, (enum lp_layer)l);
  if (c.seccomp != 0)
    note_seccomp(&c);
  release(&c);
  if (why)
    lp_line_copy(why, c.away_why, why_len);
  return c.away_why[0] != 0;
}
