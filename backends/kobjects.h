/*
 * kobjects.h - which kernel objects a loop holds, to check that a library
 * uses the mechanism it names.  A library's own answer ("epoll") is a
 * claim; the descriptors it opened are evidence.
 */
#ifndef LP_KOBJECTS_H
#define LP_KOBJECTS_H

#include "backend.h"

#define LP_KOBJ_EPOLL 0x1u    /* anon_inode:[eventpoll] */
#define LP_KOBJ_IO_URING 0x2u /* anon_inode:[io_uring] */
#define LP_KOBJ_KQUEUE 0x4u   /* a kqueue descriptor */

struct lp_fdsnap {
  unsigned char open[128]; /* bitmap of descriptors 0..1023 */
  int valid;               /* 0 where descriptors cannot be listed */
};

/* Records the descriptors open now. */
void lp_fdsnap_take(struct lp_fdsnap *s);
/* LP_KOBJ_* bits of the descriptors opened since s; -1 when unknown. */
int lp_fdsnap_new_kinds(const struct lp_fdsnap *s);
/* The LP_KOBJ_* kind of one descriptor; -1 when unknown. */
int lp_fd_kind(int fd);

/*
 * Compares what a library named (mech) with the kinds its loop opened:
 * epoll needs an epoll instance, io_uring a ring, poll and select neither.
 * Records LP_MIS_WRONG_BACKEND in o and returns -1 when they disagree;
 * returns 0 when they agree or there is no evidence on this platform.
 */
int lp_expect_kernel_objects(struct lp_obs *o, const char *library, enum lp_mechanism mech,
                             int kinds);

#endif
