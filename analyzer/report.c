/*
 * report.c - builds the JSON report with json-c.  Key names are a
 * contract (INTERFACES.md): add, never rename.  Absent data is null or
 * left out, never a made-up 0.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
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

/*
 * Key phases are written one at a time, never built together: a
 * direction may have a million of them, most in the temporary file
 * (epochs.h).  A flow is built with one or two empty stand-ins in each
 * list of key phases, whose serializer only notes where json-c put it.
 * The flow's text is then written with the entries in their place: each
 * printed by json-c on its own and indented as json-c indents what it
 * nests (the blank before the first stand-in), with json-c's separator
 * between them (the text between the two stand-ins).  The bytes are
 * those of the whole flow printed at once, in either style.
 */
enum phase_kind { PHASE_KRI, PHASE_EPOCH };

struct phase_list {
	enum phase_kind kind;
	const struct epoch_chain *chain;	/* retired ones, oldest first */
	const void *tracker;			/* then the tracker's own */
	uint64_t n;				/* entries in all */
	int pos[2];				/* where the stand-ins went */
};

/* Kri epochs and Epochs of each direction */
#define FLOW_LISTS 4

struct flow_lists {
	struct phase_list l[FLOW_LISTS];
	unsigned n;
};

static int
note_position(json_object *jso, struct printbuf *pb, int level, int flags)
{
	int *pos = json_object_get_userdata(jso);

	(void)level;
	(void)flags;
	*pos = pb->bpos;
	return 0;
}

/* The JSON array of a list of key phases, with stand-ins for its
 * entries (listed in fl); empty when there are none. */
static json_object *
j_phase_list(struct flow_lists *fl, enum phase_kind kind,
	     const struct epoch_chain *chain, const void *tracker,
	     size_t in_tracker)
{
	json_object *arr = json_object_new_array();
	struct phase_list *l;
	unsigned k;

	if (chain->count + in_tracker == 0)
		return arr;
	g_assert(fl->n < FLOW_LISTS);
	l = &fl->l[fl->n++];
	l->kind = kind;
	l->chain = chain;
	l->tracker = tracker;
	l->n = chain->count + in_tracker;
	l->pos[0] = l->pos[1] = -1;
	for (k = 0; k < 2 && k < l->n; k++) {
		json_object *x = json_object_new_boolean(0);

		json_object_set_serializer(x, note_position, &l->pos[k], NULL);
		json_object_array_add(arr, x);
	}
	return arr;
}

static json_object *
j_kri_epoch(const struct pdmv2_kri_epoch *e)
{
	json_object *x = json_object_new_object();

	put(x, "kri", j_u64(e->kri));
	put(x, "phase", j_int(e->phase));
	put(x, "first_frame", j_u64(e->first_frame));
	put(x, "last_frame", j_u64(e->last_frame));
	put(x, "packets", j_u64(e->packets));
	put(x, "first_ts", j_time(e->first_ts_ns));
	put(x, "last_ts", j_time(e->last_ts_ns));
	put(x, "late", j_u64(e->late));
	return x;
}

/* An Epoch-layout Epoch (PROFILE.md 2.5, 5.5) */
static json_object *
j_epoch_info(const struct pdmv2_epoch_info *e)
{
	json_object *x = json_object_new_object();

	put(x, "epoch", j_int(e->epoch));
	put(x, "first_frame", j_u64(e->first_frame));
	put(x, "last_frame", j_u64(e->last_frame));
	put(x, "packets", j_u64(e->packets));
	put(x, "first_ts", j_time(e->first_ts_ns));
	put(x, "last_ts", j_time(e->last_ts_ns));
	return x;
}

static json_object *
j_direction(struct flow_lists *fl, const struct flow_dir *d)
{
	json_object *j = json_object_new_object(), *eps;
	struct pdmv2_kri_totals tot = {0};
	struct pdmv2_epoch_totals etot = {0};

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
	if (d->layout != PDMV2_LAYOUT_NONE)
		put(j, "layout", json_object_new_string(pdmv2_layout_name(d->layout)));
	if (d->dec) {
		const struct pdmv2_kri_tracker *t = pdmv2_decryptor_tracker(d->dec);

		/* the retired (older) ones from the file, then the tracker's */
		eps = j_phase_list(fl, PHASE_KRI, d->epochs_out, t,
				   pdmv2_kri_epoch_count(t));
		pdmv2_kri_totals(t, &tot);
	} else {
		eps = json_object_new_array();
	}
	put(j, "kri_epochs", eps);
	if (d->etr) {
		eps = j_phase_list(fl, PHASE_EPOCH, d->eps_out, d->etr,
				   pdmv2_epoch_count(d->etr));
		pdmv2_epoch_totals(d->etr, &etot);
	} else {
		eps = json_object_new_array();
	}
	put(j, "epochs", eps);
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

/* A flow, with stand-ins for its key phases (listed in fl). */
static json_object *
j_flow(struct flow_lists *fl, const struct flow *f, const char *type)
{
	json_object *j = json_object_new_object(), *v, *dirs, *m;
	int i;

	if (type)	/* --jsonl lines say what they are, first */
		put(j, "type", json_object_new_string(type));
	put(j, "id", j_u64(f->id));
	if (pdmv2_proto_name(f->proto))
		put(j, "protocol", json_object_new_string(pdmv2_proto_name(f->proto)));
	else
		put(j, "protocol", j_int(f->proto));
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
	put(dirs, "c2s", j_direction(fl, &f->dir[DIR_C2S]));
	put(dirs, "s2c", j_direction(fl, &f->dir[DIR_S2C]));
	put(j, "directions", dirs);
	m = json_object_new_object();
	for (i = 0; i < MET_COUNT; i++)
		put(m, flow_metric_names[i], j_dist(&f->dist[i]));
	put(j, "metrics", m);
	return j;
}

/* Where a flow's text goes: the report or the --jsonl stream, or the
 * temporary file of evicted flows. */
struct sink {
	FILE *file;
	struct spill *spill;
	bool failed;		/* the temporary file refused */
	uint64_t lost;		/* key phases that could not be read back */
	int lost_err;		/* and why (errno) */
};

static void
sink_put(struct sink *k, const char *p, size_t n)
{
	if (k->file)
		(void)fwrite(p, 1, n, k->file);
	else if (!k->failed && !spill_append(k->spill, p, n))
		k->failed = true;
}

/* text[0..len), each newline followed by indent: what json-c prints at
 * one level, moved to another (it indents what it nests by its level). */
static void
put_indented(struct sink *k, const char *text, size_t len, const char *indent)
{
	size_t ilen = strlen(indent);
	const char *nl;

	while (len > 0 && (nl = memchr(text, '\n', len))) {
		size_t n = (size_t)(nl - text) + 1;

		sink_put(k, text, n);
		sink_put(k, indent, ilen);
		text += n;
		len -= n;
	}
	sink_put(k, text, len);
}

/* One entry of a list, after json-c's separator if not the first. */
static void
put_entry(struct sink *k, json_object *x, int flags, const char *sep,
	  size_t seplen, const char *indent, const char *inner, bool *first)
{
	const char *t = json_object_to_json_string_ext(x, flags);

	if (!*first)
		put_indented(k, sep, seplen, indent);
	put_indented(k, t, strlen(t), inner);
	*first = false;
	json_object_put(x);
}

/* The entries of l where its stand-ins were in text: those in the
 * temporary file, read one at a time, then the tracker's. */
static void
put_phases(struct sink *k, const struct phase_list *l, const char *text,
	   int flags, const char *indent)
{
	union {
		struct pdmv2_kri_epoch kri;
		struct pdmv2_epoch_info epoch;
	} e;
	size_t size = l->kind == PHASE_KRI ? sizeof(e.kri) : sizeof(e.epoch);
	size_t b = (size_t)l->pos[0], seplen, i, n;
	const char *sep = text + l->pos[0];
	struct epoch_cursor it;
	bool first = true;
	char *inner;
	int r;

	seplen = l->n >= 2 ? (size_t)(l->pos[1] - l->pos[0]) : 0;
	while (b > 0 && (text[b - 1] == ' ' || text[b - 1] == '\t'))
		b--;
	inner = g_strdup_printf("%s%.*s", indent, l->pos[0] - (int)b, text + b);
	epoch_chain_begin(l->chain, &it);
	while ((r = epoch_chain_next(&it, &e, size)) == 1)
		put_entry(k, l->kind == PHASE_KRI ? j_kri_epoch(&e.kri) :
			  j_epoch_info(&e.epoch), flags, sep, seplen, indent,
			  inner, &first);
	if (r < 0) {
		k->lost_err = errno;
		k->lost += l->chain->count - it.done;
	}
	if (l->kind == PHASE_KRI) {
		n = pdmv2_kri_epoch_count(l->tracker);
		for (i = 0; i < n; i++)
			put_entry(k, j_kri_epoch(pdmv2_kri_epoch_at(l->tracker, i)),
				  flags, sep, seplen, indent, inner, &first);
	} else {
		n = pdmv2_epoch_count(l->tracker);
		for (i = 0; i < n; i++)
			put_entry(k, j_epoch_info(pdmv2_epoch_at(l->tracker, i)),
				  flags, sep, seplen, indent, inner, &first);
	}
	g_free(inner);
}

/* One flow's text, each line after the first indented by indent (the
 * flows of a pretty report are nested two levels deep). */
static void
write_flow(struct sink *k, const struct flow *f, int flags, const char *indent,
	   const char *type)
{
	struct flow_lists fl = {.n = 0};
	json_object *j = j_flow(&fl, f, type);
	const char *text = json_object_to_json_string_ext(j, flags);
	size_t at = 0;
	unsigned i, m;

	/* in the order json-c printed them */
	for (i = 1; i < fl.n; i++)
		for (m = i; m > 0 && fl.l[m].pos[0] < fl.l[m - 1].pos[0]; m--) {
			struct phase_list t = fl.l[m];

			fl.l[m] = fl.l[m - 1];
			fl.l[m - 1] = t;
		}
	for (i = 0; i < fl.n; i++) {
		const struct phase_list *l = &fl.l[i];

		g_assert(l->pos[0] >= 0 && (l->n < 2 || l->pos[1] >= l->pos[0]));
		put_indented(k, text + at, (size_t)l->pos[0] - at, indent);
		put_phases(k, l, text, flags, indent);
		at = (size_t)l->pos[l->n >= 2 ? 1 : 0];
	}
	put_indented(k, text + at, strlen(text) - at, indent);
	json_object_put(j);
}

/* Key phases of f that could not be read back from the temporary file:
 * said in the JSON when its warnings are still to come, else on stderr
 * only. */
static void
say_lost(struct analysis *a, const struct flow *f, const struct sink *k,
	 bool in_json)
{
	if (!k->lost)
		return;
	fprintf(stderr, "pdmv2-analyze: flow %llu: %llu finished key phases could "
		"not be read back from the temporary file: %s\n",
		(unsigned long long)f->id, (unsigned long long)k->lost,
		g_strerror(k->lost_err));
	if (in_json)
		analysis_warn(a, "flow %llu: %llu finished key phases could not be "
			      "read back from the temporary file: %s",
			      (unsigned long long)f->id,
			      (unsigned long long)k->lost, g_strerror(k->lost_err));
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

/* Everything but the flows; type: first, as j_flow's. */
static json_object *
j_summary(struct analysis *a, const char *type)
{
	json_object *root = json_object_new_object(), *o, *arr;
	const GPtrArray *inputs = analysis_inputs(a), *files, *warnings;
	const struct pdmv2_keylog *kl = analysis_keylog(a);
	struct analysis_totals t;
	size_t i;

	analysis_totals(a, &t);

	if (type)
		put(root, "type", json_object_new_string(type));
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
	if (t.evicted_flows)
		put(o, "evicted_flows", j_u64(t.evicted_flows));
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
		/* the list keeps the first ANOMALY_FRAMES_MAX: says so */
		put(x, "frames_left_out", j_u64(l->count - l->nframes));
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

static int
json_flags(bool pretty)
{
	return (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
		JSON_C_TO_STRING_PLAIN) | JSON_C_TO_STRING_NOSLASHESCAPE;
}

/* A flow of a pretty report is nested two levels deep. */
#define FLOW_INDENT "    "

void
report_stream_flow(struct analysis *a, const struct flow *f)
{
	struct sink k = {.file = analysis_config(a)->jsonl_out};

	write_flow(&k, f, json_flags(false), "", "flow");
	fputc('\n', k.file);
	say_lost(a, f, &k, true);	/* the summary line comes last */
}

bool
report_spill_flow(struct analysis *a, const struct flow *f,
		  struct evicted_flows *ev)
{
	bool pretty = analysis_config(a)->pretty;
	struct sink k = {.spill = &ev->file};
	uint64_t mark = spill_size(&ev->file), len = 0;

	if (!spill_append(k.spill, &len, sizeof(len)))
		return false;
	write_flow(&k, f, json_flags(pretty), pretty ? FLOW_INDENT : "", NULL);
	len = spill_size(k.spill) - mark - sizeof(len);
	if (k.failed || !spill_overwrite(k.spill, mark, &len, sizeof(len))) {
		/* not stored: the flow stays in the table */
		spill_truncate(k.spill, mark);
		return false;
	}
	ev->count++;
	say_lost(a, f, &k, true);
	return true;
}

void
report_finish_stream(struct analysis *a)
{
	GPtrArray *flows = analysis_flows(a);
	json_object *sum;
	guint i;

	for (i = 0; i < flows->len; i++) {
		struct flow *f = g_ptr_array_index(flows, i);

		if (!f->streamed) {
			report_stream_flow(a, f);
			f->streamed = true;
		}
	}
	g_ptr_array_free(flows, TRUE);
	sum = j_summary(a, "summary");
	fprintf(analysis_config(a)->jsonl_out, "%s\n", json_object_to_json_string_ext(sum,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(sum);
}

/* Reads the temporary file back before the report's warnings are
 * written, so that what cannot be read is said there. */
static void
check_spill(struct analysis *a)
{
	struct epoch_spill *es = analysis_epoch_spill(a);
	uint64_t lost = 0, dirs = 0;
	GPtrArray *flows;
	guint i;
	int d;

	if (spill_check(&es->file))
		return;
	flows = analysis_flows(a);
	for (i = 0; i < flows->len; i++) {
		const struct flow *f = g_ptr_array_index(flows, i);

		for (d = 0; d < 2; d++) {
			const struct flow_dir *fd = &f->dir[d];
			uint64_t n = epoch_chain_unreadable(fd->epochs_out) +
				     epoch_chain_unreadable(fd->eps_out);

			lost += n;
			dirs += n > 0;
		}
	}
	g_ptr_array_free(flows, TRUE);
	analysis_warn(a, "temporary file of finished key phases: cannot read it "
		      "back from byte %llu on: %s; %llu key phases of %llu "
		      "directions are left out of the report",
		      (unsigned long long)es->file.bad,
		      g_strerror(es->file.bad_err), (unsigned long long)lost,
		      (unsigned long long)dirs);
}

/* The same for the evicted flows: how many of them can be copied, the
 * first ones up to one that cannot be read whole. */
static uint64_t
check_evicted(struct analysis *a)
{
	struct evicted_flows *ev = analysis_evicted(a);
	uint64_t ok = 0, off = 0, len;

	if (spill_check(&ev->file))
		return ev->count;
	while (ok < ev->count && spill_read(&ev->file, off, &len, sizeof(len)) &&
	       spill_readable(&ev->file, off, sizeof(len) + len)) {
		off += sizeof(len) + len;
		ok++;
	}
	analysis_warn(a, "temporary file of evicted flows: cannot read it back "
		      "from byte %llu on: %s; %llu of the %llu evicted flows are "
		      "left out of the report", (unsigned long long)ev->file.bad,
		      g_strerror(ev->file.bad_err),
		      (unsigned long long)(ev->count - ok),
		      (unsigned long long)ev->count);
	return ok;
}

/* The first n evicted flows, as report_spill_flow stored them; written
 * counts the report's flows.  False when one could not be read whole:
 * the report is then broken. */
static bool
copy_evicted(struct analysis *a, FILE *out, bool pretty, uint64_t n,
	     uint64_t *written)
{
	struct spill *s = &analysis_evicted(a)->file;
	char *buf = g_malloc(SPILL_BUF);
	uint64_t off = 0, len, at, i;
	size_t chunk;

	for (i = 0; i < n; i++) {
		if (!spill_read(s, off, &len, sizeof(len)))
			goto fail;
		fputs((*written)++ ? "," : "", out);
		if (pretty)
			fputs("\n" FLOW_INDENT, out);
		for (at = 0; at < len; at += chunk) {
			chunk = len - at < SPILL_BUF ? (size_t)(len - at) : SPILL_BUF;
			if (!spill_read(s, off + sizeof(len) + at, buf, chunk))
				goto fail;
			fwrite(buf, 1, chunk, out);
		}
		off += sizeof(len) + len;
	}
	g_free(buf);
	return true;
fail:
	fprintf(stderr, "pdmv2-analyze: evicted flows: the temporary file could "
		"not be read back after all: %s\n", g_strerror(errno));
	g_free(buf);
	return false;
}

int
report_write(struct analysis *a, FILE *out)
{
	bool pretty = analysis_config(a)->pretty, whole;
	int flags = json_flags(pretty);
	uint64_t copy, written = 0;
	json_object *sum;
	const char *text;
	size_t len;
	struct sink k = {.file = out};
	GPtrArray *flows;
	guint i;

	/* before the warnings are printed */
	check_spill(a);
	copy = check_evicted(a);
	sum = j_summary(a, NULL);
	text = json_object_to_json_string_ext(sum, flags);
	len = strlen(text);

	/* The summary without its closing brace, then "flows" one at a
	 * time, each built, printed and freed: the whole report as one
	 * json-c tree would hold every flow's objects at once.  Evicted
	 * flows first, as they left the table. */
	while (len > 0 && (text[len - 1] == '}' || text[len - 1] == '\n' ||
			   text[len - 1] == ' '))
		len--;
	fwrite(text, 1, len, out);
	fputs(pretty ? ",\n  \"flows\": [" : ",\"flows\":[", out);
	json_object_put(sum);
	whole = copy_evicted(a, out, pretty, copy, &written);
	flows = analysis_flows(a);
	for (i = 0; whole && i < flows->len; i++) {
		const struct flow *f = g_ptr_array_index(flows, i);

		if (f->streamed)
			continue;
		fputs(written++ ? "," : "", out);
		if (pretty)
			fputs("\n" FLOW_INDENT, out);
		k.lost = 0;
		write_flow(&k, f, flags, pretty ? FLOW_INDENT : "", NULL);
		/* found by now only if the file failed since check_spill */
		say_lost(a, f, &k, false);
	}
	g_ptr_array_free(flows, TRUE);
	fputs(pretty ? (written ? "\n  ]\n}\n" : "]\n}\n") : "]}\n", out);
	return whole && !ferror(out) ? 0 : -1;
}
