/* SPDX-License-Identifier: MIT */
/*
 * hooks.c - capturing a library's process-wide log callback for the
 * threads that check (hooks.h).  The buffer is the thread's own, kept in
 * thread-specific data (pthread keys rather than a _Thread_local, whose
 * access from position-independent code would make the command need the
 * dynamic loader's __tls_get_addr at load time), so threads checking at
 * once never share one, and a library's own threads, which have none,
 * capture nothing.  The saved callback is read and written under the
 * hook's lock, and atomically, as the library's threads may read it at
 * any time.
 */
#include "hooks.h"

#include "../../loader/dynlib.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static pthread_once_t keys_once = PTHREAD_ONCE_INIT;
static pthread_key_t key_buf, key_size; /* this thread's buffer and its size */
static int keys_made;                   /* atomic: a library's thread may capture at any time */

static void make_keys(void)
{
  if (pthread_key_create(&key_buf, NULL) != 0)
    return;
  if (pthread_key_create(&key_size, NULL) != 0) {
    pthread_key_delete(key_buf);
    return;
  }
  __atomic_store_n(&keys_made, 1, __ATOMIC_RELEASE);
}

/* Makes buf (size bytes; NULL: none) this thread's capture buffer. */
static int set_capture(char *buf, size_t size)
{
  if (pthread_once(&keys_once, make_keys) != 0 || !__atomic_load_n(&keys_made, __ATOMIC_ACQUIRE))
    return -1;
  return pthread_setspecific(key_buf, buf) == 0 &&
                 pthread_setspecific(key_size, (void *)(uintptr_t)size) == 0
             ? 0
             : -1;
}

int lp_hook_begin(struct lp_hook *h, lp_hook_fn setter, void (*set)(lp_hook_fn, lp_hook_fn),
                  lp_hook_fn ours, char *buf, size_t size)
{
  int rc = 0;

  if (set_capture(NULL, 0) < 0)
    return -1;
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
    if (buf && size)
      buf[0] = '\0';
    set_capture(buf, size); /* cannot fail once the keys exist and hold a value */
  }
  return rc;
}

void lp_hook_end(struct lp_hook *h, void (*set)(lp_hook_fn, lp_hook_fn), lp_hook_fn ours)
{
  set_capture(NULL, 0);
  pthread_mutex_lock(&h->lock);
  if (--h->users == 0 && __atomic_load_n(h->slot, __ATOMIC_ACQUIRE) == ours)
    set(h->setter, __atomic_load_n(&h->saved, __ATOMIC_ACQUIRE));
  pthread_mutex_unlock(&h->lock);
}

int lp_hook_capture(const char *fmt, ...)
{
  char *buf = __atomic_load_n(&keys_made, __ATOMIC_ACQUIRE) ? pthread_getspecific(key_buf) : NULL;
  size_t size = buf ? (size_t)(uintptr_t)pthread_getspecific(key_size) : 0, used;
  va_list ap;

  if (!buf || size == 0)
    return -1;
  used = strlen(buf);
  if (used + 2 < size) {
    va_start(ap, fmt);
    vsnprintf(buf + used, size - used - 1, fmt, ap);
    va_end(ap);
    used = strlen(buf);
    buf[used] = '\n';
    buf[used + 1] = '\0';
  }
  return 0;
}

lp_hook_fn lp_hook_saved(struct lp_hook *h)
{
  return __atomic_load_n(&h->saved, __ATOMIC_ACQUIRE);
}
