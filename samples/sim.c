/*
 * sim.c - the sample writer's simulation (see sim.h).
 *
 * Discrete events in time order: a sender builds its PDM option from
 * its RFC 8250 state (PROFILE.md 7), seals it for PDMv2 with its current
 * kri and PRSEQ (Kri layout, 5.3) or its Epoch and PSNTP (Epoch layout,
 * 5.5), the packet passes the tap (captured unless lost before it) and
 * arrives after a one-way delay (unless lost after the tap), which
 * updates the receiver's state and triggers the reply.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <glib.h>

#include "packet.h"
#include "pdmv2/crypto.h"
#include "pdmv2/option.h"
#include "pdmv2/walk.h"
#include "rng.h"
#include "sim.h"
#include "truth.h"

#define NS_PER_US 1000
#define START_NS INT64_C(1795342500000000000)	/* 2026-11-22T10:15:00Z */
#define PRSEQ_SPAN 32767u			/* 1..32767 (5.4) */
#define BURST_GAP_NS (20 * NS_PER_US)

enum { C2S = 0, S2C = 1 };
enum ev_type { EV_SEND, EV_ARRIVE, EV_TIMER, EV_TAP };

struct event {
	int64_t t;
	uint64_t order;			/* ties broken by creation order */
	uint8_t type, dir;		/* dir: the sender's direction */
	uint32_t flow, exch;
	uint32_t psntp;
	bool last_in_burst;
	struct held *pkt;		/* EV_TAP: the packet on its longer path */
};

struct node {
	uint8_t addr[16];
	uint32_t gp;
};

struct pair {
	unsigned cnode, snode;
	enum pdmv2_aead aead;
	uint8_t secret[PDMV2_SECRET_BYTES], salt[PDMV2_SALT_MAX], prk[PDMV2_NH];
	size_t salt_len;
	bool in_keylog;
};

/* RFC 8250 endpoint state for one flow (PROFILE.md 7's diagram). */
struct pdm_state {
	uint32_t next_psn;		/* 16-bit but in the Epoch layout (2.5) */
	bool have_recv, have_sent;
	uint32_t psnlr;
	int64_t t_last_recv, t_last_sent;
	int64_t tls_at_recv;		/* last received - last sent before it; <0 none */
};

/* One sender direction's key phase: the Kri layout's kri and PRSEQ
 * walk, or the Epoch layout's Epoch (kri counts its moves, the Epoch is
 * kri mod 4096) and packets sent in it. */
struct sender_crypto {
	uint32_t kri;
	unsigned in_phase;
	uint32_t perm_a, perm_b;
	uint16_t last_prseq;
	struct pdmv2_cipher *cipher;
	uint8_t ft[PDMV2_FIVE_TUPLE_BYTES];
	unsigned sent;
};

struct flow {
	unsigned idx;
	uint8_t proto;
	unsigned cnode, snode;
	uint16_t cport, sport;
	enum pdmv2_variant variant;
	enum pdmv2_layout layout;	/* NONE for RFC 8250 PDM */
	struct pair *pair;
	struct pdm_state ep[2];
	struct sender_crypto sc[2];
	unsigned exch;			/* exchanges started */
	unsigned exch_done;		/* exchanges answered */
	uint32_t tcp_seq[2];
};

struct held {
	bool used;
	int64_t ts;
	uint8_t pkt[PACKET_MAX];
	size_t len;
	struct pdmv2_option opt;
	struct truth_pkt tp;
	uint8_t src[16], dst[16];
};

struct sim {
	const struct sim_config *cfg;
	struct rng rng;
	struct node *nodes;
	unsigned nclients, nservers, nnodes;
	struct flow *flows;
	unsigned nflows;
	GPtrArray *pairs;
	GArray *heap;			/* struct event, binary min-heap */
	uint64_t ev_order;
	struct capwriter cap;
	struct truth *truth;
	uint64_t tap_seen;		/* packets that reached the tap */
	uint64_t sent_total;
	int64_t last_cap_ts;
	unsigned forged_left;
	bool restarted, reused;
	struct held held;
	unsigned one_flow;		/* KEYS_ONE: the flow whose key is logged */
};

/* ---- event heap ---- */

static bool
ev_less(const struct event *a, const struct event *b)
{
	return a->t < b->t || (a->t == b->t && a->order < b->order);
}

static void
ev_push(struct sim *s, struct event e)
{
	struct event *h;
	guint i;

	e.order = s->ev_order++;
	g_array_append_val(s->heap, e);
	h = (struct event *)(void *)s->heap->data;
	for (i = s->heap->len - 1; i > 0; i = (i - 1) / 2) {
		struct event tmp;

		if (!ev_less(&h[i], &h[(i - 1) / 2]))
			break;
		tmp = h[i];
		h[i] = h[(i - 1) / 2];
		h[(i - 1) / 2] = tmp;
	}
}

static struct event
ev_pop(struct sim *s)
{
	struct event *h = (struct event *)(void *)s->heap->data, top = h[0];
	guint n = s->heap->len - 1, i = 0;

	h[0] = h[n];
	g_array_set_size(s->heap, n);
	for (;;) {
		guint l = 2 * i + 1, r = l + 1, m = i;
		struct event tmp;

		if (l < n && ev_less(&h[l], &h[m]))
			m = l;
		if (r < n && ev_less(&h[r], &h[m]))
			m = r;
		if (m == i)
			break;
		tmp = h[i];
		h[i] = h[m];
		h[m] = tmp;
		i = m;
	}
	return top;
}

/* ---- set-up ---- */

static void
node_addr(const struct sim_config *cfg, bool server, unsigned i, uint8_t a[16])
{
	uint8_t plen = server ? cfg->server_plen : cfg->client_plen;
	unsigned b, carry = i + 1;

	if (plen) {
		/* the prefix's host bits cleared, then i + 1 added in (main.c
		 * checked that the nodes fit; a /128 is one node's address) */
		memcpy(a, server ? cfg->server_net : cfg->client_net, 16);
		if (plen == 128)
			return;
		for (b = plen; b < 128; b++)
			a[b / 8] &= (uint8_t)~(0x80u >> (b % 8));
		for (b = 16; b-- > 0 && carry;) {
			carry += a[b];
			a[b] = (uint8_t)carry;
			carry >>= 8;
		}
		return;
	}
	memset(a, 0, 16);
	if (cfg->link_local) {
		a[0] = 0xFE;
		a[1] = 0x80;
	} else {
		a[0] = 0x20;
		a[1] = 0x01;
		a[2] = 0x0D;
		a[3] = 0xB8;
		a[5] = server ? 0x05 : 0x0C;
	}
	a[13] = server ? 0x05 : 0x0C;
	a[14] = (uint8_t)((i + 1) >> 8);
	a[15] = (uint8_t)(i + 1);
}

static struct pair *
pair_for(struct sim *s, unsigned cnode, unsigned snode)
{
	struct pair *p;
	guint i;

	for (i = 0; i < s->pairs->len; i++) {
		p = g_ptr_array_index(s->pairs, i);
		if (p->cnode == cnode && p->snode == snode)
			return p;
	}
	p = g_new0(struct pair, 1);
	p->cnode = cnode;
	p->snode = snode;
	p->in_keylog = true;
	p->aead = s->cfg->aead ? (enum pdmv2_aead)s->cfg->aead :
		  (enum pdmv2_aead)(1 + s->pairs->len % 3);
	if (s->cfg->have_secret)
		memcpy(p->secret, s->cfg->secret, sizeof(p->secret));
	else
		rng_bytes(&s->rng, p->secret, sizeof(p->secret));
	if (s->cfg->have_salt) {
		memcpy(p->salt, s->cfg->salt, s->cfg->salt_len);
		p->salt_len = s->cfg->salt_len;
	} else {
		rng_bytes(&s->rng, p->salt, 16);
		p->salt_len = 16;
	}
	(void)pdmv2_derive_prk(p->aead, p->secret, p->salt, p->salt_len, p->prk);
	g_ptr_array_add(s->pairs, p);
	return p;
}

static void
pair_free(gpointer p)
{
	pdmv2_wipe(p, sizeof(struct pair));
	g_free(p);
}

static uint32_t
coprime_multiplier(struct rng *r)
{
	uint32_t a;

	/* 32767 = 7 * 31 * 151: any a sharing none of them permutes. */
	do
		a = 1 + rng_below(r, PRSEQ_SPAN - 1);
	while (a % 7 == 0 || a % 31 == 0 || a % 151 == 0);
	return a;
}

static int
sender_new_phase(struct sim *s, struct flow *f, int dir)
{
	struct sender_crypto *sc = &f->sc[dir];
	uint8_t key[PDMV2_KEY_MAX], nonce[PDMV2_NONCE_BYTES];

	sc->in_phase = 0;
	sc->perm_a = coprime_multiplier(&s->rng);
	sc->perm_b = rng_below(&s->rng, PRSEQ_SPAN);
	pdmv2_cipher_free(sc->cipher);
	sc->cipher = NULL;
	if (pdmv2_derive_session(f->pair->aead, f->pair->prk, sc->ft, sc->kri,
				 key, nonce) != PDMV2_OK ||
	    pdmv2_cipher_new(f->pair->aead, key, nonce, &sc->cipher) != PDMV2_OK)
		return -1;
	pdmv2_wipe(key, sizeof(key));
	return 0;
}

/* 5.5: the key of (direction, Epoch); the Epoch is kri mod 4096. */
static int
sender_new_epoch(struct sim *s, struct flow *f, int dir)
{
	struct sender_crypto *sc = &f->sc[dir];
	uint8_t key[PDMV2_KEY_MAX], nonce[PDMV2_NONCE_BYTES];
	int rc = 0;

	(void)s;
	sc->in_phase = 0;
	if (f->variant != PDMV2_VARIANT_ENCRYPTED)
		return 0;
	if (pdmv2_derive_epoch(f->pair->aead, f->pair->prk, sc->ft,
			       sc->kri % (PDMV2_EPOCH_MAX + 1), key, nonce) != PDMV2_OK ||
	    (sc->cipher ? pdmv2_cipher_rekey(sc->cipher, key, nonce) :
	     pdmv2_cipher_new(f->pair->aead, key, nonce, &sc->cipher)) != PDMV2_OK)
		rc = -1;
	pdmv2_wipe(key, sizeof(key));
	return rc;
}

/* KEYS_ONE: does the key log's one line open this direction's packet? */
static bool
has_key(const struct sim *s, const struct flow *f, int dir)
{
	if (!f->pair->in_keylog)
		return false;
	if (s->cfg->key_lines != KEYS_ONE)
		return true;
	return f->idx == s->one_flow && dir == C2S && f->sc[dir].kri == 0;
}

static int
sim_setup(struct sim *s)
{
	const struct sim_config *cfg = s->cfg;
	unsigned i, n = cfg->udp_flows + cfg->tcp_flows + cfg->icmp_flows;
	unsigned last_enc = UINT32_MAX;

	s->nflows = n;
	s->nclients = cfg->clients ? cfg->clients : 1;
	s->nservers = cfg->servers ? cfg->servers : 1;
	/* One spare server node for the missing-key flow, and one client
	 * node per ICMPv6 flow: without ports, two echo flows between the
	 * same pair would be one 5-tuple, one flow and one key (4). */
	s->nnodes = s->nclients + s->nservers + 1 + cfg->icmp_flows;
	s->nodes = g_new0(struct node, s->nnodes);
	for (i = 0; i < s->nnodes; i++) {
		bool server = i >= s->nclients && i <= s->nclients + s->nservers;
		unsigned idx = i < s->nclients ? i : server ? i - s->nclients :
			       i - s->nservers - 1;

		node_addr(cfg, server, idx, s->nodes[i].addr);
		s->nodes[i].gp = rng_below(&s->rng, 5000);
	}
	s->flows = g_new0(struct flow, n);
	for (i = 0; i < n; i++) {
		struct flow *f = &s->flows[i];
		enum sim_mode mode = cfg->mode;

		f->idx = i;
		f->proto = i < cfg->udp_flows ? 17 :
			   i < cfg->udp_flows + cfg->tcp_flows ? 6 : 58;
		f->cnode = i % s->nclients;
		f->snode = s->nclients + i % s->nservers;
		if (f->proto == 58)
			f->cnode = s->nclients + s->nservers + 1 +
				   (i - cfg->udp_flows - cfg->tcp_flows);
		f->cport = f->proto == 58 ? 0 : (uint16_t)(40000 + i);
		f->sport = f->proto == 6 ? 80 : f->proto == 17 ? 5001 : 0;
		if (mode == MODE_MIXED)
			mode = (enum sim_mode)(MODE_ENCRYPTED - i % 3);
		f->variant = mode == MODE_PDM ? PDMV2_VARIANT_PDM :
			     mode == MODE_PLAIN ? PDMV2_VARIANT_PLAIN :
			     PDMV2_VARIANT_ENCRYPTED;
		f->layout = f->variant == PDMV2_VARIANT_PDM ? PDMV2_LAYOUT_NONE :
			    cfg->layout == LAYOUT_EPOCH ||
			    (cfg->layout == LAYOUT_MIXED && (i & 1)) ?
			    PDMV2_LAYOUT_EPOCH : PDMV2_LAYOUT_KRI;
		if (f->variant == PDMV2_VARIANT_ENCRYPTED)
			last_enc = i;
		f->tcp_seq[C2S] = (uint32_t)rng_next(&s->rng);
		f->tcp_seq[S2C] = (uint32_t)rng_next(&s->rng);
	}
	for (i = 0; i < n; i++) {
		struct flow *f = &s->flows[i];
		int d;

		if (cfg->missing_key && i == last_enc)
			f->snode = s->nclients + s->nservers;	/* its own pair, kept out */
		f->pair = pair_for(s, f->cnode, f->snode);
		if (cfg->missing_key && i == last_enc)
			f->pair->in_keylog = false;
		for (d = 0; d < 2; d++) {
			const uint8_t *src = s->nodes[d == C2S ? f->cnode : f->snode].addr;
			const uint8_t *dst = s->nodes[d == C2S ? f->snode : f->cnode].addr;
			uint16_t sp = d == C2S ? f->cport : f->sport;
			uint16_t dp = d == C2S ? f->sport : f->cport;

			/* RFC 8250: the first PSN is random; 2^16 or 2^32 (7) */
			if (f->layout == PDMV2_LAYOUT_EPOCH)
				f->ep[d].next_psn = (uint32_t)rng_next(&s->rng);
			else
				f->ep[d].next_psn = (uint16_t)rng_next(&s->rng);
			if (cfg->have_psntp_start)
				f->ep[d].next_psn = f->layout == PDMV2_LAYOUT_EPOCH ?
					cfg->psntp_start : (uint16_t)cfg->psntp_start;
			f->ep[d].tls_at_recv = -1;
			/* ICMPv6 has no ports: zeros in the 5-tuple (4) */
			pdmv2_five_tuple(src, dst, f->proto == 58 ? 0 : sp,
					 f->proto == 58 ? 0 : dp, f->proto, f->sc[d].ft);
			if (f->layout == PDMV2_LAYOUT_EPOCH) {
				if (sender_new_epoch(s, f, d) != 0)
					return -1;
			} else if (f->variant == PDMV2_VARIANT_ENCRYPTED &&
				   sender_new_phase(s, f, d) != 0) {
				return -1;
			}
		}
		ev_push(s, (struct event){
			.t = START_NS + (int64_t)i * 1000 * NS_PER_US +
			     (int64_t)rng_below(&s->rng, 500 * NS_PER_US),
			.type = EV_SEND, .dir = C2S, .flow = i, .exch = 0,
		});
	}
	s->one_flow = UINT32_MAX;
	for (i = 0; i < n && cfg->key_lines == KEYS_ONE; i++)
		if (s->flows[i].layout == PDMV2_LAYOUT_EPOCH &&
		    s->flows[i].variant == PDMV2_VARIANT_ENCRYPTED &&
		    s->flows[i].pair->in_keylog) {
			s->one_flow = i;
			break;
		}
	return 0;
}

/* ---- sending ---- */

static uint16_t
delta_field(double us, uint8_t *scale)
{
	uint16_t d;

	if (!pdmv2_delta_encode(us, &d, scale)) {
		*scale = 0;
		return 0;
	}
	if (d == 0) {		/* 0 would mean "no value" (7) */
		d = 1;
		*scale = 0;
	}
	return d;
}

static double
jitter(struct sim *s)
{
	return s->cfg->jitter_us * rng_unit(&s->rng);
}

static void
emit(struct sim *s, int64_t ts, const uint8_t *pkt, size_t len,
     struct truth_pkt *tp)
{
	/* The truth records the time the file holds: whole microseconds in
	 * a microsecond pcap.  Capture times never go backwards. */
	int64_t tick = s->cfg->format == CAP_PCAP_US ? 1000 : 1;

	ts -= ts % tick;
	if (ts <= s->last_cap_ts)
		ts = s->last_cap_ts + tick;
	s->last_cap_ts = ts;
	(void)capwriter_packet(&s->cap, ts, pkt, len, s->cfg->snaplen);
	tp->frame = s->cap.frames;
	tp->ts_ns = ts;
	if (s->truth)
		truth_packet(s->truth, tp);
}

/* A packet kept for later, with copies of what its truth points at. */
static void
hold(struct held *h, const uint8_t *pkt, size_t len,
     const struct truth_pkt *tp)
{
	h->used = true;
	memcpy(h->pkt, pkt, len);
	h->len = len;
	h->tp = *tp;
	if (tp->opt) {
		h->opt = *tp->opt;
		h->tp.opt = &h->opt;
	}
	memcpy(h->src, tp->src, 16);
	memcpy(h->dst, tp->dst, 16);
	h->tp.src = h->src;
	h->tp.dst = h->dst;
}

static bool
same_sender(const struct truth_pkt *a, const struct truth_pkt *b)
{
	return a->flow == b->flow && a->sport == b->sport &&
	       memcmp(a->src, b->src, 16) == 0;
}

/* The tap: captured in order, except an occasional packet swapped with
 * the next one of its own sender direction, so the receiver's PSNs come
 * out of order (a swap with the next packet of any flow would seldom
 * reorder a direction: in a request/response flow that is the reply). */
static void
tap(struct sim *s, int64_t ts, const uint8_t *pkt, size_t len,
    const struct truth_pkt *tp)
{
	struct held *h = &s->held;
	struct truth_pkt cur = *tp;

	s->tap_seen++;
	if (s->tap_seen <= s->cfg->skip)
		return;		/* the capture has not started yet */
	if (!h->used && rng_chance(&s->rng, s->cfg->reorder)) {
		hold(h, pkt, len, tp);
		h->ts = ts;
		return;
	}
	emit(s, ts, pkt, len, &cur);
	if (h->used && same_sender(&h->tp, tp)) {
		h->used = false;
		emit(s, ts + 1, h->pkt, h->len, &h->tp);
	}
}

/*
 * A node seen on two paths (PROFILE.md 6): odd flows reach the tap
 * path_delay later, so the tap sees a node's packets on its two paths
 * out of send order.  The packet waits in an event until then.
 */
static void
tap_later(struct sim *s, int64_t t, const uint8_t *pkt, size_t len,
	  const struct truth_pkt *tp)
{
	struct held *h = g_new0(struct held, 1);
	int64_t delay = (int64_t)(s->cfg->path_delay_us * NS_PER_US);

	hold(h, pkt, len, tp);
	ev_push(s, (struct event){.t = t + delay, .type = EV_TAP, .pkt = h});
}

static void
schedule_next_request(struct sim *s, struct flow *f, int64_t t)
{
	if (f->exch >= s->cfg->exchanges)
		return;
	ev_push(s, (struct event){.t = t, .type = EV_SEND, .dir = C2S,
				  .flow = f->idx, .exch = f->exch});
}

static void
send_packet(struct sim *s, struct flow *f, int dir, int64_t t, uint32_t exch,
	    bool last_in_burst)
{
	const struct sim_config *cfg = s->cfg;
	struct node *node = &s->nodes[dir == C2S ? f->cnode : f->snode];
	struct node *peer = &s->nodes[dir == C2S ? f->snode : f->cnode];
	struct pdm_state *ep = &f->ep[dir];
	struct sender_crypto *sc = &f->sc[dir];
	struct pdmv2_option opt = {0};
	struct packet_spec ps = {0};
	struct truth_pkt tp = {0};
	uint8_t wire[PDMV2_OPTION_MAX], pkt[PACKET_MAX];
	double owd = cfg->owd_us;
	bool forged = false, lost_before, lost_after, reuse = false;
	size_t len;

	/* Global Pointer: every send of the node, captured or not (6). */
	if (cfg->restart && !s->restarted && f->idx == 0 && dir == C2S &&
	    exch >= cfg->exchanges / 2 && exch > 0) {
		node->gp = 0;	/* the node restarted */
		s->restarted = true;
	}
	if (cfg->background > 0)
		node->gp += rng_below(&s->rng, (uint32_t)(2 * cfg->background) + 1);
	node->gp++;
	s->sent_total++;

	if (f->layout == PDMV2_LAYOUT_EPOCH) {
		/* 5.5: the Epoch moves on every `rotate` packets, and at the
		 * latest when PSNTP wraps (draft -12 section 5.1), so no
		 * (Epoch, PSNTP) repeats under one key. */
		if (sc->in_phase > 0 &&
		    ((cfg->rotate && sc->in_phase >= cfg->rotate) ||
		     ep->next_psn == 0)) {
			sc->kri++;
			if (sender_new_epoch(s, f, dir) != 0)
				abort();	/* derivation of a valid key */
		}
		/* the fault: a PSNTP sent again in its Epoch (nonce reuse) */
		reuse = cfg->prseq_reuse && !s->reused && dir == C2S &&
			f->variant == PDMV2_VARIANT_ENCRYPTED && sc->in_phase == 5;
		s->reused |= reuse;
	}

	/* RFC 8250 state (PROFILE.md 7) */
	opt.type = PDMV2_OPTION_TYPE_DEFAULT;
	opt.variant = f->variant;
	if (reuse) {
		opt.m.psntp = ep->next_psn - 1;
	} else if (f->layout == PDMV2_LAYOUT_EPOCH) {
		opt.m.psntp = ep->next_psn++;
	} else {
		opt.m.psntp = (uint16_t)ep->next_psn;
		ep->next_psn = (uint16_t)(ep->next_psn + 1);
	}
	opt.m.psnlr = ep->have_recv ? ep->psnlr : 0;
	if (ep->have_recv)
		opt.m.delta_tlr = delta_field((double)(t - ep->t_last_recv) / NS_PER_US,
					      &opt.m.scale_dtlr);
	if (ep->tls_at_recv >= 0)
		opt.m.delta_tls = delta_field((double)ep->tls_at_recv / NS_PER_US,
					      &opt.m.scale_dtls);
	ep->have_sent = true;
	ep->t_last_sent = t;
	if (f->variant != PDMV2_VARIANT_PDM) {
		opt.version = PDMV2_VERSION;
		opt.m.global_pointer = node->gp;
	}

	tp.flow = f->idx;
	tp.src = node->addr;
	tp.dst = peer->addr;
	tp.sport = dir == C2S ? f->cport : f->sport;
	tp.dport = dir == C2S ? f->sport : f->cport;
	tp.proto = f->proto;
	tp.opt = &opt;
	tp.has_key = has_key(s, f, dir);

	if (f->layout == PDMV2_LAYOUT_EPOCH) {
		opt.layout = PDMV2_LAYOUT_EPOCH;
		opt.epoch = (uint16_t)(sc->kri % (PDMV2_EPOCH_MAX + 1));
		sc->in_phase++;
		if (f->variant == PDMV2_VARIANT_PLAIN) {
			pdmv2_option_build(&opt, wire);
		} else {
			if (pdmv2_cipher_seal_epoch(sc->cipher, &opt, wire) != PDMV2_OK)
				abort();	/* Epoch <= 4095: cannot fail */
			memcpy(opt.aad, wire, PDMV2_EPOCH_AAD_BYTES);
			memcpy(opt.ciphertext, wire + PDMV2_EPOCH_AAD_BYTES,
			       PDMV2_EPOCH_METRIC_BYTES);
			memcpy(opt.tag, wire + PDMV2_EPOCH_AAD_BYTES +
			       PDMV2_EPOCH_METRIC_BYTES, PDMV2_TAG_BYTES);
			tp.kri = sc->kri;
			sc->sent++;
			if (s->forged_left && dir == S2C && sc->sent > 3) {
				wire[2 + PDMV2_LEN_EPOCH_PROTECTED - 1] ^= 0x01;
				opt.tag[15] ^= 0x01;
				forged = true;
				s->forged_left--;
			}
		}
	} else if (f->variant == PDMV2_VARIANT_PLAIN) {
		opt.random = (uint16_t)rng_below(&s->rng, 32768);
		opt.flag = (uint8_t)rng_below(&s->rng, 2);
		pdmv2_option_build(&opt, wire);
	} else if (f->variant == PDMV2_VARIANT_PDM) {
		pdmv2_option_build(&opt, wire);
	} else {
		uint16_t prseq;

		/* Rotate every `rotate` packets, and always before the
		 * PRSEQ sequence is used up (5.4). */
		if ((cfg->rotate && sc->in_phase >= cfg->rotate) ||
		    sc->in_phase >= PRSEQ_SPAN) {
			sc->kri++;
			(void)sender_new_phase(s, f, dir);
		}
		prseq = (uint16_t)((sc->perm_a * sc->in_phase + sc->perm_b) %
				   PRSEQ_SPAN + 1);
		if (cfg->prseq_reuse && !s->reused && dir == C2S &&
		    sc->in_phase == 5) {
			prseq = sc->last_prseq;	/* the fault: same nonce again */
			s->reused = true;
		}
		sc->in_phase++;
		sc->last_prseq = prseq;
		opt.random = prseq;
		opt.flag = sc->kri & 1u;
		(void)pdmv2_cipher_seal_option(sc->cipher, &opt, wire);
		memcpy(opt.aad, wire, PDMV2_AAD_BYTES);
		memcpy(opt.ciphertext, wire + 6, PDMV2_METRIC_BYTES);
		memcpy(opt.tag, wire + 20, PDMV2_TAG_BYTES);
		tp.kri = sc->kri;
		sc->sent++;
		if (s->forged_left && dir == S2C && sc->sent > 3) {
			wire[35] ^= 0x01;	/* on-path forgery: tag no longer verifies */
			opt.tag[15] ^= 0x01;
			forged = true;
			s->forged_left--;
		}
	}
	tp.forged = forged;

	ps.src = node->addr;
	ps.dst = peer->addr;
	ps.proto = f->proto;
	ps.hop_by_hop = cfg->hop_by_hop;
	ps.padn_before = cfg->padn;
	ps.option = wire;
	ps.option_len = (size_t)wire[1] + 2;
	if (f->proto == 58) {
		ps.icmp_type = dir == C2S ? 128 : 129;
		ps.sport = (uint16_t)f->idx;
		ps.dport = (uint16_t)exch;
		ps.payload_len = 16;
	} else if (f->proto == 6) {
		bool syn = exch == 0, fin = exch + 1 == cfg->exchanges && exch > 0;

		ps.sport = tp.sport;
		ps.dport = tp.dport;
		ps.tcp_flags = syn ? (dir == C2S ? 0x02 : 0x12) : (fin ? 0x11 : 0x18);
		ps.tcp_seq = f->tcp_seq[dir];
		ps.tcp_ack = dir == C2S && syn ? 0 : f->tcp_seq[!dir];
		ps.payload_len = syn ? 0 : 64;
		f->tcp_seq[dir] += syn || fin ? 1 : 64;
		tp.syn_no_ack = syn && dir == C2S;
	} else {
		ps.sport = tp.sport;
		ps.dport = tp.dport;
		ps.payload_len = dir == C2S ? 32 : 200;
	}
	len = packet_build(&ps, pkt);

	lost_before = rng_chance(&s->rng, cfg->loss_before);
	lost_after = rng_chance(&s->rng, cfg->loss_after);
	if (!lost_before && cfg->path_delay_us > 0 && (f->idx & 1))
		tap_later(s, t, pkt, len, &tp);
	else if (!lost_before)
		tap(s, t + (int64_t)(owd / 2 * NS_PER_US), pkt, len, &tp);
	if (!lost_before && !lost_after && !forged)
		ev_push(s, (struct event){
			.t = t + (int64_t)((owd + jitter(s)) * NS_PER_US),
			.type = EV_ARRIVE, .dir = (uint8_t)dir, .flow = f->idx,
			.exch = exch, .psntp = opt.m.psntp,
			.last_in_burst = last_in_burst,
		});
	if (dir == C2S) {
		/* no answer within the timeout: the client moves on */
		double rto = 4 * (owd + cfg->jitter_us) + cfg->server_us +
			     cfg->think_us + cfg->burst * 20.0 + 1000;

		ev_push(s, (struct event){.t = t + (int64_t)(rto * NS_PER_US),
					  .type = EV_TIMER, .flow = f->idx,
					  .exch = exch});
	}
}

static void
on_arrive(struct sim *s, const struct event *e)
{
	struct flow *f = &s->flows[e->flow];
	int rdir = !e->dir;		/* the receiver's own sending direction */
	struct pdm_state *ep = &f->ep[rdir];

	ep->psnlr = e->psntp;
	ep->tls_at_recv = ep->have_sent ? e->t - ep->t_last_sent : -1;
	ep->t_last_recv = e->t;
	ep->have_recv = true;

	if (e->dir == C2S) {
		/* the server answers: 1..burst packets (TCP SYN: one) */
		unsigned n = 1, i;
		int64_t t = e->t + (int64_t)((s->cfg->server_us * (0.5 + rng_unit(&s->rng)))
					     * NS_PER_US);

		if (s->cfg->burst > 1 && !(f->proto == 6 && e->exch == 0))
			n = 1 + rng_below(&s->rng, s->cfg->burst);
		for (i = 0; i < n; i++)
			ev_push(s, (struct event){
				.t = t + (int64_t)i * BURST_GAP_NS, .type = EV_SEND,
				.dir = S2C, .flow = f->idx, .exch = e->exch,
				.last_in_burst = i + 1 == n,
			});
	} else if (e->last_in_burst && e->exch + 1 == f->exch &&
		   f->exch_done < f->exch) {
		f->exch_done = f->exch;
		schedule_next_request(s, f, e->t + (int64_t)(s->cfg->think_us *
			(0.5 + rng_unit(&s->rng)) * NS_PER_US));
	}
}

static void
put_hex(FILE *f, const uint8_t *b, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		fprintf(f, "%02x", b[k]);
}

/*
 * PROFILE.md 8: one direction's key for one phase, the least-privilege
 * line: PDMV2_SESSION_KEY (Kri layout, 5.2) or PDMV2_EPOCH_KEY (Epoch
 * layout, 5.5).  Ports and protocol as in the 5-tuple (0 for ICMPv6).
 */
static int
put_key_line(FILE *out, const struct sim *s, const struct flow *f, int dir,
	     uint32_t phase)
{
	const uint8_t *ft = f->sc[dir].ft;
	uint8_t key[PDMV2_KEY_MAX], nonce[PDMV2_NONCE_BYTES];
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	bool epoch = f->layout == PDMV2_LAYOUT_EPOCH;
	enum pdmv2_err rc;

	(void)s;
	rc = epoch ? pdmv2_derive_epoch(f->pair->aead, f->pair->prk, ft, phase,
					key, nonce) :
		     pdmv2_derive_session(f->pair->aead, f->pair->prk, ft, phase,
					  key, nonce);
	if (rc != PDMV2_OK)
		return -1;
	inet_ntop(AF_INET6, ft, a, sizeof(a));
	inet_ntop(AF_INET6, ft + 16, b, sizeof(b));
	fprintf(out, "%s %s %u %s %u %u %u %s ",
		epoch ? "PDMV2_EPOCH_KEY" : "PDMV2_SESSION_KEY", a,
		(unsigned)(ft[32] << 8 | ft[33]), b, (unsigned)(ft[34] << 8 | ft[35]),
		ft[36], phase, pdmv2_aead_name(f->pair->aead));
	put_hex(out, key, pdmv2_aead_key_len(f->pair->aead));
	fputc(' ', out);
	put_hex(out, nonce, sizeof(nonce));
	fputc('\n', out);
	pdmv2_wipe(key, sizeof(key));
	return 0;
}

/* KEYS_PHASE: every phase each sender used; KEYS_ONE: the one line. */
static int
write_key_lines(FILE *out, struct sim *s)
{
	unsigned i, d;
	uint32_t k;

	if (s->cfg->key_lines == KEYS_ONE)
		return s->one_flow == UINT32_MAX ? 0 :
		       put_key_line(out, s, &s->flows[s->one_flow], C2S, 0);
	for (i = 0; i < s->nflows; i++) {
		const struct flow *f = &s->flows[i];

		if (f->variant != PDMV2_VARIANT_ENCRYPTED || !f->pair->in_keylog)
			continue;
		for (d = 0; d < 2; d++)
			for (k = 0; k <= f->sc[d].kri; k++) {
				if (f->layout == PDMV2_LAYOUT_EPOCH && k > PDMV2_EPOCH_MAX)
					break;	/* Epochs wrap: their keys are written */
				if (put_key_line(out, s, f, (int)d, k) != 0)
					return -1;
			}
	}
	return 0;
}

static int
write_keylog(struct sim *s)
{
	FILE *f = fopen(s->cfg->keylog, "w");
	guint i;
	size_t k;

	if (!f)
		return -1;
	fprintf(f, "# PDMv2 key log written by pdmv2-sample (seed %llu)\n",
		(unsigned long long)s->cfg->seed);
	if (s->cfg->key_lines != KEYS_SECRET) {
		int rc = write_key_lines(f, s);

		return fclose(f) == 0 && rc == 0 ? 0 : -1;
	}
	for (i = 0; i < s->pairs->len; i++) {
		struct pair *p = g_ptr_array_index(s->pairs, i);
		char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
		bool used = false;
		unsigned j;

		for (j = 0; j < s->nflows; j++)
			if (s->flows[j].pair == p &&
			    s->flows[j].variant == PDMV2_VARIANT_ENCRYPTED)
				used = true;
		if (!used || !p->in_keylog)
			continue;
		inet_ntop(AF_INET6, s->nodes[p->cnode].addr, a, sizeof(a));
		inet_ntop(AF_INET6, s->nodes[p->snode].addr, b, sizeof(b));
		fprintf(f, "PDMV2_SECRET %s %s %s ", a, b, pdmv2_aead_name(p->aead));
		for (k = 0; k < sizeof(p->secret); k++)
			fprintf(f, "%02x", p->secret[k]);
		fputc(' ', f);
		for (k = 0; k < p->salt_len; k++)
			fprintf(f, "%02x", p->salt[k]);
		fputs(p->salt_len ? "\n" : "-\n", f);
	}
	return fclose(f) == 0 ? 0 : -1;
}

int
sim_run(const struct sim_config *cfg)
{
	struct sim s = {0};
	int rc = -1;
	unsigned i;

	s.cfg = cfg;
	rng_seed(&s.rng, cfg->seed);
	s.pairs = g_ptr_array_new_with_free_func(pair_free);
	s.heap = g_array_new(FALSE, FALSE, sizeof(struct event));
	s.forged_left = cfg->forge;
	if (cfg->truth)
		s.truth = truth_new(cfg->kri_window, cfg->truth_frames,
				    cfg->layout != LAYOUT_KRI);
	if (capwriter_open(&s.cap, cfg->out, cfg->format, cfg->link) != 0) {
		fprintf(stderr, "pdmv2-sample: %s: %s\n", cfg->out, strerror(errno));
		goto out;
	}
	if (sim_setup(&s) != 0) {
		fprintf(stderr, "pdmv2-sample: key derivation failed\n");
		goto out;
	}
	while (s.heap->len > 0) {
		struct event e = ev_pop(&s);
		struct flow *f = &s.flows[e.flow];

		switch (e.type) {
		case EV_SEND:
			if (e.dir == C2S) {
				if (e.exch != f->exch)
					break;	/* superseded by the timer */
				f->exch++;
			}
			send_packet(&s, f, e.dir, e.t, e.exch, e.last_in_burst);
			break;
		case EV_ARRIVE:
			on_arrive(&s, &e);
			break;
		case EV_TIMER:
			if (f->exch == e.exch + 1 && f->exch_done < f->exch) {
				f->exch_done = f->exch;
				schedule_next_request(&s, f, e.t);
			}
			break;
		case EV_TAP:
			tap(&s, e.t + (int64_t)(cfg->owd_us / 2 * NS_PER_US),
			    e.pkt->pkt, e.pkt->len, &e.pkt->tp);
			g_free(e.pkt);
			break;
		}
	}
	if (s.held.used) {
		s.held.used = false;
		emit(&s, s.held.ts, s.held.pkt, s.held.len, &s.held.tp);
	}
	if (capwriter_close(&s.cap) != 0) {
		fprintf(stderr, "pdmv2-sample: %s: write failed\n", cfg->out);
		goto out;
	}
	if (cfg->keylog && write_keylog(&s) != 0) {
		fprintf(stderr, "pdmv2-sample: %s: %s\n", cfg->keylog, strerror(errno));
		goto out;
	}
	if (cfg->keylog)
		(void)chmod(cfg->keylog, 0600);
	if (s.truth && truth_write(s.truth, cfg->truth, cfg->seed, cfg->argc,
				   cfg->argv, s.cap.frames) != 0) {
		fprintf(stderr, "pdmv2-sample: %s: cannot write truth\n", cfg->truth);
		goto out;
	}
	rc = 0;
out:
	capwriter_close(&s.cap);
	for (i = 0; i < s.heap->len; i++)
		g_free(g_array_index(s.heap, struct event, i).pkt);
	for (i = 0; s.flows && i < s.nflows; i++) {
		pdmv2_cipher_free(s.flows[i].sc[C2S].cipher);
		pdmv2_cipher_free(s.flows[i].sc[S2C].cipher);
	}
	g_free(s.flows);
	g_free(s.nodes);
	g_ptr_array_free(s.pairs, TRUE);
	g_array_free(s.heap, TRUE);
	truth_free(s.truth);
	return rc;
}
