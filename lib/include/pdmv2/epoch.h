/*
 * pdmv2/epoch.h - the Epoch layout per sender direction (PROFILE.md 2.5,
 * 5.5): opening, the Epoch list, duplicates and nonce reuse.
 *
 * One tracker per sender direction (5-tuple).  The Epoch is clear, so
 * there is no search: a protected option opens under the key of its own
 * (direction, Epoch) or fails, and fails closed when no key source gives
 * a key for that Epoch (0, "fail closed").  The keyed ciphers of the
 * current and the previous Epoch are kept, so the steady state is one
 * AEAD open per packet; the key source that opened first is tried first
 * from then on (8: "remember the winner per flow").
 *
 * Accounting (5.5): every option that did not fail authentication, plain
 * or protected, with or without a key, counts in the Epoch list and may
 * move the current Epoch; an option that failed authentication counts
 * nowhere but in the auth_failed total.
 *
 * Duplicates and nonce reuse (0, 5.5): per cached Epoch, a direct-mapped
 * record of the last PDMV2_EPOCH_RECORD PSNTPs (slot PSNTP mod
 * PDMV2_EPOCH_RECORD) with a 64-bit hash of ciphertext and tag: the same
 * (Epoch, PSNTP) with the same bytes is a duplicate (a repeated
 * observation, not an error), with other bytes a nonce reuse.  A PSNTP
 * whose slot was taken over by a later one is not remembered.  Memory is
 * bounded per direction: two such records (4 KiB), two ciphers, and one
 * entry per Epoch not yet retired.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_EPOCH_H
#define PDMV2_EPOCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdmv2/error.h"
#include "pdmv2/keylog.h"
#include "pdmv2/option.h"
#include "pdmv2/walk.h"

#define PDMV2_EPOCH_RECORD 128

struct pdmv2_epoch_result {
	/*
	 * OK: plain option, or protected and opened (metrics in *m);
	 * ERR_AUTH: protected, some key tried, none verified (not counted);
	 * ERR_NO_KEY: protected, no key for this Epoch (counted, not
	 * decrypted: *m holds the clear PSNTP only);
	 * ERR_INVALID: not an Epoch-layout option, or its Version is not 2
	 * (2.4: nothing after the Epoch interpreted; not counted).
	 */
	enum pdmv2_err status;
	uint16_t epoch;
	bool counted;		/* in the Epoch list and the accounting */
	bool first;		/* the direction's first counted option */
	bool new_epoch;		/* the current Epoch moved on to this one */
	bool jump;		/* not current, current + 1 or current - 1
				 * (mod 4096): accepted, flagged */
	bool late;		/* current - 1: the previous Epoch */
	bool duplicate;		/* same (Epoch, PSNTP), same bytes */
	bool nonce_reuse;	/* same (Epoch, PSNTP), other bytes: finding */
	bool reserved;		/* opened Reserved bits non-zero (2.4) */
	const struct pdmv2_keysrc *src;	/* the source that opened it */
};

struct pdmv2_epoch_info {
	uint16_t epoch;
	uint64_t first_frame, last_frame;
	uint64_t packets;	/* counted options */
	int64_t first_ts_ns, last_ts_ns;
	uint64_t opened;	/* of which protected and opened */
	uint64_t no_key;	/* of which protected without a key */
	uint64_t duplicates;
	uint64_t nonce_reuse;
};

struct pdmv2_epoch_tracker;

/* kl may be NULL (no keys: protected options count as no_key).  ft is
 * the sender's 5-tuple (4), the key derivation's input. */
enum pdmv2_err pdmv2_epoch_tracker_new(struct pdmv2_keylog *kl,
				       const uint8_t ft[PDMV2_FIVE_TUPLE_BYTES],
				       struct pdmv2_epoch_tracker **out);
void pdmv2_epoch_tracker_free(struct pdmv2_epoch_tracker *t);

/*
 * One Epoch-layout option (plain or protected) of this direction, with
 * its frame number and capture time.  *m gets the metrics: all of them
 * for status OK, the clear PSNTP only for ERR_NO_KEY, zeros otherwise.
 */
void pdmv2_epoch_track(struct pdmv2_epoch_tracker *t,
		       const struct pdmv2_option *opt, uint64_t frame,
		       int64_t ts_ns, struct pdmv2_metrics *m,
		       struct pdmv2_epoch_result *res);

/* Entries other than the current and the previous Epoch's are given to
 * fn, oldest first, and dropped, so memory does not grow with the
 * number of Epochs; fn returns false when it could not keep the entry
 * (the tracker then keeps it and all later ones).  Without a retire
 * function every entry stays.  As pdmv2_kri_set_retire. */
typedef bool (*pdmv2_epoch_retire_fn)(void *ctx,
				      const struct pdmv2_epoch_info *e);
void pdmv2_epoch_set_retire(struct pdmv2_epoch_tracker *t,
			    pdmv2_epoch_retire_fn fn, void *ctx);
uint64_t pdmv2_epoch_retired(const struct pdmv2_epoch_tracker *t);

/* The Epoch list not yet retired, in order of first appearance (an
 * Epoch that comes back after others gets a new entry). */
size_t pdmv2_epoch_count(const struct pdmv2_epoch_tracker *t);
const struct pdmv2_epoch_info *
pdmv2_epoch_at(const struct pdmv2_epoch_tracker *t, size_t i);

bool pdmv2_epoch_known(const struct pdmv2_epoch_tracker *t);
uint16_t pdmv2_epoch_current(const struct pdmv2_epoch_tracker *t);

struct pdmv2_epoch_totals {
	uint64_t counted, plain, opened, auth_failed, no_key, invalid;
	uint64_t duplicates, nonce_reuse, jumps;
};
void pdmv2_epoch_totals(const struct pdmv2_epoch_tracker *t,
			struct pdmv2_epoch_totals *out);

#endif
