/* SPDX-License-Identifier: MIT */
/*
 * dynlib.h - the libraries loopprobe loads at run time (the event
 * libraries, liburing): found by their soname the way the dynamic loader
 * finds any library, or taken from a file a person names, and resolved
 * into a table of function pointers, so that loopprobe itself needs
 * nothing but the C library to start.
 *
 * A library is described by a const struct lp_libdesc, which the backend
 * that uses it defines next to the table type it fills (the headers stay
 * a build dependency: struct layouts and constants come from them).  The
 * system's copy of a library is loaded and resolved once per process, on
 * first use, under a lock, and never unloaded; a file named with
 * --library is checked (it exists, it is an ELF shared object of this
 * architecture and of this process's C library, its SONAME is the
 * library's with the major this build expects) before it is loaded, and
 * stays loaded too.
 *
 * Traps: every library is loaded RTLD_LOCAL, so that its names never enter
 * the process's global scope - loading libev there would answer libevent's
 * names for the whole process (a false compatibility layer), and in a
 * program embedding libloopprobe it would change what the program's own
 * calls reach.  A consequence: the table holds the library's own
 * definitions, and a wrapper of a library function in LD_PRELOAD is
 * reported as interposed (provenance.h) rather than called.  Loaded by
 * soname, a library that the process has already loaded (an embedding
 * program linked with it) is that very object.  On glibc a file loaded by
 * path also answers later loads by its soname in the same process, so
 * lp_run() resolves the system's copy before it loads a named file.
 */
#ifndef LP_DYNLIB_H
#define LP_DYNLIB_H

#include "provenance.h"

#include <stddef.h>

/* One function of a library's table: its name and where its pointer goes. */
struct lp_symbol {
  const char *name;
  size_t offset;
  int optional; /* a newer release's function: NULL in the table when absent */
};

/* A table entry for function fn, stored in field of table type t.  The
   assignment inside sizeof() is never evaluated: it makes the compiler
   check the field's type against the header's prototype of fn without
   referring to fn, so nothing links against the library. */
#define LP_SYMBOL(t, field, fn)                                                                    \
  {                                                                                                \
#fn, offsetof(t, field) + 0 * sizeof(((t *)0)->field = fn), 0                                  \
  }
#define LP_SYMBOL_OPTIONAL(t, field, fn)                                                           \
  {                                                                                                \
#fn, offsetof(t, field) + 0 * sizeof(((t *)0)->field = fn), 1                                  \
  }

struct lp_dynlib;

struct lp_libdesc {
  const char *name;     /* "libuv": the name --library takes and reports use */
  const char *soname;   /* "libuv.so.1": read from the library the build found */
  const char *compiled; /* the version of the headers loopprobe was built with; NULL for a
                           library whose ABI loopprobe declares itself (a shim) */
  const char *package;  /* the Debian package that ships the soname, for hints */
  const char *marker;   /* a function the library defines and no imitation of it does
                           (libev imitates libevent's names, not event_get_supported_methods):
                           tells another copy of the library from an interposer */
  int shim; /* provides a mechanism foreign to the platform over a native one (libkqueue:
               kqueue over epoll; epoll-shim; wepoll): where it is absent its cells are na, as
               without it, it is not listed among the run's libraries and nothing is said -
               nothing is broken */
  const struct lp_symbol *symbols;
  size_t nsymbols;
  size_t table_size; /* the size of the table the symbols fill */
  /* Writes the version the loaded library reports about itself. */
  void (*version)(const struct lp_dynlib *lib, char *buf, size_t size);
  struct lp_dynlib *system; /* where the system's copy is kept once loaded */
};

/* Defines library descriptor var, whose table type is t, filled from the
   symbols[] array and the version() function of the defining file, with
   the storage of the system's copy; the other fields (name, soname,
   compiled, package, marker) follow as designated initializers. */
#define LP_LIBRARY(var, t, ...)                                                                    \
  static struct lp_dynlib var##_system;                                                            \
  const struct lp_libdesc var = {.symbols = symbols,                                               \
                                 .nsymbols = sizeof(symbols) / sizeof(symbols[0]),                 \
                                 .table_size = sizeof(t),                                          \
                                 .version = version,                                               \
                                 .system = &var##_system,                                          \
                                 __VA_ARGS__}

enum lp_dynlib_state {
  LP_DYNLIB_UNTRIED,     /* the system's copy before its first use */
  LP_DYNLIB_LOADED,      /* loaded and every required function resolved */
  LP_DYNLIB_NOT_FOUND,   /* no file of the soname where the dynamic loader looks */
  LP_DYNLIB_UNUSABLE,    /* a file is there but cannot be loaded, or lacks a function */
  LP_DYNLIB_UNSUPPORTED, /* this build cannot load libraries at run time (dynlib_none.c) */
  LP_DYNLIB_STATIC,      /* the program is linked statically: no dynamic loader to load it */
};

struct lp_dynlib {
  const struct lp_libdesc *desc;
  enum lp_dynlib_state state;
  int given;                  /* named by the user (--library), not found by soname */
  void *handle;               /* the dlopen() handle, when loaded */
  const void *table;          /* the function pointers (desc->table_size bytes), when loaded */
  char path[LP_OBJ_MAX];      /* loaded: the file, as the dynamic loader names it */
  char version[48];           /* loaded: what the library says its version is */
  char why[LP_OBJ_MAX + 160]; /* not loaded: why, in the dynamic loader's words or ours */
  char searched[768];         /* not loaded: where the dynamic loader looked */
  char others[LP_OBJ_MAX];    /* not loaded: files of the library with another soname
                                 major found there ("" when none), never loaded */
};

/* The system's copy of the library: loaded by soname on first use (once,
   whichever thread asks first) and kept for the life of the process.
   Never NULL; its state says whether it could be loaded. */
const struct lp_dynlib *lp_dynlib_system(const struct lp_libdesc *d);

/* One line on why lib is not loaded: "libuv.so.1 is not installed",
   "libuv.so.1 is there but cannot be loaded" (with_why: and what the loader
   said), or that a static program cannot load it. */
void lp_dynlib_absence(const struct lp_dynlib *lib, int with_why, char *buf, size_t size);

/* The Debian package that ships the library for this loopprobe, for a
   hint, or NULL: Debian's packages are built for glibc, so on another C
   library none serves. */
const char *lp_dynlib_package(const struct lp_libdesc *d);

/*
 * Loads the library from the file at path, for --library.  Returns 0 with
 * out loaded, or -1 with a message in err that names the file and what is
 * wrong with it: no such file, not a regular file, not an ELF shared
 * library, another architecture or C library, another library or another
 * soname major than the build's, a load that fails, a function it lacks.  The library
 * stays loaded; lp_dynlib_release() frees out's table.
 */
int lp_dynlib_open_file(const struct lp_libdesc *d, const char *path, struct lp_dynlib *out,
                        char *err, size_t err_len);
void lp_dynlib_release(struct lp_dynlib *lib);

/* The highest version among the library's symbol version definitions that
   start with prefix ("LIBURING_" -> "2.3"), for a library without a version
   function.  Returns 0, or -1 when it defines none. */
int lp_dynlib_version_node(const struct lp_dynlib *lib, const char *prefix, char *buf, size_t size);

/* Which object an ordinary call of function reaches, with the loaded
   library as its home (provenance.h). */
void lp_dynlib_provenance(const struct lp_dynlib *lib, const char *function,
                          struct lp_provider *out);

#endif
