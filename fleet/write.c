/* SPDX-License-Identifier: MIT */
/*
 * write.c - helpers of the diff and fleet writers (write.h), and their
 * result: the document, the problems, the status.
 */
#include "write.h"

#include <string.h>

void lpf_verdict(struct lp_buf *b, const struct lp_buf *line)
{
  lp_buf_puts(b, "verdict: ");
  lp_esc_text(b, line->data ? line->data : "");
  lp_buf_putc(b, '\n');
  if (lp_buf_failed(line))
    b->failed = 1;
}

void lpf_json_str(struct lp_buf *b, const char *s)
{
  if (s)
    lp_esc_json(b, s);
  else
    lp_buf_puts(b, "null");
}

void lpf_json_key(struct lp_buf *b, int indent, const char *key)
{
  lp_buf_repeat(b, ' ', (size_t)indent);
  lp_esc_json(b, key);
  lp_buf_puts(b, ": ");
}

void lpf_json_strv(struct lp_buf *b, const struct lp_strv *sv)
{
  size_t i;

  lp_buf_putc(b, '[');
  for (i = 0; i < sv->n; i++) {
    lp_buf_puts(b, i ? ", " : "");
    lp_esc_json(b, sv->v[i]);
  }
  lp_buf_putc(b, ']');
}

void lpf_json_tool(struct lp_buf *b)
{
  lp_buf_printf(b, "{\"name\": \"loopprobe\", \"version\": \"%s\"}", LP_VERSION_STRING);
}

void lpf_md(struct lp_buf *b, const char *s)
{
  if (s && *s)
    lp_esc_md(b, s);
  else
    lp_buf_putc(b, '-');
}

void lpf_label(char *buf, size_t size, const struct lpf_report *r, const char *file)
{
  const char *base = NULL;
  size_t n;

  if (r && r->host && *r->host) {
    lp_strlcpy(buf, r->host, size);
    return;
  }
  if (!file) {
    lp_strlcpy(buf, "this run", size);
    return;
  }
  base = strrchr(file, '/');
  base = base ? base + 1 : file;
  n = strlen(base);
  if (n > 5 && strcmp(base + n - 5, ".json") == 0)
    n -= 5;
  lp_fmt(buf, size, "%.*s", (int)n, base);
}

const char *lpf_plural(size_t n, const char *one, const char *many)
{
  return n == 1 ? one : many;
}

void lpf_result_init(struct lpf_result *res)
{
  memset(res, 0, sizeof(*res));
  lp_buf_init(&res->doc);
}

void lpf_result_free(struct lpf_result *res)
{
  lp_buf_free(&res->doc);
  lp_strv_free(&res->problems);
}

void lpf_problem(struct lpf_result *res, const char *file, const char *why)
{
  struct lp_buf b;

  lp_buf_init(&b);
  lp_esc_text(&b, file);
  lp_buf_puts(&b, ": ");
  lp_esc_text(&b, why);
  if (lp_buf_failed(&b) || lp_strv_add(&res->problems, b.data) < 0)
    res->status = 3;
  lp_buf_free(&b);
}
