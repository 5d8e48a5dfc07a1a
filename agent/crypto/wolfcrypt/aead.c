// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * wolfCrypt provider: AEAD for the four TLS 1.3 suites kTLS carries, with
 * the key schedule in a caller-owned context.
 * See provider.c for why the provider is shaped so.
 */
#include "internal.h"

/* ------------------------------------------------------------------ */
/* AEAD */

struct wcp_aead_state {
	enum ktls_aead_alg alg;
	int live;
	union {
		Aes aes;
		uint8_t chacha_key[CHACHA20_POLY1305_AEAD_KEYSIZE];
	} u;
};

_Static_assert(sizeof(struct wcp_aead_state) <= KTLS_AEAD_CTX_SIZE,
	       "wolfCrypt AEAD state does not fit ktls_aead_ctx");
_Static_assert(alignof(struct wcp_aead_state) <= 16,
	       "wolfCrypt AEAD state alignment");

static struct wcp_aead_state *aead_state(struct ktls_aead_ctx *ctx)
{
	return (struct wcp_aead_state *)ctx->opaque;
}

void wcp_aead_free(struct ktls_aead_ctx *ctx)
{
	struct wcp_aead_state *s = aead_state(ctx);

	if (s->live && s->alg != KTLS_AEAD_CHACHA20_POLY1305)
		wc_AesFree(&s->u.aes);
	explicit_bzero(ctx, sizeof(*ctx));
}

int wcp_aead_init(struct ktls_aead_ctx *ctx, enum ktls_aead_alg alg,
		  const uint8_t *key, size_t key_len)
{
	struct wcp_aead_state *s = aead_state(ctx);
	int ret;

	memset(s, 0, sizeof(*s));
	switch (alg) {
	case KTLS_AEAD_AES_128_GCM:
	case KTLS_AEAD_AES_128_CCM:
		if (key_len != 16)
			return KTLS_ERR_INVALID;
		break;
	case KTLS_AEAD_AES_256_GCM:
	case KTLS_AEAD_CHACHA20_POLY1305:
		if (key_len != 32)
			return KTLS_ERR_INVALID;
		break;
	default:
		return KTLS_ERR_UNSUPPORTED;
	}
	s->alg = alg;
	if (alg == KTLS_AEAD_CHACHA20_POLY1305) {
		memcpy(s->u.chacha_key, key, key_len);
		s->live = 1;
		return 0;
	}
	if (wc_AesInit(&s->u.aes, NULL, INVALID_DEVID))
		return KTLS_ERR_CRYPTO;
	s->live = 1;
	if (alg == KTLS_AEAD_AES_128_CCM)
		ret = wc_AesCcmSetKey(&s->u.aes, key, (word32)key_len);
	else
		ret = wc_AesGcmSetKey(&s->u.aes, key, (word32)key_len);
	if (ret) {
		wcp_aead_free(ctx);
		return KTLS_ERR_CRYPTO;
	}
	return 0;
}

int wcp_aead_seal(struct ktls_aead_ctx *ctx, const uint8_t *nonce,
		  const uint8_t *aad, size_t aad_len, const uint8_t *in,
		  size_t len, uint8_t *out)
{
	struct wcp_aead_state *s = aead_state(ctx);
	uint8_t *tag = out + len;
	int ret;

	if (!s->live)
		return KTLS_ERR_STATE;
	if (len > UINT32_MAX - KTLS_AEAD_TAG_LEN || aad_len > UINT32_MAX)
		return KTLS_ERR_INVALID;
	switch (s->alg) {
	case KTLS_AEAD_AES_128_GCM:
	case KTLS_AEAD_AES_256_GCM:
		ret = wc_AesGcmEncrypt(&s->u.aes, out, in, (word32)len, nonce,
				       KTLS_AEAD_NONCE_LEN, tag,
				       KTLS_AEAD_TAG_LEN, aad, (word32)aad_len);
		break;
	case KTLS_AEAD_AES_128_CCM:
		ret = wc_AesCcmEncrypt(&s->u.aes, out, in, (word32)len, nonce,
				       KTLS_AEAD_NONCE_LEN, tag,
				       KTLS_AEAD_TAG_LEN, aad, (word32)aad_len);
		break;
	case KTLS_AEAD_CHACHA20_POLY1305:
		ret = wc_ChaCha20Poly1305_Encrypt(s->u.chacha_key, nonce, aad,
						  (word32)aad_len, in,
						  (word32)len, out, tag);
		break;
	default:
		return KTLS_ERR_STATE;
	}
	if (ret) {
		explicit_bzero(out, len + KTLS_AEAD_TAG_LEN);
		return KTLS_ERR_CRYPTO;
	}
	return 0;
}

int wcp_aead_open(struct ktls_aead_ctx *ctx, const uint8_t *nonce,
		  const uint8_t *aad, size_t aad_len, const uint8_t *in,
		  size_t len, uint8_t *out)
{
	struct wcp_aead_state *s = aead_state(ctx);
	size_t ct_len;
	const uint8_t *tag;
	int ret;

	if (!s->live)
		return KTLS_ERR_STATE;
	if (len < KTLS_AEAD_TAG_LEN)
		return KTLS_ERR_DECRYPT;
	if (len > UINT32_MAX || aad_len > UINT32_MAX)
		return KTLS_ERR_INVALID;
	ct_len = len - KTLS_AEAD_TAG_LEN;
	tag = in + ct_len;
	switch (s->alg) {
	case KTLS_AEAD_AES_128_GCM:
	case KTLS_AEAD_AES_256_GCM:
		ret = wc_AesGcmDecrypt(&s->u.aes, out, in, (word32)ct_len,
				       nonce, KTLS_AEAD_NONCE_LEN, tag,
				       KTLS_AEAD_TAG_LEN, aad, (word32)aad_len);
		break;
	case KTLS_AEAD_AES_128_CCM:
		ret = wc_AesCcmDecrypt(&s->u.aes, out, in, (word32)ct_len,
				       nonce, KTLS_AEAD_NONCE_LEN, tag,
				       KTLS_AEAD_TAG_LEN, aad, (word32)aad_len);
		break;
	case KTLS_AEAD_CHACHA20_POLY1305:
		ret = wc_ChaCha20Poly1305_Decrypt(s->u.chacha_key, nonce, aad,
						  (word32)aad_len, in,
						  (word32)ct_len, tag, out);
		break;
	default:
		return KTLS_ERR_STATE;
	}
	if (ret) {
		/* Never hand out plaintext that failed authentication. */
		explicit_bzero(out, ct_len);
		return ret == AES_GCM_AUTH_E || ret == AES_CCM_AUTH_E ||
		       ret == MAC_CMP_FAILED_E ? KTLS_ERR_DECRYPT
					       : KTLS_ERR_CRYPTO;
	}
	return 0;
}
