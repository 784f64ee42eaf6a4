/*
 * pdmv2-state.h - the plugin's capture-file state: the key log, one
 * decryptor and PSN/sample state per sender direction, and the per-frame
 * results stored on the first pass so every later pass (filtering,
 * random access in the GUI) shows the same kri and samples.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_DISSECTOR_STATE_H
#define PDMV2_DISSECTOR_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "pdmv2/decrypt.h"
#include "pdmv2/epoch.h"
#include "pdmv2/option.h"
#include "pdmv2/psn.h"
#include "pdmv2/samples.h"
#include "pdmv2/walk.h"

/* What the first pass found for one PDM option of one frame. */
struct pdmv2_frame_result {
	/* OK, ERR_AUTH, ERR_NO_KEY (encrypted); ERR_INVALID: an Epoch-layout
	 * option whose Version is not 2 (PROFILE.md 2.4) */
	enum pdmv2_err status;
	struct pdmv2_metrics m;		/* valid when readable; else psntp
					 * only, when psn_known */
	bool readable;
	/* the PSNTP counts in the PSN accounting: readable, or an Epoch-layout
	 * protected option without a key, whose PSNTP is clear (5.5) */
	bool psn_known;
	struct pdmv2_kri_result kri;	/* Kri layout, encrypted options */
	struct pdmv2_epoch_result epoch;	/* Epoch layout (src cleared) */
	uint16_t epoch_before;		/* the direction's current Epoch before
					 * this option (epoch.first: none) */
	struct pdmv2_samples samples;
	bool client;			/* sent by the conversation's client */
	uint32_t flow;			/* 1, 2, ... in order of first PDM option */
	/* psn_known options: PSN findings (PROFILE.md 7); readable ones
	 * also: Global Pointer (6) and the frame this one pairs with */
	enum pdmv2_psn_class psn_class;
	uint64_t psn_missing;		/* PSNs skipped just before this one */
	bool gp_reset;			/* the sender's Global Pointer went back */
	uint64_t pair_frame;		/* the peer's frame with PSNTP = our PSNLR, or 0 */
};

/* Settings the preferences feed. */
struct pdmv2_state_prefs {
	const char *keylog_file;
	unsigned kri_window;
};

/* (Re)load the key log when its path or file changed; drops per-flow
 * state built with the old one.  Problems are reported to the user. */
void pdmv2_state_apply_prefs(const struct pdmv2_state_prefs *p);

/* Forget everything tied to the capture file (init/cleanup routine). */
void pdmv2_state_reset(void);
void pdmv2_state_shutdown(void);

/* The kri window the preference may ask for: 1..PDMV2_STATE_KRI_WINDOW_MAX,
 * as the analyzer clamps it (each candidate costs one AEAD open). */
#define PDMV2_STATE_KRI_WINDOW_MAX 1024

/*
 * First-pass processing of one option sent over the 5-tuple in w
 * (tcp_syn: a TCP SYN without ACK, which fixes the client).  An option
 * lib could not parse (rc not PDMV2_OK) only opens the flow, as the
 * analyzer counts it.  Fills *out.
 */
void pdmv2_state_process(const struct pdmv2_walk *w, bool tcp_syn,
			 enum pdmv2_err rc, const struct pdmv2_option *opt,
			 uint64_t frame, int64_t ts_ns,
			 struct pdmv2_frame_result *out);

/* PSN width of an option's layout in bits (PROFILE.md 7: 16, or 32 in
 * the Epoch layout), from lib's layout table. */
unsigned pdmv2_state_psn_bits(const struct pdmv2_option *opt);

#endif
