/* SPDX-License-Identifier: MIT */
/*
 * close_hook.c - lets ThreadSanitizer see libuv close its descriptors.
 *
 * libuv closes with syscall(SYS_close, fd), not close(), on Linux (close()
 * is a cancellation point in glibc: uv__close_nocancel() in
 * src/unix/core.c).  ThreadSanitizer intercepts close() and keeps a record
 * of every open descriptor; it never sees that system call, so it believes
 * the descriptor still open, and when another thread's pipe(), eventfd()
 * or epoll_create1() is given the same number - as the kernel does, safely
 * - it reports a data race between the two threads' descriptor records.
 * Every one of the 30 reports a run of 16 x 1000 lp_check() gave without
 * this file was of that shape: the earlier access a descriptor libuv
 * created (uv_async_init, uv_pipe, its loop's epoll instance), the later
 * one another thread's new descriptor or its use.  A ten-line program
 * that closes with syscall(SYS_close) in one thread and calls pipe() in
 * another gets the same report; with close() it gets none.
 *
 * libuv built with ThreadSanitizer itself announces the close with the
 * sanitizer's system-call hooks; Debian's libuv is not built so.  This
 * file does the same for it: the process's syscall() - which libuv's calls
 * reach, the executable's definition coming first - announces SYS_close
 * and passes every call on to the C library's.  Nothing is suppressed,
 * and nothing libuv does changes.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sanitizer/linux_syscall_hooks.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/syscall.h>

long syscall(long number, ...);

static long (*libc_syscall)(long, ...);

/* Before any thread: the lookup is not itself a race. */
__attribute__((constructor)) static void find_libc_syscall(void)
{
  libc_syscall = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
  if (!libc_syscall)
    abort();
}

long syscall(long number, ...)
{
  long a[6], rc;
  va_list ap;
  int i;

  va_start(ap, number);
  for (i = 0; i < 6; i++)
    a[i] = va_arg(ap, long);
  va_end(ap);
  if (number == SYS_close)
    __sanitizer_syscall_pre_close(a[0]);
  rc = libc_syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
  if (number == SYS_close)
    __sanitizer_syscall_post_close(rc, a[0]);
  return rc;
}
