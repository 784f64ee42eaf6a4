/*
 * test_render.c - items made on one thread or two come out complete and
 * in order, and the helper never holds more than its ring (render.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>
#include <glib.h>

#include "render.h"
#include "vectors.h"

#define RING_TEXTS (4 * 16)	/* render.c: RENDER_RING chunks of RENDER_CHUNK */

struct count {
	size_t next;		/* the item take expects */
	long held, most;	/* made and not yet taken (atomics) */
	uint32_t spin;		/* unequal work per item, per n */
};

static char *
make(void *ctx, size_t i)
{
	struct count *c = ctx;
	long held = __atomic_add_fetch(&c->held, 1, __ATOMIC_SEQ_CST);
	long most = __atomic_load_n(&c->most, __ATOMIC_SEQ_CST);
	volatile unsigned sink = 0;
	unsigned k;

	while (held > most &&
	       !__atomic_compare_exchange_n(&c->most, &most, held, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		;
	for (k = 0; k < (unsigned)((i * 2654435761u ^ c->spin) % 2000); k++)
		sink += k;
	(void)sink;	/* the loop is the work: volatile keeps it */
	return g_strdup_printf("%zu", i);
}

static void
take(void *ctx, char *text)
{
	struct count *c = ctx;

	assert_int_equal(strtoul(text, NULL, 10), c->next);
	c->next++;
	__atomic_sub_fetch(&c->held, 1, __ATOMIC_SEQ_CST);
	g_free(text);
}

static void
test_every_item_once_in_order_within_the_ring(void **state)
{
	static const size_t sizes[] = {0, 1, 15, 16, 17, 31, 32, 33, 48, 100, 1000, 5003};
	uint32_t rng = 77;
	size_t s;
	int two;

	(void)state;
	for (s = 0; s < G_N_ELEMENTS(sizes); s++) {
		for (two = 0; two <= 1; two++) {
			struct count c = {.spin = test_xorshift32(&rng)};

			render_in_order(sizes[s], make, take, &c, two);
			assert_int_equal(c.next, sizes[s]);
			assert_int_equal(c.held, 0);
			/* the helper's ring, plus the one item this thread
			 * makes and takes at a time */
			assert_true(c.most <= RING_TEXTS + 1);
			if (!two)
				assert_true(c.most <= 1);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_item_once_in_order_within_the_ring),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
