/*
 * keyutil.h - shared pieces of pdmv2-keys: X25519 PEM files, hex, IPv6
 * addresses, and writing key log lines to a 0600 file.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef KEYS_KEYUTIL_H
#define KEYS_KEYUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdmv2/crypto.h"

/* Each prints its own error (naming the file or the value) and returns
 * non-zero on failure. */
int key_load_private(const char *path, uint8_t sk[32]);
int key_load_public(const char *path, uint8_t pk[32]);
int key_save_pair(const char *priv_path, const char *pub_path,
		  const uint8_t sk[32], const uint8_t pk[32]);

int hex_arg(const char *what, const char *hex, uint8_t *out, size_t want_min,
	    size_t want_max, size_t *len);
int addr_arg(const char *what, const char *s, uint8_t a[16]);
int aead_arg(const char *s, enum pdmv2_aead *aead);

/* Appends one line to a key log created 0600 if new. */
int keylog_append(const char *path, const char *line);

#endif
