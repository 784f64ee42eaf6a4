/*
 * pdmv2/samples.h - the delay-sample rules of PROFILE.md 7.
 *
 * Given who sent a packet (client or server) and its decoded metrics,
 * say which samples it carries:
 *   client packet: rtt = DeltaTLS, client_delay = DeltaTLR,
 *                  network_rtt = DeltaTLS(c) - DeltaTLR(s) when s, the
 *                  server packet with PSNTP(s) = PSNLR(c), also has
 *                  PSNLR(s) = PSNTP(c) - 1 and both deltas are samples;
 *   server packet: server_delay = DeltaTLR, server_rtt = DeltaTLS.
 * A raw delta of 0 is "no value", never a sample; a delta over an hour
 * (PROFILE.md 3) is flagged implausible and not taken as a sample
 * either.  Server packets are remembered by PSNTP mod PDMV2_SAMPLES_RING
 * for the network RTT match, so memory is per flow, not per packet.
 * The ring starts at 8 slots and doubles whenever a slot would lose a
 * PSNTP it holds, so a short flow costs 80 bytes instead of 2.5 KiB and
 * every answer is the one a fixed ring of PDMV2_SAMPLES_RING would give.
 * The analyzer and the plugin both call this, so they agree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_SAMPLES_H
#define PDMV2_SAMPLES_H

#include <stdbool.h>
#include <stdint.h>

#include "pdmv2/option.h"

#define PDMV2_SAMPLES_RING 256

enum pdmv2_role {
	PDMV2_ROLE_CLIENT = 0,
	PDMV2_ROLE_SERVER = 1,
};

struct pdmv2_samples {
	bool has_rtt, has_client_delay, has_network_rtt;
	bool has_server_delay, has_server_rtt;
	double rtt_us, client_delay_us, network_rtt_us;
	double server_delay_us, server_rtt_us;
	bool implausible;	/* a delta over an hour (3) */
};

struct pdmv2_sample_ring_slot {
	bool used;
	uint32_t psntp, psnlr;		/* 16-bit, or 32-bit in the Epoch layout */
	uint16_t delta_tlr;
	uint8_t scale_dtlr;
};

struct pdmv2_sample_state {
	struct pdmv2_sample_ring_slot *ring;	/* NULL before a server packet */
	uint16_t size;				/* slots: a power of two */
};

void pdmv2_samples_init(struct pdmv2_sample_state *st);
void pdmv2_samples_free(struct pdmv2_sample_state *st);

/* Samples of one packet sent by role, in capture order.  Out of memory,
 * a server packet's values are not kept (its own samples still are). */
void pdmv2_samples_take(struct pdmv2_sample_state *st, enum pdmv2_role role,
			const struct pdmv2_metrics *m,
			struct pdmv2_samples *out);

#endif
