/* SPDX-License-Identifier: MIT */
/*
 * compat_host - a program that embeds libloopprobe and is linked with
 * libev *before* libevent, as a real program can be: libev's libevent
 * compatibility layer then answers libevent's names.  It writes the JSON
 * report of lp_run() for the cells named on its command line:
 *   compat_host SPEC [TIMEOUT_MS]
 */
#include "loopprobe.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
  struct lp_options o;
  struct lp_report *r = NULL;
  char err[256], *json = NULL;
  int code;

  lp_options_init(&o);
  o.only = argc > 1 ? argv[1] : NULL;
  o.timeout_ms = argc > 2 ? (unsigned)atoi(argv[2]) : o.timeout_ms;
  if (lp_run(&o, &r, err, sizeof(err)) < 0) {
    fprintf(stderr, "compat_host: %s\n", err);
    return 2;
  }
  json = lp_report_format(r, LP_FORMAT_JSON, 0, NULL);
  code = json && fputs(json, stdout) >= 0 ? lp_report_exit_code(r) : 3;
  lp_free(json);
  lp_report_free(r);
  return code;
}
