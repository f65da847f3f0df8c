/* SPDX-License-Identifier: MIT */
/*
 * bench_fleet.c - what loopprobe merge costs on a fleet of 10,000 hosts.
 *
 *   lp_bench_fleet LOOPPROBE [HOSTS]
 *
 * Makes two real reports with LOOPPROBE (one clean, one with
 * EVENT_NOEPOLL=1), writes HOSTS reports (10,000 by default) into a fresh
 * directory under $TMPDIR - every 50th the EVENT_NOEPOLL one, each with
 * its own host name - then times "loopprobe merge DIR" (text and JSON,
 * to /dev/null) with the monotonic clock: medians of 5 runs, and the CPU
 * time the merges used (user + system, all threads).  The directory is
 * removed at the end.
 */
#define _XOPEN_SOURCE 700
#include "loopprobe.h"

#include <dirent.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUNS 5

extern char **environ;

static int spawn(char **argv, char **envp)
{
  pid_t pid;
  int st = 0;

  if (posix_spawn(&pid, argv[0], NULL, NULL, argv, envp) != 0 || waitpid(pid, &st, 0) < 0)
    return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A report made by loopprobe, as text; NULL on failure. */
static char *make_report(const char *loopprobe, const char dir[1024], const char *name, int noepoll)
{
  char path[4096], *buf = NULL;
  char *argv[] = {(char *)loopprobe, "--format", "json", "--host-name", "HOST",
                  "--output",        path,       NULL};
  char *envp[] = {"EVENT_NOEPOLL=1", NULL};
  FILE *f = NULL;
  long n;

  snprintf(path, sizeof(path), "%s/%s", dir, name);
  if (spawn(argv, noepoll ? envp : environ) < 0 || !(f = fopen(path, "rb")))
    return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  if (n > 0 && (buf = calloc(1, (size_t)n + 1)) && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  unlink(path);
  return buf;
}

/* Writes report with "HOST" as the host's name replaced by name. */
static int write_host(const char dir[1024], int i, const char *report)
{
  const char *at = strstr(report, "\"name\": \"HOST\"");
  char path[4096];
  FILE *f = NULL;
  int ok;

  if (!at)
    return -1;
  snprintf(path, sizeof(path), "%s/host-%05d.json", dir, i);
  if (!(f = fopen(path, "wb")))
    return -1;
  ok = fwrite(report, 1, (size_t)(at - report), f) == (size_t)(at - report) &&
       fprintf(f, "\"name\": \"web-%05d\"", i) > 0 &&
       fputs(at + strlen("\"name\": \"HOST\""), f) >= 0;
  return fclose(f) == 0 && ok ? 0 : -1;
}

static int cmp(const void *a, const void *b)
{
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

  return x < y ? -1 : x > y;
}

static double cpu_seconds(void)
{
  struct rusage ru;

  getrusage(RUSAGE_CHILDREN, &ru);
  return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
         ru.ru_stime.tv_usec / 1e6;
}

static int time_merge(const char *loopprobe, const char *dir, const char *format, int hosts)
{
  char *argv[] = {(char *)loopprobe, "merge",     "--format",  (char *)format,
                  "--output",        "/dev/null", (char *)dir, NULL};
  int64_t t[RUNS];
  double cpu0 = cpu_seconds();
  int i, rc = 0;

  for (i = 0; i < RUNS; i++) {
    long long a = lp_monotonic_ns();
    rc = spawn(argv, environ);
    t[i] = lp_monotonic_ns() - a;
    if (rc != 1) { /* every 50th host has an error finding */
      fprintf(stderr, "lp_bench_fleet: loopprobe merge exited %d, expected 1\n", rc);
      return -1;
    }
  }
  qsort(t, RUNS, sizeof(t[0]), cmp);
  printf("  merge %d reports, %-8s %8.1f ms  (min %.1f, max %.1f, n=%d; CPU %.1f ms a run)\n",
         hosts, format, (double)t[RUNS / 2] / 1e6, (double)t[0] / 1e6, (double)t[RUNS - 1] / 1e6,
         RUNS, (cpu_seconds() - cpu0) * 1e3 / RUNS);
  return 0;
}

static void remove_dir(const char dir[1024])
{
  DIR *d = opendir(dir);
  struct dirent *e = NULL;
  char path[4096];

  while (d && (e = readdir(d)) != NULL)
    if (e->d_name[0] != '.') {
      snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
      unlink(path);
    }
  if (d)
    closedir(d);
  rmdir(dir);
}

int main(int argc, char **argv)
{
  const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : P_tmpdir;
  char dir[1024];
  char *clean = NULL, *noepoll = NULL;
  int hosts = argc > 2 ? atoi(argv[2]) : 10000, i, rc = 1;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);

  if (argc < 2 || hosts < 1) {
    fprintf(stderr, "usage: lp_bench_fleet LOOPPROBE [HOSTS]\n");
    return 2;
  }
  snprintf(dir, sizeof(dir), "%s/lp_bench_fleet.XXXXXX", tmp);
  if (!mkdtemp(dir)) {
    perror("lp_bench_fleet: mkdtemp");
    return 1;
  }
  clean = make_report(argv[1], dir, "clean.json", 0);
  noepoll = make_report(argv[1], dir, "noepoll.json", 1);
  if (!clean || !noepoll) {
    fprintf(stderr, "lp_bench_fleet: %s could not write the two reports\n", argv[1]);
    goto out;
  }
  for (i = 0; i < hosts; i++)
    if (write_host(dir, i, i % 50 == 7 ? noepoll : clean) < 0) {
      perror("lp_bench_fleet: writing the reports");
      goto out;
    }
  printf("loopprobe merge: %d reports of %zu bytes, %ld processors online\n", hosts, strlen(clean),
         cpus);
  if (time_merge(argv[1], dir, "text", hosts) == 0 && time_merge(argv[1], dir, "json", hosts) == 0)
    rc = 0;
out:
  free(clean);
  free(noepoll);
  remove_dir(dir);
  return rc;
}
