/*
 * fuzz_analyzer.c - libFuzzer harness: pdmv2-analyze's per-packet path
 * (link layer, header walk, flow table, option decode, decryption, Kri,
 * PSN, samples, Global Pointer) and the report built from it.  The
 * first byte picks the link type (low 3 bits), batches of frames as the
 * program runs them (bit 7), the reading thread's opening ahead on those
 * batches (bit 5, preopen.h), --jsonl streaming (bit 6), a flow table
 * of two flows, evicting (bit 4), and a pretty report (bit 3); the rest
 * is cut into frames by a 2-byte length prefix, so flows see several
 * packets.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <pcap/dlt.h>

#include "analyze.h"
#include "preopen.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int dlts[] = {DLT_EN10MB, DLT_RAW, DLT_LINUX_SLL, DLT_NULL,
			   DLT_LINUX_SLL2, DLT_LOOP, 229, 147};

static const char keylog[] =
	"PDMV2_SECRET * * aes128gcm "
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f -\n";

#define BATCH 4

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct analyze_config cfg = {.option_type = 0x0F, .kri_window = 4};
	struct input_info in = {0};
	struct frame_work b[BATCH];
	struct analysis *a;
	struct preopen *pre = NULL;
	unsigned nb = 0;
	bool batched;
	int dlt;
	int64_t ts = 1795342500000000000;

	if (size < 1)
		return 0;
	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		return 0;
	dlt = dlts[data[0] % (sizeof(dlts) / sizeof(dlts[0]))];
	batched = data[0] & 0x80;
	cfg.jsonl = data[0] & 0x40;
	cfg.jsonl_out = devnull;
	cfg.max_flows = data[0] & 0x10 ? 2 : 0;
	cfg.pretty = data[0] & 0x08;
	data++;
	size--;
	a = analysis_new(&cfg);
	(void)pdmv2_keylog_load_buffer(analysis_keylog(a), "fuzz", keylog, sizeof(keylog) - 1);
	if (batched && (data[-1] & 0x20))
		pre = preopen_new(analysis_keylog(a), cfg.kri_window, 8);	/* fills up */
	while (size >= 2) {
		size_t n = (size_t)data[0] << 8 | data[1];

		data += 2;
		size -= 2;
		if (n > size)
			n = size;
		if (!batched) {
			analysis_frame(a, &in, dlt, ts, data, n, n);
		} else {
			/* as input.c runs them: the frame's bytes are gone
			 * after _begin */
			analysis_frame_begin(a, dlt, ts, data, n, &b[nb++]);
			if (nb == BATCH) {
				if (pre)
					preopen_frames(pre, b, nb, PREOPEN_SHARES);
				analysis_frames_finish(a, &in, b, nb);
				nb = 0;
			}
		}
		ts += 1000000;
		data += n;
		size -= n;
	}
	if (pre)
		preopen_frames(pre, b, nb, PREOPEN_SHARES);
	preopen_free(pre);
	analysis_frames_finish(a, &in, b, nb);
	if (cfg.jsonl) {
		report_finish_stream(a);
	} else {
		(void)report_write(a, devnull);
	}
	analysis_free(a);
	return 0;
}
