/*
 * pdmv2/option.h - the PDM / PDMv2 option codec (PROFILE.md sections 2, 3).
 *
 * Three encodings share one option type and are told apart by the Option
 * Length: 10 = RFC 8250 PDM, 18 = PDMv2 unencrypted, 34 = PDMv2
 * encrypted.  Parsing never reads past the option; building writes the
 * exact wire bytes (the sample writer and the tests use it).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_OPTION_H
#define PDMV2_OPTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdmv2/error.h"

#define PDMV2_OPTION_TYPE_DEFAULT 0x0F

#define PDMV2_LEN_PDM		10	/* Option Length values (data bytes) */
#define PDMV2_LEN_PLAIN		18
#define PDMV2_LEN_ENCRYPTED	34

#define PDMV2_METRIC_BYTES	14	/* ScaleDTLR .. DeltaTLS (2.3) */
#define PDMV2_TAG_BYTES		16
#define PDMV2_AAD_BYTES		6	/* option bytes 0..5 (5.3) */
#define PDMV2_OPTION_MAX	(2 + PDMV2_LEN_ENCRYPTED)
#define PDMV2_VERSION		2
#define PDMV2_PRSEQ_MAX		32767	/* 15-bit field; 0 is never used */

enum pdmv2_variant {
	PDMV2_VARIANT_NONE = 0,
	PDMV2_VARIANT_PDM = 1,		/* RFC 8250, length 10 */
	PDMV2_VARIANT_PLAIN = 2,	/* PDMv2 unencrypted, length 18 */
	PDMV2_VARIANT_ENCRYPTED = 3,	/* PDMv2 encrypted, length 34 */
};

/* Non-fatal findings on a decoded option (2.4: decode anyway, flag). */
#define PDMV2_OPT_WARN_VERSION	0x1u	/* version nibble != 2 */
#define PDMV2_OPT_WARN_RESERVED	0x2u	/* reserved bits non-zero */

/* The metric fields; for PDM v1 global_pointer is 0 and unused. */
struct pdmv2_metrics {
	uint8_t scale_dtlr;
	uint8_t scale_dtls;
	uint32_t global_pointer;
	uint16_t psntp;
	uint16_t psnlr;
	uint16_t delta_tlr;
	uint16_t delta_tls;
};

struct pdmv2_option {
	enum pdmv2_variant variant;
	uint8_t type;
	uint8_t length;			/* Option Length as on the wire */
	unsigned warnings;		/* PDMV2_OPT_WARN_* */
	/* PDMv2 only (variants PLAIN and ENCRYPTED) */
	uint8_t version;		/* high nibble of bytes 2..3 */
	uint16_t reserved;		/* low 12 bits of bytes 2..3 */
	uint16_t random;		/* 15-bit Random Number / PRSEQ */
	uint8_t flag;			/* F bit */
	/* PDM and PLAIN: decoded here.  ENCRYPTED: only after opening. */
	struct pdmv2_metrics m;
	/* ENCRYPTED only */
	uint8_t aad[PDMV2_AAD_BYTES];
	uint8_t ciphertext[PDMV2_METRIC_BYTES];
	uint8_t tag[PDMV2_TAG_BYTES];
};

/*
 * Parse one option starting at its Option Type byte.  avail is how many
 * bytes the containing header still holds from opt on.
 * Returns PDMV2_OK (check out->warnings), PDMV2_ERR_TRUNCATED when the
 * declared length runs past avail, PDMV2_ERR_MALFORMED for an Option
 * Length that is none of 10/18/34 (out->length still set).
 */
enum pdmv2_err pdmv2_option_parse(const uint8_t *opt, size_t avail,
				  struct pdmv2_option *out);

/* The 14 metric bytes of 2.3 <-> struct. */
void pdmv2_metrics_pack(const struct pdmv2_metrics *m,
			uint8_t out[PDMV2_METRIC_BYTES]);
void pdmv2_metrics_unpack(const uint8_t in[PDMV2_METRIC_BYTES],
			  struct pdmv2_metrics *m);

/*
 * Build the wire bytes of an option (type, length, data) into out, which
 * must hold PDMV2_OPTION_MAX bytes; returns the number of bytes written
 * (12, 20 or 36).  For PDMV2_VARIANT_ENCRYPTED this writes the header
 * and leaves ciphertext and tag to pdmv2_cipher_seal_option().  version,
 * reserved, random and flag come from opt; metrics from opt->m.
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

const char *pdmv2_variant_name(enum pdmv2_variant v);

#endif
