/* SPDX-License-Identifier: MIT */
/*
 * host_win.c - host facts on Windows.
 *
 * Traps: GetVersionEx() lies to a program without a compatibility manifest
 * (it says 6.2, Windows 8, on every later release), so the version comes
 * from ntdll's RtlGetVersion(), which does not.  GetSystemInfo() in a
 * 32-bit process on a 64-bit system names the emulated architecture;
 * GetNativeSystemInfo() names the machine's.  Wine says which Windows it
 * pretends to be, so it is recognised by the functions only its ntdll
 * exports, and the real kernel under it is recorded as evidence.  There is
 * no seccomp and no LD_PRELOAD here: those facts stay unknown (-1, empty)
 * without a note, as they are not facts of this platform.
 */
#include "host.h"

#include <stdlib.h>
#include <string.h>
#include <windows.h>

char **lp_os_environ(void)
{
  return _environ;
}

typedef LONG(WINAPI *rtl_get_version_fn)(OSVERSIONINFOW *);
typedef const char *(CDECL *wine_get_version_fn)(void);
typedef void(CDECL *wine_get_host_version_fn)(const char **sysname, const char **release);

/* A function of ntdll.dll, without a cast warning for each caller. */
static FARPROC ntdll_function(const char *name)
{
  HMODULE ntdll = GetModuleHandleA("ntdll.dll");

  return ntdll ? GetProcAddress(ntdll, name) : NULL;
}

static void read_version(struct lp_host *h)
{
  FARPROC p = ntdll_function("RtlGetVersion");
  rtl_get_version_fn get = NULL;
  OSVERSIONINFOW v;
  char buf[64];

  if (!p)
    return;
  memcpy(&get, &p, sizeof(get));
  memset(&v, 0, sizeof(v));
  v.dwOSVersionInfoSize = sizeof(v);
  if (get(&v) != 0)
    return;
  lp_fmt(buf, sizeof(buf), "%lu.%lu.%lu", (unsigned long)v.dwMajorVersion,
         (unsigned long)v.dwMinorVersion, (unsigned long)v.dwBuildNumber);
  h->kernel = lp_strdup(buf);
}

static void read_arch(struct lp_host *h)
{
  SYSTEM_INFO si;
  const char *arch = NULL;

  GetNativeSystemInfo(&si);
  switch (si.wProcessorArchitecture) {
  case PROCESSOR_ARCHITECTURE_AMD64:
    arch = "x86_64";
    break;
  case PROCESSOR_ARCHITECTURE_INTEL:
    arch = "x86";
    break;
  case PROCESSOR_ARCHITECTURE_ARM:
    arch = "arm";
    break;
#ifdef PROCESSOR_ARCHITECTURE_ARM64
  case PROCESSOR_ARCHITECTURE_ARM64:
    arch = "aarch64";
    break;
#endif
  default:
    break;
  }
  h->arch = lp_strdup(arch);
}

/* The DNS host name ("web-07"), as uname's nodename gives it elsewhere. */
static void read_name(struct lp_host *h)
{
  char buf[256];
  DWORD n = sizeof(buf);

  if (GetComputerNameExA(ComputerNameDnsHostname, buf, &n) && n > 0 && n < sizeof(buf))
    h->name = lp_strdup(buf);
}

/* Wine's ntdll exports wine_get_version(); Windows' does not. */
static int detect_wine(struct lp_host *h)
{
  FARPROC pv = ntdll_function("wine_get_version");
  FARPROC ph = ntdll_function("wine_get_host_version");
  wine_get_version_fn version = NULL;
  wine_get_host_version_fn host = NULL;
  const char *sysname = NULL, *release = NULL;

  if (!pv)
    return 0;
  memcpy(&version, &pv, sizeof(version));
  h->virt = lp_strdup("wine");
  if (lp_strv_addf(&h->virt_evidence, "ntdll.dll exports wine_get_version(): Wine %s",
                   version() ? version() : "(no version)") < 0)
    return -1;
  if (!ph)
    return 0;
  memcpy(&host, &ph, sizeof(host));
  host(&sysname, &release);
  if (sysname && release &&
      lp_strv_addf(&h->virt_evidence, "Wine runs on %s %s", sysname, release) < 0)
    return -1;
  return 0;
}

int lp_host_collect(struct lp_host *h)
{
  memset(h, 0, sizeof(*h));
  h->os = lp_strdup("windows");
  read_name(h);
  read_version(h);
  read_arch(h);
#if defined(_UCRT)
  h->libc = lp_strdup("ucrt");
#else
  h->libc = lp_strdup("msvcrt");
#endif
  h->proc_ok = 1; /* nothing to read: no fact depends on /proc here */
  h->seccomp_mode = -1;
  h->seccomp_filters = -1;
  h->tracer_pid = IsDebuggerPresent() ? -1 : 0;
  if (h->tracer_pid < 0)
    h->tracer_name = lp_strdup("a debugger (IsDebuggerPresent)");
  h->io_uring_disabled = -1;
  if (detect_wine(h) < 0 || lp_env_collect(h) < 0)
    return -1;
  return 0;
}
