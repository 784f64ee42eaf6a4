/*
 * pdmv2/hpke.h - HPKE Base mode (RFC 9180) for DHKEM(X25519, HKDF-SHA256)
 * with HKDF-SHA256 and the three PDMv2 AEADs, built on OpenSSL 3.0
 * primitives (Debian 12's OpenSSL has no HPKE API), and the PDMv2
 * registration of PROFILE.md 9 on top.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_HPKE_H
#define PDMV2_HPKE_H

#include <stddef.h>
#include <stdint.h>

#include "pdmv2/crypto.h"
#include "pdmv2/error.h"

#define PDMV2_HPKE_KEM_X25519 0x0020
#define PDMV2_X25519_BYTES 32
#define PDMV2_HPKE_REGISTRATION_INFO "pdmv2 registration"
#define PDMV2_HPKE_EXPORT_LABEL "pdmv2 shared secret"

/* An HPKE context after KeySchedule; intermediate values kept so they
 * can be checked against RFC 9180's vectors.  Wipe with
 * pdmv2_hpke_ctx_wipe(). */
struct pdmv2_hpke_ctx {
	enum pdmv2_aead aead;
	uint8_t shared_secret[32];
	uint8_t key_schedule_context[1 + 2 * 32];
	uint8_t secret[32];
	uint8_t key[32];
	uint8_t base_nonce[12];
	uint8_t exporter_secret[32];
	uint64_t seq;
};

/* RFC 9180 7.1.3 DeriveKeyPair for X25519. */
enum pdmv2_err pdmv2_hpke_derive_keypair(const uint8_t *ikm, size_t ikm_len,
					 uint8_t sk[32], uint8_t pk[32]);
enum pdmv2_err pdmv2_hpke_public_key(const uint8_t sk[32], uint8_t pk[32]);
/* A fresh random X25519 key pair. */
enum pdmv2_err pdmv2_hpke_generate(uint8_t sk[32], uint8_t pk[32]);

/* Encap to pkR; skE NULL draws a random ephemeral key (skE given: the
 * deterministic form the test vectors use). */
enum pdmv2_err pdmv2_hpke_encap(const uint8_t pkR[32], const uint8_t *skE,
				uint8_t enc[32], uint8_t shared_secret[32]);
enum pdmv2_err pdmv2_hpke_decap(const uint8_t enc[32], const uint8_t skR[32],
				uint8_t shared_secret[32]);

/* KeySchedule for mode_base. */
enum pdmv2_err pdmv2_hpke_key_schedule(enum pdmv2_aead aead,
				       const uint8_t shared_secret[32],
				       const uint8_t *info, size_t info_len,
				       struct pdmv2_hpke_ctx *ctx);

/* Seal/Open with the context's sequence number (incremented on success).
 * ct has pt_len + 16 bytes. */
enum pdmv2_err pdmv2_hpke_seal(struct pdmv2_hpke_ctx *ctx, const uint8_t *aad,
			       size_t aad_len, const uint8_t *pt, size_t pt_len,
			       uint8_t *ct);
enum pdmv2_err pdmv2_hpke_open(struct pdmv2_hpke_ctx *ctx, const uint8_t *aad,
			       size_t aad_len, const uint8_t *ct, size_t ct_len,
			       uint8_t *pt);
enum pdmv2_err pdmv2_hpke_export(const struct pdmv2_hpke_ctx *ctx,
				 const uint8_t *exporter_context, size_t ec_len,
				 uint8_t *out, size_t out_len);
void pdmv2_hpke_ctx_wipe(struct pdmv2_hpke_ctx *ctx);

/*
 * PROFILE.md 9: the client's side (enc and SharedSecret from the
 * server's public key; skE NULL for a random ephemeral key) and the
 * server's (SharedSecret from enc and its private key).
 */
enum pdmv2_err pdmv2_registration_client(enum pdmv2_aead aead,
					 const uint8_t pkS[32], const uint8_t *skE,
					 uint8_t enc[32],
					 uint8_t secret[PDMV2_SECRET_BYTES]);
enum pdmv2_err pdmv2_registration_server(enum pdmv2_aead aead,
					 const uint8_t enc[32], const uint8_t skS[32],
					 uint8_t secret[PDMV2_SECRET_BYTES]);

#endif
