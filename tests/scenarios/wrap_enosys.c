/*
 * wrap_enosys.c - an LD_PRELOAD wrapper that makes epoll look absent:
 * epoll_create1() answers ENOSYS without reaching the kernel.  The syscall
 * layer shows the kernel has epoll, so loopprobe must say "hidden" and name
 * this object, not "missing".
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
