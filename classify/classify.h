/* SPDX-License-Identifier: MIT */
/*
 * classify.h - turns what the probes observed into verdicts and findings.
 *
 * Verdicts come from what happened, never from a version number: first
 * each cell on its own (how the probe ended, the errno, the host's policy
 * facts), then each layer against the one beneath it (a failing API over a
 * working system call is hidden, not failed), then one finding per problem
 * with its cause, evidence and hint.
 */
#ifndef LP_CLASSIFY_H
#define LP_CLASSIFY_H

#include "../report/report.h"
#include "../probes/runner.h"

/* Thresholds of timeout fidelity.  A wait may overshoot (scheduling) but a
   kernel never ends it early, so "short" is strict and "long" generous. */
#define LP_WAIT_SHORT_PERMILLE 800   /* shorter than 80% of the request */
#define LP_WAIT_LONG_SLACK_US 500000 /* longer than 4x the request + 0.5 s */

/*
 * Fills the cells of r that jobs ran (they must already be in r) and adds
 * the findings.  timeout_ms is the watchdog the runner used.  Returns 0, or
 * -1 when memory ran out.
 */
int lp_classify(struct lp_report *r, const struct lp_job *jobs, size_t n, unsigned timeout_ms);

#endif
