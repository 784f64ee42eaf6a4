/*
 * pdmv2/walk.h - IPv6 extension-header chain walker (PROFILE.md 1, 4).
 *
 * From the first byte of an IPv6 header, walk Hop-by-Hop, Routing,
 * Fragment, AH and Destination Options headers in RFC 8200 order, find
 * the PDM option(s) of the configured type in every Destination Options
 * header (a TLV walk over Pad1, PadN and any other option), and the
 * upper-layer protocol and ports that make up the sender's 5-tuple.
 * ESP and non-first fragments end the walk.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_WALK_H
#define PDMV2_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdmv2/error.h"

#define PDMV2_FIVE_TUPLE_BYTES 37
#define PDMV2_WALK_MAX_OPTS 4	/* PDM options remembered per packet */

#define PDMV2_IPPROTO_HOPOPTS	0
#define PDMV2_IPPROTO_TCP	6
#define PDMV2_IPPROTO_UDP	17
#define PDMV2_IPPROTO_ROUTING	43
#define PDMV2_IPPROTO_FRAGMENT	44
#define PDMV2_IPPROTO_ESP	50
#define PDMV2_IPPROTO_AH	51
#define PDMV2_IPPROTO_ICMPV6	58
#define PDMV2_IPPROTO_NONE	59
#define PDMV2_IPPROTO_DSTOPTS	60
#define PDMV2_IPPROTO_DCCP	33
#define PDMV2_IPPROTO_SCTP	132
#define PDMV2_IPPROTO_UDPLITE	136

/* Where a PDM option sits in the packet (offsets from the IPv6 header). */
struct pdmv2_opt_ref {
	size_t hdr_off;		/* the Destination Options header */
	size_t hdr_len;		/* its length in bytes, (Hdr Ext Len + 1) * 8 */
	size_t opt_off;		/* the option's Option Type byte */
	size_t opt_avail;	/* bytes of the header from opt_off on */
	bool after_routing;	/* header came after a Routing header */
	bool overrun;		/* its Option Length runs past the end of its
				 * (fully captured) header: malformed (2.4) */
};

/* Walk outcome flags. */
#define PDMV2_WALK_HBH		0x01u	/* Hop-by-Hop header present */
#define PDMV2_WALK_ROUTING	0x02u
#define PDMV2_WALK_FRAGMENT	0x04u	/* any Fragment header */
#define PDMV2_WALK_NONFIRST	0x08u	/* non-first fragment: walk stopped */
#define PDMV2_WALK_ESP		0x10u	/* ESP: walk stopped */
#define PDMV2_WALK_AH		0x20u
#define PDMV2_WALK_TRUNCATED	0x40u	/* chain ran past captured bytes */
#define PDMV2_WALK_NO_PORTS	0x80u	/* transport header not captured */

struct pdmv2_walk {
	uint8_t src[16];
	uint8_t dst[16];
	uint8_t proto;		/* upper-layer protocol at the end of the chain */
	uint16_t sport;		/* 0 for protocols without ports (4) */
	uint16_t dport;
	uint8_t tcp_flags;	/* when proto is TCP and captured, else 0 */
	size_t upper_off;	/* offset of the upper-layer header */
	unsigned flags;		/* PDMV2_WALK_* */
	unsigned n_opts;	/* PDM options found (<= PDMV2_WALK_MAX_OPTS) */
	unsigned n_opts_seen;	/* found in total, may exceed n_opts */
	struct pdmv2_opt_ref opts[PDMV2_WALK_MAX_OPTS];	/* [0, n_opts) set */
};

/*
 * Walk the packet at pkt (caplen captured bytes, IPv6 header first).
 * Returns PDMV2_OK when the fixed header was read (inspect w->flags for
 * truncation, ESP, fragments), PDMV2_ERR_TRUNCATED when not even the
 * 40-byte header is there, PDMV2_ERR_MALFORMED when the version is not 6.
 * Options found before the walk stopped are still reported.
 */
enum pdmv2_err pdmv2_walk_ipv6(const uint8_t *pkt, size_t caplen,
			       uint8_t option_type, struct pdmv2_walk *w);

/*
 * TLV walk of one Destination Options header's option area (the bytes
 * after Next Header and Hdr Ext Len).  Calls found() for every option of
 * the given type with its offset inside area; returns PDMV2_ERR_TRUNCATED
 * when an option's length runs past the area (options before it were
 * still reported).  The plugin uses this on the header bytes it owns.
 */
typedef void (*pdmv2_opt_cb)(void *ctx, size_t off, size_t avail);
enum pdmv2_err pdmv2_walk_options(const uint8_t *area, size_t len,
				  uint8_t option_type, pdmv2_opt_cb found,
				  void *ctx);

/* 5T = SADDR || DADDR || SPORT || DPORT || PROTC (4). */
void pdmv2_five_tuple(const uint8_t src[16], const uint8_t dst[16],
		      uint16_t sport, uint16_t dport, uint8_t proto,
		      uint8_t out[PDMV2_FIVE_TUPLE_BYTES]);

/* True for TCP, UDP, UDP-Lite, SCTP and DCCP (the protocols with ports). */
bool pdmv2_proto_has_ports(uint8_t proto);

/* The name reports give a transport protocol ("tcp", "udp", "icmpv6"),
 * or NULL for one without a name there. */
const char *pdmv2_proto_name(uint8_t proto);
/* A protocol as users write it: one of those names (any case,
 * "ipv6-icmp" too, as /etc/protocols) or a number 0..255. */
bool pdmv2_proto_parse(const char *s, uint8_t *proto);

#endif
