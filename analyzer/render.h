/*
 * render.h - items rendered to text, on one thread or two, and handed
 * over in order.  The report (report.c) renders its flows this way: most
 * of a many-flow report's time is json-c building, printing and freeing
 * objects, and with two threads the analysis thread is done by then.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ANALYZER_RENDER_H
#define ANALYZER_RENDER_H

#include <stdbool.h>
#include <stddef.h>

/* Item i's text, newly allocated (g_free).  With two threads, called
 * from both at once for different items: it may only read what they
 * share. */
typedef char *render_make_fn(void *ctx, size_t i);
/* Takes item i's text, on the calling thread, in order of i. */
typedef void render_take_fn(void *ctx, char *text);

/*
 * make then take each of items 0..n-1.  two_threads: a helper thread
 * makes every other chunk of RENDER_CHUNK items, at most RENDER_RING
 * chunks ahead of take, so a few dozen texts are held at most however
 * many items there are.  The calling thread does the rest, and all of
 * it when no helper can be started.
 */
void render_in_order(size_t n, render_make_fn *make, render_take_fn *take,
		     void *ctx, bool two_threads);

#endif
