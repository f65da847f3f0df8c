/* SPDX-License-Identifier: MIT */
/*
 * fdpair.c - pipes for the POSIX probes.  pipe() plus fcntl() rather than
 * pipe2(), so the same code serves Linux, the BSDs and macOS.
 */
#include "fdpair.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

static int set_flags(int fd)
{
  int fl = fcntl(fd, F_GETFL);

  if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
    return -1;
  return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

int lp_fdpair_open(struct lp_fdpair *p, struct lp_obs *o)
{
  int fds[2];

  if (pipe(fds) < 0)
    return lp_obs_fail(o, "pipe", errno);
  p->rd = fds[0];
  p->wr = fds[1];
  if (set_flags(p->rd) < 0 || set_flags(p->wr) < 0)
    return lp_obs_fail(o, "fcntl", errno);
  return 0;
}

int lp_fdpair_poke(struct lp_fdpair *p, struct lp_obs *o)
{
  char c = 'x';

  if (write(p->wr, &c, 1) != 1)
    return lp_obs_fail(o, "write", errno);
  return 0;
}

void lp_fdpair_drain(struct lp_fdpair *p)
{
  char buf[64];

  while (read(p->rd, buf, sizeof(buf)) > 0)
    ;
}

void lp_fdpair_close(struct lp_fdpair *p)
{
  if (p->rd >= 0)
    close(p->rd);
  if (p->wr >= 0)
    close(p->wr);
  p->rd = -1;
  p->wr = -1;
}
