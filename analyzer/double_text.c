/*
 * double_text.c - a double's shortest round-trip text (double_text.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "double_text.h"

size_t
double_text(double v, char buf[DOUBLE_TEXT_BUF])
{
	int prec, n = 0;

	/* any decimal of 15 significant digits or fewer survives a trip
	 * through a double, so "%.15g" (which drops trailing zeros) is
	 * already the shortest when it reads back; 17 always do */
	for (prec = 15; prec <= 17; prec++) {
		n = snprintf(buf, DOUBLE_TEXT_BUF, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return (size_t)n;
}

size_t
double_text_json(double v, char buf[DOUBLE_TEXT_BUF])
{
	size_t n = double_text(v, buf);

	if (!strpbrk(buf, ".eEnN")) {	/* not "1e+20", "nan", "inf" */
		memcpy(buf + n, ".0", 3);
		n += 2;
	}
	return n;
}
