/* SPDX-License-Identifier: MIT */
/*
 * provenance_win.c - which module serves an API function on Windows.
 *
 * On Windows the family is the DLL the import belongs to ("kernel32.dll",
 * "ws2_32.dll").  The winner is what an ordinary call from loopprobe's own
 * module reaches: the address in that module's import address table,
 * which is what a hooking tool that patches imports rewrites.  The home is
 * what the DLL itself exports for the name, GetProcAddress() following the
 * export forwarders (kernel32's GetQueuedCompletionStatus() lives in
 * kernelbase.dll on every Windows since 7, and under Wine).  Each address
 * is named by the module that contains it (GetModuleHandleEx() with
 * GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, then GetModuleFileName()); the two
 * modules differing means the function is interposed.  An inline hook that
 * patches the function's first bytes leaves both addresses alone and is
 * not seen here.
 */
#include "provenance.h"

#include "dynlib.h"

#include "../base/util.h"
#include "../sys/win.h"

#include <string.h>
#include <windows.h>

static void module_path(HMODULE m, char *buf, size_t size)
{
  DWORD n = m ? GetModuleFileNameA(m, buf, (DWORD)size) : 0;

  if (n == 0 || n >= size)
    buf[0] = '\0';
}

static const IMAGE_NT_HEADERS *nt_headers(HMODULE m)
{
  const unsigned char *base = (const unsigned char *)m;
  const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)base;
  const IMAGE_NT_HEADERS *nt = NULL;

  if (dos->e_magic != IMAGE_DOS_SIGNATURE)
    return NULL;
  nt = (const IMAGE_NT_HEADERS *)(base + dos->e_lfanew);
  return nt->Signature == IMAGE_NT_SIGNATURE ? nt : NULL;
}

/* The import address table slot of function, imported by m from dll. */
static const void *imported(HMODULE m, const char *dll, const char *function)
{
  const unsigned char *base = (const unsigned char *)m;
  const IMAGE_NT_HEADERS *nt = nt_headers(m);
  const IMAGE_DATA_DIRECTORY *dir = NULL;
  const IMAGE_IMPORT_DESCRIPTOR *d = NULL;

  if (!nt)
    return NULL;
  dir = &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
  if (dir->VirtualAddress == 0)
    return NULL;
  for (d = (const IMAGE_IMPORT_DESCRIPTOR *)(base + dir->VirtualAddress); d->Name; d++) {
    const IMAGE_THUNK_DATA *names = NULL, *slots = NULL;
    if (_stricmp((const char *)(base + d->Name), dll) != 0 || !d->OriginalFirstThunk)
      continue;
    names = (const IMAGE_THUNK_DATA *)(base + d->OriginalFirstThunk);
    slots = (const IMAGE_THUNK_DATA *)(base + d->FirstThunk);
    for (; names->u1.AddressOfData; names++, slots++) {
      const IMAGE_IMPORT_BY_NAME *ibn = NULL;
      if (IMAGE_SNAP_BY_ORDINAL(names->u1.Ordinal))
        continue;
      ibn = (const IMAGE_IMPORT_BY_NAME *)(base + names->u1.AddressOfData);
      if (strcmp((const char *)ibn->Name, function) == 0)
        return (const void *)(uintptr_t)slots->u1.Function;
    }
  }
  return NULL;
}

void lp_provenance(const char *function, const char *family, struct lp_provider *out)
{
  HMODULE self = lp_win_module_of((const void *)&lp_provenance);
  HMODULE dll = GetModuleHandleA(family);
  FARPROC exported = dll ? GetProcAddress(dll, function) : NULL;
  const void *home = NULL, *winner = NULL;

  memset(out, 0, sizeof(*out));
  lp_strlcpy(out->function, function, sizeof(out->function));
  memcpy(&home, &exported, sizeof(home) < sizeof(exported) ? sizeof(home) : sizeof(exported));
  winner = self ? imported(self, family, function) : NULL;
  if (!winner)
    winner = home; /* not imported by name here: the loader's answer is all there is */
  if (home)
    module_path(lp_win_module_of(home), out->home, sizeof(out->home));
  if (!winner)
    return;
  module_path(lp_win_module_of(winner), out->object, sizeof(out->object));
  out->interposed = home && lp_win_module_of(winner) != lp_win_module_of(home);
  out->sanitizer = out->interposed && lp_sanitizer_runtime(out->object);
}
