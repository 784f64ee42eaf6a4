/*
 * capwriter.h - capture file writers: pcap (micro- or nanosecond) and
 * pcapng, with the link-layer framing for Ethernet (optionally 802.1Q
 * tagged), raw IPv6 (LINKTYPE_RAW) and Linux cooked (SLL).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SAMPLES_CAPWRITER_H
#define SAMPLES_CAPWRITER_H

#include <stdint.h>
#include <stdio.h>

enum cap_format { CAP_PCAP_US, CAP_PCAP_NS, CAP_PCAPNG };
enum cap_link { LINK_ETHERNET, LINK_VLAN, LINK_RAW, LINK_SLL };

struct capwriter {
	FILE *f;
	enum cap_format format;
	enum cap_link link;
	uint64_t frames;
	uint8_t mac_src[6], mac_dst[6];
};

int capwriter_open(struct capwriter *w, const char *path,
		   enum cap_format format, enum cap_link link);
/* One IPv6 packet captured at ts_ns (ns since the Unix epoch); snaplen
 * cuts the captured bytes (0 = whole). */
int capwriter_packet(struct capwriter *w, int64_t ts_ns, const uint8_t *ip6,
		     size_t len, size_t snaplen);
int capwriter_close(struct capwriter *w);

#endif
