/*
 * option.c - the PDM / PDMv2 option codec and time fields
 * (PROFILE.md sections 2 and 3).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <string.h>

#include "pdmv2/crypto.h"
#include "pdmv2/option.h"
#include "pdmv2/reader.h"

#define US_PER_HOUR 3600e6

/* One decoded field to its place in the option (the only switch on
 * fields; layouts are the table's business). */
static void
field_store(struct pdmv2_option *o, enum pdmv2_field id, uint32_t v)
{
	switch (id) {
	case PDMV2_FIELD_VERSION:
		o->version = (uint8_t)v;
		break;
	case PDMV2_FIELD_RESERVED_HDR:
		o->reserved = (uint16_t)v;
		break;
	case PDMV2_FIELD_RANDOM:
		o->random = (uint16_t)v;
		break;
	case PDMV2_FIELD_FLAG:
		o->flag = (uint8_t)v;
		break;
	case PDMV2_FIELD_EPOCH:
		o->epoch = (uint16_t)v;
		break;
	case PDMV2_FIELD_SCALE_DTLR:
		o->m.scale_dtlr = (uint8_t)v;
		break;
	case PDMV2_FIELD_SCALE_DTLS:
		o->m.scale_dtls = (uint8_t)v;
		break;
	case PDMV2_FIELD_GLOBAL_POINTER:
		o->m.global_pointer = v;
		break;
	case PDMV2_FIELD_PSNTP:
		o->m.psntp = v;
		break;
	case PDMV2_FIELD_PSNLR:
		o->m.psnlr = v;
		break;
	case PDMV2_FIELD_RESERVED:
		o->m.reserved = (uint16_t)v;
		break;
	case PDMV2_FIELD_DELTA_TLR:
		o->m.delta_tlr = (uint16_t)v;
		break;
	case PDMV2_FIELD_DELTA_TLS:
		o->m.delta_tls = (uint16_t)v;
		break;
	}
}

static uint32_t
field_load(const struct pdmv2_option *o, enum pdmv2_field id)
{
	switch (id) {
	case PDMV2_FIELD_VERSION:
		return o->version;
	case PDMV2_FIELD_RESERVED_HDR:
		return o->reserved;
	case PDMV2_FIELD_RANDOM:
		return o->random;
	case PDMV2_FIELD_FLAG:
		return o->flag;
	case PDMV2_FIELD_EPOCH:
		return o->epoch;
	case PDMV2_FIELD_SCALE_DTLR:
		return o->m.scale_dtlr;
	case PDMV2_FIELD_SCALE_DTLS:
		return o->m.scale_dtls;
	case PDMV2_FIELD_GLOBAL_POINTER:
		return o->m.global_pointer;
	case PDMV2_FIELD_PSNTP:
		return o->m.psntp;
	case PDMV2_FIELD_PSNLR:
		return o->m.psnlr;
	case PDMV2_FIELD_RESERVED:
		return o->m.reserved;
	case PDMV2_FIELD_DELTA_TLR:
		return o->m.delta_tlr;
	case PDMV2_FIELD_DELTA_TLS:
		return o->m.delta_tls;
	}
	return 0;
}

enum pdmv2_err
pdmv2_option_parse(const uint8_t *opt, size_t avail, struct pdmv2_option *out)
{
	struct pdmv2_reader r;
	const struct pdmv2_layout_desc *d;
	uint8_t bytes[PDMV2_OPTION_MAX];
	size_t i;

	memset(out, 0, sizeof(*out));
	pdmv2_reader_init(&r, opt, avail);
	if (!pdmv2_reader_u8(&r, &out->type) ||
	    !pdmv2_reader_u8(&r, &out->length))
		return PDMV2_ERR_TRUNCATED;
	/* 2.4: any other length is malformed; the data is not read. */
	if (!(d = pdmv2_layout_for_length(out->length)))
		return PDMV2_ERR_MALFORMED;
	if (!pdmv2_reader_has(&r, out->length))
		return PDMV2_ERR_TRUNCATED;
	/* from here on every offset of the table is inside the copy */
	memcpy(bytes, opt, 2u + out->length);
	out->desc = d;
	out->variant = (enum pdmv2_variant)d->variant;
	out->layout = d->layout;

	for (i = 0; i < d->nfields; i++) {
		const struct pdmv2_field_desc *f = &d->fields[i];

		if (f->sealed)
			continue;
		field_store(out, f->id, pdmv2_field_read(f, bytes));
		if (f->id == d->stop_after && out->version != PDMV2_VERSION) {
			/* 2.4: Epoch layout, unsupported version */
			out->warnings |= PDMV2_OPT_WARN_VERSION |
					 PDMV2_OPT_UNINTERPRETED;
			return PDMV2_OK;
		}
	}
	if (d->layout != PDMV2_LAYOUT_NONE && out->version != PDMV2_VERSION)
		out->warnings |= PDMV2_OPT_WARN_VERSION;
	if (out->reserved != 0 || out->m.reserved != 0)
		out->warnings |= PDMV2_OPT_WARN_RESERVED;
	if (d->aad_len) {
		memcpy(out->aad, bytes, d->aad_len);
		memcpy(out->ciphertext, bytes + d->sealed_off, d->sealed_len);
		memcpy(out->tag, bytes + d->tag_off, PDMV2_TAG_BYTES);
	}
	return PDMV2_OK;
}

void
pdmv2_option_unseal(const struct pdmv2_option *opt, const uint8_t *pt,
		    struct pdmv2_metrics *m)
{
	const struct pdmv2_layout_desc *d = opt->desc;
	struct pdmv2_option o;
	uint8_t bytes[PDMV2_OPTION_MAX] = {0};
	size_t i;

	memset(&o, 0, sizeof(o));
	o.m = opt->m;		/* the clear metric fields (Epoch: PSNTP) */
	memcpy(bytes + d->sealed_off, pt, d->sealed_len);
	for (i = 0; i < d->nfields; i++)
		if (d->fields[i].sealed)
			field_store(&o, d->fields[i].id,
				    pdmv2_field_read(&d->fields[i], bytes));
	*m = o.m;
	pdmv2_wipe(bytes, sizeof(bytes));
	pdmv2_wipe(&o, sizeof(o));
}

static const struct pdmv2_layout_desc *
build_desc(const struct pdmv2_option *opt)
{
	size_t i;
	enum pdmv2_layout want = opt->layout;

	if (opt->variant != PDMV2_VARIANT_PDM && want == PDMV2_LAYOUT_NONE)
		want = PDMV2_LAYOUT_KRI;
	for (i = 0; i < pdmv2_layout_count(); i++) {
		const struct pdmv2_layout_desc *d = pdmv2_layout_at(i);

		if (d->variant == opt->variant &&
		    (opt->variant == PDMV2_VARIANT_PDM || d->layout == want))
			return d;
	}
	return NULL;
}

/* All fields (sealed ones too) of opt written as its layout's plain form. */
static const struct pdmv2_layout_desc *
build_plain_form(const struct pdmv2_option *opt, uint8_t bytes[PDMV2_OPTION_MAX])
{
	const struct pdmv2_layout_desc *d = build_desc(opt);
	size_t i;

	memset(bytes, 0, PDMV2_OPTION_MAX);
	if (!d)
		return NULL;
	bytes[0] = opt->type;
	bytes[1] = d->length;
	for (i = 0; i < d->nfields; i++)
		pdmv2_field_write(&d->fields[i], bytes,
				  field_load(opt, d->fields[i].id));
	return d;
}

size_t
pdmv2_option_sealed_bytes(const struct pdmv2_option *opt,
			  uint8_t out[PDMV2_SEALED_MAX])
{
	uint8_t bytes[PDMV2_OPTION_MAX];
	const struct pdmv2_layout_desc *d = build_plain_form(opt, bytes);

	if (!d || !d->aad_len)
		return 0;
	memcpy(out, bytes + d->sealed_off, d->sealed_len);
	pdmv2_wipe(bytes, sizeof(bytes));
	return d->sealed_len;
}

void
pdmv2_metrics_pack(const struct pdmv2_metrics *m, uint8_t out[PDMV2_METRIC_BYTES])
{
	out[0] = m->scale_dtlr;
	out[1] = m->scale_dtls;
	pdmv2_put_u32(out + 2, m->global_pointer);
	pdmv2_put_u16(out + 6, (uint16_t)m->psntp);
	pdmv2_put_u16(out + 8, (uint16_t)m->psnlr);
	pdmv2_put_u16(out + 10, m->delta_tlr);
	pdmv2_put_u16(out + 12, m->delta_tls);
}

void
pdmv2_metrics_unpack(const uint8_t in[PDMV2_METRIC_BYTES], struct pdmv2_metrics *m)
{
	struct pdmv2_option o;

	/* the Kri layout's 14 bytes are bytes 6..19 of its encrypted form */
	memset(&o, 0, sizeof(o));
	o.desc = pdmv2_layout_for_length(PDMV2_LEN_ENCRYPTED);
	pdmv2_option_unseal(&o, in, m);
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
	uint8_t bytes[PDMV2_OPTION_MAX];
	const struct pdmv2_layout_desc *d = build_plain_form(opt, bytes);
	size_t n;

	if (!d)
		return 0;
	n = 2u + d->length;
	if (d->aad_len) {
		/* the sealed range and the tag come from the sealer */
		memcpy(bytes + d->sealed_off, opt->ciphertext, d->sealed_len);
		memcpy(bytes + d->tag_off, opt->tag, PDMV2_TAG_BYTES);
	}
	memcpy(out, bytes, n);
	return n;
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
