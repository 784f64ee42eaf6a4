/*
 * fnv.h - internal: FNV-1a over a few bytes, the hash of the library's
 * GLib tables keyed by raw addresses and 5-tuples (gptr.c, keyindex.c).
 * Their keys come from captures and key logs; none is on a per-packet
 * path (per packet, flows hash word by word: analyzer/flow.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_FNV_H
#define PDMV2_FNV_H

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

static inline guint
pdmv2_fnv1a(const uint8_t *p, size_t n)
{
	guint32 h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

#endif
