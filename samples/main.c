/*
 * main.c - pdmv2-sample: command line of the PDM/PDMv2 traffic writer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdmv2/crypto.h"
#include "pdmv2/keylog.h"
#include "sim.h"

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: pdmv2-sample -o CAPTURE [options]\n"
"Simulate client/server conversations carrying PDM (RFC 8250) or PDMv2\n"
"options and write the capture, its key log and the ground truth.\n"
"\n"
"Output:\n"
"  -o, --output FILE        capture file to write (required)\n"
"  -k, --keylog FILE        write the key log here\n"
"      --key-lines WHAT     secret (PDMV2_SECRET per node pair), keys (one\n"
"                           PDMV2_SESSION_KEY / PDMV2_EPOCH_KEY line per\n"
"                           direction and key phase), one (a single\n"
"                           PDMV2_EPOCH_KEY: first Epoch of one c2s) [secret]\n"
"  -t, --truth FILE         write the ground-truth JSON here\n"
"      --no-truth-frames    leave the per-frame list out of the truth\n"
"  -F, --format FMT         pcap (microseconds), pcap-ns, pcapng [pcap]\n"
"  -l, --link TYPE          ethernet, vlan (802.1Q), raw, sll [ethernet]\n"
"      --snaplen N          cut captured packets to N bytes\n"
"\n"
"Traffic:\n"
"  -s, --seed N             PRNG seed; same seed, same files [1]\n"
"      --udp N              UDP request/response flows [2]\n"
"      --tcp N              TCP flows (SYN first) [0]\n"
"      --icmp N             ICMPv6 echo flows [0]\n"
"  -n, --exchanges N        request/response rounds per flow [20]\n"
"      --clients N          client nodes; flows share them [1]\n"
"      --servers N          server nodes [1]\n"
"  -m, --mode MODE          pdm, plain, encrypted, mixed [encrypted]\n"
"      --layout L           PDMv2 layout: kri (drafts -00 to -04), epoch\n"
"                           (-09 to -14), mixed (odd flows epoch) [kri]\n"
"  -a, --aead NAME          aes128gcm, aes256gcm, chacha20poly1305, or\n"
"                           mixed (one per node pair, in turn) [aes128gcm]\n"
"  -r, --rotate N           new key phase (kri+1, or Epoch+1) every N packets\n"
"                           a sender sends; 0 = only when PRSEQ runs out\n"
"                           (Kri) or PSNTP wraps (Epoch) [0]\n"
"      --psntp-start N      every sender's first PSNTP (modulo 2^16 but in\n"
"                           the Epoch layout) [random]\n"
"      --secret HEX         use this 32-byte SharedSecret for every pair\n"
"      --salt HEX|-         and this salt (0..64 bytes; '-' for none)\n"
"      --burst N            server packets per response, 1..N [1]\n"
"      --link-local         fe80::/10 addresses instead of 2001:db8::/32\n"
"      --client ADDR[/LEN]  the client node's address, or the prefix client\n"
"                           node i takes its (i+1)th address from\n"
"                           [2001:db8:c::c:1, ...]\n"
"      --server ADDR[/LEN]  the same for server nodes [2001:db8:5::5:1, ...]\n"
"      --hop-by-hop         add a Hop-by-Hop header\n"
"      --padn               put a PadN option before the PDM option\n"
"\n"
"Network (microseconds, probabilities 0..1):\n"
"      --owd US             one-way delay [5000]\n"
"      --jitter US          added uniform jitter [500]\n"
"      --server-delay US    server processing delay [300]\n"
"      --think US           client think time [2000]\n"
"      --loss P             loss before the capture tap [0]\n"
"      --loss-after P       loss after the tap (captured, not received) [0]\n"
"      --reorder P          swap a packet with its sender's next at the tap [0]\n"
"      --skip N             capture starts after N packets (mid-flow) [0]\n"
"      --background X       mean uncaptured sends per send (Global Pointer) [0]\n"
"      --path-delay US      odd flows reach the tap US later: a node seen on\n"
"                           two paths (Global Pointer reordering) [0]\n"
"\n"
"Faults:\n"
"      --forge N            N server options with a flipped tag bit\n"
"      --prseq-reuse        one client reuses a nonce: a PRSEQ (Kri layout)\n"
"                           or a PSNTP in its Epoch (Epoch layout)\n"
"      --restart            the first client node restarts mid-capture\n"
"                           (Global Pointer back to 1)\n"
"      --missing-key        the last encrypted flow's secret is left out\n"
"                           of the key log\n"
"      --kri-window N       receiver window the truth assumes [16]\n"
"  -h, --help               this help\n");
}

static int
parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 0);
	return (*s >= '0' && *s <= '9' && !*end && !errno && *out <= max) ? 0 : -1;
}

static int
parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return (*s && !*end && !errno && *out >= lo && *out <= hi) ? 0 : -1;
}

/* --client / --server: an address or prefix; "*" and /0 are no node's. */
static int
node_prefix(const char *s, uint8_t net[16], uint8_t *plen)
{
	return pdmv2_parse_prefix(s, net, plen) == PDMV2_OK && *plen > 0 ? 0 : -1;
}

/* Whether n nodes take hosts 1..n of a /plen (plen 0: the defaults). */
static bool
nodes_fit(uint8_t plen, unsigned n)
{
	if (plen == 0)
		return true;
	if (plen == 128)
		return n == 1;
	return 128 - plen >= 32 || n < (UINT32_C(1) << (128 - plen));
}

static int
parse_hex(const char *s, uint8_t *out, size_t min, size_t max, size_t *len)
{
	size_t i, n = strlen(s);

	if (n % 2 || n / 2 < min || n / 2 > max)
		return -1;
	*len = n / 2;
	for (i = 0; i < n / 2; i++) {
		unsigned v;

		if (!isxdigit((unsigned char)s[2 * i]) ||
		    !isxdigit((unsigned char)s[2 * i + 1]) ||
		    sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return 0;
}

enum {
	O_UDP = 256, O_TCP, O_ICMP, O_CLIENTS, O_SERVERS, O_SECRET, O_BURST,
	O_LINKLOCAL, O_CLIENT, O_SERVER_ADDR, O_HBH, O_PADN, O_OWD, O_JITTER, O_SERVER, O_THINK,
	O_LOSS, O_LOSS_AFTER, O_REORDER, O_SKIP, O_BG, O_FORGE, O_REUSE,
	O_RESTART, O_MISSING, O_WINDOW, O_NOFRAMES, O_SNAPLEN, O_SALT,
	O_LAYOUT, O_PSNTP_START, O_KEY_LINES, O_PATH_DELAY,
};

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"keylog", required_argument, NULL, 'k'},
		{"truth", required_argument, NULL, 't'},
		{"no-truth-frames", no_argument, NULL, O_NOFRAMES},
		{"format", required_argument, NULL, 'F'},
		{"link", required_argument, NULL, 'l'},
		{"snaplen", required_argument, NULL, O_SNAPLEN},
		{"seed", required_argument, NULL, 's'},
		{"udp", required_argument, NULL, O_UDP},
		{"tcp", required_argument, NULL, O_TCP},
		{"icmp", required_argument, NULL, O_ICMP},
		{"exchanges", required_argument, NULL, 'n'},
		{"clients", required_argument, NULL, O_CLIENTS},
		{"servers", required_argument, NULL, O_SERVERS},
		{"mode", required_argument, NULL, 'm'},
		{"aead", required_argument, NULL, 'a'},
		{"rotate", required_argument, NULL, 'r'},
		{"secret", required_argument, NULL, O_SECRET},
		{"salt", required_argument, NULL, O_SALT},
		{"burst", required_argument, NULL, O_BURST},
		{"link-local", no_argument, NULL, O_LINKLOCAL},
		{"client", required_argument, NULL, O_CLIENT},
		{"server", required_argument, NULL, O_SERVER_ADDR},
		{"hop-by-hop", no_argument, NULL, O_HBH},
		{"padn", no_argument, NULL, O_PADN},
		{"owd", required_argument, NULL, O_OWD},
		{"jitter", required_argument, NULL, O_JITTER},
		{"server-delay", required_argument, NULL, O_SERVER},
		{"think", required_argument, NULL, O_THINK},
		{"loss", required_argument, NULL, O_LOSS},
		{"loss-after", required_argument, NULL, O_LOSS_AFTER},
		{"reorder", required_argument, NULL, O_REORDER},
		{"skip", required_argument, NULL, O_SKIP},
		{"background", required_argument, NULL, O_BG},
		{"forge", required_argument, NULL, O_FORGE},
		{"prseq-reuse", no_argument, NULL, O_REUSE},
		{"restart", no_argument, NULL, O_RESTART},
		{"missing-key", no_argument, NULL, O_MISSING},
		{"kri-window", required_argument, NULL, O_WINDOW},
		{"layout", required_argument, NULL, O_LAYOUT},
		{"psntp-start", required_argument, NULL, O_PSNTP_START},
		{"key-lines", required_argument, NULL, O_KEY_LINES},
		{"path-delay", required_argument, NULL, O_PATH_DELAY},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct sim_config cfg = {
		.seed = 1, .udp_flows = 2, .exchanges = 20, .clients = 1,
		.servers = 1, .mode = MODE_ENCRYPTED, .aead = PDMV2_AEAD_AES128GCM,
		.burst = 1, .owd_us = 5000, .jitter_us = 500, .server_us = 300,
		.think_us = 2000, .kri_window = 16, .truth_frames = true,
		.format = CAP_PCAP_US, .link = LINK_ETHERNET,
	};
	unsigned long v;
	double d;
	int c;

	cfg.argc = argc;
	cfg.argv = argv;
	while ((c = getopt_long(argc, argv, "o:k:t:F:l:s:n:m:a:r:h", opts, NULL)) != -1) {
		const char *bad = NULL;

		switch (c) {
		case 'o': cfg.out = optarg; break;
		case 'k': cfg.keylog = optarg; break;
		case 't': cfg.truth = optarg; break;
		case O_NOFRAMES: cfg.truth_frames = false; break;
		case 'F':
			if (!strcmp(optarg, "pcap")) cfg.format = CAP_PCAP_US;
			else if (!strcmp(optarg, "pcap-ns")) cfg.format = CAP_PCAP_NS;
			else if (!strcmp(optarg, "pcapng")) cfg.format = CAP_PCAPNG;
			else bad = "--format";
			break;
		case 'l':
			if (!strcmp(optarg, "ethernet")) cfg.link = LINK_ETHERNET;
			else if (!strcmp(optarg, "vlan")) cfg.link = LINK_VLAN;
			else if (!strcmp(optarg, "raw")) cfg.link = LINK_RAW;
			else if (!strcmp(optarg, "sll")) cfg.link = LINK_SLL;
			else bad = "--link";
			break;
		case O_SNAPLEN:
			if (parse_uint(optarg, 65535, &v)) bad = "--snaplen"; else cfg.snaplen = v;
			break;
		case 's':
			if (parse_uint(optarg, ~0UL, &v)) bad = "--seed"; else cfg.seed = v;
			break;
		case O_UDP: if (parse_uint(optarg, 100000, &v)) bad = "--udp"; else cfg.udp_flows = (unsigned)v; break;
		case O_TCP: if (parse_uint(optarg, 100000, &v)) bad = "--tcp"; else cfg.tcp_flows = (unsigned)v; break;
		case O_ICMP: if (parse_uint(optarg, 100000, &v)) bad = "--icmp"; else cfg.icmp_flows = (unsigned)v; break;
		case 'n': if (parse_uint(optarg, 100000000, &v)) bad = "--exchanges"; else cfg.exchanges = (unsigned)v; break;
		case O_CLIENTS: if (parse_uint(optarg, 60000, &v) || !v) bad = "--clients"; else cfg.clients = (unsigned)v; break;
		case O_SERVERS: if (parse_uint(optarg, 60000, &v) || !v) bad = "--servers"; else cfg.servers = (unsigned)v; break;
		case 'm':
			if (!strcmp(optarg, "pdm")) cfg.mode = MODE_PDM;
			else if (!strcmp(optarg, "plain")) cfg.mode = MODE_PLAIN;
			else if (!strcmp(optarg, "encrypted")) cfg.mode = MODE_ENCRYPTED;
			else if (!strcmp(optarg, "mixed")) cfg.mode = MODE_MIXED;
			else bad = "--mode";
			break;
		case 'a': {
			enum pdmv2_aead a;

			if (!strcmp(optarg, "mixed")) cfg.aead = 0;
			else if (pdmv2_aead_from_name(optarg, &a) == PDMV2_OK) cfg.aead = (int)a;
			else bad = "--aead";
			break;
		}
		case 'r': if (parse_uint(optarg, 32767, &v)) bad = "--rotate"; else cfg.rotate = (unsigned)v; break;
		case O_SECRET: {
			size_t n;

			if (parse_hex(optarg, cfg.secret, 32, 32, &n)) bad = "--secret"; else cfg.have_secret = true;
			break;
		}
		case O_SALT:
			cfg.have_salt = true;
			if (strcmp(optarg, "-") == 0)
				cfg.salt_len = 0;
			else if (parse_hex(optarg, cfg.salt, 0, sizeof(cfg.salt), &cfg.salt_len))
				bad = "--salt";
			break;
		case O_BURST: if (parse_uint(optarg, 16, &v) || !v) bad = "--burst"; else cfg.burst = (unsigned)v; break;
		case O_LINKLOCAL: cfg.link_local = true; break;
		case O_CLIENT:
			if (node_prefix(optarg, cfg.client_net, &cfg.client_plen)) bad = "--client";
			break;
		case O_SERVER_ADDR:
			if (node_prefix(optarg, cfg.server_net, &cfg.server_plen)) bad = "--server";
			break;
		case O_HBH: cfg.hop_by_hop = true; break;
		case O_PADN: cfg.padn = true; break;
		case O_OWD: if (parse_double(optarg, 0, 1e8, &d)) bad = "--owd"; else cfg.owd_us = d; break;
		case O_JITTER: if (parse_double(optarg, 0, 1e8, &d)) bad = "--jitter"; else cfg.jitter_us = d; break;
		case O_SERVER: if (parse_double(optarg, 0, 1e8, &d)) bad = "--server-delay"; else cfg.server_us = d; break;
		case O_THINK: if (parse_double(optarg, 0, 1e8, &d)) bad = "--think"; else cfg.think_us = d; break;
		case O_LOSS: if (parse_double(optarg, 0, 1, &d)) bad = "--loss"; else cfg.loss_before = d; break;
		case O_LOSS_AFTER: if (parse_double(optarg, 0, 1, &d)) bad = "--loss-after"; else cfg.loss_after = d; break;
		case O_REORDER: if (parse_double(optarg, 0, 1, &d)) bad = "--reorder"; else cfg.reorder = d; break;
		case O_SKIP: if (parse_uint(optarg, ~0U, &v)) bad = "--skip"; else cfg.skip = (unsigned)v; break;
		case O_BG: if (parse_double(optarg, 0, 1e6, &d)) bad = "--background"; else cfg.background = d; break;
		case O_FORGE: if (parse_uint(optarg, 1000000, &v)) bad = "--forge"; else cfg.forge = (unsigned)v; break;
		case O_REUSE: cfg.prseq_reuse = true; break;
		case O_RESTART: cfg.restart = true; break;
		case O_MISSING: cfg.missing_key = true; break;
		case O_WINDOW: if (parse_uint(optarg, 1024, &v) || !v) bad = "--kri-window"; else cfg.kri_window = (unsigned)v; break;
		case O_LAYOUT:
			if (!strcmp(optarg, "kri")) cfg.layout = LAYOUT_KRI;
			else if (!strcmp(optarg, "epoch")) cfg.layout = LAYOUT_EPOCH;
			else if (!strcmp(optarg, "mixed")) cfg.layout = LAYOUT_MIXED;
			else bad = "--layout";
			break;
		case O_PSNTP_START:
			if (parse_uint(optarg, UINT32_MAX, &v)) bad = "--psntp-start";
			else { cfg.psntp_start = (uint32_t)v; cfg.have_psntp_start = true; }
			break;
		case O_KEY_LINES:
			if (!strcmp(optarg, "secret")) cfg.key_lines = KEYS_SECRET;
			else if (!strcmp(optarg, "keys")) cfg.key_lines = KEYS_PHASE;
			else if (!strcmp(optarg, "one")) cfg.key_lines = KEYS_ONE;
			else bad = "--key-lines";
			break;
		case O_PATH_DELAY: if (parse_double(optarg, 0, 1e8, &d)) bad = "--path-delay"; else cfg.path_delay_us = d; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
		if (bad) {
			fprintf(stderr, "pdmv2-sample: bad value \"%s\" for %s\n", optarg, bad);
			return 1;
		}
	}
	if (!cfg.out || optind != argc) {
		usage(stderr);
		return 1;
	}
	if (cfg.udp_flows + cfg.tcp_flows + cfg.icmp_flows == 0) {
		fprintf(stderr, "pdmv2-sample: no flows to simulate\n");
		return 1;
	}
	if (!nodes_fit(cfg.client_plen, cfg.clients) || !nodes_fit(cfg.server_plen, cfg.servers)) {
		fprintf(stderr, "pdmv2-sample: %u client and %u server nodes do not fit "
			"in --client and --server (a /128 is one node)\n",
			cfg.clients, cfg.servers);
		return 1;
	}
	if (cfg.key_lines == KEYS_ONE && cfg.layout == LAYOUT_KRI) {
		fprintf(stderr, "pdmv2-sample: --key-lines one needs --layout epoch or mixed\n");
		return 1;
	}
	return sim_run(&cfg) == 0 ? 0 : 2;
}
