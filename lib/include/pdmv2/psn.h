/*
 * pdmv2/psn.h - per-direction PSN accounting (PROFILE.md 7).
 *
 * PSNs are 16-bit (RFC 8250, Kri layout) or 32-bit (Epoch layout) and
 * wrap; each is unwrapped to a 64-bit extended sequence, the value
 * closest to the highest seen so far (7).  A 16-bit value can therefore
 * never be more than 32768 below the highest, so a fixed 32768-bit
 * window of "seen" bits makes duplicate detection exact with memory
 * independent of the packet count (4 KiB per direction).  A 32-bit PSN
 * can come back up to 2^31 below the highest; the window stays 32768
 * bits (memory bounded per direction), and a PSN older than the window
 * cannot be told from a duplicate: it is counted as reordered.  While
 * PSNs only rise, with at most PDMV2_PSN_GAPS runs of missing values in
 * the window, the gaps say the same in a few bytes: the window is made
 * only when a PSN comes back below the highest, or gaps pile up, which
 * spares most short or clean flows its 4 KiB.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_PSN_H
#define PDMV2_PSN_H

#include <stdbool.h>
#include <stdint.h>

#define PDMV2_PSN_WINDOW 32768
#define PDMV2_PSN_GAPS 4

enum pdmv2_psn_class {
	PDMV2_PSN_NEW = 0,	/* above the highest so far (or the first) */
	PDMV2_PSN_REORDERED,	/* below the highest, not seen before */
	PDMV2_PSN_DUPLICATE,	/* seen before */
};

struct pdmv2_psn {
	bool any;
	uint8_t width;		/* 16 or 32 bits (pdmv2_psn_init_width) */
	uint32_t first;		/* first PSNTP seen, as on the wire */
	uint32_t last;		/* last PSNTP seen, as on the wire */
	uint64_t highest;	/* extended (unwrapped) values */
	uint64_t lowest;
	uint64_t distinct;
	uint64_t duplicates;
	uint64_t reordered;
	uint64_t *seen;		/* WINDOW bits, bit (ext % WINDOW), or NULL
				 * while the gaps below tell what was seen */
	unsigned ngaps;
	struct {
		uint64_t lo, hi;	/* missing: lo..hi, extended values */
	} gap[PDMV2_PSN_GAPS];		/* oldest first */
};

void pdmv2_psn_init(struct pdmv2_psn *p);	/* 16-bit PSNs */
/* bits: 16 (RFC 8250, Kri layout) or 32 (Epoch layout); other values
 * are taken as 16. */
void pdmv2_psn_init_width(struct pdmv2_psn *p, unsigned bits);
void pdmv2_psn_free(struct pdmv2_psn *p);	/* the window; keeps counts */

/* Account one PSNTP; returns how it was classified.  *ext (optional)
 * gets its extended value. */
enum pdmv2_psn_class pdmv2_psn_add(struct pdmv2_psn *p, uint32_t psntp,
				   uint64_t *ext);


/* (highest - lowest + 1) - distinct; 0 before the first PSN. */
uint64_t pdmv2_psn_lost(const struct pdmv2_psn *p);

#endif
