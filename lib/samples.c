/*
 * samples.c - which delay samples a packet carries (PROFILE.md 7; the
 * rules are spelled out in samples.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "pdmv2/samples.h"

#define RING_FIRST 8
_Static_assert((PDMV2_SAMPLES_RING & (PDMV2_SAMPLES_RING - 1)) == 0 &&
	       PDMV2_SAMPLES_RING % RING_FIRST == 0 && PDMV2_SAMPLES_RING <= 32768,
	       "ring sizes are powers of two up to PDMV2_SAMPLES_RING");

void
pdmv2_samples_init(struct pdmv2_sample_state *st)
{
	memset(st, 0, sizeof(*st));
}

void
pdmv2_samples_free(struct pdmv2_sample_state *st)
{
	g_free(st->ring);
	memset(st, 0, sizeof(*st));
}

/* Twice the slots, each kept PSNTP in its place mod the new size: the
 * kept ones differ mod the old size, so they differ mod the new one. */
static void
ring_grow(struct pdmv2_sample_state *st)
{
	uint16_t n = st->ring ? (uint16_t)(2 * st->size) : RING_FIRST, i;
	struct pdmv2_sample_ring_slot *r = g_new0(struct pdmv2_sample_ring_slot, n);

	for (i = 0; st->ring && i < st->size; i++)
		if (st->ring[i].used)
			r[st->ring[i].psntp & (n - 1u)] = st->ring[i];
	g_free(st->ring);
	st->ring = r;
	st->size = n;
}

/* The slot a server packet with this PSNTP writes: one holding another
 * PSNTP is taken only when the ring is at PDMV2_SAMPLES_RING, as a
 * fixed ring of that size would. */
static struct pdmv2_sample_ring_slot *
slot_for(struct pdmv2_sample_state *st, uint32_t psntp)
{
	struct pdmv2_sample_ring_slot *s;

	if (!st->ring)
		ring_grow(st);
	for (;;) {
		s = &st->ring[psntp & (st->size - 1u)];
		if (!s->used || s->psntp == psntp || st->size >= PDMV2_SAMPLES_RING)
			return s;
		ring_grow(st);
	}
}

/* psntp is the PSN after psnlr: 32-bit PSNs (Epoch layout) wrap at
 * 2^32, 16-bit ones at 2^16 (PROFILE.md 7); a 32-bit sequence would
 * have to jump from 65535 to 0 to be taken for a 16-bit wrap. */
static bool
follows(uint32_t psnlr, uint32_t psntp)
{
	return psnlr + 1u == psntp || (psnlr == 0xFFFFu && psntp == 0);
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
		struct pdmv2_sample_ring_slot *slot = slot_for(st, m->psntp);

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
	if (out->has_rtt && st->ring) {
		const struct pdmv2_sample_ring_slot *s =
			&st->ring[m->psnlr & (st->size - 1u)];
		double server_delay;
		bool bad = false;

		/* s answered the client packet sent just before this one */
		if (s->used && s->psntp == m->psnlr &&
		    follows(s->psnlr, m->psntp) &&
		    sample(s->delta_tlr, s->scale_dtlr, &server_delay, &bad)) {
			out->has_network_rtt = true;
			out->network_rtt_us = out->rtt_us - server_delay;
		}
	}
}
