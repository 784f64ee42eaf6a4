/*
 * aead_evp.h - the OpenSSL cipher behind each AEAD id (crypto.c owns
 * the table), for crypto.c's option ciphers and hpke.c's HPKE AEAD.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_AEAD_EVP_H
#define PDMV2_AEAD_EVP_H

#include <openssl/evp.h>

#include "pdmv2/crypto.h"

/* The EVP cipher of an AEAD id; NULL if unknown. */
const EVP_CIPHER *pdmv2_aead_evp(enum pdmv2_aead aead);

#endif
