/*
 * dist_batch.h - pdmv2_dist_add in steps, for a caller that counts the
 * samples of a batch of packets together (pdmv2-analyze).  Not public
 * API.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_DIST_BATCH_H
#define PDMV2_DIST_BATCH_H

#include "pdmv2/dist.h"

/* pdmv2_dist_add in parts, for callers working through batches: _note
 * updates the exact moments at once and starts loading the block table
 * entry of the sketch bucket the sample falls in; _warm, later, starts
 * loading the bucket and keeps its address (optional: without it _count
 * finds the bucket itself); _count, later still, counts it.  Run over a
 * batch's samples, each step overlaps their cache misses.  Quantiles
 * are right once every noted sample has been counted. */
struct pdmv2_dist_pending {
	struct pdmv2_dist *d;	/* NULL: nothing to count */
	uint64_t *c;		/* the bucket, once _warm found its block */
	int32_t idx;
};
void pdmv2_dist_note(struct pdmv2_dist *d, double us,
		     struct pdmv2_dist_pending *p);
void pdmv2_dist_warm(struct pdmv2_dist_pending *p);
void pdmv2_dist_count(const struct pdmv2_dist_pending *p);
#endif
