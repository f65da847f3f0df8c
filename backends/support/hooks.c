/* SPDX-License-Identifier: MIT */
/*
 * hooks.c - capturing a library's process-wide log callback for the
 * threads that check (hooks.h).  The buffer is the thread's own (a
 * thread-local pointer), so threads checking at once never share one; the
 * variable is read and written under the hook's lock, and atomically, as
 * the library's own threads may read it at any time.
 */
#include "hooks.h"

#include "../../loader/dynlib.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct capture {
  char *buf;
  size_t size;
};

static _Thread_local struct capture current;

int lp_hook_begin(struct lp_hook *h, lp_hook_fn setter, void (*set)(lp_hook_fn, lp_hook_fn),
                  lp_hook_fn ours, char *buf, size_t size)
{
  int rc = 0;

  pthread_mutex_lock(&h->lock);
  if (h->users == 0) {
    lp_hook_fn *slot = lp_setter_slot((const void *)setter);
    if (slot) {
      h->setter = setter;
      h->slot = slot;
      __atomic_store_n(&h->saved, __atomic_load_n(slot, __ATOMIC_ACQUIRE), __ATOMIC_RELEASE);
      set(setter, ours);
    } else
      rc = -1;
  } else if (h->setter != setter)
    rc = -1;
  if (rc == 0)
    h->users++;
  pthread_mutex_unlock(&h->lock);
  if (rc == 0) {
    current.buf = buf;
    current.size = size;
    if (buf && size)
      buf[0] = '\0';
  }
  return rc;
}

void lp_hook_end(struct lp_hook *h, void (*set)(lp_hook_fn, lp_hook_fn), lp_hook_fn ours)
{
  current.buf = NULL;
  current.size = 0;
  pthread_mutex_lock(&h->lock);
  if (--h->users == 0 && __atomic_load_n(h->slot, __ATOMIC_ACQUIRE) == ours)
    set(h->setter, __atomic_load_n(&h->saved, __ATOMIC_ACQUIRE));
  pthread_mutex_unlock(&h->lock);
}

int lp_hook_capture(const char *fmt, ...)
{
  size_t used;
  va_list ap;

  if (!current.buf || current.size == 0)
    return -1;
  used = strlen(current.buf);
  if (used + 2 < current.size) {
    va_start(ap, fmt);
    vsnprintf(current.buf + used, current.size - used - 1, fmt, ap);
    va_end(ap);
    used = strlen(current.buf);
    current.buf[used] = '\n';
    current.buf[used + 1] = '\0';
  }
  return 0;
}

lp_hook_fn lp_hook_saved(struct lp_hook *h)
{
  return __atomic_load_n(&h->saved, __ATOMIC_ACQUIRE);
}
