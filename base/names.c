/* SPDX-License-Identifier: MIT */
/*
 * names.c - the strings of the vocabulary, generated from the X-macro
 * tables in loopprobe.h so that enums, names and documentation cannot
 * drift apart.
 */
#include "loopprobe.h"

#include <string.h>

#define NAME_XX(id, name, doc) name,
#define DOC_XX(id, name, doc) doc,
#define SEV_XX(id, name) name,

static const char *const mech_names[] = {LP_MECHANISM_MAP(NAME_XX)};
static const char *const mech_docs[] = {LP_MECHANISM_MAP(DOC_XX)};
static const char *const layer_names[] = {LP_LAYER_MAP(NAME_XX)};
static const char *const layer_docs[] = {LP_LAYER_MAP(DOC_XX)};
static const char *const verdict_names[] = {LP_VERDICT_MAP(NAME_XX)};
static const char *const verdict_docs[] = {LP_VERDICT_MAP(DOC_XX)};
static const char *const severity_names[] = {LP_SEVERITY_MAP(SEV_XX)};
#define KIND_NAME_XX(id, name, doc, decides, hint) name,
#define KIND_DOC_XX(id, name, doc, decides, hint) doc,
#define KIND_DECIDES_XX(id, name, doc, decides, hint) decides,
#define KIND_HINT_XX(id, name, doc, decides, hint) hint,

static const char *const finding_names[] = {LP_FINDING_MAP(KIND_NAME_XX)};
static const char *const finding_docs[] = {LP_FINDING_MAP(KIND_DOC_XX)};
static const char *const finding_decides[] = {LP_FINDING_MAP(KIND_DECIDES_XX)};
static const char *const finding_hints[] = {LP_FINDING_MAP(KIND_HINT_XX)};

#define PICK(table, count, i) ((unsigned)(i) < (unsigned)(count) ? table[i] : (const char *)0)

const char *lp_mechanism_name(enum lp_mechanism m)
{
  return PICK(mech_names, LP_MECH_COUNT, m);
}

const char *lp_mechanism_doc(enum lp_mechanism m)
{
  return PICK(mech_docs, LP_MECH_COUNT, m);
}

const char *lp_layer_name(enum lp_layer l)
{
  return PICK(layer_names, LP_LAYER_COUNT, l);
}

const char *lp_layer_doc(enum lp_layer l)
{
  return PICK(layer_docs, LP_LAYER_COUNT, l);
}

const char *lp_verdict_name(enum lp_verdict v)
{
  return PICK(verdict_names, LP_VERDICT_COUNT, v);
}

const char *lp_verdict_doc(enum lp_verdict v)
{
  return PICK(verdict_docs, LP_VERDICT_COUNT, v);
}

const char *lp_severity_name(enum lp_severity s)
{
  return PICK(severity_names, LP_SEVERITY_COUNT, s);
}

const char *lp_finding_kind_name(enum lp_finding_kind k)
{
  return PICK(finding_names, LP_FINDING_COUNT, k);
}

const char *lp_finding_kind_doc(enum lp_finding_kind k)
{
  return PICK(finding_docs, LP_FINDING_COUNT, k);
}

const char *lp_finding_kind_decides(enum lp_finding_kind k)
{
  return PICK(finding_decides, LP_FINDING_COUNT, k);
}

const char *lp_finding_kind_hint(enum lp_finding_kind k)
{
  return PICK(finding_hints, LP_FINDING_COUNT, k);
}

static const char *const format_names[] = {
#define FORMAT_XX(id, name) name,
    LP_FORMAT_MAP(FORMAT_XX)
#undef FORMAT_XX
};

const char *lp_format_name(enum lp_format f)
{
  return PICK(format_names, LP_FORMAT_COUNT, f);
}

static const struct {
  const char *name;
  long long value;
} constants[] = {
#define CONSTANT_XX(name, value, doc) {name, (long long)(value)},
    LP_CONSTANT_MAP(CONSTANT_XX)
#undef CONSTANT_XX
};

long long lp_constant(const char *name)
{
  size_t i;

  for (i = 0; name && i < sizeof(constants) / sizeof(constants[0]); i++)
    if (strcmp(constants[i].name, name) == 0)
      return constants[i].value;
  return -1;
}

const char *lp_version(void)
{
  return LP_VERSION_STRING;
}
