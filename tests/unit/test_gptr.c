/*
 * test_gptr.c - the Global Pointer as revised in PROFILE.md 6: a value a
 * little below the highest is a reordered observation, never a reset.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "pdmv2/gptr.h"

/*
 * One node, values 100..488, seen on two flows (even values on one,
 * odd on the other), interleaved in capture order so that three times
 * a value arrives one place after its successor (201 after 202, 301
 * after 302, 401 after 402): a tap sees the two paths slightly out of
 * step.  Section 6: 0 resets, 3 reordered, advance 488 - 100 = 388
 * (reading every decrease as a reset gave 3 resets and 391).
 */
static void
test_one_step_reorders_on_two_flows_are_not_resets(void **state)
{
	struct pdmv2_gptr_table *t;
	struct pdmv2_gptr_sender *g;
	struct pdmv2_gptr_stats s;
	uint8_t a[16];
	uint32_t v;
	int64_t ts = 0;

	(void)state;
	inet_pton(AF_INET6, "2001:db8::7", a);
	pdmv2_gptr_table_new(&t);
	g = pdmv2_gptr_sender_get(t, a);
	pdmv2_gptr_sender_add_flow(g);
	pdmv2_gptr_sender_add_flow(g);
	for (v = 100; v <= 488; v++) {
		uint32_t x = v;

		if (v == 201 || v == 301 || v == 401)
			x = v + 1;		/* the successor overtakes */
		else if (v == 202 || v == 302 || v == 402)
			x = v - 1;
		pdmv2_gptr_sender_add(g, x, ts);
		ts += 1000000;			/* 1 ms apart */
	}
	pdmv2_gptr_get(t, 0, &s);
	assert_int_equal(s.packets, 389);
	assert_int_equal(s.resets, 0);
	assert_int_equal(s.reordered, 3);
	assert_int_equal(s.advance, 388);
	assert_int_equal(s.first, 100);
	assert_int_equal(s.last, 488);
	assert_int_equal(s.flows, 2);
	assert_true(fabs(s.coverage - 389.0 / 389.0) < 1e-15);
	assert_true(fabs(s.rate_pps - 388.0 / 0.388) < 1e-9);
	pdmv2_gptr_table_free(t);
}

static void
test_below_half_is_a_reset_and_a_new_segment(void **state)
{
	struct pdmv2_gptr_table *t;
	struct pdmv2_gptr_sender *g;
	struct pdmv2_gptr_stats s;
	uint8_t a[16];

	(void)state;
	inet_pton(AF_INET6, "2001:db8::8", a);
	pdmv2_gptr_table_new(&t);
	g = pdmv2_gptr_sender_get(t, a);
	pdmv2_gptr_sender_add(g, 1000, 0);
	pdmv2_gptr_sender_add(g, 1100, 1);
	pdmv2_gptr_sender_add(g, 550, 2);	/* >= half of 1100: reordered */
	pdmv2_gptr_sender_add(g, 549, 3);	/* < half of 1100: reset */
	pdmv2_gptr_sender_add(g, 600, 4);
	pdmv2_gptr_sender_add(g, 580, 5);	/* reordered in the new segment */
	pdmv2_gptr_get(t, 0, &s);
	assert_int_equal(s.resets, 1);
	assert_int_equal(s.reordered, 2);
	/* first segment 550..1100, second 549..600 */
	assert_int_equal(s.first, 550);
	assert_int_equal(s.last, 600);
	assert_int_equal(s.advance, (1100 - 550) + (600 - 549));
	assert_true(fabs(s.coverage - 6.0 / (601.0 + 2.0)) < 1e-15);
	pdmv2_gptr_table_free(t);
}

static void
test_reorder_across_the_2_to_the_32_wrap(void **state)
{
	struct pdmv2_gptr_table *t;
	struct pdmv2_gptr_sender *g;
	struct pdmv2_gptr_stats s;
	uint8_t a[16];

	(void)state;
	inet_pton(AF_INET6, "2001:db8::9", a);
	pdmv2_gptr_table_new(&t);
	g = pdmv2_gptr_sender_get(t, a);
	pdmv2_gptr_sender_add(g, 0xFFFFFFFEu, 0);
	pdmv2_gptr_sender_add(g, 1, 1);		/* forward by 3 */
	pdmv2_gptr_sender_add(g, 0xFFFFFFFFu, 2);	/* late: reordered */
	pdmv2_gptr_sender_add(g, 2, 3);
	pdmv2_gptr_get(t, 0, &s);
	assert_int_equal(s.resets, 0);
	assert_int_equal(s.reordered, 1);
	assert_int_equal(s.wraps, 1);
	assert_int_equal(s.advance, 4);
	assert_int_equal(s.last, 2);
	pdmv2_gptr_table_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_step_reorders_on_two_flows_are_not_resets),
		cmocka_unit_test(test_below_half_is_a_reset_and_a_new_segment),
		cmocka_unit_test(test_reorder_across_the_2_to_the_32_wrap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
