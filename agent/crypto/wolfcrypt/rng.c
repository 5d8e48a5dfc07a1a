// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * wolfCrypt provider: randomness, a DRBG opened and closed per operation, so
 * the provider keeps no global state.
 * See provider.c for why the provider is shaped so.
 */
#include "internal.h"

/* ------------------------------------------------------------------ */
/* Randomness */

int wcp_rng_open(WC_RNG *rng)
{
	/* wc_InitRng allocates its DRBG; wcp_rng_close frees it. */
	return wc_InitRng(rng) ? KTLS_ERR_RANDOM : 0;
}

void wcp_rng_close(WC_RNG *rng)
{
	wc_FreeRng(rng);
}

int wcp_rng_fill(WC_RNG *rng, uint8_t *out, size_t len)
{
	while (len) {
		word32 n = len > RNG_MAX_BLOCK_LEN ? RNG_MAX_BLOCK_LEN
						   : (word32)len;

		if (wc_RNG_GenerateBlock(rng, out, n))
			return KTLS_ERR_RANDOM;
		out += n;
		len -= n;
	}
	return 0;
}

int wcp_random(uint8_t *out, size_t len)
{
	WC_RNG rng;
	int ret;

	ret = wcp_rng_open(&rng);
	if (ret)
		return ret;
	ret = wcp_rng_fill(&rng, out, len);
	wcp_rng_close(&rng);
	if (ret)
		explicit_bzero(out, len);
	return ret;
}
