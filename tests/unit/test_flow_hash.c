/*
 * test_flow_hash.c - the analyzer's flow hash has a secret: 5-tuples
 * crafted to collide under an unkeyed mix spread like random ones.
 * Work is counted (key compares a chained table would make), not timed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flow.h"

#define N 4096
#define BUCKETS 4099	/* a prime, as GLib's table sizes are not: any
			 * modulus shows a flood */
#define K UINT64_C(0x9E3779B97F4A7C15)

/* The unkeyed mix the analyzer used (what an attacker can invert). */
static uint32_t
old_hash(const uint64_t x[4], uint16_t pa, uint16_t pb, uint8_t proto)
{
	uint64_t h = (uint64_t)pa << 24 ^ (uint64_t)pb << 8 ^ proto;
	int i;

	for (i = 0; i < 4; i++) {
		h = (h ^ x[i]) * K;
		h ^= h >> 29;
	}
	return (uint32_t)(h ^ h >> 32);
}

/* x[3] such that the old mix's state after word 3 is target. */
static uint64_t
invert_last_word(const uint64_t x[3], uint16_t pa, uint16_t pb, uint8_t proto,
		 uint64_t target)
{
	uint64_t h = (uint64_t)pa << 24 ^ (uint64_t)pb << 8 ^ proto, inv = K, y;
	int i;

	for (i = 0; i < 3; i++) {
		h = (h ^ x[i]) * K;
		h ^= h >> 29;
	}
	for (i = 0; i < 5; i++)		/* Newton: K^-1 mod 2^64 */
		inv *= 2 - K * inv;
	y = target ^ target >> 29 ^ target >> 58;	/* undo h ^= h >> 29 */
	return (y * inv) ^ h;
}

/* Compares a chained table with BUCKETS buckets makes to insert the
 * keys: the sum over buckets of 0 + 1 + ... + (load - 1). */
static uint64_t
insert_work(const struct flow_key *k, size_t n)
{
	static unsigned load[BUCKETS];
	uint64_t work = 0;
	size_t i;

	memset(load, 0, sizeof(load));
	for (i = 0; i < n; i++)
		work += load[k[i].hash % BUCKETS]++;
	return work;
}

static void
make_key(struct flow_key *k, const uint64_t x[4], uint16_t sport, uint16_t dport)
{
	struct pdmv2_walk w;

	memset(&w, 0, sizeof(w));
	memcpy(w.src, x, 16);
	memcpy(w.dst, x + 2, 16);
	w.sport = sport;
	w.dport = dport;
	w.proto = PDMV2_IPPROTO_UDP;
	(void)flow_key_make(k, &w);
}

static void
test_crafted_collisions_cost_what_random_flows_cost(void **state)
{
	static struct flow_key crafted[N], random_[N];
	uint64_t x[4], wc, wr;
	uint32_t first = 0;
	size_t i;

	(void)state;
	flow_hash_seed();
	srand(7);
	for (i = 0; i < N; i++) {
		/* source ::1 side low, destination high: the key keeps them
		 * in this order (a < b), so x[] is the key's word order */
		x[0] = 0;
		x[1] = 1;
		x[2] = UINT64_C(0xfe80000000000000) + i;
		x[3] = invert_last_word(x, 5000, 6000, PDMV2_IPPROTO_UDP,
					UINT64_C(0x0123456789abcdef));
		if (i == 0)
			first = old_hash(x, 5000, 6000, PDMV2_IPPROTO_UDP);
		/* the crafting works: every one collides without a secret */
		assert_int_equal(old_hash(x, 5000, 6000, PDMV2_IPPROTO_UDP), first);
		make_key(&crafted[i], x, 5000, 6000);

		x[2] = UINT64_C(0xfe80000000000000) + (uint64_t)rand();
		x[3] = (uint64_t)rand() << 32 ^ (uint64_t)rand();
		make_key(&random_[i], x, 5000, 6000);
	}
	wc = insert_work(crafted, N);
	wr = insert_work(random_, N);
	print_message("compares: crafted %llu, random %llu (all in one bucket: %llu)\n",
		      (unsigned long long)wc, (unsigned long long)wr,
		      (unsigned long long)N * (N - 1) / 2);
	/* a generous factor; a flood costs N^2/2, a thousand times more */
	assert_true(wc <= 4 * wr + N);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crafted_collisions_cost_what_random_flows_cost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
