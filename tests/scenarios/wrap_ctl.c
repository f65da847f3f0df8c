/* SPDX-License-Identifier: MIT */
/*
 * wrap_ctl.c - an LD_PRELOAD wrapper that breaks epoll registrations:
 * epoll_ctl() fails with EIO without reaching the kernel, while
 * epoll_create1() and the waits work.  libuv aborts on an epoll_ctl()
 * error it does not expect, so a check that entered libuv here would take
 * its host down; lp_check() must name this object instead (tests/api's
 * host programs run under it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/epoll.h>

int epoll_ctl(int ep, int op, int fd, struct epoll_event *ev)
{
  (void)ep, (void)op, (void)fd, (void)ev;
  errno = EIO;
  return -1;
}
