/*
 * test_epoch_tracker.c - the Epoch layout per direction (PROFILE.md 5.5,
 * pdmv2/epoch.h): options sealed with the keys the vector file gives
 * (shared/spec/vectors/pdmv2-epoch.json, case 0's secret and 5-tuple)
 * open under their own Epoch's key or fail closed; the Epoch list,
 * duplicates, nonce reuse, jumps and retiring.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pdmv2/crypto.h"
#include "pdmv2/epoch.h"
#include "pdmv2/keylog.h"
#include "vectors.h"

static json_object *vectors;
static json_object *c0;			/* case 0: aes128gcm, no salt */
static uint8_t ft[PDMV2_FIVE_TUPLE_BYTES];
static uint8_t prk[PDMV2_NH];

static struct pdmv2_keylog *
secret_keylog(void)
{
	struct pdmv2_keylog *kl;
	char text[512];

	snprintf(text, sizeof(text), "PDMV2_SECRET %s %s %s %s -\n",
		 test_get_str(c0, "saddr"), test_get_str(c0, "daddr"),
		 test_get_str(c0, "aead"), test_get_str(c0, "shared_secret"));
	assert_int_equal(pdmv2_keylog_new(&kl), PDMV2_OK);
	assert_int_equal(pdmv2_keylog_load_buffer(kl, "t", text, strlen(text)),
			 PDMV2_OK);
	assert_int_equal(pdmv2_keylog_nerrors(kl), 0);
	return kl;
}

/* A protected option for (epoch, psntp) whose Global Pointer is gp. */
static void
sealed(uint16_t epoch, uint32_t psntp, uint32_t gp, struct pdmv2_option *opt)
{
	uint8_t key[32], nonce[12], wire[PDMV2_OPTION_MAX];
	struct pdmv2_cipher *c;
	struct pdmv2_option o = {0};

	assert_int_equal(pdmv2_derive_epoch(PDMV2_AEAD_AES128GCM, prk, ft, epoch,
					    key, nonce), PDMV2_OK);
	assert_int_equal(pdmv2_cipher_new(PDMV2_AEAD_AES128GCM, key, nonce, &c),
			 PDMV2_OK);
	o.type = PDMV2_OPTION_TYPE_DEFAULT;
	o.variant = PDMV2_VARIANT_ENCRYPTED;
	o.layout = PDMV2_LAYOUT_EPOCH;
	o.version = PDMV2_VERSION;
	o.epoch = epoch;
	o.m.psntp = psntp;
	o.m.psnlr = psntp ^ 0x5A5A;
	o.m.global_pointer = gp;
	o.m.delta_tlr = 7;
	o.m.scale_dtlr = 20;
	assert_int_equal(pdmv2_cipher_seal_epoch(c, &o, wire), PDMV2_OK);
	assert_int_equal(pdmv2_option_parse(wire, 40, opt), PDMV2_OK);
	pdmv2_cipher_free(c);
}

static void
test_each_option_opens_under_its_own_epoch(void **state)
{
	struct pdmv2_keylog *kl = secret_keylog();
	struct pdmv2_epoch_tracker *t;
	struct pdmv2_epoch_result r;
	struct pdmv2_epoch_totals tot;
	struct pdmv2_option o;
	struct pdmv2_metrics m;
	uint32_t i;

	(void)state;
	assert_int_equal(pdmv2_epoch_tracker_new(kl, ft, &t), PDMV2_OK);
	for (i = 0; i < 30; i++) {
		/* Epoch 0 until PSNTP wraps, then Epoch 1 (5.5) */
		uint32_t psntp = 0xFFFFFFF0u + i;

		sealed(psntp >= 0xFFFFFFF0u ? 0 : 1, psntp, 1000 + i, &o);
		pdmv2_epoch_track(t, &o, i + 1, (int64_t)i * 1000, &m, &r);
		assert_int_equal(r.status, PDMV2_OK);
		assert_true(r.counted);
		assert_int_equal(m.global_pointer, 1000 + i);
		assert_int_equal(m.psntp, psntp);
		assert_int_equal(m.psnlr, psntp ^ 0x5A5A);
		assert_int_equal(r.first, i == 0);
		assert_int_equal(r.new_epoch, i == 16);
		assert_false(r.jump || r.late || r.duplicate || r.nonce_reuse);
		assert_non_null(r.src);
	}
	assert_int_equal(pdmv2_epoch_count(t), 2);
	assert_int_equal(pdmv2_epoch_at(t, 0)->epoch, 0);
	assert_int_equal(pdmv2_epoch_at(t, 0)->packets, 16);
	assert_int_equal(pdmv2_epoch_at(t, 0)->first_frame, 1);
	assert_int_equal(pdmv2_epoch_at(t, 0)->last_frame, 16);
	assert_int_equal(pdmv2_epoch_at(t, 1)->epoch, 1);
	assert_int_equal(pdmv2_epoch_at(t, 1)->packets, 14);
	assert_int_equal(pdmv2_epoch_at(t, 1)->last_ts_ns, 29000);
	assert_int_equal(pdmv2_epoch_current(t), 1);
	pdmv2_epoch_totals(t, &tot);
	assert_int_equal(tot.opened, 30);
	assert_int_equal(tot.counted, 30);
	pdmv2_epoch_tracker_free(t);
	pdmv2_keylog_free(kl);
}

static void
test_flipped_tag_fails_and_counts_nowhere(void **state)
{
	struct pdmv2_keylog *kl = secret_keylog();
	struct pdmv2_epoch_tracker *t;
	struct pdmv2_epoch_result r;
	struct pdmv2_epoch_totals tot;
	struct pdmv2_option o;
	struct pdmv2_metrics m;
	unsigned bit;

	(void)state;
	assert_int_equal(pdmv2_epoch_tracker_new(kl, ft, &t), PDMV2_OK);
	sealed(3, 10, 1, &o);
	pdmv2_epoch_track(t, &o, 1, 0, &m, &r);
	assert_int_equal(r.status, PDMV2_OK);
	for (bit = 0; bit < 8 * PDMV2_TAG_BYTES; bit++) {
		sealed(3, 11, 2, &o);
		o.tag[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		pdmv2_epoch_track(t, &o, 2, 0, &m, &r);
		assert_int_equal(r.status, PDMV2_ERR_AUTH);
		assert_false(r.counted);
		assert_int_equal(m.global_pointer, 0);
	}
	pdmv2_epoch_totals(t, &tot);
	assert_int_equal(tot.auth_failed, 128);
	assert_int_equal(tot.counted, 1);
	assert_int_equal(pdmv2_epoch_at(t, 0)->packets, 1);
	pdmv2_epoch_tracker_free(t);
	pdmv2_keylog_free(kl);
}

static void
test_epoch_without_a_key_fails_closed_but_counts(void **state)
{
	json_object *c2 = json_object_array_get_idx(test_get(vectors,
							     "protected_options"), 2);
	struct pdmv2_keylog *kl;
	struct pdmv2_epoch_tracker *t, *bare;
	struct pdmv2_epoch_result r;
	struct pdmv2_option o;
	struct pdmv2_metrics m;
	char text[512];

	(void)state;
	/* the key of Epoch 7 only (case 2 shares case 0's flow and secret) */
	snprintf(text, sizeof(text),
		 "PDMV2_EPOCH_KEY 2001:db8::1 40000 2001:db8::2 443 17 7 aes128gcm %s %s\n",
		 test_get_str(c2, "key"), test_get_str(c2, "base_nonce"));
	assert_int_equal(pdmv2_keylog_new(&kl), PDMV2_OK);
	assert_int_equal(pdmv2_keylog_load_buffer(kl, "t", text, strlen(text)),
			 PDMV2_OK);
	assert_int_equal(pdmv2_epoch_tracker_new(kl, ft, &t), PDMV2_OK);
	assert_int_equal(pdmv2_epoch_tracker_new(NULL, ft, &bare), PDMV2_OK);
	sealed(7, 100, 5, &o);
	pdmv2_epoch_track(t, &o, 1, 0, &m, &r);
	assert_int_equal(r.status, PDMV2_OK);
	assert_int_equal(m.global_pointer, 5);
	pdmv2_epoch_track(bare, &o, 1, 0, &m, &r);
	assert_int_equal(r.status, PDMV2_ERR_NO_KEY);
	assert_true(r.counted);
	assert_int_equal(m.psntp, 100);
	assert_int_equal(m.global_pointer, 0);
	sealed(8, 101, 6, &o);
	pdmv2_epoch_track(t, &o, 2, 0, &m, &r);
	assert_int_equal(r.status, PDMV2_ERR_NO_KEY);	/* fail closed */
	assert_true(r.counted);
	assert_true(r.new_epoch);
	assert_int_equal(m.psntp, 101);
	assert_int_equal(m.global_pointer, 0);
	assert_int_equal(pdmv2_epoch_count(t), 2);
	assert_int_equal(pdmv2_epoch_at(t, 1)->no_key, 1);
	pdmv2_epoch_tracker_free(t);
	pdmv2_epoch_tracker_free(bare);
	pdmv2_keylog_free(kl);
}

static void
test_same_bytes_twice_is_a_duplicate_other_bytes_a_nonce_reuse(void **state)
{
	struct pdmv2_keylog *kl = secret_keylog();
	struct pdmv2_epoch_tracker *t;
	struct pdmv2_epoch_result r;
	struct pdmv2_option o, o2;
	struct pdmv2_metrics m;

	(void)state;
	assert_int_equal(pdmv2_epoch_tracker_new(kl, ft, &t), PDMV2_OK);
	sealed(2, 50, 1, &o);
	pdmv2_epoch_track(t, &o, 1, 0, &m, &r);
	assert_false(r.duplicate || r.nonce_reuse);
	pdmv2_epoch_track(t, &o, 2, 0, &m, &r);
	assert_int_equal(r.status, PDMV2_OK);
	assert_true(r.duplicate);
	assert_false(r.nonce_reuse);
	sealed(2, 50, 2, &o2);			/* same nonce, other plaintext */
	pdmv2_epoch_track(t, &o2, 3, 0, &m, &r);
	assert_int_equal(r.status, PDMV2_OK);
	assert_true(r.nonce_reuse);
	assert_false(r.duplicate);
	assert_int_equal(pdmv2_epoch_at(t, 0)->duplicates, 1);
	assert_int_equal(pdmv2_epoch_at(t, 0)->nonce_reuse, 1);
	assert_int_equal(pdmv2_epoch_at(t, 0)->packets, 3);
	pdmv2_epoch_tracker_free(t);
	pdmv2_keylog_free(kl);
}

static void
test_jump_is_accepted_and_flagged_late_is_not_a_move_back(void **state)
{
	struct pdmv2_keylog *kl = secret_keylog();
	struct pdmv2_epoch_tracker *t;
	struct pdmv2_epoch_result r;
	struct pdmv2_option o;
	struct pdmv2_metrics m;

	(void)state;
	assert_int_equal(pdmv2_epoch_tracker_new(kl, ft, &t), PDMV2_OK);
	sealed(4095, 1, 1, &o);
	pdmv2_epoch_track(t, &o, 1, 0, &m, &r);
	sealed(0, 2, 2, &o);			/* 4095 + 1 mod 4096 */
	pdmv2_epoch_track(t, &o, 2, 0, &m, &r);
	assert_true(r.new_epoch);
	assert_false(r.jump);
	sealed(4095, 3, 3, &o);			/* late, previous Epoch */
	pdmv2_epoch_track(t, &o, 3, 0, &m, &r);
	assert_int_equal(r.status, PDMV2_OK);
	assert_true(r.late);
	assert_false(r.jump || r.new_epoch);
	assert_int_equal(pdmv2_epoch_current(t), 0);
	sealed(9, 4, 4, &o);			/* a jump */
	pdmv2_epoch_track(t, &o, 4, 0, &m, &r);
	assert_int_equal(r.status, PDMV2_OK);
	assert_true(r.jump);
	assert_int_equal(pdmv2_epoch_current(t), 9);
	pdmv2_epoch_tracker_free(t);
	pdmv2_keylog_free(kl);
}

static void
test_unsupported_version_is_not_interpreted_or_counted(void **state)
{
	struct pdmv2_epoch_tracker *t;
	struct pdmv2_epoch_result r;
	struct pdmv2_option o;
	struct pdmv2_metrics m;
	uint8_t wire[64];
	size_t n = test_hex(test_get_str(test_get(vectors, "plain_option"),
					 "option"), wire, sizeof(wire));

	(void)state;
	assert_int_equal(pdmv2_epoch_tracker_new(NULL, ft, &t), PDMV2_OK);
	assert_int_equal(pdmv2_option_parse(wire, n, &o), PDMV2_OK);
	pdmv2_epoch_track(t, &o, 1, 0, &m, &r);
	assert_int_equal(r.status, PDMV2_OK);		/* plain: no key needed */
	assert_int_equal(m.psnlr, o.m.psnlr);
	wire[2] = (uint8_t)(0x10 | (wire[2] & 0x0F));
	assert_int_equal(pdmv2_option_parse(wire, n, &o), PDMV2_OK);
	pdmv2_epoch_track(t, &o, 2, 0, &m, &r);
	assert_int_equal(r.status, PDMV2_ERR_INVALID);
	assert_false(r.counted);
	assert_int_equal(pdmv2_epoch_at(t, 0)->packets, 1);
	pdmv2_epoch_tracker_free(t);
}

struct kept {
	unsigned n;
	uint16_t epochs[16];
	uint64_t packets[16];
};

static bool
keep(void *ctx, const struct pdmv2_epoch_info *e)
{
	struct kept *k = ctx;

	k->epochs[k->n] = e->epoch;
	k->packets[k->n++] = e->packets;
	return true;
}

static void
test_retired_epochs_leave_the_tracker_in_order(void **state)
{
	struct pdmv2_epoch_tracker *t;
	struct pdmv2_epoch_result r;
	struct pdmv2_option o;
	struct pdmv2_metrics m;
	struct kept k = {0};
	uint16_t e;
	unsigned i;

	(void)state;
	assert_int_equal(pdmv2_epoch_tracker_new(NULL, ft, &t), PDMV2_OK);
	pdmv2_epoch_set_retire(t, keep, &k);
	for (e = 0; e < 10; e++)
		for (i = 0; i <= e; i++) {
			sealed(e, 100u * e + i, 1, &o);
			pdmv2_epoch_track(t, &o, 1, 0, &m, &r);
			assert_int_equal(r.status, PDMV2_ERR_NO_KEY);
		}
	assert_int_equal(pdmv2_epoch_count(t), 2);
	assert_int_equal(pdmv2_epoch_retired(t), 8);
	assert_int_equal(k.n, 8);
	for (i = 0; i < 8; i++) {
		assert_int_equal(k.epochs[i], i);
		assert_int_equal(k.packets[i], i + 1);
	}
	assert_int_equal(pdmv2_epoch_at(t, 1)->packets, 10);
	pdmv2_epoch_tracker_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_option_opens_under_its_own_epoch),
		cmocka_unit_test(test_flipped_tag_fails_and_counts_nowhere),
		cmocka_unit_test(test_epoch_without_a_key_fails_closed_but_counts),
		cmocka_unit_test(test_same_bytes_twice_is_a_duplicate_other_bytes_a_nonce_reuse),
		cmocka_unit_test(test_jump_is_accepted_and_flagged_late_is_not_a_move_back),
		cmocka_unit_test(test_unsupported_version_is_not_interpreted_or_counted),
		cmocka_unit_test(test_retired_epochs_leave_the_tracker_in_order),
	};
	uint8_t secret[32];
	int rc;

	vectors = test_load_vectors("pdmv2-epoch.json");
	c0 = json_object_array_get_idx(test_get(vectors, "protected_options"), 0);
	test_hex(test_get_str(c0, "five_tuple"), ft, sizeof(ft));
	test_hex(test_get_str(c0, "shared_secret"), secret, sizeof(secret));
	if (pdmv2_derive_prk(PDMV2_AEAD_AES128GCM, secret, NULL, 0, prk) != PDMV2_OK)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	json_object_put(vectors);
	return rc;
}
