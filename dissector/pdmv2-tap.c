/*
 * pdmv2-tap.c - "tshark -q -z pdmv2,flows[,FILTER]": per flow and
 * direction, PDM packets, decrypted ones, PSN loss (lib's psn.h, 16 or
 * 32 bits by layout, fed with the options whose PSNTP is known in
 * capture order as pdmv2-analyze feeds it), and the RTT and server delay samples the dissector computed with
 * lib's samples.h (count, min, mean, max through lib's dist.h), so the
 * table equals the analyzer's report on the same capture.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_BUILD_DLL
#include <stdio.h>
#include <string.h>

#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <wsutil/inet_addr.h>

#include "pdmv2-tap.h"
#include "pdmv2/dist.h"
#include "pdmv2/psn.h"

struct side {
	uint64_t pdm_packets, decrypted;
	struct pdmv2_psn psn;		/* width set by the first PSN */
	bool psn_started;
};

struct flow {
	uint32_t id;
	uint8_t client[16], server[16];
	uint16_t cport, sport;
	uint8_t proto;
	struct side dir[2];		/* c2s, s2c */
	struct pdmv2_dist rtt, server_delay;
};

struct flows_tap {
	char *filter;
	GPtrArray *flows;		/* by id - 1 */
};

static void
flow_free(gpointer p)
{
	struct flow *f = p;

	pdmv2_psn_free(&f->dir[0].psn);
	pdmv2_psn_free(&f->dir[1].psn);
	pdmv2_dist_free(&f->rtt);
	pdmv2_dist_free(&f->server_delay);
	g_free(f);
}

static void
flows_reset(void *tapdata)
{
	struct flows_tap *t = tapdata;

	g_ptr_array_set_size(t->flows, 0);
}

static struct flow *
flow_of(struct flows_tap *t, const struct pdmv2_tap_rec *r)
{
	struct flow *f;
	guint id = r->res->flow;
	bool c = r->res->client;

	if (id == 0)
		return NULL;
	if (id > t->flows->len)
		g_ptr_array_set_size(t->flows, id);
	f = g_ptr_array_index(t->flows, id - 1);
	if (f)
		return f;
	f = g_new0(struct flow, 1);
	f->id = id;
	memcpy(f->client, c ? r->src : r->dst, 16);
	memcpy(f->server, c ? r->dst : r->src, 16);
	f->cport = c ? r->sport : r->dport;
	f->sport = c ? r->dport : r->sport;
	f->proto = r->proto;
	pdmv2_dist_init(&f->rtt);
	pdmv2_dist_init(&f->server_delay);
	g_ptr_array_index(t->flows, id - 1) = f;
	return f;
}

static tap_packet_status
flows_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt,
	     const void *data, tap_flags_t flags)
{
	const struct pdmv2_tap_rec *r = data;
	const struct pdmv2_frame_result *res = r->res;
	struct flow *f;
	struct side *s;

	(void)pinfo;
	(void)edt;
	(void)flags;
	if (!res || !(f = flow_of(tapdata, r)))
		return TAP_PACKET_DONT_REDRAW;
	s = &f->dir[res->client ? 0 : 1];
	s->pdm_packets++;
	if (r->rc != PDMV2_OK || !res->psn_known)
		return TAP_PACKET_REDRAW;
	/* an Epoch-layout option without a key still counts its clear
	 * PSNTP (PROFILE.md 5.5) */
	if (!s->psn_started) {
		pdmv2_psn_init_width(&s->psn, r->psn_bits);
		s->psn_started = true;
	}
	(void)pdmv2_psn_add(&s->psn, res->m.psntp, NULL);
	if (!res->readable)
		return TAP_PACKET_REDRAW;
	if (r->variant == PDMV2_VARIANT_ENCRYPTED)
		s->decrypted++;
	if (res->samples.has_rtt)
		(void)pdmv2_dist_add(&f->rtt, res->samples.rtt_us);
	if (res->samples.has_server_delay)
		(void)pdmv2_dist_add(&f->server_delay, res->samples.server_delay_us);
	return TAP_PACKET_REDRAW;
}

static void
print_dist(const char *name, const struct pdmv2_dist *d)
{
	if (d->count == 0)
		printf("    %-13s count 0\n", name);
	else
		printf("    %-13s count %" PRIu64 "  min %.17g  mean %.17g  max %.17g\n",
		       name, d->count, d->min, d->mean, d->max);
}

static void
flows_draw(void *tapdata)
{
	struct flows_tap *t = tapdata;
	guint i;
	int d;

	printf("\n================================================================================\n");
	printf("PDMv2 flows%s%s\n", t->filter ? "  Filter: " : "", t->filter ? t->filter : "");
	printf("Delays in microseconds; lost = PSNs missing per direction (PROFILE.md 7)\n");
	printf("--------------------------------------------------------------------------------\n");
	for (i = 0; i < t->flows->len; i++) {
		struct flow *f = g_ptr_array_index(t->flows, i);
		char c[WS_INET6_ADDRSTRLEN], s[WS_INET6_ADDRSTRLEN];

		if (!f)
			continue;
		ws_inet_ntop6(f->client, c, sizeof(c));
		ws_inet_ntop6(f->server, s, sizeof(s));
		printf("Flow %u  proto %u  client [%s]:%u  server [%s]:%u\n", f->id,
		       f->proto, c, f->cport, s, f->sport);
		for (d = 0; d < 2; d++)
			printf("  %s  packets %" PRIu64 "  decrypted %" PRIu64 "  lost %" PRIu64 "\n",
			       d ? "s2c" : "c2s", f->dir[d].pdm_packets, f->dir[d].decrypted,
			       pdmv2_psn_lost(&f->dir[d].psn));
		print_dist("rtt", &f->rtt);
		print_dist("server_delay", &f->server_delay);
	}
	printf("================================================================================\n");
}

static void
flows_finish(void *tapdata)
{
	struct flows_tap *t = tapdata;

	g_ptr_array_free(t->flows, TRUE);
	g_free(t->filter);
	g_free(t);
}

static void
flows_init(const char *opt_arg, void *userdata)
{
	struct flows_tap *t = g_new0(struct flows_tap, 1);
	const char *filter = NULL;
	GString *err;

	(void)userdata;
	if (strncmp(opt_arg, "pdmv2,flows,", 12) == 0)
		filter = opt_arg + 12;
	t->filter = g_strdup(filter);
	t->flows = g_ptr_array_new_with_free_func(flow_free);
	err = register_tap_listener("pdmv2", t, filter, TL_REQUIRES_NOTHING,
				    flows_reset, flows_packet, flows_draw, flows_finish);
	if (err) {
		fprintf(stderr, "tshark: cannot register the pdmv2 tap: %s\n", err->str);
		g_string_free(err, TRUE);
		flows_finish(t);
		exit(1);
	}
}

void
pdmv2_tap_register_stats(void)
{
	static tap_param params[] = {{PARAM_FILTER, "filter", "Filter", NULL, TRUE}};
	static stat_tap_ui ui = {
		REGISTER_STAT_GROUP_GENERIC, "PDMv2 flows", "pdmv2,flows", flows_init,
		G_N_ELEMENTS(params), params
	};

	register_stat_tap_ui(&ui, NULL);
}
