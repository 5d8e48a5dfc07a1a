// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Engine-side helpers around the crypto provider: the cipher suite table
 * (RFC 8446 §B.4), hash lengths, and the few compositions of provider calls
 * the engine needs everywhere (one-shot hash, transcript snapshot).  No
 * library header here: only crypto.h.
 */
#include <string.h>

#include "crypto.h"

/* RFC 8446 §B.4; TLS_AES_128_CCM_8_SHA256 is left out: kTLS cannot carry it. */
static const struct ktls_suite ktls_suites[] = {
	{ KTLS_TLS_AES_128_GCM_SHA256, KTLS_HASH_SHA256,
	  KTLS_AEAD_AES_128_GCM, 16, 12, 16, "TLS_AES_128_GCM_SHA256" },
	{ KTLS_TLS_AES_256_GCM_SHA384, KTLS_HASH_SHA384,
	  KTLS_AEAD_AES_256_GCM, 32, 12, 16, "TLS_AES_256_GCM_SHA384" },
	{ KTLS_TLS_CHACHA20_POLY1305_SHA256, KTLS_HASH_SHA256,
	  KTLS_AEAD_CHACHA20_POLY1305, 32, 12, 16,
	  "TLS_CHACHA20_POLY1305_SHA256" },
	{ KTLS_TLS_AES_128_CCM_SHA256, KTLS_HASH_SHA256,
	  KTLS_AEAD_AES_128_CCM, 16, 12, 16, "TLS_AES_128_CCM_SHA256" },
};

const struct ktls_suite *ktls_suite_by_id(uint16_t id)
{
	for (size_t i = 0; i < sizeof(ktls_suites) / sizeof(ktls_suites[0]);
	     i++)
		if (ktls_suites[i].id == id)
			return &ktls_suites[i];
	return NULL;
}

size_t ktls_hash_len(enum ktls_hash_alg alg)
{
	switch (alg) {
	case KTLS_HASH_SHA256:
		return 32;
	case KTLS_HASH_SHA384:
		return 48;
	}
	return 0;
}

int ktls_crypto_provider_check(const struct ktls_crypto_provider *cp)
{
	if (!cp || !cp->name || !cp->hash_init || !cp->hash_update ||
	    !cp->hash_copy || !cp->hash_final || !cp->hash_free ||
	    !cp->hmac || !cp->hkdf_extract || !cp->hkdf_expand ||
	    !cp->aead_init || !cp->aead_seal || !cp->aead_open ||
	    !cp->aead_free || !cp->kx_keygen || !cp->kx_encap ||
	    !cp->kx_finish || !cp->sig_verify || !cp->sig_sign ||
	    !cp->sig_keygen || !cp->random)
		return KTLS_ERR_INVALID;
	return 0;
}

int ktls_hash_snapshot(const struct ktls_crypto_provider *cp,
		       const struct ktls_hash_ctx *running, uint8_t *out)
{
	struct ktls_hash_ctx copy;
	int ret;

	ret = ktls_hash_copy(cp, &copy, running);
	if (ret)
		return ret;
	ret = ktls_hash_final(cp, &copy, out);
	ktls_hash_free(cp, &copy);
	return ret;
}

int ktls_hash(const struct ktls_crypto_provider *cp, enum ktls_hash_alg alg,
	      const uint8_t *data, size_t len, uint8_t *out)
{
	struct ktls_hash_ctx ctx;
	int ret;

	ret = ktls_hash_init(cp, &ctx, alg);
	if (ret)
		return ret;
	ret = ktls_hash_update(cp, &ctx, data, len);
	if (!ret)
		ret = ktls_hash_final(cp, &ctx, out);
	ktls_hash_free(cp, &ctx);
	return ret;
}

void ktls_kx_state_wipe(struct ktls_kx_state *st)
{
	explicit_bzero(st, sizeof(*st));
}
