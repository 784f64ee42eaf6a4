/*
 * spill.c - the temporary files of what waits for the report (see
 * spill.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "spill.h"

void
spill_init(struct spill *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->fd = -1;
	s->bad = UINT64_MAX;
}

void
spill_free(struct spill *s)
{
	if (s->fd >= 0)
		close(s->fd);
	g_free(s->buf);
	spill_init(s, s->name);
}

static void
fail(struct spill *s, const char *what, int err)
{
	if (s->err)
		return;
	s->err = err ? err : EIO;
	s->failed = what;
}

/* A file under $TMPDIR (tmpfile() would ignore it), unlinked at once so
 * nothing is left behind whatever way the program ends. */
static bool
open_file(struct spill *s)
{
	char *name = g_strdup_printf("%s/%s-XXXXXX", g_get_tmp_dir(), s->name);
	int fd = g_mkstemp(name);

	if (fd < 0) {
		fail(s, "create", errno);
		g_free(name);
		return false;
	}
	(void)g_unlink(name);
	g_free(name);
	s->fd = fd;
	s->buf = g_malloc(SPILL_BUF);
	return true;
}

/* n bytes to the file at off; *done says how many went. */
static bool
write_at(struct spill *s, const unsigned char *p, size_t n, uint64_t off,
	 size_t *done)
{
	*done = 0;
	while (*done < n) {
		ssize_t w = pwrite(s->fd, p + *done, n - *done, (off_t)(off + *done));

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fail(s, "write", w < 0 ? errno : ENOSPC);
			return false;
		}
		*done += (size_t)w;
	}
	return true;
}

/* The buffer to the file.  What did not go stays, and is read from
 * here: nothing stored is lost to a full disk. */
static bool
flush(struct spill *s)
{
	size_t done;
	bool ok = write_at(s, s->buf, s->len, s->flushed, &done);

	s->flushed += done;
	s->len -= done;
	memmove(s->buf, s->buf + done, s->len);
	return ok;
}

bool
spill_append(struct spill *s, const void *p, size_t n)
{
	size_t done;

	if (s->err || (s->fd < 0 && !open_file(s)))
		return false;
	if (s->len + n <= SPILL_BUF) {
		memcpy(s->buf + s->len, p, n);
		s->len += n;
		return true;
	}
	if (!flush(s))
		return false;
	if (n <= SPILL_BUF) {
		memcpy(s->buf, p, n);
		s->len = n;
		return true;
	}
	/* larger than the buffer: straight to the file, and counted only
	 * once all of it is there */
	if (!write_at(s, p, n, s->flushed, &done))
		return false;
	s->flushed += n;
	return true;
}

void
spill_truncate(struct spill *s, uint64_t size)
{
	if (size >= s->flushed) {
		s->len = (size_t)(size - s->flushed);
	} else {
		/* the file's bytes past size are never read again */
		s->flushed = size;
		s->len = 0;
	}
}

bool
spill_overwrite(struct spill *s, uint64_t off, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t k = 0, done;

	if (off + n > spill_size(s))
		return false;
	if (off < s->flushed) {
		k = off + n <= s->flushed ? n : (size_t)(s->flushed - off);
		if (!write_at(s, b, k, off, &done))
			return false;
	}
	if (k < n)
		memcpy(s->buf + (off + k - s->flushed), b + k, n - k);
	return true;
}

bool
spill_readable(const struct spill *s, uint64_t off, uint64_t n)
{
	uint64_t end = off + n;

	if (end < off || end > spill_size(s))
		return false;
	/* the buffer always is; the file up to bad */
	return off >= s->flushed || (end < s->flushed ? end : s->flushed) <= s->bad;
}

bool
spill_read(struct spill *s, uint64_t off, void *p, size_t n)
{
	unsigned char *b = p;
	size_t k = 0, got = 0;

	if (!spill_readable(s, off, n)) {
		errno = off + n > spill_size(s) ? EINVAL : s->bad_err;
		return false;
	}
	if (off < s->flushed) {
		k = off + n <= s->flushed ? n : (size_t)(s->flushed - off);
		while (got < k) {
			ssize_t r = pread(s->fd, b + got, k - got, (off_t)(off + got));

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				if (r == 0)
					errno = EIO;	/* the file is shorter than written */
				return false;
			}
			got += (size_t)r;
		}
	}
	if (k < n)
		memcpy(b + k, s->buf + (off + k - s->flushed), n - k);
	return true;
}

bool
spill_check(struct spill *s)
{
	unsigned char *chunk;
	uint64_t at = 0;

	if (s->bad != UINT64_MAX)
		return false;
	if (!s->flushed)
		return true;
	chunk = g_malloc(SPILL_BUF);
	while (at < s->flushed) {
		size_t n = s->flushed - at < SPILL_BUF ? (size_t)(s->flushed - at) :
			   SPILL_BUF;
		ssize_t r = pread(s->fd, chunk, n, (off_t)at);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			s->bad = at;
			s->bad_err = r < 0 ? errno : EIO;
			break;
		}
		at += (uint64_t)r;
	}
	g_free(chunk);
	return s->bad == UINT64_MAX;
}
