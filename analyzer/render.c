/*
 * render.c - items rendered on one thread or two, handed over in order
 * (render.h).
 *
 * The calling thread makes and takes the even chunks; a helper makes
 * the odd ones into a ring of RENDER_RING chunk slots, which the calling
 * thread takes in their turn.  Slots change hands under a mutex and a
 * condition (pthread's, which ThreadSanitizer sees).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <pthread.h>

#include "render.h"

#define RENDER_CHUNK 16
#define RENDER_RING 4

struct helper {
	size_t n;
	render_make_fn *make;
	void *ctx;
	char *text[RENDER_RING][RENDER_CHUNK];
	size_t made, taken;		/* helper chunks: made, taken */
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

/* Helper chunk k is chunk 2k + 1: items [lo, hi); false past the end. */
static bool
helper_chunk(size_t n, size_t k, size_t *lo, size_t *hi)
{
	*lo = (2 * k + 1) * RENDER_CHUNK;
	*hi = *lo + RENDER_CHUNK < n ? *lo + RENDER_CHUNK : n;
	return *lo < n;
}

static void *
helper_run(void *p)
{
	struct helper *h = p;
	size_t k, lo, hi, i;

	for (k = 0; helper_chunk(h->n, k, &lo, &hi); k++) {
		pthread_mutex_lock(&h->lock);
		while (h->made - h->taken == RENDER_RING)	/* ring full */
			pthread_cond_wait(&h->cond, &h->lock);
		pthread_mutex_unlock(&h->lock);
		for (i = lo; i < hi; i++)
			h->text[k % RENDER_RING][i - lo] = h->make(h->ctx, i);
		pthread_mutex_lock(&h->lock);
		h->made++;
		pthread_cond_broadcast(&h->cond);
		pthread_mutex_unlock(&h->lock);
	}
	return NULL;
}

void
render_in_order(size_t n, render_make_fn *make, render_take_fn *take,
		void *ctx, bool two_threads)
{
	struct helper h = {.n = n, .make = make, .ctx = ctx};
	pthread_t t;
	bool helped;
	size_t i, lo, hi;

	pthread_mutex_init(&h.lock, NULL);
	pthread_cond_init(&h.cond, NULL);
	helped = two_threads && n > RENDER_CHUNK &&
		 pthread_create(&t, NULL, helper_run, &h) == 0;
	for (i = 0; i < n; i++) {
		size_t c = i / RENDER_CHUNK, k = c / 2;

		if (!helped || c % 2 == 0) {
			take(ctx, make(ctx, i));
			continue;
		}
		if (i % RENDER_CHUNK == 0) {	/* wait for the helper's chunk */
			pthread_mutex_lock(&h.lock);
			while (h.made <= k)
				pthread_cond_wait(&h.cond, &h.lock);
			pthread_mutex_unlock(&h.lock);
		}
		take(ctx, h.text[k % RENDER_RING][i % RENDER_CHUNK]);
		helper_chunk(n, k, &lo, &hi);
		if (i + 1 == hi) {		/* chunk taken: its slot is free */
			pthread_mutex_lock(&h.lock);
			h.taken++;
			pthread_cond_broadcast(&h.cond);
			pthread_mutex_unlock(&h.lock);
		}
	}
	if (helped)
		pthread_join(t, NULL);
	pthread_cond_destroy(&h.cond);
	pthread_mutex_destroy(&h.lock);
}
