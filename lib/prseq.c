/*
 * prseq.c - one key phase's record of PRSEQs (see prseq.h).
 *
 * Sparse: open addressing with linear probing, at most half full, from
 * 32 slots (128 bytes) to SPARSE_MAX_SLOTS (2 KiB).  A phase of 200
 * packets then costs 2 KiB, not the 4 KiB bitmap and 1 KiB log it took
 * before, and a short flow's phase 128 bytes.
 *
 * Dense: a 4 KiB bitmap of the PRSEQs seen and a 2 KiB ring of the
 * latest first sightings with their fingerprints.  The common path
 * touches a bitmap word and writes a ring slot; only a repeat scans the
 * ring, newest first, as duplicates come soon after their original.
 * Either way the size is bounded whatever the phase's length: a record
 * of every fingerprint of a phase would make memory grow with the
 * packets of a capture whose keys rotate rarely.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "pdmv2/option.h"
#include "prseq.h"

#define VALUES (PDMV2_PRSEQ_MAX + 1)
#define SPARSE_FIRST_SLOTS 32
#define SPARSE_MAX_SLOTS 512

static uint32_t
home(uint16_t prseq, uint32_t nslot)
{
	/* Fibonacci hashing: PRSEQs are pseudo-random already, but a
	 * hostile capture may send them in any pattern */
	return ((uint32_t)prseq * UINT32_C(2654435761)) >> 16 & (nslot - 1);
}

/* The slot holding prseq, or the free slot where it would go. */
static uint32_t
probe(const struct prseq_record *r, uint16_t prseq)
{
	uint32_t i = home(prseq, r->nslot);

	while (r->slot[i] != 0 && r->slot[i] >> 16 != prseq)
		i = (i + 1) & (r->nslot - 1);
	return i;
}

static void
sparse_grow(struct prseq_record *r, uint32_t nslot)
{
	uint32_t *old = r->slot, nold = r->nslot, i;

	r->slot = g_new0(uint32_t, nslot);
	r->nslot = nslot;
	for (i = 0; i < nold; i++)
		if (old[i])
			r->slot[probe(r, (uint16_t)(old[i] >> 16))] = old[i];
	g_free(old);
}

#define RING 512	/* 2 KiB: at least PRSEQ_RECENT_KEPT after a switch */
_Static_assert(RING >= PRSEQ_RECENT_KEPT + SPARSE_MAX_SLOTS / 2,
	       "the switch to dense may put the sparse entries anywhere in the ring");
_Static_assert((RING & (RING - 1)) == 0, "RING is a power of two");

static void
ring_put(struct prseq_record *r, uint32_t e)
{
	r->recent[r->nrecent++ % RING] = e;
}

/* The sparse entries become the bitmap and the ring. */
static void
to_dense(struct prseq_record *r)
{
	uint32_t i;

	if (!r->seen)
		r->seen = g_new0(uint64_t, VALUES / 64);
	if (!r->recent)
		r->recent = g_new(uint32_t, RING);
	r->nrecent = 0;
	for (i = 0; i < r->nslot; i++) {
		uint32_t e = r->slot[i], v = e >> 16;

		if (!e)
			continue;
		r->seen[v / 64] |= UINT64_C(1) << (v % 64);
		ring_put(r, e);
	}
	g_free(r->slot);
	r->slot = NULL;
	r->nslot = r->nused = 0;
	r->dense = true;
}

static enum prseq_seen
dense_add(struct prseq_record *r, uint16_t prseq, uint16_t fp)
{
	uint64_t bit = UINT64_C(1) << (prseq % 64);

	if (r->seen[prseq / 64] & bit) {
		uint32_t n = r->nrecent < RING ? r->nrecent : RING, i;

		/* a PRSEQ is in the ring once at most: only first sightings
		 * go in, and the bit keeps out the rest */
		for (i = 1; i <= n; i++) {
			uint32_t e = r->recent[(r->nrecent - i) % RING];

			if (e >> 16 == prseq)
				return (uint16_t)e == fp ? PRSEQ_DUPLICATE : PRSEQ_REUSE;
		}
		return PRSEQ_REUSE;	/* too old to compare: prseq.h */
	}
	ring_put(r, (uint32_t)prseq << 16 | fp);
	r->seen[prseq / 64] |= bit;
	return PRSEQ_NEW;
}

enum prseq_seen
prseq_record_add(struct prseq_record *r, uint16_t prseq, uint16_t fp)
{
	uint32_t i;

	prseq &= PDMV2_PRSEQ_MAX;
	if (r->dense)
		return dense_add(r, prseq, fp);
	if (!r->nslot)
		sparse_grow(r, SPARSE_FIRST_SLOTS);
	i = probe(r, prseq);
	if (r->slot[i])
		return (uint16_t)r->slot[i] == fp ? PRSEQ_DUPLICATE : PRSEQ_REUSE;
	if (2 * (r->nused + 1) > r->nslot) {
		if (2 * r->nslot > SPARSE_MAX_SLOTS) {
			to_dense(r);
			return dense_add(r, prseq, fp);
		}
		sparse_grow(r, 2 * r->nslot);
		i = probe(r, prseq);
	}
	r->slot[i] = (uint32_t)prseq << 16 | fp;
	r->nused++;
	return PRSEQ_NEW;
}

void
prseq_record_reset(struct prseq_record *r)
{
	if (r->dense) {
		memset(r->seen, 0, VALUES / 8);
		r->nrecent = 0;
	} else if (r->nslot) {
		memset(r->slot, 0, r->nslot * sizeof(*r->slot));
		r->nused = 0;
	}
}

void
prseq_record_size_like(struct prseq_record *r, const struct prseq_record *like)
{
	uint32_t want = like->dense ? SPARSE_MAX_SLOTS : like->nslot, *slot;

	if (r->dense || r->nused != 0 || want <= r->nslot)
		return;
	slot = g_new0(uint32_t, want);
	g_free(r->slot);
	r->slot = slot;
	r->nslot = want;
}

void
prseq_record_free(struct prseq_record *r)
{
	g_free(r->slot);
	g_free(r->seen);
	g_free(r->recent);
	memset(r, 0, sizeof(*r));
}

void
prseq_record_prefetch(const struct prseq_record *r, uint16_t prseq)
{
	prseq &= PDMV2_PRSEQ_MAX;
	if (r->dense) {
		__builtin_prefetch(&r->seen[prseq / 64], 1);
		__builtin_prefetch(&r->recent[r->nrecent % RING], 1);
	} else if (r->nslot) {
		__builtin_prefetch(&r->slot[home(prseq, r->nslot)], 1);
	}
}
