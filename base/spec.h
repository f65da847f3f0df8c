/* SPDX-License-Identifier: MIT */
/*
 * spec.h - the SPEC grammar: a comma-separated list of MECHANISM[@LAYER].
 * A mechanism without a layer selects every layer.  Names are the ones in
 * the X-macro tables, lower case, exactly; blanks around items are allowed.
 */
#ifndef LP_SPEC_H
#define LP_SPEC_H

#include "loopprobe.h"

#include <stddef.h>

/* A set of cells: bit l of layers[m] selects cell (m, l).  Bit l of
   named[m] says the cell was named as MECHANISM@LAYER; otherwise it came
   from a bare MECHANISM, which means "every layer where it applies". */
struct lp_cellset {
  unsigned layers[LP_MECH_COUNT];
  unsigned named[LP_MECH_COUNT];
};

/* Parses spec into out (cleared first).  Returns 0, or -1 with a message. */
int lp_spec_parse(const char *spec, struct lp_cellset *out, char *err, size_t err_len);

void lp_cellset_clear(struct lp_cellset *s);
void lp_cellset_fill(struct lp_cellset *s);
void lp_cellset_add(struct lp_cellset *s, enum lp_mechanism m, enum lp_layer l);
void lp_cellset_union(struct lp_cellset *dst, const struct lp_cellset *src);
int lp_cellset_has(const struct lp_cellset *s, enum lp_mechanism m, enum lp_layer l);
int lp_cellset_empty(const struct lp_cellset *s);
int lp_cellset_named(const struct lp_cellset *s, enum lp_mechanism m, enum lp_layer l);

/*
 * The requirement rule, shared by --require and lp_check(): a cell named
 * MECHANISM@LAYER must be ok; a bare MECHANISM needs every layer where it
 * applies to be ok (cells that are "na" or "skipped" there do not apply)
 * and at least one such layer.  verdicts[m][l] holds the verdict of every
 * cell in req.  Returns 1 when met; otherwise 0 with the first offending
 * cell in *bad_m and *bad_l (bad_l is -1 when no layer of the mechanism
 * applied).
 */
int lp_requirement_met(const struct lp_cellset *req,
                       const enum lp_verdict verdicts[LP_MECH_COUNT][LP_LAYER_COUNT], int *bad_m,
                       int *bad_l);

/* Looks a name up in the tables; -1 when unknown.  n is the name's length. */
int lp_mechanism_lookup(const char *name, size_t n);
int lp_layer_lookup(const char *name, size_t n);

#endif
