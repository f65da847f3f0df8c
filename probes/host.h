/*
 * host.h - facts about the machine that verdicts and findings rest on.
 * One implementation per OS family (host_linux.c, ...), chosen by CMake.
 * A fact that cannot be read is NULL or -1, and a note says why; a missing
 * /proc never stops a run.
 */
#ifndef LP_HOST_H
#define LP_HOST_H

#include "util.h"

struct lp_env_var {
  char *name;
  char *value;
};

struct lp_host {
  char *os;            /* "linux" */
  char *kernel;        /* uname release */
  char *arch;          /* uname machine */
  char *libc;          /* "glibc 2.36" */
  int proc_ok;         /* /proc/self/status was readable */
  int seccomp_mode;    /* -1 unknown, 0 disabled, 1 strict, 2 filter */
  int seccomp_filters; /* -1 unknown */
  long tracer_pid;     /* -1 unknown, 0 none */
  char *tracer_name;
  int io_uring_disabled;        /* kernel.io_uring_disabled, -1 when absent */
  struct lp_strv preload;       /* LD_PRELOAD entries */
  struct lp_strv ld_so_preload; /* /etc/ld.so.preload entries */
  char *virt;                   /* best guess, or NULL */
  struct lp_strv virt_evidence;
  struct lp_strv notes;   /* facts that could not be read, and why */
  struct lp_env_var *env; /* the allow-listed environment, sorted by name */
  size_t nenv;
};

/* Collects the facts.  Returns 0, or -1 when memory ran out. */
int lp_host_collect(struct lp_host *h);
void lp_host_free(struct lp_host *h);

/* The process environment, as the OS exposes it (host_<os>.c). */
char **lp_os_environ(void);

/* The allow-listed environment (env.c, shared by every OS). */
int lp_env_collect(struct lp_host *h);
/* 1 when name is on the allow-list. */
int lp_env_allowed(const char *name);
/* 1 when a name looks like it holds a secret; its value is never reported. */
int lp_env_secret(const char *name);
/* Splits an LD_PRELOAD-style list (space or colon separated) into sv. */
int lp_split_list(const char *s, struct lp_strv *sv);

#endif
