/* SPDX-License-Identifier: MIT */
/*
 * dynlib.c - what is said about a library loaded at run time on every
 * platform, whichever way it is loaded there (dynlib_elf.c, dynlib_none.c).
 */
#include "dynlib.h"

#include "../base/util.h"

void lp_dynlib_absence(const struct lp_dynlib *lib, int with_why, char *buf, size_t size)
{
  switch (lib->state) {
  case LP_DYNLIB_LOADED:
    lp_fmt(buf, size, "%s is loaded from %s", lib->desc->soname, lib->path);
    break;
  case LP_DYNLIB_UNTRIED:
  case LP_DYNLIB_NOT_FOUND:
    lp_fmt(buf, size, "%s is not installed", lib->desc->soname);
    break;
  case LP_DYNLIB_STATIC:
    lp_fmt(buf, size,
           "%s cannot be loaded: this loopprobe is a static program, without a dynamic "
           "loader",
           lib->desc->soname);
    break;
  case LP_DYNLIB_UNSUPPORTED:
    lp_fmt(buf, size, "%s cannot be looked for: %s", lib->desc->soname, lib->why);
    break;
  case LP_DYNLIB_UNUSABLE:
    if (with_why)
      lp_fmt(buf, size, "%s is there but cannot be loaded: %s", lib->desc->soname, lib->why);
    else
      lp_fmt(buf, size, "%s is there but cannot be loaded", lib->desc->soname);
    break;
  }
}
