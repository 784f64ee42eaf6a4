/*
 * pdmv2/reader.h - the bounds-checked byte reader every parser uses.
 *
 * A cursor over untrusted bytes: each read checks the remaining length
 * first and fails (returning false, leaving the cursor in place) instead
 * of reading past the end.  Big-endian, as on the wire.  Modelled on
 * tcpdump's GET_U_1/ND_TCHECK and Wireshark's tvb accessors.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_READER_H
#define PDMV2_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct pdmv2_reader {
	const uint8_t *base;	/* first byte of the buffer */
	size_t len;		/* bytes available from base */
	size_t off;		/* cursor, 0 <= off <= len */
};

static inline void
pdmv2_reader_init(struct pdmv2_reader *r, const uint8_t *base, size_t len)
{
	r->base = base;
	r->len = base ? len : 0;
	r->off = 0;
}

static inline size_t
pdmv2_reader_left(const struct pdmv2_reader *r)
{
	return r->len - r->off;
}

static inline bool
pdmv2_reader_has(const struct pdmv2_reader *r, size_t n)
{
	return n <= r->len - r->off;
}

/* Pointer to the next n bytes without consuming them; NULL if short. */
static inline const uint8_t *
pdmv2_reader_peek(const struct pdmv2_reader *r, size_t n)
{
	return pdmv2_reader_has(r, n) ? r->base + r->off : NULL;
}

static inline bool
pdmv2_reader_skip(struct pdmv2_reader *r, size_t n)
{
	if (!pdmv2_reader_has(r, n))
		return false;
	r->off += n;
	return true;
}

static inline bool
pdmv2_reader_u8(struct pdmv2_reader *r, uint8_t *v)
{
	if (!pdmv2_reader_has(r, 1))
		return false;
	*v = r->base[r->off++];
	return true;
}

static inline bool
pdmv2_reader_u16(struct pdmv2_reader *r, uint16_t *v)
{
	const uint8_t *p = pdmv2_reader_peek(r, 2);

	if (!p)
		return false;
	*v = (uint16_t)((unsigned)p[0] << 8 | p[1]);
	r->off += 2;
	return true;
}

static inline bool
pdmv2_reader_u32(struct pdmv2_reader *r, uint32_t *v)
{
	const uint8_t *p = pdmv2_reader_peek(r, 4);

	if (!p)
		return false;
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	     (uint32_t)p[2] << 8 | p[3];
	r->off += 4;
	return true;
}

static inline bool
pdmv2_reader_copy(struct pdmv2_reader *r, void *dst, size_t n)
{
	const uint8_t *p = pdmv2_reader_peek(r, n);

	if (!p)
		return false;
	memcpy(dst, p, n);
	r->off += n;
	return true;
}

/*
 * A sub-reader over the next n bytes (consumed from r), so a parser of
 * an inner structure cannot run past its declared length.
 */
static inline bool
pdmv2_reader_sub(struct pdmv2_reader *r, size_t n, struct pdmv2_reader *sub)
{
	const uint8_t *p = pdmv2_reader_peek(r, n);

	if (!p)
		return false;
	pdmv2_reader_init(sub, p, n);
	r->off += n;
	return true;
}

/* Writers for building options and packets (the sample writer, tests). */
static inline void
pdmv2_put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
pdmv2_put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif
