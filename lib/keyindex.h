/*
 * keyindex.h - internal: the key log's entries indexed by what they
 * match (keylog.c), so that finding the candidates for a flow costs a
 * few hash lookups instead of a pass over every line.  A key log with a
 * line per client (thousands of lines) is the common case on a server,
 * and a capture with as many flows looks each of them up.
 *
 * SECRET and PRIMARY_SECRET entries match a pair of address prefixes.
 * They are grouped by their first prefix (a node per distinct a/len);
 * the distinct second prefixes (b/len) are kept in a set of their own.
 * A lookup for (s, d) masks s once per first-prefix length in use and d
 * once per second-prefix length in use (at most 129 probes each: the
 * nodes whose prefix holds s, the second prefixes that hold d), then
 * takes from each node found either its entries one by one or the
 * second prefixes found, whichever is fewer.  So no lookup probes every
 * pair of prefix lengths in use (up to 129 x 129), and a key log built
 * to cover every pair costs a flow that it does not match a handful of
 * probes, not thousands.  SESSION_KEY and EPOCH_KEY entries match one
 * 5-tuple exactly (one list for both).
 *
 * Filled while loading; lookups only read it, from any thread.  Each
 * lookup adds the probes and entry comparisons it made to *work (when
 * not NULL): the tests count it instead of timing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_KEYINDEX_H
#define PDMV2_KEYINDEX_H

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "pdmv2/keylog.h"

struct keyindex;

/* A PRIMARY_SECRET match: entry idx, with the client being the
 * sender's source (0) or destination (1). */
struct keyindex_primary {
	guint idx;
	guint client_is_dst;
};

struct keyindex *keyindex_new(void);
void keyindex_free(struct keyindex *ki);

/* Entry e is entry idx of the key log (indices grow as lines load). */
void keyindex_add(struct keyindex *ki, const struct pdmv2_keylog_entry *e,
		  guint idx);

/* Appends to out (guint) the SESSION_KEY and EPOCH_KEY entries for ft,
 * in file order. */
void keyindex_session(const struct keyindex *ki,
		      const uint8_t ft[PDMV2_FIVE_TUPLE_BYTES], GArray *out);

/* Appends to out (guint) each SECRET entry matching {s, d} in either
 * orientation, once, in no particular order. */
void keyindex_secret(const struct keyindex *ki, const uint8_t s[16],
		     const uint8_t d[16], GArray *out, size_t *work);

/* Appends to out (struct keyindex_primary) each PRIMARY_SECRET match:
 * client prefix over s and server prefix over d, and, when s != d, the
 * other way round; in no particular order. */
void keyindex_primary(const struct keyindex *ki, const uint8_t s[16],
		      const uint8_t d[16], GArray *out, size_t *work);

#endif
