/* SPDX-License-Identifier: MIT */
/*
 * sentences.c - the summary of a cell's finding, as data: for each kind,
 * its severity and one sentence with the cell's words filled in.  The
 * classifier decides the kind (classify.c); this table only says it.
 * What decides a kind and what to do about it are columns of the finding
 * table in loopprobe.h, shared with the docs and --explain.
 *
 * A sentence names its words in braces: {mech} and {layer} of the cell,
 * {call} the call that failed, hung or crashed ("epoll_wait() (served by
 * ./libwrap.so)"), {err} its errno name, {signal} the signal a probe died
 * from, {detail} the cell's detail, {emulator} what emulates the mechanism,
 * {object} the shared object serving the call, {rate} a clock's rate.
 * A kind may have a second sentence for a probe that reported what it
 * found ("missing") rather than a call that failed, a third for a probe
 * that hung or crashed with a preloaded object loaded into it, and a
 * fourth for a library that hung or crashed with standard descriptors
 * closed ({stdio}: which ones).
 */
#include "classify_int.h"

#include <stddef.h>

struct sentence {
  enum lp_finding_kind kind;
  enum lp_severity severity;
  const char *failed;    /* a call failed, hung or crashed */
  const char *reported;  /* the probe reported its finding itself; NULL: as failed */
  const char *preloaded; /* it hung or crashed with {object} preloaded; NULL: as failed */
  const char *stdio;     /* a library hung or crashed with {stdio} closed; NULL: as failed */
};

static const struct sentence sentences[] = {
    {LP_FINDING_HIDDEN_BY_WRAPPER, LP_SEVERITY_ERROR,
     .failed = "{mech} works at the syscall layer, but through the {layer} layer {call} fails with "
               "{err}."},
    {LP_FINDING_BLOCKED_BY_SECCOMP, LP_SEVERITY_ERROR,
     .failed = "{mech} at {layer} is refused by a seccomp filter: {call} fails with {err}."},
    {LP_FINDING_KILLED_BY_SECCOMP, LP_SEVERITY_ERROR,
     .failed =
         "{mech} at {layer} is refused by seccomp: the probe was killed by SIGSYS in {call}."},
    {LP_FINDING_BLOCKED_BY_SYSCTL, LP_SEVERITY_ERROR,
     .failed = "{mech} at {layer} is switched off by a sysctl: {call} fails with {err}."},
    {LP_FINDING_BLOCKED_BY_POLICY, LP_SEVERITY_ERROR,
     .failed = "{mech} at {layer} is refused before the kernel looked at the arguments: {call} "
               "fails with {err}."},
    {LP_FINDING_INJECTED_BY_TRACER, LP_SEVERITY_ERROR,
     .failed =
         "{mech} at {layer} fails under a tracer: {call} fails with {err}, which did not come from "
         "the kernel's implementation."},
    {LP_FINDING_RESOURCE_LIMIT, LP_SEVERITY_ERROR,
     .failed = "A limit ran out: {mech} at {layer} could not run, {call} fails with {err}."},
    {LP_FINDING_MISSING_IN_LIBRARY, LP_SEVERITY_WARNING,
     .failed = "{mech} at {layer} is missing: {detail}."},
    {LP_FINDING_MISSING_IN_KERNEL, LP_SEVERITY_WARNING,
     .failed = "{mech} at {layer} is not available here: {call} fails with {err}.",
     .reported = "{mech} at {layer} is missing: {detail}."},
    {LP_FINDING_MISSING_IN_EMULATOR, LP_SEVERITY_WARNING,
     .failed = "{mech} at {layer} is not available under {emulator}: {call} fails with {err}."},
    {LP_FINDING_PROBE_TIMEOUT, LP_SEVERITY_ERROR,
     .failed = "{mech} at {layer} hangs: the probe was still in {call} when its watchdog fired.",
     .preloaded = "{mech} at {layer} hangs with {object} loaded into it by the dynamic loader: the "
                  "probe was "
                  "still in {call} when its watchdog fired. Retry without {object}.",
     .stdio = "{mech} at {layer} hangs with {stdio} closed in this process: the probe was still "
              "in {call} when its watchdog fired. Open /dev/null on descriptors 0 to 2 before "
              "starting."},
    {LP_FINDING_PROBE_CRASHED, LP_SEVERITY_ERROR,
     .failed = "{mech} at {layer} crashes: the probe died from {signal} in {call}.",
     .preloaded =
         "{mech} at {layer} crashes with {object} loaded into it by the dynamic loader: the probe "
         "died from {signal} in {call}. Retry without {object}.",
     .stdio = "{mech} at {layer} crashes with {stdio} closed in this process: the probe died from "
              "{signal} in {call}. Open /dev/null on descriptors 0 to 2 before starting."},
    {LP_FINDING_TIMEOUT_DISTORTED, LP_SEVERITY_ERROR,
     .failed = "{mech} at {layer} does not honour timeouts: {detail}."},
    {LP_FINDING_EVENT_MISBEHAVED, LP_SEVERITY_ERROR,
     .failed = "{mech} at {layer} misbehaves: {detail}."},
    {LP_FINDING_BACKEND_MISMATCH, LP_SEVERITY_ERROR,
     .failed = "{mech} at {layer} misbehaves: {detail}."},
    {LP_FINDING_EMULATED, LP_SEVERITY_WARNING,
     .failed = "{mech} at {layer} is emulated in user space: {emulator}."},
    {LP_FINDING_RUNNER_FAILED, LP_SEVERITY_ERROR,
     .failed = "loopprobe could not probe {mech} at {layer}: {detail}."},
    {LP_FINDING_INTERPOSED, LP_SEVERITY_WARNING,
     .failed = "{mech} at {layer} works, but {call} is served "
               "by {object}."},
    {LP_FINDING_CLOCK_DISTORTED, LP_SEVERITY_ERROR,
     .failed = "The C library's clock runs at {rate} times the kernel's rate: a wrapper rescales "
               "time, so "
               "every timeout a program sets through the C library is off."},
    {LP_FINDING_NOT_BUILT, LP_SEVERITY_INFO,
     .failed = "Some cells of native mechanisms are not built in: {detail}."},
    {LP_FINDING_HOST_FACTS_DEGRADED, LP_SEVERITY_WARNING,
     .failed = "Some host facts could not be read or are ambiguous; verdicts rest on less "
               "evidence."},
    /* The library pass (classify_libs.c) writes its own sentences. */
    {LP_FINDING_VERSION_MISMATCH, LP_SEVERITY_WARNING, .failed = NULL},
    {LP_FINDING_LIBRARY_NOT_INSTALLED, LP_SEVERITY_WARNING, .failed = NULL},
};

/* Any other kind: an error, said plainly. */
static const struct sentence fallback = {LP_FINDING_PROBE_FAILED, LP_SEVERITY_ERROR,
                                         .failed =
                                             "{mech} at {layer} fails: {call} fails with {err}."};

static const struct sentence *sentence_of(enum lp_finding_kind kind)
{
  size_t i;

  for (i = 0; i < sizeof(sentences) / sizeof(sentences[0]); i++)
    if (sentences[i].kind == kind)
      return &sentences[i];
  return &fallback;
}

enum lp_severity lp_cls_severity(enum lp_finding_kind kind)
{
  return sentence_of(kind)->severity;
}

void lp_cls_sentence(char *buf, size_t size, enum lp_finding_kind kind, enum lp_say say,
                     const char *const (*words)[2])
{
  const struct sentence *s = sentence_of(kind);
  const char *text = say == LP_SAY_REPORTED && s->reported     ? s->reported
                     : say == LP_SAY_PRELOADED && s->preloaded ? s->preloaded
                     : say == LP_SAY_STDIO && s->stdio         ? s->stdio
                                                               : s->failed;

  lp_fill(buf, size, text ? text : fallback.failed, words);
}
