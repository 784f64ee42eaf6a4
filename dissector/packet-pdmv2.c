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
 * column text and the "pdmv2" tap.
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
#include "pdmv2/option.h"
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
static int hf_epoch = -1;
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
	{1, "Kri layout"},
	{2, "Epoch layout"},
	{0, NULL},
};

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

/* Options of either configured type, in header order (lib's TLV walk). */
static void
find_options(const guint8 *area, size_t len, struct found_opts *f)
{
	struct found_opts b = {{0}, 0};
	unsigned i, j;

	(void)pdmv2_walk_options(area, len, (guint8)pref_option_type, note_opt, f);
	if (pref_v2_option_type == pref_option_type)
		return;
	(void)pdmv2_walk_options(area, len, (guint8)pref_v2_option_type, note_opt, &b);
	for (i = 0; i < b.n && f->n < MAX_OPTS_PER_HEADER; i++) {
		for (j = f->n; j > 0 && f->off[j - 1] > b.off[i]; j--)
			f->off[j] = f->off[j - 1];
		f->off[j] = b.off[i];
		f->n++;
	}
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

/* The 14 metric bytes (2.3) from tvb at off. */
static void
add_metrics(proto_tree *t, tvbuff_t *tvb, int off, const struct pdmv2_metrics *m)
{
	proto_tree_add_item(t, hf_scale_dtlr, tvb, off, 1, ENC_NA);
	proto_tree_add_item(t, hf_scale_dtls, tvb, off + 1, 1, ENC_NA);
	proto_tree_add_item(t, hf_gp, tvb, off + 2, 4, ENC_BIG_ENDIAN);
	proto_tree_add_item(t, hf_psntp, tvb, off + 6, 2, ENC_BIG_ENDIAN);
	proto_tree_add_item(t, hf_psnlr, tvb, off + 8, 2, ENC_BIG_ENDIAN);
	proto_tree_add_item(t, hf_delta_tlr, tvb, off + 10, 2, ENC_BIG_ENDIAN);
	add_us(t, hf_delta_tlr_us, tvb, off + 10, 2, m->delta_tlr, m->scale_dtlr);
	proto_tree_add_item(t, hf_delta_tls, tvb, off + 12, 2, ENC_BIG_ENDIAN);
	add_us(t, hf_delta_tls_us, tvb, off + 12, 2, m->delta_tls, m->scale_dtls);
}

/* First pass: lib's state; later passes: what the first one stored. */
static struct pdmv2_frame_result *
frame_result(packet_info *pinfo, guint key, const struct pdmv2_walk *w,
	     bool have_walk, bool tcp_syn, enum pdmv2_err rc,
	     const struct pdmv2_option *opt)
{
	struct pdmv2_frame_result *res;

	res = (struct pdmv2_frame_result *)p_get_proto_data(wmem_file_scope(), pinfo,
							     proto_pdmv2, key);
	if (res || !have_walk || PINFO_FD_VISITED(pinfo))
		return res;
	res = wmem_new0(wmem_file_scope(), struct pdmv2_frame_result);
	pdmv2_state_process(w, tcp_syn, rc, opt, pinfo->num,
			    (int64_t)pinfo->abs_ts.secs * 1000000000 + pinfo->abs_ts.nsecs,
			    res);
	p_add_proto_data(wmem_file_scope(), pinfo, proto_pdmv2, key, res);
	return res;
}

static void
info_text(packet_info *pinfo, const struct pdmv2_option *opt,
	  const struct pdmv2_frame_result *res)
{
	static const char *const short_name[] = {"?", "PDM", "PDMv2", "PDMv2 enc"};
	wmem_strbuf_t *s = wmem_strbuf_new(pinfo->pool, "");

	wmem_strbuf_append_printf(s, "[%s", short_name[opt->variant & 3]);
	if (opt->variant == PDMV2_VARIANT_ENCRYPTED) {
		if (res && res->readable)
			wmem_strbuf_append_printf(s, " Kri=%u", res->kri.kri);
		else
			wmem_strbuf_append(s, res && res->status == PDMV2_ERR_NO_KEY ?
					   " no key" : " undecrypted");
	}
	if (res && res->readable) {
		wmem_strbuf_append_printf(s, " PSN=%u", res->m.psntp);
		if (res->samples.has_rtt)
			wmem_strbuf_append_printf(s, " RTT=%.3fms", res->samples.rtt_us / 1e3);
		if (res->samples.has_server_delay)
			wmem_strbuf_append_printf(s, " SrvDelay=%.3fms",
						  res->samples.server_delay_us / 1e3);
	}
	wmem_strbuf_append_c(s, ']');
	col_append_sep_str(pinfo->cinfo, COL_INFO, " ", wmem_strbuf_get_str(s));
}

/* Findings of the stored result: Kri, samples, PSN, Global Pointer. */
static void
add_analysis(proto_tree *t, proto_item *pi, tvbuff_t *tvb, int off,
	     packet_info *pinfo, const struct pdmv2_option *opt,
	     const struct pdmv2_frame_result *res)
{
	proto_item *it;

	it = proto_tree_add_uint(t, hf_flow, tvb, off, 0, res->flow);
	proto_item_set_generated(it);
	it = proto_tree_add_boolean(t, hf_client, tvb, off, 0, res->client);
	proto_item_set_generated(it);
	if (opt->variant == PDMV2_VARIANT_ENCRYPTED) {
		it = proto_tree_add_boolean(t, hf_decrypted, tvb, off + 6, 30, res->readable);
		proto_item_set_generated(it);
		if (res->status == PDMV2_ERR_NO_KEY)
			expert_add_info(pinfo, pi, &ei_no_key);
		else if (!res->readable)
			expert_add_info(pinfo, pi, &ei_auth_failed);
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
	if (res->gp_reset)
		expert_add_info_format(pinfo, pi, &ei_gp_reset,
			"Global Pointer %u went back: a sender restart (or reordering), PROFILE.md 6",
			res->m.global_pointer);
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
	struct pdmv2_tap_rec *rec;
	proto_item *pi, *it;
	proto_tree *t;
	enum pdmv2_err rc;

	n = MIN(n, (int)tvb_captured_length_remaining(tvb, off));
	tvb_memcpy(tvb, raw, off, n);
	rc = pdmv2_option_parse(raw, (size_t)avail, &opt);
	res = frame_result(pinfo, key, w, have_walk, tcp_syn, rc, &opt);

	/* never past the tvb: a bad length must not throw here, where the
	 * exception would mark Wireshark's own frame malformed */
	pi = proto_tree_add_item(tree, proto_pdmv2, tvb, off,
				 MIN(MIN(2 + (int)raw[1], avail),
				     (int)tvb_captured_length_remaining(tvb, off)), ENC_NA);
	t = proto_item_add_subtree(pi, ett_pdmv2);
	proto_tree_add_item(t, hf_type, tvb, off, 1, ENC_NA);
	it = proto_tree_add_item(t, hf_length, tvb, off + 1, 1, ENC_NA);
	if (res && have_walk) {
		rec = wmem_new0(pinfo->pool, struct pdmv2_tap_rec);
		memcpy(rec->src, w->src, 16);
		memcpy(rec->dst, w->dst, 16);
		rec->sport = w->sport;
		rec->dport = w->dport;
		rec->proto = w->proto;
		rec->res = res;
		rec->rc = rc;
		rec->variant = opt.variant;
		tap_queue_packet(pdmv2_tap, pinfo, rec);
	}
	if (rc == PDMV2_ERR_MALFORMED) {
		expert_add_info_format(pinfo, it, &ei_bad_length,
			"PDM option with length %u: none of 10 (RFC 8250), 18 or 34 (PDMv2)",
			raw[1]);
		return;
	}
	if (rc != PDMV2_OK) {
		expert_add_info(pinfo, pi, &ei_truncated);
		return;
	}
	it = proto_tree_add_uint(t, hf_variant, tvb, off + 1, 1, opt.variant);
	proto_item_set_generated(it);
	proto_item_append_text(pi, ": %s", val_to_str_const(opt.variant, variant_vals, "?"));
	if (key == 0)
		col_append_sep_str(pinfo->cinfo, COL_PROTOCOL, "/",
				   opt.variant == PDMV2_VARIANT_PDM ? "PDM" : "PDMv2");
	info_text(pinfo, &opt, res);

	if (opt.variant == PDMV2_VARIANT_PDM) {
		proto_tree_add_item(t, hf_scale_dtlr, tvb, off + 2, 1, ENC_NA);
		proto_tree_add_item(t, hf_scale_dtls, tvb, off + 3, 1, ENC_NA);
		proto_tree_add_item(t, hf_psntp, tvb, off + 4, 2, ENC_BIG_ENDIAN);
		proto_tree_add_item(t, hf_psnlr, tvb, off + 6, 2, ENC_BIG_ENDIAN);
		proto_tree_add_item(t, hf_delta_tlr, tvb, off + 8, 2, ENC_BIG_ENDIAN);
		add_us(t, hf_delta_tlr_us, tvb, off + 8, 2, opt.m.delta_tlr, opt.m.scale_dtlr);
		proto_tree_add_item(t, hf_delta_tls, tvb, off + 10, 2, ENC_BIG_ENDIAN);
		add_us(t, hf_delta_tls_us, tvb, off + 10, 2, opt.m.delta_tls, opt.m.scale_dtls);
	} else {
		it = proto_tree_add_uint(t, hf_layout, tvb, off + 2, 2, 1);
		proto_item_set_generated(it);
		it = proto_tree_add_item(t, hf_version, tvb, off + 2, 2, ENC_BIG_ENDIAN);
		if (opt.warnings & PDMV2_OPT_WARN_VERSION)
			expert_add_info_format(pinfo, it, &ei_version,
					       "PDMv2 version %u, expected 2", opt.version);
		it = proto_tree_add_item(t, hf_reserved, tvb, off + 2, 2, ENC_BIG_ENDIAN);
		if (opt.warnings & PDMV2_OPT_WARN_RESERVED)
			expert_add_info(pinfo, it, &ei_reserved);
		proto_tree_add_item(t, hf_random, tvb, off + 4, 2, ENC_BIG_ENDIAN);
		proto_tree_add_item(t, hf_flag, tvb, off + 4, 2, ENC_BIG_ENDIAN);
		if (opt.variant == PDMV2_VARIANT_PLAIN) {
			add_metrics(t, tvb, off + 6, &opt.m);
		} else {
			proto_tree_add_item(t, hf_encrypted, tvb, off + 6, PDMV2_METRIC_BYTES, ENC_NA);
			proto_tree_add_item(t, hf_tag, tvb, off + 20, PDMV2_TAG_BYTES, ENC_NA);
		}
	}
	if (!res)
		return;
	if (opt.variant == PDMV2_VARIANT_ENCRYPTED && res->readable) {
		guint8 *plain = (guint8 *)wmem_alloc(pinfo->pool, PDMV2_METRIC_BYTES);
		tvbuff_t *dtvb;

		/* 5.3: only a verified open shows the metrics. */
		pdmv2_metrics_pack(&res->m, plain);
		dtvb = tvb_new_child_real_data(tvb, plain, PDMV2_METRIC_BYTES,
					       PDMV2_METRIC_BYTES);
		add_new_data_source(pinfo, dtvb, "Decrypted PDMv2");
		it = proto_tree_add_uint(t, hf_kri, tvb, off + 4, 2, res->kri.kri);
		proto_item_set_generated(it);
		add_metrics(t, dtvb, 0, &res->m);
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
		{&hf_epoch, {"Epoch", "pdmv2.epoch", FT_UINT16, BASE_DEC, NULL, 0, "Epoch layout: the clear 12-bit Epoch", HFILL}},
		{&hf_scale_dtlr, {"Scale DTLR", "pdmv2.scale_dtlr", FT_UINT8, BASE_DEC, NULL, 0, NULL, HFILL}},
		{&hf_scale_dtls, {"Scale DTLS", "pdmv2.scale_dtls", FT_UINT8, BASE_DEC, NULL, 0, NULL, HFILL}},
		{&hf_gp, {"Global Pointer", "pdmv2.global_pointer", FT_UINT32, BASE_DEC, NULL, 0, NULL, HFILL}},
		{&hf_psntp, {"PSN This Packet", "pdmv2.psntp", FT_UINT16, BASE_DEC, NULL, 0, NULL, HFILL}},
		{&hf_psnlr, {"PSN Last Received", "pdmv2.psnlr", FT_UINT16, BASE_DEC, NULL, 0, NULL, HFILL}},
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
			"PRSEQ reused under one key: nonce reuse", EXPFILL}},
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
		"PDMv2 key log (PDMV2_SECRET, PDMV2_PRIMARY_SECRET, PDMV2_SESSION_KEY lines)",
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
