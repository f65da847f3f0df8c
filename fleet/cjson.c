/* SPDX-License-Identifier: MIT */
/*
 * cjson.c - cJSON's descriptor for loader/dynlib.h (cjson.h), and the one
 * line that says why it cannot be loaded.
 *
 * Traps: the descriptor lives here, in the command, and nowhere else: the
 * probed libraries' list would make every report name cJSON, and
 * libloopprobe must not carry what only the command does.  The soname is
 * the one CMake read from the library the build found (libcjson.so.1),
 * never a guess.  cJSON_Version() formats into a static buffer: it is
 * called once, by the loader, under its lock.
 *
 * The arena: cJSON's allocation hooks are the library's globals, set once
 * (pthread_once) right after it is loaded; they take from the calling
 * thread's arena when one is begun, and are malloc() and free() when not,
 * so that memory never crosses from one to the other: a tree is parsed
 * between one begin and its end, and freed with the arena.  The command
 * is the only user of cJSON in its process, so the hooks change nothing
 * for anyone else.  Under AddressSanitizer the arena is left out and the
 * trees are deleted one by one with cJSON_Delete(): every node is then a
 * malloc() of its own that ASan watches, as a fuzzer needs.  Chunks stay
 * under glibc's mmap threshold (128 KiB), so that a freed chunk is reused
 * by the next report's parse instead of being mapped and faulted in again.
 */
#ifndef LP_HAVE_CJSON
#define LP_HAVE_CJSON 0
#endif

#if LP_HAVE_CJSON
#include "cjson.h"

#include "../base/util.h"
#include "../loader/dynlib.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const struct lp_symbol symbols[] = {
    LP_SYMBOL(struct lpf_cjson, parse, cJSON_ParseWithLengthOpts),
    LP_SYMBOL(struct lpf_cjson, destroy, cJSON_Delete),
    LP_SYMBOL(struct lpf_cjson, version, cJSON_Version),
    LP_SYMBOL(struct lpf_cjson, init_hooks, cJSON_InitHooks),
};

static void version(const struct lp_dynlib *lib, char *buf, size_t size)
{
  const struct lpf_cjson *cj = lib->table;

  lp_strlcpy(buf, cj->version(), size);
}

LP_LIBRARY(lpf_lib_cjson, struct lpf_cjson, .name = "cJSON",
           .soname = LP_SONAME_LIBCJSON, /* read from the library the build found */
           .compiled = LP_STR(CJSON_VERSION_MAJOR) "." LP_STR(CJSON_VERSION_MINOR) "." LP_STR(
               CJSON_VERSION_PATCH),
           .package = "libcjson1", .marker = "cJSON_Version");

#define CHUNK (60u << 10)

struct lpf_chunk {
  struct lpf_chunk *next;
  _Alignas(16) char data[];
};

#if defined(__SANITIZE_ADDRESS__)
#define ARENA 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA 0
#endif
#endif
#ifndef ARENA
#define ARENA 1
#endif

static _Thread_local struct lpf_arena *arena;
static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;

static void *CJSON_CDECL arena_alloc(size_t n)
{
  struct lpf_arena *a = arena;
  struct lpf_chunk *c = NULL;
  size_t size;
  char *p = NULL;

  if (!a)
    return malloc(n);
  n = (n + 15) & ~(size_t)15;
  if (n > a->left) {
    size = n > CHUNK ? n : CHUNK;
    if (!(c = malloc(sizeof(*c) + size)))
      return NULL;
    c->next = a->chunks;
    a->chunks = c;
    if (size - n < a->left) /* an oversized string: keep what is left of the chunk in use */
      return c->data;
    a->next = c->data;
    a->left = size;
  }
  p = a->next;
  a->next += n;
  a->left -= n;
  return p;
}

static void CJSON_CDECL arena_free(void *p)
{
  if (!arena)
    free(p);
}

void lpf_cjson_arena_begin(struct lpf_arena *a)
{
  memset(a, 0, sizeof(*a));
  if (ARENA)
    arena = a;
}

void lpf_cjson_arena_end(struct lpf_arena *a, cJSON *const *trees, size_t n)
{
  const struct lpf_cjson *cj = lp_dynlib_system(&lpf_lib_cjson)->table;
  struct lpf_chunk *c = a->chunks, *next = NULL;
  size_t i;

  for (i = 0; !ARENA && i < n; i++)
    if (trees[i])
      cj->destroy(trees[i]);

  for (; c; c = next) {
    next = c->next;
    free(c);
  }
  memset(a, 0, sizeof(*a));
  if (arena == a)
    arena = NULL;
}

static void install_hooks(void)
{
  const struct lp_dynlib *lib = lp_dynlib_system(&lpf_lib_cjson);
  const struct lpf_cjson *cj = lib->table;
  cJSON_Hooks hooks = {arena_alloc, arena_free};

  if (ARENA)
    cj->init_hooks(&hooks);
}

/* Appends "; " and the formatted text to why. */
static void more(char *why, size_t size, const char *fmt, const char *a, const char *b)
{
  size_t n = strlen(why);

  if (n + 2 < size)
    lp_fmt(why + n, size - n, fmt, a, b);
}

const struct lpf_cjson *lpf_cjson(char *why, size_t why_len)
{
  const struct lp_dynlib *lib = lp_dynlib_system(&lpf_lib_cjson);
  const char *so = lpf_lib_cjson.soname;

  if (lib->state == LP_DYNLIB_LOADED) {
    pthread_once(&hooks_once, install_hooks);
    return lib->table;
  }
  if (!why || !why_len)
    return NULL;
  lp_dynlib_absence(lib, 1, why, why_len);
  if (lib->searched[0])
    more(why, why_len, "; the dynamic loader looked for %s in %s", so, lib->searched);
  if (lib->others[0])
    more(why, why_len,
         "; %s: another soname major than the %s this loopprobe was built for, not loaded",
         lib->others, so);
  more(why, why_len, "; Debian ships %s in the package %s", so, lpf_lib_cjson.package);
  return NULL;
}

#else
typedef int lpf_no_cjson; /* built without cJSON's headers: read.c says so */
#endif
