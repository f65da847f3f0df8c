/* SPDX-License-Identifier: MIT */
/*
 * help.c - --help, --version, --list, --explain and the error printer.
 * --explain prints a row of the finding table in loopprobe.h, the one
 * docs/vocabulary.md and the man page are generated from, wrapped by the
 * text writer's own wrapping.
 */
#include "tool.h"

#include "../report/writers.h"

#include <stdarg.h>

void tool_error(const char *fmt, ...)
{
  va_list ap;

  fputs("loopprobe: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

void tool_help(FILE *f)
{
  fputs("Usage: loopprobe [OPTION]...\n"
        "       loopprobe diff [-f FORMAT] [-o FILE] [--width N] OLD.json NEW.json\n"
        "       loopprobe merge [-f FORMAT] [-o FILE] [--width N] [-r SPEC] REPORT...\n"
        "Probe every event-notification mechanism at every layer built in, and explain\n"
        "what is missing; compare two reports (diff), or many from a fleet (merge).\n"
        "\n"
        "  -f, --format FORMAT  text (default), json (schema loopprobe/1), markdown, or\n"
        "                       summary (the text report's last line alone)\n"
        "      --summary        the same as --format summary\n"
        "  -o, --output FILE    write the report to FILE instead of standard output\n"
        "  -O, --only SPEC      probe only these cells\n"
        "  -r, --require SPEC   exit 0 when these cells are ok, 1 otherwise\n"
        "                       (they are probed whatever --only says)\n"
        "  -t, --timeout MS     watchdog of each probe, in ms (default 2000)\n"
        "      --no-isolate     run the probes in this process, one by one (debugging)\n"
        "      --library NAME=PATH\n"
        "                       probe library NAME (liburing, libuv, libev, libevent,\n"
        "                       libkqueue) from the file PATH, not the system's copy\n"
        "      --width N        wrap the text report at N columns (default: the\n"
        "                       terminal's width, else COLUMNS, else 80)\n"
        "      --color WHEN     colour the text report: auto (default), always, never\n"
        "      --all            also show the rows where every cell is na\n"
        "      --max-size N     shorten a Markdown report to N characters by cutting\n"
        "                       evidence and host facts (default 60000; 0: no cap)\n"
        "      --explain KIND   what a finding kind means, what decides it, what to do\n"
        "      --baseline FILE  write how this run differs from the report in FILE\n"
        "                       instead of the report; the status is the diff's\n"
        "      --host-name NAME name the host NAME in the report (default: its hostname)\n"
        "      --anonymize      hash the host name (salted with LOOPPROBE_SALT) and drop\n"
        "                       paths under home directories, for a public report\n"
        "  -l, --list           list the mechanisms and layers built in\n"
        "  -q, --quiet          print no report on standard output\n"
        "  -V, --version        print the version\n"
        "  -h, --help           print this help\n"
        "\n"
        "SPEC is a comma-separated list of MECHANISM[@LAYER], e.g. epoll,io_uring@api;\n"
        "a mechanism alone means every layer where it applies.\n"
        "\n"
        "Colour with --color=auto: FORCE_COLOR (non-empty) forces it, then NO_COLOR\n"
        "(non-empty) turns it off, then CLICOLOR_FORCE (not 0) forces it; otherwise\n"
        "only on a terminal.\n"
        "\n"
        "Exit status: 0 nothing wrong (or every required cell ok), 1 a finding of\n"
        "severity error (or a required cell not ok), 2 usage error, 3 loopprobe itself\n"
        "failed (the report could not be written, a probe could not be started).\n"
        "diff and --baseline: 0 nothing got worse, 1 a cell that was ok is not, or an\n"
        "error finding appeared, 3 a report could not be read.  merge: 0 every host\n"
        "fine, 1 a host has an error finding (with --require: does not meet SPEC),\n"
        "3 an input could not be read (the others are merged).\n",
        f);
}

void tool_version(FILE *f)
{
  fprintf(f, "loopprobe %s (report schema %s)\n", lp_version(), LP_SCHEMA);
}

void tool_list(FILE *f)
{
  int m, l;

  fprintf(f, "loopprobe %s: the cells built in (yes) and not (-)\n\n%-10s", lp_version(), "");
  for (l = 0; l < LP_LAYER_COUNT; l++)
    fprintf(f, "%-10s", lp_layer_name((enum lp_layer)l));
  fputc('\n', f);
  for (m = 0; m < LP_MECH_COUNT; m++) {
    int built = 0;
    fprintf(f, "%-10s", lp_mechanism_name((enum lp_mechanism)m));
    for (l = 0; l < LP_LAYER_COUNT; l++) {
      built |= lp_cell_built((enum lp_mechanism)m, (enum lp_layer)l);
      fprintf(f, "%-10s", lp_cell_built((enum lp_mechanism)m, (enum lp_layer)l) ? "yes" : "-");
    }
    /* A foreign mechanism built in is probed through a shim (libkqueue). */
    fputs(lp_mechanism_native((enum lp_mechanism)m) ? "\n"
          : built ? "(not native here: through a shim, where one is installed)\n"
                  : "(not native here)\n",
          f);
  }
  fputs("\nThe python layer is probed by the Python binding only.\n", f);
}

static void explain_part(struct lp_buf *b, const char *label, const char *text, unsigned width)
{
  lp_buf_printf(b, "  %-12s", label);
  lp_text_wrap(b, text, 14, 14, width);
}

int tool_explain(FILE *f, enum lp_finding_kind k, unsigned width)
{
  struct lp_buf b;
  char *text = NULL;

  if (width < 40)
    width = width ? 40 : LP_TEXT_WIDTH;
  lp_buf_init(&b);
  lp_buf_printf(&b, "%s\n", lp_finding_kind_name(k));
  explain_part(&b, "meaning:", lp_finding_kind_doc(k), width);
  explain_part(&b, "decided by:", lp_finding_kind_decides(k), width);
  explain_part(&b, "what to do:", lp_finding_kind_hint(k), width);
  text = lp_buf_take(&b, NULL);
  if (!text) {
    tool_error("out of memory while explaining '%s'", lp_finding_kind_name(k));
    return -1;
  }
  fputs(text, f);
  lp_free(text);
  return 0;
}
