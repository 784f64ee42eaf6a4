/*
 * pdmv2-state.c - see pdmv2-state.h.  All crypto, Kri, Epoch and sample
 * rules come from lib/, so the plugin and pdmv2-analyze always agree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <sys/stat.h>

#include <glib.h>
#include <wsutil/report_message.h>

#include "pdmv2-state.h"
#include "pdmv2/client.h"
#include "pdmv2/gptr.h"
#include "pdmv2/keylog.h"

/* PSNTP -> frame of the last packets a direction sent, for the pair link */
#define PAIR_RING 256

/* One sender direction's opening state, per layout (PROFILE.md 5.4, 5.5):
 * each made on the direction's first option of its layout. */
struct direction {
	struct pdmv2_decryptor *dec;
	struct pdmv2_epoch_tracker *ep;
};

struct conv_side {
	struct pdmv2_psn psn;		/* width set by the first PSN (7) */
	bool psn_started;
	struct pdmv2_gptr_sender *gsender;	/* NULL before a Global Pointer */
	size_t gindex;				/* its index in gptr */
	struct {
		uint32_t psntp;
		uint64_t frame;		/* 0: empty */
	} sent[PAIR_RING];
};

/* A conversation: who is the client, and the shared sample state. */
struct conv {
	uint32_t id;
	uint8_t client[16];
	uint16_t cport;
	struct pdmv2_client_rule rule;	/* lib's, as the analyzer's */
	struct pdmv2_sample_state samples;
	struct conv_side side[2];	/* [0] client's packets, [1] server's */
};

static struct pdmv2_keylog *keylog;
static char *keylog_path;
static time_t keylog_mtime;
static off_t keylog_size;
static unsigned kri_window = PDMV2_KRI_WINDOW_DEFAULT;
static GHashTable *directions;	/* GBytes(sender 5-tuple) -> struct direction */
static GHashTable *convs;	/* GBytes(canonical 5-tuple) -> struct conv */
static uint32_t next_conv_id;
static struct pdmv2_gptr_table *gptr;	/* per sender address (PROFILE.md 6) */
static GArray *gresets;		/* uint64_t per gptr index: resets seen so far */

unsigned
pdmv2_state_psn_bits(const struct pdmv2_option *opt)
{
	size_t i;

	for (i = 0; opt->desc && i < opt->desc->nfields; i++)
		if (opt->desc->fields[i].id == PDMV2_FIELD_PSNTP)
			return 8u * opt->desc->fields[i].width;
	return 16;
}

static void
conv_free(gpointer p)
{
	struct conv *c = p;

	pdmv2_samples_free(&c->samples);
	pdmv2_psn_free(&c->side[0].psn);
	pdmv2_psn_free(&c->side[1].psn);
	g_free(c);
}

static void
direction_free(gpointer p)
{
	struct direction *d = p;

	pdmv2_decryptor_free(d->dec);
	pdmv2_epoch_tracker_free(d->ep);
	g_free(d);
}

void
pdmv2_state_reset(void)
{
	if (directions)
		g_hash_table_remove_all(directions);
	if (convs)
		g_hash_table_remove_all(convs);
	next_conv_id = 0;
	pdmv2_gptr_table_free(gptr);
	gptr = NULL;
	if (gresets)
		g_array_set_size(gresets, 0);
}

void
pdmv2_state_shutdown(void)
{
	if (directions)
		g_hash_table_destroy(directions);
	if (convs)
		g_hash_table_destroy(convs);
	directions = convs = NULL;
	pdmv2_gptr_table_free(gptr);
	gptr = NULL;
	if (gresets)
		g_array_free(gresets, TRUE);
	gresets = NULL;
	pdmv2_keylog_free(keylog);
	keylog = NULL;
	g_free(keylog_path);
	keylog_path = NULL;
}

static void
load_keylog(const char *path)
{
	struct pdmv2_keylog *kl;
	size_t i;

	pdmv2_keylog_free(keylog);
	keylog = NULL;
	if (!path || !*path)
		return;
	(void)pdmv2_keylog_new(&kl);
	if (pdmv2_keylog_load_file(kl, path) != PDMV2_OK) {
		report_failure("PDMv2: cannot read the key log \"%s\": %s",
			       path, g_strerror(errno));
		pdmv2_keylog_free(kl);
		return;
	}
	for (i = 0; i < pdmv2_keylog_ndiag(kl); i++) {
		const struct pdmv2_keylog_diag *d = pdmv2_keylog_diag(kl, i);

		report_warning("PDMv2 key log %s:%u: %s%s", d->file, d->line,
			       d->is_error ? "" : "warning: ", d->message);
	}
	keylog = kl;
}

void
pdmv2_state_apply_prefs(const struct pdmv2_state_prefs *p)
{
	struct stat st;
	bool changed = g_strcmp0(p->keylog_file, keylog_path) != 0;

	if (!directions) {
		directions = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
						   (GDestroyNotify)g_bytes_unref,
						   direction_free);
		convs = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
					      (GDestroyNotify)g_bytes_unref, conv_free);
	}
	/* The same path but a rewritten file counts as a change too. */
	if (!changed && p->keylog_file && *p->keylog_file &&
	    stat(p->keylog_file, &st) == 0 &&
	    (st.st_mtime != keylog_mtime || st.st_size != keylog_size))
		changed = true;
	if (p->kri_window != kri_window)
		changed = true;
	kri_window = p->kri_window ? MIN(p->kri_window, PDMV2_STATE_KRI_WINDOW_MAX) :
				     PDMV2_KRI_WINDOW_DEFAULT;
	if (!changed)
		return;
	g_free(keylog_path);
	keylog_path = g_strdup(p->keylog_file);
	keylog_mtime = 0;
	keylog_size = 0;
	if (keylog_path && stat(keylog_path, &st) == 0) {
		keylog_mtime = st.st_mtime;
		keylog_size = st.st_size;
	}
	/* Decryptors hold the old key log's candidates: start over. */
	pdmv2_state_reset();
	load_keylog(keylog_path);
}

/*
 * Who is the client (INTERFACES.md "Client and server"): the sender of
 * the first SYN without ACK for TCP, else the sender of the first packet
 * seen.  The plugin sees a flow from its first PDM option on, as the
 * analyzer makes its flows; the first SYN among them names the client
 * (lib's rule, pdmv2/client.h).
 */
static void
client_rule(struct conv *c, const struct pdmv2_walk *w, bool tcp_syn)
{
	if (pdmv2_client_rule_see(&c->rule, tcp_syn)) {
		memcpy(c->client, w->src, 16);
		c->cport = w->sport;
	}
}

static struct conv *
conv_for(const struct pdmv2_walk *w, bool tcp_syn)
{
	uint8_t key[PDMV2_FIVE_TUPLE_BYTES];
	bool fwd = memcmp(w->src, w->dst, 16) < 0 ||
		   (memcmp(w->src, w->dst, 16) == 0 && w->sport <= w->dport);
	GBytes *k;
	struct conv *c;

	if (fwd)
		pdmv2_five_tuple(w->src, w->dst, w->sport, w->dport, w->proto, key);
	else
		pdmv2_five_tuple(w->dst, w->src, w->dport, w->sport, w->proto, key);
	k = g_bytes_new(key, sizeof(key));
	c = g_hash_table_lookup(convs, k);
	if (!c) {
		c = g_new0(struct conv, 1);
		c->id = ++next_conv_id;
		client_rule(c, w, tcp_syn);
		pdmv2_samples_init(&c->samples);
		g_hash_table_insert(convs, k, c);
	} else {
		g_bytes_unref(k);
		client_rule(c, w, tcp_syn);
	}
	return c;
}

static struct direction *
direction_for(const struct pdmv2_walk *w, uint8_t ft[PDMV2_FIVE_TUPLE_BYTES])
{
	GBytes *k;
	struct direction *d;

	pdmv2_five_tuple(w->src, w->dst, w->sport, w->dport, w->proto, ft);
	k = g_bytes_new(ft, PDMV2_FIVE_TUPLE_BYTES);
	d = g_hash_table_lookup(directions, k);
	if (d) {
		g_bytes_unref(k);
		return d;
	}
	d = g_new0(struct direction, 1);
	g_hash_table_insert(directions, k, d);
	return d;
}

/* The plugin keeps no Epoch list (the tap and the tree need none), so
 * every entry the tracker retires is simply dropped: memory stays
 * bounded per direction however many Epochs go by. */
static bool
drop_epoch(void *ctx, const struct pdmv2_epoch_info *e)
{
	(void)ctx;
	(void)e;
	return true;
}

/* Kri layout, encrypted (5.4): lib's decryptor of the direction. */
static void
open_kri(const struct pdmv2_walk *w, const struct pdmv2_option *opt,
	 uint64_t frame, int64_t ts_ns, struct pdmv2_frame_result *out)
{
	uint8_t ft[PDMV2_FIVE_TUPLE_BYTES];
	struct direction *d = direction_for(w, ft);

	if (!d->dec)
		(void)pdmv2_decryptor_new(keylog, ft, kri_window, &d->dec);
	out->status = d->dec ? pdmv2_decryptor_open(d->dec, opt, frame, ts_ns,
						    &out->m, &out->kri) :
			       PDMV2_ERR_INVALID;
	out->readable = out->status == PDMV2_OK;
	out->psn_known = out->readable;
}

/* Epoch layout, plain or protected (5.5): lib's Epoch tracker of the
 * direction, which opens by the clear Epoch, fails closed without a
 * key, and says which options count (every one that did not fail
 * authentication; its PSNTP is clear). */
static void
track_epoch(const struct pdmv2_walk *w, const struct pdmv2_option *opt,
	    uint64_t frame, int64_t ts_ns, struct pdmv2_frame_result *out)
{
	uint8_t ft[PDMV2_FIVE_TUPLE_BYTES];
	struct direction *d = direction_for(w, ft);

	if (!d->ep) {
		enum pdmv2_err rc = pdmv2_epoch_tracker_new(keylog, ft, &d->ep);

		if (rc != PDMV2_OK) {
			d->ep = NULL;
			out->status = rc;
			return;
		}
		pdmv2_epoch_set_retire(d->ep, drop_epoch, NULL);
	}
	out->epoch_before = pdmv2_epoch_current(d->ep);
	pdmv2_epoch_track(d->ep, opt, frame, ts_ns, &out->m, &out->epoch);
	out->epoch.src = NULL;	/* the key log's: not kept past a reload */
	out->status = out->epoch.status;
	out->readable = out->status == PDMV2_OK;
	out->psn_known = out->epoch.counted;
}

/* PSN, Global Pointer and pair findings of a readable option. */
static void
account(struct conv *c, const struct pdmv2_walk *w, bool client,
	const struct pdmv2_option *opt, const struct pdmv2_metrics *m,
	uint64_t frame, int64_t ts_ns, struct pdmv2_frame_result *out)
{
	struct conv_side *me = &c->side[client ? 0 : 1];
	struct conv_side *peer = &c->side[client ? 1 : 0];
	uint64_t lost;
	unsigned slot;

	if (!me->psn_started) {
		pdmv2_psn_init_width(&me->psn, pdmv2_state_psn_bits(opt));
		me->psn_started = true;
	}
	lost = pdmv2_psn_lost(&me->psn);
	out->psn_class = pdmv2_psn_add(&me->psn, m->psntp, NULL);
	if (out->psn_class == PDMV2_PSN_NEW && pdmv2_psn_lost(&me->psn) > lost)
		out->psn_missing = pdmv2_psn_lost(&me->psn) - lost;
	if (!out->readable)
		return;		/* 5.5: the clear PSNTP only */
	if (opt->variant != PDMV2_VARIANT_PDM) {
		struct pdmv2_gptr_stats st;

		if (!gptr && pdmv2_gptr_table_new(&gptr) != PDMV2_OK)
			gptr = NULL;
		if (gptr && !me->gsender) {
			size_t n = pdmv2_gptr_count(gptr);

			me->gsender = pdmv2_gptr_sender_get(gptr, w->src);
			me->gindex = pdmv2_gptr_count(gptr) > n ? n : 0;
			if (me->gsender && pdmv2_gptr_count(gptr) == n) {
				size_t i;	/* an address seen before */

				for (i = 0; i < n; i++) {
					pdmv2_gptr_get(gptr, i, &st);
					if (memcmp(st.sender, w->src, 16) == 0)
						me->gindex = i;
				}
			}
		}
		if (me->gsender) {
			uint64_t *seen;

			pdmv2_gptr_sender_add(me->gsender, m->global_pointer, ts_ns);
			pdmv2_gptr_get(gptr, me->gindex, &st);
			if (!gresets)
				gresets = g_array_new(FALSE, TRUE, sizeof(uint64_t));
			if (gresets->len <= me->gindex)
				g_array_set_size(gresets, (guint)me->gindex + 1);
			seen = &g_array_index(gresets, uint64_t, me->gindex);
			out->gp_reset = st.resets > *seen;
			*seen = st.resets;
		}
	}
	slot = m->psnlr % PAIR_RING;
	if (peer->sent[slot].frame && peer->sent[slot].psntp == m->psnlr)
		out->pair_frame = peer->sent[slot].frame;
	slot = m->psntp % PAIR_RING;
	me->sent[slot].psntp = m->psntp;
	me->sent[slot].frame = frame;
}

void
pdmv2_state_process(const struct pdmv2_walk *w, bool tcp_syn,
		    enum pdmv2_err rc, const struct pdmv2_option *opt,
		    uint64_t frame, int64_t ts_ns,
		    struct pdmv2_frame_result *out)
{
	struct conv *c;

	memset(out, 0, sizeof(*out));
	if (!directions) {
		struct pdmv2_state_prefs none = {NULL, PDMV2_KRI_WINDOW_DEFAULT};

		pdmv2_state_apply_prefs(&none);
	}
	c = conv_for(w, tcp_syn);
	out->flow = c->id;
	out->client = memcmp(w->src, c->client, 16) == 0 && w->sport == c->cport;
	if (rc != PDMV2_OK) {
		out->status = rc;
		return;
	}
	if (opt->layout == PDMV2_LAYOUT_EPOCH) {
		track_epoch(w, opt, frame, ts_ns, out);
	} else if (opt->variant == PDMV2_VARIANT_ENCRYPTED) {
		open_kri(w, opt, frame, ts_ns, out);
	} else {
		out->readable = out->psn_known = true;
		out->m = opt->m;
	}
	if (!out->psn_known)
		return;
	account(c, w, out->client, opt, &out->m, frame, ts_ns, out);
	if (!out->readable)
		return;
	pdmv2_samples_take(&c->samples, out->client ? PDMV2_ROLE_CLIENT :
			   PDMV2_ROLE_SERVER, &out->m, &out->samples);
}
