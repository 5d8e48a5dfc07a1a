// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer target: x509_cert_parse() on arbitrary bytes, then the name
 * code on whatever parsed. Beyond "no crash, no sanitizer report", it checks
 * the parser's contract: every span of a parsed certificate lies inside the
 * input, and every failure carries a known reason and a field name.
 */
#include <stdint.h>
#include <stdlib.h>

#include "x509_cert.h"
#include "x509_names.h"

static const uint8_t *lo, *hi;

static void in_input(struct x509_span s)
{
	if (s.len && (s.p < lo || s.p + s.len > hi || s.p + s.len < s.p))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const refs[] = {
		"www.example.com", "a.example.com.", "10.1.2.3",
		"2001:db8::1", "example.com",
	};
	struct x509_cert c;
	struct x509_error e;
	enum x509_err r;
	unsigned int i;

	lo = data;
	hi = data + size;
	r = x509_cert_parse(&c, data, size, &e);
	if (r) {
		if (r >= X509_E__COUNT || e.reason != r || !e.where[0])
			abort();
		return 0;
	}
	in_input(c.raw);
	in_input(c.tbs);
	in_input(c.serial);
	in_input(c.sig_alg.raw);
	in_input(c.sig_alg.params);
	in_input(c.sig);
	in_input(c.issuer);
	in_input(c.subject);
	in_input(c.spki);
	in_input(c.key);
	in_input(c.ski);
	in_input(c.aki.key_id);
	if (c.n_ext > X509_MAX_EXTENSIONS || c.n_san > X509_MAX_SAN ||
	    c.n_permitted > X509_MAX_SUBTREES ||
	    c.n_excluded > X509_MAX_SUBTREES)
		abort();
	for (i = 0; i < c.n_ext; i++)
		in_input(c.ext[i].value);
	for (i = 0; i < c.n_san; i++) {
		in_input(c.san[i].value);
		if (c.san[i].type == X509_GN_IP && c.san[i].value.len != 4 &&
		    c.san[i].value.len != 16)
			abort();
	}
	for (i = 0; i < sizeof(refs) / sizeof(refs[0]); i++)
		if (x509_match_host(&c, refs[i], &e) >= X509_E__COUNT)
			abort();
	if (x509_check_name_constraints(&c, &c, &e) >= X509_E__COUNT)
		abort();
	return 0;
}
