/* SPDX-License-Identifier: MIT */
/*
 * bench.c - what loopprobe costs, measured on this machine.
 *
 *   lp_bench [LOOPPROBE [PYTHON]]
 *
 * Medians over repeated runs, timed with the monotonic clock:
 *  - a full isolated run of every cell (lp_run), and the same without the
 *    linuxaio cell, whose kernel teardown (io_destroy waits for RCU grace
 *    periods) dominates;
 *  - the loopprobe command end to end, against the reference the project
 *    set itself: python3 -c "import selectors; selectors.DefaultSelector()";
 *  - one cell in-process, with its timed waits and without (lp_check).
 */
#define _POSIX_C_SOURCE 200809L
#include "loopprobe.h"

#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int cmp(const void *a, const void *b)
{
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

  return x < y ? -1 : x > y;
}

struct stats {
  int64_t median, p10, p90;
};

static struct stats summarize(int64_t *t, int n)
{
  struct stats s;

  qsort(t, (size_t)n, sizeof(*t), cmp);
  s.median = t[n / 2];
  s.p10 = t[n / 10];
  s.p90 = t[n - 1 - n / 10];
  return s;
}

static void report(const char *what, struct stats s, int n, int us)
{
  double k = us ? 1e3 : 1e6;

  printf("  %-58s %8.2f %s  (p10 %.2f, p90 %.2f, n=%d)\n", what, (double)s.median / k,
         us ? "us" : "ms", (double)s.p10 / k, (double)s.p90 / k, n);
}

static int64_t time_run(const char *only, int isolate)
{
  struct lp_options o;
  struct lp_report *r = NULL;
  char err[256];
  int64_t t0;

  lp_options_init(&o);
  o.only = only;
  o.isolate = isolate;
  t0 = lp_monotonic_ns();
  if (lp_run(&o, &r, err, sizeof(err)) < 0) {
    fprintf(stderr, "lp_run: %s\n", err);
    exit(1);
  }
  t0 = lp_monotonic_ns() - t0;
  lp_report_free(r);
  return t0;
}

static int64_t time_spawn(char *const argv[])
{
  pid_t pid;
  int status;
  int64_t t0 = lp_monotonic_ns();
  posix_spawn_file_actions_t fa;

  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1, 0);
  if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
    fprintf(stderr, "cannot run %s\n", argv[0]);
    exit(1);
  }
  waitpid(pid, &status, 0);
  posix_spawn_file_actions_destroy(&fa);
  return lp_monotonic_ns() - t0;
}

static int64_t time_check(const char *spec)
{
  char why[256];
  int64_t t0 = lp_monotonic_ns();

  if (lp_check(spec, why, sizeof(why)) != 0) {
    fprintf(stderr, "lp_check(%s): %s\n", spec, why);
    exit(1);
  }
  return lp_monotonic_ns() - t0;
}

/* Every mechanism of the table but linuxaio, as a SPEC. */
static const char *without_linuxaio(void)
{
  static char spec[256];
  size_t n = 0;
  int m;

  if (spec[0])
    return spec;
  for (m = 0; m < LP_MECH_COUNT; m++)
    if (m != LP_MECH_LINUXAIO)
      n += (size_t)snprintf(spec + n, sizeof(spec) - n, "%s%s", n ? "," : "",
                            lp_mechanism_name((enum lp_mechanism)m));
  return spec;
}

static void machine(void)
{
  struct utsname u;
  char model[256] = "unknown CPU", line[512];
  FILE *f = fopen("/proc/cpuinfo", "r");

  while (f && fgets(line, sizeof(line), f))
    if (strncmp(line, "model name", 10) == 0) {
      char *v = strchr(line, ':');
      snprintf(model, sizeof(model), "%.200s", v ? v + 2 : line);
      model[strcspn(model, "\n")] = '\0';
      break;
    }
  if (f)
    fclose(f);
  uname(&u);
  printf("loopprobe %s bench: %s %s %s, %ld CPUs (%s)\n", lp_version(), u.sysname, u.release,
         u.machine, sysconf(_SC_NPROCESSORS_ONLN), model);
}

#define N_RUNS 30
#define N_CHECKS 2000

int main(int argc, char **argv)
{
  int64_t t[N_CHECKS];
  char *cli[] = {argc > 1 ? argv[1] : "loopprobe", "--quiet", NULL};
  char *cli_no_aio[] = {cli[0], "--quiet", "--only", (char *)without_linuxaio(), NULL};
  char *py[] = {argc > 2 ? argv[2] : "python3", "-c",
                "import selectors; selectors.DefaultSelector()", NULL};
  int i;

  machine();
  time_run(NULL, 1); /* warm the page cache and the loader */
  for (i = 0; i < N_RUNS; i++)
    t[i] = time_run(NULL, 1);
  report("full run, every cell, isolated (lp_run)", summarize(t, N_RUNS), N_RUNS, 0);
  for (i = 0; i < N_RUNS; i++)
    t[i] = time_run(without_linuxaio(), 1);
  report("full run without the linuxaio cell (lp_run)", summarize(t, N_RUNS), N_RUNS, 0);
  for (i = 0; i < N_RUNS; i++)
    t[i] = time_spawn(cli);
  report("loopprobe --quiet, every cell, as a command", summarize(t, N_RUNS), N_RUNS, 0);
  for (i = 0; i < N_RUNS; i++)
    t[i] = time_spawn(cli_no_aio);
  report("the same command without the linuxaio cell", summarize(t, N_RUNS), N_RUNS, 0);
  for (i = 0; i < N_RUNS; i++)
    t[i] = time_spawn(py);
  report("python3 -c \"import selectors; selectors.DefaultSelector()\"", summarize(t, N_RUNS),
         N_RUNS, 0);
  for (i = 0; i < N_RUNS; i++)
    t[i] = time_run("epoll@api", 0);
  report("one cell in-process with timed waits (epoll@api)", summarize(t, N_RUNS), N_RUNS, 0);
  for (i = 0; i < N_CHECKS; i++)
    t[i] = time_check("epoll@api");
  report("one cell in-process, quick: lp_check(\"epoll@api\")", summarize(t, N_CHECKS), N_CHECKS,
         1);
  return 0;
}
