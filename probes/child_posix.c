/* SPDX-License-Identifier: MIT */
/*
 * child_posix.c - lp_child_main() where fork() exists: the runner forks
 * its children and never starts the program again, so there is nothing to
 * serve and the call returns at once.
 */
#include "loopprobe.h"

int lp_child_main(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return 0;
}
