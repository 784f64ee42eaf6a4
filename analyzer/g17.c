/*
 * g17.c - "%.17g" without printf (see g17.h).
 *
 * A finite double is m * 2^e exactly (m < 2^53).  Its 17 significant
 * digits are q = m * 10^k / 2^-e for the k that puts q in [10^16, 10^17),
 * rounded as glibc rounds (to nearest, a tie to even).  Whenever m * 10^k
 * fits 128 bits the division is a shift and its remainder says exactly
 * which way to round: so for about 1e-6 <= |v| < 2^63, which holds every
 * time and delay in microseconds, and zero.  The rest goes to snprintf.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "g17.h"

typedef unsigned __int128 u128;

#define DIGITS 17
#define MAX_K 22		/* 10^22 < 2^74: m * 10^k < 2^127 */

static const uint64_t pow10_64[] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
	10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
	100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL,
	10000000000000000000ULL,
};
#define P16 pow10_64[16]
#define P17 pow10_64[17]

static u128
pow10_128(int k)
{
	return k <= 19 ? (u128)pow10_64[k] : (u128)pow10_64[19] * pow10_64[k - 19];
}

int
g17_decimal(uint64_t n, char out[G17_DECIMAL_MAX])
{
	char tmp[G17_DECIMAL_MAX];
	int len = 0, i;

	do {
		tmp[len++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	for (i = 0; i < len; i++)
		out[i] = tmp[len - 1 - i];
	return len;
}

/* q: the 17 digits; x: the decimal exponent of the first.  %g's choice
 * of style, then no trailing zeros and no bare point. */
static size_t
layout(bool neg, uint64_t q, int x, char *buf)
{
	char d[G17_DECIMAL_MAX], *p = buf;
	int n = DIGITS, i;

	(void)g17_decimal(q, d);
	while (n > 1 && d[n - 1] == '0')	/* significant digits left */
		n--;
	if (neg)
		*p++ = '-';
	if (x < -4 || x >= DIGITS) {	/* d.ddde+xx */
		*p++ = d[0];
		if (n > 1) {
			*p++ = '.';
			memcpy(p, d + 1, (size_t)n - 1);
			p += n - 1;
		}
		*p++ = 'e';
		*p++ = x < 0 ? '-' : '+';
		x = x < 0 ? -x : x;
		if (x < 10)
			*p++ = '0';
		p += g17_decimal((uint64_t)x, p);
	} else if (x < 0) {		/* 0.000ddd */
		*p++ = '0';
		*p++ = '.';
		for (i = -1; i > x; i--)
			*p++ = '0';
		memcpy(p, d, (size_t)n);
		p += n;
	} else {			/* ddd.ddd */
		for (i = 0; i <= x; i++)
			*p++ = i < n ? d[i] : '0';
		if (n > x + 1) {
			*p++ = '.';
			memcpy(p, d + x + 1, (size_t)(n - x - 1));
			p += n - x - 1;
		}
	}
	*p = '\0';
	return (size_t)(p - buf);
}

/* Rounds q up when the dropped part, rem out of den, is more than half,
 * or exactly half with q odd. */
static uint64_t
round_even(uint64_t q, u128 rem, u128 den)
{
	u128 twice = rem << 1;

	return twice > den || (twice == den && (q & 1)) ? q + 1 : q;
}

/* The 17 digits and exponent of m * 2^e; false when out of reach. */
static bool
digits(uint64_t m, int e, uint64_t *q, int *x)
{
	if (e >= 0) {
		uint64_t n, div;
		int len;
		char d[G17_DECIMAL_MAX];

		if (e > 10)	/* m << e would pass 2^63 */
			return false;
		n = m << e;
		len = g17_decimal(n, d);
		if (len <= DIGITS) {
			*q = n * pow10_64[DIGITS - len];
			*x = len - 1;
			return true;
		}
		div = pow10_64[len - DIGITS];
		*q = round_even(n / div, n % div, div);
		*x = len - 1;
	} else {
		int s = -e, k;
		u128 p, mask;

		if (s > 127 - 53 - 1)
			return false;
		/* 10^16 <= m 10^k 2^-s < 10^17.  m 2^e is in [2^(52+e),
		 * 2^(53+e)): (52+e) log10(2), as 1233/4096 (floor by the
		 * arithmetic shift), is one off at most either way, which the
		 * loop corrects (log10() here took nearly a third of the
		 * time). */
		k = DIGITS - 1 - ((52 + e) * 1233 >> 12);
		for (;;) {
			if (k < 0 || k > MAX_K)
				return false;
			p = (u128)m * pow10_128(k);
			if (p >> s < P16)
				k++;
			else if (p >> s >= P17)
				k--;
			else
				break;
		}
		mask = ((u128)1 << s) - 1;
		*q = round_even((uint64_t)(p >> s), p & mask, (u128)1 << s);
		*x = DIGITS - 1 - k;
	}
	if (*q == P17) {	/* 99..9 rounded up */
		*q = P16;
		(*x)++;
	}
	return true;
}

size_t
g17_format(double v, char buf[G17_BUF])
{
	uint64_t bits, m, q;
	int be, x;

	memcpy(&bits, &v, sizeof(bits));
	be = (int)(bits >> 52 & 0x7ff);
	m = bits & ((UINT64_C(1) << 52) - 1);
	if ((bits << 1) == 0) {		/* a zero: every single-sample stddev */
		static const char zeros[] = "-0";
		size_t n = bits >> 63 ? 2 : 1;

		memcpy(buf, &zeros[2 - n], n + 1);
		return n;
	}
	/* subnormals, infinities and NaN: printf's business */
	if (be != 0 && be != 0x7ff &&
	    digits(m | UINT64_C(1) << 52, be - 1075, &q, &x))
		return layout(bits >> 63, q, x, buf);
	return (size_t)snprintf(buf, G17_BUF, "%.17g", v);
}

size_t
g17_json(double v, char buf[G17_JSON_BUF])
{
	size_t n = g17_format(v, buf);

	if (!strpbrk(buf, ".e") && (isdigit((unsigned char)buf[0]) ||
				    (buf[0] == '-' && isdigit((unsigned char)buf[1])))) {
		memcpy(buf + n, ".0", 3);
		n += 2;
	}
	return n;
}
