/*
 * decrypt_ahead.h - what a reader working with two threads and in
 * batches (pdmv2-analyze's pipeline) needs of decrypt.c beyond
 * pdmv2/decrypt.h: opening ahead on another thread and load hints.
 * Not public API: the protocol needs none of it (STYLE.md, "Speed
 * without clutter"); why each earns its place is in doc/performance.md.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_DECRYPT_AHEAD_H
#define PDMV2_DECRYPT_AHEAD_H

#include "pdmv2/decrypt.h"

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
	uint32_t kri;			/* or the Epoch (epoch_ahead.h) */
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
#endif
