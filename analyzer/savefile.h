/*
 * savefile.h - reads the records of a classic pcap file a block at a
 * time, for the common case libpcap would only copy.
 *
 * libpcap reads a record with two freads (header, then data) into its
 * own buffer: two copies and a stdio call chain a packet, over a third
 * of what a bare pcap_next_ex loop costs.  This reader preads 64 KiB
 * blocks and hands out pointers into them.  It takes only what libpcap
 * would pass through untouched: a file in the host's byte order, format
 * 2.4, of a link type pdmv2-analyze decodes, and records no longer than
 * the file's snapshot length.  At the first record it does not take (an
 * oversized or cut-short record, a read error) it positions libpcap's
 * stream at that record and stops: libpcap reads on from there, with
 * its own checks and its own error texts.  So a file reads to the same
 * records and the same end as through pcap_next_ex alone.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ANALYZER_SAVEFILE_H
#define ANALYZER_SAVEFILE_H

#include <stdbool.h>
#include <stdint.h>

#include <pcap/pcap.h>

struct savefile;

/* A reader for p's records after the file header, or NULL (then
 * libpcap reads all of it).  p must have been opened from a regular file
 * that starts with the file header.  plain_linktype: libpcap changes no
 * record of p's link type on the way out (it fixes up Linux USB
 * headers), which the caller knows of the types it decodes. */
struct savefile *savefile_open(pcap_t *p, bool plain_linktype);

/* pcap_next_ex(p, h, data), through *sf while it takes the records;
 * when it hands over to libpcap it is freed and *sf set to NULL.
 * *error: the text of a PCAP_ERROR when it is not pcap_geterr(p)'s. */
int savefile_next_ex(pcap_t *p, struct savefile **sf, struct pcap_pkthdr **h,
		     const u_char **data, const char **error);

/* The file offset of the next record: the progress line's. */
int64_t savefile_offset(const struct savefile *s);

void savefile_free(struct savefile *s);

#endif
