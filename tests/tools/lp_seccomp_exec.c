/* SPDX-License-Identifier: MIT */
/*
 * lp_seccomp_exec - runs a command under a real seccomp filter, the way a
 * container runtime would: installed with libseccomp, inherited across
 * exec, answering the named system calls with an errno or killing.
 *
 *   lp_seccomp_exec errno:EPERM|errno:ENOSYS|kill SYSCALL[,SYSCALL...] -- COMMAND [ARG...]
 *
 * A SYSCALL written NAME/ARG/MASK/VALUE applies only when argument number
 * ARG, masked with MASK, equals VALUE: clone/0/0x10100/0x100 is clone()
 * with CLONE_VM but without CLONE_THREAD (a process sharing its parent's
 * memory), which some sandboxes refuse while they allow threads and fork.
 *
 * Used by the tests to create the situations loopprobe must classify; it
 * is not part of loopprobe.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int action_of(const char *s, uint32_t *action)
{
  if (strcmp(s, "kill") == 0)
    *action = SCMP_ACT_KILL_PROCESS;
  else if (strcmp(s, "errno:EPERM") == 0)
    *action = SCMP_ACT_ERRNO(EPERM);
  else if (strcmp(s, "errno:ENOSYS") == 0)
    *action = SCMP_ACT_ERRNO(ENOSYS);
  else if (strcmp(s, "errno:EACCES") == 0)
    *action = SCMP_ACT_ERRNO(EACCES);
  else
    return -1;
  return 0;
}

static int add_rules(scmp_filter_ctx ctx, uint32_t action, char *list)
{
  char *save = NULL, *name;

  for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
    char *cond = strchr(name, '/');
    unsigned arg = 0;
    unsigned long long mask = 0, value = 0;
    int nr, rc;
    if (cond) {
      *cond++ = '\0';
      if (sscanf(cond, "%u/%lli/%lli", &arg, &mask, &value) != 3 || arg > 5) {
        fprintf(stderr, "lp_seccomp_exec: '%s' is not ARG/MASK/VALUE\n", cond);
        return -1;
      }
    }
    nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) {
      fprintf(stderr, "lp_seccomp_exec: unknown system call '%s'\n", name);
      return -1;
    }
    if (cond)
      rc = seccomp_rule_add(
          ctx, action, nr, 1,
          SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, (scmp_datum_t)mask, (scmp_datum_t)value));
    else
      rc = seccomp_rule_add(ctx, action, nr, 0);
    if (rc < 0) {
      fprintf(stderr, "lp_seccomp_exec: seccomp_rule_add(%s): %s\n", name, strerror(-rc));
      return -1;
    }
  }
  return 0;
}

int main(int argc, char **argv)
{
  scmp_filter_ctx ctx = NULL;
  uint32_t action = 0;
  int rc;

  if (argc < 5 || strcmp(argv[3], "--") != 0 || action_of(argv[1], &action) < 0) {
    fprintf(
        stderr,
        "usage: %s errno:EPERM|errno:ENOSYS|errno:EACCES|kill SYSCALL[/ARG/MASK/VALUE][,...] -- "
        "COMMAND [ARG...]\n",
        argv[0]);
    return 2;
  }
  ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (!ctx) {
    fprintf(stderr, "lp_seccomp_exec: seccomp_init failed\n");
    return 2;
  }
  if (add_rules(ctx, action, argv[2]) < 0)
    return 2;
  rc = seccomp_load(ctx);
  seccomp_release(ctx);
  if (rc < 0) {
    fprintf(stderr, "lp_seccomp_exec: seccomp_load: %s\n", strerror(-rc));
    return 2;
  }
  execvp(argv[4], argv + 4);
  fprintf(stderr, "lp_seccomp_exec: cannot run %s: %s\n", argv[4], strerror(errno));
  return 127;
}
