/* SPDX-License-Identifier: MIT */
/*
 * win.h - Windows-only helpers shared by the Windows machinery (runner,
 * host facts, provenance) and the Windows backends.  Compiled on Windows
 * only (sys_win.c), chosen by CMake.
 */
#ifndef LP_WIN_H
#define LP_WIN_H

#include <stdint.h>

/* "WSAECONNRESET", "ERROR_ACCESS_DENIED", "WAIT_TIMEOUT" for a Windows
   error code (GetLastError, WSAGetLastError); NULL when it has no name
   here. */
const char *lp_win_error_name(unsigned long code);

/* The nearest errno for a Windows error code, for the few places that
   report one (a process that could not be started); EIO when none fits. */
int lp_win_errno(unsigned long code);

/* 1 when a process exit code is an exception a crash ends a process with
   (an NTSTATUS of error severity, or a breakpoint). */
int lp_win_exit_is_exception(uint32_t code);

/* The POSIX signal nearest to an exception code (SIGSEGV for an access
   violation), or 0. */
int lp_win_exception_signal(uint32_t code);

/* The module (an HMODULE: the .exe or a DLL) that holds addr, or NULL.
   The reference count is left alone. */
void *lp_win_module_of(const void *addr);

/* "EXCEPTION_ACCESS_VIOLATION" for an exception code, or NULL. */
const char *lp_win_exception_name(uint32_t code);

#endif
