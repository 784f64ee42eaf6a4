/*
 * layout.c - the table of option encodings (PROFILE.md 2.1 to 2.5): each
 * Option Length, its fields and offsets, its clear, AAD, sealed and tag
 * ranges.  option.c parses and builds from it; tools walk it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pdmv2/layout.h"
#include "pdmv2/option.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* 2.1 */
static const struct pdmv2_field_desc pdm_fields[] = {
	{PDMV2_FIELD_SCALE_DTLR, 2, 1, 0xFF, 0, false},
	{PDMV2_FIELD_SCALE_DTLS, 3, 1, 0xFF, 0, false},
	{PDMV2_FIELD_PSNTP, 4, 2, 0xFFFF, 0, false},
	{PDMV2_FIELD_PSNLR, 6, 2, 0xFFFF, 0, false},
	{PDMV2_FIELD_DELTA_TLR, 8, 2, 0xFFFF, 0, false},
	{PDMV2_FIELD_DELTA_TLS, 10, 2, 0xFFFF, 0, false},
};

/* 2.2 and 2.3: the metric bytes 6..19 are sealed in the encrypted form */
#define KRI_FIELDS(S) \
	{PDMV2_FIELD_VERSION, 2, 2, 0xF000, 12, false}, \
	{PDMV2_FIELD_RESERVED_HDR, 2, 2, 0x0FFF, 0, false}, \
	{PDMV2_FIELD_RANDOM, 4, 2, 0xFFFE, 1, false}, \
	{PDMV2_FIELD_FLAG, 4, 2, 0x0001, 0, false}, \
	{PDMV2_FIELD_SCALE_DTLR, 6, 1, 0xFF, 0, S}, \
	{PDMV2_FIELD_SCALE_DTLS, 7, 1, 0xFF, 0, S}, \
	{PDMV2_FIELD_GLOBAL_POINTER, 8, 4, 0xFFFFFFFF, 0, S}, \
	{PDMV2_FIELD_PSNTP, 12, 2, 0xFFFF, 0, S}, \
	{PDMV2_FIELD_PSNLR, 14, 2, 0xFFFF, 0, S}, \
	{PDMV2_FIELD_DELTA_TLR, 16, 2, 0xFFFF, 0, S}, \
	{PDMV2_FIELD_DELTA_TLS, 18, 2, 0xFFFF, 0, S}

static const struct pdmv2_field_desc kri_plain_fields[] = {KRI_FIELDS(false)};
static const struct pdmv2_field_desc kri_enc_fields[] = {KRI_FIELDS(true)};

/* 2.5: Version, Epoch and PSNTP are clear in both forms; bytes 8..23
 * are sealed in the protected form */
#define EPOCH_FIELDS(S) \
	{PDMV2_FIELD_VERSION, 2, 2, 0xF000, 12, false}, \
	{PDMV2_FIELD_EPOCH, 2, 2, 0x0FFF, 0, false}, \
	{PDMV2_FIELD_PSNTP, 4, 4, 0xFFFFFFFF, 0, false}, \
	{PDMV2_FIELD_PSNLR, 8, 4, 0xFFFFFFFF, 0, S}, \
	{PDMV2_FIELD_GLOBAL_POINTER, 12, 4, 0xFFFFFFFF, 0, S}, \
	{PDMV2_FIELD_SCALE_DTLR, 16, 1, 0xFF, 0, S}, \
	{PDMV2_FIELD_SCALE_DTLS, 17, 1, 0xFF, 0, S}, \
	{PDMV2_FIELD_RESERVED, 18, 2, 0xFFFF, 0, S}, \
	{PDMV2_FIELD_DELTA_TLR, 20, 2, 0xFFFF, 0, S}, \
	{PDMV2_FIELD_DELTA_TLS, 22, 2, 0xFFFF, 0, S}

static const struct pdmv2_field_desc epoch_plain_fields[] = {EPOCH_FIELDS(false)};
static const struct pdmv2_field_desc epoch_prot_fields[] = {EPOCH_FIELDS(true)};

static const struct pdmv2_layout_desc layouts[] = {
	{PDMV2_LEN_PDM, PDMV2_VARIANT_PDM, PDMV2_LAYOUT_NONE, "RFC 8250",
	 0, 0, 0, 0, 0, N(pdm_fields), pdm_fields},
	{PDMV2_LEN_PLAIN, PDMV2_VARIANT_PLAIN, PDMV2_LAYOUT_KRI, "-00 to -04",
	 0, 0, 0, 0, 0, N(kri_plain_fields), kri_plain_fields},
	{PDMV2_LEN_EPOCH_PLAIN, PDMV2_VARIANT_PLAIN, PDMV2_LAYOUT_EPOCH,
	 "-09 to -14", 0, 0, 0, 0, PDMV2_FIELD_EPOCH,
	 N(epoch_plain_fields), epoch_plain_fields},
	{PDMV2_LEN_ENCRYPTED, PDMV2_VARIANT_ENCRYPTED, PDMV2_LAYOUT_KRI,
	 "-00 to -04", PDMV2_AAD_BYTES, 6, PDMV2_METRIC_BYTES,
	 6 + PDMV2_METRIC_BYTES, 0, N(kri_enc_fields), kri_enc_fields},
	{PDMV2_LEN_EPOCH_PROTECTED, PDMV2_VARIANT_ENCRYPTED, PDMV2_LAYOUT_EPOCH,
	 "-09 to -14", PDMV2_EPOCH_AAD_BYTES, 8, PDMV2_EPOCH_METRIC_BYTES,
	 8 + PDMV2_EPOCH_METRIC_BYTES, PDMV2_FIELD_EPOCH,
	 N(epoch_prot_fields), epoch_prot_fields},
};

const struct pdmv2_layout_desc *
pdmv2_layout_for_length(uint8_t length)
{
	size_t i;

	for (i = 0; i < N(layouts); i++)
		if (layouts[i].length == length)
			return &layouts[i];
	return NULL;
}

size_t
pdmv2_layout_count(void)
{
	return N(layouts);
}

const struct pdmv2_layout_desc *
pdmv2_layout_at(size_t i)
{
	return i < N(layouts) ? &layouts[i] : NULL;
}

uint32_t
pdmv2_field_read(const struct pdmv2_field_desc *f, const uint8_t *opt)
{
	uint32_t v = 0;
	unsigned i;

	for (i = 0; i < f->width; i++)
		v = v << 8 | opt[f->offset + i];
	return (v & f->mask) >> f->shift;
}

void
pdmv2_field_write(const struct pdmv2_field_desc *f, uint8_t *opt, uint32_t value)
{
	uint32_t v = (value << f->shift) & f->mask;
	unsigned i;

	for (i = 0; i < f->width; i++)
		opt[f->offset + i] |= (uint8_t)(v >> (8 * (f->width - 1 - i)));
}

const char *
pdmv2_layout_name(enum pdmv2_layout l)
{
	switch (l) {
	case PDMV2_LAYOUT_KRI:
		return "kri";
	case PDMV2_LAYOUT_EPOCH:
		return "epoch";
	case PDMV2_LAYOUT_NONE:
		break;
	}
	return "none";
}

const char *
pdmv2_field_name(enum pdmv2_field f)
{
	static const char *const names[] = {
		[PDMV2_FIELD_VERSION] = "version",
		[PDMV2_FIELD_RESERVED_HDR] = "reserved",
		[PDMV2_FIELD_RANDOM] = "random",
		[PDMV2_FIELD_FLAG] = "flag",
		[PDMV2_FIELD_EPOCH] = "epoch",
		[PDMV2_FIELD_SCALE_DTLR] = "scale_dtlr",
		[PDMV2_FIELD_SCALE_DTLS] = "scale_dtls",
		[PDMV2_FIELD_GLOBAL_POINTER] = "global_pointer",
		[PDMV2_FIELD_PSNTP] = "psntp",
		[PDMV2_FIELD_PSNLR] = "psnlr",
		[PDMV2_FIELD_RESERVED] = "reserved",
		[PDMV2_FIELD_DELTA_TLR] = "delta_tlr",
		[PDMV2_FIELD_DELTA_TLS] = "delta_tls",
	};

	if ((unsigned)f < N(names) && names[f])
		return names[f];
	return "?";
}
