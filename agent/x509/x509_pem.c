// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * x509_pem.c: RFC 7468 PEM blocks to DER. Every index is checked against
 * the end of the input before it is read; the output never exceeds cap.
 */
#include <stdbool.h>
#include <string.h>

#include "x509_pem.h"

static int b64(uint8_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static bool is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Where "-----BEGIN|END label-----" next starts in [from, len), or len. */
static size_t find_line(const uint8_t *buf, size_t len, size_t from,
			const char *kind, const char *label, size_t *after)
{
	size_t kl = strlen(kind), ll = strlen(label);
	size_t need = 5 + kl + 1 + ll + 5;

	for (size_t i = from; i < len && len - i >= need; i++) {
		const uint8_t *p = buf + i;

		if (memcmp(p, "-----", 5) || memcmp(p + 5, kind, kl) ||
		    p[5 + kl] != ' ' || memcmp(p + 6 + kl, label, ll) ||
		    memcmp(p + 6 + kl + ll, "-----", 5))
			continue;
		*after = i + need;
		return i;
	}
	return len;
}

int x509_pem_next(const uint8_t *buf, size_t len, size_t *pos,
		  const char *label, uint8_t *out, size_t cap,
		  size_t *out_len)
{
	size_t body, end, next, o = 0;
	unsigned int acc = 0, bits = 0, pad = 0;

	if (*pos >= len)
		return 0;
	if (find_line(buf, len, *pos, "BEGIN", label, &body) == len) {
		*pos = len;
		return 0;
	}
	end = find_line(buf, len, body, "END", label, &next);
	if (end == len) {
		*pos = len;
		return -1;
	}
	*pos = next;
	for (size_t i = body; i < end; i++) {
		uint8_t c = buf[i];
		int v;

		if (is_space(c))
			continue;
		if (c == '=') {
			if (++pad > 2)
				return -1;
			continue;
		}
		v = b64(c);
		if (v < 0 || pad)	/* data after padding */
			return -1;
		acc = (acc << 6) | (unsigned int)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= cap)
				return -1;
			out[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/*
	 * Whole quantums only: 4 characters leave no bits and no padding; 3
	 * leave 2 zero bits and one '='; 2 leave 4 zero bits and "==".
	 */
	if ((bits == 0 && pad) || (bits == 2 && pad != 1) ||
	    (bits == 4 && pad != 2) || bits == 6 || acc)
		return -1;
	if (!o)
		return -1;
	*out_len = o;
	return 1;
}
