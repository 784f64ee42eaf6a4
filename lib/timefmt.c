/*
 * timefmt.c - RFC 3339 UTC timestamps with nanoseconds.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <time.h>

#include "pdmv2/timefmt.h"

char *
pdmv2_format_time(int64_t ns, char buf[PDMV2_TIME_BUF])
{
	int64_t sec = ns / 1000000000, frac = ns % 1000000000;
	time_t t;
	struct tm tm;

	if (frac < 0) {		/* before 1970: floor, not truncate */
		frac += 1000000000;
		sec--;
	}
	t = (time_t)sec;
	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, PDMV2_TIME_BUF, "invalid");
		return buf;
	}
	snprintf(buf, PDMV2_TIME_BUF, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (long)frac);
	return buf;
}
