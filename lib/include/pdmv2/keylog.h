/*
 * pdmv2/keylog.h - the PDMv2 key log file (PROFILE.md 8).
 *
 * Parses PDMV2_SECRET, PDMV2_PRIMARY_SECRET, PDMV2_SESSION_KEY and
 * PDMV2_EPOCH_KEY lines,
 * keeps going past bad lines (each recorded as a diagnostic naming file
 * and line), skips unknown labels with a warning, and answers "which key
 * sources may open traffic S->D" in the order section 8 fixes.  Secrets
 * are wiped when the key log is freed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_KEYLOG_H
#define PDMV2_KEYLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdmv2/crypto.h"
#include "pdmv2/error.h"
#include "pdmv2/layout.h"
#include "pdmv2/walk.h"

#define PDMV2_KEYLOG_LINE_MAX 4096	/* longer lines are an error, not a hang */
/* A key log file larger than this is refused (PDMV2_ERR_IO, errno
 * EFBIG, a diagnostic naming the file): a device that never ends must
 * not fill memory.  A server's key log of a line per client stays far
 * below it (some 200 bytes a line: over 300,000 clients). */
#define PDMV2_KEYLOG_SIZE_MAX (64u << 20)
/* Diagnostics kept per key log; past it, the problems are counted and
 * one last diagnostic (line 0) says how many more there were. */
#define PDMV2_KEYLOG_DIAG_MAX 100

enum pdmv2_keylog_label {
	PDMV2_KL_SECRET = 1,
	PDMV2_KL_PRIMARY_SECRET = 2,
	PDMV2_KL_SESSION_KEY = 3,
	PDMV2_KL_EPOCH_KEY = 4,		/* Epoch layout (8, 5.5) */
};

/* One problem found while loading: an error (known label, bad line) or a
 * warning (unknown label).  Strings live as long as the key log. */
struct pdmv2_keylog_diag {
	const char *file;
	unsigned line;		/* 1-based; 0 for file-level problems */
	bool is_error;
	const char *message;	/* no file/line prefix; callers add it */
};

/* A parsed entry, read-only view (the keys tool's "check" prints these). */
struct pdmv2_keylog_entry {
	enum pdmv2_keylog_label label;
	enum pdmv2_aead aead;
	const char *file;
	unsigned line;
	/* SECRET / PRIMARY_SECRET: endpoint a / client prefix and b / server
	 * prefix; prefix_len 0 with is_any means "*". */
	uint8_t addr_a[16], addr_b[16];
	uint8_t plen_a, plen_b;
	/* SESSION_KEY / EPOCH_KEY: the exact 5-tuple and kri / Epoch */
	uint8_t five_tuple[PDMV2_FIVE_TUPLE_BYTES];
	uint32_t kri;
	uint32_t epoch;			/* 0..4095 */
};

struct pdmv2_keylog;

/* A key source resolved for one sender direction: a secret (any kri) or
 * a session key (one kri).  Owned by the key log. */
struct pdmv2_keysrc;

enum pdmv2_err pdmv2_keylog_new(struct pdmv2_keylog **out);
void pdmv2_keylog_free(struct pdmv2_keylog *kl);

/*
 * Load entries from a file.  PDMV2_ERR_IO when it cannot be opened or
 * read, or is larger than PDMV2_KEYLOG_SIZE_MAX (errno is kept; a
 * diagnostic with line 0 is recorded too).  A FIFO is read to its end,
 * as from a pipe; one with no writer reads as empty instead of waiting.
 * A UTF-8 byte order mark at the start is skipped.  Bad
 * lines do not make it fail: they are recorded as diagnostics and the
 * rest of the file loads.  May be called for several files.
 */
enum pdmv2_err pdmv2_keylog_load_file(struct pdmv2_keylog *kl,
				      const char *path);

/* Same from memory; name is used in diagnostics (fuzzing, tests). */
enum pdmv2_err pdmv2_keylog_load_buffer(struct pdmv2_keylog *kl,
					const char *name,
					const char *buf, size_t len);

size_t pdmv2_keylog_count(const struct pdmv2_keylog *kl);
const struct pdmv2_keylog_entry *
pdmv2_keylog_entry(const struct pdmv2_keylog *kl, size_t i);

size_t pdmv2_keylog_ndiag(const struct pdmv2_keylog *kl);
const struct pdmv2_keylog_diag *
pdmv2_keylog_diag(const struct pdmv2_keylog *kl, size_t i);
/* Every error found, listed or not (PDMV2_KEYLOG_DIAG_MAX). */
size_t pdmv2_keylog_nerrors(const struct pdmv2_keylog *kl);

/*
 * Candidates for traffic with sender 5-tuple ft (SADDR, DADDR, ports,
 * proto) in the order of section 8: exact SESSION_KEY entries first,
 * then SECRET entries matching {S, D} most specific first, then
 * PRIMARY_SECRET entries.  Among entries section 8 does not order (the
 * same label, and for SECRET the same specificity), the newest line
 * comes first: re-registering appends a line below the stale one.
 * Writes up to max pointers, returns how many there are in total.  Derived material (prk, secondary secrets) is
 * computed once and cached inside the key log, under a lock: lookups
 * and pdmv2_keysrc_derive may run on several threads at once, once
 * loading is over.  A source's pointer is the same for every lookup.
 */
size_t pdmv2_keylog_lookup(struct pdmv2_keylog *kl,
			   const uint8_t ft[PDMV2_FIVE_TUPLE_BYTES],
			   const struct pdmv2_keysrc **out, size_t max);

/*
 * The same for either layout: for PDMV2_LAYOUT_EPOCH the exact entries
 * are EPOCH_KEY lines instead of SESSION_KEY lines (8);
 * pdmv2_keylog_lookup is this with PDMV2_LAYOUT_KRI.
 */
size_t pdmv2_keylog_lookup_layout(struct pdmv2_keylog *kl,
				  const uint8_t ft[PDMV2_FIVE_TUPLE_BYTES],
				  enum pdmv2_layout layout,
				  const struct pdmv2_keysrc **out, size_t max);

/*
 * Every candidate of pdmv2_keylog_lookup_layout, however many, in a new
 * array the caller frees with g_free(); *n is their count.  NULL (and
 * *n 0) when there is none.
 */
const struct pdmv2_keysrc **
pdmv2_keylog_candidates(struct pdmv2_keylog *kl,
			const uint8_t ft[PDMV2_FIVE_TUPLE_BYTES],
			enum pdmv2_layout layout, size_t *n);

/*
 * The key and base nonce a source gives for (ft, kri).  PDMV2_ERR_NO_KEY
 * when it has none (a session key for another kri or 5-tuple).
 */
enum pdmv2_err pdmv2_keysrc_derive(const struct pdmv2_keysrc *ks,
				   const uint8_t ft[PDMV2_FIVE_TUPLE_BYTES],
				   uint32_t kri, enum pdmv2_aead *aead,
				   uint8_t key[PDMV2_KEY_MAX],
				   uint8_t base_nonce[PDMV2_NONCE_BYTES]);

/*
 * The Epoch layout's key and base nonce a source gives for (ft, epoch)
 * (5.5).  PDMV2_ERR_NO_KEY for an EPOCH_KEY of another Epoch or 5-tuple
 * and for a SESSION_KEY (the Kri layout's).
 */
enum pdmv2_err pdmv2_keysrc_derive_epoch(const struct pdmv2_keysrc *ks,
					 const uint8_t ft[PDMV2_FIVE_TUPLE_BYTES],
					 uint32_t epoch, enum pdmv2_aead *aead,
					 uint8_t key[PDMV2_KEY_MAX],
					 uint8_t base_nonce[PDMV2_NONCE_BYTES]);

/* The entry a source came from (for reports: "opened with line N"). */
const struct pdmv2_keylog_entry *
pdmv2_keysrc_entry(const struct pdmv2_keysrc *ks);

/* Text forms (IPv6 address with optional /len, or "*"). */
enum pdmv2_err pdmv2_parse_prefix(const char *s, uint8_t addr[16],
				  uint8_t *plen);
bool pdmv2_prefix_match(const uint8_t prefix[16], uint8_t plen,
			const uint8_t addr[16]);

#endif
