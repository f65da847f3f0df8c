/* SPDX-License-Identifier: MIT */
/*
 * wrap_crash.c - an LD_PRELOAD wrapper that crashes: epoll_wait and select
 * dereference a null pointer.  loopprobe must report epoll@api and
 * select@api as "crashed" with SIGSEGV, and survive.
 */
#define _GNU_SOURCE
#include <sys/epoll.h>
#include <sys/select.h>

static int crash(void)
{
  volatile int *p = (volatile int *)0;
  return *p;
}

int epoll_wait(int ep, struct epoll_event *ev, int n, int timeout)
{
  (void)ep, (void)ev, (void)n, (void)timeout;
  return crash();
}

int select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
  (void)n, (void)r, (void)w, (void)e, (void)tv;
  return crash();
}
