/*
 * pdmv2/hex.h - hex text <-> bytes, for key logs and the keys tool.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_HEX_H
#define PDMV2_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Case-insensitive hex to bytes.  Returns the byte count, or -1 for an
 * odd length, a non-hex digit or more than max bytes. */
long pdmv2_hex_decode(const char *hex, uint8_t *out, size_t max);

/* Lower-case hex of n bytes into out (2n + 1 bytes). */
void pdmv2_hex_encode(const uint8_t *in, size_t n, char *out);

#endif
