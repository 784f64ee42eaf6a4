/*
 * rng.h - the sample writer's seeded PRNG (xoshiro256** seeded with
 * splitmix64), so every capture is reproducible from --seed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SAMPLES_RNG_H
#define SAMPLES_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
double rng_unit(struct rng *r);			/* [0, 1) */
uint32_t rng_below(struct rng *r, uint32_t n);	/* [0, n), n > 0 */
int rng_chance(struct rng *r, double p);	/* 1 with probability p */
void rng_bytes(struct rng *r, uint8_t *out, size_t n);

#endif
