/*
 * main.c - pdmv2-analyze: options, inputs, report, exit status.
 * Exit: 0 report written (warnings inside), 1 usage error, 2 no input
 * could be read.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "analyze.h"
#include "escape.h"
#include "input.h"
#include "output.h"
#include "report.h"
#include "pdmv2/kri.h"
#include "pdmv2/option.h"
#include "summary.h"

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: pdmv2-analyze [options] CAPTURE... ('-' reads standard input)\n"
"Read pcap/pcapng captures, decode PDM (RFC 8250) and PDMv2 options,\n"
"decrypt PDMv2 with key logs, rebuild the Key Rotation Index, and write a\n"
"JSON report of per-flow round trip, server delay, network delay, loss\n"
"and Global Pointer statistics (schema pdmv2-analyze/1).\n"
"\n"
"  -k, --keylog FILE     PDMv2 key log (repeatable; also $PDMV2_KEYLOG_FILE)\n"
"  -r, --read FILE       a capture to read, as tcpdump -r (repeatable; the\n"
"                        same as naming it after the options)\n"
"  -f, --filter EXPR     only packets matching this BPF filter (tcpdump syntax)\n"
"  -o, --output FILE     write the report here ('-': standard output, the\n"
"                        default)\n"
"  -p, --pretty          indent the JSON\n"
"      --jsonl           one line per flow as flows finish, then a summary line\n"
"      --max-flows N     flows in the table at most; past it, the least recently\n"
"                        seen one goes out as it is (0: no bound) [%u]\n"
"      --kri-window N    Kri search window W (PROFILE.md 5.4) [%u]\n"
"      --option-type N   PDM option type to look for [%u (0x%02X)]\n"
"      --dump-frames     also print one JSON line per PDM option to stderr\n"
"      --threads N       1: read and analyse on one thread; 2: a reading\n"
"                        thread hands frames to the analysis; same\n"
"                        report either way [2, or 1 on a single CPU]\n"
"  -q, --quiet           no progress line or summary table on the terminal\n"
"  -V, --version         print the version\n"
"  -h, --help            this help\n"
"\n"
"Example:\n"
"  pdmv2-analyze --pretty -k samples/data/clean-rotation.keylog \\\n"
"      samples/data/clean-rotation.pcap\n"
"\n"
"Finished key phases and evicted flows wait for the report in temporary\n"
"files under $TMPDIR.\n"
"\n"
"Exit status: 0 report written (problems are listed under \"warnings\"),\n"
"1 usage error, 2 no input (or a key log) could be read.\n",
		MAX_FLOWS_DEFAULT, PDMV2_KRI_WINDOW_DEFAULT,
		PDMV2_OPTION_TYPE_DEFAULT, PDMV2_OPTION_TYPE_DEFAULT);
}

/* The value of --name as a number in lo..hi; else says so, -1. */
static int
option_uint(const char *name, const char *s, unsigned long lo,
	    unsigned long hi, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 0);
	if (*s >= '0' && *s <= '9' && !*end && !errno && *out >= lo && *out <= hi)
		return 0;
	fprintf(stderr, "pdmv2-analyze: --%s wants %lu..%lu, got \"%s\"\n", name,
		lo, hi, s);
	return -1;
}

enum { O_JSONL = 256, O_WINDOW, O_OPTTYPE, O_DUMP, O_THREADS, O_MAXFLOWS };

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"keylog", required_argument, NULL, 'k'},
		{"read", required_argument, NULL, 'r'},
		{"filter", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"pretty", no_argument, NULL, 'p'},
		{"jsonl", no_argument, NULL, O_JSONL},
		{"max-flows", required_argument, NULL, O_MAXFLOWS},
		{"kri-window", required_argument, NULL, O_WINDOW},
		{"option-type", required_argument, NULL, O_OPTTYPE},
		{"threads", required_argument, NULL, O_THREADS},
		{"dump-frames", no_argument, NULL, O_DUMP},
		{"quiet", no_argument, NULL, 'q'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct analyze_config cfg = {
		.option_type = PDMV2_OPTION_TYPE_DEFAULT,
		.kri_window = PDMV2_KRI_WINDOW_DEFAULT,
		.max_flows = MAX_FLOWS_DEFAULT,
	};
	/* one core: a second thread would only add hand-overs */
	struct input_options io = {.threads = g_get_num_processors() > 1 ? 2 : 1};
	/* On the stack, as argv is, so an early return leaks nothing:
	 * keylogs[0] is kept for $PDMV2_KEYLOG_FILE, then the -k files;
	 * inputs, the -r files, then the operands. */
	const char **keylogs = g_newa(const char *, (size_t)argc + 1);
	const char **inputs = g_newa(const char *, (size_t)argc);
	size_t nkeylogs = 1, ninputs = 0, first_keylog = 1;
	const char *output = NULL, *env;
	char *tmp = NULL;
	bool pretty = false, quiet = false, tty;
	struct analysis *a;
	FILE *out = stdout;
	unsigned long v;
	int c, i, readable = 0, rc = 0;

	while ((c = getopt_long(argc, argv, "k:r:f:o:pqVh", opts, NULL)) != -1) {
		switch (c) {
		case 'k': keylogs[nkeylogs++] = optarg; break;
		case 'r': inputs[ninputs++] = optarg; break;
		case 'f': io.filter = optarg; break;
		case 'o': output = strcmp(optarg, "-") == 0 ? NULL : optarg; break;
		case 'p': pretty = true; break;
		case 'q': quiet = true; break;
		case O_JSONL: cfg.jsonl = true; break;
		case O_DUMP: cfg.dump_frames = true; break;
		case O_WINDOW:
			if (option_uint("kri-window", optarg, 1, 1024, &v))
				return 1;
			cfg.kri_window = (unsigned)v;
			break;
		case O_OPTTYPE:
			/* 0 and 1 are Pad1 and PadN (RFC 8200 4.2): 0
			 * never matches, 1 would call every PadN a
			 * malformed PDM option */
			if (option_uint("option-type", optarg, 2, 255, &v))
				return 1;
			cfg.option_type = (uint8_t)v;
			break;
		case O_MAXFLOWS:
			if (option_uint("max-flows", optarg, 0, UINT_MAX, &v))
				return 1;
			cfg.max_flows = (unsigned)v;
			break;
		case O_THREADS:
			if (option_uint("threads", optarg, 1, 2, &v))
				return 1;
			io.threads = (unsigned)v;
			break;
		case 'V':
			printf("pdmv2-analyze %s\n", PDMV2_TOOLS_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	for (i = optind; i < argc; i++)
		inputs[ninputs++] = argv[i];
	if (ninputs == 0) {
		fprintf(stderr, "pdmv2-analyze: no capture file given (try --help)\n");
		return 1;
	}
	env = getenv("PDMV2_KEYLOG_FILE");
	if (env && *env)
		keylogs[first_keylog = 0] = env;
	if (output) {
		const char *bad = output_names_input(output, inputs, ninputs);

		if (!bad)
			bad = output_names_input(output, keylogs + first_keylog,
						 nkeylogs - first_keylog);

		if (bad) {
			char *o = escape_terminal(output), *b = escape_terminal(bad);

			fprintf(stderr, "pdmv2-analyze: --output %s is the input %s: "
				"refusing to overwrite it\n", o, b);
			g_free(o);
			g_free(b);
			return 1;
		}
		if (!(out = output_open(output, &tmp))) {
			char *o = escape_terminal(output);

			fprintf(stderr, "pdmv2-analyze: %s: %s\n", o, strerror(errno));
			g_free(o);
			return 1;
		}
	}
	tty = !quiet && isatty(STDERR_FILENO);
	/* a progress line would land amid the frame lines */
	io.progress = tty && !cfg.dump_frames;
	cfg.dump_out = stderr;
	if (cfg.dump_frames) {
		/* A buffer of its own: stderr has none, and a line would cost
		 * several write calls there.  input_read flushes it before
		 * saying anything. */
		int fd = dup(STDERR_FILENO);
		FILE *d = fd >= 0 ? fdopen(fd, "w") : NULL;

		if (d && setvbuf(d, NULL, _IOFBF, 1 << 16) == 0)
			cfg.dump_out = d;
		else if (d)
			fclose(d);
		else if (fd >= 0)
			close(fd);
	}
	cfg.jsonl_out = out;
	cfg.pretty = pretty;
	/* A file size limit (ulimit -f) is then a failed write the program
	 * reports, not a kill: the temporary files keep what they hold and
	 * the rest stays in memory. */
	(void)signal(SIGXFSZ, SIG_IGN);
	a = analysis_new(&cfg);

	for (i = (int)first_keylog; i < (int)nkeylogs; i++) {
		const char *k = keylogs[i];
		size_t before = analysis_warnings(a)->len, w;
		const GPtrArray *warnings;

		if (!analysis_add_keylog(a, k)) {
			/* a key log asked for and not read would make every
			 * option "no key": said once, and no report */
			char *t = escape_terminal(k);

			fprintf(stderr, "pdmv2-analyze: %s: cannot read key log: %s\n",
				t, strerror(errno));
			g_free(t);
			rc = 2;
			goto out;
		}
		warnings = analysis_warnings(a);
		for (w = before; w < warnings->len; w++) {
			char *t = escape_terminal(g_ptr_array_index(warnings, w));

			fprintf(stderr, "pdmv2-analyze: key log %s\n", t);
			g_free(t);
		}
	}
	for (i = 0; i < (int)ninputs; i++) {
		int r = input_read(a, inputs[i], &io);

		if (r == INPUT_BAD_FILTER) {
			rc = 1;
			goto out;
		}
		if (r == INPUT_OK)
			readable++;
	}
	if (!readable) {
		fprintf(stderr, "pdmv2-analyze: no input could be read\n");
		rc = 2;
		goto out;
	}

	if (cfg.jsonl)
		report_finish_stream(a);
	else if (report_write(a, out) != 0 && !ferror(out))
		rc = 1;	/* an evicted flow could not be read back: said */
	if (fflush(out) != 0 || ferror(out)) {
		char *t = escape_terminal(output ? output : "standard output");

		fprintf(stderr, "pdmv2-analyze: %s: write failed\n", t);
		g_free(t);
		rc = 1;
	}
	if (tty)
		summary_print(stderr, a);
out:
	if (cfg.dump_out != stderr) {
		/* a flush that failed earlier leaves only the error flag */
		bool bad = ferror(cfg.dump_out) != 0;

		if (fclose(cfg.dump_out) != 0 || bad) {
			fprintf(stderr, "pdmv2-analyze: --dump-frames: write failed\n");
			rc = rc ? rc : 1;
		}
	}
	if (out != stdout) {
		/* only a complete report replaces what the file held */
		bool keep = rc == 0;

		if (output_close(out, output, tmp, keep) != 0 && keep) {
			char *t = escape_terminal(output);

			fprintf(stderr, "pdmv2-analyze: %s: %s\n", t, strerror(errno));
			g_free(t);
			rc = 1;
		}
	}
	analysis_free(a);
	return rc;
}
