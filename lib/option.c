/*
 * option.c - the PDM / PDMv2 option codec and time fields
 * (PROFILE.md sections 2 and 3).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <string.h>

#include "pdmv2/option.h"
#include "pdmv2/reader.h"

#define US_PER_HOUR 3600e6

static void
metrics_read(struct pdmv2_reader *r, struct pdmv2_metrics *m, int with_gp)
{
	/* Callers checked the length: these reads cannot fail. */
	(void)pdmv2_reader_u8(r, &m->scale_dtlr);
	(void)pdmv2_reader_u8(r, &m->scale_dtls);
	if (with_gp)
		(void)pdmv2_reader_u32(r, &m->global_pointer);
	else
		m->global_pointer = 0;
	(void)pdmv2_reader_u16(r, &m->psntp);
	(void)pdmv2_reader_u16(r, &m->psnlr);
	(void)pdmv2_reader_u16(r, &m->delta_tlr);
	(void)pdmv2_reader_u16(r, &m->delta_tls);
}

enum pdmv2_err
pdmv2_option_parse(const uint8_t *opt, size_t avail, struct pdmv2_option *out)
{
	struct pdmv2_reader r;
	uint16_t w;

	memset(out, 0, sizeof(*out));
	pdmv2_reader_init(&r, opt, avail);
	if (!pdmv2_reader_u8(&r, &out->type) ||
	    !pdmv2_reader_u8(&r, &out->length))
		return PDMV2_ERR_TRUNCATED;

	switch (out->length) {
	case PDMV2_LEN_PDM:
	case PDMV2_LEN_PLAIN:
	case PDMV2_LEN_ENCRYPTED:
		break;
	default:
		/* 2.4: any other length is malformed; the data is not read. */
		return PDMV2_ERR_MALFORMED;
	}
	if (!pdmv2_reader_has(&r, out->length))
		return PDMV2_ERR_TRUNCATED;

	if (out->length == PDMV2_LEN_PDM) {
		out->variant = PDMV2_VARIANT_PDM;
		metrics_read(&r, &out->m, 0);
		return PDMV2_OK;
	}

	(void)pdmv2_reader_u16(&r, &w);
	out->version = (uint8_t)(w >> 12);
	out->reserved = w & 0x0FFF;
	(void)pdmv2_reader_u16(&r, &w);
	out->random = w >> 1;
	out->flag = w & 1;
	if (out->version != PDMV2_VERSION)
		out->warnings |= PDMV2_OPT_WARN_VERSION;
	if (out->reserved != 0)
		out->warnings |= PDMV2_OPT_WARN_RESERVED;

	if (out->length == PDMV2_LEN_PLAIN) {
		out->variant = PDMV2_VARIANT_PLAIN;
		metrics_read(&r, &out->m, 1);
		return PDMV2_OK;
	}
	out->variant = PDMV2_VARIANT_ENCRYPTED;
	memcpy(out->aad, opt, PDMV2_AAD_BYTES);
	(void)pdmv2_reader_copy(&r, out->ciphertext, PDMV2_METRIC_BYTES);
	(void)pdmv2_reader_copy(&r, out->tag, PDMV2_TAG_BYTES);
	return PDMV2_OK;
}

void
pdmv2_metrics_pack(const struct pdmv2_metrics *m, uint8_t out[PDMV2_METRIC_BYTES])
{
	out[0] = m->scale_dtlr;
	out[1] = m->scale_dtls;
	pdmv2_put_u32(out + 2, m->global_pointer);
	pdmv2_put_u16(out + 6, m->psntp);
	pdmv2_put_u16(out + 8, m->psnlr);
	pdmv2_put_u16(out + 10, m->delta_tlr);
	pdmv2_put_u16(out + 12, m->delta_tls);
}

void
pdmv2_metrics_unpack(const uint8_t in[PDMV2_METRIC_BYTES], struct pdmv2_metrics *m)
{
	struct pdmv2_reader r;

	pdmv2_reader_init(&r, in, PDMV2_METRIC_BYTES);
	metrics_read(&r, m, 1);
}

uint16_t
pdmv2_ver_res_word(uint8_t version, uint16_t reserved)
{
	return (uint16_t)((unsigned)(version & 0x0F) << 12 | (reserved & 0x0FFF));
}

uint16_t
pdmv2_prseq_f_word(uint16_t prseq, uint8_t flag)
{
	return (uint16_t)((unsigned)(prseq & 0x7FFF) << 1 | (flag & 1));
}

size_t
pdmv2_option_build(const struct pdmv2_option *opt, uint8_t *out)
{
	uint8_t metrics[PDMV2_METRIC_BYTES];

	out[0] = opt->type;
	switch (opt->variant) {
	case PDMV2_VARIANT_PDM:
		out[1] = PDMV2_LEN_PDM;
		out[2] = opt->m.scale_dtlr;
		out[3] = opt->m.scale_dtls;
		pdmv2_put_u16(out + 4, opt->m.psntp);
		pdmv2_put_u16(out + 6, opt->m.psnlr);
		pdmv2_put_u16(out + 8, opt->m.delta_tlr);
		pdmv2_put_u16(out + 10, opt->m.delta_tls);
		return 2 + PDMV2_LEN_PDM;
	case PDMV2_VARIANT_PLAIN:
	case PDMV2_VARIANT_ENCRYPTED:
		out[1] = opt->variant == PDMV2_VARIANT_PLAIN ?
			 PDMV2_LEN_PLAIN : PDMV2_LEN_ENCRYPTED;
		pdmv2_put_u16(out + 2, pdmv2_ver_res_word(opt->version, opt->reserved));
		pdmv2_put_u16(out + 4, pdmv2_prseq_f_word(opt->random, opt->flag));
		if (opt->variant == PDMV2_VARIANT_ENCRYPTED) {
			memcpy(out + 6, opt->ciphertext, PDMV2_METRIC_BYTES);
			memcpy(out + 6 + PDMV2_METRIC_BYTES, opt->tag, PDMV2_TAG_BYTES);
			return 2 + PDMV2_LEN_ENCRYPTED;
		}
		pdmv2_metrics_pack(&opt->m, metrics);
		memcpy(out + 6, metrics, sizeof(metrics));
		return 2 + PDMV2_LEN_PLAIN;
	case PDMV2_VARIANT_NONE:
		break;
	}
	return 0;
}

double
pdmv2_delta_us(uint16_t delta, uint8_t scale)
{
	/*
	 * 3: D * 2^S attoseconds.  ldexp is exact (D has 16 bits), so the
	 * one division by the exact 1e12 is the only rounding; 2^255 * 65535
	 * is far inside the double range.
	 */
	uint64_t bits = (uint64_t)(1023 + scale) << 52;	/* 2^scale, exactly */
	double pow2;

	/* the multiply is as exact as ldexp (a power of two), without the
	 * libm call that showed in profiles */
	memcpy(&pow2, &bits, sizeof(pow2));
	return (double)delta * pow2 / 1e12;
}

bool
pdmv2_delta_implausible(uint16_t delta, uint8_t scale)
{
	return pdmv2_delta_us(delta, scale) > US_PER_HOUR;
}

bool
pdmv2_delta_encode(double us, uint16_t *delta, uint8_t *scale)
{
	double as;	/* attoseconds */
	unsigned s;

	if (!(us >= 0) || isinf(us))
		return false;
	as = us * 1e12;
	for (s = 0; s <= 255; s++) {
		double d = nearbyint(ldexp(as, -(int)s));

		if (d <= 65535.0) {
			*delta = (uint16_t)d;
			*scale = (uint8_t)s;
			return true;
		}
	}
	return false;
}

const char *
pdmv2_variant_name(enum pdmv2_variant v)
{
	switch (v) {
	case PDMV2_VARIANT_PDM:
		return "pdm";
	case PDMV2_VARIANT_PLAIN:
		return "pdmv2-plain";
	case PDMV2_VARIANT_ENCRYPTED:
		return "pdmv2-encrypted";
	case PDMV2_VARIANT_NONE:
		break;
	}
	return "none";
}
