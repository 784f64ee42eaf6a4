/*
 * psnwin.h - internal: the PSN window's bit operations (psn.c), apart so
 * a test can count the words a step of the highest PSN clears.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_PSNWIN_H
#define PDMV2_PSNWIN_H

#include <stddef.h>
#include <stdint.h>

/*
 * Clear the window bits of the extended values from..to (inclusive,
 * from <= to), bit (x % PDMV2_PSN_WINDOW) of seen.  A word at a time:
 * a step of the highest PSN by s costs O(min(s, window) / 64), never a
 * bit at a time.  Returns the number of words written.
 */
size_t pdmv2_psnwin_clear(uint64_t *seen, uint64_t from, uint64_t to);

#endif
