/* SPDX-License-Identifier: MIT */
/*
 * check_host - a server's start-up as a real program does it: it embeds
 * libloopprobe and calls lp_check() for each SPEC on its command line,
 * then writes one line per SPEC, "SPEC -> RC: WHY", on standard output or
 * into FILE (opened only once every check is done, so that a host started
 * with descriptors 0 to 2 closed keeps them closed while it checks).  It
 * writes nothing on standard error itself, and exits 0: a host that dies,
 * aborts or prints is the check's doing (tests/api/hosts.py).
 *
 *   check_host [--out FILE] [--hooks] SPEC...
 *
 * Built three ways (tests/tools/CMakeLists.txt): check_host with the
 * shared library; check_host_compat linked with libev before libevent,
 * whose imitation of libevent's names then answers libevent's own calls;
 * check_host_hooks loads libevent_core and libev itself (the objects
 * loopprobe loads, each RTLD_LOCAL), and with --hooks it sets libevent's
 * log callback and libev's syserr callback of its own before the checks, says for each SPEC whether
 * the check runs in the host's process (lp_check_isolates()), and shows
 * after them that each library still calls the host's: libevent's "libevent using" line
 * (EVENT_SHOW_METHOD) and libev's failure to open its async pipe with no
 * descriptor left, whose callback makes room again.
 */
#define _GNU_SOURCE
#include "loopprobe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if LP_HOST_HOOKS
#include <dlfcn.h>
#include <ev.h>
#include <event2/event.h>
#include <sys/resource.h>

static int log_calls, syserr_calls;
static char last_log[256];
static struct rlimit saved_limit;
static void *ev_lib, *event_lib;

static void host_log(int severity, const char *msg)
{
  (void)severity;
  log_calls++;
  snprintf(last_log, sizeof(last_log), "%s", msg);
}

/* libev retries while the callback returns, so it makes room again. */
static void host_syserr(const char *msg)
{
  (void)msg;
  syserr_calls++;
  setrlimit(RLIMIT_NOFILE, &saved_limit);
}

/* The two libraries, as the objects loopprobe loads (by soname), each
   kept to itself (RTLD_LOCAL: libev's imitations of libevent's names
   answer nobody's calls), with the host's callbacks set. */
static int set_hooks(void)
{
  void (*set_log)(event_log_cb) = NULL;
  void (*set_syserr)(void (*)(const char *)) = NULL;

  ev_lib = dlopen(LP_HOST_LIBEV, RTLD_NOW | RTLD_LOCAL);
  event_lib = dlopen(LP_HOST_LIBEVENT, RTLD_NOW | RTLD_LOCAL);
  if (!ev_lib || !event_lib)
    return -1;
  *(void **)&set_log = dlsym(event_lib, "event_set_log_callback");
  *(void **)&set_syserr = dlsym(ev_lib, "ev_set_syserr_cb");
  if (!set_log || !set_syserr)
    return -1;
  set_log(host_log);
  set_syserr(host_syserr);
  return 0;
}

/* Each library, after the checks, still calls the host's callback. */
static void show_hooks(FILE *out, int checks_logged, int checks_syserr)
{
  struct event_base *(*base_new)(void) = NULL;
  void (*base_free)(struct event_base *) = NULL;
  struct ev_loop *(*loop_new)(unsigned) = NULL;
  void (*loop_destroy)(struct ev_loop *) = NULL;
  void (*async_start)(struct ev_loop *, ev_async *) = NULL;
  void (*async_stop)(struct ev_loop *, ev_async *) = NULL;
  struct event_base *base = NULL;
  struct ev_loop *loop = NULL;
  struct rlimit none;
  ev_async async;

  *(void **)&base_new = dlsym(event_lib, "event_base_new");
  *(void **)&base_free = dlsym(event_lib, "event_base_free");
  *(void **)&loop_new = dlsym(ev_lib, "ev_loop_new");
  *(void **)&loop_destroy = dlsym(ev_lib, "ev_loop_destroy");
  *(void **)&async_start = dlsym(ev_lib, "ev_async_start");
  *(void **)&async_stop = dlsym(ev_lib, "ev_async_stop");
  setenv("EVENT_SHOW_METHOD", "1", 1); /* libevent says which method it took */
  base = base_new();
  if (base)
    base_free(base);
  loop = loop_new(EVFLAG_NOENV);
  getrlimit(RLIMIT_NOFILE, &saved_limit);
  none = saved_limit;
  none.rlim_cur = 0; /* no descriptor for the async pipe: libev reports it */
  ev_async_init(&async, NULL);
  if (loop && setrlimit(RLIMIT_NOFILE, &none) == 0) {
    async_start(loop, &async);
    async_stop(loop, &async);
  }
  setrlimit(RLIMIT_NOFILE, &saved_limit);
  if (loop)
    loop_destroy(loop);
  fprintf(out,
          "hooks: during the checks libevent called the host's callback %d times, libev %d; "
          "after them libevent %d (\"%s\"), libev %d\n",
          checks_logged, checks_syserr, log_calls - checks_logged, last_log,
          syserr_calls - checks_syserr);
}
#endif

struct result {
  const char *spec;
  int rc;
  char why[1024];
  int here;       /* --hooks: lp_check_isolates() before the check */
  char away[512]; /* and why it would isolate */
};

int main(int argc, char **argv)
{
  struct result *res = calloc((size_t)argc, sizeof(*res));
  const char *path = NULL;
  int i, n = 0, hooks = 0, logged = 0, syserr = 0;
  FILE *out = stdout;

  if (!res)
    return 3;
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
      path = argv[++i];
    else if (strcmp(argv[i], "--hooks") == 0)
      hooks = 1;
    else
      res[n++].spec = argv[i];
  }
#if LP_HOST_HOOKS
  if (hooks && set_hooks() < 0)
    return 3;
#endif
  for (i = 0; i < n; i++) {
    res[i].here = hooks ? lp_check_isolates(res[i].spec, res[i].away, sizeof(res[i].away)) : -2;
    res[i].rc = lp_check(res[i].spec, res[i].why, sizeof(res[i].why));
  }
#if LP_HOST_HOOKS
  logged = log_calls;
  syserr = syserr_calls;
#endif
  if (path && !(out = fopen(path, "w")))
    return 3;
  for (i = 0; i < n; i++) {
    fprintf(out, "%s -> %d: %s\n", res[i].spec, res[i].rc, res[i].why);
    if (res[i].here != -2)
      fprintf(out, "%s isolates: %d: %s\n", res[i].spec, res[i].here, res[i].away);
  }
#if LP_HOST_HOOKS
  if (hooks)
    show_hooks(out, logged, syserr);
#else
  (void)logged, (void)syserr;
  if (hooks)
    fprintf(out, "hooks: this host is not linked with libev and libevent\n");
#endif
  free(res);
  return fclose(out) == 0 ? 0 : 3;
}
