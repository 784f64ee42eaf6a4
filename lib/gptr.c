/*
 * gptr.c - Global Pointer statistics per sender address (PROFILE.md 6;
 * the definitions are in gptr.h).  A repeated equal value is neither an
 * advance, a reorder nor a reset: it is counted as an observed packet
 * only.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include <glib.h>

#include "pdmv2/gptr.h"
#include "pdmv2/timefmt.h"

#include "fnv.h"

struct pdmv2_gptr_sender {
	uint8_t addr[16];
	uint64_t packets;
	uint32_t first, last;
	uint64_t seg_low;		/* current segment's lowest, unwrapped */
	uint64_t seg_high;		/* and its highest */
	uint32_t first_low;		/* the first segment's lowest (wire) */
	uint64_t advance_done;		/* advance of finished segments */
	uint64_t segments;
	uint64_t resets, reordered, wraps;
	int64_t first_ts, last_ts;
	uint64_t flows;			/* flows announced by the caller */
};

struct pdmv2_gptr_table {
	GHashTable *by_addr;		/* sender->addr (16 bytes) -> sender */
	GPtrArray *order;		/* senders, first seen first */
};

enum pdmv2_addr_type
pdmv2_addr_type_of(const uint8_t a[16])
{
	if (a[0] == 0xFF)
		return PDMV2_ADDR_MULTICAST;
	if (a[0] == 0xFE && (a[1] & 0xC0) == 0x80)
		return PDMV2_ADDR_LINK_LOCAL;
	return PDMV2_ADDR_GLOBAL;
}

const char *
pdmv2_addr_type_name(enum pdmv2_addr_type t)
{
	switch (t) {
	case PDMV2_ADDR_LINK_LOCAL:
		return "link-local";
	case PDMV2_ADDR_MULTICAST:
		return "multicast";
	case PDMV2_ADDR_GLOBAL:
		break;
	}
	return "global-unicast";
}

static void
sender_free(gpointer p)
{
	g_free(p);
}

/* Keys are the 16 address bytes inside each sender record, so a lookup
 * needs no allocation: the probe key is the packet's own address. */
static guint
addr_hash(gconstpointer p)
{
	return pdmv2_fnv1a(p, 16);
}

static gboolean
addr_equal(gconstpointer a, gconstpointer b)
{
	return memcmp(a, b, 16) == 0;
}

enum pdmv2_err
pdmv2_gptr_table_new(struct pdmv2_gptr_table **out)
{
	struct pdmv2_gptr_table *t = g_new0(struct pdmv2_gptr_table, 1);

	t->by_addr = g_hash_table_new(addr_hash, addr_equal);
	t->order = g_ptr_array_new_with_free_func(sender_free);
	*out = t;
	return PDMV2_OK;
}

void
pdmv2_gptr_table_free(struct pdmv2_gptr_table *t)
{
	if (!t)
		return;
	g_hash_table_destroy(t->by_addr);
	g_ptr_array_free(t->order, TRUE);
	g_free(t);
}

struct pdmv2_gptr_sender *
pdmv2_gptr_sender_get(struct pdmv2_gptr_table *t, const uint8_t addr[16])
{
	struct pdmv2_gptr_sender *s = g_hash_table_lookup(t->by_addr, addr);

	if (!s) {
		s = g_new0(struct pdmv2_gptr_sender, 1);
		memcpy(s->addr, addr, 16);
		g_hash_table_insert(t->by_addr, s->addr, s);
		g_ptr_array_add(t->order, s);
	}
	return s;
}

void
pdmv2_gptr_sender_add_flow(struct pdmv2_gptr_sender *s)
{
	s->flows++;
}

void
pdmv2_gptr_sender_add(struct pdmv2_gptr_sender *s, uint32_t gp, int64_t ts_ns)
{
	if (s->packets == 0) {
		s->first = s->last = s->first_low = gp;
		s->seg_low = s->seg_high = gp;
		s->segments = 1;
		s->first_ts = ts_ns;
	} else {
		/* 6: the value nearest the highest so far, modulo 2^32 */
		int64_t ext = (int64_t)s->seg_high +
			      (int32_t)(gp - (uint32_t)s->seg_high);

		if (ext > (int64_t)s->seg_high) {
			if ((uint32_t)ext < (uint32_t)s->seg_high)
				s->wraps++;
			s->seg_high = (uint64_t)ext;
		} else if (ext == (int64_t)s->seg_high) {
			/* a repeat: nothing advances */
		} else if (2 * ext >= (int64_t)s->seg_high) {
			/* late on another path: never a reset */
			s->reordered++;
			if ((uint64_t)ext < s->seg_low) {
				s->seg_low = (uint64_t)ext;
				if (s->segments == 1)
					s->first_low = (uint32_t)ext;
			}
		} else {
			/* below half the highest: the node restarted */
			s->advance_done += s->seg_high - s->seg_low;
			s->seg_low = s->seg_high = gp;
			s->segments++;
			s->resets++;
		}
		s->last = gp;
	}
	s->packets++;
	s->last_ts = ts_ns;
}

size_t
pdmv2_gptr_count(const struct pdmv2_gptr_table *t)
{
	return t->order->len;
}

void
pdmv2_gptr_get(const struct pdmv2_gptr_table *t, size_t i,
	       struct pdmv2_gptr_stats *out)
{
	const struct pdmv2_gptr_sender *s = g_ptr_array_index(t->order, i);
	double span;

	memset(out, 0, sizeof(*out));
	memcpy(out->sender, s->addr, 16);
	out->addr_type = pdmv2_addr_type_of(s->addr);
	out->packets = s->packets;
	out->first = s->first_low;
	out->last = (uint32_t)s->seg_high;
	out->advance = s->advance_done + (s->seg_high - s->seg_low);
	out->resets = s->resets;
	out->reordered = s->reordered;
	out->wraps = s->wraps;
	out->flows = s->flows;
	out->first_ts_ns = s->first_ts;
	out->last_ts_ns = s->last_ts;
	out->coverage = (double)s->packets / (double)(out->advance + s->segments);
	span = pdmv2_time_span_ns(s->first_ts, s->last_ts) / 1e9;
	out->rate_pps = span > 0 ? (double)out->advance / span : 0;
}
