/* SPDX-License-Identifier: MIT */
/*
 * host.h - facts about the machine that verdicts and findings rest on.
 * One implementation per OS family (host_linux.c, ...), chosen by CMake.
 * A fact that cannot be read is NULL or -1, and a note says why; a missing
 * /proc never stops a run.
 */
#ifndef LP_HOST_H
#define LP_HOST_H

#include "../base/util.h"

struct lp_env_var {
  char *name;
  char *value;
};

/* Limits that make probes fail when they run out.  known is 0 where they
   could not be read; -1 in a field means unlimited or unreadable. */
struct lp_limits {
  int known;
  long long nofile_soft, nofile_hard; /* RLIMIT_NOFILE */
  long long memlock_soft;             /* RLIMIT_MEMLOCK (io_uring rings before Linux 5.12) */
  long long epoll_max_user_watches;   /* fs.epoll.max_user_watches */
  long long aio_max_nr, aio_nr;       /* fs.aio-max-nr, fs.aio-nr */
};

struct lp_host {
  char *name;          /* the host name (uname's nodename), or NULL */
  int anonymized;      /* 1: name and paths under home directories replaced */
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
  struct lp_env_var *env; /* the allow-listed environment, sorted by name, each name once
                             (lp_env_collect: names of letters, digits and '_') */
  size_t nenv;
  struct lp_limits limits;
  /* A layer between the process and the kernel that answers the system
     calls: a user-space kernel (gVisor, WSL1) that implements them itself,
     or a user-mode emulator (qemu-user) that translates each to the host
     kernel's and answers ENOSYS for those it does not know.  NULL when
     none is seen; the evidence says what showed it. */
  char *emulator;
  int emulator_translates; /* 1: qemu-user (working calls are the kernel's); 0: implements */
  struct lp_strv emulator_evidence;
  /* Bit i for each standard descriptor i (0, 1, 2) that is not open: a
     descriptor the process (or a library in it) opens next takes it. */
  unsigned std_closed;
  /* Set by the run: how fast the C library's monotonic clock ran against
     the kernel's while the probes ran (1.0 normally; 0 when unknown), and
     the time and wait functions a wrapper serves ("clock_gettime() is
     served by ..."). */
  double libc_clock_rate;
  struct lp_strv time_wrappers;
};

/* Collects the facts.  Returns 0, or -1 when memory ran out. */
int lp_host_collect(struct lp_host *h);

/* 1 when a user-space kernel answers the system calls (gVisor, WSL1: the
   emulator of the facts, when it does not translate), which makes every
   working cell of the syscall and api layers "emulated".  It cannot
   change while the process lives: read once, for the cheap path of
   lp_check(). */
int lp_host_kernel_emulated(void);
void lp_host_free(struct lp_host *h);

/* The process environment, as the OS exposes it (host_<os>.c). */
char **lp_os_environ(void);

/* The allow-listed environment (env.c, shared by every OS). */
int lp_env_collect(struct lp_host *h);
/* 1 when name is on the allow-list. */
int lp_env_allowed(const char *name);
/* 1 when a name looks like it holds a secret; its value is never reported. */
int lp_env_secret(const char *name);
/* The i-th name of the exact allow-list, or NULL past its end (tests). */
const char *lp_env_allowed_name(size_t i);
/* Splits an LD_PRELOAD-style list (space or colon separated) into sv. */
int lp_split_list(const char *s, struct lp_strv *sv);

#endif
