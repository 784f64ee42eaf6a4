/*
 * test_crypto.c - the PDMv2 crypto profile reproduces the independent
 * vectors of shared/spec/vectors/pdmv2-profile.json bit for bit.
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
#include "pdmv2/option.h"
#include "pdmv2/walk.h"
#include "vectors.h"

static json_object *vectors;

static enum pdmv2_aead
case_aead(json_object *c)
{
	enum pdmv2_aead aead;

	assert_int_equal(pdmv2_aead_from_name(test_get_str(c, "aead"), &aead),
			 PDMV2_OK);
	return aead;
}

static void
case_five_tuple(json_object *c, uint8_t ft[PDMV2_FIVE_TUPLE_BYTES])
{
	uint8_t s[16], d[16];

	assert_int_equal(inet_pton(AF_INET6, test_get_str(c, "saddr"), s), 1);
	assert_int_equal(inet_pton(AF_INET6, test_get_str(c, "daddr"), d), 1);
	pdmv2_five_tuple(s, d, (uint16_t)test_get_int(c, "sport"),
			 (uint16_t)test_get_int(c, "dport"),
			 (uint8_t)test_get_int(c, "proto"), ft);
}

static void
case_metrics(json_object *c, struct pdmv2_metrics *m)
{
	json_object *j = test_get(c, "metrics");

	m->scale_dtlr = (uint8_t)test_get_int(j, "scale_dtlr");
	m->scale_dtls = (uint8_t)test_get_int(j, "scale_dtls");
	m->global_pointer = (uint32_t)test_get_int(j, "global_pointer");
	m->psntp = (uint16_t)test_get_int(j, "psntp");
	m->psnlr = (uint16_t)test_get_int(j, "psnlr");
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
	assert_int_equal(a->delta_tlr, b->delta_tlr);
	assert_int_equal(a->delta_tls, b->delta_tls);
}

/* Derives prk, key and nonce of a case and checks each against it. */
static struct pdmv2_cipher *
case_cipher(json_object *c)
{
	enum pdmv2_aead aead = case_aead(c);
	uint8_t secret[32], salt[64], prk[32], key[32], nonce[12], ft[37];
	uint8_t want[64];
	size_t salt_len, n;
	struct pdmv2_cipher *ci;

	test_hex(test_get_str(c, "shared_secret"), secret, sizeof(secret));
	salt_len = test_hex(test_get_str(c, "salt"), salt, sizeof(salt));
	case_five_tuple(c, ft);
	assert_int_equal(pdmv2_derive_prk(aead, secret, salt, salt_len, prk), PDMV2_OK);
	n = test_hex(test_get_str(c, "prk"), want, sizeof(want));
	assert_int_equal(n, 32);
	assert_memory_equal(prk, want, 32);
	assert_int_equal(pdmv2_derive_session(aead, prk, ft,
					      (uint32_t)test_get_int(c, "kri"),
					      key, nonce), PDMV2_OK);
	n = test_hex(test_get_str(c, "key"), want, sizeof(want));
	assert_int_equal(n, pdmv2_aead_key_len(aead));
	assert_memory_equal(key, want, n);
	n = test_hex(test_get_str(c, "base_nonce"), want, sizeof(want));
	assert_int_equal(n, 12);
	assert_memory_equal(nonce, want, 12);
	assert_int_equal(pdmv2_cipher_new(aead, key, nonce, &ci), PDMV2_OK);
	return ci;
}

static void
test_suite_id_and_five_tuple_match_every_case(void **state)
{
	json_object *cases = test_get(vectors, "session_keys_and_options");
	size_t i;

	(void)state;
	assert_true(json_object_array_length(cases) >= 48);
	for (i = 0; i < json_object_array_length(cases); i++) {
		json_object *c = json_object_array_get_idx(cases, i);
		uint8_t sid[9], ft[37], want[64];

		pdmv2_suite_id(case_aead(c), sid);
		assert_int_equal(test_hex(test_get_str(c, "suite_id"), want, 64), 9);
		assert_memory_equal(sid, want, 9);
		case_five_tuple(c, ft);
		assert_int_equal(test_hex(test_get_str(c, "five_tuple"), want, 64), 37);
		assert_memory_equal(ft, want, 37);
	}
}

static void
test_seal_reproduces_every_option(void **state)
{
	json_object *cases = test_get(vectors, "session_keys_and_options");
	size_t i;

	(void)state;
	for (i = 0; i < json_object_array_length(cases); i++) {
		json_object *c = json_object_array_get_idx(cases, i);
		struct pdmv2_cipher *ci = case_cipher(c);
		struct pdmv2_option opt = {0};
		uint8_t out[36], want[64], pt[14];

		opt.variant = PDMV2_VARIANT_ENCRYPTED;
		opt.type = PDMV2_OPTION_TYPE_DEFAULT;
		opt.version = PDMV2_VERSION;
		opt.random = (uint16_t)test_get_int(c, "prseq");
		opt.flag = (uint8_t)test_get_int(c, "f");
		case_metrics(c, &opt.m);
		pdmv2_metrics_pack(&opt.m, pt);
		assert_int_equal(test_hex(test_get_str(c, "plaintext"), want, 64), 14);
		assert_memory_equal(pt, want, 14);
		assert_int_equal(pdmv2_cipher_seal_option(ci, &opt, out), PDMV2_OK);
		assert_int_equal(test_hex(test_get_str(c, "option"), want, 64), 36);
		assert_memory_equal(out, want, 36);
		pdmv2_cipher_free(ci);
	}
}

static void
test_open_returns_every_plaintext(void **state)
{
	json_object *cases = test_get(vectors, "session_keys_and_options");
	size_t i;

	(void)state;
	for (i = 0; i < json_object_array_length(cases); i++) {
		json_object *c = json_object_array_get_idx(cases, i);
		struct pdmv2_cipher *ci = case_cipher(c);
		struct pdmv2_option opt;
		struct pdmv2_metrics m, want;
		uint8_t wire[64];
		size_t n = test_hex(test_get_str(c, "option"), wire, sizeof(wire));

		assert_int_equal(pdmv2_option_parse(wire, n, &opt), PDMV2_OK);
		assert_int_equal(opt.variant, PDMV2_VARIANT_ENCRYPTED);
		assert_int_equal(opt.random, test_get_int(c, "prseq"));
		assert_int_equal(opt.flag, test_get_int(c, "f"));
		assert_int_equal(pdmv2_cipher_open_option(ci, &opt, &m), PDMV2_OK);
		memset(&want, 0, sizeof(want));
		case_metrics(c, &want);
		assert_metrics_equal(&m, &want);
		pdmv2_cipher_free(ci);
	}
}

/* A cipher re-keyed to another case's key opens and seals as that
 * case's own cipher does, and no longer opens its first case. */
static void
test_rekeyed_cipher_is_the_other_keys_cipher(void **state)
{
	json_object *cases = test_get(vectors, "session_keys_and_options");
	size_t i, j, n, pairs = 0;

	(void)state;
	for (i = 0; i < json_object_array_length(cases); i++) {
		for (j = 0; j < json_object_array_length(cases); j++) {
			json_object *a = json_object_array_get_idx(cases, i);
			json_object *b = json_object_array_get_idx(cases, j);
			struct pdmv2_cipher *ca, *cb;
			struct pdmv2_option oa, ob;
			struct pdmv2_metrics m, want;
			uint8_t wa[64], wb[64], key[32], nonce[12], out[36];

			if (i == j || case_aead(a) != case_aead(b))
				continue;
			ca = case_cipher(a);
			cb = case_cipher(b);
			n = test_hex(test_get_str(a, "option"), wa, sizeof(wa));
			assert_int_equal(pdmv2_option_parse(wa, n, &oa), PDMV2_OK);
			n = test_hex(test_get_str(b, "option"), wb, sizeof(wb));
			assert_int_equal(pdmv2_option_parse(wb, n, &ob), PDMV2_OK);
			/* seal once first, so the re-key must drop that context */
			assert_int_equal(pdmv2_cipher_seal_option(ca, &oa, out), PDMV2_OK);
			test_hex(test_get_str(b, "key"), key, sizeof(key));
			test_hex(test_get_str(b, "base_nonce"), nonce, sizeof(nonce));
			assert_int_equal(pdmv2_cipher_rekey(ca, key, nonce), PDMV2_OK);
			assert_int_equal(pdmv2_cipher_open_option(ca, &ob, &m), PDMV2_OK);
			memset(&want, 0, sizeof(want));
			case_metrics(b, &want);
			assert_metrics_equal(&m, &want);
			assert_int_equal(pdmv2_cipher_open_option(ca, &oa, &m), PDMV2_ERR_AUTH);
			ob.m = want;	/* what case b sealed */
			assert_int_equal(pdmv2_cipher_seal_option(ca, &ob, out), PDMV2_OK);
			assert_memory_equal(out, wb, 36);
			pdmv2_cipher_free(ca);
			pdmv2_cipher_free(cb);
			pairs++;
			break;
		}
	}
	assert_true(pairs >= 2);
}

static void
test_open_rejects_tampered_reserved_bit(void **state)
{
	json_object *c0 = json_object_array_get_idx(
		test_get(vectors, "session_keys_and_options"), 0);
	struct pdmv2_cipher *ci = case_cipher(c0);
	struct pdmv2_option opt;
	struct pdmv2_metrics m;
	uint8_t wire[64];
	size_t n = test_hex(test_get_str(test_get(vectors, "tamper"), "option"),
			    wire, sizeof(wire));

	(void)state;
	assert_int_equal(pdmv2_option_parse(wire, n, &opt), PDMV2_OK);
	assert_true(opt.warnings & PDMV2_OPT_WARN_RESERVED);
	assert_int_equal(pdmv2_cipher_open_option(ci, &opt, &m), PDMV2_ERR_AUTH);
	assert_int_equal(m.psntp, 0);	/* nothing of the forged data leaks */
	pdmv2_cipher_free(ci);
}

static void
test_open_rejects_any_flipped_bit(void **state)
{
	json_object *c0 = json_object_array_get_idx(
		test_get(vectors, "session_keys_and_options"), 0);
	struct pdmv2_cipher *ci = case_cipher(c0);
	uint8_t wire[64];
	size_t n = test_hex(test_get_str(c0, "option"), wire, sizeof(wire)), bit;

	(void)state;
	for (bit = 0; bit < n * 8; bit++) {
		struct pdmv2_option opt;
		struct pdmv2_metrics m;
		uint8_t copy[64];

		/* Type and length bytes select the codec, not the AEAD. */
		if (bit < 16)
			continue;
		memcpy(copy, wire, n);
		copy[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_int_equal(pdmv2_option_parse(copy, n, &opt), PDMV2_OK);
		assert_int_equal(pdmv2_cipher_open_option(ci, &opt, &m), PDMV2_ERR_AUTH);
	}
	pdmv2_cipher_free(ci);
}

/* Every PRSEQ of a key phase, for each case's AEAD: what the sealing
 * context seals, the opening one (its key set once, a new nonce and tag
 * per open) opens, also right after an open that failed its tag. */
static void
test_open_takes_every_prseq_the_seal_gives(void **state)
{
	json_object *cases = test_get(vectors, "session_keys_and_options");
	size_t i;

	(void)state;
	for (i = 0; i < json_object_array_length(cases); i++) {
		struct pdmv2_cipher *ci = case_cipher(json_object_array_get_idx(cases, i));
		struct pdmv2_option o = {.variant = PDMV2_VARIANT_ENCRYPTED,
					 .type = 0x0F, .version = 2}, in;
		struct pdmv2_metrics m;
		uint32_t prseq;

		for (prseq = 1; prseq <= 32767; prseq++) {
			uint8_t wire[2 + PDMV2_LEN_ENCRYPTED];

			o.random = (uint16_t)prseq;
			o.m.psntp = (uint16_t)(prseq * 7);
			o.m.global_pointer = prseq * 2654435761u;
			o.m.delta_tlr = (uint16_t)~prseq;
			assert_int_equal(pdmv2_cipher_seal_option(ci, &o, wire), PDMV2_OK);
			assert_int_equal(pdmv2_option_parse(wire, sizeof(wire), &in), PDMV2_OK);
			if (prseq % 97 == 0) {
				struct pdmv2_option bad = in;

				bad.random ^= 1;	/* another nonce */
				assert_int_equal(pdmv2_cipher_open_option(ci, &bad, &m),
						 PDMV2_ERR_AUTH);
			}
			assert_int_equal(pdmv2_cipher_open_option(ci, &in, &m), PDMV2_OK);
			assert_int_equal(m.psntp, o.m.psntp);
			assert_int_equal(m.global_pointer, o.m.global_pointer);
			assert_int_equal(m.delta_tlr, o.m.delta_tlr);
		}
		pdmv2_cipher_free(ci);
	}
}

static void
test_secondary_secrets_match_vectors(void **state)
{
	json_object *cases = test_get(vectors, "secondary_secrets");
	size_t i;

	(void)state;
	assert_true(json_object_array_length(cases) > 0);
	for (i = 0; i < json_object_array_length(cases); i++) {
		json_object *c = json_object_array_get_idx(cases, i);
		uint8_t pms[32], client[16], out[32], want[32];

		test_hex(test_get_str(c, "pms"), pms, sizeof(pms));
		assert_int_equal(inet_pton(AF_INET6, test_get_str(c, "client"), client), 1);
		assert_int_equal(pdmv2_secondary_secret(case_aead(c), pms, client, out),
				 PDMV2_OK);
		assert_int_equal(test_hex(test_get_str(c, "secondary_secret"), want, 32), 32);
		assert_memory_equal(out, want, 32);
	}
}

static void
test_seal_rejects_prseq_zero_and_overflow(void **state)
{
	json_object *c0 = json_object_array_get_idx(
		test_get(vectors, "session_keys_and_options"), 0);
	struct pdmv2_cipher *ci = case_cipher(c0);
	struct pdmv2_option opt = {.variant = PDMV2_VARIANT_ENCRYPTED,
				   .type = 0x0F, .version = 2};
	uint8_t out[36];

	(void)state;
	opt.random = 0;
	assert_int_equal(pdmv2_cipher_seal_option(ci, &opt, out), PDMV2_ERR_INVALID);
	opt.random = 32768;
	assert_int_equal(pdmv2_cipher_seal_option(ci, &opt, out), PDMV2_ERR_INVALID);
	pdmv2_cipher_free(ci);
}

static void
test_aead_names_round_trip(void **state)
{
	enum pdmv2_aead a;

	(void)state;
	assert_int_equal(pdmv2_aead_from_name("aes256gcm", &a), PDMV2_OK);
	assert_int_equal(a, PDMV2_AEAD_AES256GCM);
	assert_string_equal(pdmv2_aead_name(PDMV2_AEAD_CHACHA20POLY1305),
			    "chacha20poly1305");
	assert_int_equal(pdmv2_aead_from_name("aes128", &a), PDMV2_ERR_INVALID);
	assert_int_equal(pdmv2_aead_key_len(PDMV2_AEAD_AES128GCM), 16);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suite_id_and_five_tuple_match_every_case),
		cmocka_unit_test(test_seal_reproduces_every_option),
		cmocka_unit_test(test_open_returns_every_plaintext),
		cmocka_unit_test(test_open_rejects_tampered_reserved_bit),
		cmocka_unit_test(test_open_rejects_any_flipped_bit),
		cmocka_unit_test(test_rekeyed_cipher_is_the_other_keys_cipher),
		cmocka_unit_test(test_open_takes_every_prseq_the_seal_gives),
		cmocka_unit_test(test_secondary_secrets_match_vectors),
		cmocka_unit_test(test_seal_rejects_prseq_zero_and_overflow),
		cmocka_unit_test(test_aead_names_round_trip),
	};
	int rc;

	vectors = test_load_vectors("pdmv2-profile.json");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	json_object_put(vectors);
	return rc;
}
