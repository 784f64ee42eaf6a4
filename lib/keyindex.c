/*
 * keyindex.c - the key log's entries by what they match (keyindex.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdbool.h>
#include <string.h>

#include "fnv.h"
#include "keyindex.h"

#define NLEN 129			/* prefix lengths 0..128 */

/* A SECRET or PRIMARY_SECRET entry's match: both prefixes, masked.  All
 * bytes, no padding: hashed and compared as memory. */
struct pairkey {
	uint8_t label, plen_a, plen_b;
	uint8_t a[16], b[16];
};

struct lens {
	uint8_t plen_a, plen_b;
};

struct keyindex {
	GHashTable *session;		/* 5-tuple -> GArray of guint */
	GHashTable *pairs;		/* struct pairkey -> GArray of guint */
	/* the pairs of prefix lengths in use, per label, listed once */
	GArray *secret_lens, *primary_lens;	/* struct lens */
	uint8_t secret_seen[NLEN * NLEN / 8 + 1];
	uint8_t primary_seen[NLEN * NLEN / 8 + 1];
};

static guint
session_hash(gconstpointer k)
{
	return pdmv2_fnv1a(k, PDMV2_FIVE_TUPLE_BYTES);
}

static gboolean
session_equal(gconstpointer a, gconstpointer b)
{
	return memcmp(a, b, PDMV2_FIVE_TUPLE_BYTES) == 0;
}

static guint
pair_hash(gconstpointer k)
{
	return pdmv2_fnv1a(k, sizeof(struct pairkey));
}

static gboolean
pair_equal(gconstpointer a, gconstpointer b)
{
	return memcmp(a, b, sizeof(struct pairkey)) == 0;
}

static void
array_unref(gpointer p)
{
	g_array_unref(p);
}

struct keyindex *
keyindex_new(void)
{
	struct keyindex *ki = g_new0(struct keyindex, 1);

	ki->session = g_hash_table_new_full(session_hash, session_equal,
					    g_free, array_unref);
	ki->pairs = g_hash_table_new_full(pair_hash, pair_equal, g_free,
					  array_unref);
	ki->secret_lens = g_array_new(FALSE, FALSE, sizeof(struct lens));
	ki->primary_lens = g_array_new(FALSE, FALSE, sizeof(struct lens));
	return ki;
}

void
keyindex_free(struct keyindex *ki)
{
	if (!ki)
		return;
	g_hash_table_destroy(ki->session);
	g_hash_table_destroy(ki->pairs);
	g_array_free(ki->secret_lens, TRUE);
	g_array_free(ki->primary_lens, TRUE);
	g_free(ki);
}

static void
mask(uint8_t out[16], const uint8_t addr[16], unsigned plen)
{
	unsigned full = plen / 8, rest = plen % 8;

	memset(out, 0, 16);
	memcpy(out, addr, full);
	if (rest)
		out[full] = addr[full] & (uint8_t)(0xFF << (8 - rest));
}

static void
pairkey_make(struct pairkey *k, uint8_t label, unsigned pa, const uint8_t a[16],
	     unsigned pb, const uint8_t b[16])
{
	k->label = label;
	k->plen_a = (uint8_t)pa;
	k->plen_b = (uint8_t)pb;
	mask(k->a, a, pa);
	mask(k->b, b, pb);
}

/* Appends idx to the list under key, made if new (key is copied). */
static void
list_add(GHashTable *t, const void *key, size_t key_len, guint idx)
{
	GArray *list = g_hash_table_lookup(t, key);

	if (!list) {
		list = g_array_new(FALSE, FALSE, sizeof(guint));
		g_hash_table_insert(t, g_memdup2(key, key_len), list);
	}
	g_array_append_val(list, idx);
}

void
keyindex_add(struct keyindex *ki, const struct pdmv2_keylog_entry *e, guint idx)
{
	GArray *lens;
	uint8_t *seen;
	struct pairkey k;
	unsigned bit;

	if (e->label == PDMV2_KL_SESSION_KEY || e->label == PDMV2_KL_EPOCH_KEY) {
		list_add(ki->session, e->five_tuple, PDMV2_FIVE_TUPLE_BYTES, idx);
		return;
	}
	if (e->plen_a > 128 || e->plen_b > 128)
		return;			/* the parser never makes one */
	if (e->label == PDMV2_KL_SECRET) {
		lens = ki->secret_lens;
		seen = ki->secret_seen;
	} else {
		lens = ki->primary_lens;
		seen = ki->primary_seen;
	}
	pairkey_make(&k, (uint8_t)e->label, e->plen_a, e->addr_a, e->plen_b,
		     e->addr_b);
	list_add(ki->pairs, &k, sizeof(k), idx);
	bit = e->plen_a * NLEN + e->plen_b;
	if (!(seen[bit / 8] & (1u << (bit % 8)))) {
		struct lens l = {e->plen_a, e->plen_b};

		seen[bit / 8] |= (uint8_t)(1u << (bit % 8));
		g_array_append_val(lens, l);
	}
}

void
keyindex_session(const struct keyindex *ki,
		 const uint8_t ft[PDMV2_FIVE_TUPLE_BYTES], GArray *out)
{
	GArray *list = g_hash_table_lookup(ki->session, ft);

	if (list)
		g_array_append_vals(out, list->data, list->len);
}

void
keyindex_secret(const struct keyindex *ki, const uint8_t s[16],
		const uint8_t d[16], GArray *out)
{
	struct pairkey k1, k2;
	GArray *list;
	guint i;

	for (i = 0; i < ki->secret_lens->len; i++) {
		const struct lens *l = &g_array_index(ki->secret_lens, struct lens, i);

		pairkey_make(&k1, PDMV2_KL_SECRET, l->plen_a, s, l->plen_b, d);
		pairkey_make(&k2, PDMV2_KL_SECRET, l->plen_a, d, l->plen_b, s);
		if ((list = g_hash_table_lookup(ki->pairs, &k1)))
			g_array_append_vals(out, list->data, list->len);
		/* an entry matching both ways is under k1 only when k2 is
		 * the same key: listed once */
		if (memcmp(&k1, &k2, sizeof(k1)) != 0 &&
		    (list = g_hash_table_lookup(ki->pairs, &k2)))
			g_array_append_vals(out, list->data, list->len);
	}
}

static void
primary_add(GArray *out, const GArray *list, guint client_is_dst)
{
	guint i;

	for (i = 0; list && i < list->len; i++) {
		struct keyindex_primary m = {g_array_index(list, guint, i),
					     client_is_dst};

		g_array_append_val(out, m);
	}
}

static gint
by_entry(gconstpointer a, gconstpointer b, gpointer unused)
{
	const struct keyindex_primary *x = a, *y = b;

	(void)unused;
	if (x->idx != y->idx)
		return x->idx < y->idx ? -1 : 1;
	return (x->client_is_dst > y->client_is_dst) - (x->client_is_dst < y->client_is_dst);
}

void
keyindex_primary(const struct keyindex *ki, const uint8_t s[16],
		 const uint8_t d[16], GArray *out)
{
	bool two_ends = memcmp(s, d, 16) != 0;
	guint i, first = out->len;
	struct pairkey k;

	for (i = 0; i < ki->primary_lens->len; i++) {
		const struct lens *l = &g_array_index(ki->primary_lens, struct lens, i);

		pairkey_make(&k, PDMV2_KL_PRIMARY_SECRET, l->plen_a, s, l->plen_b, d);
		primary_add(out, g_hash_table_lookup(ki->pairs, &k), 0);
		if (two_ends) {
			pairkey_make(&k, PDMV2_KL_PRIMARY_SECRET, l->plen_a, d,
				     l->plen_b, s);
			primary_add(out, g_hash_table_lookup(ki->pairs, &k), 1);
		}
	}
	if (out->len - first > 1)
		g_qsort_with_data(out->data + first * sizeof(struct keyindex_primary),
				  (gint)(out->len - first), sizeof(struct keyindex_primary),
				  by_entry, NULL);
}
