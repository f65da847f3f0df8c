/* SPDX-License-Identifier: MIT */
/*
 * wrap_fail.c - an LD_PRELOAD wrapper that breaks epoll: epoll_wait() and
 * epoll_pwait() fail with EIO without reaching the kernel, the way a
 * broken interposer does.  loopprobe must classify epoll@api "hidden" and
 * name this object.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <sys/epoll.h>

int epoll_wait(int ep, struct epoll_event *ev, int n, int timeout)
{
  (void)ep, (void)ev, (void)n, (void)timeout;
  errno = EIO;
  return -1;
}

int epoll_pwait(int ep, struct epoll_event *ev, int n, int timeout, const sigset_t *mask)
{
  (void)ep, (void)ev, (void)n, (void)timeout, (void)mask;
  errno = EIO;
  return -1;
}
