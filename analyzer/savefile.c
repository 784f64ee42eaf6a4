/*
 * savefile.c - classic pcap records read a block at a time (savefile.h).
 *
 * What a record must be to be taken here is what makes libpcap 1.10's
 * pcap_next_packet a plain copy: host byte order (no header swapping,
 * none of the pseudo-headers), version 2.4 (caplen and len never
 * swapped), caplen no more than the snapshot length (which libpcap has
 * already bounded by the link type's maximum), and the whole record in
 * the file.  Time stamps get libpcap's conversion: signed 32-bit fields,
 * microseconds scaled to the nanoseconds asked for.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "savefile.h"

/* pread size: the same 64 KiB the stdio buffer had (input.c says why
 * not more) */
#define BLOCK (64 * 1024)
#define FILE_HEADER 24
#define RECORD_HEADER 16
#define MAGIC_USEC 0xa1b2c3d4u
#define MAGIC_NSEC 0xa1b23c4du

struct savefile {
	pcap_t *p;
	int fd;
	long scale;		/* 1000 for microsecond files, 1 for nanosecond */
	uint32_t snapshot;
	bool ended;		/* pread gave 0 or failed: nothing more to read */
	bool failed;		/* it failed */
	int64_t off;		/* file offset of buf[have] */
	size_t pos, have;	/* next record at buf[pos]; bytes in buf */
	size_t size;
	struct pcap_pkthdr hdr;	/* the record handed out */
	char error[128];
	u_char *buf;
};

struct savefile *
savefile_open(pcap_t *p, bool plain_linktype)
{
	FILE *f = pcap_file(p);
	struct savefile *s;
	struct stat st;
	uint32_t magic;
	int fd, snap;

	if (!f || !plain_linktype || pcap_is_swapped(p) ||
	    pcap_major_version(p) != 2 || pcap_minor_version(p) != 4 ||
	    pcap_get_tstamp_precision(p) != PCAP_TSTAMP_PRECISION_NANO)
		return NULL;
	fd = fileno(f);
	snap = pcap_snapshot(p);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || snap <= 0 ||
	    pread(fd, &magic, sizeof magic, 0) != (ssize_t)sizeof magic ||
	    (magic != MAGIC_USEC && magic != MAGIC_NSEC))
		return NULL;
	if (!(s = calloc(1, sizeof *s)))
		return NULL;
	s->p = p;
	s->fd = fd;
	s->scale = magic == MAGIC_USEC ? 1000 : 1;
	s->snapshot = (uint32_t)snap;
	s->off = FILE_HEADER;
	/* a whole record always fits after what is left of the last one */
	s->size = BLOCK + RECORD_HEADER + s->snapshot;
	if (!(s->buf = malloc(s->size))) {
		free(s);
		return NULL;
	}
	return s;
}

/* At least need bytes from buf[pos] on, the rest moved to the start;
 * false at the end of the file or on a read error. */
static bool
fill(struct savefile *s, size_t need)
{
	size_t rest = s->have - s->pos;

	if (s->pos) {
		memmove(s->buf, s->buf + s->pos, rest);
		s->pos = 0;
		s->have = rest;
	}
	while (s->have < need) {
		ssize_t n;

		if (s->ended)
			return false;
		/* have < need <= RECORD_HEADER + snapshot: BLOCK bytes fit */
		n = pread(s->fd, s->buf + s->have, BLOCK, (off_t)s->off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			s->ended = true;
			s->failed = n < 0;
			return false;
		}
		s->have += (size_t)n;
		s->off += n;
	}
	return true;
}

int64_t
savefile_offset(const struct savefile *s)
{
	return s->off - (int64_t)(s->have - s->pos);
}

enum next {
	RECORD,		/* **h and *data, valid until the next call */
	END,		/* the file ended after a whole record */
	HANDED_BACK,	/* libpcap's stream is at the record: it reads on */
	FAILED,		/* could not hand back: error */
};

/* libpcap's stream to the record at pos, for pcap_next_ex to read it. */
static enum next
hand_back(struct savefile *s)
{
	if (fseeko(pcap_file(s->p), (off_t)savefile_offset(s), SEEK_SET) != 0) {
		snprintf(s->error, sizeof s->error, "cannot seek to offset %lld: %s",
			 (long long)savefile_offset(s), strerror(errno));
		return FAILED;
	}
	return HANDED_BACK;
}

static enum next
next(struct savefile *s, struct pcap_pkthdr **h, const u_char **data)
{
	struct {
		int32_t sec, frac;
		uint32_t caplen, len;
	} r;

	if (s->have - s->pos < RECORD_HEADER && !fill(s, RECORD_HEADER))
		/* no byte left is the end; a part of a header, or an error,
		 * is libpcap's to report */
		return s->have == s->pos && !s->failed ? END : hand_back(s);
	memcpy(&r, s->buf + s->pos, RECORD_HEADER);
	if (r.caplen > s->snapshot)
		return hand_back(s);
	if (s->have - s->pos < RECORD_HEADER + r.caplen &&
	    !fill(s, RECORD_HEADER + r.caplen))
		return hand_back(s);
	s->hdr.ts.tv_sec = r.sec;
	s->hdr.ts.tv_usec = (suseconds_t)r.frac * s->scale;
	s->hdr.caplen = r.caplen;
	s->hdr.len = r.len;
	*h = &s->hdr;
	*data = s->buf + s->pos + RECORD_HEADER;
	s->pos += RECORD_HEADER + r.caplen;
	return RECORD;
}

int
savefile_next_ex(pcap_t *p, struct savefile **sf, struct pcap_pkthdr **h,
		 const u_char **data, const char **error)
{
	if (*sf) {
		switch (next(*sf, h, data)) {
		case RECORD:
			return 1;
		case END:
			return PCAP_ERROR_BREAK;
		case FAILED:
			*error = (*sf)->error;
			return PCAP_ERROR;
		case HANDED_BACK:
			savefile_free(*sf);
			*sf = NULL;
			break;
		}
	}
	return pcap_next_ex(p, h, data);
}

void
savefile_free(struct savefile *s)
{
	if (!s)
		return;
	free(s->buf);
	free(s);
}
