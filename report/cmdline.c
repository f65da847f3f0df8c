/* SPDX-License-Identifier: MIT */
/*
 * cmdline.c - the command line a report records (tool.command_line): the
 * arguments quoted for a POSIX shell, so that a person can run it again,
 * and with the values of secret-looking options and NAME=VALUE arguments
 * replaced by <redacted>, by the rule the environment allow-list uses
 * (lp_env_secret()).  An embedding program may pass its own argv, which
 * can hold anything: "--api-key=...", "PGPASSWORD=...".
 *
 * Traps: the quoting is only for reading and pasting; the writers escape
 * the result again for their format (JSON, Markdown), so bytes that a
 * shell quote cannot make harmless (a terminal escape) never reach a
 * reader raw.  A redacted value is never copied anywhere, not even to a
 * temporary buffer that outlives the call.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#define REDACTED "<redacted>"

/* 1 when s needs no quotes in a POSIX shell. */
static int plain_word(const char *s)
{
  if (!*s)
    return 0;
  for (; *s; s++)
    if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@%+=:,./_-", *s))
      return 0;
  return 1;
}

static void quoted(struct lp_buf *b, const char *s)
{
  if (plain_word(s)) {
    lp_buf_puts(b, s);
    return;
  }
  lp_buf_putc(b, '\'');
  for (; *s; s++)
    if (*s == '\'')
      lp_buf_puts(b, "'\\''");
    else
      lp_buf_putc(b, *s);
  lp_buf_putc(b, '\'');
}

/* The name an argument gives a value to: "--api-key=x" and "--api-key" name
   "api-key", "TOKEN=x" names "TOKEN"; NULL for anything else.  *value is
   where the value starts in arg, or NULL when it comes in the next one. */
static int named(const char *arg, char *name, size_t size, const char **value)
{
  const char *start = arg, *eq = NULL;
  size_t n;

  *value = NULL;
  while (*start == '-')
    start++;
  eq = strchr(start, '=');
  n = eq ? (size_t)(eq - start) : strlen(start);
  if (n == 0 || n >= size || (start == arg && !eq))
    return 0;
  if (start == arg && strspn(start, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                    "0123456789_") != n)
    return 0; /* NAME=VALUE only for a variable name */
  memcpy(name, start, n);
  name[n] = '\0';
  *value = eq ? eq + 1 : NULL;
  return 1;
}

/* Appends arg, redacted as needed; returns 1 when the next argument is the
   value of a secret option. */
static int argument(struct lp_buf *b, const char *arg)
{
  char name[256];
  const char *value = NULL;
  struct lp_buf kept;

  if (!named(arg, name, sizeof(name), &value) || !lp_env_secret(name)) {
    quoted(b, arg);
    return 0;
  }
  if (!value) {
    quoted(b, arg);
    return arg[0] == '-';
  }
  lp_buf_init(&kept);
  lp_buf_putn(&kept, arg, (size_t)(value - arg));
  lp_buf_puts(&kept, REDACTED);
  if (lp_buf_failed(&kept))
    b->failed = 1;
  else
    quoted(b, kept.data);
  lp_buf_free(&kept);
  return 0;
}

int lp_report_set_command_line(struct lp_report *r, int argc, const char *const *argv)
{
  struct lp_buf b;
  int i, secret_next = 0;
  char *line = NULL;

  if (!r)
    return -1;
  if (argc > 0 && argv) {
    lp_buf_init(&b);
    for (i = 0; i < argc && argv[i]; i++) {
      if (i)
        lp_buf_putc(&b, ' ');
      if (secret_next && argv[i][0] != '-') {
        lp_buf_puts(&b, "'" REDACTED "'");
        secret_next = 0;
        continue;
      }
      secret_next = argument(&b, argv[i]);
    }
    line = lp_buf_take(&b, NULL); /* NULL when an append failed */
    if (!line)
      return -1;
  }
  free(r->command_line);
  r->command_line = line;
  return 0;
}

const char *lp_report_command_line(const struct lp_report *r)
{
  return r ? r->command_line : NULL;
}
