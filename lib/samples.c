/*
 * samples.c - which delay samples a packet carries (PROFILE.md 7; the
 * rules are spelled out in samples.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "pdmv2/samples.h"

void
pdmv2_samples_init(struct pdmv2_sample_state *st)
{
	memset(st, 0, sizeof(*st));
}

/* A delta that is a sample: non-zero (7) and plausible (3). */
static bool
sample(uint16_t delta, uint8_t scale, double *us, bool *implausible)
{
	if (delta == 0)
		return false;
	if (pdmv2_delta_implausible(delta, scale)) {
		*implausible = true;
		return false;
	}
	*us = pdmv2_delta_us(delta, scale);
	return true;
}

void
pdmv2_samples_take(struct pdmv2_sample_state *st, enum pdmv2_role role,
		   const struct pdmv2_metrics *m, struct pdmv2_samples *out)
{
	memset(out, 0, sizeof(*out));
	if (role == PDMV2_ROLE_SERVER) {
		struct pdmv2_sample_ring_slot *slot =
			&st->ring[m->psntp % PDMV2_SAMPLES_RING];

		out->has_server_delay = sample(m->delta_tlr, m->scale_dtlr,
					       &out->server_delay_us,
					       &out->implausible);
		out->has_server_rtt = sample(m->delta_tls, m->scale_dtls,
					     &out->server_rtt_us,
					     &out->implausible);
		slot->used = true;
		slot->psntp = m->psntp;
		slot->psnlr = m->psnlr;
		slot->delta_tlr = m->delta_tlr;
		slot->scale_dtlr = m->scale_dtlr;
		return;
	}

	out->has_rtt = sample(m->delta_tls, m->scale_dtls, &out->rtt_us,
			      &out->implausible);
	out->has_client_delay = sample(m->delta_tlr, m->scale_dtlr,
				       &out->client_delay_us, &out->implausible);
	if (out->has_rtt) {
		const struct pdmv2_sample_ring_slot *s =
			&st->ring[m->psnlr % PDMV2_SAMPLES_RING];
		double server_delay;
		bool bad = false;

		/* s answered the client packet sent just before this one */
		if (s->used && s->psntp == m->psnlr &&
		    s->psnlr == (uint16_t)(m->psntp - 1) &&
		    sample(s->delta_tlr, s->scale_dtlr, &server_delay, &bad)) {
			out->has_network_rtt = true;
			out->network_rtt_us = out->rtt_us - server_delay;
		}
	}
}
