/*
 * gcm.h - internal: opening AES-GCM through OpenSSL's GCM mode
 * (<openssl/modes.h>) with AES from an EVP AES-ECB context, instead of
 * through the EVP AES-GCM cipher.  The same OpenSSL code does the
 * arithmetic (AES-NI for the blocks, its GHASH); what goes is the
 * provider's per-call overhead: an open through EVP costs a parameter
 * lookup by name per setting and four dispatches, twice the time of the
 * AES and GHASH themselves on a 14-byte payload.  Used by crypto.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_GCM_H
#define PDMV2_GCM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/modes.h>

#include "pdmv2/error.h"

#define PDMV2_GCM_NONCE_BYTES	12
#define PDMV2_GCM_TAG_BYTES	16

/* The block function's key: GCM128 hands it back as const, but an
 * EVP_Cipher that fails must be noticed, so the flag is written
 * through it (the struct is never const). */
struct pdmv2_gcm_block {
	EVP_CIPHER_CTX *ecb;
	bool failed;
};

struct pdmv2_gcm {
	GCM128_CONTEXT *mode;	/* H and its table: made from the key */
	struct pdmv2_gcm_block block;
};

/* ecb: EVP_aes_128_ecb() or EVP_aes_256_ecb(), key of its length. */
enum pdmv2_err pdmv2_gcm_init(struct pdmv2_gcm *g, const EVP_CIPHER *ecb,
			      const uint8_t *key);
enum pdmv2_err pdmv2_gcm_rekey(struct pdmv2_gcm *g, const uint8_t *key);
void pdmv2_gcm_clear(struct pdmv2_gcm *g);	/* frees; OpenSSL wipes */
void pdmv2_gcm_prefetch(const struct pdmv2_gcm *g);

/* Opens len bytes of ct into pt after checking the tag over aad and ct:
 * PDMV2_ERR_AUTH if it does not match (pt then holds no plaintext the
 * caller may use), PDMV2_ERR_CRYPTO if OpenSSL failed. */
enum pdmv2_err pdmv2_gcm_open(struct pdmv2_gcm *g,
			      const uint8_t nonce[PDMV2_GCM_NONCE_BYTES],
			      const uint8_t *aad, size_t aad_len,
			      const uint8_t *ct, size_t len,
			      const uint8_t tag[PDMV2_GCM_TAG_BYTES], uint8_t *pt);

#endif
