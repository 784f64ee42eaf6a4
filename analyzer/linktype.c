/*
 * linktype.c - from a captured frame to its IPv6 header, for the link
 * types pdmv2-analyze decodes: Ethernet (with 802.1Q / 802.1ad tags),
 * raw IPv6, Linux cooked SLL and SLL2, BSD loopback (NULL / LOOP).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib.h>
#include <pcap/pcap.h>

#include "linktype.h"
#include "pdmv2/reader.h"

#define ETHERTYPE_IPV6 0x86DD
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88A8
#define ETHERTYPE_QINQ_OLD 0x9100
#define MAX_VLAN_TAGS 8
#define LINKTYPE_RAW 101
#define LINKTYPE_IPV6 229	/* DLT_IPV6 is not in every dlt.h */

/* BSD AF_INET6 differs per OS: 24 (NetBSD/OpenBSD), 28 (FreeBSD),
 * 30 (macOS), 10 (Linux). */
static bool
bsd_af_inet6(uint32_t af)
{
	return af == 24 || af == 28 || af == 30 || af == 10;
}

static long
ethernet(struct pdmv2_reader *r)
{
	uint16_t type;
	unsigned tags = 0;

	if (!pdmv2_reader_skip(r, 12) || !pdmv2_reader_u16(r, &type))
		return -1;
	while ((type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ ||
		type == ETHERTYPE_QINQ_OLD) && tags++ < MAX_VLAN_TAGS) {
		if (!pdmv2_reader_skip(r, 2) || !pdmv2_reader_u16(r, &type))
			return -1;
	}
	return type == ETHERTYPE_IPV6 ? (long)r->off : -1;
}

long
linktype_ipv6_offset(int dlt, const uint8_t *data, size_t caplen, bool *supported)
{
	struct pdmv2_reader r;
	uint16_t proto;
	uint32_t af;
	uint8_t b;

	pdmv2_reader_init(&r, data, caplen);
	*supported = true;
	switch (dlt) {
	case DLT_EN10MB:
		return ethernet(&r);
	case DLT_RAW:		/* libpcap maps LINKTYPE_RAW (101) here */
	case LINKTYPE_RAW:
	case LINKTYPE_IPV6:
		/* raw IP: only IPv6 is ours */
		if (!pdmv2_reader_u8(&r, &b))
			return -1;
		return (b >> 4) == 6 ? 0 : -1;
	case DLT_LINUX_SLL:
		if (!pdmv2_reader_skip(&r, 14) || !pdmv2_reader_u16(&r, &proto))
			return -1;
		return proto == ETHERTYPE_IPV6 ? 16 : -1;
	case DLT_LINUX_SLL2:
		if (!pdmv2_reader_u16(&r, &proto) || !pdmv2_reader_skip(&r, 18))
			return -1;
		return proto == ETHERTYPE_IPV6 ? 20 : -1;
	case DLT_NULL:
		/* 4-byte AF in the capturing host's byte order */
		if (!pdmv2_reader_has(&r, 4))
			return -1;
		af = (uint32_t)data[0] | (uint32_t)data[1] << 8 |
		     (uint32_t)data[2] << 16 | (uint32_t)data[3] << 24;
		if (bsd_af_inet6(af) || bsd_af_inet6(__builtin_bswap32(af)))
			return 4;
		return -1;
	case DLT_LOOP:
		/* OpenBSD loopback: AF always in network order */
		if (!pdmv2_reader_u32(&r, &af))
			return -1;
		return bsd_af_inet6(af) ? 4 : -1;
	default:
		*supported = false;
		return -1;
	}
}

const char *
linktype_name(int dlt)
{
	const char *n = pcap_datalink_val_to_name(dlt);
	char buf[32];

	if (n)
		return n;
	/* names libpcap lacks: the user-defined range as Wireshark shows
	 * it, else the number, which tcpdump's docs can be searched for
	 * (interned: a handful of strings for the program's lifetime) */
	if (dlt >= 147 && dlt <= 162)
		snprintf(buf, sizeof(buf), "USER%d", dlt - 147);
	else
		snprintf(buf, sizeof(buf), "LINKTYPE_%d", dlt);
	return g_intern_string(buf);
}
