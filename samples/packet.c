/*
 * packet.c - IPv6 packet construction for the sample writer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "packet.h"

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* RFC 8200 8.1 upper-layer checksum over the pseudo-header. */
static uint16_t
l4_checksum(const uint8_t *src, const uint8_t *dst, uint8_t proto,
	    const uint8_t *l4, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < 16; i += 2)
		sum += (uint32_t)(src[i] << 8 | src[i + 1]) +
		       (uint32_t)(dst[i] << 8 | dst[i + 1]);
	sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xFFFF) + proto;
	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(l4[i] << 8 | l4[i + 1]);
	if (len & 1)
		sum += (uint32_t)(l4[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	sum = ~sum & 0xFFFF;
	return (uint16_t)(sum == 0 && proto == 17 ? 0xFFFF : sum);
}

/* Destination Options header: [PadN] option, padded to 8 octets. */
static size_t
dstopts(const struct packet_spec *s, uint8_t next, uint8_t *p)
{
	size_t n = 2, total, pad;

	if (s->padn_before) {
		p[n++] = 1;	/* PadN, 2 data bytes */
		p[n++] = 2;
		p[n++] = 0;
		p[n++] = 0;
	}
	memcpy(p + n, s->option, s->option_len);
	n += s->option_len;
	total = (n + 7) & ~(size_t)7;
	pad = total - n;
	if (pad == 1) {
		p[n] = 0;	/* Pad1 */
	} else if (pad > 1) {
		p[n] = 1;
		p[n + 1] = (uint8_t)(pad - 2);
		memset(p + n + 2, 0, pad - 2);
	}
	p[0] = next;
	p[1] = (uint8_t)(total / 8 - 1);
	return total;
}

size_t
packet_build(const struct packet_spec *s, uint8_t *out)
{
	uint8_t *p = out + 40, *l4;
	size_t l4len, i;
	uint8_t first_nh = s->option ? 60 : s->proto;

	memset(out, 0, 40);
	out[0] = 0x60;
	out[7] = 64;
	memcpy(out + 8, s->src, 16);
	memcpy(out + 24, s->dst, 16);

	if (s->hop_by_hop) {
		/* 8 bytes: next header, length 0, PadN of 4 */
		p[0] = first_nh;
		p[1] = 0;
		p[2] = 1;
		p[3] = 4;
		memset(p + 4, 0, 4);
		p += 8;
		out[6] = 0;
	} else {
		out[6] = first_nh;
	}
	if (s->option)
		p += dstopts(s, s->proto, p);

	l4 = p;
	switch (s->proto) {
	case 6:
		l4len = 20 + s->payload_len;
		memset(l4, 0, 20);
		put16(l4, s->sport);
		put16(l4 + 2, s->dport);
		put32(l4 + 4, s->tcp_seq);
		put32(l4 + 8, s->tcp_ack);
		l4[12] = 5 << 4;
		l4[13] = s->tcp_flags;
		put16(l4 + 14, 65535);
		break;
	case 58:
		l4len = 8 + s->payload_len;
		l4[0] = s->icmp_type;
		l4[1] = 0;
		put16(l4 + 2, 0);
		put16(l4 + 4, s->sport);
		put16(l4 + 6, s->dport);
		break;
	default:
		l4len = 8 + s->payload_len;
		put16(l4, s->sport);
		put16(l4 + 2, s->dport);
		put16(l4 + 4, (uint16_t)l4len);
		put16(l4 + 6, 0);
		break;
	}
	for (i = l4len - s->payload_len; i < l4len; i++)
		l4[i] = (uint8_t)('a' + i % 26);
	{
		uint16_t ck = l4_checksum(s->src, s->dst, s->proto, l4, l4len);

		put16(l4 + (s->proto == 6 ? 16 : s->proto == 58 ? 2 : 6), ck);
	}
	put16(out + 4, (uint16_t)((size_t)(l4 + l4len - out) - 40));
	return (size_t)(l4 + l4len - out);
}
