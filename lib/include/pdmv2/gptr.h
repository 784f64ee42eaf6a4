/*
 * pdmv2/gptr.h - Global Pointer statistics per sender address
 * (PROFILE.md 6).
 *
 * The Global Pointer counts every packet a node sends from one address
 * type, so what a capture sees of it tells the node's whole send rate
 * and how much of its traffic was captured.  PROFILE.md 6: per sender
 * address, in capture order, each value is unwrapped modulo 2^32 to the
 * one nearest the highest of the current segment so far;
 *   - above the highest: the counter advanced (crossing 2^32 counts in
 *     wraps);
 *   - equal to it: a repeated observation, nothing moves;
 *   - below the highest but not below half of it: reordered (a tap sees
 *     one node's packets on several paths), never a reset;
 *   - below half of the highest: a reset (the node restarted): a new
 *     segment begins whose lowest and highest are that value;
 *   - advance = sum over segments of (highest - lowest), unwrapped; first
 *     = lowest value of the first segment, last = highest value of the
 *     last segment (both modulo 2^32, as on the wire);
 *   - coverage = packets / (advance + segments);
 *   - rate_pps = advance / (last_ts - first_ts) in seconds (0 when the
 *     span is 0).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_GPTR_H
#define PDMV2_GPTR_H

#include <stddef.h>
#include <stdint.h>

#include "pdmv2/error.h"

enum pdmv2_addr_type {
	PDMV2_ADDR_GLOBAL = 0,		/* "global-unicast" (ULA included) */
	PDMV2_ADDR_LINK_LOCAL = 1,	/* fe80::/10 */
	PDMV2_ADDR_MULTICAST = 2,	/* ff00::/8 */
};

enum pdmv2_addr_type pdmv2_addr_type_of(const uint8_t addr[16]);
const char *pdmv2_addr_type_name(enum pdmv2_addr_type t);

struct pdmv2_gptr_stats {
	uint8_t sender[16];
	enum pdmv2_addr_type addr_type;
	uint64_t packets;
	uint32_t first, last;
	uint64_t advance;
	uint64_t resets;
	uint64_t reordered;	/* below the highest, not below half of it (6) */
	uint64_t wraps;
	uint64_t flows;		/* flows announced with _add_flow */
	int64_t first_ts_ns, last_ts_ns;
	double coverage;
	double rate_pps;
};

struct pdmv2_gptr_table;

enum pdmv2_err pdmv2_gptr_table_new(struct pdmv2_gptr_table **out);
void pdmv2_gptr_table_free(struct pdmv2_gptr_table *t);

/* One sender address's record, found or made.  Callers keep the handle
 * (per flow direction, say), so the per-packet path is no lookup at all:
 * the handle stays valid until the table is freed. */
struct pdmv2_gptr_sender;
struct pdmv2_gptr_sender *pdmv2_gptr_sender_get(struct pdmv2_gptr_table *t,
						const uint8_t sender[16]);
/* The caller counts each flow once per sender: it knows when a flow
 * first sends from this address, the table would need a set to tell. */
void pdmv2_gptr_sender_add_flow(struct pdmv2_gptr_sender *s);
/* One observed Global Pointer value from the sender. */
void pdmv2_gptr_sender_add(struct pdmv2_gptr_sender *s, uint32_t gp,
			   int64_t ts_ns);

/* Senders in the order first seen; stats computed on the call. */
size_t pdmv2_gptr_count(const struct pdmv2_gptr_table *t);
void pdmv2_gptr_get(const struct pdmv2_gptr_table *t, size_t i,
		    struct pdmv2_gptr_stats *out);

#endif
