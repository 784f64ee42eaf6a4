/*
 * cmd_keylog.c - key log tooling: derive-secondary (the Primary/
 * Secondary model's per-client secret), session-key and epoch-key (one
 * direction's key for one kri or one Epoch, to share a flow phase
 * without the secret) and check.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <glib.h>

#include "commands.h"
#include "keyutil.h"
#include "pdmv2/hex.h"
#include "pdmv2/keylog.h"
#include "pdmv2/walk.h"

int
cmd_derive_secondary(int argc, char **argv)
{
	static const struct option opts[] = {
		{"pms", required_argument, NULL, 'p'},
		{"client", required_argument, NULL, 'c'},
		{"server", required_argument, NULL, 's'},
		{"aead", required_argument, NULL, 'a'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *pms_hex = NULL, *client_s = NULL, *server_s = NULL;
	enum pdmv2_aead aead = PDMV2_AEAD_AES128GCM;
	uint8_t pms[32], client[16], out[32];
	char hex[65];
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': pms_hex = optarg; break;
		case 'c': client_s = optarg; break;
		case 's': server_s = optarg; break;
		case 'a': if (aead_arg(optarg, &aead)) return 1; break;
		default:
			fprintf(c == 'h' ? stdout : stderr,
				"Usage: pdmv2-keys derive-secondary --pms HEX --client ADDR\n"
			       "                 [--server ADDR|PREFIX|*] [--aead NAME]\n"
			       "Prints the secret the -02 draft's Primary/Secondary model shares\n"
			       "with one client (PROFILE.md 8); with --server, as a PDMV2_SECRET\n"
			       "line for that client.\n");
			return c == 'h' ? 0 : 1;
		}
	}
	if (!pms_hex || !client_s) {
		fprintf(stderr, "pdmv2-keys derive-secondary: --pms and --client are required\n");
		return 1;
	}
	if (hex_arg("--pms", pms_hex, pms, 32, 32, NULL) ||
	    addr_arg("--client", client_s, client))
		return 1;
	if (pdmv2_secondary_secret(aead, pms, client, out) != PDMV2_OK) {
		fprintf(stderr, "pdmv2-keys: derivation failed\n");
		return 1;
	}
	pdmv2_hex_encode(out, 32, hex);
	if (server_s)
		printf("PDMV2_SECRET %s %s %s %s -\n", client_s, server_s,
		       pdmv2_aead_name(aead), hex);
	else
		printf("%s\n", hex);
	pdmv2_wipe(pms, sizeof(pms));
	pdmv2_wipe(out, sizeof(out));
	pdmv2_wipe(hex, sizeof(hex));
	return 0;
}

static int
load_keylog(const char *path, struct pdmv2_keylog **out, bool quiet)
{
	struct pdmv2_keylog *kl;
	size_t i;

	pdmv2_keylog_new(&kl);
	if (pdmv2_keylog_load_file(kl, path) != PDMV2_OK) {
		fprintf(stderr, "pdmv2-keys: %s: %s\n", path, strerror(errno));
		pdmv2_keylog_free(kl);
		return -1;
	}
	for (i = 0; !quiet && i < pdmv2_keylog_ndiag(kl); i++) {
		const struct pdmv2_keylog_diag *d = pdmv2_keylog_diag(kl, i);

		fprintf(stderr, "%s:%u: %s%s\n", d->file, d->line,
			d->is_error ? "error: " : "warning: ", d->message);
	}
	*out = kl;
	return 0;
}

/* SADDR,SPORT,DADDR,DPORT,PROTO */
static int
parse_flow(const char *s, uint8_t ft[PDMV2_FIVE_TUPLE_BYTES], char *saddr,
	   char *daddr, unsigned *sport, unsigned *dport, unsigned *proto)
{
	char buf[256], *f[5], *save = NULL, *tok;
	uint8_t a[16], b[16], p;
	guint64 sp, dp;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok && n < 5; tok = strtok_r(NULL, ",", &save))
		f[n++] = tok;
	if (n != 5 || strtok_r(NULL, ",", &save) ||
	    addr_arg("--flow source", f[0], a) || addr_arg("--flow destination", f[2], b) ||
	    !g_ascii_string_to_unsigned(f[1], 10, 0, 65535, &sp, NULL) ||
	    !g_ascii_string_to_unsigned(f[3], 10, 0, 65535, &dp, NULL) ||
	    !pdmv2_proto_parse(f[4], &p)) {
		fprintf(stderr, "pdmv2-keys: --flow wants SADDR,SPORT,DADDR,DPORT,PROTO "
			"(ports 0..65535; PROTO udp, tcp, icmpv6 or a number)\n");
		return -1;
	}
	*sport = (unsigned)sp;
	*dport = (unsigned)dp;
	*proto = p;
	pdmv2_five_tuple(a, b, (uint16_t)*sport, (uint16_t)*dport, p, ft);
	inet_ntop(AF_INET6, a, saddr, INET6_ADDRSTRLEN);
	inet_ntop(AF_INET6, b, daddr, INET6_ADDRSTRLEN);
	return 0;
}

/*
 * session-key and epoch-key: one sender direction's key for one phase
 * (PROFILE.md 8), the least-privilege line: PDMV2_SESSION_KEY for a kri
 * of the Kri layout (5.2), PDMV2_EPOCH_KEY for an Epoch of the Epoch
 * layout (5.5).
 */
static int
phase_key(int argc, char **argv, bool epoch)
{
	static const struct option opts[] = {
		{"keylog", required_argument, NULL, 'l'},
		{"flow", required_argument, NULL, 'f'},
		{"kri", required_argument, NULL, 'k'},
		{"epoch", required_argument, NULL, 'e'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *cmd = epoch ? "epoch-key" : "session-key";
	const char *what = epoch ? "--epoch" : "--kri";
	const char *keylog = NULL, *flow = NULL, *phase_s = NULL;
	uint8_t ft[PDMV2_FIVE_TUPLE_BYTES], key[PDMV2_KEY_MAX], nonce[12];
	char saddr[INET6_ADDRSTRLEN], daddr[INET6_ADDRSTRLEN], khex[65], nhex[25];
	unsigned sport, dport, proto;
	const struct pdmv2_keysrc *src[16];
	struct pdmv2_keylog *kl;
	enum pdmv2_aead aead;
	unsigned long phase, max = epoch ? PDMV2_EPOCH_MAX : UINT32_MAX;
	enum pdmv2_err e;
	size_t n, i;
	char *end;
	int c, rc = 1;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': keylog = optarg; break;
		case 'f': flow = optarg; break;
		case 'k':
		case 'e':
			if ((c == 'e') == epoch) {
				phase_s = optarg;
				break;
			}
			fprintf(stderr, "pdmv2-keys %s: %s belongs to %s\n", cmd,
				c == 'e' ? "--epoch" : "--kri",
				c == 'e' ? "epoch-key" : "session-key");
			return 1;
		default:
			if (epoch)
				fprintf(c == 'h' ? stdout : stderr,
				       "Usage: pdmv2-keys epoch-key --keylog FILE\n"
				       "                 --flow SADDR,SPORT,DADDR,DPORT,PROTO --epoch N\n"
				       "Prints the PDMV2_EPOCH_KEY line for one sender direction and one\n"
				       "Epoch of the Epoch layout: it opens that Epoch and nothing else.\n"
				       "PROTO: udp, tcp, icmpv6 or a protocol number.\n");
			else
				fprintf(c == 'h' ? stdout : stderr,
				       "Usage: pdmv2-keys session-key --keylog FILE\n"
				       "                 --flow SADDR,SPORT,DADDR,DPORT,PROTO --kri N\n"
				       "Prints the PDMV2_SESSION_KEY line for one sender direction and one\n"
				       "Key Rotation Index: it opens that flow phase and nothing else.\n"
				       "PROTO: udp, tcp, icmpv6 or a protocol number.\n");
			return c == 'h' ? 0 : 1;
		}
	}
	if (!keylog || !flow || !phase_s) {
		fprintf(stderr, "pdmv2-keys %s: --keylog, --flow and %s are required\n",
			cmd, what);
		return 1;
	}
	errno = 0;
	phase = strtoul(phase_s, &end, 10);
	if (*phase_s < '0' || *phase_s > '9' || *end || errno || phase > max) {
		fprintf(stderr, "pdmv2-keys: %s wants 0..%lu\n", what, max);
		return 1;
	}
	if (parse_flow(flow, ft, saddr, daddr, &sport, &dport, &proto) ||
	    load_keylog(keylog, &kl, false))
		return 1;
	n = pdmv2_keylog_lookup_layout(kl, ft, epoch ? PDMV2_LAYOUT_EPOCH :
				       PDMV2_LAYOUT_KRI, src, 16);
	/* The first source in lookup order that has a key for this phase:
	 * without traffic there is no tag to decide between candidates. */
	for (i = 0; i < n && i < 16; i++) {
		e = epoch ? pdmv2_keysrc_derive_epoch(src[i], ft, (uint32_t)phase,
						      &aead, key, nonce) :
			    pdmv2_keysrc_derive(src[i], ft, (uint32_t)phase, &aead,
						key, nonce);
		if (e != PDMV2_OK)
			continue;
		pdmv2_hex_encode(key, pdmv2_aead_key_len(aead), khex);
		pdmv2_hex_encode(nonce, 12, nhex);
		printf("%s %s %u %s %u %u %lu %s %s %s\n",
		       epoch ? "PDMV2_EPOCH_KEY" : "PDMV2_SESSION_KEY", saddr, sport,
		       daddr, dport, proto, phase, pdmv2_aead_name(aead), khex, nhex);
		if (n > 1)
			fprintf(stderr, "pdmv2-keys: %zu key log entries match this flow; "
				"used %s line %u\n", n, pdmv2_keysrc_entry(src[i])->file,
				pdmv2_keysrc_entry(src[i])->line);
		rc = 0;
		break;
	}
	if (rc)
		fprintf(stderr, "pdmv2-keys: no entry of %s gives a key for this flow and %s\n",
			keylog, epoch ? "Epoch" : "kri");
	pdmv2_wipe(key, sizeof(key));
	pdmv2_wipe(nonce, sizeof(nonce));
	pdmv2_wipe(khex, sizeof(khex));
	pdmv2_keylog_free(kl);
	return rc;
}

int
cmd_session_key(int argc, char **argv)
{
	return phase_key(argc, argv, false);
}

int
cmd_epoch_key(int argc, char **argv)
{
	return phase_key(argc, argv, true);
}

int
cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{"keylog", required_argument, NULL, 'l'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *keylog = NULL;
	struct pdmv2_keylog *kl;
	size_t errors, warnings;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'l') {
			keylog = optarg;
		} else {
			fprintf(c == 'h' ? stdout : stderr,
				"Usage: pdmv2-keys check --keylog FILE\n"
			       "Validates a key log: every problem as FILE:LINE: message.\n"
			       "Exit status 0 clean, 1 errors or unknown labels found,\n"
			       "2 unreadable.\n");
			return c == 'h' ? 0 : 1;
		}
	}
	if (!keylog) {
		fprintf(stderr, "pdmv2-keys check: --keylog FILE is required\n");
		return 1;
	}
	if (load_keylog(keylog, &kl, false))
		return 2;
	errors = pdmv2_keylog_nerrors(kl);
	warnings = pdmv2_keylog_ndiag(kl) - errors;
	printf("%s: %zu entries, %zu errors, %zu warnings\n", keylog,
	       pdmv2_keylog_count(kl), errors, warnings);
	pdmv2_keylog_free(kl);
	/* An unknown label is a warning when loading (forward compatible),
	 * but a check that passes it would hide a typo that loses a key. */
	return errors || warnings ? 1 : 0;
}
