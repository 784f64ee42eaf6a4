/*
 * gcm.c - AES-GCM opens on OpenSSL's GCM128 mode with an EVP AES-ECB
 * block function (see gcm.h for why not the EVP AES-GCM cipher).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <pthread.h>
#include <string.h>
#include <strings.h>

#include <openssl/core_dispatch.h>
#include <openssl/evp.h>
#include <openssl/provider.h>

#include "gcm.h"
#include "pdmv2/prefetch.h"

/* What of a provider's AES-ECB an open uses, found once per key size. */
struct pdmv2_aes_ecb {
	bool ok;			/* all four found */
	EVP_CIPHER *held;		/* keeps the provider loaded */
	void *provctx;
	OSSL_FUNC_cipher_newctx_fn *newctx;
	OSSL_FUNC_cipher_encrypt_init_fn *init;
	OSSL_FUNC_cipher_cipher_fn *cipher;
	OSSL_FUNC_cipher_freectx_fn *freectx;
};

static struct pdmv2_aes_ecb aes128, aes256;
static pthread_once_t aes128_once = PTHREAD_ONCE_INIT;
static pthread_once_t aes256_once = PTHREAD_ONCE_INIT;

/* names: an algorithm's names, separated by colons */
static bool
names_include(const char *names, const char *name)
{
	size_t n = strlen(name);

	for (;;) {
		const char *end = strchr(names, ':');
		size_t len = end ? (size_t)(end - names) : strlen(names);

		if (len == n && strncasecmp(names, name, n) == 0)
			return true;
		if (!end)
			return false;
		names = end + 1;
	}
}

/* The functions of the implementation EVP would use for name, out of
 * the provider's published dispatch table. */
static void
look_up(struct pdmv2_aes_ecb *e, const char *name)
{
	const OSSL_ALGORITHM *algs, *a;
	const OSSL_PROVIDER *prov;
	const OSSL_DISPATCH *d;
	int no_cache = 0;

	if (!(e->held = EVP_CIPHER_fetch(NULL, name, NULL)) ||
	    !(prov = EVP_CIPHER_get0_provider(e->held)) ||
	    !(algs = OSSL_PROVIDER_query_operation(prov, OSSL_OP_CIPHER, &no_cache)))
		return;
	for (a = algs; a->algorithm_names; a++) {
		if (!names_include(a->algorithm_names, name))
			continue;
		for (d = a->implementation; d->function_id; d++) {
			switch (d->function_id) {
			case OSSL_FUNC_CIPHER_NEWCTX:
				e->newctx = OSSL_FUNC_cipher_newctx(d);
				break;
			case OSSL_FUNC_CIPHER_ENCRYPT_INIT:
				e->init = OSSL_FUNC_cipher_encrypt_init(d);
				break;
			case OSSL_FUNC_CIPHER_CIPHER:
				e->cipher = OSSL_FUNC_cipher_cipher(d);
				break;
			case OSSL_FUNC_CIPHER_FREECTX:
				e->freectx = OSSL_FUNC_cipher_freectx(d);
				break;
			}
		}
		break;
	}
	OSSL_PROVIDER_unquery_operation(prov, OSSL_OP_CIPHER, algs);
	e->provctx = OSSL_PROVIDER_get0_provider_ctx(prov);
	e->ok = e->newctx && e->init && e->cipher && e->freectx;
}

static void
look_up_128(void)
{
	look_up(&aes128, "AES-128-ECB");
}

static void
look_up_256(void)
{
	look_up(&aes256, "AES-256-ECB");
}

static const struct pdmv2_aes_ecb *
aes_ecb(size_t key_len)
{
	if (key_len == 16 && pthread_once(&aes128_once, look_up_128) == 0)
		return aes128.ok ? &aes128 : NULL;
	if (key_len == 32 && pthread_once(&aes256_once, look_up_256) == 0)
		return aes256.ok ? &aes256 : NULL;
	return NULL;
}

bool
pdmv2_gcm_available(size_t key_len)
{
	return aes_ecb(key_len) != NULL;
}

/* GCM128's block128_f: one AES block under the context's key. */
static void
aes_block(const unsigned char in[16], unsigned char out[16], const void *key)
{
	struct pdmv2_gcm_block *b = (struct pdmv2_gcm_block *)key;
	size_t outl = 0;

	if (!b->aes->cipher(b->ctx, out, &outl, 16, in, 16) || outl != 16)
		b->failed = true;
}

enum pdmv2_err
pdmv2_gcm_init(struct pdmv2_gcm *g, size_t key_len, const uint8_t *key)
{
	const struct pdmv2_aes_ecb *aes = aes_ecb(key_len);

	memset(g, 0, sizeof(*g));
	if (!aes)
		return PDMV2_ERR_CRYPTO;
	g->block.aes = aes;
	g->key_len = key_len;
	if (!(g->block.ctx = aes->newctx(aes->provctx)) ||
	    !aes->init(g->block.ctx, key, key_len, NULL, 0, NULL) ||
	    !(g->mode = CRYPTO_gcm128_new(&g->block, aes_block)) ||
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
	if (!g->block.aes->init(g->block.ctx, key, g->key_len, NULL, 0, NULL))
		return PDMV2_ERR_CRYPTO;
	CRYPTO_gcm128_init(g->mode, &g->block, aes_block);
	return g->block.failed ? PDMV2_ERR_CRYPTO : PDMV2_OK;
}

void
pdmv2_gcm_clear(struct pdmv2_gcm *g)
{
	CRYPTO_gcm128_release(g->mode);		/* cleansed: H is key material */
	if (g->block.ctx)			/* cleanses the key schedule */
		g->block.aes->freectx(g->block.ctx);
	memset(g, 0, sizeof(*g));
}

/* The contexts are opaque, so their sizes are OpenSSL 3.0's on x86-64,
 * read off its source: GCM128_CONTEXT is 440 bytes, and an open touches
 * all of them (counters, GHASH table, then the function pointers at the
 * end).  Of the provider's AES context an AES block reads the generic
 * cipher state (the key schedule's pointer at 176) and the schedule
 * itself, from 192 to its round count at 432: 448 bytes, seven lines
 * (found in a live context of each key size; its allocation is 456
 * bytes, so a span of 480 loaded the next heap chunk's line too).  A
 * prefetch never faults, so a smaller struct elsewhere costs a wasted
 * load, nothing more. */
#define MODE_BYTES 440
#define AES_CTX_BYTES 448

void
pdmv2_gcm_prefetch(const struct pdmv2_gcm *g)
{
	pdmv2_prefetch_range(g->mode, MODE_BYTES);
	pdmv2_prefetch_range(g->block.ctx, AES_CTX_BYTES);
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
