/*
 * pdmv2/client.h - which endpoint of a flow is the client (INTERFACES.md
 * "Client and server"): for TCP the sender of the first SYN without ACK,
 * otherwise the sender of the first packet seen.
 *
 * The rule knows nothing of addresses: it says, packet by packet,
 * whether this packet's sender is the client from now on, and the
 * caller keeps who that is.  The analyzer and the plugin both name the
 * client through it, so their directions agree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_CLIENT_H
#define PDMV2_CLIENT_H

#include <stdbool.h>

#include "pdmv2/walk.h"

struct pdmv2_client_rule {
	bool seen;		/* a packet named a client */
	bool by_syn;		/* a TCP SYN without ACK did: final */
};

/* A zeroed struct is a rule that has seen nothing. */
void pdmv2_client_rule_init(struct pdmv2_client_rule *r);

/* A TCP segment whose header was captured with SYN set and ACK clear. */
bool pdmv2_client_syn(const struct pdmv2_walk *w);

/* One packet of the flow, in capture order (syn: pdmv2_client_syn of
 * it); true when its sender is the client from now on: the first
 * packet, and the first SYN without ACK. */
bool pdmv2_client_rule_see(struct pdmv2_client_rule *r, bool syn);

#endif
