/* SPDX-License-Identifier: MIT */
/*
 * sys_bsd.c - loopprobe's own machinery on macOS and the BSDs: the clock,
 * waiting for and killing children, and poll() for the runner.
 *
 * Traps: none of these systems supports calling the kernel without libc
 * (macOS forbids it, OpenBSD refuses system calls from outside libc), so
 * the runner reaches the kernel through libc's plain entry points, below
 * the event functions a wrapper would target.  On macOS the monotonic
 * clock is mach_absolute_time(), which DYLD_INSERT_LIBRARIES time fakers
 * that rewrite clock_gettime() leave alone.
 */
#include "sys.h"

#include <errno.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__APPLE__)
#include <mach/mach_time.h>
#endif

int64_t lp_mono_ns(void)
{
#if defined(__APPLE__)
  mach_timebase_info_data_t tb;
  uint64_t t = mach_absolute_time();

  if (mach_timebase_info(&tb) != 0 || tb.denom == 0)
    return 0;
  return (int64_t)(t / tb.denom * tb.numer + t % tb.denom * tb.numer / tb.denom);
#else
  struct timespec ts = {0, 0};

  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
    return 0;
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
#endif
}

int64_t lp_wall_sec(void)
{
  struct timeval tv;

  if (gettimeofday(&tv, NULL) != 0)
    return 0;
  return (int64_t)tv.tv_sec;
}

void lp_utc_now(char *buf, unsigned size)
{
  time_t t = (time_t)lp_wall_sec();
  struct tm tm;

  if (!gmtime_r(&t, &tm) || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    buf[0] = '\0';
}

int lp_sys_poll(struct pollfd *fds, unsigned n, int64_t timeout_ns)
{
  int ms = -1, rc;

  if (timeout_ns >= 0)
    ms = timeout_ns / 1000000 > 86400000 ? 86400000 : (int)((timeout_ns + 999999) / 1000000);
  rc = poll(fds, (nfds_t)n, ms);
  return rc < 0 ? -errno : rc;
}

long lp_sys_wait(pid_t pid, int *status, int nohang)
{
  pid_t rc = waitpid(pid, status, nohang ? WNOHANG : 0);

  return rc < 0 ? -errno : (long)rc;
}

int lp_sys_fd_room(int want)
{
  int fds[64];
  int n = 0, i;

  if (want > (int)(sizeof(fds) / sizeof(fds[0])))
    want = (int)(sizeof(fds) / sizeof(fds[0]));
  while (n + 2 <= want && pipe(&fds[n]) == 0)
    n += 2;
  for (i = 0; i < n; i++)
    close(fds[i]);
  return n;
}

int lp_sys_kill(pid_t pid, int sig)
{
  return kill(pid, sig) < 0 ? -errno : 0;
}

int lp_sys_orphans_return(void)
{
  return getpid() == 1;
}

/* Nothing here has a teardown worth taking off an exit. */
int lp_sys_hand_off_exit(void)
{
  return -ENOSYS;
}

long lp_rawsys(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
  (void)nr;
  (void)a1;
  (void)a2;
  (void)a3;
  (void)a4;
  (void)a5;
  (void)a6;
  return -ENOSYS;
}

/* The monotonic clock here already comes through the C library or the
   system's API: there is no second, independent clock to compare. */
int64_t lp_libc_mono_ns(void)
{
  return 0;
}
