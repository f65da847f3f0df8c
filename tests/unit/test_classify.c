/* SPDX-License-Identifier: MIT */
/*
 * test_classify.c - the classifier, fed with observations as probes and
 * the runner record them, and the exit status they add up to.  (The
 * observations are built here; the scenario tests produce the same ones
 * for real with preloaded wrappers.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "classify/classify.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#define MAXJ 8

struct fixture {
  struct lp_report *r;
  struct lp_job jobs[MAXJ];
  size_t n;
};

static struct lp_job *add_job(struct fixture *fx, enum lp_mechanism m, enum lp_layer l)
{
  struct lp_job *j = &fx->jobs[fx->n++];

  memset(j, 0, sizeof(*j));
  j->mech = m;
  j->layer = l;
  j->status = LP_JOB_DONE;
  j->elapsed_us = 1000;
  lp_obs_init(&j->obs);
  lp_strlcpy(j->obs.detail, "round trip", sizeof(j->obs.detail));
  assert_non_null(lp_report_add_cell(fx->r, m, l, LP_VERDICT_SKIPPED, ""));
  return j;
}

static void provider(struct lp_job *j, const char *fn, const char *object, int interposed)
{
  struct lp_provider *p = &j->obs.providers[j->obs.nproviders++];

  lp_strlcpy(p->function, fn, sizeof(p->function));
  lp_strlcpy(p->object, object, sizeof(p->object));
  lp_strlcpy(p->home, "/lib/libc.so.6", sizeof(p->home));
  p->interposed = (unsigned char)interposed;
  p->sanitizer = (unsigned char)(interposed && lp_sanitizer_runtime(object)); /* as provenance */
}

static void failed(struct lp_job *j, const char *call, int err)
{
  lp_obs_fail(&j->obs, call, err);
}

static int setup(void **state)
{
  static struct fixture fx;

  memset(&fx, 0, sizeof(fx));
  fx.r = lp_report_new(); /* zeroed: no seccomp filter, no tracer */
  if (!fx.r)
    return -1;
  fx.r->host.io_uring_disabled = -1;
  *state = &fx;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *fx = *state;

  lp_report_free(fx->r);
  return 0;
}

static void classify(struct fixture *fx)
{
  assert_int_equal(lp_classify(fx->r, fx->jobs, fx->n, 2000), 0);
  lp_report_settle(fx->r);
}

static enum lp_verdict verdict(struct fixture *fx, enum lp_mechanism m, enum lp_layer l)
{
  return lp_report_verdict(fx->r, m, l);
}

static const struct lp_finding *finding(struct fixture *fx, enum lp_finding_kind kind)
{
  size_t i;

  for (i = 0; i < fx->r->nfindings; i++)
    if (fx->r->findings[i].kind == kind)
      return &fx->r->findings[i];
  return NULL;
}

static int mentions(const struct lp_finding *f, const char *text)
{
  size_t i;

  if (strstr(f->summary, text))
    return 1;
  for (i = 0; i < f->evidence.n; i++)
    if (strstr(f->evidence.v[i], text))
      return 1;
  return 0;
}

static void test_all_ok(void **state)
{
  struct fixture *fx = *state;

  add_job(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL);
  provider(add_job(fx, LP_MECH_EPOLL, LP_LAYER_API), "epoll_wait", "/lib/libc.so.6", 0);
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL), LP_VERDICT_OK);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_API), LP_VERDICT_OK);
  assert_int_equal(fx->r->nfindings, 0);
  assert_int_equal(fx->r->exit_code, 0);
  assert_string_equal(lp_report_find_cell(fx->r, LP_MECH_EPOLL, LP_LAYER_API)->provider,
                      "/lib/libc.so.6");
}

static void test_wrapper_hides_api(void **state)
{
  struct fixture *fx = *state;
  struct lp_job *api;
  const struct lp_finding *f;

  add_job(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL);
  api = add_job(fx, LP_MECH_EPOLL, LP_LAYER_API);
  provider(api, "epoll_create1", "/lib/libc.so.6", 0);
  provider(api, "epoll_wait", "./libwrap.so", 1);
  failed(api, "epoll_wait", EIO);
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_API), LP_VERDICT_HIDDEN);
  f = finding(fx, LP_FINDING_HIDDEN_BY_WRAPPER);
  assert_non_null(f);
  assert_int_equal(f->severity, LP_SEVERITY_ERROR);
  assert_string_equal(f->summary, "epoll works at the syscall layer, but through the api layer "
                                  "epoll_wait() (served by ./libwrap.so) fails with EIO.");
  assert_true(mentions(f, "epoll_wait() is served by ./libwrap.so instead of /lib/libc.so.6"));
  assert_string_equal(f->cells.v[0], "epoll@api");
  assert_string_equal(lp_report_find_cell(fx->r, LP_MECH_EPOLL, LP_LAYER_API)->err_name, "EIO");
  assert_string_equal(lp_report_find_cell(fx->r, LP_MECH_EPOLL, LP_LAYER_API)->provider,
                      "./libwrap.so");
  assert_int_equal(fx->r->exit_code, 1);
}

static void test_wrapper_breaks_libraries_too(void **state)
{
  struct fixture *fx = *state;
  struct lp_job *api, *lib;

  add_job(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL);
  api = add_job(fx, LP_MECH_EPOLL, LP_LAYER_API);
  provider(api, "epoll_wait", "./libwrap.so", 1);
  failed(api, "epoll_wait", EIO);
  lib = add_job(fx, LP_MECH_EPOLL, LP_LAYER_LIBUV);
  lib->status = LP_JOB_SIGNALED;
  lib->signal = SIGABRT;
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_LIBUV), LP_VERDICT_HIDDEN);
  assert_int_equal(fx->r->nfindings, 1);
  assert_int_equal(finding(fx, LP_FINDING_HIDDEN_BY_WRAPPER)->cells.n, 2);
  assert_true(mentions(finding(fx, LP_FINDING_HIDDEN_BY_WRAPPER),
                       "epoll@libuv: the probe died from SIGABRT before its first call"));
}

static void test_failure_without_wrapper_is_failed(void **state)
{
  struct fixture *fx = *state;

  add_job(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL);
  failed(add_job(fx, LP_MECH_EPOLL, LP_LAYER_API), "epoll_wait", EIO);
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_API), LP_VERDICT_FAILED);
  assert_non_null(finding(fx, LP_FINDING_PROBE_FAILED));
}

static void test_transparent_wrapper_warns(void **state)
{
  struct fixture *fx = *state;
  const struct lp_finding *f;

  add_job(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL);
  provider(add_job(fx, LP_MECH_EPOLL, LP_LAYER_API), "epoll_wait", "./libwrap.so", 1);
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_API), LP_VERDICT_OK);
  f = finding(fx, LP_FINDING_INTERPOSED);
  assert_non_null(f);
  assert_int_equal(f->severity, LP_SEVERITY_WARNING);
  assert_string_equal(f->summary,
                      "epoll at api works, but epoll_wait() is served by ./libwrap.so.");
  assert_int_equal(fx->r->exit_code, 0);
}

static void test_timeout_and_crash(void **state)
{
  struct fixture *fx = *state;
  struct lp_job *hang, *crash;
  const struct lp_finding *f;

  hang = add_job(fx, LP_MECH_EPOLL, LP_LAYER_API);
  hang->status = LP_JOB_TIMEOUT;
  provider(hang, "epoll_wait", "./libhang.so", 1);
  lp_strlcpy(hang->obs.step, "epoll_wait", sizeof(hang->obs.step));
  crash = add_job(fx, LP_MECH_SELECT, LP_LAYER_API);
  crash->status = LP_JOB_SIGNALED;
  crash->signal = SIGSEGV;
  lp_strlcpy(crash->obs.step, "select", sizeof(crash->obs.step));
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_API), LP_VERDICT_TIMEOUT);
  assert_int_equal(verdict(fx, LP_MECH_SELECT, LP_LAYER_API), LP_VERDICT_CRASHED);
  f = finding(fx, LP_FINDING_PROBE_TIMEOUT);
  assert_non_null(f);
  assert_string_equal(f->summary, "epoll at api hangs: the probe was still in epoll_wait() "
                                  "(served by ./libhang.so) when its watchdog fired.");
  f = finding(fx, LP_FINDING_PROBE_CRASHED);
  assert_non_null(f);
  assert_string_equal(f->summary,
                      "select at api crashes: the probe died from SIGSEGV in select().");
  assert_string_equal(lp_report_find_cell(fx->r, LP_MECH_SELECT, LP_LAYER_API)->signal_name,
                      "SIGSEGV");
  assert_int_equal(fx->r->exit_code, 1);
}

static void test_seccomp(void **state)
{
  struct fixture *fx = *state;
  struct lp_job *kill, *eperm;

  fx->r->host.seccomp_mode = 2;
  fx->r->host.seccomp_filters = 1;
  kill = add_job(fx, LP_MECH_IO_URING, LP_LAYER_SYSCALL);
  kill->status = LP_JOB_SIGNALED;
  kill->signal = SIGSYS;
  lp_strlcpy(kill->obs.step, "io_uring_setup", sizeof(kill->obs.step));
  eperm = add_job(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL);
  failed(eperm, "epoll_create1", EPERM);
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_IO_URING, LP_LAYER_SYSCALL), LP_VERDICT_BLOCKED);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL), LP_VERDICT_BLOCKED);
  assert_non_null(finding(fx, LP_FINDING_KILLED_BY_SECCOMP));
  assert_true(mentions(finding(fx, LP_FINDING_BLOCKED_BY_SECCOMP),
                       "seccomp mode 2 with 1 filter(s) (/proc/self/status)"));
}

static void test_errno_without_filter(void **state)
{
  struct fixture *fx = *state;

  failed(add_job(fx, LP_MECH_IO_URING, LP_LAYER_SYSCALL), "io_uring_setup", ENOSYS);
  failed(add_job(fx, LP_MECH_LINUXAIO, LP_LAYER_SYSCALL), "io_submit", EINVAL);
  failed(add_job(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL), "epoll_create1", EPERM);
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_IO_URING, LP_LAYER_SYSCALL), LP_VERDICT_MISSING);
  assert_int_equal(verdict(fx, LP_MECH_LINUXAIO, LP_LAYER_SYSCALL), LP_VERDICT_MISSING);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL), LP_VERDICT_FAILED);
  assert_int_equal(finding(fx, LP_FINDING_MISSING_IN_KERNEL)->severity, LP_SEVERITY_WARNING);
}

/* ENOSYS from a call a wrapper serves, the syscall layer not probed: the
   kernel is not named as the source, the wrapper is. */
static void test_enosys_through_wrapper(void **state)
{
  struct fixture *fx = *state;
  struct lp_job *api = add_job(fx, LP_MECH_EPOLL, LP_LAYER_API);

  failed(api, "epoll_create1", ENOSYS);
  provider(api, "epoll_create1", "/opt/libwrap.so", 1);
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_API), LP_VERDICT_MISSING);
  assert_true(mentions(finding(fx, LP_FINDING_MISSING_IN_KERNEL),
                       "decided by: no seccomp filter, no tracer and no emulator, but "
                       "epoll_create1() is served by /opt/libwrap.so, so the ENOSYS may be that "
                       "object's and not the kernel's: the syscall layer's result tells them "
                       "apart"));
  assert_false(mentions(finding(fx, LP_FINDING_MISSING_IN_KERNEL), "ENOSYS comes from the kernel"));
}

static void test_distorted_timeouts(void **state)
{
  struct fixture *fx = *state;
  struct lp_job *fast, *slow, *fine;

  fast = add_job(fx, LP_MECH_EPOLL, LP_LAYER_API);
  lp_obs_sample(&fast->obs, 3000, 40);
  lp_obs_sample(&fast->obs, 3000, 35);
  slow = add_job(fx, LP_MECH_POLL, LP_LAYER_API);
  lp_obs_sample(&slow->obs, 3000, 900000);
  fine = add_job(fx, LP_MECH_SELECT, LP_LAYER_API);
  lp_obs_sample(&fine->obs, 3000, 2999); /* 1 us of clock granularity is not distortion */
  lp_obs_sample(&fine->obs, 3000, 200000);
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_API), LP_VERDICT_DEGRADED);
  assert_int_equal(verdict(fx, LP_MECH_POLL, LP_LAYER_API), LP_VERDICT_DEGRADED);
  assert_int_equal(verdict(fx, LP_MECH_SELECT, LP_LAYER_API), LP_VERDICT_OK);
  assert_string_equal(lp_report_find_cell(fx->r, LP_MECH_EPOLL, LP_LAYER_API)->detail,
                      "waits of 3.0 ms took 0.04 to 0.04 ms of real time");
  assert_non_null(finding(fx, LP_FINDING_TIMEOUT_DISTORTED));
}

static void test_misbehaviour(void **state)
{
  struct fixture *fx = *state;
  struct lp_job *j = add_job(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL);

  lp_obs_misbehave(&j->obs, LP_MIS_REPEATED, "EPOLLET reported the same write twice");
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL), LP_VERDICT_DEGRADED);
  assert_string_equal(finding(fx, LP_FINDING_EVENT_MISBEHAVED)->summary,
                      "epoll at syscall misbehaves: EPOLLET reported the same write twice.");
}

static void test_runner_failure_is_exit_3(void **state)
{
  struct fixture *fx = *state;
  struct lp_job *j = add_job(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL);

  j->status = LP_JOB_NOT_STARTED;
  lp_strlcpy(j->start_call, "fork", sizeof(j->start_call));
  j->start_err = EAGAIN;
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL), LP_VERDICT_FAILED);
  assert_string_equal(finding(fx, LP_FINDING_RUNNER_FAILED)->summary,
                      "loopprobe could not probe epoll at syscall: could not start the probe: "
                      "fork() failed with EAGAIN.");
  assert_int_equal(fx->r->exit_code, 3);
}

static void test_no_result(void **state)
{
  struct fixture *fx = *state;
  struct lp_job *j;

  add_job(fx, LP_MECH_POLL, LP_LAYER_SYSCALL);
  j = add_job(fx, LP_MECH_POLL, LP_LAYER_API);
  provider(j, "poll", "./libwrap.so", 1); /* even with a wrapper: not "hidden" */
  j->status = LP_JOB_NO_RESULT;
  j->exit_code = 7;
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_POLL, LP_LAYER_API), LP_VERDICT_FAILED);
  assert_string_equal(lp_report_find_cell(fx->r, LP_MECH_POLL, LP_LAYER_API)->detail,
                      "the probe exited with status 7 without a result, before its first call");
}

static void test_foreign_mechanisms_have_no_findings(void **state)
{
  struct fixture *fx = *state;
  struct lp_job *j = add_job(fx, LP_MECH_KQUEUE, LP_LAYER_API);

  failed(j, "kqueue", ENOSYS);
  classify(fx);
  assert_int_equal(fx->r->nfindings, 0);
}

static void test_host_notes(void **state)
{
  struct fixture *fx = *state;

  lp_strv_add(&fx->r->host.notes, "/proc/self/status could not be read (ENOENT)");
  add_job(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL);
  classify(fx);
  assert_int_equal(finding(fx, LP_FINDING_HOST_FACTS_DEGRADED)->severity, LP_SEVERITY_WARNING);
  assert_int_equal(fx->r->exit_code, 0);
}

static void test_require(void **state)
{
  struct fixture *fx = *state;

  add_job(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL);
  failed(add_job(fx, LP_MECH_POLL, LP_LAYER_SYSCALL), "poll", EIO);
  fx->r->has_require = 1;
  assert_int_equal(lp_spec_parse("epoll", &fx->r->require, NULL, 0), 0);
  classify(fx);
  assert_int_equal(fx->r->exit_code, 0); /* the poll error is not required */
  assert_int_equal(lp_spec_parse("poll@syscall", &fx->r->require, NULL, 0), 0);
  lp_report_settle(fx->r);
  assert_int_equal(fx->r->exit_code, 1);
  assert_int_equal(fx->r->require_bad_m, LP_MECH_POLL);
  assert_int_equal(fx->r->require_bad_l, LP_LAYER_SYSCALL);
}

static void check(struct lp_check *c, const char *call, int err)
{
  lp_obs_check(c, call, err ? -err : 0);
}

static void test_sysctl(void **state)
{
  struct fixture *fx = *state;
  struct lp_job *j = add_job(fx, LP_MECH_IO_URING, LP_LAYER_SYSCALL);

  fx->r->host.io_uring_disabled = 2;
  failed(j, "io_uring_setup", EPERM);
  check(&j->obs.malformed, "io_uring_setup(params=NULL)", EPERM);
  failed(add_job(fx, LP_MECH_IO_URING, LP_LAYER_API), "io_uring_queue_init", EPERM);
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_IO_URING, LP_LAYER_SYSCALL), LP_VERDICT_BLOCKED);
  assert_int_equal(verdict(fx, LP_MECH_IO_URING, LP_LAYER_API), LP_VERDICT_BLOCKED);
  assert_true(mentions(finding(fx, LP_FINDING_BLOCKED_BY_SYSCTL),
                       "decided by: kernel.io_uring_disabled is 2 (no one may create rings)"));
  assert_int_equal(finding(fx, LP_FINDING_BLOCKED_BY_SYSCTL)->cells.n, 2);
}

static void test_policy_without_filter(void **state)
{
  struct fixture *fx = *state;
  struct lp_job *j = add_job(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL);

  failed(j, "epoll_create1", EACCES);
  check(&j->obs.malformed, "epoll_create1(flags=-1)", EACCES);
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL), LP_VERDICT_BLOCKED);
  assert_true(mentions(finding(fx, LP_FINDING_BLOCKED_BY_POLICY),
                       "no seccomp filter, no tracer, no sysctl: epoll_create1(flags=-1) answers "
                       "EACCES as well"));
}

static void test_kernel_checks_arguments(void **state)
{
  struct fixture *fx = *state;
  struct lp_job *j = add_job(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL);

  failed(j, "epoll_create1", EPERM); /* the kernel looked at the arguments: not a filter */
  check(&j->obs.malformed, "epoll_create1(flags=-1)", EINVAL);
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL), LP_VERDICT_FAILED);
}

static void test_tracer(void **state)
{
  struct fixture *fx = *state;
  struct lp_job *j = add_job(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL);
  const struct lp_finding *f;

  fx->r->host.tracer_pid = 4242;
  fx->r->host.tracer_name = lp_strdup("strace");
  failed(j, "epoll_create1", ENOSYS);
  check(&j->obs.malformed, "epoll_create1(flags=-1)", ENOSYS);
  check(&j->obs.sibling, "epoll_create(1)", 0);
  failed(add_job(fx, LP_MECH_EPOLL, LP_LAYER_API), "epoll_create1", ENOSYS);
  add_job(fx, LP_MECH_EPOLL, LP_LAYER_LIBEV);
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL), LP_VERDICT_FAILED);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_API), LP_VERDICT_FAILED);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_LIBEV), LP_VERDICT_OK);
  f = finding(fx, LP_FINDING_INJECTED_BY_TRACER);
  assert_non_null(f);
  assert_int_equal(f->cells.n, 2);
  assert_true(mentions(f, "a tracer is attached (strace, pid 4242)"));
  assert_true(mentions(f, "epoll_create(1) works"));
  assert_null(finding(fx, LP_FINDING_MISSING_IN_KERNEL));
}

static void test_limits_grouped(void **state)
{
  struct fixture *fx = *state;

  fx->r->host.limits.known = 1;
  fx->r->host.limits.nofile_soft = 7;
  fx->r->host.limits.nofile_hard = 7;
  failed(add_job(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL), "pipe", EMFILE);
  fx->jobs[0].obs.fd_room = 0; /* what a full table leaves */
  failed(add_job(fx, LP_MECH_POLL, LP_LAYER_API), "pipe", EMFILE);
  fx->jobs[1].obs.fd_room = 0;
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_POLL, LP_LAYER_API), LP_VERDICT_FAILED);
  assert_int_equal(fx->r->nfindings, 1);
  assert_int_equal(finding(fx, LP_FINDING_RESOURCE_LIMIT)->cells.n, 2);
  assert_true(mentions(finding(fx, LP_FINDING_RESOURCE_LIMIT),
                       "decided by: EMFILE: the descriptor limit (ulimit -n) is 7, hard limit 7, "
                       "and no descriptor could be opened right after"));
}

/* lp_obs_fail() measures the room left after an EMFILE; this process has
   plenty, so the EMFILE cannot be the descriptor limit's. */
static void test_emfile_with_room_is_no_limit(void **state)
{
  struct fixture *fx = *state;
  struct lp_job *j = add_job(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL);

  fx->r->host.limits.known = 1;
  fx->r->host.limits.nofile_soft = 1024;
  failed(j, "epoll_create1", EMFILE);
  assert_int_equal(j->obs.fd_room, LP_FD_ROOM_WANT);
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL), LP_VERDICT_FAILED);
  assert_null(finding(fx, LP_FINDING_RESOURCE_LIMIT));
  assert_non_null(finding(fx, LP_FINDING_PROBE_FAILED));
  assert_true(mentions(finding(fx, LP_FINDING_PROBE_FAILED),
                       "EMFILE, yet 16 descriptors could be opened right after (ulimit -n is "
                       "1024): no descriptor limit was reached"));
}

static void test_clock_gathers_waits(void **state)
{
  struct fixture *fx = *state;
  struct lp_job *sys, *api, *lib;
  const struct lp_finding *f;

  fx->r->host.libc_clock_rate = 10.0;
  lp_strv_add(&fx->r->host.time_wrappers, "clock_gettime() is served by libfaketime.so.1");
  sys = add_job(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL);
  lp_obs_sample(&sys->obs, 3000, 3050);
  api = add_job(fx, LP_MECH_EPOLL, LP_LAYER_API);
  lp_obs_sample(&api->obs, 3000, 10);
  lib = add_job(fx, LP_MECH_IO_URING, LP_LAYER_LIBEV);
  lib->status = LP_JOB_TIMEOUT;
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_API), LP_VERDICT_DEGRADED);
  assert_int_equal(verdict(fx, LP_MECH_IO_URING, LP_LAYER_LIBEV), LP_VERDICT_TIMEOUT);
  f = finding(fx, LP_FINDING_CLOCK_DISTORTED);
  assert_non_null(f);
  assert_string_equal(f->summary, "The C library's clock runs at 10.00 times the kernel's rate: a "
                                  "wrapper rescales time, so every timeout a program sets through "
                                  "the C library is off.");
  assert_int_equal(f->cells.n, 2);
  assert_true(mentions(f, "epoll@syscall waited 3.05 to 3.05 ms for the same 3.0 ms"));
  assert_true(mentions(f, "clock_gettime() is served by libfaketime.so.1"));
  assert_null(finding(fx, LP_FINDING_TIMEOUT_DISTORTED));
  assert_null(finding(fx, LP_FINDING_PROBE_TIMEOUT));
}

static void test_emulator(void **state)
{
  struct fixture *fx = *state;

  fx->r->host.emulator = lp_strdup("gVisor, a user-space kernel");
  add_job(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL);
  add_job(fx, LP_MECH_EPOLL, LP_LAYER_LIBEV);
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL), LP_VERDICT_EMULATED);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_LIBEV), LP_VERDICT_OK);
  assert_string_equal(finding(fx, LP_FINDING_EMULATED)->summary,
                      "epoll at syscall is emulated in user space: gVisor, a user-space kernel.");
  assert_int_equal(fx->r->exit_code, 0);
}

static void test_stretched_waits(void **state)
{
  struct fixture *fx = *state;
  struct lp_job *sys, *api, *plain, *lib;

  fx->r->host.libc_clock_rate = 0.5; /* libfaketime x0.5 */
  sys = add_job(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL);
  lp_obs_sample(&sys->obs, 3000, 3050);
  api = add_job(fx, LP_MECH_EPOLL, LP_LAYER_API);
  provider(api, "epoll_wait", "libfaketime.so.1", 1);
  lp_obs_sample(&api->obs, 3000, 6100);
  plain = add_job(fx, LP_MECH_POLL, LP_LAYER_API); /* no wrapper: a late wait is the machine */
  lp_obs_sample(&plain->obs, 3000, 6100);
  lp_obs_sample(&api->obs, 3000, 3050); /* one variant stretched is enough */
  lib = add_job(fx, LP_MECH_EPOLL, LP_LAYER_LIBEV);
  lp_obs_sample(&lib->obs, 3000, 6000);
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL), LP_VERDICT_OK);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_API), LP_VERDICT_DEGRADED);
  assert_int_equal(verdict(fx, LP_MECH_POLL, LP_LAYER_API), LP_VERDICT_OK);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_LIBEV), LP_VERDICT_DEGRADED);
  assert_string_equal(lp_report_find_cell(fx->r, LP_MECH_EPOLL, LP_LAYER_API)->detail,
                      "waits of 3.0 ms took 3.05 to 6.10 ms while the C library's clock ran at "
                      "0.50 x");
  assert_int_equal(finding(fx, LP_FINDING_CLOCK_DISTORTED)->cells.n, 2);
}

static void test_late_waits_alone_are_load(void **state)
{
  struct fixture *fx = *state;
  struct lp_job *sys, *api;

  sys = add_job(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL);
  lp_obs_sample(&sys->obs, 3000, 3050);
  api = add_job(fx, LP_MECH_EPOLL, LP_LAYER_API);
  provider(api, "epoll_wait", "libasan.so.8", 1);
  lp_obs_sample(&api->obs, 3000, 30000); /* a saturated machine, a clock that keeps time */
  fx->r->host.libc_clock_rate = 1.0;
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_API), LP_VERDICT_OK);
}

/* A library that crashes in a process whose standard input and output are
   closed: the descriptors are the named cause, ahead of an object merely
   preloaded (and never a sanitizer's runtime); the cell knows the finding
   that explains it. */
static void test_closed_stdio(void **state)
{
  struct fixture *fx = *state;
  struct lp_job *uv;
  const struct lp_cell *cell;
  const struct lp_finding *f;

  fx->r->host.std_closed = 3;
  assert_int_equal(lp_strv_add(&fx->r->host.preload, "/usr/lib/libasan.so.8"), 0);
  assert_int_equal(lp_strv_add(&fx->r->host.preload, "/opt/libquiet.so"), 0);
  add_job(fx, LP_MECH_EPOLL, LP_LAYER_SYSCALL);
  add_job(fx, LP_MECH_EPOLL, LP_LAYER_API);
  uv = add_job(fx, LP_MECH_EPOLL, LP_LAYER_LIBUV);
  uv->status = LP_JOB_SIGNALED;
  uv->signal = SIGABRT;
  lp_strlcpy(uv->obs.step, "uv_run", sizeof(uv->obs.step));
  classify(fx);
  assert_int_equal(verdict(fx, LP_MECH_EPOLL, LP_LAYER_LIBUV), LP_VERDICT_CRASHED);
  f = finding(fx, LP_FINDING_PROBE_CRASHED);
  assert_non_null(f);
  assert_string_equal(f->summary,
                      "epoll at libuv crashes with standard input and output (descriptors 0 and 1) "
                      "closed in this process: the probe died from SIGABRT in uv_run(). Open "
                      "/dev/null on descriptors 0 to 2 before starting.");
  assert_true(mentions(f, "decided by: standard input and output (descriptors 0 and 1) are not "
                          "open in this process"));
  cell = lp_report_find_cell(fx->r, LP_MECH_EPOLL, LP_LAYER_LIBUV);
  assert_ptr_equal(lp_report_cell_finding(fx->r, cell), f);
  assert_int_equal(lp_report_find_cell(fx->r, LP_MECH_EPOLL, LP_LAYER_API)->finding, -1);
}

/* The same crash with every descriptor open names the preloaded object to
   retry without - the first that is no sanitizer's runtime. */
static void test_crash_names_preload(void **state)
{
  struct fixture *fx = *state;
  struct lp_job *uv;
  const struct lp_finding *f;

  assert_int_equal(lp_strv_add(&fx->r->host.preload, "/usr/lib/libasan.so.8"), 0);
  assert_int_equal(lp_strv_add(&fx->r->host.preload, "/opt/libquiet.so"), 0);
  uv = add_job(fx, LP_MECH_EPOLL, LP_LAYER_LIBUV);
  uv->status = LP_JOB_SIGNALED;
  uv->signal = SIGABRT;
  lp_strlcpy(uv->obs.step, "uv_run", sizeof(uv->obs.step));
  classify(fx);
  f = finding(fx, LP_FINDING_PROBE_CRASHED);
  assert_non_null(f);
  assert_string_equal(f->summary, "epoll at libuv crashes with /opt/libquiet.so loaded into it by "
                                  "the dynamic loader: the probe died from SIGABRT in uv_run(). "
                                  "Retry without /opt/libquiet.so.");
}

/* The finding whose summary or evidence mentions text, or NULL. */
static const struct lp_finding *finding_mentioning(struct fixture *fx, const char *text)
{
  size_t i;

  for (i = 0; i < fx->r->nfindings; i++)
    if (mentions(&fx->r->findings[i], text))
      return &fx->r->findings[i];
  return NULL;
}

/* A library's describe job (a loop created as an ordinary program does),
   the library loaded from a file as the run finds it. */
static struct lp_job *add_describe(struct fixture *fx, enum lp_layer l, enum lp_job_status st)
{
  static const struct lp_libdesc desc = {.name = "libuv"};
  static const struct lp_backend libuv = {.name = "libuv", .library = &desc};
  struct lp_library *lib = lp_report_add_library(fx->r, "libuv");
  struct lp_job *j = &fx->jobs[fx->n++];

  assert_non_null(lib);
  lib->path = lp_strdup("/lib/x86_64-linux-gnu/libuv.so.1");
  lib->layer = (int)l;
  memset(j, 0, sizeof(*j));
  j->layer = l;
  j->backend = &libuv;
  j->describe = 1;
  j->status = st;
  lp_obs_init(&j->obs);
  return j;
}

/* A describe job cut off by the watchdog or never started observed
   nothing: no library-no-loop, but a finding that says what is unknown. */
static void test_describe_cut_off_is_no_evidence(void **state)
{
  struct fixture *fx = *state;
  const struct lp_finding *f = NULL;
  struct lp_job *j;

  add_job(fx, LP_MECH_EPOLL, LP_LAYER_LIBUV)->status = LP_JOB_TIMEOUT;
  j = add_describe(fx, LP_LAYER_LIBUV, LP_JOB_TIMEOUT);
  lp_strlcpy(j->obs.step, "uv_loop_init", sizeof(j->obs.step));
  classify(fx);
  assert_null(finding(fx, LP_FINDING_LIBRARY_NO_LOOP));
  assert_non_null(lp_report_find_cell(fx->r, LP_MECH_EPOLL, LP_LAYER_LIBUV));
  f = finding_mentioning(fx, "libuv's default loop was not observed: the attempt was still in "
                             "uv_loop_init() after 2000 ms.");
  assert_non_null(f);
  assert_int_equal(f->kind, LP_FINDING_PROBE_TIMEOUT);
  assert_int_equal(fx->r->exit_code, 1);
  teardown(state);
  setup(state);
  fx = *state;
  j = add_job(fx, LP_MECH_EPOLL, LP_LAYER_LIBUV);
  j->status = LP_JOB_NOT_STARTED;
  lp_strlcpy(j->start_call, "pipe", sizeof(j->start_call));
  j->start_err = EMFILE;
  j = add_describe(fx, LP_LAYER_LIBUV, LP_JOB_NOT_STARTED);
  lp_strlcpy(j->start_call, "pipe", sizeof(j->start_call));
  j->start_err = EMFILE;
  classify(fx);
  assert_null(finding(fx, LP_FINDING_LIBRARY_NO_LOOP));
  f = finding_mentioning(fx, "libuv's default loop was not observed: could not start the "
                             "probe: pipe() failed with EMFILE.");
  assert_non_null(f);
  assert_int_equal(f->kind, LP_FINDING_RUNNER_FAILED);
  assert_int_equal(fx->r->exit_code, 3);
}

/* One that died is evidence: the loop constructor crashed. */
static void test_describe_died_is_no_loop(void **state)
{
  struct fixture *fx = *state;

  add_job(fx, LP_MECH_EPOLL, LP_LAYER_LIBUV);
  add_describe(fx, LP_LAYER_LIBUV, LP_JOB_SIGNALED)->signal = SIGABRT;
  classify(fx);
  assert_non_null(finding(fx, LP_FINDING_LIBRARY_NO_LOOP));
  assert_string_equal(finding(fx, LP_FINDING_LIBRARY_NO_LOOP)->summary,
                      "libuv cannot create an event loop: the attempt died.");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
  const struct CMUnitTest tests[] = {
      T(test_all_ok),
      T(test_wrapper_hides_api),
      T(test_wrapper_breaks_libraries_too),
      T(test_failure_without_wrapper_is_failed),
      T(test_transparent_wrapper_warns),
      T(test_timeout_and_crash),
      T(test_seccomp),
      T(test_errno_without_filter),
      T(test_enosys_through_wrapper),
      T(test_distorted_timeouts),
      T(test_misbehaviour),
      T(test_runner_failure_is_exit_3),
      T(test_no_result),
      T(test_foreign_mechanisms_have_no_findings),
      T(test_host_notes),
      T(test_require),
      T(test_sysctl),
      T(test_policy_without_filter),
      T(test_kernel_checks_arguments),
      T(test_tracer),
      T(test_limits_grouped),
      T(test_emfile_with_room_is_no_limit),
      T(test_clock_gathers_waits),
      T(test_emulator),
      T(test_stretched_waits),
      T(test_late_waits_alone_are_load),
      T(test_closed_stdio),
      T(test_crash_names_preload),
      T(test_describe_cut_off_is_no_evidence),
      T(test_describe_died_is_no_loop),
  };
  return cmocka_run_group_tests_name("classify", tests, NULL, NULL);
}
