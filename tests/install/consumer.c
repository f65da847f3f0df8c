/* SPDX-License-Identifier: MIT */
/* A program that uses the installed library: lp_check() and the report. */
#include <loopprobe.h>

#include <stdio.h>

int main(void)
{
  char why[256];
  int rc = lp_check("poll@api", why, sizeof(why));

  printf("loopprobe %s: poll@api %s%s\n", lp_version(), rc == 0 ? "ok" : "not ok: ", why);
  return rc;
}
