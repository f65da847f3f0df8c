/* SPDX-License-Identifier: MIT */
/*
 * kobjects.h - which kernel objects a loop holds, to check that a library
 * uses the mechanism it names.  A library's own answer ("epoll") is a
 * claim; the kernel's view of the loop is evidence.  The evidence is found
 * through the pipe the probe registered - the epoll instance that watches
 * it is the loop's - so other threads' descriptors cannot mislead it.
 */
#ifndef LP_KOBJECTS_H
#define LP_KOBJECTS_H

#include "../backend.h"

#define LP_KOBJ_EPOLL 0x1u    /* anon_inode:[eventpoll] */
#define LP_KOBJ_IO_URING 0x2u /* anon_inode:[io_uring] */

/* The LP_KOBJ_* kind of one descriptor; 0 for another kind, -1 unknown. */
int lp_fd_kind(int fd);

/* What /proc/self/fd says descriptor fd is ("pipe:[4711]",
   "anon_inode:[eventpoll]"); -1 where there is no such evidence. */
int lp_fd_link(int fd, char *buf, size_t size);

/* The epoll instance of this process that watches fd, with up to max of
   the descriptors it watches in targets (*n of them; the fdinfo order);
   -1 when none does or there is no such evidence. */
int lp_epoll_watching(int fd, int *targets, size_t max, size_t *n);

/*
 * Compares what a library named (mech) with the kernel objects behind its
 * loop - a walk of /proc, so the full run does it and lp_check() does not -
 * once the loop has registered watched_fd: for epoll an epoll
 * instance must watch it, for io_uring a ring must exist, for poll and
 * select no epoll instance may watch it.  Records LP_MIS_WRONG_BACKEND in
 * o and returns -1 when they disagree; 0 when they agree or this platform
 * shows no evidence.
 */
int lp_expect_kernel_objects(struct lp_obs *o, const char *library, enum lp_mechanism mech,
                             int watched_fd);

#endif
