/*
 * pdmv2/timefmt.h - RFC 3339 UTC timestamps with nanoseconds, the form
 * every time in the JSON report takes (INTERFACES.md).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_TIMEFMT_H
#define PDMV2_TIMEFMT_H

#include <stdint.h>

#define PDMV2_TIME_BUF 96	/* room for any struct tm gcc can imagine */

/* ns since the Unix epoch -> "2026-11-22T10:15:00.123456789Z"; returns buf. */
char *pdmv2_format_time(int64_t ns, char buf[PDMV2_TIME_BUF]);

#endif
