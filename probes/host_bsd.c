/* SPDX-License-Identifier: MIT */
/*
 * host_bsd.c - host facts on macOS and the BSDs.
 *
 * Traps: uname() on macOS names the Darwin kernel (23.5.0), not the
 * product (14.5), which sysctl kern.osproductversion gives: the kernel
 * fact carries both.  There is no
 * seccomp and no /proc: those facts stay unknown (-1) without a note, as
 * they are not facts of these systems.  The loader's injection variable is
 * DYLD_INSERT_LIBRARIES on macOS (and ignored for protected binaries) and
 * LD_PRELOAD on the BSDs.  A tracer shows as P_TRACED on macOS, without
 * its pid; FreeBSD's procctl() names the pid; elsewhere it is unknown.
 */
#include "host.h"

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/sysctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#if defined(__FreeBSD__)
#include <sys/procctl.h>
#endif

extern char **environ;

char **lp_os_environ(void)
{
  return environ;
}

#if !defined(__APPLE__)
static char *lower(const char *s)
{
  char *d = lp_strdup(s), *p = NULL;

  for (p = d; p && *p; p++)
    if (*p >= 'A' && *p <= 'Z')
      *p = (char)(*p - 'A' + 'a');
  return d;
}
#endif

static void read_uname(struct lp_host *h)
{
  struct utsname u;

  if (uname(&u) != 0) {
    lp_strv_add(&h->notes, "uname() failed: the kernel and architecture are unknown");
    return;
  }
  h->name = lp_strdup(u.nodename[0] ? u.nodename : NULL);
  h->kernel = lp_strdup(u.release);
  h->arch = lp_strdup(u.machine);
#if defined(__APPLE__)
  h->os = lp_strdup("macos");
#else
  h->os = lower(u.sysname);
#endif
}

#if defined(__APPLE__)
static void read_product(struct lp_host *h)
{
  char v[32];
  size_t n = sizeof(v);

  char kernel[96];

  h->libc = lp_strdup("libSystem");
  if (!h->kernel || sysctlbyname("kern.osproductversion", v, &n, NULL, 0) != 0 || n == 0 ||
      n > sizeof(v))
    return;
  v[n - 1] = '\0';
  lp_fmt(kernel, sizeof(kernel), "%s (macOS %s)", h->kernel, v);
  free(h->kernel);
  h->kernel = lp_strdup(kernel);
}

static void read_tracer(struct lp_host *h)
{
  int mib[4] = {CTL_KERN, KERN_PROC, KERN_PROC_PID, (int)getpid()};
  struct kinfo_proc kp;
  size_t n = sizeof(kp);

  memset(&kp, 0, sizeof(kp));
  if (sysctl(mib, 4, &kp, &n, NULL, 0) != 0)
    return;
  h->tracer_pid = (kp.kp_proc.p_flag & P_TRACED) ? -1 : 0;
  if (h->tracer_pid < 0)
    h->tracer_name = lp_strdup("a tracer (P_TRACED is set; its pid is not reported)");
}
#else
static void read_product(struct lp_host *h)
{
  char libc[64];

  lp_fmt(libc, sizeof(libc), "%s libc", h->os ? h->os : "bsd");
  h->libc = lp_strdup(libc);
}

static void read_tracer(struct lp_host *h)
{
#if defined(__FreeBSD__) && defined(PROC_TRACE_STATUS)
  int pid = -1;

  if (procctl(P_PID, getpid(), PROC_TRACE_STATUS, &pid) == 0)
    h->tracer_pid = pid > 0 ? pid : 0;
#else
  (void)h;
#endif
}
#endif

static int read_preloads(struct lp_host *h)
{
#if defined(__APPLE__)
  const char *env = getenv("DYLD_INSERT_LIBRARIES");
#else
  const char *env = getenv("LD_PRELOAD");
#endif

  return env ? lp_split_list(env, &h->preload) : 0;
}

int lp_host_collect(struct lp_host *h)
{
  memset(h, 0, sizeof(*h));
  h->seccomp_mode = -1;
  h->seccomp_filters = -1;
  h->tracer_pid = -1;
  h->io_uring_disabled = -1;
  h->proc_ok = 1; /* no fact depends on /proc here */
  read_uname(h);
  read_product(h);
  read_tracer(h);
  if (read_preloads(h) < 0 || lp_env_collect(h) < 0)
    return -1;
  return 0;
}
