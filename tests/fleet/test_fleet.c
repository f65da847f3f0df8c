/* SPDX-License-Identifier: MIT */
/*
 * test_fleet.c - fleet/ without the command: SHA-256 and HMAC against the
 * published vectors, the report reader on every kind of bad input, diff
 * and merge of the reports in tests/fleet/data/ (real reports: a clean
 * host, EVENT_NOEPOLL=1, an LD_PRELOAD wrapper that fails or forwards,
 * an older report of the same host, a truncated one, hostile bytes)
 * against golden files, and --anonymize on a report built here.
 *
 * It runs in tests/fleet/, so that the file names in the golden output
 * are data/NAME.json.  LP_UPDATE_GOLDEN=1 rewrites tests/golden/diff.*
 * and fleet.* after a deliberate change.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../unit/slurp.h"

#include "fleet/diff.h"
#include "fleet/fleet.h"
#include "fleet/merge.h"
#include "fleet/sha256.h"
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GOLDEN LP_SOURCE_DIR "/tests/golden/"

static void hex(const unsigned char *d, size_t n, char *out)
{
  size_t i;

  for (i = 0; i < n; i++)
    sprintf(out + 2 * i, "%02x", d[i]);
}

static void sha(const char *msg, const char *want)
{
  unsigned char d[LP_SHA256_LEN];
  char got[2 * LP_SHA256_LEN + 1];
  struct lp_sha256 s;

  lp_sha256_init(&s);
  lp_sha256_update(&s, msg, strlen(msg));
  lp_sha256_final(&s, d);
  hex(d, sizeof(d), got);
  assert_string_equal(got, want);
}

static void hmac(const void *key, size_t key_len, const char *msg, const char *want)
{
  unsigned char d[LP_SHA256_LEN];
  char got[2 * LP_SHA256_LEN + 1];

  lp_hmac_sha256(key, key_len, msg, strlen(msg), d);
  hex(d, sizeof(d), got);
  assert_string_equal(got, want);
}

/* FIPS 180-4's examples and RFC 4231's test cases 1, 2 and 6. */
static void test_sha256(void **state)
{
  unsigned char k1[20], k6[131];

  (void)state;
  sha("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  sha("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  memset(k1, 0x0b, sizeof(k1));
  hmac(k1, sizeof(k1), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  hmac("Jefe", 4, "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  memset(k6, 0xaa, sizeof(k6));
  hmac(k6, sizeof(k6), "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

#define HEAD "{\"schema\": \"loopprobe/1\", \"host\": {}, "
#define CELL(v) "{\"mechanism\": \"epoll\", \"layer\": \"api\", \"verdict\": \"" v "\"}"

static const struct {
  const char *input;
  size_t len; /* 0: strlen */
  const char *reason;
} bad_inputs[] = {
    {"", 0, "empty"},
    {" \n\t", 0, "empty"},
    {"hello", 0,
     "not JSON: an unknown word 'hello' (JSON has true, false and null) (line 1, column 1)"},
    {"{\"schema\": \"loopprobe/1\", \"cells\": [", 0,
     "truncated: the JSON ends at line 1 before the document does (2 objects and arrays are not "
     "closed)"},
    {"{\"a\": {\n  \"b\": \"cut", 0,
     "truncated: the JSON ends at line 2 before the document does (inside a string that starts "
     "at column 8)"},
    {"{\"a\": tru", 0,
     "truncated: the JSON ends at line 1 before the document does (inside 'tru')"},
    {"{\"a\": 1e", 0,
     "truncated: the JSON ends at line 1 before the document does (inside the number '1e')"},
    {"{\"a\": 1", 0,
     "truncated: the JSON ends at line 1 before the document does (an object is not "
     "closed)"},
    {"{\"a\": 1 \"b\": 2}", 0, "not JSON: an unexpected '\"b\"' (line 1, column 9)"},
    {"{\"a\": [1, 2}", 0, "not JSON: an unexpected '}' (line 1, column 12)"},
    {"[1,\n 2,\n x]", 0,
     "not JSON: an unknown word 'x' (JSON has true, false and null) (line 3, column 2)"},
    {"{'a': 1}", 0, "not JSON: an unexpected ' (JSON quotes strings with \") (line 1, column 2)"},
    {"{1: 2}", 0, "not JSON: '1' where a key (a string) must be (line 1, column 2)"},
    /* What cJSON accepts and loopprobe refuses (fleet/json_check.c, read.c): */
    {"{} trailing", 0, "not JSON: 'trailing' after the end of the document (line 1, column 4)"},
    {"{}\0", 3, "not JSON: byte 0x00 after the end of the document (line 1, column 3)"},
    {"{\"a\": 1, \"a\": 2}", 0, "not JSON: duplicate key \"a\" in the top-level object"},
    {"{\"host\": {\"env\": {\"A\": \"1\", \"B\": \"2\", \"A\": \"3\"}}}", 0,
     "not JSON: duplicate key \"A\" in host.env"},
    {"{\"cells\": [{}, {\"k01\": 1, \"k02\": 1, \"k03\": 1, \"k04\": 1, \"k05\": 1, \"k06\": 1, "
     "\"k07\": 1, \"k08\": 1, \"k09\": 1, \"k10\": 1, \"k11\": 1, \"k12\": 1, \"k13\": 1, "
     "\"k14\": 1, \"k15\": 1, \"k16\": 1, \"k17\": 1, \"k09\": 2}]}",
     0, "not JSON: duplicate key \"k09\" in cells[1]"},
    {"{\"x\": \"a\\u0000b\"}", 0, "not JSON: \\u0000 in a string (line 1, column 9)"},
    {"{\"x\": \"\\u00zz\"}", 0,
     "not JSON: an invalid escape '\\u00zz' in a string (four hex digits expected) (line 1, "
     "column 8)"},
    {"{\"x\": \"\\ud800x\"}", 0,
     "not JSON: a lone UTF-16 surrogate \\ud800 in a string (line 1, column 8)"},
    {"{\"x\": \"\xff\"}", 0, "not JSON: invalid UTF-8 (byte 0xff) in a string (line 1, column 8)"},
    {"{\"x\": \"\xc0\x80\"}", 0,
     "not JSON: invalid UTF-8 (byte 0xc0) in a string (line 1, column 8)"},
    {"{\"x\": \"\xed\xa0\x80\"}", 0,
     "not JSON: invalid UTF-8 (byte 0xed) in a string (line 1, column 8)"},
    {"{\"x\": \"a\tb\"}", 0, "not JSON: a control character (0x09) in a string (line 1, column 9)"},
    {"{\"x\": \"\x1b[31m\"}", 0,
     "not JSON: a control character (0x1b) in a string (line 1, column 8)"},
    {"{\"x\": \"a\", \0}", 13,
     "not JSON: a control character (0x00) outside a string (line 1, column 12)"},
    {"{\v\"x\": 1}", 0, "not JSON: a control character (0x0b) outside a string (line 1, column 2)"},
    {"\xef\xbb\xbf{}", 0,
     "not JSON: a byte order mark (EF BB BF) before the document (line 1, column 1)"},
    {"{\"x\": 01}", 0, "not JSON: an invalid number '01' (line 1, column 7)"},
    {"{\"x\": 1.}", 0, "not JSON: an invalid number '1.' (line 1, column 7)"},
    {"{\"x\": -.5}", 0, "not JSON: an invalid number '-.5' (line 1, column 7)"},
    {"{\"x\": 1.e3}", 0, "not JSON: an invalid number '1.e3' (line 1, column 7)"},
    {"{\"x\": 1e999}", 0, "not JSON: a number out of range '1e999' (line 1, column 7)"},
    {"{\"x\": -1e999}", 0, "not JSON: a number out of range '-1e999' (line 1, column 7)"},
    {"{\"x\": 9223372036854775808}", 0,
     "not JSON: an integer beyond 64 bits '9223372036854775808' (line 1, column 7)"},
    {"{\"x\": NaN}", 0,
     "not JSON: an unknown word 'NaN' (JSON has true, false and null) (line 1, column 7)"},
    {"{\"x\": [1,]}", 0, "not JSON: an unexpected ']' (line 1, column 10)"},
    {"{\"x\": 1,}", 0, "not JSON: '}' where a key (a string) must be (line 1, column 9)"},
    {"{\"SCHEMA\": \"loopprobe/1\"}", 0, "not a loopprobe report: no \"schema\" key"},
    {"[1, 2]", 0, "not a loopprobe report: the document is an array, not an object"},
    {"\"loopprobe/1\"", 0, "not a loopprobe report: the document is a string, not an object"},
    {"{}", 0, "not a loopprobe report: no \"schema\" key"},
    {"{\"schema\": 1}", 0, "not a loopprobe report: \"schema\" is not a string"},
    {"{\"schema\": \"loopprobe/2\"}", 0,
     "schema 'loopprobe/2' is newer than this loopprobe reads (loopprobe/1)"},
    {"{\"schema\": \"loopprobe/12\"}", 0, "schema 'loopprobe/12' is newer"},
    {"{\"schema\": \"loopprobe-fleet/1\"}", 0,
     "schema 'loopprobe-fleet/1' is not a loopprobe report (loopprobe/1)"},
    {"{\"schema\": \"loopprobe/0\"}", 0, "schema 'loopprobe/0' is not a loopprobe report"},
    {"{\"schema\": \"\\u001b[31mx\"}", 0, "schema '\x1b[31mx' is not a loopprobe report"},
    {"{\"schema\": \"loopprobe/1\"}", 0, "not a loopprobe report: no \"host\""},
    {HEAD "\"cells\": {}}", 0, "not a loopprobe report: not an array: \"cells\""},
    {HEAD "\"cells\": [1]}", 0, "cells[0]: not an object"},
    {HEAD "\"cells\": [{\"mechanism\": \"epoll\"}]}", 0, "cells[0]: no \"layer\""},
    {HEAD "\"cells\": [" CELL("fine") "]}", 0, "cells[0]: unknown verdict 'fine'"},
    {HEAD "\"cells\": [{\"mechanism\": \"epol\", \"layer\": \"api\", \"verdict\": \"ok\"}]}", 0,
     "cells[0]: unknown mechanism 'epol'"},
    {HEAD "\"cells\": [" CELL("ok") ", " CELL("hidden") "]}", 0,
     "cells[1]: epoll@api appears twice"},
    {HEAD "\"cells\": [" CELL("ok") "]}", 0, "not a loopprobe report: no \"findings\""},
    {HEAD "\"cells\": [], \"findings\": [{\"severity\": \"fatal\", \"kind\": \"x\"}]}", 0,
     "findings[0]: unknown severity 'fatal'"},
    {HEAD
     "\"cells\": [], \"findings\": [{\"severity\": \"error\", \"kind\": \"x\", \"cells\": [1]}]}",
     0, "findings[0]: cells[0] is not a string"},
    {HEAD "\"cells\": [], \"findings\": [], \"exit_code\": \"1\"}", 0,
     "\"exit_code\" is not an integer"},
    {HEAD "\"cells\": [], \"findings\": [], \"exit_code\": 1.5}", 0,
     "\"exit_code\" is not an integer"},
    {HEAD "\"cells\": [], \"findings\": [], \"exit_code\": 4294967297}", 0,
     "\"exit_code\" is out of range"},
    {HEAD "\"cells\": [], \"findings\": [], \"libraries\": [{\"compiled\": 1}]}", 0,
     "libraries[0]: no \"name\""},
};

/* Nesting beyond cJSON's limit, and a number longer than it reads: JSON
   allows both, cJSON refuses them, and the reason says so. */
static void test_parse_limits(void **state)
{
  static char doc[2048];
  struct lpf_report *r = NULL;
  char err[512] = "";

  (void)state;
  memset(doc, '[', 1001);
  assert_int_equal(lpf_parse(doc, 1001, 0, &r, err, sizeof(err)), -1);
  assert_string_equal(err,
                      "not JSON: arrays and objects nested deeper than 1000 (line 1, column 1001)");
  memset(doc, '[', 1000);
  memset(doc + 1000, ']', 1000);
  assert_int_equal(lpf_parse(doc, 2000, 0, &r, err, sizeof(err)), -1);
  assert_string_equal(err, "not a loopprobe report: the document is an array, not an object");
  strcpy(doc, "{\"x\": 1");
  memset(doc + 7, '0', 70);
  strcpy(doc + 77, "}");
  assert_int_equal(lpf_parse(doc, strlen(doc), 0, &r, err, sizeof(err)), -1);
  assert_string_equal(err, "not JSON: a number of 71 characters '10000000000000000000...' (this "
                           "reader takes 63) (line 1, column 7)");
}

/* What JSON allows and cJSON reads as JSON does: a whole "exit_code" is an
   integer however it is written (JSON Schema counts 1.0 as one), an
   escaped surrogate pair is one character, numbers that underflow are 0. */
static void test_parse_lenient_alike(void **state)
{
  static const char doc[] =
      HEAD "\"cells\": [], \"findings\": [{\"severity\": \"info\", \"kind\": "
           "\"x\\ud83d\\ude00\", \"summary\": \"\\u00e9\", \"n\": 1e-999}], \"exit_code\": 1.0}";
  struct lpf_report *r = NULL;
  char err[512] = "";

  (void)state;
  assert_int_equal(lpf_parse(doc, strlen(doc), 0, &r, err, sizeof(err)), 0);
  assert_int_equal(r->exit_code, 1);
  assert_string_equal(r->findings[0].kind, "x\xf0\x9f\x98\x80");
  assert_string_equal(r->findings[0].summary, "\xc3\xa9");
  lpf_report_free(r);
}

static void test_parse_bad(void **state)
{
  struct lpf_report *r = NULL;
  char err[512];
  size_t i;

  (void)state;
  for (i = 0; i < sizeof(bad_inputs) / sizeof(bad_inputs[0]); i++) {
    size_t len = bad_inputs[i].len ? bad_inputs[i].len : strlen(bad_inputs[i].input);
    err[0] = '\0';
    if (lpf_parse(bad_inputs[i].input, len, 0, &r, err, sizeof(err)) == 0)
      fail_msg("input %zu was accepted: %s", i, bad_inputs[i].input);
    assert_null(r);
    if (strncmp(err, bad_inputs[i].reason, strlen(bad_inputs[i].reason)) != 0)
      fail_msg("input %zu: reason '%s', expected it to start with '%s'", i, err,
               bad_inputs[i].reason);
  }
}

/* A minimal report is enough; unknown kinds and keys are read as they are. */
static void test_parse_minimal(void **state)
{
  static const char doc[] = HEAD "\"future_key\": [1], \"cells\": [" CELL(
      "hidden") "], \"findings\": [{\"severity\": "
                "\"error\", \"kind\": \"a-kind-from-later\", \"cells\": [\"epoll@api\"], "
                "\"summary\": "
                "\"why\"}]}";
  struct lpf_report *r = NULL;
  char err[512] = "";

  (void)state;
  assert_int_equal(lpf_parse(doc, strlen(doc), 0, &r, err, sizeof(err)), 0);
  assert_null(r->host);
  assert_int_equal(r->exit_code, -1);
  assert_int_equal(r->ncells, 1);
  assert_int_equal(r->cells[0].verdict, LP_VERDICT_HIDDEN);
  assert_string_equal(lpf_cause(r, LP_MECH_EPOLL, LP_LAYER_API)->kind, "a-kind-from-later");
  assert_null(lpf_cause(r, LP_MECH_EPOLL, LP_LAYER_SYSCALL));
  lpf_report_free(r);
}

static void test_parse_golden_report(void **state)
{
  struct lpf_report *r = NULL;
  char err[512] = "";

  (void)state;
  assert_int_equal(lpf_load(GOLDEN "report.json", 0, &r, err, sizeof(err)), 0);
  assert_string_equal(r->host, "web-07");
  assert_int_equal(r->exit_code, 1);
  assert_true(r->ncells > 0 && r->nfindings > 0 && r->nlibs > 0);
  assert_non_null(lpf_find_fact(r, "kernel"));
  assert_string_equal(lpf_find_fact(r, "kernel")->value, "6.1.0-test");
  assert_string_equal(lpf_find_fact(r, "env.EVENT_NO_API_KEY")->value, "<redacted>");
  assert_null(lpf_find_fact(r, "tracer_pid")); /* changes every run */
  assert_null(lpf_find_fact(r, "name"));       /* the identity, not a fact */
  lpf_report_free(r);
  assert_int_equal(lpf_load(GOLDEN "report.json", LPF_BRIEF, &r, err, sizeof(err)), 0);
  assert_int_equal(r->nfacts, 0);
  assert_null(r->cells[0].detail);
  lpf_report_free(r);
  assert_int_equal(lpf_load(GOLDEN, 0, &r, err, sizeof(err)), -1);
  assert_string_equal(err, "is a directory, not a report");
  assert_int_equal(lpf_load("data/no-such.json", 0, &r, err, sizeof(err)), -1);
  assert_string_equal(err, "cannot read: No such file or directory");
}

static void against_golden(const struct lp_buf *b, const char *name)
{
  char path[512];
  char *want = NULL;

  assert_false(lp_buf_failed(b));
  snprintf(path, sizeof(path), "%s%s", GOLDEN, name);
  if (getenv("LP_UPDATE_GOLDEN"))
    assert_int_equal(spill(path, b->data), 0);
  want = slurp(path);
  if (!want)
    fail_msg("cannot read %s (LP_UPDATE_GOLDEN=1 creates it)", path);
  if (strcmp(want, b->data) != 0)
    fail_msg("%s differs from the output:\n%s", path, b->data);
  free(want);
}

static struct lpf_report *load(const char *path)
{
  struct lpf_report *r = NULL;
  char err[512] = "";

  if (lpf_load(path, 0, &r, err, sizeof(err)) < 0)
    fail_msg("%s: %s", path, err);
  return r;
}

static const struct lpf_change *change(const struct lpf_diff *d, enum lpf_direction dir, int m,
                                       int l)
{
  size_t i;

  for (i = 0; i < d->ncells[dir]; i++)
    if (d->cells[dir][i].mech == m && d->cells[dir][i].layer == l)
      return &d->cells[dir][i];
  return NULL;
}

/* From a host with a failing epoll wrapper to one with EVENT_NOEPOLL=1. */
static void test_diff(void **state)
{
  struct lpf_report *old = load("data/wrapped.json"), *new = load("data/noepoll.json");
  struct lpf_diff d;
  struct lp_buf b;

  (void)state;
  lpf_diff_compute(&d, old, "data/wrapped.json", new, "data/noepoll.json");
  assert_false(d.failed);
  assert_non_null(change(&d, LPF_BETTER, LP_MECH_EPOLL, LP_LAYER_API));
  assert_non_null(change(&d, LPF_BETTER, LP_MECH_EPOLL, LP_LAYER_LIBUV));
  assert_null(change(&d, LPF_BETTER, LP_MECH_EPOLL, LP_LAYER_LIBEVENT)); /* hidden in both */
  assert_int_equal(d.ncells[LPF_WORSE], 0);
  assert_int_equal(d.nappeared, 1);
  assert_string_equal(d.appeared[0]->kind, "hidden-by-environment");
  assert_int_equal(d.new_errors, 1);
  assert_string_equal(d.gone[0]->kind, "hidden-by-wrapper");
  assert_true(lpf_diff_worse(&d)); /* a new error finding, though no cell got worse */
  lp_buf_init(&b);
  lpf_diff_text(&d, 80, &b);
  against_golden(&b, "diff.txt");
  lp_buf_free(&b);
  lpf_diff_markdown(&d, &b);
  against_golden(&b, "diff.md");
  lp_buf_free(&b);
  lpf_diff_json(&d, &b);
  against_golden(&b, "diff.json");
  lp_buf_free(&b);
  lpf_diff_free(&d);
  lpf_report_free(old);
  lpf_report_free(new);
}

static void test_diff_same(void **state)
{
  struct lpf_report *a = load("data/clean-1.json"), *b2 = load("data/clean-2.json");
  struct lpf_diff d;
  struct lp_buf b;

  (void)state;
  lpf_diff_compute(&d, a, "data/clean-1.json", b2, "data/clean-2.json");
  assert_false(lpf_diff_worse(&d));
  assert_int_equal(d.ncells[LPF_WORSE] + d.ncells[LPF_BETTER] + d.ncells[LPF_OTHER], 0);
  assert_int_equal(d.nappeared + d.ngone + d.nlibs, 0);
  lp_buf_init(&b);
  lpf_diff_text(&d, 80, &b);
  assert_non_null(strstr(b.data, "verdict: no change (exit 0)") ? b.data : NULL);
  lp_buf_free(&b);
  lpf_diff_free(&d);
  lpf_report_free(a);
  lpf_report_free(b2);
}

static char *merge_inputs[] = {
    "data/clean-1-old.json", "data/clean-1.json",     "data/clean-2.json", "data/noepoll.json",
    "data/wrapped.json",     "data/passthrough.json", "data/hostile.json", "data/broken.json",
};

static const struct lpf_fcell *fcell(const struct lpf_fleet *f, int m, int l)
{
  size_t i;

  for (i = 0; i < f->ncells; i++)
    if (f->cells[i].mech == m && f->cells[i].layer == l)
      return &f->cells[i];
  return NULL;
}

static void test_merge(void **state)
{
  struct lpf_fleet f;
  const struct lpf_fcell *c = NULL;
  struct lp_buf b;
  char err[512] = "";

  (void)state;
  assert_int_equal(
      lpf_fleet_build(&f, merge_inputs, LP_ARRAY_LEN(merge_inputs), NULL, err, sizeof(err)), 0);
  assert_int_equal(f.status, 3); /* broken.json */
  assert_int_equal(f.nunused, 1);
  assert_string_equal(f.unused[0].file, "data/broken.json");
  assert_int_equal(f.nhosts, 6);
  assert_int_equal(f.ndups, 1); /* clean-1: the newer report wins */
  assert_string_equal(f.dups[0].file, "data/clean-1-old.json");
  assert_string_equal(f.hosts[f.dups[0].used].file, "data/clean-1.json");
  c = fcell(&f, LP_MECH_EPOLL, LP_LAYER_LIBEVENT);
  assert_non_null(c);
  assert_int_equal(c->majority, LP_VERDICT_OK);
  assert_int_equal(c->counts[LP_VERDICT_HIDDEN], 2);
  assert_int_equal(c->ngroups, 2); /* two causes, one host each */
  assert_string_equal(c->groups[0].cause->kind, "hidden-by-environment");
  assert_string_equal(f.hosts[c->groups[0].hosts.v[0]].name, "noepoll");
  assert_string_equal(c->groups[1].cause->kind, "hidden-by-wrapper");
  assert_string_equal(f.hosts[c->groups[1].hosts.v[0]].name, "wrapped");
  assert_int_equal(f.nfailed, 3); /* noepoll, wrapped, the hostile host */
  assert_true(f.cells[0].ngroups > 0 && f.cells[f.ncells - 1].ngroups == 0);
  lp_buf_init(&b);
  lpf_fleet_text(&f, 80, &b);
  against_golden(&b, "fleet.txt");
  lp_buf_free(&b);
  lpf_fleet_markdown(&f, &b);
  against_golden(&b, "fleet.md");
  lp_buf_free(&b);
  lpf_fleet_json(&f, &b);
  against_golden(&b, "fleet.json");
  lp_buf_free(&b);
  lpf_fleet_free(&f);
}

static void test_merge_require(void **state)
{
  struct lpf_fleet f;
  char err[512] = "";
  size_t i, failed = 0;

  (void)state;
  assert_int_equal(
      lpf_fleet_build(&f, merge_inputs + 1, 4, "epoll@libevent,poll", err, sizeof(err)), 0);
  assert_int_equal(f.status, 1);
  for (i = 0; i < f.nhosts; i++)
    if (f.hosts[i].failed) {
      assert_string_equal(f.hosts[i].why, "requirement not met: epoll@libevent is hidden");
      failed++;
    }
  assert_int_equal(failed, 2);
  lpf_fleet_free(&f);
  assert_int_equal(lpf_fleet_build(&f, merge_inputs + 1, 2, "poll@api", err, sizeof(err)), 0);
  assert_int_equal(f.status, 0);
  lpf_fleet_free(&f);
  assert_int_equal(lpf_fleet_build(&f, merge_inputs, 1, "epol", err, sizeof(err)), -1);
  assert_non_null(strstr(err, "unknown mechanism 'epol'"));
}

static char *evidence_of(struct lp_report *r)
{
  return r->findings[0].evidence.v[0];
}

/* Every string of the report, rewritten: the name hashed under the salt,
   paths under home directories gone, other paths kept. */
static void test_anonymize(void **state)
{
  struct lp_report *r = lp_report_new();
  struct lp_cell *c = NULL;
  struct lp_finding *f = NULL;

  (void)state;
  assert_non_null(r);
  setenv("LOOPPROBE_SALT", "s3cret", 1);
  setenv("HOME", "/srv/builder", 1);
  r->host.name = lp_strdup("vm");
  lp_strv_add(&r->host.preload, "/home/alice/lib/libwrap.so");
  lp_strv_add(&r->host.preload, "/usr/lib/libfine.so");
  c = lp_report_add_cell(r, LP_MECH_EPOLL, LP_LAYER_API, LP_VERDICT_HIDDEN,
                         "served by /Users/bob/z.dylib) and /root");
  c->provider = lp_strdup("/srv/builder/w.so");
  f = lp_report_add_finding(r, LP_SEVERITY_ERROR, LP_FINDING_HIDDEN_BY_WRAPPER, 0, 1,
                            "vm.example saw vm and /homework/x and /rootfs/y", "hint");
  lp_strv_add(&f->evidence, "LD_PRELOAD contains /root/x.so:/usr/lib/y.so C:\\Users\\eve\\w.dll");
  assert_int_equal(lpf_anonymize(r), 0);
  /* HMAC-SHA-256("s3cret", "loopprobe host name\0vm"), as Python's hmac says */
  assert_string_equal(r->host.name, "host-108688549e81");
  assert_int_equal(r->host.anonymized, 1);
  assert_string_equal(r->host.preload.v[0], "<home path>");
  assert_string_equal(r->host.preload.v[1], "/usr/lib/libfine.so");
  assert_string_equal(r->cells[0].detail, "served by <home path>) and <home path>");
  assert_string_equal(r->cells[0].provider, "<home path>");
  /* "vm" is shorter than 3: left alone; /homework and /rootfs are no homes */
  assert_string_equal(r->findings[0].summary, "vm.example saw vm and /homework/x and /rootfs/y");
  assert_string_equal(evidence_of(r), "LD_PRELOAD contains <home path>:/usr/lib/y.so <home path>");
  assert_int_equal(r->host.notes.n, 0); /* the salt was given: stable */
  lp_report_free(r);
}

static void test_anonymize_name_in_text(void **state)
{
  struct lp_report *r = lp_report_new();

  (void)state;
  setenv("LOOPPROBE_SALT", "s3cret", 1);
  r->host.name = lp_strdup("web-07");
  lp_strv_add(&r->host.notes, "web-07 and web-07.example and web-070 and xweb-07");
  assert_int_equal(lpf_anonymize(r), 0);
  assert_memory_equal(r->host.name, "host-", 5);
  assert_int_equal(strlen(r->host.name), 17);
  assert_non_null(strstr(r->host.notes.v[0], r->host.name));
  assert_null(strstr(r->host.notes.v[0], "web-07 "));
  assert_null(strstr(r->host.notes.v[0], "web-07."));
  assert_non_null(strstr(r->host.notes.v[0], ".example and web-070 and xweb-07"));
  lp_report_free(r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sha256),        cmocka_unit_test(test_parse_bad),
      cmocka_unit_test(test_parse_limits),  cmocka_unit_test(test_parse_lenient_alike),
      cmocka_unit_test(test_parse_minimal), cmocka_unit_test(test_parse_golden_report),
      cmocka_unit_test(test_diff),          cmocka_unit_test(test_diff_same),
      cmocka_unit_test(test_merge),         cmocka_unit_test(test_merge_require),
      cmocka_unit_test(test_anonymize),     cmocka_unit_test(test_anonymize_name_in_text),
  };

  if (chdir(LP_SOURCE_DIR "/tests/fleet") != 0)
    return 1;
  return cmocka_run_group_tests_name("fleet", tests, NULL, NULL);
}
