/* SPDX-License-Identifier: MIT */
/*
 * main.c - the loopprobe command: parse, run, write, exit with the status
 * the report (or the failure to write it) calls for.  "loopprobe diff" and
 * "loopprobe merge" go to commands.c; --baseline writes the diff of this
 * run against the baseline instead of the report, and exits with its
 * status (3 still when a probe could not be started).
 */
#include "tool.h"

#include <stdlib.h>
#include <string.h>

/* --host-name and --anonymize.  Returns 0, or -1 after a message. */
static int identity(const struct tool_args *a, struct lp_report *report)
{
  if ((a->host_name && lpf_set_host_name(report, a->host_name) < 0) ||
      (a->anonymize && lpf_anonymize(report) < 0)) {
    tool_error("out of memory while naming the host in the report");
    return -1;
  }
  return 0;
}

static int baseline(const struct tool_args *a, const struct lp_report *report)
{
  struct lpf_result res;
  struct lpf_style st = tool_fleet_style(a);
  int status;

  lpf_result_init(&res);
  lpf_diff_baseline(a->baseline, report, &st, &res);
  status = tool_fleet_finish(a, "--baseline", &res);
  lpf_result_free(&res);
  return lp_report_exit_code(report) == TOOL_EXIT_INTERNAL ? TOOL_EXIT_INTERNAL : status;
}

static int run(const struct tool_args *a)
{
  struct lp_options opts;
  struct lp_report *report = NULL;
  char err[512];
  FILE *out = NULL;
  char *text = NULL;
  size_t len = 0;
  int status = TOOL_EXIT_INTERNAL;
  int unreadable = a->baseline ? tool_fleet_reader("--baseline") : 0;

  if (unreadable)
    return unreadable; /* said before any probe runs */
  out = (a->quiet && !a->output) || a->baseline ? NULL : tool_open_output(a);
  if (!out && !(a->quiet && !a->output) && !a->baseline)
    return TOOL_EXIT_INTERNAL;
  lp_options_init(&opts);
  opts.timeout_ms = a->timeout_ms;
  opts.isolate = a->isolate;
  opts.only = a->only;
  opts.require = a->require;
  opts.exit_on_inprocess_timeout = 1;
  if (lp_run_libraries(&opts, a->libraries, &report, err, sizeof(err)) < 0) {
    tool_error("%s", err);
    goto out;
  }
  tool_ignore_sigpipe(); /* every probe is done: no child inherits it */
  if (lp_report_set_command_line(report, a->argc, a->argv) < 0) {
    tool_error("out of memory while recording the command line");
    goto out;
  }
  if (identity(a, report) < 0)
    goto out;
  if (a->baseline) {
    status = baseline(a, report);
    goto out;
  }
  if (out) {
    text = lp_report_format_sized(report, a->format,
                                  (tool_use_color(a, out) ? LP_WRITE_COLOR : 0) |
                                      (a->all ? LP_WRITE_ALL : 0),
                                  tool_text_width(a, out), a->max_size, &len);
    if (!text) {
      tool_error("out of memory while formatting the report");
      goto out;
    }
    if (tool_write_report(out, a, text, len) < 0) {
      out = NULL;
      goto out;
    }
    out = NULL;
  }
  status = lp_report_exit_code(report);
out:
  if (out && out != stdout)
    fclose(out);
  lp_free(text);
  lp_report_free(report);
  return status;
}

/* --help, --version, --list, --explain and --complete-words: print and stop. */
static int inform(const struct tool_args *a)
{
  int failed = 0;

  tool_ignore_sigpipe();
  if (a->help)
    tool_help(stdout);
  else if (a->explain >= 0)
    failed = tool_explain(stdout, (enum lp_finding_kind)a->explain, tool_text_width(a, stdout));
  else if (a->complete_words)
    tool_complete_words(stdout, a->complete_words);
  else {
    if (a->version)
      tool_version(stdout);
    if (a->list)
      tool_list(stdout);
  }
  return fflush(stdout) == 0 && !ferror(stdout) && !failed ? TOOL_EXIT_OK : TOOL_EXIT_INTERNAL;
}

int main(int argc, char **argv)
{
  struct tool_args a;

  if (tool_keep_std_fds() < 0)
    return TOOL_EXIT_INTERNAL;
  lp_child_main(argc, argv); /* on Windows, serves a probe when started as its child */
  if (argc > 1 && (strcmp(argv[1], "diff") == 0 || strcmp(argv[1], "merge") == 0))
    return tool_fleet_main(argc, argv);
  if (tool_parse_args(argc, argv, &a) < 0)
    return TOOL_EXIT_USAGE;
  if (a.help || a.version || a.list || a.explain >= 0 || a.complete_words)
    return inform(&a);
  return run(&a);
}
