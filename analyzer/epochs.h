/*
 * epochs.h - rebuilt key phases (Kri epochs, Epoch-layout Epochs) that
 * can no longer change, kept in a temporary file instead of memory.
 *
 * A long capture with frequent key rotation holds a key phase per
 * rotation per direction; the report lists them all, but nothing needs
 * them before the report.  The records of all directions share one
 * file, in the order they were retired; each direction keeps only its
 * first and last record, and each record the offset of the direction's
 * next one, set when that one comes.  So memory per direction is
 * constant, and the report reads a direction's phases oldest first, one
 * at a time, however many there are.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ANALYZER_EPOCHS_H
#define ANALYZER_EPOCHS_H

#include <stdbool.h>
#include <stdint.h>

#include "pdmv2/epoch.h"
#include "pdmv2/kri.h"
#include "spill.h"

struct epoch_spill {
	struct spill file;
	uint64_t records;	/* key phases stored */
};

struct epoch_chain {
	struct epoch_spill *spill;
	uint64_t first;		/* offset + 1 of the oldest record; 0: none */
	uint64_t last;		/* offset + 1 of the newest */
	uint64_t count;
};

void epoch_spill_init(struct epoch_spill *s);
void epoch_spill_close(struct epoch_spill *s);

/* A direction's chain, made with its tracker: most flows never have
 * one, and a flow stays small. */
struct epoch_chain *epoch_chain_new(struct epoch_spill *s);
void epoch_chain_free(struct epoch_chain *c);

/* A pdmv2_kri_retire_fn; ctx is a struct epoch_chain.  False, and the
 * tracker keeps the epoch, when it could not be stored. */
bool epoch_chain_add(void *ctx, const struct pdmv2_kri_epoch *e);

/* A pdmv2_epoch_retire_fn; ctx is a struct epoch_chain of Epoch-layout
 * entries (one chain holds one kind). */
bool epoch_chain_add_epoch(void *ctx, const struct pdmv2_epoch_info *e);

/* Reading a chain back, oldest first. */
struct epoch_cursor {
	const struct epoch_chain *chain;
	uint64_t at;		/* offset + 1 of the next record; 0: none */
	uint64_t done;		/* records read */
};

void epoch_chain_begin(const struct epoch_chain *c, struct epoch_cursor *it);
/* The next entry into e (size: sizeof the chain's kind): 1, or 0 at the
 * end, or -1 when it cannot be read (errno set); the records after it
 * cannot be reached either. */
int epoch_chain_next(struct epoch_cursor *it, void *e, size_t size);

/* How many of the chain's records cannot be read back (c may be NULL). */
uint64_t epoch_chain_unreadable(const struct epoch_chain *c);

#endif
