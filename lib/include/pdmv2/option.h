/*
 * pdmv2/option.h - the PDM / PDMv2 option codec (PROFILE.md sections 2, 3).
 *
 * Five encodings share one option type and are told apart by the Option
 * Length (PROFILE.md 0): 10 = RFC 8250 PDM, 18 / 34 = PDMv2 Kri layout
 * plain / encrypted, 22 / 38 = PDMv2 Epoch layout plain / protected.
 * Parse and build walk the table of pdmv2/layout.h.  Parsing never reads
 * past the option; building writes the exact wire bytes (the sample
 * writer and the tests use it).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_OPTION_H
#define PDMV2_OPTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdmv2/error.h"
#include "pdmv2/layout.h"

#define PDMV2_OPTION_TYPE_DEFAULT 0x0F

#define PDMV2_LEN_PDM		10	/* Option Length values (data bytes) */
#define PDMV2_LEN_PLAIN		18
#define PDMV2_LEN_ENCRYPTED	34
#define PDMV2_LEN_EPOCH_PLAIN	22	/* 2.5 */
#define PDMV2_LEN_EPOCH_PROTECTED 38

#define PDMV2_METRIC_BYTES	14	/* ScaleDTLR .. DeltaTLS (2.3) */
#define PDMV2_TAG_BYTES		16
#define PDMV2_AAD_BYTES		6	/* option bytes 0..5 (5.3) */
#define PDMV2_EPOCH_METRIC_BYTES 16	/* PSNLR .. DeltaTLS (2.5) */
#define PDMV2_EPOCH_AAD_BYTES	8	/* option bytes 0..7 (5.5) */
#define PDMV2_SEALED_MAX	16	/* the larger of the two */
#define PDMV2_AAD_MAX		8
#define PDMV2_OPTION_MAX	(2 + PDMV2_LEN_EPOCH_PROTECTED)
#define PDMV2_EPOCH_MAX		4095	/* 12-bit field */
#define PDMV2_VERSION		2
#define PDMV2_PRSEQ_MAX		32767	/* 15-bit field; 0 is never used */

enum pdmv2_variant {
	PDMV2_VARIANT_NONE = 0,
	PDMV2_VARIANT_PDM = 1,		/* RFC 8250, length 10 */
	PDMV2_VARIANT_PLAIN = 2,	/* PDMv2 unencrypted, length 18 or 22 */
	PDMV2_VARIANT_ENCRYPTED = 3,	/* PDMv2 encrypted, length 34 or 38 */
};

/* Non-fatal findings on a decoded option (2.4: decode anyway, flag). */
#define PDMV2_OPT_WARN_VERSION	0x1u	/* version nibble != 2 */
#define PDMV2_OPT_WARN_RESERVED	0x2u	/* reserved bits non-zero */
/* Epoch layout with a Version other than 2: nothing after the Epoch was
 * interpreted (2.4); such an option is neither decoded nor opened. */
#define PDMV2_OPT_UNINTERPRETED	0x4u

/* The metric fields; for PDM v1 global_pointer is 0 and unused.  PSNs
 * are 16-bit but in the Epoch layout, where they are 32-bit (2.5). */
struct pdmv2_metrics {
	uint8_t scale_dtlr;
	uint8_t scale_dtls;
	uint32_t global_pointer;
	uint32_t psntp;
	uint32_t psnlr;
	uint16_t delta_tlr;
	uint16_t delta_tls;
	uint16_t reserved;		/* Epoch layout: bytes 18..19 (2.5) */
};

struct pdmv2_option {
	enum pdmv2_variant variant;
	enum pdmv2_layout layout;	/* PDMv2 only: Kri or Epoch */
	const struct pdmv2_layout_desc *desc;	/* the encoding's table entry */
	uint8_t type;
	uint8_t length;			/* Option Length as on the wire */
	unsigned warnings;		/* PDMV2_OPT_WARN_* */
	/* PDMv2 only (variants PLAIN and ENCRYPTED) */
	uint8_t version;		/* high nibble of bytes 2..3 */
	uint16_t reserved;		/* Kri: low 12 bits of bytes 2..3 */
	uint16_t random;		/* Kri: 15-bit Random Number / PRSEQ */
	uint8_t flag;			/* Kri: F bit */
	uint16_t epoch;			/* Epoch: low 12 bits of bytes 2..3 */
	/* PDM and PLAIN: decoded here.  ENCRYPTED: only after opening, but
	 * for the Epoch layout's clear m.psntp, decoded here. */
	struct pdmv2_metrics m;
	/* ENCRYPTED only: AAD (6 or 8 bytes), ciphertext (14 or 16) */
	uint8_t aad[PDMV2_AAD_MAX];
	uint8_t ciphertext[PDMV2_SEALED_MAX];
	uint8_t tag[PDMV2_TAG_BYTES];
};

/*
 * Parse one option starting at its Option Type byte.  avail is how many
 * bytes the containing header still holds from opt on.
 * Returns PDMV2_OK (check out->warnings), PDMV2_ERR_TRUNCATED when the
 * declared length runs past avail, PDMV2_ERR_MALFORMED for an Option
 * Length that is none of 10/18/22/34/38 (out->length still set).
 */
enum pdmv2_err pdmv2_option_parse(const uint8_t *opt, size_t avail,
				  struct pdmv2_option *out);

/*
 * The sealed fields of an encrypted option from its opened plaintext
 * (opt->desc->sealed_len bytes) into *m; clear fields (the Epoch
 * layout's PSNTP) are taken from opt.
 */
void pdmv2_option_unseal(const struct pdmv2_option *opt, const uint8_t *pt,
			 struct pdmv2_metrics *m);

/* The plaintext an encrypted option of opt's layout seals: its sealed
 * fields from opt->m; returns sealed_len (0 for a plain layout). */
size_t pdmv2_option_sealed_bytes(const struct pdmv2_option *opt,
				 uint8_t out[PDMV2_SEALED_MAX]);

/* The 14 metric bytes of 2.3 <-> struct. */
void pdmv2_metrics_pack(const struct pdmv2_metrics *m,
			uint8_t out[PDMV2_METRIC_BYTES]);
void pdmv2_metrics_unpack(const uint8_t in[PDMV2_METRIC_BYTES],
			  struct pdmv2_metrics *m);

/*
 * Build the wire bytes of an option (type, length, data) into out, which
 * must hold PDMV2_OPTION_MAX bytes; returns the number of bytes written
 * (12, 20, 24, 36 or 40).  The encoding is opt->variant's in
 * opt->layout (PDMV2_LAYOUT_NONE for a PDMv2 variant means Kri, as
 * before the Epoch layout existed); 0 for no such encoding.
 * For PDMV2_VARIANT_ENCRYPTED this writes the clear fields and copies
 * opt->ciphertext and opt->tag (the sealers fill them).  version,
 * reserved, random, flag and epoch come from opt; metrics from opt->m.
 */
size_t pdmv2_option_build(const struct pdmv2_option *opt, uint8_t *out);

/* 2-byte Version/Reserved and PRSEQ/F words as on the wire. */
uint16_t pdmv2_ver_res_word(uint8_t version, uint16_t reserved);
uint16_t pdmv2_prseq_f_word(uint16_t prseq, uint8_t flag);

/* ---- time fields (PROFILE.md 3) ---- */

/* D * 2^S attoseconds in microseconds, exact to the double rounding. */
double pdmv2_delta_us(uint16_t delta, uint8_t scale);

/* More than an hour: "implausible delta" (3). */
bool pdmv2_delta_implausible(uint16_t delta, uint8_t scale);

/*
 * Encode a duration (microseconds, >= 0) the way a sender would: the
 * smallest scale so the value fits in 16 bits.  Returns false when no
 * scale <= 255 can hold it.  A result of delta 0 means "no value" (7),
 * so callers encode a real zero-length interval as delta 1 at scale 0.
 */
bool pdmv2_delta_encode(double us, uint16_t *delta, uint8_t *scale);

#endif
