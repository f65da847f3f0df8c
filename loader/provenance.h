/* SPDX-License-Identifier: MIT */
/*
 * provenance.h - which shared object serves an API function.
 *
 * The winner is what the dynamic loader resolves the name to for an
 * ordinary call (dlsym(RTLD_DEFAULT) and dladdr).  The home is the library
 * of the given family ("c", "uring", "uv", "ev", "event") that loopprobe
 * itself was linked against, read from the DT_NEEDED entries of the object
 * loopprobe's code lives in - so no library name is hard-coded, and an
 * embedding program gets the answer for its own link.  When the two differ
 * the function is interposed, and the winner is named exactly as the loader
 * names it.
 */
#ifndef LP_PROVENANCE_H
#define LP_PROVENANCE_H

#define LP_OBJ_MAX 512

/* Which shared object serves one API function. */
struct lp_provider {
  char function[48];
  char object[LP_OBJ_MAX];  /* the object the function resolves to, as the loader names it */
  char home[LP_OBJ_MAX];    /* the object it belongs to; empty when unknown */
  unsigned char interposed; /* object and home differ */
};

void lp_provenance(const char *function, const char *family, struct lp_provider *out);

/* The address of name as the family's own library defines it - not as the
   process would resolve it - so that a backend reaches that library even
   when another one loaded first exports the same names (libev exports
   libevent's).  Falls back to the ordinary lookup when loopprobe was not
   linked against the family's library; NULL when nothing defines name. */
void *lp_family_symbol(const char *family, const char *name);

#endif
