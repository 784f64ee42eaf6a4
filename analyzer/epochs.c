/*
 * epochs.c - the temporary file of finished Kri epochs (see epochs.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <unistd.h>

#include "epochs.h"

struct record {
	uint64_t prev;		/* offset + 1 of the direction's previous one */
	struct pdmv2_kri_epoch e;
};

/* A temporary file under $TMPDIR (tmpfile() would ignore it), unlinked
 * at once so nothing is left behind whatever way the program ends. */
static FILE *
open_unlinked(void)
{
	char *name = NULL;
	FILE *f = NULL;
	int fd = g_file_open_tmp("pdmv2-epochs-XXXXXX", &name, NULL);

	if (fd < 0)
		return NULL;
	(void)unlink(name);
	g_free(name);
	if (!(f = fdopen(fd, "w+b")))
		close(fd);
	return f;
}

void
epoch_spill_close(struct epoch_spill *s)
{
	if (s->file)
		fclose(s->file);
	s->file = NULL;
}

bool
epoch_chain_add(void *ctx, const struct pdmv2_kri_epoch *e)
{
	struct epoch_chain *c = ctx;
	struct epoch_spill *s = c->spill;
	struct record r = {c->head, *e};

	if (s->failed)
		return false;
	if (!s->file && !(s->file = open_unlinked())) {
		s->failed = true;
		return false;
	}
	if (fwrite(&r, sizeof(r), 1, s->file) != 1) {
		s->failed = true;
		return false;
	}
	s->dirty = true;
	c->head = s->size + 1;
	c->count++;
	s->size += sizeof(r);
	return true;
}

bool
epoch_chain_read(const struct epoch_chain *c, GArray *out)
{
	struct epoch_spill *s = c->spill;
	guint base = out->len;
	uint64_t at = c->head, n = 0;
	struct record r;

	if (!c->count)
		return true;
	if (!s || !s->file)
		return false;
	if (s->dirty) {
		if (fflush(s->file) != 0)
			return false;
		s->dirty = false;
	}
	g_array_set_size(out, base + (guint)c->count);
	/* newest first along the chain, stored oldest first */
	while (at && n < c->count) {
		ssize_t got;

		do
			got = pread(fileno(s->file), &r, sizeof(r), (off_t)(at - 1));
		while (got < 0 && errno == EINTR);
		if (got != (ssize_t)sizeof(r) || r.prev >= at)
			break;	/* short read, or a chain that does not go back */
		g_array_index(out, struct pdmv2_kri_epoch,
			      base + (guint)(c->count - 1 - n)) = r.e;
		at = r.prev;
		n++;
	}
	if (n != c->count) {
		g_array_set_size(out, base);
		return false;
	}
	return true;
}
