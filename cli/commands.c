/* SPDX-License-Identifier: MIT */
/*
 * commands.c - loopprobe diff and loopprobe merge: their arguments, and
 * printing what fleet/ made of them.  Each unusable input gets a line on
 * standard error naming it; the document still goes out, and the status
 * says input was bad (3).  Built without cJSON's headers they were not
 * built in: exit 2; when libcjson cannot be loaded they cannot read: 3.
 *
 * Traps: getopt_long runs on argv + 1, so that the command's own name is
 * not taken for an operand; GNU getopt moves options after the operands
 * to the front, so "merge DIR --format json" works.
 */
#include "tool.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* Below the matrix's width, text is not narrowed further. */
#define MIN_WIDTH 60

static const struct option options[] = {
    {"format", required_argument, NULL, 'f'},  {"output", required_argument, NULL, 'o'},
    {"require", required_argument, NULL, 'r'}, {"width", required_argument, NULL, TOOL_OPT_WIDTH},
    {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
};

struct lpf_style tool_fleet_style(const struct tool_args *a)
{
  struct lpf_style st;
  unsigned w = tool_text_width(a, a->output ? NULL : stdout);

  st.format = a->format;
  st.width = !w ? 80 : w < MIN_WIDTH ? MIN_WIDTH : w;
  return st;
}

static int one_option(int c, const char *cmd, char **argv, struct tool_args *a)
{
  if (c == 'r' && strcmp(cmd, "merge") != 0) {
    tool_error("%s takes no --require (merge does)", cmd);
    return -1;
  }
  return tool_shared_option(c, argv, a);
}

/* Parses the options of argv[1]'s command; *first is the first operand. */
static int parse(int argc, char **argv, struct tool_args *a, int *first)
{
  const char *cmd = argv[1];
  int c;

  memset(a, 0, sizeof(*a));
  a->format = LP_FORMAT_TEXT;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc - 1, argv + 1, ":f:o:r:h", options, NULL)) != -1)
    if (one_option(c, cmd, argv + 1, a) < 0)
      return -1;
  *first = optind + 1;
  if (a->help)
    return 0;
  if (strcmp(cmd, "diff") == 0 && argc - *first != 2) {
    tool_error("diff compares two reports: loopprobe diff OLD.json NEW.json (%d given)",
               argc - *first);
    return -1;
  }
  if (strcmp(cmd, "merge") == 0 && argc - *first < 1) {
    tool_error("merge needs reports or a directory of them: loopprobe merge REPORT... | DIR");
    return -1;
  }
  return 0;
}

int tool_fleet_finish(const struct tool_args *a, const char *cmd, struct lpf_result *res)
{
  FILE *out = NULL;
  size_t i;

  for (i = 0; i < res->problems.n; i++)
    tool_error("%s: %s", cmd, res->problems.v[i]);
  if (!res->doc.len || (a->quiet && !a->output))
    return res->status;
  if (!(out = tool_open_output(a)) || tool_write_report(out, a, res->doc.data, res->doc.len) < 0)
    return TOOL_EXIT_INTERNAL;
  return res->status;
}

int tool_fleet_reader(const char *cmd)
{
  char why[2048];

  switch (lpf_reader(why, sizeof(why))) {
  case LPF_READER_OK:
    return 0;
  case LPF_READER_NOT_BUILT:
    tool_error("%s was not built in: %s", cmd, why);
    return TOOL_EXIT_USAGE;
  case LPF_READER_NOT_LOADED:
    break;
  }
  tool_error("%s cannot read reports: %s", cmd, why);
  return TOOL_EXIT_INTERNAL;
}

int tool_fleet_main(int argc, char **argv)
{
  struct tool_args a;
  struct lpf_result res;
  struct lpf_style st;
  int first = 0, status;

  tool_ignore_sigpipe();

  if (parse(argc, argv, &a, &first) < 0) {
    fprintf(stderr, "Try 'loopprobe --help' for the options.\n");
    return TOOL_EXIT_USAGE;
  }
  if (a.help) {
    tool_help(stdout);
    return fflush(stdout) == 0 ? TOOL_EXIT_OK : TOOL_EXIT_INTERNAL;
  }
  if ((status = tool_fleet_reader(argv[1])) != 0)
    return status;
  st = tool_fleet_style(&a);
  lpf_result_init(&res);
  if (strcmp(argv[1], "diff") == 0)
    lpf_diff_files(argv[first], argv[first + 1], &st, &res);
  else
    lpf_merge(argv + first, (size_t)(argc - first), a.require, &st, &res);
  status = tool_fleet_finish(&a, argv[1], &res);
  lpf_result_free(&res);
  return status;
}
