/* SPDX-License-Identifier: MIT */
/*
 * libs.c - what the backends of libraries loaded at run time share: which
 * copy of a library a run uses, its table for a probe, and the provenance
 * of its functions.
 */
#include "../backend.h"

#include "../../loader/dynlib.h"
#include "../../base/util.h"

#include <stddef.h>

const struct lp_dynlib *lp_ctx_library(const struct lp_probe_ctx *ctx, const struct lp_libdesc *d)
{
  size_t i;

  for (i = 0; ctx && i < ctx->nlibs; i++)
    if (ctx->libs[i]->desc == d)
      return ctx->libs[i];
  return lp_dynlib_system(d);
}

int lp_library_unavailable(const struct lp_dynlib *lib, char *why, size_t size)
{
  char absence[LP_OBJ_MAX + 300];

  lp_dynlib_absence(lib, 1, absence, sizeof(absence));
  if (!lib->desc->shim) {
    lp_strlcpy(why, absence, size);
    return 0;
  }
  lp_fmt(why, size, "not a mechanism of this platform, and no shim provides it: %s", absence);
  return 1;
}

const void *lp_library_table(const struct lp_probe_ctx *ctx, const struct lp_libdesc *d,
                             struct lp_obs *o, const struct lp_dynlib **lib)
{
  char why[sizeof(o->detail)];
  int na;

  *lib = lp_ctx_library(ctx, d);
  if ((*lib)->state == LP_DYNLIB_LOADED)
    return (*lib)->table;
  na = lp_library_unavailable(*lib, why, sizeof(why));
  lp_obs_status(o, na ? LP_OBS_NA : LP_OBS_MISSING, "%s", why);
  return NULL;
}

void lp_obs_lib_provider(struct lp_obs *o, const struct lp_dynlib *lib, const char *function)
{
  if (o->nproviders >= LP_MAX_PROVIDERS)
    return;
  lp_dynlib_provenance(lib, function, &o->providers[o->nproviders++]);
}
