/*
 * walltime.c - runs a command and writes its wall time in seconds, to
 * the microsecond, to a file: what the benchmark times each command
 * with.  /usr/bin/time's %e gives hundredths, and the bare loop reads
 * the 1M capture in about a tenth of a second, so a hundredth was up to
 * a tenth of that figure.  Peak RSS still comes from /usr/bin/time,
 * which the benchmark runs under this.  Exits with the command's
 * status (128 + the signal if one ended it).
 *
 * usage: walltime OUT_FILE COMMAND [ARGS...]
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int
main(int argc, char **argv)
{
	double start, end;
	int status;
	pid_t pid;
	FILE *out;

	if (argc < 3) {
		fprintf(stderr, "usage: walltime OUT_FILE COMMAND [ARGS...]\n");
		return 2;
	}
	start = now();
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "walltime: fork: %s\n", strerror(errno));
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "walltime: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "walltime: wait: %s\n", strerror(errno));
			return 2;
		}
	}
	end = now();
	if (!(out = fopen(argv[1], "w")) || fprintf(out, "%.6f\n", end - start) < 0 ||
	    fclose(out) != 0) {
		fprintf(stderr, "walltime: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
