/*
 * preopen.c - the reading thread's share of the decryption (see
 * preopen.h): sender direction -> a decryptor that opens ahead.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <glib.h>

#include "epoch_ahead.h"
#include "flow.h"
#include "preopen.h"

/* Opens in a row that found nothing before the reader leaves a
 * direction to the analysis.  Its own decryptor may never find the key:
 * one made after the direction's kri passed the search window of an
 * unknown state (it joined the reader's share late, or the table was
 * emptied) tries W keys a packet, in vain; so does one whose key log
 * entry is wrong.  The analysis, which saw every packet, is unaffected. */
#define MISSES_MAX 8
#define HINTS 16384	/* hint[]: a power of two; analyze.h's FLOW_HINTS
			 * says why this many */

struct sender {
	struct flow_key key;	/* first: the record is its own hash key */
	bool src_is_a;		/* the direction whose source is key.a */
	uint8_t misses;		/* opens in a row that found nothing */
	struct pdmv2_decryptor *dec;	/* the Kri layout's */
	struct pdmv2_epoch_tracker *etr;	/* the Epoch layout's, made
					 * at its first option */
};

struct preopen {
	struct pdmv2_keylog *kl;
	unsigned window;
	unsigned max_senders;
	GHashTable *senders;	/* struct sender, key == value */
	/* The record last found or made with each value of sender_hash
	 * mod HINTS, or NULL: prefetched for a whole batch, then checked
	 * before the table, so a batch's lookups wait for their key
	 * compares together and seldom for GLib's arrays (as the
	 * analysis' flow_hint).  Records leave only all at once, and the
	 * hints with them. */
	struct sender *hint[HINTS];
};

static guint
hash_of(const struct flow_key *k, bool src_is_a)
{
	return k->hash ^ (src_is_a ? 0x9E3779B9u : 0);
}

static guint
sender_hash(gconstpointer p)
{
	const struct sender *s = p;

	return hash_of(&s->key, s->src_is_a);
}

static gboolean
sender_equal(gconstpointer x, gconstpointer y)
{
	const struct sender *a = x, *b = y;

	return a->src_is_a == b->src_is_a && flow_key_equal(&a->key, &b->key);
}

static void
sender_free(gpointer p)
{
	struct sender *s = p;

	pdmv2_decryptor_free(s->dec);
	pdmv2_epoch_tracker_free(s->etr);
	g_free(s);
}

struct preopen *
preopen_new(struct pdmv2_keylog *kl, unsigned kri_window, unsigned max_directions)
{
	struct preopen *p = g_new0(struct preopen, 1);

	p->kl = kl;
	p->window = kri_window;
	p->max_senders = max_directions;
	p->senders = g_hash_table_new_full(sender_hash, sender_equal,
					   sender_free, NULL);
	return p;
}

void
preopen_free(struct preopen *p)
{
	if (!p)
		return;
	g_hash_table_destroy(p->senders);
	g_free(p);
}

/* The direction's record, made at its first encrypted option. */
static struct sender *
sender_of(struct preopen *p, const struct frame_work *fw)
{
	struct sender probe = {0}, *s, **hint;

	probe.key = fw->key;
	probe.src_is_a = fw->src_is_a;
	hint = &p->hint[sender_hash(&probe) & (HINTS - 1)];
	/* the hint first, loaded ahead with its record (preopen_frames) */
	if (*hint && sender_equal(*hint, &probe))
		return *hint;
	if (!(s = g_hash_table_lookup(p->senders, &probe))) {
		s = g_new0(struct sender, 1);
		*s = probe;
		g_hash_table_add(p->senders, s);
	}
	*hint = s;
	return s;
}

/* Whether s has the opener of fw's layout, made at the layout's first
 * option; false when none can be made (the analysis then opens alone). */
static bool
opener_ready(struct preopen *p, struct sender *s, const struct frame_work *fw)
{
	uint8_t ft[PDMV2_FIVE_TUPLE_BYTES];
	bool epoch = fw->opt.layout == PDMV2_LAYOUT_EPOCH;

	if (epoch ? s->etr != NULL : s->dec != NULL)
		return true;
	/* the 5-tuple the analysis' flow derives this direction's keys from */
	flow_key_sender_tuple(&fw->key, fw->src_is_a, ft);
	if (epoch)
		return pdmv2_epoch_tracker_new(p->kl, ft, &s->etr) == PDMV2_OK;
	return pdmv2_decryptor_new(p->kl, ft, p->window, &s->dec) == PDMV2_OK;
}

/* Which of PREOPEN_SHARES groups a frame's direction is in. */
static unsigned
group_of(const struct frame_work *w)
{
	uint32_t h = hash_of(&w->key, w->src_is_a);

	return (h * UINT32_C(2654435761)) >> 28;
}

void
preopen_frames(struct preopen *p, struct frame_work *fw, unsigned n,
	       unsigned share)
{
	struct sender *snd[64];
	bool mine[64];
	unsigned i, level;

	g_assert(n <= G_N_ELEMENTS(snd));
	/* Full: start again from empty, here and not amid the batch, whose
	 * records are held in snd[] until its opens are done. */
	if (g_hash_table_size(p->senders) + n > p->max_senders) {
		g_hash_table_remove_all(p->senders);
		memset(p->hint, 0, sizeof(p->hint));
	}
	/* The records' loads started together, then the lookups back to
	 * back, then the loads each open will need, level by level, so the
	 * cache misses of n frames overlap (as the analysis does with its
	 * batches). */
	for (i = 0; i < n; i++) {
		struct frame_work *w = &fw[i];

		w->pre.src = NULL;
		mine[i] = w->ipv6 && w->n_opts > 0 && w->opt_rc == PDMV2_OK &&
			  w->opt.variant == PDMV2_VARIANT_ENCRYPTED &&
			  group_of(w) < share;
		if (mine[i])
			__builtin_prefetch(p->hint[hash_of(&w->key, w->src_is_a) &
						   (HINTS - 1)]);
	}
	for (i = 0; i < n; i++) {
		struct frame_work *w = &fw[i];

		snd[i] = mine[i] ? sender_of(p, w) : NULL;
		if (snd[i] && (snd[i]->misses >= MISSES_MAX ||
			       !opener_ready(p, snd[i], w)))
			snd[i] = NULL;
		if (snd[i] && w->opt.layout == PDMV2_LAYOUT_EPOCH) {
			/* no search: one open under the Epoch's cached key */
			pdmv2_epoch_preopen(snd[i]->etr, &w->opt, &w->pre);
			snd[i]->misses = w->pre.src ? 0 : snd[i]->misses + 1;
			snd[i] = NULL;
		}
		if (snd[i])
			pdmv2_decryptor_prefetch(snd[i]->dec, &w->opt,
						 PDMV2_PREFETCH_CIPHER, 0);
	}
	for (level = 1; level <= 2; level++)
		for (i = 0; i < n; i++)
			if (snd[i])
				pdmv2_decryptor_prefetch(snd[i]->dec, &fw[i].opt,
							 PDMV2_PREFETCH_CIPHER,
							 (int)level);
	for (i = 0; i < n; i++) {
		if (!snd[i])
			continue;
		pdmv2_decryptor_preopen(snd[i]->dec, &fw[i].opt, &fw[i].pre);
		snd[i]->misses = fw[i].pre.src ? 0 : snd[i]->misses + 1;
	}
}
