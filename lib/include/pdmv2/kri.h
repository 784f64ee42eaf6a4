/*
 * pdmv2/kri.h - Key Rotation Index reconstruction (PROFILE.md 5.4).
 *
 * One tracker per sender direction.  It decides which kri values to try
 * for each encrypted option from its F bit and the current state, asks
 * the caller to open with each (so it knows nothing of keys), moves the
 * state only on an authenticated open, and keeps the epoch list and the
 * PRSEQ reuse findings.  Memory is bounded per direction: a PRSEQ
 * record for the current and the previous phase (2 KiB for a phase of a
 * few hundred packets, at most 4 KiB plus 4 bytes a packet for larger
 * ones), plus one record per epoch not yet retired.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_KRI_H
#define PDMV2_KRI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdmv2/error.h"
#include "pdmv2/option.h"

#define PDMV2_KRI_WINDOW_DEFAULT 16

/*
 * Try to open opt with the key for kri.  Returns PDMV2_OK (metrics in
 * *m), PDMV2_ERR_AUTH (tag mismatch) or PDMV2_ERR_NO_KEY (nothing to
 * try for this kri).
 */
typedef enum pdmv2_err (*pdmv2_kri_open_fn)(void *ctx, uint32_t kri,
					    const struct pdmv2_option *opt,
					    struct pdmv2_metrics *m);

struct pdmv2_kri_result {
	enum pdmv2_err status;	/* OK, ERR_AUTH (some key tried, none
				 * verified) or ERR_NO_KEY (no key at all) */
	uint32_t kri;		/* the kri that opened it (status OK) */
	bool first;		/* this open fixed the state (step 1) */
	bool rotated;		/* this packet started a new epoch */
	bool late;		/* opened with kri - 1: previous phase (step 3) */
	bool duplicate;		/* same PRSEQ, same ciphertext and tag */
	bool nonce_reuse;	/* same PRSEQ, different ciphertext: finding */
	unsigned tries;		/* opens attempted */
};

struct pdmv2_kri_epoch {
	uint32_t kri;
	uint8_t phase;		/* F = kri mod 2 */
	uint64_t first_frame, last_frame;
	uint64_t packets;	/* opened with this kri, late ones included */
	int64_t first_ts_ns, last_ts_ns;
	uint64_t late;		/* opened as late packets of this phase */
	uint64_t duplicates;
	uint64_t nonce_reuse;
};

struct pdmv2_kri_tracker;

enum pdmv2_err pdmv2_kri_tracker_new(unsigned window,
				     struct pdmv2_kri_tracker **out);
void pdmv2_kri_tracker_free(struct pdmv2_kri_tracker *t);

/*
 * Process one encrypted option (frame number and capture time for the
 * epoch list).  On status OK, *m holds the decrypted metrics.
 */
void pdmv2_kri_track(struct pdmv2_kri_tracker *t,
		     const struct pdmv2_option *opt, uint64_t frame,
		     int64_t ts_ns, pdmv2_kri_open_fn open, void *ctx,
		     struct pdmv2_metrics *m, struct pdmv2_kri_result *res);

/* What pdmv2_kri_track gives when no key exists for any kri (every
 * open would answer NO_KEY), without trying the W candidates. */
void pdmv2_kri_track_no_key(struct pdmv2_kri_tracker *t,
			    struct pdmv2_metrics *m,
			    struct pdmv2_kri_result *res);

/* Epochs that can no longer change (kri below current - 1) are given
 * to fn, oldest first, and dropped from the tracker, so its memory does
 * not grow with the number of rotations.  fn returns false when it could
 * not keep the epoch: the tracker then keeps it and all later ones.
 * Without a retire function (the default) every epoch stays. */
typedef bool (*pdmv2_kri_retire_fn)(void *ctx,
				    const struct pdmv2_kri_epoch *e);
void pdmv2_kri_set_retire(struct pdmv2_kri_tracker *t,
			  pdmv2_kri_retire_fn fn, void *ctx);
uint64_t pdmv2_kri_epochs_retired(const struct pdmv2_kri_tracker *t);

/* State and findings so far.  The epochs are those not retired. */
bool pdmv2_kri_known(const struct pdmv2_kri_tracker *t);
uint32_t pdmv2_kri_current(const struct pdmv2_kri_tracker *t);
size_t pdmv2_kri_epoch_count(const struct pdmv2_kri_tracker *t);
const struct pdmv2_kri_epoch *
pdmv2_kri_epoch_at(const struct pdmv2_kri_tracker *t, size_t i);

struct pdmv2_kri_totals {
	uint64_t opened, auth_failed, no_key, late, duplicates, nonce_reuse;
};
void pdmv2_kri_totals(const struct pdmv2_kri_tracker *t,
		      struct pdmv2_kri_totals *out);

#endif
