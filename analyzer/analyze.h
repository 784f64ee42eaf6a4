/*
 * analyze.h - pdmv2-analyze's engine: everything between "here is one
 * captured frame" and the report, so main.c stays thin and the fuzz
 * harness can drive the per-packet path directly.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ANALYZER_ANALYZE_H
#define ANALYZER_ANALYZE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <glib.h>

#include "epochs.h"
#include "flow.h"
#include "decrypt_ahead.h"
#include "pdmv2/decrypt.h"
#include "dist_batch.h"
#include "pdmv2/gptr.h"
#include "pdmv2/keylog.h"
#include "pdmv2/option.h"
#include "pdmv2/walk.h"

#define ANOMALY_FRAMES_MAX 20	/* frame numbers listed per anomaly kind */

enum anomaly {
	AN_MALFORMED, AN_TRUNCATED, AN_RESERVED, AN_VERSION, AN_AUTH_FAILED,
	AN_NO_KEY, AN_NONCE_REUSE, AN_IMPLAUSIBLE, AN_LATE, AN_DUPLICATE_PRSEQ,
	AN_MULTIPLE_OPTIONS, AN_EPOCH_JUMP, AN_COUNT
};

struct anomaly_list {
	uint64_t count;
	unsigned nframes;
	uint64_t frames[ANOMALY_FRAMES_MAX];
};

struct input_info {
	char *file;
	int linktype;
	const char *linktype_name;
	uint64_t packets;
	bool truncated;
	bool failed;
};

struct analyze_config {
	uint8_t option_type;
	unsigned kri_window;
	bool dump_frames;		/* per-frame JSON lines to dump_out */
	FILE *dump_out;
	bool jsonl;			/* stream finished flows to jsonl_out */
	FILE *jsonl_out;
	bool pretty;			/* the report's flows indented */
	/* Flows in the table at most (0: no bound): past it, the least
	 * recently seen flow is evicted, written out as it is (a --jsonl
	 * line, or kept for the report in a temporary file) and freed. */
	unsigned max_flows;
};

#define MAX_FLOWS_DEFAULT 65536

/* Flows evicted without --jsonl: each one's report text after its
 * length (a uint64_t), in a temporary file until the report copies
 * them (report.c writes and reads it). */
struct evicted_flows {
	struct spill file;
	uint64_t count;			/* flows stored */
};

/* PDM options seen, by what became of them. */
struct pdm_counts {
	uint64_t packets, v1, plain, encrypted, decrypted, auth_failed,
		 no_key, malformed, truncated;
	uint64_t epoch_layout;	/* PDMv2 options in the Epoch layout (2.5) */
};

/* What the analysis counted over all inputs, for the report. */
struct analysis_totals {
	uint64_t packets, ipv6_packets, skipped_linktype, not_ipv6;
	int64_t first_ts, last_ts;
	uint64_t evicted_flows;		/* from a full flow table */
	struct pdm_counts pdm;
	const struct anomaly_list *anomalies;	/* [AN_COUNT] */
};

/* The state of one run (analyze.c owns it): the report, the summary
 * and the input read it through the functions below. */
struct analysis;

struct analysis *analysis_new(const struct analyze_config *cfg);
void analysis_free(struct analysis *a);

const struct analyze_config *analysis_config(const struct analysis *a);
/* The key log the analysis decrypts with: complete once every key log
 * is added, before any input. */
struct pdmv2_keylog *analysis_keylog(struct analysis *a);
void analysis_totals(const struct analysis *a, struct analysis_totals *t);
const struct pdmv2_gptr_table *analysis_gptr(const struct analysis *a);
/* Key log files added, in order (char *). */
const GPtrArray *analysis_keylog_files(const struct analysis *a);
/* Inputs read, in order (struct input_info *). */
const GPtrArray *analysis_inputs(const struct analysis *a);
/* Every warning so far (char *), with what the run's temporary files
 * and flow table have to say once it is over. */
const GPtrArray *analysis_warnings(struct analysis *a);
/* The flows in the table, in creation order (by id): a new array of
 * struct flow *, which the caller frees (not the flows). */
GPtrArray *analysis_flows(const struct analysis *a);
/* The temporary files of finished key phases and of evicted flows. */
struct epoch_spill *analysis_epoch_spill(struct analysis *a);
struct evicted_flows *analysis_evicted(struct analysis *a);

/* A new input named file, numbered after those before it. */
struct input_info *analysis_input_add(struct analysis *a, const char *file);
/* A frame the filter dropped: numbered as read, like Wireshark. */
void analysis_frame_skip(struct analysis *a);
/* The number of the last frame read, across inputs. */
uint64_t analysis_last_frame(const struct analysis *a);

/* Adds a key log file; problems are recorded (report and warnings).
 * Returns false when the file could not be read at all. */
bool analysis_add_keylog(struct analysis *a, const char *path);

/* One frame of an input with the given DLT; ts in ns. */
void analysis_frame(struct analysis *a, struct input_info *in, int dlt,
		    int64_t ts_ns, const uint8_t *data, size_t caplen,
		    size_t wirelen);

/*
 * The same in steps, for batches: _begin numbers the frame, walks its
 * headers, parses its option and makes its flow key; _find finds (or
 * makes) the flow and starts loading the state the frame will need;
 * _warm (levels 1, 2, 3, optional) starts the next levels of loads once
 * the previous ones have landed; _end does the accounting.  _begin on
 * frames 1..n, then _find on each, _warm on each, then _end on each in
 * order gives exactly what analysis_frame on each would, while the cache
 * misses of n frames overlap (and n lookups run back to back, which the
 * CPU overlaps too).  _begin copies what it needs from data;
 * analysis_release after the batch does the sketch counts it deferred
 * and frees the flows it streamed.
 */
struct frame_work {
	uint64_t frame;
	int64_t ts;
	struct flow *f;
	struct flow_key key;
	int dir;
	bool supported, ipv6, src_is_a;
	bool syn;			/* names the client (pdmv2/client.h) */
	/* what the analysis needs of the walk (struct pdmv2_walk is 224
	 * bytes, most of them option offsets only _begin reads): with two
	 * threads every byte here crosses between cores */
	uint8_t proto, tcp_flags;
	unsigned walk_flags, n_opts, n_opts_seen;
	enum pdmv2_err opt_rc;
	struct pdmv2_option opt;
	struct pdmv2_preopened pre;	/* opened by the reader (preopen.h) */
};
void analysis_frame_begin(struct analysis *a, int dlt, int64_t ts_ns,
			  const uint8_t *data, size_t caplen,
			  struct frame_work *fw);
void analysis_frame_find(struct analysis *a, struct frame_work *fw);
void analysis_frame_warm(struct analysis *a, const struct frame_work *fw,
			 int level);	/* 1, 2, then 3 */
void analysis_frame_end(struct analysis *a, struct input_info *in,
			struct frame_work *fw);
void analysis_release(struct analysis *a);
/* Every step after _begin for frames b[0..n) begun in order, then
 * analysis_release: how the program runs a batch. */
void analysis_frames_finish(struct analysis *a, struct input_info *in,
			    struct frame_work *b, unsigned n);

void analysis_warn(struct analysis *a, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

#endif
