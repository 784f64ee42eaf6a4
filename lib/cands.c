/*
 * cands.c - a sender direction's key sources, split into secrets and
 * exact sources sorted by phase (cands.h says why).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "cands.h"

/* The one phase an exact source gives a key for; false for a secret. */
static bool
exact_phase(const struct pdmv2_keysrc *ks, uint32_t *phase)
{
	const struct pdmv2_keylog_entry *e = pdmv2_keysrc_entry(ks);

	if (e->label == PDMV2_KL_SESSION_KEY)
		*phase = e->kri;
	else if (e->label == PDMV2_KL_EPOCH_KEY)
		*phase = e->epoch;
	else
		return false;
	return true;
}

struct sortable {
	uint32_t phase;
	uint32_t pos;		/* in lookup order: keeps newest first */
	const struct pdmv2_keysrc *src;
};

static int
by_phase(const void *x, const void *y)
{
	const struct sortable *a = x, *b = y;

	if (a->phase != b->phase)
		return a->phase < b->phase ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

void
pdmv2_cands_init(struct pdmv2_cands *c, struct pdmv2_keylog *kl,
		 const uint8_t ft[PDMV2_FIVE_TUPLE_BYTES],
		 enum pdmv2_layout layout)
{
	const struct pdmv2_keysrc **all;
	struct sortable *ex;
	size_t n = 0, i, nex = 0, nsec = 0;

	memset(c, 0, sizeof(*c));
	if (!kl || !(all = pdmv2_keylog_candidates(kl, ft, layout, &n)))
		return;
	if (n > UINT32_MAX)
		n = UINT32_MAX;
	ex = g_new(struct sortable, n);
	c->src = g_new(const struct pdmv2_keysrc *, n);
	for (i = 0; i < n; i++) {
		uint32_t phase;

		if (exact_phase(all[i], &phase))
			ex[nex++] = (struct sortable){phase, (uint32_t)i, all[i]};
		else
			c->src[nsec++] = all[i];
	}
	qsort(ex, nex, sizeof(*ex), by_phase);
	for (i = 0; i < nex; i++)
		c->src[nsec + i] = ex[i].src;
	c->n = (uint32_t)n;
	c->nsecret = (uint32_t)nsec;
	g_free(ex);
	g_free(all);
}

void
pdmv2_cands_free(struct pdmv2_cands *c)
{
	g_free(c->src);
	memset(c, 0, sizeof(*c));
}

size_t
pdmv2_cands_pick(const struct pdmv2_cands *c, uint32_t phase, size_t tries,
		 uint32_t *out)
{
	uint32_t lo = c->nsecret, hi = c->n, p;
	size_t k = 0, i;

	while (lo < hi) {	/* the first exact source of phase >= this */
		uint32_t mid = lo + (hi - lo) / 2;

		(void)exact_phase(c->src[mid], &p);
		if (p < phase)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < c->n && k < tries; lo++) {
		(void)exact_phase(c->src[lo], &p);
		if (p != phase)
			break;
		out[k++] = lo;
	}
	for (i = 0; i < c->nsecret && i < tries; i++)
		out[k++] = (uint32_t)((c->next + i) % c->nsecret);
	return k;
}

void
pdmv2_cands_rotate(struct pdmv2_cands *c, size_t tries)
{
	if (c->nsecret > tries)
		c->next = (uint32_t)((c->next + tries) % c->nsecret);
}
