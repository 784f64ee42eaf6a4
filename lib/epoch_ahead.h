/*
 * epoch_ahead.h - opening ahead for the Epoch layout, as
 * decrypt_ahead.h is for the Kri layout: what pdmv2-analyze's two
 * threads need of epoch.c beyond pdmv2/epoch.h.  Not public API.
 *
 * The reading thread keeps a tracker of its own per sender direction
 * and calls pdmv2_epoch_preopen on each protected option: it opens
 * under the cached key of the option's Epoch and records nothing (no
 * Epoch list, no PSNTP record, no totals).  The analysis passes that
 * answer to pdmv2_epoch_track_preopened, which takes it in place of its
 * own open only when its own cached key for that Epoch came from the
 * same key source: the key is then the same, and so is an AEAD open's
 * result.  Results are those of pdmv2_epoch_track whatever the reader's
 * tracker saw; a wrong guess costs an open, never correctness.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_EPOCH_AHEAD_H
#define PDMV2_EPOCH_AHEAD_H

#include "decrypt_ahead.h"
#include "pdmv2/epoch.h"

/* pre->src NULL: not opened (plain, no key, or no key verified); else
 * pre->kri holds the option's Epoch and pre->m its metrics. */
void pdmv2_epoch_preopen(struct pdmv2_epoch_tracker *t,
			 const struct pdmv2_option *opt,
			 struct pdmv2_preopened *pre);
/* pre: from pdmv2_epoch_preopen on this option with a tracker of the
 * same key log and 5-tuple, or NULL. */
void pdmv2_epoch_track_preopened(struct pdmv2_epoch_tracker *t,
				 const struct pdmv2_option *opt, uint64_t frame,
				 int64_t ts_ns, const struct pdmv2_preopened *pre,
				 struct pdmv2_metrics *m,
				 struct pdmv2_epoch_result *res);

/* A load hint, no effect on results, as pdmv2_decryptor_prefetch: level
 * 0 loads the tracker, level 1 what a track of opt reads through it
 * (the Epoch's PSNTP record slot, the last Epoch list entry, and the
 * keyed cipher unless cipher is false: an answer opened ahead). */
void pdmv2_epoch_prefetch(const struct pdmv2_epoch_tracker *t,
			  const struct pdmv2_option *opt, bool cipher,
			  int level);

#endif
