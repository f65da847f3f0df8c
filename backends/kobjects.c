/*
 * kobjects.c - the kernel objects behind a loop, read from the names of
 * /proc/self/fd links on Linux ("anon_inode:[eventpoll]",
 * "anon_inode:[io_uring]").  Elsewhere there is no such evidence and the
 * checks pass with a note of nothing; a library's own claim stays a claim.
 */
#define _GNU_SOURCE
#include "kobjects.h"

#include "../probes/util.h"

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

void lp_fdsnap_take(struct lp_fdsnap *s)
{
  DIR *d = opendir("/proc/self/fd");
  struct dirent *e;

  memset(s, 0, sizeof(*s));
  if (!d)
    return;
  while ((e = readdir(d)) != NULL) {
    int fd = atoi(e->d_name);
    /* The listing's own descriptor is closed again and will be reused. */
    if (e->d_name[0] >= '0' && e->d_name[0] <= '9' && fd < 1024 && fd != dirfd(d))
      s->open[fd / 8] |= (unsigned char)(1u << (fd % 8));
  }
  closedir(d);
  s->valid = 1;
}

int lp_fdsnap_new_kinds(const struct lp_fdsnap *s)
{
  int fd, kinds = 0;

  if (!s->valid)
    return -1;
  for (fd = 0; fd < 1024; fd++) {
    int k;
    if (s->open[fd / 8] & (1u << (fd % 8)))
      continue;
    k = lp_fd_kind(fd);
    if (k > 0)
      kinds |= k;
  }
  return kinds;
}

#else

int lp_fd_kind(int fd)
{
  (void)fd;
  return -1;
}

void lp_fdsnap_take(struct lp_fdsnap *s)
{
  memset(s, 0, sizeof(*s));
}

int lp_fdsnap_new_kinds(const struct lp_fdsnap *s)
{
  (void)s;
  return -1;
}

#endif

int lp_expect_kernel_objects(struct lp_obs *o, const char *library, enum lp_mechanism mech,
                             int kinds)
{
  int want = mech == LP_MECH_EPOLL      ? LP_KOBJ_EPOLL
             : mech == LP_MECH_IO_URING ? LP_KOBJ_IO_URING
                                        : 0;
  int foreign = (LP_KOBJ_EPOLL | LP_KOBJ_IO_URING) & ~want;

  if (kinds < 0)
    return 0;
  if (want && !(kinds & want))
    return lp_obs_misbehave(o, LP_MIS_WRONG_BACKEND,
                            "%s says %s, but its loop holds no %s instance", library,
                            lp_mechanism_name(mech), lp_mechanism_name(mech));
  if (!want && (kinds & foreign) && mech != LP_MECH_LINUXAIO)
    return lp_obs_misbehave(
        o, LP_MIS_WRONG_BACKEND, "%s says %s, but its loop holds an %s instance", library,
        lp_mechanism_name(mech), (kinds & LP_KOBJ_EPOLL) ? "epoll" : "io_uring");
  return 0;
}
