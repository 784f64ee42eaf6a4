/*
 * packet.h - builds the IPv6 packets the sample writer captures: an
 * optional Hop-by-Hop header, a Destination Options header carrying the
 * PDM option (optionally with PadN before it), and UDP, TCP or ICMPv6
 * with a correct checksum.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SAMPLES_PACKET_H
#define SAMPLES_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PACKET_MAX 1600

struct packet_spec {
	const uint8_t *src, *dst;
	uint8_t proto;			/* 6, 17 or 58 */
	uint16_t sport, dport;		/* ICMPv6: id and sequence */
	uint8_t tcp_flags;
	uint32_t tcp_seq, tcp_ack;
	uint8_t icmp_type;
	size_t payload_len;
	bool hop_by_hop;
	bool padn_before;		/* a PadN ahead of the PDM option */
	const uint8_t *option;		/* type, length, data */
	size_t option_len;
};

/* Writes the packet into out (PACKET_MAX bytes); returns its length. */
size_t packet_build(const struct packet_spec *s, uint8_t *out);

#endif
