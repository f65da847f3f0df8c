/* SPDX-License-Identifier: MIT */
/*
 * dynlib_elf.c - loading libraries at run time on ELF systems with dlfcn
 * (Linux, the BSDs): by soname through the dynamic loader's own search, or
 * from a file checked first with elf_file.c.
 *
 * Traps: dlopen() is asked with RTLD_NOW, so that a library whose own
 * dependencies cannot be satisfied fails here, with the loader's message,
 * and not later in a probe.  A handle searches the library and then its
 * dependencies, so each function found is checked to lie in the library's
 * own object.  When a soname is not found, dlerror() says only that; where
 * the loader looked comes from dlinfo(RTLD_DI_SERINFO) on loopprobe's own
 * object (the directories of LD_LIBRARY_PATH, its RUNPATH and the system's
 * defaults - the loader's cache file is not in that list), and those
 * directories are scanned for the library under another soname major,
 * which is reported and never loaded: its functions may differ from the
 * headers loopprobe was compiled with.  A name without a slash would be
 * searched for, not opened, so a file named with --library always gets
 * one.  The in-memory dynamic section holds its addresses relocated on
 * some systems and not on others.  musl has no RTLD_DI_SERINFO: there the
 * search is its loader's documented one (LD_LIBRARY_PATH, then the
 * directories of /etc/ld-musl-ARCH.path, or /lib:/usr/local/lib:/usr/lib
 * without that file).  musl's loader also takes a library's need of
 * glibc's libc.so.6 for itself, so on a C library other than glibc the
 * file the search finds first is checked for the C library it was built
 * for before it is loaded, as a file named with --library is everywhere.
 * A static program (no PT_INTERP) has no dynamic loader: musl's dlopen()
 * then always fails, and that is what the report says, not "not
 * installed".
 */
#define _GNU_SOURCE
#include "dynlib.h"
#include "elf_file.h"

#include "../base/util.h"

#include <dirent.h>
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/auxv.h>
#endif

static pthread_mutex_t system_lock = PTHREAD_MUTEX_INITIALIZER;

/* --- resolving the table --- */

static int resolve(const struct lp_libdesc *d, struct lp_dynlib *lib, char *why, size_t size)
{
  struct link_map *lm = NULL;
  char object[LP_OBJ_MAX];
  char *table = calloc(1, d->table_size);
  size_t i;

  if (!table) {
    lp_strlcpy(why, "out of memory", size);
    return -1;
  }
  if (dlinfo(lib->handle, RTLD_DI_LINKMAP, &lm) != 0 || !lm) {
    lp_fmt(why, size, "dlinfo(RTLD_DI_LINKMAP) failed: %s", dlerror());
    free(table);
    return -1;
  }
  lp_strlcpy(lib->path, lm->l_name, sizeof(lib->path));
  for (i = 0; i < d->nsymbols; i++) {
    void *sym = dlsym(lib->handle, d->symbols[i].name);
    if (sym && lp_object_at(sym, object, sizeof(object)) != (const void *)lm->l_addr)
      sym = NULL; /* found in one of its dependencies, not in the library */
    if (!sym && !d->symbols[i].optional) {
      /* a named file is named already in the message around this one */
      lp_fmt(why, size, "%s%slacks %s(), which loopprobe calls", lib->given ? "" : lib->path,
             lib->given ? "" : " ", d->symbols[i].name);
      free(table);
      return -1;
    }
    memcpy(table + d->symbols[i].offset, &sym, sizeof(sym));
  }
  lib->table = table;
  return 0;
}

/* Loads name (a soname, or a path with a slash) into lib; the caller sets
   its state. */
static int load(const struct lp_libdesc *d, const char *name, struct lp_dynlib *lib)
{
  const char *msg = NULL;

  dlerror();
  lib->handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
  if (!lib->handle) {
    msg = dlerror();
    lp_strlcpy(lib->why, msg ? msg : "dlopen() failed", sizeof(lib->why));
    return -1;
  }
  if (resolve(d, lib, lib->why, sizeof(lib->why)) < 0)
    return -1;
  if (d->version)
    d->version(lib, lib->version, sizeof(lib->version));
  return 0;
}

/* --- where the dynamic loader looks --- */

/* The directories the loader searches for a soname, in its order; what
   is said after the list (what else the loader consults), and instead of
   it when it is empty. */
struct search {
  struct lp_strv dirs;
  char after[160];
  char alone[160];
};

#if defined(__GLIBC__) || defined(RTLD_DI_SERINFO)
/* A handle on the object this code lives in (the main program or
   libloopprobe.so), whose search path dlopen() from here follows. */
static void *self_handle(void)
{
  char name[LP_OBJ_MAX];
  void *h = NULL;

  if (lp_object_at((const void *)&self_handle, name, sizeof(name)))
    h = dlopen(name, RTLD_LAZY | RTLD_NOLOAD);
  return h ? h : dlopen(NULL, RTLD_LAZY);
}

/* glibc and the BSDs say where they look: dlinfo(RTLD_DI_SERINFO) lists
   LD_LIBRARY_PATH, the object's RUNPATH and the default directories. */
static void search_dirs(struct search *out)
{
  Dl_serinfo size, *si = NULL;
  void *h = self_handle();
  unsigned i;

  memset(out, 0, sizeof(*out));
#if defined(__GLIBC__)
  lp_strlcpy(out->after, " and the loader's cache (/etc/ld.so.cache)", sizeof(out->after));
  lp_strlcpy(out->alone, "the loader's cache (/etc/ld.so.cache) and its default directories",
             sizeof(out->alone));
#else
  lp_strlcpy(out->alone, "the dynamic loader's configured directories", sizeof(out->alone));
#endif
  if (!h)
    return;
  if (dlinfo(h, RTLD_DI_SERINFOSIZE, &size) == 0 && (si = malloc(size.dls_size)) != NULL) {
    si->dls_size = size.dls_size;
    si->dls_cnt = size.dls_cnt;
    if (dlinfo(h, RTLD_DI_SERINFO, si) == 0)
      for (i = 0; i < si->dls_cnt; i++)
        if (lp_strv_add(&out->dirs, si->dls_serpath[i].dls_name) < 0)
          break;
  }
  free(si);
  dlclose(h);
}
#else
/* The path of musl's dynamic loader among the loaded objects. */
static int find_musl_ldso(struct dl_phdr_info *info, size_t size, void *data)
{
  const char *name = info->dlpi_name, *base = NULL;

  (void)size;
  if (!name || !(base = strrchr(name, '/')) || strncmp(base + 1, "ld-musl-", 8) != 0)
    return 0;
  lp_strlcpy(data, name, LP_OBJ_MAX);
  return 1;
}

static void add_dirs(struct lp_strv *dirs, const char *list, const char *separators)
{
  while (*list) {
    size_t n = strcspn(list, separators);
    char dir[LP_OBJ_MAX];
    if (n > 0 && n < sizeof(dir)) {
      lp_fmt(dir, sizeof(dir), "%.*s", (int)n, list);
      if (lp_strv_add(dirs, dir) < 0)
        return;
    }
    list += n + (list[n] != '\0');
  }
}

/* Without RTLD_DI_SERINFO (musl), the loader's documented order:
   LD_LIBRARY_PATH, then the directories of PREFIX/etc/ld-musl-ARCH.path -
   PREFIX is the loader's own path without its last two parts, "" for
   /lib/ld-musl-x86_64.so.1 - or, when that file does not exist,
   /lib:/usr/local/lib:/usr/lib.  Another loader: LD_LIBRARY_PATH alone. */
static void search_dirs(struct search *out)
{
  const char *llp = getenv("LD_LIBRARY_PATH");
  char ldso[LP_OBJ_MAX] = "", file[LP_OBJ_MAX + 32], list[2048];
  const char *last = NULL, *prev = NULL, *p = NULL;
  ssize_t n = -1;
  int fd;

  memset(out, 0, sizeof(*out));
  if (llp)
    add_dirs(&out->dirs, llp, ":");
  lp_strlcpy(out->alone, "the dynamic loader's configured directories", sizeof(out->alone));
  if (!dl_iterate_phdr(find_musl_ldso, ldso)) {
    lp_strlcpy(out->after, " and the dynamic loader's configured directories", sizeof(out->after));
    return;
  }
  last = strrchr(ldso, '/');
  for (p = ldso; p < last; p++)
    if (*p == '/')
      prev = p;
  lp_fmt(file, sizeof(file), "%.*s/etc/%.*s.path", prev ? (int)(prev - ldso) : 0, ldso,
         (int)strcspn(last + 1, "."), last + 1);
  fd = open(file, O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    n = read(fd, list, sizeof(list) - 1);
    close(fd);
  }
  if (n >= 0) {
    list[n] = '\0';
    add_dirs(&out->dirs, list, ":\n");
    lp_fmt(out->after, sizeof(out->after), " (%s)", file);
  } else {
    add_dirs(&out->dirs, "/lib:/usr/local/lib:/usr/lib", ":");
    lp_fmt(out->after, sizeof(out->after), " (musl's default: no %s)", file);
  }
}
#endif

static void describe_search(const struct search *si, struct lp_dynlib *lib)
{
  const char *llp = getenv("LD_LIBRARY_PATH");
  struct lp_buf b;
  size_t i;

  lp_buf_init(&b);
  for (i = 0; i < si->dirs.n; i++)
    lp_buf_printf(&b, "%s%s", i ? ", " : "", si->dirs.v[i]);
  lp_buf_puts(&b, si->dirs.n ? si->after : si->alone);
  if (llp && *llp)
    lp_buf_printf(&b, " (LD_LIBRARY_PATH is %.200s)", llp);
  lp_strlcpy(lib->searched, b.data ? b.data : "", sizeof(lib->searched));
  lp_buf_free(&b);
}

/* "libuv" of "libuv.so.1", "libevent_core" of "libevent_core-2.1.so.7". */
static size_t stem_len(const char *soname)
{
  size_t n = strcspn(soname, "-");
  const char *so = strstr(soname, ".so");

  if (so && (size_t)(so - soname) < n)
    n = (size_t)(so - soname);
  return n;
}

/* The soname a file name stands for: "libuv.so.1.0.0" -> "libuv.so.1";
   0 when the name has no major after ".so." (a development link). */
static int major_of(const char *file, char *out, size_t size)
{
  const char *so = strstr(file, ".so.");
  size_t n;

  if (!so || so[4] < '0' || so[4] > '9')
    return 0;
  n = (size_t)(so + 4 - file) + strspn(so + 4, "0123456789");
  lp_fmt(out, size, "%.*s", (int)n, file);
  return 1;
}

/* Scans one directory: sets *present when the soname is there, and adds
   the files of the library under another major to lib->others. */
static void scan_dir(const char *dir, const struct lp_libdesc *d, struct lp_dynlib *lib,
                     int *present)
{
  size_t stem = stem_len(d->soname);
  DIR *dh = opendir(dir);
  struct dirent *e;
  char major[128];

  if (!dh)
    return;
  while ((e = readdir(dh)) != NULL) {
    const char *n = e->d_name;
    if (strncmp(n, d->soname, stem) != 0 || (n[stem] != '.' && n[stem] != '-') ||
        !major_of(n, major, sizeof(major)))
      continue;
    if (strcmp(major, d->soname) == 0) {
      *present |= strcmp(n, d->soname) == 0;
      continue;
    }
    if (strcmp(major, n) == 0 &&
        strlen(lib->others) + strlen(dir) + strlen(n) + 4 < sizeof(lib->others))
      lp_fmt(lib->others + strlen(lib->others), sizeof(lib->others) - strlen(lib->others),
             "%s%s/%s", lib->others[0] ? ", " : "", dir, n);
  }
  closedir(dh);
}

/* After a failed load by soname: where the loader looked, whether a file
   of that name is there at all, and the library under other majors. */
static enum lp_dynlib_state explain_absence(const struct lp_libdesc *d, struct lp_dynlib *lib)
{
  struct search si;
  struct stat seen[32];
  int present = 0;
  size_t i, j, nseen = 0;

  search_dirs(&si);
  describe_search(&si, lib);
  for (i = 0; i < si.dirs.n; i++) {
    struct stat st;
    const char *dir = si.dirs.v[i];
    if (stat(dir, &st) != 0)
      continue;
    for (j = 0; j < nseen && !(seen[j].st_dev == st.st_dev && seen[j].st_ino == st.st_ino); j++)
      ;
    if (j < nseen) /* /lib/x86_64-linux-gnu is /usr/lib/x86_64-linux-gnu with a merged /usr */
      continue;
    if (nseen < LP_ARRAY_LEN(seen))
      seen[nseen++] = st;
    scan_dir(dir, d, lib, &present);
  }
  lp_strv_free(&si.dirs);
  return present ? LP_DYNLIB_UNUSABLE : LP_DYNLIB_NOT_FOUND;
}

/* --- the C library a library was built for --- */

/* -1, with the reason in err, when the file whose facts are f needs
   another C library than the one this loopprobe runs on; 0 when they
   agree or either one names no C library this code knows. */
static int libc_problem(const struct lp_elf_facts *f, char *err, size_t len)
{
  const char *theirs = f->libc[0] ? lp_elf_libc_family(f->libc) : NULL, *ours = NULL;
  char self[64];

  if (!theirs || lp_self_needed("c", self, sizeof(self)) < 0 ||
      !(ours = lp_elf_libc_family(self)) || strcmp(theirs, ours) == 0)
    return 0;
  lp_fmt(err, len, "built for %s (it needs %s), but this loopprobe runs on %s (%s)", theirs,
         f->libc, ours, self);
  return -1;
}

#if defined(__GLIBC__)
/* glibc's loader refuses a library of another C library by itself (musl's
   libc.so is a linker script here). */
static int foreign_copy(const struct lp_libdesc *d, struct lp_dynlib *lib)
{
  (void)d, (void)lib;
  return 0;
}
#else
/* musl's loader answers a library's need of glibc's libc.so.6 with musl
   itself, so a glibc build of the library found through LD_LIBRARY_PATH
   would be loaded and run against the wrong C library.  The file the
   loader would find first is checked before anything is loaded: 1, with
   lib->why and lib->searched set, when it is built for another C library. */
static int foreign_copy(const struct lp_libdesc *d, struct lp_dynlib *lib)
{
  struct search si;
  struct lp_elf_facts f;
  struct stat st;
  char path[LP_OBJ_MAX], why[LP_OBJ_MAX];
  size_t i;
  int foreign = 0;

  search_dirs(&si);
  for (i = 0; i < si.dirs.n; i++) {
    lp_fmt(path, sizeof(path), "%s/%s", si.dirs.v[i], d->soname);
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
      break;
  }
  if (i < si.dirs.n && lp_elf_read(path, &f) == 0 && libc_problem(&f, why, sizeof(why)) < 0) {
    describe_search(&si, lib);
    lp_fmt(lib->why, sizeof(lib->why), "%s is %s: not loaded", path, why);
    foreign = 1;
  }
  lp_strv_free(&si.dirs);
  return foreign;
}
#endif

/* 1 when the program has no interpreter (PT_INTERP): linked statically,
   it has no dynamic loader, and musl's dlopen() then always fails.  Its
   program headers come from the auxiliary vector (Linux's getauxval()). */
static int static_program(void)
{
#if defined(__linux__)
  const ElfW(Phdr) *ph = (const ElfW(Phdr) *)getauxval(AT_PHDR);
  unsigned long i, n = getauxval(AT_PHNUM);

  for (i = 0; ph && i < n; i++)
    if (ph[i].p_type == PT_INTERP)
      return 0;
  return ph != NULL;
#else
  return 0;
#endif
}

/* The state is published last (release), so that a caller who reads it
   set (acquire) sees everything else: once loaded, nobody takes the lock -
   not even a child forked while another thread held it. */
const struct lp_dynlib *lp_dynlib_system(const struct lp_libdesc *d)
{
  struct lp_dynlib *lib = d->system;
  enum lp_dynlib_state st = LP_DYNLIB_LOADED;

  if (__atomic_load_n(&lib->state, __ATOMIC_ACQUIRE) != LP_DYNLIB_UNTRIED)
    return lib;
  pthread_mutex_lock(&system_lock);
  if (lib->state == LP_DYNLIB_UNTRIED) {
    lib->desc = d;
    if (foreign_copy(d, lib))
      st = LP_DYNLIB_UNUSABLE;
    else if (load(d, d->soname, lib) < 0)
      st = lib->handle        ? LP_DYNLIB_UNUSABLE /* loaded, but a function is missing */
           : static_program() ? LP_DYNLIB_STATIC
                              : explain_absence(d, lib);
    __atomic_store_n(&lib->state, st, __ATOMIC_RELEASE);
  }
  pthread_mutex_unlock(&system_lock);
  return lib;
}

/* --- a file named by the user --- */

static int file_problem(const char *path, char *err, size_t len)
{
  struct stat st;

  if (stat(path, &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR)
      lp_strlcpy(err, "no such file", len);
    else
      lp_fmt(err, len, "cannot be read (%s)", lp_errno_name(errno) ? lp_errno_name(errno) : "?");
    return -1;
  }
  if (S_ISDIR(st.st_mode)) {
    lp_strlcpy(err, "not a file but a directory", len);
    return -1;
  }
  if (!S_ISREG(st.st_mode)) {
    lp_strlcpy(err, "not a regular file", len);
    return -1;
  }
  return 0;
}

static int machine_problem(const struct lp_elf_facts *f, char *err, size_t len)
{
  struct lp_elf_facts self;
  const char *theirs = lp_elf_machine_name(f->machine);

  lp_elf_self(&self);
  if (f->machine != self.machine)
    lp_fmt(err, len, "built for %s (ELF machine %u), but this loopprobe runs as %s (machine %u)",
           theirs ? theirs : "another architecture", f->machine,
           lp_elf_machine_name(self.machine) ? lp_elf_machine_name(self.machine) : "?",
           self.machine);
  else if (f->elf_class != self.elf_class)
    lp_fmt(err, len, "a %d-bit ELF file, but this loopprobe is %d-bit",
           f->elf_class == ELFCLASS32 ? 32 : 64, self.elf_class == ELFCLASS32 ? 32 : 64);
  else if (f->data != self.data)
    lp_strlcpy(err, "an ELF file of the other byte order than this loopprobe", len);
  else
    return 0;
  return -1;
}

static int soname_problem(const struct lp_libdesc *d, const struct lp_elf_facts *f, char *err,
                          size_t len)
{
  size_t stem = stem_len(d->soname);

  if (f->type != ET_DYN) {
    lp_fmt(err, len, "not a shared library: it is %s", lp_elf_type_name(f->type));
    return -1;
  }
  if (!f->soname[0]) {
    lp_strlcpy(err, "not a shared library: it has no SONAME (a position-independent executable?)",
               len);
    return -1;
  }
  if (strcmp(f->soname, d->soname) == 0)
    return 0;
  if (strncmp(f->soname, d->soname, stem) == 0 && stem_len(f->soname) == stem)
    lp_fmt(err, len,
           "it is %s, another major than the %s this loopprobe was built for (its functions may "
           "differ from the headers')",
           f->soname, d->soname);
  else
    lp_fmt(err, len, "it is %s (its SONAME), not %s (%s)", f->soname, d->name, d->soname);
  return -1;
}

/* Everything that can be said about the file before loading it. */
static int check_file(const struct lp_libdesc *d, const char *path, char *err, size_t len)
{
  struct lp_elf_facts f;

  if (file_problem(path, err, len) < 0)
    return -1;
  if (lp_elf_read(path, &f) < 0) {
    lp_fmt(err, len, "cannot be read (%s)", lp_errno_name(errno) ? lp_errno_name(errno) : "?");
    return -1;
  }
  if (!f.elf) {
    lp_strlcpy(err, "not a shared library: it is not an ELF file", len);
    return -1;
  }
  if (machine_problem(&f, err, len) < 0 || soname_problem(d, &f, err, len) < 0)
    return -1;
  return libc_problem(&f, err, len);
}

int lp_dynlib_open_file(const struct lp_libdesc *d, const char *path, struct lp_dynlib *out,
                        char *err, size_t err_len)
{
  char name[LP_OBJ_MAX + 2];

  memset(out, 0, sizeof(*out));
  out->desc = d;
  out->given = 1;
  lp_strlcpy(out->path, path, sizeof(out->path));
  if (check_file(d, path, err, err_len) < 0)
    return -1;
  lp_fmt(name, sizeof(name), "%s%s", strchr(path, '/') ? "" : "./", path);
  if (load(d, name, out) < 0) {
    out->state = LP_DYNLIB_UNUSABLE;
    if (out->handle)
      lp_strlcpy(err, out->why, err_len);
    else
      lp_fmt(err, err_len, "cannot be loaded: %s", out->why);
    return -1;
  }
  out->state = LP_DYNLIB_LOADED;
  return 0;
}

const char *lp_dynlib_package(const struct lp_libdesc *d)
{
#if defined(__GLIBC__)
  return d->package;
#else
  (void)d;
  return NULL;
#endif
}

void lp_dynlib_release(struct lp_dynlib *lib)
{
  free((void *)lib->table);
  lib->table = NULL;
}

/* --- what the loaded object says about itself --- */

static const char *in_memory(const struct link_map *lm, ElfW(Addr) p)
{
  return (const char *)(p < lm->l_addr ? p + lm->l_addr : p);
}

/* 1 when version a ("2.10") is higher than b ("2.3"), part by part. */
static int newer(const char *a, const char *b)
{
  while (*a || *b) {
    char *ea = NULL, *eb = NULL;
    unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);
    if (x != y)
      return x > y;
    if ((ea == a && eb == b) || (*ea != '.' && *eb != '.'))
      break;
    a = ea + (*ea == '.');
    b = eb + (*eb == '.');
  }
  return 0;
}

int lp_dynlib_version_node(const struct lp_dynlib *lib, const char *prefix, char *buf, size_t size)
{
  const struct link_map *lm = NULL;
  const ElfW(Dyn) *d = NULL;
  const char *strtab = NULL, *best = NULL;
  const char *vd = NULL;
  size_t plen = strlen(prefix);

  if (!lib->handle || dlinfo(lib->handle, RTLD_DI_LINKMAP, (void *)&lm) != 0 || !lm)
    return -1;
  for (d = lm->l_ld; d->d_tag != DT_NULL; d++) {
    if (d->d_tag == DT_STRTAB)
      strtab = in_memory(lm, d->d_un.d_ptr);
    else if (d->d_tag == DT_VERDEF)
      vd = in_memory(lm, d->d_un.d_ptr);
  }
  while (strtab && vd) {
    const ElfW(Verdef) *def = (const ElfW(Verdef) *)vd;
    const ElfW(Verdaux) *aux = (const ElfW(Verdaux) *)(vd + def->vd_aux);
    const char *name = strtab + aux->vda_name;
    if (strncmp(name, prefix, plen) == 0 && (!best || newer(name + plen, best)))
      best = name + plen;
    vd = def->vd_next ? vd + def->vd_next : NULL;
  }
  if (!best)
    return -1;
  lp_strlcpy(buf, best, size);
  return 0;
}

void lp_dynlib_provenance(const struct lp_dynlib *lib, const char *function,
                          struct lp_provider *out)
{
  lp_provenance_in(function, lib->handle, lib->desc->marker, out);
}
