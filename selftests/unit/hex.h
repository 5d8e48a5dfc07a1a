/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Hex helpers for the unit tests: test vectors are written as the RFCs
 * print them (spaces and newlines allowed) and decoded at run time.
 */
#ifndef KTLSD_TEST_HEX_H
#define KTLSD_TEST_HEX_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

static inline int hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes hex (whitespace ignored) into out; aborts on malformed input or
 * overflow, since a broken vector is a broken test.  Returns the length. */
static inline size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *hex; hex++) {
		int v;

		if (*hex == ' ' || *hex == '\n' || *hex == '\t')
			continue;
		v = hex_nibble(*hex);
		if (v < 0 || (hi >= 0 && n >= cap))
			abort();
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0)
		abort();
	return n;
}

#endif /* KTLSD_TEST_HEX_H */
