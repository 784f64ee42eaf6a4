/*
 * pdmv2-tap.h - the "pdmv2" tap's record and the "PDMv2 Flows"
 * statistics table built on it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_DISSECTOR_TAP_H
#define PDMV2_DISSECTOR_TAP_H

#include <stdint.h>

#include "pdmv2-state.h"

/* One PDM option of a frame, as queued to the "pdmv2" tap. */
struct pdmv2_tap_rec {
	uint8_t src[16], dst[16];	/* the sender's 5-tuple */
	uint16_t sport, dport;
	uint8_t proto;
	enum pdmv2_err rc;		/* lib's parse of the option */
	enum pdmv2_variant variant;
	uint8_t psn_bits;		/* 16, or 32 in the Epoch layout */
	const struct pdmv2_frame_result *res;	/* file scope, first pass */
};

/* Registers the "PDMv2 Flows" table: Wireshark's Statistics menu and
 * tshark's "-z pdmv2,flows[,filter]". */
void pdmv2_tap_register_stats(void);

#endif
