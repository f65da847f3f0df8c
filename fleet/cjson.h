/* SPDX-License-Identifier: MIT */
/*
 * cjson.h - cJSON, the library the reports are read back with, loaded at
 * run time through loader/dynlib.h as the event libraries are, so that
 * the command still needs nothing but the C library to start.  It is the
 * command's own: not one of the libraries a run probes (lp_libraries[] in
 * backends/registry.c never lists it, reports never name it) and never
 * part of libloopprobe.
 *
 * Four functions are called through the table; the tree cJSON builds is
 * read through the struct cJSON.h lays out (child, next, string, type,
 * valuestring, valuedouble), as cJSON's own cJSON_ArrayForEach does.
 * Include it only where LP_HAVE_CJSON is 1: it needs cJSON's header.
 */
#ifndef LP_FLEET_CJSON_H
#define LP_FLEET_CJSON_H

#include <cJSON.h>

#include <stddef.h>

struct lpf_cjson {
  cJSON *(*parse)(const char *value, size_t length, const char **end, cJSON_bool require_nul);
  void (*destroy)(cJSON *item);
  const char *(*version)(void);
  void (*init_hooks)(cJSON_Hooks *hooks);
};

struct lp_libdesc;
extern const struct lp_libdesc lpf_lib_cjson;

/*
 * Memory for the trees of one thread's parses.  While an arena is begun in
 * a thread, everything cJSON allocates there comes from it, in chunks, and
 * lpf_cjson_arena_end() frees it all at once; cJSON_Delete() would free
 * nothing.  A report's tree is a thousand small nodes and strings: from
 * malloc() they cost more than the parse itself.  Under AddressSanitizer
 * there is no arena (every node a malloc() of its own, as a fuzzer needs),
 * and lpf_cjson_arena_end() deletes the trees it is given.  Keep nothing
 * of a tree past the end: copy what stays.
 */
struct lpf_chunk;
struct lpf_arena {
  struct lpf_chunk *chunks;
  char *next;
  size_t left;
};
void lpf_cjson_arena_begin(struct lpf_arena *a);
/* Frees the n trees (NULL ones are skipped) and a. */
void lpf_cjson_arena_end(struct lpf_arena *a, cJSON *const *trees, size_t n);

/* cJSON's table: the system's libcjson, loaded on first use (once, by
   whichever thread asks first) and kept.  NULL when it cannot be loaded,
   with one line in why: the soname, why not, where the dynamic loader
   looked, the Debian package. */
const struct lpf_cjson *lpf_cjson(char *why, size_t why_len);

#endif
