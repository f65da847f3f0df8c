/* SPDX-License-Identifier: MIT */
/*
 * fuzz.h - what the fuzz targets share.  Each target defines
 * LLVMFuzzerTestOneInput().  Built with clang's -fsanitize=fuzzer it is
 * libFuzzer's entry point (make fuzz); built with any compiler and
 * replay.c's main() it runs the files of the seed corpus and every input a
 * fuzzer ever found (the suite's fuzz.* tests).  A broken property calls
 * FZ_FAIL, which prints what broke and aborts: libFuzzer keeps the input,
 * a replay test fails.
 *
 * Inputs are read the way FuzzedDataProvider does: strings from the front,
 * each up to a NUL byte, numbers from the back, so that a mutation of one
 * rarely shifts all the others.  Every string a target takes is owned by
 * the struct fz and freed by fz_end().
 *
 * The checks below are written apart from the library on purpose (a UTF-8
 * decoder after the Unicode standard's table of well-formed sequences, a
 * JSON parser after RFC 8259): a property checked with the code under test
 * proves nothing.
 */
#ifndef LP_FUZZ_H
#define LP_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_MAX_STRINGS 512

struct fz {
  const uint8_t *p;
  size_t n;
  char *owned[FZ_MAX_STRINGS];
  size_t nowned;
};

void fz_begin(struct fz *f, const uint8_t *data, size_t size);
void fz_end(struct fz *f);
/* The next string (up to a NUL or the end); "" when the input is used up. */
char *fz_str(struct fz *f);
/* A number from the back of the input; 0 when it is used up. */
unsigned fz_u8(struct fz *f);
uint32_t fz_u32(struct fz *f);
uint64_t fz_u64(struct fz *f);
/* 1 when nothing is left. */
int fz_done(const struct fz *f);

struct lp_report;
/* A report made of fuzz bytes (gen_report.c); lp_report_free() it. */
struct lp_report *fz_report(struct fz *f);

/* Prints "fuzz property broken: ..." and the text it is about, aborts. */
void fz_fail(const char *text, size_t len, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4), noreturn))
#endif
    ;
#define FZ_CHECK(cond, text, len, ...)                                                             \
  do {                                                                                             \
    if (!(cond))                                                                                   \
      fz_fail((text), (len), __VA_ARGS__);                                                         \
  } while (0)

/* One well-formed UTF-8 sequence at s (Unicode 15, table 3-7): its length
   and code point, or 0 when the bytes are not one. */
size_t fz_utf8(const uint8_t *s, size_t n, uint32_t *cp);
/* 1 when s[0..n) is well-formed UTF-8 throughout. */
int fz_utf8_valid(const char *s, size_t n);
/* s with every byte that starts no well-formed sequence as U+FFFD, as a
   JSON writer must give it (malloc; its length in *len when not NULL). */
char *fz_utf8_replaced(const char *s, size_t *len);
/* 1 when s contains needle, case-insensitively for ASCII letters. */
int fz_has_nocase(const char *s, const char *needle);

/*
 * Parses s[0..n) as one JSON text (RFC 8259), strictly: nothing but
 * whitespace after the value, strings of well-formed UTF-8 with no raw
 * byte below 0x20 and no lone surrogate escape, numbers by the grammar,
 * nesting at most 64 deep - and, stricter than the RFC, no object with the
 * same key twice (readers disagree about which one wins).  Returns 0, or
 * -1 with the offset and the reason in err.
 */
int fz_json_check(const char *s, size_t n, char *err, size_t err_len);
/* Checks the checkers above on known texts, once per process; aborts when
   one of them is wrong.  Every target calls it first. */
void fz_self_test(void);
/* Decodes the JSON string literal at s (quotes included) into out (malloc,
   NUL-terminated; *out_len its length).  Returns the literal's length, or
   0 when it is not a valid literal. */
size_t fz_json_string(const char *s, size_t n, char **out, size_t *out_len);

#endif
