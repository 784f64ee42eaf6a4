/*
 * epoch.c - the Epoch layout per sender direction (PROFILE.md 2.5, 5.5;
 * the model is in pdmv2/epoch.h): two cached Epochs, each with its keyed
 * cipher (or the finding that no key exists) and its PSNTP record; the
 * Epoch list with a retire callback; the totals.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <glib.h>

#include "pdmv2/crypto.h"
#include "pdmv2/epoch.h"
#include "cands.h"
#include "epoch_ahead.h"
#include "prefetch.h"

/* Every matching key log entry is a candidate (8); an option tries the
 * winner, the EPOCH_KEY lines of its Epoch and at most TRIES secrets,
 * the next ones each time none opens, so many stale entries cost an
 * option what eight did (cands.h). */
#define TRIES 8
#define EPOCH_MOD (PDMV2_EPOCH_MAX + 1)

struct record {
	uint64_t hash;		/* of ciphertext and tag */
	uint32_t psntp;
	bool used;
};

/* One cached Epoch. */
struct slot {
	bool used;
	bool resolved;		/* a key opened, or no source has one */
	uint16_t epoch;
	uint64_t stamp;		/* last use, for eviction */
	struct pdmv2_cipher *c;	/* NULL when resolved without a key */
	const struct pdmv2_keysrc *src;
	struct record *rec;	/* PDMV2_EPOCH_RECORD, made on first use */
};

struct pdmv2_epoch_tracker {
	struct pdmv2_keylog *kl;
	uint8_t ft[PDMV2_FIVE_TUPLE_BYTES];
	bool looked_up;
	struct pdmv2_cands cands;
	const struct pdmv2_keysrc *winner;
	struct slot slot[2];	/* the current and the previous Epoch */
	uint64_t clock;
	bool known;
	uint16_t current;
	GArray *epochs;		/* struct pdmv2_epoch_info */
	pdmv2_epoch_retire_fn retire;
	void *retire_ctx;
	uint64_t retired;
	struct pdmv2_epoch_totals tot;
};

enum pdmv2_err
pdmv2_epoch_tracker_new(struct pdmv2_keylog *kl,
			const uint8_t ft[PDMV2_FIVE_TUPLE_BYTES],
			struct pdmv2_epoch_tracker **out)
{
	struct pdmv2_epoch_tracker *t = g_new0(struct pdmv2_epoch_tracker, 1);

	t->kl = kl;
	memcpy(t->ft, ft, PDMV2_FIVE_TUPLE_BYTES);
	t->epochs = g_array_new(FALSE, TRUE, sizeof(struct pdmv2_epoch_info));
	*out = t;
	return PDMV2_OK;
}

static void
slot_clear(struct slot *s)
{
	pdmv2_cipher_free(s->c);
	g_free(s->rec);
	memset(s, 0, sizeof(*s));
}

void
pdmv2_epoch_tracker_free(struct pdmv2_epoch_tracker *t)
{
	if (!t)
		return;
	slot_clear(&t->slot[0]);
	slot_clear(&t->slot[1]);
	g_array_free(t->epochs, TRUE);
	pdmv2_cands_free(&t->cands);
	g_free(t);
}

/* The slot caching this Epoch, or NULL. */
static struct slot *
slot_cached(const struct pdmv2_epoch_tracker *t, uint16_t epoch)
{
	int i;

	for (i = 0; i < 2; i++)
		if (t->slot[i].used && t->slot[i].epoch == epoch)
			return (struct slot *)&t->slot[i];
	return NULL;
}

/* The cached Epoch, or the least recently used slot made over to it. */
static struct slot *
slot_for(struct pdmv2_epoch_tracker *t, uint16_t epoch)
{
	struct slot *s = slot_cached(t, epoch);

	if (!s) {
		s = !t->slot[0].used || (t->slot[1].used &&
					 t->slot[0].stamp < t->slot[1].stamp)
			? &t->slot[0] : &t->slot[1];
		slot_clear(s);
		s->used = true;
		s->epoch = epoch;
	}
	s->stamp = ++t->clock;
	return s;
}

/*
 * 5.5 and 8: find the source whose key for this Epoch opens opt, the
 * flow's winner first.  OK: s keeps the cipher; NO_KEY: no source has a
 * key for it (s remembers that); AUTH: keys exist, none verified (s stays
 * unresolved, the next option tries again).
 */
static enum pdmv2_err
resolve(struct pdmv2_epoch_tracker *t, struct slot *s,
	const struct pdmv2_option *opt, struct pdmv2_metrics *m)
{
	const struct pdmv2_keysrc *order[2 * TRIES + 1];
	uint32_t pick[2 * TRIES];
	uint8_t key[PDMV2_KEY_MAX], nonce[PDMV2_NONCE_BYTES];
	enum pdmv2_aead aead;
	size_t n = 0, i, k;
	bool some_key = false;
	enum pdmv2_err rc;

	if (!t->looked_up) {
		pdmv2_cands_init(&t->cands, t->kl, t->ft, PDMV2_LAYOUT_EPOCH);
		t->looked_up = true;
	}
	if (t->winner)
		order[n++] = t->winner;
	k = pdmv2_cands_pick(&t->cands, opt->epoch, TRIES, pick);
	for (i = 0; i < k; i++)
		if (t->cands.src[pick[i]] != t->winner)
			order[n++] = t->cands.src[pick[i]];
	for (i = 0; i < n; i++) {
		struct pdmv2_cipher *c;

		if (pdmv2_keysrc_derive_epoch(order[i], t->ft, opt->epoch, &aead,
					      key, nonce) != PDMV2_OK)
			continue;
		some_key = true;
		rc = pdmv2_cipher_new(aead, key, nonce, &c);
		pdmv2_wipe(key, sizeof(key));
		pdmv2_wipe(nonce, sizeof(nonce));
		if (rc != PDMV2_OK)
			continue;
		if (pdmv2_cipher_open_epoch(c, opt, m) == PDMV2_OK) {
			s->c = c;
			s->src = t->winner = order[i];
			s->resolved = true;
			return PDMV2_OK;
		}
		pdmv2_cipher_free(c);
	}
	if (some_key) {		/* the next option tries the next secrets */
		pdmv2_cands_rotate(&t->cands, TRIES);
		return PDMV2_ERR_AUTH;
	}
	s->resolved = true;	/* no source has a key for this Epoch */
	return PDMV2_ERR_NO_KEY;
}

static uint64_t
hash64(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	uint64_t h = UINT64_C(14695981039346656037);

	while (na--)
		h = (h ^ *a++) * UINT64_C(1099511628211);
	while (nb--)
		h = (h ^ *b++) * UINT64_C(1099511628211);
	return h;
}

/* 0 and 5.5: the same (Epoch, PSNTP) seen again, same bytes or not. */
static void
record_check(struct slot *s, const struct pdmv2_option *opt,
	     struct pdmv2_epoch_result *res)
{
	uint64_t h = hash64(opt->ciphertext, PDMV2_EPOCH_METRIC_BYTES,
			    opt->tag, PDMV2_TAG_BYTES);
	struct record *r;

	if (!s->rec)
		s->rec = g_new0(struct record, PDMV2_EPOCH_RECORD);
	r = &s->rec[opt->m.psntp % PDMV2_EPOCH_RECORD];
	if (r->used && r->psntp == opt->m.psntp) {
		if (r->hash == h)
			res->duplicate = true;
		else
			res->nonce_reuse = true;
		return;
	}
	r->used = true;
	r->psntp = opt->m.psntp;
	r->hash = h;
}

static void
retire_old(struct pdmv2_epoch_tracker *t)
{
	while (t->retire && t->epochs->len > 2) {
		if (!t->retire(t->retire_ctx,
			       &g_array_index(t->epochs, struct pdmv2_epoch_info, 0)))
			return;
		g_array_remove_index(t->epochs, 0);
		t->retired++;
	}
}

/* The list entry of this Epoch: one of the last two, or a new one. */
static struct pdmv2_epoch_info *
entry_for(struct pdmv2_epoch_tracker *t, uint16_t epoch, uint64_t frame,
	  int64_t ts_ns)
{
	struct pdmv2_epoch_info *e, fresh;
	guint len = t->epochs->len, i;

	for (i = len; i > 0 && i + 2 > len; i--) {
		e = &g_array_index(t->epochs, struct pdmv2_epoch_info, i - 1);
		if (e->epoch == epoch)
			return e;
	}
	memset(&fresh, 0, sizeof(fresh));
	fresh.epoch = epoch;
	fresh.first_frame = frame;
	fresh.first_ts_ns = ts_ns;
	g_array_append_val(t->epochs, fresh);
	retire_old(t);
	return &g_array_index(t->epochs, struct pdmv2_epoch_info,
			      t->epochs->len - 1);
}

/* Where the Epoch stands to the current one (mod 4096), and the state. */
static void
order_epoch(struct pdmv2_epoch_tracker *t, uint16_t epoch,
	    struct pdmv2_epoch_result *res)
{
	unsigned d;

	if (!t->known) {
		t->known = true;
		t->current = epoch;
		res->first = true;
		return;
	}
	d = ((unsigned)epoch + EPOCH_MOD - t->current) % EPOCH_MOD;
	if (d == 0)
		return;
	if (d == EPOCH_MOD - 1) {
		res->late = true;	/* the previous Epoch: no move back */
		return;
	}
	if (d != 1) {
		res->jump = true;
		t->tot.jumps++;
	}
	res->new_epoch = true;
	t->current = epoch;
}

/* Whether this tracker interprets opt at all (2.4). */
static bool
interpreted(const struct pdmv2_option *opt)
{
	return opt->layout == PDMV2_LAYOUT_EPOCH && opt->desc &&
	       !(opt->warnings & PDMV2_OPT_UNINTERPRETED);
}

void
pdmv2_epoch_preopen(struct pdmv2_epoch_tracker *t, const struct pdmv2_option *opt,
		    struct pdmv2_preopened *pre)
{
	struct slot *s;
	enum pdmv2_err rc;

	pre->src = NULL;
	if (!interpreted(opt) || opt->variant != PDMV2_VARIANT_ENCRYPTED)
		return;
	s = slot_for(t, opt->epoch);
	if (!s->resolved)
		rc = resolve(t, s, opt, &pre->m);
	else if (s->c)
		rc = pdmv2_cipher_open_epoch(s->c, opt, &pre->m);
	else
		rc = PDMV2_ERR_NO_KEY;
	if (rc != PDMV2_OK)
		return;
	pre->src = s->src;
	pre->kri = opt->epoch;
}

void
pdmv2_epoch_track(struct pdmv2_epoch_tracker *t, const struct pdmv2_option *opt,
		  uint64_t frame, int64_t ts_ns, struct pdmv2_metrics *m,
		  struct pdmv2_epoch_result *res)
{
	pdmv2_epoch_track_preopened(t, opt, frame, ts_ns, NULL, m, res);
}

void
pdmv2_epoch_track_preopened(struct pdmv2_epoch_tracker *t,
			    const struct pdmv2_option *opt, uint64_t frame,
			    int64_t ts_ns, const struct pdmv2_preopened *pre,
			    struct pdmv2_metrics *m,
			    struct pdmv2_epoch_result *res)
{
	struct pdmv2_epoch_info *e;
	struct slot *s = NULL;

	memset(res, 0, sizeof(*res));
	memset(m, 0, sizeof(*m));
	res->epoch = opt->epoch;
	if (!interpreted(opt)) {
		res->status = PDMV2_ERR_INVALID;	/* 2.4 */
		t->tot.invalid++;
		return;
	}
	if (opt->variant == PDMV2_VARIANT_PLAIN) {
		*m = opt->m;
		res->status = PDMV2_OK;
		t->tot.plain++;
	} else {
		s = slot_for(t, opt->epoch);
		if (!s->resolved)
			res->status = resolve(t, s, opt, m);
		else if (s->c && pre && pre->src == s->src &&
			 pre->kri == opt->epoch) {
			*m = pre->m;	/* opened ahead, under this very key */
			res->status = PDMV2_OK;
		} else if (s->c)
			res->status = pdmv2_cipher_open_epoch(s->c, opt, m);
		else
			res->status = PDMV2_ERR_NO_KEY;	/* 0: fail closed */
		if (res->status == PDMV2_ERR_AUTH) {
			t->tot.auth_failed++;	/* counted nowhere else (5.5) */
			return;
		}
		if (res->status == PDMV2_ERR_NO_KEY) {
			memset(m, 0, sizeof(*m));
			m->psntp = opt->m.psntp;	/* clear (2.5) */
			t->tot.no_key++;
		} else {
			res->src = s->src;
			res->reserved = m->reserved != 0;
			t->tot.opened++;
		}
		record_check(s, opt, res);
	}
	res->counted = true;
	t->tot.counted++;
	order_epoch(t, opt->epoch, res);

	e = entry_for(t, opt->epoch, frame, ts_ns);
	e->packets++;
	e->last_frame = frame;
	e->last_ts_ns = ts_ns;
	if (opt->variant == PDMV2_VARIANT_ENCRYPTED) {
		if (res->status == PDMV2_OK)
			e->opened++;
		else
			e->no_key++;
	}
	if (res->duplicate) {
		e->duplicates++;
		t->tot.duplicates++;
	}
	if (res->nonce_reuse) {
		e->nonce_reuse++;
		t->tot.nonce_reuse++;
	}
}

void
pdmv2_epoch_prefetch(const struct pdmv2_epoch_tracker *t,
		     const struct pdmv2_option *opt, bool cipher, int level)
{
	const struct slot *s;

	if (level == 0) {
		pdmv2_prefetch_range(t, sizeof(*t));
		return;
	}
	if (level != 1)
		return;
	s = slot_cached(t, opt->epoch);
	if (t->epochs->len)
		__builtin_prefetch(&g_array_index(t->epochs, struct pdmv2_epoch_info,
						  t->epochs->len - 1));
	if (!s)
		return;
	if (s->rec)
		__builtin_prefetch(&s->rec[opt->m.psntp % PDMV2_EPOCH_RECORD]);
	if (cipher && s->c)
		__builtin_prefetch(s->c);
}

void
pdmv2_epoch_set_retire(struct pdmv2_epoch_tracker *t, pdmv2_epoch_retire_fn fn,
		       void *ctx)
{
	t->retire = fn;
	t->retire_ctx = ctx;
}

uint64_t
pdmv2_epoch_retired(const struct pdmv2_epoch_tracker *t)
{
	return t->retired;
}

size_t
pdmv2_epoch_count(const struct pdmv2_epoch_tracker *t)
{
	return t->epochs->len;
}

const struct pdmv2_epoch_info *
pdmv2_epoch_at(const struct pdmv2_epoch_tracker *t, size_t i)
{
	if (i >= t->epochs->len)
		return NULL;
	return &g_array_index(t->epochs, struct pdmv2_epoch_info, i);
}

bool
pdmv2_epoch_known(const struct pdmv2_epoch_tracker *t)
{
	return t->known;
}

uint16_t
pdmv2_epoch_current(const struct pdmv2_epoch_tracker *t)
{
	return t->current;
}

void
pdmv2_epoch_totals(const struct pdmv2_epoch_tracker *t,
		   struct pdmv2_epoch_totals *out)
{
	*out = t->tot;
}
