/*
 * test_client.c - the client/server rule of INTERFACES.md: for TCP the
 * sender of the first SYN without ACK, otherwise the first packet's.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pdmv2/client.h"

static struct pdmv2_walk
tcp(uint8_t flags)
{
	struct pdmv2_walk w;

	memset(&w, 0, sizeof(w));
	w.proto = PDMV2_IPPROTO_TCP;
	w.tcp_flags = flags;
	return w;
}

static void
test_syn_without_ack_is_a_client_syn(void **state)
{
	struct pdmv2_walk w = tcp(0x02);

	(void)state;
	assert_true(pdmv2_client_syn(&w));
	w = tcp(0x12);			/* SYN/ACK: the server's answer */
	assert_false(pdmv2_client_syn(&w));
	w = tcp(0x10);
	assert_false(pdmv2_client_syn(&w));
	w = tcp(0x02);
	w.flags = PDMV2_WALK_NO_PORTS;	/* flags not captured */
	assert_false(pdmv2_client_syn(&w));
	w = tcp(0x02);
	w.proto = 17;			/* UDP has no SYN */
	assert_false(pdmv2_client_syn(&w));
}

static void
test_first_packet_names_the_client_without_syn(void **state)
{
	struct pdmv2_client_rule r;

	(void)state;
	pdmv2_client_rule_init(&r);
	assert_true(pdmv2_client_rule_see(&r, false));
	assert_false(pdmv2_client_rule_see(&r, false));
	assert_false(pdmv2_client_rule_see(&r, false));
}

static void
test_first_syn_after_other_packets_names_its_sender(void **state)
{
	struct pdmv2_client_rule r;

	(void)state;
	pdmv2_client_rule_init(&r);
	assert_true(pdmv2_client_rule_see(&r, false));	/* e.g. a SYN/ACK */
	assert_true(pdmv2_client_rule_see(&r, true));	/* the SYN, late */
	assert_false(pdmv2_client_rule_see(&r, false));
}

static void
test_only_the_first_syn_counts(void **state)
{
	struct pdmv2_client_rule r;

	(void)state;
	pdmv2_client_rule_init(&r);
	assert_true(pdmv2_client_rule_see(&r, true));
	assert_false(pdmv2_client_rule_see(&r, true));
	assert_false(pdmv2_client_rule_see(&r, false));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syn_without_ack_is_a_client_syn),
		cmocka_unit_test(test_first_packet_names_the_client_without_syn),
		cmocka_unit_test(test_first_syn_after_other_packets_names_its_sender),
		cmocka_unit_test(test_only_the_first_syn_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
