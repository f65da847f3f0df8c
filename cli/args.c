/* SPDX-License-Identifier: MIT */
/*
 * args.c - command-line parsing with getopt_long.  Every bad option or
 * value gets a message naming it and exit status 2 (the caller's).  What
 * the user typed is quoted with base's lp_buf_quote(): a line break or an
 * escape sequence in an argument must not split the message or reach the
 * terminal.
 */
#include "tool.h"

#include "../base/util.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_NO_ISOLATE = 256 };

#define SHOWN 64 /* bytes of a typed argument a message quotes */

static const struct option options[] = {
    {"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'},
    {"only", required_argument, NULL, 'O'},
    {"require", required_argument, NULL, 'r'},
    {"timeout", required_argument, NULL, 't'},
    {"no-isolate", no_argument, NULL, OPT_NO_ISOLATE},
    {"list", no_argument, NULL, 'l'},
    {"quiet", no_argument, NULL, 'q'},
    {"version", no_argument, NULL, 'V'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* s[0..n) quoted for a message, in dst (at least 4 * SHOWN + 8 bytes). */
static const char *shown(char *dst, size_t size, const char *s, size_t n)
{
  struct lp_buf b;

  lp_buf_init(&b);
  lp_buf_quote(&b, s, n, SHOWN);
  lp_strlcpy(dst, b.data ? b.data : "'?'", size);
  lp_buf_free(&b);
  return dst;
}

static int parse_format(const char *s, enum lp_format *out)
{
  char q[4 * SHOWN + 8];

  if (strcmp(s, "text") == 0)
    *out = LP_FORMAT_TEXT;
  else if (strcmp(s, "json") == 0)
    *out = LP_FORMAT_JSON;
  else if (strcmp(s, "markdown") == 0)
    *out = LP_FORMAT_MARKDOWN;
  else {
    tool_error("unknown format %s for --format (use text, json or markdown)",
               shown(q, sizeof(q), s, strlen(s)));
    return -1;
  }
  return 0;
}

static int parse_timeout(const char *s, unsigned *out)
{
  char *end = NULL, q[4 * SHOWN + 8];
  unsigned long v;

  errno = 0;
  v = strtoul(s, &end, 10);
  if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno == ERANGE || v < 1 ||
      v > LP_MAX_TIMEOUT_MS) {
    tool_error("--timeout takes milliseconds from 1 to %u, not %s", LP_MAX_TIMEOUT_MS,
               shown(q, sizeof(q), s, strlen(s)));
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

/* The long option t ("--name" or "--name=value") names, by its full name
   or a unique prefix as getopt_long() takes it; NULL for none. */
static const struct option *long_named(const char *t)
{
  size_t n = strcspn(t + 2, "=");
  const struct option *o, *found = NULL;

  for (o = options; o->name; o++) {
    if (strncmp(o->name, t + 2, n) != 0)
      continue;
    if (strlen(o->name) == n)
      return o;
    if (found)
      return NULL;
    found = o;
  }
  return found;
}

/* 1 when getopt's complaint is about the long option typed as t.  Inside
   a cluster of short options (-Xq) getopt has not moved past the cluster
   yet, so t is the argument before it, which may well be a long option:
   the complaint is about that one only when optopt is its value (0 for an
   unknown one). */
static int about_long(const char *t)
{
  const struct option *o = NULL;

  if (strncmp(t, "--", 2) != 0)
    return 0;
  if (optopt == 0)
    return 1;
  o = long_named(t);
  return o && o->val == optopt;
}

static int unknown(char **argv)
{
  const char *t = typed(argv, optind);
  const char *eq = strchr(t, '=');
  char q[4 * SHOWN + 8], opt[2] = {'-', (char)optopt};

  if (about_long(t) && eq && optopt)
    tool_error("option %s takes no value", shown(q, sizeof(q), t, (size_t)(eq - t)));
  else if (about_long(t) || !optopt)
    tool_error("unknown option %s", shown(q, sizeof(q), t, strlen(t)));
  else
    tool_error("unknown option %s", shown(q, sizeof(q), opt, 2));
  return -1;
}

static int needs_value(char **argv)
{
  const char *t = typed(argv, optind);
  char q[4 * SHOWN + 8], opt[2] = {'-', (char)optopt};

  if (about_long(t))
    tool_error("option %s needs a value", shown(q, sizeof(q), t, strcspn(t, "=")));
  else
    tool_error("option %s needs a value", shown(q, sizeof(q), opt, 2));
  return -1;
}

static int one_option(int c, char **argv, struct tool_args *a)
{
  switch (c) {
  case 'f':
    return parse_format(optarg, &a->format);
  case 'o':
    if (!*optarg) {
      tool_error("--output needs a file name");
      return -1;
    }
    a->output = optarg;
    return 0;
  case 'O':
    return parse_spec("--only", optarg, &a->only);
  case 'r':
    return parse_spec("--require", optarg, &a->require);
  case 't':
    return parse_timeout(optarg, &a->timeout_ms);
  case OPT_NO_ISOLATE:
    a->isolate = 0;
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
  case 'h':
    a->help = 1;
    return 0;
  case ':':
    return needs_value(argv);
  default:
    return unknown(argv);
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
  optind = 0; /* 0, not 1: getopt starts afresh, even after an error inside a cluster (-Xq) */
  while ((c = getopt_long(argc, argv, ":f:o:O:r:t:lqVh", options, NULL)) != -1)
    if (one_option(c, argv, a) < 0)
      goto usage;
  if (optind < argc) {
    char q[4 * SHOWN + 8];
    tool_error("unexpected argument %s", shown(q, sizeof(q), argv[optind], strlen(argv[optind])));
    goto usage;
  }
  return 0;
usage:
  fprintf(stderr, "Try 'loopprobe --help' for the options.\n");
  return -1;
}
