/*
 * test_metrics.c - PSN accounting, distributions, Global Pointer and the
 * delay-sample rules (PROFILE.md 6, 7).  Expected values are worked out
 * here from first principles, never taken from the code under test.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "dist_batch.h"
#include "pdmv2/dist.h"
#include "pdmv2/gptr.h"
#include "pdmv2/psn.h"
#include "pdmv2/samples.h"
#include "vectors.h"

/* PSN accounting against its definition: every extended value seen, in
 * a plain set; a value above the highest is new, one below it seen
 * before is a duplicate, else reordered.  The library keeps only gaps
 * or a window; the answers must be the same. */
#define MODEL_SPAN (1u << 24)	/* extended values from 2^32 - 2^20 the walk can reach */

static uint32_t psn_rng = 777;

static uint32_t
psn_next(void)
{
	return test_xorshift32(&psn_rng);
}

static void
psn_walk(unsigned n, unsigned back_per_1000, unsigned loss_per_1000,
	 bool want_window)
{
	static uint8_t seen[MODEL_SPAN];	/* by ext - base */
	const uint64_t base = (UINT64_C(1) << 32) - (1u << 20);
	struct pdmv2_psn p;
	uint64_t highest = 0, lowest = 0, distinct = 0, dup = 0, reord = 0;
	uint16_t psn = (uint16_t)psn_next();
	unsigned i;

	memset(seen, 0, sizeof(seen));
	pdmv2_psn_init(&p);
	for (i = 0; i < n; i++) {
		uint32_t r = psn_next() % 1000;
		enum pdmv2_psn_class c, want;
		uint64_t ext, e;
		int32_t diff;

		if (i > 0) {
			if (r < back_per_1000)
				psn = (uint16_t)(psn - psn_next() % 60);	/* reorder or dup */
			else if (r == 999 && back_per_1000)
				psn = (uint16_t)(psn + 20000 + psn_next() % 12769);	/* far */
			else
				psn = (uint16_t)(psn + 1 + (psn_next() % 1000 < loss_per_1000 ?
							    1 + psn_next() % 5 : 0));
		}
		/* the unwrapping rule, as PROFILE.md 7 gives it */
		if (i == 0) {
			e = (UINT64_C(1) << 32) + psn;
		} else {
			diff = (int16_t)(uint16_t)(psn - (uint16_t)highest);
			if (diff == -32768)
				diff = 32768;
			e = (uint64_t)((int64_t)highest + diff);
		}
		assert_true(e >= base && e - base < MODEL_SPAN);
		if (i == 0 || e > highest)
			want = PDMV2_PSN_NEW;
		else if (seen[e - base])
			want = PDMV2_PSN_DUPLICATE;
		else
			want = PDMV2_PSN_REORDERED;
		c = pdmv2_psn_add(&p, psn, &ext);
		assert_int_equal(c, want);
		assert_true(ext == e);
		if (want != PDMV2_PSN_DUPLICATE) {
			seen[e - base] = 1;
			distinct++;
		}
		dup += want == PDMV2_PSN_DUPLICATE;
		reord += want == PDMV2_PSN_REORDERED;
		if (i == 0 || e > highest)
			highest = e;
		if (i == 0 || e < lowest)
			lowest = e;
	}
	assert_true(p.highest == highest);
	assert_true(p.lowest == lowest);
	assert_true(p.distinct == distinct);
	assert_true(p.duplicates == dup);
	assert_true(p.reordered == reord);
	assert_true(pdmv2_psn_lost(&p) == highest - lowest + 1 - distinct);
	/* the window is made only when a PSN came back, or gaps piled up */
	assert_int_equal(p.seen != NULL, want_window);
	pdmv2_psn_free(&p);
}

static void
test_psn_matches_its_definition(void **state)
{
	(void)state;
	psn_walk(5000, 0, 0, false);		/* clean: no window */
	psn_walk(70000, 0, 0, false);		/* clean, wrapping */
	psn_walk(300, 0, 10, false);		/* a few losses: gaps only */
	psn_walk(100000, 0, 20, true);		/* many losses */
	psn_walk(100000, 20, 20, true);		/* reorder, dups, far jumps */
	psn_walk(100000, 100, 0, true);
	psn_walk(3000, 300, 300, true);
}

static void
test_psn_wrap_is_not_loss(void **state)
{
	struct pdmv2_psn p;
	unsigned i;

	(void)state;
	pdmv2_psn_init(&p);
	for (i = 0; i < 20; i++)
		assert_int_equal(pdmv2_psn_add(&p, (uint16_t)(65530 + i), NULL), PDMV2_PSN_NEW);
	assert_int_equal(pdmv2_psn_lost(&p), 0);
	assert_int_equal(p.first, 65530);
	assert_int_equal(p.last, 13);
	assert_int_equal(p.distinct, 20);
	pdmv2_psn_free(&p);
}

static void
test_psn_loss_duplicate_reorder(void **state)
{
	static const uint16_t seq[] = {100, 101, 103, 104, 102, 104, 108};
	static const enum pdmv2_psn_class want[] = {
		PDMV2_PSN_NEW, PDMV2_PSN_NEW, PDMV2_PSN_NEW, PDMV2_PSN_NEW,
		PDMV2_PSN_REORDERED, PDMV2_PSN_DUPLICATE, PDMV2_PSN_NEW,
	};
	struct pdmv2_psn p;
	size_t i;

	(void)state;
	pdmv2_psn_init(&p);
	for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++)
		assert_int_equal(pdmv2_psn_add(&p, seq[i], NULL), want[i]);
	/* 100..108 is 9 values, 6 distinct seen: 105, 106, 107 lost */
	assert_int_equal(pdmv2_psn_lost(&p), 3);
	assert_int_equal(p.duplicates, 1);
	assert_int_equal(p.reordered, 1);
	pdmv2_psn_free(&p);
}

static void
test_psn_mid_flow_start_with_an_earlier_reordered_psn(void **state)
{
	struct pdmv2_psn p;
	uint64_t e1, e2;

	(void)state;
	pdmv2_psn_init(&p);
	pdmv2_psn_add(&p, 3, &e1);
	assert_int_equal(pdmv2_psn_add(&p, 65534, &e2), PDMV2_PSN_REORDERED);
	assert_int_equal(e1 - e2, 5);		/* 65534 is 5 before 3 */
	pdmv2_psn_add(&p, 4, NULL);
	/* 65534 .. 4 spans 7 values, 3 seen */
	assert_int_equal(pdmv2_psn_lost(&p), 4);
	pdmv2_psn_free(&p);
}

static void
test_psn_far_jump_keeps_memory_fixed_and_counts(void **state)
{
	struct pdmv2_psn p;
	unsigned i;

	(void)state;
	pdmv2_psn_init(&p);
	for (i = 0; i < 200000; i++)
		pdmv2_psn_add(&p, (uint16_t)(i * 3), NULL);	/* every third */
	assert_int_equal(p.distinct, 200000);
	assert_int_equal(pdmv2_psn_lost(&p), 2 * 199999);
	assert_int_equal(p.duplicates, 0);
	/* a PSN seen 40000 packets ago is "ahead" by the closeness rule */
	pdmv2_psn_add(&p, (uint16_t)(3 * 150000), NULL);
	assert_int_equal(p.duplicates, 0);
	pdmv2_psn_free(&p);
}

static double
nearest_rank(double *v, size_t n, double q)
{
	size_t r = (size_t)ceil(q * (double)n);

	return v[(r ? r : 1) - 1];
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* All at once, in any order, as each alone. */
static void
quantiles_in_one_pass_agree(const struct pdmv2_dist *d)
{
	static const double p[] = {0.99, 0.5, 0, 0.9, 1, 0.001, 0.5, 0.25,
				   0.75, 0.999999, 1e-9, 0.1};
	double q[sizeof(p) / sizeof(p[0])];
	size_t j;

	pdmv2_dist_quantiles(d, p, sizeof(p) / sizeof(p[0]), q);
	for (j = 0; j < sizeof(p) / sizeof(p[0]); j++)
		if (!(q[j] == pdmv2_dist_quantile(d, p[j]) ||
		      (isnan(q[j]) && isnan(pdmv2_dist_quantile(d, p[j])))))
			fail_msg("p%g: %g at once, %g alone", p[j] * 100, q[j],
				 pdmv2_dist_quantile(d, p[j]));
}

static void
check_dist(double *v, size_t n)
{
	struct pdmv2_dist d;
	double sum = 0, mean, var = 0;
	static const double qs[] = {0.01, 0.5, 0.9, 0.99};
	size_t i;

	pdmv2_dist_init(&d);
	for (i = 0; i < n; i++) {
		pdmv2_dist_add(&d, v[i]);
		sum += v[i];
	}
	mean = sum / (double)n;
	for (i = 0; i < n; i++)
		var += (v[i] - mean) * (v[i] - mean);
	qsort(v, n, sizeof(double), cmp);
	assert_int_equal(d.count, n);
	assert_true(d.min == v[0] && d.max == v[n - 1]);
	assert_true(fabs(d.mean - mean) <= 1e-9 * fabs(mean));
	assert_true(fabs(pdmv2_dist_stddev(&d) - sqrt(var / (double)n)) <=
		    1e-9 * sqrt(var / (double)n) + 1e-12);
	for (i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		double want = nearest_rank(v, n, qs[i]), got = pdmv2_dist_quantile(&d, qs[i]);

		if (fabs(got - want) > 0.01 * want)
			fail_msg("p%g: sketch %g, exact %g", qs[i] * 100, got, want);
	}
	assert_true(pdmv2_dist_quantile(&d, 0) == v[0]);
	assert_true(pdmv2_dist_quantile(&d, 1) == v[n - 1]);
	quantiles_in_one_pass_agree(&d);
	pdmv2_dist_free(&d);
}

static void
test_dist_exact_moments_and_quantiles_within_one_percent(void **state)
{
	static double v[100000];
	size_t i;

	(void)state;
	srand(42);
	for (i = 0; i < 100000; i++)		/* uniform 100..200 us */
		v[i] = 100 + 100 * (rand() / (double)RAND_MAX);
	check_dist(v, 100000);
	for (i = 0; i < 100000; i++)		/* six decades, log-uniform */
		v[i] = pow(10, 6 * (rand() / (double)RAND_MAX)) * 0.01;
	check_dist(v, 100000);
	for (i = 0; i < 1000; i++)		/* constant */
		v[i] = 47.210280517632;
	check_dist(v, 1000);
	for (i = 0; i < 1001; i++)		/* two values */
		v[i] = i % 2 ? 10 : 1000;
	check_dist(v, 1001);
}

static void
test_dist_memory_follows_range_not_count(void **state)
{
	struct pdmv2_dist d;
	uint32_t after_first;
	unsigned i;

	(void)state;
	pdmv2_dist_init(&d);
	for (i = 0; i < 1000; i++)
		pdmv2_dist_add(&d, 1000 + (i % 97));
	after_first = d.nblk;
	for (i = 0; i < 1000000; i++)
		pdmv2_dist_add(&d, 1000 + (i % 97));
	assert_int_equal(d.nblk, after_first);
	assert_true(isnan(pdmv2_dist_quantile(&(struct pdmv2_dist){0}, 0.5)));
	quantiles_in_one_pass_agree(&(struct pdmv2_dist){0});
	pdmv2_dist_free(&d);
}

/* A hostile capture's flow may give 1 attosecond and an hour, the ends
 * of what a delta can say: two blocks, not the 71 powers of two between
 * (146 KB a flow made 20000 such flows take 3 GB), and the quantiles
 * still right. */
static void
test_dist_far_apart_values_cost_two_blocks(void **state)
{
	struct pdmv2_dist d;
	size_t heap = mallinfo2().uordblks;
	unsigned i, blocks = 0;

	(void)state;
	pdmv2_dist_init(&d);
	for (i = 0; i < 100; i++) {
		pdmv2_dist_add(&d, 1e-12);
		pdmv2_dist_add(&d, 3.4e9);
	}
	pdmv2_dist_add(&d, 3.5e9);	/* same power of two */
	for (i = 0; i < d.nblk; i++)
		blocks += d.blk[i] != NULL;
	assert_int_equal(blocks, 2);
	assert_true(d.nblk >= 4 * 71 && d.nblk <= 2 * 4 * 72);
	/* two 256-byte blocks and a table of pointers, not 72 KiB (ASan's
	 * mallinfo2 says 0) */
	assert_true(mallinfo2().uordblks - heap <= 4096);
	assert_true(fabs(pdmv2_dist_quantile(&d, 0.25) - 1e-12) <= 1e-12 / 256);
	assert_true(fabs(pdmv2_dist_quantile(&d, 0.75) - 3.4e9) <= 3.4e9 / 256);
	pdmv2_dist_free(&d);
	assert_null(d.blk);
}

/* pdmv2_dist_note, _warm and _count, as the analyzer runs them over a
 * batch, against pdmv2_dist_add one sample at a time: the same moments
 * and the same quantiles.  Batches mix samples whose block exists at
 * _warm (the bucket's address is kept) with ones whose block does not
 * yet (_count makes it), and far values that grow the block table
 * between a _warm and its _count: the kept address must still be the
 * bucket's. */
static void
test_dist_batched_counts_match_one_by_one(void **state)
{
	static const double p[] = {0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1};
	struct pdmv2_dist one, batched;
	struct pdmv2_dist_pending pend[32];
	uint32_t rng = 99;
	unsigned round, i, kept = 0;

	(void)state;
	pdmv2_dist_init(&one);
	pdmv2_dist_init(&batched);
	for (round = 0; round < 2000; round++) {
		unsigned n = 1 + test_xorshift32(&rng) % 32;

		for (i = 0; i < n; i++) {
			uint32_t r = test_xorshift32(&rng);
			/* mostly 100-700 us, now and then far off either way */
			double us = r % 50 == 0 ? ldexp(1.0 + r % 1000 / 1000.0,
							(int)(r >> 8) % 80 - 40) :
				    100 + (r >> 8) % 600000 / 1000.0;

			pdmv2_dist_add(&one, us);
			pdmv2_dist_note(&batched, us, &pend[i]);
		}
		for (i = 0; i < n; i++)
			if (test_xorshift32(&rng) % 4)	/* most, not all */
				pdmv2_dist_warm(&pend[i]);
		for (i = 0; i < n; i++) {
			kept += pend[i].c != NULL;
			pdmv2_dist_count(&pend[n - 1 - i]);
		}
	}
	assert_true(kept > 10000);
	assert_true(batched.count == one.count);
	assert_true(batched.min == one.min && batched.max == one.max);
	assert_true(batched.mean == one.mean && batched.m2 == one.m2);
	assert_true(batched.nblk > 64);	/* the table grew far */
	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++)
		assert_true(pdmv2_dist_quantile(&batched, p[i]) ==
			    pdmv2_dist_quantile(&one, p[i]));
	pdmv2_dist_free(&one);
	pdmv2_dist_free(&batched);
}

static void
test_gptr_advance_coverage_rate_reset_and_wrap(void **state)
{
	struct pdmv2_gptr_table *t;
	struct pdmv2_gptr_sender *ga, *gl;
	struct pdmv2_gptr_stats s;
	uint8_t a[16], ll[16], mc[16];

	(void)state;
	inet_pton(AF_INET6, "2001:db8::1", a);
	inet_pton(AF_INET6, "fe80::1", ll);
	inet_pton(AF_INET6, "ff02::1", mc);
	pdmv2_gptr_table_new(&t);
	/* 10, 20, 30 over 2 s in two flows: advance 20, 3 of 21 seen */
	ga = pdmv2_gptr_sender_get(t, a);
	assert_ptr_equal(pdmv2_gptr_sender_get(t, a), ga);	/* found again */
	pdmv2_gptr_sender_add_flow(ga);
	pdmv2_gptr_sender_add(ga, 10, 0);
	pdmv2_gptr_sender_add_flow(ga);
	pdmv2_gptr_sender_add(ga, 20, 1000000000);
	pdmv2_gptr_sender_add(ga, 30, 2000000000);
	pdmv2_gptr_get(t, 0, &s);
	assert_int_equal(s.advance, 20);
	assert_int_equal(s.flows, 2);
	assert_true(fabs(s.coverage - 3.0 / 21.0) < 1e-15);
	assert_true(fabs(s.rate_pps - 10.0) < 1e-12);
	assert_int_equal(s.addr_type, PDMV2_ADDR_GLOBAL);
	/* restart: back to 1 -> a reset, new segment */
	pdmv2_gptr_sender_add(ga, 1, 3000000000);
	pdmv2_gptr_sender_add(ga, 5, 4000000000);
	pdmv2_gptr_get(t, 0, &s);
	assert_int_equal(s.resets, 1);
	assert_int_equal(s.advance, 20 + 4);
	assert_true(fabs(s.coverage - 5.0 / (24.0 + 2.0)) < 1e-15);
	/* wrap: 0xFFFFFFF0 -> 5 is forward by 21, not a reset */
	gl = pdmv2_gptr_sender_get(t, ll);
	pdmv2_gptr_sender_add(gl, 0xFFFFFFF0u, 0);
	pdmv2_gptr_sender_add(gl, 5, 1);
	pdmv2_gptr_get(t, 1, &s);
	assert_int_equal(pdmv2_gptr_count(t), 2);
	assert_int_equal(s.resets, 0);
	assert_int_equal(s.wraps, 1);
	assert_int_equal(s.advance, 21);
	assert_int_equal(s.addr_type, PDMV2_ADDR_LINK_LOCAL);
	assert_string_equal(pdmv2_addr_type_name(pdmv2_addr_type_of(mc)), "multicast");
	pdmv2_gptr_table_free(t);
}

static struct pdmv2_metrics
metrics(uint16_t psntp, uint16_t psnlr, uint16_t dtlr, uint16_t dtls)
{
	struct pdmv2_metrics m = {0};

	m.psntp = psntp;
	m.psnlr = psnlr;
	m.delta_tlr = dtlr;
	m.delta_tls = dtls;
	m.scale_dtlr = m.scale_dtls = 30;	/* units of 2^30 as */
	return m;
}

static void
test_rfc8250_exchange_gives_every_sample(void **state)
{
	struct pdmv2_sample_state st;
	struct pdmv2_samples s;
	struct pdmv2_metrics m;
	double unit = ldexp(1, 30) / 1e12;

	(void)state;
	pdmv2_samples_init(&st);
	/* c1 (PSNTP 10), s1 (PSNTP 500, PSNLR 10, DeltaTLR 200 = server delay) */
	m = metrics(10, 0, 0, 0);
	pdmv2_samples_take(&st, PDMV2_ROLE_CLIENT, &m, &s);
	assert_false(s.has_rtt || s.has_client_delay || s.has_network_rtt);
	m = metrics(500, 10, 200, 0);
	pdmv2_samples_take(&st, PDMV2_ROLE_SERVER, &m, &s);
	assert_true(s.has_server_delay);
	assert_false(s.has_server_rtt);
	assert_true(s.server_delay_us == 200 * unit);
	/* c2 (PSNTP 11, PSNLR 500): rtt 9000, client delay 1500 */
	m = metrics(11, 500, 1500, 9000);
	pdmv2_samples_take(&st, PDMV2_ROLE_CLIENT, &m, &s);
	assert_true(s.has_rtt && s.has_client_delay && s.has_network_rtt);
	assert_true(s.rtt_us == 9000 * unit);
	assert_true(s.client_delay_us == 1500 * unit);
	assert_true(fabs(s.network_rtt_us - 8800 * unit) < 1e-12);
	/* c3 answers s-PSN 501 that was never seen: no network rtt */
	m = metrics(12, 501, 1500, 9000);
	pdmv2_samples_take(&st, PDMV2_ROLE_CLIENT, &m, &s);
	assert_true(s.has_rtt);
	assert_false(s.has_network_rtt);
	/* s2 answered c1 again (PSNLR 10), c4 sent after c3: PSNLR(s) !=
	 * PSNTP(c) - 1, so no match (7) */
	m = metrics(502, 10, 300, 100);
	pdmv2_samples_take(&st, PDMV2_ROLE_SERVER, &m, &s);
	assert_true(s.has_server_rtt);
	m = metrics(13, 502, 10, 9000);
	pdmv2_samples_take(&st, PDMV2_ROLE_CLIENT, &m, &s);
	assert_false(s.has_network_rtt);
	pdmv2_samples_free(&st);
}

/* The growing ring against the fixed ring of PDMV2_SAMPLES_RING slots
 * it stands for: the same network RTT for every client packet, over
 * exchanges in order, with loss, reordering, repeats and far jumps. */
static void
test_growing_sample_ring_answers_as_a_fixed_one(void **state)
{
	struct fixed_slot {
		bool used;
		uint16_t psntp, psnlr, delta_tlr;
	} fixed[PDMV2_SAMPLES_RING];
	uint32_t rng = 4242;
	unsigned round, i, matched = 0;

	(void)state;
	for (round = 0; round < 40; round++) {
		struct pdmv2_sample_state st;
		uint16_t c = (uint16_t)test_xorshift32(&rng);
		uint16_t sv = (uint16_t)test_xorshift32(&rng);
		unsigned n = round < 10 ? 3 : 2000;

		memset(fixed, 0, sizeof(fixed));
		pdmv2_samples_init(&st);
		for (i = 0; i < n; i++) {
			/* short flows: in order, no jumps */
			uint32_t r = n == 3 ? 50 : test_xorshift32(&rng) % 100;
			unsigned k, burst = 1 + test_xorshift32(&rng) % 4;
			uint16_t sent[250], lr;
			struct pdmv2_metrics m;
			struct pdmv2_samples s;
			struct fixed_slot *f;

			/* a burst of server packets, all answering the client's
			 * last PSNTP, at times a long one; now and then the
			 * server's PSNTP jumps, or goes back (a repeat, or
			 * reordering) */
			if (r == 99)
				burst = 100 + test_xorshift32(&rng) % 150;
			for (k = 0; k < burst; k++) {
				if (r < 5 && k == 0)
					sv = (uint16_t)(sv + 100 + test_xorshift32(&rng) % 20000);
				else if (r < 10 && k == 0)
					sv = (uint16_t)(sv - test_xorshift32(&rng) % 300);
				else
					sv++;
				sent[k] = sv;
				m = metrics(sv, c, (uint16_t)(1 + test_xorshift32(&rng) % 900), 7);
				pdmv2_samples_take(&st, PDMV2_ROLE_SERVER, &m, &s);
				f = &fixed[sv % PDMV2_SAMPLES_RING];
				*f = (struct fixed_slot){true, sv, c, m.delta_tlr};
			}
			/* the client answers one of them, or an older PSNTP */
			c++;
			lr = r % 7 == 0 ? (uint16_t)(sv - test_xorshift32(&rng) % 400) :
			     sent[test_xorshift32(&rng) % burst];
			m = metrics(c, lr, 10, 5000);
			pdmv2_samples_take(&st, PDMV2_ROLE_CLIENT, &m, &s);
			f = &fixed[lr % PDMV2_SAMPLES_RING];
			if (f->used && f->psntp == lr && f->psnlr == (uint16_t)(c - 1)) {
				assert_true(s.has_network_rtt);
				assert_true(s.network_rtt_us == pdmv2_delta_us(5000, 30) -
					    pdmv2_delta_us(f->delta_tlr, 30));
				matched++;
			} else {
				assert_false(s.has_network_rtt);
			}
		}
		/* a short flow keeps a few slots (8 or 16: 80 or 160 bytes) */
		if (n == 3)
			assert_true(st.size <= 16);
		else
			assert_int_equal(st.size, PDMV2_SAMPLES_RING);
		pdmv2_samples_free(&st);
		assert_null(st.ring);
	}
	assert_true(matched > 10000);
}

static void
test_implausible_delta_is_flagged_not_a_sample(void **state)
{
	struct pdmv2_sample_state st;
	struct pdmv2_samples s;
	struct pdmv2_metrics m = metrics(1, 0, 0, 5);

	(void)state;
	pdmv2_samples_init(&st);
	m.scale_dtls = 200;
	pdmv2_samples_take(&st, PDMV2_ROLE_CLIENT, &m, &s);
	assert_true(s.implausible);
	assert_false(s.has_rtt);
	pdmv2_samples_free(&st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_psn_matches_its_definition),
		cmocka_unit_test(test_psn_wrap_is_not_loss),
		cmocka_unit_test(test_psn_loss_duplicate_reorder),
		cmocka_unit_test(test_psn_mid_flow_start_with_an_earlier_reordered_psn),
		cmocka_unit_test(test_psn_far_jump_keeps_memory_fixed_and_counts),
		cmocka_unit_test(test_dist_exact_moments_and_quantiles_within_one_percent),
		cmocka_unit_test(test_dist_memory_follows_range_not_count),
		cmocka_unit_test(test_dist_far_apart_values_cost_two_blocks),
		cmocka_unit_test(test_dist_batched_counts_match_one_by_one),
		cmocka_unit_test(test_gptr_advance_coverage_rate_reset_and_wrap),
		cmocka_unit_test(test_rfc8250_exchange_gives_every_sample),
		cmocka_unit_test(test_growing_sample_ring_answers_as_a_fixed_one),
		cmocka_unit_test(test_implausible_delta_is_flagged_not_a_sample),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
