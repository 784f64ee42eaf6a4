/*
 * sim.h - the sample writer's simulation: nodes, flows, RFC 8250 PDM
 * state per endpoint, the network between them and the capture tap.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SAMPLES_SIM_H
#define SAMPLES_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "capwriter.h"
#include "pdmv2/crypto.h"

enum sim_mode { MODE_PDM, MODE_PLAIN, MODE_ENCRYPTED, MODE_MIXED };
/* PDMv2 layout (PROFILE.md 0): Kri (drafts -00 to -04), Epoch (-09 to
 * -14), or both, flow by flow (odd flows in the Epoch layout). */
enum sim_layout { LAYOUT_KRI, LAYOUT_EPOCH, LAYOUT_MIXED };
/* What the key log holds: the pairs' PDMV2_SECRET lines; one key line
 * per sender direction and key phase (PDMV2_SESSION_KEY per kri,
 * PDMV2_EPOCH_KEY per Epoch); or one PDMV2_EPOCH_KEY line only. */
enum sim_keys { KEYS_SECRET, KEYS_PHASE, KEYS_ONE };

struct sim_config {
	uint64_t seed;
	unsigned udp_flows, tcp_flows, icmp_flows;
	unsigned exchanges;		/* request/response rounds per flow */
	unsigned clients, servers;	/* nodes; flows spread over them */
	enum sim_mode mode;
	int aead;			/* 0: one AEAD per node pair, in turn */
	enum sim_layout layout;
	unsigned rotate;		/* packets per key phase / Epoch, 0: never */
	bool have_psntp_start;
	uint32_t psntp_start;		/* every direction's first PSNTP */
	enum sim_keys key_lines;
	double path_delay_us;		/* odd flows' extra way to the tap */
	unsigned burst;			/* server packets per response, max */
	double loss_before, loss_after;	/* probability, at the tap */
	double reorder;			/* probability of a swap at the tap */
	unsigned skip;			/* capture starts after this many packets */
	double owd_us, jitter_us, server_us, think_us;
	double background;		/* mean uncaptured sends per send */
	bool link_local, hop_by_hop, padn;
	/* --client / --server: the nodes' addresses, node i the prefix's
	 * (i + 1)th host (a /128 for one node); plen 0: not given */
	uint8_t client_net[16], server_net[16];
	uint8_t client_plen, server_plen;
	unsigned forge;			/* forged options (flipped tag bit) */
	bool prseq_reuse, restart, missing_key;
	unsigned kri_window;		/* receiver window the truth simulates */
	bool have_secret, have_salt;
	uint8_t secret[PDMV2_SECRET_BYTES];
	uint8_t salt[PDMV2_SALT_MAX];
	size_t salt_len;
	enum cap_format format;
	enum cap_link link;
	size_t snaplen;
	const char *out, *keylog, *truth;
	bool truth_frames;
	int argc;
	char **argv;
};

/* Runs the simulation, writing capture, key log and truth.  Returns 0 or
 * prints an error naming the file and returns -1. */
int sim_run(const struct sim_config *cfg);

#endif
