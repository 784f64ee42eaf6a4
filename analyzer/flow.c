/*
 * flow.c - flow keys and flow records (see flow.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <string.h>

#include <openssl/rand.h>

#include "flow.h"

/* The flow hash's secret, new each run.  Without one, 5-tuples chosen
 * to collide (the mix can be inverted) put every flow in one bucket
 * and make the table quadratic; with it, an attacker who cannot see
 * the secret cannot aim. */
static uint64_t hash_secret[6];

void
flow_hash_seed(void)
{
	static gsize done;

	if (g_once_init_enter(&done)) {
		/* no CSPRNG at all: a fixed secret still hashes correctly */
		if (RAND_bytes((unsigned char *)hash_secret, sizeof(hash_secret)) != 1)
			memset(hash_secret, 0x5a, sizeof(hash_secret));
		g_once_init_leave(&done, 1);
	}
}

/* The folded 128-bit product of wyhash: with both inputs masked by
 * secret words, the result of one key tells nothing usable about the
 * next. */
static inline uint64_t
mum(uint64_t a, uint64_t b)
{
	unsigned __int128 p = (unsigned __int128)a * b;

	return (uint64_t)p ^ (uint64_t)(p >> 64);
}

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

bool
flow_key_make(struct flow_key *k, const struct pdmv2_walk *w)
{
	uint64_t x[4], h;
	bool src_is_a = endpoint_cmp(w->src, w->sport, w->dst, w->dport) <= 0;

	memset(k, 0, sizeof(*k));
	if (src_is_a) {
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
	/* Word at a time, keyed multiply and fold (wyhash's mix with a
	 * secret from flow_hash_seed): a byte-wise FNV over 37 bytes
	 * showed up in profiles. */
	memcpy(x, k->a, 16);
	memcpy(x + 2, k->b, 16);
	h = (uint64_t)k->pa << 24 ^ (uint64_t)k->pb << 8 ^ k->proto;
	h = mum(x[0] ^ hash_secret[0], x[1] ^ hash_secret[1]) ^
	    mum(x[2] ^ hash_secret[2], x[3] ^ hash_secret[3]) ^ h;
	h = mum(h ^ hash_secret[4], hash_secret[5]);
	k->hash = (guint)(h ^ h >> 32);
	return src_is_a;
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
	       memcmp(x, y, offsetof(struct flow_key, proto) + 1) == 0;
}

void
flow_key_sender_tuple(const struct flow_key *k, bool src_is_a,
		      uint8_t ft[PDMV2_FIVE_TUPLE_BYTES])
{
	if (src_is_a)
		pdmv2_five_tuple(k->a, k->b, k->pa, k->pb, k->proto, ft);
	else
		pdmv2_five_tuple(k->b, k->a, k->pb, k->pa, k->proto, ft);
}

struct flow *
flow_new(const struct flow_key *k, bool src_is_a, int64_t ts)
{
	/* cache-line aligned, so the hot head is one line */
	struct flow *f = g_aligned_alloc0(1, sizeof(*f), 64);
	int d, m;

	f->key = *k;
	f->client_is_a = src_is_a;	/* the first packet's sender is the client */
	memcpy(f->client, src_is_a ? k->a : k->b, 16);
	memcpy(f->server, src_is_a ? k->b : k->a, 16);
	f->cport = src_is_a ? k->pa : k->pb;
	f->sport = src_is_a ? k->pb : k->pa;
	f->proto = k->proto;
	f->first_ts = f->last_ts = ts;
	for (d = 0; d < 2; d++)
		pdmv2_psn_init(&f->dir[d].psn);
	flow_key_sender_tuple(k, src_is_a, f->dir[DIR_C2S].ft);
	flow_key_sender_tuple(k, !src_is_a, f->dir[DIR_S2C].ft);
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
	for (i = 0; i < 2; i++) {
		pdmv2_decryptor_free(f->dir[i].dec);
		pdmv2_epoch_tracker_free(f->dir[i].etr);
		epoch_chain_free(f->dir[i].epochs_out);
		epoch_chain_free(f->dir[i].eps_out);
		pdmv2_psn_free(&f->dir[i].psn);
	}
	for (i = 0; i < MET_COUNT; i++)
		pdmv2_dist_free(&f->dist[i]);
	pdmv2_samples_free(&f->samples);
	g_aligned_free(f);
}

void
flow_swap_roles(struct flow *f)
{
	struct flow_dir d = f->dir[0];
	struct pdmv2_dist m;
	uint8_t addr[16];
	uint16_t port;

	/* each tracker's chain moves with it */
	f->dir[0] = f->dir[1];
	f->dir[1] = d;
	memcpy(addr, f->client, 16);
	memcpy(f->client, f->server, 16);
	memcpy(f->server, addr, 16);
	port = f->cport;
	f->cport = f->sport;
	f->sport = port;
	f->client_is_a = !f->client_is_a;
	m = f->dist[MET_RTT];
	f->dist[MET_RTT] = f->dist[MET_SERVER_RTT];
	f->dist[MET_SERVER_RTT] = m;
	m = f->dist[MET_SERVER_DELAY];
	f->dist[MET_SERVER_DELAY] = f->dist[MET_CLIENT_DELAY];
	f->dist[MET_CLIENT_DELAY] = m;
	pdmv2_samples_free(&f->samples);
	pdmv2_samples_init(&f->samples);
	f->ring_hint = 0;
}

bool
flow_finished(const struct flow *f)
{
	return f->proto == PDMV2_IPPROTO_TCP &&
	       (f->rst || (f->dir[0].fin && f->dir[1].fin));
}
