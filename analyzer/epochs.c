/*
 * epochs.c - the temporary file of finished Kri epochs and Epoch-layout
 * Epochs (see epochs.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "epochs.h"

/* A record: the offset + 1 of the direction's next one (0 until it
 * comes), then one entry (struct pdmv2_kri_epoch or struct
 * pdmv2_epoch_info, the chain's own kind throughout).  One size for
 * both kinds: a record's place in the file then says which it is. */
#define ITEM_MAX (sizeof(struct pdmv2_kri_epoch) > sizeof(struct pdmv2_epoch_info) ? \
		  sizeof(struct pdmv2_kri_epoch) : sizeof(struct pdmv2_epoch_info))
#define RECORD (sizeof(uint64_t) + ITEM_MAX)

void
epoch_spill_init(struct epoch_spill *s)
{
	spill_init(&s->file, "pdmv2-epochs");
	s->records = 0;
}

void
epoch_spill_close(struct epoch_spill *s)
{
	spill_free(&s->file);
}

struct epoch_chain *
epoch_chain_new(struct epoch_spill *s)
{
	struct epoch_chain *c = g_new0(struct epoch_chain, 1);

	c->spill = s;
	return c;
}

void
epoch_chain_free(struct epoch_chain *c)
{
	g_free(c);
}

static bool
chain_put(struct epoch_chain *c, const void *e, size_t item)
{
	struct spill *s = &c->spill->file;
	unsigned char r[RECORD];
	uint64_t at = spill_size(s), link = at + 1;

	memset(r, 0, sizeof(r));
	memcpy(r + sizeof(uint64_t), e, item);
	if (!spill_append(s, r, sizeof(r)))
		return false;
	/* the chain's last record learns where its next one is; if it
	 * cannot, this one was never there */
	if (c->last && !spill_overwrite(s, c->last - 1, &link, sizeof(link))) {
		spill_truncate(s, at);
		return false;
	}
	if (!c->first)
		c->first = link;
	c->last = link;
	c->count++;
	c->spill->records++;
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

void
epoch_chain_begin(const struct epoch_chain *c, struct epoch_cursor *it)
{
	it->chain = c;
	it->at = c->count ? c->first : 0;
	it->done = 0;
}

int
epoch_chain_next(struct epoch_cursor *it, void *e, size_t size)
{
	const struct epoch_chain *c = it->chain;
	unsigned char r[RECORD];
	uint64_t next;

	if (it->done == c->count)
		return 0;
	if (!it->at || size > ITEM_MAX ||
	    !spill_read(&c->spill->file, it->at - 1, r, sizeof(r)))
		goto broken;
	memcpy(&next, r, sizeof(next));
	/* forward, and set on all but the last: anything else is not a
	 * chain this program wrote */
	if ((next && next <= it->at) || (!next) != (it->done + 1 == c->count)) {
		errno = EIO;
		goto broken;
	}
	memcpy(e, r + sizeof(uint64_t), size);
	it->at = next;
	it->done++;
	return 1;
broken:
	it->at = 0;
	return -1;
}

uint64_t
epoch_chain_unreadable(const struct epoch_chain *c)
{
	struct epoch_cursor it;
	unsigned char e[ITEM_MAX];

	if (!c)
		return 0;
	epoch_chain_begin(c, &it);
	while (epoch_chain_next(&it, e, sizeof(e)) == 1)
		;
	return c->count - it.done;
}
