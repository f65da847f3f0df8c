/* SPDX-License-Identifier: MIT */
/*
 * impostor.c - a shared library that is not what it is named, for the
 * --library tests of bad input: built under the soname of the next libuv
 * major (another ABI than the headers'), under libuv's own soname with none
 * of its functions, needing a library that is not there at run time, and
 * with musl-gcc, needing another C library than loopprobe's.
 * loopprobe must refuse each one with the reason, before any probe runs.
 */
int lp_impostor(void);

int lp_impostor(void)
{
  return 42;
}
