/*
 * hkdf.h - internal: the OpenSSL pieces the PDMv2 profile (crypto.c) and
 * HPKE (hpke.c) share: HKDF-SHA256 extract and expand on EVP_KDF, RFC
 * 9180's labeled forms of them (the two differ only in the labels and
 * suite ids they pass).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_HKDF_H
#define PDMV2_HKDF_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "pdmv2/crypto.h"
#include "pdmv2/error.h"

#define PDMV2_HKDF_HASH_LEN 32

/* prk = HMAC-SHA256(salt, ikm); an empty salt means HashLen zeros (RFC 5869). */
enum pdmv2_err pdmv2_hkdf_extract(const uint8_t *salt, size_t salt_len,
				  const uint8_t *ikm, size_t ikm_len,
				  uint8_t prk[PDMV2_HKDF_HASH_LEN]);

enum pdmv2_err pdmv2_hkdf_expand(const uint8_t *prk, size_t prk_len,
				 const uint8_t *info, size_t info_len,
				 uint8_t *out, size_t out_len);

/* RFC 9180 section 4 under a given suite_id:
 *   LabeledExtract = Extract(salt, "HPKE-v1" || suite_id || label || ikm)
 *   LabeledExpand  = Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id ||
 *                           label || info, L)
 * The labeled input is wiped after use (ikm is a secret).  ERR_INVALID
 * for L over 65535. */
enum pdmv2_err pdmv2_hkdf_labeled_extract(const uint8_t *suite_id, size_t id_len,
					  const uint8_t *salt, size_t salt_len,
					  const char *label,
					  const uint8_t *ikm, size_t ikm_len,
					  uint8_t prk[PDMV2_HKDF_HASH_LEN]);
enum pdmv2_err pdmv2_hkdf_labeled_expand(const uint8_t *suite_id, size_t id_len,
					 const uint8_t prk[PDMV2_HKDF_HASH_LEN],
					 const char *label,
					 const uint8_t *info, size_t info_len,
					 uint8_t *out, size_t L);
#endif
