/* SPDX-License-Identifier: MIT */
/*
 * fuzz_args.c - the command's argument parser (cli/args.c, linked without
 * main()) on an argv made of the input's NUL-separated pieces.
 *
 *   it succeeds silently or fails with two lines on standard error: one
 *   "loopprobe: MESSAGE" and the pointer to --help;
 *   a message about an option names one the user typed, and says of it
 *   only what is true: "unknown" of a name no option has (or an ambiguous
 *   prefix), "takes no value" of an option that takes none given with
 *   '=', "needs a value" of the last argument when its option takes one;
 *   what it accepts is in range (format, timeout, SPECs that validate);
 *   and a second call parses a fresh argv from scratch (getopt keeps state
 *   between calls).
 *
 * The option table below is the reference, written from --help (the
 * corpus replay fails when it drifts from the parser's).  --library is
 * left out: it loads the file it names, which is no parser's work, and
 * dlopen() of whatever path the fuzzer makes up runs that file's code.
 */
#define _GNU_SOURCE
#include "fuzz.h"

#include "cli/tool.h"

#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_ARGS 24

struct ref_opt {
  const char *name;
  char short_name; /* 0: none */
  int takes_value;
};

static const struct ref_opt opts[] = {
    {"format", 'f', 1},       {"summary", 0, 0},   {"output", 'o', 1},   {"only", 'O', 1},
    {"require", 'r', 1},      {"timeout", 't', 1}, {"no-isolate", 0, 0}, {"library", 0, 1},
    {"width", 0, 1},          {"color", 0, 1},     {"all", 0, 0},        {"max-size", 0, 1},
    {"explain", 0, 1},        {"baseline", 0, 1},  {"host-name", 0, 1},  {"anonymize", 0, 0},
    {"list", 'l', 0},         {"quiet", 'q', 0},   {"version", 'V', 0},  {"help", 'h', 0},
    {"complete-words", 0, 1},
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

/* The option "--name" names, exactly or by a unique prefix; NULL else. */
static const struct ref_opt *long_opt(const char *name, size_t n)
{
  const struct ref_opt *found = NULL;
  size_t i;

  for (i = 0; i < NOPTS; i++) {
    if (strncmp(opts[i].name, name, n) != 0)
      continue;
    if (strlen(opts[i].name) == n)
      return &opts[i];
    if (found)
      return NULL;
    found = &opts[i];
  }
  return found;
}

static int starts(const char *s, const char *prefix)
{
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const struct ref_opt *short_opt(char c)
{
  size_t i;

  for (i = 0; i < NOPTS; i++)
    if (opts[i].short_name && opts[i].short_name == c)
      return &opts[i];
  return NULL;
}

/* 1 when some cluster of short options ("-qX") holds c. */
static int in_cluster(char **argv, int argc, char c)
{
  int i;

  for (i = 1; i < argc; i++)
    if (argv[i][0] == '-' && argv[i][1] != '-' && strchr(argv[i] + 1, c))
      return 1;
  return 0;
}

/* How a message must show s[0..n): in quotes, at most 64 bytes, each
   byte outside printable ASCII - and the quote and backslash - as \xNN. */
static void ref_quote(char *dst, const char *s, size_t n)
{
  size_t i, o = 0;

  dst[o++] = '\'';
  for (i = 0; i < n && i < 64; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\')
      dst[o++] = (char)c;
    else
      o += (size_t)sprintf(dst + o, "\\x%02x", c);
  }
  if (n > 64)
    o += (size_t)sprintf(dst + o, "...");
  dst[o++] = '\'';
  dst[o] = '\0';
}

/* 1 when the message shows (quoted) an argument - cut at its first '='
   when cut_at_eq, which it must then hold; the argument is in *arg. */
static int shows_arg(const char *shown, char **orig, int argc, int cut_at_eq, const char **arg)
{
  char q[4 * 64 + 8];
  int i;

  for (i = 1; i < argc; i++) {
    size_t n = cut_at_eq ? strcspn(orig[i], "=") : strlen(orig[i]);
    if (cut_at_eq && !orig[i][n])
      continue;
    ref_quote(q, orig[i], n);
    if (strcmp(q, shown) == 0) {
      *arg = orig[i];
      return 1;
    }
  }
  return 0;
}

/* The short option a message shows as '-c' or '-\xNN'; -1 for none. */
static int shown_short(const char *q)
{
  unsigned v = 0;

  if (strlen(q) == 4 && q[0] == '\'' && q[1] == '-' && q[3] == '\'')
    return (unsigned char)q[2];
  if (strlen(q) == 7 && starts(q, "'-\\x") && sscanf(q + 4, "%2x", &v) == 1 && q[6] == '\'')
    return (int)v;
  return -1;
}

/* The quoted part of msg between prefix and suffix, or NULL. */
static const char *between(char *msg, const char *prefix, const char *suffix)
{
  size_t n = strlen(msg), p = strlen(prefix), s = strlen(suffix);

  if (n < p + s || !starts(msg, prefix) || strcmp(msg + n - s, suffix) != 0)
    return NULL;
  msg[n - s] = '\0';
  return msg + p;
}

static void check_message(char *msg, char **orig, int argc)
{
  char copy[4096];
  const struct ref_opt *r = NULL;
  const char *q = NULL, *arg = NULL, *last = orig[argc - 1];
  size_t i;
  int c;

  for (i = 0; msg[i]; i++)
    FZ_CHECK(msg[i] >= 0x20 && msg[i] < 0x7f, msg, strlen(msg),
             "a usage message is not printable ASCII (what the user typed is not quoted)");
  lp_strlcpy(copy, msg, sizeof(copy));
  if ((q = between(copy, "unknown option ", "")) != NULL && (c = shown_short(q)) >= 0) {
    FZ_CHECK(in_cluster(orig, argc, (char)c) && !short_opt((char)c), msg, strlen(msg),
             "says a short option is unknown that was not typed or is known");
  } else if (q) {
    FZ_CHECK(shows_arg(q, orig, argc, 0, &arg) && starts(arg, "--") &&
                 !long_opt(arg + 2, strcspn(arg + 2, "=")),
             msg, strlen(msg), "says an option is unknown that was not typed or is known");
  } else if ((q = between(copy, "option ", " takes no value")) != NULL) {
    FZ_CHECK(shows_arg(q, orig, argc, 1, &arg) && starts(arg, "--") && strchr(arg, '=') &&
                 (r = long_opt(arg + 2, strcspn(arg + 2, "="))) && !r->takes_value,
             msg, strlen(msg), "says an option takes no value that takes one, or is no option");
  } else if ((q = between(copy, "option ", " needs a value")) != NULL) {
    if ((c = shown_short(q)) >= 0)
      FZ_CHECK((r = short_opt((char)c)) && r->takes_value && last[0] == '-' &&
                   last[strlen(last) - 1] == c,
               msg, strlen(msg), "says a short option needs a value that does not end the line");
    else
      FZ_CHECK(shows_arg(q, orig + argc - 2, 2, 0, &arg) && starts(arg, "--") &&
                   (r = long_opt(arg + 2, strlen(arg) - 2)) && r->takes_value,
               msg, strlen(msg), "says '%s' needs a value, not the last argument's option", last);
  }
}

/* A usage error: "loopprobe: MESSAGE", a list of the words accepted
   (indented, --explain's kinds) if any, and the pointer to --help. */
static void check_layout(const char *msg)
{
  static const char help[] = "Try 'loopprobe --help' for the options.\n";
  const char *line = strchr(msg, '\n'), *end = msg + strlen(msg);
  size_t i;

  FZ_CHECK(starts(msg, "loopprobe: ") && line && (size_t)(end - msg) >= sizeof(help) - 1 &&
               strcmp(end - (sizeof(help) - 1), help) == 0,
           msg, strlen(msg), "a usage error is not a message, then the pointer to --help");
  for (line++; line < end - (sizeof(help) - 1); line += i + 1) {
    for (i = 2; line[i] != '\n' && ((line[i] >= 'a' && line[i] <= 'z') || line[i] == '-'); i++)
      ;
    FZ_CHECK(starts(line, "  ") && i > 2 && line[i] == '\n', msg, strlen(msg),
             "a usage error has a line that is neither the message, a listed word nor the help");
  }
}

/* The reference names the parser's options, no more and no fewer: the
   command's own list (--complete-words options, which leaves out the
   hidden --complete-words) against the table above. */
static void check_table(void)
{
  static int done;
  char *list = NULL, line[64];
  size_t len = 0, i, listed = 0;
  FILE *f = NULL;

  if (done)
    return;
  done = 1;
  if (!(f = open_memstream(&list, &len)))
    abort();
  tool_complete_words(f, "options");
  fclose(f);
  for (i = 0; i < NOPTS; i++) {
    if (strcmp(opts[i].name, "complete-words") == 0)
      continue;
    snprintf(line, sizeof(line), "--%s\n", opts[i].name);
    FZ_CHECK(strstr(list, line), list, len, "the parser has no option %s: update opts[]", line);
    listed++;
  }
  for (i = 0; list[i]; i++)
    listed -= list[i] == '\n';
  FZ_CHECK(listed == 0, list, len, "the parser has options opts[] lacks: update opts[]");
  free(list);
}

static FILE *capture;

/* Calls the parser with standard error going to the capture file. */
static int parse(int argc, char **argv, struct tool_args *a, char *msg, size_t size)
{
  int saved, rc;
  size_t n;

  if (!capture && !(capture = tmpfile()))
    abort();
  fflush(stderr);
  saved = dup(2);
  if (saved < 0 || ftruncate(fileno(capture), 0) != 0 || dup2(fileno(capture), 2) < 0)
    abort();
  rc = tool_parse_args(argc, argv, a);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  rewind(capture);
  n = fread(msg, 1, size - 1, capture);
  msg[n] = '\0';
  rewind(capture);
  return rc;
}

static void check_accepted(const struct tool_args *a, const char *msg)
{
  FZ_CHECK(msg[0] == '\0', msg, strlen(msg), "success with a message");
  FZ_CHECK((int)a->format >= 0 && a->format < LP_FORMAT_COUNT, NULL, 0, "format out of range");
  FZ_CHECK(a->timeout_ms >= 1 && a->timeout_ms <= LP_MAX_TIMEOUT_MS, NULL, 0, "timeout %u",
           a->timeout_ms);
  FZ_CHECK(!a->only || lp_spec_validate(a->only, NULL, 0) == 0, a->only, strlen(a->only),
           "--only accepted a bad SPEC");
  FZ_CHECK(!a->require || lp_spec_validate(a->require, NULL, 0) == 0, a->require,
           strlen(a->require), "--require accepted a bad SPEC");
  FZ_CHECK(!a->output || a->output[0], NULL, 0, "an empty --output accepted");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fz f;
  char *argv[MAX_ARGS + 1], *orig[MAX_ARGS + 1], *again[] = {"loopprobe", "--list", NULL};
  char msg[4096];
  struct tool_args a;
  int argc = 1, rc, i;

  fz_self_test();
  check_table();
  fz_begin(&f, data, size);
  argv[0] = orig[0] = "loopprobe";
  while (!fz_done(&f) && argc < MAX_ARGS) {
    argv[argc] = orig[argc] = fz_str(&f);
    argc++;
  }
  argv[argc] = orig[argc] = NULL;
  for (i = 1; i < argc; i++) /* --library loads the file it names: no fuzzing dlopen() */
    if (strncmp(argv[i], "--lib", 5) == 0) {
      fz_end(&f);
      return 0;
    }
  rc = parse(argc, argv, &a, msg, sizeof(msg));
  FZ_CHECK(rc == 0 || rc == -1, NULL, 0, "tool_parse_args returned %d", rc);
  if (rc == 0)
    check_accepted(&a, msg);
  else {
    check_layout(msg);
    msg[strcspn(msg, "\n")] = '\0';
    check_message(msg + 11, orig, argc);
  }
  rc = parse(2, again, &a, msg, sizeof(msg));
  FZ_CHECK(rc == 0 && a.list == 1 && msg[0] == '\0', msg, strlen(msg),
           "a second parse of '--list' did not start afresh");
  fz_end(&f);
  return 0;
}
