/* SPDX-License-Identifier: MIT */
/*
 * elf_file.c - reads an ELF file's header, SONAME and needed C library
 * with pread(), and this process's own header from memory.
 *
 * Traps: the SONAME is an offset into the string table, and DT_STRTAB is
 * a virtual address, so it is mapped back to a file offset through the
 * PT_LOAD segment that holds it.  Only a file of this process's class and
 * byte order is parsed beyond its header (the types below are native);
 * any other is rejected on its header alone.  A position-independent
 * executable is ET_DYN like a library: what tells them apart is that a
 * library has a SONAME.  The main program's own header is mapped at its
 * first PT_LOAD (file offset 0), which for a non-PIE executable is not at
 * the load bias 0 but at its link address.
 */
#define _GNU_SOURCE
#include "elf_file.h"

#include "../base/util.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if UINTPTR_MAX > 0xffffffffu
#define LP_ELF_CLASS ELFCLASS64
#else
#define LP_ELF_CLASS ELFCLASS32
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define LP_ELF_DATA ELFDATA2MSB
#else
#define LP_ELF_DATA ELFDATA2LSB
#endif

#define MAX_PHDRS 64
#define MAX_DYN 512

static int read_at(int fd, void *buf, size_t len, off_t off)
{
  ssize_t n;

  do
    n = pread(fd, buf, len, off);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return -1;
  return (size_t)n == len ? 0 : -2; /* -2: the file is shorter than its header says */
}

/* The file offset of virtual address vaddr, through the PT_LOAD holding it. */
static int64_t file_offset(const ElfW(Phdr) * ph, int n, uint64_t vaddr)
{
  int i;

  for (i = 0; i < n; i++)
    if (ph[i].p_type == PT_LOAD && vaddr >= ph[i].p_vaddr && vaddr < ph[i].p_vaddr + ph[i].p_filesz)
      return (int64_t)(vaddr - ph[i].p_vaddr + ph[i].p_offset);
  return -1;
}

/* The string at offset off of the string table at file offset strtab; a
   string cut by the end of the file reads as far as it goes. */
static void read_string(int fd, int64_t strtab, uint64_t off, char *buf, size_t size)
{
  memset(buf, 0, size);
  if (read_at(fd, buf, size - 1, (off_t)(strtab + (int64_t)off)) == -1)
    buf[0] = '\0';
}

/* DT_SONAME, and the DT_NEEDED entry of a C library, from the dynamic
   section; their strings are in the table DT_STRTAB points to. */
static void dynamic_names(int fd, const ElfW(Phdr) * ph, int nph, const ElfW(Phdr) * dyn,
                          struct lp_elf_facts *out)
{
  ElfW(Dyn) d[MAX_DYN];
  size_t n = dyn->p_filesz / sizeof(d[0]), i;
  uint64_t strtab = 0;
  int64_t at;
  char name[sizeof(out->libc)];

  if (n > MAX_DYN)
    n = MAX_DYN;
  if (n == 0 || read_at(fd, d, n * sizeof(d[0]), (off_t)dyn->p_offset) < 0)
    return;
  for (i = 0; i < n && d[i].d_tag != DT_NULL; i++)
    if (d[i].d_tag == DT_STRTAB)
      strtab = d[i].d_un.d_ptr;
  if ((at = file_offset(ph, nph, strtab)) < 0)
    return;
  for (i = 0; i < n && d[i].d_tag != DT_NULL; i++) {
    if (d[i].d_tag == DT_SONAME)
      read_string(fd, at, d[i].d_un.d_val, out->soname, sizeof(out->soname));
    else if (d[i].d_tag == DT_NEEDED && !out->libc[0]) {
      read_string(fd, at, d[i].d_un.d_val, name, sizeof(name));
      if (lp_elf_libc_family(name))
        lp_strlcpy(out->libc, name, sizeof(out->libc));
    }
  }
}

static void native_details(int fd, const ElfW(Ehdr) * eh, struct lp_elf_facts *out)
{
  ElfW(Phdr) ph[MAX_PHDRS];
  int n = eh->e_phnum, i;

  if (eh->e_phentsize != sizeof(ph[0]) || n <= 0 || n > MAX_PHDRS ||
      read_at(fd, ph, (size_t)n * sizeof(ph[0]), (off_t)eh->e_phoff) < 0)
    return;
  for (i = 0; i < n; i++)
    if (ph[i].p_type == PT_DYNAMIC) {
      dynamic_names(fd, ph, n, &ph[i], out);
      return;
    }
}

/* e_type and e_machine sit at offsets 16 and 18 in both classes: read
   them in the file's own byte order, so that a foreign file names its
   machine too. */
static void type_and_machine(int fd, struct lp_elf_facts *out)
{
  unsigned char b[4];

  if (read_at(fd, b, sizeof(b), 16) != 0)
    return;
  if (out->data == ELFDATA2MSB) {
    out->type = (unsigned)(b[0] << 8 | b[1]);
    out->machine = (unsigned)(b[2] << 8 | b[3]);
  } else {
    out->type = (unsigned)(b[1] << 8 | b[0]);
    out->machine = (unsigned)(b[3] << 8 | b[2]);
  }
}

int lp_elf_read(const char *path, struct lp_elf_facts *out)
{
  unsigned char ident[EI_NIDENT];
  ElfW(Ehdr) eh;
  int fd = -1, rc = -1, saved = 0;

  memset(out, 0, sizeof(*out));
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  rc = read_at(fd, ident, sizeof(ident), 0);
  if (rc == -1)
    goto out;
  rc = 0;
  if (memcmp(ident, ELFMAG, SELFMAG) != 0)
    goto out; /* also a file shorter than the magic (read_at gave -2) */
  out->elf = 1;
  out->elf_class = ident[EI_CLASS];
  out->data = ident[EI_DATA];
  type_and_machine(fd, out);
  if (out->elf_class == LP_ELF_CLASS && out->data == LP_ELF_DATA &&
      read_at(fd, &eh, sizeof(eh), 0) == 0)
    native_details(fd, &eh, out);
out:
  saved = errno;
  close(fd);
  errno = saved;
  return rc;
}

struct self_search {
  const void *addr;
  const ElfW(Ehdr) * eh;
};

static int find_self(struct dl_phdr_info *info, size_t size, void *data)
{
  struct self_search *s = data;
  uintptr_t a = (uintptr_t)s->addr, header = 0;
  int i, inside = 0;

  (void)size;
  for (i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
    if (ph->p_type != PT_LOAD)
      continue;
    if (ph->p_offset == 0)
      header = lo;
    if (a >= lo && a < lo + ph->p_memsz)
      inside = 1;
  }
  if (!inside || !header)
    return 0;
  s->eh = (const ElfW(Ehdr) *)header;
  return 1;
}

void lp_elf_self(struct lp_elf_facts *out)
{
  struct self_search s;

  memset(out, 0, sizeof(*out));
  memset(&s, 0, sizeof(s));
  s.addr = (const void *)&lp_elf_self;
  out->elf = 1;
  out->elf_class = LP_ELF_CLASS;
  out->data = LP_ELF_DATA;
  if (dl_iterate_phdr(find_self, &s) && s.eh)
    out->machine = s.eh->e_machine;
}

static const struct {
  unsigned machine;
  const char *name;
} machines[] = {
    {EM_386, "i386"},
    {EM_X86_64, "x86-64"},
    {EM_ARM, "ARM"},
    {EM_AARCH64, "AArch64"},
    {EM_PPC, "PowerPC"},
    {EM_PPC64, "PowerPC64"},
    {EM_S390, "s390"},
    {EM_MIPS, "MIPS"},
    {EM_SPARCV9, "SPARC V9"},
    {EM_RISCV, "RISC-V"},
#ifdef EM_LOONGARCH
    {EM_LOONGARCH, "LoongArch"},
#endif
};

const char *lp_elf_machine_name(unsigned machine)
{
  size_t i;

  for (i = 0; i < LP_ARRAY_LEN(machines); i++)
    if (machines[i].machine == machine)
      return machines[i].name;
  return NULL;
}

const char *lp_elf_libc_family(const char *needed)
{
  if (strcmp(needed, "libc.so.6") == 0 || strcmp(needed, "libc.so.6.1") == 0)
    return "glibc";
  if (strcmp(needed, "libc.so") == 0 || strncmp(needed, "libc.musl-", 10) == 0)
    return "musl";
  return NULL;
}

const char *lp_elf_type_name(unsigned type)
{
  switch (type) {
  case ET_REL:
    return "a relocatable object";
  case ET_EXEC:
    return "an executable";
  case ET_DYN:
    return "a shared object";
  case ET_CORE:
    return "a core dump";
  default:
    return "of an unknown ELF type";
  }
}
