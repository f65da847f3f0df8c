/* SPDX-License-Identifier: MIT */
/*
 * test_api.c - the embedding API against the real library and the real
 * kernel: every return path of lp_check() (0, 1 for several reasons
 * including a real EMFILE, -1 for malformed SPECs), the reason's exact
 * text, truncation, repeated calls and calls from several threads without
 * a descriptor, thread or signal handler left behind, and the functions a
 * binding uses to add the cells of its own layer to a report.
 *
 *   lp_test_api            the tests that need nothing special
 *   lp_test_api preload    the tests run under LD_PRELOAD=libwrap_enosys.so
 *                          (tests/scenarios), which makes libc's
 *                          epoll_create1() fail with ENOSYS
 *   lp_test_api no-libuv   lp_check() where libuv cannot be loaded (run in
 *                          bwrap with /dev/null over libuv's file)
 */
#define _GNU_SOURCE
#include "loopprobe.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmocka.h>

/* "unknown mechanism 'X' in SPEC (mechanisms: epoll, poll, ...)", with the
   list from the tables, so that a mechanism or layer added there is
   expected here too. */
static const char *unknown(const char *what, const char *item)
{
  static char buf[512];
  size_t n;
  int i;

  n = (size_t)snprintf(buf, sizeof(buf), "unknown %s '%s' in SPEC (%ss: ", what, item, what);
  for (i = 0;; i++) {
    const char *name = strcmp(what, "layer") == 0 ? lp_layer_name((enum lp_layer)i)
                                                  : lp_mechanism_name((enum lp_mechanism)i);
    if (!name)
      break;
    n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? ", " : "", name);
  }
  snprintf(buf + n, sizeof(buf) - n, ")");
  return buf;
}

/* --- helpers --- */

/* Entries of a /proc directory, minus the descriptor reading it holds. */
static int count_dir(const char *path, int own)
{
  DIR *d = opendir(path);
  struct dirent *e = NULL;
  int n = 0;

  assert_non_null(d);
  while ((e = readdir(d)) != NULL)
    n += e->d_name[0] != '.';
  closedir(d);
  return n - own;
}

static int open_fds(void)
{
  return count_dir("/proc/self/fd", 1);
}

static int threads(void)
{
  return count_dir("/proc/self/task", 0);
}

static void check_is(const char *spec, int rc, const char *why)
{
  char buf[1024];

  memset(buf, 'x', sizeof(buf));
  assert_int_equal(lp_check(spec, buf, sizeof(buf)), rc);
  assert_string_equal(buf, why);
}

/* --- return 0 --- */

static void check_ok(void **state)
{
  (void)state;
  check_is("epoll@api", 0, "");
  check_is("epoll@syscall", 0, "");
  check_is("epoll@syscall,epoll@api", 0, "");
  check_is("poll@syscall,poll@api,select@syscall,select@api", 0, "");
  check_is(" epoll@api ,\tpoll@syscall ", 0, "");
  check_is("io_uring@syscall", 0, "");
}

/* --- return 1 --- */

static void check_not_ok(void **state)
{
  (void)state;
  check_is("iocp@api", 1, "iocp@api: na: not a mechanism of this platform");
  /* Built in through libkqueue, which Debian 12 does not package. */
  check_is("kqueue@api", 1,
           "kqueue@api: na: not a mechanism of this platform, and no shim provides it: "
           "libkqueue.so.0 is not installed");
  check_is("kqueue", 1, "kqueue: no layer built into this library applies here");
  check_is("epoll@python", 1,
           "epoll@python: skipped: probed only by the Python binding, inside a Python process");
  check_is("epoll@api,iocp@api", 1, "iocp@api: na: not a mechanism of this platform");
  if (!lp_cell_built(LP_MECH_EPOLL, LP_LAYER_LIBUV))
    check_is("epoll@libuv", 1,
             "epoll@libuv: skipped: built without libuv (install libuv1-dev and rebuild)");
}

/* The lowest descriptor free now. */
static int lowest_free_fd(void)
{
  int fd = dup(0);

  assert_true(fd >= 0);
  close(fd);
  return fd;
}

/* With room for exactly one more descriptor, the probe's first pipe()
   fails with EMFILE: a real failure, named in the reason. */
static void check_failed_emfile(void **state)
{
  struct rlimit old, low;

  (void)state;
  assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
  low = old;
  low.rlim_cur = (rlim_t)lowest_free_fd() + 1;
  assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
  check_is("epoll@api", 1, "epoll@api: failed: pipe() failed with EMFILE (errno 24)");
  check_is("epoll@syscall", 1, "epoll@syscall: failed: pipe() failed with EMFILE (errno 24)");
  low.rlim_cur -= 1;
  assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
  check_is("epoll@api", 1, "epoll@api: failed: epoll_create1() failed with EMFILE (errno 24)");
  assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
  check_is("epoll@api", 0, "");
}

/* --- return -1 --- */

static void check_malformed(void **state)
{
  static const struct {
    const char *spec, *why;
  } cases[] = {
      {NULL, "empty SPEC: name at least one MECHANISM[@LAYER], e.g. epoll or epoll@api"},
      {"", "empty SPEC: name at least one MECHANISM[@LAYER], e.g. epoll or epoll@api"},
      {"epoll@@api", "more than one '@' in SPEC item 'epoll@@api'"},
      {"epoll,,poll", "empty item 2 in SPEC 'epoll,,poll': items are separated by single commas"},
      {"epoll,", "empty item 2 in SPEC 'epoll,': items are separated by single commas"},
  };
  char missing_layer[512];
  size_t i;

  (void)state;
  snprintf(missing_layer, sizeof(missing_layer), "missing layer after '@' in 'epoll@' in SPEC %s",
           strchr(unknown("layer", ""), '('));
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    check_is(cases[i].spec, -1, cases[i].why);
  check_is("epol", -1, unknown("mechanism", "epol"));
  check_is("EPOLL", -1, unknown("mechanism", "EPOLL"));
  check_is("epoll@", -1, missing_layer);
  check_is("epoll@kernel", -1, unknown("layer", "kernel"));
  check_is("\x01poll", -1, unknown("mechanism", "\\x01poll"));
}

/* why may be NULL with why_len 0, and a short buffer is cut, terminated. */
static void check_why_buffer(void **state)
{
  char small[12];

  (void)state;
  assert_int_equal(lp_check("epoll@api", NULL, 0), 0);
  assert_int_equal(lp_check("kqueue@api", NULL, 0), 1);
  assert_int_equal(lp_check("epol", NULL, 0), -1);
  memset(small, 'x', sizeof(small));
  assert_int_equal(lp_check("kqueue@api", small, sizeof(small)), 1);
  assert_string_equal(small, "kqueue@api:");
  memset(small, 'x', sizeof(small));
  assert_int_equal(lp_check("kqueue@api", small, 1), 1);
  assert_int_equal(small[0], '\0');
  assert_int_equal(small[1], 'x');
}

/* --- repeated calls, threads, nothing left behind --- */

static void check_repeated(void **state)
{
  int fds = open_fds(), tasks = threads(), i;

  (void)state;
  for (i = 0; i < 300; i++) {
    assert_int_equal(lp_check("epoll@api,poll@api,select@api", NULL, 0), 0);
    assert_int_equal(lp_check("kqueue@api", NULL, 0), 1);
    assert_int_equal(lp_check("epoll@", NULL, 0), -1);
  }
  assert_int_equal(open_fds(), fds);
  assert_int_equal(threads(), tasks);
}

#define NTHREADS 8
#define PER_THREAD 60

struct worker {
  pthread_t tid;
  unsigned seed;
  int wrong; /* calls whose result was not exactly the expected one */
};

static void *worker_main(void *arg)
{
  static const struct {
    const char *spec;
    int rc;
    const char *why;
  } calls[] = {
      {"epoll@api", 0, ""},
      {"epoll@syscall,poll@api", 0, ""},
      {"select@api,select@syscall", 0, ""},
      {"iocp@api", 1, "iocp@api: na: not a mechanism of this platform"},
      {"kqueue@api", 1,
       "kqueue@api: na: not a mechanism of this platform, and no shim provides it: "
       "libkqueue.so.0 is not installed"},
      {"epoll@@api", -1, "more than one '@' in SPEC item 'epoll@@api'"},
  };
  struct worker *w = arg;
  char why[512];
  int i;

  for (i = 0; i < PER_THREAD; i++) {
    size_t k = (size_t)rand_r(&w->seed) % (sizeof(calls) / sizeof(calls[0]));
    int rc = lp_check(calls[k].spec, why, sizeof(why));
    w->wrong += rc != calls[k].rc || strcmp(why, calls[k].why) != 0;
  }
  return NULL;
}

/* The library layers from several threads: libevent's method list is
   process-wide state, and the evidence of a loop's kernel objects must not
   be misled by other threads' descriptors. */
static void *library_worker_main(void *arg)
{
  static const char *const specs[] = {
      "epoll@libevent,poll@libevent,select@libevent",
      "epoll@libev,poll@libev,select@libev",
      "epoll@libuv",
  };
  struct worker *w = arg;
  char why[512];
  int i;

  for (i = 0; i < PER_THREAD / 4; i++) {
    size_t k = (size_t)rand_r(&w->seed) % (sizeof(specs) / sizeof(specs[0]));
    w->wrong += lp_check(specs[k], why, sizeof(why)) != 0;
  }
  return NULL;
}

static void check_threads_libraries(void **state)
{
  struct worker w[4];
  char why[512];
  int fds, i;

  (void)state;
  if (!lp_cell_built(LP_MECH_EPOLL, LP_LAYER_LIBUV) ||
      !lp_cell_built(LP_MECH_EPOLL, LP_LAYER_LIBEV) ||
      !lp_cell_built(LP_MECH_EPOLL, LP_LAYER_LIBEVENT))
    skip();
  /* libuv keeps a process-wide signal pipe from its first loop on. */
  assert_int_equal(lp_check("epoll@libuv", why, sizeof(why)), 0);
  fds = open_fds();
  for (i = 0; i < 4; i++) {
    w[i].seed = (unsigned)i * 104729u + 3u;
    w[i].wrong = 0;
    assert_int_equal(pthread_create(&w[i].tid, NULL, library_worker_main, &w[i]), 0);
  }
  for (i = 0; i < 4; i++) {
    assert_int_equal(pthread_join(w[i].tid, NULL), 0);
    assert_int_equal(w[i].wrong, 0);
  }
  assert_int_equal(open_fds(), fds);
}

static void check_threads(void **state)
{
  struct worker w[NTHREADS];
  int fds = open_fds(), tasks = threads(), i;

  (void)state;
  for (i = 0; i < NTHREADS; i++) {
    w[i].seed = (unsigned)i * 7919u + 1u;
    w[i].wrong = 0;
    assert_int_equal(pthread_create(&w[i].tid, NULL, worker_main, &w[i]), 0);
  }
  for (i = 0; i < NTHREADS; i++) {
    assert_int_equal(pthread_join(w[i].tid, NULL), 0);
    assert_int_equal(w[i].wrong, 0);
  }
  assert_int_equal(open_fds(), fds);
  assert_int_equal(threads(), tasks);
}

/* The disposition of every signal, and the signal mask. */
struct signals {
  struct sigaction act[NSIG];
  sigset_t mask;
};

static void snapshot(struct signals *s)
{
  int sig;

  memset(s, 0, sizeof(*s));
  for (sig = 1; sig < NSIG; sig++)
    sigaction(sig, NULL, &s->act[sig]); /* fails harmlessly for reserved numbers */
  pthread_sigmask(SIG_SETMASK, NULL, &s->mask);
}

static void assert_same_signals(const struct signals *a, const struct signals *b)
{
  int sig;

  for (sig = 1; sig < NSIG; sig++) {
    assert_ptr_equal((void *)a->act[sig].sa_handler, (void *)b->act[sig].sa_handler);
    assert_int_equal(a->act[sig].sa_flags, b->act[sig].sa_flags);
  }
  assert_memory_equal(&a->mask, &b->mask, sizeof(a->mask));
}

static void run_once(int isolate)
{
  struct lp_report *r = NULL;
  char err[256];

  assert_int_equal(lp_run_spec("epoll@syscall,epoll@api,poll@syscall", NULL, 2000, isolate, &r, err,
                               sizeof(err)),
                   0);
  assert_int_equal(lp_report_verdict(r, LP_MECH_EPOLL, LP_LAYER_API), LP_VERDICT_OK);
  assert_int_equal(lp_report_verdict(r, LP_MECH_POLL, LP_LAYER_SYSCALL), LP_VERDICT_OK);
  lp_report_free(r);
}

static void nothing_left_behind(void **state)
{
  struct signals before, after;
  int fds = open_fds(), tasks = threads();

  (void)state;
  snapshot(&before);
  assert_int_equal(lp_check("epoll@api,poll@api,select@api,io_uring@syscall", NULL, 0), 0);
  run_once(1);
  run_once(0);
  snapshot(&after);
  assert_same_signals(&before, &after);
  assert_int_equal(open_fds(), fds);
  assert_int_equal(threads(), tasks);
}

/* --- the embedding section: lp_run_spec() and a binding's own cells --- */

static char *json_of(const struct lp_report *r)
{
  char *text = lp_report_format(r, LP_FORMAT_JSON, 0, NULL);

  assert_non_null(text);
  return text;
}

static void run_spec_errors(void **state)
{
  struct lp_report *r = (struct lp_report *)&r;
  char err[256];

  (void)state;
  assert_int_equal(lp_run_spec("epol", NULL, 2000, 1, &r, err, sizeof(err)), -1);
  assert_null(r);
  assert_string_equal(err, unknown("mechanism", "epol"));
  assert_int_equal(lp_run_spec(NULL, NULL, 0, 1, &r, err, sizeof(err)), -1);
  assert_string_equal(err, "timeout 0 ms is out of range (1 to 600000)");
}

/* --- libraries loaded at run time: named files, bad names --- */

static void library_errors(void **state)
{
  const char *bad[] = {"libuv=/nonexistent/libuv.so.1", NULL};
  struct lp_report *r = (struct lp_report *)&r;
  struct lp_options o;
  char err[512];

  (void)state;
  lp_options_init(&o);
  assert_int_equal(lp_library_validate("libnope=/x", err, sizeof(err)), -1);
  assert_memory_equal(err, "libnope=/x: unknown library 'libnope' (", 39);
  assert_int_equal(lp_library_validate("libuv", err, sizeof(err)), -1);
  assert_string_equal(err, "libuv: not NAME=PATH (e.g. libuv=/opt/app/lib/libuv.so.1)");
  assert_int_equal(lp_library_validate(NULL, err, sizeof(err)), -1);
  if (!lp_cell_built(LP_MECH_EPOLL, LP_LAYER_LIBUV))
    return;
  assert_int_equal(lp_library_validate(bad[0], err, sizeof(err)), -1);
  assert_string_equal(err, "libuv=/nonexistent/libuv.so.1: no such file");
  assert_int_equal(lp_run_libraries(&o, bad, &r, err, sizeof(err)), -1);
  assert_null(r);
  assert_string_equal(err, "libuv=/nonexistent/libuv.so.1: no such file");
}

#ifdef LP_TEST_LIBUV_FILE
static void library_given(void **state)
{
  const char *given[] = {"libuv=" LP_TEST_LIBUV_FILE, NULL};
  const char *twice[] = {given[0], given[0], NULL};
  struct lp_report *r = NULL;
  struct lp_options o;
  char err[512], *json = NULL;

  (void)state;
  lp_options_init(&o);
  o.only = "epoll@libuv";
  assert_int_equal(lp_library_validate(given[0], err, sizeof(err)), 0);
  assert_int_equal(lp_run_libraries(&o, twice, &r, err, sizeof(err)), -1);
  assert_string_equal(err, "libuv is named twice");
  assert_int_equal(lp_run_libraries(&o, given, &r, err, sizeof(err)), 0);
  assert_int_equal(lp_report_verdict(r, LP_MECH_EPOLL, LP_LAYER_LIBUV), LP_VERDICT_OK);
  json = json_of(r);
  assert_non_null(strstr(json, "\"path\": \"" LP_TEST_LIBUV_FILE "\", \"given\": true"));
  lp_free(json);
  lp_report_free(r);
}
#endif

/* lp_check() and lp_run() where libuv's file cannot be loaded: missing,
   with the reason, and never a failure of the caller. */
static void no_libuv(void **state)
{
  struct lp_report *r = NULL;
  char why[512], err[256];
  const char *summary = NULL;
  enum lp_finding_kind kind;
  enum lp_severity sev;

  (void)state;
  assert_int_equal(lp_check("epoll@libuv", why, sizeof(why)), 1);
  assert_memory_equal(why, "epoll@libuv: missing: libuv.so.", 31);
  assert_non_null(strstr(why, " is there but cannot be loaded: "));
  assert_int_equal(lp_check("epoll@api", why, sizeof(why)), 0);
  assert_int_equal(lp_run_spec("epoll@libuv,epoll@api", NULL, 2000, 1, &r, err, sizeof(err)), 0);
  assert_int_equal(lp_report_verdict(r, LP_MECH_EPOLL, LP_LAYER_LIBUV), LP_VERDICT_MISSING);
  assert_int_equal(lp_report_verdict(r, LP_MECH_EPOLL, LP_LAYER_API), LP_VERDICT_OK);
  assert_int_equal(lp_report_exit_code(r), 0);
  assert_int_equal(lp_report_finding_count(r), 1);
  assert_int_equal(lp_report_finding(r, 0, &sev, &kind, &summary, NULL), 0);
  assert_int_equal(kind, LP_FINDING_LIBRARY_NOT_INSTALLED);
  assert_int_equal(sev, LP_SEVERITY_WARNING);
  assert_non_null(strstr(summary, "libuv cannot be probed: libuv.so."));
  lp_report_free(r);
}

static void binding_cells(void **state)
{
  struct lp_report *r = NULL;
  char err[256], *text = NULL;
  const char *detail = NULL;
  enum lp_mechanism m;
  enum lp_layer l;
  enum lp_verdict v;
  size_t n;

  (void)state;
  assert_int_equal(lp_run_spec("epoll@api", "epoll@python", 2000, 1, &r, err, sizeof(err)), 0);
  assert_int_equal(lp_report_exit_code(r), 1); /* the required python cell is not there yet */
  n = lp_report_cell_count(r);
  assert_int_equal(lp_report_set_cell(r, LP_MECH_EPOLL, LP_LAYER_PYTHON, LP_VERDICT_OK,
                                      "round trips", NULL, "select", 42),
                   0);
  assert_int_equal(lp_report_cell_count(r), n + 1);
  assert_int_equal(lp_report_exit_code(r), 0);
  /* in matrix order: epoll comes first and has a cell for every layer, so
     its python cell is cell number LP_LAYER_PYTHON */
  assert_int_equal(lp_report_cell(r, LP_LAYER_PYTHON, &m, &l, &v, &detail), 0);
  assert_int_equal(m, LP_MECH_EPOLL);
  assert_int_equal(l, LP_LAYER_PYTHON);
  assert_int_equal(v, LP_VERDICT_OK);
  assert_string_equal(detail, "round trips");
  text = lp_report_format(r, LP_FORMAT_TEXT, 0, NULL);
  assert_non_null(strstr(text, "libevent  python\n"));
  assert_non_null(strstr(text, "verdict: ok (exit 0): every required cell is ok; "));
  lp_free(text);
  /* overwritten, not added */
  assert_int_equal(lp_report_set_cell(r, LP_MECH_EPOLL, LP_LAYER_PYTHON, LP_VERDICT_HIDDEN,
                                      "patched away", "", NULL, -1),
                   0);
  assert_int_equal(lp_report_cell_count(r), n + 1);
  assert_int_equal(lp_report_exit_code(r), 1);
  text = json_of(r);
  assert_non_null(strstr(text,
                         "{\"mechanism\": \"epoll\", \"layer\": \"python\", \"verdict\": "
                         "\"hidden\",\n     \"detail\": \"patched away\",\n     \"errno\": "
                         "null, \"signal\": null, \"provider\": null, \"elapsed_us\": null}"));
  lp_free(text);
  lp_report_free(r);
}

static void binding_findings(void **state)
{
  struct lp_report *r = NULL;
  char err[256], *text = NULL;
  const char *summary = NULL, *hint = NULL;
  enum lp_finding_kind kind;
  enum lp_severity sev;
  int i;

  (void)state;
  assert_int_equal(lp_run_spec("epoll@api", NULL, 2000, 1, &r, err, sizeof(err)), 0);
  assert_int_equal(lp_report_exit_code(r), 0);
  i = lp_report_add_finding_for(r, LP_SEVERITY_ERROR, LP_FINDING_HIDDEN_BY_WRAPPER, LP_MECH_EPOLL,
                                LP_LAYER_PYTHON, "epoll is gone from Python.", "Patch less.");
  assert_true(i >= 0);
  assert_int_equal(lp_report_exit_code(r), 1);
  assert_int_equal(lp_report_finding_add_cell(r, (size_t)i, "epoll@python"), 0);
  assert_int_equal(lp_report_finding_add_evidence(r, (size_t)i, "select.epoll is gone"), 0);
  assert_int_equal(lp_report_finding(r, (size_t)i, &sev, &kind, &summary, &hint), 0);
  assert_int_equal(sev, LP_SEVERITY_ERROR);
  assert_int_equal(kind, LP_FINDING_HIDDEN_BY_WRAPPER);
  assert_string_equal(summary, "epoll is gone from Python.");
  assert_string_equal(hint, "Patch less.");
  text = json_of(r);
  assert_non_null(strstr(text, "\"cells\": [\"epoll@python\"],\n     \"summary\": \"epoll is gone "
                               "from Python.\",\n     \"evidence\": [\"select.epoll is gone\"],"));
  lp_free(text);
  /* what is refused */
  assert_int_equal(
      lp_report_add_finding_for(r, LP_SEVERITY_COUNT, LP_FINDING_INTERPOSED, 0, 0, "s", "h"), -1);
  assert_int_equal(lp_report_add_finding_for(r, LP_SEVERITY_INFO, LP_FINDING_COUNT, 0, 0, "s", "h"),
                   -1);
  assert_int_equal(
      lp_report_add_finding_for(r, LP_SEVERITY_INFO, LP_FINDING_INTERPOSED, 0, 0, NULL, "h"), -1);
  assert_int_equal(lp_report_add_finding_for(r, LP_SEVERITY_INFO, LP_FINDING_INTERPOSED,
                                             LP_MECH_COUNT, 0, "s", "h"),
                   -1);
  assert_int_equal(lp_report_finding_add_cell(r, lp_report_finding_count(r), "x"), -1);
  assert_int_equal(lp_report_finding_add_evidence(r, (size_t)i, NULL), -1);
  assert_int_equal(
      lp_report_set_cell(r, LP_MECH_COUNT, LP_LAYER_PYTHON, LP_VERDICT_OK, "", NULL, NULL, -1), -1);
  assert_int_equal(
      lp_report_set_cell(r, LP_MECH_EPOLL, LP_LAYER_PYTHON, LP_VERDICT_COUNT, "", NULL, NULL, -1),
      -1);
  lp_report_free(r);
}

static void monotonic_clock(void **state)
{
  long long a = lp_monotonic_ns(), b;

  (void)state;
  usleep(2000);
  b = lp_monotonic_ns();
  assert_true(a > 0);
  assert_true(b - a >= 2000000);
  assert_true(b - a < 2000000000LL);
}

/* --- under libwrap_enosys.so --- */

static void preload_hides_api(void **state)
{
  struct lp_report *r = NULL;
  char err[256], provider[600], *text = NULL;

  (void)state;
  assert_non_null(getenv("LD_PRELOAD"));
  snprintf(provider, sizeof(provider), "\"provider\": \"%s\"", getenv("LD_PRELOAD"));
  check_is("epoll@syscall", 0, "");
  check_is("epoll@api", 1, "epoll@api: failed: epoll_create1() failed with ENOSYS (errno 38)");
  check_is("epoll@syscall,epoll@api", 1,
           "epoll@api: failed: epoll_create1() failed with ENOSYS (errno 38)");
  check_is("poll@api", 0, "");
  assert_int_equal(
      lp_run_spec("epoll@syscall,epoll@api", "epoll@api", 2000, 1, &r, err, sizeof(err)), 0);
  assert_int_equal(lp_report_verdict(r, LP_MECH_EPOLL, LP_LAYER_SYSCALL), LP_VERDICT_OK);
  assert_int_equal(lp_report_verdict(r, LP_MECH_EPOLL, LP_LAYER_API), LP_VERDICT_HIDDEN);
  assert_int_equal(lp_report_exit_code(r), 1);
  text = json_of(r);
  assert_non_null(strstr(text, provider)); /* the epoll@api cell names the wrapper */
  assert_non_null(strstr(text, "\"kind\": \"hidden-by-wrapper\""));
  lp_free(text);
  lp_report_free(r);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest plain[] = {
      cmocka_unit_test(check_ok),
      cmocka_unit_test(check_not_ok),
      cmocka_unit_test(check_failed_emfile),
      cmocka_unit_test(check_malformed),
      cmocka_unit_test(check_why_buffer),
      cmocka_unit_test(check_repeated),
      cmocka_unit_test(check_threads),
      cmocka_unit_test(check_threads_libraries),
      cmocka_unit_test(nothing_left_behind),
      cmocka_unit_test(run_spec_errors),
      cmocka_unit_test(binding_cells),
      cmocka_unit_test(binding_findings),
      cmocka_unit_test(monotonic_clock),
      cmocka_unit_test(library_errors),
#ifdef LP_TEST_LIBUV_FILE
      cmocka_unit_test(library_given),
#endif
  };
  const struct CMUnitTest preload[] = {
      cmocka_unit_test(preload_hides_api),
  };
  const struct CMUnitTest nolibuv[] = {
      cmocka_unit_test(no_libuv),
  };

  if (argc > 1 && strcmp(argv[1], "preload") == 0)
    return cmocka_run_group_tests_name("api.preload", preload, NULL, NULL);
  if (argc > 1 && strcmp(argv[1], "no-libuv") == 0)
    return cmocka_run_group_tests_name("api.no-libuv", nolibuv, NULL, NULL);
  return cmocka_run_group_tests_name("api", plain, NULL, NULL);
}
