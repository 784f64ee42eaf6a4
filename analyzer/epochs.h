/*
 * epochs.h - rebuilt Kri epochs that can no longer change, kept in a
 * temporary file instead of memory.
 *
 * A long capture with frequent key rotation holds an epoch per rotation
 * per direction; the report lists them all, but nothing needs them before
 * the report.  Each direction keeps only a chain head: every record
 * points back at the direction's previous one, so memory per direction
 * is constant and the file is written strictly in sequence.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ANALYZER_EPOCHS_H
#define ANALYZER_EPOCHS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <glib.h>

#include "pdmv2/epoch.h"
#include "pdmv2/kri.h"

struct epoch_spill {
	FILE *file;		/* made on the first record */
	uint64_t size;		/* bytes written */
	bool dirty;		/* written since the last flush */
	bool failed;		/* the file could not be made or written */
	bool warned;		/* the report said so */
};

struct epoch_chain {
	struct epoch_spill *spill;
	uint64_t head;		/* offset + 1 of the newest record; 0: none */
	uint64_t count;
};

void epoch_spill_close(struct epoch_spill *s);

/* A pdmv2_kri_retire_fn; ctx is a struct epoch_chain. */
bool epoch_chain_add(void *ctx, const struct pdmv2_kri_epoch *e);

/* A pdmv2_epoch_retire_fn; ctx is a struct epoch_chain of Epoch-layout
 * entries (one chain holds one kind). */
bool epoch_chain_add_epoch(void *ctx, const struct pdmv2_epoch_info *e);

/* Appends the chain's entries to out (of struct pdmv2_kri_epoch or
 * struct pdmv2_epoch_info, as the chain holds), oldest first; false if
 * the file could not be read back. */
bool epoch_chain_read(const struct epoch_chain *c, GArray *out);

#endif
