/*
 * test_psn32.c - PSN accounting of the Epoch layout's 32-bit PSNs
 * (PROFILE.md 7) and the window's cost when the highest PSN steps far.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pdmv2/psn.h"
#include "psnwin.h"

static void
test_32_bit_psns_unwrap_across_2_to_the_32(void **state)
{
	static const uint32_t seq[] = {
		0xFFFFFFFDu, 0xFFFFFFFEu, 0xFFFFFFFFu, 0, 2, 1, 2, 3,
	};
	static const enum pdmv2_psn_class want[] = {
		PDMV2_PSN_NEW, PDMV2_PSN_NEW, PDMV2_PSN_NEW, PDMV2_PSN_NEW,
		PDMV2_PSN_NEW, PDMV2_PSN_REORDERED, PDMV2_PSN_DUPLICATE,
		PDMV2_PSN_NEW,
	};
	struct pdmv2_psn p;
	uint64_t ext, prev = 0;
	size_t i;

	(void)state;
	pdmv2_psn_init_width(&p, 32);
	for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		assert_int_equal(pdmv2_psn_add(&p, seq[i], &ext), want[i]);
		if (i > 0 && i < 4)
			assert_true(ext == prev + 1);	/* no jump back at the wrap */
		prev = ext;
	}
	assert_int_equal(p.first, 0xFFFFFFFDu);
	assert_int_equal(p.last, 3);
	assert_true(p.highest - p.lowest == 6);	/* 0xFFFFFFFD .. 3 */
	assert_int_equal(p.duplicates, 1);
	assert_int_equal(p.reordered, 1);
	assert_int_equal(pdmv2_psn_lost(&p), 0);
	pdmv2_psn_free(&p);
}

static void
test_32_bit_loss_across_the_wrap(void **state)
{
	struct pdmv2_psn p;

	(void)state;
	pdmv2_psn_init_width(&p, 32);
	pdmv2_psn_add(&p, 0xFFFFFFF0u, NULL);
	pdmv2_psn_add(&p, 0xFFFFFFF1u, NULL);
	pdmv2_psn_add(&p, 5, NULL);		/* 0xFFFFFFF2 .. 4 lost: 19 */
	pdmv2_psn_add(&p, 6, NULL);
	assert_int_equal(pdmv2_psn_lost(&p), 19);
	pdmv2_psn_free(&p);
}

static void
test_16_bit_tracker_ignores_the_high_half(void **state)
{
	struct pdmv2_psn p;

	(void)state;
	pdmv2_psn_init(&p);
	assert_int_equal(pdmv2_psn_add(&p, 65535, NULL), PDMV2_PSN_NEW);
	assert_int_equal(pdmv2_psn_add(&p, 0x10000u, NULL), PDMV2_PSN_NEW);	/* = 0 */
	assert_int_equal(pdmv2_psn_lost(&p), 0);
	pdmv2_psn_free(&p);
}

/* A bit-at-a-time model of the window, for the word-wise clear. */
static void
model_clear(uint8_t *bits, uint64_t from, uint64_t to)
{
	uint64_t x;

	if (to - from + 1 >= PDMV2_PSN_WINDOW) {
		memset(bits, 0, PDMV2_PSN_WINDOW);
		return;
	}
	for (x = from; x <= to; x++)
		bits[x % PDMV2_PSN_WINDOW] = 0;
}

static void
test_window_clear_is_word_wise_and_exact(void **state)
{
	static uint64_t seen[PDMV2_PSN_WINDOW / 64];
	static uint8_t model[PDMV2_PSN_WINDOW];
	static const uint64_t steps[] = {
		1, 2, 63, 64, 65, 100, 4095, PDMV2_PSN_WINDOW - 1,
		PDMV2_PSN_WINDOW, UINT64_C(1) << 31,
	};
	uint64_t from = (UINT64_C(1) << 32) + 12345;
	size_t i, words, x;

	(void)state;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		memset(seen, 0xFF, sizeof(seen));
		memset(model, 1, sizeof(model));
		words = pdmv2_psnwin_clear(seen, from, from + steps[i] - 1);
		model_clear(model, from, from + steps[i] - 1);
		for (x = 0; x < PDMV2_PSN_WINDOW; x++)
			assert_int_equal((seen[x / 64] >> (x % 64)) & 1, model[x]);
		/* the work: one word per 64 values, plus the two ends; never
		 * more than the window (a bit at a time it was steps[i]) */
		assert_true(words <= steps[i] / 64 + 2);
		assert_true(words <= PDMV2_PSN_WINDOW / 64 + 1);
		from += steps[i] * 7 + 3;
	}
}

static void
test_huge_steps_keep_counts_exact(void **state)
{
	struct pdmv2_psn p;
	uint32_t psn = 7;
	unsigned i;

	(void)state;
	pdmv2_psn_init_width(&p, 32);
	pdmv2_psn_add(&p, psn, NULL);
	pdmv2_psn_add(&p, psn - 1, NULL);		/* makes the window */
	for (i = 0; i < 1000; i++) {
		psn += PDMV2_PSN_WINDOW - 1;		/* each step just inside */
		assert_int_equal(pdmv2_psn_add(&p, psn, NULL), PDMV2_PSN_NEW);
	}
	assert_int_equal(pdmv2_psn_add(&p, psn, NULL), PDMV2_PSN_DUPLICATE);
	assert_int_equal(pdmv2_psn_add(&p, psn - 5, NULL), PDMV2_PSN_REORDERED);
	assert_int_equal(p.distinct, 1003);
	assert_true(pdmv2_psn_lost(&p) ==
		    (uint64_t)1000 * (PDMV2_PSN_WINDOW - 1) + 2 - 1003);
	pdmv2_psn_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_32_bit_psns_unwrap_across_2_to_the_32),
		cmocka_unit_test(test_32_bit_loss_across_the_wrap),
		cmocka_unit_test(test_16_bit_tracker_ignores_the_high_half),
		cmocka_unit_test(test_window_clear_is_word_wise_and_exact),
		cmocka_unit_test(test_huge_steps_keep_counts_exact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
