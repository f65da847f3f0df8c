/* SPDX-License-Identifier: MIT */
/*
 * provenance_darwin.c - which image serves an API function on macOS.
 *
 * Traps: macOS has no dl_iterate_phdr(), and its C library is an umbrella:
 * libSystem.B.dylib re-exports libsystem_kernel, libsystem_c and the rest,
 * so kqueue() is defined in /usr/lib/system/libsystem_kernel.dylib.  Since
 * macOS 11 none of these files exist on disk (they live in the dyld shared
 * cache), so nothing is opened by path.  The home of a family is the image
 * of dyld's own list whose name matches it (libSystem.B.dylib for "c",
 * libuv.1.dylib for "uv"), asked through a dlopen(RTLD_NOLOAD) handle,
 * which searches that image and what it re-exports; the winner is what
 * dlsym(RTLD_DEFAULT) finds, where an image inserted with
 * DYLD_INSERT_LIBRARIES into a flat namespace shows up first.  Both are
 * named by dladdr(), and the two images differing means the function is
 * interposed.
 */
#include "provenance.h"

#include "dynlib.h"

#include "../base/util.h"

#include <dlfcn.h>
#include <mach-o/dyld.h>
#include <string.h>

static int name_matches_family(const char *path, const char *family)
{
  const char *base = strrchr(path, '/');
  size_t n = strlen(family);

  base = base ? base + 1 : path;
  if (strcmp(family, "c") == 0)
    return strncmp(base, "libSystem.", 10) == 0;
  if (strncmp(base, "lib", 3) != 0 || strncmp(base + 3, family, n) != 0)
    return 0;
  return base[3 + n] == '.' || base[3 + n] == '-' || base[3 + n] == '_';
}

/* Fills home with the family image's own definition of function. */
static void find_home(const char *function, const char *family, struct lp_provider *out,
                      const void **home_base)
{
  uint32_t i, n = _dyld_image_count();

  for (i = 0; i < n; i++) {
    const char *name = _dyld_get_image_name(i);
    void *h = NULL, *sym = NULL;
    Dl_info info;
    if (!name || !name_matches_family(name, family))
      continue;
    h = dlopen(name, RTLD_LAZY | RTLD_NOLOAD);
    if (!h)
      continue;
    sym = dlsym(h, function);
    if (sym && dladdr(sym, &info) && info.dli_fname) {
      lp_strlcpy(out->home, info.dli_fname, sizeof(out->home));
      *home_base = info.dli_fbase;
    }
    dlclose(h);
    return;
  }
}

void lp_provenance(const char *function, const char *family, struct lp_provider *out)
{
  const void *home_base = NULL;
  void *sym = NULL;
  Dl_info info;

  memset(out, 0, sizeof(*out));
  lp_strlcpy(out->function, function, sizeof(out->function));
  find_home(function, family, out, &home_base);
  sym = dlsym(RTLD_DEFAULT, function);
  if (!sym || !dladdr(sym, &info) || !info.dli_fname)
    return;
  lp_strlcpy(out->object, info.dli_fname, sizeof(out->object));
  out->interposed = home_base && info.dli_fbase != home_base;
  out->sanitizer = out->interposed && lp_sanitizer_runtime(out->object);
}
