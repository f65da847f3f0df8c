/* SPDX-License-Identifier: MIT */
/*
 * util.h - small helpers shared by the library: a growable string buffer,
 * a string vector, bounded formatting.  Out of memory is sticky: once an
 * append fails, the buffer remembers it and lp_buf_failed() says so, so a
 * writer can append freely and check once at the end.
 */
#ifndef LP_UTIL_H
#define LP_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
#define LP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define LP_PRINTF(f, a)
#endif

#define LP_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
/* A macro's value as a string literal: LP_STR(UV_VERSION_MAJOR) is "1". */
#define LP_STR(x) LP_STR_(x)
#define LP_STR_(x) #x

struct lp_buf {
  char *data;
  size_t len;
  size_t cap;
  int failed;
};

void lp_buf_init(struct lp_buf *b);
void lp_buf_free(struct lp_buf *b);
void lp_buf_putn(struct lp_buf *b, const char *s, size_t n);
void lp_buf_puts(struct lp_buf *b, const char *s);
void lp_buf_putc(struct lp_buf *b, char c);
void lp_buf_printf(struct lp_buf *b, const char *fmt, ...) LP_PRINTF(2, 3);
void lp_buf_vprintf(struct lp_buf *b, const char *fmt, va_list ap);
void lp_buf_repeat(struct lp_buf *b, char c, size_t n);
/* A value quoted for a message: at most max bytes of s[0..n) in single
   quotes, every byte that is not printable ASCII - and the quote and the
   backslash - as \xNN, "..." when cut.  A message then stays one line
   that no terminal reads as a control sequence, whatever the user typed. */
void lp_buf_quote(struct lp_buf *b, const char *s, size_t n, size_t max);
/* Hands the NUL-terminated contents to the caller; NULL if anything failed. */
char *lp_buf_take(struct lp_buf *b, size_t *len);
int lp_buf_failed(const struct lp_buf *b);

struct lp_strv {
  char **v;
  size_t n;
};

/* Appends a copy; returns 0 or -1 when memory runs out. */
int lp_strv_add(struct lp_strv *sv, const char *s);
int lp_strv_addf(struct lp_strv *sv, const char *fmt, ...) LP_PRINTF(2, 3);
int lp_strv_copy(struct lp_strv *dst, const struct lp_strv *src);
/* 1 when sv holds a string equal to s. */
int lp_strv_has(const struct lp_strv *sv, const char *s);
void lp_strv_free(struct lp_strv *sv);

/* snprintf into a fixed array that never fails: truncates silently. */
void lp_fmt(char *dst, size_t size, const char *fmt, ...) LP_PRINTF(3, 4);
/* Fills a template: every "{name}" in tpl is replaced by the value paired
   with name in vars (NULL-terminated pairs {name, value}); an unknown name
   or a NULL value reads as "?".  Truncates silently, like lp_fmt(). */
void lp_fill(char *dst, size_t size, const char *tpl, const char *const (*vars)[2]);
/* strdup that returns NULL for NULL. */
char *lp_strdup(const char *s);
/* A copy of s in *out, or NULL for NULL or "" (a report's "no value").
   Returns 0, or -1 out of memory. */
int lp_strdup_optional(const char *s, char **out);
/* Copies s into dst (size bytes, always terminated). */
void lp_strlcpy(char *dst, const char *s, size_t size);
/* Copies s into dst (size bytes, 0 allowed) as one line: every control
   character becomes a space, and a cut falls between UTF-8 characters,
   never inside one.  Returns the length copied. */
size_t lp_line_copy(char *dst, const char *s, size_t size);

/* "EPERM" for EPERM, or NULL for a number this build has no name for. */
const char *lp_errno_name(int err);
/* EPERM for "EPERM"; 0 for a name this build does not know. */
int lp_errno_value(const char *name);
/* 1 when sig is SIGSYS, the signal seccomp kills with (never on Windows). */
int lp_signal_is_sigsys(int sig);
/* "SIGSYS" for SIGSYS, or NULL. */
const char *lp_signal_name(int sig);

#endif
