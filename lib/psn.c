/*
 * psn.c - per-direction PSN accounting (PROFILE.md 7).
 *
 * Extended values start at 2^32 + first PSN so a capture that began
 * mid-flow can see earlier (reordered) PSNs without underflow.  Because
 * every PSN is unwrapped to the value closest to the highest so far, no
 * value lands more than 32768 below it: a 32768-bit window of "seen"
 * bits indexed by ext % 32768 tells duplicates exactly, in 4 KiB.  Until
 * the first PSN below the highest, what was seen is everything from the
 * lowest to the highest but the gaps, so a few gaps stand in for the
 * window (psn.h).
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

/* The lowest value a later PSN can unwrap to, with highest h. */
static uint64_t
window_low(uint64_t h)
{
	return h - (PDMV2_PSN_WINDOW - 1);	/* h >= 2^32: no wrap */
}

/* Gaps wholly below the window of highest h can never be asked about. */
static void
gaps_trim(struct pdmv2_psn *p, uint64_t h)
{
	unsigned n = 0;

	while (n < p->ngaps && p->gap[n].hi < window_low(h))
		n++;
	if (n) {
		memmove(p->gap, p->gap + n, (p->ngaps - n) * sizeof(p->gap[0]));
		p->ngaps -= n;
	}
}

/* From the gaps to the window: every value of the window from the
 * lowest on is seen, but those in a gap. */
static void
make_window(struct pdmv2_psn *p)
{
	uint64_t x = window_low(p->highest);
	unsigned g = 0;

	p->seen = g_new0(uint64_t, PDMV2_PSN_WINDOW / 64);
	if (x < p->lowest)
		x = p->lowest;
	for (; x <= p->highest; x++) {
		while (g < p->ngaps && p->gap[g].hi < x)
			g++;
		if (g < p->ngaps && p->gap[g].lo <= x)
			x = p->gap[g].hi;	/* missing: skip the run */
		else
			seen_set(p, x, true);
	}
	p->ngaps = 0;
}

enum pdmv2_psn_class
pdmv2_psn_add(struct pdmv2_psn *p, uint16_t psntp, uint64_t *ext_out)
{
	uint64_t ext, x;
	int32_t diff;

	if (!p->any) {
		p->any = true;
		p->first = p->last = psntp;
		p->highest = p->lowest = ext = EXT_BASE + psntp;
		p->distinct = 1;
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

	if (ext > p->highest && !p->seen && ext - p->highest > 1) {
		/* values skipped: a gap, while there is room for one */
		gaps_trim(p, ext);
		if (p->ngaps < PDMV2_PSN_GAPS) {
			x = p->highest + 1;
			p->gap[p->ngaps].lo = x < window_low(ext) ? window_low(ext) : x;
			p->gap[p->ngaps].hi = ext - 1;
			p->ngaps++;
		} else {
			make_window(p);
		}
	}
	if (ext > p->highest) {
		if (p->seen) {
			/* Slots between the old and new highest leave the
			 * window's far end: clear them (all of it for a jump
			 * >= window). */
			if (ext - p->highest >= PDMV2_PSN_WINDOW)
				memset(p->seen, 0, PDMV2_PSN_WINDOW / 8);
			else
				for (x = p->highest + 1; x <= ext; x++)
					seen_set(p, x, false);
			seen_set(p, ext, true);
		}
		p->highest = ext;
		p->distinct++;
		return PDMV2_PSN_NEW;
	}
	if (!p->seen)		/* the first PSN back below the highest */
		make_window(p);
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

uint64_t
pdmv2_psn_lost(const struct pdmv2_psn *p)
{
	uint64_t span;

	if (!p->any)
		return 0;
	span = p->highest - p->lowest + 1;
	return span > p->distinct ? span - p->distinct : 0;
}
