/* SPDX-License-Identifier: MIT */
/*
 * sys_linux.c - raw Linux system calls for loopprobe's own machinery and
 * for the syscall layer.
 *
 * On x86_64 and aarch64 the call is made with the instruction itself, so
 * neither an LD_PRELOAD of libc's syscall() nor the vDSO (which libfaketime
 * and similar tools bend through clock_gettime) sits in between.  Other
 * architectures fall back to libc's syscall(), which is still below the
 * wrappers of the named functions.
 *
 * lp_sys_hand_off_exit() starts a process with clone(CLONE_VM): it shares
 * the caller's memory and thread pointer, so everything it runs is a raw
 * system call on a stack of its own (no errno, no libc state).  valgrind
 * ends any program that makes such a process, so the call declines under
 * it (detected when valgrind's header was there at build time).
 */
#define _GNU_SOURCE
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define LP_HAVE_VALGRIND_H 1
#endif
#endif

/* close_range() (Linux 5.9) has the same number on every architecture. */
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

long lp_rawsys(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
#if defined(__x86_64__)
  long ret;
  register long r10 __asm__("r10") = a4;
  register long r8 __asm__("r8") = a5;
  register long r9 __asm__("r9") = a6;

  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
#elif defined(__aarch64__)
  register long x8 __asm__("x8") = nr;
  register long x0 __asm__("x0") = a1;
  register long x1 __asm__("x1") = a2;
  register long x2 __asm__("x2") = a3;
  register long x3 __asm__("x3") = a4;
  register long x4 __asm__("x4") = a5;
  register long x5 __asm__("x5") = a6;

  __asm__ volatile("svc 0"
                   : "+r"(x0)
                   : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
                   : "memory", "cc");
  return x0;
#else
  long ret = syscall(nr, a1, a2, a3, a4, a5, a6);
  return ret == -1 ? -errno : ret;
#endif
}

static int64_t clock_ns(clockid_t id)
{
  struct timespec ts = {0, 0};

  if (lp_rawsys(SYS_clock_gettime, id, (long)&ts, 0, 0, 0, 0) < 0)
    return 0;
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t lp_mono_ns(void)
{
  return clock_ns(CLOCK_MONOTONIC);
}

int64_t lp_libc_mono_ns(void)
{
  struct timespec ts;

  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
    return 0;
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t lp_wall_sec(void)
{
  return clock_ns(CLOCK_REALTIME) / 1000000000;
}

int lp_sys_poll(struct pollfd *fds, unsigned n, int64_t timeout_ns)
{
  struct timespec ts, *tp = NULL;

  if (timeout_ns >= 0) {
    ts.tv_sec = (time_t)(timeout_ns / 1000000000);
    ts.tv_nsec = (long)(timeout_ns % 1000000000);
    tp = &ts;
  }
  return (int)lp_rawsys(SYS_ppoll, (long)fds, (long)n, (long)tp, 0, 0, 0);
}

long lp_sys_wait(pid_t pid, int *status, int nohang)
{
  return lp_rawsys(SYS_wait4, pid, (long)status, nohang ? WNOHANG : 0, 0, 0, 0);
}

int lp_sys_fd_room(int want)
{
  int fds[64];
  int n = 0, i;

  if (want > (int)(sizeof(fds) / sizeof(fds[0])))
    want = (int)(sizeof(fds) / sizeof(fds[0]));
  while (n + 2 <= want && lp_rawsys(SYS_pipe2, (long)&fds[n], O_CLOEXEC, 0, 0, 0, 0) == 0)
    n += 2;
  for (i = 0; i < n; i++)
    lp_rawsys(SYS_close, fds[i], 0, 0, 0, 0, 0);
  return n;
}

int lp_sys_kill(pid_t pid, int sig)
{
  return (int)lp_rawsys(SYS_kill, pid, sig, 0, 0, 0, 0);
}

void lp_utc_now(char *buf, unsigned size)
{
  time_t t = (time_t)lp_wall_sec();
  struct tm tm;

  if (!gmtime_r(&t, &tm) || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    buf[0] = '\0';
}

int lp_sys_orphans_return(void)
{
  int on = 0;

  if (lp_rawsys(SYS_getpid, 0, 0, 0, 0, 0, 0) == 1)
    return 1;
  /* cannot tell (a sandbox refusing prctl): assume they would */
  if (lp_rawsys(SYS_prctl, PR_GET_CHILD_SUBREAPER, (long)&on, 0, 0, 0, 0) < 0)
    return 1;
  return on != 0;
}

#define HELPER_STACK (64 * 1024)

/* The helper: keeps the address space until the pipe's write end, which
   then only the caller holds, closes with the caller's exit - after that
   exit let go of the address space - then exits and pays the teardown.
   fds[0] is its end of the pipe, fds[1] the caller's. */
static int exit_helper(void *arg)
{
  const int *fds = arg;
  long rd = fds[0], n;
  char c;

  lp_rawsys(SYS_close, fds[1], 0, 0, 0, 0, 0);
  /* the copies of the caller's other descriptors; where close_range() is
     refused they stay open until the helper exits, like the caller's own */
  if (rd > 0)
    lp_rawsys(SYS_close_range, 0, rd - 1, 0, 0, 0, 0);
  lp_rawsys(SYS_close_range, rd + 1, (long)~0u, 0, 0, 0, 0);
  do
    n = lp_rawsys(SYS_read, rd, (long)&c, 1, 0, 0, 0);
  while (n > 0 || n == -EINTR);
  lp_rawsys(SYS_exit, 0, 0, 0, 0, 0, 0);
  return 0;
}

int lp_sys_hand_off_exit(void)
{
  int *fds = NULL;
  long rc;
  pid_t pid = -1;

#ifdef LP_HAVE_VALGRIND_H
  if (RUNNING_ON_VALGRIND)
    return -ENOSYS;
#endif
  fds = mmap(NULL, HELPER_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
             -1, 0);
  if (fds == MAP_FAILED)
    return -ENOMEM;
  /* the pipe's two ends sit at the bottom of the helper's stack, which
     grows down from the top: nothing else writes there */
  rc = lp_rawsys(SYS_pipe2, (long)fds, O_CLOEXEC, 0, 0, 0, 0);
  if (rc == 0) {
    pid = clone(exit_helper, (char *)fds + HELPER_STACK, CLONE_VM | SIGCHLD, fds);
    rc = pid < 0 ? -errno : 0;
    lp_rawsys(SYS_close, fds[0], 0, 0, 0, 0, 0);
    if (pid < 0)
      lp_rawsys(SYS_close, fds[1], 0, 0, 0, 0, 0);
  }
  if (pid < 0)
    munmap(fds, HELPER_STACK);
  return (int)rc;
}
