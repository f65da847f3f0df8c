/* SPDX-License-Identifier: MIT */
/*
 * child_posix.c - the children of a process where fork() exists.
 * lp_child_main() has nothing to serve: the runner forks its children and
 * never starts the program again, so the call returns at once.
 * lp_child_collect() is a watchdog over a child a binding forked itself
 * (the Python binding's python cell), waiting with the same raw calls as
 * the runner, so that nothing the child probes can bend the wait.
 */
#include "loopprobe.h"

#include "../sys/sys.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

int lp_child_main(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return 0;
}

/* Reads what the child wrote; returns 0 at its end of the pipe. */
static int drain(int fd, char *buf, size_t size, size_t *used)
{
  char scratch[512];
  char *to = *used + 1 < size ? buf + *used : scratch;
  size_t room = *used + 1 < size ? size - 1 - *used : sizeof(scratch);
  ssize_t n = read(fd, to, room);

  if (n < 0)
    return errno == EINTR || errno == EAGAIN ? 1 : 0;
  if (n > 0 && to != scratch)
    *used += (size_t)n;
  return n > 0;
}

/* Waits for the exit of pid until deadline; returns its pid, 0 at the
   deadline, or -errno. */
static long reap(pid_t pid, int *status, int64_t deadline)
{
  long rc;

  for (;;) {
    rc = lp_sys_wait(pid, status, 1);
    if (rc != 0 && rc != -EINTR)
      return rc;
    if (lp_mono_ns() >= deadline)
      return 0;
    lp_sys_poll(NULL, 0, 1000000); /* 1 ms */
  }
}

int lp_child_collect(long pid, int fd, unsigned timeout_ms, char *buf, size_t size, int *status)
{
  int64_t deadline = lp_mono_ns() + (int64_t)timeout_ms * 1000000;
  struct pollfd p;
  size_t used = 0;
  int st = 0, reading = fd >= 0;
  long rc;

  while (reading) {
    int64_t left = deadline - lp_mono_ns();
    if (left <= 0)
      break;
    p.fd = fd;
    p.events = POLLIN;
    p.revents = 0;
    rc = lp_sys_poll(&p, 1, left);
    if (rc > 0)
      reading = drain(fd, buf, size, &used);
    else if (rc < 0 && rc != -EINTR)
      reading = 0;
  }
  if (buf && size)
    buf[used] = '\0';
  rc = reap((pid_t)pid, &st, deadline);
  if (rc == 0) {
    lp_sys_kill(-(pid_t)pid, SIGKILL); /* its group, when it made one */
    lp_sys_kill((pid_t)pid, SIGKILL);
    while ((rc = lp_sys_wait((pid_t)pid, &st, 0)) == -EINTR)
      ;
    if (status)
      *status = st;
    return rc == pid ? 1 : -1;
  }
  if (status)
    *status = st;
  return rc == pid ? 0 : -1;
}
