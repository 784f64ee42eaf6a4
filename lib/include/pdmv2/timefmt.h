/*
 * pdmv2/timefmt.h - RFC 3339 UTC timestamps with nanoseconds, the form
 * every time in the JSON report takes (INTERFACES.md).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_TIMEFMT_H
#define PDMV2_TIMEFMT_H

#include <stdbool.h>
#include <stdint.h>

#define PDMV2_TIME_BUF 96	/* room for any struct tm gcc can imagine */

/* ns since the Unix epoch -> "2026-11-22T10:15:00.123456789Z"; returns buf. */
char *pdmv2_format_time(int64_t ns, char buf[PDMV2_TIME_BUF]);

/* sec seconds and nsec nanoseconds since the Unix epoch as one count of
 * ns, which reaches the years 1677 to 2262 only: a capture's stamp
 * outside them (pcapng if_tsresol of seconds, a large if_tsoffset)
 * saturates at INT64_MIN or INT64_MAX and sets *saturated, never wraps. */
int64_t pdmv2_time_ns(int64_t sec, int64_t nsec, bool *saturated);

/* to - from in ns: exact where an int64 holds it, else (stamps at the
 * two ends of the range) the nearest double, never a wrapped value. */
double pdmv2_time_span_ns(int64_t from, int64_t to);

#endif
