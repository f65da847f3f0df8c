/* SPDX-License-Identifier: MIT */
/*
 * classify.c - from observations to verdicts and findings.
 *
 * The passes, in order (lp_classify() at the end of this file):
 *  1. cell_verdict() judges each cell alone: how its child ended, what the
 *     probe saw, what its errno means on this host (EPERM and ENOSYS are
 *     ambiguous; the seccomp mode, the sysctl, a tracer and the probe's
 *     second opinions decide between a policy and a kernel that lacks the
 *     call), whether its waits kept time.
 *  2. lp_cls_libraries() (classify_libs.c) adds what the libraries' own
 *     describe jobs show: versions, environment overrides, compatibility
 *     layers, loops that cannot be created.
 *  3. compare_timing() holds waits against the C library's clock: one that
 *     runs at the wrong rate makes stretched waits degraded.
 *  4. compare_layers() judges each layer against the one beneath it: a
 *     failing API over a working system call is hidden; a cell that fails
 *     for the same policy reason as the layer beneath is explained by that
 *     layer's finding, once; a library broken by the api layer's wrapper
 *     joins the wrapper's finding.
 *  5. fill_cells() writes the verdicts into the report.
 *  6. explain_all() writes one finding per cause with the cells it
 *     explains (a distorted clock first), and a warning for each api cell
 *     that works through an interposed function; explain_unbuilt() and
 *     explain_host() add the cells not built in and the host facts that
 *     could not be read.
 * The words of every summary are in sentences.c; what decides each kind
 * and what to do about it, in loopprobe.h's finding table.
 */
#include "classify_int.h"

#include "../backends/registry.h"
#include "../loader/dynlib.h"
#include "../base/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* --- shared helpers --- */

int lp_cls_find(const struct lp_cls *c, enum lp_mechanism m, enum lp_layer l)
{
  size_t i;

  for (i = 0; i < c->n; i++)
    if (!c->jobs[i].describe && c->jobs[i].mech == m && c->jobs[i].layer == l)
      return (int)i;
  return -1;
}

const struct lp_provider *lp_interposed_provider(const struct lp_obs *o)
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

/* 1 when entry, as LD_PRELOAD or /etc/ld.so.preload names it, is object
   as the loader names it once loaded: the same path; or the same file name
   when the entry was searched for (no slash) or holds a token the loader
   expands ($LIB, $PLATFORM, $ORIGIN: faketime(1) preloads
   /usr/$LIB/faketime/libfaketime.so.1). */
static int same_object(const char *entry, const char *object)
{
  const char *eb = strrchr(entry, '/'), *ob = strrchr(object, '/');

  if (strcmp(entry, object) == 0)
    return 1;
  if (eb && !strchr(entry, '$'))
    return 0;
  return strcmp(eb ? eb + 1 : entry, ob ? ob + 1 : object) == 0;
}

static int in_list(const struct lp_strv *sv, const char *object)
{
  size_t i;

  for (i = 0; i < sv->n; i++)
    if (same_object(sv->v[i], object))
      return 1;
  return 0;
}

int lp_is_preloaded(const struct lp_host *h, const char *object)
{
  return in_list(&h->preload, object) || in_list(&h->ld_so_preload, object);
}

int lp_add_loader_evidence(struct lp_finding *f, const struct lp_host *h)
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

struct lp_finding *lp_cls_finding(struct lp_cls *c, enum lp_severity sev, enum lp_finding_kind kind,
                                  int mech, int layer, const char *summary)
{
  return lp_report_add_finding(c->r, sev, kind, mech, layer, summary, lp_finding_kind_hint(kind));
}

/* --- pass 1: each cell alone --- */

/* The step a child was in, as "in epoll_wait(), which X serves". */
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

static int is_err(const struct lp_obs *o, int e)
{
  return !o->err_win && o->err == e;
}

static int is_emfile(const struct lp_obs *o)
{
  return is_err(o, EMFILE) || is_err(o, ENFILE);
}

/* EMFILE or ENFILE, yet descriptors could be opened right after: the table
   was not full, so the error came from elsewhere (a tracer, a filter). */
static int phantom_emfile(const struct lp_obs *o)
{
  return is_emfile(o) && o->fd_room >= LP_FD_ROOM_WANT;
}

static void judge_descriptor_limit(const struct lp_obs *o, const struct lp_limits *lim,
                                   struct judged *j)
{
  char room[80] = "";

  if (o->fd_room == 0)
    lp_fmt(room, sizeof(room), ", and no descriptor could be opened right after");
  else if (o->fd_room > 0)
    lp_fmt(room, sizeof(room), ", and only %d could be opened right after", o->fd_room);
  lp_fmt(j->why, sizeof(j->why), "%s: the descriptor limit (ulimit -n) is %lld, hard limit %lld%s",
         is_err(o, EMFILE) ? "EMFILE" : "ENFILE (the whole system is out of descriptors)",
         lim->nofile_soft, lim->nofile_hard, room);
}

/* A limit that ran out, by the errno and call that show it. */
static int judge_resource(const struct lp_obs *o, const struct lp_host *h, struct judged *j)
{
  const struct lp_limits *lim = &h->limits;

  if (is_emfile(o) && !phantom_emfile(o))
    judge_descriptor_limit(o, lim, j);
  else if (is_err(o, ENOSPC) && strcmp(o->call, "epoll_ctl") == 0)
    lp_fmt(j->why, sizeof(j->why),
           "ENOSPC from epoll_ctl: fs.epoll.max_user_watches is %lld for this user",
           lim->epoll_max_user_watches);
  else if (is_err(o, EAGAIN) && strcmp(o->call, "io_setup") == 0)
    lp_fmt(j->why, sizeof(j->why), "EAGAIN from io_setup: fs.aio-max-nr is %lld, %lld in use",
           lim->aio_max_nr, lim->aio_nr);
  else if (is_err(o, ENOMEM) && strstr(o->call, "io_uring"))
    lp_fmt(j->why, sizeof(j->why),
           "ENOMEM: rings count against RLIMIT_MEMLOCK (%lld bytes) on kernels before 5.12",
           lim->memlock_soft);
  else
    return 0;
  j->verdict = LP_VERDICT_FAILED;
  j->kind = LP_FINDING_RESOURCE_LIMIT;
  return 1;
}

/* What the malformed call and the sibling said, as one clause.  absent:
   the call is judged missing (the kernel or an emulator has no such call),
   so a uniform answer means no implementation saw the arguments - not
   that something stood before the kernel. */
static void second_opinion_text(char *buf, size_t size, const struct lp_obs *o, int absent)
{
  const struct lp_check *m = &o->malformed, *s = &o->sibling;
  char sib[160] = "";

  if (s->call[0])
    lp_fmt(sib, sizeof(sib), "; %s %s", s->call,
           s->err ? (s->err_name[0] ? s->err_name : "fails") : "works");
  if (!m->call[0])
    lp_fmt(buf, size, "%s", sib[0] ? sib + 2 : "");
  else if (m->err == o->err && absent)
    lp_fmt(buf, size,
           "%s answers %s as well, where an implementation of the call would reject the "
           "arguments: none looked at them%s",
           m->call, o->err_name, sib);
  else if (m->err == o->err)
    lp_fmt(buf, size,
           "%s answers %s as well, where the kernel would reject the arguments: the "
           "call never reached the kernel%s",
           m->call, o->err_name, sib);
  else
    lp_fmt(buf, size, "%s answers %s: the kernel implements the call%s", m->call,
           m->err ? (m->err_name[0] ? m->err_name : "an error") : "success", sib);
}

/* ENOSYS from a layer that answers the system calls itself (qemu-user,
   gVisor, WSL1): the emulator lacks the call, whatever the kernel has. */
static void judge_emulator_enosys(const struct lp_host *h, const char *second, struct judged *j)
{
  j->verdict = LP_VERDICT_MISSING;
  j->kind = LP_FINDING_MISSING_IN_EMULATOR;
  lp_fmt(j->why, sizeof(j->why),
         "no seccomp filter and no tracer, but %s%s answers the system calls, and it answers "
         "ENOSYS for a call it does not implement, whether the kernel has it or not%s%s",
         h->emulator, h->emulator_translates ? ", a user-mode emulator," : "",
         second[0] ? "; " : "", second);
}

/* What a refused call's errno means here: EPERM and ENOSYS are ambiguous,
   so the host's policy facts and the probe's second opinions decide. */
static void judge_refusal(const struct lp_job *job, const struct lp_host *h, struct judged *j)
{
  const struct lp_obs *o = &job->obs;
  const struct lp_provider *p = provider_of(o, o->call);
  int uniform = o->malformed.call[0] && o->malformed.err == o->err;
  int absent = is_err(o, ENOSYS) && h->seccomp_mode != 2 && h->tracer_pid <= 0;
  int wrapped = p && p->interposed && !p->sanitizer;
  char second[300];

  second_opinion_text(second, sizeof(second), o, absent);
  if (job->mech == LP_MECH_IO_URING && is_err(o, EPERM) && h->io_uring_disabled >= 1) {
    j->verdict = LP_VERDICT_BLOCKED;
    j->kind = LP_FINDING_BLOCKED_BY_SYSCTL;
    lp_fmt(j->why, sizeof(j->why), "kernel.io_uring_disabled is %d (%s)", h->io_uring_disabled,
           h->io_uring_disabled >= 2 ? "no one may create rings"
                                     : "only CAP_SYS_ADMIN or kernel.io_uring_group");
  } else if (h->seccomp_mode == 2) {
    j->verdict = LP_VERDICT_BLOCKED;
    j->kind = LP_FINDING_BLOCKED_BY_SECCOMP;
    lp_fmt(j->why, sizeof(j->why), "a seccomp filter is installed (mode 2, %d filter%s)%s%s",
           h->seccomp_filters, h->seccomp_filters == 1 ? "" : "s", second[0] ? "; " : "", second);
  } else if (h->tracer_pid > 0) {
    j->verdict = LP_VERDICT_FAILED;
    j->kind = LP_FINDING_INJECTED_BY_TRACER;
    lp_fmt(j->why, sizeof(j->why),
           "no seccomp filter, but a tracer is attached (%s, pid %ld), "
           "and tracers inject errors (strace -e inject, rr)%s%s",
           h->tracer_name ? h->tracer_name : "name unknown", h->tracer_pid, second[0] ? "; " : "",
           second);
  } else if (absent && h->emulator) {
    judge_emulator_enosys(h, second, j);
  } else if (absent && wrapped) { /* a layer above the kernel: the wrapper may have answered */
    j->verdict = LP_VERDICT_MISSING;
    j->kind = LP_FINDING_MISSING_IN_KERNEL;
    lp_fmt(j->why, sizeof(j->why),
           "no seccomp filter, no tracer and no emulator, but %s() is served by %s, so the "
           "ENOSYS may be that object's and not the kernel's: the syscall layer's result tells "
           "them apart%s%s",
           p->function, p->object, second[0] ? "; " : "", second);
  } else if (absent) {
    j->verdict = LP_VERDICT_MISSING;
    j->kind = LP_FINDING_MISSING_IN_KERNEL;
    lp_fmt(j->why, sizeof(j->why),
           "no seccomp filter, no tracer and no emulator: ENOSYS comes from the kernel%s%s",
           second[0] ? "; " : "", second);
  } else if (uniform) {
    j->verdict = LP_VERDICT_BLOCKED;
    j->kind = LP_FINDING_BLOCKED_BY_POLICY;
    lp_fmt(j->why, sizeof(j->why), "no seccomp filter, no tracer, no sysctl: %s", second);
  }
}

/* An EMFILE with room in the descriptor table is a refusal in disguise:
   the same policy facts decide where it came from. */
static void judge_phantom_emfile(const struct lp_job *job, const struct lp_host *h,
                                 struct judged *j)
{
  char fact[160], rest[sizeof(j->why)];

  lp_fmt(fact, sizeof(fact),
         "%s, yet %d descriptors could be opened right after (ulimit -n is %lld): no "
         "descriptor limit was reached",
         job->obs.err_name, job->obs.fd_room, h->limits.nofile_soft);
  judge_refusal(job, h, j);
  lp_strlcpy(rest, j->why, sizeof(rest));
  lp_fmt(j->why, sizeof(j->why), "%s%s%s", fact, rest[0] ? "; " : "", rest);
}

static void judge_errno(const struct lp_job *job, const struct lp_host *h, struct judged *j)
{
  const struct lp_obs *o = &job->obs;

  lp_fmt(j->detail, sizeof(j->detail), "%s", o->detail);
  j->verdict = LP_VERDICT_FAILED;
  j->kind = LP_FINDING_PROBE_FAILED;
  if (judge_resource(o, h, j))
    return;
  if (is_err(o, EPERM) || is_err(o, EACCES) || is_err(o, ENOSYS)) {
    judge_refusal(job, h, j);
    return;
  }
  if (phantom_emfile(o)) {
    judge_phantom_emfile(job, h, j);
    return;
  }
  if (is_err(o, EINVAL) && strcmp(o->call, "io_submit") == 0) {
    j->verdict = LP_VERDICT_MISSING;
    j->kind = h->emulator ? LP_FINDING_MISSING_IN_EMULATOR : LP_FINDING_MISSING_IN_KERNEL;
    lp_fmt(j->why, sizeof(j->why),
           "io_submit answers EINVAL to IOCB_CMD_POLL, which Linux has since 4.18%s%s%s",
           h->emulator ? ", under " : " (gVisor's AIO has no POLL either)",
           h->emulator ? h->emulator : "", h->emulator ? ", which answers the system calls" : "");
  }
}

int lp_waits_distorted(long long requested_us, long long shortest_us, long long granularity_us)
{
  if (requested_us <= 0)
    return 0;
  if ((shortest_us + granularity_us) * 1000 < requested_us * LP_WAIT_SHORT_PERMILLE)
    return 1;
  return shortest_us > requested_us * 4 + LP_WAIT_LONG_SLACK_US;
}

/* Waits that ended far from what was asked; a library whose timers are
   coarse may end early by its granularity and no more. */
static int wait_distorted(const struct lp_obs *o)
{
  return o->wait_samples > 0 &&
         lp_waits_distorted(o->wait_requested_us, o->wait_min_us, o->wait_granularity_us);
}

static void judge_ok(const struct lp_job *job, const struct lp_host *h, struct judged *j)
{
  const struct lp_obs *o = &job->obs;
  int kernel_layer = job->layer == LP_LAYER_SYSCALL || job->layer == LP_LAYER_API;

  j->verdict = LP_VERDICT_OK;
  if (o->emulated_by[0] || (h->emulator && !h->emulator_translates && kernel_layer)) {
    j->verdict = LP_VERDICT_EMULATED;
    j->kind = LP_FINDING_EMULATED;
    lp_fmt(j->detail, sizeof(j->detail), "%s; provided by %s", o->detail,
           o->emulated_by[0] ? o->emulated_by : h->emulator);
    if (o->emulated_by[0] && o->nproviders)
      lp_fmt(j->why, sizeof(j->why), "%s() is served by %s, a user-space shim, not by the platform",
             o->providers[0].function, o->providers[0].object);
  } else if (wait_distorted(o)) {
    j->verdict = LP_VERDICT_DEGRADED;
    j->kind = LP_FINDING_TIMEOUT_DISTORTED;
    lp_fmt(j->detail, sizeof(j->detail), "waits of %.1f ms took %.2f to %.2f ms of real time",
           (double)o->wait_requested_us / 1000, (double)o->wait_min_us / 1000,
           (double)o->wait_max_us / 1000);
  }
}

static void judge_done(const struct lp_job *job, const struct lp_host *h, struct judged *j)
{
  const struct lp_obs *o = &job->obs;

  lp_fmt(j->detail, sizeof(j->detail), "%s", o->detail);
  switch (o->status) {
  case LP_OBS_OK:
    judge_ok(job, h, j);
    return;
  case LP_OBS_MISBEHAVED:
    j->verdict = (o->misbehaviour & LP_MIS_WRONG_BACKEND) ? LP_VERDICT_HIDDEN : LP_VERDICT_DEGRADED;
    j->kind = (o->misbehaviour & LP_MIS_WRONG_BACKEND) ? LP_FINDING_BACKEND_MISMATCH
                                                       : LP_FINDING_EVENT_MISBEHAVED;
    return;
  case LP_OBS_NA:
    j->verdict = LP_VERDICT_NA;
    return;
  case LP_OBS_MISSING:
    j->verdict = LP_VERDICT_MISSING;
    j->kind = job->layer == LP_LAYER_SYSCALL || job->layer == LP_LAYER_API
                  ? LP_FINDING_MISSING_IN_KERNEL
                  : LP_FINDING_MISSING_IN_LIBRARY;
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
  j->cause = LP_CAUSE_OWN;
  j->below = -1;
  j->finding = -1;
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
    if (job->exception) /* Windows: the code says more than the nearest signal */
      lp_fmt(j->detail, sizeof(j->detail), "the probe died from exception 0x%08lX%s%s%s %s",
             (unsigned long)job->exception, sig ? " (" : "", sig ? sig : "", sig ? ")" : "", at);
    else
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

/* --- pass 3: each layer against the ones beneath --- */

static int is_problem(enum lp_verdict v)
{
  return v != LP_VERDICT_OK && v != LP_VERDICT_NA && v != LP_VERDICT_SKIPPED;
}

/* Causes one finding explains for every layer above it. */
static int shared_cause(enum lp_finding_kind k)
{
  return k == LP_FINDING_BLOCKED_BY_SECCOMP || k == LP_FINDING_KILLED_BY_SECCOMP ||
         k == LP_FINDING_MISSING_IN_KERNEL || k == LP_FINDING_MISSING_IN_EMULATOR ||
         k == LP_FINDING_BLOCKED_BY_SYSCTL || k == LP_FINDING_BLOCKED_BY_POLICY ||
         k == LP_FINDING_INJECTED_BY_TRACER;
}

/* The lowest cell of m whose problem explains the layers above it. */
static int root_cause(const struct lp_cls *c, enum lp_mechanism m, enum lp_layer below)
{
  int l, i;

  for (l = 0; l < (int)below; l++) {
    i = lp_cls_find(c, m, (enum lp_layer)l);
    if (i >= 0 && is_problem(c->j[i].verdict) && shared_cause(c->j[i].kind) &&
        c->j[i].cause == LP_CAUSE_OWN)
      return i;
  }
  return -1;
}

/* 1 when the api cell's problem comes from a wrapper: it is hidden by one,
   or it hung or crashed inside a call that one serves. */
static int wrapper_caused(const struct lp_cls *c, int a)
{
  const struct lp_obs *o = &c->jobs[a].obs;
  const struct lp_provider *p = o->step[0] ? provider_of(o, o->step) : NULL;

  if (c->j[a].cause != LP_CAUSE_OWN)
    return 0;
  if (c->j[a].kind == LP_FINDING_HIDDEN_BY_WRAPPER)
    return 1;
  return (c->j[a].kind == LP_FINDING_PROBE_TIMEOUT || c->j[a].kind == LP_FINDING_PROBE_CRASHED) &&
         p && p->interposed;
}

/* The libraries call the same C library functions: a wrapper that breaks
   the api layer breaks them too, and one finding explains it. */
static int joins_wrapper(struct lp_cls *c, size_t i)
{
  struct judged *j = &c->j[i];
  int a;

  if (c->jobs[i].layer == LP_LAYER_SYSCALL || c->jobs[i].layer == LP_LAYER_API)
    return 0;
  a = lp_cls_find(c, c->jobs[i].mech, LP_LAYER_API);
  if (a < 0 || !wrapper_caused(c, a))
    return 0;
  if (c->j[a].kind == LP_FINDING_HIDDEN_BY_WRAPPER) {
    j->verdict = LP_VERDICT_HIDDEN;
    j->kind = LP_FINDING_HIDDEN_BY_WRAPPER;
  }
  j->cause = a;
  return 1;
}

static void compare_layers(struct lp_cls *c, size_t i)
{
  const struct lp_job *job = &c->jobs[i];
  const struct lp_provider *p = NULL;
  struct judged *j = &c->j[i];
  int below, root;

  if (job->describe || !is_problem(j->verdict) || j->cause != LP_CAUSE_OWN)
    return;
  root = root_cause(c, job->mech, job->layer);
  if (root >= 0 && (j->verdict == LP_VERDICT_FAILED || shared_cause(j->kind))) {
    j->verdict = c->j[root].verdict;
    j->kind = c->j[root].kind;
    j->cause = root;
    return;
  }
  if (joins_wrapper(c, i))
    return;
  j->below = root; /* e.g. a library that aborts where it could have failed */
  /* With the kernel working beneath it, an API that fails, looks missing
     or refused while a wrapper serves it was hidden by that wrapper. */
  if (job->layer != LP_LAYER_API || job->status != LP_JOB_DONE ||
      (j->verdict != LP_VERDICT_FAILED && j->verdict != LP_VERDICT_MISSING &&
       j->verdict != LP_VERDICT_BLOCKED))
    return;
  below = lp_cls_find(c, job->mech, LP_LAYER_SYSCALL);
  p = lp_interposed_provider(&job->obs);
  if (below >= 0 && c->j[below].verdict == LP_VERDICT_OK && p) {
    j->verdict = LP_VERDICT_HIDDEN;
    j->kind = LP_FINDING_HIDDEN_BY_WRAPPER;
    lp_fmt(j->why, sizeof(j->why),
           "%s works at the syscall layer, and %s() is served by %s instead of %s",
           lp_mechanism_name(job->mech), p->function, p->object,
           p->home[0] ? p->home : "its library");
  }
}

/* --- hangs and crashes with a preloaded object loaded into the probe --- */

/* The functions a time wrapper serves, from the host's time_wrappers lines
   ("clock_gettime() is served by X instead of Y"), as "clock_gettime() and
   nanosleep()"; empty when object serves none. */
static void time_functions(char *buf, size_t size, const struct lp_host *h, const char *object)
{
  struct lp_buf b;
  size_t i, n = 0;

  lp_buf_init(&b);
  for (i = 0; i < h->time_wrappers.n; i++) {
    const char *line = h->time_wrappers.v[i], *by = strstr(line, " is served by ");
    size_t olen = strlen(object);
    if (!by || strncmp(by + 14, object, olen) != 0 || by[14 + olen] != ' ')
      continue;
    lp_buf_printf(&b, "%s%.*s", n++ ? ", " : "", (int)(by - line), line);
  }
  lp_strlcpy(buf, b.data ? b.data : "", size);
  lp_buf_free(&b);
}

/* The first object of list a probe would have loaded that is not a
   sanitizer's runtime (which only watches the calls), or NULL. */
static const char *first_preloaded(const struct lp_strv *list)
{
  size_t i;

  for (i = 0; i < list->n; i++)
    if (!lp_sanitizer_runtime(list->v[i]))
      return list->v[i];
  return NULL;
}

/* The preloaded object to name for a probe that hung or crashed: the one
   serving the call it was in, else a preloaded time wrapper (as the loader
   names it), else - when fallback - the first preloaded object.  A
   sanitizer's runtime is never named. */
static const char *preload_suspect(const struct lp_host *h, const struct lp_obs *o, char *buf,
                                   size_t size, int fallback)
{
  const struct lp_provider *p = o->step[0] ? provider_of(o, o->step) : NULL;
  const char *first = NULL;
  size_t i;

  if (p && p->interposed && !p->sanitizer && lp_is_preloaded(h, p->object))
    return p->object;
  for (i = 0; i < h->time_wrappers.n; i++) {
    const char *by = strstr(h->time_wrappers.v[i], " is served by ");
    const char *end = by ? strstr(by + 14, " instead of ") : NULL;
    if (!end)
      continue;
    lp_fmt(buf, size, "%.*s", (int)(end - by - 14), by + 14);
    if (lp_is_preloaded(h, buf) && !lp_sanitizer_runtime(buf))
      return buf;
  }
  if (!fallback)
    return NULL;
  first = first_preloaded(&h->preload);
  return first ? first : first_preloaded(&h->ld_so_preload);
}

/* The lowest layer of m beneath l whose cell works, or -1. */
static int working_beneath(const struct lp_cls *c, enum lp_mechanism m, enum lp_layer l)
{
  int k, below;

  for (k = 0; k < (int)l; k++) {
    below = lp_cls_find(c, m, (enum lp_layer)k);
    if (below >= 0 && c->j[below].verdict == LP_VERDICT_OK)
      return k;
  }
  return -1;
}

/* A cell that hung or crashed while objects were preloaded into every
   probe names the likeliest one, says what it serves and whether the layer
   beneath works without going through it; the finding says to retry
   without it. */
static void blame_preload(struct lp_cls *c, size_t i)
{
  const struct lp_job *job = &c->jobs[i];
  struct judged *j = &c->j[i];
  const char *object = NULL;
  char fns[160], beneath[120] = "", wrapper[LP_OBJ_MAX];
  int ok;

  if (job->describe || j->cause != LP_CAUSE_OWN ||
      (j->kind != LP_FINDING_PROBE_TIMEOUT && j->kind != LP_FINDING_PROBE_CRASHED))
    return;
  /* closed standard descriptors name a library's crash better than an
     object that is merely preloaded (blame_stdio()) */
  object = preload_suspect(&c->r->host, &job->obs, wrapper, sizeof(wrapper),
                           !c->r->host.std_closed || job->layer == LP_LAYER_SYSCALL ||
                               job->layer == LP_LAYER_API);
  if (!object)
    return;
  lp_strlcpy(j->suspect, object, sizeof(j->suspect));
  time_functions(fns, sizeof(fns), &c->r->host, object);
  ok = working_beneath(c, job->mech, job->layer);
  if (ok >= 0)
    lp_fmt(beneath, sizeof(beneath), "; %s works at the %s layer beneath it",
           lp_mechanism_name(job->mech), lp_layer_name((enum lp_layer)ok));
  lp_fmt(j->why, sizeof(j->why), "%s is preloaded into every probe%s%s%s", object,
         fns[0] ? ", a time wrapper: it serves " : "", fns,
         fns[0] ? ", so a timer or timeout computed from the C library's clock may never come"
                : "");
  lp_strlcpy(j->why + strlen(j->why), beneath, sizeof(j->why) - strlen(j->why));
}

void lp_cls_stdio_words(char *buf, size_t size, unsigned closed)
{
  static const char *const names[] = {"input", "output", "error"};
  const char *which[3];
  char nums[3];
  unsigned i, n = 0;

  for (i = 0; i < 3; i++)
    if (closed & (1u << i)) {
      which[n] = names[i];
      nums[n++] = (char)('0' + i);
    }
  if (n == 0)
    lp_strlcpy(buf, "", size);
  else if (n == 1)
    lp_fmt(buf, size, "standard %s (descriptor %c)", which[0], nums[0]);
  else if (n == 2)
    lp_fmt(buf, size, "standard %s and %s (descriptors %c and %c)", which[0], which[1], nums[0],
           nums[1]);
  else
    lp_fmt(buf, size, "standard input, output and error (descriptors 0, 1 and 2)");
}

/* A library that hung or crashed in a process whose standard descriptors
   are not all open (a daemon started with them closed): its own
   descriptors take those numbers, and a library may take them for the
   terminal's - libuv asserts that it never closes one below 3. */
static void blame_stdio(struct lp_cls *c, size_t i)
{
  const struct lp_job *job = &c->jobs[i];
  struct judged *j = &c->j[i];
  unsigned closed = c->r->host.std_closed;

  if (job->describe || j->cause != LP_CAUSE_OWN || j->suspect[0] || !closed ||
      job->layer == LP_LAYER_SYSCALL || job->layer == LP_LAYER_API ||
      (j->kind != LP_FINDING_PROBE_TIMEOUT && j->kind != LP_FINDING_PROBE_CRASHED))
    return;
  lp_cls_stdio_words(j->stdio, sizeof(j->stdio), closed);
  lp_fmt(j->why, sizeof(j->why),
         "%s %s not open in this process, so the descriptors a library opens take %s: the "
         "library may take one of them for the terminal's, and libuv, for one, aborts when it "
         "closes a descriptor below 3",
         j->stdio, (closed & (closed - 1)) ? "are" : "is",
         (closed & (closed - 1)) ? "those numbers" : "that number");
}

/* 1 when the C library's clock ran at a clearly wrong rate during the run. */
static int clock_distorted(const struct lp_host *h)
{
  return h->libc_clock_rate > 0 && (h->libc_clock_rate <= 0.8 || h->libc_clock_rate >= 1.25);
}

/* A wrapper that stretches timeouts (libfaketime slower than real time)
   only shows against the clock: a wait may always end late on a loaded
   machine, so a long wait counts only when the C library's clock is known
   to run at the wrong rate - and, at the api layer, when a wrapper serves
   the calls (otherwise the wait goes straight to the kernel). */
static void compare_timing(struct lp_cls *c, size_t i)
{
  const struct lp_job *job = &c->jobs[i];
  const struct lp_obs *o = &job->obs;
  struct judged *j = &c->j[i];

  if (job->describe || job->layer == LP_LAYER_SYSCALL || j->verdict != LP_VERDICT_OK ||
      !clock_distorted(&c->r->host) || !o->wait_samples)
    return;
  if (job->layer == LP_LAYER_API && !lp_interposed_provider(o))
    return;
  /* The longest wait: a wrapper may stretch one variant (poll) and not the
     other (ppoll), and the clock already says a wrapper is at work. */
  if (o->wait_max_us * 2 > o->wait_requested_us * 3) {
    j->verdict = LP_VERDICT_DEGRADED;
    j->kind = LP_FINDING_TIMEOUT_DISTORTED;
    lp_fmt(j->detail, sizeof(j->detail),
           "waits of %.1f ms took %.2f to %.2f ms while the C library's clock ran at %.2f x",
           (double)o->wait_requested_us / 1000, (double)o->wait_min_us / 1000,
           (double)o->wait_max_us / 1000, c->r->host.libc_clock_rate);
  }
}

/* --- pass 4: findings --- */

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

/* The summary of the cell's finding, from the sentences of its kind. */
static void write_summary(char *buf, size_t size, const struct lp_job *job, const struct judged *j,
                          const struct lp_host *h)
{
  const struct lp_obs *o = &job->obs;
  const char *sig = lp_signal_name(job->signal);
  char call[LP_OBJ_MAX + 64];
  int reported = job->status == LP_JOB_DONE && o->status != LP_OBS_FAILED;
  const char *emulator = o->emulated_by[0] ? o->emulated_by : h->emulator ? h->emulator : "unknown";
  const char *const words[][2] = {
      {"mech", lp_mechanism_name(job->mech)},
      {"layer", lp_layer_name(job->layer)},
      {"call", call},
      {"err", o->err_name[0] ? o->err_name : "an error"},
      {"signal", sig ? sig : "a signal"},
      {"detail", j->detail},
      {"emulator", emulator},
      {"object", j->suspect},
      {"stdio", j->stdio},
      {NULL, NULL},
  };

  call_phrase(call, sizeof(call), o, job->status == LP_JOB_DONE ? o->call : o->step);
  lp_cls_sentence(buf, size, j->kind,
                  j->suspect[0] ? LP_SAY_PRELOADED
                  : j->stdio[0] ? LP_SAY_STDIO
                  : reported    ? LP_SAY_REPORTED
                                : LP_SAY_FAILED,
                  words);
}

int lp_add_provider_evidence(struct lp_finding *f, const struct lp_obs *o, int only_interposed)
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

static int add_host_evidence(struct lp_finding *f, const struct lp_host *h, enum lp_finding_kind k)
{
  size_t i;

  for (i = 0; (k == LP_FINDING_MISSING_IN_EMULATOR || k == LP_FINDING_EMULATED) &&
              i < h->emulator_evidence.n;
       i++)
    if (lp_strv_addf(&f->evidence, "%s: %s", h->emulator, h->emulator_evidence.v[i]) < 0)
      return -1;
  if (shared_cause(k) && h->seccomp_mode >= 0 &&
      lp_strv_addf(&f->evidence, "seccomp mode %d with %d filter(s) (/proc/self/status)",
                   h->seccomp_mode, h->seccomp_filters) < 0)
    return -1;
  if (h->tracer_pid > 0 &&
      lp_strv_addf(&f->evidence, "a tracer is attached: pid %ld (%s); it may inject failures",
                   h->tracer_pid, h->tracer_name ? h->tracer_name : "name unknown") < 0)
    return -1;
  return 0;
}

/* For a wait that kept bad time above the syscall layer: what the kernel
   did with the same request. */
static int timing_evidence(struct lp_cls *c, struct lp_finding *f, size_t i)
{
  const struct lp_job *job = &c->jobs[i];
  int k = lp_cls_find(c, job->mech, LP_LAYER_SYSCALL);
  const struct lp_obs *s = k >= 0 ? &c->jobs[k].obs : NULL;
  char line[200];

  if (c->j[i].kind != LP_FINDING_TIMEOUT_DISTORTED || job->layer == LP_LAYER_SYSCALL || !s ||
      !s->wait_samples)
    return 0;
  lp_fmt(line, sizeof(line), "%s@syscall waited %.2f to %.2f ms for the same %.1f ms",
         lp_mechanism_name(job->mech), (double)s->wait_min_us / 1000, (double)s->wait_max_us / 1000,
         (double)s->wait_requested_us / 1000);
  return lp_strv_has(&f->evidence, line) ? 0 : lp_strv_add(&f->evidence, line);
}

/* A library's message without its trailing newlines. */
static size_t trimmed_len(const char *s)
{
  size_t n = strlen(s);

  while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
    n--;
  return n;
}

/* What a shim runs over, one evidence line per fact the probe recorded. */
static int emulation_evidence(struct lp_finding *f, const struct lp_obs *o)
{
  const char *p = o->beneath, *nl = NULL;

  while (*p) {
    nl = strchr(p, '\n');
    if (lp_strv_addf(&f->evidence, "%.*s", (int)(nl ? (size_t)(nl - p) : strlen(p)), p) < 0)
      return -1;
    p = nl ? nl + 1 : p + strlen(p);
  }
  return 0;
}

static int cell_evidence(struct lp_finding *f, const struct lp_job *job, const struct judged *j)
{
  char cell[48];

  lp_cell_name(cell, sizeof(cell), (int)job->mech, (int)job->layer);
  if (lp_strv_add(&f->cells, cell) < 0 || lp_strv_addf(&f->evidence, "%s: %s", cell, j->detail) < 0)
    return -1;
  if (job->output[0] && lp_strv_addf(&f->evidence, "the %s probe wrote: %.*s", cell,
                                     (int)trimmed_len(job->output), job->output) < 0)
    return -1;
  return 0;
}

/* Returns the new finding's index, or -1 out of memory. */
static int explain(struct lp_cls *c, size_t i)
{
  const struct lp_job *job = &c->jobs[i];
  const struct judged *j = &c->j[i];
  char summary[LP_OBJ_MAX + 512];
  struct lp_finding *f = NULL;

  write_summary(summary, sizeof(summary), job, j, &c->r->host);
  f = lp_cls_finding(c, lp_cls_severity(j->kind), j->kind, (int)job->mech, (int)job->layer,
                     summary);
  if (f && j->below >= 0 &&
      lp_strv_addf(&f->evidence, "%s@%s is %s beneath it: %s",
                   lp_mechanism_name(c->jobs[j->below].mech),
                   lp_layer_name(c->jobs[j->below].layer), lp_verdict_name(c->j[j->below].verdict),
                   c->j[j->below].detail) < 0)
    return -1;
  if (!f || cell_evidence(f, job, j) < 0 ||
      (j->why[0] && lp_strv_addf(&f->evidence, "decided by: %s", j->why) < 0) ||
      timing_evidence(c, f, i) < 0 ||
      lp_add_provider_evidence(f, &job->obs,
                               j->kind != LP_FINDING_HIDDEN_BY_WRAPPER &&
                                   j->kind != LP_FINDING_EMULATED) < 0 ||
      (j->kind == LP_FINDING_EMULATED && emulation_evidence(f, &job->obs) < 0) ||
      add_host_evidence(f, &c->r->host, j->kind) < 0)
    return -1;
  if ((lp_interposed_provider(&job->obs) || j->suspect[0]) &&
      lp_add_loader_evidence(f, &c->r->host) < 0)
    return -1;
  return (int)c->r->nfindings - 1;
}

static int explain_interposed(struct lp_cls *c, const struct lp_job *job)
{
  const struct lp_provider *p = lp_interposed_provider(&job->obs);
  char summary[LP_OBJ_MAX + 160], cell[48], call[64];
  const char *const words[][2] = {{"mech", lp_mechanism_name(job->mech)},
                                  {"layer", lp_layer_name(job->layer)},
                                  {"call", call},
                                  {"object", p->object},
                                  {NULL, NULL}};
  struct lp_finding *f = NULL;

  lp_fmt(call, sizeof(call), "%s()", p->function);
  lp_cls_sentence(summary, sizeof(summary), LP_FINDING_INTERPOSED, LP_SAY_FAILED, words);
  f = lp_cls_finding(c, lp_cls_severity(LP_FINDING_INTERPOSED), LP_FINDING_INTERPOSED,
                     (int)job->mech, (int)job->layer, summary);
  lp_cell_name(cell, sizeof(cell), (int)job->mech, (int)job->layer);
  if (!f || lp_strv_add(&f->cells, cell) < 0 || lp_add_provider_evidence(f, &job->obs, 1) < 0 ||
      lp_add_loader_evidence(f, &c->r->host) < 0)
    return -1;
  return 0;
}

/* A cell whose problem another cell's finding explains joins that finding. */
static int join(struct lp_cls *c, size_t i, const int *finding_of)
{
  int k = finding_of[c->j[i].cause];

  if (k < 0)
    return 0;
  return cell_evidence(&c->r->findings[k], &c->jobs[i], &c->j[i]);
}

/* 1 when the cell reaches its mechanism through a shim (libkqueue): a
   mechanism foreign to the platform, there because the shim is. */
static int through_shim(const struct lp_job *job)
{
  const struct lp_backend *b = job->backend;

  return b && b->library && (b->library_layers & LP_BIT(job->layer)) && b->library->shim;
}

static int needs_finding(const struct lp_job *job, const struct judged *j)
{
  if (job->describe || !((lp_native_mechanisms() & LP_BIT(job->mech)) || through_shim(job)))
    return 0;
  return is_problem(j->verdict);
}

/* One finding for a clock that runs at the wrong rate; -1 when it does not
   (or out of memory: -2). */
static int explain_clock(struct lp_cls *c)
{
  const struct lp_host *h = &c->r->host;
  struct lp_finding *f = NULL;
  char summary[256], rate[16];
  const char *const words[][2] = {{"rate", rate}, {NULL, NULL}};
  size_t i;

  if (!clock_distorted(h))
    return -1;
  lp_fmt(rate, sizeof(rate), "%.2f", h->libc_clock_rate);
  lp_cls_sentence(summary, sizeof(summary), LP_FINDING_CLOCK_DISTORTED, LP_SAY_FAILED, words);
  f = lp_cls_finding(c, lp_cls_severity(LP_FINDING_CLOCK_DISTORTED), LP_FINDING_CLOCK_DISTORTED, -1,
                     -1, summary);
  if (!f || lp_strv_add(&f->evidence, "clock_gettime(CLOCK_MONOTONIC) through the C library, "
                                      "compared with the system call, over the whole run") < 0)
    return -2;
  for (i = 0; i < h->time_wrappers.n; i++)
    if (lp_strv_add(&f->evidence, h->time_wrappers.v[i]) < 0)
      return -2;
  for (i = 0; i < h->nenv; i++)
    if (strncmp(h->env[i].name, "FAKETIME", 8) == 0 &&
        lp_strv_addf(&f->evidence, "the environment has %s=%s", h->env[i].name, h->env[i].value) <
            0)
      return -2;
  return lp_add_loader_evidence(f, h) < 0 ? -2 : (int)c->r->nfindings - 1;
}

/* The finding a cell's problem joins instead of getting its own: the clock
   finding for a distorted wait above the syscall layer (or a library's
   hung wait), an earlier finding of the same limit.  -1 when there is none. */
static int group_of(const struct lp_cls *c, size_t i, int clock, const int *finding_of)
{
  enum lp_layer l = c->jobs[i].layer;
  size_t k;

  if (c->j[i].kind == LP_FINDING_TIMEOUT_DISTORTED && l != LP_LAYER_SYSCALL)
    return clock;
  /* A library computes its deadlines from that clock: it may wait forever. */
  if (c->j[i].kind == LP_FINDING_PROBE_TIMEOUT && l != LP_LAYER_SYSCALL && l != LP_LAYER_API)
    return clock;
  if (c->j[i].kind != LP_FINDING_RESOURCE_LIMIT)
    return -1;
  for (k = 0; k < i; k++)
    if (finding_of[k] >= 0 && c->j[k].kind == LP_FINDING_RESOURCE_LIMIT &&
        c->jobs[k].obs.err == c->jobs[i].obs.err)
      return finding_of[k];
  return -1;
}

/* Each cell of the report learns the finding that explains its problem:
   its own, the one it joined, or the library pass's. */
static void mark_findings(struct lp_cls *c, const int *finding_of)
{
  size_t i;

  for (i = 0; i < c->n; i++) {
    const struct judged *j = &c->j[i];
    struct lp_cell *cell = NULL;
    if (c->jobs[i].describe || !is_problem(j->verdict))
      continue;
    cell = lp_report_find_cell(c->r, c->jobs[i].mech, c->jobs[i].layer);
    if (!cell)
      continue;
    cell->finding = finding_of[i] >= 0 ? finding_of[i]
                    : j->cause >= 0    ? finding_of[j->cause]
                                       : j->finding;
  }
}

static int explain_all(struct lp_cls *c, int *finding_of)
{
  int clock = explain_clock(c), group;
  size_t i;

  if (clock == -2)
    return -1;
  for (i = 0; i < c->n; i++) {
    const struct lp_job *job = &c->jobs[i];
    int needs = needs_finding(job, &c->j[i]), own = needs && c->j[i].cause == LP_CAUSE_OWN;
    finding_of[i] = -1;
    group = own ? group_of(c, i, clock, finding_of) : -1;
    if (own && group >= 0) {
      finding_of[i] = group;
      if (cell_evidence(&c->r->findings[group], job, &c->j[i]) < 0 ||
          timing_evidence(c, &c->r->findings[group], i) < 0)
        return -1;
    } else if (own) {
      finding_of[i] = explain(c, i);
      if (finding_of[i] < 0)
        return -1;
    } else if (needs && c->j[i].cause >= 0 && join(c, i, finding_of) < 0)
      return -1;
    if (!job->describe && job->layer == LP_LAYER_API && c->j[i].verdict == LP_VERDICT_OK &&
        lp_interposed_provider(&job->obs) && explain_interposed(c, job) < 0)
      return -1;
  }
  mark_findings(c, finding_of);
  return 0;
}

/* --- cells not built in: one finding per reason --- */

static struct lp_finding *unbuilt_finding(struct lp_cls *c, const char *why)
{
  const char *const words[][2] = {{"detail", why}, {NULL, NULL}};
  char summary[200];
  size_t i;

  for (i = 0; i < c->r->nfindings; i++)
    if (c->r->findings[i].kind == LP_FINDING_NOT_BUILT &&
        strcmp(c->r->findings[i].evidence.v[0], why) == 0)
      return &c->r->findings[i];
  lp_cls_sentence(summary, sizeof(summary), LP_FINDING_NOT_BUILT, LP_SAY_REPORTED, words);
  return lp_cls_finding(c, lp_cls_severity(LP_FINDING_NOT_BUILT), LP_FINDING_NOT_BUILT, -1, -1,
                        summary);
}

static int explain_unbuilt(struct lp_cls *c)
{
  size_t i;

  for (i = 0; i < c->r->ncells; i++) {
    const struct lp_cell *cell = &c->r->cells[i];
    struct lp_finding *f = NULL;
    char name[48];
    if (cell->verdict != LP_VERDICT_SKIPPED || !(lp_native_mechanisms() & LP_BIT(cell->mech)) ||
        strncmp(cell->detail, "built without", 13) != 0)
      continue;
    f = unbuilt_finding(c, cell->detail);
    if (!f || (f->evidence.n == 0 && lp_strv_add(&f->evidence, cell->detail) < 0))
      return -1;
    lp_cell_name(name, sizeof(name), (int)cell->mech, (int)cell->layer);
    if (lp_strv_add(&f->cells, name) < 0)
      return -1;
  }
  return 0;
}

static int explain_host(struct lp_cls *c)
{
  const char *const words[][2] = {{NULL, NULL}};
  struct lp_finding *f = NULL;
  char summary[200];
  size_t i;

  if (c->r->host.notes.n == 0)
    return 0;
  lp_cls_sentence(summary, sizeof(summary), LP_FINDING_HOST_FACTS_DEGRADED, LP_SAY_REPORTED, words);
  f = lp_cls_finding(c, lp_cls_severity(LP_FINDING_HOST_FACTS_DEGRADED),
                     LP_FINDING_HOST_FACTS_DEGRADED, -1, -1, summary);
  if (!f)
    return -1;
  for (i = 0; i < c->r->host.notes.n; i++)
    if (lp_strv_add(&f->evidence, c->r->host.notes.v[i]) < 0)
      return -1;
  return 0;
}

/* --- the cells of the report --- */

static int set_str(char **dst, const char *s)
{
  free(*dst);
  return lp_strdup_optional(s, dst);
}

static int fill_cell(struct lp_cell *cell, const struct lp_job *job, const struct judged *j)
{
  const struct lp_provider *ip = lp_interposed_provider(&job->obs);
  const char *provider = ip                    ? ip->object
                         : job->obs.nproviders ? job->obs.providers[0].object
                                               : NULL;
  int failed = job->status == LP_JOB_DONE && job->obs.status == LP_OBS_FAILED;
  const char *sig = job->status == LP_JOB_SIGNALED ? lp_signal_name(job->signal) : NULL;

  cell->verdict = j->verdict;
  cell->elapsed_us = job->elapsed_us;
  if (set_str(&cell->detail, j->detail) < 0 ||
      set_str(&cell->err_name, failed ? job->obs.err_name : NULL) < 0 ||
      set_str(&cell->signal_name, sig) < 0 || set_str(&cell->provider, provider) < 0)
    return -1;
  if (!cell->detail)
    cell->detail = lp_strdup("");
  return cell->detail ? 0 : -1;
}

static int fill_cells(struct lp_cls *c)
{
  size_t i;

  for (i = 0; i < c->n; i++) {
    struct lp_cell *cell = NULL;
    if (c->jobs[i].describe)
      continue;
    cell = lp_report_find_cell(c->r, c->jobs[i].mech, c->jobs[i].layer);
    if (!cell || fill_cell(cell, &c->jobs[i], &c->j[i]) < 0)
      return -1;
  }
  return 0;
}

int lp_classify(struct lp_report *r, const struct lp_job *jobs, size_t n, unsigned timeout_ms)
{
  struct lp_cls c;
  int *finding_of = calloc(n ? n : 1, sizeof(*finding_of));
  size_t i;
  int rc = -1;

  c.r = r;
  c.jobs = jobs;
  c.n = n;
  c.timeout_ms = timeout_ms;
  c.j = calloc(n ? n : 1, sizeof(*c.j));
  if (!c.j || !finding_of)
    goto out;
  for (i = 0; i < n; i++)
    cell_verdict(&jobs[i], &r->host, timeout_ms, &c.j[i]);
  if (lp_cls_libraries(&c) < 0)
    goto out;
  for (i = 0; i < n; i++)
    compare_timing(&c, i);
  for (i = 0; i < n; i++)
    compare_layers(&c, i);
  for (i = 0; i < n; i++) {
    blame_preload(&c, i);
    blame_stdio(&c, i);
  }
  if (fill_cells(&c) < 0 || explain_all(&c, finding_of) < 0 || explain_unbuilt(&c) < 0 ||
      explain_host(&c) < 0)
    goto out;
  rc = 0;
out:
  free(finding_of);
  free(c.j);
  return rc;
}

/* --- a cell a binding probed itself (lp_report_judge_failure) --- */

static int finding_with_cell(const struct lp_report *r, const char *cell)
{
  size_t i;

  for (i = 0; i < r->nfindings; i++)
    if (lp_strv_has(&r->findings[i].cells, cell))
      return (int)i;
  return -1;
}

/* The finding of a kernel layer beneath (m, l) whose cause explains every
   layer above it - a policy, a kernel that lacks the call, a tracer, or a
   wrapper of the C library serving the api layer - and that layer's
   verdict; -1 when there is none. */
static int cause_beneath(const struct lp_report *r, enum lp_mechanism m, enum lp_layer l,
                         enum lp_verdict *v)
{
  static const enum lp_layer kernel[] = {LP_LAYER_SYSCALL, LP_LAYER_API};
  char cell[48];
  size_t i;
  int k;

  for (i = 0; i < LP_ARRAY_LEN(kernel) && kernel[i] < l; i++) {
    lp_cell_name(cell, sizeof(cell), (int)m, (int)kernel[i]);
    k = finding_with_cell(r, cell);
    if (k < 0 ||
        !(shared_cause(r->findings[k].kind) ||
          (kernel[i] == LP_LAYER_API && r->findings[k].kind == LP_FINDING_HIDDEN_BY_WRAPPER)))
      continue;
    *v = lp_report_verdict(r, m, kernel[i]);
    return k;
  }
  return -1;
}

/* The binding's cell as a job of the classifier: a call that failed. */
static void failed_job(struct lp_job *job, enum lp_mechanism m, enum lp_layer l, const char *call,
                       const char *errno_name, const char *detail)
{
  memset(job, 0, sizeof(*job));
  job->mech = m;
  job->layer = l;
  job->status = LP_JOB_DONE;
  lp_obs_init(&job->obs);
  lp_obs_fail(&job->obs, call, lp_errno_value(errno_name));
  if (errno_name && !job->obs.err_name[0])
    lp_strlcpy(job->obs.err_name, errno_name, sizeof(job->obs.err_name));
  lp_strlcpy(job->obs.detail, detail, sizeof(job->obs.detail));
}

/* A finding of its own for the binding's cell, as explain() writes one. */
static int own_finding(struct lp_report *r, const struct lp_job *job, const struct judged *j)
{
  char summary[LP_OBJ_MAX + 512];
  struct lp_finding *f = NULL;

  write_summary(summary, sizeof(summary), job, j, &r->host);
  f = lp_report_add_finding(r, lp_cls_severity(j->kind), j->kind, (int)job->mech, (int)job->layer,
                            summary, lp_finding_kind_hint(j->kind));
  if (!f || cell_evidence(f, job, j) < 0 ||
      (j->why[0] && lp_strv_addf(&f->evidence, "decided by: %s", j->why) < 0) ||
      add_host_evidence(f, &r->host, j->kind) < 0)
    return -1;
  return (int)r->nfindings - 1;
}

/* Judges the binding's cell job against r's layers beneath: it joins the
   finding of a cause beneath that explains it, or gets its own. */
static int judge_binding_cell(struct lp_report *r, const struct lp_job *job, unsigned timeout_ms,
                              const char *errno_name, const char *provider, long long elapsed_us,
                              enum lp_verdict *verdict)
{
  struct judged j;
  enum lp_verdict below = LP_VERDICT_FAILED;
  int k = -1;

  cell_verdict(job, &r->host, timeout_ms, &j);
  k = cause_beneath(r, job->mech, job->layer, &below);
  if (k >= 0 && (j.verdict == LP_VERDICT_FAILED || shared_cause(j.kind))) {
    j.verdict = below;
    if (cell_evidence(&r->findings[k], job, &j) < 0)
      k = -1;
  } else
    k = own_finding(r, job, &j);
  if (k >= 0 && lp_report_set_cell(r, job->mech, job->layer, j.verdict, j.detail, errno_name,
                                   provider, elapsed_us) < 0)
    k = -1;
  if (k >= 0)
    lp_report_find_cell(r, job->mech, job->layer)->finding = k;
  if (k >= 0 && verdict)
    *verdict = j.verdict;
  return k;
}

int lp_report_judge_failure(struct lp_report *r, enum lp_mechanism m, enum lp_layer l,
                            const char *call, const char *errno_name, const char *detail,
                            const char *provider, long long elapsed_us, enum lp_verdict *verdict)
{
  struct lp_job *job = NULL;
  int k;

  if (!r || (unsigned)m >= LP_MECH_COUNT || (unsigned)l >= LP_LAYER_COUNT || !call || !detail)
    return -1;
  job = malloc(sizeof(*job));
  if (!job)
    return -1;
  failed_job(job, m, l, call, errno_name, detail);
  k = judge_binding_cell(r, job, 0, errno_name, provider, elapsed_us, verdict);
  free(job);
  return k;
}

int lp_report_judge_end(struct lp_report *r, enum lp_mechanism m, enum lp_layer l, const char *step,
                        int signal, unsigned timeout_ms, const char *provider, long long elapsed_us,
                        enum lp_verdict *verdict)
{
  struct lp_job *job = NULL;
  int k;

  if (!r || (unsigned)m >= LP_MECH_COUNT || (unsigned)l >= LP_LAYER_COUNT || !step || signal < 0)
    return -1;
  job = calloc(1, sizeof(*job));
  if (!job)
    return -1;
  job->mech = m;
  job->layer = l;
  job->status = signal > 0 ? LP_JOB_SIGNALED : LP_JOB_TIMEOUT;
  job->signal = signal;
  lp_obs_init(&job->obs);
  lp_strlcpy(job->obs.step, step, sizeof(job->obs.step));
  k = judge_binding_cell(r, job, timeout_ms, NULL, provider, elapsed_us, verdict);
  free(job);
  return k;
}
