/*
 * pdmv2/dist.h - a distribution of delay samples in microseconds.
 *
 * count, min, max, mean and stddev are exact (Welford's running
 * moments); quantiles come from a log-linear bucket sketch (the double's
 * exponent and its top PDMV2_DIST_SUB_BITS mantissa bits, as HDR
 * histograms do) with relative error at most 2^-(SUB_BITS+1) = 0.39%,
 * inside PROFILE.md 7's 1%.  No log() per sample.  Counts are kept in
 * blocks of 32 buckets (a quarter of a power of two, 256 bytes), each
 * made at its first sample: memory grows with the range the values
 * fall in, never with their number, and two far-apart values cost two
 * blocks, not every block between them.  The reference quantile is the nearest-rank one:
 * the value of rank ceil(p * count) in sorted order.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_DIST_H
#define PDMV2_DIST_H

#include <stddef.h>
#include <stdint.h>

#define PDMV2_DIST_SUB_BITS 7	/* 128 buckets per power of two */

struct pdmv2_dist {
	uint64_t count;
	double min, max, mean, m2;	/* m2: sum of squared deviations */
	/* sketch: blocks [blo, blo + nblk) of 32 buckets, each NULL or
	 * their counts; bucket i is in block floor(i / 32) */
	int32_t blo;
	uint32_t nblk;
	uint64_t **blk;
	uint64_t zeros;			/* samples <= 0 (not log-bucketed) */
};

void pdmv2_dist_init(struct pdmv2_dist *d);
void pdmv2_dist_free(struct pdmv2_dist *d);	/* frees the sketch, keeps d */
/* Add one sample. */
void pdmv2_dist_add(struct pdmv2_dist *d, double us);
double pdmv2_dist_stddev(const struct pdmv2_dist *d);	/* population */
/* p in [0,1]; NAN when empty. */
double pdmv2_dist_quantile(const struct pdmv2_dist *d, double p);
/* out[j] = pdmv2_dist_quantile(d, p[j]) for j < n (p in any order), in
 * one pass over the buckets instead of n: a report asks for three.  At
 * most PDMV2_DIST_QUANTILES_MAX of them; out past that is left alone. */
#define PDMV2_DIST_QUANTILES_MAX 16
void pdmv2_dist_quantiles(const struct pdmv2_dist *d, const double *p,
			  size_t n, double *out);

#endif
