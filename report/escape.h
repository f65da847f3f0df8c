/* SPDX-License-Identifier: MIT */
/*
 * escape.h - every string a report prints goes through one of these, so a
 * path or an environment value can hold any bytes at all: control
 * characters, terminal escape sequences, invalid UTF-8, Markdown or HTML
 * syntax.  Valid UTF-8 text passes unchanged where the format allows it.
 */
#ifndef LP_ESCAPE_H
#define LP_ESCAPE_H

#include "../base/util.h"

/* Decodes one UTF-8 sequence at s (n bytes left).  Returns its length and
   sets *cp, or returns 0 for an invalid, overlong or truncated sequence. */
size_t lp_utf8_decode(const unsigned char *s, size_t n, unsigned long *cp);

/* A JSON string literal, quotes included; invalid UTF-8 becomes U+FFFD. */
void lp_esc_json(struct lp_buf *b, const char *s);
/* Text for a terminal: control characters and invalid bytes as \xNN,
   C1 controls as \u00NN; nothing can start an escape sequence. */
void lp_esc_text(struct lp_buf *b, const char *s);
/* Inline Markdown (never at the start of a line): the characters that
   mean something mid-line or in a table cell are backslash-escaped, HTML
   specials become entities, line breaks become spaces, invalid UTF-8
   becomes U+FFFD. */
void lp_esc_md(struct lp_buf *b, const char *s);

/* The display width of s once escaped with lp_esc_text (one column per
   code point). */
size_t lp_text_width(const char *s);

#endif
