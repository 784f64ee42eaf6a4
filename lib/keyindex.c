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
/* A node with more entries than this also indexes them by second
 * prefix, so that taking the ones that match costs at most one probe
 * per second prefix holding d (keyindex.h). */
#define NODE_SCAN 8

/* An address prefix, masked.  All bytes, no padding: hashed and
 * compared as memory. */
struct pfx {
	uint8_t plen;
	uint8_t addr[16];
};

/* An entry of a node: its second prefix. */
struct item {
	guint idx;
	struct pfx b;
};

/* The entries whose first prefix is one a/len. */
struct anode {
	GArray *items;			/* struct item, file order */
	GHashTable *by_b;		/* struct pfx -> GArray of guint, or NULL */
};

/* The prefixes of one kind (first or second) in use: their lengths,
 * ascending, and markers: each prefix cut at every multiple of 8 bits
 * up to its length.  A lookup probes the lengths in order and stops at
 * the first byte boundary whose marker is missing: no longer prefix can
 * hold the address.  So an address far from every prefix costs a few
 * probes, however many lengths are in use. */
struct lens {
	uint8_t len[NLEN];
	unsigned n;
	bool seen[NLEN];
	GHashTable *marks;		/* struct pfx */
};

/* One label's entries (SECRET or PRIMARY_SECRET). */
struct side {
	GHashTable *a;			/* struct pfx -> struct anode */
	GHashTable *b;			/* struct pfx: second prefixes in use */
	struct lens la, lb;
};

struct keyindex {
	GHashTable *session;		/* 5-tuple -> GArray of guint */
	struct side secret, primary;
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
pfx_hash(gconstpointer k)
{
	return pdmv2_fnv1a(k, sizeof(struct pfx));
}

static gboolean
pfx_equal(gconstpointer a, gconstpointer b)
{
	return memcmp(a, b, sizeof(struct pfx)) == 0;
}

static void
array_unref(gpointer p)
{
	g_array_unref(p);
}

static void
anode_free(gpointer p)
{
	struct anode *n = p;

	g_array_free(n->items, TRUE);
	if (n->by_b)
		g_hash_table_destroy(n->by_b);
	g_free(n);
}

static void
side_init(struct side *s)
{
	s->a = g_hash_table_new_full(pfx_hash, pfx_equal, g_free, anode_free);
	s->b = g_hash_table_new_full(pfx_hash, pfx_equal, g_free, NULL);
	s->la.marks = g_hash_table_new_full(pfx_hash, pfx_equal, g_free, NULL);
	s->lb.marks = g_hash_table_new_full(pfx_hash, pfx_equal, g_free, NULL);
}

static void
side_clear(struct side *s)
{
	g_hash_table_destroy(s->a);
	g_hash_table_destroy(s->b);
	g_hash_table_destroy(s->la.marks);
	g_hash_table_destroy(s->lb.marks);
}

struct keyindex *
keyindex_new(void)
{
	struct keyindex *ki = g_new0(struct keyindex, 1);

	ki->session = g_hash_table_new_full(session_hash, session_equal,
					    g_free, array_unref);
	side_init(&ki->secret);
	side_init(&ki->primary);
	return ki;
}

void
keyindex_free(struct keyindex *ki)
{
	if (!ki)
		return;
	g_hash_table_destroy(ki->session);
	side_clear(&ki->secret);
	side_clear(&ki->primary);
	g_free(ki);
}

static void
pfx_make(struct pfx *p, const uint8_t addr[16], unsigned plen)
{
	unsigned full = plen / 8, rest = plen % 8;

	memset(p, 0, sizeof(*p));
	p->plen = (uint8_t)plen;
	memcpy(p->addr, addr, full);
	if (rest)
		p->addr[full] = addr[full] & (uint8_t)(0xFF << (8 - rest));
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

static void
set_add(GHashTable *t, const struct pfx *p)
{
	if (!g_hash_table_contains(t, p))
		g_hash_table_add(t, g_memdup2(p, sizeof(*p)));
}

/* A prefix of this kind is in use: its length (kept ascending) and its
 * markers. */
static void
lens_add(struct lens *l, const uint8_t addr[16], uint8_t plen)
{
	struct pfx m;
	unsigned i, cut;

	for (cut = 0; cut <= plen; cut += 8) {
		pfx_make(&m, addr, cut);
		set_add(l->marks, &m);
	}
	if (l->seen[plen])
		return;
	l->seen[plen] = true;
	for (i = l->n++; i > 0 && l->len[i - 1] > plen; i--)
		l->len[i] = l->len[i - 1];
	l->len[i] = plen;
}

static void
side_add(struct side *s, const struct pdmv2_keylog_entry *e, guint idx)
{
	struct pfx a;
	struct item it;
	struct anode *node;
	guint i;

	pfx_make(&a, e->addr_a, e->plen_a);
	it.idx = idx;
	pfx_make(&it.b, e->addr_b, e->plen_b);
	if (!(node = g_hash_table_lookup(s->a, &a))) {
		node = g_new0(struct anode, 1);
		node->items = g_array_new(FALSE, FALSE, sizeof(struct item));
		g_hash_table_insert(s->a, g_memdup2(&a, sizeof(a)), node);
	}
	g_array_append_val(node->items, it);
	if (node->by_b) {
		list_add(node->by_b, &it.b, sizeof(it.b), idx);
	} else if (node->items->len > NODE_SCAN) {
		node->by_b = g_hash_table_new_full(pfx_hash, pfx_equal, g_free,
						   array_unref);
		for (i = 0; i < node->items->len; i++) {
			const struct item *x = &g_array_index(node->items, struct item, i);

			list_add(node->by_b, &x->b, sizeof(x->b), x->idx);
		}
	}
	set_add(s->b, &it.b);
	lens_add(&s->la, e->addr_a, e->plen_a);
	lens_add(&s->lb, e->addr_b, e->plen_b);
}

void
keyindex_add(struct keyindex *ki, const struct pdmv2_keylog_entry *e, guint idx)
{
	if (e->label == PDMV2_KL_SESSION_KEY || e->label == PDMV2_KL_EPOCH_KEY) {
		list_add(ki->session, e->five_tuple, PDMV2_FIVE_TUPLE_BYTES, idx);
		return;
	}
	if (e->plen_a > 128 || e->plen_b > 128)
		return;			/* the parser never makes one */
	side_add(e->label == PDMV2_KL_SECRET ? &ki->secret : &ki->primary, e, idx);
}

void
keyindex_session(const struct keyindex *ki,
		 const uint8_t ft[PDMV2_FIVE_TUPLE_BYTES], GArray *out)
{
	GArray *list = g_hash_table_lookup(ki->session, ft);

	if (list)
		g_array_append_vals(out, list->data, list->len);
}

static bool
covers(const struct pfx *p, const uint8_t addr[16])
{
	return pdmv2_prefix_match(p->addr, p->plen, addr);
}

/*
 * Appends each entry of s whose first prefix holds x and second prefix
 * holds y.  With not_yx, leaves out those that also match the other way
 * round (first over y, second over x): the first pass listed them.
 */
/* The lengths of l, ascending, at which a prefix may hold addr: stops
 * at the first byte boundary with no marker.  Returns how many of
 * l->len to probe; adds the marker probes to *w. */
static unsigned
lens_reach(const struct lens *l, const uint8_t addr[16], size_t *w)
{
	struct pfx m;
	unsigned i, next_cut = 0;

	for (i = 0; i < l->n; i++) {
		for (; next_cut <= l->len[i]; next_cut += 8) {
			pfx_make(&m, addr, next_cut);
			(*w)++;
			if (!g_hash_table_contains(l->marks, &m))
				return i;
		}
	}
	return l->n;
}

/*
 * Appends each entry of s whose first prefix holds x and second prefix
 * holds y.  With not_yx, leaves out those that also match the other way
 * round (first over y, second over x): the first pass listed them.
 */
static void
side_match(const struct side *s, const uint8_t x[16], const uint8_t y[16],
	   bool not_yx, GArray *out, size_t *work)
{
	struct pfx bhit[NLEN], p;
	unsigned nb = 0, i, j, reach;
	size_t w = 0;

	/* the second prefixes in use that hold y */
	reach = lens_reach(&s->lb, y, &w);
	for (i = 0; i < reach; i++) {
		pfx_make(&bhit[nb], y, s->lb.len[i]);
		w++;
		if (g_hash_table_contains(s->b, &bhit[nb]))
			nb++;
	}
	reach = nb ? lens_reach(&s->la, x, &w) : 0;
	for (i = 0; i < reach; i++) {
		const struct anode *node;
		bool a_holds_y;

		pfx_make(&p, x, s->la.len[i]);
		w++;
		if (!(node = g_hash_table_lookup(s->a, &p)))
			continue;
		a_holds_y = not_yx && covers(&p, y);
		if (!node->by_b || node->items->len <= nb) {
			for (j = 0; j < node->items->len; j++) {
				const struct item *it = &g_array_index(node->items,
								       struct item, j);

				w++;
				if (covers(&it->b, y) && !(a_holds_y && covers(&it->b, x)))
					g_array_append_val(out, it->idx);
			}
			continue;
		}
		for (j = 0; j < nb; j++) {
			GArray *list;

			w++;
			if ((list = g_hash_table_lookup(node->by_b, &bhit[j])) &&
			    !(a_holds_y && covers(&bhit[j], x)))
				g_array_append_vals(out, list->data, list->len);
		}
	}
	if (work)
		*work += w;
}

void
keyindex_secret(const struct keyindex *ki, const uint8_t s[16],
		const uint8_t d[16], GArray *out, size_t *work)
{
	side_match(&ki->secret, s, d, false, out, work);
	/* an entry matching both ways is listed once */
	if (memcmp(s, d, 16) != 0)
		side_match(&ki->secret, d, s, true, out, work);
}

/* Appends the matches found in tmp as PRIMARY_SECRET matches. */
static void
primary_take(GArray *out, GArray *tmp, guint client_is_dst)
{
	guint i;

	for (i = 0; i < tmp->len; i++) {
		struct keyindex_primary m = {g_array_index(tmp, guint, i),
					     client_is_dst};

		g_array_append_val(out, m);
	}
	g_array_set_size(tmp, 0);
}

void
keyindex_primary(const struct keyindex *ki, const uint8_t s[16],
		 const uint8_t d[16], GArray *out, size_t *work)
{
	GArray *tmp = g_array_new(FALSE, FALSE, sizeof(guint));

	side_match(&ki->primary, s, d, false, tmp, work);
	primary_take(out, tmp, 0);
	/* both orientations are candidates: each gives another client */
	if (memcmp(s, d, 16) != 0) {
		side_match(&ki->primary, d, s, false, tmp, work);
		primary_take(out, tmp, 1);
	}
	g_array_free(tmp, TRUE);
}
