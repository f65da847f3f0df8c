/* SPDX-License-Identifier: MIT */
/*
 * args.c - command-line parsing with getopt_long.  Every bad option or
 * value gets a message naming it and exit status 2 (the caller's).  The
 * tables here (options, formats, colour modes) are also what the shell
 * completions offer (--complete-words), so the two cannot drift.  What
 * the user typed is quoted with base's lp_buf_quote(): a line break or an
 * escape sequence in an argument must not split a message or reach the
 * terminal.
 */
#include "tool.h"

#include "../base/util.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum {
  OPT_NO_ISOLATE = 256,
  OPT_WIDTH = TOOL_OPT_WIDTH,
  OPT_COLOR,
  OPT_ALL,
  OPT_SUMMARY,
  OPT_MAX_SIZE,
  OPT_EXPLAIN,
  OPT_COMPLETE_WORDS,
  OPT_LIBRARY,
  OPT_BASELINE,
  OPT_HOST_NAME,
  OPT_ANONYMIZE,
};

#define MAX_WIDTH 10000ul
#define MAX_SIZE 1000000000ul
#define SHOWN 64 /* bytes of a typed argument a message quotes */
#define QUOTED (4 * SHOWN + 8)

static const struct option options[] = {
    {"format", required_argument, NULL, 'f'},
    {"summary", no_argument, NULL, OPT_SUMMARY},
    {"output", required_argument, NULL, 'o'},
    {"only", required_argument, NULL, 'O'},
    {"require", required_argument, NULL, 'r'},
    {"timeout", required_argument, NULL, 't'},
    {"no-isolate", no_argument, NULL, OPT_NO_ISOLATE},
    {"library", required_argument, NULL, OPT_LIBRARY},
    {"width", required_argument, NULL, OPT_WIDTH},
    {"color", required_argument, NULL, OPT_COLOR},
    {"all", no_argument, NULL, OPT_ALL},
    {"max-size", required_argument, NULL, OPT_MAX_SIZE},
    {"explain", required_argument, NULL, OPT_EXPLAIN},
    {"baseline", required_argument, NULL, OPT_BASELINE},
    {"host-name", required_argument, NULL, OPT_HOST_NAME},
    {"anonymize", no_argument, NULL, OPT_ANONYMIZE},
    {"list", no_argument, NULL, 'l'},
    {"quiet", no_argument, NULL, 'q'},
    {"version", no_argument, NULL, 'V'},
    {"help", no_argument, NULL, 'h'},
    {"complete-words", required_argument, NULL, OPT_COMPLETE_WORDS}, /* hidden: last */
    {NULL, 0, NULL, 0},
};

static const char *const colors[] = {"auto", "always", "never"};
static const enum tool_color color_ids[] = {TOOL_COLOR_AUTO, TOOL_COLOR_ALWAYS, TOOL_COLOR_NEVER};

/* What --complete-words knows, besides the tables of loopprobe.h. */
static const char *const word_lists[] = {"options",    "formats", "colors",
                                         "mechanisms", "layers",  "kinds"};

/* The index of s in names[0..n), or -1. */
static int lookup(const char *s, const char *const *names, size_t n)
{
  size_t i;

  for (i = 0; i < n; i++)
    if (strcmp(s, names[i]) == 0)
      return (int)i;
  return -1;
}

/* s quoted for a message, in dst (QUOTED bytes). */
static const char *shown(char *dst, const char *s, size_t n)
{
  struct lp_buf b;

  lp_buf_init(&b);
  lp_buf_quote(&b, s, n, SHOWN);
  lp_strlcpy(dst, b.data ? b.data : "'?'", QUOTED);
  lp_buf_free(&b);
  return dst;
}

/* The formats are the library's table (LP_FORMAT_MAP). */
static int parse_format(const char *s, enum lp_format *out)
{
  char q[QUOTED];
  int f;

  for (f = 0; f < LP_FORMAT_COUNT; f++)
    if (strcmp(s, lp_format_name((enum lp_format)f)) == 0) {
      *out = (enum lp_format)f;
      return 0;
    }
  fprintf(stderr, "loopprobe: unknown format %s for --format (use ", shown(q, s, strlen(s)));
  for (f = 0; f < LP_FORMAT_COUNT; f++) {
    const char *sep = f + 1 < LP_FORMAT_COUNT ? ", " : " or ";
    fprintf(stderr, "%s%s", f == 0 ? "" : sep, lp_format_name((enum lp_format)f));
  }
  fputs(")\n", stderr);
  return -1;
}

static int parse_color(const char *s, enum tool_color *out)
{
  int i = lookup(s, colors, sizeof(colors) / sizeof(colors[0]));
  char q[QUOTED];

  if (i < 0) {
    tool_error("unknown value %s for --color (use auto, always or never)", shown(q, s, strlen(s)));
    return -1;
  }
  *out = color_ids[i];
  return 0;
}

/* A decimal number from min to max; what says what it counts. */
static int parse_number(const char *opt, const char *s, unsigned long min, unsigned long max,
                        const char *what, unsigned long *out)
{
  char *end = NULL, q[QUOTED];
  unsigned long v;

  errno = 0;
  v = strtoul(s, &end, 10);
  if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno == ERANGE || v < min || v > max) {
    tool_error("%s takes %s from %lu to %lu, not %s", opt, what, min, max, shown(q, s, strlen(s)));
    return -1;
  }
  *out = v;
  return 0;
}

static int parse_explain(const char *s, int *out)
{
  char q[QUOTED];
  int k;

  for (k = 0; k < LP_FINDING_COUNT; k++)
    if (strcmp(s, lp_finding_kind_name((enum lp_finding_kind)k)) == 0) {
      *out = k;
      return 0;
    }
  tool_error("unknown finding kind %s for --explain; the kinds are:", shown(q, s, strlen(s)));
  for (k = 0; k < LP_FINDING_COUNT; k++)
    fprintf(stderr, "  %s\n", lp_finding_kind_name((enum lp_finding_kind)k));
  return -1;
}

static int parse_words(const char *s, const char **out)
{
  char q[QUOTED];

  if (lookup(s, word_lists, sizeof(word_lists) / sizeof(word_lists[0])) < 0) {
    tool_error("unknown word list %s for --complete-words (use options, formats, colors, "
               "mechanisms, layers or kinds)",
               shown(q, s, strlen(s)));
    return -1;
  }
  *out = s;
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

/* --library NAME=PATH: checked (and loaded) now, so that a bad file is a
   usage error naming it, before any probe runs. */
static int parse_library(const char *s, struct tool_args *a)
{
  char err[1024];
  size_t i, n = strcspn(s, "=");

  for (i = 0; i < a->nlibraries; i++)
    if (strncmp(a->libraries[i], s, n) == 0 && a->libraries[i][n] == '=') {
      tool_error("--library %s: %.*s is named twice", s, (int)n, s);
      return -1;
    }
  if (a->nlibraries == TOOL_MAX_LIBRARIES) {
    tool_error("--library %s: more than %d libraries named", s, TOOL_MAX_LIBRARIES);
    return -1;
  }
  if (lp_library_validate(s, err, sizeof(err)) < 0) {
    tool_error("--library %s", err);
    return -1;
  }
  a->libraries[a->nlibraries++] = s;
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
  char q[QUOTED], opt[2] = {'-', (char)optopt};

  if (about_long(t) && eq && optopt)
    tool_error("option %s takes no value", shown(q, t, (size_t)(eq - t)));
  else if (about_long(t) || !optopt)
    tool_error("unknown option %s", shown(q, t, strlen(t)));
  else
    tool_error("unknown option %s", shown(q, opt, 2));
  return -1;
}

static int needs_value(char **argv)
{
  const char *t = typed(argv, optind);
  char q[QUOTED], opt[2] = {'-', (char)optopt};

  if (about_long(t))
    tool_error("option %s needs a value", shown(q, t, strcspn(t, "=")));
  else
    tool_error("option %s needs a value", shown(q, opt, 2));
  return -1;
}

/* The options that print something and stop, and the output settings. */
static int info_option(int c, struct tool_args *a)
{
  unsigned long v = 0;

  switch (c) {
  case OPT_COLOR:
    return parse_color(optarg, &a->color);
  case OPT_ALL:
    a->all = 1;
    return 0;
  case OPT_SUMMARY:
    a->format = LP_FORMAT_SUMMARY;
    return 0;
  case OPT_MAX_SIZE:
    if (parse_number("--max-size", optarg, 0, MAX_SIZE, "characters (0: no cap)", &v) < 0)
      return -1;
    a->max_size = (size_t)v;
    return 0;
  case OPT_EXPLAIN:
    return parse_explain(optarg, &a->explain);
  case OPT_COMPLETE_WORDS:
    return parse_words(optarg, &a->complete_words);
  default:
    return 1; /* not one of these */
  }
}

int tool_option_error(int c, char **argv)
{
  return c == ':' ? needs_value(argv) : unknown(argv);
}

int tool_shared_option(int c, char **argv, struct tool_args *a)
{
  unsigned long v = 0;

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
  case 'r':
    return parse_spec("--require", optarg, &a->require);
  case OPT_WIDTH:
    if (parse_number("--width", optarg, 1, MAX_WIDTH, "columns", &v) < 0)
      return -1;
    a->width = (unsigned)v;
    return 0;
  case 'h':
    a->help = 1;
    return 0;
  default:
    return tool_option_error(c, argv);
  }
}

/* --baseline, --host-name, --anonymize: what the fleet commands use. */
static int fleet_option(int c, struct tool_args *a)
{
  switch (c) {
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
  default:
    return 1; /* not one of these */
  }
}

static int one_option(int c, char **argv, struct tool_args *a)
{
  unsigned long v = 0;
  int rc = info_option(c, a);

  if (rc <= 0 || (rc = fleet_option(c, a)) <= 0)
    return rc;
  switch (c) {
  case 'O':
    return parse_spec("--only", optarg, &a->only);
  case 't':
    if (parse_number("--timeout", optarg, 1, LP_MAX_TIMEOUT_MS, "milliseconds", &v) < 0)
      return -1;
    a->timeout_ms = (unsigned)v;
    return 0;
  case OPT_NO_ISOLATE:
    a->isolate = 0;
    return 0;
  case OPT_LIBRARY:
    return parse_library(optarg, a);
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
  a->color = TOOL_COLOR_AUTO;
  a->max_size = LP_MARKDOWN_MAX_SIZE;
  a->explain = -1;
  a->argc = argc;
  a->argv = (const char *const *)argv;
  opterr = 0;
  optind = 0; /* not 1: getopt starts afresh, even after an error inside a cluster (-Xq) */
  while ((c = getopt_long(argc, argv, ":f:o:O:r:t:lqVh", options, NULL)) != -1)
    if (one_option(c, argv, a) < 0)
      goto usage;
  if (optind < argc) {
    char q[QUOTED];
    tool_error("unexpected argument %s", shown(q, argv[optind], strlen(argv[optind])));
    goto usage;
  }
  return 0;
usage:
  fprintf(stderr, "Try 'loopprobe --help' for the options.\n");
  return -1;
}

void tool_complete_words(FILE *f, const char *list)
{
  size_t i;
  int k;

  if (strcmp(list, "options") == 0) {
    for (i = 0; options[i].name && strcmp(options[i].name, "complete-words") != 0; i++)
      fprintf(f, "--%s\n", options[i].name);
  } else if (strcmp(list, "formats") == 0) {
    for (k = 0; k < LP_FORMAT_COUNT; k++)
      fprintf(f, "%s\n", lp_format_name((enum lp_format)k));
  } else if (strcmp(list, "colors") == 0) {
    for (i = 0; i < sizeof(colors) / sizeof(colors[0]); i++)
      fprintf(f, "%s\n", colors[i]);
  } else if (strcmp(list, "mechanisms") == 0) {
    for (k = 0; k < LP_MECH_COUNT; k++)
      fprintf(f, "%s\n", lp_mechanism_name((enum lp_mechanism)k));
  } else if (strcmp(list, "layers") == 0) {
    for (k = 0; k < LP_LAYER_COUNT; k++)
      fprintf(f, "%s\n", lp_layer_name((enum lp_layer)k));
  } else {
    for (k = 0; k < LP_FINDING_COUNT; k++)
      fprintf(f, "%s\n", lp_finding_kind_name((enum lp_finding_kind)k));
  }
}
