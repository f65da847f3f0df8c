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

int lp_fd_link(int fd, char *buf, size_t size)
{
  char path[64];
  ssize_t n;

  lp_fmt(path, sizeof(path), "/proc/self/fd/%d", fd);
  n = readlink(path, buf, size - 1);
  if (n < 0)
    return -1;
  buf[n] = '\0';
  return 0;
}

int lp_fd_kind(int fd)
{
  char link[128];

  if (lp_fd_link(fd, link, sizeof(link)) < 0)
    return -1;
  if (strcmp(link, "anon_inode:[eventpoll]") == 0)
    return LP_KOBJ_EPOLL;
  if (strcmp(link, "anon_inode:[io_uring]") == 0)
    return LP_KOBJ_IO_URING;
  return 0;
}

/* The descriptors epoll instance ep watches, up to max of them, in
   targets (*n); returns 1 when fd is among them (counted past max too). */
static int epoll_targets(int ep, int fd, int *targets, size_t max, size_t *n)
{
  char path[64], line[256];
  FILE *f = NULL;
  int found = 0, t;

  *n = 0;
  lp_fmt(path, sizeof(path), "/proc/self/fdinfo/%d", ep);
  f = fopen(path, "re");
  if (!f)
    return 0;
  while (fgets(line, sizeof(line), f)) {
    if (strncmp(line, "tfd:", 4) != 0)
      continue;
    t = atoi(line + 4);
    found |= t == fd;
    if (*n < max)
      targets[(*n)++] = t;
  }
  fclose(f);
  return found;
}

/* 1 when epoll instance ep lists fd among the descriptors it watches. */
static int epoll_watches(int ep, int fd)
{
  size_t n;

  return epoll_targets(ep, fd, NULL, 0, &n);
}

int lp_epoll_watching(int fd, int *targets, size_t max, size_t *n)
{
  DIR *d = opendir("/proc/self/fd");
  struct dirent *e;
  int ep = -1;

  *n = 0;
  if (!d)
    return -1;
  while (ep < 0 && (e = readdir(d)) != NULL) {
    int cand = atoi(e->d_name);
    if (e->d_name[0] < '0' || e->d_name[0] > '9' || cand == dirfd(d) ||
        lp_fd_kind(cand) != (int)LP_KOBJ_EPOLL)
      continue;
    if (epoll_targets(cand, fd, targets, max, n))
      ep = cand;
  }
  closedir(d);
  if (ep < 0)
    *n = 0;
  return ep;
}

struct scan {
  int watched_fd;
  int epoll_watching; /* an epoll instance watches watched_fd */
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
    if (kind == (int)LP_KOBJ_EPOLL && epoll_watches(fd, s->watched_fd))
      s->epoll_watching = 1;
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
  if (mech == LP_MECH_EPOLL && !s.epoll_watching)
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

int lp_fd_link(int fd, char *buf, size_t size)
{
  (void)fd, (void)buf, (void)size;
  return -1;
}

int lp_fd_kind(int fd)
{
  (void)fd;
  return -1;
}

int lp_epoll_watching(int fd, int *targets, size_t max, size_t *n)
{
  (void)fd, (void)targets, (void)max;
  *n = 0;
  return -1;
}

int lp_expect_kernel_objects(struct lp_obs *o, const char *library, enum lp_mechanism mech,
                             int watched_fd)
{
  (void)o, (void)library, (void)mech, (void)watched_fd;
  return 0;
}

#endif
