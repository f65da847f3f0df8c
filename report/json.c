/* SPDX-License-Identifier: MIT */
/*
 * json.c - the loopprobe/1 JSON report (docs/loopprobe-1.schema.json).
 * Keys come in a fixed order and the output is indented the same way every
 * time, so reports diff cleanly; every string goes through lp_esc_json().
 */
#include "escape.h"
#include "writers.h"

static void key(struct lp_buf *b, int indent, const char *k)
{
  lp_buf_repeat(b, ' ', (size_t)indent);
  lp_esc_json(b, k);
  lp_buf_puts(b, ": ");
}

static void str_or_null(struct lp_buf *b, const char *s)
{
  if (s)
    lp_esc_json(b, s);
  else
    lp_buf_puts(b, "null");
}

static void int_or_null(struct lp_buf *b, long long v)
{
  if (v < 0)
    lp_buf_puts(b, "null");
  else
    lp_buf_printf(b, "%lld", v);
}

static void str_list(struct lp_buf *b, const struct lp_strv *sv)
{
  size_t i;

  lp_buf_putc(b, '[');
  for (i = 0; i < sv->n; i++) {
    if (i)
      lp_buf_puts(b, ", ");
    lp_esc_json(b, sv->v[i]);
  }
  lp_buf_putc(b, ']');
}

/* -1 (unlimited or unreadable) is null. */
static void limit(struct lp_buf *b, const char *name, long long v, int last)
{
  lp_esc_json(b, name);
  lp_buf_puts(b, ": ");
  int_or_null(b, v);
  lp_buf_puts(b, last ? "" : ", ");
}

static void limits(const struct lp_limits *l, struct lp_buf *b)
{
  if (!l->known) {
    lp_buf_puts(b, "null");
    return;
  }
  lp_buf_putc(b, '{');
  limit(b, "nofile_soft", l->nofile_soft, 0);
  limit(b, "nofile_hard", l->nofile_hard, 0);
  limit(b, "memlock_soft", l->memlock_soft, 0);
  limit(b, "epoll_max_user_watches", l->epoll_max_user_watches, 0);
  limit(b, "aio_max_nr", l->aio_max_nr, 0);
  limit(b, "aio_nr", l->aio_nr, 1);
  lp_buf_putc(b, '}');
}

static void host(const struct lp_host *h, struct lp_buf *b)
{
  size_t i;

  lp_buf_puts(b, "{\n");
  key(b, 4, "name"), str_or_null(b, h->name), lp_buf_puts(b, ",\n");
  key(b, 4, "anonymized"), lp_buf_puts(b, h->anonymized ? "true,\n" : "false,\n");
  key(b, 4, "os"), str_or_null(b, h->os), lp_buf_puts(b, ",\n");
  key(b, 4, "kernel"), str_or_null(b, h->kernel), lp_buf_puts(b, ",\n");
  key(b, 4, "arch"), str_or_null(b, h->arch), lp_buf_puts(b, ",\n");
  key(b, 4, "libc"), str_or_null(b, h->libc), lp_buf_puts(b, ",\n");
  key(b, 4, "seccomp"), str_or_null(b, lp_seccomp_name(h->seccomp_mode)), lp_buf_puts(b, ",\n");
  key(b, 4, "seccomp_filters"), int_or_null(b, h->seccomp_filters), lp_buf_puts(b, ",\n");
  key(b, 4, "tracer_pid"), int_or_null(b, h->tracer_pid), lp_buf_puts(b, ",\n");
  key(b, 4, "tracer"), str_or_null(b, h->tracer_name), lp_buf_puts(b, ",\n");
  key(b, 4, "io_uring_disabled"), int_or_null(b, h->io_uring_disabled), lp_buf_puts(b, ",\n");
  key(b, 4, "preload"), str_list(b, &h->preload), lp_buf_puts(b, ",\n");
  key(b, 4, "ld_so_preload"), str_list(b, &h->ld_so_preload), lp_buf_puts(b, ",\n");
  key(b, 4, "virt"), str_or_null(b, h->virt), lp_buf_puts(b, ",\n");
  key(b, 4, "virt_evidence"), str_list(b, &h->virt_evidence), lp_buf_puts(b, ",\n");
  key(b, 4, "env");
  lp_buf_putc(b, '{');
  for (i = 0; i < h->nenv; i++) {
    lp_buf_puts(b, i ? ", " : "");
    lp_esc_json(b, h->env[i].name);
    lp_buf_puts(b, ": ");
    lp_esc_json(b, h->env[i].value);
  }
  lp_buf_puts(b, "},\n");
  key(b, 4, "limits"), limits(&h->limits, b), lp_buf_puts(b, ",\n");
  key(b, 4, "emulator"), str_or_null(b, h->emulator), lp_buf_puts(b, ",\n");
  key(b, 4, "emulator_evidence"), str_list(b, &h->emulator_evidence), lp_buf_puts(b, ",\n");
  key(b, 4, "libc_clock_rate");
  if (h->libc_clock_rate > 0)
    lp_buf_printf(b, "%.3f,\n", h->libc_clock_rate);
  else
    lp_buf_puts(b, "null,\n");
  key(b, 4, "time_wrappers"), str_list(b, &h->time_wrappers), lp_buf_puts(b, ",\n");
  key(b, 4, "notes"), str_list(b, &h->notes), lp_buf_putc(b, '\n');
  lp_buf_puts(b, "  }");
}

static void libraries(const struct lp_report *r, struct lp_buf *b)
{
  size_t i;

  lp_buf_putc(b, '[');
  for (i = 0; i < r->nlibs; i++) {
    const struct lp_library *l = &r->libs[i];
    lp_buf_puts(b, i ? ",\n    {" : "\n    {");
    lp_esc_json(b, "name"), lp_buf_puts(b, ": "), str_or_null(b, l->name);
    lp_buf_puts(b, ", "), lp_esc_json(b, "compiled"), lp_buf_puts(b, ": "),
        str_or_null(b, l->compiled);
    lp_buf_puts(b, ", "), lp_esc_json(b, "runtime"), lp_buf_puts(b, ": "),
        str_or_null(b, l->runtime);
    lp_buf_puts(b, ", "), lp_esc_json(b, "default_mechanism"), lp_buf_puts(b, ": ");
    str_or_null(b, l->default_mechanism);
    lp_buf_puts(b, ",\n     "), lp_esc_json(b, "soname"), lp_buf_puts(b, ": "),
        str_or_null(b, l->soname);
    lp_buf_puts(b, ", "), lp_esc_json(b, "path"), lp_buf_puts(b, ": "), str_or_null(b, l->path);
    lp_buf_puts(b, ", "), lp_esc_json(b, "given"), lp_buf_puts(b, l->given ? ": true" : ": false");
    lp_buf_putc(b, '}');
  }
  lp_buf_puts(b, r->nlibs ? "\n  ]" : "]");
}

static void cell(const struct lp_cell *c, struct lp_buf *b)
{
  lp_buf_puts(b, "    {\"mechanism\": ");
  lp_esc_json(b, lp_mechanism_name(c->mech));
  lp_buf_puts(b, ", \"layer\": ");
  lp_esc_json(b, lp_layer_name(c->layer));
  lp_buf_puts(b, ", \"verdict\": ");
  lp_esc_json(b, lp_verdict_name(c->verdict));
  lp_buf_puts(b, ",\n     \"detail\": ");
  lp_esc_json(b, c->detail);
  lp_buf_puts(b, ",\n     \"errno\": ");
  str_or_null(b, c->err_name);
  lp_buf_puts(b, ", \"signal\": ");
  str_or_null(b, c->signal_name);
  lp_buf_puts(b, ", \"provider\": ");
  str_or_null(b, c->provider);
  lp_buf_puts(b, ", \"elapsed_us\": ");
  int_or_null(b, c->elapsed_us);
  lp_buf_putc(b, '}');
}

static void finding(const struct lp_finding *f, struct lp_buf *b)
{
  lp_buf_puts(b, "    {\"severity\": ");
  lp_esc_json(b, lp_severity_name(f->severity));
  lp_buf_puts(b, ", \"kind\": ");
  lp_esc_json(b, lp_finding_kind_name(f->kind));
  lp_buf_puts(b, ", \"mechanism\": ");
  str_or_null(b, f->mech >= 0 ? lp_mechanism_name((enum lp_mechanism)f->mech) : NULL);
  lp_buf_puts(b, ", \"layer\": ");
  str_or_null(b, f->layer >= 0 ? lp_layer_name((enum lp_layer)f->layer) : NULL);
  lp_buf_puts(b, ",\n     \"cells\": ");
  str_list(b, &f->cells);
  lp_buf_puts(b, ",\n     \"summary\": ");
  lp_esc_json(b, f->summary);
  lp_buf_puts(b, ",\n     \"evidence\": ");
  str_list(b, &f->evidence);
  lp_buf_puts(b, ",\n     \"hint\": ");
  lp_esc_json(b, f->hint);
  lp_buf_putc(b, '}');
}

void lp_write_json(const struct lp_report *r, struct lp_buf *b)
{
  size_t i;

  lp_buf_puts(b, "{\n");
  key(b, 2, "schema"), lp_esc_json(b, LP_SCHEMA), lp_buf_puts(b, ",\n");
  key(b, 2, "tool");
  lp_buf_printf(
      b, "{\"name\": \"loopprobe\", \"version\": \"%s\", \"command_line\": ", LP_VERSION_STRING);
  str_or_null(b, r->command_line);
  lp_buf_puts(b, "},\n");
  key(b, 2, "generated_at"), lp_esc_json(b, r->generated_at), lp_buf_puts(b, ",\n");
  key(b, 2, "host"), host(&r->host, b), lp_buf_puts(b, ",\n");
  key(b, 2, "libraries"), libraries(r, b), lp_buf_puts(b, ",\n");
  key(b, 2, "cells");
  lp_buf_puts(b, "[\n");
  for (i = 0; i < r->ncells; i++) {
    cell(&r->cells[i], b);
    lp_buf_puts(b, i + 1 < r->ncells ? ",\n" : "\n");
  }
  lp_buf_puts(b, "  ],\n");
  key(b, 2, "findings");
  lp_buf_puts(b, r->nfindings ? "[\n" : "[");
  for (i = 0; i < r->nfindings; i++) {
    finding(&r->findings[i], b);
    lp_buf_puts(b, i + 1 < r->nfindings ? ",\n" : "\n  ");
  }
  lp_buf_puts(b, "],\n");
  key(b, 2, "exit_code"), lp_buf_printf(b, "%d\n", r->exit_code);
  lp_buf_puts(b, "}\n");
}
