/* SPDX-License-Identifier: MIT */
/*
 * runner.h - runs cells, isolated or in-process, and collects what each
 * probe observed.
 *
 * Isolated, every cell runs in its own child process with its own
 * watchdog, all at once (as many as the descriptor limit allows), and
 * reports back over a pipe; a child that does not answer in time is killed
 * with its whole process group.  The runner waits, reads the clock and
 * kills through sys/sys.h, so a wrapper that hangs, fails or crashes in
 * the probed functions cannot touch it even though an LD_PRELOAD applies
 * to the parent too.
 */
#ifndef LP_RUNNER_H
#define LP_RUNNER_H

#include "../backends/backend.h"

#include <stdint.h>

enum lp_job_status {
  LP_JOB_DONE,        /* the probe finished and sent its observation */
  LP_JOB_TIMEOUT,     /* killed by the watchdog */
  LP_JOB_SIGNALED,    /* the child died from a signal */
  LP_JOB_NO_RESULT,   /* the child exited without sending its observation */
  LP_JOB_NOT_STARTED, /* fork or pipe failed */
};

struct lp_job {
  enum lp_mechanism mech;
  enum lp_layer layer;
  const struct lp_backend *backend;
  int describe; /* run backend->describe() (the library as a program gets it), not probe() */
  enum lp_job_status status;
  int signal;          /* LP_JOB_SIGNALED */
  int exit_code;       /* LP_JOB_NO_RESULT */
  char start_call[16]; /* LP_JOB_NOT_STARTED: "fork", "pipe" */
  int start_err;
  int64_t elapsed_us;
  struct lp_obs obs;  /* the last observation received: final, or a checkpoint */
  char output[512];   /* what the probe wrote on standard error */
  uint32_t exception; /* LP_JOB_SIGNALED on Windows: the exception code the child died with
                         (0xC0000005); signal holds the nearest POSIX signal, or 0 */
  char note[160];     /* how the runner deviated from what was asked, for a person
                         ("ran in-process: ..."); empty when it did not */
};

struct lp_runner_opts {
  unsigned timeout_ms;
  int isolate;
  int exit_on_timeout; /* in-process only: _exit(3) when a cell overruns */
  int hand_off;        /* set by the runner: a child may hand its slow exit off (runner_posix.c) */
  struct lp_probe_ctx ctx;
};

/* Calls the job's probe, or its describe hook, into job->obs. */
static inline void lp_job_call(struct lp_job *job, const struct lp_probe_ctx *ctx)
{
  if (job->describe)
    job->backend->describe(ctx, &job->obs);
  else
    job->backend->probe(job->mech, job->layer, ctx, &job->obs);
}

/* Runs every job; jobs[i].backend must not be NULL. */
void lp_run_jobs(struct lp_job *jobs, size_t n, const struct lp_runner_opts *ro);

#endif
