/*
 * pdmv2/layout.h - one table of the option encodings (PROFILE.md 0, 2).
 *
 * Each Option Length names one encoding: RFC 8250 PDM (10), the Kri
 * layout plain / encrypted (18 / 34) and the Epoch layout plain /
 * protected (22 / 38).  A descriptor lists the fields of an encoding at
 * their offsets from the Option Type byte, which of them are sealed,
 * and the AAD, sealed and tag ranges.  The codec (option.c) parses and
 * builds every encoding from this table, and tools walk it to show the
 * fields, so no tool switches on layouts in its own code.
 *
 * Sealed fields carry the offsets they have in the plain form of the
 * same layout: in both layouts the sealed bytes sit exactly where the
 * plain form has them (2.3, 2.5), so a decrypted plaintext is decoded
 * by the plain form's offsets.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_LAYOUT_H
#define PDMV2_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pdmv2_layout {
	PDMV2_LAYOUT_NONE = 0,		/* RFC 8250 PDM: not PDMv2 */
	PDMV2_LAYOUT_KRI = 1,		/* drafts -00 to -04 (2.2, 2.3) */
	PDMV2_LAYOUT_EPOCH = 2,		/* drafts -09 to -14 (2.5) */
};

enum pdmv2_field {
	PDMV2_FIELD_VERSION = 1,
	PDMV2_FIELD_RESERVED_HDR,	/* Kri: low 12 bits of bytes 2..3 */
	PDMV2_FIELD_RANDOM,		/* Kri: Random Number / PRSEQ */
	PDMV2_FIELD_FLAG,		/* Kri: F */
	PDMV2_FIELD_EPOCH,		/* Epoch: low 12 bits of bytes 2..3 */
	PDMV2_FIELD_SCALE_DTLR,
	PDMV2_FIELD_SCALE_DTLS,
	PDMV2_FIELD_GLOBAL_POINTER,
	PDMV2_FIELD_PSNTP,
	PDMV2_FIELD_PSNLR,
	PDMV2_FIELD_RESERVED,		/* Epoch: bytes 18..19 (metrics) */
	PDMV2_FIELD_DELTA_TLR,
	PDMV2_FIELD_DELTA_TLS,
};

/* One field: value = (big-endian width bytes at offset & mask) >> shift */
struct pdmv2_field_desc {
	enum pdmv2_field id;
	uint8_t offset;
	uint8_t width;			/* bytes on the wire: 1, 2 or 4 */
	uint32_t mask;
	uint8_t shift;
	bool sealed;			/* only after a verified open */
};

struct pdmv2_layout_desc {
	uint8_t length;			/* Option Length */
	uint8_t variant;		/* enum pdmv2_variant (option.h) */
	enum pdmv2_layout layout;
	const char *drafts;		/* for display */
	uint8_t aad_len;		/* bytes 0..aad_len-1 are the AAD; 0 = plain */
	uint8_t sealed_off, sealed_len;	/* ciphertext range */
	uint8_t tag_off;		/* tag: 16 bytes from here */
	/* Epoch layout: a Version other than 2 stops interpretation after
	 * this field (2.4); PDMV2_FIELD_VERSION-only 0 = decode anyway */
	enum pdmv2_field stop_after;
	size_t nfields;
	const struct pdmv2_field_desc *fields;	/* in wire order */
};

/* The descriptor of an Option Length, or NULL (2.4: malformed). */
const struct pdmv2_layout_desc *pdmv2_layout_for_length(uint8_t length);

/* All descriptors, for tools that register one field per entry. */
size_t pdmv2_layout_count(void);
const struct pdmv2_layout_desc *pdmv2_layout_at(size_t i);

/* A field's value from the bytes of an option laid out as its plain
 * form (for sealed fields: the plaintext placed at sealed_off).  The
 * caller guarantees offset + width bytes. */
uint32_t pdmv2_field_read(const struct pdmv2_field_desc *f, const uint8_t *opt);
/* OR a value into zeroed bytes (the builder). */
void pdmv2_field_write(const struct pdmv2_field_desc *f, uint8_t *opt,
		       uint32_t value);

const char *pdmv2_layout_name(enum pdmv2_layout l);	/* "kri", "epoch", "none" */
const char *pdmv2_field_name(enum pdmv2_field f);	/* spec's names: "psntp" */

#endif
