/*
 * hpke.c - HPKE Base mode, RFC 9180, for DHKEM(X25519, HKDF-SHA256),
 * HKDF-SHA256 and AES-128-GCM / AES-256-GCM / ChaCha20-Poly1305, composed
 * from OpenSSL 3.0 primitives: X25519 through EVP_PKEY, HKDF through
 * EVP_KDF (hkdf.c), the AEADs through EVP_CIPHER.  Only the RFC's key
 * schedule is written here; no primitive is.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "aead_evp.h"
#include "hkdf.h"
#include "pdmv2/hpke.h"
#include "pdmv2/reader.h"

#define SUITE_MAX 10

struct suite {
	uint8_t id[SUITE_MAX];
	size_t len;
};

static void
kem_suite(struct suite *s)
{
	memcpy(s->id, "KEM", 3);
	pdmv2_put_u16(s->id + 3, PDMV2_HPKE_KEM_X25519);
	s->len = 5;
}

static void
hpke_suite(struct suite *s, enum pdmv2_aead aead)
{
	memcpy(s->id, "HPKE", 4);
	pdmv2_put_u16(s->id + 4, PDMV2_HPKE_KEM_X25519);
	pdmv2_put_u16(s->id + 6, PDMV2_KDF_HKDF_SHA256);
	pdmv2_put_u16(s->id + 8, (uint16_t)aead);
	s->len = 10;
}

/* RFC 9180 4: LabeledExtract / LabeledExpand under the suite's id. */
static enum pdmv2_err
labeled_extract(const struct suite *s, const uint8_t *salt, size_t salt_len,
		const char *label, const uint8_t *ikm, size_t ikm_len,
		uint8_t prk[32])
{
	return pdmv2_hkdf_labeled_extract(s->id, s->len, salt, salt_len, label,
					  ikm, ikm_len, prk);
}

static enum pdmv2_err
labeled_expand(const struct suite *s, const uint8_t prk[32], const char *label,
	       const uint8_t *info, size_t info_len, uint8_t *out, size_t L)
{
	return pdmv2_hkdf_labeled_expand(s->id, s->len, prk, label, info,
					 info_len, out, L);
}

enum pdmv2_err
pdmv2_hpke_public_key(const uint8_t sk[32], uint8_t pk[32])
{
	EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, sk, 32);
	size_t len = 32;
	enum pdmv2_err rc = PDMV2_ERR_CRYPTO;

	if (k && EVP_PKEY_get_raw_public_key(k, pk, &len) > 0 && len == 32)
		rc = PDMV2_OK;
	EVP_PKEY_free(k);
	return rc;
}

enum pdmv2_err
pdmv2_hpke_derive_keypair(const uint8_t *ikm, size_t ikm_len, uint8_t sk[32],
			  uint8_t pk[32])
{
	struct suite s;
	uint8_t prk[32];
	enum pdmv2_err rc;

	kem_suite(&s);
	rc = labeled_extract(&s, NULL, 0, "dkp_prk", ikm, ikm_len, prk);
	if (rc == PDMV2_OK)
		rc = labeled_expand(&s, prk, "sk", NULL, 0, sk, 32);
	pdmv2_wipe(prk, sizeof(prk));
	if (rc == PDMV2_OK)
		rc = pdmv2_hpke_public_key(sk, pk);
	return rc;
}

enum pdmv2_err
pdmv2_hpke_generate(uint8_t sk[32], uint8_t pk[32])
{
	uint8_t ikm[32];
	enum pdmv2_err rc;

	if (RAND_priv_bytes(ikm, sizeof(ikm)) != 1)
		return PDMV2_ERR_CRYPTO;
	rc = pdmv2_hpke_derive_keypair(ikm, sizeof(ikm), sk, pk);
	pdmv2_wipe(ikm, sizeof(ikm));
	return rc;
}

static enum pdmv2_err
x25519(const uint8_t sk[32], const uint8_t peer[32], uint8_t out[32])
{
	EVP_PKEY *me = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, sk, 32);
	EVP_PKEY *them = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, peer, 32);
	EVP_PKEY_CTX *ctx = me ? EVP_PKEY_CTX_new(me, NULL) : NULL;
	size_t len = 32;
	enum pdmv2_err rc = PDMV2_ERR_CRYPTO;

	/* OpenSSL rejects the all-zero shared secret (RFC 9180 7.1.4). */
	if (ctx && them && EVP_PKEY_derive_init(ctx) > 0 &&
	    EVP_PKEY_derive_set_peer(ctx, them) > 0 &&
	    EVP_PKEY_derive(ctx, out, &len) > 0 && len == 32)
		rc = PDMV2_OK;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(me);
	EVP_PKEY_free(them);
	return rc;
}

static enum pdmv2_err
extract_and_expand(const uint8_t dh[32], const uint8_t kem_context[64],
		   uint8_t shared_secret[32])
{
	struct suite s;
	uint8_t prk[32];
	enum pdmv2_err rc;

	kem_suite(&s);
	rc = labeled_extract(&s, NULL, 0, "eae_prk", dh, 32, prk);
	if (rc == PDMV2_OK)
		rc = labeled_expand(&s, prk, "shared_secret", kem_context, 64,
				    shared_secret, 32);
	pdmv2_wipe(prk, sizeof(prk));
	return rc;
}

enum pdmv2_err
pdmv2_hpke_encap(const uint8_t pkR[32], const uint8_t *skE, uint8_t enc[32],
		 uint8_t shared_secret[32])
{
	uint8_t sk[32], dh[32], kem_context[64];
	enum pdmv2_err rc;

	if (skE) {
		memcpy(sk, skE, 32);
		rc = pdmv2_hpke_public_key(sk, enc);
	} else {
		rc = pdmv2_hpke_generate(sk, enc);
	}
	if (rc == PDMV2_OK)
		rc = x25519(sk, pkR, dh);
	if (rc == PDMV2_OK) {
		memcpy(kem_context, enc, 32);
		memcpy(kem_context + 32, pkR, 32);
		rc = extract_and_expand(dh, kem_context, shared_secret);
	}
	pdmv2_wipe(sk, sizeof(sk));
	pdmv2_wipe(dh, sizeof(dh));
	return rc;
}

enum pdmv2_err
pdmv2_hpke_decap(const uint8_t enc[32], const uint8_t skR[32],
		 uint8_t shared_secret[32])
{
	uint8_t dh[32], kem_context[64];
	enum pdmv2_err rc = x25519(skR, enc, dh);

	if (rc == PDMV2_OK) {
		memcpy(kem_context, enc, 32);
		rc = pdmv2_hpke_public_key(skR, kem_context + 32);
	}
	if (rc == PDMV2_OK)
		rc = extract_and_expand(dh, kem_context, shared_secret);
	pdmv2_wipe(dh, sizeof(dh));
	return rc;
}

enum pdmv2_err
pdmv2_hpke_key_schedule(enum pdmv2_aead aead, const uint8_t shared_secret[32],
			const uint8_t *info, size_t info_len,
			struct pdmv2_hpke_ctx *ctx)
{
	struct suite s;
	uint8_t *ksc = ctx->key_schedule_context;
	size_t nk = pdmv2_aead_key_len(aead);
	enum pdmv2_err rc;

	if (!nk)
		return PDMV2_ERR_INVALID;
	memset(ctx, 0, sizeof(*ctx));
	ctx->aead = aead;
	memcpy(ctx->shared_secret, shared_secret, 32);
	hpke_suite(&s, aead);
	ksc[0] = 0;	/* mode_base */
	rc = labeled_extract(&s, NULL, 0, "psk_id_hash", NULL, 0, ksc + 1);
	if (rc == PDMV2_OK)
		rc = labeled_extract(&s, NULL, 0, "info_hash", info, info_len, ksc + 33);
	if (rc == PDMV2_OK)
		rc = labeled_extract(&s, shared_secret, 32, "secret", NULL, 0, ctx->secret);
	if (rc == PDMV2_OK)
		rc = labeled_expand(&s, ctx->secret, "key", ksc, 65, ctx->key, nk);
	if (rc == PDMV2_OK)
		rc = labeled_expand(&s, ctx->secret, "base_nonce", ksc, 65,
				    ctx->base_nonce, 12);
	if (rc == PDMV2_OK)
		rc = labeled_expand(&s, ctx->secret, "exp", ksc, 65,
				    ctx->exporter_secret, 32);
	if (rc != PDMV2_OK)
		pdmv2_hpke_ctx_wipe(ctx);
	return rc;
}

static enum pdmv2_err
aead_run(struct pdmv2_hpke_ctx *ctx, int enc, const uint8_t *aad, size_t aad_len,
	 const uint8_t *in, size_t in_len, uint8_t *out)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	uint8_t nonce[12], tag[16];
	size_t body = enc ? in_len : in_len - 16;
	int len, i;
	enum pdmv2_err rc = PDMV2_ERR_CRYPTO;

	if (!c)
		return PDMV2_ERR_CRYPTO;
	if (!enc && in_len < 16) {
		EVP_CIPHER_CTX_free(c);
		return PDMV2_ERR_AUTH;
	}
	/* nonce = base_nonce XOR I2OSP(seq, Nn) */
	memcpy(nonce, ctx->base_nonce, 12);
	for (i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(ctx->seq >> (8 * i));
	if (EVP_CipherInit_ex(c, pdmv2_aead_evp(ctx->aead), NULL, ctx->key, nonce, enc) <= 0 ||
	    (aad_len && EVP_CipherUpdate(c, NULL, &len, aad, (int)aad_len) <= 0) ||
	    EVP_CipherUpdate(c, out, &len, in, (int)body) <= 0)
		goto out;
	if (!enc) {
		memcpy(tag, in + body, 16);
		if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, 16, tag) <= 0)
			goto out;
	}
	if (EVP_CipherFinal_ex(c, out + len, &len) <= 0) {
		rc = enc ? PDMV2_ERR_CRYPTO : PDMV2_ERR_AUTH;
		goto out;
	}
	if (enc && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, 16, out + body) <= 0)
		goto out;
	ctx->seq++;
	rc = PDMV2_OK;
out:
	EVP_CIPHER_CTX_free(c);
	return rc;
}

enum pdmv2_err
pdmv2_hpke_seal(struct pdmv2_hpke_ctx *ctx, const uint8_t *aad, size_t aad_len,
		const uint8_t *pt, size_t pt_len, uint8_t *ct)
{
	return aead_run(ctx, 1, aad, aad_len, pt, pt_len, ct);
}

enum pdmv2_err
pdmv2_hpke_open(struct pdmv2_hpke_ctx *ctx, const uint8_t *aad, size_t aad_len,
		const uint8_t *ct, size_t ct_len, uint8_t *pt)
{
	return aead_run(ctx, 0, aad, aad_len, ct, ct_len, pt);
}

enum pdmv2_err
pdmv2_hpke_export(const struct pdmv2_hpke_ctx *ctx, const uint8_t *exporter_context,
		  size_t ec_len, uint8_t *out, size_t out_len)
{
	struct suite s;

	hpke_suite(&s, ctx->aead);
	return labeled_expand(&s, ctx->exporter_secret, "sec", exporter_context,
			      ec_len, out, out_len);
}

void
pdmv2_hpke_ctx_wipe(struct pdmv2_hpke_ctx *ctx)
{
	pdmv2_wipe(ctx, sizeof(*ctx));
}

static enum pdmv2_err
registration_secret(enum pdmv2_aead aead, const uint8_t shared[32],
		    uint8_t secret[PDMV2_SECRET_BYTES])
{
	struct pdmv2_hpke_ctx ctx;
	enum pdmv2_err rc;

	rc = pdmv2_hpke_key_schedule(aead, shared,
				     (const uint8_t *)PDMV2_HPKE_REGISTRATION_INFO,
				     strlen(PDMV2_HPKE_REGISTRATION_INFO), &ctx);
	if (rc == PDMV2_OK)
		rc = pdmv2_hpke_export(&ctx, (const uint8_t *)PDMV2_HPKE_EXPORT_LABEL,
				       strlen(PDMV2_HPKE_EXPORT_LABEL), secret,
				       PDMV2_SECRET_BYTES);
	pdmv2_hpke_ctx_wipe(&ctx);
	return rc;
}

enum pdmv2_err
pdmv2_registration_client(enum pdmv2_aead aead, const uint8_t pkS[32],
			  const uint8_t *skE, uint8_t enc[32],
			  uint8_t secret[PDMV2_SECRET_BYTES])
{
	uint8_t shared[32];
	enum pdmv2_err rc = pdmv2_hpke_encap(pkS, skE, enc, shared);

	if (rc == PDMV2_OK)
		rc = registration_secret(aead, shared, secret);
	pdmv2_wipe(shared, sizeof(shared));
	return rc;
}

enum pdmv2_err
pdmv2_registration_server(enum pdmv2_aead aead, const uint8_t enc[32],
			  const uint8_t skS[32], uint8_t secret[PDMV2_SECRET_BYTES])
{
	uint8_t shared[32];
	enum pdmv2_err rc = pdmv2_hpke_decap(enc, skS, shared);

	if (rc == PDMV2_OK)
		rc = registration_secret(aead, shared, secret);
	pdmv2_wipe(shared, sizeof(shared));
	return rc;
}
