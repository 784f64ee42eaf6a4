/*
 * test_timefmt.c - report timestamps (lib/timefmt.c): the digits the
 * library writes itself against the printf form of the same struct tm,
 * across the whole int64 range of nanoseconds.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "pdmv2/timefmt.h"
#include "vectors.h"

/* The reference: gmtime_r and one snprintf, floor division. */
static void
reference(int64_t ns, char *out, size_t size)
{
	int64_t sec = ns / 1000000000, frac = ns % 1000000000;
	time_t t;
	struct tm tm;

	if (frac < 0) {
		frac += 1000000000;
		sec--;
	}
	t = (time_t)sec;
	assert_non_null(gmtime_r(&t, &tm));
	snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (long)frac);
}

static void
check(int64_t ns)
{
	char got[PDMV2_TIME_BUF], want[PDMV2_TIME_BUF];

	memset(got, 'x', sizeof(got));
	assert_ptr_equal(pdmv2_format_time(ns, got), got);
	reference(ns, want, sizeof(want));
	if (strcmp(got, want) != 0)
		fail_msg("%lld ns: \"%s\", want \"%s\"", (long long)ns, got, want);
}

static void
test_known_instants(void **state)
{
	char buf[PDMV2_TIME_BUF];

	(void)state;
	assert_string_equal(pdmv2_format_time(0, buf), "1970-01-01T00:00:00.000000000Z");
	assert_string_equal(pdmv2_format_time(-1, buf), "1969-12-31T23:59:59.999999999Z");
	assert_string_equal(pdmv2_format_time(INT64_C(1795342500010153000), buf),
			    "2026-11-22T10:15:00.010153000Z");
	assert_string_equal(pdmv2_format_time(INT64_MAX, buf),
			    "2262-04-11T23:47:16.854775807Z");
	assert_string_equal(pdmv2_format_time(INT64_MIN, buf),
			    "1677-09-21T00:12:43.145224192Z");
}

static void
test_matches_printf_everywhere(void **state)
{
	uint32_t rng = 2026;
	unsigned i;

	(void)state;
	check(INT64_MAX);
	check(INT64_MIN);
	check(INT64_MIN + 1);
	/* second and day boundaries either side of the epoch */
	for (i = 0; i < 64; i++) {
		int64_t base = (int64_t)i * 86400 * INT64_C(1000000000);

		check(base);
		check(base - 1);
		check(-base);
		check(-base - 1);
	}
	for (i = 0; i < 200000; i++) {
		uint64_t v = (uint64_t)test_xorshift32(&rng) << 32 | test_xorshift32(&rng);

		check((int64_t)v);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_instants),
		cmocka_unit_test(test_matches_printf_everywhere),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
