/*
 * error.c - text for enum pdmv2_err.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pdmv2/error.h"

static const char *const messages[PDMV2_ERR_COUNT_] = {
	[PDMV2_OK] = "success",
	[PDMV2_ERR_TRUNCATED] = "truncated",
	[PDMV2_ERR_MALFORMED] = "malformed",
	[PDMV2_ERR_AUTH] = "authentication failed",
	[PDMV2_ERR_NO_KEY] = "no key",
	[PDMV2_ERR_CRYPTO] = "cryptographic library error",
	[PDMV2_ERR_IO] = "input/output error",
	[PDMV2_ERR_INVALID] = "invalid argument",
};

const char *
pdmv2_strerror(enum pdmv2_err err)
{
	if ((unsigned)err >= PDMV2_ERR_COUNT_)
		return "unknown error";
	return messages[err];
}
