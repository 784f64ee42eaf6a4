/*
 * spill.h - an append-only temporary file for what waits for the
 * report on disk instead of in memory: finished key phases (epochs.h)
 * and flows evicted from a full flow table (analyze.c).
 *
 * A full disk must not take back what was already handed over.  Bytes
 * go out through a buffer of its own with pwrite, so it is known to the
 * byte what reached the file; what did not stays in the buffer and is
 * read back from there.  After the first failure every append is
 * refused, so the caller keeps the rest in memory, and the failure
 * (what, and errno) is kept for the report's warnings.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ANALYZER_SPILL_H
#define ANALYZER_SPILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPILL_BUF (64 * 1024)

struct spill {
	const char *name;	/* the temporary file's name prefix */
	int fd;			/* made at the first append; -1 before */
	unsigned char *buf;	/* SPILL_BUF bytes, stored at `flushed` */
	size_t len;		/* bytes in buf */
	uint64_t flushed;	/* bytes in the file */
	int err;		/* errno of the first failure to store; 0: none */
	const char *failed;	/* what failed: "create" or "write" */
	uint64_t bad;		/* spill_check: the file cannot be read from
				 * here on; UINT64_MAX: it can */
	int bad_err;		/* and the read's errno */
};

/* name: a prefix for the file under $TMPDIR, e.g. "pdmv2-epochs". */
void spill_init(struct spill *s, const char *name);
void spill_free(struct spill *s);

/* Bytes stored, in the file and in the buffer. */
static inline uint64_t
spill_size(const struct spill *s)
{
	return s->flushed + s->len;
}

/* Appends n bytes, all or none: false when the file could not be made
 * or written, then or before. */
bool spill_append(struct spill *s, const void *p, size_t n);

/* Forgets everything from size on (size <= spill_size): what a caller
 * stored of a whole it could not finish. */
void spill_truncate(struct spill *s, uint64_t size);

/* Overwrites n bytes stored at off.  A failure counts as one to store. */
bool spill_overwrite(struct spill *s, uint64_t off, const void *p, size_t n);

/* Whether n bytes at off are stored and clear of what spill_check
 * found unreadable. */
bool spill_readable(const struct spill *s, uint64_t off, uint64_t n);

/* Reads n bytes stored at off; false (errno set) on a read error or
 * when they are not spill_readable. */
bool spill_read(struct spill *s, uint64_t off, void *p, size_t n);

/* Reads the whole file back, so that a read error is known before the
 * report's warnings are written rather than halfway through its flows.
 * False when part of it cannot be read: s->bad and s->bad_err say
 * where and why. */
bool spill_check(struct spill *s);

#endif
