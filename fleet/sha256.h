/* SPDX-License-Identifier: MIT */
/*
 * sha256.h - SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104), for the
 * anonymous host names of --anonymize.  Not for secrets at rest: nothing
 * here is constant-time.
 */
#ifndef LP_SHA256_H
#define LP_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define LP_SHA256_LEN 32

struct lp_sha256 {
  uint32_t h[8];
  uint64_t bytes; /* message length so far */
  unsigned char block[64];
  size_t used; /* bytes waiting in block */
};

void lp_sha256_init(struct lp_sha256 *s);
void lp_sha256_update(struct lp_sha256 *s, const void *data, size_t n);
void lp_sha256_final(struct lp_sha256 *s, unsigned char out[LP_SHA256_LEN]);

/* HMAC-SHA-256 of msg under key. */
void lp_hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len,
                    unsigned char out[LP_SHA256_LEN]);

#endif
