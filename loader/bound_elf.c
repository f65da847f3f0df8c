/* SPDX-License-Identifier: MIT */
/*
 * bound_elf.c - what a library loaded at run time will really reach when it
 * runs, read from the loaded object itself, on ELF systems: the objects its
 * relocations were bound to (the function pointers in its GOT, which its
 * PLT jumps through), and the variable a callback setter stores into.
 *
 * lp_check() asks this before it lets a library run in the caller's
 * process: a wrapper in LD_PRELOAD that serves one of the C library's
 * functions the library calls, or another library answering the
 * library's own names (libev's imitation of libevent's, which libevent's
 * internal calls reach through its PLT), shows in the library's GOT as a
 * pointer into another object - exactly what the library's calls will
 * reach, with the dynamic loader's own symbol versions and search order.
 *
 * Traps: the dynamic section's addresses are relocated in memory on some
 * systems and not on others; a slot the loader has not bound yet (lazy
 * binding, in a library the program loaded without BIND_NOW) points into
 * the library's own PLT and is looked up by name instead, global scope
 * first as the loader would; a weak reference nobody defines holds 0.
 * Data symbols are left out: a copy relocation puts `stderr` in the main
 * program, which serves nothing.  A setter's code is read only when its
 * bytes lie in a readable segment and the variable it names in a writable
 * one of the same object; any other shape of code than the one store a
 * compiler makes of `void set(fn f) { var = f; }` gives no answer.
 */
#define _GNU_SOURCE
#include "dynlib.h"

#include "../base/util.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#if defined(__linux__)
#include <sys/auxv.h>
#endif

#define MAX_DEPS 32

static pthread_mutex_t bound_lock = PTHREAD_MUTEX_INITIALIZER;

/* --- the objects of the process --- */

static const void *relocated(const struct link_map *lm, ElfW(Addr) p)
{
  return (const void *)(p < lm->l_addr ? p + lm->l_addr : p);
}

/* How many objects were ever added and removed: what the loader answers
   for a name changes only when one of them moves. */
static int count_objects(struct dl_phdr_info *info, size_t size, void *data)
{
  unsigned long long *gen = data;

  (void)size;
#if defined(__linux__)
  *gen = (unsigned long long)info->dlpi_adds * 4096u + (unsigned long long)info->dlpi_subs;
#else
  (void)info;
  *gen = 0; /* no counters here: every question is answered afresh */
#endif
  return 1;
}

static unsigned long long generation(void)
{
  unsigned long long gen = 0;

  dl_iterate_phdr(count_objects, &gen);
  return gen;
}

/* The load bias of the library and of every object it depends on (its
   DT_NEEDED entries and theirs, as loaded), the library first. */
struct deps {
  const void *base[MAX_DEPS];
  size_t n;
};

static int has_base(const struct deps *d, const void *base)
{
  size_t i;

  for (i = 0; i < d->n; i++)
    if (d->base[i] == base)
      return 1;
  return 0;
}

static void add_needed(const struct link_map *lm, struct deps *d)
{
  const ElfW(Dyn) *dyn = NULL;
  const char *strtab = NULL;

  for (dyn = lm->l_ld; dyn->d_tag != DT_NULL; dyn++)
    if (dyn->d_tag == DT_STRTAB)
      strtab = relocated(lm, dyn->d_un.d_ptr);
  for (dyn = lm->l_ld; strtab && dyn->d_tag != DT_NULL && d->n < MAX_DEPS; dyn++) {
    struct link_map *dep = NULL;
    void *h = NULL;
    if (dyn->d_tag != DT_NEEDED)
      continue;
    h = dlopen(strtab + dyn->d_un.d_val, RTLD_LAZY | RTLD_NOLOAD);
    if (h && dlinfo(h, RTLD_DI_LINKMAP, &dep) == 0 && dep &&
        !has_base(d, (const void *)dep->l_addr)) {
      d->base[d->n++] = (const void *)dep->l_addr;
      add_needed(dep, d);
    }
    if (h)
      dlclose(h);
  }
}

/* The kernel's vDSO: glibc resolves time() and gettimeofday() straight to
   it (their IFUNCs pick the vDSO's own), so the C library's calls land
   there; no wrapper can be it. */
static void add_vdso(struct deps *d)
{
#if defined(__linux__) && defined(AT_SYSINFO_EHDR)
  char name[LP_OBJ_MAX];
  const void *ehdr = (const void *)getauxval(AT_SYSINFO_EHDR);
  const void *base = ehdr ? lp_object_at(ehdr, name, sizeof(name)) : NULL;

  if (base && d->n < MAX_DEPS && !has_base(d, base))
    d->base[d->n++] = base;
#else
  (void)d;
#endif
}

/* --- the relocations --- */

struct relocs {
  const ElfW(Sym) * symtab;
  const char *strtab;
  const void *tables[2]; /* DT_JMPREL, then DT_RELA or DT_REL */
  size_t sizes[2];
  int rela[2];
};

static void read_dynamic(const struct link_map *lm, struct relocs *r)
{
  const ElfW(Dyn) *d = NULL;
  int pltrel = 0;

  memset(r, 0, sizeof(*r));
  for (d = lm->l_ld; d->d_tag != DT_NULL; d++) {
    switch (d->d_tag) {
    case DT_SYMTAB:
      r->symtab = relocated(lm, d->d_un.d_ptr);
      break;
    case DT_STRTAB:
      r->strtab = relocated(lm, d->d_un.d_ptr);
      break;
    case DT_JMPREL:
      r->tables[0] = relocated(lm, d->d_un.d_ptr);
      break;
    case DT_PLTRELSZ:
      r->sizes[0] = d->d_un.d_val;
      break;
    case DT_PLTREL:
      pltrel = (int)d->d_un.d_val;
      break;
    case DT_RELA:
    case DT_REL:
      r->tables[1] = relocated(lm, d->d_un.d_ptr);
      r->rela[1] = d->d_tag == DT_RELA;
      break;
    case DT_RELASZ:
    case DT_RELSZ:
      r->sizes[1] = d->d_un.d_val;
      break;
    default:
      break;
    }
  }
  r->rela[0] = pltrel == DT_RELA;
}

#if defined(__LP64__) || defined(_LP64)
#define R_SYM(i) ELF64_R_SYM(i)
#else
#define R_SYM(i) ELF32_R_SYM(i)
#endif

/* The symbol index and slot offset of relocation i of table t. */
static int reloc_at(const struct relocs *r, int t, size_t i, size_t *sym, ElfW(Addr) * offset)
{
  size_t each = r->rela[t] ? sizeof(ElfW(Rela)) : sizeof(ElfW(Rel));

  if ((i + 1) * each > r->sizes[t])
    return 0;
  if (r->rela[t]) {
    const ElfW(Rela) *e = (const ElfW(Rela) *)r->tables[t] + i;
    *sym = R_SYM(e->r_info);
    *offset = e->r_offset;
  } else {
    const ElfW(Rel) *e = (const ElfW(Rel) *)r->tables[t] + i;
    *sym = R_SYM(e->r_info);
    *offset = e->r_offset;
  }
  return 1;
}

static int listed(const char *const *names, const char *name)
{
  size_t i;

  for (i = 0; names && names[i]; i++)
    if (strcmp(names[i], name) == 0)
      return 1;
  return 0;
}

struct judge {
  const struct lp_dynlib *lib;
  const struct link_map *lm;
  const char *const *names;
  struct deps deps; /* deps.base[0] is the library's own */
  struct lp_provider *out;
};

/* A slot the loader has not bound yet: the object the name resolves to,
   the global scope first as the loader searches, then the library's. */
static const void *by_name(const struct judge *j, const char *name)
{
  void *sym = dlsym(RTLD_DEFAULT, name);

  return sym ? sym : dlsym(j->lib->handle, name);
}

/* 1 when the slot of name (own: the library defines it) reaches an object
   it should not, with out filled. */
static int foreign(struct judge *j, const char *name, int own, const void *target)
{
  char object[LP_OBJ_MAX];
  const void *base = lp_object_at(target, object, sizeof(object));

  if (base == j->deps.base[0] && !own) {
    target = by_name(j, name); /* lazy: the PLT stub of the library itself */
    base = target ? lp_object_at(target, object, sizeof(object)) : j->deps.base[0];
  }
  if (!base || base == j->deps.base[0] || (!own && has_base(&j->deps, base)) ||
      (!own && lp_sanitizer_in(object, base)))
    return 0;
  memset(j->out, 0, sizeof(*j->out));
  lp_strlcpy(j->out->function, name, sizeof(j->out->function));
  lp_strlcpy(j->out->object, object, sizeof(j->out->object));
  if (own)
    lp_strlcpy(j->out->home, j->lib->path, sizeof(j->out->home));
  else
    lp_c_library(j->out->home, sizeof(j->out->home));
  j->out->interposed = 1;
  return 1;
}

static int judge_reloc(struct judge *j, const struct relocs *r, size_t sym, ElfW(Addr) offset)
{
  const ElfW(Sym) *s = &r->symtab[sym];
  const char *name = r->strtab + s->st_name;
  int type = ELF64_ST_TYPE(s->st_info), own = s->st_shndx != SHN_UNDEF;
  const void *target = NULL;

  if (sym == 0 || !name[0])
    return 0;
  if (own ? type != STT_FUNC && type != STT_GNU_IFUNC : !listed(j->names, name))
    return 0;
  memcpy(&target, (const char *)j->lm->l_addr + offset, sizeof(target));
  return target ? foreign(j, name, own, target) : 0;
}

static int judge_all(struct judge *j)
{
  struct relocs r;
  size_t i, sym;
  ElfW(Addr) offset;
  int t;

  read_dynamic(j->lm, &r);
  if (!r.symtab || !r.strtab)
    return -1;
  for (t = 0; t < 2; t++)
    for (i = 0; r.tables[t] && reloc_at(&r, t, i, &sym, &offset); i++)
      if (judge_reloc(j, &r, sym, offset))
        return 1;
  return 0;
}

static int compute(const struct lp_dynlib *lib, const char *const *names, struct lp_provider *out)
{
  struct link_map *lm = NULL;
  struct judge j;

  if (!lib->handle || dlinfo(lib->handle, RTLD_DI_LINKMAP, &lm) != 0 || !lm)
    return -1;
  memset(&j, 0, sizeof(j));
  j.lib = lib;
  j.lm = lm;
  j.names = names;
  j.out = out;
  j.deps.base[j.deps.n++] = (const void *)lm->l_addr;
  add_needed(lm, &j.deps);
  add_vdso(&j.deps);
  return judge_all(&j);
}

int lp_dynlib_foreign_call(const struct lp_dynlib *lib, const char *const *names,
                           struct lp_provider *out)
{
  struct lp_bound *b = (struct lp_bound *)&lib->bound;
  unsigned long long gen = generation();
  int rc;

  pthread_mutex_lock(&bound_lock);
  if (gen && b->gen == gen && b->names == names) {
    rc = b->rc;
    *out = b->first;
    pthread_mutex_unlock(&bound_lock);
    return rc;
  }
  pthread_mutex_unlock(&bound_lock);
  memset(out, 0, sizeof(*out));
  rc = compute(lib, names, out);
  pthread_mutex_lock(&bound_lock);
  b->gen = gen;
  b->names = names;
  b->rc = rc;
  b->first = *out;
  pthread_mutex_unlock(&bound_lock);
  return rc;
}

/* --- what a setter stores into --- */

struct segment_search {
  const void *addr;
  size_t len;
  unsigned flag; /* PF_R or PF_W */
  const void *base;
  int found;
};

static int find_segment(struct dl_phdr_info *info, size_t size, void *data)
{
  struct segment_search *s = data;
  uintptr_t a = (uintptr_t)s->addr;
  int i;

  (void)size;
  for (i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
    if (ph->p_type != PT_LOAD || a < lo || a + s->len > lo + ph->p_memsz)
      continue;
    s->base = (const void *)info->dlpi_addr;
    s->found = (ph->p_flags & s->flag) != 0;
    return 1;
  }
  return 0;
}

/* The base of the object whose segment holds [addr, addr + len) with
   flag, or NULL. */
static const void *segment_of(const void *addr, size_t len, unsigned flag)
{
  struct segment_search s;

  memset(&s, 0, sizeof(s));
  s.addr = addr;
  s.len = len;
  s.flag = flag;
  dl_iterate_phdr(find_segment, &s);
  return s.found ? s.base : NULL;
}

#if defined(__x86_64__)
/* [endbr64] mov %rdi, disp32(%rip); ret */
static const void *decode(const unsigned char *p)
{
  int32_t disp;

  if (p[0] == 0xf3 && p[1] == 0x0f && p[2] == 0x1e && p[3] == 0xfa)
    p += 4;
  if (p[0] != 0x48 || p[1] != 0x89 || p[2] != 0x3d)
    return NULL;
  if (p[7] != 0xc3 && !(p[7] == 0xf3 && p[8] == 0xc3))
    return NULL;
  memcpy(&disp, p + 3, sizeof(disp));
  return p + 7 + disp;
}
#elif defined(__aarch64__)
static uint32_t word_at(const unsigned char *p)
{
  uint32_t w;

  memcpy(&w, p, sizeof(w));
  return w;
}

/* [bti c | paciasp] adrp xN, page; str x0, [xN, #off]; [autiasp] ret */
static const void *decode(const unsigned char *p)
{
  uint32_t w = word_at(p), s;
  uintptr_t page;
  int64_t imm;
  unsigned rd;

  if (w == 0xd503245fu || w == 0xd503233fu)
    w = word_at(p += 4);
  if ((w & 0x9f000000u) != 0x90000000u)
    return NULL;
  rd = w & 31u;
  imm = (int64_t)((((w >> 5) & 0x7ffffu) << 2) | ((w >> 29) & 3u));
  if (imm & (1 << 20))
    imm -= 1 << 21;
  page = ((uintptr_t)p & ~(uintptr_t)0xfff) + (uintptr_t)(imm * 4096);
  s = word_at(p + 4);
  if ((s & 0xffc00000u) != 0xf9000000u || (s & 31u) != 0 || ((s >> 5) & 31u) != rd)
    return NULL;
  w = word_at(p + 8);
  if (w == 0xd50323bfu)
    w = word_at(p + 12);
  if (w != 0xd65f03c0u)
    return NULL;
  return (const void *)(page + ((s >> 10) & 0xfffu) * 8);
}
#else
static const void *decode(const unsigned char *p)
{
  (void)p;
  return NULL;
}
#endif

void *lp_setter_slot(const void *setter)
{
  const void *base = setter ? segment_of(setter, 24, PF_R) : NULL;
  const void *slot = base ? decode(setter) : NULL;

  if (!slot || segment_of(slot, sizeof(void *), PF_W) != base)
    return NULL;
  return (void *)slot;
}
