/* SPDX-License-Identifier: MIT */
/*
 * provenance.h - which shared object serves an API function.
 *
 * The winner is what the dynamic loader resolves the name to for an
 * ordinary call (dlsym(RTLD_DEFAULT) and dladdr).  The home is the library
 * the function belongs to: for the C library ("c"), the one loopprobe was
 * linked against, read from the DT_NEEDED entries of the object loopprobe's
 * code lives in - so no library name is hard-coded, and an embedding
 * program gets the answer for its own link; for a library loopprobe loads
 * at run time (dynlib.h), the object it loaded.  When the two differ the
 * function is interposed, and the winner is named exactly as the loader
 * names it.
 */
#ifndef LP_PROVENANCE_H
#define LP_PROVENANCE_H

#include <stddef.h>

#define LP_OBJ_MAX 512

/* Which shared object serves one API function. */
struct lp_provider {
  char function[48];
  char object[LP_OBJ_MAX];  /* the object the function resolves to, as the loader names it */
  char home[LP_OBJ_MAX];    /* the object it belongs to; empty when unknown */
  unsigned char interposed; /* object and home differ */
  unsigned char sanitizer;  /* interposed by a sanitizer's runtime, not a wrapper */
};

void lp_provenance(const char *function, const char *family, struct lp_provider *out);

#if !defined(_WIN32) && !defined(__APPLE__)
/*
 * The same for a library loaded at run time: home is its dlopen() handle.
 * loopprobe loads libraries RTLD_LOCAL, so when nothing in the global
 * scope defines function an ordinary call would reach the library itself
 * (the winner is the home).  A winner that defines marker too is another
 * copy of the same library (libevent_core beside libevent), not an
 * interposer.  ELF systems only.
 */
void lp_provenance_in(const char *function, void *home, const char *marker,
                      struct lp_provider *out);

/* The C library's object as the loader names it ("" when not found). */
void lp_c_library(char *name, size_t size);

/* Copies the DT_NEEDED entry of family ("c": "libc.so.6", musl's
   "libc.so") of the object this code lives in into name and returns 0, or
   -1 when it has none (a static program).  ELF systems only. */
int lp_self_needed(const char *family, char *name, size_t size);

/* 1 when the loaded object at base (named name) is a sanitizer's runtime
   (lp_sanitizer_runtime(): by its name) or has one linked into it (clang
   links it into the program), whose interceptors serve the C library's
   functions: not a wrapper.  The program's own definitions cannot be told
   from the runtime's there.  ELF systems only. */
int lp_sanitizer_in(const char *name, const void *base);

/* Copies the name of the loaded object holding addr into name (as the
   loader names it; the main program by its path) and returns its base, or
   NULL when no loaded object holds addr.  ELF systems only. */
const void *lp_object_at(const void *addr, char *name, size_t size);
#endif

#endif
