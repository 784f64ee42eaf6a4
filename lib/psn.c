/*
 * psn.c - per-direction PSN accounting (PROFILE.md 7).
 *
 * Extended values start at 2^32 + first PSN so a capture that began
 * mid-flow can see earlier (reordered) PSNs without underflow.  Because
 * every PSN is unwrapped to the value closest to the highest so far, no
 * value lands more than 32768 below it: a 32768-bit window of "seen"
 * bits indexed by ext % 32768 tells duplicates exactly, in 4 KiB.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <glib.h>

#include "pdmv2/psn.h"

#define EXT_BASE (UINT64_C(1) << 32)

void
pdmv2_psn_init(struct pdmv2_psn *p)
{
	memset(p, 0, sizeof(*p));
}

void
pdmv2_psn_free(struct pdmv2_psn *p)
{
	g_free(p->seen);
	p->seen = NULL;
}

static bool
seen_get(const struct pdmv2_psn *p, uint64_t ext)
{
	uint64_t i = ext % PDMV2_PSN_WINDOW;

	return (p->seen[i / 64] >> (i % 64)) & 1u;
}

static void
seen_set(struct pdmv2_psn *p, uint64_t ext, bool on)
{
	uint64_t i = ext % PDMV2_PSN_WINDOW, bit = UINT64_C(1) << (i % 64);

	if (on)
		p->seen[i / 64] |= bit;
	else
		p->seen[i / 64] &= ~bit;
}

enum pdmv2_psn_class
pdmv2_psn_add(struct pdmv2_psn *p, uint16_t psntp, uint64_t *ext_out)
{
	uint64_t ext, x;
	int32_t diff;

	if (!p->any) {
		if (!p->seen)
			p->seen = g_new0(uint64_t, PDMV2_PSN_WINDOW / 64);
		p->any = true;
		p->first = p->last = psntp;
		p->highest = p->lowest = ext = EXT_BASE + psntp;
		p->distinct = 1;
		seen_set(p, ext, true);
		if (ext_out)
			*ext_out = ext;
		return PDMV2_PSN_NEW;
	}
	p->last = psntp;
	/* Closest to the highest: signed 16-bit distance; the tie at
	 * exactly 32768 goes forward so the window holds every value. */
	diff = (int16_t)(uint16_t)(psntp - (uint16_t)p->highest);
	if (diff == -32768)
		diff = 32768;
	ext = (uint64_t)((int64_t)p->highest + diff);
	if (ext_out)
		*ext_out = ext;

	if (ext > p->highest) {
		/* Slots between the old and new highest leave the window's
		 * far end: clear them (all of it for a jump >= window). */
		if (ext - p->highest >= PDMV2_PSN_WINDOW)
			memset(p->seen, 0, PDMV2_PSN_WINDOW / 8);
		else
			for (x = p->highest + 1; x <= ext; x++)
				seen_set(p, x, false);
		p->highest = ext;
		p->distinct++;
		seen_set(p, ext, true);
		return PDMV2_PSN_NEW;
	}
	if (seen_get(p, ext) && ext >= p->lowest) {
		p->duplicates++;
		return PDMV2_PSN_DUPLICATE;
	}
	if (ext < p->lowest)
		p->lowest = ext;
	p->distinct++;
	p->reordered++;
	seen_set(p, ext, true);
	return PDMV2_PSN_REORDERED;
}

void
pdmv2_psn_prefetch(const struct pdmv2_psn *p)
{
	if (p->seen)
		__builtin_prefetch(&p->seen[(p->highest + 1) % PDMV2_PSN_WINDOW / 64], 1);
}

uint64_t
pdmv2_psn_lost(const struct pdmv2_psn *p)
{
	uint64_t span;

	if (!p->any)
		return 0;
	span = p->highest - p->lowest + 1;
	return span > p->distinct ? span - p->distinct : 0;
}
