/*
 * report.h - the "pdmv2-analyze/1" JSON report (INTERFACES.md).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ANALYZER_REPORT_H
#define ANALYZER_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "analyze.h"
#include "flow.h"

#define REPORT_SCHEMA "pdmv2-analyze/1"

/* The whole report to out, a flow at a time and a key phase at a time:
 * memory for the report is one flow's worth without its key phases,
 * however many flows and key phases the capture has.  0 or -1. */
int report_write(struct analysis *a, FILE *out, bool pretty);

/* --jsonl: write one finished flow as a line. */
void report_stream_flow(struct analysis *a, const struct flow *f);
/* --jsonl: the remaining flows, one line each, then the summary. */
void report_finish_stream(struct analysis *a);

#endif
