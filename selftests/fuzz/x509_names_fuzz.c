// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer target for the name rules: the input is split at its first
 * NUL into a presented identifier and a reference identity, and both RFC
 * 6125 matching and RFC 5280 dNSName constraint matching run on them.
 * Checks properties the rules promise: a match is case-insensitive, a
 * wildcard or malformed reference never matches, and a name always lies
 * within the empty constraint.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "x509_names.h"

static void upper(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'a' && s[i] <= 'z')
			s[i] -= 'a' - 'A';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	struct x509_span presented, name;
	size_t ref_len;
	char *ref;
	bool m;

	if (!nul)
		return 0;
	presented = (struct x509_span){ data, (size_t)(nul - data) };
	ref_len = size - (size_t)(nul + 1 - data);
	ref = malloc(ref_len + 1);
	memcpy(ref, nul + 1, ref_len);
	ref[ref_len] = 0;

	m = x509_dns_match(presented, ref, ref_len);
	if (m && memchr(ref, '*', ref_len))
		abort();
	upper(ref, ref_len);
	if (x509_dns_match(presented, ref, ref_len) != m)
		abort();

	name = (struct x509_span){ (const uint8_t *)ref, ref_len };
	if (!x509_nc_dns_match((struct x509_span){ data, 0 }, name))
		abort();
	(void)x509_nc_dns_match(presented, name);
	if (presented.len >= 8 && (ref_len == 4 || ref_len == 16))
		(void)x509_nc_ip_match(presented, name);
	free(ref);
	return 0;
}
