/* SPDX-License-Identifier: MIT */
/*
 * env.c - the environment variables a report may carry.
 *
 * Only names on the allow-list below are ever read into a report, and a
 * name that looks like it holds a secret is reported as "<redacted>" even
 * when a prefix rule admits it.  Everything a report prints about the
 * environment comes from here.
 */
#include "host.h"

#include <ctype.h>
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

/* Families: libevent's EVENT_NO<METHOD>, libfaketime's FAKETIME*. */
static const char *const prefixes[] = {"EVENT_NO", "FAKETIME"};

/* Substrings that mark a name as secret, compared case-insensitively. */
static const char *const secret_words[] = {
    "TOKEN",  "SECRET",     "PASSW",   "PASSPHRASE", "KEY",       "AUTH",
    "COOKIE", "CREDENTIAL", "PRIVATE", "SESSION",    "SIGNATURE", "CERT",
};

int lp_env_allowed(const char *name)
{
  size_t i;

  for (i = 0; i < LP_ARRAY_LEN(exact); i++)
    if (strcmp(name, exact[i]) == 0)
      return 1;
  for (i = 0; i < LP_ARRAY_LEN(prefixes); i++)
    if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
      return 1;
  return 0;
}

static int contains_nocase(const char *hay, const char *needle)
{
  size_t n = strlen(needle);

  for (; *hay; hay++) {
    size_t i = 0;
    while (i < n && hay[i] && toupper((unsigned char)hay[i]) == needle[i])
      i++;
    if (i == n)
      return 1;
  }
  return 0;
}

int lp_env_secret(const char *name)
{
  size_t i;

  for (i = 0; i < LP_ARRAY_LEN(secret_words); i++)
    if (contains_nocase(name, secret_words[i]))
      return 1;
  return 0;
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

int lp_env_collect(struct lp_host *h)
{
  char **e;

  for (e = lp_os_environ(); e && *e; e++) {
    const char *eq = strchr(*e, '=');
    char name[128];
    size_t n = eq ? (size_t)(eq - *e) : 0;
    if (!eq || n == 0 || n >= sizeof(name))
      continue;
    memcpy(name, *e, n);
    name[n] = '\0';
    if (lp_env_allowed(name) && add_var(h, name, eq + 1) < 0)
      return -1;
  }
  if (h->nenv > 1)
    qsort(h->env, h->nenv, sizeof(*h->env), by_name);
  return 0;
}
