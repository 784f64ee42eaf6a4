/*
 * output.c - the report file (see output.h).  A run that fails, or reads
 * nothing, must not empty a report an earlier run wrote: the new one is
 * written beside it and renamed over it only once complete.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "output.h"

const char *
output_names_input(const char *path, const char *const *names, size_t n)
{
	struct stat o, st;
	size_t i;

	if (stat(path, &o) != 0)
		return NULL;
	for (i = 0; i < n; i++)
		if (strcmp(names[i], "-") != 0 && stat(names[i], &st) == 0 &&
		    st.st_dev == o.st_dev && st.st_ino == o.st_ino)
			return names[i];
	return NULL;
}

FILE *
output_open(const char *path, char **tmp)
{
	struct stat st;
	bool exists = stat(path, &st) == 0;
	char *dir, *base;
	mode_t mask;
	FILE *f;
	int fd, saved;

	*tmp = NULL;
	if (exists && !S_ISREG(st.st_mode))
		return fopen(path, "w");
	dir = g_path_get_dirname(path);
	base = g_path_get_basename(path);
	*tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
	g_free(dir);
	g_free(base);
	if ((fd = g_mkstemp(*tmp)) < 0)
		goto fail;
	/* the mode of the report it replaces, or the one a plain fopen
	 * would have given (mkstemp's is 0600) */
	mask = umask(0);
	umask(mask);
	(void)fchmod(fd, exists ? st.st_mode & 07777 : 0666 & ~mask);
	if ((f = fdopen(fd, "w")))
		return f;
	saved = errno;
	close(fd);
	unlink(*tmp);
	errno = saved;
fail:
	g_free(*tmp);
	*tmp = NULL;
	return NULL;
}

int
output_close(FILE *f, const char *path, char *tmp, bool keep)
{
	int rc = fclose(f);

	if (tmp) {
		if (keep && rc == 0)
			rc = rename(tmp, path);
		if (!keep || rc != 0) {
			int saved = errno;

			(void)unlink(tmp);
			errno = saved;
		}
		g_free(tmp);
	}
	return rc;
}
