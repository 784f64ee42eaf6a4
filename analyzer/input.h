/*
 * input.h - capture file reading for pdmv2-analyze.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ANALYZER_INPUT_H
#define ANALYZER_INPUT_H

#include <stdbool.h>

#include "analyze.h"

struct input_options {
	const char *filter;	/* BPF expression or NULL */
	bool progress;		/* progress line on stderr */
	unsigned threads;	/* 1: read and analyse on one thread; 2: two */
};

enum { INPUT_OK = 0, INPUT_UNREADABLE = 1, INPUT_BAD_FILTER = 2 };

/* Reads one file ("-": standard input) into the analysis. */
int input_read(struct analysis *a, const char *file, const struct input_options *o);

#endif
