/*
 * kri.c - Key Rotation Index reconstruction (PROFILE.md 5.4).
 *
 * The tracker knows nothing of keys: it picks the kri values to try from
 * the F bit and its state, asks the caller's open function, and moves
 * forward only on an authenticated open.  PRSEQ reuse is detected per
 * phase, the current and the previous one, each with a record of the
 * PRSEQs it has seen (prseq.c), so memory per direction is bounded
 * whatever the packet count.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "pdmv2/kri.h"
#include "kri_ahead.h"
#include "prefetch.h"
#include "prseq.h"

struct prseq_phase {
	bool valid;
	uint32_t kri;
	struct prseq_record rec;	/* made at the phase's first packet */
};

/* The first cache line is all a packet of a known state reads and
 * writes: the state, the epoch last used and the current phase's PRSEQ
 * record, whose table is the one other line it touches (the epoch is a
 * third).  1000 interleaved directions do not stay in cache, so each
 * line more is a miss more a packet; the opened total is therefore not
 * counted per packet but summed from the epochs' packet counts. */
struct pdmv2_kri_tracker {
	uint32_t cur;
	bool known;
	struct pdmv2_kri_epoch *last;	/* in epochs, the one used last; or NULL */
	struct prseq_phase ph[2];	/* [0] current phase, [1] previous */
	/* on a search, a rotation, or an event */
	unsigned window;
	GArray *epochs;		/* struct pdmv2_kri_epoch, sorted by kri */
	struct pdmv2_kri_totals totals;	/* opened: of retired epochs only */
	pdmv2_kri_retire_fn retire;	/* NULL: every epoch stays here */
	void *retire_ctx;
	uint64_t retired;
};
_Static_assert(offsetof(struct pdmv2_kri_tracker, ph[1]) <= PDMV2_CACHE_LINE,
	       "a packet's tracker fields in one line");

enum pdmv2_err
pdmv2_kri_tracker_new(unsigned window, struct pdmv2_kri_tracker **out)
{
	struct pdmv2_kri_tracker *t;

	*out = NULL;
	if (window == 0)
		return PDMV2_ERR_INVALID;
	/* aligned, so the first line is one line */
	t = g_aligned_alloc0(1, sizeof(*t), PDMV2_CACHE_LINE);
	t->window = window;
	t->epochs = g_array_new(FALSE, TRUE, sizeof(struct pdmv2_kri_epoch));
	*out = t;
	return PDMV2_OK;
}

void
pdmv2_kri_tracker_free(struct pdmv2_kri_tracker *t)
{
	if (!t)
		return;
	g_array_free(t->epochs, TRUE);
	prseq_record_free(&t->ph[0].rec);
	prseq_record_free(&t->ph[1].rec);
	g_aligned_free(t);
}

struct attempt {
	pdmv2_kri_open_fn open;
	void *ctx;
	const struct pdmv2_option *opt;
	struct pdmv2_metrics *m;
	struct pdmv2_kri_result *res;
	bool any_auth;
};

static bool
try_kri(struct attempt *a, uint32_t kri)
{
	enum pdmv2_err rc = a->open(a->ctx, kri, a->opt, a->m);

	a->res->tries++;
	if (rc == PDMV2_OK) {
		a->res->kri = kri;
		return true;
	}
	if (rc != PDMV2_ERR_NO_KEY)
		a->any_auth = true;
	return false;
}

/* Candidates of step 1 and step 3; false when nothing authenticates. */
static bool
search(struct pdmv2_kri_tracker *t, struct attempt *a, uint8_t f)
{
	uint32_t k;
	unsigned i;

	if (!t->known) {
		/* 1: kri = F, F+2, ..., F+2(W-1) */
		for (i = 0, k = f; i < t->window; i++, k += 2) {
			if (k < f)
				break;		/* wrapped past 2^32 */
			if (try_kri(a, k))
				return true;
		}
		return false;
	}
	if ((t->cur & 1u) == f)			/* 2: same phase */
		return try_kri(a, t->cur);
	if (t->cur < UINT32_MAX && try_kri(a, t->cur + 1))	/* 3: rotation */
		return true;
	if (t->cur >= 1 && try_kri(a, t->cur - 1)) {		/* late packet */
		a->res->late = true;
		return true;
	}
	/* whole phases lost: kri+3, kri+5, ... (W forward candidates in all) */
	for (i = 1; i < t->window; i++) {
		uint64_t next = (uint64_t)t->cur + 2 * i + 1;

		if (next > UINT32_MAX)
			break;
		if (try_kri(a, (uint32_t)next))
			return true;
	}
	return false;
}

static struct pdmv2_kri_epoch *
epoch_for(struct pdmv2_kri_tracker *t, uint32_t kri, uint64_t frame, int64_t ts)
{
	struct pdmv2_kri_epoch e = {0};
	guint i;

	/* Epochs are few and the wanted one is nearly always the last used:
	 * t->last, in the tracker's first line, saves reading the array. */
	if (t->last && t->last->kri == kri)
		return t->last;
	for (i = t->epochs->len; i > 0; i--) {
		struct pdmv2_kri_epoch *x =
			&g_array_index(t->epochs, struct pdmv2_kri_epoch, i - 1);

		if (x->kri == kri)
			return t->last = x;
		if (x->kri < kri)
			break;
	}
	e.kri = kri;
	e.phase = kri & 1u;
	e.first_frame = frame;
	e.first_ts_ns = ts;
	g_array_insert_val(t->epochs, i, e);	/* may move them all */
	return t->last = &g_array_index(t->epochs, struct pdmv2_kri_epoch, i);
}

void
pdmv2_kri_set_retire(struct pdmv2_kri_tracker *t, pdmv2_kri_retire_fn fn,
		     void *ctx)
{
	t->retire = fn;
	t->retire_ctx = ctx;
}

/* Epochs below cur - 1 are final: 5.4 never opens with an older kri
 * than cur - 1 (the late step), and cur never goes back.  Hand them to
 * the owner, oldest first, so memory follows the open phases, not the
 * number of rotations a long capture holds.  A refusal (the owner could
 * not store it) keeps that epoch and every later one here. */
static void
retire_old(struct pdmv2_kri_tracker *t)
{
	guint n = 0;

	while (t->retire && n < t->epochs->len) {
		const struct pdmv2_kri_epoch *e =
			&g_array_index(t->epochs, struct pdmv2_kri_epoch, n);

		if ((uint64_t)e->kri + 1 >= t->cur)
			break;
		if (!t->retire(t->retire_ctx, e)) {
			t->retire = NULL;
			break;
		}
		t->totals.opened += e->packets;
		n++;
	}
	if (n) {
		g_array_remove_range(t->epochs, 0, n);
		t->last = NULL;
		t->retired += n;
	}
}

static void
phase_reset(struct prseq_phase *p, uint32_t kri)
{
	prseq_record_reset(&p->rec);
	p->kri = kri;
	p->valid = true;
}

/* The PRSEQ record of one kri, rotating phases forward as needed; NULL
 * for a kri older than both (no reuse check possible). */
static struct prseq_phase *
phase_for(struct pdmv2_kri_tracker *t, uint32_t kri)
{
	struct prseq_phase tmp;

	if (t->ph[0].valid && t->ph[0].kri == kri)
		return &t->ph[0];
	if (t->ph[1].valid && t->ph[1].kri == kri)
		return &t->ph[1];
	if (t->ph[0].valid && kri < t->ph[0].kri) {
		if (t->ph[1].valid && kri < t->ph[1].kri)
			return NULL;
		phase_reset(&t->ph[1], kri);	/* the phase before, not seen yet */
		return &t->ph[1];
	}
	/* A newer phase: the current one becomes the previous one. */
	tmp = t->ph[1];
	t->ph[1] = t->ph[0];
	t->ph[0] = tmp;
	phase_reset(&t->ph[0], kri);
	/* phases of a sender run about as long as each other: start this
	 * one's table at the size the last one reached */
	prseq_record_size_like(&t->ph[0].rec, &t->ph[1].rec);
	return &t->ph[0];
}

static void
check_prseq(struct pdmv2_kri_tracker *t, const struct pdmv2_option *opt,
	    struct pdmv2_kri_result *res)
{
	struct prseq_phase *p = phase_for(t, res->kri);
	uint16_t fp;

	if (!p)
		return;
	/* 16 tag bits tell a replayed packet from a second plaintext under
	 * the same nonce; a false "duplicate" has odds 2^-16. */
	fp = (uint16_t)(opt->tag[0] << 8 | opt->tag[1]);
	if (fp == 0)
		fp = 1;
	switch (prseq_record_add(&p->rec, opt->random, fp)) {
	case PRSEQ_DUPLICATE:
		res->duplicate = true;
		break;
	case PRSEQ_REUSE:
		res->nonce_reuse = true;
		break;
	case PRSEQ_NEW:
		break;
	}
}

/* Steps 1-4 of 5.4: find the kri that opens opt and move the state;
 * false (res->status set) when nothing authenticates. */
static bool
advance(struct pdmv2_kri_tracker *t, const struct pdmv2_option *opt,
	pdmv2_kri_open_fn open, void *ctx, struct pdmv2_metrics *m,
	struct pdmv2_kri_result *res)
{
	struct attempt a = {open, ctx, opt, m, res, false};

	memset(res, 0, sizeof(*res));
	memset(m, 0, sizeof(*m));
	if (!search(t, &a, opt->flag & 1u)) {
		memset(m, 0, sizeof(*m));
		res->status = a.any_auth ? PDMV2_ERR_AUTH : PDMV2_ERR_NO_KEY;
		return false;
	}
	res->status = PDMV2_OK;
	/* 4: only an authenticated open moves the state, never backwards. */
	if (!t->known) {
		res->first = res->rotated = true;
		t->known = true;
		t->cur = res->kri;
	} else if (res->kri > t->cur) {
		res->rotated = true;
		t->cur = res->kri;
		retire_old(t);
	}
	return true;
}

void
pdmv2_kri_advance(struct pdmv2_kri_tracker *t, const struct pdmv2_option *opt,
		  pdmv2_kri_open_fn open, void *ctx, struct pdmv2_metrics *m,
		  struct pdmv2_kri_result *res)
{
	(void)advance(t, opt, open, ctx, m, res);
}

void
pdmv2_kri_track(struct pdmv2_kri_tracker *t, const struct pdmv2_option *opt,
		uint64_t frame, int64_t ts_ns, pdmv2_kri_open_fn open, void *ctx,
		struct pdmv2_metrics *m, struct pdmv2_kri_result *res)
{
	struct pdmv2_kri_epoch *e;

	if (!advance(t, opt, open, ctx, m, res)) {
		if (res->status == PDMV2_ERR_AUTH)
			t->totals.auth_failed++;
		else
			t->totals.no_key++;
		return;
	}
	check_prseq(t, opt, res);

	e = epoch_for(t, res->kri, frame, ts_ns);
	e->packets++;
	e->last_frame = frame;
	e->last_ts_ns = ts_ns;
	if (res->late) {
		e->late++;
		t->totals.late++;
	}
	if (res->duplicate) {
		e->duplicates++;
		t->totals.duplicates++;
	}
	if (res->nonce_reuse) {
		e->nonce_reuse++;
		t->totals.nonce_reuse++;
	}
}

void
pdmv2_kri_prefetch(const struct pdmv2_kri_tracker *t,
		   const struct pdmv2_option *opt, bool record, int level)
{
	uint32_t prseq = opt->random & PDMV2_PRSEQ_MAX;

	if (level == 1) {
		/* an address inside t only: t itself need not be loaded
		 * yet.  Its first line, all that advance reads (the state)
		 * and, with the record, tracking and level 2 too (the
		 * current phase). */
		pdmv2_prefetch_range(t, record ? offsetof(struct pdmv2_kri_tracker, ph[1])
					       : offsetof(struct pdmv2_kri_tracker, ph[0]));
		return;
	}
	if (!record)
		return;
	/* level 2: t has landed; what its pointers lead to.  The current
	 * phase only: the previous one is for late packets, and loads are
	 * what a packet is short of (the prefetches of a batch fill the
	 * miss queue). */
	prseq_record_prefetch(&t->ph[0].rec, prseq);
	if (t->last)
		__builtin_prefetch(t->last, 1);
}

void
pdmv2_kri_track_no_key(struct pdmv2_kri_tracker *t, struct pdmv2_metrics *m,
		       struct pdmv2_kri_result *res)
{
	memset(res, 0, sizeof(*res));
	memset(m, 0, sizeof(*m));
	res->status = PDMV2_ERR_NO_KEY;
	t->totals.no_key++;
}

bool
pdmv2_kri_known(const struct pdmv2_kri_tracker *t)
{
	return t->known;
}

uint32_t
pdmv2_kri_current(const struct pdmv2_kri_tracker *t)
{
	return t->cur;
}

uint64_t
pdmv2_kri_epochs_retired(const struct pdmv2_kri_tracker *t)
{
	return t->retired;
}

size_t
pdmv2_kri_epoch_count(const struct pdmv2_kri_tracker *t)
{
	return t->epochs->len;
}

const struct pdmv2_kri_epoch *
pdmv2_kri_epoch_at(const struct pdmv2_kri_tracker *t, size_t i)
{
	if (i >= t->epochs->len)
		return NULL;
	return &g_array_index(t->epochs, struct pdmv2_kri_epoch, i);
}

void
pdmv2_kri_totals(const struct pdmv2_kri_tracker *t, struct pdmv2_kri_totals *out)
{
	guint i;

	*out = t->totals;
	for (i = 0; i < t->epochs->len; i++)
		out->opened += g_array_index(t->epochs, struct pdmv2_kri_epoch, i).packets;
}
