/*
 * savefile_diff.c - libpcap alone against the block reader, record for
 * record (savefile_diff.h).  Each reading gets a file of its own (an
 * in-memory memfd), so their offsets cannot disturb each other.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE	/* memfd_create */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "analyze.h"
#include "savefile.h"
#include "savefile_diff.h"

/* as input.c asks it */
static bool
decoded(int dlt)
{
	bool yes;

	(void)linktype_ipv6_offset(dlt, NULL, 0, &yes);
	return yes;
}

static pcap_t *
open_copy(const uint8_t *file, size_t size)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	int fd = memfd_create("savefile-diff", 0);
	FILE *f;
	pcap_t *p;

	if (fd < 0)
		return NULL;
	if ((size && write(fd, file, size) != (ssize_t)size) ||
	    lseek(fd, 0, SEEK_SET) != 0 || !(f = fdopen(fd, "rb"))) {
		close(fd);
		return NULL;
	}
	if (!(p = pcap_fopen_offline_with_tstamp_precision(
		      f, PCAP_TSTAMP_PRECISION_NANO, errbuf)))
		fclose(f);
	return p;
}

struct record {
	struct pcap_pkthdr h;
	u_char *data;
};

void
savefile_diff(const uint8_t *file, size_t size, struct savefile_diff *d)
{
	struct record *recs = NULL;
	struct pcap_pkthdr *h;
	const u_char *data;
	const char *error = NULL;
	struct savefile *sf;
	size_t n = 0, cap = 0, i;
	pcap_t *a, *b;
	int rc;

	memset(d, 0, sizeof *d);
	if (!(a = open_copy(file, size)))
		return;		/* libpcap takes no such file: nothing to compare */
	d->opened = true;
	while ((rc = pcap_next_ex(a, &h, &data)) == 1) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			if (!(recs = realloc(recs, cap * sizeof *recs)))
				abort();
		}
		recs[n].h = *h;
		if (!(recs[n].data = malloc(h->caplen ? h->caplen : 1)))
			abort();
		memcpy(recs[n].data, data, h->caplen);
		n++;
	}
	d->records = n;
	d->end = rc;
	if (rc == PCAP_ERROR)
		snprintf(d->error, sizeof d->error, "%s", pcap_geterr(a));
	pcap_close(a);

	if (!(b = open_copy(file, size))) {
		snprintf(d->differs, sizeof d->differs, "second open failed");
		goto out;
	}
	sf = savefile_open(b, decoded(pcap_datalink(b)));
	d->block_reader = sf != NULL;
	for (i = 0;; i++) {
		bool by_blocks = sf != NULL;

		if ((rc = savefile_next_ex(b, &sf, &h, &data, &error)) != 1)
			break;
		if (i == n) {
			snprintf(d->differs, sizeof d->differs, "record %zu: extra", i);
			break;
		}
		if (h->ts.tv_sec != recs[i].h.ts.tv_sec ||
		    h->ts.tv_usec != recs[i].h.ts.tv_usec ||
		    h->caplen != recs[i].h.caplen || h->len != recs[i].h.len ||
		    memcmp(data, recs[i].data, h->caplen) != 0) {
			snprintf(d->differs, sizeof d->differs,
				 "record %zu: %lld.%lld %u/%u, libpcap %lld.%lld %u/%u", i,
				 (long long)h->ts.tv_sec, (long long)h->ts.tv_usec,
				 h->caplen, h->len, (long long)recs[i].h.ts.tv_sec,
				 (long long)recs[i].h.ts.tv_usec, recs[i].h.caplen,
				 recs[i].h.len);
			break;
		}
		if (by_blocks && sf)
			d->by_blocks++;
	}
	if (!d->differs[0] && i != n)
		snprintf(d->differs, sizeof d->differs, "%zu records, libpcap %zu", i, n);
	else if (!d->differs[0] && rc != d->end)
		snprintf(d->differs, sizeof d->differs, "ended %d, libpcap %d", rc, d->end);
	else if (!d->differs[0] && rc == PCAP_ERROR &&
		 strcmp(error ? error : pcap_geterr(b), d->error) != 0)
		snprintf(d->differs, sizeof d->differs, "error \"%.100s\", libpcap \"%.100s\"",
			 error ? error : pcap_geterr(b), d->error);
	savefile_free(sf);
	pcap_close(b);
out:
	for (i = 0; i < n; i++)
		free(recs[i].data);
	free(recs);
}
