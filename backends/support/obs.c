/* SPDX-License-Identifier: MIT */
/*
 * common.c - the helpers probes record their observations with.  Nothing
 * here decides a verdict.
 */
#include "../backend.h"

#include "../../loader/provenance.h"
#include "../../sys/sys.h"
#include "../../base/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void lp_obs_init(struct lp_obs *o)
{
  memset(o, 0, sizeof(*o));
  o->status = LP_OBS_OK;
  o->wait_min_us = -1;
  o->wait_max_us = -1;
  o->fd_room = -1;
}

int lp_obs_fail(struct lp_obs *o, const char *call, int err)
{
  const char *name = lp_errno_name(err);

  /* Keep the first failure: it is the cause, later ones are cleanup. */
  if (o->status == LP_OBS_FAILED)
    return -1;
  o->status = LP_OBS_FAILED;
  o->err = err;
  lp_strlcpy(o->call, call, sizeof(o->call));
  lp_strlcpy(o->err_name, name ? name : "", sizeof(o->err_name));
  if (err == EMFILE || err == ENFILE)
    o->fd_room = lp_sys_fd_room(LP_FD_ROOM_WANT);
  if (name)
    lp_fmt(o->detail, sizeof(o->detail), "%s() failed with %s (errno %d)", call, name, err);
  else
    lp_fmt(o->detail, sizeof(o->detail), "%s() failed with errno %d", call, err);
  return -1;
}

static void append_detail(struct lp_obs *o, const char *fmt, va_list ap)
{
  size_t used = strlen(o->detail);

  if (used && used + 2 < sizeof(o->detail)) {
    memcpy(o->detail + used, "; ", 3);
    used += 2;
  }
  if (used < sizeof(o->detail))
    vsnprintf(o->detail + used, sizeof(o->detail) - used, fmt, ap);
}

int lp_obs_misbehave(struct lp_obs *o, unsigned bit, const char *fmt, ...)
{
  va_list ap;

  if (o->status == LP_OBS_FAILED)
    return -1;
  if (o->status != LP_OBS_MISBEHAVED)
    o->detail[0] = '\0';
  o->status = LP_OBS_MISBEHAVED;
  o->misbehaviour |= bit;
  va_start(ap, fmt);
  append_detail(o, fmt, ap);
  va_end(ap);
  return -1;
}

void lp_obs_status(struct lp_obs *o, enum lp_obs_status st, const char *fmt, ...)
{
  va_list ap;

  o->status = st;
  o->detail[0] = '\0';
  va_start(ap, fmt);
  append_detail(o, fmt, ap);
  va_end(ap);
}

void lp_obs_ok(struct lp_obs *o, const char *fmt, ...)
{
  va_list ap;

  if (o->status != LP_OBS_OK)
    return;
  o->detail[0] = '\0';
  va_start(ap, fmt);
  append_detail(o, fmt, ap);
  va_end(ap);
}

void lp_obs_sample(struct lp_obs *o, int64_t requested_us, int64_t measured_us)
{
  o->wait_requested_us = requested_us;
  if (o->wait_samples == 0 || measured_us < o->wait_min_us)
    o->wait_min_us = measured_us;
  if (o->wait_samples == 0 || measured_us > o->wait_max_us)
    o->wait_max_us = measured_us;
  o->wait_samples++;
}

void lp_obs_provider(struct lp_obs *o, const char *function, const char *family)
{
  struct lp_provider *p = NULL;

  if (o->nproviders >= LP_MAX_PROVIDERS)
    return;
  p = &o->providers[o->nproviders++];
  lp_provenance(function, family, p);
}

void lp_obs_enter(struct lp_obs *o, const char *call)
{
  lp_strlcpy(o->step, call, sizeof(o->step));
  if (o->report)
    o->report(o, 0, o->report_arg);
}

void lp_obs_checkpoint(struct lp_obs *o)
{
  if (o->report)
    o->report(o, 1, o->report_arg);
}

void lp_obs_check(struct lp_check *c, const char *call, long rc)
{
  const char *name = rc < 0 ? lp_errno_name((int)-rc) : NULL;

  lp_strlcpy(c->call, call, sizeof(c->call));
  c->err = rc < 0 ? (int)-rc : 0;
  lp_strlcpy(c->err_name, name ? name : "", sizeof(c->err_name));
}

int lp_ctx_wait_ms(const struct lp_probe_ctx *ctx)
{
  return (int)ctx->wait_ms;
}

void lp_obs_beneath(struct lp_obs *o, const char *fmt, ...)
{
  size_t used = strlen(o->beneath);
  va_list ap;

  if (used && used + 1 < sizeof(o->beneath))
    o->beneath[used++] = '\n';
  va_start(ap, fmt);
  if (used < sizeof(o->beneath))
    vsnprintf(o->beneath + used, sizeof(o->beneath) - used, fmt, ap);
  va_end(ap);
}
