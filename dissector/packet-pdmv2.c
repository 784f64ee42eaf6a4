/*
 * packet-pdmv2.c - PDM (RFC 8250) and PDMv2 options in IPv6 Destination
 * Options headers, with PDMv2 decryption from a key log.
 *
 * A postdissector: it replaces no Wireshark dissector.  Wireshark's own
 * IPv6 dissector keeps decoding every Destination Options header (its
 * tree, ipv6.opt* fields, taps, conversations, next-header dissection
 * and fragment reassembly stay exactly as without this plugin).  After
 * every frame this plugin asks for the fields it registered as wanted
 * (set_postdissector_wanted_hfids): Wireshark's "ipv6" and
 * "ipv6.dstopts" protocol items.  Each item's field_info gives the data
 * source tvb and offset of the IPv6 header and of each Destination
 * Options header (a reassembled one included); the header's bytes go to
 * lib's TLV walk and option codec, the 5-tuple to lib's chain walker,
 * exactly as pdmv2-analyze reads them.  What it finds is added as a
 * "pdmv2" protocol tree of its own, one per option, plus Info/Protocol
 * column text and the "pdmv2" tap.  The fields of every encoding (RFC
 * 8250, Kri and Epoch layouts, PROFILE.md 2) are shown by walking lib's
 * layout table, so a layout is described once, in lib/layout.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_BUILD_DLL
#include <string.h>

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto.h>
#include <epan/proto_data.h>
#include <epan/tap.h>

#include "packet-pdmv2.h"
#include "pdmv2-state.h"
#include "pdmv2-tap.h"
#include "pdmv2/client.h"
#include "pdmv2/layout.h"
#include "pdmv2/option.h"
#include "pdmv2/reader.h"
#include "pdmv2/timefmt.h"
#include "pdmv2/walk.h"

#define MAX_OPTS_PER_HEADER 4
#define IPV6_HDR 40
#define CHAIN_MAX 256		/* header chain bytes copied for the walk */

static int proto_pdmv2 = -1;
static int proto_ipv6 = -1;
static int proto_ipv6_dstopts = -1;
static int pdmv2_tap = -1;

static int hf_variant = -1, hf_layout = -1, hf_type = -1, hf_length = -1;
static int hf_version = -1, hf_reserved = -1, hf_random = -1, hf_flag = -1;
static int hf_epoch = -1, hf_reserved_metric = -1;
static int hf_scale_dtlr = -1, hf_scale_dtls = -1, hf_gp = -1;
static int hf_psntp = -1, hf_psnlr = -1, hf_delta_tlr = -1, hf_delta_tls = -1;
static int hf_delta_tlr_us = -1, hf_delta_tls_us = -1;
static int hf_encrypted = -1, hf_tag = -1, hf_decrypted = -1, hf_kri = -1;
static int hf_rtt_us = -1, hf_server_delay_us = -1, hf_late = -1;
static int hf_rtt = -1, hf_server_delay = -1, hf_pair_frame = -1;
static int hf_flow = -1, hf_client = -1;

static gint ett_pdmv2 = -1;

static expert_field ei_auth_failed = EI_INIT;
static expert_field ei_no_key = EI_INIT;
static expert_field ei_bad_length = EI_INIT;
static expert_field ei_reserved = EI_INIT;
static expert_field ei_version = EI_INIT;
static expert_field ei_nonce_reuse = EI_INIT;
static expert_field ei_late = EI_INIT;
static expert_field ei_truncated = EI_INIT;
static expert_field ei_psn_loss = EI_INIT;
static expert_field ei_psn_dup = EI_INIT;
static expert_field ei_psn_reordered = EI_INIT;
static expert_field ei_gp_reset = EI_INIT;
static expert_field ei_epoch_jump = EI_INIT;
static expert_field ei_epoch_change = EI_INIT;
static expert_field ei_epoch_dup = EI_INIT;

static const char *pref_keylog_file = "";
static guint pref_option_type = PDMV2_OPTION_TYPE_DEFAULT;
static guint pref_v2_option_type = PDMV2_OPTION_TYPE_DEFAULT;
static guint pref_kri_window = PDMV2_KRI_WINDOW_DEFAULT;

static dissector_handle_t pdmv2_handle;

static const value_string variant_vals[] = {
	{PDMV2_VARIANT_PDM, "RFC 8250 PDM"},
	{PDMV2_VARIANT_PLAIN, "PDMv2 unencrypted"},
	{PDMV2_VARIANT_ENCRYPTED, "PDMv2 encrypted"},
	{0, NULL},
};

static const value_string layout_vals[] = {
	{PDMV2_LAYOUT_KRI, "Kri layout"},
	{PDMV2_LAYOUT_EPOCH, "Epoch layout"},
	{0, NULL},
};

/* The field of each entry of lib's layout table (pdmv2/layout.h); the
 * registrations below give each the mask and width the table has. */
static int *
field_hf(enum pdmv2_field id)
{
	switch (id) {
	case PDMV2_FIELD_VERSION: return &hf_version;
	case PDMV2_FIELD_RESERVED_HDR: return &hf_reserved;
	case PDMV2_FIELD_RANDOM: return &hf_random;
	case PDMV2_FIELD_FLAG: return &hf_flag;
	case PDMV2_FIELD_EPOCH: return &hf_epoch;
	case PDMV2_FIELD_SCALE_DTLR: return &hf_scale_dtlr;
	case PDMV2_FIELD_SCALE_DTLS: return &hf_scale_dtls;
	case PDMV2_FIELD_GLOBAL_POINTER: return &hf_gp;
	case PDMV2_FIELD_PSNTP: return &hf_psntp;
	case PDMV2_FIELD_PSNLR: return &hf_psnlr;
	case PDMV2_FIELD_RESERVED: return &hf_reserved_metric;
	case PDMV2_FIELD_DELTA_TLR: return &hf_delta_tlr;
	case PDMV2_FIELD_DELTA_TLS: return &hf_delta_tls;
	}
	return NULL;
}

/*
 * Where the first pass found each option.  tshark's second pass (-2) and
 * Wireshark's refiltering build trees without the wanted fields, so
 * later passes replay these instead of looking for fields again.
 */
#define MAX_OPTS_PER_FRAME 8
#define LOCS_KEY 0xFFFFu
struct opt_loc {
	bool in_frame;			/* off is into the frame's tvb */
	int off, avail;
	guint8 raw[PDMV2_OPTION_MAX];	/* else: the option's bytes */
	struct pdmv2_walk w;
	bool have_walk, tcp_syn;
};
struct frame_locs {
	unsigned n;
	struct opt_loc loc[MAX_OPTS_PER_FRAME];
};

struct found_opts {
	size_t off[MAX_OPTS_PER_HEADER];
	unsigned n;
};

static void
note_opt(void *ctx, size_t off, size_t avail)
{
	struct found_opts *f = ctx;

	(void)avail;
	if (f->n < MAX_OPTS_PER_HEADER)
		f->off[f->n++] = off;
}

/*
 * lib's TLV walk stops at an option that runs past the header without
 * naming it.  When that option is of a configured type, the plugin still
 * shows it, as cut short (PROFILE.md 2.4): its offset, or -1.
 */
static int
cut_option(const guint8 *area, size_t len)
{
	struct pdmv2_reader r;

	pdmv2_reader_init(&r, area, len);
	while (pdmv2_reader_left(&r) > 0) {
		size_t off = r.off;
		guint8 type, olen;

		(void)pdmv2_reader_u8(&r, &type);
		if (type == 0)
			continue;	/* Pad1 */
		if (!pdmv2_reader_u8(&r, &olen) || !pdmv2_reader_skip(&r, olen))
			return type == pref_option_type || type == pref_v2_option_type ?
			       (int)off : -1;
	}
	return -1;
}

static void
add_sorted(struct found_opts *f, size_t off)
{
	unsigned j;

	if (f->n >= MAX_OPTS_PER_HEADER)
		return;
	for (j = f->n; j > 0 && f->off[j - 1] > off; j--)
		f->off[j] = f->off[j - 1];
	f->off[j] = off;
	f->n++;
}

/* Options of either configured type, in header order (lib's TLV walk). */
static void
find_options(const guint8 *area, size_t len, struct found_opts *f)
{
	struct found_opts b = {{0}, 0};
	unsigned i;
	int cut;

	if (pdmv2_walk_options(area, len, (guint8)pref_option_type, note_opt, f) ==
	    PDMV2_ERR_TRUNCATED && (cut = cut_option(area, len)) >= 0)
		add_sorted(f, (size_t)cut);
	if (pref_v2_option_type == pref_option_type)
		return;
	(void)pdmv2_walk_options(area, len, (guint8)pref_v2_option_type, note_opt, &b);
	for (i = 0; i < b.n; i++)
		add_sorted(f, b.off[i]);
}

/* The IPv6 header a Destination Options header at (ds, start) belongs
 * to: the last one before it in the same data source, or, for a header
 * inside a reassembled payload, the last one of the frame. */
static field_info *
owning_ipv6(GPtrArray *ip6, tvbuff_t *ds, int start)
{
	field_info *best = NULL, *last = NULL;
	guint i;

	for (i = 0; ip6 && i < ip6->len; i++) {
		field_info *fi = (field_info *)g_ptr_array_index(ip6, i);

		last = fi;
		if (fi->ds_tvb == ds && fi->start < start)
			best = fi;
	}
	return best ? best : last;
}

/*
 * The sender's 5-tuple (PROFILE.md 4): the IPv6 header's addresses and
 * lib's walk of the chain from this Destination Options header on, the
 * header copied in front with Next Header 60, so the upper layer and
 * ports come out exactly as the analyzer finds them.
 */
static bool
five_tuple(field_info *ip, tvbuff_t *ds, int hdr_start, struct pdmv2_walk *w,
	   bool *tcp_syn)
{
	guint8 buf[IPV6_HDR + CHAIN_MAX];
	guint rest;

	if (!ip || !tvb_bytes_exist(ip->ds_tvb, ip->start, IPV6_HDR))
		return false;
	tvb_memcpy(ip->ds_tvb, buf, ip->start, IPV6_HDR);
	if ((buf[0] >> 4) != 6)
		return false;
	buf[6] = PDMV2_IPPROTO_DSTOPTS;
	rest = tvb_captured_length_remaining(ds, hdr_start);
	if (rest > CHAIN_MAX)
		rest = CHAIN_MAX;
	tvb_memcpy(ds, buf + IPV6_HDR, hdr_start, rest);
	buf[4] = (guint8)(rest >> 8);
	buf[5] = (guint8)rest;
	if (pdmv2_walk_ipv6(buf, IPV6_HDR + rest, (guint8)pref_option_type, w) != PDMV2_OK)
		return false;
	*tcp_syn = pdmv2_client_syn(w);
	return true;
}

static void
add_us(proto_tree *t, int hf, tvbuff_t *tvb, int off, int len, guint16 delta,
       guint8 scale)
{
	proto_item_set_generated(proto_tree_add_double(t, hf, tvb, off, len,
						       pdmv2_delta_us(delta, scale)));
}

/* A delay in microseconds as a relative time, like tcp.analysis.ack_rtt. */
static void
add_reltime(proto_tree *t, int hf, tvbuff_t *tvb, int off, double us)
{
	nstime_t ns;
	double s = us / 1e6;

	ns.secs = (time_t)s;
	ns.nsecs = (int)((s - (double)ns.secs) * 1e9 + 0.5);
	if (ns.nsecs >= 1000000000) {
		ns.secs++;
		ns.nsecs -= 1000000000;
	}
	proto_item_set_generated(proto_tree_add_time(t, hf, tvb, off, 2, &ns));
}

/*
 * The fields of opt's encoding, in wire order, from lib's layout table:
 * clear ones from the option's bytes (tvb at off), sealed ones only when
 * a verified open gave them (dtvb: the plaintext, which the table places
 * at sealed_off; NULL otherwise; PROFILE.md 5.3, 5.5).  An Epoch-layout
 * option of another Version stops after the Epoch (2.4).
 */
static void
add_fields(proto_tree *t, tvbuff_t *tvb, int off, tvbuff_t *dtvb,
	   const struct pdmv2_option *opt, const struct pdmv2_metrics *m)
{
	const struct pdmv2_layout_desc *d = opt->desc;
	size_t i;

	for (i = 0; i < d->nfields; i++) {
		const struct pdmv2_field_desc *f = &d->fields[i];
		tvbuff_t *ft = f->sealed ? dtvb : tvb;
		int fo = f->sealed ? f->offset - d->sealed_off : off + f->offset;
		int *hf = field_hf(f->id);

		if (ft && hf)
			proto_tree_add_item(t, *hf, ft, fo, f->width,
					    f->width == 1 ? ENC_NA : ENC_BIG_ENDIAN);
		if (ft && f->id == PDMV2_FIELD_DELTA_TLR)
			add_us(t, hf_delta_tlr_us, ft, fo, f->width, m->delta_tlr,
			       m->scale_dtlr);
		if (ft && f->id == PDMV2_FIELD_DELTA_TLS)
			add_us(t, hf_delta_tls_us, ft, fo, f->width, m->delta_tls,
			       m->scale_dtls);
		if (f->id == d->stop_after && (opt->warnings & PDMV2_OPT_UNINTERPRETED))
			return;
	}
}

/* First pass: lib's state; later passes: what the first one stored. */
static struct pdmv2_frame_result *
frame_result(packet_info *pinfo, guint key, const struct pdmv2_walk *w,
	     bool have_walk, bool tcp_syn, enum pdmv2_err rc,
	     const struct pdmv2_option *opt)
{
	struct pdmv2_frame_result *res;
	bool saturated = false;

	res = (struct pdmv2_frame_result *)p_get_proto_data(wmem_file_scope(), pinfo,
							     proto_pdmv2, key);
	if (res || !have_walk || PINFO_FD_VISITED(pinfo))
		return res;
	res = wmem_new0(wmem_file_scope(), struct pdmv2_frame_result);
	/* saturated, not wrapped: a pcapng stamp may lie past 2262 */
	pdmv2_state_process(w, tcp_syn, rc, opt, pinfo->num,
			    pdmv2_time_ns((int64_t)pinfo->abs_ts.secs,
					  pinfo->abs_ts.nsecs, &saturated),
			    res);
	p_add_proto_data(wmem_file_scope(), pinfo, proto_pdmv2, key, res);
	return res;
}

/* "[PDM PSN=..]", "[PDMv2 Kri enc kri=1 PSN=..]", "[PDMv2 Epoch enc
 * E=3 no key PSN=..]": the encoding, the layout, the key state, the PSN
 * where it is known, the samples. */
static void
info_text(packet_info *pinfo, const struct pdmv2_option *opt,
	  const struct pdmv2_frame_result *res)
{
	wmem_strbuf_t *s = wmem_strbuf_new(pinfo->pool, "");
	bool epoch = opt->layout == PDMV2_LAYOUT_EPOCH;

	if (opt->layout == PDMV2_LAYOUT_NONE)
		wmem_strbuf_append(s, "[PDM");
	else
		wmem_strbuf_append_printf(s, "[PDMv2 %s%s", epoch ? "Epoch" : "Kri",
					  opt->variant == PDMV2_VARIANT_ENCRYPTED ?
					  " enc" : "");
	if (epoch)
		wmem_strbuf_append_printf(s, " E=%u", opt->epoch);
	if (opt->warnings & PDMV2_OPT_UNINTERPRETED) {
		wmem_strbuf_append_printf(s, " version %u]", opt->version);
		col_append_sep_str(pinfo->cinfo, COL_INFO, " ", wmem_strbuf_get_str(s));
		return;
	}
	if (opt->variant == PDMV2_VARIANT_ENCRYPTED) {
		if (res && res->readable && !epoch)
			wmem_strbuf_append_printf(s, " kri=%u", res->kri.kri);
		else if (!res || !res->readable)
			wmem_strbuf_append(s, res && res->status == PDMV2_ERR_NO_KEY ?
					   " no key" : " undecrypted");
	}
	if (res && res->psn_known)
		wmem_strbuf_append_printf(s, " PSN=%u", res->m.psntp);
	else if (epoch)		/* clear, even where the tag failed (2.5) */
		wmem_strbuf_append_printf(s, " PSN=%u", opt->m.psntp);
	if (res && res->readable) {
		if (res->samples.has_rtt)
			wmem_strbuf_append_printf(s, " RTT=%.3fms", res->samples.rtt_us / 1e3);
		if (res->samples.has_server_delay)
			wmem_strbuf_append_printf(s, " SrvDelay=%.3fms",
						  res->samples.server_delay_us / 1e3);
	}
	wmem_strbuf_append_c(s, ']');
	col_append_sep_str(pinfo->cinfo, COL_INFO, " ", wmem_strbuf_get_str(s));
}

/* Epoch layout findings of lib's tracker (PROFILE.md 0, 5.5). */
static void
add_epoch_findings(proto_tree *t, proto_item *pi, tvbuff_t *tvb, int off,
		   packet_info *pinfo, const struct pdmv2_option *opt,
		   const struct pdmv2_frame_result *res)
{
	const struct pdmv2_epoch_result *e = &res->epoch;
	proto_item *it;

	if (e->late) {
		it = proto_tree_add_boolean(t, hf_late, tvb, off + 2, 2, TRUE);
		proto_item_set_generated(it);
		expert_add_info_format(pinfo, it, &ei_late,
			"Late packet of the previous Epoch (%u; current %u)",
			e->epoch, res->epoch_before);
	}
	if (e->jump)
		expert_add_info_format(pinfo, pi, &ei_epoch_jump,
			"Epoch jumped from %u to %u: Epochs skipped, or a sender restart",
			res->epoch_before, e->epoch);
	else if (e->new_epoch)
		expert_add_info_format(pinfo, pi, &ei_epoch_change,
			"Epoch moved on from %u to %u", res->epoch_before, e->epoch);
	if (e->nonce_reuse)
		expert_add_info_format(pinfo, pi, &ei_nonce_reuse,
			"PSNTP %u reused under Epoch %u with different ciphertext: nonce reuse",
			opt->m.psntp, e->epoch);
	else if (e->duplicate)
		expert_add_info_format(pinfo, pi, &ei_epoch_dup,
			"Same protected option as before (Epoch %u, PSNTP %u): a repeated observation",
			e->epoch, opt->m.psntp);
	if (e->reserved)
		expert_add_info(pinfo, pi, &ei_reserved);
}

/* Findings of the stored result: decryption, samples, PSN, Global Pointer. */
static void
add_analysis(proto_tree *t, proto_item *pi, tvbuff_t *tvb, int off,
	     packet_info *pinfo, const struct pdmv2_option *opt,
	     const struct pdmv2_frame_result *res)
{
	const struct pdmv2_layout_desc *d = opt->desc;
	proto_item *it;

	it = proto_tree_add_uint(t, hf_flow, tvb, off, 0, res->flow);
	proto_item_set_generated(it);
	it = proto_tree_add_boolean(t, hf_client, tvb, off, 0, res->client);
	proto_item_set_generated(it);
	if (opt->variant == PDMV2_VARIANT_ENCRYPTED &&
	    !(opt->warnings & PDMV2_OPT_UNINTERPRETED)) {
		it = proto_tree_add_boolean(t, hf_decrypted, tvb, off + d->sealed_off,
					    d->sealed_len + PDMV2_TAG_BYTES, res->readable);
		proto_item_set_generated(it);
		if (res->status == PDMV2_ERR_NO_KEY)
			expert_add_info(pinfo, pi, &ei_no_key);
		else if (!res->readable)
			expert_add_info(pinfo, pi, &ei_auth_failed);
	}
	if (opt->layout == PDMV2_LAYOUT_EPOCH && res->epoch.counted)
		add_epoch_findings(t, pi, tvb, off, pinfo, opt, res);
	if (res->psn_known) {
		if (res->psn_missing)
			expert_add_info_format(pinfo, pi, &ei_psn_loss,
				"%" PRIu64 " PSN(s) missing before PSN %u: lost or not captured",
				res->psn_missing, res->m.psntp);
		if (res->psn_class == PDMV2_PSN_DUPLICATE)
			expert_add_info_format(pinfo, pi, &ei_psn_dup,
				"Duplicate PSN %u in this direction", res->m.psntp);
		else if (res->psn_class == PDMV2_PSN_REORDERED)
			expert_add_info_format(pinfo, pi, &ei_psn_reordered,
				"PSN %u below the highest seen: reordered", res->m.psntp);
	}
	if (!res->readable)
		return;
	if (res->samples.has_rtt) {
		it = proto_tree_add_double(t, hf_rtt_us, tvb, off, 2, res->samples.rtt_us);
		proto_item_set_generated(it);
		add_reltime(t, hf_rtt, tvb, off, res->samples.rtt_us);
	}
	if (res->samples.has_server_delay) {
		it = proto_tree_add_double(t, hf_server_delay_us, tvb, off, 2,
					   res->samples.server_delay_us);
		proto_item_set_generated(it);
		add_reltime(t, hf_server_delay, tvb, off, res->samples.server_delay_us);
	}
	if (res->pair_frame) {
		it = proto_tree_add_uint(t, hf_pair_frame, tvb, off, 0, (guint32)res->pair_frame);
		proto_item_set_generated(it);
	}
	if (res->gp_reset)
		expert_add_info_format(pinfo, pi, &ei_gp_reset,
			"Global Pointer %u went back: a sender restart (or reordering), PROFILE.md 6",
			res->m.global_pointer);
}

/* The decrypted plaintext as a data source of its own: the sealed
 * fields in the bytes the layout table places them at (5.3, 5.5). */
static tvbuff_t *
plaintext_tvb(tvbuff_t *tvb, packet_info *pinfo, const struct pdmv2_option *opt,
	      const struct pdmv2_metrics *m)
{
	struct pdmv2_option o = *opt;
	guint8 *plain = (guint8 *)wmem_alloc0(pinfo->pool, PDMV2_SEALED_MAX);
	guint n;
	tvbuff_t *dtvb;

	o.m = *m;
	n = (guint)pdmv2_option_sealed_bytes(&o, plain);
	dtvb = tvb_new_child_real_data(tvb, plain, n, (gint)n);
	add_new_data_source(pinfo, dtvb, "Decrypted PDMv2");
	return dtvb;
}

static void
queue_tap(packet_info *pinfo, const struct pdmv2_walk *w, enum pdmv2_err rc,
	  const struct pdmv2_option *opt, const struct pdmv2_frame_result *res)
{
	struct pdmv2_tap_rec *rec = wmem_new0(pinfo->pool, struct pdmv2_tap_rec);

	memcpy(rec->src, w->src, 16);
	memcpy(rec->dst, w->dst, 16);
	rec->sport = w->sport;
	rec->dport = w->dport;
	rec->proto = w->proto;
	rec->res = res;
	rec->rc = rc;
	rec->variant = opt->variant;
	rec->psn_bits = (guint8)pdmv2_state_psn_bits(opt);
	tap_queue_packet(pdmv2_tap, pinfo, rec);
}

/* One PDM option at off (type byte) of the data source tvb. */
static void
dissect_one(tvbuff_t *tvb, int off, int avail, guint key, packet_info *pinfo,
	    proto_tree *tree, const struct pdmv2_walk *w, bool have_walk,
	    bool tcp_syn)
{
	guint8 raw[PDMV2_OPTION_MAX] = {0};
	int n = MIN(avail, PDMV2_OPTION_MAX);
	struct pdmv2_option opt;
	struct pdmv2_frame_result *res;
	tvbuff_t *dtvb = NULL;
	proto_item *pi, *it = NULL;
	proto_tree *t;
	enum pdmv2_err rc;

	n = MIN(n, (int)tvb_captured_length_remaining(tvb, off));
	tvb_memcpy(tvb, raw, off, n);
	rc = pdmv2_option_parse(raw, (size_t)n, &opt);
	res = frame_result(pinfo, key, w, have_walk, tcp_syn, rc, &opt);

	/* never past the option or the tvb: a bad length must not throw
	 * here, where the exception would mark Wireshark's own frame
	 * malformed */
	pi = proto_tree_add_item(tree, proto_pdmv2, tvb, off, MIN(2 + (int)raw[1], n),
				 ENC_NA);
	t = proto_item_add_subtree(pi, ett_pdmv2);
	proto_tree_add_item(t, hf_type, tvb, off, 1, ENC_NA);
	if (n >= 2)
		it = proto_tree_add_item(t, hf_length, tvb, off + 1, 1, ENC_NA);
	if (res && have_walk)
		queue_tap(pinfo, w, rc, &opt, res);
	if (rc == PDMV2_ERR_MALFORMED) {
		expert_add_info_format(pinfo, it, &ei_bad_length,
			"PDM option with length %u: none of 10 (RFC 8250), 18 or 34 (PDMv2 "
			"Kri layout), 22 or 38 (PDMv2 Epoch layout)", raw[1]);
		return;
	}
	if (rc != PDMV2_OK) {
		if (n >= 2 && pdmv2_layout_for_length(raw[1]))
			expert_add_info_format(pinfo, pi, &ei_truncated,
				"PDM option of length %u cut short: %d of its %u bytes",
				raw[1], n, 2u + raw[1]);
		else
			expert_add_info(pinfo, pi, &ei_truncated);
		return;
	}
	it = proto_tree_add_uint(t, hf_variant, tvb, off + 1, 1, opt.variant);
	proto_item_set_generated(it);
	proto_item_append_text(pi, ": %s", val_to_str_const(opt.variant, variant_vals, "?"));
	if (opt.layout != PDMV2_LAYOUT_NONE) {
		it = proto_tree_add_uint(t, hf_layout, tvb, off + 1, 1, opt.layout);
		proto_item_set_generated(it);
		proto_item_append_text(pi, ", %s", val_to_str_const(opt.layout, layout_vals, "?"));
	}
	if (key == 0)
		col_append_sep_str(pinfo->cinfo, COL_PROTOCOL, "/",
				   opt.variant == PDMV2_VARIANT_PDM ? "PDM" : "PDMv2");
	info_text(pinfo, &opt, res);
	if (opt.variant == PDMV2_VARIANT_ENCRYPTED && res && res->readable)
		dtvb = plaintext_tvb(tvb, pinfo, &opt, &res->m);
	add_fields(t, tvb, off, dtvb, &opt, res && res->readable ? &res->m : &opt.m);
	if (opt.warnings & PDMV2_OPT_WARN_VERSION)
		expert_add_info_format(pinfo, pi, &ei_version,
			opt.warnings & PDMV2_OPT_UNINTERPRETED ?
			"PDMv2 version %u, expected 2: nothing after the Epoch interpreted" :
			"PDMv2 version %u, expected 2", opt.version);
	if (opt.warnings & PDMV2_OPT_WARN_RESERVED)
		expert_add_info(pinfo, pi, &ei_reserved);
	if (opt.variant == PDMV2_VARIANT_ENCRYPTED && !(opt.warnings & PDMV2_OPT_UNINTERPRETED)) {
		const struct pdmv2_layout_desc *d = opt.desc;

		proto_tree_add_item(t, hf_encrypted, tvb, off + d->sealed_off,
				    d->sealed_len, ENC_NA);
		proto_tree_add_item(t, hf_tag, tvb, off + d->tag_off, PDMV2_TAG_BYTES,
				    ENC_NA);
	}
	if (!res)
		return;
	if (opt.variant == PDMV2_VARIANT_ENCRYPTED && opt.layout == PDMV2_LAYOUT_KRI &&
	    res->readable) {
		it = proto_tree_add_uint(t, hf_kri, tvb, off + 4, 2, res->kri.kri);
		proto_item_set_generated(it);
		proto_item_append_text(pi, ", kri %u", res->kri.kri);
		if (res->kri.late) {
			it = proto_tree_add_boolean(t, hf_late, tvb, off + 4, 2, TRUE);
			proto_item_set_generated(it);
			expert_add_info_format(pinfo, it, &ei_late,
				"Late packet of the previous key phase (kri %u)", res->kri.kri);
		}
		if (res->kri.nonce_reuse)
			expert_add_info_format(pinfo, pi, &ei_nonce_reuse,
				"PRSEQ %u reused under kri %u with different ciphertext: nonce reuse",
				opt.random, res->kri.kri);
	}
	if (opt.layout == PDMV2_LAYOUT_EPOCH)
		proto_item_append_text(pi, ", Epoch %u", opt.epoch);
	add_analysis(t, pi, tvb, off, pinfo, &opt, res);
}

/* One Destination Options header Wireshark dissected: its options'
 * locations (first pass). */
static void
locate_header(field_info *hdr, GPtrArray *ip6, tvbuff_t *frame, struct frame_locs *fl)
{
	tvbuff_t *ds = hdr->ds_tvb;
	guint8 area[2 + 255 * 8 + 6];
	struct found_opts f = {{0}, 0};
	struct pdmv2_walk w;
	bool have_walk, tcp_syn = false;
	int len;
	unsigned i;

	if (!ds || hdr->length < 8 || !tvb_bytes_exist(ds, hdr->start, hdr->length))
		return;
	len = hdr->length;
	if (len > (int)sizeof(area))
		len = (int)sizeof(area);
	tvb_memcpy(ds, area, hdr->start, len);
	if ((area[1] + 1) * 8 != len)
		return;		/* not a whole header as Wireshark saw it */
	find_options(area + 2, (size_t)len - 2, &f);
	if (f.n == 0)
		return;
	have_walk = five_tuple(owning_ipv6(ip6, ds, hdr->start), ds, hdr->start,
			       &w, &tcp_syn);
	for (i = 0; i < f.n && fl->n < MAX_OPTS_PER_FRAME; i++) {
		struct opt_loc *l = &fl->loc[fl->n++];
		int off = hdr->start + 2 + (int)f.off[i];

		l->in_frame = ds == frame;
		l->off = off;
		l->avail = hdr->start + len - off;
		memcpy(l->raw, area + 2 + f.off[i], MIN(l->avail, PDMV2_OPTION_MAX));
		l->w = w;
		l->have_walk = have_walk;
		l->tcp_syn = tcp_syn;
	}
}

static int
dissect_pdmv2_post(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
	struct frame_locs *fl;
	guint i;

	(void)data;
	fl = (struct frame_locs *)p_get_proto_data(wmem_file_scope(), pinfo,
						    proto_pdmv2, LOCS_KEY);
	if (!fl && !PINFO_FD_VISITED(pinfo) && tree && proto_ipv6_dstopts > 0) {
		GPtrArray *hdrs = proto_get_finfo_ptr_array(tree, proto_ipv6_dstopts);
		GPtrArray *ip6 = proto_get_finfo_ptr_array(tree, proto_ipv6);
		struct frame_locs found;

		found.n = 0;
		for (i = 0; hdrs && i < hdrs->len; i++)
			locate_header((field_info *)g_ptr_array_index(hdrs, i), ip6,
				      tvb, &found);
		if (found.n) {
			fl = wmem_new(wmem_file_scope(), struct frame_locs);
			*fl = found;
			p_add_proto_data(wmem_file_scope(), pinfo, proto_pdmv2,
					 LOCS_KEY, fl);
		}
	}
	if (!fl)
		return 0;
	for (i = 0; i < fl->n; i++) {
		struct opt_loc *l = &fl->loc[i];
		tvbuff_t *otvb = tvb;
		int off = l->off;

		if (!l->in_frame) {
			/* inside a reassembled payload: its bytes as kept */
			int n = MIN(l->avail, PDMV2_OPTION_MAX);

			otvb = tvb_new_child_real_data(tvb, l->raw, n, n);
			add_new_data_source(pinfo, otvb, "PDM option (reassembled)");
			off = 0;
		}
		dissect_one(otvb, off, l->avail, i, pinfo, tree, &l->w, l->have_walk,
			    l->tcp_syn);
	}
	return tvb_captured_length(tvb);
}

static void
apply_prefs(void)
{
	struct pdmv2_state_prefs p = {pref_keylog_file, pref_kri_window};

	if (pref_kri_window < 1)
		pref_kri_window = 1;
	if (pref_kri_window > PDMV2_STATE_KRI_WINDOW_MAX)
		pref_kri_window = PDMV2_STATE_KRI_WINDOW_MAX;
	p.kri_window = pref_kri_window;
	pdmv2_state_apply_prefs(&p);
}

/* A new capture file: start its state over; a rewritten key log is
 * picked up here too. */
static void
init_routine(void)
{
	apply_prefs();
	pdmv2_state_reset();
}

void
proto_register_pdmv2(void)
{
	static hf_register_info hf[] = {
		{&hf_variant, {"Encoding", "pdmv2.variant", FT_UINT8, BASE_DEC,
			VALS(variant_vals), 0, "1 = RFC 8250 PDM, 2 = PDMv2 unencrypted, 3 = PDMv2 encrypted", HFILL}},
		{&hf_layout, {"Layout", "pdmv2.layout", FT_UINT8, BASE_DEC,
			VALS(layout_vals), 0, "1 = Kri layout (drafts -00 to -04), 2 = Epoch layout (drafts -09 to -14)", HFILL}},
		{&hf_type, {"Option Type", "pdmv2.type", FT_UINT8, BASE_HEX, NULL, 0, NULL, HFILL}},
		{&hf_length, {"Option Length", "pdmv2.length", FT_UINT8, BASE_DEC, NULL, 0, NULL, HFILL}},
		{&hf_version, {"Version", "pdmv2.version", FT_UINT16, BASE_DEC, NULL, 0xF000, NULL, HFILL}},
		{&hf_reserved, {"Reserved", "pdmv2.reserved", FT_UINT16, BASE_HEX, NULL, 0x0FFF, NULL, HFILL}},
		{&hf_random, {"Random Number / PRSEQ", "pdmv2.random", FT_UINT16, BASE_DEC, NULL, 0xFFFE, NULL, HFILL}},
		{&hf_flag, {"Key phase (F)", "pdmv2.flag", FT_UINT16, BASE_DEC, NULL, 0x0001, NULL, HFILL}},
		{&hf_epoch, {"Epoch", "pdmv2.epoch", FT_UINT16, BASE_DEC, NULL, 0x0FFF, "Epoch layout: the clear 12-bit Epoch", HFILL}},
		{&hf_scale_dtlr, {"Scale DTLR", "pdmv2.scale_dtlr", FT_UINT8, BASE_DEC, NULL, 0, NULL, HFILL}},
		{&hf_scale_dtls, {"Scale DTLS", "pdmv2.scale_dtls", FT_UINT8, BASE_DEC, NULL, 0, NULL, HFILL}},
		{&hf_gp, {"Global Pointer", "pdmv2.global_pointer", FT_UINT32, BASE_DEC, NULL, 0, NULL, HFILL}},
		/* 32-bit: the Epoch layout's; 16-bit values in the other encodings */
		{&hf_psntp, {"PSN This Packet", "pdmv2.psntp", FT_UINT32, BASE_DEC, NULL, 0, NULL, HFILL}},
		{&hf_psnlr, {"PSN Last Received", "pdmv2.psnlr", FT_UINT32, BASE_DEC, NULL, 0, NULL, HFILL}},
		/* the Epoch layout's Reserved bytes 18..19 (2.5), under the
		 * same filter name as the Kri layout's reserved bits */
		{&hf_reserved_metric, {"Reserved", "pdmv2.reserved", FT_UINT16, BASE_HEX, NULL, 0, NULL, HFILL}},
		{&hf_delta_tlr, {"Delta Time Last Received", "pdmv2.delta_tlr", FT_UINT16, BASE_DEC, NULL, 0, NULL, HFILL}},
		{&hf_delta_tls, {"Delta Time Last Sent", "pdmv2.delta_tls", FT_UINT16, BASE_DEC, NULL, 0, NULL, HFILL}},
		{&hf_delta_tlr_us, {"Delta Time Last Received (us)", "pdmv2.delta_tlr_us", FT_DOUBLE, BASE_NONE, NULL, 0, "DeltaTLR * 2^ScaleDTLR attoseconds, in microseconds", HFILL}},
		{&hf_delta_tls_us, {"Delta Time Last Sent (us)", "pdmv2.delta_tls_us", FT_DOUBLE, BASE_NONE, NULL, 0, "DeltaTLS * 2^ScaleDTLS attoseconds, in microseconds", HFILL}},
		{&hf_encrypted, {"Encrypted PDM data", "pdmv2.encrypted_data", FT_BYTES, BASE_NONE, NULL, 0, NULL, HFILL}},
		{&hf_tag, {"Authentication tag", "pdmv2.tag", FT_BYTES, BASE_NONE, NULL, 0, NULL, HFILL}},
		{&hf_decrypted, {"Decrypted", "pdmv2.decrypted", FT_BOOLEAN, BASE_NONE, NULL, 0, "The AEAD tag verified", HFILL}},
		{&hf_kri, {"Key Rotation Index", "pdmv2.kri", FT_UINT32, BASE_DEC, NULL, 0, "Rebuilt per sender direction (PROFILE.md 5.4)", HFILL}},
		{&hf_late, {"Late packet of the previous key phase", "pdmv2.late", FT_BOOLEAN, BASE_NONE, NULL, 0, NULL, HFILL}},
		{&hf_rtt_us, {"Round-trip delay (us)", "pdmv2.rtt_us", FT_DOUBLE, BASE_NONE, NULL, 0, "The client's DeltaTLS", HFILL}},
		{&hf_server_delay_us, {"Server delay (us)", "pdmv2.server_delay_us", FT_DOUBLE, BASE_NONE, NULL, 0, "The server's DeltaTLR", HFILL}},
		{&hf_rtt, {"Round-trip delay", "pdmv2.rtt", FT_RELATIVE_TIME, BASE_NONE, NULL, 0, "The client's DeltaTLS", HFILL}},
		{&hf_server_delay, {"Server delay", "pdmv2.server_delay", FT_RELATIVE_TIME, BASE_NONE, NULL, 0, "The server's DeltaTLR", HFILL}},
		{&hf_pair_frame, {"Pairs with frame", "pdmv2.pair_frame", FT_FRAMENUM, BASE_NONE, NULL, 0, "The peer's packet whose PSN This Packet is this packet's PSN Last Received", HFILL}},
		{&hf_flow, {"Flow", "pdmv2.flow", FT_UINT32, BASE_DEC, NULL, 0, "Flows numbered in order of their first PDM option, as pdmv2-analyze numbers them", HFILL}},
		{&hf_client, {"Sent by the client", "pdmv2.client", FT_BOOLEAN, BASE_NONE, NULL, 0, "INTERFACES.md: the first SYN's sender for TCP, else the first packet's", HFILL}},
	};
	static gint *ett[] = {&ett_pdmv2};
	static ei_register_info ei[] = {
		{&ei_auth_failed, {"pdmv2.auth_failed", PI_DECRYPTION, PI_WARN,
			"PDMv2 authentication failed: the metrics are not shown", EXPFILL}},
		{&ei_no_key, {"pdmv2.no_key", PI_DECRYPTION, PI_NOTE,
			"No key for this flow in the PDMv2 key log", EXPFILL}},
		{&ei_bad_length, {"pdmv2.malformed_length", PI_MALFORMED, PI_ERROR,
			"PDM option with an invalid length", EXPFILL}},
		{&ei_reserved, {"pdmv2.reserved_set", PI_PROTOCOL, PI_WARN,
			"Reserved bits are not zero", EXPFILL}},
		{&ei_version, {"pdmv2.wrong_version", PI_PROTOCOL, PI_WARN,
			"PDMv2 version is not 2", EXPFILL}},
		{&ei_nonce_reuse, {"pdmv2.nonce_reuse", PI_SECURITY, PI_ERROR,
			"Nonce reused under one key (PRSEQ, or Epoch and PSNTP)", EXPFILL}},
		{&ei_late, {"pdmv2.late_packet", PI_SEQUENCE, PI_NOTE,
			"Late packet of the previous key phase", EXPFILL}},
		{&ei_truncated, {"pdmv2.truncated", PI_MALFORMED, PI_ERROR,
			"PDM option cut short", EXPFILL}},
		{&ei_psn_loss, {"pdmv2.psn_loss", PI_SEQUENCE, PI_WARN,
			"PSNs missing: lost or not captured", EXPFILL}},
		{&ei_psn_dup, {"pdmv2.psn_duplicate", PI_SEQUENCE, PI_WARN,
			"Duplicate PSN", EXPFILL}},
		{&ei_psn_reordered, {"pdmv2.psn_reordered", PI_SEQUENCE, PI_NOTE,
			"Reordered PSN", EXPFILL}},
		{&ei_gp_reset, {"pdmv2.gp_reset", PI_SEQUENCE, PI_WARN,
			"Global Pointer reset", EXPFILL}},
		{&ei_epoch_jump, {"pdmv2.epoch_jump", PI_SEQUENCE, PI_WARN,
			"Epoch jumped by more than one", EXPFILL}},
		{&ei_epoch_change, {"pdmv2.epoch_change", PI_SEQUENCE, PI_CHAT,
			"Epoch moved on by one", EXPFILL}},
		{&ei_epoch_dup, {"pdmv2.repeated", PI_SEQUENCE, PI_NOTE,
			"Same protected option seen again: a repeated observation", EXPFILL}},
	};
	module_t *module;
	expert_module_t *expert;

	proto_pdmv2 = proto_register_protocol("Performance and Diagnostic Metrics v2",
					      "PDMv2", "pdmv2");
	proto_register_field_array(proto_pdmv2, hf, array_length(hf));
	proto_register_subtree_array(ett, array_length(ett));
	expert = expert_register_protocol(proto_pdmv2);
	expert_register_field_array(expert, ei, array_length(ei));

	module = prefs_register_protocol(proto_pdmv2, apply_prefs);
	prefs_register_filename_preference(module, "keylog_file", "Key log file",
		"PDMv2 key log (PDMV2_SECRET, PDMV2_PRIMARY_SECRET, PDMV2_SESSION_KEY, PDMV2_EPOCH_KEY lines)",
		&pref_keylog_file, FALSE);
	prefs_register_uint_preference(module, "option_type", "Option type",
		"Destination option type carrying RFC 8250 PDM (default 15)",
		10, &pref_option_type);
	prefs_register_uint_preference(module, "v2_option_type", "PDMv2 option type",
		"Destination option type carrying PDMv2 (IANA has none for PDMv2 yet; default 15)",
		10, &pref_v2_option_type);
	prefs_register_uint_preference(module, "kri_window", "Kri search window",
		"How many key phases to search when rebuilding the Key Rotation Index (1 to 1024)",
		10, &pref_kri_window);
	register_init_routine(init_routine);
	register_shutdown_routine(pdmv2_state_shutdown);
	pdmv2_tap = register_tap("pdmv2");
	pdmv2_tap_register_stats();
}

void
proto_reg_handoff_pdmv2(void)
{
	GArray *wanted;

	proto_ipv6 = proto_get_id_by_filter_name("ipv6");
	proto_ipv6_dstopts = proto_get_id_by_filter_name("ipv6.dstopts");
	pdmv2_handle = create_dissector_handle(dissect_pdmv2_post, proto_pdmv2);
	register_postdissector(pdmv2_handle);
	/* The protocol items of IPv6 and of each Destination Options header:
	 * kept in the tree even when tshark builds no visible one. */
	wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
	g_array_append_val(wanted, proto_ipv6);
	g_array_append_val(wanted, proto_ipv6_dstopts);
	set_postdissector_wanted_hfids(pdmv2_handle, wanted);
}
