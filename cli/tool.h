/* SPDX-License-Identifier: MIT */
/*
 * tool.h - the loopprobe command.  The files of cli/ split the command by
 * role: args.c parses, help.c prints help, version and --list, output.c
 * writes the report and owns exit status 3, stdfds.c keeps closed standard
 * descriptors from the probes, main.c ties them together.
 * The work itself is the library's.
 */
#ifndef LP_TOOL_H
#define LP_TOOL_H

#include "loopprobe.h"

#include <stdio.h>

/* Exit statuses, as the README documents them. */
#define TOOL_EXIT_OK 0
#define TOOL_EXIT_FINDINGS 1
#define TOOL_EXIT_USAGE 2
#define TOOL_EXIT_INTERNAL 3

struct tool_args {
  enum lp_format format;
  const char *output; /* NULL: standard output */
  const char *only;
  const char *require;
  unsigned timeout_ms;
  int isolate;
  int list;
  int quiet;
  int version;
  int help;
};

/* Opens /dev/null onto each of descriptors 0-2 that is closed, unusable in
   its direction (stdfds.c).  Returns 0, or -1 after a message. */
int tool_keep_std_fds(void);

/* Parses argv.  Returns 0, or -1 after printing a message on stderr. */
int tool_parse_args(int argc, char **argv, struct tool_args *a);

void tool_help(FILE *f);
void tool_version(FILE *f);
void tool_list(FILE *f);
/* "loopprobe: MESSAGE" on standard error. */
void tool_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Opens where the report goes.  Returns the stream, or NULL after a message. */
FILE *tool_open_output(const struct tool_args *a);
/* Writes and closes.  Returns 0, or -1 after a message. */
int tool_write_report(FILE *f, const struct tool_args *a, const char *text, size_t len);
/* 1 when the text report should be coloured. */
int tool_use_color(const struct tool_args *a);

#endif
