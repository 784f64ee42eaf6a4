/*
 * psn.c - per-direction PSN accounting (PROFILE.md 7).
 *
 * Extended values start at 2^32 + first PSN so a capture that began
 * mid-flow can see earlier (reordered) PSNs without underflow, 16-bit
 * or 32-bit (7).  Because
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

#include "psnwin.h"

#define EXT_BASE (UINT64_C(1) << 32)

void
pdmv2_psn_init(struct pdmv2_psn *p)
{
	pdmv2_psn_init_width(p, 16);
}

void
pdmv2_psn_init_width(struct pdmv2_psn *p, unsigned bits)
{
	memset(p, 0, sizeof(*p));
	p->width = bits == 32 ? 32 : 16;
}

size_t
pdmv2_psnwin_clear(uint64_t *seen, uint64_t from, uint64_t to)
{
	uint64_t n = to - from + 1, i, end;
	size_t words = 0;

	if (n >= PDMV2_PSN_WINDOW) {
		memset(seen, 0, PDMV2_PSN_WINDOW / 8);
		return PDMV2_PSN_WINDOW / 64;
	}
	i = from % PDMV2_PSN_WINDOW;
	while (n) {
		/* up to the end of this word, or of the window */
		end = i - i % 64 + 64;
		if (end - i > n)
			end = i + n;
		if (end - i == 64)
			seen[i / 64] = 0;
		else
			seen[i / 64] &= ~(((UINT64_C(1) << (end - i)) - 1) << (i % 64));
		words++;
		n -= end - i;
		i = end % PDMV2_PSN_WINDOW;
	}
	return words;
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
pdmv2_psn_add(struct pdmv2_psn *p, uint32_t psntp, uint64_t *ext_out)
{
	uint64_t ext, x;
	int64_t diff;

	if (p->width != 32) {
		p->width = 16;		/* a zeroed struct, as _init makes */
		psntp &= 0xFFFF;
	}
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
	/* Closest to the highest: signed distance of the width; the tie at
	 * exactly half the range goes forward (for 16 bits, so the window
	 * holds every value). */
	if (p->width == 32) {
		diff = (int32_t)(psntp - (uint32_t)p->highest);
		if (diff == INT32_MIN)
			diff = -(int64_t)INT32_MIN;
	} else {
		diff = (int16_t)(uint16_t)(psntp - (uint16_t)p->highest);
		if (diff == -32768)
			diff = 32768;
	}
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
			 * window's far end: clear them, a word at a time */
			(void)pdmv2_psnwin_clear(p->seen, p->highest + 1, ext);
			seen_set(p, ext, true);
		}
		p->highest = ext;
		p->distinct++;
		return PDMV2_PSN_NEW;
	}
	if (!p->seen)		/* the first PSN back below the highest */
		make_window(p);
	if (ext < window_low(p->highest)) {
		/* 32-bit only: older than the window, so its slot is a newer
		 * value's; not known to be a duplicate (psn.h) */
		if (ext < p->lowest)
			p->lowest = ext;
		p->distinct++;
		p->reordered++;
		return PDMV2_PSN_REORDERED;
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

uint64_t
pdmv2_psn_lost(const struct pdmv2_psn *p)
{
	uint64_t span;

	if (!p->any)
		return 0;
	span = p->highest - p->lowest + 1;
	return span > p->distinct ? span - p->distinct : 0;
}
