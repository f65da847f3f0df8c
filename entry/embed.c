/* SPDX-License-Identifier: MIT */
/*
 * embed.c - the embedding part of the public API (loopprobe.h, section
 * "Embedding"): lp_run() without a struct for foreign-function interfaces
 * and loopprobe's own clock.  The calls that add a binding's cells and
 * findings to a report are report/edit.c's.
 */
#include "loopprobe.h"

#include "../sys/sys.h"

int lp_run_spec(const char *only, const char *require, unsigned timeout_ms, int isolate,
                struct lp_report **out, char *err, size_t err_len)
{
  struct lp_options opts;

  lp_options_init(&opts);
  opts.only = only;
  opts.require = require;
  opts.timeout_ms = timeout_ms;
  opts.isolate = isolate;
  return lp_run(&opts, out, err, err_len);
}

long long lp_monotonic_ns(void)
{
  return (long long)lp_mono_ns();
}
