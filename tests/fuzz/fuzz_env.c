/* SPDX-License-Identifier: MIT */
/*
 * fuzz_env.c - the environment allow-list and its redaction, on an
 * environment made of fuzz bytes (names built from the allow-list, its
 * prefixes and secret-looking words, values of any bytes, the same name
 * more than once, entries without '=').
 *
 *   every name reported is allow-listed, once, in order;
 *   its value is the first one in the environment, as getenv() returns
 *   it - or "<redacted>" when the name looks secret, and a name holding
 *   PASS, PWD, TOKEN, SECRET, KEY, CRED or AUTH always does;
 *   a name set twice gets a note, and no note holds a value;
 *   no value of a secret-looking name, and no value of a name off the
 *   allow-list, appears in any of the three reports (each such value is a
 *   canary the writers' output is searched for), and the JSON parses
 *   strictly - with no key twice.
 */
#include "fuzz.h"

#include "report/writers.h"

#include <stdlib.h>
#include <string.h>

#define CANARY "C4NARY-value-7f3a"
#define MAX_ENTRIES 16

extern char **environ;

static const char *const words[] = {
    "EVENT_NO", "FAKETIME", "FAKETIME_", "_PASS", "_PWD", "TOKEN", "Secret", "_KEY", "CRED",
    "AUTH",     "_PW",      "PIN",       "pass",  "",     "_",     "LD_",    "UV_",  "X",
};

/* The list: names holding one of these words must be redacted. */
static const char *const must_redact[] = {"PASS", "PWD", "TOKEN", "SECRET", "KEY", "CRED", "AUTH"};

static int allowed(const char *name)
{
  const char *exact;
  size_t i;

  for (i = 0; (exact = lp_env_allowed_name(i)) != NULL; i++)
    if (strcmp(name, exact) == 0)
      return 1;
  return strncmp(name, "EVENT_NO", 8) == 0 || strncmp(name, "FAKETIME", 8) == 0;
}

static int looks_secret(const char *name)
{
  size_t i;

  for (i = 0; i < sizeof(must_redact) / sizeof(must_redact[0]); i++)
    if (fz_has_nocase(name, must_redact[i]))
      return 1;
  return 0;
}

/* A name from the input: pieces of the allow-list and of secret words. */
static char *make_name(struct fz *f, char *names[], size_t n)
{
  unsigned pick = fz_u8(f), parts = 1 + pick % 3, i;
  struct lp_buf b;
  const char *exact = NULL;

  if (n && pick >= 0xe0) /* the same name again */
    return lp_strdup(names[pick % n]);
  lp_buf_init(&b);
  if (pick & 0x10 && (exact = lp_env_allowed_name(fz_u8(f) % 32)) != NULL)
    lp_buf_puts(&b, exact);
  for (i = 0; i < parts; i++) {
    lp_buf_puts(&b, words[fz_u8(f) % (sizeof(words) / sizeof(words[0]))]);
    if (pick & 0x20)
      lp_buf_puts(&b, fz_str(f));
  }
  if (b.data) /* the name ends where an entry's name ends */
    b.data[strcspn(b.data, "=")] = '\0';
  if (b.data && strstr(b.data, CANARY)) /* the canary marks values, never names */
    b.data[0] = '\0';
  return b.data ? b.data : lp_strdup("");
}

/* The first value name has in env (entries NAME=VALUE), or NULL. */
static const char *first_value(char **env, const char *name)
{
  size_t n = strlen(name);

  for (; *env; env++)
    if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
      return *env + n + 1;
  return NULL;
}

static size_t times_set(char **env, const char *name)
{
  size_t n = strlen(name), t = 0;

  for (; *env; env++)
    t += strncmp(*env, name, n) == 0 && (*env)[n] == '=';
  return t;
}

static void check_host(const struct lp_host *h, char **env)
{
  size_t i, k;

  for (i = 0; i < h->nenv; i++) {
    const char *name = h->env[i].name, *want = first_value(env, name);
    FZ_CHECK(allowed(name), name, strlen(name), "a name off the allow-list is reported");
    FZ_CHECK(want != NULL, name, strlen(name), "a name not in the environment is reported");
    FZ_CHECK(i == 0 || strcmp(h->env[i - 1].name, name) < 0, name, strlen(name),
             "names not unique and in order");
    FZ_CHECK(!looks_secret(name) || lp_env_secret(name), name, strlen(name),
             "a name with a secret word is not taken for a secret");
    if (lp_env_secret(name))
      FZ_CHECK(strcmp(h->env[i].value, "<redacted>") == 0, name, strlen(name),
               "a secret-looking name's value is reported");
    else
      FZ_CHECK(strcmp(h->env[i].value, want) == 0, h->env[i].value, strlen(h->env[i].value),
               "the value reported is not the first, the one getenv() returns");
    if (times_set(env, name) > 1) {
      for (k = 0; k < h->notes.n && !strstr(h->notes.v[k], name); k++)
        ;
      FZ_CHECK(k < h->notes.n, name, strlen(name), "a name set twice has no note");
    }
  }
  for (k = 0; k < h->notes.n; k++)
    FZ_CHECK(!strstr(h->notes.v[k], CANARY), h->notes.v[k], strlen(h->notes.v[k]),
             "a note holds a secret value");
}

static void check_reports(struct lp_report *r)
{
  enum lp_format fmts[] = {LP_FORMAT_JSON, LP_FORMAT_TEXT, LP_FORMAT_MARKDOWN};
  char err[160];
  size_t i, n = 0;

  for (i = 0; i < 3; i++) {
    char *out = lp_report_format(r, fmts[i], 0, &n);
    FZ_CHECK(out, NULL, 0, "a writer failed");
    FZ_CHECK(!strstr(out, CANARY), out, n, "a secret or unlisted value reached a report");
    if (fmts[i] == LP_FORMAT_JSON)
      FZ_CHECK(fz_json_check(out, n, err, sizeof(err)) == 0, out, n, "JSON: %s", err);
    lp_free(out);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fz f;
  char *names[MAX_ENTRIES], *env[MAX_ENTRIES + 1], **saved = environ;
  size_t n = 0, i, count;
  struct lp_report *r = lp_report_new();

  if (!r)
    abort();
  fz_self_test();
  fz_begin(&f, data, size);
  count = fz_u8(&f) % (MAX_ENTRIES + 1);
  for (n = 0; n < count; n++) {
    char *name = make_name(&f, names, n);
    const char *value = fz_str(&f);
    struct lp_buf e;
    if (lp_env_secret(name) || looks_secret(name) || !allowed(name) || strstr(value, CANARY))
      value = lp_env_secret(name) || looks_secret(name) || !allowed(name) ? CANARY : "x";
    lp_buf_init(&e);
    if (fz_u8(&f) == 0x3d) /* now and then an entry without '=' */
      lp_buf_printf(&e, "%s%s", name, value);
    else
      lp_buf_printf(&e, "%s=%s", name, value);
    names[n] = name;
    env[n] = e.data ? e.data : lp_strdup("");
  }
  env[n] = NULL;
  environ = env;
  i = (size_t)lp_env_collect(&r->host);
  environ = saved;
  FZ_CHECK(i == 0, NULL, 0, "lp_env_collect failed");
  check_host(&r->host, env);
  check_reports(r);
  for (i = 0; i < n; i++) {
    free(names[i]);
    free(env[i]);
  }
  lp_report_free(r);
  fz_end(&f);
  return 0;
}
