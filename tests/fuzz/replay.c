/* SPDX-License-Identifier: MIT */
/*
 * replay.c - main() for a fuzz target built without libFuzzer: runs
 * LLVMFuzzerTestOneInput() once on each file named, or on each file in
 * each directory named (the seed corpus and the inputs fuzzing found), so
 * that the normal suite - and its ASan+UBSan build - checks them all
 * every time.  An input that breaks a property aborts, and the test fails.
 *
 *   fuzz_TARGET [FILE|DIR]...
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int run_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  uint8_t *buf = NULL;
  long len;

  if (!f || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
    fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(errno));
    if (f)
      fclose(f);
    return -1;
  }
  buf = malloc((size_t)len + 1);
  if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
    fprintf(stderr, "replay: cannot read %s\n", path);
    fclose(f);
    free(buf);
    return -1;
  }
  fclose(f);
  LLVMFuzzerTestOneInput(buf, (size_t)len);
  free(buf);
  return 0;
}

static int by_name(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir, in name order. */
static int run_dir(const char *dir, int *count)
{
  DIR *d = opendir(dir);
  struct dirent *e;
  char **names = NULL;
  size_t n = 0, i;
  int rc = 0;

  if (!d) {
    fprintf(stderr, "replay: cannot open %s: %s\n", dir, strerror(errno));
    return -1;
  }
  while ((e = readdir(d)) != NULL) {
    char **more = NULL;
    if (e->d_name[0] == '.')
      continue;
    more = realloc(names, (n + 1) * sizeof(*names));
    if (!more || !(more[n] = malloc(strlen(dir) + strlen(e->d_name) + 2))) {
      names = more;
      rc = -1;
      break;
    }
    names = more;
    sprintf(names[n++], "%s/%s", dir, e->d_name);
  }
  closedir(d);
  if (n)
    qsort(names, n, sizeof(*names), by_name);
  for (i = 0; i < n; i++) {
    if (rc == 0 && run_file(names[i]) < 0)
      rc = -1;
    (*count)++;
    free(names[i]);
  }
  free(names);
  return rc;
}

int main(int argc, char **argv)
{
  int i, count = 0;

  for (i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
      return 1;
    }
    if (S_ISDIR(st.st_mode) ? run_dir(argv[i], &count) < 0 : run_file(argv[i]) < 0)
      return 1;
    count += !S_ISDIR(st.st_mode);
  }
  if (count == 0) {
    fprintf(stderr, "replay: no input to replay\n");
    return 1;
  }
  printf("ok: %d inputs replayed, every property held\n", count);
  return 0;
}
