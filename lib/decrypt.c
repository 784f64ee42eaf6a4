/*
 * decrypt.c - one sender direction's decryption: the key log's
 * candidates for its 5-tuple, a small cache of keyed ciphers per
 * (candidate, kri), and the Kri tracker that decides what to try.
 *
 * Steady state costs one AEAD open per packet: the winner is tried first
 * (PROFILE.md 8) and its cipher for the current kri is cached (5.2).
 * With a packet opened ahead (pdmv2_decryptor_preopen, on another
 * thread), it costs none: the answer for that (key source, kri) is the
 * one the open would give, and every other pair is still opened.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "pdmv2/decrypt.h"
#include "cands.h"
#include "decrypt_ahead.h"
#include "kri_ahead.h"
#include "prefetch.h"

/* Every matching key log entry is a candidate (PROFILE.md 8), however
 * many; a packet tries the winner, the SESSION_KEY lines of its kri and
 * at most TRIES secrets, the next ones each packet none opened, so a
 * direction with a thousand stale entries costs a packet what sixteen
 * did, and still reaches its valid one (cands.h). */
#define TRIES 16
#define CACHE_SLOTS 4	/* current, next, previous phase and a spare */
/* While the state is unknown, every packet's search (5.4 step 1) asks
 * again for the keys of kri F, F+2, ... F+2(W-1): a cycle the 4 cipher
 * slots cannot hold, and each key derivation (two HKDF expands) costs
 * some thirty opens.  So the key material of kri below 2W (at most
 * KEYMAT_KRI) is kept per candidate, 52 bytes each, until the state is
 * known; a slot is then re-keyed, not rebuilt: a direction whose key is
 * wrong, or whose capture began past the window, would otherwise derive
 * keys for every packet. */
#define KEYMAT_KRI 64
#define KEYMAT_CANDS TRIES	/* the first candidates only: bounded */

struct keymat {
	bool have;
	enum pdmv2_aead aead;
	uint8_t key[PDMV2_KEY_MAX];
	uint8_t nonce[PDMV2_NONCE_BYTES];
};

struct cache_slot {
	struct pdmv2_cipher *cipher;	/* NULL: empty */
	uint32_t kri;
	uint32_t cand;
};

/* The first cache line is what a packet reads: the tracker, the winner
 * and the two most recently used ciphers.  The cache is kept most
 * recently used first, so a packet of the current phase finds its
 * cipher in slot 0, and a full cache gives up its last slot.  1000
 * interleaved directions do not stay in cache: each line more a packet
 * reads is a miss more. */
struct pdmv2_decryptor {
	struct pdmv2_kri_tracker *tracker;
	const struct pdmv2_preopened *pre;	/* during one open, or NULL */
	const struct pdmv2_keysrc *winner_src;	/* cand[winner], or NULL */
	int32_t winner;			/* index in cands.src, -1 before any */
	uint32_t ncand;			/* cands.n, in the first line */
	struct cache_slot cache[CACHE_SLOTS];
	/* the per-flow constants */
	struct keymat *km;		/* [cand][nkm], while unknown; or NULL */
	uint32_t nkm;			/* kri values kept per candidate */
	uint8_t ft[PDMV2_FIVE_TUPLE_BYTES];
	struct pdmv2_cands cands;
};
_Static_assert(offsetof(struct pdmv2_decryptor, cache[2]) <= PDMV2_CACHE_LINE,
	       "a packet's decryptor fields in one line");

enum pdmv2_err
pdmv2_decryptor_new(struct pdmv2_keylog *kl,
		    const uint8_t ft[PDMV2_FIVE_TUPLE_BYTES], unsigned kri_window,
		    struct pdmv2_decryptor **out)
{
	struct pdmv2_decryptor *d;
	enum pdmv2_err rc;

	*out = NULL;
	/* aligned, so the first line is one line */
	d = g_aligned_alloc0(1, sizeof(*d), PDMV2_CACHE_LINE);
	memcpy(d->ft, ft, PDMV2_FIVE_TUPLE_BYTES);
	d->winner = -1;
	/* Candidates are fixed here: a reloaded key log needs new
	 * decryptors. */
	pdmv2_cands_init(&d->cands, kl, ft, PDMV2_LAYOUT_KRI);
	d->ncand = d->cands.n;
	d->nkm = kri_window < KEYMAT_KRI / 2 ? 2 * kri_window : KEYMAT_KRI;
	rc = pdmv2_kri_tracker_new(kri_window, &d->tracker);
	if (rc != PDMV2_OK) {
		pdmv2_cands_free(&d->cands);
		g_aligned_free(d);
		return rc;
	}
	*out = d;
	return PDMV2_OK;
}

static size_t
km_cands(const struct pdmv2_decryptor *d)
{
	return d->ncand < KEYMAT_CANDS ? d->ncand : KEYMAT_CANDS;
}

/* The kept keys go once the state is known, or with the decryptor. */
static void
keymat_drop(struct pdmv2_decryptor *d)
{
	if (!d->km)
		return;
	pdmv2_wipe(d->km, km_cands(d) * d->nkm * sizeof(*d->km));
	g_free(d->km);
	d->km = NULL;
}

void
pdmv2_decryptor_free(struct pdmv2_decryptor *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < CACHE_SLOTS; i++)
		pdmv2_cipher_free(d->cache[i].cipher);
	keymat_drop(d);
	pdmv2_kri_tracker_free(d->tracker);
	pdmv2_cands_free(&d->cands);
	g_aligned_free(d);
}

/* The key of (candidate, kri): kept (see KEYMAT_KRI) or derived. */
static enum pdmv2_err
key_for(struct pdmv2_decryptor *d, size_t cand, uint32_t kri,
	enum pdmv2_aead *aead, uint8_t key[PDMV2_KEY_MAX],
	uint8_t nonce[PDMV2_NONCE_BYTES])
{
	struct keymat *k = NULL;
	enum pdmv2_err rc;

	if (!pdmv2_kri_known(d->tracker) && kri < d->nkm && cand < KEYMAT_CANDS) {
		if (!d->km)
			d->km = g_new0(struct keymat, km_cands(d) * d->nkm);
		k = &d->km[cand * d->nkm + kri];
	}
	if (k && k->have) {
		*aead = k->aead;
		memcpy(key, k->key, sizeof(k->key));
		memcpy(nonce, k->nonce, sizeof(k->nonce));
		return PDMV2_OK;
	}
	rc = pdmv2_keysrc_derive(d->cands.src[cand], d->ft, kri, aead, key, nonce);
	if (rc == PDMV2_OK && k) {
		k->have = true;
		k->aead = *aead;
		memcpy(k->key, key, sizeof(k->key));
		memcpy(k->nonce, nonce, sizeof(k->nonce));
	}
	return rc;
}

/* Slot i to the front, the slots before it one back. */
static struct pdmv2_cipher *
to_front(struct pdmv2_decryptor *d, size_t i)
{
	struct cache_slot s = d->cache[i];

	memmove(&d->cache[1], &d->cache[0], i * sizeof(d->cache[0]));
	d->cache[0] = s;
	return s.cipher;
}

/* The keyed cipher for (candidate, kri): cached, or made (or re-keyed)
 * in an empty slot or else the least recently used one.  NULL with *rc
 * set otherwise. */
static struct pdmv2_cipher *
cipher_for(struct pdmv2_decryptor *d, size_t cand, uint32_t kri,
	   enum pdmv2_err *rc)
{
	uint8_t key[PDMV2_KEY_MAX], nonce[PDMV2_NONCE_BYTES];
	enum pdmv2_aead aead;
	size_t i, v = CACHE_SLOTS - 1;
	struct cache_slot *victim;

	for (i = 0; i < CACHE_SLOTS; i++) {
		struct cache_slot *s = &d->cache[i];

		if (s->cipher && s->cand == cand && s->kri == kri)
			return i ? to_front(d, i) : s->cipher;
		if (!s->cipher)
			v = i;
	}
	victim = &d->cache[v];
	*rc = key_for(d, cand, kri, &aead, key, nonce);
	if (*rc != PDMV2_OK)
		return NULL;
	if (victim->cipher && pdmv2_cipher_aead(victim->cipher) == aead) {
		*rc = pdmv2_cipher_rekey(victim->cipher, key, nonce);
	} else {
		pdmv2_cipher_free(victim->cipher);
		victim->cipher = NULL;
		*rc = pdmv2_cipher_new(aead, key, nonce, &victim->cipher);
	}
	if (*rc != PDMV2_OK) {
		pdmv2_cipher_free(victim->cipher);
		victim->cipher = NULL;
	}
	pdmv2_wipe(key, sizeof(key));
	pdmv2_wipe(nonce, sizeof(nonce));
	if (*rc != PDMV2_OK)
		return NULL;
	victim->cand = (uint32_t)cand;
	victim->kri = kri;
	return to_front(d, v);
}

static enum pdmv2_err
try_candidate(struct pdmv2_decryptor *d, size_t cand, uint32_t kri,
	      const struct pdmv2_option *opt, struct pdmv2_metrics *m)
{
	enum pdmv2_err rc;
	struct pdmv2_cipher *c;

	if (d->pre && d->pre->kri == kri &&
	    d->pre->src == ((int32_t)cand == d->winner ? d->winner_src : d->cands.src[cand])) {
		*m = d->pre->m;		/* opened already, with this very key */
		return PDMV2_OK;
	}
	c = cipher_for(d, cand, kri, &rc);
	if (!c)
		return rc == PDMV2_ERR_NO_KEY ? PDMV2_ERR_NO_KEY : PDMV2_ERR_AUTH;
	return pdmv2_cipher_open_option(c, opt, m);
}

/* The tracker's open function: winner first, then the pick of
 * pdmv2_cands_pick; AUTH if any key was tried, NO_KEY if none exists. */
static enum pdmv2_err
open_kri(void *ctx, uint32_t kri, const struct pdmv2_option *opt,
	 struct pdmv2_metrics *m)
{
	struct pdmv2_decryptor *d = ctx;
	enum pdmv2_err rc, worst = PDMV2_ERR_NO_KEY;
	uint32_t pick[2 * TRIES], i;
	size_t t, n;

	if (d->winner >= 0) {
		rc = try_candidate(d, (size_t)d->winner, kri, opt, m);
		if (rc == PDMV2_OK)
			return rc;
		if (rc != PDMV2_ERR_NO_KEY)
			worst = PDMV2_ERR_AUTH;
	}
	n = pdmv2_cands_pick(&d->cands, kri, TRIES, pick);
	for (t = 0; t < n; t++) {
		i = pick[t];
		if ((int32_t)i == d->winner)
			continue;
		rc = try_candidate(d, i, kri, opt, m);
		if (rc == PDMV2_OK) {
			d->winner = (int32_t)i;
			d->winner_src = d->cands.src[i];
			return rc;
		}
		if (rc != PDMV2_ERR_NO_KEY)
			worst = PDMV2_ERR_AUTH;
	}
	return worst;
}

/* After a rotation to kri, ciphers of kri - 2 and older can never be
 * asked for again (5.4 tries kri, kri + 1, kri - 1 and later ones):
 * free them, so a direction holds two keyed contexts, not four. */
static void
prune(struct pdmv2_decryptor *d, uint32_t kri)
{
	size_t i;

	for (i = 0; i < CACHE_SLOTS; i++) {
		struct cache_slot *s = &d->cache[i];

		if (s->cipher && (uint64_t)s->kri + 1 < kri) {
			pdmv2_cipher_free(s->cipher);
			s->cipher = NULL;
		}
	}
}

enum pdmv2_err
pdmv2_decryptor_open(struct pdmv2_decryptor *d, const struct pdmv2_option *opt,
		     uint64_t frame, int64_t ts_ns, struct pdmv2_metrics *m,
		     struct pdmv2_kri_result *res)
{
	return pdmv2_decryptor_open_preopened(d, opt, frame, ts_ns, NULL, m, res);
}

enum pdmv2_err
pdmv2_decryptor_open_preopened(struct pdmv2_decryptor *d,
			       const struct pdmv2_option *opt, uint64_t frame,
			       int64_t ts_ns, const struct pdmv2_preopened *pre,
			       struct pdmv2_metrics *m,
			       struct pdmv2_kri_result *res)
{
	if (opt->variant != PDMV2_VARIANT_ENCRYPTED) {
		memset(res, 0, sizeof(*res));
		res->status = PDMV2_ERR_INVALID;
		return res->status;
	}
	if (d->ncand == 0) {	/* nothing in the key log for this 5-tuple */
		pdmv2_kri_track_no_key(d->tracker, m, res);
		return res->status;
	}
	d->pre = pre && pre->src ? pre : NULL;
	pdmv2_kri_track(d->tracker, opt, frame, ts_ns, open_kri, d, m, res);
	d->pre = NULL;
	/* none opened it: the next packet tries the next secrets */
	if (res->status == PDMV2_ERR_AUTH)
		pdmv2_cands_rotate(&d->cands, TRIES);
	if (res->rotated)
		prune(d, res->kri);
	if (res->first)
		keymat_drop(d);
	return res->status;
}

void
pdmv2_decryptor_preopen(struct pdmv2_decryptor *d,
			const struct pdmv2_option *opt,
			struct pdmv2_preopened *pre)
{
	struct pdmv2_kri_result res;

	pre->src = NULL;
	if (opt->variant != PDMV2_VARIANT_ENCRYPTED || d->ncand == 0)
		return;
	pdmv2_kri_advance(d->tracker, opt, open_kri, d, &pre->m, &res);
	if (res.status != PDMV2_OK)
		return;
	if (res.rotated)
		prune(d, res.kri);
	if (res.first)
		keymat_drop(d);
	/* open_kri leaves the key source that opened it as the winner */
	pre->src = d->winner_src;
	pre->kri = res.kri;
}

void
pdmv2_decryptor_prefetch(const struct pdmv2_decryptor *d,
			 const struct pdmv2_option *opt, unsigned what, int level)
{
	const struct cache_slot *s = &d->cache[0];

	if (level == 0) {
		/* The first line is all level 1 reads, and all a packet of
		 * the current phase does.  The cache's second line is
		 * loaded too: the paired bench found it faster
		 * (doc/performance.md), though nothing here explains why. */
		pdmv2_prefetch_range(d, offsetof(struct pdmv2_decryptor, cache) +
					     sizeof(d->cache));
		return;
	}
	pdmv2_kri_prefetch(d->tracker, opt, (what & PDMV2_PREFETCH_RECORD) != 0,
			   level);
	/* The most recently used cipher only, the current phase's.  The
	 * previous phase's stays cached until the next rotation, for late
	 * packets, and loading it for every packet as well (its AES and
	 * GCM contexts are fourteen lines) cost as much as the cache's
	 * compaction gained. */
	if (!(what & PDMV2_PREFETCH_CIPHER) || !s->cipher ||
	    (int32_t)s->cand != d->winner)
		return;
	__builtin_prefetch(s->cipher);
}

bool
pdmv2_decryptor_has_keys(const struct pdmv2_decryptor *d)
{
	return d->ncand > 0;
}

void
pdmv2_decryptor_set_retire(struct pdmv2_decryptor *d, pdmv2_kri_retire_fn fn,
			   void *ctx)
{
	pdmv2_kri_set_retire(d->tracker, fn, ctx);
}

const struct pdmv2_kri_tracker *
pdmv2_decryptor_tracker(const struct pdmv2_decryptor *d)
{
	return d->tracker;
}

const struct pdmv2_keysrc *
pdmv2_decryptor_winner(const struct pdmv2_decryptor *d)
{
	return d->winner_src;
}
