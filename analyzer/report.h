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
 * however many flows and key phases the capture has.  Evicted flows
 * come first, as they left the table, then the others by id.  0, or -1
 * when it could not be written whole. */
int report_write(struct analysis *a, FILE *out);

/* --jsonl: write one finished or evicted flow as a line. */
void report_stream_flow(struct analysis *a, const struct flow *f);
/* --jsonl: the remaining flows, one line each, then the summary. */
void report_finish_stream(struct analysis *a);

/* Without --jsonl: an evicted flow's report text to ev, for
 * report_write to copy.  False when it could not be stored whole (the
 * flow must then stay). */
bool report_spill_flow(struct analysis *a, const struct flow *f,
		       struct evicted_flows *ev);

#endif
