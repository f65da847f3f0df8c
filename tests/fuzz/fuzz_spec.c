/* SPDX-License-Identifier: MIT */
/*
 * fuzz_spec.c - the SPEC parser against a reference of the grammar written
 * here from its definition (spec.h, README): a comma-separated list of
 * items, each MECHANISM or MECHANISM@LAYER with the names of the tables,
 * blanks (space, tab) allowed around an item and nowhere else.  Both must
 * accept the same SPECs, give the same cells, and reject with the same
 * first problem; the message must be printable ASCII and fit its buffer,
 * however small.  The requirement rule (--require, lp_check) is checked
 * against its own reference on verdicts from the input.
 *
 * Input: the SPEC up to the first NUL; from the back, the message buffer's
 * length and a verdict for each cell.
 */
#include "fuzz.h"

#include "base/spec.h"

#include <stdlib.h>
#include <string.h>

enum problem { OK, EMPTY_SPEC, EMPTY_ITEM, TWO_ATS, BAD_MECH, NO_LAYER, BAD_LAYER };

static const char *const problem_text[] = {
    "",
    "empty SPEC",
    "empty item ",
    "more than one '@'",
    "unknown mechanism ",
    "missing layer after '@'",
    "unknown layer ",
};

static int name_index(const char *s, size_t n, int mechanisms)
{
  int i, count = mechanisms ? LP_MECH_COUNT : LP_LAYER_COUNT;

  for (i = 0; i < count; i++) {
    const char *name =
        mechanisms ? lp_mechanism_name((enum lp_mechanism)i) : lp_layer_name((enum lp_layer)i);
    if (strlen(name) == n && strncmp(name, s, n) == 0)
      return i;
  }
  return -1;
}

static enum problem ref_item(const char *b, const char *e, struct lp_cellset *set)
{
  const char *at = NULL, *p;
  int m, l;

  while (b < e && (*b == ' ' || *b == '\t'))
    b++;
  while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
    e--;
  if (b == e)
    return EMPTY_ITEM;
  for (p = b; p < e; p++)
    if (*p == '@') {
      if (at)
        return TWO_ATS;
      at = p;
    }
  m = name_index(b, (size_t)((at ? at : e) - b), 1);
  if (m < 0)
    return BAD_MECH;
  if (!at) {
    set->layers[m] |= (1u << LP_LAYER_COUNT) - 1u;
    return OK;
  }
  if (at + 1 == e)
    return NO_LAYER;
  l = name_index(at + 1, (size_t)(e - at - 1), 0);
  if (l < 0)
    return BAD_LAYER;
  set->layers[m] |= 1u << l;
  set->named[m] |= 1u << l;
  return OK;
}

static enum problem ref_parse(const char *spec, struct lp_cellset *set)
{
  const char *p = spec;

  memset(set, 0, sizeof(*set));
  if (!*spec)
    return EMPTY_SPEC;
  for (;;) {
    const char *comma = strchr(p, ',');
    const char *e = comma ? comma : p + strlen(p);
    enum problem pr = ref_item(p, e, set);
    if (pr != OK)
      return pr;
    if (!comma)
      return OK;
    p = comma + 1;
  }
}

/* The requirement rule as README states it. */
static int ref_met(const struct lp_cellset *req,
                   const enum lp_verdict v[LP_MECH_COUNT][LP_LAYER_COUNT], int *bm, int *bl)
{
  int m, l;

  for (m = 0; m < LP_MECH_COUNT; m++) {
    int bare = (req->layers[m] & ~req->named[m]) != 0, counted = 0;
    for (l = 0; l < LP_LAYER_COUNT; l++) {
      int named = (req->named[m] >> l) & 1, wanted = (req->layers[m] >> l) & 1;
      int applies = v[m][l] != LP_VERDICT_NA && v[m][l] != LP_VERDICT_SKIPPED;
      if (!wanted || (!named && !applies))
        continue;
      counted++;
      if (v[m][l] != LP_VERDICT_OK) {
        *bm = m, *bl = l;
        return 0;
      }
    }
    if (bare && !counted) {
      *bm = m, *bl = -1;
      return 0;
    }
  }
  return 1;
}

static void check_message(const char *spec, const char *err, size_t err_len, enum problem want)
{
  size_t n = strlen(err), i;

  FZ_CHECK(n < err_len, spec, strlen(spec), "the message overflows its %zu-byte buffer", err_len);
  for (i = 0; i < n; i++)
    FZ_CHECK(err[i] >= 0x20 && err[i] < 0x7f, err, n, "the message is not printable ASCII");
  if (err_len >= 512)
    FZ_CHECK(strstr(err, problem_text[want]) != NULL, err, n,
             "the message does not name the problem the reference found: '%s' (SPEC below)",
             problem_text[want]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fz f;
  struct lp_cellset got, want;
  enum lp_verdict v[LP_MECH_COUNT][LP_LAYER_COUNT];
  char err[512];
  const char *spec = NULL;
  size_t err_len;
  enum problem pr;
  int rc, m, l, gm = -2, gl = -2, wm = -2, wl = -2;

  fz_self_test();
  fz_begin(&f, data, size);
  spec = fz_str(&f);
  err_len = fz_u8(&f) % 3 == 0 ? 1 + fz_u8(&f) % 16 : sizeof(err);
  memset(err, 'x', sizeof(err));
  rc = lp_spec_parse(spec, &got, err, err_len);
  pr = ref_parse(spec, &want);
  FZ_CHECK((rc == 0) == (pr == OK), spec, strlen(spec),
           "lp_spec_parse says %d, the reference says %s", rc, pr == OK ? "ok" : problem_text[pr]);
  if (rc < 0) {
    check_message(spec, err, err_len, pr);
    FZ_CHECK(lp_spec_validate(spec, NULL, 0) == -1, spec, strlen(spec), "validate disagrees");
    fz_end(&f);
    return 0;
  }
  FZ_CHECK(memcmp(&got, &want, sizeof(got)) == 0, spec, strlen(spec),
           "lp_spec_parse and the reference select different cells");
  for (m = 0; m < LP_MECH_COUNT; m++)
    for (l = 0; l < LP_LAYER_COUNT; l++)
      v[m][l] = (enum lp_verdict)(fz_u8(&f) % LP_VERDICT_COUNT);
  rc = lp_requirement_met(&got, v, &gm, &gl);
  FZ_CHECK(rc == ref_met(&want, v, &wm, &wl) && (rc || (gm == wm && gl == wl)), spec, strlen(spec),
           "the requirement rule disagrees with the reference: %d (%d, %d) vs (%d, %d)", rc, gm, gl,
           wm, wl);
  fz_end(&f);
  return 0;
}
