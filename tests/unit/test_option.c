/*
 * test_option.c - the option codec and time fields against the spec's
 * plain_option, pdm_v1_option and time_conversion vectors, and the
 * validation outcomes of PROFILE.md 2.4.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "pdmv2/option.h"
#include "vectors.h"

static json_object *vectors;

static void
check_fields(json_object *v, const struct pdmv2_option *o, int with_gp)
{
	assert_int_equal(o->m.scale_dtlr, test_get_int(v, "scale_dtlr"));
	assert_int_equal(o->m.scale_dtls, test_get_int(v, "scale_dtls"));
	if (with_gp)
		assert_int_equal(o->m.global_pointer, test_get_int(v, "global_pointer"));
	assert_int_equal(o->m.psntp, test_get_int(v, "psntp"));
	assert_int_equal(o->m.psnlr, test_get_int(v, "psnlr"));
	assert_int_equal(o->m.delta_tlr, test_get_int(v, "delta_tlr"));
	assert_int_equal(o->m.delta_tls, test_get_int(v, "delta_tls"));
}

static void
test_plain_option_decodes_and_rebuilds_exactly(void **state)
{
	json_object *v = test_get(vectors, "plain_option");
	uint8_t wire[64], out[PDMV2_OPTION_MAX];
	size_t n = test_hex(test_get_str(v, "option"), wire, sizeof(wire));
	struct pdmv2_option o;

	(void)state;
	assert_int_equal(pdmv2_option_parse(wire, n, &o), PDMV2_OK);
	assert_int_equal(o.variant, PDMV2_VARIANT_PLAIN);
	assert_int_equal(o.version, 2);
	assert_int_equal(o.warnings, 0);
	assert_int_equal(o.random, test_get_int(v, "random"));
	assert_int_equal(o.flag, test_get_int(v, "f"));
	check_fields(v, &o, 1);
	assert_int_equal(pdmv2_option_build(&o, out), n);
	assert_memory_equal(out, wire, n);
}

static void
test_rfc8250_option_decodes_and_rebuilds_exactly(void **state)
{
	json_object *v = test_get(vectors, "pdm_v1_option");
	uint8_t wire[64], out[PDMV2_OPTION_MAX];
	size_t n = test_hex(test_get_str(v, "option"), wire, sizeof(wire));
	struct pdmv2_option o;

	(void)state;
	assert_int_equal(pdmv2_option_parse(wire, n, &o), PDMV2_OK);
	assert_int_equal(o.variant, PDMV2_VARIANT_PDM);
	check_fields(v, &o, 0);
	assert_int_equal(pdmv2_option_build(&o, out), n);
	assert_memory_equal(out, wire, n);
}

static void
test_encrypted_vectors_parse_with_prseq_and_flag(void **state)
{
	json_object *cases = test_get(vectors, "session_keys_and_options");
	size_t i;

	(void)state;
	for (i = 0; i < json_object_array_length(cases); i++) {
		json_object *c = json_object_array_get_idx(cases, i);
		uint8_t wire[64], pt[14], packed[14];
		size_t n = test_hex(test_get_str(c, "option"), wire, sizeof(wire));
		struct pdmv2_option o;
		struct pdmv2_metrics m;

		assert_int_equal(pdmv2_option_parse(wire, n, &o), PDMV2_OK);
		assert_int_equal(o.variant, PDMV2_VARIANT_ENCRYPTED);
		assert_int_equal(o.random, test_get_int(c, "prseq"));
		assert_int_equal(o.flag, test_get_int(c, "f"));
		assert_memory_equal(o.aad, wire, 6);
		assert_memory_equal(o.ciphertext, wire + 6, 14);
		assert_memory_equal(o.tag, wire + 20, 16);
		/* the plaintext layout of 2.3 round-trips */
		assert_int_equal(test_hex(test_get_str(c, "plaintext"), pt, 14), 14);
		pdmv2_metrics_unpack(pt, &m);
		o.m = m;
		check_fields(test_get(c, "metrics"), &o, 1);
		pdmv2_metrics_pack(&m, packed);
		assert_memory_equal(packed, pt, 14);
	}
}

static void
test_time_conversion_matches_every_vector(void **state)
{
	json_object *cases = test_get(vectors, "time_conversion");
	size_t i;

	(void)state;
	for (i = 0; i < json_object_array_length(cases); i++) {
		json_object *c = json_object_array_get_idx(cases, i);
		double got = pdmv2_delta_us((uint16_t)test_get_int(c, "delta"),
					    (uint8_t)test_get_int(c, "scale"));
		double want = test_get_double(c, "microseconds");

		/* D*2^S/1e12 has one rounding: equal to the last bit */
		assert_true(got == want || fabs(got - want) <= fabs(want) * 0x1p-52);
	}
}

static void
test_time_conversion_has_no_overflow_for_any_scale(void **state)
{
	unsigned s;

	(void)state;
	for (s = 0; s <= 255; s++) {
		double v = pdmv2_delta_us(65535, (uint8_t)s);

		assert_true(isfinite(v) && v > 0);
		assert_true(v == ldexp(65535.0, (int)s) / 1e12);
	}
	assert_true(pdmv2_delta_implausible(1, 60) == false);	/* 1.15 s */
	assert_true(pdmv2_delta_implausible(1, 72));		/* 4722 s > 1 h */
}

static void
test_delta_encode_picks_smallest_scale_and_round_trips(void **state)
{
	static const double cases[] = {0.001, 1, 47.21, 300, 10655.9, 5e6, 3e9};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint16_t d;
		uint8_t s;

		assert_true(pdmv2_delta_encode(cases[i], &d, &s));
		/* within half a unit of the chosen scale */
		assert_true(fabs(pdmv2_delta_us(d, s) - cases[i]) <=
			    ldexp(0.5, s) / 1e12 + 1e-18);
		/* a smaller scale would not fit in 16 bits */
		if (s > 0)
			assert_true(nearbyint(ldexp(cases[i] * 1e12, -(int)(s - 1))) > 65535);
	}
	assert_false(pdmv2_delta_encode(-1, &(uint16_t){0}, &(uint8_t){0}));
}

static void
test_parse_rejects_other_lengths_as_malformed(void **state)
{
	uint8_t wire[64] = {0x0F, 11};
	struct pdmv2_option o;
	unsigned len;

	(void)state;
	for (len = 0; len < 64 - 2; len++) {
		enum pdmv2_err rc;

		wire[1] = (uint8_t)len;
		rc = pdmv2_option_parse(wire, sizeof(wire), &o);
		if (len == 10 || len == 18 || len == 22 || len == 34 || len == 38)	/* 2.4 */
			assert_int_equal(rc, PDMV2_OK);
		else {
			assert_int_equal(rc, PDMV2_ERR_MALFORMED);
			assert_int_equal(o.length, len);
		}
	}
}

static void
test_parse_never_reads_past_a_short_option(void **state)
{
	json_object *c = json_object_array_get_idx(
		test_get(vectors, "session_keys_and_options"), 0);
	uint8_t wire[64];
	size_t n = test_hex(test_get_str(c, "option"), wire, sizeof(wire)), k;
	struct pdmv2_option o;

	(void)state;
	for (k = 0; k < n; k++)
		assert_int_equal(pdmv2_option_parse(wire, k, &o), PDMV2_ERR_TRUNCATED);
	assert_int_equal(pdmv2_option_parse(wire, n, &o), PDMV2_OK);
}

static void
test_parse_flags_wrong_version_and_reserved_bits(void **state)
{
	uint8_t wire[64];
	json_object *v = test_get(vectors, "plain_option");
	size_t n = test_hex(test_get_str(v, "option"), wire, sizeof(wire));
	struct pdmv2_option o;

	(void)state;
	wire[2] = 0x30;		/* version 3 */
	assert_int_equal(pdmv2_option_parse(wire, n, &o), PDMV2_OK);
	assert_int_equal(o.version, 3);
	assert_true(o.warnings & PDMV2_OPT_WARN_VERSION);
	assert_false(o.warnings & PDMV2_OPT_WARN_RESERVED);
	wire[2] = 0x20;
	wire[3] = 0x01;		/* reserved bit */
	assert_int_equal(pdmv2_option_parse(wire, n, &o), PDMV2_OK);
	assert_int_equal(o.reserved, 1);
	assert_true(o.warnings & PDMV2_OPT_WARN_RESERVED);
	check_fields(v, &o, 1);	/* still decoded (2.4) */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_option_decodes_and_rebuilds_exactly),
		cmocka_unit_test(test_rfc8250_option_decodes_and_rebuilds_exactly),
		cmocka_unit_test(test_encrypted_vectors_parse_with_prseq_and_flag),
		cmocka_unit_test(test_time_conversion_matches_every_vector),
		cmocka_unit_test(test_time_conversion_has_no_overflow_for_any_scale),
		cmocka_unit_test(test_delta_encode_picks_smallest_scale_and_round_trips),
		cmocka_unit_test(test_parse_rejects_other_lengths_as_malformed),
		cmocka_unit_test(test_parse_never_reads_past_a_short_option),
		cmocka_unit_test(test_parse_flags_wrong_version_and_reserved_bits),
	};
	int rc;

	vectors = test_load_vectors("pdmv2-profile.json");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	json_object_put(vectors);
	return rc;
}
