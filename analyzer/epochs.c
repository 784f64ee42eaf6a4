/*
 * epochs.c - the temporary file of finished Kri epochs and Epoch-layout
 * Epochs (see epochs.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "epochs.h"

/* A record: the offset + 1 of the direction's previous one, then one
 * entry (struct pdmv2_kri_epoch or struct pdmv2_epoch_info, the chain's
 * own kind throughout). */
#define RECORD_MAX (sizeof(uint64_t) + \
	(sizeof(struct pdmv2_kri_epoch) > sizeof(struct pdmv2_epoch_info) ? \
	 sizeof(struct pdmv2_kri_epoch) : sizeof(struct pdmv2_epoch_info)))

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

static bool
chain_put(struct epoch_chain *c, const void *e, size_t item)
{
	struct epoch_spill *s = c->spill;
	unsigned char r[RECORD_MAX];
	size_t len = sizeof(uint64_t) + item;

	memcpy(r, &c->head, sizeof(uint64_t));
	memcpy(r + sizeof(uint64_t), e, item);
	if (s->failed)
		return false;
	if (!s->file && !(s->file = open_unlinked())) {
		s->failed = true;
		return false;
	}
	if (fwrite(r, len, 1, s->file) != 1) {
		s->failed = true;
		return false;
	}
	s->dirty = true;
	c->head = s->size + 1;
	c->count++;
	s->size += len;
	return true;
}

bool
epoch_chain_add(void *ctx, const struct pdmv2_kri_epoch *e)
{
	return chain_put(ctx, e, sizeof(*e));
}

bool
epoch_chain_add_epoch(void *ctx, const struct pdmv2_epoch_info *e)
{
	return chain_put(ctx, e, sizeof(*e));
}

bool
epoch_chain_read(const struct epoch_chain *c, GArray *out)
{
	struct epoch_spill *s = c->spill;
	guint base = out->len;
	uint64_t at = c->head, n = 0, prev;
	size_t item = g_array_get_element_size(out);
	size_t len = sizeof(uint64_t) + item;
	unsigned char r[RECORD_MAX];

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
	if (len > sizeof(r))
		return false;
	while (at && n < c->count) {
		ssize_t got;

		do
			got = pread(fileno(s->file), r, len, (off_t)(at - 1));
		while (got < 0 && errno == EINTR);
		memcpy(&prev, r, sizeof(prev));
		if (got != (ssize_t)len || prev >= at)
			break;	/* short read, or a chain that does not go back */
		memcpy(out->data + (base + (c->count - 1 - n)) * item,
		       r + sizeof(uint64_t), item);
		at = prev;
		n++;
	}
	if (n != c->count) {
		g_array_set_size(out, base);
		return false;
	}
	return true;
}
