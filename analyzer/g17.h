/*
 * g17.h - the text printf's "%.17g" gives a double, made without printf.
 * The report prints 35 doubles a flow; glibc's printf takes about 600 ns
 * for each (multiple-precision arithmetic to be exact), a third of what a
 * flow's report costs.  This takes tens of nanoseconds for the values a
 * report holds and gives the same bytes; anything else it hands back to
 * snprintf.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ANALYZER_G17_H
#define ANALYZER_G17_H

#include <stddef.h>
#include <stdint.h>

/* "-1.2345678901234567e-100" and its NUL fit */
#define G17_BUF 32

/* Writes snprintf(buf, G17_BUF, "%.17g", v)'s text to buf (any double,
 * NaN and infinities included); returns its length. */
size_t g17_format(double v, char buf[G17_BUF]);

/* The decimal digits of n, most significant first, as "%" PRIu64 gives
 * them, without a NUL; returns how many.  The report's integers are
 * printed with it too. */
#define G17_DECIMAL_MAX 20
int g17_decimal(uint64_t n, char out[G17_DECIMAL_MAX]);

/* What json-c 0.16 prints for json_object_new_double(v), finite v: the
 * same, with ".0" after what would read as an integer.  So the report's
 * bytes do not change with the way they were made. */
#define G17_JSON_BUF (G17_BUF + 2)
size_t g17_json(double v, char buf[G17_JSON_BUF]);

#endif
