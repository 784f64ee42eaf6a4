/*
 * escape.c - text from outside made safe for the terminal and for JSON
 * (see escape.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib.h>

#include "escape.h"

char *
escape_terminal(const char *s)
{
	GString *out = g_string_sized_new(strlen(s) + 8);
	const char *p = s, *end = s + strlen(s);

	while (p < end) {
		gunichar c = g_utf8_get_char_validated(p, end - p);
		const char *next;

		if (c == (gunichar)-1 || c == (gunichar)-2) {
			/* not UTF-8: a lone byte, which a terminal in an
			 * 8-bit mode may read as a C1 control */
			g_string_append_printf(out, "\\x%02x", (unsigned char)*p++);
			continue;
		}
		next = g_utf8_next_char(p);
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
			for (; p < next; p++)
				g_string_append_printf(out, "\\x%02x",
						       (unsigned char)*p);
			continue;
		}
		if (c == '\\')
			g_string_append_c(out, '\\');
		g_string_append_len(out, p, next - p);
		p = next;
	}
	return g_string_free(out, FALSE);
}

char *
escape_utf8(const char *s)
{
	return g_utf8_make_valid(s, -1);
}
