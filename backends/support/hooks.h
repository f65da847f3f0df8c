/* SPDX-License-Identifier: MIT */
/*
 * hooks.h - a library's own log output, captured while lp_check() runs the
 * library in the caller's process (libev's syserr callback, libevent's log
 * callback), so that nothing reaches the caller's standard error.
 *
 * Both libraries keep one callback for the whole process, set by a setter
 * without a getter.  What the caller had set is read from the variable the
 * setter stores into (lp_setter_slot()); the first thread to check puts
 * the backend's hook there, the last one puts the caller's back - unless
 * the caller set another one meanwhile, which then stays.  While the hook
 * is there, a message of a thread that is checking goes to that thread's
 * buffer, and any other thread's goes where it went before: the caller's
 * callback, or what the library does without one (the backend's hook says
 * what that is).
 */
#ifndef LP_HOOKS_H
#define LP_HOOKS_H

#include <pthread.h>
#include <stddef.h>

typedef void (*lp_hook_fn)(void);

struct lp_hook {
  pthread_mutex_t lock;
  int users;         /* threads capturing now */
  lp_hook_fn setter; /* the setter the hook was installed with */
  lp_hook_fn *slot;  /* the library's variable */
  lp_hook_fn saved;  /* what it held before the first user */
};
#define LP_HOOK_INIT                                                                               \
  {                                                                                                \
    PTHREAD_MUTEX_INITIALIZER, 0, NULL, NULL, NULL                                                 \
  }

/*
 * Starts capturing the calling thread's messages into buf (size bytes,
 * kept NUL-terminated): the first user reads what the library's variable
 * holds, from the code of setter, and calls set(ours).  Returns 0, or -1
 * when the variable cannot be read (an unknown shape of setter, another
 * copy of the library than the hook was installed in): nothing is then
 * installed, and the caller must not let the library run here.
 */
int lp_hook_begin(struct lp_hook *h, lp_hook_fn setter, void (*set)(lp_hook_fn, lp_hook_fn),
                  lp_hook_fn ours, char *buf, size_t size);
/* Stops capturing; the last user puts back what the variable held, unless
   something else than ours is there by now.  set(setter, value) calls the
   setter with its own type. */
void lp_hook_end(struct lp_hook *h, void (*set)(lp_hook_fn, lp_hook_fn), lp_hook_fn ours);

/* For a hook: appends a formatted line to the calling thread's buffer and
   returns 0; -1 when the calling thread is not capturing. */
int lp_hook_capture(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* For a hook, with a message that is not the calling thread's: the
   callback the caller had set, or NULL for the library's default. */
lp_hook_fn lp_hook_saved(struct lp_hook *h);

#endif
