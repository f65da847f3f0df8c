/* SPDX-License-Identifier: MIT */
/*
 * runner_proto.h - the framed messages a probe child sends its runner, the
 * same on every platform: STEP names the call about to be made, CHECKPOINT
 * and FINAL carry the whole observation, HELLO says the child is ready
 * (Windows, where starting a child takes a while).  The runner keeps the
 * last of each, so a child that hangs or crashes still tells where it
 * stopped and which object served the call.
 */
#ifndef LP_RUNNER_PROTO_H
#define LP_RUNNER_PROTO_H

#include "runner.h"
#include "../base/util.h"

#include <stddef.h>
#include <stdint.h>

enum lp_msg_type { LP_MSG_STEP = 1, LP_MSG_CHECKPOINT, LP_MSG_FINAL, LP_MSG_HELLO };

struct lp_msg_head {
  uint32_t type;
  uint32_t len;
};

/* The child's side: how it writes bytes to its runner. */
struct lp_msg_channel {
  void (*write_all)(void *ctx, const void *p, size_t n);
  void *ctx;
};

void lp_msg_send(const struct lp_msg_channel *ch, uint32_t type, const void *p, size_t n);
/* An lp_obs report hook: arg is a struct lp_msg_channel. */
void lp_msg_report(const struct lp_obs *o, int full, void *arg);

/* The runner's side, one per child. */
struct lp_msg_reader {
  struct lp_job *job;
  struct lp_buf in;
  int final_seen;
  int hello_seen;
};

void lp_msg_reader_init(struct lp_msg_reader *r, struct lp_job *job);
/* Appends what was read and takes every complete message. */
void lp_msg_feed(struct lp_msg_reader *r, const char *p, size_t n);
void lp_msg_reader_free(struct lp_msg_reader *r);

/* With --no-isolate a cell that overruns cannot be stopped: the watchdog
   of either runner ends the process (exit 3) with this message, which names
   the cell and its last call. */
void lp_watchdog_message(char *buf, size_t size, const struct lp_job *job, const char *step);

#endif
