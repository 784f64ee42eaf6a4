/*
 * gcm.h - internal: opening AES-GCM through OpenSSL's GCM mode
 * (<openssl/modes.h>) with AES from the provider's AES-ECB, instead of
 * through the EVP AES-GCM cipher.  The same OpenSSL code does the
 * arithmetic (AES-NI for the blocks, its GHASH); what goes is the
 * provider's per-call overhead: an open through EVP costs a parameter
 * lookup by name per setting and four dispatches, twice the time of the
 * AES and GHASH themselves on a 14-byte payload.
 *
 * The AES-ECB context is the provider's own (its newctx, encrypt_init
 * and cipher functions, from the dispatch table OpenSSL's provider
 * interface publishes: provider-cipher(7)), not an EVP_CIPHER_CTX
 * around it.  So its address, and with it the key schedule, is ours to
 * load ahead: behind an EVP_CIPHER_CTX it was a pointer inside an opaque
 * struct, and the first AES block of every open waited for it.  Used by
 * crypto.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_GCM_H
#define PDMV2_GCM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/modes.h>

#include "pdmv2/error.h"

#define PDMV2_GCM_NONCE_BYTES	12
#define PDMV2_GCM_TAG_BYTES	16

struct pdmv2_aes_ecb;	/* the provider's AES-ECB functions (gcm.c) */

/* The block function's key: GCM128 hands it back as const, but a block
 * that fails must be noticed, so the flag is written through it (the
 * struct is never const). */
struct pdmv2_gcm_block {
	const struct pdmv2_aes_ecb *aes;
	void *ctx;		/* the provider's context: the key schedule */
	bool failed;
};

struct pdmv2_gcm {
	GCM128_CONTEXT *mode;	/* H and its table: made from the key */
	struct pdmv2_gcm_block block;
	size_t key_len;
};

/* Whether AES with keys of key_len bytes (16 or 32) can be opened
 * here: the provider of OpenSSL's AES-ECB publishes the functions used.
 * Looked up once. */
bool pdmv2_gcm_available(size_t key_len);
enum pdmv2_err pdmv2_gcm_init(struct pdmv2_gcm *g, size_t key_len,
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
