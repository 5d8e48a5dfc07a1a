// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer target: x509_pem_next() over arbitrary text, for two labels;
 * every block decoded must fit the output and advance the position, and
 * what decodes is then given to x509_name_text() (the Name printer of
 * x509_path.c reads untrusted DER too).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "x509_path.h"
#include "x509_pem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const labels[] = { "CERTIFICATE", "X509 CRL" };
	uint8_t *out = malloc(size + 1);
	char text[256];

	if (!out)
		return 0;
	for (int l = 0; l < 2; l++) {
		size_t pos = 0, len, last = 0;
		int r;

		while ((r = x509_pem_next(data, size, &pos, labels[l], out,
					  size, &len)) != 0) {
			if (pos > size || (pos <= last && pos != size))
				abort();
			last = pos;
			if (r < 0)
				continue;
			if (!len || len > size)
				abort();
			x509_name_text((struct x509_span){ out, len }, text,
				       sizeof(text));
			if (strlen(text) >= sizeof(text))
				abort();
		}
	}
	x509_name_text((struct x509_span){ data, size }, text, sizeof(text));
	free(out);
	return 0;
}
