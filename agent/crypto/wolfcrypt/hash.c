// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * wolfCrypt provider: hashes (SHA-256/384 in caller-owned contexts), HMAC
 * and HKDF.
 * See provider.c for why the provider is shaped so.
 */
#include "internal.h"

/* ------------------------------------------------------------------ */
/* Hash */

struct wcp_hash_state {
	enum ktls_hash_alg alg;
	int live;
	union {
		wc_Sha256 sha256;
		wc_Sha384 sha384;
	} u;
};

_Static_assert(sizeof(struct wcp_hash_state) <= KTLS_HASH_CTX_SIZE,
	       "wolfCrypt hash state does not fit ktls_hash_ctx");
_Static_assert(alignof(struct wcp_hash_state) <= 16,
	       "wolfCrypt hash state alignment");

static struct wcp_hash_state *hash_state(struct ktls_hash_ctx *ctx)
{
	return (struct wcp_hash_state *)ctx->opaque;
}

static int wcp_hmac_type(enum ktls_hash_alg alg)
{
	switch (alg) {
	case KTLS_HASH_SHA256:
		return WC_SHA256;
	case KTLS_HASH_SHA384:
		return WC_SHA384;
	}
	return -1;
}

int wcp_hash_init(struct ktls_hash_ctx *ctx, enum ktls_hash_alg alg)
{
	struct wcp_hash_state *s = hash_state(ctx);
	int ret;

	memset(s, 0, sizeof(*s));
	switch (alg) {
	case KTLS_HASH_SHA256:
		ret = wc_InitSha256(&s->u.sha256);
		break;
	case KTLS_HASH_SHA384:
		ret = wc_InitSha384(&s->u.sha384);
		break;
	default:
		return KTLS_ERR_UNSUPPORTED;
	}
	if (ret)
		return KTLS_ERR_CRYPTO;
	s->alg = alg;
	s->live = 1;
	return 0;
}

int wcp_hash_update(struct ktls_hash_ctx *ctx, const uint8_t *data,
		    size_t len)
{
	struct wcp_hash_state *s = hash_state(ctx);
	int ret;

	if (!s->live)
		return KTLS_ERR_STATE;
	while (len) {
		word32 n = len > 0x40000000u ? 0x40000000u : (word32)len;

		if (s->alg == KTLS_HASH_SHA256)
			ret = wc_Sha256Update(&s->u.sha256, data, n);
		else
			ret = wc_Sha384Update(&s->u.sha384, data, n);
		if (ret)
			return KTLS_ERR_CRYPTO;
		data += n;
		len -= n;
	}
	return 0;
}

int wcp_hash_copy(struct ktls_hash_ctx *dst,
		  const struct ktls_hash_ctx *src)
{
	/* wolfCrypt's Copy functions take a non-const source; they read it. */
	struct wcp_hash_state *s = (struct wcp_hash_state *)src->opaque;
	struct wcp_hash_state *d = hash_state(dst);
	int ret;

	if (!s->live)
		return KTLS_ERR_STATE;
	memset(d, 0, sizeof(*d));
	if (s->alg == KTLS_HASH_SHA256)
		ret = wc_Sha256Copy(&s->u.sha256, &d->u.sha256);
	else
		ret = wc_Sha384Copy(&s->u.sha384, &d->u.sha384);
	if (ret) {
		explicit_bzero(d, sizeof(*d));
		return KTLS_ERR_CRYPTO;
	}
	d->alg = s->alg;
	d->live = 1;
	return 0;
}

void wcp_hash_free(struct ktls_hash_ctx *ctx)
{
	struct wcp_hash_state *s = hash_state(ctx);

	if (s->live) {
		if (s->alg == KTLS_HASH_SHA256)
			wc_Sha256Free(&s->u.sha256);
		else
			wc_Sha384Free(&s->u.sha384);
	}
	explicit_bzero(ctx, sizeof(*ctx));
}

int wcp_hash_final(struct ktls_hash_ctx *ctx, uint8_t *out)
{
	struct wcp_hash_state *s = hash_state(ctx);
	int ret;

	if (!s->live)
		return KTLS_ERR_STATE;
	if (s->alg == KTLS_HASH_SHA256)
		ret = wc_Sha256Final(&s->u.sha256, out);
	else
		ret = wc_Sha384Final(&s->u.sha384, out);
	wcp_hash_free(ctx);
	return ret ? KTLS_ERR_CRYPTO : 0;
}

/* ------------------------------------------------------------------ */
/* HMAC and HKDF */

int wcp_hmac_once(enum ktls_hash_alg alg, const uint8_t *key,
		  size_t key_len, const uint8_t *data, size_t len,
		  uint8_t *out)
{
	int type = wcp_hmac_type(alg);
	Hmac h;
	int ret;

	if (type < 0)
		return KTLS_ERR_UNSUPPORTED;
	if (key_len > UINT32_MAX || len > UINT32_MAX)
		return KTLS_ERR_INVALID;
	if (wc_HmacInit(&h, NULL, INVALID_DEVID))
		return KTLS_ERR_CRYPTO;
	ret = wc_HmacSetKey(&h, type, key, (word32)key_len);
	if (!ret)
		ret = wc_HmacUpdate(&h, data, (word32)len);
	if (!ret)
		ret = wc_HmacFinal(&h, out);
	wc_HmacFree(&h);
	explicit_bzero(&h, sizeof(h));
	if (ret) {
		explicit_bzero(out, ktls_hash_len(alg));
		return KTLS_ERR_CRYPTO;
	}
	return 0;
}

/*
 * RFC 5869 §2.2.  wc_HKDF_Extract (not wc_Tls13_HKDF_Extract, which writes
 * into an empty input key buffer).
 */
int wcp_hkdf_extract(enum ktls_hash_alg alg, const uint8_t *salt,
		     size_t salt_len, const uint8_t *ikm, size_t ikm_len,
		     uint8_t *prk)
{
	static const uint8_t empty[1];
	int type = wcp_hmac_type(alg);

	if (type < 0)
		return KTLS_ERR_UNSUPPORTED;
	if (salt_len > UINT32_MAX || ikm_len > UINT32_MAX)
		return KTLS_ERR_INVALID;
	if (wc_HKDF_Extract(type, salt_len ? salt : empty, (word32)salt_len,
			    ikm_len ? ikm : empty, (word32)ikm_len, prk)) {
		explicit_bzero(prk, ktls_hash_len(alg));
		return KTLS_ERR_CRYPTO;
	}
	return 0;
}

int wcp_hkdf_expand(enum ktls_hash_alg alg, const uint8_t *prk,
		    size_t prk_len, const uint8_t *info, size_t info_len,
		    uint8_t *out, size_t out_len)
{
	static const uint8_t empty[1];
	int type = wcp_hmac_type(alg);

	if (type < 0)
		return KTLS_ERR_UNSUPPORTED;
	if (prk_len > UINT32_MAX || info_len > UINT32_MAX ||
	    out_len > 255 * ktls_hash_len(alg))
		return KTLS_ERR_INVALID;
	if (wc_HKDF_Expand(type, prk, (word32)prk_len,
			   info_len ? info : empty, (word32)info_len, out,
			   (word32)out_len)) {
		explicit_bzero(out, out_len);
		return KTLS_ERR_CRYPTO;
	}
	return 0;
}
