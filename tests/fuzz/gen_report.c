/* SPDX-License-Identifier: MIT */
/*
 * gen_report.c - a report made of fuzz bytes, for the targets that write
 * reports (fuzz_writers) and read them back (fuzz_reader): every string is
 * fuzz bytes - host facts, environment values, libraries, cells, findings,
 * the command line, the time stamp - and so are verdicts, kinds and
 * numbers.  Only what the model itself guarantees is kept: environment
 * names as the allow-list admits them, each once (lp_env_collect()),
 * finite clock rates (entry/run.c), cells in table order.
 */
#include "fuzz.h"

#include "probes/host.h"
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

static char *opt_str(struct fz *f)
{
  return fz_u8(f) & 1 ? lp_strdup(fz_str(f)) : NULL;
}

static void strv(struct fz *f, struct lp_strv *sv)
{
  unsigned n = fz_u8(f) % 4;

  while (n--)
    lp_strv_add(sv, fz_str(f));
}

/* An allow-listed name, as lp_env_collect() admits them: one of the exact
   list, or a family's prefix and letters, digits and '_'. */
static char *env_name(struct fz *f)
{
  const char *exact = lp_env_allowed_name(fz_u8(f) % 32), *tail = NULL;
  struct lp_buf b;

  if (exact && fz_u8(f) & 1)
    return lp_strdup(exact);
  lp_buf_init(&b);
  lp_buf_puts(&b, fz_u8(f) & 1 ? "FAKETIME" : "EVENT_NO");
  for (tail = fz_str(f); *tail; tail++)
    if ((*tail >= 'A' && *tail <= 'Z') || (*tail >= 'a' && *tail <= 'z') ||
        (*tail >= '0' && *tail <= '9') || *tail == '_')
      lp_buf_putc(&b, *tail);
  return b.data;
}

static void environment(struct fz *f, struct lp_host *h)
{
  unsigned n = fz_u8(f) % 5, i;

  h->env = calloc(n ? n : 1, sizeof(*h->env));
  if (!h->env)
    abort();
  while (n--) {
    char *name = env_name(f);
    for (i = 0; name && i < h->nenv && strcmp(h->env[i].name, name) != 0; i++)
      ;
    if (!name || !lp_env_allowed(name) || i < h->nenv) { /* the model holds each once */
      free(name);
      continue;
    }
    h->env[h->nenv].name = name;
    h->env[h->nenv].value = lp_strdup(fz_str(f));
    h->nenv++;
  }
}

static void host(struct fz *f, struct lp_host *h)
{
  h->os = opt_str(f);
  h->kernel = opt_str(f);
  h->arch = opt_str(f);
  h->libc = opt_str(f);
  h->seccomp_mode = (int)(fz_u8(f) % 5) - 1;
  h->seccomp_filters = (int)(int8_t)fz_u8(f);
  h->tracer_pid = (long)(int32_t)fz_u32(f);
  h->tracer_name = opt_str(f);
  h->io_uring_disabled = (int)(int8_t)fz_u8(f);
  strv(f, &h->preload);
  strv(f, &h->ld_so_preload);
  h->virt = opt_str(f);
  strv(f, &h->virt_evidence);
  strv(f, &h->notes);
  environment(f, h);
  h->limits.known = fz_u8(f) & 1;
  h->limits.nofile_soft = (long long)fz_u64(f);
  h->limits.nofile_hard = (long long)fz_u64(f);
  h->limits.memlock_soft = (long long)fz_u64(f);
  h->limits.epoll_max_user_watches = (long long)fz_u64(f);
  h->limits.aio_max_nr = (long long)fz_u64(f);
  h->limits.aio_nr = (long long)fz_u64(f);
  h->emulator = opt_str(f);
  h->emulator_translates = fz_u8(f) & 1;
  strv(f, &h->emulator_evidence);
  h->libc_clock_rate = (double)(int32_t)fz_u32(f) / 1000.0; /* finite, as run.c makes it */
  strv(f, &h->time_wrappers);
}

static void cells(struct fz *f, struct lp_report *r)
{
  int m, l;

  r->layers = fz_u8(f) & ((1u << LP_LAYER_COUNT) - 1u);
  for (m = 0; m < LP_MECH_COUNT; m++)
    for (l = 0; l < LP_LAYER_COUNT; l++) {
      struct lp_cell *c = NULL;
      unsigned pick = fz_u8(f);
      if (!(pick & 0x80))
        continue;
      c = lp_report_add_cell(r, (enum lp_mechanism)m, (enum lp_layer)l,
                             (enum lp_verdict)(pick % LP_VERDICT_COUNT), fz_str(f));
      if (!c)
        abort();
      c->err_name = opt_str(f);
      c->signal_name = opt_str(f);
      c->provider = opt_str(f);
      c->elapsed_us = (int64_t)fz_u64(f);
    }
}

static void findings(struct fz *f, struct lp_report *r)
{
  unsigned n = fz_u8(f) % 5;

  while (n--) {
    int mech = (int)(fz_u8(f) % (LP_MECH_COUNT + 1)) - 1;
    int layer = (int)(fz_u8(f) % (LP_LAYER_COUNT + 1)) - 1;
    struct lp_finding *fi = NULL;
    unsigned sev = fz_u8(f) % LP_SEVERITY_COUNT, kind = fz_u8(f) % LP_FINDING_COUNT;
    const char *summary = fz_str(f);
    fi = lp_report_add_finding(r, (enum lp_severity)sev, (enum lp_finding_kind)kind, mech, layer,
                               summary, fz_str(f));
    if (!fi)
      abort();
    strv(f, &fi->cells);
    strv(f, &fi->evidence);
  }
}

static void libraries(struct fz *f, struct lp_report *r)
{
  unsigned n = fz_u8(f) % 4;

  while (n--) {
    struct lp_library *lib = lp_report_add_library(r, fz_str(f));
    if (!lib)
      abort();
    lib->compiled = opt_str(f);
    lib->runtime = opt_str(f);
    lib->default_mechanism = opt_str(f);
  }
}

static void require(struct fz *f, struct lp_report *r)
{
  int m;

  r->has_require = fz_u8(f) & 1;
  for (m = 0; m < LP_MECH_COUNT && r->has_require; m++) {
    r->require.layers[m] = fz_u8(f) & ((1u << LP_LAYER_COUNT) - 1u);
    r->require.named[m] = r->require.layers[m] & fz_u8(f);
  }
}

/* The command line as lp_report_set_command_line() records it. */
static void command_line(struct fz *f, struct lp_report *r)
{
  const char *argv[5];
  int argc = (int)(fz_u8(f) % 6), i;

  for (i = 0; i < argc; i++)
    argv[i] = fz_str(f);
  if (argc && lp_report_set_command_line(r, argc, argv) != 0)
    abort();
}

struct lp_report *fz_report(struct fz *f)
{
  struct lp_report *r = lp_report_new();

  if (!r)
    abort();
  lp_strlcpy(r->generated_at, fz_str(f), sizeof(r->generated_at));
  host(f, &r->host);
  cells(f, r);
  findings(f, r);
  libraries(f, r);
  require(f, r);
  command_line(f, r);
  lp_report_settle(r);
  return r;
}
