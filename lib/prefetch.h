/*
 * prefetch.h - a hint for code working through batches of packets:
 * start loading every cache line a range of bytes touches, so that the
 * misses of a batch overlap instead of coming one after another.  A
 * prefetch never faults: a range past the end of its object costs a
 * wasted load at most, and results never depend on it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_PREFETCH_H
#define PDMV2_PREFETCH_H

#include <stddef.h>
#include <stdint.h>

#define PDMV2_CACHE_LINE 64

/* Every line of [p, p + len), the first and last included however p is
 * aligned; nothing for len 0. */
static inline void
pdmv2_prefetch_range(const void *p, size_t len)
{
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)(PDMV2_CACHE_LINE - 1);
	uintptr_t end = (uintptr_t)p + len;

	for (; a < end; a += PDMV2_CACHE_LINE)
		__builtin_prefetch((const void *)a);
}

#endif
