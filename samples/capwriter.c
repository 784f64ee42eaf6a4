/*
 * capwriter.c - pcap and pcapng writers for the sample captures.
 * Formats: pcap per the libpcap file format (magic a1b2c3d4 for
 * microseconds, a1b23c4d for nanoseconds), pcapng with one SHB, one IDB
 * (if_tsresol = 9 for nanoseconds) and Enhanced Packet Blocks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "capwriter.h"

#define SNAPLEN 65535
#define LINKTYPE_ETHERNET 1
#define LINKTYPE_RAW 101
#define LINKTYPE_LINUX_SLL 113

static int
put(struct capwriter *w, const void *p, size_t n)
{
	return fwrite(p, 1, n, w->f) == n ? 0 : -1;
}

static int
put32(struct capwriter *w, uint32_t v)
{
	return put(w, &v, 4);	/* host order: readers check the magic */
}

static int
put16(struct capwriter *w, uint16_t v)
{
	return put(w, &v, 2);
}

static uint16_t
linktype(enum cap_link l)
{
	switch (l) {
	case LINK_ETHERNET:
	case LINK_VLAN:
		return LINKTYPE_ETHERNET;
	case LINK_RAW:
		return LINKTYPE_RAW;
	case LINK_SLL:
		return LINKTYPE_LINUX_SLL;
	}
	return LINKTYPE_RAW;
}

int
capwriter_open(struct capwriter *w, const char *path, enum cap_format format,
	       enum cap_link link)
{
	static const uint8_t src[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x01};
	static const uint8_t dst[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x02};
	int rc = 0;

	memset(w, 0, sizeof(*w));
	w->format = format;
	w->link = link;
	memcpy(w->mac_src, src, 6);
	memcpy(w->mac_dst, dst, 6);
	if (!(w->f = fopen(path, "wb")))
		return -1;
	setvbuf(w->f, NULL, _IOFBF, 1 << 20);
	if (format == CAP_PCAPNG) {
		/* SHB: type, length 28, byte-order magic, v1.0, section length -1 */
		rc |= put32(w, 0x0A0D0D0A);
		rc |= put32(w, 28);
		rc |= put32(w, 0x1A2B3C4D);
		rc |= put16(w, 1);
		rc |= put16(w, 0);
		rc |= put32(w, 0xFFFFFFFF);
		rc |= put32(w, 0xFFFFFFFF);
		rc |= put32(w, 28);
		/* IDB with if_tsresol (code 9, length 1, value 9) + opt_endofopt */
		rc |= put32(w, 1);
		rc |= put32(w, 32);
		rc |= put16(w, linktype(link));
		rc |= put16(w, 0);
		rc |= put32(w, SNAPLEN);
		rc |= put16(w, 9);
		rc |= put16(w, 1);
		rc |= put32(w, 9);	/* value byte 9, then 3 pad bytes (LE host) */
		rc |= put32(w, 0);	/* opt_endofopt */
		rc |= put32(w, 32);
	} else {
		rc |= put32(w, format == CAP_PCAP_NS ? 0xA1B23C4D : 0xA1B2C3D4);
		rc |= put16(w, 2);
		rc |= put16(w, 4);
		rc |= put32(w, 0);
		rc |= put32(w, 0);
		rc |= put32(w, SNAPLEN);
		rc |= put32(w, linktype(link));
	}
	return rc;
}

static size_t
link_header(const struct capwriter *w, uint8_t *h)
{
	switch (w->link) {
	case LINK_ETHERNET:
		memcpy(h, w->mac_dst, 6);
		memcpy(h + 6, w->mac_src, 6);
		h[12] = 0x86;
		h[13] = 0xDD;
		return 14;
	case LINK_VLAN:
		memcpy(h, w->mac_dst, 6);
		memcpy(h + 6, w->mac_src, 6);
		h[12] = 0x81;
		h[13] = 0x00;
		h[14] = 0x00;	/* PCP 0, VID 100 */
		h[15] = 100;
		h[16] = 0x86;
		h[17] = 0xDD;
		return 18;
	case LINK_SLL:
		memset(h, 0, 16);
		h[1] = 4;		/* sent by us */
		h[3] = 1;		/* ARPHRD_ETHER */
		h[5] = 6;
		memcpy(h + 6, w->mac_src, 6);
		h[14] = 0x86;
		h[15] = 0xDD;
		return 16;
	case LINK_RAW:
		break;
	}
	return 0;
}

/* The first cap bytes of link header + packet: a snapshot length may cut
 * into either. */
static int
put_frame(struct capwriter *w, const uint8_t *hdr, size_t hl,
	  const uint8_t *ip6, size_t cap)
{
	if (cap <= hl)
		return put(w, hdr, cap);
	return put(w, hdr, hl) | put(w, ip6, cap - hl);
}

int
capwriter_packet(struct capwriter *w, int64_t ts_ns, const uint8_t *ip6,
		 size_t len, size_t snaplen)
{
	uint8_t hdr[20];
	size_t hl = link_header(w, hdr), wire = hl + len, cap = wire;
	static const uint8_t pad[4];
	int rc = 0;

	if (snaplen && cap > snaplen)
		cap = snaplen;
	if (w->format == CAP_PCAPNG) {
		uint64_t ts = (uint64_t)ts_ns;
		size_t padded = (cap + 3) & ~(size_t)3;

		rc |= put32(w, 6);
		rc |= put32(w, (uint32_t)(32 + padded));
		rc |= put32(w, 0);
		rc |= put32(w, (uint32_t)(ts >> 32));
		rc |= put32(w, (uint32_t)ts);
		rc |= put32(w, (uint32_t)cap);
		rc |= put32(w, (uint32_t)wire);
		rc |= put_frame(w, hdr, hl, ip6, cap);
		rc |= put(w, pad, padded - cap);
		rc |= put32(w, (uint32_t)(32 + padded));
	} else {
		uint32_t sec = (uint32_t)(ts_ns / 1000000000);
		uint32_t frac = (uint32_t)(ts_ns % 1000000000);

		if (w->format == CAP_PCAP_US)
			frac /= 1000;
		rc |= put32(w, sec);
		rc |= put32(w, frac);
		rc |= put32(w, (uint32_t)cap);
		rc |= put32(w, (uint32_t)wire);
		rc |= put_frame(w, hdr, hl, ip6, cap);
	}
	w->frames++;
	return rc;
}

int
capwriter_close(struct capwriter *w)
{
	int rc = 0;

	if (w->f) {
		if (fclose(w->f) != 0)
			rc = -1;
		w->f = NULL;
	}
	return rc;
}
