/* SPDX-License-Identifier: MIT */
/*
 * slurp.h - reads and writes whole files for the unit tests that compare
 * output with files in the source tree (and rewrite them on request).
 */
#ifndef LP_TEST_SLURP_H
#define LP_TEST_SLURP_H

#include <stdio.h>
#include <stdlib.h>

/* The file's contents, NUL-terminated, or NULL; free() it. */
static char *slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  long n;

  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = calloc(1, (size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  return buf;
}

/* Writes text as the whole of path.  Returns 0, or -1. */
static int spill(const char *path, const char *text)
{
  FILE *f = fopen(path, "wb");
  int rc;

  if (!f)
    return -1;
  rc = fputs(text, f) < 0 ? -1 : 0;
  return fclose(f) != 0 ? -1 : rc;
}

#endif
