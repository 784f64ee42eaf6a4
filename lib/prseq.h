/*
 * prseq.h - internal: one key phase's record of the PRSEQs seen (kri.c),
 * which tells a new PRSEQ from a duplicate packet (same PRSEQ, same tag
 * fingerprint) and from a nonce reuse (same PRSEQ, another fingerprint;
 * PROFILE.md 5.4).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_PRSEQ_H
#define PDMV2_PRSEQ_H

#include <stdbool.h>
#include <stdint.h>

/* A phase of a few hundred packets, the common case, is a small hash
 * set (sparse); past SPARSE_MAX_SLOTS / 2 PRSEQs it becomes a bitmap of
 * all 32768 values plus a ring of the latest first sightings and their
 * fingerprints (dense).  Either way a record is at most 6 KiB, however
 * long the phase: memory follows flows, not packets.  Zeroed is empty. */
struct prseq_record {	/* 40 bytes, no holes: part of a tracker's first line */
	uint32_t *slot;		/* sparse: PRSEQ << 16 | fingerprint; 0 free */
	uint64_t *seen;		/* dense: a bit per PRSEQ value */
	uint32_t *recent;	/* dense: ring of PRSEQ << 16 | fingerprint */
	uint32_t nslot, nused;	/* nslot a power of two, 0 before the first */
	uint32_t nrecent;	/* dense: entries put in the ring this phase */
	bool dense;		/* once dense, it stays dense when reset */
};

/* A repeat is compared with the fingerprint of the PRSEQ's first
 * sighting when that is among the last PRSEQ_RECENT_KEPT first sightings
 * of the phase (the ring holds 512; 256 are sure).  An older repeat
 * counts as a reuse: its fingerprint is gone, a network duplicate that
 * late is implausible, and a sender whose PRSEQ sequence started over
 * under the same key is the usual cause. */
#define PRSEQ_RECENT_KEPT 256

enum prseq_seen {
	PRSEQ_NEW,
	PRSEQ_DUPLICATE,	/* same fingerprint */
	PRSEQ_REUSE,		/* another fingerprint, or a repeat too old */
};

/* fp: 16 bits of the packet's tag, never 0. */
enum prseq_seen prseq_record_add(struct prseq_record *r, uint16_t prseq,
				 uint16_t fp);
/* Empty, for a new phase; the memory is kept for it. */
void prseq_record_reset(struct prseq_record *r);
/* r empty: make its sparse table as large as like's got (or the
 * largest, when like went dense), so a phase as long as the last one
 * skips the regrowths and rehashes. */
void prseq_record_size_like(struct prseq_record *r,
			    const struct prseq_record *like);
void prseq_record_free(struct prseq_record *r);
/* A hint: starts loading what adding prseq will read. */
void prseq_record_prefetch(const struct prseq_record *r, uint16_t prseq);

#endif
