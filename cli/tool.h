/* SPDX-License-Identifier: MIT */
/*
 * tool.h - the loopprobe command.  The files of cli/ split the command by
 * role: args.c parses, help.c prints help, version, --list and --explain,
 * output.c decides how the report looks where it goes (width, colour),
 * writes it and owns exit status 3, commands.c parses and prints diff and
 * merge, stdfds.c keeps closed standard descriptors from the probes,
 * main.c ties them together.  The work itself is the library's, and for
 * diff, merge, --baseline and the report's identity, fleet/'s; the shell
 * completions in cli/completion/ ask the command for their words.
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

#define TOOL_MAX_LIBRARIES 8

enum tool_color { TOOL_COLOR_AUTO, TOOL_COLOR_ALWAYS, TOOL_COLOR_NEVER };

struct tool_args {
  enum lp_format format;
  const char *output; /* NULL: standard output */
  const char *only;
  const char *require;
  unsigned timeout_ms;
  int isolate;
  /* --library NAME=PATH, each checked; NULL-terminated */
  const char *libraries[TOOL_MAX_LIBRARIES + 1];
  size_t nlibraries;
  int list;
  int quiet;
  int version;
  int help;
  unsigned width; /* --width; 0: ask the terminal */
  enum tool_color color;
  int all;                    /* --all: also the rows of na */
  size_t max_size;            /* --max-size, Markdown */
  int explain;                /* --explain: a finding kind, or -1 */
  const char *complete_words; /* hidden --complete-words LIST, or NULL */
  int argc;                   /* the command line, for the report */
  const char *const *argv;
  const char *baseline;  /* --baseline FILE: compare this run with it */
  const char *host_name; /* --host-name NAME */
  int anonymize;
};

/* Opens /dev/null onto each of descriptors 0-2 that is closed, unusable in
   its direction (stdfds.c).  Returns 0, or -1 after a message. */
int tool_keep_std_fds(void);

/* Parses argv.  Returns 0, or -1 after printing a message on stderr. */
int tool_parse_args(int argc, char **argv, struct tool_args *a);
/* The message for getopt_long's ':' (a value missing) or '?' (an unknown
   option) in c.  Returns -1. */
int tool_option_error(int c, char **argv);
/* getopt_long's code for --width, which diff and merge take too. */
#define TOOL_OPT_WIDTH 400
/* The options the command and diff and merge share: -f, -o, -r, --width,
   -h, and the errors.  Returns 0, or -1 after a message. */
int tool_shared_option(int c, char **argv, struct tool_args *a);

/* loopprobe diff and loopprobe merge (argv[1] names the command): parses,
   runs and prints.  Returns the exit status. */
int tool_fleet_main(int argc, char **argv);
/* Prints a fleet call's problems, writes its document to a's output.
   Returns its status, or 3 when the document could not be written. */
int tool_fleet_finish(const struct tool_args *a, const char *cmd, struct lpf_result *res);
/* Whether cmd (diff, merge, --baseline) can read reports here: 0, or the
   exit status after a message - 2 when it was not built in, 3 when cJSON
   cannot be loaded. */
int tool_fleet_reader(const char *cmd);
/* The style of a fleet document going where a says: its format, and the
   width of the text report (tool_text_width(), 80 when it says 0). */
struct lpf_style tool_fleet_style(const struct tool_args *a);

void tool_help(FILE *f);
void tool_version(FILE *f);
void tool_list(FILE *f);
/* A finding kind's meaning, what decides it and what to do, wrapped at
   width (0: 80).  Returns 0, or -1 after a message. */
int tool_explain(FILE *f, enum lp_finding_kind k, unsigned width);
/* The words a shell completion offers: LIST is options, formats, colors,
   mechanisms, layers or kinds; one per line. */
void tool_complete_words(FILE *f, const char *list);
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
/* 1 when the text report going to f should be coloured: --color, then
   FORCE_COLOR, NO_COLOR, CLICOLOR_FORCE, then whether f is a terminal. */
int tool_use_color(const struct tool_args *a, FILE *f);
/* The width of the text report going to f: --width, then the terminal's
   (TIOCGWINSZ), then COLUMNS, else 0 (the library's 80). */
unsigned tool_text_width(const struct tool_args *a, FILE *f);
/* From here on a closed pipe makes writes fail with EPIPE instead of
   killing the process with SIGPIPE, so that it ends with status 3. */
void tool_ignore_sigpipe(void);

#endif
