/*
 * report.h - the "pdmv2-analyze/1" JSON report (INTERFACES.md).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ANALYZER_REPORT_H
#define ANALYZER_REPORT_H

#include "analyze.h"
#include "flow.h"

#define REPORT_SCHEMA "pdmv2-analyze/1"

/* --jsonl: write one finished flow as a line. */
void report_stream_flow(struct analysis *a, const struct flow *f);

#endif
