/* SPDX-License-Identifier: MIT */
/*
 * help.c - --help, --version, --list and the error printer.
 */
#include "tool.h"

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
        "       loopprobe diff [-f FORMAT] [-o FILE] OLD.json NEW.json\n"
        "       loopprobe merge [-f FORMAT] [-o FILE] [-r SPEC] REPORT...|DIR\n"
        "Probe every event-notification mechanism at every layer built in, and explain\n"
        "what is missing; compare two reports (diff), or many from a fleet (merge).\n"
        "\n"
        "  -f, --format FORMAT  text (default), json (schema loopprobe/1) or markdown\n"
        "  -o, --output FILE    write the report to FILE instead of standard output\n"
        "  -O, --only SPEC      probe only these cells\n"
        "  -r, --require SPEC   exit 0 when these cells are ok, 1 otherwise\n"
        "                       (they are probed whatever --only says)\n"
        "  -t, --timeout MS     watchdog of each probe, in ms (default 2000)\n"
        "      --no-isolate     run the probes in this process, one by one (debugging)\n"
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
    fprintf(f, "%-10s", lp_mechanism_name((enum lp_mechanism)m));
    for (l = 0; l < LP_LAYER_COUNT; l++)
      fprintf(f, "%-10s", lp_cell_built((enum lp_mechanism)m, (enum lp_layer)l) ? "yes" : "-");
    fputs(lp_mechanism_native((enum lp_mechanism)m) ? "\n" : "(not native here)\n", f);
  }
  fputs("\nThe python layer is probed by the Python binding only.\n", f);
}
