/*
 * flow.c - flow keys and flow records (see flow.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "flow.h"

const char *const flow_metric_names[MET_COUNT] = {
	"rtt_us", "server_delay_us", "network_rtt_us", "server_rtt_us",
	"client_delay_us",
};

static int
endpoint_cmp(const uint8_t *a, uint16_t pa, const uint8_t *b, uint16_t pb)
{
	int c = memcmp(a, b, 16);

	return c ? c : (pa > pb) - (pa < pb);
}

void
flow_key_make(struct flow_key *k, const struct pdmv2_walk *w)
{
	/* FNV-1a over the canonical bytes: cheap and well spread. */
	const uint8_t *p;
	guint32 h = 2166136261u;
	size_t i;

	memset(k, 0, sizeof(*k));
	if (endpoint_cmp(w->src, w->sport, w->dst, w->dport) <= 0) {
		memcpy(k->a, w->src, 16);
		memcpy(k->b, w->dst, 16);
		k->pa = w->sport;
		k->pb = w->dport;
	} else {
		memcpy(k->a, w->dst, 16);
		memcpy(k->b, w->src, 16);
		k->pa = w->dport;
		k->pb = w->sport;
	}
	k->proto = w->proto;
	p = (const uint8_t *)k;
	for (i = 0; i < offsetof(struct flow_key, hash); i++)
		h = (h ^ p[i]) * 16777619u;
	k->hash = h;
}

guint
flow_key_hash(gconstpointer k)
{
	return ((const struct flow_key *)k)->hash;
}

gboolean
flow_key_equal(gconstpointer a, gconstpointer b)
{
	const struct flow_key *x = a, *y = b;

	return x->hash == y->hash &&
	       memcmp(x, y, offsetof(struct flow_key, hash)) == 0;
}

struct flow *
flow_new(const struct flow_key *k, const struct pdmv2_walk *w, uint64_t id,
	 int64_t ts)
{
	struct flow *f = g_new0(struct flow, 1);
	int d, m;

	f->key = *k;
	f->id = id;
	memcpy(f->client, w->src, 16);
	memcpy(f->server, w->dst, 16);
	f->cport = w->sport;
	f->sport = w->dport;
	f->proto = w->proto;
	f->first_ts = f->last_ts = ts;
	for (d = 0; d < 2; d++)
		pdmv2_psn_init(&f->dir[d].psn);
	pdmv2_five_tuple(f->client, f->server, f->cport, f->sport, f->proto,
			 f->dir[DIR_C2S].ft);
	pdmv2_five_tuple(f->server, f->client, f->sport, f->cport, f->proto,
			 f->dir[DIR_S2C].ft);
	pdmv2_samples_init(&f->samples);
	for (m = 0; m < MET_COUNT; m++)
		pdmv2_dist_init(&f->dist[m]);
	return f;
}

void
flow_free(gpointer p)
{
	struct flow *f = p;
	int i;

	if (!f)
		return;
	for (i = 0; i < 2; i++)
		pdmv2_decryptor_free(f->dir[i].dec);
	for (i = 0; i < MET_COUNT; i++)
		pdmv2_dist_free(&f->dist[i]);
	g_free(f);
}

int
flow_dir_of(const struct flow *f, const struct pdmv2_walk *w)
{
	return memcmp(w->src, f->client, 16) == 0 && w->sport == f->cport ?
	       DIR_C2S : DIR_S2C;
}

bool
flow_finished(const struct flow *f)
{
	return f->proto == PDMV2_IPPROTO_TCP &&
	       (f->rst || (f->dir[0].fin && f->dir[1].fin));
}
