/*
 * pipeline.h - hands frames from the reading thread to the analysis.
 *
 * Reading a capture (libpcap, the header walk, the option parse) and
 * analysing it (flows, decryption, Kri, metrics) each take a good part of
 * a core.  With two threads, the reader begins frames
 * (analysis_frame_begin) into chunks and the analysis thread finishes
 * them, chunk after chunk, in capture order: the report is the same as
 * with one thread, frame for frame.  The reader touches nothing of the
 * analysis but the frame numbering; everything else is the analysis
 * thread's, so there are no locks beyond the hand-over queues.  With a
 * key log, the reader also opens the encrypted options of a share of
 * the directions ahead, with keys of its own (preopen.h), the share
 * moving so that neither thread waits on the other.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ANALYZER_PIPELINE_H
#define ANALYZER_PIPELINE_H

#include <stdbool.h>

#include "analyze.h"

struct pipeline;

/* threaded false, or no thread to be had: frames are finished on the
 * caller's thread, a batch at a time. */
struct pipeline *pipeline_start(struct analysis *a, struct input_info *in,
				bool threaded);
/* Where to _begin the next frame; then pipeline_commit. */
struct frame_work *pipeline_slot(struct pipeline *pl);
void pipeline_commit(struct pipeline *pl);
/* Every committed frame finished; the pipeline freed. */
void pipeline_finish(struct pipeline *pl);

#endif
