/*
 * fuzz_savefile.c - libFuzzer harness: any bytes, read as a pcap file
 * by libpcap alone and through pdmv2-analyze's block reader
 * (analyzer/savefile.h), must give the same records and the same end.
 * A difference aborts, so the fuzzer keeps the input.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "savefile_diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct savefile_diff d;

	savefile_diff(data, size, &d);
	if (d.differs[0]) {
		fprintf(stderr, "block reader and libpcap differ: %s\n", d.differs);
		abort();
	}
	return 0;
}
