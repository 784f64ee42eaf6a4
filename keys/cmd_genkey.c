/*
 * cmd_genkey.c - pdmv2-keys genkey: a server's X25519 key pair as PEM.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "keyutil.h"
#include "pdmv2/hpke.h"

int
cmd_genkey(int argc, char **argv)
{
	static const struct option opts[] = {
		{"out", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *prefix = NULL;
	char priv[4096], pub[4096];
	uint8_t sk[32], pk[32];
	int c, rc;

	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		if (c == 'o') {
			prefix = optarg;
		} else {
			fprintf(c == 'h' ? stdout : stderr,
				"Usage: pdmv2-keys genkey --out PREFIX\n"
			       "Writes PREFIX.key (X25519 private key, PEM, mode 0600) and\n"
			       "PREFIX.pub (public key, PEM), as `openssl genpkey -algorithm X25519`\n"
			       "and `openssl pkey -pubout` would.\n");
			return c == 'h' ? 0 : 1;
		}
	}
	if (!prefix) {
		fprintf(stderr, "pdmv2-keys genkey: --out PREFIX is required\n");
		return 1;
	}
	snprintf(priv, sizeof(priv), "%s.key", prefix);
	snprintf(pub, sizeof(pub), "%s.pub", prefix);
	if (pdmv2_hpke_generate(sk, pk) != PDMV2_OK) {
		fprintf(stderr, "pdmv2-keys: key generation failed\n");
		return 1;
	}
	rc = key_save_pair(priv, pub, sk, pk);
	pdmv2_wipe(sk, sizeof(sk));
	if (rc)
		return 1;
	printf("%s\n%s\n", priv, pub);
	return 0;
}
