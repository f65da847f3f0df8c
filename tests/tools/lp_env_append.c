/* SPDX-License-Identifier: MIT */
/*
 * lp_env_append - runs a command with entries appended to its environment
 * as they are, even when the name is already there:
 *
 *   lp_env_append NAME=VALUE... -- COMMAND [ARG...]
 *
 * setenv(), env(1) and every scripting language's environment mapping
 * replace an existing name, so none can make the environment a process
 * really may receive from execve(): the same name twice.  getenv() then
 * returns the first entry, and a program walking environ sees both.  Used
 * by the tests; it is not part of loopprobe.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
  size_t have = 0, add = 0, i;
  char **env = NULL;
  int sep = 1;

  while (sep < argc && strcmp(argv[sep], "--") != 0)
    sep++;
  if (sep + 1 >= argc) {
    fprintf(stderr, "usage: lp_env_append NAME=VALUE... -- COMMAND [ARG...]\n");
    return 2;
  }
  while (environ[have])
    have++;
  add = (size_t)sep - 1;
  env = calloc(have + add + 1, sizeof(*env));
  if (!env) {
    perror("lp_env_append: calloc");
    return 1;
  }
  for (i = 0; i < have; i++)
    env[i] = environ[i];
  for (i = 0; i < add; i++)
    env[have + i] = argv[1 + i];
  execve(argv[sep + 1], argv + sep + 1, env);
  fprintf(stderr, "lp_env_append: execve %s: ", argv[sep + 1]);
  perror(NULL);
  free(env);
  return 127;
}
