/*
 * dist.c - delay distributions: exact moments plus a log-linear quantile
 * sketch (see dist.h).  A positive double m * 2^e (m in [0.5, 1)) goes
 * to bucket e * 2^SUB + the top SUB bits of m below its leading one;
 * every value in a bucket is within 2^-(SUB+1) of the bucket's midpoint,
 * relatively, which is what a quantile reports.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "dist_batch.h"

#define SUB (1 << PDMV2_DIST_SUB_BITS)
/* Buckets per block of counts: a quarter of a power of two, 256 bytes.
 * A flow's delays span a power of two or two, and a short flow's a
 * single block; a whole power of two (1 KiB) was mostly zeros. */
#define BLOCK 32
_Static_assert(SUB % BLOCK == 0, "a block is a part of a power of two");

static int32_t
bucket_of(double x)
{
	uint64_t bits;
	int e;
	double m;

	/* A normal double's bits are its biased exponent and then its
	 * fraction: the top SUB_BITS of the fraction, below the exponent,
	 * are the same index frexp gives (e = biased - 1022), without a
	 * libm call per sample. */
	memcpy(&bits, &x, sizeof(bits));
	if ((bits >> 52 & 0x7FF) != 0 && (bits >> 52 & 0x7FF) != 0x7FF)
		return (int32_t)(bits >> (52 - PDMV2_DIST_SUB_BITS)) - 1022 * SUB;
	m = frexp(x, &e);	/* subnormal: exact, x = m * 2^e, m in [0.5, 1) */
	return (int32_t)e * SUB + (int32_t)((m - 0.5) * 2 * SUB);
}

/* floor(i / n), for a bucket index of either sign */
static int32_t
floor_div(int32_t i, int32_t n)
{
	return i >= 0 ? i / n : -((-i + n - 1) / n);
}

/* The midpoint of bucket i's range [lo, hi). */
static double
bucket_mid(int32_t i)
{
	int32_t e = floor_div(i, SUB);
	int32_t k = i - e * SUB;

	return ldexp(0.5 + ((double)k + 0.5) / (2 * SUB), e);
}

void
pdmv2_dist_init(struct pdmv2_dist *d)
{
	memset(d, 0, sizeof(*d));
}

void
pdmv2_dist_free(struct pdmv2_dist *d)
{
	uint32_t i;

	for (i = 0; i < d->nblk; i++)
		g_free(d->blk[i]);
	g_free(d->blk);
	d->blk = NULL;
	d->nblk = 0;
}

/* Block b's entry in the table, or NULL where the table does not
 * reach. */
static uint64_t **
table_entry(const struct pdmv2_dist *d, int32_t b)
{
	if (!d->nblk || b < d->blo || b >= d->blo + (int32_t)d->nblk)
		return NULL;
	return &d->blk[b - d->blo];
}

/* Make block b addressable, growing the block table geometrically
 * toward it (a table entry is a pointer: 8 bytes, not a block). */
static void
ensure_block(struct pdmv2_dist *d, int32_t b)
{
	int32_t lo, hi;
	uint32_t n, grow;
	uint64_t **t;

	if (table_entry(d, b))
		return;
	if (!d->nblk) {
		lo = b;
		hi = b + 1;
	} else {
		grow = d->nblk / 2 + 1;
		lo = d->blo;
		hi = d->blo + (int32_t)d->nblk;
		if (b < lo)
			lo = b - (int32_t)grow;
		else
			hi = b + (int32_t)grow;
	}
	n = (uint32_t)(hi - lo);
	t = g_new0(uint64_t *, n);
	if (d->nblk)
		memcpy(t + (d->blo - lo), d->blk, d->nblk * sizeof(*t));
	g_free(d->blk);
	d->blk = t;
	d->blo = lo;
	d->nblk = n;
}

/* Bucket idx's count, its block made if need be. */
static uint64_t *
bucket_count(struct pdmv2_dist *d, int32_t idx)
{
	int32_t b = floor_div(idx, BLOCK);
	uint64_t **blk;

	ensure_block(d, b);
	blk = table_entry(d, b);
	if (!*blk)
		*blk = g_new0(uint64_t, BLOCK);
	return &(*blk)[idx - b * BLOCK];
}

void
pdmv2_dist_note(struct pdmv2_dist *d, double us, struct pdmv2_dist_pending *p)
{
	double delta;
	uint64_t **e;

	p->d = NULL;
	p->c = NULL;
	if (isnan(us))
		return;
	/* Welford: exact-to-rounding mean and variance in one pass. */
	d->count++;
	if (d->count == 1 || us < d->min)
		d->min = us;
	if (d->count == 1 || us > d->max)
		d->max = us;
	delta = us - d->mean;
	d->mean += delta / (double)d->count;
	d->m2 += delta * (us - d->mean);

	if (!(us > 0)) {
		d->zeros++;
		return;
	}
	p->d = d;
	p->idx = bucket_of(us);
	/* the entry's address only: reading it here would wait */
	if ((e = table_entry(d, floor_div(p->idx, BLOCK))))
		__builtin_prefetch(e);
}

void
pdmv2_dist_warm(struct pdmv2_dist_pending *p)
{
	int32_t b = floor_div(p->idx, BLOCK);
	uint64_t **e;

	/* Blocks never move once made: the bucket's address holds until
	 * _count, whatever the table does meanwhile. */
	if (p->d && (e = table_entry(p->d, b)) && *e) {
		p->c = &(*e)[p->idx - b * BLOCK];
		__builtin_prefetch(p->c, 1);
	}
}

void
pdmv2_dist_count(const struct pdmv2_dist_pending *p)
{
	uint64_t *c = p->c;

	if (!p->d)
		return;
	if (!c)
		c = bucket_count(p->d, p->idx);
	(*c)++;
}

void
pdmv2_dist_add(struct pdmv2_dist *d, double us)
{
	struct pdmv2_dist_pending p;

	pdmv2_dist_note(d, us, &p);
	pdmv2_dist_count(&p);
}

double
pdmv2_dist_stddev(const struct pdmv2_dist *d)
{
	if (d->count == 0)
		return NAN;
	return sqrt(d->m2 / (double)d->count);
}

/* Bucket value as a quantile reports it: never outside what was seen. */
static double
clamp_seen(const struct pdmv2_dist *d, double v)
{
	return v < d->min ? d->min : v > d->max ? d->max : v;
}

void
pdmv2_dist_quantiles(const struct pdmv2_dist *d, const double *p, size_t n,
		     double *out)
{
	/* the unanswered ones, by rank: a bucket then moves at most one
	 * pointer, not a compare per quantile */
	uint64_t rank[PDMV2_DIST_QUANTILES_MAX], seen;
	size_t order[PDMV2_DIST_QUANTILES_MAX], j, m, left = 0, next = 0;
	uint32_t i, k;

	n = n < PDMV2_DIST_QUANTILES_MAX ? n : PDMV2_DIST_QUANTILES_MAX;
	for (j = 0; j < n; j++) {
		if (d->count == 0)
			out[j] = NAN;
		else if (p[j] <= 0)
			out[j] = d->min;
		else if (p[j] >= 1)
			out[j] = d->max;
		else {
			/* nearest rank: ceil(p * n), at least 1 */
			rank[j] = (uint64_t)ceil(p[j] * (double)d->count);
			if (rank[j] < 1)
				rank[j] = 1;
			if (rank[j] <= d->zeros) {
				out[j] = d->min;
			} else {
				out[j] = d->max;	/* unless a bucket holds it */
				for (m = left++; m > 0 && rank[order[m - 1]] > rank[j]; m--)
					order[m] = order[m - 1];
				order[m] = j;
			}
		}
	}
	/* one pass over the buckets for all of them */
	seen = d->zeros;
	for (i = 0; next < left && i < d->nblk; i++) {
		const uint64_t *blk = d->blk[i];

		for (k = 0; blk && next < left && k < BLOCK; k++) {
			if (!blk[k])
				continue;
			seen += blk[k];
			if (seen < rank[order[next]])
				continue;
			do
				out[order[next]] = clamp_seen(d, bucket_mid(
					(d->blo + (int32_t)i) * BLOCK + (int32_t)k));
			while (++next < left && seen >= rank[order[next]]);
		}
	}
}

double
pdmv2_dist_quantile(const struct pdmv2_dist *d, double p)
{
	double v;

	pdmv2_dist_quantiles(d, &p, 1, &v);
	return v;
}
