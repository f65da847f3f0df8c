/* SPDX-License-Identifier: MIT */
/*
 * fuzz_reader.c - the fleet's JSON report reader (fleet/read.c:
 * lpf_parse(), what diff and merge read reports with), two ways; the
 * input's last byte chooses.
 *
 *   any bytes: read in full and brief, never a crash or a leak; a report
 *   read has its cells, verdicts and severities in this loopprobe's
 *   vocabulary, each cell once; a refusal has a reason that fits its
 *   buffer;
 *   round trip: a report made of fuzz bytes (gen_report.c), written as
 *   JSON, must be read back - loopprobe must read every report it writes -
 *   with the same cells and verdicts, findings (severity, kind, summary,
 *   cells) and libraries, each string as the writer wrote it (invalid
 *   UTF-8 as U+FFFD).
 *
 * Built only where the reader is (cJSON's headers found; cJSON itself
 * is loaded at run time).
 */
#include "fuzz.h"

#include "fleet/model.h"
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

static void same_string(const char *got, const char *written, const char *what)
{
  char *want = written ? fz_utf8_replaced(written, NULL) : NULL;

  FZ_CHECK((!got && !want) || (got && want && strcmp(got, want) == 0), got ? got : "(null)",
           got ? strlen(got) : 6, "read back, %s differs from what was written", what);
  free(want);
}

static void check_read(const struct lpf_report *got)
{
  unsigned seen[LP_MECH_COUNT];
  size_t i;

  memset(seen, 0, sizeof(seen));
  for (i = 0; i < got->ncells; i++) {
    const struct lpf_cell *c = &got->cells[i];
    FZ_CHECK(c->mech < LP_MECH_COUNT && c->layer < LP_LAYER_COUNT && c->verdict < LP_VERDICT_COUNT,
             NULL, 0, "cells[%zu] out of the vocabulary", i);
    FZ_CHECK(!(seen[c->mech] & (1u << c->layer)), NULL, 0, "cells[%zu] read twice", i);
    seen[c->mech] |= 1u << c->layer;
  }
  for (i = 0; i < got->nfindings; i++)
    FZ_CHECK((int)got->findings[i].severity >= 0 && got->findings[i].severity < LP_SEVERITY_COUNT &&
                 got->findings[i].kind && got->findings[i].summary && got->findings[i].where,
             NULL, 0, "findings[%zu] incomplete", i);
}

static void any_bytes(const uint8_t *data, size_t size)
{
  unsigned flags[] = {0, LPF_BRIEF};
  size_t k;

  for (k = 0; k < 2; k++) {
    struct lpf_report *got = NULL;
    char err[256];
    memset(err, 'x', sizeof(err));
    if (lpf_parse((const char *)data, size, flags[k], &got, err, sizeof(err)) == 0) {
      FZ_CHECK(got, NULL, 0, "read, but no report");
      check_read(got);
      lpf_report_free(got);
    } else {
      FZ_CHECK(!got && memchr(err, '\0', sizeof(err)) && err[0], NULL, 0,
               "a refusal without a reason that fits its buffer");
    }
  }
}

static void round_trip(struct fz *f)
{
  struct lp_report *r = fz_report(f);
  struct lpf_report *got = NULL;
  char err[512], *json = NULL;
  size_t n = 0, i, k;

  json = lp_report_format(r, LP_FORMAT_JSON, 0, &n);
  FZ_CHECK(json, NULL, 0, "the JSON writer failed");
  FZ_CHECK(lpf_parse(json, n, 0, &got, err, sizeof(err)) == 0, json, n,
           "loopprobe cannot read the report it wrote: %s", err);
  check_read(got);
  FZ_CHECK(got->ncells == r->ncells && got->nfindings == r->nfindings && got->nlibs == r->nlibs,
           json, n, "read back: %zu cells, %zu findings, %zu libraries; written %zu, %zu, %zu",
           got->ncells, got->nfindings, got->nlibs, r->ncells, r->nfindings, r->nlibs);
  for (i = 0; i < r->ncells; i++)
    FZ_CHECK(got->cells[i].mech == (unsigned)r->cells[i].mech &&
                 got->cells[i].layer == (unsigned)r->cells[i].layer &&
                 got->cells[i].verdict == (unsigned)r->cells[i].verdict,
             json, n, "cells[%zu] read back otherwise", i);
  for (i = 0; i < r->nfindings; i++) {
    const struct lp_finding *w = &r->findings[i];
    const struct lpf_finding *g = &got->findings[i];
    FZ_CHECK(g->severity == w->severity && strcmp(g->kind, lp_finding_kind_name(w->kind)) == 0 &&
                 g->cells.n == w->cells.n,
             json, n, "findings[%zu] read back otherwise", i);
    same_string(g->summary, w->summary, "a finding's summary");
    for (k = 0; k < w->cells.n; k++)
      same_string(g->cells.v[k], w->cells.v[k], "a finding's cell");
  }
  for (i = 0; i < r->nlibs; i++) {
    same_string(got->libs[i].name, r->libs[i].name, "a library's name");
    same_string(got->libs[i].compiled, r->libs[i].compiled, "a library's compiled version");
    same_string(got->libs[i].runtime, r->libs[i].runtime, "a library's runtime version");
  }
  lpf_report_free(got);
  lp_free(json);
  lp_report_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fz f;

  fz_self_test();
  if (size && data[size - 1] & 1) {
    fz_begin(&f, data, size - 1);
    round_trip(&f);
    fz_end(&f);
  } else
    any_bytes(data, size ? size - 1 : 0);
  return 0;
}
