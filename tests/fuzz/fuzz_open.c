/*
 * fuzz_open.c - libFuzzer harness: a stream of options through the
 * opening paths with a fixed secret: encrypted Kri-layout options through
 * a decryptor (key log lookup, Kri tracker, AEAD open), Epoch-layout
 * options, plain or protected, through an Epoch tracker (PROFILE.md
 * 5.5: key per Epoch, duplicates, nonce reuse).  The input is cut into
 * 40-byte chunks; the first byte of each is replaced by the option type
 * so the codec accepts most.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pdmv2/decrypt.h"
#include "pdmv2/epoch.h"
#include "pdmv2/keylog.h"
#include "pdmv2/option.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char keylog_text[] =
	"PDMV2_SECRET 2001:db8::1 2001:db8::2 aes128gcm "
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f -\n"
	"PDMV2_SECRET * * chacha20poly1305 "
	"1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100 a0a1\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t s[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
	static const uint8_t d[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
	static struct pdmv2_keylog *kl;
	struct pdmv2_decryptor *dec;
	struct pdmv2_epoch_tracker *et;
	struct pdmv2_epoch_result eres;
	struct pdmv2_option opt;
	struct pdmv2_metrics m;
	struct pdmv2_kri_result res;
	uint8_t ft[PDMV2_FIVE_TUPLE_BYTES], buf[PDMV2_OPTION_MAX];
	uint64_t frame = 0;
	unsigned window;

	if (!kl) {	/* built once: the key schedule is not under test here */
		if (pdmv2_keylog_new(&kl) != PDMV2_OK)
			return 0;
		(void)pdmv2_keylog_load_buffer(kl, "fuzz", keylog_text,
					       sizeof(keylog_text) - 1);
	}
	if (size < 1)
		return 0;
	window = 1u + data[0] % 32u;
	data++;
	size--;

	pdmv2_five_tuple(s, d, 40000, 443, 17, ft);
	if (pdmv2_decryptor_new(kl, ft, window, &dec) != PDMV2_OK)
		return 0;
	if (pdmv2_epoch_tracker_new(kl, ft, &et) != PDMV2_OK) {
		pdmv2_decryptor_free(dec);
		return 0;
	}
	while (size > 0) {
		size_t n = size < sizeof(buf) ? size : sizeof(buf);

		memcpy(buf, data, n);
		buf[0] = PDMV2_OPTION_TYPE_DEFAULT;
		if (pdmv2_option_parse(buf, n, &opt) != PDMV2_OK) {
			/* not an option: on to the next chunk */
		} else if (opt.layout == PDMV2_LAYOUT_EPOCH) {
			frame++;
			pdmv2_epoch_track(et, &opt, frame, (int64_t)frame * 1000,
					  &m, &eres);
		} else if (opt.variant == PDMV2_VARIANT_ENCRYPTED) {
			frame++;
			(void)pdmv2_decryptor_open(dec, &opt, frame,
						   (int64_t)frame * 1000, &m,
						   &res);
		}
		data += n;
		size -= n;
	}
	pdmv2_decryptor_free(dec);
	pdmv2_epoch_tracker_free(et);
	return 0;
}
