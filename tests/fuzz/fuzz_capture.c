/*
 * fuzz_capture.c - libFuzzer harness: a whole capture file as
 * pdmv2-analyze reads it (input.c through libpcap: pcap and pcapng
 * headers, pcapng option blocks such as if_tsresol and if_tsoffset,
 * several interfaces, records cut short), then the report.  The input
 * is the file's bytes, handed over as /proc/self/fd/N of a memory file,
 * so the program's own open, stat and read path runs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "analyze.h"
#include "input.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char keylog[] =
	"PDMV2_SECRET * * aes128gcm "
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f -\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	static FILE *devnull;
	struct analyze_config cfg = {.option_type = 0x0F, .kri_window = 4};
	struct input_options io = {.threads = 1};
	struct analysis *a;

	if (fd < 0) {
		if ((fd = memfd_create("capture", 0)) < 0 ||
		    !(devnull = fopen("/dev/null", "w")))
			return 0;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0 ||
	    pwrite(fd, data, size, 0) != (ssize_t)size)
		return 0;
	a = analysis_new(&cfg);
	(void)pdmv2_keylog_load_buffer(analysis_keylog(a), "fuzz", keylog,
				       sizeof(keylog) - 1);
	(void)input_read(a, path, &io);
	(void)report_write(a, devnull);
	analysis_free(a);
	return 0;
}
