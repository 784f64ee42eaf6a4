/*
 * packet-pdmv2.c - PDM (RFC 8250) and PDMv2 options in IPv6 Destination
 * Options headers, with PDMv2 decryption from a key log.
 *
 * Wireshark 4.0 decodes option type 0x0F only as RFC 8250 PDM and calls
 * a PDMv2 option malformed.  Its ipv6_dissect_next() is not exported, so
 * this plugin takes over the "ip.proto" entry for Destination Options
 * (60): headers without a PDMv2-length option go back to Wireshark's own
 * dissector untouched; the others are dissected here and the rest of the
 * packet is handed to the "ip.proto" table again, which keeps TCP/UDP
 * (stream index, checksums) and fragment reassembly working.
 *
 * Reassembly needs one internal: the IPv6 dissector keeps the payload
 * length of a fragment, minus the per-fragment headers seen so far, in
 * its per-packet data (ipv6_pinfo_t, key 2 in Wireshark 4.0's
 * packet-ipv6.c).  What its p_ipv6_pinfo_add_len() would do for a
 * Destination Options header is done here, guarded by a plausibility
 * check of that structure; see ipv6_pinfo_add_len() below.
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
#include <epan/dissectors/packet-ip.h>
#include <epan/address.h>

#include "packet-pdmv2.h"
#include "pdmv2-state.h"
#include "pdmv2/option.h"
#include "pdmv2/walk.h"

#define IP_PROTO_DSTOPTS 60
#define IPV6_PROTO_PINFO 2	/* Wireshark 4.0 packet-ipv6.c */
#define MAX_OPTS_PER_HEADER 4

static int proto_pdmv2 = -1;
static int proto_ipv6 = -1;
static int proto_ipv6_dstopts = -1;

static int hf_variant = -1, hf_type = -1, hf_length = -1;
static int hf_version = -1, hf_reserved = -1, hf_random = -1, hf_flag = -1;
static int hf_scale_dtlr = -1, hf_scale_dtls = -1, hf_gp = -1;
static int hf_psntp = -1, hf_psnlr = -1, hf_delta_tlr = -1, hf_delta_tls = -1;
static int hf_delta_tlr_us = -1, hf_delta_tls_us = -1;
static int hf_encrypted = -1, hf_tag = -1, hf_decrypted = -1, hf_kri = -1;
static int hf_rtt = -1, hf_server_delay = -1, hf_late = -1;
static int hf_other_type = -1, hf_other_len = -1;
/* Wireshark's own Destination Options fields, looked up by name */
static int hf_ws_nxt = -1, hf_ws_len = -1;

static gint ett_pdmv2 = -1, ett_dstopts = -1, ett_other = -1;

static expert_field ei_auth_failed = EI_INIT;
static expert_field ei_no_key = EI_INIT;
static expert_field ei_bad_length = EI_INIT;
static expert_field ei_reserved = EI_INIT;
static expert_field ei_version = EI_INIT;
static expert_field ei_nonce_reuse = EI_INIT;
static expert_field ei_late = EI_INIT;
static expert_field ei_truncated = EI_INIT;

static const char *pref_keylog_file = "";
static guint pref_option_type = PDMV2_OPTION_TYPE_DEFAULT;
static guint pref_kri_window = PDMV2_KRI_WINDOW_DEFAULT;

static dissector_table_t ip_proto_table;
static dissector_handle_t ws_dstopts_handle;	/* Wireshark's own */
static dissector_handle_t pdmv2_dstopts_handle;

static const value_string variant_vals[] = {
	{PDMV2_VARIANT_PDM, "RFC 8250 PDM"},
	{PDMV2_VARIANT_PLAIN, "PDMv2 unencrypted"},
	{PDMV2_VARIANT_ENCRYPTED, "PDMv2 encrypted"},
	{0, NULL},
};

/* The copy of ipv6_pinfo_t's layout this plugin relies on (4.0). */
struct ws_ipv6_pinfo {
	guint32 jumbo_plen;
	guint16 ip6_plen;
	gint frag_plen;
	proto_tree *ipv6_tree;
	gint ipv6_item_len;
};

/*
 * What p_ipv6_pinfo_add_len() does for a header the IPv6 dissector did
 * not see.  Guard: the structure must look like the one for this very
 * packet (its payload length equals the IPv6 header's) and the length
 * still fits, otherwise nothing is touched and only reassembly of
 * "Destination Options before Fragment" packets can suffer.
 */
static void
ipv6_pinfo_add_len(packet_info *pinfo, const ws_ip6 *iph, int len)
{
	struct ws_ipv6_pinfo *p;

	if (proto_ipv6 <= 0 || !iph)
		return;
	p = (struct ws_ipv6_pinfo *)p_get_proto_data(pinfo->pool, pinfo,
						      proto_ipv6, IPV6_PROTO_PINFO);
	if (!p || p->ip6_plen != iph->ip6_len || p->frag_plen < len)
		return;
	p->frag_plen -= len;
	p->ipv6_item_len += len;
}

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

/* The sender's 5-tuple: addresses as captured, upper layer and ports
 * from the rest of the chain after this header (PROFILE.md 4). */
static bool
five_tuple_walk(tvbuff_t *tvb, int hdr_len, guint8 nxt, const ws_ip6 *iph,
		packet_info *pinfo, struct pdmv2_walk *w, bool *tcp_syn)
{
	guint8 buf[40 + 256];
	guint rest = tvb_captured_length_remaining(tvb, hdr_len);
	const address *src, *dst;

	if (iph) {
		src = &iph->ip6_src;
		dst = &iph->ip6_dst;
	} else {
		src = &pinfo->net_src;
		dst = &pinfo->net_dst;
	}
	if (src->type != AT_IPv6 || dst->type != AT_IPv6)
		return false;
	/* A synthetic IPv6 header in front of what follows this header, so
	 * lib's walker finds the upper layer exactly as the analyzer does. */
	memset(buf, 0, 40);
	buf[0] = 0x60;
	buf[6] = nxt;
	memcpy(buf + 8, src->data, 16);
	memcpy(buf + 24, dst->data, 16);
	if (rest > sizeof(buf) - 40)
		rest = sizeof(buf) - 40;
	tvb_memcpy(tvb, buf + 40, hdr_len, rest);
	if (pdmv2_walk_ipv6(buf, 40 + rest, (guint8)pref_option_type, w) != PDMV2_OK)
		return false;
	*tcp_syn = w->proto == PDMV2_IPPROTO_TCP && (w->tcp_flags & 0x12) == 0x02;
	return true;
}

static void
add_time(proto_tree *t, int hf, tvbuff_t *tvb, int off, int len,
	 guint16 delta, guint8 scale)
{
	proto_item *it = proto_tree_add_double(t, hf, tvb, off, len,
					       pdmv2_delta_us(delta, scale));

	proto_item_set_generated(it);
}

/* The 14 metric bytes (2.3) from tvb at off. */
static void
add_metrics(proto_tree *t, tvbuff_t *tvb, int off, packet_info *pinfo,
	    proto_item *opt_item)
{
	guint16 dtlr = tvb_get_ntohs(tvb, off + 10), dtls = tvb_get_ntohs(tvb, off + 12);
	guint8 sr = tvb_get_guint8(tvb, off), ss = tvb_get_guint8(tvb, off + 1);

	proto_tree_add_item(t, hf_scale_dtlr, tvb, off, 1, ENC_NA);
	proto_tree_add_item(t, hf_scale_dtls, tvb, off + 1, 1, ENC_NA);
	proto_tree_add_item(t, hf_gp, tvb, off + 2, 4, ENC_BIG_ENDIAN);
	proto_tree_add_item(t, hf_psntp, tvb, off + 6, 2, ENC_BIG_ENDIAN);
	proto_tree_add_item(t, hf_psnlr, tvb, off + 8, 2, ENC_BIG_ENDIAN);
	proto_tree_add_item(t, hf_delta_tlr, tvb, off + 10, 2, ENC_BIG_ENDIAN);
	add_time(t, hf_delta_tlr_us, tvb, off + 10, 2, dtlr, sr);
	proto_tree_add_item(t, hf_delta_tls, tvb, off + 12, 2, ENC_BIG_ENDIAN);
	add_time(t, hf_delta_tls_us, tvb, off + 12, 2, dtls, ss);
	(void)pinfo;
	(void)opt_item;
}

/* One PDM option at off (type byte) of the header tvb. */
static void
dissect_one(tvbuff_t *tvb, int off, unsigned idx, packet_info *pinfo,
	    proto_tree *tree, const struct pdmv2_walk *w, bool have_walk,
	    bool tcp_syn)
{
	guint8 olen = tvb_get_guint8(tvb, off + 1);
	int avail = tvb_captured_length_remaining(tvb, off);
	struct pdmv2_option opt;
	struct pdmv2_frame_result *res;
	proto_item *pi, *it;
	proto_tree *t;
	enum pdmv2_err rc;
	guint key = (guint)pinfo->curr_layer_num << 4 | idx;

	pi = proto_tree_add_item(tree, proto_pdmv2, tvb, off,
				 MIN(2 + (int)olen, avail), ENC_NA);
	t = proto_item_add_subtree(pi, ett_pdmv2);
	proto_tree_add_item(t, hf_type, tvb, off, 1, ENC_NA);
	it = proto_tree_add_item(t, hf_length, tvb, off + 1, 1, ENC_NA);

	rc = pdmv2_option_parse(tvb_get_ptr(tvb, off, avail), (size_t)avail, &opt);
	if (rc == PDMV2_ERR_MALFORMED) {
		expert_add_info_format(pinfo, it, &ei_bad_length,
			"PDM option with length %u: none of 10 (RFC 8250), 18 or 34 (PDMv2)",
			olen);
		return;
	}
	if (rc != PDMV2_OK) {
		expert_add_info(pinfo, pi, &ei_truncated);
		return;
	}
	it = proto_tree_add_uint(t, hf_variant, tvb, off + 1, 1, opt.variant);
	proto_item_set_generated(it);
	proto_item_append_text(pi, ": %s", val_to_str_const(opt.variant, variant_vals, "?"));

	if (opt.variant == PDMV2_VARIANT_PDM) {
		proto_tree_add_item(t, hf_scale_dtlr, tvb, off + 2, 1, ENC_NA);
		proto_tree_add_item(t, hf_scale_dtls, tvb, off + 3, 1, ENC_NA);
		proto_tree_add_item(t, hf_psntp, tvb, off + 4, 2, ENC_BIG_ENDIAN);
		proto_tree_add_item(t, hf_psnlr, tvb, off + 6, 2, ENC_BIG_ENDIAN);
		proto_tree_add_item(t, hf_delta_tlr, tvb, off + 8, 2, ENC_BIG_ENDIAN);
		add_time(t, hf_delta_tlr_us, tvb, off + 8, 2, opt.m.delta_tlr, opt.m.scale_dtlr);
		proto_tree_add_item(t, hf_delta_tls, tvb, off + 10, 2, ENC_BIG_ENDIAN);
		add_time(t, hf_delta_tls_us, tvb, off + 10, 2, opt.m.delta_tls, opt.m.scale_dtls);
	} else {
		it = proto_tree_add_item(t, hf_version, tvb, off + 2, 2, ENC_BIG_ENDIAN);
		if (opt.warnings & PDMV2_OPT_WARN_VERSION)
			expert_add_info_format(pinfo, it, &ei_version,
					       "PDMv2 version %u, expected 2", opt.version);
		it = proto_tree_add_item(t, hf_reserved, tvb, off + 2, 2, ENC_BIG_ENDIAN);
		if (opt.warnings & PDMV2_OPT_WARN_RESERVED)
			expert_add_info(pinfo, it, &ei_reserved);
		proto_tree_add_item(t, hf_random, tvb, off + 4, 2, ENC_BIG_ENDIAN);
		proto_tree_add_item(t, hf_flag, tvb, off + 4, 2, ENC_BIG_ENDIAN);
		if (opt.variant == PDMV2_VARIANT_PLAIN)
			add_metrics(t, tvb, off + 6, pinfo, pi);
		else {
			proto_tree_add_item(t, hf_encrypted, tvb, off + 6, PDMV2_METRIC_BYTES, ENC_NA);
			proto_tree_add_item(t, hf_tag, tvb, off + 20, PDMV2_TAG_BYTES, ENC_NA);
		}
	}
	if (!have_walk)
		return;

	/* Kri, decryption and samples: first pass only, then stored. */
	res = (struct pdmv2_frame_result *)p_get_proto_data(wmem_file_scope(), pinfo,
							     proto_pdmv2, key);
	if (!res) {
		nstime_t *ts = &pinfo->abs_ts;

		res = wmem_new0(wmem_file_scope(), struct pdmv2_frame_result);
		pdmv2_state_process(w, tcp_syn, &opt, pinfo->num,
				    (int64_t)ts->secs * 1000000000 + ts->nsecs, res);
		p_add_proto_data(wmem_file_scope(), pinfo, proto_pdmv2, key, res);
	}
	if (opt.variant == PDMV2_VARIANT_ENCRYPTED) {
		it = proto_tree_add_boolean(t, hf_decrypted, tvb, off + 6, 30, res->readable);
		proto_item_set_generated(it);
		if (res->readable) {
			guint8 *plain = (guint8 *)wmem_alloc(pinfo->pool, PDMV2_METRIC_BYTES);
			tvbuff_t *dtvb;

			/* 5.3: only a verified open shows the metrics. */
			pdmv2_metrics_pack(&res->m, plain);
			dtvb = tvb_new_child_real_data(tvb, plain, PDMV2_METRIC_BYTES,
						       PDMV2_METRIC_BYTES);
			add_new_data_source(pinfo, dtvb, "Decrypted PDMv2");
			it = proto_tree_add_uint(t, hf_kri, tvb, off + 4, 2, res->kri.kri);
			proto_item_set_generated(it);
			add_metrics(t, dtvb, 0, pinfo, pi);
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
		} else if (res->status == PDMV2_ERR_NO_KEY) {
			expert_add_info(pinfo, pi, &ei_no_key);
		} else {
			expert_add_info(pinfo, pi, &ei_auth_failed);
		}
	}
	if (res->readable && res->samples.has_rtt) {
		it = proto_tree_add_double(t, hf_rtt, tvb, off, 2, res->samples.rtt_us);
		proto_item_set_generated(it);
	}
	if (res->readable && res->samples.has_server_delay) {
		it = proto_tree_add_double(t, hf_server_delay, tvb, off, 2,
					   res->samples.server_delay_us);
		proto_item_set_generated(it);
	}
}

static void
dissect_other(tvbuff_t *tvb, int off, proto_tree *tree)
{
	guint8 type = tvb_get_guint8(tvb, off);
	int len = type == 0 ? 1 : 2 + tvb_get_guint8(tvb, off + 1);
	proto_tree *t;

	t = proto_tree_add_subtree_format(tree, tvb, off, len, ett_other, NULL, "%s",
		type == 0 ? "Pad1" : type == 1 ? "PadN" : "Option");
	proto_tree_add_item(t, hf_other_type, tvb, off, 1, ENC_NA);
	if (type != 0)
		proto_tree_add_item(t, hf_other_len, tvb, off + 1, 1, ENC_NA);
}

static int
dissect_dstopts(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
	const ws_ip6 *iph = WS_IP6_PTR(data);
	struct found_opts f = {{0}, 0};
	struct pdmv2_walk w;
	bool ours = false, v1 = false, have_walk, tcp_syn = false;
	proto_item *ti;
	proto_tree *dtree;
	tvbuff_t *next;
	guint8 nxt;
	int len, off;
	unsigned i;

	if (tvb_captured_length(tvb) < 2)
		return call_dissector_only(ws_dstopts_handle, tvb, pinfo, tree, data);
	nxt = tvb_get_guint8(tvb, 0);
	len = (tvb_get_guint8(tvb, 1) + 1) * 8;
	if (tvb_captured_length(tvb) < (guint)len)
		return call_dissector_only(ws_dstopts_handle, tvb, pinfo, tree, data);
	(void)pdmv2_walk_options(tvb_get_ptr(tvb, 2, len - 2), (size_t)len - 2,
				 (guint8)pref_option_type, note_opt, &f);
	for (i = 0; i < f.n; i++) {
		guint8 olen = tvb_get_guint8(tvb, 2 + (int)f.off[i] + 1);

		if (olen == PDMV2_LEN_PDM)
			v1 = true;
		else
			ours = true;
	}
	have_walk = f.n > 0 && five_tuple_walk(tvb, len, nxt, iph, pinfo, &w, &tcp_syn);

	if (!ours) {
		/* No PDMv2: Wireshark's own display (it decodes RFC 8250 PDM);
		 * ours is added beside it for RFC 8250 options. */
		int r = call_dissector_only(ws_dstopts_handle, tvb, pinfo, tree, data);

		for (i = 0; v1 && i < f.n; i++)
			dissect_one(tvb, 2 + (int)f.off[i], i, pinfo, tree, &w,
				    have_walk, tcp_syn);
		return r;
	}

	col_append_sep_str(pinfo->cinfo, COL_PROTOCOL, "/", "PDMv2");
	ti = proto_tree_add_item(tree, proto_ipv6_dstopts > 0 ? proto_ipv6_dstopts :
				 proto_pdmv2, tvb, 0, len, ENC_NA);
	dtree = proto_item_add_subtree(ti, ett_dstopts);
	if (hf_ws_nxt > 0)
		proto_tree_add_item(dtree, hf_ws_nxt, tvb, 0, 1, ENC_NA);
	if (hf_ws_len > 0)
		proto_tree_add_item(dtree, hf_ws_len, tvb, 1, 1, ENC_NA);
	for (off = 2, i = 0; off < len;) {
		guint8 type = tvb_get_guint8(tvb, off);
		int olen = type == 0 ? 1 : off + 1 < len ? 2 + tvb_get_guint8(tvb, off + 1) : 1;

		if (off + olen > len)
			break;		/* a TLV overrun; lib stopped there too */
		if (type == pref_option_type && i < f.n && (size_t)off == 2 + f.off[i])
			dissect_one(tvb, off, i++, pinfo, dtree, &w, have_walk, tcp_syn);
		else
			dissect_other(tvb, off, dtree);
		off += olen;
	}

	ipv6_pinfo_add_len(pinfo, iph, len);
	next = tvb_new_subset_remaining(tvb, len);
	if (!dissector_try_uint_new(ip_proto_table, nxt, next, pinfo, tree, TRUE, data))
		call_data_dissector(next, pinfo, tree);
	return tvb_captured_length(tvb);
}

static void
apply_prefs(void)
{
	struct pdmv2_state_prefs p = {pref_keylog_file, pref_kri_window};

	pdmv2_state_apply_prefs(&p);
}

/*
 * Claim "ip.proto" 60, keeping Wireshark's own handler for headers
 * without PDMv2.  The IPv6 dissector's handoff may run after a plugin's
 * and register its handler again, so this runs at handoff and again at
 * every capture file's start (after all handoffs).
 */
static void
take_over_dstopts(void)
{
	dissector_handle_t cur;

	if (!ip_proto_table)
		ip_proto_table = find_dissector_table("ip.proto");
	if (!ip_proto_table)
		return;
	cur = dissector_get_uint_handle(ip_proto_table, IP_PROTO_DSTOPTS);
	if (cur == pdmv2_dstopts_handle)
		return;
	if (cur)
		ws_dstopts_handle = cur;
	dissector_change_uint("ip.proto", IP_PROTO_DSTOPTS, pdmv2_dstopts_handle);
}

/* A new capture file: start its state over; a rewritten key log is
 * picked up here too. */
static void
init_routine(void)
{
	take_over_dstopts();
	apply_prefs();
	pdmv2_state_reset();
}

void
proto_register_pdmv2(void)
{
	static hf_register_info hf[] = {
		{&hf_variant, {"Encoding", "pdmv2.variant", FT_UINT8, BASE_DEC,
			VALS(variant_vals), 0, "1 = RFC 8250 PDM, 2 = PDMv2 unencrypted, 3 = PDMv2 encrypted", HFILL}},
		{&hf_type, {"Option Type", "pdmv2.type", FT_UINT8, BASE_HEX, NULL, 0, NULL, HFILL}},
		{&hf_length, {"Option Length", "pdmv2.length", FT_UINT8, BASE_DEC, NULL, 0, NULL, HFILL}},
		{&hf_version, {"Version", "pdmv2.version", FT_UINT16, BASE_DEC, NULL, 0xF000, NULL, HFILL}},
		{&hf_reserved, {"Reserved", "pdmv2.reserved", FT_UINT16, BASE_HEX, NULL, 0x0FFF, NULL, HFILL}},
		{&hf_random, {"Random Number / PRSEQ", "pdmv2.random", FT_UINT16, BASE_DEC, NULL, 0xFFFE, NULL, HFILL}},
		{&hf_flag, {"Key phase (F)", "pdmv2.flag", FT_UINT16, BASE_DEC, NULL, 0x0001, NULL, HFILL}},
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
		{&hf_rtt, {"Round-trip delay (us)", "pdmv2.rtt_us", FT_DOUBLE, BASE_NONE, NULL, 0, "The client's DeltaTLS", HFILL}},
		{&hf_server_delay, {"Server delay (us)", "pdmv2.server_delay_us", FT_DOUBLE, BASE_NONE, NULL, 0, "The server's DeltaTLR", HFILL}},
		{&hf_other_type, {"Option Type", "pdmv2.other.type", FT_UINT8, BASE_HEX, NULL, 0, "An option other than PDM in the same header", HFILL}},
		{&hf_other_len, {"Option Length", "pdmv2.other.length", FT_UINT8, BASE_DEC, NULL, 0, NULL, HFILL}},
	};
	static gint *ett[] = {&ett_pdmv2, &ett_dstopts, &ett_other};
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
		"Destination option type carrying PDM/PDMv2 (IANA has none for PDMv2 yet)",
		10, &pref_option_type);
	prefs_register_uint_preference(module, "kri_window", "Kri search window",
		"How many key phases to search when rebuilding the Key Rotation Index",
		10, &pref_kri_window);
	register_init_routine(init_routine);
	register_shutdown_routine(pdmv2_state_shutdown);
}

void
proto_reg_handoff_pdmv2(void)
{
	pdmv2_dstopts_handle = create_dissector_handle(dissect_dstopts, proto_pdmv2);
	proto_ipv6 = proto_get_id_by_filter_name("ipv6");
	proto_ipv6_dstopts = proto_get_id_by_filter_name("ipv6.dstopts");
	hf_ws_nxt = proto_registrar_get_id_byname("ipv6.dstopts.nxt");
	hf_ws_len = proto_registrar_get_id_byname("ipv6.dstopts.len");
	ws_dstopts_handle = find_dissector("data");	/* until the real one is known */
	take_over_dstopts();
}
