/* SPDX-License-Identifier: MIT */
/*
 * osnames.c - errno and signal numbers to their names, from the X-lists
 * errno_list.h and signal_list.h.
 */
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>

struct lp_name {
  int value;
  const char *name;
};

#define LP_ERRNO(x) {x, #x},
static const struct lp_name errno_names[] = {
#include "errno_list.h"
};
#undef LP_ERRNO

#define LP_SIGNAL(x) {x, #x},
static const struct lp_name signal_names[] = {
#include "signal_list.h"
};
#undef LP_SIGNAL

static const char *lookup(const struct lp_name *t, size_t n, int value)
{
  size_t i;

  for (i = 0; i < n; i++)
    if (t[i].value == value)
      return t[i].name;
  return NULL;
}

const char *lp_errno_name(int err)
{
  return lookup(errno_names, LP_ARRAY_LEN(errno_names), err);
}

int lp_errno_value(const char *name)
{
  size_t i;

  for (i = 0; name && i < LP_ARRAY_LEN(errno_names); i++)
    if (strcmp(errno_names[i].name, name) == 0)
      return errno_names[i].value;
  return 0;
}

const char *lp_signal_name(int sig)
{
  return lookup(signal_names, LP_ARRAY_LEN(signal_names), sig);
}

int lp_signal_is_sigsys(int sig)
{
#ifdef SIGSYS
  return sig == SIGSYS;
#else
  (void)sig;
  return 0;
#endif
}
