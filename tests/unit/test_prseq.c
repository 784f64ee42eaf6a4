/*
 * test_prseq.c - the PRSEQ record of a key phase (lib/prseq.c) against a
 * plain model: a fingerprint per PRSEQ value.  Phases of every size
 * cross the sparse/dense switch, with repeats, reuses and resets.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "prseq.h"
#include "vectors.h"

#define VALUES 32768

static uint32_t rng = 12345;

static uint32_t
next(void)
{
	return test_xorshift32(&rng);
}

/* One phase of n packets: each packet a fresh PRSEQ, or (1 in 8) one
 * already sent, with its own fingerprint (a duplicate) or another one
 * (a nonce reuse).  The record must answer as the model does, except
 * that a dense record may call a repeat of an old first sighting (past
 * PRSEQ_RECENT_KEPT) a reuse: its fingerprint is no longer kept. */
static void
phase(struct prseq_record *r, unsigned n, unsigned *seen_dense,
      unsigned *old_repeats)
{
	static uint16_t model[VALUES];	/* 0: not seen */
	static uint16_t sent[VALUES];
	static uint32_t rank_of[VALUES];	/* first sightings before it */
	unsigned i, nsent = 0, dup = 0, reuse = 0;

	memset(model, 0, sizeof(model));
	for (i = 0; i < n; i++) {
		uint16_t v, fp;
		enum prseq_seen want, got;
		bool old;

		if (nsent && next() % 8 == 0) {
			v = sent[next() % nsent];
			fp = next() % 2 ? model[v] : (uint16_t)(model[v] % 65535 + 1);
		} else {
			do
				v = (uint16_t)(next() % VALUES);
			while (model[v] && nsent < VALUES);
			fp = (uint16_t)(next() % 65535 + 1);
		}
		if (!model[v])
			want = PRSEQ_NEW;
		else
			want = model[v] == fp ? PRSEQ_DUPLICATE : PRSEQ_REUSE;
		old = model[v] && r->dense &&
		      nsent - rank_of[v] > PRSEQ_RECENT_KEPT;
		got = prseq_record_add(r, v, fp);
		if (old && want == PRSEQ_DUPLICATE && got == PRSEQ_REUSE)
			want = PRSEQ_REUSE;	/* allowed: prseq.h */
		assert_int_equal(got, want);
		*old_repeats += old;
		if (want == PRSEQ_NEW) {
			model[v] = fp;
			rank_of[v] = nsent;
			sent[nsent++] = v;
		}
		dup += want == PRSEQ_DUPLICATE;
		reuse += want == PRSEQ_REUSE;
	}
	if (n >= 64) {	/* the phase did exercise both kinds of repeat */
		assert_true(dup > 0);
		assert_true(reuse > 0);
	}
	*seen_dense += r->dense;
}

static void
test_record_matches_model_across_sizes_and_resets(void **state)
{
	static const unsigned sizes[] = {1, 5, 200, 40, 255, 256, 257, 300,
					 3, 5000, 17, 20000};
	struct prseq_record r = {0};
	unsigned i, dense = 0, old = 0;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		prseq_record_reset(&r);
		phase(&r, sizes[i], &dense, &old);
	}
	assert_true(old > 100);	/* the long phases did repeat old PRSEQs */
	/* small phases stay sparse until one needs more than 256 PRSEQs,
	 * and a dense record stays dense */
	assert_true(dense >= 4 && dense <= 8);
	assert_true(r.dense);
	prseq_record_free(&r);
}

static void
test_small_phase_is_sparse_and_small(void **state)
{
	struct prseq_record r = {0};
	unsigned i;

	(void)state;
	for (i = 1; i <= 200; i++)
		assert_int_equal(prseq_record_add(&r, (uint16_t)(i * 97), 7), PRSEQ_NEW);
	assert_false(r.dense);
	assert_null(r.seen);
	assert_int_equal(r.nslot, 512);		/* 2 KiB, half full at most */
	assert_int_equal(prseq_record_add(&r, 97, 7), PRSEQ_DUPLICATE);
	assert_int_equal(prseq_record_add(&r, 194, 8), PRSEQ_REUSE);
	prseq_record_reset(&r);
	assert_int_equal(prseq_record_add(&r, 97, 8), PRSEQ_NEW);
	prseq_record_free(&r);
}

/* A new phase sized like the last one: its table is there from the
 * first PRSEQ, the phase never regrows it, and it answers the same. */
static void
test_phase_sized_like_the_last(void **state)
{
	struct prseq_record last = {0}, r = {0}, dense = {0};
	uint32_t *table;
	unsigned i, seen_dense = 0, old = 0;

	(void)state;
	for (i = 1; i <= 200; i++)
		(void)prseq_record_add(&last, (uint16_t)(i * 97), 7);
	prseq_record_size_like(&r, &last);
	assert_int_equal(r.nslot, 512);
	table = r.slot;
	for (i = 1; i <= 200; i++)
		assert_int_equal(prseq_record_add(&r, (uint16_t)(i * 31), 3), PRSEQ_NEW);
	assert_ptr_equal(r.slot, table);	/* no regrowth */
	assert_int_equal(prseq_record_add(&r, 31, 3), PRSEQ_DUPLICATE);
	assert_int_equal(prseq_record_add(&r, 62, 4), PRSEQ_REUSE);
	/* not shrunk by a smaller last phase, nor touched once in use */
	prseq_record_reset(&last);
	(void)prseq_record_add(&last, 5, 5);
	prseq_record_size_like(&r, &last);
	assert_ptr_equal(r.slot, table);
	/* after a dense phase: the largest sparse table, then the model */
	for (i = 1; i <= 300; i++)
		(void)prseq_record_add(&dense, (uint16_t)i, 7);
	assert_true(dense.dense);
	prseq_record_free(&r);
	prseq_record_size_like(&r, &dense);
	assert_int_equal(r.nslot, 512);
	phase(&r, 250, &seen_dense, &old);
	assert_false(r.dense);
	prseq_record_reset(&r);
	phase(&r, 2000, &seen_dense, &old);
	assert_true(r.dense);
	prseq_record_free(&r);
	prseq_record_free(&dense);
	prseq_record_free(&last);
}

/* Dense: a repeat is compared while its first sighting is in the ring,
 * and called a reuse once it has left; the ring, not the phase, sets
 * the size. */
static void
test_dense_compares_recent_repeats_only(void **state)
{
	struct prseq_record r = {0};
	size_t heap_dense;
	uint16_t v;

	(void)state;
	for (v = 1; v <= 300; v++)		/* dense from the 257th */
		assert_int_equal(prseq_record_add(&r, v, 7), PRSEQ_NEW);
	assert_true(r.dense);
	heap_dense = mallinfo2().uordblks;
	assert_int_equal(prseq_record_add(&r, 1000, 9), PRSEQ_NEW);	/* 301st */
	for (v = 2000; v < 2500; v++)
		assert_int_equal(prseq_record_add(&r, v, 7), PRSEQ_NEW);
	/* 500 newer first sightings: still in the 512-entry ring */
	assert_int_equal(prseq_record_add(&r, 1000, 9), PRSEQ_DUPLICATE);
	assert_int_equal(prseq_record_add(&r, 1000, 8), PRSEQ_REUSE);
	for (v = 2500; v < 2520; v++)
		assert_int_equal(prseq_record_add(&r, v, 7), PRSEQ_NEW);
	/* 520 newer: its fingerprint is gone, the repeat is a reuse */
	assert_int_equal(prseq_record_add(&r, 1000, 9), PRSEQ_REUSE);
	assert_int_equal(prseq_record_add(&r, 2519, 7), PRSEQ_DUPLICATE);
	assert_int_equal(prseq_record_add(&r, 2519, 6), PRSEQ_REUSE);
	/* every PRSEQ of a phase: still the bitmap and the ring only */
	for (v = 1; v <= 32767; v++)
		(void)prseq_record_add(&r, v, 5);
	assert_int_equal(prseq_record_add(&r, 32767, 5), PRSEQ_DUPLICATE);
	/* not a byte more since it went dense (ASan's mallinfo2 says 0) */
	assert_int_equal(mallinfo2().uordblks, heap_dense);
	prseq_record_reset(&r);
	assert_int_equal(prseq_record_add(&r, 1000, 9), PRSEQ_NEW);
	assert_int_equal(prseq_record_add(&r, 1000, 9), PRSEQ_DUPLICATE);
	prseq_record_free(&r);
}

static void
test_prseq_zero_and_high_bit(void **state)
{
	struct prseq_record r = {0};

	(void)state;
	/* 0 is never sent, but a capture may hold it; the F bit is not part
	 * of the PRSEQ */
	assert_int_equal(prseq_record_add(&r, 0, 1), PRSEQ_NEW);
	assert_int_equal(prseq_record_add(&r, 0, 1), PRSEQ_DUPLICATE);
	assert_int_equal(prseq_record_add(&r, 0x8005, 3), PRSEQ_NEW);
	assert_int_equal(prseq_record_add(&r, 0x0005, 3), PRSEQ_DUPLICATE);
	prseq_record_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_matches_model_across_sizes_and_resets),
		cmocka_unit_test(test_small_phase_is_sparse_and_small),
		cmocka_unit_test(test_phase_sized_like_the_last),
		cmocka_unit_test(test_dense_compares_recent_repeats_only),
		cmocka_unit_test(test_prseq_zero_and_high_bit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
