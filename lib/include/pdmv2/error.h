/*
 * pdmv2/error.h - status codes returned by every libpdmv2 function.
 *
 * Library code never prints or exits: it returns one of these and the
 * caller (analyzer, plugin, keys tool) decides how to report it.
 *
 * Out of memory is not among them.  libpdmv2 allocates with GLib
 * (g_new, g_malloc), which aborts when memory runs out, as GLib itself
 * does inside every program that links it (the hash tables, the
 * Wireshark plugin's host): one policy for lib and the tools, and no
 * error path that no test can reach.  OpenSSL's own allocations are the
 * exception: their failure is ERR_CRYPTO.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_ERROR_H
#define PDMV2_ERROR_H

enum pdmv2_err {
	PDMV2_OK = 0,
	PDMV2_ERR_TRUNCATED,	/* input ends before the structure does (PROFILE 2.4) */
	PDMV2_ERR_MALFORMED,	/* structure present but invalid (bad option length, ...) */
	PDMV2_ERR_AUTH,		/* AEAD tag did not verify */
	PDMV2_ERR_NO_KEY,	/* no key log entry can produce a key for this packet */
	PDMV2_ERR_CRYPTO,	/* OpenSSL failed (not an authentication failure) */
	PDMV2_ERR_IO,		/* file could not be opened or read (see errno) */
	PDMV2_ERR_INVALID,	/* caller passed an invalid argument */
	PDMV2_ERR_COUNT_	/* keep last */
};

/* Short English text for an error code; never NULL. */
const char *pdmv2_strerror(enum pdmv2_err err);

#endif
