/* SPDX-License-Identifier: MIT */
/*
 * sys.h - the few kernel services loopprobe's own machinery needs, reached
 * in ways an interposer of the probed wrappers cannot bend.  On Linux they
 * are raw system calls made with the syscall instruction itself (not even
 * libc's syscall(), which a wrapper could replace); elsewhere the closest
 * the platform offers.
 */
#ifndef LP_SYS_H
#define LP_SYS_H

#include <stdint.h>

/* Monotonic time in nanoseconds. */
int64_t lp_mono_ns(void);
/* Monotonic time through the C library, which a wrapper (libfaketime) can
   bend: compared with lp_mono_ns() it shows whether one does.  0 where
   lp_mono_ns() already goes through the C library. */
int64_t lp_libc_mono_ns(void);
/* Wall-clock time in seconds since the epoch (UTC). */
int64_t lp_wall_sec(void);

/* The current time as RFC 3339 UTC ("2026-11-22T10:00:00Z"). */
void lp_utc_now(char *buf, unsigned size);

#if !defined(_WIN32)
#include <poll.h>
#include <sys/types.h>

/* poll() with a nanosecond timeout (-1 = none).  Returns the count or -errno. */
int lp_sys_poll(struct pollfd *fds, unsigned n, int64_t timeout_ns);
/* waitpid(); nohang != 0 adds WNOHANG.  Returns the pid, 0, or -errno. */
long lp_sys_wait(pid_t pid, int *status, int nohang);
/* kill().  Returns 0 or -errno. */
int lp_sys_kill(pid_t pid, int sig);

/* Whether an orphan of one of this process's children would be handed
   back to this process to reap: it is the init of its PID namespace, or a
   child subreaper.  Such a process must not be given orphans it does not
   expect (lp_sys_hand_off_exit()). */
int lp_sys_orphans_return(void);

/* Takes the kernel's teardown of this process's address space off its
   exit: a helper process sharing the address space (CLONE_VM) holds it
   until this process has exited, then exits itself and pays the teardown
   (a Linux AIO context makes it wait for RCU grace periods, ~35 ms), so
   this process exits at once and its parent reaps it at once.  The helper
   runs no code but closing its copies of the descriptors, a blocking read
   and exit; it is reparented when this process exits (to init or the
   nearest subreaper, who reaps it).  Call it last, right before _exit(),
   once the descriptors whose end someone waits for are closed.  Returns 0,
   or -errno when nothing was handed off (the exit then pays as before):
   ENOSYS off Linux and under valgrind, which cannot run such a process. */
int lp_sys_hand_off_exit(void);
#endif

/* How many descriptors the process can still open, counted up to want
   (opened in pairs and closed again); -1 where it cannot be measured.
   After an EMFILE it tells a full descriptor table from an error that
   came from somewhere else (a tracer's injection). */
int lp_sys_fd_room(int want);

/* Linux only: a raw system call.  Returns the result, or -errno. */
long lp_rawsys(long nr, long a1, long a2, long a3, long a4, long a5, long a6);

#endif
