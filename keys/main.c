/*
 * main.c - pdmv2-keys: HPKE registration (RFC 9180, PROFILE.md 9) and
 * PDMv2 key log tooling.  Dispatches to one file per job.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const struct {
	const char *name;
	int (*run)(int, char **);
	const char *what;
} commands[] = {
	{"genkey", cmd_genkey, "make a server's X25519 key pair (PEM)"},
	{"encap", cmd_encap, "client side: encapsulate to the server, write the secret"},
	{"decap", cmd_decap, "server side: decapsulate enc, write the same secret"},
	{"derive-secondary", cmd_derive_secondary, "per-client secret of a primary secret"},
	{"session-key", cmd_session_key, "one flow direction's key for one kri"},
	{"epoch-key", cmd_epoch_key, "one flow direction's key for one Epoch"},
	{"check", cmd_check, "validate a key log, listing every problem by line"},
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: pdmv2-keys COMMAND [options]   (COMMAND --help for more)\n\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-17s %s\n", commands[i].name, commands[i].what);
	fprintf(f, "\nSecrets are printed only with --print-secret; key log files are\n"
		"created with mode 0600.\n");
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("pdmv2-keys %s\n", PDMV2_TOOLS_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "pdmv2-keys: unknown command \"%s\"\n\n", argv[1]);
	usage(stderr);
	return 1;
}
