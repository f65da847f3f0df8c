/* SPDX-License-Identifier: MIT */
/*
 * test_docs.c - the documentation cannot drift from the tables in
 * loopprobe.h: docs/vocabulary.md is generated from them (LP_UPDATE_DOCS=1
 * rewrites it and the schemas' enums; "make docs" does that), and the JSON
 * Schemas' enums (the report's, the diff's and the fleet's) must list
 * exactly the names of the tables, in order.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "slurp.h"

#include "base/util.h"

#include "loopprobe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VOCABULARY LP_SOURCE_DIR "/docs/vocabulary.md"
#define SCHEMA LP_SOURCE_DIR "/docs/loopprobe-1.schema.json"

/* Every schema with the tables' enums; only the report's lists the kinds
   (the others take a kind as any string: a newer report may know more). */
static const struct {
  const char *path;
  int kinds;
} schemas[] = {
    {SCHEMA, 1},
    {LP_SOURCE_DIR "/docs/loopprobe-diff-1.schema.json", 0},
    {LP_SOURCE_DIR "/docs/loopprobe-fleet-1.schema.json", 0},
};

typedef const char *(*name_fn)(int);

static const char *mech(int i)
{
  return lp_mechanism_name((enum lp_mechanism)i);
}
static const char *mech_doc(int i)
{
  return lp_mechanism_doc((enum lp_mechanism)i);
}
static const char *layer(int i)
{
  return lp_layer_name((enum lp_layer)i);
}
static const char *layer_doc(int i)
{
  return lp_layer_doc((enum lp_layer)i);
}
static const char *verdict(int i)
{
  return lp_verdict_name((enum lp_verdict)i);
}
static const char *verdict_doc(int i)
{
  return lp_verdict_doc((enum lp_verdict)i);
}
static const char *kind(int i)
{
  return lp_finding_kind_name((enum lp_finding_kind)i);
}
static const char *kind_doc(int i)
{
  return lp_finding_kind_doc((enum lp_finding_kind)i);
}
static const char *kind_decides(int i)
{
  return lp_finding_kind_decides((enum lp_finding_kind)i);
}
static const char *kind_hint(int i)
{
  return lp_finding_kind_hint((enum lp_finding_kind)i);
}
static const char *severity(int i)
{
  return lp_severity_name((enum lp_severity)i);
}

static void table(struct lp_buf *b, const char *title, const char *col, name_fn name, name_fn doc,
                  int n)
{
  int i;

  lp_buf_printf(b, "\n## %s\n\n| %s | meaning |\n|---|---|\n", title, col);
  for (i = 0; i < n; i++)
    lp_buf_printf(b, "| `%s` | %s |\n", name(i), doc(i));
}

/* The finding kinds with what decides each and what to do about it. */
static void kinds_table(struct lp_buf *b)
{
  int i;

  lp_buf_puts(b, "\n## Finding kinds\n\n"
                 "Every finding of a kind carries its hint; `loopprobe --explain KIND` prints a "
                 "row.\n\n| kind | meaning | decided by | what to do |\n|---|---|---|---|\n");
  for (i = 0; i < LP_FINDING_COUNT; i++)
    lp_buf_printf(b, "| `%s` | %s | %s | %s |\n", kind(i), kind_doc(i), kind_decides(i),
                  kind_hint(i));
}

static char *vocabulary(void)
{
  struct lp_buf b;

  lp_buf_init(&b);
  lp_buf_puts(&b, "# loopprobe vocabulary\n\n"
                  "Generated from the tables in `include/loopprobe.h` by `make docs`; the test\n"
                  "suite fails when this file and the tables differ.\n");
  table(&b, "Verdicts", "verdict", verdict, verdict_doc, LP_VERDICT_COUNT);
  kinds_table(&b);
  table(&b, "Mechanisms", "mechanism", mech, mech_doc, LP_MECH_COUNT);
  table(&b, "Layers", "layer", layer, layer_doc, LP_LAYER_COUNT);
  return lp_buf_take(&b, NULL);
}

static void test_vocabulary(void **state)
{
  char *want = vocabulary(), *got = NULL;

  (void)state;
  assert_non_null(want);
  if (getenv("LP_UPDATE_DOCS"))
    assert_int_equal(spill(VOCABULARY, want), 0);
  got = slurp(VOCABULARY);
  if (!got || strcmp(got, want) != 0)
    fail_msg("docs/vocabulary.md differs from the tables; run make docs. It should be:\n%s", want);
  free(got);
  free(want);
}

/* --- the man page's FINDING KINDS section, between two markers --- */

#define MAN LP_SOURCE_DIR "/docs/loopprobe.1"
#define MAN_BEGIN ".\\\" BEGIN FINDING KINDS: generated from loopprobe.h by make docs\n"
#define MAN_END ".\\\" END FINDING KINDS\n"

/* Text for troff: backslashes and hyphens escaped; never a control line. */
static void man_text(struct lp_buf *b, const char *s)
{
  if (*s == '.' || *s == '\'')
    lp_buf_puts(b, "\\&");
  for (; *s; s++) {
    if (*s == '\\')
      lp_buf_puts(b, "\\e");
    else if (*s == '-')
      lp_buf_puts(b, "\\-");
    else
      lp_buf_putc(b, *s);
  }
}

static char *man_kinds(void)
{
  struct lp_buf b;
  int i;

  lp_buf_init(&b);
  lp_buf_puts(&b, MAN_BEGIN ".SH FINDING KINDS\n"
                            "Every finding has one of these kinds, a stable name a tool may match "
                            "on.\n");
  for (i = 0; i < LP_FINDING_COUNT; i++) {
    lp_buf_puts(&b, ".TP\n.B ");
    man_text(&b, kind(i));
    lp_buf_putc(&b, '\n');
    man_text(&b, kind_doc(i));
    lp_buf_puts(&b, ".\n.br\nDecided by: ");
    man_text(&b, kind_decides(i));
    lp_buf_puts(&b, ".\n.br\nWhat to do: ");
    man_text(&b, kind_hint(i));
    lp_buf_putc(&b, '\n');
  }
  lp_buf_puts(&b, MAN_END);
  return lp_buf_take(&b, NULL);
}

/* The man page with its generated section replaced by want; NULL when the
   markers are missing. */
static char *man_with(const char *page, const char *want)
{
  const char *begin = strstr(page, MAN_BEGIN), *end = begin ? strstr(begin, MAN_END) : NULL;
  struct lp_buf b;

  if (!end)
    return NULL;
  lp_buf_init(&b);
  lp_buf_putn(&b, page, (size_t)(begin - page));
  lp_buf_puts(&b, want);
  lp_buf_puts(&b, end + strlen(MAN_END));
  return lp_buf_take(&b, NULL);
}

static void test_man_kinds(void **state)
{
  char *want = man_kinds(), *page = slurp(MAN), *fixed = NULL;

  (void)state;
  assert_non_null(want);
  assert_non_null(page);
  fixed = man_with(page, want);
  if (!fixed)
    fail_msg("docs/loopprobe.1 lacks the markers of its FINDING KINDS section");
  if (getenv("LP_UPDATE_DOCS"))
    assert_int_equal(spill(MAN, fixed), 0);
  else if (strcmp(page, fixed) != 0)
    fail_msg("docs/loopprobe.1's FINDING KINDS differ from the table; run make docs");
  free(fixed);
  free(page);
  free(want);
}

/* The schema's definitions that list a table's names. */
static const struct {
  const char *def;
  name_fn name;
  int n;
} enums[] = {
    {"mechanism", mech, LP_MECH_COUNT},     {"layer", layer, LP_LAYER_COUNT},
    {"verdict", verdict, LP_VERDICT_COUNT}, {"severity", severity, LP_SEVERITY_COUNT},
    {"kind", kind, LP_FINDING_COUNT},
};

/* The enum as the table lists it: "enum": ["a", "b"] */
static void put_enum(struct lp_buf *b, name_fn name, int n)
{
  int i;

  lp_buf_puts(b, "\"enum\": [");
  for (i = 0; i < n; i++)
    lp_buf_printf(b, "%s\"%s\"", i ? ", " : "", name(i));
  lp_buf_puts(b, "]");
}

/* Where the enum of definition def (in $defs) starts in the schema text,
   or NULL. */
static char *enum_of(char *schema, const char *def)
{
  struct lp_buf key;
  char *defs = strstr(schema, "\"$defs\""), *at = NULL;

  if (!defs)
    return NULL;
  lp_buf_init(&key);
  lp_buf_printf(&key, "\"%s\": {", def);
  at = strstr(defs, key.data);
  lp_buf_free(&key);
  return at ? strstr(at, "\"enum\": [") : NULL;
}

static void update_schema(const char *path)
{
  char *schema = slurp(path);
  size_t k;

  assert_non_null(schema);
  for (k = 0; k < sizeof(enums) / sizeof(enums[0]); k++) {
    char *open = enum_of(schema, enums[k].def), *close = open ? strchr(open, ']') : NULL;
    struct lp_buf b;
    if (!close)
      continue;
    lp_buf_init(&b);
    lp_buf_putn(&b, schema, (size_t)(open - schema));
    put_enum(&b, enums[k].name, enums[k].n);
    lp_buf_puts(&b, close + 1);
    free(schema);
    schema = lp_buf_take(&b, NULL);
  }
  assert_int_equal(spill(path, schema), 0);
  free(schema);
}

/* Each definition's enum is exactly the table's names, in order. */
static void check_schema(const char *path, int kinds)
{
  char *schema = NULL;
  size_t k;

  if (getenv("LP_UPDATE_DOCS"))
    update_schema(path);
  schema = slurp(path);
  if (!schema)
    fail_msg("cannot read %s", path);
  for (k = 0; k < sizeof(enums) / sizeof(enums[0]); k++) {
    char *at = enum_of(schema, enums[k].def);
    struct lp_buf want;
    if (!kinds && enums[k].name == kind)
      continue;
    lp_buf_init(&want);
    put_enum(&want, enums[k].name, enums[k].n);
    if (!at)
      fail_msg("%s has no enum for the definition %s", path, enums[k].def);
    if (strncmp(at, want.data, want.len) != 0)
      fail_msg("%s's %s lacks %s; run make docs", path, enums[k].def, want.data);
    lp_buf_free(&want);
  }
  free(schema);
}

static void test_schema_enums(void **state)
{
  size_t i;

  (void)state;
  for (i = 0; i < sizeof(schemas) / sizeof(schemas[0]); i++)
    check_schema(schemas[i].path, schemas[i].kinds);
}

static void test_names_are_distinct(void **state)
{
  int i, j;

  (void)state;
  for (i = 0; i < LP_FINDING_COUNT; i++) {
    assert_non_null(kind_decides(i));
    assert_non_null(kind_hint(i));
    for (j = i + 1; j < LP_FINDING_COUNT; j++)
      assert_string_not_equal(kind(i), kind(j));
  }
  for (i = 0; i < LP_VERDICT_COUNT; i++)
    for (j = i + 1; j < LP_VERDICT_COUNT; j++)
      assert_string_not_equal(verdict(i), verdict(j));
  assert_null(lp_verdict_name(LP_VERDICT_COUNT));
  assert_null(lp_mechanism_name((enum lp_mechanism) - 1));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_vocabulary),
      cmocka_unit_test(test_man_kinds),
      cmocka_unit_test(test_schema_enums),
      cmocka_unit_test(test_names_are_distinct),
  };
  return cmocka_run_group_tests_name("docs", tests, NULL, NULL);
}
