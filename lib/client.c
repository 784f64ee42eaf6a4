/*
 * client.c - the one client/server rule (INTERFACES.md "Client and
 * server"), shared by the analyzer and the plugin.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pdmv2/client.h"

#define TCP_SYN 0x02u
#define TCP_ACK 0x10u

void
pdmv2_client_rule_init(struct pdmv2_client_rule *r)
{
	r->seen = false;
	r->by_syn = false;
}

bool
pdmv2_client_syn(const struct pdmv2_walk *w)
{
	return w->proto == PDMV2_IPPROTO_TCP &&
	       !(w->flags & PDMV2_WALK_NO_PORTS) &&
	       (w->tcp_flags & (TCP_SYN | TCP_ACK)) == TCP_SYN;
}

bool
pdmv2_client_rule_see(struct pdmv2_client_rule *r, bool syn)
{
	/* a SYN without ACK opens the connection: its sender is the
	 * client whatever came before it in the capture; only the first
	 * counts (a retransmitted SYN names the same side) */
	if (syn && !r->by_syn) {
		r->seen = true;
		r->by_syn = true;
		return true;
	}
	if (!r->seen) {
		r->seen = true;
		return true;
	}
	return false;
}
