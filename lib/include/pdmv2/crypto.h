/*
 * pdmv2/crypto.h - the PDMv2 crypto profile (PROFILE.md 5), on OpenSSL 3.
 *
 * Labeled HKDF with the PDMv2 suite_id, SessionTemporaryKey derivation,
 * and seal/open of one option.  A struct pdmv2_cipher holds OpenSSL
 * contexts initialised for one (direction, kri) key so no packet pays
 * for a key schedule.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_CRYPTO_H
#define PDMV2_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "pdmv2/error.h"
#include "pdmv2/option.h"
#include "pdmv2/walk.h"

enum pdmv2_aead {
	PDMV2_AEAD_AES128GCM = 0x0001,
	PDMV2_AEAD_AES256GCM = 0x0002,
	PDMV2_AEAD_CHACHA20POLY1305 = 0x0003,
};

#define PDMV2_KDF_HKDF_SHA256	0x0001
#define PDMV2_NH		32	/* HKDF-SHA256 output size */
#define PDMV2_SECRET_BYTES	32
#define PDMV2_SALT_MAX		64
#define PDMV2_KEY_MAX		32
#define PDMV2_NONCE_BYTES	12
#define PDMV2_SUITE_ID_BYTES	9

/* Key log token ("aes128gcm", ...) <-> id.  NULL / ERR_INVALID if unknown. */
const char *pdmv2_aead_name(enum pdmv2_aead aead);
enum pdmv2_err pdmv2_aead_from_name(const char *name, enum pdmv2_aead *aead);
size_t pdmv2_aead_key_len(enum pdmv2_aead aead);	/* Nk: 16 or 32; 0 if unknown */

/* "PDMv2" || I2OSP(kdf, 2) || I2OSP(aead, 2) */
void pdmv2_suite_id(enum pdmv2_aead aead, uint8_t out[PDMV2_SUITE_ID_BYTES]);

/* RFC 9180 section 4 labeled functions with the PDMv2 suite_id (5.1). */
enum pdmv2_err pdmv2_labeled_extract(enum pdmv2_aead aead,
				     const uint8_t *salt, size_t salt_len,
				     const char *label,
				     const uint8_t *ikm, size_t ikm_len,
				     uint8_t prk[PDMV2_NH]);
enum pdmv2_err pdmv2_labeled_expand(enum pdmv2_aead aead,
				    const uint8_t prk[PDMV2_NH],
				    const char *label,
				    const uint8_t *info, size_t info_len,
				    uint8_t *out, size_t out_len);

/* 5.2: prk = LabeledExtract(salt, "pdmv2 prk", SharedSecret) */
enum pdmv2_err pdmv2_derive_prk(enum pdmv2_aead aead,
				const uint8_t secret[PDMV2_SECRET_BYTES],
				const uint8_t *salt, size_t salt_len,
				uint8_t prk[PDMV2_NH]);

/* 5.2: key (Nk bytes) and base_nonce for one sender 5-tuple and kri. */
enum pdmv2_err pdmv2_derive_session(enum pdmv2_aead aead,
				    const uint8_t prk[PDMV2_NH],
				    const uint8_t five_tuple[PDMV2_FIVE_TUPLE_BYTES],
				    uint32_t kri,
				    uint8_t key[PDMV2_KEY_MAX],
				    uint8_t base_nonce[PDMV2_NONCE_BYTES]);

/* 5.5: the Epoch layout's key and base_nonce for one sender 5-tuple and
 * Epoch (labels "pdmv2 epoch key" / "pdmv2 epoch nonce"). */
enum pdmv2_err pdmv2_derive_epoch(enum pdmv2_aead aead,
				  const uint8_t prk[PDMV2_NH],
				  const uint8_t five_tuple[PDMV2_FIVE_TUPLE_BYTES],
				  uint32_t epoch,
				  uint8_t key[PDMV2_KEY_MAX],
				  uint8_t base_nonce[PDMV2_NONCE_BYTES]);

/* 5.5: nonce = base_nonce XOR I2OSP(epoch * 2^32 + psntp, Nn) */
void pdmv2_epoch_nonce(const uint8_t base_nonce[PDMV2_NONCE_BYTES],
		       uint32_t epoch, uint32_t psntp,
		       uint8_t nonce[PDMV2_NONCE_BYTES]);

/* 8: the Primary/Secondary model's per-client secret. */
enum pdmv2_err pdmv2_secondary_secret(enum pdmv2_aead aead,
				      const uint8_t pms[PDMV2_SECRET_BYTES],
				      const uint8_t client[16],
				      uint8_t out[PDMV2_SECRET_BYTES]);

/* One initialised AEAD key (key + base_nonce). */
struct pdmv2_cipher;

enum pdmv2_err pdmv2_cipher_new(enum pdmv2_aead aead, const uint8_t *key,
				const uint8_t base_nonce[PDMV2_NONCE_BYTES],
				struct pdmv2_cipher **out);
void pdmv2_cipher_free(struct pdmv2_cipher *c);	/* wipes key material */
/* The same cipher under another key of its AEAD: the context is kept,
 * only the key schedule is redone (cheaper than free and new). */
enum pdmv2_err pdmv2_cipher_rekey(struct pdmv2_cipher *c, const uint8_t *key,
				  const uint8_t base_nonce[PDMV2_NONCE_BYTES]);
enum pdmv2_aead pdmv2_cipher_aead(const struct pdmv2_cipher *c);

/*
 * 5.3: seal the metrics of opt into an encrypted option.  opt supplies
 * type, version, reserved, random (PRSEQ, 1..32767) and flag; out gets
 * the 36 wire bytes.  Returns ERR_INVALID for PRSEQ 0 or > 32767.
 */
enum pdmv2_err pdmv2_cipher_seal_option(struct pdmv2_cipher *c,
					const struct pdmv2_option *opt,
					uint8_t out[2 + PDMV2_LEN_ENCRYPTED]);

/*
 * 5.3: open a parsed encrypted option.  On PDMV2_OK fills *m; on
 * PDMV2_ERR_AUTH *m is zeroed and MUST NOT be shown as data.
 */
enum pdmv2_err pdmv2_cipher_open_option(struct pdmv2_cipher *c,
					const struct pdmv2_option *opt,
					struct pdmv2_metrics *m);

/*
 * 5.5: seal an Epoch-layout option: opt supplies type, version, epoch
 * (0..4095) and the metrics (PSNTP clear, the rest sealed); c holds the
 * key of that (direction, Epoch).  out gets the 40 wire bytes.
 */
enum pdmv2_err pdmv2_cipher_seal_epoch(struct pdmv2_cipher *c,
				       const struct pdmv2_option *opt,
				       uint8_t out[2 + PDMV2_LEN_EPOCH_PROTECTED]);

/*
 * 5.5: open a parsed protected Epoch-layout option.  On PDMV2_OK fills
 * *m (PSNTP from the clear part); on PDMV2_ERR_AUTH *m is zeroed.
 */
enum pdmv2_err pdmv2_cipher_open_epoch(struct pdmv2_cipher *c,
				       const struct pdmv2_option *opt,
				       struct pdmv2_metrics *m);

/* Wipe a secret buffer (OPENSSL_cleanse). */
void pdmv2_wipe(void *p, size_t n);

#endif
