/*
 * preopen.h - the reading thread's share of the decryption.
 *
 * With two threads, the AEAD opens would be the analysis thread's
 * largest cost while the reader waits.  The reader therefore keeps a
 * decryptor of its own per sender direction (state only: no epochs, no
 * PRSEQ record) and opens the encrypted options of a share of the
 * directions (pipeline.c sets it) as it reads them; the analysis hands
 * that answer to pdmv2_decryptor_open_preopened, which uses it only for
 * the exact key it was opened with (lib/decrypt_ahead.h).  The report is
 * therefore the same as without it, byte for byte, and the reader still
 * touches nothing the analysis owns.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ANALYZER_PREOPEN_H
#define ANALYZER_PREOPEN_H

#include "analyze.h"

struct preopen;

/* kl: the analysis' key log, loaded, not changed while this lives.
 * Past max_directions sender directions the table starts again from
 * empty: a bound on memory for captures of endless short flows (with
 * --jsonl the analysis frees finished flows; this table cannot tell
 * which are).  Starting again costs a key derivation per direction,
 * never a result. */
struct preopen *preopen_new(struct pdmv2_keylog *kl, unsigned kri_window,
			    unsigned max_directions);

/* The reader's bound, or twice --max-flows when that is less: its
 * table then holds no more directions than the analysis' flows have. */
#define PREOPEN_DIRECTIONS 65536
void preopen_free(struct preopen *p);

#define PREOPEN_SHARES 16

/* Opens the encrypted options of frames fw[0..n), begun in order, into
 * their fw->pre: those of the directions in the first share of
 * PREOPEN_SHARES groups (a fixed split by 5-tuple). */
void preopen_frames(struct preopen *p, struct frame_work *fw, unsigned n,
		    unsigned share);

#endif
