/* SPDX-License-Identifier: MIT */
/*
 * fdpair.h - the descriptors POSIX probes register: a non-blocking,
 * close-on-exec pipe, poked with one byte and drained again.
 */
#ifndef LP_FDPAIR_H
#define LP_FDPAIR_H

#include "../backend.h"

struct lp_fdpair {
  int rd;
  int wr;
};

#define LP_FDPAIR_INIT                                                                             \
  {                                                                                                \
    -1, -1                                                                                         \
  }

/* Opens the pair; on failure records the call and errno in o, returns -1. */
int lp_fdpair_open(struct lp_fdpair *p, struct lp_obs *o);
/* Writes one byte to the write end; records failure in o. */
int lp_fdpair_poke(struct lp_fdpair *p, struct lp_obs *o);
/* Reads whatever is buffered. */
void lp_fdpair_drain(struct lp_fdpair *p);
void lp_fdpair_close(struct lp_fdpair *p);

#endif
