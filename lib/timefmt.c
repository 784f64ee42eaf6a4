/*
 * timefmt.c - RFC 3339 UTC timestamps with nanoseconds.
 *
 * The digits are written here rather than by snprintf: a report carries
 * a dozen times per flow, and parsing a format string for each would be
 * a large part of writing the report.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <time.h>

#include "pdmv2/timefmt.h"

/* v in [0, 10^n): n decimal digits, zero-padded. */
static char *
put_digits(char *p, unsigned long v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

char *
pdmv2_format_time(int64_t ns, char buf[PDMV2_TIME_BUF])
{
	int64_t sec = ns / 1000000000, frac = ns % 1000000000;
	time_t t;
	struct tm tm;
	char *p = buf;

	if (frac < 0) {		/* before 1970: floor, not truncate */
		frac += 1000000000;
		sec--;
	}
	t = (time_t)sec;
	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, PDMV2_TIME_BUF, "invalid");
		return buf;
	}
	/* int64 ns reach years 1677 to 2262; anything else (a struct tm
	 * gmtime_r never gives) takes the general path */
	if (tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999) {
		snprintf(buf, PDMV2_TIME_BUF, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			 tm.tm_min, tm.tm_sec, (long)frac);
		return buf;
	}
	p = put_digits(p, (unsigned long)(tm.tm_year + 1900), 4);
	*p++ = '-';
	p = put_digits(p, (unsigned long)(tm.tm_mon + 1), 2);
	*p++ = '-';
	p = put_digits(p, (unsigned long)tm.tm_mday, 2);
	*p++ = 'T';
	p = put_digits(p, (unsigned long)tm.tm_hour, 2);
	*p++ = ':';
	p = put_digits(p, (unsigned long)tm.tm_min, 2);
	*p++ = ':';
	/* tm_sec is 0..60 (a leap second), never more from gmtime_r */
	p = put_digits(p, (unsigned long)tm.tm_sec, 2);
	*p++ = '.';
	p = put_digits(p, (unsigned long)frac, 9);
	*p++ = 'Z';
	*p = '\0';
	return buf;
}

int64_t
pdmv2_time_ns(int64_t sec, int64_t nsec, bool *saturated)
{
	int64_t ns;

	if (__builtin_mul_overflow(sec, INT64_C(1000000000), &ns) ||
	    __builtin_add_overflow(ns, nsec, &ns)) {
		*saturated = true;
		return sec < 0 || (sec == 0 && nsec < 0) ? INT64_MIN : INT64_MAX;
	}
	return ns;
}

double
pdmv2_time_span_ns(int64_t from, int64_t to)
{
	int64_t d;

	if (__builtin_sub_overflow(to, from, &d))
		return (double)to - (double)from;
	return (double)d;
}
