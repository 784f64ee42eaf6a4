/*
 * test_keylog.c - key log parsing, diagnostics and lookup order
 * (PROFILE.md 8).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <pthread.h>
#include <cmocka.h>
#include <glib.h>

#include "pdmv2/crypto.h"
#include "pdmv2/keylog.h"
#include "keyindex.h"
#include "vectors.h"

static struct pdmv2_keylog *
load(const char *name)
{
	struct pdmv2_keylog *kl;

	assert_int_equal(pdmv2_keylog_new(&kl), PDMV2_OK);
	assert_int_equal(pdmv2_keylog_load_file(kl, test_data_path(name)), PDMV2_OK);
	return kl;
}

static void
ft_of(const char *s, const char *d, uint16_t sp, uint16_t dp, uint8_t proto,
      uint8_t ft[37])
{
	uint8_t a[16], b[16];

	assert_int_equal(inet_pton(AF_INET6, s, a), 1);
	assert_int_equal(inet_pton(AF_INET6, d, b), 1);
	pdmv2_five_tuple(a, b, sp, dp, proto, ft);
}

static void
test_good_file_loads_every_label_and_skips_unknown_with_warning(void **state)
{
	struct pdmv2_keylog *kl = load("keylog/good.keylog");
	const struct pdmv2_keylog_diag *d;

	(void)state;
	assert_int_equal(pdmv2_keylog_count(kl), 4);
	assert_int_equal(pdmv2_keylog_nerrors(kl), 0);
	assert_int_equal(pdmv2_keylog_ndiag(kl), 1);
	d = pdmv2_keylog_diag(kl, 0);
	assert_false(d->is_error);
	assert_int_equal(d->line, 7);
	assert_non_null(strstr(d->message, "SOME_FUTURE_LABEL"));
	assert_int_equal(pdmv2_keylog_entry(kl, 0)->label, PDMV2_KL_SECRET);
	assert_int_equal(pdmv2_keylog_entry(kl, 1)->aead, PDMV2_AEAD_AES256GCM);
	assert_int_equal(pdmv2_keylog_entry(kl, 1)->plen_a, 32);
	assert_int_equal(pdmv2_keylog_entry(kl, 1)->plen_b, 0);
	assert_int_equal(pdmv2_keylog_entry(kl, 2)->label, PDMV2_KL_PRIMARY_SECRET);
	assert_int_equal(pdmv2_keylog_entry(kl, 3)->label, PDMV2_KL_SESSION_KEY);
	pdmv2_keylog_free(kl);
}

static void
test_each_malformed_field_is_reported_with_its_line(void **state)
{
	static const struct {
		unsigned line;
		const char *words;
	} want[] = {
		{2, "hex"}, {3, "hex"}, {4, "32 bytes"}, {5, "address"},
		{6, "address"}, {7, "suite"}, {8, "fields"}, {9, "fields"},
		{10, "key must be"},
	};
	struct pdmv2_keylog *kl = load("keylog/bad.keylog");
	size_t i;

	(void)state;
	assert_int_equal(pdmv2_keylog_nerrors(kl), sizeof(want) / sizeof(want[0]));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct pdmv2_keylog_diag *d = pdmv2_keylog_diag(kl, i);

		assert_true(d->is_error);
		assert_int_equal(d->line, want[i].line);
		assert_non_null(strstr(d->file, "bad.keylog"));
		if (!strstr(d->message, want[i].words))
			fail_msg("line %u: \"%s\" lacks \"%s\"", d->line, d->message,
				 want[i].words);
	}
	/* the one good line after them still loaded */
	assert_int_equal(pdmv2_keylog_count(kl), 1);
	assert_int_equal(pdmv2_keylog_entry(kl, 0)->line, 11);
	pdmv2_keylog_free(kl);
}

static void
test_lookup_orders_session_key_then_specific_then_primary(void **state)
{
	struct pdmv2_keylog *kl = load("keylog/good.keylog");
	const struct pdmv2_keysrc *src[8];
	uint8_t ft[37], key[32], nonce[12];
	enum pdmv2_aead aead;
	size_t n;

	(void)state;
	ft_of("2001:db8::1", "2001:db8::2", 40000, 443, 17, ft);
	n = pdmv2_keylog_lookup(kl, ft, src, 8);
	/* both endpoints are in the primary entry's client prefix: each
	 * may be the client, so both secondaries are candidates */
	assert_int_equal(n, 5);
	assert_int_equal(pdmv2_keysrc_entry(src[0])->label, PDMV2_KL_SESSION_KEY);
	assert_int_equal(pdmv2_keysrc_entry(src[1])->line, 3);	/* /128 + /128 */
	assert_int_equal(pdmv2_keysrc_entry(src[2])->line, 4);	/* /32 + * */
	assert_int_equal(pdmv2_keysrc_entry(src[3])->label, PDMV2_KL_PRIMARY_SECRET);
	assert_int_equal(pdmv2_keysrc_entry(src[4])->label, PDMV2_KL_PRIMARY_SECRET);
	assert_ptr_not_equal(src[3], src[4]);
	/* the session key gives its kri only, and only for its direction */
	assert_int_equal(pdmv2_keysrc_derive(src[0], ft, 0, &aead, key, nonce), PDMV2_OK);
	assert_int_equal(pdmv2_keysrc_derive(src[0], ft, 1, &aead, key, nonce),
			 PDMV2_ERR_NO_KEY);
	/* the reverse direction: no session key; SECRET is unordered */
	ft_of("2001:db8::2", "2001:db8::1", 443, 40000, 17, ft);
	n = pdmv2_keylog_lookup(kl, ft, src, 8);
	assert_int_equal(n, 4);
	assert_int_equal(pdmv2_keysrc_entry(src[0])->line, 3);
	/* an unrelated pair: only the "*" and primary entries */
	ft_of("2001:db9::1", "2001:db9::2", 1, 2, 17, ft);
	assert_int_equal(pdmv2_keylog_lookup(kl, ft, src, 8), 0);
	pdmv2_keylog_free(kl);
}

/* The lookup order of PROFILE.md 8 by a pass over every entry, newest
 * line first (keylog.h): the model for the index. */
static size_t
model_lookup(const struct pdmv2_keylog *kl, const uint8_t ft[37],
	     const struct pdmv2_keylog_entry **out)
{
	const uint8_t *s = ft, *d = ft + 16;
	size_t i, j, n = 0, first;

	for (i = pdmv2_keylog_count(kl); i-- > 0;) {
		const struct pdmv2_keylog_entry *e = pdmv2_keylog_entry(kl, i);

		if (e->label == PDMV2_KL_SESSION_KEY && memcmp(e->five_tuple, ft, 37) == 0)
			out[n++] = e;
	}
	first = n;
	for (i = pdmv2_keylog_count(kl); i-- > 0;) {
		const struct pdmv2_keylog_entry *e = pdmv2_keylog_entry(kl, i);

		if (e->label == PDMV2_KL_SECRET &&
		    ((pdmv2_prefix_match(e->addr_a, e->plen_a, s) &&
		      pdmv2_prefix_match(e->addr_b, e->plen_b, d)) ||
		     (pdmv2_prefix_match(e->addr_a, e->plen_a, d) &&
		      pdmv2_prefix_match(e->addr_b, e->plen_b, s))))
			out[n++] = e;
	}
	/* most specific first, the newest line first among equals (insertion sort
	 * keeps it stable) */
	for (i = first + 1; i < n; i++)
		for (j = i; j > first && out[j]->plen_a + out[j]->plen_b >
					 out[j - 1]->plen_a + out[j - 1]->plen_b; j--) {
			const struct pdmv2_keylog_entry *t = out[j];

			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	for (i = pdmv2_keylog_count(kl); i-- > 0;) {
		const struct pdmv2_keylog_entry *e = pdmv2_keylog_entry(kl, i);

		if (e->label != PDMV2_KL_PRIMARY_SECRET)
			continue;
		if (pdmv2_prefix_match(e->addr_a, e->plen_a, s) &&
		    pdmv2_prefix_match(e->addr_b, e->plen_b, d))
			out[n++] = e;
		if (pdmv2_prefix_match(e->addr_a, e->plen_a, d) &&
		    pdmv2_prefix_match(e->addr_b, e->plen_b, s) && memcmp(s, d, 16) != 0)
			out[n++] = e;
	}
	return n;
}

/* Random key logs over a few addresses and prefixes that overlap in
 * every way (nested, host bits set, "*", both orientations, S == D):
 * the indexed lookup gives the model's candidates in the model's order,
 * and a primary entry that fits both ways gives two distinct sources. */
static void
test_indexed_lookup_matches_a_pass_over_every_entry(void **state)
{
	static const char *const addrs[] = {
		"2001:db8:a::1", "2001:db8:a::2", "2001:db8:a::3", "2001:db8:b::1",
	};
	static const char *const prefixes[] = {
		"*", "2001:db8::/32", "2001:db8:a::/48", "2001:db8:a::/126",
		"2001:db8:a::2/127", "2001:db8:a::1", "2001:db8:a::2", "2001:db8:a::3",
		"2001:db8:b::1", "2001:db8:b::/64", "2001:db8:a::1/128", "::/0",
	};
	static const char *const secret =
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	uint32_t rng = 0x5eed;
	unsigned round, checked = 0, both_ways = 0;

	(void)state;
	for (round = 0; round < 300; round++) {
		GString *text = g_string_new("");
		struct pdmv2_keylog *kl;
		unsigned i, lines = 1 + test_xorshift32(&rng) % 40;

		for (i = 0; i < lines; i++) {
			uint32_t r = test_xorshift32(&rng);
			const char *a = prefixes[(r >> 4) % G_N_ELEMENTS(prefixes)];
			const char *b = prefixes[(r >> 12) % G_N_ELEMENTS(prefixes)];

			switch (r % 3) {
			case 0:
				g_string_append_printf(text, "PDMV2_SECRET %s %s aes128gcm %s -\n",
						       a, b, secret);
				break;
			case 1:
				g_string_append_printf(text, "PDMV2_PRIMARY_SECRET %s %s "
						       "aes128gcm %s -\n", a, b, secret);
				break;
			default:
				g_string_append_printf(text, "PDMV2_SESSION_KEY %s %u %s %u 17 %u "
						       "aes128gcm 000102030405060708090a0b0c0d0e0f "
						       "000102030405060708090a0b\n",
						       addrs[(r >> 4) % 4], 1 + (r >> 8) % 2,
						       addrs[(r >> 12) % 4], 1 + (r >> 16) % 2,
						       (r >> 20) % 2);
			}
		}
		assert_int_equal(pdmv2_keylog_new(&kl), PDMV2_OK);
		assert_int_equal(pdmv2_keylog_load_buffer(kl, "model", text->str, text->len),
				 PDMV2_OK);
		assert_int_equal(pdmv2_keylog_nerrors(kl), 0);
		assert_int_equal(pdmv2_keylog_count(kl), lines);
		for (i = 0; i < 16; i++) {
			const struct pdmv2_keylog_entry *want[128];
			const struct pdmv2_keysrc *got[128];
			uint32_t r = test_xorshift32(&rng);
			uint8_t ft[37];
			size_t n, k;

			ft_of(addrs[r % 4], addrs[(r >> 2) % 4], 1 + (r >> 4) % 2,
			      1 + (r >> 5) % 2, 17, ft);
			n = model_lookup(kl, ft, want);
			assert_int_equal(pdmv2_keylog_lookup(kl, ft, got, 128), n);
			for (k = 0; k < n; k++) {
				assert_ptr_equal(pdmv2_keysrc_entry(got[k]), want[k]);
				if (k > 0 && want[k] == want[k - 1] &&
				    want[k]->label == PDMV2_KL_PRIMARY_SECRET) {
					assert_ptr_not_equal(got[k], got[k - 1]);
					both_ways++;
				}
			}
			/* a short out array: the same total, the first ones */
			if (n > 2) {
				const struct pdmv2_keysrc *few[2];

				assert_int_equal(pdmv2_keylog_lookup(kl, ft, few, 2), n);
				assert_ptr_equal(few[0], got[0]);
				assert_ptr_equal(few[1], got[1]);
			}
			checked += n > 0;
		}
		pdmv2_keylog_free(kl);
		g_string_free(text, TRUE);
	}
	/* the walk reached the interesting cases */
	assert_true(checked > 2000);
	assert_true(both_ways > 50);
}

/* Work of looking up flows in a key index of n entries built by line(). */
static size_t
index_work(void (*line)(struct pdmv2_keylog_entry *, unsigned, uint32_t *),
	   unsigned n, unsigned flows, size_t *found)
{
	struct keyindex *ki = keyindex_new();
	GArray *out = g_array_new(FALSE, FALSE, sizeof(guint));
	GArray *prim = g_array_new(FALSE, FALSE, sizeof(struct keyindex_primary));
	uint32_t rng = 0xfeed;
	size_t work = 0;
	unsigned i, k;

	for (i = 0; i < n; i++) {
		struct pdmv2_keylog_entry e;

		memset(&e, 0, sizeof(e));
		line(&e, i, &rng);
		keyindex_add(ki, &e, i);
		e.label = PDMV2_KL_PRIMARY_SECRET;
		keyindex_add(ki, &e, n + i);
	}
	*found = 0;
	for (i = 0; i < flows; i++) {
		uint8_t s[16], d[16];

		for (k = 0; k < 16; k += 4) {	/* random flows */
			uint32_t r1 = test_xorshift32(&rng), r2 = test_xorshift32(&rng);

			memcpy(s + k, &r1, 4);
			memcpy(d + k, &r2, 4);
		}
		g_array_set_size(out, 0);
		g_array_set_size(prim, 0);
		keyindex_secret(ki, s, d, out, &work);
		keyindex_primary(ki, s, d, prim, &work);
		*found += out->len + prim->len;
	}
	g_array_free(out, TRUE);
	g_array_free(prim, TRUE);
	keyindex_free(ki);
	return work;
}

/* One line per pair of prefix lengths (129 x 129), all over one pair of
 * addresses: what made every lookup probe every pair of lengths. */
static void
every_length_pair(struct pdmv2_keylog_entry *e, unsigned i, uint32_t *rng)
{
	(void)rng;
	e->label = PDMV2_KL_SECRET;
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:1::1", e->addr_a), 1);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:2::1", e->addr_b), 1);
	e->plen_a = (uint8_t)(i / 129);
	e->plen_b = (uint8_t)(i % 129);
}

/* A server's key log: one /128 pair per client. */
static void
one_pair_per_client(struct pdmv2_keylog_entry *e, unsigned i, uint32_t *rng)
{
	unsigned k;

	e->label = PDMV2_KL_SECRET;
	for (k = 0; k < 16; k += 4) {
		uint32_t r1 = test_xorshift32(rng), r2 = test_xorshift32(rng);

		memcpy(e->addr_a + k, &r1, 4);
		memcpy(e->addr_b + k, &r2, 4);
	}
	(void)i;
	e->plen_a = e->plen_b = 128;
}

/* Issue 24: a key log of 16,641 lines covering every pair of prefix
 * lengths made each of 2,000 flows probe 2 x 16,641 keys.  Counted, not
 * timed: the crafted key log costs a lookup at most ten times what a
 * random one of the same size does (the old index: some 10,000 times). */
static void
test_lookup_work_does_not_grow_with_prefix_length_pairs(void **state)
{
	size_t crafted, random, found_c, found_r;

	(void)state;
	crafted = index_work(every_length_pair, 129 * 129, 2000, &found_c);
	random = index_work(one_pair_per_client, 129 * 129, 2000, &found_r);
	print_message("work: crafted %zu, random %zu (2000 flows, %u lines)\n",
		      crafted, random, 129 * 129);
	/* "*" lines match every flow, in both orientations and as primary */
	assert_true(found_c >= 2000 * 2);
	assert_int_equal(found_r, 0);
	assert_true(crafted <= 10 * random);
}

static void
test_primary_secret_derives_the_vectors_secondary_secret(void **state)
{
	json_object *vec = test_load_vectors("pdmv2-profile.json");
	json_object *c0 = json_object_array_get_idx(
		test_get(vec, "session_keys_and_options"), 0);
	json_object *s0 = json_object_array_get_idx(test_get(vec, "secondary_secrets"), 0);
	uint8_t secondary[32], prk[32], key[32], nonce[12], want_key[32], ft[37];
	char line[512];
	struct pdmv2_keylog *kl;
	const struct pdmv2_keysrc *src[4];
	enum pdmv2_aead aead;

	(void)state;
	/* Expected: the vector's secondary secret, through the profile's
	 * session derivation for case 0's 5-tuple. */
	test_hex(test_get_str(s0, "secondary_secret"), secondary, 32);
	assert_int_equal(pdmv2_derive_prk(PDMV2_AEAD_AES128GCM, secondary, NULL, 0, prk),
			 PDMV2_OK);
	ft_of(test_get_str(c0, "saddr"), test_get_str(c0, "daddr"), 40000, 443, 17, ft);
	assert_int_equal(pdmv2_derive_session(PDMV2_AEAD_AES128GCM, prk, ft, 0,
					      want_key, nonce), PDMV2_OK);
	snprintf(line, sizeof(line),
		 "PDMV2_PRIMARY_SECRET %s/128 * aes128gcm %s -\n",
		 test_get_str(s0, "client"), test_get_str(s0, "pms"));
	pdmv2_keylog_new(&kl);
	pdmv2_keylog_load_buffer(kl, "mem", line, strlen(line));
	assert_int_equal(pdmv2_keylog_count(kl), 1);
	assert_int_equal(pdmv2_keylog_lookup(kl, ft, src, 4), 1);
	assert_int_equal(pdmv2_keysrc_derive(src[0], ft, 0, &aead, key, nonce), PDMV2_OK);
	assert_memory_equal(key, want_key, 16);
	pdmv2_keylog_free(kl);
	json_object_put(vec);
}

/* pdmv2-analyze looks keys up from two threads at once: a lookup that
 * derives a PRIMARY_SECRET's secondary secret for a new client caches
 * it, and every lookup must find the one cached source. */
#define CLIENTS 64

struct lookups {
	struct pdmv2_keylog *kl;
	bool backwards;
	const struct pdmv2_keysrc *got[CLIENTS];
};

static void *
look_up_all(void *p)
{
	struct lookups *l = p;
	uint8_t ft[37];
	char client[64];
	unsigned i;

	for (i = 0; i < CLIENTS; i++) {
		unsigned c = l->backwards ? CLIENTS - 1 - i : i;
		const struct pdmv2_keysrc *src[2];

		snprintf(client, sizeof(client), "2001:db8:c::%x", c + 1);
		ft_of(client, "2001:db8:5::1", 40000, 443, 17, ft);
		if (pdmv2_keylog_lookup(l->kl, ft, src, 2) == 1)
			l->got[c] = src[0];
	}
	return NULL;
}

static void
test_lookups_from_two_threads_share_one_cache(void **state)
{
	static const char text[] = "PDMV2_PRIMARY_SECRET 2001:db8:c::/48 * aes128gcm "
		"0707070707070707070707070707070707070707070707070707070707070707 -\n";
	struct lookups a = {0}, b = {0};
	pthread_t t;
	unsigned i;

	(void)state;
	pdmv2_keylog_new(&a.kl);
	pdmv2_keylog_load_buffer(a.kl, "mem", text, strlen(text));
	assert_int_equal(pdmv2_keylog_count(a.kl), 1);
	b.kl = a.kl;
	b.backwards = true;
	assert_int_equal(pthread_create(&t, NULL, look_up_all, &a), 0);
	look_up_all(&b);
	pthread_join(t, NULL);
	for (i = 0; i < CLIENTS; i++) {
		assert_non_null(a.got[i]);
		assert_ptr_equal(a.got[i], b.got[i]);
		if (i)
			assert_ptr_not_equal(a.got[i], a.got[i - 1]);
	}
	pdmv2_keylog_free(a.kl);
}

static void
test_unreadable_file_is_an_io_error_with_a_diagnostic(void **state)
{
	struct pdmv2_keylog *kl;

	(void)state;
	pdmv2_keylog_new(&kl);
	assert_int_equal(pdmv2_keylog_load_file(kl, "/nonexistent/key.log"), PDMV2_ERR_IO);
	assert_int_equal(pdmv2_keylog_ndiag(kl), 1);
	assert_int_equal(pdmv2_keylog_diag(kl, 0)->line, 0);
	assert_int_equal(pdmv2_keylog_load_file(kl, "/"), PDMV2_ERR_IO);
	pdmv2_keylog_free(kl);
}

static void
test_long_lines_and_nul_bytes_are_errors_not_hangs(void **state)
{
	static char buf[PDMV2_KEYLOG_LINE_MAX * 3];
	struct pdmv2_keylog *kl;
	size_t n;

	(void)state;
	memset(buf, 'A', PDMV2_KEYLOG_LINE_MAX + 10);
	n = PDMV2_KEYLOG_LINE_MAX + 10;
	buf[n++] = '\n';
	memcpy(buf + n, "PDMV2_SECRET\0x\n", 15);
	n += 15;
	pdmv2_keylog_new(&kl);
	pdmv2_keylog_load_buffer(kl, "mem", buf, n);
	assert_int_equal(pdmv2_keylog_nerrors(kl), 2);
	assert_int_equal(pdmv2_keylog_diag(kl, 0)->line, 1);
	assert_non_null(strstr(pdmv2_keylog_diag(kl, 1)->message, "NUL"));
	pdmv2_keylog_free(kl);
}

static const char valid_secret[] =
	"PDMV2_SECRET 2001:db8::1 2001:db8::2 aes128gcm "
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f -\n";

static void
test_byte_order_mark_is_skipped(void **state)
{
	char buf[256];
	struct pdmv2_keylog *kl;

	(void)state;
	snprintf(buf, sizeof(buf), "\xEF\xBB\xBF%s", valid_secret);
	pdmv2_keylog_new(&kl);
	pdmv2_keylog_load_buffer(kl, "bom", buf, strlen(buf));
	assert_int_equal(pdmv2_keylog_count(kl), 1);
	assert_int_equal(pdmv2_keylog_ndiag(kl), 0);
	pdmv2_keylog_free(kl);
}

static void
test_field_count_is_the_true_one(void **state)
{
	static const char line[] = "PDMV2_SECRET a b c d e f g h i j k l m n o p q r s t\n";
	struct pdmv2_keylog *kl;

	(void)state;
	pdmv2_keylog_new(&kl);
	pdmv2_keylog_load_buffer(kl, "many", line, strlen(line));
	assert_int_equal(pdmv2_keylog_nerrors(kl), 1);
	assert_non_null(strstr(pdmv2_keylog_diag(kl, 0)->message, "got 20"));
	pdmv2_keylog_free(kl);
}

/* A million bad lines: every one counted, a bounded list kept, the last
 * entry of which says how many were left out. */
static void
test_many_bad_lines_keep_a_bounded_list(void **state)
{
	GString *text = g_string_new("");
	struct pdmv2_keylog *kl;
	const struct pdmv2_keylog_diag *last;
	unsigned i;

	(void)state;
	for (i = 0; i < 1000000; i++)
		g_string_append(text, "PDMV2_SECRET x\n");
	g_string_append(text, valid_secret);
	pdmv2_keylog_new(&kl);
	pdmv2_keylog_load_buffer(kl, "bad", text->str, text->len);
	assert_int_equal(pdmv2_keylog_nerrors(kl), 1000000);
	assert_int_equal(pdmv2_keylog_count(kl), 1);
	assert_int_equal(pdmv2_keylog_ndiag(kl), PDMV2_KEYLOG_DIAG_MAX + 1);
	last = pdmv2_keylog_diag(kl, PDMV2_KEYLOG_DIAG_MAX);
	assert_int_equal(last->line, 0);
	assert_non_null(strstr(last->message, "999900 more"));
	pdmv2_keylog_free(kl);
	g_string_free(text, TRUE);
}

static void
on_alarm(int sig)
{
	(void)sig;
	_exit(3);	/* blocked: a failure, not a hang */
}

static void
test_oversized_file_and_fifo_without_writer(void **state)
{
	char dir[] = "/tmp/pdmv2-keylog-XXXXXX", path[64];
	struct pdmv2_keylog *kl;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* one byte over the limit, sparse */
	snprintf(path, sizeof(path), "%s/big", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)PDMV2_KEYLOG_SIZE_MAX + 1), 0);
	close(fd);
	pdmv2_keylog_new(&kl);
	assert_int_equal(pdmv2_keylog_load_file(kl, path), PDMV2_ERR_IO);
	assert_int_equal(errno, EFBIG);
	assert_non_null(strstr(pdmv2_keylog_diag(kl, 0)->file, "big"));
	assert_non_null(strstr(pdmv2_keylog_diag(kl, 0)->message, "64 MiB"));
	pdmv2_keylog_free(kl);
	unlink(path);
	/* a FIFO nobody writes: empty, at once */
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	signal(SIGALRM, on_alarm);
	alarm(20);
	pdmv2_keylog_new(&kl);
	assert_int_equal(pdmv2_keylog_load_file(kl, path), PDMV2_OK);
	alarm(0);
	assert_int_equal(pdmv2_keylog_count(kl), 0);
	pdmv2_keylog_free(kl);
	unlink(path);
	rmdir(dir);
}

static void
test_prefix_text_forms(void **state)
{
	uint8_t a[16], b[16];
	uint8_t plen;

	(void)state;
	assert_int_equal(pdmv2_parse_prefix("*", a, &plen), PDMV2_OK);
	assert_int_equal(plen, 0);
	assert_int_equal(pdmv2_parse_prefix("2001:db8::/33", a, &plen), PDMV2_OK);
	assert_int_equal(plen, 33);
	inet_pton(AF_INET6, "2001:db8:7fff::1", b);
	assert_true(pdmv2_prefix_match(a, 33, b));
	inet_pton(AF_INET6, "2001:db8:8000::1", b);
	assert_false(pdmv2_prefix_match(a, 33, b));
	assert_int_equal(pdmv2_parse_prefix("2001:db8::/", a, &plen), PDMV2_ERR_MALFORMED);
	assert_int_equal(pdmv2_parse_prefix("2001:db8::/-1", a, &plen), PDMV2_ERR_MALFORMED);
	assert_int_equal(pdmv2_parse_prefix("10.0.0.1", a, &plen), PDMV2_ERR_MALFORMED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file_loads_every_label_and_skips_unknown_with_warning),
		cmocka_unit_test(test_each_malformed_field_is_reported_with_its_line),
		cmocka_unit_test(test_lookup_orders_session_key_then_specific_then_primary),
		cmocka_unit_test(test_indexed_lookup_matches_a_pass_over_every_entry),
		cmocka_unit_test(test_lookup_work_does_not_grow_with_prefix_length_pairs),
		cmocka_unit_test(test_primary_secret_derives_the_vectors_secondary_secret),
		cmocka_unit_test(test_lookups_from_two_threads_share_one_cache),
		cmocka_unit_test(test_unreadable_file_is_an_io_error_with_a_diagnostic),
		cmocka_unit_test(test_long_lines_and_nul_bytes_are_errors_not_hangs),
		cmocka_unit_test(test_prefix_text_forms),
		cmocka_unit_test(test_byte_order_mark_is_skipped),
		cmocka_unit_test(test_field_count_is_the_true_one),
		cmocka_unit_test(test_many_bad_lines_keep_a_bounded_list),
		cmocka_unit_test(test_oversized_file_and_fifo_without_writer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
