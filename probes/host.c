/* SPDX-License-Identifier: MIT */
/*
 * host.c - what every platform's host facts share: releasing them.  The
 * facts themselves are read by host_<os>.c.
 */
#include "host.h"

#include <stdlib.h>
#include <string.h>

void lp_host_free(struct lp_host *h)
{
  size_t i;

  free(h->name);
  free(h->os);
  free(h->kernel);
  free(h->arch);
  free(h->libc);
  free(h->tracer_name);
  free(h->virt);
  free(h->emulator);
  lp_strv_free(&h->preload);
  lp_strv_free(&h->ld_so_preload);
  lp_strv_free(&h->virt_evidence);
  lp_strv_free(&h->emulator_evidence);
  lp_strv_free(&h->notes);
  lp_strv_free(&h->time_wrappers);
  for (i = 0; i < h->nenv; i++) {
    free(h->env[i].name);
    free(h->env[i].value);
  }
  free(h->env);
  memset(h, 0, sizeof(*h));
}
