// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer target: x509_verify() on arbitrary certificates. The input is
 * a list of items, each a 2-byte big-endian length and that many bytes of
 * DER; the first is the trust anchor (when it parses), the rest the
 * peer's chain, leaf first. The signature callback accepts a signature
 * when its first byte is even, so the path logic beyond signatures is
 * reached. The verdict must be one we name, with a message, and a path
 * must start at the leaf and end at the anchor.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "x509_path.h"

static int sig_even(void *arg, const struct x509_sig_req *r)
{
	(void)arg;
	return r->sig.len && !(r->sig.p[0] & 1) ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct x509_chain_ctx ctx;
	const uint8_t *der[X509_PATH_MAX];
	size_t len[X509_PATH_MAX], off = 0;
	struct x509_verify_params p = {
		.purpose = size & 1 ? X509_PURPOSE_CLIENT : X509_PURPOSE_SERVER,
		.name = size & 2 ? "www.example.com" : "10.1.2.3",
		.now = 1767225600,	/* 2026-01-01 */
		.revocation = X509_REV_HARD,
		.verify_sig = sig_even,
	};
	struct x509_store store;
	struct x509_path path;
	unsigned int n = 0;
	bool anchor = false;

	x509_store_init(&store);
	while (size - off >= 2 && n < X509_PATH_MAX) {
		size_t l = (size_t)data[off] << 8 | data[off + 1];

		off += 2;
		if (l > size - off)
			break;
		if (!anchor) {
			anchor = true;
			if (x509_store_add_cert(&store, data + off, l))
				(void)x509_store_add_crl(&store, data + off, l);
		} else {
			der[n] = data + off;
			len[n++] = l;
		}
		off += l;
	}
	if (x509_verify(&store, der, len, n, &p, &ctx, &path) !=
	    path.verdict || path.verdict >= X509_VFY__COUNT || !path.msg[0] ||
	    strlen(path.msg) >= sizeof(path.msg))
		abort();
	if (!path.verdict &&
	    (!path.n || path.n > X509_PATH_MAX ||
	     path.cert[0] != &ctx.cert[0] ||
	     path.cert[path.n - 1] != &store.certs[0].cert))
		abort();
	if (path.verdict && !x509_verdict_alert(path.verdict))
		abort();
	x509_store_free(&store);
	return 0;
}
