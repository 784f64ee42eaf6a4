/*
 * test_walk.c - the IPv6 header-chain walker and the 5-tuple.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "pdmv2/walk.h"
#include "vectors.h"

/* A tiny packet builder: IPv6 header, then headers appended in order. */
struct pkt {
	uint8_t b[1024];
	size_t n;
	uint8_t *last_nh;	/* where the next "next header" value goes */
};

static const uint8_t pdm_v2[20] = {0x0F, 18, 0x20, 0, 0x12, 0x34, 1, 2,
				   0, 0, 0, 7, 0, 100, 0, 99, 0, 5, 0, 6};

static void
pkt_init(struct pkt *p)
{
	memset(p, 0, sizeof(*p));
	p->b[0] = 0x60;
	p->b[7] = 64;
	inet_pton(AF_INET6, "2001:db8::1", p->b + 8);
	inet_pton(AF_INET6, "2001:db8::2", p->b + 24);
	p->n = 40;
	p->last_nh = &p->b[6];
}

/* An options header (HbH or DstOpts) holding the given TLV bytes. */
static void
pkt_opts(struct pkt *p, uint8_t type, const uint8_t *tlv, size_t len)
{
	size_t total = (2 + len + 7) / 8 * 8, pad = total - 2 - len;
	uint8_t *h = p->b + p->n;

	*p->last_nh = type;
	if (len)
		memcpy(h + 2, tlv, len);
	if (pad == 1)
		h[2 + len] = 0;
	else if (pad > 1) {
		h[2 + len] = 1;
		h[3 + len] = (uint8_t)(pad - 2);
	}
	h[1] = (uint8_t)(total / 8 - 1);
	p->last_nh = &h[0];
	p->n += total;
}

static void
pkt_raw(struct pkt *p, uint8_t type, const uint8_t *h, size_t len)
{
	*p->last_nh = type;
	memcpy(p->b + p->n, h, len);
	p->last_nh = &p->b[p->n];
	p->n += len;
}

static void
pkt_udp(struct pkt *p, uint16_t sport, uint16_t dport)
{
	uint8_t u[12] = {(uint8_t)(sport >> 8), (uint8_t)sport,
			 (uint8_t)(dport >> 8), (uint8_t)dport, 0, 12};

	*p->last_nh = 17;
	memcpy(p->b + p->n, u, sizeof(u));
	p->n += sizeof(u);
}

static void
test_hbh_dstopts_udp_gives_option_and_ports(void **state)
{
	struct pkt p;
	struct pdmv2_walk w;
	static const uint8_t padn4[] = {1, 2, 0, 0};

	(void)state;
	pkt_init(&p);
	pkt_opts(&p, 0, padn4, sizeof(padn4));
	pkt_opts(&p, 60, pdm_v2, sizeof(pdm_v2));
	pkt_udp(&p, 40000, 443);
	assert_int_equal(pdmv2_walk_ipv6(p.b, p.n, 0x0F, &w), PDMV2_OK);
	assert_true(w.flags & PDMV2_WALK_HBH);
	assert_int_equal(w.n_opts, 1);
	assert_int_equal(w.opts[0].opt_off, 40 + 8 + 2);
	assert_memory_equal(p.b + w.opts[0].opt_off, pdm_v2, sizeof(pdm_v2));
	assert_int_equal(w.proto, 17);
	assert_int_equal(w.sport, 40000);
	assert_int_equal(w.dport, 443);
	assert_false(w.flags & PDMV2_WALK_TRUNCATED);
}

static void
test_padn_and_pad1_before_the_option_are_walked(void **state)
{
	uint8_t tlv[40] = {0, 0, 1, 3, 0, 0, 0};	/* Pad1, Pad1, PadN(3) */
	struct pkt p;
	struct pdmv2_walk w;

	(void)state;
	memcpy(tlv + 7, pdm_v2, sizeof(pdm_v2));
	pkt_init(&p);
	pkt_opts(&p, 60, tlv, 7 + sizeof(pdm_v2));
	pkt_udp(&p, 1, 2);
	assert_int_equal(pdmv2_walk_ipv6(p.b, p.n, 0x0F, &w), PDMV2_OK);
	assert_int_equal(w.n_opts, 1);
	assert_int_equal(w.opts[0].opt_off, 40 + 2 + 7);
}

static void
test_two_options_in_one_header_are_both_found(void **state)
{
	uint8_t tlv[64];
	struct pkt p;
	struct pdmv2_walk w;

	(void)state;
	memcpy(tlv, pdm_v2, 20);
	memcpy(tlv + 20, pdm_v2, 20);
	pkt_init(&p);
	pkt_opts(&p, 60, tlv, 40);
	pkt_udp(&p, 1, 2);
	assert_int_equal(pdmv2_walk_ipv6(p.b, p.n, 0x0F, &w), PDMV2_OK);
	assert_int_equal(w.n_opts, 2);
	assert_int_equal(w.opts[1].opt_off, w.opts[0].opt_off + 20);
	/* another type is not ours: a configurable option type (1) */
	assert_int_equal(pdmv2_walk_ipv6(p.b, p.n, 0x1E, &w), PDMV2_OK);
	assert_int_equal(w.n_opts, 0);
}

static void
test_dstopts_before_and_after_routing_and_ah(void **state)
{
	uint8_t rh[24] = {0, 2, 0, 1};
	uint8_t ah[16] = {0, 2};	/* (2 + 2) * 4 = 16 bytes */
	struct pkt p;
	struct pdmv2_walk w;

	(void)state;
	pkt_init(&p);
	pkt_opts(&p, 60, pdm_v2, sizeof(pdm_v2));
	pkt_raw(&p, 43, rh, sizeof(rh));
	pkt_raw(&p, 51, ah, sizeof(ah));
	pkt_opts(&p, 60, pdm_v2, sizeof(pdm_v2));
	pkt_udp(&p, 7, 8);
	assert_int_equal(pdmv2_walk_ipv6(p.b, p.n, 0x0F, &w), PDMV2_OK);
	assert_int_equal(w.n_opts, 2);
	assert_false(w.opts[0].after_routing);
	assert_true(w.opts[1].after_routing);
	assert_true(w.flags & PDMV2_WALK_ROUTING);
	assert_true(w.flags & PDMV2_WALK_AH);
	assert_int_equal(w.sport, 7);
}

static void
test_truncated_header_keeps_what_came_before(void **state)
{
	struct pkt p;
	struct pdmv2_walk w;
	size_t cut;

	(void)state;
	pkt_init(&p);
	pkt_opts(&p, 60, pdm_v2, sizeof(pdm_v2));
	pkt_opts(&p, 60, pdm_v2, sizeof(pdm_v2));
	pkt_udp(&p, 1, 2);
	for (cut = 40; cut < p.n; cut++) {
		assert_int_equal(pdmv2_walk_ipv6(p.b, cut, 0x0F, &w), PDMV2_OK);
		if (cut < 40 + 24 * 2 + 4)
			assert_true(w.flags & (PDMV2_WALK_TRUNCATED | PDMV2_WALK_NO_PORTS));
		assert_int_equal(w.n_opts, cut >= 64 ? (cut >= 88 ? 2 : 1) : 0);
	}
	assert_int_equal(pdmv2_walk_ipv6(p.b, 39, 0x0F, &w), PDMV2_ERR_TRUNCATED);
}

/* PROFILE.md 2.4: a PDM option whose length runs past its fully
 * captured header is a malformed option, reported as such (overrun),
 * not left out; the options before it are kept as they were. */
static void
test_option_running_past_its_header_is_reported_as_overrun(void **state)
{
	uint8_t tlv[20];
	struct pkt p;
	struct pdmv2_walk w;

	(void)state;
	memcpy(tlv, pdm_v2, sizeof(tlv));
	tlv[1] = 34;		/* claims 34 bytes, the header has 22 */
	pkt_init(&p);
	pkt_opts(&p, 60, tlv, sizeof(tlv));
	pkt_udp(&p, 1, 2);
	assert_int_equal(pdmv2_walk_ipv6(p.b, p.n, 0x0F, &w), PDMV2_OK);
	assert_int_equal(w.n_opts, 1);
	assert_true(w.opts[0].overrun);
	assert_int_equal(w.opts[0].opt_off, 42);
	assert_int_equal(w.proto, 17);		/* the chain goes on */
	assert_int_equal(pdmv2_walk_options(tlv, sizeof(tlv), 0x0F, NULL, NULL),
			 PDMV2_ERR_TRUNCATED);

	/* a good option first, then the bad one: one of each */
	{
		uint8_t two[40];

		memcpy(two, pdm_v2, 20);
		memcpy(two + 20, tlv, 20);
		pkt_init(&p);
		pkt_opts(&p, 60, two, sizeof(two));
		pkt_udp(&p, 1, 2);
		assert_int_equal(pdmv2_walk_ipv6(p.b, p.n, 0x0F, &w), PDMV2_OK);
		assert_int_equal(w.n_opts, 2);
		assert_false(w.opts[0].overrun);
		assert_true(w.opts[1].overrun);
	}
}

static void
test_non_first_fragment_stops_the_walk(void **state)
{
	uint8_t frag[8] = {0, 0, 0x01, 0x00, 0, 0, 0, 1};	/* offset 32 */
	uint8_t first[8] = {0, 0, 0x00, 0x01, 0, 0, 0, 1};	/* offset 0, M */
	struct pkt p;
	struct pdmv2_walk w;

	(void)state;
	pkt_init(&p);
	pkt_raw(&p, 44, frag, sizeof(frag));
	pkt_opts(&p, 60, pdm_v2, sizeof(pdm_v2));
	pkt_udp(&p, 1, 2);
	assert_int_equal(pdmv2_walk_ipv6(p.b, p.n, 0x0F, &w), PDMV2_OK);
	assert_true(w.flags & PDMV2_WALK_NONFIRST);
	assert_int_equal(w.n_opts, 0);

	pkt_init(&p);
	pkt_raw(&p, 44, first, sizeof(first));
	pkt_opts(&p, 60, pdm_v2, sizeof(pdm_v2));
	pkt_udp(&p, 5, 6);
	assert_int_equal(pdmv2_walk_ipv6(p.b, p.n, 0x0F, &w), PDMV2_OK);
	assert_false(w.flags & PDMV2_WALK_NONFIRST);
	assert_int_equal(w.n_opts, 1);
	assert_int_equal(w.dport, 6);
}

static void
test_esp_stops_and_icmpv6_has_no_ports(void **state)
{
	uint8_t esp[8] = {0};
	uint8_t icmp[8] = {128, 0, 0, 0, 0x12, 0x34, 0, 1};
	struct pkt p;
	struct pdmv2_walk w;

	(void)state;
	pkt_init(&p);
	pkt_opts(&p, 60, pdm_v2, sizeof(pdm_v2));
	pkt_raw(&p, 50, esp, sizeof(esp));
	assert_int_equal(pdmv2_walk_ipv6(p.b, p.n, 0x0F, &w), PDMV2_OK);
	assert_true(w.flags & PDMV2_WALK_ESP);
	assert_int_equal(w.n_opts, 1);

	pkt_init(&p);
	pkt_opts(&p, 60, pdm_v2, sizeof(pdm_v2));
	pkt_raw(&p, 58, icmp, sizeof(icmp));
	assert_int_equal(pdmv2_walk_ipv6(p.b, p.n, 0x0F, &w), PDMV2_OK);
	assert_int_equal(w.proto, 58);
	assert_int_equal(w.sport, 0);
	assert_int_equal(w.dport, 0);
}

static void
test_tcp_flags_are_read(void **state)
{
	uint8_t tcp[20] = {0x9C, 0x40, 0, 80, [12] = 0x50, [13] = 0x02};
	struct pkt p;
	struct pdmv2_walk w;

	(void)state;
	pkt_init(&p);
	pkt_raw(&p, 6, tcp, sizeof(tcp));
	assert_int_equal(pdmv2_walk_ipv6(p.b, p.n, 0x0F, &w), PDMV2_OK);
	assert_int_equal(w.proto, 6);
	assert_int_equal(w.sport, 40000);
	assert_int_equal(w.tcp_flags, 0x02);
}

static void
test_not_ipv6_and_hostile_chains(void **state)
{
	struct pkt p;
	struct pdmv2_walk w;
	int i;

	(void)state;
	pkt_init(&p);
	p.b[0] = 0x45;
	assert_int_equal(pdmv2_walk_ipv6(p.b, 60, 0x0F, &w), PDMV2_ERR_MALFORMED);
	/* 60 empty Destination Options headers: walked, bounded, no loop */
	pkt_init(&p);
	for (i = 0; i < 58; i++)
		pkt_opts(&p, 60, NULL, 0);
	pkt_udp(&p, 1, 2);
	assert_int_equal(pdmv2_walk_ipv6(p.b, p.n, 0x0F, &w), PDMV2_OK);
	assert_int_equal(w.proto, 17);
	/* 70: more than the walker follows; it stops there, flagged */
	pkt_init(&p);
	for (i = 0; i < 70; i++)
		pkt_opts(&p, 60, NULL, 0);
	pkt_udp(&p, 1, 2);
	assert_int_equal(pdmv2_walk_ipv6(p.b, p.n, 0x0F, &w), PDMV2_OK);
	assert_true(w.flags & PDMV2_WALK_TRUNCATED);
	assert_int_equal(w.proto, 60);
}

static void
test_five_tuple_matches_every_vector(void **state)
{
	json_object *vec = test_load_vectors("pdmv2-profile.json");
	json_object *cases = test_get(vec, "session_keys_and_options");
	size_t i;

	(void)state;
	for (i = 0; i < json_object_array_length(cases); i++) {
		json_object *c = json_object_array_get_idx(cases, i);
		uint8_t s[16], d[16], ft[37], want[37];

		inet_pton(AF_INET6, test_get_str(c, "saddr"), s);
		inet_pton(AF_INET6, test_get_str(c, "daddr"), d);
		pdmv2_five_tuple(s, d, (uint16_t)test_get_int(c, "sport"),
				 (uint16_t)test_get_int(c, "dport"),
				 (uint8_t)test_get_int(c, "proto"), ft);
		assert_int_equal(test_hex(test_get_str(c, "five_tuple"), want, 37), 37);
		assert_memory_equal(ft, want, 37);
	}
	json_object_put(vec);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hbh_dstopts_udp_gives_option_and_ports),
		cmocka_unit_test(test_padn_and_pad1_before_the_option_are_walked),
		cmocka_unit_test(test_two_options_in_one_header_are_both_found),
		cmocka_unit_test(test_dstopts_before_and_after_routing_and_ah),
		cmocka_unit_test(test_truncated_header_keeps_what_came_before),
		cmocka_unit_test(test_option_running_past_its_header_is_reported_as_overrun),
		cmocka_unit_test(test_non_first_fragment_stops_the_walk),
		cmocka_unit_test(test_esp_stops_and_icmpv6_has_no_ports),
		cmocka_unit_test(test_tcp_flags_are_read),
		cmocka_unit_test(test_not_ipv6_and_hostile_chains),
		cmocka_unit_test(test_five_tuple_matches_every_vector),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
