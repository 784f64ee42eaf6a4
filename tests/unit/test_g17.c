/*
 * test_g17.c - "%.17g" without printf (analyzer/g17.c) gives printf's
 * very bytes, and g17_json json-c's, over every kind of double: random
 * bit patterns, the microsecond range a report holds, exact halfway
 * cases (where rounding to even shows), powers of ten, integers past
 * 10^17, and what is handed back to snprintf.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "g17.h"
#include "vectors.h"

static uint32_t rng = 20261130;

static uint64_t
next64(void)
{
	uint64_t hi = test_xorshift32(&rng);

	return hi << 32 | test_xorshift32(&rng);
}

static unsigned checked;

static void
same_as_printf(double v)
{
	char want[64], got[G17_BUF];
	size_t n;

	snprintf(want, sizeof(want), "%.17g", v);
	n = g17_format(v, got);
	if (strcmp(want, got) != 0)
		fail_msg("%a: printf \"%s\", g17 \"%s\"", v, want, got);
	assert_int_equal(n, strlen(want));
	checked++;
}

static void
test_random_bit_patterns(void **state)
{
	unsigned i;
	double v;

	(void)state;
	for (i = 0; i < 200000; i++) {
		uint64_t b = next64();

		memcpy(&v, &b, sizeof(v));
		same_as_printf(v);
	}
}

/* Every binade from 2^-40 to 2^70 (what g17 does itself, and past its
 * edges at both ends), both signs. */
static void
test_every_binade_near_the_fast_range(void **state)
{
	int e, i;

	(void)state;
	for (e = -40; e <= 70; e++)
		for (i = 0; i < 3000; i++) {
			double v = ldexp((double)(next64() >> 11 | UINT64_C(1) << 52), e - 52);

			same_as_printf(i % 2 ? -v : v);
		}
}

/* Times and delays as the report has them: microseconds, from decimal
 * fractions and from integer nanoseconds / 1e3. */
static void
test_microseconds(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < 200000; i++) {
		same_as_printf((double)(next64() % 1000000000) / 1e3);
		same_as_printf((double)(next64() % 100000000) /
			       pow(10, (double)(next64() % 12)));
	}
}

/* m / 2^(k + 1), m odd, is m * 10^k / 2 at 17 digits: exactly half way
 * between two 17-digit numbers when it has 17 digits there. */
static void
test_exact_halves_round_to_even(void **state)
{
	uint64_t m;
	int k;

	(void)state;
	for (m = (UINT64_C(1) << 52) + 1; m < (UINT64_C(1) << 52) + 200000; m += 2)
		for (k = 1; k <= 3; k++)
			same_as_printf(ldexp((double)m, -(k + 1)));
	/* and the cases that are not halves around them */
	for (m = (UINT64_C(1) << 53) - 100001; m < (UINT64_C(1) << 53); m += 2) {
		same_as_printf(ldexp((double)m, -2));
		same_as_printf(ldexp((double)(m - 1), -2));
	}
}

static void
test_edges(void **state)
{
	static const double edge[] = {
		0.0, -0.0, 1.0, -1.0, 10.0, 0.1, 0.5, 1.5, 2.5, 40576.0,
		1e15, 1e16, 1e17, 1e18, 1e19, 9.9999999999999999e16,
		99999999999999999.0, 99999999999999990.0, 123456789012345678.0,
		9223372036854775807.0, 4611686018427387904.0, 18446744073709551615.0,
		1e-4, 1e-5, 1e-6, 1e-7, 9.99999999999999999e-5, 0.000123,
		5e-324, 2.2250738585072014e-308, 1e-300, 1e300, 1.7976931348623157e308,
		NAN, -NAN, INFINITY, -INFINITY,
	};
	unsigned i;
	int p;

	(void)state;
	for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
		same_as_printf(edge[i]);
	/* each power of ten and its neighbours, where the first guess of
	 * the exponent may be one off */
	for (p = -30; p <= 30; p++) {
		double v = pow(10, p);

		same_as_printf(v);
		same_as_printf(nextafter(v, 0));
		same_as_printf(nextafter(v, INFINITY));
	}
}

/* json-c's own text for the same double, on finite values */
static void
test_json_text_is_json_cs(void **state)
{
	static const double fixed[] = {0.0, -0.0, 1.0, -3.0, 40576.0, 1e17,
				       1e21, 0.5, 1e-7, 123.25};
	unsigned i;

	(void)state;
	for (i = 0; i < 100000 + sizeof(fixed) / sizeof(fixed[0]); i++) {
		double v = i < sizeof(fixed) / sizeof(fixed[0]) ? fixed[i] :
			   (double)(next64() % 10000000000) / pow(10, (double)(i % 9));
		json_object *j = json_object_new_double(v);
		char got[G17_JSON_BUF];
		size_t n = g17_json(v, got);

		assert_string_equal(got, json_object_to_json_string_ext(j,
					 JSON_C_TO_STRING_PLAIN));
		assert_int_equal(n, strlen(got));
		json_object_put(j);
	}
}

static void
test_enough_was_compared(void **state)
{
	(void)state;
	assert_true(checked > 1000000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_bit_patterns),
		cmocka_unit_test(test_every_binade_near_the_fast_range),
		cmocka_unit_test(test_microseconds),
		cmocka_unit_test(test_exact_halves_round_to_even),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_json_text_is_json_cs),
		cmocka_unit_test(test_enough_was_compared),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
