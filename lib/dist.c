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

#include "pdmv2/dist.h"

#define SUB (1 << PDMV2_DIST_SUB_BITS)

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

/* The midpoint of bucket i's range [lo, hi). */
static double
bucket_mid(int32_t i)
{
	int32_t e = i >= 0 ? i / SUB : -((-i + SUB - 1) / SUB);
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
	free(d->buckets);
	d->buckets = NULL;
	d->nbuckets = 0;
}

/* Make index idx addressable, growing geometrically toward it. */
static int
ensure_bucket(struct pdmv2_dist *d, int32_t idx)
{
	int32_t lo, hi;
	uint32_t n, grow;
	uint64_t *b;

	if (d->nbuckets && idx >= d->lo && idx < d->lo + (int32_t)d->nbuckets)
		return 1;
	if (!d->nbuckets) {
		lo = idx - 8;
		hi = idx + 8;
	} else {
		grow = d->nbuckets / 2 + 8;
		lo = d->lo;
		hi = d->lo + (int32_t)d->nbuckets;
		if (idx < lo)
			lo = idx - (int32_t)grow;
		else
			hi = idx + (int32_t)grow;
	}
	n = (uint32_t)(hi - lo);
	b = calloc(n, sizeof(*b));
	if (!b)
		return 0;
	if (d->nbuckets)
		memcpy(b + (d->lo - lo), d->buckets, d->nbuckets * sizeof(*b));
	free(d->buckets);
	d->buckets = b;
	d->lo = lo;
	d->nbuckets = n;
	return 1;
}

void
pdmv2_dist_note(struct pdmv2_dist *d, double us, struct pdmv2_dist_pending *p)
{
	double delta;

	p->d = NULL;
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
	if (d->nbuckets && p->idx >= d->lo &&
	    p->idx < d->lo + (int32_t)d->nbuckets)
		__builtin_prefetch(&d->buckets[p->idx - d->lo], 1);
}

int
pdmv2_dist_count(const struct pdmv2_dist_pending *p)
{
	struct pdmv2_dist *d = p->d;

	if (!d)
		return 1;
	if (!ensure_bucket(d, p->idx))
		return 0;
	d->buckets[p->idx - d->lo]++;
	return 1;
}

int
pdmv2_dist_add(struct pdmv2_dist *d, double us)
{
	struct pdmv2_dist_pending p;

	pdmv2_dist_note(d, us, &p);
	return pdmv2_dist_count(&p);
}

double
pdmv2_dist_stddev(const struct pdmv2_dist *d)
{
	if (d->count == 0)
		return NAN;
	return sqrt(d->m2 / (double)d->count);
}

double
pdmv2_dist_quantile(const struct pdmv2_dist *d, double p)
{
	uint64_t rank, seen;
	uint32_t i;
	double v;

	if (d->count == 0)
		return NAN;
	if (p <= 0)
		return d->min;
	if (p >= 1)
		return d->max;
	/* nearest rank: ceil(p * n), at least 1 */
	rank = (uint64_t)ceil(p * (double)d->count);
	if (rank < 1)
		rank = 1;
	if (rank <= d->zeros)
		return d->min;
	seen = d->zeros;
	for (i = 0; i < d->nbuckets; i++) {
		seen += d->buckets[i];
		if (seen >= rank) {
			v = bucket_mid(d->lo + (int32_t)i);
			if (v < d->min)
				v = d->min;
			if (v > d->max)
				v = d->max;
			return v;
		}
	}
	return d->max;
}
