/* SPDX-License-Identifier: MIT */
/*
 * tool.h - the loopprobe command.  The files of cli/ split the command by
 * role: args.c parses, help.c prints help, version and --list, output.c
 * writes the report and owns exit status 3, commands.c parses and prints
 * diff and merge, main.c ties them together.  The work itself is the
 * library's, and for diff, merge, --baseline and the report's identity,
 * fleet/'s.
 */
#ifndef LP_TOOL_H
#define LP_TOOL_H

#include "loopprobe.h"

#include "../fleet/fleet.h"

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
  const char *baseline;  /* --baseline FILE: compare this run with it */
  const char *host_name; /* --host-name NAME */
  int anonymize;
};

/* Parses argv.  Returns 0, or -1 after printing a message on stderr. */
int tool_parse_args(int argc, char **argv, struct tool_args *a);
/* The message for getopt_long's ':' (a value missing) or '?' (an unknown
   option) in c.  Returns -1. */
int tool_option_error(int c, char **argv);
/* The options the command and diff and merge share: -f, -o, -r, -h, and
   the errors.  Returns 0, or -1 after a message. */
int tool_shared_option(int c, char **argv, struct tool_args *a);
/* --format's value.  Returns 0, or -1 after a message. */
int tool_parse_format(const char *s, enum lp_format *out);

/* loopprobe diff and loopprobe merge (argv[1] names the command): parses,
   runs and prints.  Returns the exit status. */
int tool_fleet_main(int argc, char **argv);
/* Prints a fleet call's problems, writes its document to a's output.
   Returns its status, or 3 when the document could not be written. */
int tool_fleet_finish(const struct tool_args *a, const char *cmd, struct lpf_result *res);
/* The columns the text output may use: $COLUMNS, else 80. */
unsigned tool_width(void);

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
