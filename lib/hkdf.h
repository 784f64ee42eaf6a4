/*
 * hkdf.h - internal: the OpenSSL pieces the PDMv2 profile (crypto.c) and
 * HPKE (hpke.c) share: HKDF-SHA256 extract and expand on EVP_KDF (the two
 * differ only in the labels and suite ids they wrap around them), and
 * the EVP cipher of each AEAD.
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

/* The EVP cipher of an AEAD id; NULL if unknown. */
const EVP_CIPHER *pdmv2_aead_evp(enum pdmv2_aead aead);

#endif
