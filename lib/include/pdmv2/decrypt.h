/*
 * pdmv2/decrypt.h - per sender direction decryption: key log lookup,
 * cipher cache and Kri tracker wired together.
 *
 * The analyzer and the plugin each hold one of these per sender
 * direction (sender 5-tuple).  The first candidate key source that
 * authenticates is remembered (PROFILE.md 8: "remember the winner per
 * flow") and tried first afterwards; initialised cipher contexts are
 * cached per kri (5.2), so a packet costs one AEAD open, no key schedule.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_DECRYPT_H
#define PDMV2_DECRYPT_H

#include <stdbool.h>
#include <stdint.h>

#include "pdmv2/error.h"
#include "pdmv2/keylog.h"
#include "pdmv2/kri.h"
#include "pdmv2/option.h"
#include "pdmv2/walk.h"

struct pdmv2_decryptor;

/* kl may be NULL (no key log: every encrypted option is ERR_NO_KEY).
 * The key log must outlive the decryptor. */
enum pdmv2_err pdmv2_decryptor_new(struct pdmv2_keylog *kl,
				   const uint8_t ft[PDMV2_FIVE_TUPLE_BYTES],
				   unsigned kri_window,
				   struct pdmv2_decryptor **out);
void pdmv2_decryptor_free(struct pdmv2_decryptor *d);

/*
 * Open one parsed encrypted option of this direction.  Returns
 * res->status: PDMV2_OK with *m filled, PDMV2_ERR_AUTH or
 * PDMV2_ERR_NO_KEY (no key source for this 5-tuple / kri).
 */
enum pdmv2_err pdmv2_decryptor_open(struct pdmv2_decryptor *d,
				    const struct pdmv2_option *opt,
				    uint64_t frame, int64_t ts_ns,
				    struct pdmv2_metrics *m,
				    struct pdmv2_kri_result *res);

/*
 * Opening ahead, so that two threads share the AEAD work: one keeps a
 * decryptor of its own per direction and calls pdmv2_decryptor_preopen
 * on each option as it reads it; the other passes that answer to
 * pdmv2_decryptor_open_preopened with the same option.  The answer
 * stands in for an open under exactly its (key source, kri) and nothing
 * else, so results are those of pdmv2_decryptor_open whatever the first
 * decryptor's state: a wrong guess costs time, never correctness.  The
 * first decryptor keeps no record (pdmv2_kri_advance).
 */
struct pdmv2_preopened {
	const struct pdmv2_keysrc *src;	/* NULL: not opened */
	uint32_t kri;
	struct pdmv2_metrics m;
};
void pdmv2_decryptor_preopen(struct pdmv2_decryptor *d,
			     const struct pdmv2_option *opt,
			     struct pdmv2_preopened *pre);
/* pre: from pdmv2_decryptor_preopen on this option and a decryptor of
 * the same key log, 5-tuple and window; or NULL. */
enum pdmv2_err pdmv2_decryptor_open_preopened(struct pdmv2_decryptor *d,
					      const struct pdmv2_option *opt,
					      uint64_t frame, int64_t ts_ns,
					      const struct pdmv2_preopened *pre,
					      struct pdmv2_metrics *m,
					      struct pdmv2_kri_result *res);

const struct pdmv2_kri_tracker *
pdmv2_decryptor_tracker(const struct pdmv2_decryptor *d);
/* pdmv2_kri_set_retire on the direction's tracker. */
void pdmv2_decryptor_set_retire(struct pdmv2_decryptor *d,
				pdmv2_kri_retire_fn fn, void *ctx);
/* What a prefetch loads beyond d and its tracker's head. */
enum pdmv2_prefetch_for {
	PDMV2_PREFETCH_RECORD = 1,	/* PRSEQ record, epoch: open_preopened */
	PDMV2_PREFETCH_CIPHER = 2,	/* keyed ciphers: any open of its own */
};

/* A hint, no effect on results: starts loading the state that opening
 * opt will read (tracker, and what `what` asks for), so a caller
 * working through a batch of packets overlaps their cache misses.
 * pdmv2_decryptor_preopen reads no record; an open_preopened whose
 * answer came ahead reads no cipher.  Level 0 loads d itself (opt and
 * what unused), level 1 what d points to, and level 2, once level 1's
 * loads have landed, follows the pointers they hold. */
void pdmv2_decryptor_prefetch(const struct pdmv2_decryptor *d,
			      const struct pdmv2_option *opt, unsigned what,
			      int level);
/* Whether the key log had any candidate for this direction: without
 * one, every open answers NO_KEY. */
bool pdmv2_decryptor_has_keys(const struct pdmv2_decryptor *d);

/* The key source that won, or NULL before the first successful open. */
const struct pdmv2_keysrc *
pdmv2_decryptor_winner(const struct pdmv2_decryptor *d);

#endif
