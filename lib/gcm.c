/*
 * gcm.c - AES-GCM opens on OpenSSL's GCM128 mode with an EVP AES-ECB
 * block function (see gcm.h for why not the EVP AES-GCM cipher).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "gcm.h"
#include "pdmv2/prefetch.h"

/* GCM128's block128_f: one AES block under the context's key. */
static void
ecb_block(const unsigned char in[16], unsigned char out[16], const void *key)
{
	struct pdmv2_gcm_block *b = (struct pdmv2_gcm_block *)key;

	if (EVP_Cipher(b->ecb, out, in, 16) <= 0)
		b->failed = true;
}

enum pdmv2_err
pdmv2_gcm_init(struct pdmv2_gcm *g, const EVP_CIPHER *ecb, const uint8_t *key)
{
	memset(g, 0, sizeof(*g));
	if (!(g->block.ecb = EVP_CIPHER_CTX_new()) ||
	    EVP_EncryptInit_ex2(g->block.ecb, ecb, key, NULL, NULL) <= 0 ||
	    !(g->mode = CRYPTO_gcm128_new(&g->block, ecb_block)) ||
	    g->block.failed) {
		pdmv2_gcm_clear(g);
		return PDMV2_ERR_CRYPTO;
	}
	return PDMV2_OK;
}

enum pdmv2_err
pdmv2_gcm_rekey(struct pdmv2_gcm *g, const uint8_t *key)
{
	g->block.failed = false;
	/* H = AES(key, 0) is recomputed by init, and with it the table */
	if (EVP_EncryptInit_ex2(g->block.ecb, NULL, key, NULL, NULL) <= 0)
		return PDMV2_ERR_CRYPTO;
	CRYPTO_gcm128_init(g->mode, &g->block, ecb_block);
	return g->block.failed ? PDMV2_ERR_CRYPTO : PDMV2_OK;
}

void
pdmv2_gcm_clear(struct pdmv2_gcm *g)
{
	CRYPTO_gcm128_release(g->mode);		/* cleansed: H is key material */
	EVP_CIPHER_CTX_free(g->block.ecb);	/* cleanses the key schedule */
	memset(g, 0, sizeof(*g));
}

/* Both contexts are opaque, so their sizes are OpenSSL 3.0's on x86-64,
 * read off its source: GCM128_CONTEXT is 440 bytes, and an open touches
 * all of them (counters, GHASH table, then the function pointers at the
 * end); EVP_CIPHER_CTX is 176, with the provider context's pointer at
 * 168.  A prefetch never faults, so a smaller struct elsewhere costs a
 * wasted load, nothing more. */
#define MODE_BYTES 440
#define ECB_BYTES 176

void
pdmv2_gcm_prefetch(const struct pdmv2_gcm *g)
{
	pdmv2_prefetch_range(g->mode, MODE_BYTES);
	pdmv2_prefetch_range(g->block.ecb, ECB_BYTES);
}

enum pdmv2_err
pdmv2_gcm_open(struct pdmv2_gcm *g, const uint8_t nonce[PDMV2_GCM_NONCE_BYTES],
	       const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t len,
	       const uint8_t tag[PDMV2_GCM_TAG_BYTES], uint8_t *pt)
{
	int fin;

	g->block.failed = false;
	CRYPTO_gcm128_setiv(g->mode, nonce, PDMV2_GCM_NONCE_BYTES);
	if (CRYPTO_gcm128_aad(g->mode, aad, aad_len) != 0 ||
	    CRYPTO_gcm128_decrypt(g->mode, ct, pt, len) != 0)
		return PDMV2_ERR_CRYPTO;
	fin = CRYPTO_gcm128_finish(g->mode, tag, PDMV2_GCM_TAG_BYTES);
	/* an AES block that failed left stale bytes in the mode: whatever
	 * the tag compare said, nothing here may be trusted */
	if (g->block.failed)
		return PDMV2_ERR_CRYPTO;
	return fin == 0 ? PDMV2_OK : PDMV2_ERR_AUTH;
}
