/*
 * fuzz_keylog.c - libFuzzer harness: key log parser and lookup on
 * arbitrary text.  Every input must load (bad lines become diagnostics)
 * and a lookup over what loaded must not crash.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pdmv2/keylog.h"
#include "pdmv2/walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t a[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
	static const uint8_t b[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
	struct pdmv2_keylog *kl;
	const struct pdmv2_keysrc *src[8];
	uint8_t ft[PDMV2_FIVE_TUPLE_BYTES], key[PDMV2_KEY_MAX];
	uint8_t nonce[PDMV2_NONCE_BYTES];
	enum pdmv2_aead aead;
	size_t n, i;

	if (pdmv2_keylog_new(&kl) != PDMV2_OK)
		return 0;
	(void)pdmv2_keylog_load_buffer(kl, "fuzz", (const char *)data, size);
	for (i = 0; i < pdmv2_keylog_ndiag(kl); i++)
		(void)strlen(pdmv2_keylog_diag(kl, i)->message);

	pdmv2_five_tuple(a, b, 40000, 443, 17, ft);
	n = pdmv2_keylog_lookup(kl, ft, src, 8);
	for (i = 0; i < n && i < 8; i++)
		(void)pdmv2_keysrc_derive(src[i], ft, (uint32_t)i, &aead, key,
					  nonce);
	pdmv2_keylog_free(kl);
	return 0;
}
