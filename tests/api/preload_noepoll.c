/*
 * preload_noepoll.c - an LD_PRELOAD library that hides epoll the way a
 * broken wrapper or a compatibility shim does: epoll_create1() and
 * epoll_create() fail with ENOSYS in libc's API, while the kernel's epoll
 * (reached with syscall(2)) keeps working.  The tests start programs under
 * it and check that lp_check() refuses epoll@api with the failing call
 * named, and that the full run calls the cell hidden and names this file.
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
