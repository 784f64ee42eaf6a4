/*
 * commands.h - the pdmv2-keys subcommands; each parses its own options
 * and returns the process exit status.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef KEYS_COMMANDS_H
#define KEYS_COMMANDS_H

int cmd_genkey(int argc, char **argv);
int cmd_encap(int argc, char **argv);
int cmd_decap(int argc, char **argv);
int cmd_derive_secondary(int argc, char **argv);
int cmd_session_key(int argc, char **argv);
int cmd_epoch_key(int argc, char **argv);
int cmd_check(int argc, char **argv);

#endif
