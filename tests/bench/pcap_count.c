/*
 * pcap_count.c - the read limit: a bare pcap_next_ex() loop that only
 * counts packets and bytes, for the benchmark to compare against.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include <pcap/pcap.h>

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	unsigned long long n = 0, bytes = 0;
	unsigned sum = 0;
	pcap_t *p;

	if (argc != 2 || !(p = pcap_open_offline(argv[1], err))) {
		fprintf(stderr, "usage: pcap_count FILE (%s)\n", argc == 2 ? err : "");
		return 1;
	}
	while (pcap_next_ex(p, &h, &d) == 1) {
		n++;
		bytes += h->caplen;
		sum += d[0];	/* touch the data, as any reader does */
	}
	pcap_close(p);
	printf("%llu packets %llu bytes %u\n", n, bytes, sum);
	return 0;
}
