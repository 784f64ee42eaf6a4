/*
 * savefile_diff.h - reads one pcap file through libpcap alone and
 * through the analyzer's block reader (analyzer/savefile.h), and says
 * whether the two gave the same records and the same end.  Shared by
 * the unit test (crafted files) and the fuzz harness (any bytes).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TESTS_SAVEFILE_DIFF_H
#define TESTS_SAVEFILE_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct savefile_diff {
	bool opened;		/* libpcap read the file header */
	bool block_reader;	/* savefile_open took the file */
	uint64_t records;	/* read by libpcap alone */
	uint64_t by_blocks;	/* of them, handed out by the block reader */
	int end;		/* the last pcap_next_ex answer */
	char error[256];	/* its text, when PCAP_ERROR */
	char differs[256];	/* "" when both ways agree */
};

/* d->opened false: libpcap took no file of these bytes (or no in-memory
 * file could be made), and nothing was compared. */
void savefile_diff(const uint8_t *file, size_t size, struct savefile_diff *d);

#endif
