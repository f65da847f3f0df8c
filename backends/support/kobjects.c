/* SPDX-License-Identifier: MIT */
/*
 * kobjects.c - the kernel objects behind a loop, read from /proc/self/fd
 * link names ("anon_inode:[eventpoll]", "anon_inode:[io_uring]") and from
 * an epoll instance's /proc/self/fdinfo, which lists every descriptor it
 * watches ("tfd: N").  Elsewhere there is no such evidence and the checks
 * pass; a library's own claim stays a claim.
 */
#define _GNU_SOURCE
#include "kobjects.h"

#include "../../base/util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__linux__)

int lp_fd_kind(int fd)
{
  char path[64], link[128];
  ssize_t n;

  lp_fmt(path, sizeof(path), "/proc/self/fd/%d", fd);
  n = readlink(path, link, sizeof(link) - 1);
  if (n < 0)
    return -1;
  link[n] = '\0';
  if (strcmp(link, "anon_inode:[eventpoll]") == 0)
    return LP_KOBJ_EPOLL;
  if (strcmp(link, "anon_inode:[io_uring]") == 0)
    return LP_KOBJ_IO_URING;
  return 0;
}

/* 1 when epoll instance ep lists fd among the descriptors it watches, 0
   when it does not, -1 when its fdinfo cannot be read (EMFILE when the
   probe used up its descriptors): then nothing is known. */
static int epoll_watches(int ep, int fd)
{
  char path[64], line[256];
  FILE *f = NULL;
  int found = 0;

  lp_fmt(path, sizeof(path), "/proc/self/fdinfo/%d", ep);
  f = fopen(path, "re");
  if (!f)
    return -1;
  while (!found && fgets(line, sizeof(line), f))
    found = strncmp(line, "tfd:", 4) == 0 && atoi(line + 4) == fd;
  fclose(f);
  return found;
}

struct scan {
  int watched_fd;
  int epoll_watching; /* an epoll instance watches watched_fd */
  int epoll_unread;   /* epoll instances whose fdinfo could not be read */
  int rings;          /* io_uring instances */
};

/* Walks this process's descriptors; returns -1 without /proc. */
static int scan(struct scan *s)
{
  DIR *d = opendir("/proc/self/fd");
  struct dirent *e;

  if (!d)
    return -1;
  while ((e = readdir(d)) != NULL) {
    int fd = atoi(e->d_name), kind;
    if (e->d_name[0] < '0' || e->d_name[0] > '9' || fd == dirfd(d))
      continue;
    kind = lp_fd_kind(fd);
    if (kind == (int)LP_KOBJ_EPOLL) {
      int w = epoll_watches(fd, s->watched_fd);
      s->epoll_watching |= w > 0;
      s->epoll_unread += w < 0;
    }
    s->rings += kind == (int)LP_KOBJ_IO_URING;
  }
  closedir(d);
  return 0;
}

int lp_expect_kernel_objects(struct lp_obs *o, const char *library, enum lp_mechanism mech,
                             int watched_fd)
{
  const char *m = lp_mechanism_name(mech);
  struct scan s;

  memset(&s, 0, sizeof(s));
  s.watched_fd = watched_fd;
  if (scan(&s) < 0)
    return 0;
  /* An epoll instance that could not be read may be the one: no evidence. */
  if (mech == LP_MECH_EPOLL && !s.epoll_watching && !s.epoll_unread)
    return lp_obs_misbehave(o, LP_MIS_WRONG_BACKEND,
                            "%s says epoll, but no epoll instance watches its descriptor", library);
  if (mech == LP_MECH_IO_URING && s.rings == 0)
    return lp_obs_misbehave(o, LP_MIS_WRONG_BACKEND, "%s says io_uring, but no ring exists",
                            library);
  if ((mech == LP_MECH_POLL || mech == LP_MECH_SELECT) && s.epoll_watching)
    return lp_obs_misbehave(o, LP_MIS_WRONG_BACKEND,
                            "%s says %s, but an epoll instance watches its descriptor", library, m);
  return 0;
}

#else

int lp_fd_kind(int fd)
{
  (void)fd;
  return -1;
}

int lp_expect_kernel_objects(struct lp_obs *o, const char *library, enum lp_mechanism mech,
                             int watched_fd)
{
  (void)o, (void)library, (void)mech, (void)watched_fd;
  return 0;
}

#endif
