/* SPDX-License-Identifier: MIT */
/*
 * elf_file.h - what an ELF file on disk says about itself, read without
 * loading it: its class, byte order, machine, type and SONAME.  The
 * loader checks a file a user names with these before dlopen() runs a
 * single constructor of it, so that "wrong architecture" or "not a shared
 * library" is said plainly instead of in the dynamic loader's words.
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

/* "an executable", "a relocatable object", ... for an e_type. */
const char *lp_elf_type_name(unsigned type);

#endif
