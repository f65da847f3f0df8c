/* SPDX-License-Identifier: MIT */
/*
 * sys_win.c - loopprobe's own clock on Windows, and the names of Windows
 * error and exception codes.
 *
 * Traps: GetTickCount() has the resolution of the scheduler tick (about
 * 15.6 ms), far too coarse to judge a 3 ms wait, so the monotonic clock is
 * QueryPerformanceCounter(), converted without the overflow that a naive
 * counter * 1e9 / frequency hits after a few weeks of uptime.  Windows has
 * no stable system call interface (the numbers change between builds), so
 * there is no raw system call to offer.
 */
#include "sys.h"
#include "win.h"

#include "../base/util.h"

#include <errno.h>
#include <signal.h>
#include <winsock2.h>
#include <windows.h>

int64_t lp_mono_ns(void)
{
  LARGE_INTEGER freq, count;
  int64_t f, c;

  if (!QueryPerformanceFrequency(&freq) || !QueryPerformanceCounter(&count) || freq.QuadPart <= 0)
    return 0;
  f = freq.QuadPart;
  c = count.QuadPart;
  return c / f * 1000000000 + c % f * 1000000000 / f;
}

/* 100 ns intervals between 1601-01-01 and 1970-01-01. */
#define EPOCH_DIFF_100NS 116444736000000000LL

int64_t lp_wall_sec(void)
{
  FILETIME ft;
  ULARGE_INTEGER u;

  GetSystemTimeAsFileTime(&ft);
  u.LowPart = ft.dwLowDateTime;
  u.HighPart = ft.dwHighDateTime;
  return ((int64_t)u.QuadPart - EPOCH_DIFF_100NS) / 10000000;
}

void lp_utc_now(char *buf, unsigned size)
{
  SYSTEMTIME st;

  GetSystemTime(&st);
  lp_fmt(buf, size, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)st.wYear, (unsigned)st.wMonth,
         (unsigned)st.wDay, (unsigned)st.wHour, (unsigned)st.wMinute, (unsigned)st.wSecond);
}

int lp_sys_fd_room(int want)
{
  (void)want; /* the Windows probes report Windows error codes, never EMFILE */
  return -1;
}

int lp_sys_seccomp_mode(void)
{
  return 0;
}

/* The probes here open handles and sockets, never the C runtime's
   descriptors 0 to 2. */
unsigned lp_sys_std_closed(void)
{
  return 0;
}

long lp_rawsys(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
  (void)nr;
  (void)a1;
  (void)a2;
  (void)a3;
  (void)a4;
  (void)a5;
  (void)a6;
  return -ENOSYS;
}

void *lp_win_module_of(const void *addr)
{
  HMODULE m = NULL;

  if (!GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                              GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                          (LPCSTR)addr, &m))
    return NULL;
  return m;
}

/* --- names --- */

struct code_name {
  unsigned long code;
  const char *name;
};

#define CODE(x)                                                                                    \
  {                                                                                                \
    (unsigned long)(x), #x                                                                         \
  }

static const struct code_name error_names[] = {
    CODE(ERROR_INVALID_FUNCTION),
    CODE(ERROR_FILE_NOT_FOUND),
    CODE(ERROR_PATH_NOT_FOUND),
    CODE(ERROR_TOO_MANY_OPEN_FILES),
    CODE(ERROR_ACCESS_DENIED),
    CODE(ERROR_INVALID_HANDLE),
    CODE(ERROR_NOT_ENOUGH_MEMORY),
    CODE(ERROR_OUTOFMEMORY),
    CODE(ERROR_NOT_SUPPORTED),
    CODE(ERROR_NETNAME_DELETED),
    CODE(ERROR_INVALID_PARAMETER),
    CODE(ERROR_BROKEN_PIPE),
    CODE(ERROR_CALL_NOT_IMPLEMENTED),
    CODE(ERROR_INSUFFICIENT_BUFFER),
    CODE(ERROR_MOD_NOT_FOUND),
    CODE(ERROR_PROC_NOT_FOUND),
    CODE(ERROR_BAD_EXE_FORMAT),
    CODE(ERROR_NO_DATA),
    CODE(WAIT_TIMEOUT),
    CODE(ERROR_ABANDONED_WAIT_0),
    CODE(ERROR_OPERATION_ABORTED),
    CODE(ERROR_IO_INCOMPLETE),
    CODE(ERROR_IO_PENDING),
    CODE(ERROR_NOT_FOUND),
    CODE(WSAEINTR),
    CODE(WSAEBADF),
    CODE(WSAEACCES),
    CODE(WSAEFAULT),
    CODE(WSAEINVAL),
    CODE(WSAEMFILE),
    CODE(WSAEWOULDBLOCK),
    CODE(WSAEINPROGRESS),
    CODE(WSAEALREADY),
    CODE(WSAENOTSOCK),
    CODE(WSAEDESTADDRREQ),
    CODE(WSAEMSGSIZE),
    CODE(WSAEPROTOTYPE),
    CODE(WSAENOPROTOOPT),
    CODE(WSAEPROTONOSUPPORT),
    CODE(WSAESOCKTNOSUPPORT),
    CODE(WSAEOPNOTSUPP),
    CODE(WSAEPFNOSUPPORT),
    CODE(WSAEAFNOSUPPORT),
    CODE(WSAEADDRINUSE),
    CODE(WSAEADDRNOTAVAIL),
    CODE(WSAENETDOWN),
    CODE(WSAENETUNREACH),
    CODE(WSAENETRESET),
    CODE(WSAECONNABORTED),
    CODE(WSAECONNRESET),
    CODE(WSAENOBUFS),
    CODE(WSAEISCONN),
    CODE(WSAENOTCONN),
    CODE(WSAESHUTDOWN),
    CODE(WSAETIMEDOUT),
    CODE(WSAECONNREFUSED),
    CODE(WSAEHOSTUNREACH),
    CODE(WSAEPROCLIM),
    CODE(WSASYSNOTREADY),
    CODE(WSAVERNOTSUPPORTED),
    CODE(WSANOTINITIALISED),
    CODE(WSAEPROVIDERFAILEDINIT),
    CODE(WSAEINVALIDPROVIDER),
    CODE(WSAEINVALIDPROCTABLE),
};

/* Not every SDK defines these three. */
#ifndef STATUS_STACK_BUFFER_OVERRUN
#define STATUS_STACK_BUFFER_OVERRUN ((DWORD)0xC0000409L)
#endif
#ifndef STATUS_HEAP_CORRUPTION
#define STATUS_HEAP_CORRUPTION ((DWORD)0xC0000374L)
#endif
#ifndef STATUS_DLL_INIT_FAILED
#define STATUS_DLL_INIT_FAILED ((DWORD)0xC0000142L)
#endif

static const struct code_name exception_names[] = {
    CODE(EXCEPTION_ACCESS_VIOLATION),
    CODE(EXCEPTION_IN_PAGE_ERROR),
    CODE(EXCEPTION_STACK_OVERFLOW),
    CODE(EXCEPTION_ARRAY_BOUNDS_EXCEEDED),
    CODE(EXCEPTION_DATATYPE_MISALIGNMENT),
    CODE(EXCEPTION_ILLEGAL_INSTRUCTION),
    CODE(EXCEPTION_PRIV_INSTRUCTION),
    CODE(EXCEPTION_FLT_DENORMAL_OPERAND),
    CODE(EXCEPTION_FLT_DIVIDE_BY_ZERO),
    CODE(EXCEPTION_FLT_INEXACT_RESULT),
    CODE(EXCEPTION_FLT_INVALID_OPERATION),
    CODE(EXCEPTION_FLT_OVERFLOW),
    CODE(EXCEPTION_FLT_STACK_CHECK),
    CODE(EXCEPTION_FLT_UNDERFLOW),
    CODE(EXCEPTION_INT_DIVIDE_BY_ZERO),
    CODE(EXCEPTION_INT_OVERFLOW),
    CODE(EXCEPTION_BREAKPOINT),
    CODE(EXCEPTION_NONCONTINUABLE_EXCEPTION),
    CODE(EXCEPTION_INVALID_DISPOSITION),
    CODE(STATUS_STACK_BUFFER_OVERRUN),
    CODE(STATUS_HEAP_CORRUPTION),
    CODE(STATUS_DLL_NOT_FOUND),
    CODE(STATUS_DLL_INIT_FAILED),
    CODE(STATUS_ENTRYPOINT_NOT_FOUND),
    CODE(STATUS_CONTROL_C_EXIT),
};

static const char *lookup(const struct code_name *t, size_t n, unsigned long code)
{
  size_t i;

  for (i = 0; i < n; i++)
    if (t[i].code == code)
      return t[i].name;
  return NULL;
}

const char *lp_win_error_name(unsigned long code)
{
  return lookup(error_names, LP_ARRAY_LEN(error_names), code);
}

const char *lp_win_exception_name(uint32_t code)
{
  return lookup(exception_names, LP_ARRAY_LEN(exception_names), code);
}

int lp_win_errno(unsigned long code)
{
  switch (code) {
  case ERROR_FILE_NOT_FOUND:
  case ERROR_PATH_NOT_FOUND:
  case ERROR_MOD_NOT_FOUND:
    return ENOENT;
  case ERROR_TOO_MANY_OPEN_FILES:
    return EMFILE;
  case ERROR_ACCESS_DENIED:
    return EACCES;
  case ERROR_NOT_ENOUGH_MEMORY:
  case ERROR_OUTOFMEMORY:
    return ENOMEM;
  case ERROR_INVALID_PARAMETER:
    return EINVAL;
  case ERROR_BAD_EXE_FORMAT:
    return ENOEXEC;
  case ERROR_CALL_NOT_IMPLEMENTED:
    return ENOSYS;
  default:
    return EIO;
  }
}

int lp_win_exit_is_exception(uint32_t code)
{
  return (code & 0xF0000000u) == 0xC0000000u || code == (uint32_t)EXCEPTION_BREAKPOINT;
}

int lp_win_exception_signal(uint32_t code)
{
  switch (code) {
  case EXCEPTION_ACCESS_VIOLATION:
  case EXCEPTION_IN_PAGE_ERROR:
  case EXCEPTION_STACK_OVERFLOW:
  case EXCEPTION_ARRAY_BOUNDS_EXCEEDED:
  case EXCEPTION_DATATYPE_MISALIGNMENT:
    return SIGSEGV;
  case EXCEPTION_ILLEGAL_INSTRUCTION:
  case EXCEPTION_PRIV_INSTRUCTION:
    return SIGILL;
  case EXCEPTION_FLT_DENORMAL_OPERAND:
  case EXCEPTION_FLT_DIVIDE_BY_ZERO:
  case EXCEPTION_FLT_INEXACT_RESULT:
  case EXCEPTION_FLT_INVALID_OPERATION:
  case EXCEPTION_FLT_OVERFLOW:
  case EXCEPTION_FLT_STACK_CHECK:
  case EXCEPTION_FLT_UNDERFLOW:
  case EXCEPTION_INT_DIVIDE_BY_ZERO:
  case EXCEPTION_INT_OVERFLOW:
    return SIGFPE;
  case STATUS_STACK_BUFFER_OVERRUN: /* abort() in the UCRT, and our own on SIGABRT */
  case STATUS_HEAP_CORRUPTION:
    return SIGABRT;
  default:
    return 0;
  }
}

/* The monotonic clock here already comes through the C library or the
   system's API: there is no second, independent clock to compare. */
int64_t lp_libc_mono_ns(void)
{
  return 0;
}
