// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * JSON strings for the commands that answer with one object on stdout
 * (tlsctl verify --json, tlsctl limits --json). What they print comes
 * partly from certificates, so every string is escaped: '"' and '\', and
 * control characters and bytes from 0x7f up as \u00XX (a byte is not a
 * code point: the text stays ASCII, whatever the certificate encoded).
 */
#include <stdio.h>
#include <string.h>

#include "tlsctl.h"

void tlsctl_json_chars(FILE *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
}

void tlsctl_json_str(FILE *out, const char *s)
{
	if (!s) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	tlsctl_json_chars(out, s, strlen(s));
	fputc('"', out);
}

void tlsctl_json_error(FILE *out, const char *msg)
{
	fputs("{\"error\": ", out);
	tlsctl_json_str(out, msg);
	fputs("}\n", out);
}
