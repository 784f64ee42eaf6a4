/*
 * truth.c - ground truth accumulation and its JSON (see truth.h).
 *
 * Deliberately plain: every value kept in full (sets of PSNs, every
 * delay sample, every Global Pointer value), quantiles by sorting.  The
 * writer can afford that on test-sized captures; the analyzer cannot,
 * which is why the two are written differently.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <glib.h>
#include <json-c/json.h>

#include "pdmv2/timefmt.h"
#include "pdmv2/walk.h"
#include "truth.h"

enum { C2S = 0, S2C = 1 };
enum { M_RTT, M_SERVER_DELAY, M_NETWORK_RTT, M_SERVER_RTT, M_CLIENT_DELAY, M_COUNT };
static const char *const metric_names[M_COUNT] = {
	"rtt_us", "server_delay_us", "network_rtt_us", "server_rtt_us",
	"client_delay_us",
};

struct tepoch {
	uint32_t kri;			/* Kri layout: kri; Epoch layout: Epoch */
	uint64_t first_frame, last_frame, packets, late;
	int64_t first_ts, last_ts;
};

struct tdir {
	uint64_t packets, pdm_packets, decrypted, auth_failed, no_key, nonce_reuse;
	enum pdmv2_layout layout;	/* of its PDMv2 options, NONE before */
	bool psn_any;
	uint32_t psn_first, psn_last;
	int64_t psn_high, psn_low;
	GHashTable *psn_seen;		/* extended PSN set */
	uint64_t psn_dups, psn_reordered;
	bool kri_known;
	uint32_t kri_cur;
	GArray *epochs;			/* struct tepoch, sorted by kri */
	GHashTable *prseq;		/* (kri << 15 | prseq) -> first tag word */
	GArray *eps;			/* Epoch layout: struct tepoch, in order */
	GHashTable *sealed;		/* (Epoch << 32 | PSNTP) -> GBytes ct||tag */
};

struct server_pkt {
	uint32_t psnlr;
	uint16_t delta_tlr;
	uint8_t scale_dtlr;
};

struct tflow {
	unsigned sim_flow;
	unsigned idx;			/* position in truth->flows */
	uint8_t client[16], server[16];
	uint16_t cport, sport;
	uint8_t proto;
	int64_t first_ts, last_ts;
	bool has_pdm, has_v2, encrypted;
	struct tdir dir[2];
	GArray *samples[M_COUNT];	/* double */
	GHashTable *server_pkts;	/* psntp + 1 -> struct server_pkt (latest) */
};

struct gp_obs {
	uint32_t gp;
	int64_t ts;
};

struct tsender {
	uint8_t addr[16];
	GArray *obs;			/* struct gp_obs, capture order */
	GHashTable *flows;
};

struct truth {
	unsigned window;
	bool want_frames, epoch_fields;
	json_object *frames;
	GPtrArray *flows;		/* struct tflow *, first captured first */
	GHashTable *by_sim;		/* sim flow index -> struct tflow * */
	GPtrArray *senders;		/* struct tsender * */
	GHashTable *by_sender;		/* GBytes addr -> struct tsender * */
	uint64_t packets, ipv6;
	uint64_t pdm, v1, plain, enc, decrypted, auth_failed, no_key;
	uint64_t epoch_layout;
};

static void
tdir_init(struct tdir *d)
{
	memset(d, 0, sizeof(*d));
	d->psn_seen = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	d->epochs = g_array_new(FALSE, TRUE, sizeof(struct tepoch));
	d->prseq = g_hash_table_new(g_direct_hash, g_direct_equal);
	d->eps = g_array_new(FALSE, TRUE, sizeof(struct tepoch));
	d->sealed = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
					  (GDestroyNotify)g_bytes_unref);
}

static void
tflow_free(gpointer p)
{
	struct tflow *f = p;
	int i;

	for (i = 0; i < 2; i++) {
		g_hash_table_destroy(f->dir[i].psn_seen);
		g_array_free(f->dir[i].epochs, TRUE);
		g_hash_table_destroy(f->dir[i].prseq);
		g_array_free(f->dir[i].eps, TRUE);
		g_hash_table_destroy(f->dir[i].sealed);
	}
	for (i = 0; i < M_COUNT; i++)
		g_array_free(f->samples[i], TRUE);
	g_hash_table_destroy(f->server_pkts);
	g_free(f);
}

static void
tsender_free(gpointer p)
{
	struct tsender *s = p;

	g_array_free(s->obs, TRUE);
	g_hash_table_destroy(s->flows);
	g_free(s);
}

struct truth *
truth_new(unsigned kri_window, bool frames, bool epoch_fields)
{
	struct truth *t = g_new0(struct truth, 1);

	t->window = kri_window;
	t->want_frames = frames;
	t->epoch_fields = epoch_fields;
	t->frames = json_object_new_array();
	t->flows = g_ptr_array_new_with_free_func(tflow_free);
	t->by_sim = g_hash_table_new(g_direct_hash, g_direct_equal);
	t->senders = g_ptr_array_new_with_free_func(tsender_free);
	t->by_sender = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
					     (GDestroyNotify)g_bytes_unref, NULL);
	return t;
}

void
truth_free(struct truth *t)
{
	if (!t)
		return;
	json_object_put(t->frames);
	g_hash_table_destroy(t->by_sim);
	g_ptr_array_free(t->flows, TRUE);
	g_hash_table_destroy(t->by_sender);
	g_ptr_array_free(t->senders, TRUE);
	g_free(t);
}

/* D * 2^S attoseconds in microseconds (PROFILE.md 3), or NAN when the
 * field is no sample: raw 0, or over an hour (implausible). */
static double
delta_sample(uint16_t d, uint8_t s)
{
	double us;

	if (d == 0)
		return NAN;
	us = (double)d * pow(2.0, s) / 1e12;
	return us > 3600e6 ? NAN : us;
}

static void
add_sample(struct tflow *f, int which, double us)
{
	if (!isnan(us))
		g_array_append_val(f->samples[which], us);
}

/* PROFILE.md 7: unwrap to the value nearest the highest seen so far,
 * modulo 2^16 (RFC 8250, Kri layout) or 2^32 (Epoch layout). */
static void
psn_account(struct tdir *d, uint32_t psn, int64_t mod)
{
	int64_t ext, *key;

	if (!d->psn_any) {
		d->psn_any = true;
		d->psn_first = psn;
		ext = 16 * mod + psn;	/* a multiple of the modulus plus the PSN */
		d->psn_high = d->psn_low = ext;
	} else {
		int64_t base = d->psn_high - (d->psn_high % mod);
		int64_t best = base + psn, c;

		for (c = base - mod + psn; c <= base + mod + psn; c += mod) {
			int64_t dist = llabs(c - d->psn_high), bdist = llabs(best - d->psn_high);

			if (dist < bdist || (dist == bdist && c > best))
				best = c;
		}
		ext = best;
	}
	d->psn_last = psn;
	if (g_hash_table_contains(d->psn_seen, &ext)) {
		d->psn_dups++;
		return;
	}
	if (ext < d->psn_high)
		d->psn_reordered++;
	if (ext > d->psn_high)
		d->psn_high = ext;
	if (ext < d->psn_low)
		d->psn_low = ext;
	key = g_new(int64_t, 1);
	*key = ext;
	g_hash_table_add(d->psn_seen, key);
}

static struct tepoch *
epoch_of(struct tdir *d, uint32_t kri, const struct truth_pkt *p)
{
	struct tepoch e = {0};
	guint i;

	for (i = 0; i < d->epochs->len; i++) {
		struct tepoch *x = &g_array_index(d->epochs, struct tepoch, i);

		if (x->kri == kri)
			return x;
		if (x->kri > kri)
			break;
	}
	e.kri = kri;
	e.first_frame = p->frame;
	e.first_ts = p->ts_ns;
	g_array_insert_val(d->epochs, i, e);
	return &g_array_index(d->epochs, struct tepoch, i);
}

/*
 * PROFILE.md 5.4 as a receiver would run it, on the kri the writer knows
 * each packet has: which kri values would be tried, in order, and
 * whether the true one is among them.  Returns 1 opened, 0 failed.
 */
static int
kri_receive(struct truth *t, struct tdir *d, uint32_t kri, uint8_t f, bool *late)
{
	uint64_t k;
	unsigned i;

	*late = false;
	if (!d->kri_known) {
		for (i = 0; i < t->window; i++)
			if ((uint64_t)f + 2 * i == kri) {
				d->kri_known = true;
				d->kri_cur = kri;
				return 1;
			}
		return 0;
	}
	if ((d->kri_cur & 1u) == f)
		return kri == d->kri_cur;
	if ((uint64_t)d->kri_cur + 1 == kri) {
		d->kri_cur = kri;
		return 1;
	}
	if (d->kri_cur >= 1 && d->kri_cur - 1 == kri) {
		*late = true;
		return 1;
	}
	for (i = 1; i < t->window; i++) {
		k = (uint64_t)d->kri_cur + 2 * i + 1;
		if (k == kri) {
			d->kri_cur = kri;
			return 1;
		}
	}
	return 0;
}

/*
 * PROFILE.md 5.5: an Epoch-layout option that did not fail
 * authentication (plain, opened, or without a key) joins its Epoch's
 * entry: one of the last two entries when it is theirs (the current and
 * the previous Epoch), else a new entry, so an Epoch that comes back
 * after others is listed again.  For a protected option, the same
 * (Epoch, PSNTP) seen before with other bytes is a nonce reuse; with
 * the same bytes a repeated observation.
 */
static void
epoch_account(struct tdir *d, const struct truth_pkt *p)
{
	const struct pdmv2_option *o = p->opt;
	struct tepoch *e = NULL, fresh = {0};
	guint i;

	for (i = d->eps->len; i > 0 && i + 2 > d->eps->len; i--)
		if (g_array_index(d->eps, struct tepoch, i - 1).kri == o->epoch) {
			e = &g_array_index(d->eps, struct tepoch, i - 1);
			break;
		}
	if (!e) {
		fresh.kri = o->epoch;
		fresh.first_frame = p->frame;
		fresh.first_ts = p->ts_ns;
		g_array_append_val(d->eps, fresh);
		e = &g_array_index(d->eps, struct tepoch, d->eps->len - 1);
	}
	e->packets++;
	e->last_frame = p->frame;
	e->last_ts = p->ts_ns;
	if (o->variant == PDMV2_VARIANT_ENCRYPTED) {
		int64_t k = (int64_t)o->epoch << 32 | o->m.psntp;
		uint8_t b[PDMV2_EPOCH_METRIC_BYTES + PDMV2_TAG_BYTES];
		GBytes *prev, *now;

		memcpy(b, o->ciphertext, PDMV2_EPOCH_METRIC_BYTES);
		memcpy(b + PDMV2_EPOCH_METRIC_BYTES, o->tag, PDMV2_TAG_BYTES);
		now = g_bytes_new(b, sizeof(b));
		prev = g_hash_table_lookup(d->sealed, &k);
		if (!prev) {
			int64_t *key = g_new(int64_t, 1);

			*key = k;
			g_hash_table_insert(d->sealed, key, now);
			return;
		}
		if (!g_bytes_equal(prev, now))
			d->nonce_reuse++;
		g_bytes_unref(now);
	}
}

static struct tflow *
flow_for(struct truth *t, const struct truth_pkt *p)
{
	struct tflow *f = g_hash_table_lookup(t->by_sim, GUINT_TO_POINTER(p->flow));
	int i;

	if (f)
		return f;
	f = g_new0(struct tflow, 1);
	f->sim_flow = p->flow;
	/* INTERFACES.md: the sender of the first packet seen (for TCP the
	 * first SYN without ACK, which our TCP flows always start with
	 * unless the capture began mid-flow). */
	memcpy(f->client, p->src, 16);
	memcpy(f->server, p->dst, 16);
	f->cport = p->sport;
	f->sport = p->dport;
	f->proto = p->proto;
	f->first_ts = p->ts_ns;
	tdir_init(&f->dir[C2S]);
	tdir_init(&f->dir[S2C]);
	for (i = 0; i < M_COUNT; i++)
		f->samples[i] = g_array_new(FALSE, FALSE, sizeof(double));
	f->server_pkts = g_hash_table_new_full(g_direct_hash, g_direct_equal,
					       NULL, g_free);
	f->idx = t->flows->len;
	g_ptr_array_add(t->flows, f);
	g_hash_table_insert(t->by_sim, GUINT_TO_POINTER(p->flow), f);
	return f;
}

static void
gp_observe(struct truth *t, const uint8_t addr[16], uint32_t gp, int64_t ts,
	   unsigned flow)
{
	GBytes *key = g_bytes_new(addr, 16);
	struct tsender *s = g_hash_table_lookup(t->by_sender, key);
	struct gp_obs o = {gp, ts};

	if (!s) {
		s = g_new0(struct tsender, 1);
		memcpy(s->addr, addr, 16);
		s->obs = g_array_new(FALSE, FALSE, sizeof(struct gp_obs));
		s->flows = g_hash_table_new(g_direct_hash, g_direct_equal);
		g_hash_table_insert(t->by_sender, key, s);
		g_ptr_array_add(t->senders, s);
	} else {
		g_bytes_unref(key);
	}
	g_array_append_val(s->obs, o);
	g_hash_table_add(s->flows, GUINT_TO_POINTER(flow + 1));
}

static void
frame_json(struct truth *t, const struct truth_pkt *p, unsigned flow_idx,
	   int dir, const char *status, bool readable, const double *rtt,
	   const double *sdelay, uint32_t kri)
{
	const struct pdmv2_option *o = p->opt;
	json_object *j = json_object_new_object();
	bool epoch = o->layout == PDMV2_LAYOUT_EPOCH;

	json_object_object_add(j, "frame", json_object_new_int64((int64_t)p->frame));
	json_object_object_add(j, "flow", json_object_new_int((int)flow_idx));
	json_object_object_add(j, "dir", json_object_new_string(dir == C2S ? "c2s" : "s2c"));
	json_object_object_add(j, "variant", json_object_new_int(o->variant));
	json_object_object_add(j, "status", json_object_new_string(status));
	if (t->epoch_fields && o->variant != PDMV2_VARIANT_PDM)
		json_object_object_add(j, "layout", json_object_new_string(
			epoch ? "epoch" : "kri"));
	if (epoch) {
		/* 2.5: Version, Epoch and PSNTP are clear in both forms */
		json_object_object_add(j, "version", json_object_new_int(o->version));
		json_object_object_add(j, "epoch", json_object_new_int(o->epoch));
		json_object_object_add(j, "psntp", json_object_new_int64(o->m.psntp));
	} else if (o->variant == PDMV2_VARIANT_ENCRYPTED && readable)
		json_object_object_add(j, "kri", json_object_new_int64(kri));
	if (o->variant != PDMV2_VARIANT_PDM && !epoch) {
		json_object_object_add(j, "random", json_object_new_int(o->random));
		json_object_object_add(j, "flag", json_object_new_int(o->flag));
		json_object_object_add(j, "version", json_object_new_int(o->version));
		json_object_object_add(j, "reserved", json_object_new_int(o->reserved));
	}
	if (readable) {
		json_object_object_add(j, "scale_dtlr", json_object_new_int(o->m.scale_dtlr));
		json_object_object_add(j, "scale_dtls", json_object_new_int(o->m.scale_dtls));
		if (o->variant != PDMV2_VARIANT_PDM)
			json_object_object_add(j, "global_pointer",
					       json_object_new_int64(o->m.global_pointer));
		if (!epoch)
			json_object_object_add(j, "psntp", json_object_new_int64(o->m.psntp));
		else	/* the sealed Reserved of 2.5, readable once opened */
			json_object_object_add(j, "reserved", json_object_new_int(o->m.reserved));
		json_object_object_add(j, "psnlr", json_object_new_int64(o->m.psnlr));
		json_object_object_add(j, "delta_tlr", json_object_new_int(o->m.delta_tlr));
		json_object_object_add(j, "delta_tls", json_object_new_int(o->m.delta_tls));
	}
	if (rtt)
		json_object_object_add(j, "rtt_us", json_object_new_double(*rtt));
	if (sdelay)
		json_object_object_add(j, "server_delay_us", json_object_new_double(*sdelay));
	json_object_array_add(t->frames, j);
}

void
truth_packet(struct truth *t, const struct truth_pkt *p)
{
	struct tflow *f = flow_for(t, p);
	const struct pdmv2_option *o = p->opt;
	int dir = memcmp(p->src, f->client, 16) == 0 && p->sport == f->cport ? C2S : S2C;
	struct tdir *d = &f->dir[dir];
	const char *status = "plain";
	bool readable = true, late = false;
	double rtt = NAN, sdelay = NAN;
	unsigned flow_idx = f->idx;

	t->packets++;
	t->ipv6++;
	d->packets++;
	f->last_ts = p->ts_ns;
	if (!o)
		return;
	t->pdm++;
	d->pdm_packets++;
	if (o->variant == PDMV2_VARIANT_PDM) {
		t->v1++;
		f->has_pdm = true;
	} else {
		f->has_v2 = true;
		d->layout = o->layout == PDMV2_LAYOUT_EPOCH ? PDMV2_LAYOUT_EPOCH :
			    PDMV2_LAYOUT_KRI;
		if (o->variant == PDMV2_VARIANT_PLAIN)
			t->plain++;
	}

	if (o->layout == PDMV2_LAYOUT_EPOCH) {
		/* 5.5: no search, the Epoch names the key; what did not fail
		 * authentication counts in the Epochs and the PSNs, key or
		 * not (the PSNTP is clear). */
		bool counted = true;

		t->epoch_layout++;
		if (o->variant == PDMV2_VARIANT_ENCRYPTED) {
			t->enc++;
			f->encrypted = true;
			readable = false;
			if (!p->has_key) {
				status = "no_key";
				d->no_key++;
				t->no_key++;
			} else if (p->forged) {
				status = "auth_failed";
				counted = false;
				d->auth_failed++;
				t->auth_failed++;
			} else {
				status = "decrypted";
				readable = true;
				d->decrypted++;
				t->decrypted++;
			}
		}
		if (counted) {
			epoch_account(d, p);
			psn_account(d, o->m.psntp, INT64_C(1) << 32);
		}
	} else if (o->variant == PDMV2_VARIANT_ENCRYPTED) {
		t->enc++;
		f->encrypted = true;
		if (!p->has_key) {
			status = "no_key";
			readable = false;
			d->no_key++;
			t->no_key++;
		} else if (p->forged || !kri_receive(t, d, p->kri, o->flag, &late)) {
			status = "auth_failed";
			readable = false;
			d->auth_failed++;
			t->auth_failed++;
		} else {
			struct tepoch *e = epoch_of(d, p->kri, p);
			gpointer key = GUINT_TO_POINTER((p->kri << 15) | o->random);
			gpointer tagw = GUINT_TO_POINTER(1u + (o->tag[0] << 8 | o->tag[1]));
			gpointer prev;

			status = "decrypted";
			d->decrypted++;
			t->decrypted++;
			e->packets++;
			e->last_frame = p->frame;
			e->last_ts = p->ts_ns;
			if (late)
				e->late++;
			/* Same (key, PRSEQ), different ciphertext: nonce reuse. */
			if (g_hash_table_lookup_extended(d->prseq, key, NULL, &prev)) {
				if (prev != tagw)
					d->nonce_reuse++;
			} else {
				g_hash_table_insert(d->prseq, key, tagw);
			}
		}
	}

	if (readable) {
		const struct pdmv2_metrics *m = &o->m;
		bool epoch = o->layout == PDMV2_LAYOUT_EPOCH;
		uint32_t before = epoch ? m->psntp - 1 : (uint16_t)(m->psntp - 1);

		if (!epoch)	/* the Epoch layout's are counted above */
			psn_account(d, m->psntp, 65536);
		if (o->variant != PDMV2_VARIANT_PDM)
			gp_observe(t, p->src, m->global_pointer, p->ts_ns, p->flow);
		if (dir == C2S) {
			struct server_pkt *s = g_hash_table_lookup(
				f->server_pkts, GSIZE_TO_POINTER((gsize)m->psnlr + 1));

			rtt = delta_sample(m->delta_tls, m->scale_dtls);
			add_sample(f, M_RTT, rtt);
			add_sample(f, M_CLIENT_DELAY, delta_sample(m->delta_tlr, m->scale_dtlr));
			/* 7: s answered the client packet before this one,
			 * PSNs compared modulo the layout's width */
			if (s && !isnan(rtt) && s->psnlr == before) {
				double sd = delta_sample(s->delta_tlr, s->scale_dtlr);

				if (!isnan(sd))
					add_sample(f, M_NETWORK_RTT, rtt - sd);
			}
		} else {
			struct server_pkt *s = g_new(struct server_pkt, 1);

			sdelay = delta_sample(m->delta_tlr, m->scale_dtlr);
			add_sample(f, M_SERVER_DELAY, sdelay);
			add_sample(f, M_SERVER_RTT, delta_sample(m->delta_tls, m->scale_dtls));
			s->psnlr = m->psnlr;
			s->delta_tlr = m->delta_tlr;
			s->scale_dtlr = m->scale_dtlr;
			g_hash_table_insert(f->server_pkts,
					    GSIZE_TO_POINTER((gsize)m->psntp + 1), s);
		}
	}
	if (t->want_frames)
		frame_json(t, p, flow_idx, dir, status, readable,
			   isnan(rtt) ? NULL : &rtt, isnan(sdelay) ? NULL : &sdelay,
			   p->kri);
}

/* ---- output ---- */

static json_object *
ts_json(int64_t ns)
{
	char buf[PDMV2_TIME_BUF];

	return json_object_new_string(pdmv2_format_time(ns, buf));
}

static json_object *
addr_json(const uint8_t a[16])
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, a, buf, sizeof(buf));
	return json_object_new_string(buf);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static json_object *
dist_json(GArray *a)
{
	json_object *j;
	double *v = (double *)(void *)a->data, sum = 0, mean, var = 0;
	size_t n = a->len, i;
	static const double ps[3] = {0.5, 0.9, 0.99};
	static const char *const pn[3] = {"p50", "p90", "p99"};

	if (n == 0)
		return NULL;
	qsort(v, n, sizeof(double), cmp_double);
	for (i = 0; i < n; i++)
		sum += v[i];
	mean = sum / (double)n;
	for (i = 0; i < n; i++)
		var += (v[i] - mean) * (v[i] - mean);
	j = json_object_new_object();
	json_object_object_add(j, "count", json_object_new_int64((int64_t)n));
	json_object_object_add(j, "min", json_object_new_double(v[0]));
	json_object_object_add(j, "max", json_object_new_double(v[n - 1]));
	json_object_object_add(j, "mean", json_object_new_double(mean));
	json_object_object_add(j, "stddev", json_object_new_double(sqrt(var / (double)n)));
	for (i = 0; i < 3; i++) {
		size_t rank = (size_t)ceil(ps[i] * (double)n);

		if (rank < 1)
			rank = 1;
		json_object_object_add(j, pn[i], json_object_new_double(v[rank - 1]));
	}
	return j;
}

static json_object *
epochs_json(GArray *a, bool kri)
{
	json_object *eps = json_object_new_array();
	guint i;

	for (i = 0; i < a->len; i++) {
		struct tepoch *e = &g_array_index(a, struct tepoch, i);
		json_object *x = json_object_new_object();

		json_object_object_add(x, kri ? "kri" : "epoch", json_object_new_int64(e->kri));
		if (kri)
			json_object_object_add(x, "phase", json_object_new_int((int)(e->kri & 1)));
		json_object_object_add(x, "first_frame", json_object_new_int64((int64_t)e->first_frame));
		json_object_object_add(x, "last_frame", json_object_new_int64((int64_t)e->last_frame));
		json_object_object_add(x, "packets", json_object_new_int64((int64_t)e->packets));
		json_object_object_add(x, "first_ts", ts_json(e->first_ts));
		json_object_object_add(x, "last_ts", ts_json(e->last_ts));
		if (kri)
			json_object_object_add(x, "late", json_object_new_int64((int64_t)e->late));
		json_object_array_add(eps, x);
	}
	return eps;
}

static json_object *
dir_json(const struct truth *t, struct tdir *d)
{
	json_object *j = json_object_new_object(), *psn;

	json_object_object_add(j, "packets", json_object_new_int64((int64_t)d->packets));
	json_object_object_add(j, "pdm_packets", json_object_new_int64((int64_t)d->pdm_packets));
	json_object_object_add(j, "decrypted", json_object_new_int64((int64_t)d->decrypted));
	json_object_object_add(j, "auth_failed", json_object_new_int64((int64_t)d->auth_failed));
	json_object_object_add(j, "no_key", json_object_new_int64((int64_t)d->no_key));
	if (d->psn_any) {
		int64_t span = d->psn_high - d->psn_low + 1;

		psn = json_object_new_object();
		json_object_object_add(psn, "first", json_object_new_int64(d->psn_first));
		json_object_object_add(psn, "last", json_object_new_int64(d->psn_last));
		json_object_object_add(psn, "lost", json_object_new_int64(
			span - (int64_t)g_hash_table_size(d->psn_seen)));
		json_object_object_add(psn, "duplicates", json_object_new_int64((int64_t)d->psn_dups));
		json_object_object_add(psn, "reordered", json_object_new_int64((int64_t)d->psn_reordered));
		json_object_object_add(j, "psn", psn);
	}
	if (t->epoch_fields && d->layout != PDMV2_LAYOUT_NONE)
		json_object_object_add(j, "layout", json_object_new_string(
			d->layout == PDMV2_LAYOUT_EPOCH ? "epoch" : "kri"));
	json_object_object_add(j, "kri_epochs", epochs_json(d->epochs, true));
	if (t->epoch_fields)
		json_object_object_add(j, "epochs", epochs_json(d->eps, false));
	json_object_object_add(j, "nonce_reuse", json_object_new_int64((int64_t)d->nonce_reuse));
	return j;
}

static json_object *
endpoint_json(const uint8_t a[16], uint16_t port)
{
	json_object *j = json_object_new_object();

	json_object_object_add(j, "addr", addr_json(a));
	json_object_object_add(j, "port", json_object_new_int(port));
	return j;
}

static json_object *
flow_json(const struct truth *t, struct tflow *f, unsigned id)
{
	json_object *j = json_object_new_object(), *v, *dirs, *m;
	int i;

	json_object_object_add(j, "id", json_object_new_int((int)id));
	json_object_object_add(j, "protocol", json_object_new_string(pdmv2_proto_name(f->proto)));
	json_object_object_add(j, "client", endpoint_json(f->client, f->cport));
	json_object_object_add(j, "server", endpoint_json(f->server, f->sport));
	json_object_object_add(j, "first_ts", ts_json(f->first_ts));
	json_object_object_add(j, "last_ts", ts_json(f->last_ts));
	v = json_object_new_array();
	if (f->has_pdm)
		json_object_array_add(v, json_object_new_string("pdm"));
	if (f->has_v2)
		json_object_array_add(v, json_object_new_string("pdmv2"));
	json_object_object_add(j, "pdm_versions", v);
	json_object_object_add(j, "encrypted", json_object_new_boolean(f->encrypted));
	dirs = json_object_new_object();
	json_object_object_add(dirs, "c2s", dir_json(t, &f->dir[C2S]));
	json_object_object_add(dirs, "s2c", dir_json(t, &f->dir[S2C]));
	json_object_object_add(j, "directions", dirs);
	m = json_object_new_object();
	for (i = 0; i < M_COUNT; i++) {
		json_object *d = dist_json(f->samples[i]);

		json_object_object_add(m, metric_names[i], d ? d : NULL);
	}
	json_object_object_add(j, "metrics", m);
	return j;
}

/*
 * PROFILE.md 6 as revised, from the full list of values in capture
 * order: each value unwrapped modulo 2^32 to the one nearest the highest
 * of its segment; above it an advance, below it but not below half of it
 * a reordered observation, below half a reset that starts a segment.
 */
static json_object *
sender_json(struct tsender *s)
{
	json_object *j = json_object_new_object();
	struct gp_obs *o = (struct gp_obs *)(void *)s->obs->data;
	uint64_t advance = 0, segments = 1, resets = 0, reordered = 0;
	int64_t low = o[0].gp, high = o[0].gp, first = o[0].gp;
	const uint8_t *a = s->addr;
	const char *type = a[0] == 0xFF ? "multicast" :
			   (a[0] == 0xFE && (a[1] & 0xC0) == 0x80) ? "link-local" :
			   "global-unicast";
	double span;
	guint i;

	for (i = 1; i < s->obs->len; i++) {
		int64_t v = high + (int32_t)(o[i].gp - (uint32_t)high);

		if (v > high) {
			high = v;
		} else if (v < high && 2 * v >= high) {
			reordered++;
			if (v < low)
				low = v;
			if (v < first && segments == 1)
				first = v;
		} else if (v < high) {
			advance += (uint64_t)(high - low);	/* restart */
			low = high = o[i].gp;
			segments++;
			resets++;
		}
	}
	advance += (uint64_t)(high - low);
	span = (double)(o[s->obs->len - 1].ts - o[0].ts) / 1e9;
	json_object_object_add(j, "sender", addr_json(a));
	json_object_object_add(j, "addr_type", json_object_new_string(type));
	json_object_object_add(j, "packets", json_object_new_int64(s->obs->len));
	json_object_object_add(j, "first", json_object_new_int64((uint32_t)first));
	json_object_object_add(j, "last", json_object_new_int64((uint32_t)high));
	json_object_object_add(j, "advance", json_object_new_int64((int64_t)advance));
	json_object_object_add(j, "coverage", json_object_new_double(
		(double)s->obs->len / (double)(advance + segments)));
	json_object_object_add(j, "rate_pps", json_object_new_double(
		span > 0 ? (double)advance / span : 0));
	json_object_object_add(j, "resets", json_object_new_int64((int64_t)resets));
	json_object_object_add(j, "reordered", json_object_new_int64((int64_t)reordered));
	json_object_object_add(j, "flows", json_object_new_int64(g_hash_table_size(s->flows)));
	return j;
}

int
truth_write(struct truth *t, const char *path, uint64_t seed, int argc,
	    char **argv, uint64_t frames)
{
	json_object *root = json_object_new_object(), *gen, *args, *o, *flows, *gps;
	int i, rc;
	guint k;

	gen = json_object_new_object();
	json_object_object_add(gen, "version", json_object_new_string(PDMV2_TOOLS_VERSION));
	json_object_object_add(gen, "seed", json_object_new_int64((int64_t)seed));
	args = json_object_new_array();
	for (i = 1; i < argc; i++)
		json_object_array_add(args, json_object_new_string(argv[i]));
	json_object_object_add(gen, "args", args);
	json_object_object_add(root, "schema", json_object_new_string("pdmv2-sample-truth/1"));
	json_object_object_add(root, "generator", gen);

	o = json_object_new_object();
	json_object_object_add(o, "packets", json_object_new_int64((int64_t)frames));
	json_object_object_add(o, "ipv6_packets", json_object_new_int64((int64_t)t->ipv6));
	json_object_object_add(root, "capture", o);

	o = json_object_new_object();
	json_object_object_add(o, "packets", json_object_new_int64((int64_t)t->pdm));
	json_object_object_add(o, "pdm_v1", json_object_new_int64((int64_t)t->v1));
	json_object_object_add(o, "pdmv2_plain", json_object_new_int64((int64_t)t->plain));
	json_object_object_add(o, "pdmv2_encrypted", json_object_new_int64((int64_t)t->enc));
	json_object_object_add(o, "decrypted", json_object_new_int64((int64_t)t->decrypted));
	json_object_object_add(o, "auth_failed", json_object_new_int64((int64_t)t->auth_failed));
	json_object_object_add(o, "no_key", json_object_new_int64((int64_t)t->no_key));
	json_object_object_add(o, "malformed", json_object_new_int64(0));
	json_object_object_add(o, "truncated", json_object_new_int64(0));
	if (t->epoch_fields)
		json_object_object_add(o, "epoch_layout",
				       json_object_new_int64((int64_t)t->epoch_layout));
	json_object_object_add(root, "pdm", o);

	flows = json_object_new_array();
	for (k = 0; k < t->flows->len; k++)
		json_object_array_add(flows, flow_json(t, g_ptr_array_index(t->flows, k), k + 1));
	json_object_object_add(root, "flows", flows);
	gps = json_object_new_array();
	for (k = 0; k < t->senders->len; k++)
		json_object_array_add(gps, sender_json(g_ptr_array_index(t->senders, k)));
	json_object_object_add(root, "global_pointer", gps);
	if (t->want_frames)
		json_object_object_add(root, "frames", json_object_get(t->frames));

	rc = json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY |
				     JSON_C_TO_STRING_NOSLASHESCAPE) == 0 ? 0 : -1;
	json_object_put(root);
	return rc;
}
