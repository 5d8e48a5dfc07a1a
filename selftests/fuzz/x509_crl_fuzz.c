// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer target: x509_crl_parse() on arbitrary bytes; on success, walk
 * every revoked entry (which must agree with the parse's count) and look
 * up each serial found, plus one that is absent.
 */
#include <stdint.h>
#include <stdlib.h>

#include "x509_crl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct x509_crl crl;
	struct x509_crl_entry ent, found;
	struct x509_crl_iter it;
	struct x509_error e;
	enum x509_err r;
	unsigned int n = 0;

	r = x509_crl_parse(&crl, data, size, &e);
	if (r) {
		if (r >= X509_E__COUNT || e.reason != r || !e.where[0])
			abort();
		return 0;
	}
	x509_crl_iter_init(&crl, &it);
	while (x509_crl_iter_next(&it, &ent)) {
		if (ent.serial.p < data || ent.serial.p + ent.serial.len >
		    data + size)
			abort();
		if (!x509_crl_find(&crl, ent.serial, &found))
			abort();
		n++;
	}
	if (n != crl.n_revoked)
		abort();
	x509_crl_find(&crl, (struct x509_span){ data, 0 }, NULL);
	return 0;
}
