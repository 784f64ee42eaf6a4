/*
 * flow.h - pdmv2-analyze's flows: one per bidirectional 5-tuple, with
 * per-direction decryption, PSN accounting and counters, and per-flow
 * delay distributions.  State is fixed-size per flow: nothing grows with
 * the packet count.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ANALYZER_FLOW_H
#define ANALYZER_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "epochs.h"
#include "pdmv2/client.h"
#include "pdmv2/decrypt.h"
#include "pdmv2/epoch.h"
#include "pdmv2/dist.h"
#include "pdmv2/gptr.h"
#include "pdmv2/psn.h"
#include "pdmv2/samples.h"
#include "pdmv2/walk.h"

enum { DIR_C2S = 0, DIR_S2C = 1 };
enum { MET_RTT, MET_SERVER_DELAY, MET_NETWORK_RTT, MET_SERVER_RTT,
       MET_CLIENT_DELAY, MET_COUNT };

/* Endpoints in canonical order (lower address/port first), so both
 * directions find the same flow; the hash is computed once. */
struct flow_key {
	uint8_t a[16], b[16];
	uint16_t pa, pb;
	uint8_t proto;
	guint hash;
};

/* Field order follows the per-packet path: what every packet touches
 * comes first, so a packet costs a few cache lines of its flow, not a
 * walk over kilobytes (1000 interleaved flows must stay cache-resident). */
struct flow_dir {
	uint64_t packets, pdm_packets, decrypted, auth_failed, no_key;
	struct pdmv2_decryptor *dec;		/* made on the first encrypted option */
	struct pdmv2_gptr_sender *gsender;	/* this side's sender record */
	bool fin;				/* TCP FIN seen from this side */
	bool keyless;				/* dec has no key for this side */
	struct pdmv2_psn psn;			/* gaps, or a pointer to a 4 KiB window */
	uint8_t ft[PDMV2_FIVE_TUPLE_BYTES];	/* sender 5-tuple */
	struct epoch_chain *epochs_out;		/* epochs dec retired; made with it */
	/* Epoch layout (PROFILE.md 2.5): made on its first option */
	struct pdmv2_epoch_tracker *etr;
	struct epoch_chain *eps_out;		/* Epochs etr retired; made with it */
	enum pdmv2_layout layout;		/* of the first PDMv2 option */
};

/* 1016 bytes: with glibc's 8-byte chunk header a multiple of 64, so
 * flows allocated 64-aligned one after another leave no fragment
 * between them (1120 bytes cost 64 more a flow).  What only some flows
 * need (key phase chains, decryptors) hangs off a pointer. */
struct flow {
	/* line 0: what finding the flow and every packet read */
	struct flow_key key;		/* first: the flow is its own hash key */
	bool streamed;			/* written out, out of the table */
	int64_t last_ts;
	bool client_is_a;		/* the client is key.a (see flow_key_make) */
	struct pdmv2_client_rule rule;	/* who is the client (lib's rule) */
	uint8_t ring_hint;		/* samples.ring slot the next packet uses */
	bool has_pdm, has_v2, encrypted, rst;
	/* line 1 */
	/* the table's recency list (analyze.c): seen before and after */
	struct flow *lru_prev, *lru_next;
	struct pdmv2_sample_state samples;
	uint64_t id;			/* 0 until its first frame is finished */
	uint8_t client[16], server[16];
	uint16_t cport, sport;
	uint8_t proto;
	struct pdmv2_dist dist[MET_COUNT];
	int64_t first_ts;
	struct flow_dir dir[2];
};

/* Draws the flow hash's secret (once a process; analysis_new calls it). */
void flow_hash_seed(void);

/* Returns whether the packet's source became k->a. */
bool flow_key_make(struct flow_key *k, const struct pdmv2_walk *w);
guint flow_key_hash(gconstpointer k);
gboolean flow_key_equal(gconstpointer a, gconstpointer b);

/* The 5-tuple of the packets whose source is k->a (src_is_a) or k->b,
 * sender first: what their keys are derived from (PROFILE.md 5). */
void flow_key_sender_tuple(const struct flow_key *k, bool src_is_a,
			   uint8_t ft[PDMV2_FIVE_TUPLE_BYTES]);

/* A new flow whose client is the sender of the packet k was made from
 * (INTERFACES.md): key.a when src_is_a.  Its id is the analysis' to
 * give. */
struct flow *flow_new(const struct flow_key *k, bool src_is_a, int64_t ts);
void flow_free(gpointer f);

/* The packet's direction, from flow_key_make's answer for it: no
 * address compare, and no read past the flow's first cache line. */
static inline int
flow_dir_of(const struct flow *f, bool src_is_a)
{
	return src_is_a == f->client_is_a ? DIR_C2S : DIR_S2C;
}

/* The packet's sender became the client (pdmv2_client_rule_see) after
 * the other side's: client and server change places with everything
 * kept per side; the delay distributions change names as the roles do
 * (the client's DeltaTLS is the server's when the roles swap), and the
 * pairing of exchanges starts over. */
void flow_swap_roles(struct flow *f);

/* TCP closed both ways (FIN from each side, or a RST). */
bool flow_finished(const struct flow *f);

extern const char *const flow_metric_names[MET_COUNT];

#endif
