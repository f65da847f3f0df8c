/*
 * classify.c - from observations to verdicts and findings.
 *
 * Three passes.  cell_verdict() judges each job alone: how the child ended,
 * then what the probe saw, then what its errno means on this host (EPERM
 * and ENOSYS are ambiguous; the seccomp mode decides between policy and a
 * kernel that lacks the call).  compare_layers() judges a layer against
 * the one beneath it.  explain() writes the finding of each problem cell.
 */
#include "classify.h"

#include "../backends/registry.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct judged {
  enum lp_verdict verdict;
  enum lp_finding_kind kind; /* the finding a non-ok verdict gets */
  char detail[400];
};

static const struct lp_provider *interposed_provider(const struct lp_obs *o)
{
  unsigned i;

  for (i = 0; i < o->nproviders; i++)
    if (o->providers[i].interposed)
      return &o->providers[i];
  return NULL;
}

static const struct lp_provider *provider_of(const struct lp_obs *o, const char *function)
{
  unsigned i;

  for (i = 0; i < o->nproviders; i++)
    if (strcmp(o->providers[i].function, function) == 0)
      return &o->providers[i];
  return NULL;
}

/* The step a child was in, as "in epoll_wait() (served by X)". */
static void where(char *buf, size_t size, const struct lp_obs *o)
{
  const struct lp_provider *p = o->step[0] ? provider_of(o, o->step) : NULL;

  if (!o->step[0])
    lp_fmt(buf, size, "before its first call");
  else if (p && p->interposed)
    lp_fmt(buf, size, "in %s(), which %s serves", o->step, p->object);
  else
    lp_fmt(buf, size, "in %s()", o->step);
}

/* What a failed call's errno means here. */
static void judge_errno(const struct lp_job *job, const struct lp_host *h, struct judged *j)
{
  const struct lp_obs *o = &job->obs;
  int policy_errno = o->err == EPERM || o->err == EACCES;

  lp_fmt(j->detail, sizeof(j->detail), "%s", o->detail);
  j->verdict = LP_VERDICT_FAILED;
  j->kind = LP_FINDING_PROBE_FAILED;
  if ((policy_errno || o->err == ENOSYS) && h->seccomp_mode == 2) {
    j->verdict = LP_VERDICT_BLOCKED;
    j->kind = LP_FINDING_BLOCKED_BY_SECCOMP;
  } else if (o->err == ENOSYS) {
    j->verdict = LP_VERDICT_MISSING;
    j->kind = LP_FINDING_MISSING_IN_KERNEL;
  } else if (o->err == EINVAL && strcmp(o->call, "io_submit") == 0) {
    j->verdict = LP_VERDICT_MISSING; /* IOCB_CMD_POLL needs Linux 4.18 */
    j->kind = LP_FINDING_MISSING_IN_KERNEL;
  }
}

/* Waits that ended far from what was asked. */
static int wait_distorted(const struct lp_obs *o)
{
  if (o->wait_samples == 0 || o->wait_requested_us <= 0)
    return 0;
  if (o->wait_min_us * 1000 < o->wait_requested_us * LP_WAIT_SHORT_PERMILLE)
    return 1;
  return o->wait_min_us > o->wait_requested_us * 4 + LP_WAIT_LONG_SLACK_US;
}

static void judge_done(const struct lp_job *job, const struct lp_host *h, struct judged *j)
{
  const struct lp_obs *o = &job->obs;

  lp_fmt(j->detail, sizeof(j->detail), "%s", o->detail);
  switch (o->status) {
  case LP_OBS_OK:
    j->verdict = LP_VERDICT_OK;
    if (wait_distorted(o)) {
      j->verdict = LP_VERDICT_DEGRADED;
      j->kind = LP_FINDING_TIMEOUT_DISTORTED;
      lp_fmt(j->detail, sizeof(j->detail), "waits of %.1f ms took %.2f to %.2f ms of real time",
             (double)o->wait_requested_us / 1000, (double)o->wait_min_us / 1000,
             (double)o->wait_max_us / 1000);
    }
    return;
  case LP_OBS_MISBEHAVED:
    j->verdict = LP_VERDICT_DEGRADED;
    j->kind = LP_FINDING_EVENT_MISBEHAVED;
    return;
  case LP_OBS_NA:
    j->verdict = LP_VERDICT_NA;
    return;
  case LP_OBS_MISSING:
    j->verdict = LP_VERDICT_MISSING;
    j->kind = LP_FINDING_MISSING_IN_KERNEL;
    return;
  case LP_OBS_SKIPPED:
    j->verdict = LP_VERDICT_SKIPPED;
    j->kind = LP_FINDING_NOT_BUILT;
    return;
  case LP_OBS_FAILED:
    judge_errno(job, h, j);
    return;
  }
}

static void cell_verdict(const struct lp_job *job, const struct lp_host *h, unsigned timeout_ms,
                         struct judged *j)
{
  const char *sig = lp_signal_name(job->signal);
  char at[LP_OBJ_MAX + 80];

  memset(j, 0, sizeof(*j));
  where(at, sizeof(at), &job->obs);
  switch (job->status) {
  case LP_JOB_DONE:
    judge_done(job, h, j);
    return;
  case LP_JOB_TIMEOUT:
    j->verdict = LP_VERDICT_TIMEOUT;
    j->kind = LP_FINDING_PROBE_TIMEOUT;
    lp_fmt(j->detail, sizeof(j->detail), "no answer within %u ms; the probe was %s", timeout_ms,
           at);
    return;
  case LP_JOB_SIGNALED:
    j->verdict = lp_signal_is_sigsys(job->signal) ? LP_VERDICT_BLOCKED : LP_VERDICT_CRASHED;
    j->kind =
        lp_signal_is_sigsys(job->signal) ? LP_FINDING_KILLED_BY_SECCOMP : LP_FINDING_PROBE_CRASHED;
    lp_fmt(j->detail, sizeof(j->detail), "the probe died from %s %s", sig ? sig : "a signal", at);
    return;
  case LP_JOB_NO_RESULT:
    j->verdict = LP_VERDICT_FAILED;
    j->kind = LP_FINDING_PROBE_FAILED;
    lp_fmt(j->detail, sizeof(j->detail), "the probe exited with status %d without a result, %s",
           job->exit_code, at);
    return;
  case LP_JOB_NOT_STARTED:
    j->verdict = LP_VERDICT_FAILED;
    j->kind = LP_FINDING_RUNNER_FAILED;
    lp_fmt(j->detail, sizeof(j->detail), "could not start the probe: %s() failed with %s",
           job->start_call,
           lp_errno_name(job->start_err) ? lp_errno_name(job->start_err) : "an error");
    return;
  }
}

static int set_str(char **dst, const char *s)
{
  free(*dst);
  *dst = s && *s ? lp_strdup(s) : NULL;
  return s && *s && !*dst ? -1 : 0;
}

static int fill_cell(struct lp_cell *c, const struct lp_job *job, const struct judged *j)
{
  const struct lp_provider *ip = interposed_provider(&job->obs);
  const char *provider = ip                    ? ip->object
                         : job->obs.nproviders ? job->obs.providers[0].object
                                               : NULL;
  int failed = job->status == LP_JOB_DONE && job->obs.status == LP_OBS_FAILED;

  c->verdict = j->verdict;
  c->elapsed_us = job->elapsed_us;
  if (set_str(&c->detail, j->detail) < 0 ||
      set_str(&c->err_name, failed ? job->obs.err_name : NULL) < 0 ||
      set_str(&c->signal_name,
              job->status == LP_JOB_SIGNALED ? lp_signal_name(job->signal) : NULL) < 0 ||
      set_str(&c->provider, provider) < 0)
    return -1;
  if (!c->detail)
    c->detail = lp_strdup("");
  return c->detail ? 0 : -1;
}

/* --- findings --- */

static const char *hint_for(enum lp_finding_kind kind)
{
  switch (kind) {
  case LP_FINDING_INTERPOSED:
    return "Nothing is broken. If the wrapper is not meant to be there, remove it from "
           "LD_PRELOAD or /etc/ld.so.preload.";
  case LP_FINDING_HIDDEN_BY_WRAPPER:
    return "Remove the wrapper from LD_PRELOAD or /etc/ld.so.preload, or fix it so that it "
           "forwards the call; the kernel mechanism itself works.";
  case LP_FINDING_BLOCKED_BY_SECCOMP:
    return "Allow the system call in the seccomp profile (Docker: --security-opt seccomp=PROFILE; "
           "Kubernetes: securityContext.seccompProfile), or use a mechanism that is allowed.";
  case LP_FINDING_KILLED_BY_SECCOMP:
    return "Make the seccomp profile answer this call with an errno (SCMP_ACT_ERRNO) instead of "
           "killing, so that libraries can fall back, or allow the call.";
  case LP_FINDING_MISSING_IN_KERNEL:
    return "Use a kernel that provides the mechanism, or rely on one the matrix shows as ok.";
  case LP_FINDING_PROBE_TIMEOUT:
    return "Something made the call block: check the object named in the evidence; rerun with a "
           "larger --timeout if the machine is only very slow.";
  case LP_FINDING_PROBE_CRASHED:
    return "Run the cell with --no-isolate under a debugger (loopprobe --only CELL --no-isolate) "
           "to see the crash; check the object named in the evidence.";
  case LP_FINDING_TIMEOUT_DISTORTED:
    return "A wrapper rescales time (libfaketime with a speed factor does), or the machine is "
           "overloaded; remove the wrapper or rerun on an idle machine.";
  case LP_FINDING_EVENT_MISBEHAVED:
    return "Do not rely on this mechanism here: event loops on it may spin or stall. Check the "
           "emulation layer or kernel named in the evidence.";
  case LP_FINDING_NOT_BUILT:
    return "Install the missing development package and rebuild loopprobe (make run does both).";
  case LP_FINDING_HOST_FACTS_DEGRADED:
    return "Mount /proc (or run outside the sandbox) for complete evidence.";
  case LP_FINDING_RUNNER_FAILED:
    return "Raise the limits (ulimit -n, ulimit -u) or free resources, then rerun.";
  case LP_FINDING_PROBE_FAILED:
  case LP_FINDING_COUNT:
    break;
  }
  return "Look at the failing call and errno in the evidence; rerun the cell with --no-isolate "
         "to debug it.";
}

static int add_provider_evidence(struct lp_finding *f, const struct lp_obs *o, int only_interposed)
{
  unsigned i;

  for (i = 0; i < o->nproviders; i++) {
    const struct lp_provider *p = &o->providers[i];
    if (only_interposed && !p->interposed)
      continue;
    if (p->interposed && lp_strv_addf(&f->evidence, "%s() is served by %s instead of %s",
                                      p->function, p->object, p->home) < 0)
      return -1;
    if (!p->interposed && lp_strv_addf(&f->evidence, "%s() is served by %s", p->function,
                                       p->object[0] ? p->object : "nothing (unresolved)") < 0)
      return -1;
  }
  return 0;
}

static int add_loader_evidence(struct lp_finding *f, const struct lp_host *h)
{
  size_t i;

  for (i = 0; i < h->preload.n; i++)
    if (lp_strv_addf(&f->evidence, "LD_PRELOAD contains %s", h->preload.v[i]) < 0)
      return -1;
  for (i = 0; i < h->ld_so_preload.n; i++)
    if (lp_strv_addf(&f->evidence, "/etc/ld.so.preload contains %s", h->ld_so_preload.v[i]) < 0)
      return -1;
  return 0;
}

static int add_host_evidence(struct lp_finding *f, const struct lp_host *h, enum lp_finding_kind k)
{
  if ((k == LP_FINDING_BLOCKED_BY_SECCOMP || k == LP_FINDING_KILLED_BY_SECCOMP ||
       k == LP_FINDING_MISSING_IN_KERNEL) &&
      h->seccomp_mode >= 0 &&
      lp_strv_addf(&f->evidence, "seccomp mode %d with %d filter(s) (/proc/self/status)",
                   h->seccomp_mode, h->seccomp_filters) < 0)
    return -1;
  if (h->tracer_pid > 0 &&
      lp_strv_addf(&f->evidence, "a tracer is attached: pid %ld (%s); it may inject failures",
                   h->tracer_pid, h->tracer_name ? h->tracer_name : "name unknown") < 0)
    return -1;
  return 0;
}

/* "epoll_wait()" or "epoll_wait() (served by ./libwrap.so)" for the call
   that failed, hung or crashed. */
static void call_phrase(char *buf, size_t size, const struct lp_obs *o, const char *call)
{
  const struct lp_provider *p = call[0] ? provider_of(o, call) : NULL;

  if (!call[0])
    lp_fmt(buf, size, "its first call");
  else if (p && p->interposed)
    lp_fmt(buf, size, "%s() (served by %s)", call, p->object);
  else
    lp_fmt(buf, size, "%s()", call);
}

static void write_summary(char *buf, size_t size, const struct lp_job *job, const struct judged *j)
{
  const char *m = lp_mechanism_name(job->mech), *l = lp_layer_name(job->layer);
  const struct lp_obs *o = &job->obs;
  const char *err = o->err_name[0] ? o->err_name : "an error";
  const char *sig = lp_signal_name(job->signal);
  char call[LP_OBJ_MAX + 64];

  call_phrase(call, sizeof(call), o, job->status == LP_JOB_DONE ? o->call : o->step);
  switch (j->kind) {
  case LP_FINDING_HIDDEN_BY_WRAPPER:
    lp_fmt(buf, size, "%s works at the syscall layer, but through the %s layer %s fails with %s.",
           m, l, call, err);
    return;
  case LP_FINDING_BLOCKED_BY_SECCOMP:
    lp_fmt(buf, size, "%s at %s is refused by a seccomp filter: %s fails with %s.", m, l, call,
           err);
    return;
  case LP_FINDING_KILLED_BY_SECCOMP:
    lp_fmt(buf, size, "%s at %s is refused by seccomp: the probe was killed by SIGSYS in %s.", m, l,
           call);
    return;
  case LP_FINDING_MISSING_IN_KERNEL:
    lp_fmt(buf, size, "%s at %s is not available here: %s fails with %s.", m, l, call, err);
    return;
  case LP_FINDING_PROBE_TIMEOUT:
    lp_fmt(buf, size, "%s at %s hangs: the probe was still in %s when its watchdog fired.", m, l,
           call);
    return;
  case LP_FINDING_PROBE_CRASHED:
    lp_fmt(buf, size, "%s at %s crashes: the probe died from %s in %s.", m, l,
           sig ? sig : "a signal", call);
    return;
  case LP_FINDING_TIMEOUT_DISTORTED:
    lp_fmt(buf, size, "%s at %s does not honour timeouts: %s.", m, l, j->detail);
    return;
  case LP_FINDING_EVENT_MISBEHAVED:
    lp_fmt(buf, size, "%s at %s misbehaves: %s.", m, l, j->detail);
    return;
  case LP_FINDING_RUNNER_FAILED:
    lp_fmt(buf, size, "loopprobe could not probe %s at %s: %s.", m, l, j->detail);
    return;
  default:
    lp_fmt(buf, size, "%s at %s fails: %s fails with %s.", m, l, call, err);
    return;
  }
}

static enum lp_severity severity_for(enum lp_finding_kind kind)
{
  return kind == LP_FINDING_MISSING_IN_KERNEL ? LP_SEVERITY_WARNING : LP_SEVERITY_ERROR;
}

static int explain(struct lp_report *r, const struct lp_job *job, const struct judged *j)
{
  char summary[LP_OBJ_MAX + 512], cell[48];
  struct lp_finding *f = NULL;

  write_summary(summary, sizeof(summary), job, j);
  f = lp_report_add_finding(r, severity_for(j->kind), j->kind, (int)job->mech, (int)job->layer,
                            summary, hint_for(j->kind));
  lp_cell_name(cell, sizeof(cell), (int)job->mech, (int)job->layer);
  if (!f || lp_strv_add(&f->cells, cell) < 0 ||
      lp_strv_addf(&f->evidence, "%s: %s", cell, j->detail) < 0 ||
      (job->output[0] && lp_strv_addf(&f->evidence, "the probe wrote: %s", job->output) < 0) ||
      add_provider_evidence(f, &job->obs, j->kind != LP_FINDING_HIDDEN_BY_WRAPPER) < 0 ||
      add_host_evidence(f, &r->host, j->kind) < 0)
    return -1;
  if (interposed_provider(&job->obs) && add_loader_evidence(f, &r->host) < 0)
    return -1;
  return 0;
}

static int explain_interposed(struct lp_report *r, const struct lp_job *job)
{
  const struct lp_provider *p = interposed_provider(&job->obs);
  char summary[LP_OBJ_MAX + 160], cell[48];
  struct lp_finding *f = NULL;

  lp_fmt(summary, sizeof(summary), "%s at %s works, but %s() is served by %s.",
         lp_mechanism_name(job->mech), lp_layer_name(job->layer), p->function, p->object);
  f = lp_report_add_finding(r, LP_SEVERITY_WARNING, LP_FINDING_INTERPOSED, (int)job->mech,
                            (int)job->layer, summary, hint_for(LP_FINDING_INTERPOSED));
  lp_cell_name(cell, sizeof(cell), (int)job->mech, (int)job->layer);
  if (!f || lp_strv_add(&f->cells, cell) < 0 || add_provider_evidence(f, &job->obs, 1) < 0 ||
      add_loader_evidence(f, &r->host) < 0)
    return -1;
  return 0;
}

/* --- layers against each other --- */

static const struct lp_job *find_job(const struct lp_job *jobs, size_t n, enum lp_mechanism m,
                                     enum lp_layer l)
{
  size_t i;

  for (i = 0; i < n; i++)
    if (jobs[i].mech == m && jobs[i].layer == l)
      return &jobs[i];
  return NULL;
}

static void compare_layers(const struct lp_job *job, const struct lp_job *jobs, size_t n,
                           const struct judged *all, struct judged *j)
{
  const struct lp_job *below = NULL;

  if (job->layer != LP_LAYER_API || job->status != LP_JOB_DONE || j->verdict != LP_VERDICT_FAILED)
    return;
  below = find_job(jobs, n, job->mech, LP_LAYER_SYSCALL);
  if (!below || all[below - jobs].verdict != LP_VERDICT_OK || !interposed_provider(&job->obs))
    return;
  j->verdict = LP_VERDICT_HIDDEN;
  j->kind = LP_FINDING_HIDDEN_BY_WRAPPER;
}

/* --- cells not built in: one finding per reason --- */

static struct lp_finding *unbuilt_finding(struct lp_report *r, const char *why)
{
  char summary[200];
  size_t i;

  for (i = 0; i < r->nfindings; i++)
    if (r->findings[i].kind == LP_FINDING_NOT_BUILT &&
        strcmp(r->findings[i].evidence.v[0], why) == 0)
      return &r->findings[i];
  lp_fmt(summary, sizeof(summary), "Some cells of native mechanisms are not built in: %s.", why);
  return lp_report_add_finding(r, LP_SEVERITY_INFO, LP_FINDING_NOT_BUILT, -1, -1, summary,
                               hint_for(LP_FINDING_NOT_BUILT));
}

static int explain_unbuilt(struct lp_report *r)
{
  size_t i;

  for (i = 0; i < r->ncells; i++) {
    const struct lp_cell *c = &r->cells[i];
    struct lp_finding *f = NULL;
    char cell[48];
    if (c->verdict != LP_VERDICT_SKIPPED || !(lp_native_mechanisms() & LP_BIT(c->mech)) ||
        strncmp(c->detail, "built without", 13) != 0)
      continue;
    f = unbuilt_finding(r, c->detail);
    if (!f || (f->evidence.n == 0 && lp_strv_add(&f->evidence, c->detail) < 0))
      return -1;
    lp_cell_name(cell, sizeof(cell), (int)c->mech, (int)c->layer);
    if (lp_strv_add(&f->cells, cell) < 0)
      return -1;
  }
  return 0;
}

static int explain_host(struct lp_report *r)
{
  struct lp_finding *f = NULL;
  size_t i;

  if (r->host.notes.n == 0)
    return 0;
  f = lp_report_add_finding(r, LP_SEVERITY_WARNING, LP_FINDING_HOST_FACTS_DEGRADED, -1, -1,
                            "Some host facts could not be read; verdicts rest on less evidence.",
                            hint_for(LP_FINDING_HOST_FACTS_DEGRADED));
  if (!f)
    return -1;
  for (i = 0; i < r->host.notes.n; i++)
    if (lp_strv_add(&f->evidence, r->host.notes.v[i]) < 0)
      return -1;
  return 0;
}

static int needs_finding(const struct lp_job *job, const struct judged *j)
{
  if (!(lp_native_mechanisms() & LP_BIT(job->mech)))
    return 0;
  return j->verdict != LP_VERDICT_OK && j->verdict != LP_VERDICT_NA &&
         j->verdict != LP_VERDICT_SKIPPED;
}

int lp_classify(struct lp_report *r, const struct lp_job *jobs, size_t n, unsigned timeout_ms)
{
  struct judged *all = calloc(n ? n : 1, sizeof(*all));
  size_t i;
  int rc = -1;

  if (!all)
    return -1;
  for (i = 0; i < n; i++)
    cell_verdict(&jobs[i], &r->host, timeout_ms, &all[i]);
  for (i = 0; i < n; i++)
    compare_layers(&jobs[i], jobs, n, all, &all[i]);
  for (i = 0; i < n; i++) {
    struct lp_cell *c = lp_report_find_cell(r, jobs[i].mech, jobs[i].layer);
    if (!c || fill_cell(c, &jobs[i], &all[i]) < 0)
      goto out;
    if (needs_finding(&jobs[i], &all[i]) && explain(r, &jobs[i], &all[i]) < 0)
      goto out;
    if (all[i].verdict == LP_VERDICT_OK && interposed_provider(&jobs[i].obs) &&
        explain_interposed(r, &jobs[i]) < 0)
      goto out;
  }
  if (explain_unbuilt(r) < 0 || explain_host(r) < 0)
    goto out;
  rc = 0;
out:
  free(all);
  return rc;
}
