// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer: one extension block (RFC 8446 §4.2) in any message context.
 * The first input byte picks the context (one of CH, SH, HRR, EE, CT, CR,
 * NST), the rest is "Extension extensions<0..2^16-1>". Checks the same
 * properties as fuzz_common.h for the block alone: refusals carry an
 * alert, field and reason; accepted blocks re-encode to the input bytes.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tls_ext_list list;
static struct tls_ext_values vals;
static uint8_t out[2 + 0xffff + 64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tls_reader r;
	struct tls_writer w;
	struct tls_err err;
	enum tls_ext_ctx ctx;
	size_t len = 0;
	int rc;

	if (size < 1)
		return 0;
	ctx = (enum tls_ext_ctx)(1u << (data[0] % 7));
	tls_r_init(&r, data + 1, size - 1);
	rc = tls_exts_parse(&r, ctx, 0, 0xffff, &list,
			    ctx == TLS_CTX_CT ? NULL : &vals, &err);
	if (rc) {
		fuzz_check_refusal(rc, &err);
		return 0;
	}
	tls_w_init(&w, out, sizeof(out));
	FUZZ_ASSERT(tls_exts_encode(&w, ctx, 0, 0xffff, &list,
				    ctx == TLS_CTX_CT ? NULL : &vals) == 0);
	FUZZ_ASSERT(tls_w_finish(&w, &len, &err) == 0);
	FUZZ_ASSERT(len == r.off);
	FUZZ_ASSERT(!memcmp(out, data + 1, len));
	return 0;
}
