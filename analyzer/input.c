/*
 * input.c - reads capture files with libpcap (pcap and pcapng, micro-
 * and nanosecond, '-' for standard input) into the engine, numbering
 * frames across inputs as Wireshark does.  Every record comes through
 * pcap_next_ex.  A file cut short mid-packet keeps everything read
 * before the cut: the input is marked truncated.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "escape.h"
#include "input.h"
#include "linktype.h"
#include "pdmv2/timefmt.h"
#include "pipeline.h"

#define PROGRESS_EVERY 65536
/* libpcap reads a file through stdio, whose buffer is st_blksize (often
 * 4 KiB): a read(2) for every few packets, and the system calls, not the
 * copying, become most of the reading time.  A larger buffer makes them
 * few; much larger ones cost the kernel more per byte again
 * (doc/performance.md). */
#define READ_BUFFER (64 * 1024)

/* The capture file, open, with a read buffer of READ_BUFFER bytes that
 * the caller frees after pcap_close() (which closes the file).  Standard
 * input keeps its own buffer: it may have been read already. */
static pcap_t *
open_capture(const char *file, char **buf, char *errbuf)
{
	FILE *f;
	pcap_t *p;

	*buf = NULL;
	if (strcmp(file, "-") == 0)
		return pcap_open_offline_with_tstamp_precision(
			file, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!(f = fopen(file, "rb"))) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", strerror(errno));
		return NULL;
	}
	/* Only the reading thread uses the file: stdio need not lock it
	 * around each of libpcap's two freads a packet (it does once a
	 * second thread exists). */
	(void)__fsetlocking(f, FSETLOCKING_BYCALLER);
	*buf = g_malloc(READ_BUFFER);
	if (setvbuf(f, *buf, _IOFBF, READ_BUFFER) != 0) {
		g_free(*buf);
		*buf = NULL;
	}
	p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO,
						     errbuf);
	if (!p) {
		fclose(f);
		g_free(*buf);
		*buf = NULL;
	}
	return p;
}


static void
progress(const char *file, pcap_t *p, off_t size, uint64_t packets)
{
	FILE *f = pcap_file(p);
	int64_t pos = f ? ftello(f) : -1;

	if (pos >= 0 && size > 0)
		fprintf(stderr, "\r%s: %.1f / %.1f MB (%3.0f%%), %llu packets  ",
			file, (double)pos / 1e6, (double)size / 1e6,
			100.0 * (double)pos / (double)size,
			(unsigned long long)packets);
	else
		fprintf(stderr, "\r%s: %llu packets  ", file,
			(unsigned long long)packets);
}

int
input_read(struct analysis *a, const char *file, const struct input_options *o)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	const struct analyze_config *cfg = analysis_config(a);
	struct input_info *in = analysis_input_add(a, file);
	struct pcap_pkthdr *h;
	const char *error;
	const u_char *data;
	struct pipeline *pl;
	uint64_t read = 0, records = 0, saturated = 0;
	struct bpf_program prog;
	bool have_prog = false;
	struct stat st;
	off_t size = 0;
	char *buf;
	pcap_t *p;
	bool decoded;
	int rc, dlt;
	/* the name as stderr may show it (escape.h) */
	char *shown = escape_terminal(file);

	if (strcmp(file, "-") != 0 && stat(file, &st) == 0)
		size = st.st_size;
	if (!(p = open_capture(file, &buf, errbuf))) {
		in->failed = true;
		fprintf(stderr, "pdmv2-analyze: %s: %s\n", shown, errbuf);
		analysis_warn(a, "%s: cannot read: %s", file, errbuf);
		g_free(shown);
		return INPUT_UNREADABLE;
	}
	dlt = pcap_datalink(p);
	in->linktype = dlt;
	in->linktype_name = linktype_name(dlt);
	(void)linktype_ipv6_offset(dlt, NULL, 0, &decoded);
	if (!decoded) {
		fprintf(stderr, "pdmv2-analyze: %s: link type %s is not decoded; "
			"its packets are counted as skipped\n", shown, in->linktype_name);
		analysis_warn(a, "%s: link type %s not decoded, packets skipped",
			      file, in->linktype_name);
	}
	if (o->filter) {
		if (pcap_compile(p, &prog, o->filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
			fprintf(stderr, "pdmv2-analyze: filter \"%s\": %s\n", o->filter,
				pcap_geterr(p));
			pcap_close(p);
			g_free(buf);
			g_free(shown);
			in->failed = true;
			return INPUT_BAD_FILTER;
		}
		have_prog = true;
	}

	pl = pipeline_start(a, in, o->threads > 1);
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		bool sat = false;
		/* tv_usec holds ns (PCAP_TSTAMP_PRECISION_NANO) */
		int64_t ts = pdmv2_time_ns((int64_t)h->ts.tv_sec,
					   (int64_t)h->ts.tv_usec, &sat);

		records++;
		saturated += sat;

		if (have_prog && !pcap_offline_filter(&prog, h, data)) {
			analysis_frame_skip(a);
			continue;
		}
		analysis_frame_begin(a, dlt, ts, data, h->caplen, pipeline_slot(pl));
		pipeline_commit(pl);
		/* counted here: in->packets belongs to the analysis thread */
		if (o->progress && ++read % PROGRESS_EVERY == 0)
			progress(shown, p, size, read);
	}
	pipeline_finish(pl);
	if (cfg->dump_frames)	/* whole lines out before anything else */
		(void)fflush(cfg->dump_out);
	if (o->progress)
		fprintf(stderr, "\r%*s\r", 70, "");
	if (saturated) {
		fprintf(stderr, "pdmv2-analyze: %s: %llu frames with time stamps "
			"outside the years 1677 to 2262, clamped to those ends\n",
			shown, (unsigned long long)saturated);
		analysis_warn(a, "%s: %llu frames with time stamps outside the years "
			      "1677 to 2262 (pcapng if_tsresol or if_tsoffset?), "
			      "clamped to those ends", file,
			      (unsigned long long)saturated);
	}
	if (rc == PCAP_ERROR && records == 0) {
		/* A header and then nothing libpcap can read: not a capture
		 * with no packets, an input that could not be read. */
		error = pcap_geterr(p);
		in->failed = true;
		fprintf(stderr, "pdmv2-analyze: %s: cannot read its first record: %s\n",
			shown, error);
		analysis_warn(a, "%s: cannot read its first record: %s", file, error);
		rc = INPUT_UNREADABLE;
	} else if (rc == PCAP_ERROR && strstr(pcap_geterr(p), "truncated")) {
		/* libpcap reports a short last record as an error: keep what
		 * was read, say where the file ended. */
		error = pcap_geterr(p);
		in->truncated = true;
		fprintf(stderr, "pdmv2-analyze: %s: truncated after frame %llu: %s\n",
			shown, (unsigned long long)analysis_last_frame(a), error);
		analysis_warn(a, "%s: truncated after frame %llu (%s)", file,
			      (unsigned long long)analysis_last_frame(a), error);
		rc = INPUT_OK;
	} else if (rc == PCAP_ERROR) {
		/* A block libpcap refuses (a second link type in a pcapng,
		 * say): the file is not cut short, it cannot be read on. */
		error = pcap_geterr(p);
		in->failed = true;
		fprintf(stderr, "pdmv2-analyze: %s: cannot read on after frame %llu: "
			"%s\n", shown, (unsigned long long)analysis_last_frame(a), error);
		analysis_warn(a, "%s: cannot read on after frame %llu: %s", file,
			      (unsigned long long)analysis_last_frame(a), error);
		rc = INPUT_OK;
	} else {
		rc = INPUT_OK;
	}
	if (have_prog)
		pcap_freecode(&prog);
	pcap_close(p);		/* closes the file first, then its buffer goes */
	g_free(buf);
	g_free(shown);
	return rc;
}
