/*
 * hkdf.c - HKDF-SHA256 through OpenSSL 3's EVP_KDF (see hkdf.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <pthread.h>

#include "hkdf.h"

static EVP_KDF *hkdf;
static pthread_key_t ctx_key;

static void
free_ctx(void *ctx)
{
	EVP_KDF_CTX_free(ctx);
}

static void
fetch_kdf(void)
{
	hkdf = EVP_KDF_fetch(NULL, "HKDF", NULL);	/* NULL: every run fails */
	if (hkdf && pthread_key_create(&ctx_key, free_ctx) != 0) {
		EVP_KDF_free(hkdf);
		hkdf = NULL;
	}
}

/* This thread's HKDF context with its digest set: made once per thread
 * (freed as the thread ends), since setting "SHA256" by name fetches the
 * digest, the larger part of a derivation of 32 bytes.  A run sets its
 * mode, key, salt and info afresh (each set replaces the last); NULL
 * without memory. */
static EVP_KDF_CTX *
thread_ctx(void)
{
	/* fetched once (the algorithm lookup is not free), and safely
	 * whichever thread asks first: the analyzer runs two */
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	OSSL_PARAM params[2];
	EVP_KDF_CTX *ctx;

	(void)pthread_once(&once, fetch_kdf);
	if (!hkdf)
		return NULL;
	if ((ctx = pthread_getspecific(ctx_key)))
		return ctx;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						     (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!(ctx = EVP_KDF_CTX_new(hkdf)))
		return NULL;
	if (EVP_KDF_CTX_set_params(ctx, params) <= 0 ||
	    pthread_setspecific(ctx_key, ctx) != 0) {
		EVP_KDF_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

static enum pdmv2_err
hkdf_run(int mode, const uint8_t *key, size_t key_len, const uint8_t *salt,
	 size_t salt_len, const uint8_t *info, size_t info_len, uint8_t *out,
	 size_t out_len)
{
	EVP_KDF_CTX *ctx = thread_ctx();
	OSSL_PARAM params[5], *p = params;

	if (!ctx)
		return PDMV2_ERR_CRYPTO;
	*p++ = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						 (void *)key, key_len);
	/* salt and info replace the last run's only when given: an
	 * empty one is given as such */
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
						 (void *)(salt ? salt : key),
						 salt ? salt_len : 0);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
						 (void *)(info ? info : key),
						 info ? info_len : 0);
	*p = OSSL_PARAM_construct_end();
	return EVP_KDF_derive(ctx, out, out_len, params) > 0 ? PDMV2_OK
							     : PDMV2_ERR_CRYPTO;
}

enum pdmv2_err
pdmv2_hkdf_extract(const uint8_t *salt, size_t salt_len, const uint8_t *ikm,
		   size_t ikm_len, uint8_t prk[PDMV2_HKDF_HASH_LEN])
{
	static const uint8_t zeros[PDMV2_HKDF_HASH_LEN];
	static const uint8_t empty[1];

	if (salt_len == 0) {
		salt = zeros;
		salt_len = sizeof(zeros);
	}
	/* OpenSSL wants a non-NULL key even when the IKM is empty. */
	return hkdf_run(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, ikm_len ? ikm : empty,
			ikm_len, salt, salt_len, NULL, 0, prk, PDMV2_HKDF_HASH_LEN);
}

enum pdmv2_err
pdmv2_hkdf_expand(const uint8_t *prk, size_t prk_len, const uint8_t *info,
		  size_t info_len, uint8_t *out, size_t out_len)
{
	static const uint8_t empty[1];

	return hkdf_run(EVP_KDF_HKDF_MODE_EXPAND_ONLY, prk, prk_len, NULL, 0,
			info_len ? info : empty, info_len, out, out_len);
}
