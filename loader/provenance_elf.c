/* SPDX-License-Identifier: MIT */
/*
 * provenance_elf.c - symbol provenance for ELF systems with dlfcn and
 * dl_iterate_phdr (Linux, the BSDs).
 *
 * Traps: dlsym(RTLD_NEXT) from here is useless for detecting LD_PRELOAD (a
 * preload comes right after the main program, so NEXT and DEFAULT agree);
 * a handle from dlopen() searches the library and its dependencies, so the
 * definition found must be checked to lie in that very object; and the
 * in-memory dynamic section holds DT_STRTAB relocated on some systems and
 * not on others.  A library loopprobe loaded RTLD_LOCAL (dynlib.h) is not
 * in the global scope that dlsym(RTLD_DEFAULT) searches: when nothing there
 * defines a function, an ordinary call would reach the library itself;
 * when another object does, it is an interposer unless it is another copy
 * of the same library, which the library's marker function tells.
 */
#define _GNU_SOURCE
#include "provenance.h"

#include "dynlib.h"

#include "../base/util.h"

#include <dlfcn.h>
#include <link.h>
#include <string.h>

struct needed_search {
  const void *self;   /* an address inside loopprobe's own object */
  const char *family; /* "c" matches libc.so.6 but not libcap.so.2 */
  char found[LP_OBJ_MAX];
};

static int name_matches_family(const char *name, const char *family)
{
  const char *base = strrchr(name, '/');
  size_t n = strlen(family);

  base = base ? base + 1 : name;
  if (strncmp(base, "lib", 3) != 0 || strncmp(base + 3, family, n) != 0)
    return 0;
  return base[3 + n] == '.' || base[3 + n] == '-' || base[3 + n] == '_';
}

static int contains(const struct dl_phdr_info *info, const void *addr)
{
  uintptr_t a = (uintptr_t)addr;
  int i;

  for (i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
    if (ph->p_type == PT_LOAD && a >= lo && a < lo + ph->p_memsz)
      return 1;
  }
  return 0;
}

static const ElfW(Dyn) * dynamic_of(const struct dl_phdr_info *info)
{
  int i;

  for (i = 0; i < info->dlpi_phnum; i++)
    if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
      return (const ElfW(Dyn) *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
  return NULL;
}

static int find_needed(struct dl_phdr_info *info, size_t size, void *data)
{
  struct needed_search *s = data;
  const ElfW(Dyn) *dyn = NULL, *d = NULL;
  const char *strtab = NULL;

  (void)size;
  if (!contains(info, s->self))
    return 0;
  dyn = dynamic_of(info);
  if (!dyn)
    return 1;
  for (d = dyn; d->d_tag != DT_NULL; d++)
    if (d->d_tag == DT_STRTAB)
      strtab = (const char *)d->d_un.d_ptr;
  if (!strtab)
    return 1;
  if ((uintptr_t)strtab < info->dlpi_addr)
    strtab += info->dlpi_addr; /* not relocated in memory on this system */
  for (d = dyn; d->d_tag != DT_NULL; d++) {
    const char *name = strtab + d->d_un.d_val;
    if (d->d_tag == DT_NEEDED && name_matches_family(name, s->family)) {
      lp_strlcpy(s->found, name, sizeof(s->found));
      break;
    }
  }
  return 1;
}

/* The loaded object whose segments hold addr, found by walking the program
   headers: dladdr() would do, but it also scans the object's whole symbol
   table for the nearest name, which made it most of lp_check()'s cost. */
struct object_search {
  const void *addr;
  const char *name; /* as the loader names it; "" for the main program */
  const void *base;
};

static int find_object(struct dl_phdr_info *info, size_t size, void *data)
{
  struct object_search *s = data;

  (void)size;
  if (!contains(info, s->addr))
    return 0;
  s->name = info->dlpi_name ? info->dlpi_name : "";
  s->base = (const void *)info->dlpi_addr;
  return 1;
}

const void *lp_object_at(const void *addr, char *name, size_t size)
{
  struct object_search s;
  Dl_info info;

  memset(&s, 0, sizeof(s));
  s.addr = addr;
  if (!dl_iterate_phdr(find_object, &s))
    return NULL;
  if (s.name[0])
    lp_strlcpy(name, s.name, size);
  else if (dladdr(addr, &info) && info.dli_fname)
    lp_strlcpy(name, info.dli_fname, size);
  else
    return NULL;
  return s.base;
}

int lp_self_needed(const char *family, char *name, size_t size)
{
  struct needed_search s;

  memset(&s, 0, sizeof(s));
  s.self = (const void *)&lp_provenance;
  s.family = family;
  dl_iterate_phdr(find_needed, &s);
  if (!s.found[0])
    return -1;
  lp_strlcpy(name, s.found, size);
  return 0;
}

/* A handle on the family's library as loopprobe's own object names it
   (its DT_NEEDED entry, already loaded), or NULL; dlclose() it after use -
   the library stays loaded, loopprobe's object needs it. */
static void *family_handle(const char *family)
{
  char name[LP_OBJ_MAX];

  return lp_self_needed(family, name, sizeof(name)) == 0 ? dlopen(name, RTLD_LAZY | RTLD_NOLOAD)
                                                         : NULL;
}

void lp_c_library(char *name, size_t size)
{
  struct link_map *lm = NULL;
  void *h = family_handle("c");

  lp_strlcpy(name, "", size);
  if (h && dlinfo(h, RTLD_DI_LINKMAP, &lm) == 0 && lm)
    lp_strlcpy(name, lm->l_name, size);
  if (h)
    dlclose(h);
}

/* Fills out->home with the definition of function in the object h is a
   handle of (not in one of its dependencies), and *home_base with that
   object's base. */
static void home_in(void *h, const char *function, struct lp_provider *out, const void **home_base)
{
  struct link_map *lm = NULL;
  char object[LP_OBJ_MAX];
  const void *base = NULL;
  void *sym = dlsym(h, function);

  if (sym)
    base = lp_object_at(sym, object, sizeof(object));
  if (base && dlinfo(h, RTLD_DI_LINKMAP, &lm) == 0 && lm && strcmp(lm->l_name, object) == 0) {
    lp_strlcpy(out->home, object, sizeof(out->home));
    *home_base = base;
  }
}

/* 1 when the object at base (named name) itself defines marker.  The main
   program does not answer to its name: it is searched through the global
   scope, whose first definition must then be its own. */
static int defines(const char *name, const void *base, const char *marker)
{
  void *h = dlopen(name, RTLD_LAZY | RTLD_NOLOAD);
  char object[LP_OBJ_MAX];
  void *sym = NULL;
  int yes = 0;

  if (!h)
    h = dlopen(NULL, RTLD_LAZY);
  if (!h)
    return 0;
  sym = dlsym(h, marker);
  yes = sym && lp_object_at(sym, object, sizeof(object)) == base;
  dlclose(h);
  return yes;
}

int lp_sanitizer_in(const char *name, const void *base)
{
  /* every sanitizer's runtime (ASan, TSan, MSan...) defines the marker */
  return lp_sanitizer_runtime(name) || defines(name, base, "__sanitizer_print_stack_trace");
}

void lp_provenance(const char *function, const char *family, struct lp_provider *out)
{
  const void *home_base = NULL, *base = NULL;
  void *h = family_handle(family), *sym = NULL;

  memset(out, 0, sizeof(*out));
  lp_strlcpy(out->function, function, sizeof(out->function));
  if (h) {
    home_in(h, function, out, &home_base);
    dlclose(h);
  }
  sym = dlsym(RTLD_DEFAULT, function);
  if (sym)
    base = lp_object_at(sym, out->object, sizeof(out->object));
  if (!base)
    return;
  out->interposed = home_base && base != home_base;
  out->sanitizer = out->interposed && lp_sanitizer_in(out->object, base);
}

void lp_provenance_in(const char *function, void *home, const char *marker, struct lp_provider *out)
{
  const void *home_base = NULL, *base = NULL;
  void *sym = NULL;

  memset(out, 0, sizeof(*out));
  lp_strlcpy(out->function, function, sizeof(out->function));
  home_in(home, function, out, &home_base);
  sym = dlsym(RTLD_DEFAULT, function);
  if (!sym) { /* nothing in the global scope: an ordinary call reaches the library */
    lp_strlcpy(out->object, out->home, sizeof(out->object));
    return;
  }
  base = lp_object_at(sym, out->object, sizeof(out->object));
  out->interposed =
      base && home_base && base != home_base && !(marker && defines(out->object, base, marker));
}
