/*
 * test_epoch_layout.c - the Epoch layout (PROFILE.md 2.5, 5.5): the codec
 * and the crypto reproduce the independent vectors of
 * shared/spec/vectors/pdmv2-epoch.json bit for bit; codec edge cases.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "pdmv2/crypto.h"
#include "pdmv2/layout.h"
#include "pdmv2/option.h"
#include "pdmv2/walk.h"
#include "vectors.h"

static json_object *vectors;

static void
case_metrics(json_object *c, struct pdmv2_metrics *m)
{
	json_object *j = test_get(c, "metrics");

	memset(m, 0, sizeof(*m));
	m->scale_dtlr = (uint8_t)test_get_int(j, "scale_dtlr");
	m->scale_dtls = (uint8_t)test_get_int(j, "scale_dtls");
	m->global_pointer = (uint32_t)test_get_int(j, "global_pointer");
	m->psntp = (uint32_t)test_get_int(c, "psntp");
	m->psnlr = (uint32_t)test_get_int(j, "psnlr");
	m->reserved = (uint16_t)test_get_int(j, "reserved");
	m->delta_tlr = (uint16_t)test_get_int(j, "delta_tlr");
	m->delta_tls = (uint16_t)test_get_int(j, "delta_tls");
}

static void
assert_metrics_equal(const struct pdmv2_metrics *a, const struct pdmv2_metrics *b)
{
	assert_int_equal(a->scale_dtlr, b->scale_dtlr);
	assert_int_equal(a->scale_dtls, b->scale_dtls);
	assert_int_equal(a->global_pointer, b->global_pointer);
	assert_int_equal(a->psntp, b->psntp);
	assert_int_equal(a->psnlr, b->psnlr);
	assert_int_equal(a->reserved, b->reserved);
	assert_int_equal(a->delta_tlr, b->delta_tlr);
	assert_int_equal(a->delta_tls, b->delta_tls);
}

/* Derives key and base nonce of a case, checks them, returns a cipher. */
static struct pdmv2_cipher *
case_cipher(json_object *c)
{
	enum pdmv2_aead aead;
	uint8_t secret[32], salt[64], prk[32], key[32], nonce[12], ft[37];
	uint8_t s[16], d[16], want[64], n12[12];
	size_t salt_len, n;
	uint32_t epoch = (uint32_t)test_get_int(c, "epoch");
	struct pdmv2_cipher *ci;

	assert_int_equal(pdmv2_aead_from_name(test_get_str(c, "aead"), &aead),
			 PDMV2_OK);
	test_hex(test_get_str(c, "shared_secret"), secret, sizeof(secret));
	salt_len = test_hex(test_get_str(c, "salt"), salt, sizeof(salt));
	assert_int_equal(inet_pton(AF_INET6, test_get_str(c, "saddr"), s), 1);
	assert_int_equal(inet_pton(AF_INET6, test_get_str(c, "daddr"), d), 1);
	pdmv2_five_tuple(s, d, (uint16_t)test_get_int(c, "sport"),
			 (uint16_t)test_get_int(c, "dport"),
			 (uint8_t)test_get_int(c, "proto"), ft);
	assert_int_equal(test_hex(test_get_str(c, "five_tuple"), want, 64), 37);
	assert_memory_equal(ft, want, 37);
	assert_int_equal(pdmv2_derive_prk(aead, secret, salt, salt_len, prk), PDMV2_OK);
	assert_int_equal(pdmv2_derive_epoch(aead, prk, ft, epoch, key, nonce),
			 PDMV2_OK);
	n = test_hex(test_get_str(c, "key"), want, sizeof(want));
	assert_int_equal(n, pdmv2_aead_key_len(aead));
	assert_memory_equal(key, want, n);
	assert_int_equal(test_hex(test_get_str(c, "base_nonce"), want, 64), 12);
	assert_memory_equal(nonce, want, 12);
	pdmv2_epoch_nonce(nonce, epoch, (uint32_t)test_get_int(c, "psntp"), n12);
	assert_int_equal(test_hex(test_get_str(c, "nonce"), want, 64), 12);
	assert_memory_equal(n12, want, 12);
	assert_int_equal(pdmv2_cipher_new(aead, key, nonce, &ci), PDMV2_OK);
	return ci;
}

static void
test_seal_reproduces_every_option(void **state)
{
	json_object *cases = test_get(vectors, "protected_options");
	size_t i;

	(void)state;
	assert_true(json_object_array_length(cases) >= 48);
	for (i = 0; i < json_object_array_length(cases); i++) {
		json_object *c = json_object_array_get_idx(cases, i);
		struct pdmv2_cipher *ci = case_cipher(c);
		struct pdmv2_option opt = {0};
		uint8_t out[40], want[64], pt[16];

		opt.variant = PDMV2_VARIANT_ENCRYPTED;
		opt.layout = PDMV2_LAYOUT_EPOCH;
		opt.type = PDMV2_OPTION_TYPE_DEFAULT;
		opt.version = PDMV2_VERSION;
		opt.epoch = (uint16_t)test_get_int(c, "epoch");
		case_metrics(c, &opt.m);
		assert_int_equal(pdmv2_option_sealed_bytes(&opt, pt), 16);
		assert_int_equal(test_hex(test_get_str(c, "plaintext"), want, 64), 16);
		assert_memory_equal(pt, want, 16);
		assert_int_equal(pdmv2_cipher_seal_epoch(ci, &opt, out), PDMV2_OK);
		assert_int_equal(test_hex(test_get_str(c, "option"), want, 64), 40);
		assert_memory_equal(out, want, 40);
		pdmv2_cipher_free(ci);
	}
}

static void
test_open_returns_every_plaintext(void **state)
{
	json_object *cases = test_get(vectors, "protected_options");
	size_t i;

	(void)state;
	for (i = 0; i < json_object_array_length(cases); i++) {
		json_object *c = json_object_array_get_idx(cases, i);
		struct pdmv2_cipher *ci = case_cipher(c);
		struct pdmv2_option opt;
		struct pdmv2_metrics m, want_m;
		uint8_t wire[64];
		size_t n = test_hex(test_get_str(c, "option"), wire, sizeof(wire));

		assert_int_equal(pdmv2_option_parse(wire, n, &opt), PDMV2_OK);
		assert_int_equal(opt.variant, PDMV2_VARIANT_ENCRYPTED);
		assert_int_equal(opt.layout, PDMV2_LAYOUT_EPOCH);
		assert_int_equal(opt.length, 38);
		assert_int_equal(opt.warnings, 0);
		assert_int_equal(opt.epoch, test_get_int(c, "epoch"));
		assert_int_equal(opt.m.psntp, test_get_int(c, "psntp"));
		assert_int_equal(pdmv2_cipher_open_epoch(ci, &opt, &m), PDMV2_OK);
		case_metrics(c, &want_m);
		assert_metrics_equal(&m, &want_m);
		pdmv2_cipher_free(ci);
	}
}

static void
test_tamper_case_fails_to_open(void **state)
{
	json_object *cases = test_get(vectors, "protected_options");
	json_object *t = test_get(vectors, "tamper");
	struct pdmv2_cipher *ci = case_cipher(json_object_array_get_idx(cases, 0));
	struct pdmv2_option opt;
	struct pdmv2_metrics m;
	uint8_t wire[64];
	size_t n = test_hex(test_get_str(t, "option"), wire, sizeof(wire));

	(void)state;
	assert_int_equal(pdmv2_option_parse(wire, n, &opt), PDMV2_OK);
	assert_int_equal(pdmv2_cipher_open_epoch(ci, &opt, &m), PDMV2_ERR_AUTH);
	assert_int_equal(m.psnlr, 0);
	pdmv2_cipher_free(ci);
}

static void
test_open_rejects_any_flipped_bit(void **state)
{
	json_object *cases = test_get(vectors, "protected_options");
	json_object *c = json_object_array_get_idx(cases, 2);
	struct pdmv2_cipher *ci = case_cipher(c);
	uint8_t wire[64];
	size_t n = test_hex(test_get_str(c, "option"), wire, sizeof(wire));
	unsigned bit;

	(void)state;
	/* every bit of the AAD (bar type and length, which select the
	 * layout), the ciphertext and the tag */
	for (bit = 16; bit < 8 * n; bit++) {
		struct pdmv2_option opt;
		struct pdmv2_metrics m;

		wire[bit / 8] ^= (uint8_t)(0x80u >> (bit % 8));
		assert_int_equal(pdmv2_option_parse(wire, n, &opt), PDMV2_OK);
		if (!(opt.warnings & PDMV2_OPT_UNINTERPRETED))
			assert_int_equal(pdmv2_cipher_open_epoch(ci, &opt, &m),
					 PDMV2_ERR_AUTH);
		wire[bit / 8] ^= (uint8_t)(0x80u >> (bit % 8));
	}
	pdmv2_cipher_free(ci);
}

static void
test_plain_option_decodes_and_reencodes(void **state)
{
	json_object *p = test_get(vectors, "plain_option");
	struct pdmv2_option opt;
	uint8_t wire[64], out[PDMV2_OPTION_MAX];
	size_t n = test_hex(test_get_str(p, "option"), wire, sizeof(wire));

	(void)state;
	assert_int_equal(n, 24);
	assert_int_equal(pdmv2_option_parse(wire, n, &opt), PDMV2_OK);
	assert_int_equal(opt.variant, PDMV2_VARIANT_PLAIN);
	assert_int_equal(opt.layout, PDMV2_LAYOUT_EPOCH);
	assert_int_equal(opt.warnings, 0);
	assert_int_equal(opt.version, test_get_int(p, "version"));
	assert_int_equal(opt.epoch, test_get_int(p, "epoch"));
	assert_int_equal(opt.m.psntp, test_get_int(p, "psntp"));
	assert_int_equal(opt.m.psnlr, test_get_int(p, "psnlr"));
	assert_int_equal(opt.m.global_pointer, test_get_int(p, "global_pointer"));
	assert_int_equal(opt.m.scale_dtlr, test_get_int(p, "scale_dtlr"));
	assert_int_equal(opt.m.scale_dtls, test_get_int(p, "scale_dtls"));
	assert_int_equal(opt.m.reserved, test_get_int(p, "reserved"));
	assert_int_equal(opt.m.delta_tlr, test_get_int(p, "delta_tlr"));
	assert_int_equal(opt.m.delta_tls, test_get_int(p, "delta_tls"));
	assert_int_equal(pdmv2_option_build(&opt, out), 24);
	assert_memory_equal(out, wire, 24);
}

static void
test_cut_short_options_are_truncated(void **state)
{
	json_object *p = test_get(vectors, "plain_option");
	json_object *c = json_object_array_get_idx(test_get(vectors,
							    "protected_options"), 0);
	struct pdmv2_option opt;
	uint8_t plain[64], prot[64];
	size_t np = test_hex(test_get_str(p, "option"), plain, sizeof(plain));
	size_t nc = test_hex(test_get_str(c, "option"), prot, sizeof(prot));
	size_t k;

	(void)state;
	for (k = 0; k < np; k++)
		assert_int_equal(pdmv2_option_parse(plain, k, &opt),
				 PDMV2_ERR_TRUNCATED);
	for (k = 0; k < nc; k++)
		assert_int_equal(pdmv2_option_parse(prot, k, &opt),
				 PDMV2_ERR_TRUNCATED);
}

static void
test_wrong_version_interprets_nothing_after_the_epoch(void **state)
{
	json_object *p = test_get(vectors, "plain_option");
	struct pdmv2_option opt;
	uint8_t wire[64];
	size_t n = test_hex(test_get_str(p, "option"), wire, sizeof(wire));

	(void)state;
	wire[2] = (uint8_t)(0x30 | (wire[2] & 0x0F));	/* version 3 */
	assert_int_equal(pdmv2_option_parse(wire, n, &opt), PDMV2_OK);
	assert_true(opt.warnings & PDMV2_OPT_WARN_VERSION);
	assert_true(opt.warnings & PDMV2_OPT_UNINTERPRETED);
	assert_int_equal(opt.version, 3);
	assert_int_equal(opt.epoch, test_get_int(p, "epoch"));
	assert_int_equal(opt.m.psntp, 0);
	assert_int_equal(opt.m.psnlr, 0);
	assert_int_equal(opt.m.global_pointer, 0);
}

static void
test_reserved_bits_are_flagged_and_decoded(void **state)
{
	json_object *p = test_get(vectors, "plain_option");
	struct pdmv2_option opt;
	uint8_t wire[64];
	size_t n = test_hex(test_get_str(p, "option"), wire, sizeof(wire));

	(void)state;
	wire[19] = 0x01;
	assert_int_equal(pdmv2_option_parse(wire, n, &opt), PDMV2_OK);
	assert_int_equal(opt.warnings, PDMV2_OPT_WARN_RESERVED);
	assert_int_equal(opt.m.reserved, 1);
	assert_int_equal(opt.m.delta_tlr, test_get_int(p, "delta_tlr"));
}

static void
test_table_covers_every_length_without_overlap(void **state)
{
	static const uint8_t lens[] = {10, 18, 22, 34, 38};
	size_t i, j;

	(void)state;
	assert_int_equal(pdmv2_layout_count(), 5);
	for (i = 0; i < sizeof(lens); i++) {
		const struct pdmv2_layout_desc *d = pdmv2_layout_for_length(lens[i]);

		assert_non_null(d);
		for (j = 0; j < d->nfields; j++)
			assert_true(d->fields[j].offset + d->fields[j].width <=
				    2 + (d->aad_len ? d->sealed_off + d->sealed_len - 2 : d->length));
		if (d->aad_len)
			assert_int_equal(d->tag_off + PDMV2_TAG_BYTES, 2 + d->length);
	}
	assert_null(pdmv2_layout_for_length(24));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seal_reproduces_every_option),
		cmocka_unit_test(test_open_returns_every_plaintext),
		cmocka_unit_test(test_tamper_case_fails_to_open),
		cmocka_unit_test(test_open_rejects_any_flipped_bit),
		cmocka_unit_test(test_plain_option_decodes_and_reencodes),
		cmocka_unit_test(test_cut_short_options_are_truncated),
		cmocka_unit_test(test_wrong_version_interprets_nothing_after_the_epoch),
		cmocka_unit_test(test_reserved_bits_are_flagged_and_decoded),
		cmocka_unit_test(test_table_covers_every_length_without_overlap),
	};
	int rc;

	vectors = test_load_vectors("pdmv2-epoch.json");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	json_object_put(vectors);
	return rc;
}
