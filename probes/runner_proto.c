/* SPDX-License-Identifier: MIT */
/*
 * runner_proto.c - both ends of the runner's framed protocol.
 */
#include "runner_proto.h"

#include <string.h>

void lp_msg_send(const struct lp_msg_channel *ch, uint32_t type, const void *p, size_t n)
{
  struct lp_msg_head h;

  h.type = type;
  h.len = (uint32_t)n;
  ch->write_all(ch->ctx, &h, sizeof(h));
  if (n)
    ch->write_all(ch->ctx, p, n);
}

void lp_msg_report(const struct lp_obs *o, int full, void *arg)
{
  const struct lp_msg_channel *ch = arg;

  if (full)
    lp_msg_send(ch, LP_MSG_CHECKPOINT, o, sizeof(*o));
  else
    lp_msg_send(ch, LP_MSG_STEP, o->step, strlen(o->step));
}

void lp_msg_reader_init(struct lp_msg_reader *r, struct lp_job *job)
{
  memset(r, 0, sizeof(*r));
  r->job = job;
  lp_buf_init(&r->in);
}

void lp_msg_reader_free(struct lp_msg_reader *r)
{
  lp_buf_free(&r->in);
}

static void take_obs(struct lp_job *job, const char *p, size_t n)
{
  if (n != sizeof(job->obs))
    return;
  memcpy(&job->obs, p, n);
  job->obs.report = NULL;
  job->obs.report_arg = NULL;
}

static void take(struct lp_msg_reader *r, const struct lp_msg_head *h, const char *p)
{
  struct lp_obs *o = &r->job->obs;

  if (h->type == LP_MSG_HELLO)
    r->hello_seen = 1;
  else if (h->type == LP_MSG_STEP && h->len < sizeof(o->step)) {
    memcpy(o->step, p, h->len);
    o->step[h->len] = '\0';
  } else if (h->type == LP_MSG_CHECKPOINT || h->type == LP_MSG_FINAL) {
    take_obs(r->job, p, h->len);
    r->final_seen |= h->type == LP_MSG_FINAL;
  }
}

void lp_msg_feed(struct lp_msg_reader *r, const char *p, size_t n)
{
  size_t off = 0;
  struct lp_msg_head h;

  lp_buf_putn(&r->in, p, n);
  if (lp_buf_failed(&r->in))
    return;
  while (r->in.len - off >= sizeof(h)) {
    memcpy(&h, r->in.data + off, sizeof(h));
    if (r->in.len - off - sizeof(h) < h.len)
      break;
    take(r, &h, r->in.data + off + sizeof(h));
    off += sizeof(h) + h.len;
  }
  memmove(r->in.data, r->in.data + off, r->in.len - off);
  r->in.len -= off;
}

void lp_watchdog_message(char *buf, size_t size, const struct lp_job *job, const char *step)
{
  lp_fmt(buf, size,
         "loopprobe: %s@%s did not return in time (last call: %s) and cannot be stopped "
         "in-process; run without --no-isolate to have it reported as a timeout\n",
         lp_mechanism_name(job->mech), lp_layer_name(job->layer), step[0] ? step : "unknown");
}
