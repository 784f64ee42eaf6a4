/*
 * cands.h - internal: a sender direction's key sources and which of them
 * a packet tries (PROFILE.md 8), for the Kri decryptor (decrypt.c) and
 * the Epoch tracker (epoch.c).
 *
 * A key log may hold one SESSION_KEY or EPOCH_KEY line per key phase of
 * a direction: thousands for a long flow.  Those "exact" sources give a
 * key for one phase only, so a packet tries the ones of its own phase,
 * found by binary search, and never the others; trying them in turn
 * with the secrets would leave a phase's one valid line untried.  The
 * secrets (SECRET, PRIMARY_SECRET), which give a key for every phase,
 * are tried a bounded number at a time, the next ones when none opened.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_CANDS_H
#define PDMV2_CANDS_H

#include <stddef.h>
#include <stdint.h>

#include "pdmv2/keylog.h"

struct pdmv2_cands {
	/* [0, nsecret): the secrets in section 8's order; [nsecret, n):
	 * the exact sources by phase, the newest line first within one */
	const struct pdmv2_keysrc **src;	/* g_malloc'd, or NULL */
	uint32_t n, nsecret;
	uint32_t next;		/* the secret the next pick starts from */
};

/* kl may be NULL (no sources).  The phase is the kri (Kri layout) or
 * the Epoch (Epoch layout). */
void pdmv2_cands_init(struct pdmv2_cands *c, struct pdmv2_keylog *kl,
		      const uint8_t ft[PDMV2_FIVE_TUPLE_BYTES],
		      enum pdmv2_layout layout);
void pdmv2_cands_free(struct pdmv2_cands *c);

/* The indexes in c->src a packet of this phase tries, in order: up to
 * `tries` exact sources of the phase, then up to `tries` secrets from
 * c->next.  out has room for 2 * tries; returns how many. */
size_t pdmv2_cands_pick(const struct pdmv2_cands *c, uint32_t phase,
			size_t tries, uint32_t *out);

/* None of a pick opened: the next pick tries the next secrets. */
void pdmv2_cands_rotate(struct pdmv2_cands *c, size_t tries);

#endif
