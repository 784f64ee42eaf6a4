/*
 * prseq.c - one key phase's record of PRSEQs (see prseq.h).
 *
 * Sparse: open addressing with linear probing, at most half full, from
 * 32 slots (128 bytes) to SPARSE_MAX_SLOTS (2 KiB).  A phase of 200
 * packets then costs 2 KiB, not the 4 KiB bitmap and 1 KiB log it took
 * before, and a short flow's phase 128 bytes.
 *
 * Dense: a 4 KiB bitmap of PRSEQs seen and an arrival-order log of
 * (PRSEQ, fingerprint); only at the first repeat is the log turned into
 * a 64 KiB table by PRSEQ.  The common path touches a bitmap word and
 * appends, and at most 32768 entries exist, so memory is bounded
 * whatever the packet count.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

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

static bool
sparse_grow(struct prseq_record *r, uint32_t nslot)
{
	uint32_t *old = r->slot, nold = r->nslot, i;

	if (!(r->slot = calloc(nslot, sizeof(*r->slot)))) {
		r->slot = old;
		return false;
	}
	r->nslot = nslot;
	for (i = 0; i < nold; i++)
		if (old[i])
			r->slot[probe(r, (uint16_t)(old[i] >> 16))] = old[i];
	free(old);
	return true;
}

/* The sparse entries become the bitmap and the log. */
static bool
to_dense(struct prseq_record *r)
{
	uint32_t cap = 2 * r->nused, i;

	if (!r->seen && !(r->seen = calloc(VALUES / 64, sizeof(uint64_t))))
		return false;
	if (cap > r->caplog) {
		uint32_t *n = realloc(r->log, cap * sizeof(*n));

		if (!n)
			return false;
		r->log = n;
		r->caplog = cap;
	}
	r->nlog = 0;
	for (i = 0; i < r->nslot; i++) {
		uint32_t e = r->slot[i], v = e >> 16;

		if (!e)
			continue;
		r->seen[v / 64] |= UINT64_C(1) << (v % 64);
		r->log[r->nlog++] = e;
	}
	free(r->slot);
	r->slot = NULL;
	r->nslot = r->nused = 0;
	r->dense = true;
	return true;
}

/* At the first repeat of a dense phase: index the log by PRSEQ. */
static bool
dense_index(struct prseq_record *r)
{
	uint32_t i;

	if (!(r->fp = calloc(VALUES, sizeof(uint16_t))))
		return false;
	for (i = 0; i < r->nlog; i++)
		r->fp[r->log[i] >> 16] = (uint16_t)r->log[i];
	r->nlog = 0;
	return true;
}

static enum prseq_seen
dense_add(struct prseq_record *r, uint16_t prseq, uint16_t fp)
{
	uint64_t bit = UINT64_C(1) << (prseq % 64);

	if (r->seen[prseq / 64] & bit) {
		if (!r->fp && !dense_index(r))
			return PRSEQ_UNCHECKED;
		return r->fp[prseq] == fp ? PRSEQ_DUPLICATE : PRSEQ_REUSE;
	}
	if (r->fp) {
		r->fp[prseq] = fp;
	} else {
		if (r->nlog == r->caplog) {
			uint32_t cap = r->caplog ? r->caplog * 2 : 256;
			uint32_t *n = realloc(r->log, cap * sizeof(*n));

			if (!n)
				return PRSEQ_UNCHECKED;	/* and not marked seen */
			r->log = n;
			r->caplog = cap;
		}
		r->log[r->nlog++] = (uint32_t)prseq << 16 | fp;
	}
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
	if (!r->nslot && !sparse_grow(r, SPARSE_FIRST_SLOTS))
		return PRSEQ_UNCHECKED;
	i = probe(r, prseq);
	if (r->slot[i])
		return (uint16_t)r->slot[i] == fp ? PRSEQ_DUPLICATE : PRSEQ_REUSE;
	if (2 * (r->nused + 1) > r->nslot) {
		if (2 * r->nslot > SPARSE_MAX_SLOTS)
			return to_dense(r) ? dense_add(r, prseq, fp) : PRSEQ_UNCHECKED;
		if (!sparse_grow(r, 2 * r->nslot))
			return PRSEQ_UNCHECKED;
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
		free(r->fp);
		r->fp = NULL;
		r->nlog = 0;		/* the log buffer is kept */
	} else if (r->nslot) {
		memset(r->slot, 0, r->nslot * sizeof(*r->slot));
		r->nused = 0;
	}
}

void
prseq_record_free(struct prseq_record *r)
{
	free(r->slot);
	free(r->seen);
	free(r->log);
	free(r->fp);
	memset(r, 0, sizeof(*r));
}

void
prseq_record_prefetch(const struct prseq_record *r, uint16_t prseq)
{
	prseq &= PDMV2_PRSEQ_MAX;
	if (r->dense) {
		__builtin_prefetch(&r->seen[prseq / 64], 1);
		if (r->log && r->nlog < r->caplog)
			__builtin_prefetch(&r->log[r->nlog], 1);
	} else if (r->nslot) {
		__builtin_prefetch(&r->slot[home(prseq, r->nslot)], 1);
	}
}
