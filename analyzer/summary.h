/*
 * summary.h - human summary table for a terminal.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ANALYZER_SUMMARY_H
#define ANALYZER_SUMMARY_H

#include <stdio.h>

#include "analyze.h"

void summary_print(FILE *out, const struct analysis *a);

#endif
