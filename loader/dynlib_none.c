/* SPDX-License-Identifier: MIT */
/*
 * dynlib_none.c - where loopprobe does not load libraries at run time
 * (Windows, macOS): no library layer is built there (CMake refuses one);
 * the shims of foreign mechanisms (wepoll, epoll-shim) are asked for and
 * answered that they cannot be looked for, so their cells stay na, and a
 * file named with --library is refused with that reason.
 */
#include "dynlib.h"

#include "../base/util.h"

#include <string.h>

#define NOT_HERE                                                                                   \
  "loading libraries at run time is implemented for ELF systems (Linux, the BSDs) only"

const struct lp_dynlib *lp_dynlib_system(const struct lp_libdesc *d)
{
  struct lp_dynlib *lib = d->system;

  lib->desc = d;
  lib->state = LP_DYNLIB_UNSUPPORTED;
  lp_strlcpy(lib->why, NOT_HERE, sizeof(lib->why));
  return lib;
}

int lp_dynlib_open_file(const struct lp_libdesc *d, const char *path, struct lp_dynlib *out,
                        char *err, size_t err_len)
{
  memset(out, 0, sizeof(*out));
  out->desc = d;
  out->given = 1;
  lp_strlcpy(out->path, path, sizeof(out->path));
  lp_strlcpy(err, NOT_HERE, err_len);
  return -1;
}

const char *lp_dynlib_package(const struct lp_libdesc *d)
{
  (void)d;
  return NULL;
}

void lp_dynlib_release(struct lp_dynlib *lib)
{
  (void)lib;
}

int lp_dynlib_version_node(const struct lp_dynlib *lib, const char *prefix, char *buf, size_t size)
{
  (void)lib, (void)prefix, (void)buf, (void)size;
  return -1;
}

void lp_dynlib_provenance(const struct lp_dynlib *lib, const char *function,
                          struct lp_provider *out)
{
  (void)lib;
  memset(out, 0, sizeof(*out));
  lp_strlcpy(out->function, function, sizeof(out->function));
}
