/*
 * pdmv2/decrypt.h - per sender direction decryption: key log lookup,
 * cipher cache and Kri tracker wired together.
 *
 * The analyzer and the plugin each hold one of these per sender
 * direction (sender 5-tuple).  The first candidate key source that
 * authenticates is remembered (PROFILE.md 8: "remember the winner per
 * flow") and tried first afterwards; initialised cipher contexts are
 * cached per kri (5.2), so a packet costs one AEAD open, no key schedule.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_DECRYPT_H
#define PDMV2_DECRYPT_H

#include <stdbool.h>
#include <stdint.h>

#include "pdmv2/error.h"
#include "pdmv2/keylog.h"
#include "pdmv2/kri.h"
#include "pdmv2/option.h"
#include "pdmv2/walk.h"

struct pdmv2_decryptor;

/* kl may be NULL (no key log: every encrypted option is ERR_NO_KEY).
 * The key log must outlive the decryptor. */
enum pdmv2_err pdmv2_decryptor_new(struct pdmv2_keylog *kl,
				   const uint8_t ft[PDMV2_FIVE_TUPLE_BYTES],
				   unsigned kri_window,
				   struct pdmv2_decryptor **out);
void pdmv2_decryptor_free(struct pdmv2_decryptor *d);

/*
 * Open one parsed encrypted option of this direction.  Returns
 * res->status: PDMV2_OK with *m filled, PDMV2_ERR_AUTH or
 * PDMV2_ERR_NO_KEY (no key source for this 5-tuple / kri).
 */
enum pdmv2_err pdmv2_decryptor_open(struct pdmv2_decryptor *d,
				    const struct pdmv2_option *opt,
				    uint64_t frame, int64_t ts_ns,
				    struct pdmv2_metrics *m,
				    struct pdmv2_kri_result *res);

const struct pdmv2_kri_tracker *
pdmv2_decryptor_tracker(const struct pdmv2_decryptor *d);
/* pdmv2_kri_set_retire on the direction's tracker. */
void pdmv2_decryptor_set_retire(struct pdmv2_decryptor *d,
				pdmv2_kri_retire_fn fn, void *ctx);
/* Whether the key log had any candidate for this direction: without
 * one, every open answers NO_KEY. */
bool pdmv2_decryptor_has_keys(const struct pdmv2_decryptor *d);

/* The key source that won, or NULL before the first successful open. */
const struct pdmv2_keysrc *
pdmv2_decryptor_winner(const struct pdmv2_decryptor *d);

#endif
