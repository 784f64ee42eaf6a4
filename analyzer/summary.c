/*
 * summary.c - the short human summary pdmv2-analyze prints on a
 * terminal after the run: one line per flow.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include <arpa/inet.h>

#include "flow.h"
#include "summary.h"

static void
fmt_us(char *buf, size_t n, const struct pdmv2_dist *d)
{
	if (d->count == 0)
		snprintf(buf, n, "-");
	else if (d->mean >= 1000)
		snprintf(buf, n, "%.2f ms", d->mean / 1000);
	else
		snprintf(buf, n, "%.1f us", d->mean);
}

void
summary_print(FILE *out, const struct analysis *a)
{
	struct analysis_totals t;
	GPtrArray *flows = analysis_flows(a);
	guint i;

	analysis_totals(a, &t);
	fprintf(out, "%llu packets, %llu with PDM (%llu decrypted, %llu auth failed, "
		"%llu no key)\n", (unsigned long long)t.packets,
		(unsigned long long)t.pdm.packets, (unsigned long long)t.pdm.decrypted,
		(unsigned long long)t.pdm.auth_failed, (unsigned long long)t.pdm.no_key);
	fprintf(out, "%4s %-6s %-52s %10s %10s %6s\n", "id", "proto",
		"client -> server", "rtt", "srv delay", "lost");
	for (i = 0; i < flows->len; i++) {
		const struct flow *f = g_ptr_array_index(flows, i);
		char c[INET6_ADDRSTRLEN], s[INET6_ADDRSTRLEN], ends[128];
		char rtt[32], sd[32];

		if (f->streamed)
			continue;
		inet_ntop(AF_INET6, f->client, c, sizeof(c));
		inet_ntop(AF_INET6, f->server, s, sizeof(s));
		snprintf(ends, sizeof(ends), "[%s]:%u -> [%s]:%u", c, f->cport, s, f->sport);
		fmt_us(rtt, sizeof(rtt), &f->dist[MET_RTT]);
		fmt_us(sd, sizeof(sd), &f->dist[MET_SERVER_DELAY]);
		fprintf(out, "%4llu %-6s %-52s %10s %10s %6llu\n",
			(unsigned long long)f->id,
			pdmv2_proto_name(f->proto) ? pdmv2_proto_name(f->proto) : "other",
			ends, rtt, sd,
			(unsigned long long)(pdmv2_psn_lost(&f->dir[0].psn) +
					     pdmv2_psn_lost(&f->dir[1].psn)));
	}
	g_ptr_array_free(flows, TRUE);
}
