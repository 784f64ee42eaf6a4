/*
 * pcap_count.c - the read limit: a bare pcap_next_ex() loop that only
 * counts packets and bytes, for the benchmark to compare against.
 * With a second argument, the file is read through a stdio buffer of
 * that many bytes (pdmv2-analyze reads with 64 KiB); without, libpcap
 * opens it itself, with libc's default buffer, as tcpdump does.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>

#include <pcap/pcap.h>

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE] = "";
	struct pcap_pkthdr *h;
	const u_char *d;
	unsigned long long n = 0, bytes = 0;
	unsigned sum = 0;
	char *buf = NULL;
	size_t size = 0;
	pcap_t *p = NULL;
	FILE *f;

	if (argc == 3)
		size = strtoul(argv[2], NULL, 0);
	if (argc == 2) {
		p = pcap_open_offline(argv[1], err);
	} else if (argc == 3 && size > 0 && (f = fopen(argv[1], "rb"))) {
		if ((buf = malloc(size)) && setvbuf(f, buf, _IOFBF, size) == 0)
			p = pcap_fopen_offline(f, err);
		if (!p)
			fclose(f);
	}
	if (!p) {
		fprintf(stderr, "usage: pcap_count FILE [BUFFER_BYTES] (%s)\n", err);
		free(buf);
		return 1;
	}
	while (pcap_next_ex(p, &h, &d) == 1) {
		n++;
		bytes += h->caplen;
		sum += d[0];	/* touch the data, as any reader does */
	}
	pcap_close(p);
	free(buf);
	printf("%llu packets %llu bytes %u\n", n, bytes, sum);
	return 0;
}
