/*
 * aead_open.c - what one AEAD open of a PDMv2 option costs through the
 * library with everything in cache: the floor under the analyzer's
 * decrypting speed, printed next to it by tests/bench/run.sh.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pdmv2/crypto.h"
#include "pdmv2/option.h"

#define OPENS 2000000

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int
one(const char *name)
{
	uint8_t key[PDMV2_KEY_MAX] = {1, 2, 3}, nonce[PDMV2_NONCE_BYTES] = {4};
	uint8_t wire[2 + PDMV2_LEN_ENCRYPTED];
	struct pdmv2_option o = {.variant = PDMV2_VARIANT_ENCRYPTED}, in;
	struct pdmv2_metrics m;
	struct pdmv2_cipher *c;
	enum pdmv2_aead aead;
	unsigned i, ok = 0;
	double t0;

	if (pdmv2_aead_from_name(name, &aead) != PDMV2_OK ||
	    pdmv2_cipher_new(aead, key, nonce, &c) != PDMV2_OK)
		return 1;
	o.type = 0x0F;
	o.version = 2;
	o.random = 1234;
	o.m.psntp = 7;
	if (pdmv2_cipher_seal_option(c, &o, wire) != PDMV2_OK ||
	    pdmv2_option_parse(wire, sizeof(wire), &in) != PDMV2_OK)
		return 1;
	t0 = now();
	for (i = 0; i < OPENS; i++)
		ok += pdmv2_cipher_open_option(c, &in, &m) == PDMV2_OK;
	printf("%s %.0f ns per open (%u/%u opened)\n", name,
	       (now() - t0) / OPENS * 1e9, ok, OPENS);
	pdmv2_cipher_free(c);
	return ok == OPENS ? 0 : 1;
}

int
main(void)
{
	return one("aes128gcm") | one("aes256gcm") | one("chacha20poly1305");
}
