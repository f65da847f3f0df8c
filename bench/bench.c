/* SPDX-License-Identifier: MIT */
/*
 * bench.c - what loopprobe costs, measured on this machine.
 *
 *   lp_bench LOOPPROBE PYTHON [HANG_PRELOAD]
 *
 * The headline is paired: the loopprobe command and the reference the
 * project set itself, PYTHON -c "import selectors;
 * selectors.DefaultSelector()", run one after the other, the order swapped
 * from pair to pair, and the ratio is taken pair by pair (LP_BENCH_PAIRS
 * pairs, 20 by default): on a shared, busy machine both commands of a pair
 * slow down alike, so the median ratio holds where absolute times do not.
 * Then the peak resident memory of each command (wait4()'s ru_maxrss: the
 * command's, or the largest of the children it waited for); how a full
 * run grows with the number of cells (lp_run(), wall and CPU time), and
 * what it costs when the Linux AIO child's exit cannot be handed off (the
 * caller a subreaper); what a probe that hangs costs (HANG_PRELOAD, a
 * wrapper whose waits never return, with --timeout 500 and 1000); and one
 * cell in-process, with its timed waits and without (lp_check).
 *
 * Traps: the spawned commands' standard output goes to /dev/null; a command
 * that fails to start, or ends other than with its expected statuses, stops
 * the bench with a message, so that a broken build never yields numbers.
 */
#define _GNU_SOURCE
#include "loopprobe.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_PAIRS 200
#define N_RUNS 30
#define N_HANG_RUNS 3
#define N_CHECKS 2000
#define REFERENCE "import selectors; selectors.DefaultSelector()"

/* --- statistics --- */

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

struct stats {
  double median, p10, p90;
};

/* Sorts v in place. */
static struct stats summarize(double *v, int n)
{
  struct stats s;

  qsort(v, (size_t)n, sizeof(*v), cmp_double);
  s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  s.p10 = v[n / 10];
  s.p90 = v[n - 1 - n / 10];
  return s;
}

static double median_of(const double *v, int n)
{
  double copy[MAX_PAIRS > N_CHECKS ? MAX_PAIRS : N_CHECKS];

  memcpy(copy, v, (size_t)n * sizeof(*v));
  return summarize(copy, n).median;
}

static double tv_ms(struct timeval tv)
{
  return (double)tv.tv_sec * 1e3 + (double)tv.tv_usec / 1e3;
}

/* --- commands --- */

struct sample {
  double wall_ms, cpu_ms, maxrss_mib;
};

/* environ with LD_PRELOAD=preload added in front (NULL: environ itself). */
static char **with_preload(const char *preload)
{
  static char *env[1024];
  static char var[4096];
  size_t i, n = 0;

  if (!preload)
    return environ;
  snprintf(var, sizeof(var), "LD_PRELOAD=%s", preload);
  env[n++] = var;
  for (i = 0; environ[i] && n + 1 < sizeof(env) / sizeof(env[0]); i++)
    if (strncmp(environ[i], "LD_PRELOAD=", 11) != 0)
      env[n++] = environ[i];
  env[n] = NULL;
  return env;
}

/* Runs argv to its end; ok_mask has bit s set for each exit status s
   that is expected. */
static struct sample run_command(char *const argv[], const char *preload, unsigned ok_mask)
{
  posix_spawn_file_actions_t fa;
  struct rusage ru;
  struct sample s;
  long long t0;
  pid_t pid;
  int status = 0;

  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  t0 = lp_monotonic_ns();
  if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, with_preload(preload)) != 0) {
    fprintf(stderr, "lp_bench: cannot run %s\n", argv[0]);
    exit(1);
  }
  if (wait4(pid, &status, 0, &ru) != pid) {
    fprintf(stderr, "lp_bench: wait4() failed for %s\n", argv[0]);
    exit(1);
  }
  s.wall_ms = (double)(lp_monotonic_ns() - t0) / 1e6;
  posix_spawn_file_actions_destroy(&fa);
  if (!WIFEXITED(status) || WEXITSTATUS(status) > 31 || !(ok_mask & (1u << WEXITSTATUS(status)))) {
    fprintf(stderr, "lp_bench: %s ended with status %#x\n", argv[0], (unsigned)status);
    exit(1);
  }
  s.cpu_ms = tv_ms(ru.ru_utime) + tv_ms(ru.ru_stime);
  s.maxrss_mib = (double)ru.ru_maxrss / 1024.0; /* KiB on Linux */
  return s;
}

#define OK_0 0x1u
#define OK_0_1 0x3u

struct paired {
  const char *what;
  char *const *argv;
  double ratio[MAX_PAIRS], ms[MAX_PAIRS], ref_ms[MAX_PAIRS], rss[MAX_PAIRS], ref_rss[MAX_PAIRS];
};

/* One pair: the command and the reference, in the order i says. */
static void one_pair(struct paired *p, char *const ref[], int i)
{
  struct sample a, b;

  if (i % 2 == 0) {
    a = run_command(p->argv, NULL, OK_0_1);
    b = run_command(ref, NULL, OK_0);
  } else {
    b = run_command(ref, NULL, OK_0);
    a = run_command(p->argv, NULL, OK_0_1);
  }
  p->ratio[i] = a.wall_ms / b.wall_ms;
  p->ms[i] = a.wall_ms;
  p->ref_ms[i] = b.wall_ms;
  p->rss[i] = a.maxrss_mib;
  p->ref_rss[i] = b.maxrss_mib;
}

static void print_paired(struct paired *p, int pairs)
{
  double ms = median_of(p->ms, pairs), ref = median_of(p->ref_ms, pairs);
  struct stats r = summarize(p->ratio, pairs);

  printf("  %-46s %5.2fx  (p10 %.2fx, p90 %.2fx)   %6.1f ms against %6.1f ms\n", p->what, r.median,
         r.p10, r.p90, ms, ref);
}

/* --- the library --- */

/* Every mechanism of the table but one, as a SPEC. */
static const char *all_but(enum lp_mechanism left_out)
{
  static char spec[256];
  size_t n = 0;
  int m;

  for (m = 0; m < LP_MECH_COUNT; m++)
    if (m != (int)left_out)
      n += (size_t)snprintf(spec + n, sizeof(spec) - n, "%s%s", n ? "," : "",
                            lp_mechanism_name((enum lp_mechanism)m));
  return spec;
}

/* The cells built in that a full run probes, without the mechanism left_out
   (LP_MECH_COUNT: none) or only mechanism `only`. */
static int cells(int only, int left_out)
{
  int m, l, n = 0;

  for (m = 0; m < LP_MECH_COUNT; m++)
    for (l = 0; l < LP_LAYER_COUNT; l++)
      n += l != LP_LAYER_PYTHON && m != left_out && (only < 0 || m == only) &&
           lp_cell_built((enum lp_mechanism)m, (enum lp_layer)l);
  return n;
}

static double cpu_now_ms(void)
{
  struct rusage self, kids;

  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &kids);
  return tv_ms(self.ru_utime) + tv_ms(self.ru_stime) + tv_ms(kids.ru_utime) + tv_ms(kids.ru_stime);
}

/* One lp_run(); its wall time in ms, and its CPU time in *cpu_ms. */
static double time_run(const char *only, int isolate, double *cpu_ms)
{
  struct lp_options o;
  struct lp_report *r = NULL;
  char err[256];
  double c0 = cpu_now_ms();
  long long t0;

  lp_options_init(&o);
  o.only = only;
  o.isolate = isolate;
  t0 = lp_monotonic_ns();
  if (lp_run(&o, &r, err, sizeof(err)) < 0) {
    fprintf(stderr, "lp_bench: lp_run: %s\n", err);
    exit(1);
  }
  t0 = lp_monotonic_ns() - t0;
  lp_report_free(r);
  if (cpu_ms)
    *cpu_ms = cpu_now_ms() - c0;
  return (double)t0 / 1e6;
}

static void grows(const char *what, const char *only, int ncells)
{
  double wall[N_RUNS], cpu[N_RUNS];
  char label[96];
  struct stats w;
  int i;

  for (i = 0; i < N_RUNS; i++)
    wall[i] = time_run(only, 1, &cpu[i]);
  w = summarize(wall, N_RUNS);
  snprintf(label, sizeof(label), "%2d cell%s %s", ncells, ncells == 1 ? "" : "s", what);
  printf("  %-46s %6.1f ms  (p10 %.1f, p90 %.1f)   CPU %.1f ms\n", label, w.median, w.p10, w.p90,
         median_of(cpu, N_RUNS));
}

static double time_check(const char *spec)
{
  char why[256];
  long long t0 = lp_monotonic_ns();

  if (lp_check(spec, why, sizeof(why)) != 0) {
    fprintf(stderr, "lp_bench: lp_check(%s): %s\n", spec, why);
    exit(1);
  }
  return (double)(lp_monotonic_ns() - t0) / 1e3;
}

/* --- the sections --- */

static void machine(void)
{
  struct utsname u;
  char model[256] = "unknown CPU", line[512], date[32];
  double load[3] = {0, 0, 0};
  time_t now = time(NULL);
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
  getloadavg(load, 3);
  strftime(date, sizeof(date), "%Y-%m-%d %H:%M UTC", gmtime(&now));
  printf("loopprobe %s bench, %s\n", lp_version(), date);
  printf("machine: %s, %ld CPUs; %s %s %s; load average %.2f %.2f %.2f\n", model,
         sysconf(_SC_NPROCESSORS_ONLN), u.sysname, u.release, u.machine, load[0], load[1], load[2]);
}

static void section_paired(char *loopprobe, char *python, int pairs)
{
  static char *full[] = {NULL, "--quiet", NULL};
  static char *no_aio[] = {NULL, "--quiet", "--only", NULL, NULL};
  char *ref[] = {python, "-c", REFERENCE, NULL};
  static struct paired p[2];
  int i, k;

  full[0] = no_aio[0] = loopprobe;
  no_aio[3] = (char *)all_but(LP_MECH_LINUXAIO);
  p[0].what = "loopprobe --quiet (every cell)";
  p[0].argv = full;
  p[1].what = "loopprobe --quiet --only <all but linuxaio>";
  p[1].argv = no_aio;
  printf("\nwall time against %s -c \"%s\"\n", python, REFERENCE);
  printf("(paired: the two commands alternate, the ratio is taken pair by pair; median of %d "
         "pairs;\n below 1.00x loopprobe finished first; then both medians):\n",
         pairs);
  run_command(full, NULL, OK_0_1); /* warm the page cache and the loader */
  run_command(ref, NULL, OK_0);
  for (i = 0; i < pairs; i++)
    for (k = 0; k < 2; k++)
      one_pair(&p[k], ref, i);
  for (k = 0; k < 2; k++)
    print_paired(&p[k], pairs);
  printf("\npeak resident memory (ru_maxrss: the command, or the largest child it waited for; "
         "median):\n");
  printf("  %-46s %5.1f MiB\n", p[0].what, median_of(p[0].rss, pairs));
  printf("  %-46s %5.1f MiB\n", p[1].what, median_of(p[1].rss, pairs));
  printf("  %-46s %5.1f MiB\n", "the reference (python3)", median_of(p[0].ref_rss, pairs));
}

static void section_grows(void)
{
  printf("\na full run as cells are added (lp_run(), isolated: one child per cell, all at "
         "once;\n median of %d runs; CPU: user + system of the caller and its children):\n",
         N_RUNS);
  grows("(epoll@api)", "epoll@api", 1);
  grows("(epoll, every layer)", "epoll", cells(LP_MECH_EPOLL, LP_MECH_COUNT));
  grows("(every cell but linuxaio)", all_but(LP_MECH_LINUXAIO), cells(-1, LP_MECH_LINUXAIO));
  grows("(every cell)", NULL, cells(-1, LP_MECH_COUNT));
  /* A subreaper caller would get the helper that takes the Linux AIO
     child's exit off the wait: the runner makes none, and waits. */
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0) {
    grows("(every cell), caller a subreaper:", NULL, cells(-1, LP_MECH_COUNT));
    printf("     the run waits for the Linux AIO child's exit (no hand-off)\n");
    prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
  }
}

static void section_hang(char *loopprobe, const char *preload)
{
  static const char *const timeouts[] = {"500", "1000"};
  size_t t;
  int i;

  printf("\na probe that hangs costs its watchdog (LD_PRELOAD=%s:\n"
         " epoll_wait, poll and ppoll never return; median of %d runs):\n",
         preload, N_HANG_RUNS);
  for (t = 0; t < sizeof(timeouts) / sizeof(timeouts[0]); t++) {
    char *argv[] = {loopprobe, "--quiet", "--timeout", (char *)timeouts[t], NULL};
    double wall[N_HANG_RUNS];
    char label[96];
    for (i = 0; i < N_HANG_RUNS; i++)
      wall[i] = run_command(argv, preload, OK_0_1).wall_ms;
    snprintf(label, sizeof(label), "loopprobe --quiet --timeout %s", timeouts[t]);
    printf("  %-46s %6.1f ms\n", label, median_of(wall, N_HANG_RUNS));
  }
}

static void section_inprocess(void)
{
  static double t[N_CHECKS];
  struct stats s;
  int i;

  printf("\none cell in-process:\n");
  for (i = 0; i < N_RUNS; i++)
    t[i] = time_run("epoll@api", 0, NULL);
  s = summarize(t, N_RUNS);
  printf("  %-46s %6.2f ms  (p10 %.2f, p90 %.2f)\n", "with its timed waits (epoll@api)", s.median,
         s.p10, s.p90);
  for (i = 0; i < N_CHECKS; i++)
    t[i] = time_check("epoll@api");
  s = summarize(t, N_CHECKS);
  printf("  %-46s %6.2f us  (p10 %.2f, p90 %.2f)\n", "quick: lp_check(\"epoll@api\")", s.median,
         s.p10, s.p90);
}

int main(int argc, char **argv)
{
  const char *env = getenv("LP_BENCH_PAIRS");
  int pairs = env ? atoi(env) : 20;
  double load[3] = {0, 0, 0};

  if (argc < 3 || argc > 4) {
    fprintf(stderr, "usage: lp_bench LOOPPROBE PYTHON [HANG_PRELOAD]\n");
    return 2;
  }
  if (pairs < 2 || pairs > MAX_PAIRS) {
    fprintf(stderr, "lp_bench: LP_BENCH_PAIRS must be 2 to %d\n", MAX_PAIRS);
    return 2;
  }
  machine();
  section_paired(argv[1], argv[2], pairs);
  section_grows();
  if (argc > 3)
    section_hang(argv[1], argv[3]);
  section_inprocess();
  getloadavg(load, 3);
  printf("\nload average at the end: %.2f %.2f %.2f (a busy machine widens p10-p90; the "
         "ratios hold)\n",
         load[0], load[1], load[2]);
  return 0;
}
