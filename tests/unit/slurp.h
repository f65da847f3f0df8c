/*
 * slurp.h - reads a whole file for the unit tests that compare output with
 * files in the source tree.
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

#endif
