/*
 * double_text.h - a double's shortest decimal text that reads back as
 * the same double, as Python's repr and JavaScript print it ("0.1", not
 * "%.17g"'s "0.10000000000000001").  The report's and --dump-frames'
 * doubles are printed this way: a reader gets the value exactly, in
 * the fewest digits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ANALYZER_DOUBLE_TEXT_H
#define ANALYZER_DOUBLE_TEXT_H

#include <stddef.h>

/* "-1.2345678901234567e-100", ".0" and the NUL fit */
#define DOUBLE_TEXT_BUF 40

/* The first of "%.15g", "%.16g", "%.17g" that strtod() reads back as v
 * ("%.17g" always does for a finite v); NaN and infinities as printf
 * gives them.  Returns the length. */
size_t double_text(double v, char buf[DOUBLE_TEXT_BUF]);

/* The same, with ".0" after a text that would read as an integer, as
 * json-c prints doubles, so that a JSON reader still sees a double. */
size_t double_text_json(double v, char buf[DOUBLE_TEXT_BUF]);

#endif
