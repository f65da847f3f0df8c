/* SPDX-License-Identifier: MIT */
/*
 * env.c - the environment variables a report may carry.
 *
 * Only names on the allow-list below are ever read into a report, and a
 * name that looks like it holds a secret (a pattern over its parts, below)
 * is reported as "<redacted>" even when a prefix rule admits it.  A name
 * set twice is reported once, as getenv() sees it.  Everything a report
 * prints about the environment comes from here.
 */
#include "host.h"

#include <stdlib.h>
#include <string.h>

/* Variables that change which mechanism a program gets, or what hid it. */
static const char *const exact[] = {
    "LD_PRELOAD",
    "LD_AUDIT",
    "LD_BIND_NOW",
    "LD_LIBRARY_PATH",
    "DYLD_INSERT_LIBRARIES",
    "DYLD_FORCE_FLAT_NAMESPACE",
    "DYLD_LIBRARY_PATH",
    "LIBEV_FLAGS",
    "EVENT_SHOW_METHOD",
    "EVENT_EPOLL_USE_CHANGELIST",
    "EVENT_PRECISE_TIMER",
    "UV_USE_IO_URING",
    "UV_THREADPOOL_SIZE",
    "RUNNING_UNDER_RR",
    "EVENTLET_HUB",
    "GEVENT_LOOP",
    "GEVENT_BACKEND",
    "NO_COLOR",
    "container",
};

/* Families: libevent's EVENT_NO<METHOD>, libfaketime's FAKETIME*, each
   name of letters, digits and '_'. */
static const char *const prefixes[] = {"EVENT_NO", "FAKETIME"};

/* Words that mark a name as secret wherever they stand in it, in any case:
   FAKETIME_PASS, DB_PASSWORD, ROOTPWD, GITHUB_TOKEN, AWS_ACCESS_KEY_ID. */
static const char *const secret_words[] = {
    "PASS",    "PWD",       "TOKEN", "SECRET",  "KEY",  "CRED",   "AUTH", "COOKIE",
    "SESSION", "SIGNATURE", "CERT",  "PRIVATE", "SALT", "BEARER", "HMAC", "JWT",
};

/* Words too short to look for inside others ("PIN" is in "SPIN"): they
   mark a name as secret when they are one of its parts, split at anything
   but a letter and where a capital follows a small letter (DB_PW, dbPw,
   PIN2, FAKETIME.OTP). */
static const char *const secret_parts[] = {"PW", "PIN", "OTP", "PSK", "DSN"};

/* Letters, digits and '_' only: what the families' own variables are
   named, and what every format writes back unchanged (two names with
   invalid UTF-8 would both become U+FFFD: the same JSON key twice). */
static int plain_name(const char *name)
{
  for (; *name; name++)
    if (!((*name >= 'A' && *name <= 'Z') || (*name >= 'a' && *name <= 'z') ||
          (*name >= '0' && *name <= '9') || *name == '_'))
      return 0;
  return 1;
}

int lp_env_allowed(const char *name)
{
  size_t i;

  for (i = 0; i < LP_ARRAY_LEN(exact); i++)
    if (strcmp(name, exact[i]) == 0)
      return 1;
  for (i = 0; i < LP_ARRAY_LEN(prefixes); i++)
    if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
      return plain_name(name);
  return 0;
}

static int is_lower(char c)
{
  return c >= 'a' && c <= 'z';
}

static int is_letter(char c)
{
  return is_lower(c) || (c >= 'A' && c <= 'Z');
}

static char upper(char c)
{
  return is_lower(c) ? (char)(c - 'a' + 'A') : c;
}

static int contains_nocase(const char *hay, const char *needle)
{
  size_t n = strlen(needle);

  for (; *hay; hay++) {
    size_t i = 0;
    while (i < n && hay[i] && upper(hay[i]) == needle[i])
      i++;
    if (i == n)
      return 1;
  }
  return 0;
}

static int secret_part(const char *p, size_t n)
{
  size_t i, k;

  for (i = 0; i < LP_ARRAY_LEN(secret_parts); i++) {
    if (strlen(secret_parts[i]) != n)
      continue;
    for (k = 0; k < n && upper(p[k]) == secret_parts[i][k]; k++)
      ;
    if (k == n)
      return 1;
  }
  return 0;
}

int lp_env_secret(const char *name)
{
  const char *p = name;
  size_t i;

  for (i = 0; i < LP_ARRAY_LEN(secret_words); i++)
    if (contains_nocase(name, secret_words[i]))
      return 1;
  while (*p) {
    size_t n = 1;
    if (!is_letter(*p)) {
      p++;
      continue;
    }
    while (is_letter(p[n]) && !(is_lower(p[n - 1]) && !is_lower(p[n])))
      n++;
    if (secret_part(p, n))
      return 1;
    p += n;
  }
  return 0;
}

const char *lp_env_allowed_name(size_t i)
{
  return i < LP_ARRAY_LEN(exact) ? exact[i] : NULL;
}

int lp_split_list(const char *s, struct lp_strv *sv)
{
  const char *p = s;

  while (p && *p) {
    size_t n = strcspn(p, " :");
    if (n > 0) {
      char *item = malloc(n + 1);
      int rc;
      if (!item)
        return -1;
      memcpy(item, p, n);
      item[n] = '\0';
      rc = lp_strv_add(sv, item);
      free(item);
      if (rc < 0)
        return -1;
    }
    p += n;
    if (*p)
      p++;
  }
  return 0;
}

static int add_var(struct lp_host *h, const char *name, const char *value)
{
  struct lp_env_var *v = realloc(h->env, (h->nenv + 1) * sizeof(*v));

  if (!v)
    return -1;
  h->env = v;
  v[h->nenv].name = lp_strdup(name);
  v[h->nenv].value = lp_strdup(lp_env_secret(name) ? "<redacted>" : value);
  if (!v[h->nenv].name || !v[h->nenv].value) {
    free(v[h->nenv].name);
    free(v[h->nenv].value);
    return -1;
  }
  h->nenv++;
  return 0;
}

static int by_name(const void *a, const void *b)
{
  return strcmp(((const struct lp_env_var *)a)->name, ((const struct lp_env_var *)b)->name);
}

static struct lp_env_var *find_var(struct lp_host *h, const char *name)
{
  size_t i;

  for (i = 0; i < h->nenv; i++)
    if (strcmp(h->env[i].name, name) == 0)
      return &h->env[i];
  return NULL;
}

/* How many entries of env set name. */
static size_t times_set(char **env, const char *name)
{
  size_t n = strlen(name), times = 0;

  for (; env && *env; env++)
    times += strncmp(*env, name, n) == 0 && (*env)[n] == '=';
  return times;
}

/*
 * execve() may pass the same name twice.  getenv() - so the libraries -
 * reads the first, and that is the one reported (a JSON object with the
 * key twice would leave the choice to each reader, and most keep the
 * last).  A note says the name is set more than once, never with values.
 */
int lp_env_collect(struct lp_host *h)
{
  char **env = lp_os_environ(), **e;
  size_t i;

  for (e = env; e && *e; e++) {
    const char *eq = strchr(*e, '=');
    char name[128];
    size_t n = eq ? (size_t)(eq - *e) : 0;
    if (!eq || n == 0 || n >= sizeof(name))
      continue;
    memcpy(name, *e, n);
    name[n] = '\0';
    if (lp_env_allowed(name) && !find_var(h, name) && add_var(h, name, eq + 1) < 0)
      return -1;
  }
  for (i = 0; i < h->nenv; i++) {
    size_t times = times_set(env, h->env[i].name);
    if (times > 1 &&
        lp_strv_addf(&h->notes,
                     "%s is set %zu times in the environment: the report shows the first value, "
                     "which getenv() and the libraries read; a program that takes the last "
                     "(bash does) may see another",
                     h->env[i].name, times) < 0)
      return -1;
  }
  if (h->nenv > 1)
    qsort(h->env, h->nenv, sizeof(*h->env), by_name);
  return 0;
}
