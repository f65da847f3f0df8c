/* SPDX-License-Identifier: MIT */
/*
 * elf_file.h - what an ELF file on disk says about itself, read without
 * loading it: its class, byte order, machine, type, SONAME and the C
 * library it needs.  The loader checks a file with these before dlopen()
 * runs a single constructor of it, so that "wrong architecture", "not a
 * shared library" or "built for another C library" is said plainly
 * instead of in the dynamic loader's words - or, for the last, instead of
 * a crash: musl's loader answers a library's need of glibc's libc.so.6
 * with musl itself.
 */
#ifndef LP_ELF_FILE_H
#define LP_ELF_FILE_H

struct lp_elf_facts {
  int elf;          /* the file starts with the ELF magic */
  int elf_class;    /* ELFCLASS32 or ELFCLASS64 */
  int data;         /* ELFDATA2LSB or ELFDATA2MSB */
  unsigned machine; /* e_machine: EM_X86_64, EM_AARCH64, ... */
  unsigned type;    /* e_type: ET_DYN, ET_EXEC, ET_REL, ... */
  char soname[128]; /* DT_SONAME; empty when the file has none, or when it is not of this
                       process's class and byte order (then it is not read) */
  char libc[64];    /* the DT_NEEDED entry of a C library ("libc.so.6", "libc.so"); empty
                       when it names none, or as for soname */
};

/* Reads the facts of the file at path.  Returns 0, or -1 with errno set
   when the file cannot be opened or read. */
int lp_elf_read(const char *path, struct lp_elf_facts *out);

/* The class, byte order and machine of the object this code runs in, read
   from its own ELF header in memory. */
void lp_elf_self(struct lp_elf_facts *out);

/* "x86-64", "AArch64", ... for an e_machine; NULL when this file knows no
   name for it. */
const char *lp_elf_machine_name(unsigned machine);

/* The C library a DT_NEEDED name stands for: "glibc" for libc.so.6 (and
   libc.so.6.1), "musl" for libc.so (musl's own link name) and
   libc.musl-ARCH.so.1 (Alpine's); NULL for any other name (the BSDs'
   libc.so.7 and kin, which are not judged). */
const char *lp_elf_libc_family(const char *needed);

/* "an executable", "a relocatable object", ... for an e_type. */
const char *lp_elf_type_name(unsigned type);

#endif
