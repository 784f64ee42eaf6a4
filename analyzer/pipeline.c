/*
 * pipeline.c - the reader / analysis hand-over (see pipeline.h).
 *
 * Frames travel in chunks of CHUNK so a lock and a wake-up are paid per
 * chunk, not per frame.  CHUNKS chunks are filled and finished in turn,
 * so the reader runs at most that far ahead and memory stays fixed.
 * The hand-over is a plain pthread mutex and two conditions rather than
 * a GAsyncQueue: GLib's futex mutex is invisible to ThreadSanitizer,
 * which then cannot check the analysis for races.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE	/* pthread_setname_np */
#include <pthread.h>

#include <glib.h>

#include "prefetch.h"
#include "pipeline.h"
#include "preopen.h"

/* Frames per hand-over.  Each hand-over may wake the other thread, and
 * a wake-up costs far more than a frame: a chunk is large enough that
 * wake-ups are rare, small enough that four stay in memory. */
#define CHUNK 4096
#define CHUNKS 4	/* chunks in circulation */
/* Frames begun before any is finished, in the analysis: enough to overlap
 * the cache misses of their flows' state (a thousand interleaved flows
 * do not fit in L2); the batch size is not critical. */
#define BATCH 16
_Static_assert(CHUNK % BATCH == 0, "a chunk holds whole batches");

struct chunk {
	unsigned n;
	struct frame_work fw[CHUNK];
};

struct pipeline {
	struct analysis *a;
	struct input_info *in;
	bool threaded;
	struct preopen *pre;		/* the reader's, with keys and a thread */
	unsigned share;			/* of PREOPEN_SHARES the reader opens */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t filled, emptied;	/* produced rose; consumed rose */
	/* under lock: chunks handed over and chunks finished so far; chunk
	 * k lives in chunks[k % CHUNKS] */
	uint64_t produced, consumed;
	bool eof;			/* under lock: no more chunks */
	struct chunk *cur;		/* being filled by the reader */
	struct chunk chunks[CHUNKS];	/* one thread: only chunks[0] */
};

/* Starts loading the frames of the batch after this one: written by
 * the reader on the other core, each of their lines is a miss here, and
 * a batch reads them in passes the hardware prefetcher does not follow
 * far enough ahead. */
static void
prefetch_batch(const struct chunk *c, unsigned from)
{
	unsigned to = from + BATCH < c->n ? from + BATCH : c->n;

	if (from < to)
		pdmv2_prefetch_range(&c->fw[from], (to - from) * sizeof(c->fw[0]));
}

static void
finish_chunk(struct pipeline *pl, struct chunk *c)
{
	unsigned i, n;

	for (i = 0; i < c->n; i += n) {
		n = c->n - i < BATCH ? c->n - i : BATCH;
		prefetch_batch(c, i + n);
		analysis_frames_finish(pl->a, pl->in, c->fw + i, n);
	}
	c->n = 0;
}

static void *
analysis_thread(void *data)
{
	struct pipeline *pl = data;
	uint64_t k = 0;

	(void)pthread_setname_np(pthread_self(), "pdmv2-analysis");
	for (;;) {
		pthread_mutex_lock(&pl->lock);
		while (pl->produced == k && !pl->eof)
			pthread_cond_wait(&pl->filled, &pl->lock);
		if (pl->produced == k) {	/* eof, all finished */
			pthread_mutex_unlock(&pl->lock);
			return NULL;
		}
		pthread_mutex_unlock(&pl->lock);
		finish_chunk(pl, &pl->chunks[k % CHUNKS]);
		pthread_mutex_lock(&pl->lock);
		pl->consumed = ++k;
		pthread_cond_signal(&pl->emptied);
		pthread_mutex_unlock(&pl->lock);
	}
}

struct pipeline *
pipeline_start(struct analysis *a, struct input_info *in, bool threaded)
{
	struct pipeline *pl = g_new0(struct pipeline, 1);

	pl->a = a;
	pl->in = in;
	pl->cur = &pl->chunks[0];
	if (!threaded)
		return pl;
	pthread_mutex_init(&pl->lock, NULL);
	pthread_cond_init(&pl->filled, NULL);
	pthread_cond_init(&pl->emptied, NULL);
	pl->threaded = pthread_create(&pl->thread, NULL, analysis_thread, pl) == 0;
	if (!pl->threaded) {	/* one thread, then: the same results */
		pthread_cond_destroy(&pl->emptied);
		pthread_cond_destroy(&pl->filled);
		pthread_mutex_destroy(&pl->lock);
	} else if (pdmv2_keylog_count(analysis_keylog(a)) > 0) {
		/* the key log is complete: main loads it before any input */
		/* never more directions than the analysis' flows have */
		unsigned max = analysis_config(a)->max_flows;

		pl->pre = preopen_new(analysis_keylog(a),
				      analysis_config(a)->kri_window,
				      max && max < PREOPEN_DIRECTIONS / 2 ?
				      2 * max : PREOPEN_DIRECTIONS);
		pl->share = PREOPEN_SHARES;
	}
	return pl;
}

struct frame_work *
pipeline_slot(struct pipeline *pl)
{
	return &pl->cur->fw[pl->cur->n];
}

/* Hand the current chunk over; wait for the next one to be free. */
static void
hand_over(struct pipeline *pl)
{
	uint64_t next;

	pthread_mutex_lock(&pl->lock);
	next = ++pl->produced;
	pthread_cond_signal(&pl->filled);
	while (next - pl->consumed >= CHUNKS)
		pthread_cond_wait(&pl->emptied, &pl->lock);
	/* Whoever is behind gets help.  Chunks piling up for the analysis
	 * (3 or 4 handed over, not finished) mean it is the slower: the
	 * reader takes on the directions of one more group.  The analysis
	 * waiting for this very chunk means the reader is the slower: it
	 * gives one group back.  A direction stays with one thread while
	 * the share holds, so its keys are derived once: opening everything
	 * would make the reader the slower thread, and whole chunks on or
	 * off would have each thread derive every key. */
	if (next - pl->consumed >= 3 && pl->share < PREOPEN_SHARES)
		pl->share++;
	else if (next - pl->consumed <= 1 && pl->share > 0)
		pl->share--;
	pthread_mutex_unlock(&pl->lock);
	pl->cur = &pl->chunks[next % CHUNKS];
}

void
pipeline_commit(struct pipeline *pl)
{
	unsigned n = ++pl->cur->n;

	/* a batch at a time, as the analysis does, so lookups run back to
	 * back (CHUNK is a multiple of BATCH) */
	if (pl->pre && pl->share && n % BATCH == 0)
		preopen_frames(pl->pre, &pl->cur->fw[n - BATCH], BATCH, pl->share);
	if (n < (pl->threaded ? CHUNK : BATCH))
		return;
	if (pl->threaded)
		hand_over(pl);
	else
		finish_chunk(pl, pl->cur);
}

void
pipeline_finish(struct pipeline *pl)
{
	if (pl->threaded) {
		unsigned rest = pl->cur->n % BATCH;

		if (pl->pre && pl->share && rest)
			preopen_frames(pl->pre, &pl->cur->fw[pl->cur->n - rest], rest,
				       pl->share);
		preopen_free(pl->pre);
		pthread_mutex_lock(&pl->lock);
		if (pl->cur->n)
			pl->produced++;
		pl->eof = true;
		pthread_cond_signal(&pl->filled);
		pthread_mutex_unlock(&pl->lock);
		pthread_join(pl->thread, NULL);
		pthread_cond_destroy(&pl->emptied);
		pthread_cond_destroy(&pl->filled);
		pthread_mutex_destroy(&pl->lock);
	} else {
		finish_chunk(pl, pl->cur);
	}
	g_free(pl);
}
