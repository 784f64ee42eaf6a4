/*
 * escape.h - text from outside (file names, key log messages) made safe
 * for where it goes: the terminal, and the JSON report.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ANALYZER_ESCAPE_H
#define ANALYZER_ESCAPE_H

/* A copy for stderr (g_free it): control characters (C0, DEL, C1) and
 * bytes that are not UTF-8 become \xNN, and a backslash \\, so a file
 * name cannot move the cursor, retitle the window or clear the screen. */
char *escape_terminal(const char *s);

/* A copy that is valid UTF-8 (g_free it): every byte that is not part
 * of a UTF-8 character becomes U+FFFD, as GLib's g_utf8_make_valid
 * does; valid text is returned unchanged. */
char *escape_utf8(const char *s);

#endif
