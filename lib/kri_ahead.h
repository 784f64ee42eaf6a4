/*
 * kri_ahead.h - the Kri search without the record, and a load hint,
 * for opening ahead (decrypt_ahead.h).  Not public API.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_KRI_AHEAD_H
#define PDMV2_KRI_AHEAD_H

#include <stdbool.h>

#include "pdmv2/kri.h"

/*
 * Steps 1-4 only: the kri search and the state, without the epoch list,
 * the PRSEQ record or the totals.  For a tracker whose only job is to
 * open packets ahead of the one that keeps the record (decrypt_ahead.h,
 * pdmv2_decryptor_preopen); it costs no memory beyond the tracker.  Do
 * not mix it with pdmv2_kri_track on one tracker.
 */
void pdmv2_kri_advance(struct pdmv2_kri_tracker *t,
		       const struct pdmv2_option *opt, pdmv2_kri_open_fn open,
		       void *ctx, struct pdmv2_metrics *m,
		       struct pdmv2_kri_result *res);
/* A hint, no effect on results: starts loading what tracking opt will
 * read, or with record false what pdmv2_kri_advance reads (no PRSEQ
 * record, no epoch).  Level 1 needs nothing loaded; level 2, called
 * once level 1's loads have landed, follows the pointers they hold. */
void pdmv2_kri_prefetch(const struct pdmv2_kri_tracker *t,
			const struct pdmv2_option *opt, bool record, int level);

#endif
