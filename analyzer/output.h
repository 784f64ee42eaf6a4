/*
 * output.h - the report file: never one of the inputs, and replaced
 * only by a complete report.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ANALYZER_OUTPUT_H
#define ANALYZER_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The first of names[0..n) that is the same file as path (device and
 * inode), or NULL.  "-" and names that do not exist never are. */
const char *output_names_input(const char *path, const char *const *names,
			       size_t n);

/* Opens the report file.  A regular file (or one that does not exist
 * yet) is written as a temporary file beside it, *tmp its name, which
 * output_close renames over path; anything else (a FIFO, a terminal,
 * /dev/stdout) is written directly, *tmp NULL.  NULL and errno on
 * failure. */
FILE *output_open(const char *path, char **tmp);

/* Closes f.  keep: the temporary file replaces path; otherwise it goes
 * and path is left as it was.  Frees tmp.  0, or -1 and errno when the
 * report could not be written or put in place. */
int output_close(FILE *f, const char *path, char *tmp, bool keep);

#endif
