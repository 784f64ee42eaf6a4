/*
 * test_kri.c - Key Rotation Index reconstruction (PROFILE.md 5.4) with a
 * test double for the AEAD: a packet "authenticates" only under the kri
 * the test says it was sealed with.  Plus the decryptor with real keys.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <glib.h>

#include "pdmv2/crypto.h"
#include "decrypt_ahead.h"
#include "kri_ahead.h"
#include "pdmv2/decrypt.h"
#include "pdmv2/kri.h"

struct fake {
	uint32_t true_kri;
	bool forged;		/* nothing authenticates */
	bool no_keys;		/* every kri: no key */
	unsigned tries;
};

static enum pdmv2_err
fake_open(void *ctx, uint32_t kri, const struct pdmv2_option *opt,
	  struct pdmv2_metrics *m)
{
	struct fake *f = ctx;

	(void)opt;
	f->tries++;
	if (f->no_keys)
		return PDMV2_ERR_NO_KEY;
	if (f->forged || kri != f->true_kri)
		return PDMV2_ERR_AUTH;
	m->psntp = 1;
	return PDMV2_OK;
}

struct run {
	struct pdmv2_kri_tracker *t;
	uint64_t frame;
	uint16_t prseq;
};

/* One packet sealed under kri (F = kri mod 2); returns the result. */
static struct pdmv2_kri_result
feed(struct run *r, uint32_t kri, bool forged)
{
	struct fake f = {kri, forged, false, 0};
	struct pdmv2_option o = {.variant = PDMV2_VARIANT_ENCRYPTED};
	struct pdmv2_metrics m;
	struct pdmv2_kri_result res;

	o.flag = kri & 1u;
	o.random = ++r->prseq;
	o.tag[0] = (uint8_t)r->prseq;
	r->frame++;
	pdmv2_kri_track(r->t, &o, r->frame, (int64_t)r->frame * 1000, fake_open,
			&f, &m, &res);
	return res;
}

static void
run_init(struct run *r, unsigned window)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(pdmv2_kri_tracker_new(window, &r->t), PDMV2_OK);
}

static void
test_plain_rotation_builds_one_epoch_per_kri(void **state)
{
	struct run r;
	uint32_t k;
	int i;

	(void)state;
	run_init(&r, 16);
	for (k = 0; k < 3; k++)
		for (i = 0; i < 5; i++)
			assert_int_equal(feed(&r, k, false).status, PDMV2_OK);
	assert_int_equal(pdmv2_kri_epoch_count(r.t), 3);
	for (k = 0; k < 3; k++) {
		const struct pdmv2_kri_epoch *e = pdmv2_kri_epoch_at(r.t, k);

		assert_int_equal(e->kri, k);
		assert_int_equal(e->phase, k & 1);
		assert_int_equal(e->packets, 5);
		assert_int_equal(e->first_frame, 5 * k + 1);
		assert_int_equal(e->last_frame, 5 * k + 5);
		assert_int_equal(e->first_ts_ns, (int64_t)(5 * k + 1) * 1000);
	}
	assert_int_equal(pdmv2_kri_current(r.t), 2);
	pdmv2_kri_tracker_free(r.t);
}

struct sink {
	uint32_t kri[8];
	unsigned n, refuse_after;	/* refuse_after 0: never */
};

static bool
sink_take(void *ctx, const struct pdmv2_kri_epoch *e)
{
	struct sink *k = ctx;

	if (k->refuse_after && k->n == k->refuse_after)
		return false;
	assert_true(k->n < 8);
	k->kri[k->n++] = e->kri;
	return true;
}

static void
test_final_epochs_are_retired_oldest_first(void **state)
{
	struct sink k = {{0}, 0, 0};
	struct pdmv2_kri_totals tot;
	struct run r;
	uint32_t kri;

	(void)state;
	run_init(&r, 16);
	pdmv2_kri_set_retire(r.t, sink_take, &k);
	for (kri = 0; kri < 6; kri++) {
		assert_int_equal(feed(&r, kri, false).status, PDMV2_OK);
		assert_int_equal(feed(&r, kri, false).status, PDMV2_OK);
	}
	/* at kri 5, kri 4 may still get a late packet: 0..3 are final */
	assert_int_equal(k.n, 4);
	for (kri = 0; kri < 4; kri++)
		assert_int_equal(k.kri[kri], kri);
	assert_int_equal(pdmv2_kri_epochs_retired(r.t), 4);
	assert_int_equal(pdmv2_kri_epoch_count(r.t), 2);
	assert_int_equal(pdmv2_kri_epoch_at(r.t, 0)->kri, 4);
	/* the late packet of kri 4 still lands in its epoch */
	assert_true(feed(&r, 4, false).late);
	assert_int_equal(pdmv2_kri_epoch_at(r.t, 0)->packets, 3);
	/* the opened total counts the retired epochs' packets too, and
	 * not a forged one */
	assert_int_equal(feed(&r, 5, true).status, PDMV2_ERR_AUTH);
	pdmv2_kri_totals(r.t, &tot);
	assert_int_equal(tot.opened, 13);
	assert_int_equal(tot.late, 1);
	assert_int_equal(tot.auth_failed, 1);
	pdmv2_kri_tracker_free(r.t);

	/* a refusal keeps that epoch and every later one in the tracker */
	memset(&k, 0, sizeof(k));
	k.refuse_after = 2;
	run_init(&r, 16);
	pdmv2_kri_set_retire(r.t, sink_take, &k);
	for (kri = 0; kri < 8; kri++)
		assert_int_equal(feed(&r, kri, false).status, PDMV2_OK);
	assert_int_equal(k.n, 2);
	assert_int_equal(pdmv2_kri_epoch_count(r.t), 6);
	assert_int_equal(pdmv2_kri_epoch_at(r.t, 0)->kri, 2);
	pdmv2_kri_totals(r.t, &tot);
	assert_int_equal(tot.opened, 8);
	pdmv2_kri_tracker_free(r.t);
}

static void
test_first_packets_of_a_new_phase_lost(void **state)
{
	struct run r;
	struct pdmv2_kri_result res;

	(void)state;
	run_init(&r, 16);
	feed(&r, 0, false);
	feed(&r, 0, false);
	/* kri 1's first packets never arrive; F flipped says "rotated" */
	res = feed(&r, 1, false);
	assert_int_equal(res.status, PDMV2_OK);
	assert_int_equal(res.kri, 1);
	assert_true(res.rotated);
	assert_int_equal(res.tries, 1);		/* kri + 1 first */
	pdmv2_kri_tracker_free(r.t);
}

static void
test_late_packet_of_previous_phase_does_not_move_state_back(void **state)
{
	struct run r;
	struct pdmv2_kri_result res;

	(void)state;
	run_init(&r, 16);
	feed(&r, 0, false);
	feed(&r, 1, false);
	res = feed(&r, 0, false);	/* reordered: sent before the rotation */
	assert_int_equal(res.status, PDMV2_OK);
	assert_int_equal(res.kri, 0);
	assert_true(res.late);
	assert_int_equal(pdmv2_kri_current(r.t), 1);
	res = feed(&r, 1, false);
	assert_int_equal(res.kri, 1);
	assert_false(res.late);
	assert_int_equal(pdmv2_kri_epoch_at(r.t, 0)->late, 1);
	assert_int_equal(pdmv2_kri_epoch_at(r.t, 0)->packets, 2);
	assert_int_equal(pdmv2_kri_epoch_at(r.t, 0)->last_frame, 3);
	pdmv2_kri_tracker_free(r.t);
}

static void
test_capture_starting_at_kri_5(void **state)
{
	struct run r;
	struct pdmv2_kri_result res;

	(void)state;
	run_init(&r, 16);
	res = feed(&r, 5, false);
	assert_int_equal(res.status, PDMV2_OK);
	assert_true(res.first);
	assert_int_equal(res.kri, 5);
	assert_int_equal(res.tries, 3);		/* F=1: tries 1, 3, 5 */
	assert_int_equal(pdmv2_kri_epoch_at(r.t, 0)->kri, 5);
	pdmv2_kri_tracker_free(r.t);
}

static void
test_whole_phases_lost_jump_by_3_and_5(void **state)
{
	struct run r;
	struct pdmv2_kri_result res;

	(void)state;
	run_init(&r, 16);
	feed(&r, 0, false);
	res = feed(&r, 3, false);
	assert_int_equal(res.status, PDMV2_OK);
	assert_int_equal(res.kri, 3);
	assert_true(res.rotated);
	res = feed(&r, 8, false);
	assert_int_equal(res.kri, 8);
	assert_int_equal(pdmv2_kri_epoch_count(r.t), 3);
	pdmv2_kri_tracker_free(r.t);
}

static void
test_beyond_the_window_fails_and_keeps_state(void **state)
{
	struct run r;
	struct pdmv2_kri_result res;

	(void)state;
	run_init(&r, 2);
	feed(&r, 0, false);
	/* W = 2: forward candidates kri+1, kri+3 only */
	res = feed(&r, 5, false);
	assert_int_equal(res.status, PDMV2_ERR_AUTH);
	assert_int_equal(pdmv2_kri_current(r.t), 0);
	res = feed(&r, 3, false);
	assert_int_equal(res.status, PDMV2_OK);
	/* unknown state, W = 1: only kri = F */
	pdmv2_kri_tracker_free(r.t);
	run_init(&r, 1);
	assert_int_equal(feed(&r, 2, false).status, PDMV2_ERR_AUTH);
	assert_false(pdmv2_kri_known(r.t));
	assert_int_equal(feed(&r, 0, false).status, PDMV2_OK);
	pdmv2_kri_tracker_free(r.t);
}

static void
test_forged_packet_does_not_move_the_state(void **state)
{
	struct run r;
	struct pdmv2_kri_result res;
	struct pdmv2_kri_totals tot;

	(void)state;
	run_init(&r, 16);
	feed(&r, 0, false);
	res = feed(&r, 1, true);
	assert_int_equal(res.status, PDMV2_ERR_AUTH);
	assert_int_equal(pdmv2_kri_current(r.t), 0);
	assert_int_equal(pdmv2_kri_epoch_count(r.t), 1);
	pdmv2_kri_totals(r.t, &tot);
	assert_int_equal(tot.auth_failed, 1);
	assert_int_equal(tot.opened, 1);
	pdmv2_kri_tracker_free(r.t);
}

static void
test_prseq_reuse_is_nonce_reuse_and_same_bytes_a_duplicate(void **state)
{
	struct run r;
	struct fake f = {0, false, false, 0};
	struct pdmv2_option o = {.variant = PDMV2_VARIANT_ENCRYPTED, .random = 7};
	struct pdmv2_metrics m;
	struct pdmv2_kri_result res;

	(void)state;
	run_init(&r, 16);
	o.tag[0] = 0xAA;
	pdmv2_kri_track(r.t, &o, 1, 0, fake_open, &f, &m, &res);
	assert_false(res.duplicate || res.nonce_reuse);
	pdmv2_kri_track(r.t, &o, 2, 0, fake_open, &f, &m, &res);
	assert_true(res.duplicate);
	assert_false(res.nonce_reuse);
	o.tag[0] = 0xBB;	/* same PRSEQ, other ciphertext */
	pdmv2_kri_track(r.t, &o, 3, 0, fake_open, &f, &m, &res);
	assert_true(res.nonce_reuse);
	assert_int_equal(pdmv2_kri_epoch_at(r.t, 0)->nonce_reuse, 1);
	assert_int_equal(pdmv2_kri_epoch_at(r.t, 0)->duplicates, 1);
	pdmv2_kri_tracker_free(r.t);
}

static void
test_no_key_is_not_an_auth_failure(void **state)
{
	struct pdmv2_kri_tracker *t;
	struct fake f = {0, false, true, 0};
	struct pdmv2_option o = {.variant = PDMV2_VARIANT_ENCRYPTED, .random = 1};
	struct pdmv2_metrics m;
	struct pdmv2_kri_result res;
	struct pdmv2_kri_totals tot;

	(void)state;
	pdmv2_kri_tracker_new(16, &t);
	pdmv2_kri_track(t, &o, 1, 0, fake_open, &f, &m, &res);
	assert_int_equal(res.status, PDMV2_ERR_NO_KEY);
	pdmv2_kri_totals(t, &tot);
	assert_int_equal(tot.no_key, 1);
	assert_int_equal(tot.auth_failed, 0);
	pdmv2_kri_tracker_free(t);
}

static void
test_unknown_state_search_stays_within_the_window(void **state)
{
	struct run r;
	struct pdmv2_kri_result res;

	(void)state;
	run_init(&r, 16);
	/* F = 0: candidates 0, 2, ..., 30; a kri far above is not found
	 * and the search ends after exactly W tries (no wrap past 2^32) */
	res = feed(&r, UINT32_MAX - 1, false);
	assert_int_equal(res.status, PDMV2_ERR_AUTH);
	assert_int_equal(res.tries, 16);
	res = feed(&r, 30, false);
	assert_int_equal(res.status, PDMV2_OK);
	assert_int_equal(res.tries, 16);
	pdmv2_kri_tracker_free(r.t);
	assert_int_equal(pdmv2_kri_tracker_new(0, &r.t), PDMV2_ERR_INVALID);
}

/* ---- the decryptor, with real keys ---- */

static const char secret_hex[] =
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

static void
seal(const uint8_t ft[37], uint32_t kri, uint16_t prseq, uint16_t psn,
     struct pdmv2_option *out)
{
	uint8_t secret[32], prk[32], key[32], nonce[12], wire[36];
	struct pdmv2_cipher *c;
	struct pdmv2_option o = {.variant = PDMV2_VARIANT_ENCRYPTED, .type = 0x0F,
				 .version = 2};
	size_t i;

	for (i = 0; i < 32; i++)
		secret[i] = (uint8_t)i;
	pdmv2_derive_prk(PDMV2_AEAD_AES128GCM, secret, NULL, 0, prk);
	pdmv2_derive_session(PDMV2_AEAD_AES128GCM, prk, ft, kri, key, nonce);
	pdmv2_cipher_new(PDMV2_AEAD_AES128GCM, key, nonce, &c);
	o.random = prseq;
	o.flag = kri & 1u;
	o.m.psntp = psn;
	o.m.global_pointer = 1000 + psn;
	assert_int_equal(pdmv2_cipher_seal_option(c, &o, wire), PDMV2_OK);
	assert_int_equal(pdmv2_option_parse(wire, sizeof(wire), out), PDMV2_OK);
	pdmv2_cipher_free(c);
}

static struct pdmv2_keylog *
keylog_of(const char *text)
{
	struct pdmv2_keylog *kl;

	pdmv2_keylog_new(&kl);
	pdmv2_keylog_load_buffer(kl, "mem", text, strlen(text));
	assert_int_equal(pdmv2_keylog_nerrors(kl), 0);
	return kl;
}

/* The test pair's sender 5-tuple, and a key log with its secret. */
static struct pdmv2_keylog *
pair_keylog(uint8_t ft[37])
{
	uint8_t a[16], b[16];
	char text[256];

	inet_pton(AF_INET6, "2001:db8::1", a);
	inet_pton(AF_INET6, "2001:db8::2", b);
	pdmv2_five_tuple(a, b, 40000, 443, 17, ft);
	snprintf(text, sizeof(text), "PDMV2_SECRET 2001:db8::2 2001:db8::1 aes128gcm %s -\n",
		 secret_hex);
	return keylog_of(text);
}

static void
test_decryptor_follows_rotations_with_real_keys(void **state)
{
	uint8_t ft[37];
	struct pdmv2_keylog *kl;
	struct pdmv2_decryptor *d;
	struct pdmv2_option o;
	struct pdmv2_metrics m;
	struct pdmv2_kri_result res;
	uint16_t psn = 100;
	uint32_t k;

	(void)state;
	kl = pair_keylog(ft);
	assert_int_equal(pdmv2_decryptor_new(kl, ft, 16, &d), PDMV2_OK);
	for (k = 2; k < 6; k++) {
		unsigned i;

		for (i = 1; i <= 3; i++, psn++) {
			seal(ft, k, (uint16_t)(i * 7), psn, &o);
			assert_int_equal(pdmv2_decryptor_open(d, &o, psn, 0, &m, &res),
					 PDMV2_OK);
			assert_int_equal(res.kri, k);
			assert_int_equal(m.psntp, psn);
			assert_int_equal(m.global_pointer, 1000u + psn);
		}
	}
	assert_int_equal(pdmv2_kri_epoch_count(pdmv2_decryptor_tracker(d)), 4);
	assert_non_null(pdmv2_decryptor_winner(d));
	pdmv2_decryptor_free(d);
	pdmv2_keylog_free(kl);
}

/* While the state is unknown each packet searches W kri values; their
 * keys are kept between packets (decrypt.c, KEYMAT_KRI).  Failed
 * searches must not spoil the first one that succeeds, nor packets
 * past the window ever open. */
/* Re-registering appends a line: sixteen stale secrets for the pair
 * above the valid one, and sixteen below it (PROFILE.md 8: every
 * matching entry is a candidate).  The decryptor still finds the valid
 * secret, within the packets it takes to try every candidate. */
static void
test_decryptor_finds_the_valid_secret_among_many_stale_ones(void **state)
{
	static const int layouts[][2] = {{0, 16}, {16, 0}, {16, 16}};
	uint8_t a[16], b[16], ft[37];
	struct pdmv2_option o;
	struct pdmv2_metrics m;
	struct pdmv2_kri_result res;
	unsigned l;

	(void)state;
	inet_pton(AF_INET6, "2001:db8::1", a);
	inet_pton(AF_INET6, "2001:db8::2", b);
	pdmv2_five_tuple(a, b, 40000, 443, 17, ft);
	for (l = 0; l < 3; l++) {
		GString *text = g_string_new("");
		struct pdmv2_keylog *kl;
		struct pdmv2_decryptor *d;
		unsigned i, opened = 0;
		uint16_t psn;
		int k;

		for (k = 0; k < layouts[l][0]; k++)	/* stale, older */
			g_string_append_printf(text, "PDMV2_SECRET 2001:db8::2 2001:db8::1 "
					       "aes128gcm %064x -\n", k + 1);
		g_string_append_printf(text, "PDMV2_SECRET 2001:db8::2 2001:db8::1 "
				       "aes128gcm %s -\n", secret_hex);
		for (k = 0; k < layouts[l][1]; k++)	/* stale, newer */
			g_string_append_printf(text, "PDMV2_SECRET 2001:db8::1 2001:db8::2 "
					       "aes128gcm %064x -\n", k + 100);
		kl = keylog_of(text->str);
		assert_int_equal(pdmv2_keylog_count(kl),
				 (size_t)(layouts[l][0] + layouts[l][1] + 1));
		assert_int_equal(pdmv2_decryptor_new(kl, ft, 4, &d), PDMV2_OK);
		for (i = 0, psn = 10; i < 4; i++, psn++) {
			seal(ft, 0, (uint16_t)(i + 1), psn, &o);
			if (pdmv2_decryptor_open(d, &o, psn, 0, &m, &res) == PDMV2_OK) {
				assert_int_equal(m.psntp, psn);
				opened++;
			}
		}
		/* at most one packet goes by while the first sixteen are
		 * tried (the valid one is the 17th, 33 in all) */
		assert_true(opened >= 3);
		assert_non_null(pdmv2_decryptor_winner(d));
		assert_int_equal(pdmv2_keysrc_entry(pdmv2_decryptor_winner(d))->line,
				 (unsigned)layouts[l][0] + 1);
		pdmv2_decryptor_free(d);
		pdmv2_keylog_free(kl);
		g_string_free(text, TRUE);
	}
}

static void
test_unknown_state_searches_again_with_kept_keys(void **state)
{
	uint8_t ft[37];
	struct pdmv2_keylog *kl;
	struct pdmv2_decryptor *d;
	struct pdmv2_option o;
	struct pdmv2_metrics m;
	struct pdmv2_kri_result res;
	unsigned i;

	(void)state;
	kl = pair_keylog(ft);

	/* past the window (kri 40 > F + 2(W-1) = 30): never, however often */
	assert_int_equal(pdmv2_decryptor_new(kl, ft, 16, &d), PDMV2_OK);
	for (i = 0; i < 3; i++) {
		seal(ft, 40, (uint16_t)(10 + i), (uint16_t)i, &o);
		assert_int_equal(pdmv2_decryptor_open(d, &o, i, 0, &m, &res), PDMV2_ERR_AUTH);
		assert_int_equal(res.tries, 16);
	}
	pdmv2_decryptor_free(d);

	/* damaged packets of kri 6 fail the whole search; the first whole
	 * one fixes the state, and rotation goes on from there */
	assert_int_equal(pdmv2_decryptor_new(kl, ft, 16, &d), PDMV2_OK);
	for (i = 0; i < 5; i++) {
		seal(ft, 6, (uint16_t)(20 + i), (uint16_t)i, &o);
		o.ciphertext[i] ^= 0x40;
		assert_int_equal(pdmv2_decryptor_open(d, &o, i, 0, &m, &res), PDMV2_ERR_AUTH);
	}
	seal(ft, 6, 30, 5, &o);
	assert_int_equal(pdmv2_decryptor_open(d, &o, 5, 0, &m, &res), PDMV2_OK);
	assert_true(res.first);
	assert_int_equal(res.kri, 6);
	assert_int_equal(m.psntp, 5);
	seal(ft, 7, 31, 6, &o);
	assert_int_equal(pdmv2_decryptor_open(d, &o, 6, 0, &m, &res), PDMV2_OK);
	assert_int_equal(res.kri, 7);
	assert_int_equal(m.psntp, 6);
	pdmv2_decryptor_free(d);
	pdmv2_keylog_free(kl);
}

/* A decryptor opening ahead (another thread's, in the analyzer) and
 * the one that keeps the record: the record is what opening alone gives,
 * packet for packet, whether or not the one ahead saw the packet. */
static void
test_preopened_answers_stand_in_for_exactly_their_key(void **state)
{
	uint8_t ft[37];
	struct pdmv2_keylog *kl;
	struct pdmv2_decryptor *ahead, *rec, *alone;
	struct pdmv2_preopened pre, forged;
	struct pdmv2_option o;
	struct pdmv2_metrics m, m1;
	struct pdmv2_kri_result res, res1;
	uint16_t psn = 100;
	unsigned n = 0, used = 0;
	uint32_t k;

	(void)state;
	kl = pair_keylog(ft);
	assert_int_equal(pdmv2_decryptor_new(kl, ft, 16, &ahead), PDMV2_OK);
	assert_int_equal(pdmv2_decryptor_new(kl, ft, 16, &rec), PDMV2_OK);
	assert_int_equal(pdmv2_decryptor_new(kl, ft, 16, &alone), PDMV2_OK);
	/* kri 3 is never seen ahead: it then guesses wrong at kri 4 (F as
	 * at kri 2) until kri 5 puts it right */
	for (k = 2; k < 6; k++) {
		unsigned i;

		for (i = 1; i <= 4; i++, psn++, n++) {
			seal(ft, k, (uint16_t)(i * 7 + k), psn, &o);
			memset(&pre, 0, sizeof(pre));
			if (k != 3)
				pdmv2_decryptor_preopen(ahead, &o, &pre);
			if (pre.src) {
				used++;
				assert_int_equal(pre.kri, k);
				assert_int_equal(pre.m.psntp, psn);
			}
			pdmv2_decryptor_open_preopened(rec, &o, n, 0, &pre, &m, &res);
			pdmv2_decryptor_open(alone, &o, n, 0, &m1, &res1);
			assert_int_equal(res.status, PDMV2_OK);
			assert_memory_equal(&res, &res1, sizeof(res));
			assert_memory_equal(&m, &m1, sizeof(m));
		}
	}
	assert_int_equal(used, 8);	/* k = 2 and 5; at 4 it guessed kri 2 */
	/* the record has the epochs; the one ahead keeps none */
	assert_int_equal(pdmv2_kri_epoch_count(pdmv2_decryptor_tracker(rec)), 4);
	assert_int_equal(pdmv2_kri_epoch_count(pdmv2_decryptor_tracker(ahead)), 0);

	/* An answer stands in for its own (key source, kri) only: forged
	 * metrics under the right pair are taken as they are (no open ran),
	 * under another kri they are ignored and the packet is opened. */
	seal(ft, 5, 999, psn, &o);
	pdmv2_decryptor_preopen(ahead, &o, &pre);
	assert_non_null(pre.src);
	forged = pre;
	forged.m.psntp = (uint16_t)(psn + 7);
	pdmv2_decryptor_open_preopened(rec, &o, n++, 0, &forged, &m, &res);
	assert_int_equal(res.status, PDMV2_OK);
	assert_int_equal(m.psntp, psn + 7);
	seal(ft, 5, 998, ++psn, &o);
	forged.kri = 7;
	pdmv2_decryptor_open_preopened(rec, &o, n++, 0, &forged, &m, &res);
	assert_int_equal(res.status, PDMV2_OK);
	assert_int_equal(res.kri, 5);
	assert_int_equal(m.psntp, psn);
	pdmv2_decryptor_free(ahead);
	pdmv2_decryptor_free(rec);
	pdmv2_decryptor_free(alone);
	pdmv2_keylog_free(kl);
}

static void
test_session_key_opens_exactly_its_phase(void **state)
{
	uint8_t a[16], b[16], ft[37], secret[32], prk[32], key[32], nonce[12];
	char text[512], *p;
	struct pdmv2_keylog *kl;
	struct pdmv2_decryptor *d;
	struct pdmv2_option o;
	struct pdmv2_metrics m;
	struct pdmv2_kri_result res;
	size_t i;

	(void)state;
	inet_pton(AF_INET6, "2001:db8::1", a);
	inet_pton(AF_INET6, "2001:db8::2", b);
	pdmv2_five_tuple(a, b, 40000, 443, 17, ft);
	for (i = 0; i < 32; i++)
		secret[i] = (uint8_t)i;
	pdmv2_derive_prk(PDMV2_AEAD_AES128GCM, secret, NULL, 0, prk);
	pdmv2_derive_session(PDMV2_AEAD_AES128GCM, prk, ft, 1, key, nonce);
	p = text + sprintf(text, "PDMV2_SESSION_KEY 2001:db8::1 40000 2001:db8::2 443 17 1 aes128gcm ");
	for (i = 0; i < 16; i++)
		p += sprintf(p, "%02x", key[i]);
	*p++ = ' ';
	for (i = 0; i < 12; i++)
		p += sprintf(p, "%02x", nonce[i]);
	strcpy(p, "\n");
	kl = keylog_of(text);
	pdmv2_decryptor_new(kl, ft, 16, &d);
	seal(ft, 1, 5, 1, &o);
	assert_int_equal(pdmv2_decryptor_open(d, &o, 1, 0, &m, &res), PDMV2_OK);
	assert_int_equal(res.kri, 1);
	seal(ft, 2, 6, 2, &o);
	assert_int_equal(pdmv2_decryptor_open(d, &o, 2, 0, &m, &res), PDMV2_ERR_NO_KEY);
	seal(ft, 0, 7, 3, &o);
	assert_int_equal(pdmv2_decryptor_open(d, &o, 3, 0, &m, &res), PDMV2_ERR_NO_KEY);
	pdmv2_decryptor_free(d);
	/* the other direction has no key at all */
	pdmv2_five_tuple(b, a, 443, 40000, 17, ft);
	pdmv2_decryptor_new(kl, ft, 16, &d);
	seal(ft, 1, 5, 1, &o);
	assert_int_equal(pdmv2_decryptor_open(d, &o, 1, 0, &m, &res), PDMV2_ERR_NO_KEY);
	pdmv2_decryptor_free(d);
	pdmv2_keylog_free(kl);
}

static void
test_wrong_specific_secret_loses_to_right_general_one(void **state)
{
	uint8_t a[16], b[16], ft[37];
	char text[512];
	struct pdmv2_keylog *kl;
	struct pdmv2_decryptor *d;
	struct pdmv2_option o;
	struct pdmv2_metrics m;
	struct pdmv2_kri_result res;

	(void)state;
	inet_pton(AF_INET6, "2001:db8::1", a);
	inet_pton(AF_INET6, "2001:db8::2", b);
	pdmv2_five_tuple(a, b, 40000, 443, 17, ft);
	snprintf(text, sizeof(text),
		 "PDMV2_SECRET 2001:db8::1 2001:db8::2 aes128gcm %s -\n"
		 "PDMV2_SECRET * * aes128gcm %s -\n",
		 "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		 secret_hex);
	kl = keylog_of(text);
	pdmv2_decryptor_new(kl, ft, 16, &d);
	seal(ft, 0, 9, 1, &o);
	assert_int_equal(pdmv2_decryptor_open(d, &o, 1, 0, &m, &res), PDMV2_OK);
	assert_int_equal(pdmv2_keysrc_entry(pdmv2_decryptor_winner(d))->line, 2);
	pdmv2_decryptor_free(d);
	/* no key log at all */
	pdmv2_decryptor_new(NULL, ft, 16, &d);
	assert_int_equal(pdmv2_decryptor_open(d, &o, 1, 0, &m, &res), PDMV2_ERR_NO_KEY);
	pdmv2_decryptor_free(d);
	pdmv2_keylog_free(kl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_rotation_builds_one_epoch_per_kri),
		cmocka_unit_test(test_final_epochs_are_retired_oldest_first),
		cmocka_unit_test(test_first_packets_of_a_new_phase_lost),
		cmocka_unit_test(test_late_packet_of_previous_phase_does_not_move_state_back),
		cmocka_unit_test(test_capture_starting_at_kri_5),
		cmocka_unit_test(test_whole_phases_lost_jump_by_3_and_5),
		cmocka_unit_test(test_beyond_the_window_fails_and_keeps_state),
		cmocka_unit_test(test_forged_packet_does_not_move_the_state),
		cmocka_unit_test(test_prseq_reuse_is_nonce_reuse_and_same_bytes_a_duplicate),
		cmocka_unit_test(test_no_key_is_not_an_auth_failure),
		cmocka_unit_test(test_unknown_state_search_stays_within_the_window),
		cmocka_unit_test(test_decryptor_follows_rotations_with_real_keys),
		cmocka_unit_test(test_unknown_state_searches_again_with_kept_keys),
		cmocka_unit_test(test_decryptor_finds_the_valid_secret_among_many_stale_ones),
		cmocka_unit_test(test_preopened_answers_stand_in_for_exactly_their_key),
		cmocka_unit_test(test_session_key_opens_exactly_its_phase),
		cmocka_unit_test(test_wrong_specific_secret_loses_to_right_general_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
