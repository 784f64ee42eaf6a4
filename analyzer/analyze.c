/*
 * analyze.c - the per-frame path of pdmv2-analyze: link layer, header
 * walk, flow lookup, option decode, decryption with Kri rebuild, PSN
 * accounting, delay samples and Global Pointer (PROFILE.md 1-7).
 * Nothing here allocates per packet once a flow exists.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "analyze.h"
#include "flow.h"
#include "double_text.h"
#include "epoch_ahead.h"
#include "linktype.h"
#include "pdmv2/option.h"
#include "pdmv2/timefmt.h"
#include "report.h"

#define PENDING_MAX 64		/* >= 3 samples per frame of a batch */

struct analysis {
	struct analyze_config cfg;
	struct pdmv2_keylog *keylog;
	GPtrArray *keylog_files;	/* char * */
	/* struct flow_key * -> struct flow *: the flow table, with flows
	 * made by frames not yet finished (id 0) */
	GHashTable *flows;
	/* The flows that have had a frame finished, least recently seen
	 * first: the next to evict is at lru_old. */
	struct flow *lru_old, *lru_new;
	uint64_t nflows;		/* in that list */
	uint64_t peak_flows;		/* the most it held */
	uint64_t evicted;		/* flows evicted from a full table */
	bool evict_stuck;		/* one could not be kept: no more tried */
	bool evict_warned, spill_warned;
	struct evicted_flows evicted_flows;	/* without --jsonl */
	GPtrArray *graveyard;		/* streamed flows, freed by analysis_release */
	struct epoch_spill epoch_spill;	/* finished key phases of all flows */
	struct pdmv2_dist_pending pending[PENDING_MAX];	/* sketch counts to do */
	unsigned npending;
	uint64_t next_flow_id;
	struct pdmv2_gptr_table *gptr;
	GPtrArray *inputs;		/* struct input_info * */
	GPtrArray *warnings;		/* char * */
	/* Last frame number, across inputs: the one field the reading
	 * thread writes (pipeline.h), on a cache line of its own so the
	 * analysis thread's counters around it do not bounce. */
	_Alignas(64) uint64_t frame;
	char frame_line_pad[64 - sizeof(uint64_t)];
	uint64_t packets, ipv6_packets, skipped_linktype, not_ipv6;
	int64_t first_ts, last_ts;
	int64_t prev_ts;		/* the frame before's */
	uint64_t ts_backwards;		/* frames stamped before the one before */
	bool ts_backwards_warned;
	struct pdm_counts pdm;
	struct anomaly_list anomalies[AN_COUNT];
};

static void
input_free(gpointer p)
{
	struct input_info *in = p;

	g_free(in->file);
	g_free(in);
}

struct analysis *
analysis_new(const struct analyze_config *cfg)
{
	/* aligned: the frame counter has a cache line of its own */
	struct analysis *a = g_aligned_alloc0(1, sizeof(*a), _Alignof(struct analysis));

	a->cfg = *cfg;
	flow_hash_seed();
	(void)pdmv2_keylog_new(&a->keylog);
	a->keylog_files = g_ptr_array_new_with_free_func(g_free);
	a->flows = g_hash_table_new(flow_key_hash, flow_key_equal);
	epoch_spill_init(&a->epoch_spill);
	spill_init(&a->evicted_flows.file, "pdmv2-flows");
	(void)pdmv2_gptr_table_new(&a->gptr);
	a->inputs = g_ptr_array_new_with_free_func(input_free);
	a->warnings = g_ptr_array_new_with_free_func(g_free);
	a->graveyard = g_ptr_array_new_with_free_func(flow_free);
	return a;
}

static void
free_flow(gpointer key, gpointer value, gpointer data)
{
	(void)key;
	(void)data;
	flow_free(value);
}

void
analysis_free(struct analysis *a)
{
	if (!a)
		return;
	g_hash_table_foreach(a->flows, free_flow, NULL);
	g_hash_table_destroy(a->flows);
	g_ptr_array_free(a->graveyard, TRUE);
	epoch_spill_close(&a->epoch_spill);
	spill_free(&a->evicted_flows.file);
	pdmv2_gptr_table_free(a->gptr);
	pdmv2_keylog_free(a->keylog);
	g_ptr_array_free(a->keylog_files, TRUE);
	g_ptr_array_free(a->inputs, TRUE);
	g_ptr_array_free(a->warnings, TRUE);
	g_aligned_free(a);
}

const struct analyze_config *
analysis_config(const struct analysis *a)
{
	return &a->cfg;
}

struct pdmv2_keylog *
analysis_keylog(struct analysis *a)
{
	return a->keylog;
}

void
analysis_totals(const struct analysis *a, struct analysis_totals *t)
{
	t->packets = a->packets;
	t->ipv6_packets = a->ipv6_packets;
	t->skipped_linktype = a->skipped_linktype;
	t->not_ipv6 = a->not_ipv6;
	t->first_ts = a->first_ts;
	t->last_ts = a->last_ts;
	t->evicted_flows = a->evicted;
	t->pdm = a->pdm;
	t->anomalies = a->anomalies;
}

const struct pdmv2_gptr_table *
analysis_gptr(const struct analysis *a)
{
	return a->gptr;
}

const GPtrArray *
analysis_keylog_files(const struct analysis *a)
{
	return a->keylog_files;
}

const GPtrArray *
analysis_inputs(const struct analysis *a)
{
	return a->inputs;
}

const GPtrArray *
analysis_warnings(struct analysis *a)
{
	if (a->ts_backwards && !a->ts_backwards_warned) {
		a->ts_backwards_warned = true;
		analysis_warn(a, "%llu frames are stamped earlier than the frame "
			      "before them: first_ts and last_ts are the earliest "
			      "and the latest stamps", (unsigned long long)a->ts_backwards);
	}
	if (a->epoch_spill.file.err && !a->spill_warned) {
		const struct spill *s = &a->epoch_spill.file;

		a->spill_warned = true;
		analysis_warn(a, "temporary file of finished key phases in %s: %s "
			      "failed: %s; the %llu stored before are in the report, "
			      "later ones were kept in memory", g_get_tmp_dir(),
			      s->failed, g_strerror(s->err),
			      (unsigned long long)a->epoch_spill.records);
	}
	if ((a->evicted || a->evict_stuck) && !a->evict_warned) {
		a->evict_warned = true;
		if (a->evicted)
			analysis_warn(a, "%llu flows evicted: the flow table was full "
				      "(--max-flows %u), so the least recently seen "
				      "flow went out as it was when a new one came; a "
				      "5-tuple seen again after that is a new flow",
				      (unsigned long long)a->evicted,
				      a->cfg.max_flows);
		if (a->evict_stuck)
			analysis_warn(a, "flow table: temporary file of evicted flows "
				      "in %s: %s failed: %s; no flow was evicted after "
				      "that, and the table grew to %llu flows, past "
				      "--max-flows %u", g_get_tmp_dir(),
				      a->evicted_flows.file.failed,
				      g_strerror(a->evicted_flows.file.err),
				      (unsigned long long)a->peak_flows,
				      a->cfg.max_flows);
	}
	return a->warnings;
}

static gint
by_id(gconstpointer x, gconstpointer y)
{
	const struct flow *f = *(const struct flow *const *)x;
	const struct flow *g = *(const struct flow *const *)y;

	return (f->id > g->id) - (f->id < g->id);
}

GPtrArray *
analysis_flows(const struct analysis *a)
{
	GPtrArray *all = g_ptr_array_sized_new((guint)a->nflows);
	struct flow *f;

	for (f = a->lru_old; f; f = f->lru_next)
		g_ptr_array_add(all, f);
	g_ptr_array_sort(all, by_id);
	return all;
}

struct epoch_spill *
analysis_epoch_spill(struct analysis *a)
{
	return &a->epoch_spill;
}

struct evicted_flows *
analysis_evicted(struct analysis *a)
{
	return &a->evicted_flows;
}

struct input_info *
analysis_input_add(struct analysis *a, const char *file)
{
	struct input_info *in = g_new0(struct input_info, 1);

	in->file = g_strdup(file);
	g_ptr_array_add(a->inputs, in);
	return in;
}

void
analysis_frame_skip(struct analysis *a)
{
	a->frame++;
}

uint64_t
analysis_last_frame(const struct analysis *a)
{
	return a->frame;
}

void
analysis_warn(struct analysis *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_ptr_array_add(a->warnings, g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

bool
analysis_add_keylog(struct analysis *a, const char *path)
{
	size_t before = pdmv2_keylog_ndiag(a->keylog), i;
	bool ok = pdmv2_keylog_load_file(a->keylog, path) == PDMV2_OK;

	g_ptr_array_add(a->keylog_files, g_strdup(path));
	for (i = before; i < pdmv2_keylog_ndiag(a->keylog); i++) {
		const struct pdmv2_keylog_diag *d = pdmv2_keylog_diag(a->keylog, i);

		if (d->line)
			analysis_warn(a, "%s:%u: %s%s", d->file, d->line,
				      d->is_error ? "" : "warning: ", d->message);
		else
			analysis_warn(a, "%s: %s", d->file, d->message);
	}
	return ok;
}

static void
anomaly(struct analysis *a, enum anomaly kind, uint64_t frame)
{
	struct anomaly_list *l = &a->anomalies[kind];

	l->count++;
	if (l->nframes < ANOMALY_FRAMES_MAX)
		l->frames[l->nframes++] = frame;
}

static struct flow *
flow_find(struct analysis *a, const struct flow_key *k, bool src_is_a,
	  int64_t ts, bool create, int *dir)
{
	struct flow *f = g_hash_table_lookup(a->flows, k);

	if (!f) {
		if (!create)
			return NULL;
		/* numbered when its frame is finished (analysis_frame_end) */
		f = flow_new(k, src_is_a, ts);
		/* key == value: GLib then keeps one array, not two */
		g_hash_table_add(a->flows, f);
	}
	*dir = flow_dir_of(f, src_is_a);
	return f;
}

/* --dump-frames: one JSON line per PDM option, for cross-checks. */
static void
dump_frame(struct analysis *a, uint64_t frame, const struct flow *f, int dir,
	   const struct pdmv2_option *o, const char *status, bool readable,
	   bool psn_only,
	   const struct pdmv2_kri_result *kr, const struct pdmv2_samples *s)
{
	FILE *out = a->cfg.dump_out;
	char num[DOUBLE_TEXT_BUF];

	fprintf(out, "{\"frame\":%llu,\"flow\":%llu,\"dir\":\"%s\",\"variant\":%d,"
		"\"status\":\"%s\"", (unsigned long long)frame,
		(unsigned long long)f->id, dir == DIR_C2S ? "c2s" : "s2c",
		o->variant, status);
	if (o->variant != PDMV2_VARIANT_PDM)
		fprintf(out, ",\"layout\":\"%s\",\"version\":%u,\"reserved\":%u,"
			"\"random\":%u,\"flag\":%u", pdmv2_layout_name(o->layout),
			o->version, o->reserved, o->random, o->flag);
	if (o->layout == PDMV2_LAYOUT_EPOCH)	/* clear, readable or not (2.5) */
		fprintf(out, ",\"epoch\":%u", o->epoch);
	/* the clear PSNTP (2.5), also of an option whose tag failed */
	if (psn_only || (o->layout == PDMV2_LAYOUT_EPOCH &&
			 strcmp(status, "auth_failed") == 0))
		fprintf(out, ",\"psntp\":%u", o->m.psntp);
	if (kr && readable)
		fprintf(out, ",\"kri\":%u", kr->kri);
	if (readable) {
		fprintf(out, ",\"scale_dtlr\":%u,\"scale_dtls\":%u,\"psntp\":%u,"
			"\"psnlr\":%u,\"delta_tlr\":%u,\"delta_tls\":%u",
			o->m.scale_dtlr, o->m.scale_dtls, o->m.psntp, o->m.psnlr,
			o->m.delta_tlr, o->m.delta_tls);
		if (o->variant != PDMV2_VARIANT_PDM)
			fprintf(out, ",\"global_pointer\":%u", o->m.global_pointer);
	}
	/* as the report's doubles are printed (double_text.h) */
	if (s && s->has_rtt) {
		(void)double_text(s->rtt_us, num);
		fprintf(out, ",\"rtt_us\":%s", num);
	}
	if (s && s->has_server_delay) {
		(void)double_text(s->server_delay_us, num);
		fprintf(out, ",\"server_delay_us\":%s", num);
	}
	fputs("}\n", out);
}

_Static_assert(PDMV2_SAMPLES_RING <= 256, "flow.ring_hint is 8 bits");

/* Sketch counts wait for the end of the batch, so the loads of its
 * samples' table entries (pdmv2_dist_note), then of their buckets
 * (_warm), overlap; the exact moments are at once. */
static void
count_pending(struct analysis *a)
{
	unsigned i;

	for (i = 0; i < a->npending; i++)
		pdmv2_dist_warm(&a->pending[i]);
	for (i = 0; i < a->npending; i++)
		pdmv2_dist_count(&a->pending[i]);
	a->npending = 0;
}

static void
dist_add(struct analysis *a, struct pdmv2_dist *d, double us)
{
	if (a->npending == PENDING_MAX)
		count_pending(a);
	pdmv2_dist_note(d, us, &a->pending[a->npending]);
	if (a->pending[a->npending].d)
		a->npending++;
}

static void
take_samples(struct analysis *a, struct flow *f, int dir,
	     const struct pdmv2_metrics *m, uint64_t frame,
	     struct pdmv2_samples *s)
{
	pdmv2_samples_take(&f->samples, dir == DIR_C2S ? PDMV2_ROLE_CLIENT :
			   PDMV2_ROLE_SERVER, m, s);
	if (s->implausible)
		anomaly(a, AN_IMPLAUSIBLE, frame);
	if (s->has_rtt)
		dist_add(a, &f->dist[MET_RTT], s->rtt_us);
	if (s->has_client_delay)
		dist_add(a, &f->dist[MET_CLIENT_DELAY], s->client_delay_us);
	if (s->has_network_rtt)
		dist_add(a, &f->dist[MET_NETWORK_RTT], s->network_rtt_us);
	if (s->has_server_delay)
		dist_add(a, &f->dist[MET_SERVER_DELAY], s->server_delay_us);
	if (s->has_server_rtt)
		dist_add(a, &f->dist[MET_SERVER_RTT], s->server_rtt_us);
}

/*
 * An Epoch-layout option (PROFILE.md 2.5, 5.5) through the direction's
 * Epoch tracker: the Epoch is clear, so no search.  Returns whether the
 * metrics in o->m are readable; *psn_only says the clear PSNTP is
 * (a protected option without a key: loss is still measured).
 */
static bool
epoch_option(struct analysis *a, struct flow_dir *fd, struct pdmv2_option *o,
	     const struct pdmv2_preopened *pre, uint64_t frame, int64_t ts,
	     const char **status, bool *psn_only)
{
	struct pdmv2_epoch_result r;
	struct pdmv2_metrics m;

	if (!fd->etr) {
		(void)pdmv2_epoch_tracker_new(a->keylog, fd->ft, &fd->etr);
		fd->eps_out = epoch_chain_new(&a->epoch_spill);
		pdmv2_epoch_set_retire(fd->etr, epoch_chain_add_epoch,
				       fd->eps_out);
	}
	pdmv2_epoch_track_preopened(fd->etr, o, frame, ts, pre, &m, &r);
	if (r.nonce_reuse)
		anomaly(a, AN_NONCE_REUSE, frame);
	if (r.jump)
		anomaly(a, AN_EPOCH_JUMP, frame);
	if (r.late)
		anomaly(a, AN_LATE, frame);
	switch (r.status) {
	case PDMV2_OK:
		o->m = m;
		if (o->variant == PDMV2_VARIANT_ENCRYPTED) {
			*status = "decrypted";
			a->pdm.decrypted++;
			fd->decrypted++;
		}
		return true;
	case PDMV2_ERR_NO_KEY:
		o->m.psntp = m.psntp;
		*psn_only = true;
		*status = "no_key";
		a->pdm.no_key++;
		fd->no_key++;
		anomaly(a, AN_NO_KEY, frame);
		return false;
	case PDMV2_ERR_AUTH:
		*status = "auth_failed";
		a->pdm.auth_failed++;
		fd->auth_failed++;
		anomaly(a, AN_AUTH_FAILED, frame);
		return false;
	default:		/* a Version other than 2: not interpreted (2.4) */
		*status = "uninterpreted";
		return false;
	}
}

/* The PSN width of an option's encoding, from lib's layout table. */
static unsigned
psn_bits(const struct pdmv2_option *o)
{
	size_t i;

	for (i = 0; o->desc && i < o->desc->nfields; i++)
		if (o->desc->fields[i].id == PDMV2_FIELD_PSNTP)
			return 8u * o->desc->fields[i].width;
	return 16;
}

/* Opens and accounts one PDM option of a flow's packet, parsed (rc, o)
 * when the frame began. */
static void
pdm_option(struct analysis *a, struct flow *f, int dir, enum pdmv2_err rc,
	   struct pdmv2_option *op, const struct pdmv2_preopened *pre,
	   uint64_t frame, int64_t ts)
{
	struct flow_dir *fd = &f->dir[dir];
	struct pdmv2_option o = *op;
	struct pdmv2_kri_result kr, *krp = NULL;
	struct pdmv2_samples s = {0};
	const char *status = "plain";
	bool readable = true, psn_only = false;

	a->pdm.packets++;
	fd->pdm_packets++;
	if (rc == PDMV2_ERR_MALFORMED) {
		a->pdm.malformed++;
		anomaly(a, AN_MALFORMED, frame);
		return;
	}
	if (rc != PDMV2_OK) {
		a->pdm.truncated++;
		anomaly(a, AN_TRUNCATED, frame);
		return;
	}
	if (o.warnings & PDMV2_OPT_WARN_RESERVED)
		anomaly(a, AN_RESERVED, frame);
	if (o.warnings & PDMV2_OPT_WARN_VERSION)
		anomaly(a, AN_VERSION, frame);

	if (o.variant == PDMV2_VARIANT_PLAIN || o.variant == PDMV2_VARIANT_ENCRYPTED) {
		if (fd->layout == PDMV2_LAYOUT_NONE) {
			fd->layout = o.layout;
			if (!fd->psn.any)
				pdmv2_psn_init_width(&fd->psn, psn_bits(&o));
		}
		if (o.layout == PDMV2_LAYOUT_EPOCH)
			a->pdm.epoch_layout++;
	}
	if (o.layout == PDMV2_LAYOUT_EPOCH) {
		/* lib's Epoch tracker, not the Kri decryptor */
		f->has_v2 = true;
		if (o.variant == PDMV2_VARIANT_ENCRYPTED) {
			a->pdm.encrypted++;
			f->encrypted = true;
		} else {
			a->pdm.plain++;
		}
		readable = epoch_option(a, fd, &o, pre, frame, ts, &status,
				       &psn_only);
	} else switch (o.variant) {
	case PDMV2_VARIANT_PDM:
		a->pdm.v1++;
		f->has_pdm = true;
		break;
	case PDMV2_VARIANT_PLAIN:
		a->pdm.plain++;
		f->has_v2 = true;
		break;
	case PDMV2_VARIANT_ENCRYPTED:
		a->pdm.encrypted++;
		f->has_v2 = true;
		f->encrypted = true;
		if (!fd->dec) {
			if (pdmv2_decryptor_new(a->keylog, fd->ft, a->cfg.kri_window,
						&fd->dec) != PDMV2_OK)
				return;
			fd->keyless = !pdmv2_decryptor_has_keys(fd->dec);
			fd->epochs_out = epoch_chain_new(&a->epoch_spill);
			pdmv2_decryptor_set_retire(fd->dec, epoch_chain_add,
						   fd->epochs_out);
		}
		if (fd->keyless)	/* what the tracker would say, for less */
			kr = (struct pdmv2_kri_result){.status = PDMV2_ERR_NO_KEY};
		else
			pdmv2_decryptor_open_preopened(fd->dec, &o, frame, ts,
						       pre, &o.m, &kr);
		krp = &kr;
		if (kr.status == PDMV2_OK) {
			status = "decrypted";
			a->pdm.decrypted++;
			fd->decrypted++;
			if (kr.late)
				anomaly(a, AN_LATE, frame);
			if (kr.nonce_reuse)
				anomaly(a, AN_NONCE_REUSE, frame);
			if (kr.duplicate)
				anomaly(a, AN_DUPLICATE_PRSEQ, frame);
		} else if (kr.status == PDMV2_ERR_NO_KEY) {
			status = "no_key";
			readable = false;
			a->pdm.no_key++;
			fd->no_key++;
			anomaly(a, AN_NO_KEY, frame);
		} else {
			status = "auth_failed";
			readable = false;
			a->pdm.auth_failed++;
			fd->auth_failed++;
			anomaly(a, AN_AUTH_FAILED, frame);
		}
		break;
	case PDMV2_VARIANT_NONE:
		return;
	}

	if (psn_only)
		(void)pdmv2_psn_add(&fd->psn, o.m.psntp, NULL);
	if (readable) {
		(void)pdmv2_psn_add(&fd->psn, o.m.psntp, NULL);
		if (o.variant != PDMV2_VARIANT_PDM) {
			if (!fd->gsender) {
				/* first Global Pointer of this side: the flow
				 * counts once per sender address, even when both
				 * sides share one */
				fd->gsender = pdmv2_gptr_sender_get(a->gptr,
					dir == DIR_C2S ? f->client : f->server);
				if (f->dir[!dir].gsender != fd->gsender)
					pdmv2_gptr_sender_add_flow(fd->gsender);
			}
			pdmv2_gptr_sender_add(fd->gsender, o.m.global_pointer, ts);
		}
		take_samples(a, f, dir, &o.m, frame, &s);
		if (dir == DIR_S2C)	/* where the next exchange's slot is */
			f->ring_hint = (uint8_t)((o.m.psntp + 1u) % PDMV2_SAMPLES_RING);
	}
	if (a->cfg.dump_frames)
		dump_frame(a, frame, f, dir, &o, status, readable, psn_only, krp,
			   readable ? &s : NULL);
}

/* The recency list: a flow moves to its new end at each frame, so the
 * old end is the flow seen least recently. */
static void
lru_unlink(struct analysis *a, struct flow *f)
{
	if (f->lru_prev)
		f->lru_prev->lru_next = f->lru_next;
	else
		a->lru_old = f->lru_next;
	if (f->lru_next)
		f->lru_next->lru_prev = f->lru_prev;
	else
		a->lru_new = f->lru_prev;
	f->lru_prev = f->lru_next = NULL;
}

static void
lru_append(struct analysis *a, struct flow *f)
{
	f->lru_prev = a->lru_new;
	f->lru_next = NULL;
	if (a->lru_new)
		a->lru_new->lru_next = f;
	else
		a->lru_old = f;
	a->lru_new = f;
}

/* Written out: free it, so memory follows the flows in the table.  The
 * 5-tuple may come back: a new flow then. */
static void
forget(struct analysis *a, struct flow *f)
{
	g_hash_table_remove(a->flows, &f->key);
	lru_unlink(a, f);
	a->nflows--;
	f->streamed = true;
	/* Freed by analysis_release: frames begun after this one may still
	 * point at it, and must see it streamed rather than freed. */
	g_ptr_array_add(a->graveyard, f);
}

static void
stream_if_finished(struct analysis *a, struct flow *f)
{
	if (!a->cfg.jsonl || f->streamed || !flow_finished(f))
		return;
	count_pending(a);	/* its quantiles must be whole */
	report_stream_flow(a, f);
	forget(a, f);
}

/* Past --max-flows: the least recently seen flows go out as they are,
 * as a --jsonl line or into the temporary file the report copies.  A
 * flow that cannot be stored stays, and so do all later ones: the
 * table outgrows its bound rather than lose a flow. */
static void
make_room(struct analysis *a)
{
	while (a->cfg.max_flows && a->nflows > a->cfg.max_flows &&
	       !a->evict_stuck) {
		struct flow *f = a->lru_old;

		count_pending(a);	/* its quantiles must be whole */
		if (a->cfg.jsonl) {
			report_stream_flow(a, f);
		} else if (!report_spill_flow(a, f, &a->evicted_flows)) {
			a->evict_stuck = true;
			break;
		}
		a->evicted++;
		forget(a, f);
	}
}

void
analysis_release(struct analysis *a)
{
	count_pending(a);
	g_ptr_array_set_size(a->graveyard, 0);
}

void
analysis_frame_begin(struct analysis *a, int dlt, int64_t ts,
		     const uint8_t *data, size_t caplen, struct frame_work *fw)
{
	struct pdmv2_walk w;
	long off;

	fw->frame = ++a->frame;
	fw->ts = ts;
	fw->f = NULL;
	fw->pre.src = NULL;
	off = linktype_ipv6_offset(dlt, data, caplen, &fw->supported);
	fw->ipv6 = fw->supported && off >= 0 &&
		   pdmv2_walk_ipv6(data + off, caplen - (size_t)off,
				   a->cfg.option_type, &w) == PDMV2_OK;
	if (!fw->ipv6)
		return;
	fw->proto = w.proto;
	fw->tcp_flags = w.tcp_flags;
	fw->walk_flags = w.flags;
	fw->n_opts = w.n_opts;
	fw->n_opts_seen = w.n_opts_seen;
	if (w.n_opts > 0)
		fw->opt_rc = w.opts[0].overrun ? PDMV2_ERR_MALFORMED :
			pdmv2_option_parse(data + off + w.opts[0].opt_off,
					   w.opts[0].opt_avail, &fw->opt);
	fw->src_is_a = flow_key_make(&fw->key, &w);
	fw->syn = pdmv2_client_syn(&w);
}

void
analysis_frame_find(struct analysis *a, struct frame_work *fw)
{
	if (!fw->ipv6)
		return;
	/* Only flows that carry PDM are made; other IPv6 traffic of a known
	 * flow still counts in its packet totals. */
	fw->f = flow_find(a, &fw->key, fw->src_is_a, fw->ts, fw->n_opts > 0,
			  &fw->dir);
}

void
analysis_frame_warm(struct analysis *a, const struct frame_work *fw, int level)
{
	const struct flow_dir *fd;
	unsigned what;

	(void)a;
	if (!fw->f || fw->n_opts == 0 || fw->opt_rc != PDMV2_OK ||
	    fw->opt.variant != PDMV2_VARIANT_ENCRYPTED)
		return;
	fd = &fw->f->dir[fw->dir];
	if (fw->opt.layout == PDMV2_LAYOUT_EPOCH) {
		if (fd->etr && level <= 2)
			pdmv2_epoch_prefetch(fd->etr, &fw->opt, !fw->pre.src,
					     level - 1);
		return;
	}
	if (!fd->dec || fd->keyless)
		return;
	/* an answer opened ahead needs no cipher of this thread's */
	what = PDMV2_PREFETCH_RECORD | (fw->pre.src ? 0 : PDMV2_PREFETCH_CIPHER);
	pdmv2_decryptor_prefetch(fd->dec, &fw->opt, what, level - 1);
}

void
analysis_frame_end(struct analysis *a, struct input_info *in,
		   struct frame_work *fw)
{
	struct flow *f = fw->f;
	int64_t ts = fw->ts;
	int dir = fw->dir;

	a->packets++;
	in->packets++;
	if (a->packets == 1 || ts < a->first_ts)
		a->first_ts = ts;
	if (a->packets == 1 || ts > a->last_ts)
		a->last_ts = ts;
	if (a->packets > 1 && ts < a->prev_ts)
		a->ts_backwards++;
	a->prev_ts = ts;
	if (!fw->supported) {
		a->skipped_linktype++;
		return;
	}
	if (!fw->ipv6) {
		a->not_ipv6++;
		return;
	}
	a->ipv6_packets++;
	if ((fw->walk_flags & PDMV2_WALK_TRUNCATED) && fw->n_opts == 0 &&
	    fw->proto == PDMV2_IPPROTO_DSTOPTS) {
		/* the capture cut a Destination Options header (2.4) */
		a->pdm.truncated++;
		anomaly(a, AN_TRUNCATED, fw->frame);
	}
	if (f && f->streamed)	/* finished by an earlier frame of the batch */
		f = flow_find(a, &fw->key, fw->src_is_a, ts, fw->n_opts > 0,
			      &dir);
	if (!f)
		return;
	if (!f->id) {
		/* Its first frame: numbered in frame order, whatever the
		 * batches, and counted in the table only now, so that which
		 * flow is evicted does not depend on the frames after this
		 * one that a batch has looked up already. */
		f->id = ++a->next_flow_id;
		lru_append(a, f);
		if (++a->nflows > a->peak_flows)
			a->peak_flows = a->nflows;
		make_room(a);
	} else if (a->lru_new != f) {
		lru_unlink(a, f);
		lru_append(a, f);
	}
	/* INTERFACES.md "Client and server": the first packet names the
	 * client (flow_new), a first SYN without ACK after the other side's
	 * packets names it again; an earlier frame of the batch may have
	 * done so, so the direction is taken now */
	if (pdmv2_client_rule_see(&f->rule, fw->syn) &&
	    flow_dir_of(f, fw->src_is_a) != DIR_C2S) {
		count_pending(a);	/* they point at the distributions */
		flow_swap_roles(f);
	}
	dir = flow_dir_of(f, fw->src_is_a);
	f->dir[dir].packets++;
	/* the earliest and the latest stamp, whatever order they came in */
	if (ts < f->first_ts)
		f->first_ts = ts;
	if (ts > f->last_ts)
		f->last_ts = ts;
	if (fw->proto == PDMV2_IPPROTO_TCP &&
	    !(fw->walk_flags & PDMV2_WALK_NO_PORTS)) {
		if (fw->tcp_flags & 0x01)
			f->dir[dir].fin = true;
		if (fw->tcp_flags & 0x04)
			f->rst = true;
	}
	if (fw->n_opts_seen > 1)
		anomaly(a, AN_MULTIPLE_OPTIONS, fw->frame);
	/* The first option is the measurement; more are only counted. */
	if (fw->n_opts > 0)
		pdm_option(a, f, dir, fw->opt_rc, &fw->opt, &fw->pre, fw->frame,
			   ts);
	stream_if_finished(a, f);
}

void
analysis_frames_finish(struct analysis *a, struct input_info *in,
		       struct frame_work *b, unsigned n)
{
	unsigned i;
	int level;

	for (i = 0; i < n; i++)
		analysis_frame_find(a, &b[i]);
	for (level = 1; level <= 3; level++)
		for (i = 0; i < n; i++)
			analysis_frame_warm(a, &b[i], level);
	for (i = 0; i < n; i++)
		analysis_frame_end(a, in, &b[i]);
	analysis_release(a);
}

void
analysis_frame(struct analysis *a, struct input_info *in, int dlt, int64_t ts,
	       const uint8_t *data, size_t caplen, size_t wirelen)
{
	struct frame_work fw;

	(void)wirelen;
	analysis_frame_begin(a, dlt, ts, data, caplen, &fw);
	analysis_frame_find(a, &fw);
	analysis_frame_end(a, in, &fw);
	analysis_release(a);
}
