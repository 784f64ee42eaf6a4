/*
 * test_epoch_keylog.c - PDMV2_EPOCH_KEY lines of the key log (PROFILE.md
 * 8) and the Epoch layout's lookup order, checked against the keys of
 * shared/spec/vectors/pdmv2-epoch.json.
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

#include "pdmv2/crypto.h"
#include "pdmv2/keylog.h"
#include "vectors.h"

static json_object *vectors;

static json_object *
vcase(size_t i)
{
	return json_object_array_get_idx(test_get(vectors, "protected_options"), i);
}

static void
case_ft(json_object *c, uint8_t ft[37])
{
	assert_int_equal(test_hex(test_get_str(c, "five_tuple"), ft, 37), 37);
}

static struct pdmv2_keylog *
load_text(const char *text)
{
	struct pdmv2_keylog *kl;

	assert_int_equal(pdmv2_keylog_new(&kl), PDMV2_OK);
	assert_int_equal(pdmv2_keylog_load_buffer(kl, "t.keylog", text, strlen(text)),
			 PDMV2_OK);
	return kl;
}

/* An EPOCH_KEY line for vector case c, with its epoch replaced by
 * epoch_text when given. */
static void
epoch_line(json_object *c, const char *epoch_text, char *out, size_t n)
{
	char ep[16];

	snprintf(ep, sizeof(ep), "%d", (int)test_get_int(c, "epoch"));
	snprintf(out, n, "PDMV2_EPOCH_KEY %s %d %s %d %d %s %s %s %s\n",
		 test_get_str(c, "saddr"), (int)test_get_int(c, "sport"),
		 test_get_str(c, "daddr"), (int)test_get_int(c, "dport"),
		 (int)test_get_int(c, "proto"), epoch_text ? epoch_text : ep,
		 test_get_str(c, "aead"), test_get_str(c, "key"),
		 test_get_str(c, "base_nonce"));
}

static void
test_epoch_key_line_opens_its_epoch_only(void **state)
{
	json_object *c = vcase(2);		/* epoch 7 */
	char text[512];
	struct pdmv2_keylog *kl;
	const struct pdmv2_keysrc *src[4];
	uint8_t ft[37], key[32], nonce[12], want[64], wire[64];
	enum pdmv2_aead aead;
	struct pdmv2_cipher *ci;
	struct pdmv2_option opt;
	struct pdmv2_metrics m;
	size_t n;

	(void)state;
	epoch_line(c, NULL, text, sizeof(text));
	kl = load_text(text);
	assert_int_equal(pdmv2_keylog_count(kl), 1);
	assert_int_equal(pdmv2_keylog_nerrors(kl), 0);
	assert_int_equal(pdmv2_keylog_entry(kl, 0)->label, PDMV2_KL_EPOCH_KEY);
	assert_int_equal(pdmv2_keylog_entry(kl, 0)->epoch, 7);
	case_ft(c, ft);
	/* not a key of the Kri layout */
	assert_int_equal(pdmv2_keylog_lookup(kl, ft, src, 4), 0);
	assert_int_equal(pdmv2_keylog_lookup_layout(kl, ft, PDMV2_LAYOUT_EPOCH,
						    src, 4), 1);
	assert_int_equal(pdmv2_keysrc_derive_epoch(src[0], ft, 6, &aead, key, nonce),
			 PDMV2_ERR_NO_KEY);
	assert_int_equal(pdmv2_keysrc_derive(src[0], ft, 7, &aead, key, nonce),
			 PDMV2_ERR_NO_KEY);
	assert_int_equal(pdmv2_keysrc_derive_epoch(src[0], ft, 7, &aead, key, nonce),
			 PDMV2_OK);
	n = test_hex(test_get_str(c, "key"), want, sizeof(want));
	assert_memory_equal(key, want, n);
	assert_int_equal(pdmv2_cipher_new(aead, key, nonce, &ci), PDMV2_OK);
	n = test_hex(test_get_str(c, "option"), wire, sizeof(wire));
	assert_int_equal(pdmv2_option_parse(wire, n, &opt), PDMV2_OK);
	assert_int_equal(pdmv2_cipher_open_epoch(ci, &opt, &m), PDMV2_OK);
	assert_int_equal(m.global_pointer, 1007);
	pdmv2_cipher_free(ci);
	pdmv2_keylog_free(kl);
}

static void
test_epoch_lookup_is_epoch_key_then_secret(void **state)
{
	json_object *c = vcase(4);		/* a salted secret, epoch 0 */
	char text[1024], line[512];
	struct pdmv2_keylog *kl;
	const struct pdmv2_keysrc *src[4];
	uint8_t ft[37], key[32], nonce[12], want[64];
	enum pdmv2_aead aead;

	(void)state;
	snprintf(text, sizeof(text), "PDMV2_SECRET %s %s %s %s %s\n",
		 test_get_str(c, "saddr"), test_get_str(c, "daddr"),
		 test_get_str(c, "aead"), test_get_str(c, "shared_secret"),
		 test_get_str(c, "salt"));
	epoch_line(c, NULL, line, sizeof(line));
	strcat(text, line);
	kl = load_text(text);
	assert_int_equal(pdmv2_keylog_nerrors(kl), 0);
	case_ft(c, ft);
	assert_int_equal(pdmv2_keylog_lookup_layout(kl, ft, PDMV2_LAYOUT_EPOCH,
						    src, 4), 2);
	assert_int_equal(pdmv2_keysrc_entry(src[0])->label, PDMV2_KL_EPOCH_KEY);
	assert_int_equal(pdmv2_keysrc_entry(src[1])->label, PDMV2_KL_SECRET);
	/* the secret derives the Epoch keys of 5.5 */
	assert_int_equal(pdmv2_keysrc_derive_epoch(src[1], ft, 0, &aead, key, nonce),
			 PDMV2_OK);
	assert_int_equal(test_hex(test_get_str(c, "key"), want, 64), 16);
	assert_memory_equal(key, want, 16);
	assert_int_equal(test_hex(test_get_str(c, "base_nonce"), want, 64), 12);
	assert_memory_equal(nonce, want, 12);
	pdmv2_keylog_free(kl);
}

static void
test_epoch_above_4095_is_an_error_naming_file_and_line(void **state)
{
	char text[1024], line[512];
	struct pdmv2_keylog *kl;
	const struct pdmv2_keylog_diag *d;

	(void)state;
	strcpy(text, "# comment\nPDMV2_FUTURE_THING a b c\n");
	epoch_line(vcase(0), "4096", line, sizeof(line));
	strcat(text, line);
	epoch_line(vcase(3), NULL, line, sizeof(line));	/* 4095: good */
	strcat(text, line);
	kl = load_text(text);
	assert_int_equal(pdmv2_keylog_count(kl), 1);
	assert_int_equal(pdmv2_keylog_entry(kl, 0)->epoch, 4095);
	assert_int_equal(pdmv2_keylog_nerrors(kl), 1);
	assert_int_equal(pdmv2_keylog_ndiag(kl), 2);
	d = pdmv2_keylog_diag(kl, 0);		/* the unknown label: a warning */
	assert_false(d->is_error);
	assert_int_equal(d->line, 2);
	d = pdmv2_keylog_diag(kl, 1);
	assert_true(d->is_error);
	assert_string_equal(d->file, "t.keylog");
	assert_int_equal(d->line, 3);
	assert_non_null(strstr(d->message, "epoch"));
	assert_non_null(strstr(d->message, "4096"));
	pdmv2_keylog_free(kl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_epoch_key_line_opens_its_epoch_only),
		cmocka_unit_test(test_epoch_lookup_is_epoch_key_then_secret),
		cmocka_unit_test(test_epoch_above_4095_is_an_error_naming_file_and_line),
	};
	int rc;

	vectors = test_load_vectors("pdmv2-epoch.json");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	json_object_put(vectors);
	return rc;
}
