/* SPDX-License-Identifier: MIT */
/*
 * wrap_hang.c - an LD_PRELOAD wrapper whose waits never return: epoll_wait,
 * poll and ppoll block forever.  It applies to loopprobe's own process too,
 * so loopprobe must finish in time without using any of them itself, and
 * report epoll@api and poll@api as "timeout".
 */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <unistd.h>

static void forever(void)
{
  for (;;)
    pause();
}

int epoll_wait(int ep, struct epoll_event *ev, int n, int timeout)
{
  (void)ep, (void)ev, (void)n, (void)timeout;
  forever();
  return -1;
}

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
  (void)fds, (void)n, (void)timeout;
  forever();
  return -1;
}

int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *ts, const sigset_t *mask)
{
  (void)fds, (void)n, (void)ts, (void)mask;
  forever();
  return -1;
}
