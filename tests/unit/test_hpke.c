/*
 * test_hpke.c - HPKE against RFC 9180 Appendix A.1.1 (every intermediate
 * value) and the PDMv2 registration vector (PROFILE.md 9), both read
 * from shared/spec/vectors at run time.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pdmv2/hpke.h"
#include "vectors.h"

static json_object *rfc, *profile;

static void
expect_hex(json_object *o, const char *key, const uint8_t *got, size_t len)
{
	uint8_t want[128];

	assert_int_equal(test_hex(test_get_str(o, key), want, sizeof(want)), len);
	if (memcmp(got, want, len) != 0)
		fail_msg("%s differs from the vector", key);
}

static void
test_derive_keypair_matches_a1(void **state)
{
	uint8_t ikm[32], sk[32], pk[32];

	(void)state;
	test_hex(test_get_str(rfc, "ikmE"), ikm, 32);
	assert_int_equal(pdmv2_hpke_derive_keypair(ikm, 32, sk, pk), PDMV2_OK);
	expect_hex(rfc, "skEm", sk, 32);
	expect_hex(rfc, "pkEm", pk, 32);
	test_hex(test_get_str(rfc, "ikmR"), ikm, 32);
	assert_int_equal(pdmv2_hpke_derive_keypair(ikm, 32, sk, pk), PDMV2_OK);
	expect_hex(rfc, "skRm", sk, 32);
	expect_hex(rfc, "pkRm", pk, 32);
}

static void
test_encap_decap_and_key_schedule_match_a1(void **state)
{
	uint8_t skE[32], pkR[32], skR[32], enc[32], ss[32], ss2[32], info[64];
	size_t info_len = test_hex(test_get_str(rfc, "info"), info, sizeof(info));
	struct pdmv2_hpke_ctx ctx;

	(void)state;
	test_hex(test_get_str(rfc, "skEm"), skE, 32);
	test_hex(test_get_str(rfc, "pkRm"), pkR, 32);
	test_hex(test_get_str(rfc, "skRm"), skR, 32);
	assert_int_equal(pdmv2_hpke_encap(pkR, skE, enc, ss), PDMV2_OK);
	expect_hex(rfc, "enc", enc, 32);
	expect_hex(rfc, "shared_secret", ss, 32);
	assert_int_equal(pdmv2_hpke_decap(enc, skR, ss2), PDMV2_OK);
	assert_memory_equal(ss, ss2, 32);
	assert_int_equal(pdmv2_hpke_key_schedule(PDMV2_AEAD_AES128GCM, ss, info,
						 info_len, &ctx), PDMV2_OK);
	expect_hex(rfc, "key_schedule_context", ctx.key_schedule_context, 65);
	expect_hex(rfc, "secret", ctx.secret, 32);
	expect_hex(rfc, "key", ctx.key, 16);
	expect_hex(rfc, "base_nonce", ctx.base_nonce, 12);
	expect_hex(rfc, "exporter_secret", ctx.exporter_secret, 32);
	pdmv2_hpke_ctx_wipe(&ctx);
}

static void
test_seal_open_and_exports_match_a1(void **state)
{
	json_object *encs = test_get(rfc, "encryptions"), *exps = test_get(rfc, "exports");
	uint8_t ss[32], info[64], pt[128], aad[64], ct[256], back[256];
	size_t info_len = test_hex(test_get_str(rfc, "info"), info, sizeof(info));
	size_t pt_len = test_hex(test_get_str(rfc, "pt"), pt, sizeof(pt)), i;
	struct pdmv2_hpke_ctx sender, receiver;

	(void)state;
	test_hex(test_get_str(rfc, "shared_secret"), ss, 32);
	pdmv2_hpke_key_schedule(PDMV2_AEAD_AES128GCM, ss, info, info_len, &sender);
	pdmv2_hpke_key_schedule(PDMV2_AEAD_AES128GCM, ss, info, info_len, &receiver);
	for (i = 0; i < json_object_array_length(encs); i++) {
		json_object *e = json_object_array_get_idx(encs, i);
		size_t aad_len = test_hex(test_get_str(e, "aad"), aad, sizeof(aad));

		assert_int_equal(sender.seq, test_get_int(e, "seq"));
		assert_int_equal(pdmv2_hpke_seal(&sender, aad, aad_len, pt, pt_len, ct),
				 PDMV2_OK);
		expect_hex(e, "ct", ct, pt_len + 16);
		assert_int_equal(pdmv2_hpke_open(&receiver, aad, aad_len, ct, pt_len + 16,
						 back), PDMV2_OK);
		assert_memory_equal(back, pt, pt_len);
	}
	/* a flipped bit does not open */
	ct[0] ^= 1;
	assert_int_equal(pdmv2_hpke_open(&receiver, aad, 0, ct, pt_len + 16, back),
			 PDMV2_ERR_AUTH);
	for (i = 0; i < json_object_array_length(exps); i++) {
		json_object *x = json_object_array_get_idx(exps, i);
		uint8_t ec[64], out[64];
		size_t ec_len = test_hex(test_get_str(x, "exporter_context"), ec, sizeof(ec));
		size_t L = (size_t)test_get_int(x, "L");

		assert_int_equal(pdmv2_hpke_export(&sender, ec, ec_len, out, L), PDMV2_OK);
		expect_hex(x, "exported_value", out, L);
	}
	pdmv2_hpke_ctx_wipe(&sender);
	pdmv2_hpke_ctx_wipe(&receiver);
}

static void
test_pdmv2_registration_matches_vector_on_both_sides(void **state)
{
	json_object *r = test_get(profile, "registration");
	uint8_t skR[32], pkR[32], skE[32], enc[32], c_secret[32], s_secret[32], pk[32];
	enum pdmv2_aead aead;

	(void)state;
	assert_string_equal(test_get_str(r, "info"), PDMV2_HPKE_REGISTRATION_INFO);
	assert_string_equal(test_get_str(r, "exporter_context"), PDMV2_HPKE_EXPORT_LABEL);
	assert_int_equal(pdmv2_aead_from_name(test_get_str(r, "aead"), &aead), PDMV2_OK);
	test_hex(test_get_str(r, "skR"), skR, 32);
	test_hex(test_get_str(r, "pkR"), pkR, 32);
	test_hex(test_get_str(r, "skE"), skE, 32);
	assert_int_equal(pdmv2_hpke_public_key(skR, pk), PDMV2_OK);
	assert_memory_equal(pk, pkR, 32);
	assert_int_equal(pdmv2_registration_client(aead, pkR, skE, enc, c_secret), PDMV2_OK);
	expect_hex(r, "enc", enc, 32);
	expect_hex(r, "shared_secret", c_secret, 32);
	assert_int_equal(pdmv2_registration_server(aead, enc, skR, s_secret), PDMV2_OK);
	assert_memory_equal(c_secret, s_secret, 32);
	/* a random ephemeral key: still the same secret on both sides */
	assert_int_equal(pdmv2_registration_client(aead, pkR, NULL, enc, c_secret), PDMV2_OK);
	assert_int_equal(pdmv2_registration_server(aead, enc, skR, s_secret), PDMV2_OK);
	assert_memory_equal(c_secret, s_secret, 32);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_derive_keypair_matches_a1),
		cmocka_unit_test(test_encap_decap_and_key_schedule_match_a1),
		cmocka_unit_test(test_seal_open_and_exports_match_a1),
		cmocka_unit_test(test_pdmv2_registration_matches_vector_on_both_sides),
	};
	int rc;

	rfc = test_load_vectors("rfc9180-a1-base.json");
	profile = test_load_vectors("pdmv2-profile.json");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	json_object_put(rfc);
	json_object_put(profile);
	return rc;
}
