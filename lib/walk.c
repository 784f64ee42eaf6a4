/*
 * walk.c - IPv6 extension-header chain walker (PROFILE.md 1 and 4).
 *
 * Walks the chain in RFC 8200 order, noting every PDM option of the
 * configured type in every Destination Options header and the upper
 * layer at the end.  All reads go through the bounds-checked reader; a
 * chain that runs past the captured bytes sets PDMV2_WALK_TRUNCATED and
 * keeps what was found before.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <string.h>

#include <glib.h>

#include "pdmv2/reader.h"
#include "pdmv2/walk.h"

#define IPV6_HDR_LEN 40
#define MAX_EXT_HEADERS 64	/* a hostile chain ends here, not in a loop */
#define OPT_PAD1 0x00

bool
pdmv2_proto_has_ports(uint8_t proto)
{
	switch (proto) {
	case PDMV2_IPPROTO_TCP:
	case PDMV2_IPPROTO_UDP:
	case PDMV2_IPPROTO_UDPLITE:
	case PDMV2_IPPROTO_SCTP:
	case PDMV2_IPPROTO_DCCP:
		return true;
	default:
		return false;
	}
}

const char *
pdmv2_proto_name(uint8_t proto)
{
	switch (proto) {
	case PDMV2_IPPROTO_TCP:
		return "tcp";
	case PDMV2_IPPROTO_UDP:
		return "udp";
	case PDMV2_IPPROTO_ICMPV6:
		return "icmpv6";
	default:
		return NULL;
	}
}

bool
pdmv2_proto_parse(const char *s, uint8_t *proto)
{
	static const uint8_t named[] = {PDMV2_IPPROTO_TCP, PDMV2_IPPROTO_UDP,
					PDMV2_IPPROTO_ICMPV6};
	unsigned v = 0;
	size_t i;

	for (i = 0; i < sizeof(named); i++)
		if (g_ascii_strcasecmp(s, pdmv2_proto_name(named[i])) == 0) {
			*proto = named[i];
			return true;
		}
	if (g_ascii_strcasecmp(s, "ipv6-icmp") == 0) {
		*proto = PDMV2_IPPROTO_ICMPV6;
		return true;
	}
	if (!*s)
		return false;
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || (v = v * 10 + (unsigned)(s[i] - '0')) > 255)
			return false;
	}
	*proto = (uint8_t)v;
	return true;
}

void
pdmv2_five_tuple(const uint8_t src[16], const uint8_t dst[16], uint16_t sport,
		 uint16_t dport, uint8_t proto, uint8_t out[PDMV2_FIVE_TUPLE_BYTES])
{
	memcpy(out, src, 16);
	memcpy(out + 16, dst, 16);
	pdmv2_put_u16(out + 32, sport);
	pdmv2_put_u16(out + 34, dport);
	out[36] = proto;
}

/* The TLV walk; overrun: an option of the type whose length runs past
 * the area is reported too (with avail < its length), not dropped. */
static enum pdmv2_err
walk_area(const uint8_t *area, size_t len, uint8_t option_type,
	  pdmv2_opt_cb found, void *ctx, bool overrun)
{
	struct pdmv2_reader r;

	pdmv2_reader_init(&r, area, len);
	while (pdmv2_reader_left(&r) > 0) {
		size_t off = r.off;
		uint8_t type, olen;

		(void)pdmv2_reader_u8(&r, &type);
		if (type == OPT_PAD1)
			continue;
		if (!pdmv2_reader_u8(&r, &olen) || !pdmv2_reader_skip(&r, olen)) {
			if (overrun && type == option_type && found)
				found(ctx, off, len - off);
			return PDMV2_ERR_TRUNCATED;
		}
		if (type == option_type && found)
			found(ctx, off, len - off);
	}
	return PDMV2_OK;
}

enum pdmv2_err
pdmv2_walk_options(const uint8_t *area, size_t len, uint8_t option_type,
		   pdmv2_opt_cb found, void *ctx)
{
	return walk_area(area, len, option_type, found, ctx, false);
}

struct dstopts_ctx {
	struct pdmv2_walk *w;
	const uint8_t *area;
	size_t hdr_off, hdr_len, area_off;
	bool after_routing;
};

static void
note_option(void *ctx, size_t off, size_t avail)
{
	struct dstopts_ctx *c = ctx;
	struct pdmv2_walk *w = c->w;

	if (w->n_opts < PDMV2_WALK_MAX_OPTS) {
		struct pdmv2_opt_ref *ref = &w->opts[w->n_opts++];

		ref->hdr_off = c->hdr_off;
		ref->hdr_len = c->hdr_len;
		ref->opt_off = c->area_off + off;
		ref->opt_avail = avail;
		ref->after_routing = c->after_routing;
		/* the whole header was captured: an option that does not
		 * fit in it is malformed, not cut by the capture (2.4) */
		ref->overrun = avail < 2 || (size_t)c->area[off + 1] + 2 > avail;
	}
	w->n_opts_seen++;
}

/* The upper-layer header: ports (4) and TCP flags. */
static void
read_upper(struct pdmv2_reader *r, struct pdmv2_walk *w)
{
	struct pdmv2_reader u = *r;
	uint8_t flags;

	w->upper_off = r->off;
	if (!pdmv2_proto_has_ports(w->proto))
		return;
	if (!pdmv2_reader_u16(&u, &w->sport) || !pdmv2_reader_u16(&u, &w->dport)) {
		w->sport = w->dport = 0;
		w->flags |= PDMV2_WALK_NO_PORTS;
		return;
	}
	/* TCP flags at byte 13 of the TCP header. */
	if (w->proto == PDMV2_IPPROTO_TCP && pdmv2_reader_skip(&u, 9) &&
	    pdmv2_reader_u8(&u, &flags))
		w->tcp_flags = flags;
}

enum pdmv2_err
pdmv2_walk_ipv6(const uint8_t *pkt, size_t caplen, uint8_t option_type,
		struct pdmv2_walk *w)
{
	struct pdmv2_reader r;
	uint8_t vtc, nh, hlen;
	unsigned n;

	/* Not opts[]: a slot is written whole when an option is found, and
	 * clearing the four (160 bytes, a `rep stos`) was half of this
	 * function's time on a decode-only run. */
	memset(w, 0, offsetof(struct pdmv2_walk, opts));
	pdmv2_reader_init(&r, pkt, caplen);
	if (!pdmv2_reader_has(&r, IPV6_HDR_LEN))
		return PDMV2_ERR_TRUNCATED;
	(void)pdmv2_reader_u8(&r, &vtc);
	if ((vtc >> 4) != 6)
		return PDMV2_ERR_MALFORMED;
	(void)pdmv2_reader_skip(&r, 5);		/* TC, flow label, payload length */
	(void)pdmv2_reader_u8(&r, &nh);
	(void)pdmv2_reader_skip(&r, 1);		/* hop limit */
	(void)pdmv2_reader_copy(&r, w->src, 16);
	(void)pdmv2_reader_copy(&r, w->dst, 16);

	for (n = 0; n < MAX_EXT_HEADERS; n++) {
		size_t hdr_off = r.off;
		struct pdmv2_reader h;
		uint8_t next;

		switch (nh) {
		case PDMV2_IPPROTO_HOPOPTS:
		case PDMV2_IPPROTO_ROUTING:
		case PDMV2_IPPROTO_DSTOPTS: {
			size_t len;

			if (!pdmv2_reader_has(&r, 2))
				goto truncated;
			next = r.base[r.off];
			hlen = r.base[r.off + 1];
			len = ((size_t)hlen + 1) * 8;
			if (!pdmv2_reader_sub(&r, len, &h))
				goto truncated;
			if (nh == PDMV2_IPPROTO_HOPOPTS)
				w->flags |= PDMV2_WALK_HBH;
			else if (nh == PDMV2_IPPROTO_ROUTING)
				w->flags |= PDMV2_WALK_ROUTING;
			else {
				struct dstopts_ctx c = {
					.w = w, .area = h.base + 2,
					.hdr_off = hdr_off, .hdr_len = len,
					.area_off = hdr_off + 2,
					.after_routing = (w->flags & PDMV2_WALK_ROUTING) != 0,
				};

				/* A TLV overrun inside the header: the options
				 * before it are kept, and a PDM option that is
				 * the bad one is noted as overrun. */
				(void)walk_area(h.base + 2, len - 2, option_type,
						note_option, &c, true);
			}
			nh = next;
			break;
		}
		case PDMV2_IPPROTO_FRAGMENT: {
			uint16_t offlg;

			if (!pdmv2_reader_sub(&r, 8, &h))
				goto truncated;
			(void)pdmv2_reader_u8(&h, &next);
			(void)pdmv2_reader_skip(&h, 1);
			(void)pdmv2_reader_u16(&h, &offlg);
			w->flags |= PDMV2_WALK_FRAGMENT;
			nh = next;
			if ((offlg >> 3) != 0) {
				/* Non-first fragment: what follows is payload. */
				w->flags |= PDMV2_WALK_NONFIRST;
				w->proto = nh;
				w->upper_off = r.off;
				return PDMV2_OK;
			}
			break;
		}
		case PDMV2_IPPROTO_AH: {
			size_t len;

			if (!pdmv2_reader_has(&r, 2))
				goto truncated;
			next = r.base[r.off];
			hlen = r.base[r.off + 1];
			len = ((size_t)hlen + 2) * 4;
			if (!pdmv2_reader_skip(&r, len))
				goto truncated;
			w->flags |= PDMV2_WALK_AH;
			nh = next;
			break;
		}
		case PDMV2_IPPROTO_ESP:
			w->flags |= PDMV2_WALK_ESP;
			w->proto = nh;
			w->upper_off = r.off;
			return PDMV2_OK;
		default:
			/* Upper layer (or No Next Header). */
			w->proto = nh;
			read_upper(&r, w);
			return PDMV2_OK;
		}
	}
	/* Too many headers: treat as unparseable beyond this point. */
	w->proto = nh;
	w->upper_off = r.off;
	w->flags |= PDMV2_WALK_TRUNCATED;
	return PDMV2_OK;

truncated:
	w->proto = nh;
	w->upper_off = r.off;
	w->flags |= PDMV2_WALK_TRUNCATED | PDMV2_WALK_NO_PORTS;
	return PDMV2_OK;
}
