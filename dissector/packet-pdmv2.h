/*
 * packet-pdmv2.h - registration entry points of the PDMv2 dissector.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_PACKET_PDMV2_H
#define PDMV2_PACKET_PDMV2_H

void proto_register_pdmv2(void);
void proto_reg_handoff_pdmv2(void);

#endif
