/* SPDX-License-Identifier: MIT */
/*
 * wrap_enosys.c - an LD_PRELOAD wrapper that makes epoll look absent, the
 * way a broken wrapper or a compatibility shim does: epoll_create1() and
 * epoll_create() answer ENOSYS without reaching the kernel.  The syscall
 * layer shows the kernel has epoll, so loopprobe must say "hidden" and name
 * this object, not "missing".  The embedding tests (tests/api) and the
 * libuv example's tests run under it too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/epoll.h>

int epoll_create1(int flags)
{
  (void)flags;
  errno = ENOSYS;
  return -1;
}

int epoll_create(int size)
{
  (void)size;
  errno = ENOSYS;
  return -1;
}
