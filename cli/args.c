/* SPDX-License-Identifier: MIT */
/*
 * args.c - command-line parsing with getopt_long.  Every bad option or
 * value gets a message naming it and exit status 2 (the caller's).
 */
#include "tool.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_NO_ISOLATE = 256, OPT_BASELINE, OPT_HOST_NAME, OPT_ANONYMIZE };

static const struct option options[] = {
    {"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'},
    {"only", required_argument, NULL, 'O'},
    {"require", required_argument, NULL, 'r'},
    {"timeout", required_argument, NULL, 't'},
    {"no-isolate", no_argument, NULL, OPT_NO_ISOLATE},
    {"baseline", required_argument, NULL, OPT_BASELINE},
    {"host-name", required_argument, NULL, OPT_HOST_NAME},
    {"anonymize", no_argument, NULL, OPT_ANONYMIZE},
    {"list", no_argument, NULL, 'l'},
    {"quiet", no_argument, NULL, 'q'},
    {"version", no_argument, NULL, 'V'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int tool_parse_format(const char *s, enum lp_format *out)
{
  if (strcmp(s, "text") == 0)
    *out = LP_FORMAT_TEXT;
  else if (strcmp(s, "json") == 0)
    *out = LP_FORMAT_JSON;
  else if (strcmp(s, "markdown") == 0)
    *out = LP_FORMAT_MARKDOWN;
  else {
    tool_error("unknown format '%s' for --format (use text, json or markdown)", s);
    return -1;
  }
  return 0;
}

static int parse_timeout(const char *s, unsigned *out)
{
  char *end = NULL;
  unsigned long v;

  errno = 0;
  v = strtoul(s, &end, 10);
  if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno == ERANGE || v < 1 ||
      v > LP_MAX_TIMEOUT_MS) {
    tool_error("--timeout takes milliseconds from 1 to %u, not '%s'", LP_MAX_TIMEOUT_MS, s);
    return -1;
  }
  *out = (unsigned)v;
  return 0;
}

static int parse_spec(const char *opt, const char *s, const char **out)
{
  char err[512];

  if (lp_spec_validate(s, err, sizeof(err)) < 0) {
    tool_error("%s: %s", opt, err);
    return -1;
  }
  *out = s;
  return 0;
}

/* The option as the user typed it, for messages. */
static const char *typed(char **argv, int index)
{
  return argv[index - 1] ? argv[index - 1] : "?";
}

static int unknown(char **argv)
{
  const char *t = typed(argv, optind);
  const char *eq = strchr(t, '=');

  if (strncmp(t, "--", 2) == 0 && eq)
    tool_error("option '%.*s' takes no value", (int)(eq - t), t);
  else if (strncmp(t, "--", 2) == 0 || !optopt)
    tool_error("unknown option '%s'", t);
  else
    tool_error("unknown option '-%c'", optopt);
  return -1;
}

int tool_option_error(int c, char **argv)
{
  if (c == ':') {
    tool_error("option '%s' needs a value", typed(argv, optind));
    return -1;
  }
  return unknown(argv);
}

int tool_shared_option(int c, char **argv, struct tool_args *a)
{
  switch (c) {
  case 'f':
    return tool_parse_format(optarg, &a->format);
  case 'o':
    if (!*optarg) {
      tool_error("--output needs a file name");
      return -1;
    }
    a->output = optarg;
    return 0;
  case 'r':
    return parse_spec("--require", optarg, &a->require);
  case 'h':
    a->help = 1;
    return 0;
  default:
    return tool_option_error(c, argv);
  }
}

static int one_option(int c, char **argv, struct tool_args *a)
{
  switch (c) {
  case 'O':
    return parse_spec("--only", optarg, &a->only);
  case 't':
    return parse_timeout(optarg, &a->timeout_ms);
  case OPT_NO_ISOLATE:
    a->isolate = 0;
    return 0;
  case OPT_BASELINE:
    if (!*optarg) {
      tool_error("--baseline needs a report file");
      return -1;
    }
    a->baseline = optarg;
    return 0;
  case OPT_HOST_NAME:
    if (!*optarg) {
      tool_error("--host-name needs a name");
      return -1;
    }
    a->host_name = optarg;
    return 0;
  case OPT_ANONYMIZE:
    a->anonymize = 1;
    return 0;
  case 'l':
    a->list = 1;
    return 0;
  case 'q':
    a->quiet = 1;
    return 0;
  case 'V':
    a->version = 1;
    return 0;
  default:
    return tool_shared_option(c, argv, a);
  }
}

int tool_parse_args(int argc, char **argv, struct tool_args *a)
{
  int c;

  memset(a, 0, sizeof(*a));
  a->format = LP_FORMAT_TEXT;
  a->timeout_ms = LP_DEFAULT_TIMEOUT_MS;
  a->isolate = 1;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, ":f:o:O:r:t:lqVh", options, NULL)) != -1)
    if (one_option(c, argv, a) < 0)
      goto usage;
  if (optind < argc) {
    tool_error("unexpected argument '%s'", argv[optind]);
    goto usage;
  }
  return 0;
usage:
  fprintf(stderr, "Try 'loopprobe --help' for the options.\n");
  return -1;
}
