/* SPDX-License-Identifier: MIT */
/*
 * identity.c - who wrote a report, and hiding it: --host-name and
 * --anonymize (fleet.h says what the anonymous name is and where its salt
 * comes from).
 *
 * A path is "under a home directory" when it starts, at the start of a
 * word (after a blank, a quote, '=', ':', ',', ';' or an opening
 * bracket), with /home/, /root, /Users/, /var/home/, /usr/home/, a
 * drive's \Users\, or the running user's $HOME (%USERPROFILE% on
 * Windows); it ends at a blank, a quote, ',', ';', ':' or a closing
 * bracket.  A path with a blank in it is cut there: the part after the
 * blank stays.  The host name is replaced where it stands as a whole
 * word (not inside a longer name; "web-07.example.com" becomes
 * "host-....example.com"), and only when it is 3 characters or longer,
 * so that a name like "a" does not eat every "a".
 *
 * Traps: the salt must never reach the report: LOOPPROBE_SALT is not on
 * the environment allow-list, and the salt is read here, never stored.
 * The strings are rewritten in place in the report, which owns them.
 */
#define _POSIX_C_SOURCE 200809L
#include "fleet.h"
#include "sha256.h"

#include "../report/report.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOME_PATH "<home path>"
#define NAME_HEX 12

int lpf_set_host_name(struct lp_report *r, const char *name)
{
  char *copy = lp_strdup(name);

  if (!copy)
    return -1;
  free(r->host.name);
  r->host.name = copy;
  return 0;
}

static int starts_word(const char *s, size_t i)
{
  return i == 0 || strchr(" \t\n\r='\":,;([{<", s[i - 1]) != NULL;
}

static int ends_path(char c)
{
  return c == '\0' || strchr(" \t\n\r'\",;:)]}>", c) != NULL;
}

/* The length of the home-directory prefix at s + i, or 0. */
static size_t home_prefix(const char *s, size_t i, const char *home)
{
  static const char *const fixed[] = {"/home/", "/root", "/Users/", "/var/home/", "/usr/home/"};
  const char *p = s + i;
  size_t k, n;

  if (!starts_word(s, i))
    return 0;
  for (k = 0; k < LP_ARRAY_LEN(fixed); k++) {
    n = strlen(fixed[k]);
    if (strncmp(p, fixed[k], n) == 0 && (fixed[k][n - 1] == '/' || p[n] == '/' || ends_path(p[n])))
      return n;
  }
  if (isalpha((unsigned char)p[0]) && p[1] == ':' && (p[2] == '\\' || p[2] == '/') &&
      strncmp(p + 3, "Users", 5) == 0 && (p[8] == '\\' || p[8] == '/'))
    return 9;
  n = home ? strlen(home) : 0;
  if (n > 1 && strncmp(p, home, n) == 0 && (p[n] == '/' || p[n] == '\\' || ends_path(p[n])))
    return n;
  return 0;
}

static int name_char(char c)
{
  return isalnum((unsigned char)c) || c == '-' || c == '.' || c == '_';
}

/* s with home paths and the host name replaced, into b. */
static void scrub(struct lp_buf *b, const char *s, const char *home, const char *name,
                  const char *anon)
{
  size_t i = 0, nlen = name ? strlen(name) : 0;

  while (s[i]) {
    size_t n = home_prefix(s, i, home);
    if (n) {
      for (i += n; !ends_path(s[i]); i++)
        ;
      lp_buf_puts(b, HOME_PATH);
      continue;
    }
    if (nlen >= 3 && strncmp(s + i, name, nlen) == 0 && (i == 0 || !name_char(s[i - 1])) &&
        (s[i + nlen] == '.' || !name_char(s[i + nlen]))) {
      lp_buf_puts(b, anon);
      i += nlen;
      continue;
    }
    lp_buf_putc(b, s[i++]);
  }
}

struct scrubber {
  const char *home, *name, *anon;
  int failed;
};

static void str(struct scrubber *sc, char **p)
{
  struct lp_buf b;
  char *clean = NULL;

  if (!*p)
    return;
  lp_buf_init(&b);
  scrub(&b, *p, sc->home, sc->name, sc->anon);
  clean = b.data ? lp_buf_take(&b, NULL) : lp_strdup("");
  lp_buf_free(&b);
  if (!clean) {
    sc->failed = 1;
    return;
  }
  free(*p);
  *p = clean;
}

static void strv(struct scrubber *sc, struct lp_strv *sv)
{
  size_t i;

  for (i = 0; i < sv->n; i++)
    str(sc, &sv->v[i]);
}

static void host(struct scrubber *sc, struct lp_host *h)
{
  size_t i;

  str(sc, &h->os);
  str(sc, &h->kernel);
  str(sc, &h->arch);
  str(sc, &h->libc);
  str(sc, &h->tracer_name);
  strv(sc, &h->preload);
  strv(sc, &h->ld_so_preload);
  str(sc, &h->virt);
  strv(sc, &h->virt_evidence);
  strv(sc, &h->notes);
  for (i = 0; i < h->nenv; i++)
    str(sc, &h->env[i].value);
  str(sc, &h->emulator);
  strv(sc, &h->emulator_evidence);
  strv(sc, &h->time_wrappers);
}

static void report(struct scrubber *sc, struct lp_report *r)
{
  size_t i;

  host(sc, &r->host);
  str(sc, &r->command_line);
  for (i = 0; i < r->nlibs; i++) {
    str(sc, &r->libs[i].name);
    str(sc, &r->libs[i].compiled);
    str(sc, &r->libs[i].runtime);
    str(sc, &r->libs[i].default_mechanism);
  }
  for (i = 0; i < r->ncells; i++) {
    str(sc, &r->cells[i].detail);
    str(sc, &r->cells[i].err_name);
    str(sc, &r->cells[i].signal_name);
    str(sc, &r->cells[i].provider);
  }
  for (i = 0; i < r->nfindings; i++) {
    strv(sc, &r->findings[i].cells);
    str(sc, &r->findings[i].summary);
    strv(sc, &r->findings[i].evidence);
    str(sc, &r->findings[i].hint);
  }
}

/* The first line of a small file, or 0 bytes. */
static size_t read_id(const char *path, char *buf, size_t size)
{
  FILE *f = fopen(path, "r");
  size_t n = 0;

  if (!f)
    return 0;
  if (fgets(buf, (int)size, f))
    n = strcspn(buf, "\r\n");
  fclose(f);
  return n;
}

/* The salt into buf (at most size bytes); *stable says whether it lasts
   beyond this run.  Returns its length. */
static size_t salt(unsigned char *buf, size_t size, int *stable)
{
  const char *env = getenv("LOOPPROBE_SALT");
  size_t n = 0;
  FILE *f = NULL;

  *stable = 1;
  if (env && *env) {
    n = strlen(env) < size ? strlen(env) : size;
    memcpy(buf, env, n);
    return n;
  }
  if ((n = read_id("/etc/machine-id", (char *)buf, size)) > 0 ||
      (n = read_id("/var/lib/dbus/machine-id", (char *)buf, size)) > 0)
    return n;
  *stable = 0;
  if ((f = fopen("/dev/urandom", "rb")) != NULL) {
    n = fread(buf, 1, 32 < size ? 32 : size, f);
    fclose(f);
  }
  if (n < 16) { /* no /dev/urandom (Windows): what differs between runs */
    long long mix[4] = {lp_monotonic_ns(), (long long)time(NULL), (long long)clock(),
                        (long long)(uintptr_t)&mix};
    n = sizeof(mix) < size ? sizeof(mix) : size;
    memcpy(buf, mix, n);
  }
  return n;
}

static void anonymous_name(const char *name, const unsigned char *key, size_t key_len,
                           char out[NAME_HEX + 6])
{
  static const char domain[] = "loopprobe host name";
  unsigned char mac[LP_SHA256_LEN];
  struct lp_buf msg;
  int i;

  lp_buf_init(&msg);
  lp_buf_putn(&msg, domain, sizeof(domain)); /* with its NUL: a separator */
  lp_buf_puts(&msg, name);
  lp_hmac_sha256(key, key_len, msg.data ? msg.data : "", msg.len, mac);
  lp_buf_free(&msg);
  memcpy(out, "host-", 5);
  for (i = 0; i < NAME_HEX / 2; i++)
    snprintf(out + 5 + 2 * i, 3, "%02x", mac[i]);
}

int lpf_anonymize(struct lp_report *r)
{
  unsigned char key[256];
  char anon[NAME_HEX + 6] = "";
  struct scrubber sc;
  size_t key_len;
  int stable = 0;

  memset(&sc, 0, sizeof(sc));
#ifdef _WIN32
  sc.home = getenv("USERPROFILE");
#else
  sc.home = getenv("HOME");
#endif
  key_len = salt(key, sizeof(key), &stable);
  if (r->host.name)
    anonymous_name(r->host.name, key, key_len, anon);
  memset(key, 0, sizeof(key));
  sc.name = r->host.name;
  sc.anon = anon;
  report(&sc, r);
  if (r->host.name && !sc.failed && lpf_set_host_name(r, anon) < 0)
    sc.failed = 1;
  if (!stable && !sc.failed &&
      lp_strv_add(&r->host.notes, "--anonymize found no LOOPPROBE_SALT and no machine id: the "
                                  "anonymous host name is random, this run's only") < 0)
    sc.failed = 1;
  r->host.anonymized = 1;
  return sc.failed ? -1 : 0;
}
