/*
 * pdmv2-tap.c - the "PDMv2 Flows" statistics table, one registration
 * for both front ends: Wireshark lists it under Statistics, tshark
 * prints it for "-z pdmv2,flows[,FILTER]".  A row per flow: per
 * direction the PDM packets, decrypted ones and PSN loss (lib's psn.h,
 * 16 or 32 bits by layout, fed with the options whose PSNTP is known in
 * capture order as pdmv2-analyze feeds it), and the RTT and server
 * delay samples the dissector computed with lib's samples.h (count,
 * min, mean, max through lib's dist.h), so the table equals the
 * analyzer's report on the same capture.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_BUILD_DLL
#include <math.h>
#include <string.h>

#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <wsutil/inet_addr.h>

#include "pdmv2-tap.h"
#include "pdmv2/dist.h"
#include "pdmv2/psn.h"

#define TABLE_TITLE "PDMv2 flows (nan: no sample)"

enum {
	COL_FLOW, COL_PROTO, COL_CLIENT, COL_SERVER,
	COL_C2S,			/* packets, decrypted, lost */
	COL_S2C = COL_C2S + 3,
	COL_RTT = COL_S2C + 3,		/* count, min, mean, max */
	COL_SD = COL_RTT + 4,
	NCOLS = COL_SD + 4
};

/*
 * tshark prints a cell with its column's format (ui/cli's simple
 * table printer), Wireshark a FLOAT with six decimals.  "%.17g" is what
 * pdmv2-analyze writes its doubles with: tshark's delays are then the
 * report's to the bit, while the GUI keeps numbers it sorts as numbers.
 */
static stat_tap_table_item columns[NCOLS] = {
	{TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Flow", "%u"},
	{TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Protocol", "%s"},
	{TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Client", "%s"},
	{TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Server", "%s"},
	{TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "C2S packets", "%u"},
	{TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "C2S decrypted", "%u"},
	{TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "C2S lost", "%u"},
	{TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "S2C packets", "%u"},
	{TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "S2C decrypted", "%u"},
	{TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "S2C lost", "%u"},
	{TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "RTT count", "%u"},
	{TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "RTT min (us)", "%.17g"},
	{TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "RTT mean (us)", "%.17g"},
	{TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "RTT max (us)", "%.17g"},
	{TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Server delay count", "%u"},
	{TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "Server delay min (us)", "%.17g"},
	{TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "Server delay mean (us)", "%.17g"},
	{TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "Server delay max (us)", "%.17g"},
};

struct side {
	uint64_t pdm_packets, decrypted;
	struct pdmv2_psn psn;		/* width set by the first PSN */
	bool psn_started;
};

/* A row's counts, in its Flow cell's user data (the table's scratch
 * space for dissectors); the row's other cells show them. */
struct flow {
	struct side dir[2];		/* c2s, s2c */
	struct pdmv2_dist rtt, server_delay;
	bool live;			/* seen since the last reset */
};

/*
 * Flow id - 1 -> row + 1 (0: none yet).  There is one table: the
 * registration is static and Wireshark's dialogs share its table.  Rows
 * are freed only with the table (a dialog still open points into
 * them), so a row keeps its flow id across a retap, and takes the
 * flow's addresses again when the id comes back (another file).
 */
static GArray *row_of_flow;

static void
flow_clear(struct flow *f)
{
	pdmv2_psn_free(&f->dir[0].psn);
	pdmv2_psn_free(&f->dir[1].psn);
	pdmv2_dist_free(&f->rtt);
	pdmv2_dist_free(&f->server_delay);
	memset(f, 0, sizeof(*f));
	pdmv2_dist_init(&f->rtt);
	pdmv2_dist_init(&f->server_delay);
}

static void
put_count(stat_tap_table *t, guint row, int col, uint64_t v)
{
	/* a UINT cell is 32 bits: a count past it shows as its largest */
	stat_tap_get_field_data(t, row, col)->value.uint_value =
		v > G_MAXUINT ? G_MAXUINT : (guint)v;
}

static void
put_dist(stat_tap_table *t, guint row, int col, const struct pdmv2_dist *d)
{
	bool any = d->count > 0;

	put_count(t, row, col, d->count);
	stat_tap_get_field_data(t, row, col + 1)->value.float_value = any ? d->min : NAN;
	stat_tap_get_field_data(t, row, col + 2)->value.float_value = any ? d->mean : NAN;
	stat_tap_get_field_data(t, row, col + 3)->value.float_value = any ? d->max : NAN;
}

static void
show(stat_tap_table *t, guint row, const struct flow *f)
{
	int d;

	for (d = 0; d < 2; d++) {
		int col = d ? COL_S2C : COL_C2S;

		put_count(t, row, col, f->dir[d].pdm_packets);
		put_count(t, row, col + 1, f->dir[d].decrypted);
		put_count(t, row, col + 2, pdmv2_psn_lost(&f->dir[d].psn));
	}
	put_dist(t, row, COL_RTT, &f->rtt);
	put_dist(t, row, COL_SD, &f->server_delay);
}

static void
put_string(stat_tap_table *t, guint row, int col, char *s)
{
	stat_tap_table_item_type *c = stat_tap_get_field_data(t, row, col);

	g_free((char *)c->value.string_value);
	c->value.string_value = s;
}

static char *
endpoint(const uint8_t addr[16], uint16_t port)
{
	char a[WS_INET6_ADDRSTRLEN];

	ws_inet_ntop6(addr, a, sizeof(a));
	return g_strdup_printf("[%s]:%u", a, port);
}

/* The flow's addresses, as pdmv2-analyze names the client and the
 * protocol. */
static void
put_names(stat_tap_table *t, guint row, const struct pdmv2_tap_rec *r)
{
	bool c = r->res->client;

	switch (r->proto) {
	case 6: put_string(t, row, COL_PROTO, g_strdup("tcp")); break;
	case 17: put_string(t, row, COL_PROTO, g_strdup("udp")); break;
	case 58: put_string(t, row, COL_PROTO, g_strdup("icmpv6")); break;
	default: put_string(t, row, COL_PROTO, g_strdup_printf("%u", r->proto));
	}
	put_string(t, row, COL_CLIENT, c ? endpoint(r->src, r->sport) : endpoint(r->dst, r->dport));
	put_string(t, row, COL_SERVER, c ? endpoint(r->dst, r->dport) : endpoint(r->src, r->sport));
}

static struct flow *
flow_of(stat_tap_table *t, const struct pdmv2_tap_rec *r, guint *rowp)
{
	guint id = r->res->flow, row;
	struct flow *f;

	if (id > row_of_flow->len)
		g_array_set_size(row_of_flow, id);
	row = g_array_index(row_of_flow, guint, id - 1);
	if (row == 0) {
		stat_tap_table_item_type cells[NCOLS];
		int i;

		memset(cells, 0, sizeof(cells));
		for (i = 0; i < NCOLS; i++)
			cells[i].type = columns[i].type;
		cells[COL_FLOW].value.uint_value = id;
		f = g_new0(struct flow, 1);
		flow_clear(f);
		cells[COL_FLOW].user_data.ptr_value = f;
		row = t->num_elements;
		stat_tap_init_table_row(t, row, NCOLS, cells);
		g_array_index(row_of_flow, guint, id - 1) = row + 1;
	} else {
		row--;
	}
	f = stat_tap_get_field_data(t, row, COL_FLOW)->user_data.ptr_value;
	if (!f->live) {
		put_names(t, row, r);
		f->live = true;
	}
	*rowp = row;
	return f;
}

static tap_packet_status
flows_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt,
	     const void *data, tap_flags_t flags)
{
	stat_data_t *sd = tapdata;
	stat_tap_table *t = g_array_index(sd->stat_tap_data->tables, stat_tap_table *, 0);
	const struct pdmv2_tap_rec *r = data;
	const struct pdmv2_frame_result *res = r->res;
	struct flow *f;
	struct side *s;
	guint row;

	(void)pinfo;
	(void)edt;
	(void)flags;
	if (!res || res->flow == 0)
		return TAP_PACKET_DONT_REDRAW;
	f = flow_of(t, r, &row);
	s = &f->dir[res->client ? 0 : 1];
	s->pdm_packets++;
	if (r->rc == PDMV2_OK && res->psn_known) {
		/* an Epoch-layout option without a key still counts its
		 * clear PSNTP (PROFILE.md 5.5) */
		if (!s->psn_started) {
			pdmv2_psn_init_width(&s->psn, r->psn_bits);
			s->psn_started = true;
		}
		(void)pdmv2_psn_add(&s->psn, res->m.psntp, NULL);
		if (res->readable) {
			if (r->variant == PDMV2_VARIANT_ENCRYPTED)
				s->decrypted++;
			if (res->samples.has_rtt)
				pdmv2_dist_add(&f->rtt, res->samples.rtt_us);
			if (res->samples.has_server_delay)
				pdmv2_dist_add(&f->server_delay, res->samples.server_delay_us);
		}
	}
	show(t, row, f);
	return TAP_PACKET_REDRAW;
}

/* A retap: counts start again, rows stay (see row_of_flow). */
static void
flows_reset(stat_tap_table *t)
{
	guint row;

	for (row = 0; row < t->num_elements; row++) {
		struct flow *f = stat_tap_get_field_data(t, row, COL_FLOW)->user_data.ptr_value;

		flow_clear(f);
		show(t, row, f);
	}
}

static void
flows_free_cell(stat_tap_table *t, guint row, guint col, stat_tap_table_item_type *c)
{
	(void)t;
	(void)row;
	switch (col) {
	case COL_FLOW:
		flow_clear(c->user_data.ptr_value);
		g_free(c->user_data.ptr_value);
		break;
	case COL_PROTO:
	case COL_CLIENT:
	case COL_SERVER:
		g_free((char *)c->value.string_value);
		break;
	}
}

/* Called by tshark before its listener, by Wireshark at each (re)tap
 * of a dialog, whose table may exist already. */
static void
flows_init(stat_tap_table_ui *ui)
{
	stat_tap_table *t = stat_tap_find_table(ui, TABLE_TITLE);

	if (t) {
		flows_reset(t);
		return;
	}
	stat_tap_add_table(ui, stat_tap_init_table(TABLE_TITLE, NCOLS, 0, NULL));
	if (!row_of_flow)
		row_of_flow = g_array_new(FALSE, TRUE, sizeof(guint));
	g_array_set_size(row_of_flow, 0);
}

void
pdmv2_tap_register_stats(void)
{
	static tap_param params[] = {{PARAM_FILTER, "filter", "Filter", NULL, TRUE}};
	/* REGISTER_PACKET_STAT_GROUP_UNSORTED is the Statistics menu's
	 * group; REGISTER_STAT_GROUP_GENERIC is not shown in any menu. */
	static stat_tap_table_ui ui = {
		.group = REGISTER_PACKET_STAT_GROUP_UNSORTED,
		.title = "PDMv2 Flows",
		.tap_name = "pdmv2",
		.cli_string = "pdmv2,flows",
		.stat_tap_init_cb = flows_init,
		.packet_func = flows_packet,
		.stat_tap_reset_table_cb = flows_reset,
		.stat_tap_free_table_item_cb = flows_free_cell,
		.nfields = G_N_ELEMENTS(columns),
		.fields = columns,
		.nparams = G_N_ELEMENTS(params),
		.params = params,
	};

	register_stat_tap_table_ui(&ui);
}
