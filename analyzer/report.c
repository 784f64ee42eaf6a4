/*
 * report.c - builds the JSON report with json-c.  Key names are a
 * contract (INTERFACES.md): add, never rename.  Absent data is null or
 * left out, never a made-up 0.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include <arpa/inet.h>
#include <json-c/json.h>

#include "pdmv2/timefmt.h"
#include "double_text.h"
#include "escape.h"
#include "report.h"

static const char *const anomaly_names[AN_COUNT] = {
	[AN_MALFORMED] = "malformed_option",
	[AN_TRUNCATED] = "truncated_option",
	[AN_RESERVED] = "reserved_bits_set",
	[AN_VERSION] = "wrong_version",
	[AN_AUTH_FAILED] = "auth_failed",
	[AN_NO_KEY] = "no_key",
	[AN_NONCE_REUSE] = "nonce_reuse",
	[AN_IMPLAUSIBLE] = "implausible_delta",
	[AN_LATE] = "late_packet",
	[AN_DUPLICATE_PRSEQ] = "duplicate_prseq",
	[AN_MULTIPLE_OPTIONS] = "multiple_pdm_options",
	[AN_EPOCH_JUMP] = "epoch_jump",
};

/* Every key in this file is a string literal or an entry of a static
 * table, added once to its object: json-c need neither copy it nor look
 * for it first. */
static void
put(json_object *o, const char *key, json_object *v)
{
	json_object_object_add_ex(o, key, v, JSON_C_OBJECT_ADD_KEY_IS_NEW |
				  JSON_C_OBJECT_ADD_CONSTANT_KEY);
}

static json_object *
j_int(int64_t v)
{
	return json_object_new_int64(v);
}

static json_object *
j_u64(uint64_t v)
{
	return j_int((int64_t)v);
}

/* A double in its shortest exact text (double_text.h) */
static json_object *
j_double(double v)
{
	char buf[DOUBLE_TEXT_BUF];

	if (!isfinite(v))
		return json_object_new_double(v);
	(void)double_text_json(v, buf);
	return json_object_new_double_s(v, buf);
}

static json_object *
j_plain(const char *text)
{
	return json_object_new_string(text);
}

/* Text from outside (file names, key log messages, warnings naming
 * them): JSON strings must be UTF-8, a file name need not be. */
static json_object *
j_text(const char *text)
{
	char *valid;
	json_object *j;

	if (g_utf8_validate(text, -1, NULL))
		return json_object_new_string(text);
	valid = escape_utf8(text);
	j = json_object_new_string(valid);
	g_free(valid);
	return j;
}

static json_object *
j_time(int64_t ns)
{
	char buf[PDMV2_TIME_BUF];

	return j_plain(pdmv2_format_time(ns, buf));
}

static json_object *
j_addr(const uint8_t a[16])
{
	char buf[INET6_ADDRSTRLEN];

	return j_plain(inet_ntop(AF_INET6, a, buf, sizeof(buf)));
}

static json_object *
j_dist(const struct pdmv2_dist *d)
{
	static const double p[3] = {0.50, 0.90, 0.99};
	double q[3];
	json_object *j;

	if (d->count == 0)
		return NULL;
	pdmv2_dist_quantiles(d, p, 3, q);
	j = json_object_new_object();
	put(j, "count", j_u64(d->count));
	put(j, "min", j_double(d->min));
	put(j, "max", j_double(d->max));
	put(j, "mean", j_double(d->mean));
	put(j, "stddev", j_double(pdmv2_dist_stddev(d)));
	put(j, "p50", j_double(q[0]));
	put(j, "p90", j_double(q[1]));
	put(j, "p99", j_double(q[2]));
	return j;
}

/* A direction's retired key phases (what: "Kri epochs" or "Epochs"),
 * read back from the temporary file into all.  On failure the summary
 * may be out already, so it is said on stderr as well as in the JSON. */
static void
read_back(struct analysis *a, uint64_t flow_id, const struct epoch_chain *c,
	  const char *what, GArray *all)
{
	size_t item = g_array_get_element_size(all);
	guint base = all->len;
	struct epoch_cursor it;
	int r;

	g_array_set_size(all, base + (guint)c->count);
	epoch_chain_begin(c, &it);
	while ((r = epoch_chain_next(&it, all->data + (base + it.done) * item,
				     item)) == 1)
		;
	g_array_set_size(all, base + (guint)it.done);
	if (r == 0)
		return;
	fprintf(stderr, "pdmv2-analyze: flow %llu: %llu finished %s could not "
		"be read back from the temporary file: %s\n",
		(unsigned long long)flow_id,
		(unsigned long long)(c->count - it.done), what, g_strerror(errno));
	analysis_warn(a, "flow %llu: %llu finished %s could not be read back "
		      "from the temporary file: %s", (unsigned long long)flow_id,
		      (unsigned long long)(c->count - it.done), what,
		      g_strerror(errno));
}

/* The Epoch-layout Epochs of a direction (PROFILE.md 2.5, 5.5): the
 * retired ones from the temporary file, then the tracker's. */
static json_object *
j_epochs(struct analysis *a, uint64_t flow_id, const struct flow_dir *d,
	 struct pdmv2_epoch_totals *tot)
{
	json_object *eps = json_object_new_array();
	GArray *all;
	size_t i;

	if (!d->etr)
		return eps;
	all = g_array_new(FALSE, FALSE, sizeof(struct pdmv2_epoch_info));
	read_back(a, flow_id, &d->eps_out, "Epochs", all);
	for (i = 0; i < pdmv2_epoch_count(d->etr); i++)
		g_array_append_val(all, *pdmv2_epoch_at(d->etr, i));
	for (i = 0; i < all->len; i++) {
		const struct pdmv2_epoch_info *e =
			&g_array_index(all, struct pdmv2_epoch_info, i);
		json_object *x = json_object_new_object();

		put(x, "epoch", j_int(e->epoch));
		put(x, "first_frame", j_u64(e->first_frame));
		put(x, "last_frame", j_u64(e->last_frame));
		put(x, "packets", j_u64(e->packets));
		put(x, "first_ts", j_time(e->first_ts_ns));
		put(x, "last_ts", j_time(e->last_ts_ns));
		json_object_array_add(eps, x);
	}
	g_array_free(all, TRUE);
	pdmv2_epoch_totals(d->etr, tot);
	return eps;
}

static json_object *
j_direction(struct analysis *a, uint64_t flow_id, const struct flow_dir *d)
{
	json_object *j = json_object_new_object(), *eps = json_object_new_array();
	struct pdmv2_kri_totals tot = {0};
	struct pdmv2_epoch_totals etot = {0};
	size_t i;

	put(j, "packets", j_u64(d->packets));
	put(j, "pdm_packets", j_u64(d->pdm_packets));
	put(j, "decrypted", j_u64(d->decrypted));
	put(j, "auth_failed", j_u64(d->auth_failed));
	put(j, "no_key", j_u64(d->no_key));
	if (d->psn.any) {
		json_object *p = json_object_new_object();

		put(p, "first", j_int(d->psn.first));
		put(p, "last", j_int(d->psn.last));
		put(p, "lost", j_u64(pdmv2_psn_lost(&d->psn)));
		put(p, "duplicates", j_u64(d->psn.duplicates));
		put(p, "reordered", j_u64(d->psn.reordered));
		put(j, "psn", p);
	}
	if (d->dec) {
		const struct pdmv2_kri_tracker *t = pdmv2_decryptor_tracker(d->dec);
		GArray *all = g_array_new(FALSE, FALSE, sizeof(struct pdmv2_kri_epoch));

		/* the retired (older) ones from the file, then the tracker's */
		read_back(a, flow_id, &d->epochs_out, "Kri epochs", all);
		for (i = 0; i < pdmv2_kri_epoch_count(t); i++)
			g_array_append_val(all, *pdmv2_kri_epoch_at(t, i));
		for (i = 0; i < all->len; i++) {
			const struct pdmv2_kri_epoch *e =
				&g_array_index(all, struct pdmv2_kri_epoch, i);
			json_object *x = json_object_new_object();

			put(x, "kri", j_u64(e->kri));
			put(x, "phase", j_int(e->phase));
			put(x, "first_frame", j_u64(e->first_frame));
			put(x, "last_frame", j_u64(e->last_frame));
			put(x, "packets", j_u64(e->packets));
			put(x, "first_ts", j_time(e->first_ts_ns));
			put(x, "last_ts", j_time(e->last_ts_ns));
			put(x, "late", j_u64(e->late));
			json_object_array_add(eps, x);
		}
		g_array_free(all, TRUE);
		pdmv2_kri_totals(t, &tot);
	}
	if (d->layout != PDMV2_LAYOUT_NONE)
		put(j, "layout", json_object_new_string(pdmv2_layout_name(d->layout)));
	put(j, "kri_epochs", eps);
	put(j, "epochs", j_epochs(a, flow_id, d, &etot));
	put(j, "nonce_reuse", j_u64(tot.nonce_reuse + etot.nonce_reuse));
	return j;
}

static json_object *
j_endpoint(const uint8_t a[16], uint16_t port)
{
	json_object *j = json_object_new_object();

	put(j, "addr", j_addr(a));
	put(j, "port", j_int(port));
	return j;
}

static json_object *
j_flow(struct analysis *a, const struct flow *f)
{
	json_object *j = json_object_new_object(), *v, *dirs, *m;
	int i;

	put(j, "id", j_u64(f->id));
	switch (f->proto) {
	case PDMV2_IPPROTO_UDP:
		put(j, "protocol", json_object_new_string("udp"));
		break;
	case PDMV2_IPPROTO_TCP:
		put(j, "protocol", json_object_new_string("tcp"));
		break;
	case PDMV2_IPPROTO_ICMPV6:
		put(j, "protocol", json_object_new_string("icmpv6"));
		break;
	default:
		put(j, "protocol", j_int(f->proto));
	}
	put(j, "client", j_endpoint(f->client, f->cport));
	put(j, "server", j_endpoint(f->server, f->sport));
	put(j, "first_ts", j_time(f->first_ts));
	put(j, "last_ts", j_time(f->last_ts));
	v = json_object_new_array();
	if (f->has_pdm)
		json_object_array_add(v, json_object_new_string("pdm"));
	if (f->has_v2)
		json_object_array_add(v, json_object_new_string("pdmv2"));
	put(j, "pdm_versions", v);
	put(j, "encrypted", json_object_new_boolean(f->encrypted));
	dirs = json_object_new_object();
	put(dirs, "c2s", j_direction(a, f->id, &f->dir[DIR_C2S]));
	put(dirs, "s2c", j_direction(a, f->id, &f->dir[DIR_S2C]));
	put(j, "directions", dirs);
	m = json_object_new_object();
	for (i = 0; i < MET_COUNT; i++)
		put(m, flow_metric_names[i], j_dist(&f->dist[i]));
	put(j, "metrics", m);
	return j;
}

static json_object *
j_gptr(const struct pdmv2_gptr_table *t)
{
	json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; i < pdmv2_gptr_count(t); i++) {
		struct pdmv2_gptr_stats s;
		json_object *j = json_object_new_object();

		pdmv2_gptr_get(t, i, &s);
		put(j, "sender", j_addr(s.sender));
		put(j, "addr_type",
		    json_object_new_string(pdmv2_addr_type_name(s.addr_type)));
		put(j, "packets", j_u64(s.packets));
		put(j, "first", j_u64(s.first));
		put(j, "last", j_u64(s.last));
		put(j, "advance", j_u64(s.advance));
		put(j, "coverage", j_double(s.coverage));
		put(j, "rate_pps", j_double(s.rate_pps));
		put(j, "resets", j_u64(s.resets));
		put(j, "wraps", j_u64(s.wraps));
		put(j, "flows", j_u64(s.flows));
		json_object_array_add(arr, j);
	}
	return arr;
}

/* Everything but the flows. */
static json_object *
j_summary(struct analysis *a)
{
	json_object *root = json_object_new_object(), *o, *arr;
	const GPtrArray *inputs = analysis_inputs(a), *files, *warnings;
	const struct pdmv2_keylog *kl = analysis_keylog(a);
	struct analysis_totals t;
	size_t i;

	analysis_totals(a, &t);

	put(root, "schema", json_object_new_string(REPORT_SCHEMA));
	o = json_object_new_object();
	put(o, "name", json_object_new_string("pdmv2-analyze"));
	put(o, "version", json_object_new_string(PDMV2_TOOLS_VERSION));
	put(root, "tool", o);

	arr = json_object_new_array();
	for (i = 0; i < inputs->len; i++) {
		struct input_info *in = g_ptr_array_index(inputs, i);

		o = json_object_new_object();
		put(o, "file", j_text(in->file));
		put(o, "linktype", in->linktype_name ?
		    json_object_new_string(in->linktype_name) : NULL);
		put(o, "packets", j_u64(in->packets));
		put(o, "truncated", json_object_new_boolean(in->truncated));
		if (in->failed)
			put(o, "error", json_object_new_boolean(1));
		json_object_array_add(arr, o);
	}
	put(root, "inputs", arr);

	o = json_object_new_object();
	put(o, "packets", j_u64(t.packets));
	put(o, "ipv6_packets", j_u64(t.ipv6_packets));
	put(o, "first_ts", t.packets ? j_time(t.first_ts) : NULL);
	put(o, "last_ts", t.packets ? j_time(t.last_ts) : NULL);
	put(o, "duration_us", t.packets ?
	    j_double(pdmv2_time_span_ns(t.first_ts, t.last_ts) / 1e3) : NULL);
	if (t.skipped_linktype)
		put(o, "skipped_linktype", j_u64(t.skipped_linktype));
	put(root, "capture", o);

	o = json_object_new_object();
	arr = json_object_new_array();
	files = analysis_keylog_files(a);
	for (i = 0; i < files->len; i++)
		json_object_array_add(arr, j_text(g_ptr_array_index(files, i)));
	put(o, "files", arr);
	put(o, "entries", j_u64(pdmv2_keylog_count(kl)));
	arr = json_object_new_array();
	for (i = 0; i < pdmv2_keylog_ndiag(kl); i++) {
		const struct pdmv2_keylog_diag *d = pdmv2_keylog_diag(kl, i);
		json_object *e;

		if (!d->is_error)
			continue;
		e = json_object_new_object();
		put(e, "file", j_text(d->file));
		put(e, "line", j_int((int)d->line));
		put(e, "message", j_text(d->message));
		json_object_array_add(arr, e);
	}
	put(o, "errors", arr);
	put(root, "keylog", o);

	o = json_object_new_object();
	put(o, "packets", j_u64(t.pdm.packets));
	put(o, "pdm_v1", j_u64(t.pdm.v1));
	put(o, "pdmv2_plain", j_u64(t.pdm.plain));
	put(o, "pdmv2_encrypted", j_u64(t.pdm.encrypted));
	put(o, "decrypted", j_u64(t.pdm.decrypted));
	put(o, "auth_failed", j_u64(t.pdm.auth_failed));
	put(o, "no_key", j_u64(t.pdm.no_key));
	put(o, "malformed", j_u64(t.pdm.malformed));
	put(o, "truncated", j_u64(t.pdm.truncated));
	put(o, "epoch_layout", j_u64(t.pdm.epoch_layout));
	put(root, "pdm", o);

	o = json_object_new_object();
	for (i = 0; i < AN_COUNT; i++) {
		const struct anomaly_list *l = &t.anomalies[i];
		json_object *x, *frames;
		unsigned k;

		if (!l->count)
			continue;
		x = json_object_new_object();
		frames = json_object_new_array();
		for (k = 0; k < l->nframes; k++)
			json_object_array_add(frames, j_u64(l->frames[k]));
		put(x, "count", j_u64(l->count));
		put(x, "frames", frames);
		put(o, anomaly_names[i], x);
	}
	put(root, "anomalies", o);
	put(root, "global_pointer", j_gptr(analysis_gptr(a)));

	arr = json_object_new_array();
	warnings = analysis_warnings(a);
	for (i = 0; i < warnings->len; i++)
		json_object_array_add(arr, j_text(g_ptr_array_index(warnings, i)));
	put(root, "warnings", arr);
	return root;
}

json_object *
report_json(struct analysis *a)
{
	json_object *root = j_summary(a), *flows = json_object_new_array();
	size_t i;

	for (i = 0; i < analysis_nflows(a); i++) {
		const struct flow *f = analysis_flow(a, (guint)i);

		if (f && !f->streamed)
			json_object_array_add(flows, j_flow(a, f));
	}
	/* flows after pdm, as in INTERFACES.md */
	put(root, "flows", flows);
	return root;
}

void
report_stream_flow(struct analysis *a, const struct flow *f)
{
	json_object *j = j_flow(a, f);

	fprintf(analysis_config(a)->jsonl_out, "%s\n", json_object_to_json_string_ext(j,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(j);
}

void
report_finish_stream(struct analysis *a)
{
	json_object *sum;
	size_t i;

	for (i = 0; i < analysis_nflows(a); i++) {
		struct flow *f = analysis_flow(a, (guint)i);

		if (f && !f->streamed) {
			report_stream_flow(a, f);
			f->streamed = true;
		}
	}
	sum = j_summary(a);
	fprintf(analysis_config(a)->jsonl_out, "%s\n", json_object_to_json_string_ext(sum,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(sum);
}

/* One object's text, every line after the first indented by `indent`
 * spaces, so a streamed flow nests inside the pretty-printed report. */
static void
put_indented(FILE *out, const char *text, int indent)
{
	for (; *text; text++) {
		fputc(*text, out);
		if (*text == '\n')
			fprintf(out, "%*s", indent, "");
	}
}

int
report_write(struct analysis *a, FILE *out, bool pretty)
{
	int flags = (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
		     JSON_C_TO_STRING_PLAIN) | JSON_C_TO_STRING_NOSLASHESCAPE;
	json_object *sum = j_summary(a);
	const char *text = json_object_to_json_string_ext(sum, flags);
	size_t len = strlen(text), i, written = 0;

	/* The summary without its closing brace, then "flows" one at a
	 * time, each built, printed and freed: the whole report as one
	 * json-c tree would hold every flow's objects at once. */
	while (len > 0 && (text[len - 1] == '}' || text[len - 1] == '\n' ||
			   text[len - 1] == ' '))
		len--;
	fwrite(text, 1, len, out);
	fputs(pretty ? ",\n  \"flows\": [" : ",\"flows\":[", out);
	json_object_put(sum);
	for (i = 0; i < analysis_nflows(a); i++) {
		const struct flow *f = analysis_flow(a, (guint)i);
		json_object *j;

		if (!f || f->streamed)
			continue;
		j = j_flow(a, f);
		text = json_object_to_json_string_ext(j, flags);
		fputs(written++ ? "," : "", out);
		if (pretty) {
			fputs("\n    ", out);
			put_indented(out, text, 4);
		} else {
			fputs(text, out);
		}
		json_object_put(j);
	}
	fputs(pretty ? (written ? "\n  ]\n}\n" : "]\n}\n") : "]}\n", out);
	return ferror(out) ? -1 : 0;
}
