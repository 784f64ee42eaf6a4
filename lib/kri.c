/*
 * kri.c - Key Rotation Index reconstruction (PROFILE.md 5.4).
 *
 * The tracker knows nothing of keys: it picks the kri values to try from
 * the F bit and its state, asks the caller's open function, and moves
 * forward only on an authenticated open.  PRSEQ reuse is detected with
 * two fixed tables of 32768 16-bit tag fingerprints (current and
 * previous phase), so memory per direction does not grow with packets.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "pdmv2/kri.h"

#define PRSEQ_SLOTS (PDMV2_PRSEQ_MAX + 1)

struct prseq_table {
	bool valid;
	uint32_t kri;
	uint16_t *fp;		/* PRSEQ_SLOTS fingerprints, 0 = unseen */
};

struct pdmv2_kri_tracker {
	unsigned window;
	bool known;
	uint32_t cur;
	GArray *epochs;		/* struct pdmv2_kri_epoch, sorted by kri */
	struct pdmv2_kri_totals totals;
	struct prseq_table tab[2];	/* [0] current phase, [1] previous */
};

enum pdmv2_err
pdmv2_kri_tracker_new(unsigned window, struct pdmv2_kri_tracker **out)
{
	struct pdmv2_kri_tracker *t;

	*out = NULL;
	if (window == 0)
		return PDMV2_ERR_INVALID;
	if (!(t = calloc(1, sizeof(*t))))
		return PDMV2_ERR_NOMEM;
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
	free(t->tab[0].fp);
	free(t->tab[1].fp);
	free(t);
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

	/* Epochs are few and the wanted one is nearly always the last. */
	for (i = t->epochs->len; i > 0; i--) {
		struct pdmv2_kri_epoch *x =
			&g_array_index(t->epochs, struct pdmv2_kri_epoch, i - 1);

		if (x->kri == kri)
			return x;
		if (x->kri < kri)
			break;
	}
	e.kri = kri;
	e.phase = kri & 1u;
	e.first_frame = frame;
	e.first_ts_ns = ts;
	g_array_insert_val(t->epochs, i, e);
	return &g_array_index(t->epochs, struct pdmv2_kri_epoch, i);
}

/* The fingerprint table of one kri, rotating tables forward as needed;
 * NULL for a kri older than both tables (no reuse check possible). */
static uint16_t *
table_for(struct pdmv2_kri_tracker *t, uint32_t kri)
{
	struct prseq_table tmp;

	if (t->tab[0].valid && t->tab[0].kri == kri)
		return t->tab[0].fp;
	if (t->tab[1].valid && t->tab[1].kri == kri)
		return t->tab[1].fp;
	if (t->tab[0].valid && kri < t->tab[0].kri) {
		if (t->tab[1].valid && kri < t->tab[1].kri)
			return NULL;
		/* the phase before the current one, not seen yet */
		if (!t->tab[1].fp)
			t->tab[1].fp = calloc(PRSEQ_SLOTS, sizeof(uint16_t));
		else
			memset(t->tab[1].fp, 0, PRSEQ_SLOTS * sizeof(uint16_t));
		t->tab[1].valid = t->tab[1].fp != NULL;
		t->tab[1].kri = kri;
		return t->tab[1].fp;
	}
	/* A newer phase: the current table becomes the previous one. */
	tmp = t->tab[1];
	t->tab[1] = t->tab[0];
	t->tab[0] = tmp;
	if (!t->tab[0].fp)
		t->tab[0].fp = calloc(PRSEQ_SLOTS, sizeof(uint16_t));
	else
		memset(t->tab[0].fp, 0, PRSEQ_SLOTS * sizeof(uint16_t));
	t->tab[0].valid = t->tab[0].fp != NULL;
	t->tab[0].kri = kri;
	return t->tab[0].fp;
}

static void
check_prseq(struct pdmv2_kri_tracker *t, const struct pdmv2_option *opt,
	    struct pdmv2_kri_result *res)
{
	uint16_t *fp = table_for(t, res->kri);
	uint16_t want;

	if (!fp)
		return;
	/* 16 tag bits tell a replayed packet from a second plaintext under
	 * the same nonce; a false "duplicate" has odds 2^-16. */
	want = (uint16_t)(opt->tag[0] << 8 | opt->tag[1]);
	if (want == 0)
		want = 1;
	if (fp[opt->random & PDMV2_PRSEQ_MAX] == 0)
		fp[opt->random & PDMV2_PRSEQ_MAX] = want;
	else if (fp[opt->random & PDMV2_PRSEQ_MAX] == want)
		res->duplicate = true;
	else
		res->nonce_reuse = true;
}

void
pdmv2_kri_track(struct pdmv2_kri_tracker *t, const struct pdmv2_option *opt,
		uint64_t frame, int64_t ts_ns, pdmv2_kri_open_fn open, void *ctx,
		struct pdmv2_metrics *m, struct pdmv2_kri_result *res)
{
	struct attempt a = {open, ctx, opt, m, res, false};
	struct pdmv2_kri_epoch *e;

	memset(res, 0, sizeof(*res));
	memset(m, 0, sizeof(*m));
	if (!search(t, &a, opt->flag & 1u)) {
		memset(m, 0, sizeof(*m));
		res->status = a.any_auth ? PDMV2_ERR_AUTH : PDMV2_ERR_NO_KEY;
		if (a.any_auth)
			t->totals.auth_failed++;
		else
			t->totals.no_key++;
		return;
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
	}
	check_prseq(t, opt, res);

	e = epoch_for(t, res->kri, frame, ts_ns);
	e->packets++;
	e->last_frame = frame;
	e->last_ts_ns = ts_ns;
	t->totals.opened++;
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
	*out = t->totals;
}
