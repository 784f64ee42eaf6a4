/*
 * cmd_register.c - pdmv2-keys encap / decap: the registration of
 * PROFILE.md 9.  The client encapsulates to the server's public key and
 * sends enc and a salt; the server decapsulates; both derive the same
 * SharedSecret and can write the same PDMV2_SECRET line.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <openssl/rand.h>

#include "commands.h"
#include "keyutil.h"
#include "pdmv2/hex.h"
#include "pdmv2/hpke.h"

#define SALT_BYTES 16

struct reg_args {
	const char *key;	/* --server-pub or --server-key */
	const char *enc, *salt;
	const char *client, *server;
	const char *keylog;
	enum pdmv2_aead aead;
	bool print_secret, json;
};

static int
parse(int argc, char **argv, bool server_side, struct reg_args *a)
{
	static const struct option opts[] = {
		{"server-pub", required_argument, NULL, 'p'},
		{"server-key", required_argument, NULL, 'k'},
		{"enc", required_argument, NULL, 'e'},
		{"salt", required_argument, NULL, 's'},
		{"client", required_argument, NULL, 'c'},
		{"server", required_argument, NULL, 'S'},
		{"aead", required_argument, NULL, 'a'},
		{"keylog", required_argument, NULL, 'l'},
		{"print-secret", no_argument, NULL, 'P'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	memset(a, 0, sizeof(*a));
	a->aead = PDMV2_AEAD_AES128GCM;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': a->key = server_side ? NULL : optarg; break;
		case 'k': a->key = server_side ? optarg : NULL; break;
		case 'e': a->enc = optarg; break;
		case 's': a->salt = optarg; break;
		case 'c': a->client = optarg; break;
		case 'S': a->server = optarg; break;
		case 'a': if (aead_arg(optarg, &a->aead)) return 1; break;
		case 'l': a->keylog = optarg; break;
		case 'P': a->print_secret = true; break;
		case 'j': a->json = true; break;
		default:
			fprintf(c == 'h' ? stdout : stderr,
				server_side ?
"Usage: pdmv2-keys decap --server-key PEM --enc HEX --salt HEX|-\n"
"                        --client ADDR --server ADDR [--aead NAME]\n"
"                        [--keylog FILE] [--print-secret]\n"
"Server side of the registration: derives the SharedSecret from the\n"
"client's enc and writes the PDMV2_SECRET line to --keylog (or prints it\n"
"with --print-secret).\n" :
"Usage: pdmv2-keys encap --server-pub PEM --client ADDR --server ADDR\n"
"                        [--aead NAME] [--keylog FILE] [--print-secret] [--json]\n"
"Client side of the registration: encapsulates to the server's public\n"
"key, prints enc and a fresh 16-byte salt to send to the server, and\n"
"writes the PDMV2_SECRET line to --keylog (or prints it with\n"
"--print-secret).\n");
			return c == 'h' ? -1 : 1;
		}
	}
	if (!a->key || !a->client || !a->server ||
	    (server_side && (!a->enc || !a->salt))) {
		fprintf(stderr, "pdmv2-keys %s: missing %s\n", server_side ? "decap" : "encap",
			!a->key ? (server_side ? "--server-key" : "--server-pub") :
			!a->client ? "--client" : !a->server ? "--server" :
			!a->enc ? "--enc" : "--salt");
		return 1;
	}
	return 0;
}

/* A registration whose secret goes nowhere is lost: refused before it
 * is made (with --json too, which prints enc and salt only). */
static int
nowhere(const struct reg_args *a)
{
	if (a->keylog || a->print_secret)
		return 0;
	fprintf(stderr, "pdmv2-keys: the secret would be written nowhere: "
		"give --keylog FILE or --print-secret\n");
	return 1;
}

/* The PDMV2_SECRET line, to the key log and/or standard output. */
static int
emit_secret(const struct reg_args *a, const uint8_t client[16],
	    const uint8_t server[16], const uint8_t secret[32],
	    const uint8_t *salt, size_t salt_len)
{
	char line[512], c[INET6_ADDRSTRLEN], s[INET6_ADDRSTRLEN];
	char sec_hex[65], salt_hex[2 * 64 + 1];
	int rc = 0;

	inet_ntop(AF_INET6, client, c, sizeof(c));
	inet_ntop(AF_INET6, server, s, sizeof(s));
	pdmv2_hex_encode(secret, 32, sec_hex);
	pdmv2_hex_encode(salt, salt_len, salt_hex);
	snprintf(line, sizeof(line), "PDMV2_SECRET %s %s %s %s %s", c, s,
		 pdmv2_aead_name(a->aead), sec_hex, salt_len ? salt_hex : "-");
	if (a->keylog)
		rc = keylog_append(a->keylog, line);
	if (a->print_secret)
		printf("%s\n", line);
	pdmv2_wipe(line, sizeof(line));
	pdmv2_wipe(sec_hex, sizeof(sec_hex));
	return rc;
}

int
cmd_encap(int argc, char **argv)
{
	struct reg_args a;
	uint8_t pk[32], client[16], server[16], enc[32], secret[32], salt[SALT_BYTES];
	char enc_hex[65], salt_hex[2 * SALT_BYTES + 1];
	int rc = parse(argc, argv, false, &a);

	if (rc)
		return rc < 0 ? 0 : rc;
	if (key_load_public(a.key, pk) || addr_arg("--client", a.client, client) ||
	    addr_arg("--server", a.server, server) || nowhere(&a))
		return 1;
	if (RAND_bytes(salt, sizeof(salt)) != 1 ||
	    pdmv2_registration_client(a.aead, pk, NULL, enc, secret) != PDMV2_OK) {
		fprintf(stderr, "pdmv2-keys: encapsulation failed\n");
		return 1;
	}
	pdmv2_hex_encode(enc, 32, enc_hex);
	pdmv2_hex_encode(salt, sizeof(salt), salt_hex);
	if (a.json)
		printf("{\"enc\": \"%s\", \"salt\": \"%s\", \"aead\": \"%s\"}\n", enc_hex,
		       salt_hex, pdmv2_aead_name(a.aead));
	else
		printf("enc %s\nsalt %s\n", enc_hex, salt_hex);
	rc = emit_secret(&a, client, server, secret, salt, sizeof(salt));
	pdmv2_wipe(secret, sizeof(secret));
	return rc ? 1 : 0;
}

int
cmd_decap(int argc, char **argv)
{
	struct reg_args a;
	uint8_t sk[32], client[16], server[16], enc[32], secret[32], salt[64];
	size_t salt_len = 0;
	int rc = parse(argc, argv, true, &a);

	if (rc)
		return rc < 0 ? 0 : rc;
	if (key_load_private(a.key, sk) || addr_arg("--client", a.client, client) ||
	    addr_arg("--server", a.server, server) ||
	    hex_arg("--enc", a.enc, enc, 32, 32, NULL) ||
	    (strcmp(a.salt, "-") != 0 &&
	     hex_arg("--salt", a.salt, salt, 0, sizeof(salt), &salt_len)) ||
	    nowhere(&a)) {
		pdmv2_wipe(sk, sizeof(sk));
		return 1;
	}
	rc = pdmv2_registration_server(a.aead, enc, sk, secret) != PDMV2_OK;
	pdmv2_wipe(sk, sizeof(sk));
	if (rc) {
		fprintf(stderr, "pdmv2-keys: decapsulation failed (is --enc a valid X25519 "
			"public value?)\n");
		return 1;
	}
	rc = emit_secret(&a, client, server, secret, salt, salt_len);
	pdmv2_wipe(secret, sizeof(secret));
	return rc ? 1 : 0;
}
