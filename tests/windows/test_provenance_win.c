/* SPDX-License-Identifier: MIT */
/*
 * test_provenance_win.c - provenance of Windows API functions, and a real
 * import hook: the test rewrites its own import address table entry for
 * WSAPoll(), as an API-hooking tool does, and loopprobe must name this
 * program as the module that serves the function.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "loader/provenance.h"

#include <string.h>
#include <winsock2.h>
#include <windows.h>

static int hook_calls;

static int WSAAPI hooked_poll(WSAPOLLFD *fds, ULONG n, INT timeout)
{
  (void)fds;
  (void)n;
  (void)timeout;
  hook_calls++;
  return 0;
}

/* This program's import slot for function from dll. */
static void **import_slot(const char *dll, const char *function)
{
  unsigned char *base = (unsigned char *)GetModuleHandleA(NULL);
  IMAGE_NT_HEADERS *nt = (IMAGE_NT_HEADERS *)(base + ((IMAGE_DOS_HEADER *)base)->e_lfanew);
  IMAGE_DATA_DIRECTORY *dir = &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
  IMAGE_IMPORT_DESCRIPTOR *d = (IMAGE_IMPORT_DESCRIPTOR *)(base + dir->VirtualAddress);

  for (; d->Name; d++) {
    IMAGE_THUNK_DATA *names = (IMAGE_THUNK_DATA *)(base + d->OriginalFirstThunk);
    IMAGE_THUNK_DATA *slots = (IMAGE_THUNK_DATA *)(base + d->FirstThunk);
    if (_stricmp((const char *)(base + d->Name), dll) != 0)
      continue;
    for (; names->u1.AddressOfData; names++, slots++)
      if (!IMAGE_SNAP_BY_ORDINAL(names->u1.Ordinal) &&
          strcmp((const char *)((IMAGE_IMPORT_BY_NAME *)(base + names->u1.AddressOfData))->Name,
                 function) == 0)
        return (void **)&slots->u1.Function;
  }
  return NULL;
}

static void set_slot(void **slot, void *value)
{
  DWORD old = 0;

  assert_true(VirtualProtect(slot, sizeof(*slot), PAGE_READWRITE, &old));
  *slot = value;
  VirtualProtect(slot, sizeof(*slot), old, &old);
}

static void plain_imports_are_served_by_their_dll(void **state)
{
  struct lp_provider p;

  (void)state;
  lp_provenance("WSAPoll", "ws2_32.dll", &p);
  assert_string_equal(p.function, "WSAPoll");
  assert_non_null(strstr(p.object, "32.dll"));
  assert_string_equal(p.object, p.home);
  assert_int_equal(p.interposed, 0);
}

static void a_hooked_import_is_interposed(void **state)
{
  void **slot = import_slot("ws2_32.dll", "WSAPoll");
  int(WSAAPI * fn)(WSAPOLLFD *, ULONG, INT) = hooked_poll;
  void *real = NULL, *hook = NULL;
  char self[MAX_PATH];
  struct lp_provider p;

  (void)state;
  assert_non_null(slot);
  real = *slot;
  memcpy(&hook, &fn, sizeof(hook));
  set_slot(slot, hook);
  lp_provenance("WSAPoll", "ws2_32.dll", &p);
  WSAPoll(NULL, 0, 0); /* an ordinary call reaches the hook */
  set_slot(slot, real);
  assert_int_equal(hook_calls, 1);
  assert_true(GetModuleFileNameA(NULL, self, sizeof(self)) > 0);
  assert_int_equal(p.interposed, 1);
  assert_string_equal(p.object, self);
  assert_non_null(strstr(p.home, "32.dll"));
}

static void an_unknown_function_has_no_provider(void **state)
{
  struct lp_provider p;

  (void)state;
  lp_provenance("NoSuchFunctionAnywhere", "ws2_32.dll", &p);
  assert_string_equal(p.object, "");
  assert_int_equal(p.interposed, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(plain_imports_are_served_by_their_dll),
      cmocka_unit_test(a_hooked_import_is_interposed),
      cmocka_unit_test(an_unknown_function_has_no_provider),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
