/* SPDX-License-Identifier: MIT */
/*
 * stdfds.c - standard descriptors that were closed when the command
 * started.  A closed descriptor 0, 1 or 2 goes to the next object the
 * process opens: a probe's pipe, or a library's epoll instance (libuv
 * asserts that a loop's descriptor is above 2 and aborts, in a probe or -
 * with --no-isolate - in loopprobe itself).  So each closed one is opened
 * on /dev/null before anything else, in the direction it cannot be used
 * in: standard input write-only, standard output and error read-only.
 * Reading the input or writing the report then still fails with EBADF, as
 * on the closed descriptor, and a report that cannot be written still
 * exits 3.  Windows has no such numbering hazard: nothing to do there.
 */
#define _POSIX_C_SOURCE 200809L
#include "tool.h"

#if !defined(_WIN32)

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int tool_keep_std_fds(void)
{
  int fd;

  for (fd = 0; fd <= 2; fd++) {
    int got;
    if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
      continue;
    got = open("/dev/null", (fd == 0 ? O_WRONLY : O_RDONLY) | O_NOCTTY);
    if (got != fd) {
      int err = errno;
      if (got >= 0)
        close(got);
      tool_error("descriptor %d is closed, and open(\"/dev/null\") to take its place %s%s", fd,
                 got >= 0 ? "gave another one" : "failed: ", got >= 0 ? "" : strerror(err));
      return -1;
    }
  }
  return 0;
}

#else

int tool_keep_std_fds(void)
{
  return 0;
}

#endif
