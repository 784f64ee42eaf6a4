/*
 * hkdf.c - HKDF-SHA256 through OpenSSL 3's EVP_KDF (see hkdf.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <pthread.h>

#include <glib.h>

#include "hkdf.h"
#include "pdmv2/reader.h"

#define LABEL_PREFIX "HPKE-v1"
/* Labeled inputs up to this size are built on the stack; the ones the
 * profile and HPKE derive are under 150 bytes. */
#define LABELED_STACK 256

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

/* [I2OSP(L, 2) when with_len] || "HPKE-v1" || suite_id || label || data
 * into stack when it fits, else a heap buffer. */
static uint8_t *
labeled_input(uint8_t stack[LABELED_STACK], bool with_len, size_t L,
	      const uint8_t *suite_id, size_t id_len, const char *label,
	      const uint8_t *data, size_t data_len, size_t *n)
{
	size_t ll = strlen(label), k = 0;
	uint8_t *buf;

	*n = (with_len ? 2 : 0) + 7 + id_len + ll + data_len;
	buf = *n <= LABELED_STACK ? stack : g_malloc(*n);
	if (with_len) {
		pdmv2_put_u16(buf, (uint16_t)L);
		k = 2;
	}
	memcpy(buf + k, LABEL_PREFIX, 7);
	k += 7;
	memcpy(buf + k, suite_id, id_len);
	k += id_len;
	memcpy(buf + k, label, ll);
	k += ll;
	if (data_len)
		memcpy(buf + k, data, data_len);
	return buf;
}

static void
labeled_done(uint8_t *buf, const uint8_t *stack, size_t n)
{
	pdmv2_wipe(buf, n);
	if (buf != stack)
		g_free(buf);
}

enum pdmv2_err
pdmv2_hkdf_labeled_extract(const uint8_t *suite_id, size_t id_len,
			   const uint8_t *salt, size_t salt_len,
			   const char *label, const uint8_t *ikm,
			   size_t ikm_len, uint8_t prk[PDMV2_HKDF_HASH_LEN])
{
	uint8_t stack[LABELED_STACK], *buf;
	enum pdmv2_err rc;
	size_t n;

	buf = labeled_input(stack, false, 0, suite_id, id_len, label, ikm,
			    ikm_len, &n);
	rc = pdmv2_hkdf_extract(salt, salt_len, buf, n, prk);
	labeled_done(buf, stack, n);
	return rc;
}

enum pdmv2_err
pdmv2_hkdf_labeled_expand(const uint8_t *suite_id, size_t id_len,
			  const uint8_t prk[PDMV2_HKDF_HASH_LEN],
			  const char *label, const uint8_t *info,
			  size_t info_len, uint8_t *out, size_t L)
{
	uint8_t stack[LABELED_STACK], *buf;
	enum pdmv2_err rc;
	size_t n;

	if (L > 0xFFFF)
		return PDMV2_ERR_INVALID;
	buf = labeled_input(stack, true, L, suite_id, id_len, label, info,
			    info_len, &n);
	rc = pdmv2_hkdf_expand(prk, PDMV2_HKDF_HASH_LEN, buf, n, out, L);
	labeled_done(buf, stack, n);
	return rc;
}
