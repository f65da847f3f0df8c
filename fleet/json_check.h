/* SPDX-License-Identifier: MIT */
/*
 * json_check.h - the rules of JSON (RFC 8259) that cJSON does not enforce,
 * checked on the text, and the words for every syntax error: cJSON itself
 * says only where it stopped.  No tree is built here and nothing is read
 * into one: cJSON parses, this file judges the text it was given.  It
 * needs nothing of cJSON, so it is built (and tested) with or without it.
 */
#ifndef LP_FLEET_JSON_CHECK_H
#define LP_FLEET_JSON_CHECK_H

#include <stddef.h>

/* The nesting cJSON refuses to go beyond (CJSON_NESTING_LIMIT). */
#define LPF_JSON_MAX_DEPTH 1000

/*
 * Judges data[0..len) once cJSON has parsed it.  parsed: cJSON read a
 * document; pos is then the first byte after it that is not whitespace
 * (len when there is none).  Otherwise pos is where cJSON stopped, as a
 * parse of the text with one byte appended that no JSON text continues
 * with reports it, so that running out of text shows as len.
 *
 * Returns 0 when the text is JSON, or -1 with one line in err:
 * "not JSON: WHAT (line L, column C)" for the first error in the text,
 * or "truncated: the JSON ends at line L before the document does (WHY)"
 * when the text is the beginning of a document that goes on.  Columns
 * count characters, not bytes.  The line may quote the input.
 */
int lpf_json_check(const char *data, size_t len, int parsed, size_t pos, char *err, size_t err_len);

#endif
