/*
 * linktype.h - from a captured frame of a libpcap link type to its IPv6
 * header.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ANALYZER_LINKTYPE_H
#define ANALYZER_LINKTYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Offset of the IPv6 header in a frame, or -1 (not IPv6, or too short).
 * *supported is false for link types we do not decode. */
long linktype_ipv6_offset(int dlt, const uint8_t *data, size_t caplen,
			  bool *supported);
const char *linktype_name(int dlt);

#endif
