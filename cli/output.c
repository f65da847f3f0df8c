/* SPDX-License-Identifier: MIT */
/*
 * output.c - where the report goes, and exit status 3 when it cannot get
 * there: a missing directory, a full disk, a closed pipe.  Every write is
 * checked, and so is the final flush and close.
 */
#define _POSIX_C_SOURCE 200809L
#include "tool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

FILE *tool_open_output(const struct tool_args *a)
{
  FILE *f = NULL;

  if (!a->output)
    return stdout;
  f = fopen(a->output, "w");
  if (!f)
    tool_error("cannot write the report to '%s': %s", a->output, strerror(errno));
  return f;
}

int tool_write_report(FILE *f, const struct tool_args *a, const char *text, size_t len)
{
  const char *where = a->output ? a->output : "standard output";
  int failed = 0, err = 0;

  if (len && fwrite(text, 1, len, f) != len) {
    failed = 1;
    err = errno;
  }
  if (fflush(f) != 0 && !failed) {
    failed = 1;
    err = errno;
  }
  if (ferror(f) && !failed) {
    failed = 1;
    err = EIO;
  }
  if (f != stdout && fclose(f) != 0 && !failed) {
    failed = 1;
    err = errno;
  }
  if (failed)
    tool_error("cannot write the report to %s%s%s: %s", a->output ? "'" : "", where,
               a->output ? "'" : "", strerror(err ? err : EIO));
  return failed ? -1 : 0;
}

int tool_use_color(const struct tool_args *a)
{
  const char *term = getenv("TERM");

  if (a->output || a->format != LP_FORMAT_TEXT || getenv("NO_COLOR"))
    return 0;
  if (term && strcmp(term, "dumb") == 0)
    return 0;
  return isatty(fileno(stdout));
}
