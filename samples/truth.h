/*
 * truth.h - the ground truth the sample writer records for each capture.
 *
 * Computed from what was captured (after tap loss, reordering and the
 * mid-flow start), from the writer's own knowledge of every plaintext,
 * by the rules of PROFILE.md 5.4, 5.5, 6 and 7 written out here a second
 * time: it never calls the library code the analyzer uses for them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SAMPLES_TRUTH_H
#define SAMPLES_TRUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "pdmv2/option.h"

struct truth_pkt {
	uint64_t frame;
	int64_t ts_ns;
	unsigned flow;			/* the simulation's flow index */
	const uint8_t *src, *dst;
	uint16_t sport, dport;
	uint8_t proto;
	bool syn_no_ack;		/* TCP SYN without ACK */
	const struct pdmv2_option *opt;	/* as sent; metrics are plaintext */
	uint32_t kri;			/* encrypted Kri layout: the sender's kri */
	bool has_key;			/* the key log can open it */
	bool forged;			/* tag no longer verifies */
};

struct truth;

/* epoch_fields: also write the fields the Epoch layout brought to the
 * report (INTERFACES.md: pdm.epoch_layout, per direction layout and
 * epochs, per frame layout and epoch); off, the truth of a Kri-layout
 * capture is what it was before them, byte for byte. */
struct truth *truth_new(unsigned kri_window, bool frames, bool epoch_fields);
void truth_packet(struct truth *t, const struct truth_pkt *p);
/* Writes the JSON; generator_args is the command line. */
int truth_write(struct truth *t, const char *path, uint64_t seed, int argc,
		char **argv, uint64_t frames);
void truth_free(struct truth *t);

#endif
