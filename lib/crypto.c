/*
 * crypto.c - the PDMv2 crypto profile (PROFILE.md 5): labeled HKDF with
 * the PDMv2 suite_id, SessionTemporaryKey derivation and one-option
 * seal/open on OpenSSL 3 EVP.
 *
 * A struct pdmv2_cipher keeps its EVP contexts initialised with the
 * key, so a packet only sets its nonce, AAD, ciphertext and tag: no key
 * schedule per packet (5.2).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "aead_evp.h"
#include "hkdf.h"
#include "pdmv2/crypto.h"
#include "pdmv2/reader.h"

struct pdmv2_cipher {
	EVP_CIPHER_CTX *open;		/* key set once */
	uint8_t base_nonce[PDMV2_NONCE_BYTES];
	enum pdmv2_aead aead;
	const EVP_CIPHER *evp;
	EVP_CIPHER_CTX *seal;		/* made on first seal */
	size_t key_len;
	uint8_t key[PDMV2_KEY_MAX];
};

void
pdmv2_wipe(void *p, size_t n)
{
	OPENSSL_cleanse(p, n);
}

/* The AEADs of the profile: key log name, Nk, the EVP AEAD. */
static const struct aead_info {
	enum pdmv2_aead id;
	const char *name;
	size_t key_len;
	const EVP_CIPHER *(*evp)(void);
} aeads[] = {
	{PDMV2_AEAD_AES128GCM, "aes128gcm", 16, EVP_aes_128_gcm},
	{PDMV2_AEAD_AES256GCM, "aes256gcm", 32, EVP_aes_256_gcm},
	{PDMV2_AEAD_CHACHA20POLY1305, "chacha20poly1305", 32,
	 EVP_chacha20_poly1305},
};

static const struct aead_info *
aead_info(enum pdmv2_aead aead)
{
	size_t i;

	for (i = 0; i < sizeof(aeads) / sizeof(aeads[0]); i++)
		if (aeads[i].id == aead)
			return &aeads[i];
	return NULL;
}

const char *
pdmv2_aead_name(enum pdmv2_aead aead)
{
	const struct aead_info *a = aead_info(aead);

	return a ? a->name : NULL;
}

enum pdmv2_err
pdmv2_aead_from_name(const char *name, enum pdmv2_aead *aead)
{
	size_t i;

	for (i = 0; i < sizeof(aeads) / sizeof(aeads[0]); i++) {
		if (strcmp(name, aeads[i].name) == 0) {
			*aead = aeads[i].id;
			return PDMV2_OK;
		}
	}
	return PDMV2_ERR_INVALID;
}

size_t
pdmv2_aead_key_len(enum pdmv2_aead aead)
{
	const struct aead_info *a = aead_info(aead);

	return a ? a->key_len : 0;
}

const EVP_CIPHER *
pdmv2_aead_evp(enum pdmv2_aead aead)
{
	const struct aead_info *a = aead_info(aead);

	return a ? a->evp() : NULL;
}

void
pdmv2_suite_id(enum pdmv2_aead aead, uint8_t out[PDMV2_SUITE_ID_BYTES])
{
	memcpy(out, "PDMv2", 5);
	pdmv2_put_u16(out + 5, PDMV2_KDF_HKDF_SHA256);
	pdmv2_put_u16(out + 7, (uint16_t)aead);
}

enum pdmv2_err
pdmv2_labeled_extract(enum pdmv2_aead aead, const uint8_t *salt,
		      size_t salt_len, const char *label, const uint8_t *ikm,
		      size_t ikm_len, uint8_t prk[PDMV2_NH])
{
	uint8_t id[PDMV2_SUITE_ID_BYTES];

	if (!pdmv2_aead_key_len(aead))
		return PDMV2_ERR_INVALID;
	pdmv2_suite_id(aead, id);
	return pdmv2_hkdf_labeled_extract(id, sizeof(id), salt, salt_len, label,
					  ikm, ikm_len, prk);
}

enum pdmv2_err
pdmv2_labeled_expand(enum pdmv2_aead aead, const uint8_t prk[PDMV2_NH],
		     const char *label, const uint8_t *info, size_t info_len,
		     uint8_t *out, size_t out_len)
{
	uint8_t id[PDMV2_SUITE_ID_BYTES];

	if (!pdmv2_aead_key_len(aead))
		return PDMV2_ERR_INVALID;
	pdmv2_suite_id(aead, id);
	return pdmv2_hkdf_labeled_expand(id, sizeof(id), prk, label, info,
					 info_len, out, out_len);
}

enum pdmv2_err
pdmv2_derive_prk(enum pdmv2_aead aead, const uint8_t secret[PDMV2_SECRET_BYTES],
		 const uint8_t *salt, size_t salt_len, uint8_t prk[PDMV2_NH])
{
	if (salt_len > PDMV2_SALT_MAX)
		return PDMV2_ERR_INVALID;
	return pdmv2_labeled_extract(aead, salt, salt_len, "pdmv2 prk", secret,
				     PDMV2_SECRET_BYTES, prk);
}

/* 5.2 and 5.5: a key and a base nonce expanded from the PRK with the
 * five-tuple and a 32-bit index (the KRI, or the Epoch) as info */
static enum pdmv2_err
derive_key_nonce(enum pdmv2_aead aead, const uint8_t prk[PDMV2_NH],
		 const uint8_t five_tuple[PDMV2_FIVE_TUPLE_BYTES],
		 uint32_t index, const char *key_label, const char *nonce_label,
		 uint8_t key[PDMV2_KEY_MAX],
		 uint8_t base_nonce[PDMV2_NONCE_BYTES])
{
	uint8_t info[PDMV2_FIVE_TUPLE_BYTES + 4];
	size_t nk = pdmv2_aead_key_len(aead);
	enum pdmv2_err rc;

	if (!nk)
		return PDMV2_ERR_INVALID;
	memcpy(info, five_tuple, PDMV2_FIVE_TUPLE_BYTES);
	pdmv2_put_u32(info + PDMV2_FIVE_TUPLE_BYTES, index);
	rc = pdmv2_labeled_expand(aead, prk, key_label, info, sizeof(info),
				  key, nk);
	if (rc == PDMV2_OK)
		rc = pdmv2_labeled_expand(aead, prk, nonce_label, info,
					  sizeof(info), base_nonce,
					  PDMV2_NONCE_BYTES);
	return rc;
}

enum pdmv2_err
pdmv2_derive_session(enum pdmv2_aead aead, const uint8_t prk[PDMV2_NH],
		     const uint8_t five_tuple[PDMV2_FIVE_TUPLE_BYTES],
		     uint32_t kri, uint8_t key[PDMV2_KEY_MAX],
		     uint8_t base_nonce[PDMV2_NONCE_BYTES])
{
	return derive_key_nonce(aead, prk, five_tuple, kri, "pdmv2 key",
				"pdmv2 nonce", key, base_nonce);
}

enum pdmv2_err
pdmv2_derive_epoch(enum pdmv2_aead aead, const uint8_t prk[PDMV2_NH],
		   const uint8_t five_tuple[PDMV2_FIVE_TUPLE_BYTES],
		   uint32_t epoch, uint8_t key[PDMV2_KEY_MAX],
		   uint8_t base_nonce[PDMV2_NONCE_BYTES])
{
	/* 5.5: the labels differ from 5.2's, so no (key, nonce) of one
	 * layout serves the other */
	return derive_key_nonce(aead, prk, five_tuple, epoch, "pdmv2 epoch key",
				"pdmv2 epoch nonce", key, base_nonce);
}

void
pdmv2_epoch_nonce(const uint8_t base_nonce[PDMV2_NONCE_BYTES], uint32_t epoch,
		  uint32_t psntp, uint8_t nonce[PDMV2_NONCE_BYTES])
{
	uint64_t n = (uint64_t)epoch << 32 | psntp;
	unsigned i;

	memcpy(nonce, base_nonce, PDMV2_NONCE_BYTES);
	for (i = 0; i < 8; i++)
		nonce[PDMV2_NONCE_BYTES - 1 - i] ^= (uint8_t)(n >> (8 * i));
}

enum pdmv2_err
pdmv2_secondary_secret(enum pdmv2_aead aead, const uint8_t pms[PDMV2_SECRET_BYTES],
		       const uint8_t client[16], uint8_t out[PDMV2_SECRET_BYTES])
{
	uint8_t prk[PDMV2_NH];
	enum pdmv2_err rc;

	rc = pdmv2_labeled_extract(aead, NULL, 0, "pdmv2 primary", pms,
				   PDMV2_SECRET_BYTES, prk);
	if (rc == PDMV2_OK)
		rc = pdmv2_labeled_expand(aead, prk, "pdmv2 secondary", client,
					  16, out, PDMV2_SECRET_BYTES);
	pdmv2_wipe(prk, sizeof(prk));
	return rc;
}

static EVP_CIPHER_CTX *
ctx_with_key(const struct pdmv2_cipher *c, int enc)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (!ctx)
		return NULL;
	/* 12-byte nonce is the default IV length of all three AEADs. */
	if (EVP_CipherInit_ex(ctx, c->evp, NULL, c->key, NULL, enc) <= 0) {
		EVP_CIPHER_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

enum pdmv2_err
pdmv2_cipher_new(enum pdmv2_aead aead, const uint8_t *key,
		 const uint8_t base_nonce[PDMV2_NONCE_BYTES],
		 struct pdmv2_cipher **out)
{
	struct pdmv2_cipher *c;

	*out = NULL;
	if (!pdmv2_aead_key_len(aead))
		return PDMV2_ERR_INVALID;
	c = g_new0(struct pdmv2_cipher, 1);
	c->aead = aead;
	c->evp = pdmv2_aead_evp(aead);
	c->key_len = pdmv2_aead_key_len(aead);
	memcpy(c->key, key, c->key_len);
	memcpy(c->base_nonce, base_nonce, PDMV2_NONCE_BYTES);
	if (!c->evp || !(c->open = ctx_with_key(c, 0))) {
		pdmv2_cipher_free(c);
		return PDMV2_ERR_CRYPTO;
	}
	*out = c;
	return PDMV2_OK;
}

void
pdmv2_cipher_free(struct pdmv2_cipher *c)
{
	if (!c)
		return;
	EVP_CIPHER_CTX_free(c->open);	/* OpenSSL cleanses the key schedule */
	EVP_CIPHER_CTX_free(c->seal);
	pdmv2_wipe(c, sizeof(*c));
	g_free(c);
}

enum pdmv2_err
pdmv2_cipher_rekey(struct pdmv2_cipher *c, const uint8_t *key,
		   const uint8_t base_nonce[PDMV2_NONCE_BYTES])
{
	memcpy(c->key, key, c->key_len);
	memcpy(c->base_nonce, base_nonce, PDMV2_NONCE_BYTES);
	/* the sealing context, rarely made, is made again when needed */
	EVP_CIPHER_CTX_free(c->seal);
	c->seal = NULL;
	if (EVP_DecryptInit_ex2(c->open, NULL, c->key, NULL, NULL) <= 0)
		return PDMV2_ERR_CRYPTO;
	return PDMV2_OK;
}

enum pdmv2_aead
pdmv2_cipher_aead(const struct pdmv2_cipher *c)
{
	return c->aead;
}

/* 5.3: nonce = base_nonce XOR I2OSP(PRSEQ, Nn) */
static void
make_nonce(const struct pdmv2_cipher *c, uint16_t prseq,
	   uint8_t nonce[PDMV2_NONCE_BYTES])
{
	memcpy(nonce, c->base_nonce, PDMV2_NONCE_BYTES);
	nonce[PDMV2_NONCE_BYTES - 2] ^= (uint8_t)(prseq >> 8);
	nonce[PDMV2_NONCE_BYTES - 1] ^= (uint8_t)prseq;
}

/*
 * One AES-GCM seal or open with the key already set: only the nonce is
 * new (EVP_*Init_ex with no cipher and no key keeps both).  The tag goes
 * in and out through its ctrl, which needs no copy of a const buffer.
 */
static enum pdmv2_err
aead_seal(EVP_CIPHER_CTX *ctx, const uint8_t *nonce, const uint8_t *aad,
	  int aad_len, const uint8_t *pt, int pt_len, uint8_t *ct_tag)
{
	int len;

	if (EVP_EncryptInit_ex(ctx, NULL, NULL, NULL, nonce) > 0 &&
	    EVP_EncryptUpdate(ctx, NULL, &len, aad, aad_len) > 0 &&
	    EVP_EncryptUpdate(ctx, ct_tag, &len, pt, pt_len) > 0 &&
	    len == pt_len &&
	    EVP_EncryptFinal_ex(ctx, ct_tag + len, &len) > 0 &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, PDMV2_TAG_BYTES,
				ct_tag + pt_len) > 0)
		return PDMV2_OK;
	return PDMV2_ERR_CRYPTO;
}

static enum pdmv2_err
aead_open(EVP_CIPHER_CTX *ctx, const uint8_t *nonce, const uint8_t *aad,
	  int aad_len, const uint8_t *ct, int ct_len, const uint8_t *tag,
	  uint8_t *pt)
{
	int len;

	if (EVP_DecryptInit_ex(ctx, NULL, NULL, NULL, nonce) > 0 &&
	    EVP_DecryptUpdate(ctx, NULL, &len, aad, aad_len) > 0 &&
	    EVP_DecryptUpdate(ctx, pt, &len, ct, ct_len) > 0 &&
	    len == ct_len &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, PDMV2_TAG_BYTES,
				(void *)tag) > 0)
		return EVP_DecryptFinal_ex(ctx, pt + len, &len) > 0
			? PDMV2_OK : PDMV2_ERR_AUTH;
	return PDMV2_ERR_CRYPTO;
}

enum pdmv2_err
pdmv2_cipher_seal_option(struct pdmv2_cipher *c, const struct pdmv2_option *opt,
			 uint8_t out[2 + PDMV2_LEN_ENCRYPTED])
{
	uint8_t nonce[PDMV2_NONCE_BYTES], pt[PDMV2_METRIC_BYTES];
	enum pdmv2_err rc = PDMV2_ERR_CRYPTO;

	if (opt->random == 0 || opt->random > PDMV2_PRSEQ_MAX)
		return PDMV2_ERR_INVALID;
	if (!c->seal && !(c->seal = ctx_with_key(c, 1)))
		return PDMV2_ERR_CRYPTO;
	out[0] = opt->type;
	out[1] = PDMV2_LEN_ENCRYPTED;
	pdmv2_put_u16(out + 2, pdmv2_ver_res_word(opt->version, opt->reserved));
	pdmv2_put_u16(out + 4, pdmv2_prseq_f_word(opt->random, opt->flag));
	pdmv2_metrics_pack(&opt->m, pt);
	make_nonce(c, opt->random, nonce);
	rc = aead_seal(c->seal, nonce, out, PDMV2_AAD_BYTES, pt, sizeof(pt),
		       out + 6);
	pdmv2_wipe(pt, sizeof(pt));
	return rc;
}

enum pdmv2_err
pdmv2_cipher_open_option(struct pdmv2_cipher *c, const struct pdmv2_option *opt,
			 struct pdmv2_metrics *m)
{
	uint8_t nonce[PDMV2_NONCE_BYTES], pt[PDMV2_METRIC_BYTES + 16];
	enum pdmv2_err rc = PDMV2_ERR_CRYPTO;

	memset(m, 0, sizeof(*m));
	if (opt->variant != PDMV2_VARIANT_ENCRYPTED)
		return PDMV2_ERR_INVALID;
	make_nonce(c, opt->random, nonce);
	rc = aead_open(c->open, nonce, opt->aad, PDMV2_AAD_BYTES, opt->ciphertext,
		       PDMV2_METRIC_BYTES, opt->tag, pt);
	if (rc == PDMV2_OK)
		pdmv2_metrics_unpack(pt, m);	/* then no more secret than *m */
	else	/* 5.3: a failed tag means the values must not be used */
		pdmv2_wipe(pt, sizeof(pt));
	return rc;
}

/*
 * 5.5: the Epoch layout's seal and open: 8 bytes of AAD, 16 sealed bytes,
 * the nonce from Epoch and PSNTP.
 */
enum pdmv2_err
pdmv2_cipher_seal_epoch(struct pdmv2_cipher *c, const struct pdmv2_option *opt,
			uint8_t out[2 + PDMV2_LEN_EPOCH_PROTECTED])
{
	uint8_t nonce[PDMV2_NONCE_BYTES], pt[PDMV2_SEALED_MAX];
	struct pdmv2_option o = *opt;
	enum pdmv2_err rc = PDMV2_ERR_CRYPTO;

	if (opt->epoch > PDMV2_EPOCH_MAX)
		return PDMV2_ERR_INVALID;
	o.variant = PDMV2_VARIANT_ENCRYPTED;
	o.layout = PDMV2_LAYOUT_EPOCH;
	if (!c->seal && !(c->seal = ctx_with_key(c, 1)))
		return PDMV2_ERR_CRYPTO;
	if (pdmv2_option_sealed_bytes(&o, pt) != PDMV2_EPOCH_METRIC_BYTES)
		return PDMV2_ERR_INVALID;
	memset(o.ciphertext, 0, sizeof(o.ciphertext));
	memset(o.tag, 0, sizeof(o.tag));
	(void)pdmv2_option_build(&o, out);	/* the clear bytes 0..7 */
	pdmv2_epoch_nonce(c->base_nonce, opt->epoch, opt->m.psntp, nonce);
	rc = aead_seal(c->seal, nonce, out, PDMV2_EPOCH_AAD_BYTES, pt,
		       PDMV2_EPOCH_METRIC_BYTES, out + PDMV2_EPOCH_AAD_BYTES);
	pdmv2_wipe(pt, sizeof(pt));
	pdmv2_wipe(&o.m, sizeof(o.m));
	return rc;
}

enum pdmv2_err
pdmv2_cipher_open_epoch(struct pdmv2_cipher *c, const struct pdmv2_option *opt,
			struct pdmv2_metrics *m)
{
	uint8_t nonce[PDMV2_NONCE_BYTES], pt[PDMV2_SEALED_MAX + 16];
	enum pdmv2_err rc = PDMV2_ERR_CRYPTO;

	memset(m, 0, sizeof(*m));
	if (opt->variant != PDMV2_VARIANT_ENCRYPTED ||
	    opt->layout != PDMV2_LAYOUT_EPOCH || !opt->desc ||
	    (opt->warnings & PDMV2_OPT_UNINTERPRETED))
		return PDMV2_ERR_INVALID;
	pdmv2_epoch_nonce(c->base_nonce, opt->epoch, opt->m.psntp, nonce);
	rc = aead_open(c->open, nonce, opt->aad, PDMV2_EPOCH_AAD_BYTES,
		       opt->ciphertext, PDMV2_EPOCH_METRIC_BYTES, opt->tag, pt);
	if (rc == PDMV2_OK)
		pdmv2_option_unseal(opt, pt, m);
	pdmv2_wipe(pt, sizeof(pt));
	return rc;
}
