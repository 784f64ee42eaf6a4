/*
 * test_double_text.c - analyzer/double_text.c gives a double's shortest
 * text that reads back exactly: the texts Python's repr gives for known
 * values, and for random doubles a text that strtod() reads back as the
 * same double where one digit fewer would not (normal doubles).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "double_text.h"
#include "vectors.h"

static void
text_is(double v, const char *want, const char *want_json)
{
	char buf[DOUBLE_TEXT_BUF];

	assert_int_equal(double_text(v, buf), strlen(want));
	assert_string_equal(buf, want);
	assert_int_equal(double_text_json(v, buf), strlen(want_json));
	assert_string_equal(buf, want_json);
}

/* What python3 -c 'print(repr(x))' prints for each, written by hand. */
static void
test_known_values(void **state)
{
	(void)state;
	text_is(192189.498, "192189.498", "192189.498");
	text_is(0.1, "0.1", "0.1");
	text_is(0.1 + 0.2, "0.30000000000000004", "0.30000000000000004");
	text_is(1.0 / 3.0, "0.3333333333333333", "0.3333333333333333");
	text_is(2.0 / 3.0, "0.6666666666666666", "0.6666666666666666");
	text_is(5.0, "5", "5.0");
	text_is(0.0, "0", "0.0");
	text_is(-20000.0, "-20000", "-20000.0");
	text_is(1e21, "1e+21", "1e+21");
	text_is(123456789012345680.0, "1.2345678901234568e+17",
		"1.2345678901234568e+17");
	text_is(2.2250738585072014e-308, "2.2250738585072014e-308",
		"2.2250738585072014e-308");
	text_is(1.7976931348623157e308, "1.7976931348623157e+308",
		"1.7976931348623157e+308");
}

static uint32_t rng = 20261205;

static void
test_random_doubles_read_back_in_fewest_digits(void **state)
{
	char buf[DOUBLE_TEXT_BUF], fewer[64];
	unsigned i, checked = 0;

	(void)state;
	for (i = 0; i < 200000; i++) {
		uint64_t b = (uint64_t)test_xorshift32(&rng) << 32 | test_xorshift32(&rng);
		const char *e;
		double v;
		int digits = 0;

		memcpy(&v, &b, sizeof(v));
		/* subnormals have fewer digits of precision: texts shorter
		 * than 15 digits may read back too, which this does not look
		 * for (a report holds none) */
		if (!isnormal(v))
			continue;
		(void)double_text(v, buf);
		assert_true(strtod(buf, NULL) == v);
		for (e = buf; *e && *e != 'e'; e++)	/* significant ones */
			if (*e >= '1' && *e <= '9')
				digits++;
			else if (*e == '0' && digits)
				digits++;
		if (digits > 15) {	/* one digit fewer must not do */
			snprintf(fewer, sizeof(fewer), "%.*g", digits - 1, v);
			assert_false(strtod(fewer, NULL) == v);
		}
		checked++;
	}
	assert_true(checked > 190000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_values),
		cmocka_unit_test(test_random_doubles_read_back_in_fewest_digits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
