// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The wolfCrypt crypto provider: struct ktls_crypto_provider implemented on
 * wolfSSL 5.9's wolfCrypt.  This directory is the only place in the project
 * that includes a wolfSSL header.
 *
 * Why it is shaped so:
 *  - Stateless functions plus caller-owned opaque contexts: a wolfCrypt hash
 *    or AES object is placed inside the engine's fixed-size ktls_hash_ctx /
 *    ktls_aead_ctx (sizes checked by _Static_assert below), so the engine
 *    allocates nothing.
 *  - Key objects (ecc_key, RsaKey, MlKemKey...) are built on the stack for
 *    one operation from the standard encodings the interface passes around
 *    and freed (and their secrets wiped by wolfCrypt's *_free) before return.
 *  - Where wolfCrypt allocates by itself: wc_InitRng() allocates its DRBG
 *    state on the heap (freed by wc_FreeRng() in the same call), and its
 *    big-number code may allocate for RSA/ECC operations depending on the
 *    math backend.  Every function here that needs randomness opens and
 *    closes its own WC_RNG, so the provider has no global state and is
 *    safe to call from any thread; the price is a DRBG seed per call.
 *  - wolfCrypt error numbers never leave this file: they are mapped to
 *    enum ktls_err.
 */
#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/wolfcrypt/aes.h>
#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/chacha20_poly1305.h>
#include <wolfssl/wolfcrypt/curve25519.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/ed25519.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/hash.h>
#include <wolfssl/wolfcrypt/hmac.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/rsa.h>
#include <wolfssl/wolfcrypt/sha256.h>
#include <wolfssl/wolfcrypt/sha512.h>
#include <wolfssl/wolfcrypt/signature.h>
#include <wolfssl/wolfcrypt/wc_mlkem.h>

#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "crypto.h"
#include "ktls_providers.h"

#if !defined(WOLFSSL_SHA384) || !defined(HAVE_AESGCM) || \
	!defined(HAVE_AESCCM) || !defined(HAVE_CHACHA) || \
	!defined(HAVE_POLY1305) || !defined(HAVE_CURVE25519) || \
	!defined(HAVE_ED25519) || !defined(HAVE_ECC) || \
	!defined(WC_RSA_PSS) || !defined(HAVE_HKDF) || \
	!defined(WOLFSSL_HAVE_MLKEM) || !defined(WOLFSSL_KEY_GEN)
#error "wolfSSL lacks an algorithm the provider needs"
#endif

/* ------------------------------------------------------------------ */
/* Hash */

struct wc_hash_state {
	enum ktls_hash_alg alg;
	int live;
	union {
		wc_Sha256 sha256;
		wc_Sha384 sha384;
	} u;
};

_Static_assert(sizeof(struct wc_hash_state) <= KTLS_HASH_CTX_SIZE,
	       "wolfCrypt hash state does not fit ktls_hash_ctx");
_Static_assert(alignof(struct wc_hash_state) <= 16,
	       "wolfCrypt hash state alignment");

static struct wc_hash_state *hash_state(struct ktls_hash_ctx *ctx)
{
	return (struct wc_hash_state *)ctx->opaque;
}

static int wc_hmac_type(enum ktls_hash_alg alg)
{
	switch (alg) {
	case KTLS_HASH_SHA256:
		return WC_SHA256;
	case KTLS_HASH_SHA384:
		return WC_SHA384;
	}
	return -1;
}

static int wc_hash_init(struct ktls_hash_ctx *ctx, enum ktls_hash_alg alg)
{
	struct wc_hash_state *s = hash_state(ctx);
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

static int wc_hash_update(struct ktls_hash_ctx *ctx, const uint8_t *data,
			  size_t len)
{
	struct wc_hash_state *s = hash_state(ctx);
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

static int wc_hash_copy(struct ktls_hash_ctx *dst,
			const struct ktls_hash_ctx *src)
{
	/* wolfCrypt's Copy functions take a non-const source; they read it. */
	struct wc_hash_state *s = (struct wc_hash_state *)src->opaque;
	struct wc_hash_state *d = hash_state(dst);
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

static void wc_hash_free(struct ktls_hash_ctx *ctx)
{
	struct wc_hash_state *s = hash_state(ctx);

	if (s->live) {
		if (s->alg == KTLS_HASH_SHA256)
			wc_Sha256Free(&s->u.sha256);
		else
			wc_Sha384Free(&s->u.sha384);
	}
	explicit_bzero(ctx, sizeof(*ctx));
}

static int wc_hash_final(struct ktls_hash_ctx *ctx, uint8_t *out)
{
	struct wc_hash_state *s = hash_state(ctx);
	int ret;

	if (!s->live)
		return KTLS_ERR_STATE;
	if (s->alg == KTLS_HASH_SHA256)
		ret = wc_Sha256Final(&s->u.sha256, out);
	else
		ret = wc_Sha384Final(&s->u.sha384, out);
	wc_hash_free(ctx);
	return ret ? KTLS_ERR_CRYPTO : 0;
}

/* ------------------------------------------------------------------ */
/* HMAC and HKDF */

static int wc_hmac_once(enum ktls_hash_alg alg, const uint8_t *key,
			size_t key_len, const uint8_t *data, size_t len,
			uint8_t *out)
{
	int type = wc_hmac_type(alg);
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
static int wc_hkdf_extract(enum ktls_hash_alg alg, const uint8_t *salt,
			   size_t salt_len, const uint8_t *ikm, size_t ikm_len,
			   uint8_t *prk)
{
	static const uint8_t empty[1];
	int type = wc_hmac_type(alg);

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

static int wc_hkdf_expand(enum ktls_hash_alg alg, const uint8_t *prk,
			  size_t prk_len, const uint8_t *info, size_t info_len,
			  uint8_t *out, size_t out_len)
{
	static const uint8_t empty[1];
	int type = wc_hmac_type(alg);

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

/* ------------------------------------------------------------------ */
/* AEAD */

struct wc_aead_state {
	enum ktls_aead_alg alg;
	int live;
	union {
		Aes aes;
		uint8_t chacha_key[CHACHA20_POLY1305_AEAD_KEYSIZE];
	} u;
};

_Static_assert(sizeof(struct wc_aead_state) <= KTLS_AEAD_CTX_SIZE,
	       "wolfCrypt AEAD state does not fit ktls_aead_ctx");
_Static_assert(alignof(struct wc_aead_state) <= 16,
	       "wolfCrypt AEAD state alignment");

static struct wc_aead_state *aead_state(struct ktls_aead_ctx *ctx)
{
	return (struct wc_aead_state *)ctx->opaque;
}

static void wc_aead_free(struct ktls_aead_ctx *ctx)
{
	struct wc_aead_state *s = aead_state(ctx);

	if (s->live && s->alg != KTLS_AEAD_CHACHA20_POLY1305)
		wc_AesFree(&s->u.aes);
	explicit_bzero(ctx, sizeof(*ctx));
}

static int wc_aead_init(struct ktls_aead_ctx *ctx, enum ktls_aead_alg alg,
			const uint8_t *key, size_t key_len)
{
	struct wc_aead_state *s = aead_state(ctx);
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
		wc_aead_free(ctx);
		return KTLS_ERR_CRYPTO;
	}
	return 0;
}

static int wc_aead_seal(struct ktls_aead_ctx *ctx, const uint8_t *nonce,
			const uint8_t *aad, size_t aad_len, const uint8_t *in,
			size_t len, uint8_t *out)
{
	struct wc_aead_state *s = aead_state(ctx);
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

static int wc_aead_open(struct ktls_aead_ctx *ctx, const uint8_t *nonce,
			const uint8_t *aad, size_t aad_len, const uint8_t *in,
			size_t len, uint8_t *out)
{
	struct wc_aead_state *s = aead_state(ctx);
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

/* ------------------------------------------------------------------ */
/* Randomness */

static int rng_open(WC_RNG *rng)
{
	/* wc_InitRng allocates its DRBG; rng_close frees it. */
	return wc_InitRng(rng) ? KTLS_ERR_RANDOM : 0;
}

static void rng_close(WC_RNG *rng)
{
	wc_FreeRng(rng);
}

static int rng_fill(WC_RNG *rng, uint8_t *out, size_t len)
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

static int wc_random(uint8_t *out, size_t len)
{
	WC_RNG rng;
	int ret;

	ret = rng_open(&rng);
	if (ret)
		return ret;
	ret = rng_fill(&rng, out, len);
	rng_close(&rng);
	if (ret)
		explicit_bzero(out, len);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Key exchange: X25519 (RFC 7748, RFC 8446 §7.4.2) */

#define X25519_LEN 32

static int x25519_keygen(WC_RNG *rng, uint8_t *priv, uint8_t *pub)
{
	curve25519_key k;
	word32 plen = X25519_LEN, publen = X25519_LEN;
	int ret;

	if (wc_curve25519_init(&k))
		return KTLS_ERR_CRYPTO;
	ret = wc_curve25519_make_key(rng, X25519_LEN, &k);
	if (!ret)
		ret = wc_curve25519_export_private_raw_ex(
			&k, priv, &plen, EC25519_LITTLE_ENDIAN);
	if (!ret)
		ret = wc_curve25519_export_public_ex(&k, pub, &publen,
						     EC25519_LITTLE_ENDIAN);
	wc_curve25519_free(&k);
	explicit_bzero(&k, sizeof(k));
	if (ret || plen != X25519_LEN || publen != X25519_LEN) {
		explicit_bzero(priv, X25519_LEN);
		return KTLS_ERR_CRYPTO;
	}
	return 0;
}

static int x25519_agree(WC_RNG *rng, const uint8_t *priv,
			const uint8_t *peer, uint8_t *secret)
{
	static const uint8_t zero[X25519_LEN];
	curve25519_key k, p;
	word32 len = X25519_LEN;
	int ret;

	(void)rng;
	if (wc_curve25519_check_public(peer, X25519_LEN,
				       EC25519_LITTLE_ENDIAN))
		return KTLS_ERR_BAD_KEY_SHARE;
	if (wc_curve25519_init(&k))
		return KTLS_ERR_CRYPTO;
	if (wc_curve25519_init(&p)) {
		wc_curve25519_free(&k);
	explicit_bzero(&k, sizeof(k));
		return KTLS_ERR_CRYPTO;
	}
	ret = wc_curve25519_import_private_ex(priv, X25519_LEN, &k,
					      EC25519_LITTLE_ENDIAN);
	if (!ret)
		ret = wc_curve25519_import_public_ex(peer, X25519_LEN, &p,
						     EC25519_LITTLE_ENDIAN);
	if (!ret)
		ret = wc_curve25519_shared_secret_ex(&k, &p, secret, &len,
						     EC25519_LITTLE_ENDIAN);
	wc_curve25519_free(&k);
	explicit_bzero(&k, sizeof(k));
	wc_curve25519_free(&p);
	if (ret || len != X25519_LEN) {
		explicit_bzero(secret, X25519_LEN);
		return ret == ECC_BAD_ARG_E || ret == ECC_OUT_OF_RANGE_E
			       ? KTLS_ERR_BAD_KEY_SHARE : KTLS_ERR_CRYPTO;
	}
	/* RFC 8446 §7.4.2: MUST check for the all-zero value and abort. */
	if (!memcmp(secret, zero, X25519_LEN)) {
		explicit_bzero(secret, X25519_LEN);
		return KTLS_ERR_BAD_KEY_SHARE;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Key exchange: ECDHE over secp256r1 / secp384r1 (RFC 8446 §7.4.2) */

static int ecc_curve(uint16_t group, int *curve_id, int *size)
{
	switch (group) {
	case KTLS_GROUP_SECP256R1:
		*curve_id = ECC_SECP256R1;
		*size = 32;
		return 0;
	case KTLS_GROUP_SECP384R1:
		*curve_id = ECC_SECP384R1;
		*size = 48;
		return 0;
	}
	return KTLS_ERR_UNSUPPORTED;
}

static int ecdh_keygen(WC_RNG *rng, int curve_id, int size, uint8_t *priv,
		       uint8_t *pub, size_t cap, size_t *pub_len)
{
	ecc_key k;
	word32 plen = (word32)size, publen = (word32)cap;
	int ret;

	if ((size_t)(1 + 2 * size) > cap)
		return KTLS_ERR_BUFFER;
	if (wc_ecc_init(&k))
		return KTLS_ERR_CRYPTO;
	ret = wc_ecc_make_key_ex(rng, size, &k, curve_id);
	if (!ret)
		ret = wc_ecc_export_private_only(&k, priv, &plen);
	if (!ret)
		ret = wc_ecc_export_x963(&k, pub, &publen);
	wc_ecc_free(&k);
	explicit_bzero(&k, sizeof(k));
	if (ret || plen != (word32)size || publen != (word32)(1 + 2 * size)) {
		explicit_bzero(priv, (size_t)size);
		return KTLS_ERR_CRYPTO;
	}
	*pub_len = publen;
	return 0;
}

/*
 * RFC 8446 §4.2.8.2: the peer's share is an uncompressed point (0x04 || X
 * || Y); it is validated, and the shared secret is the X coordinate.
 */
static int ecdh_agree(WC_RNG *rng, int curve_id, int size,
		      const uint8_t *priv, const uint8_t *peer,
		      size_t peer_len, uint8_t *secret)
{
	ecc_key k, p;
	word32 len = (word32)size;
	int ret;

	if (peer_len != (size_t)(1 + 2 * size) || peer[0] != 0x04)
		return KTLS_ERR_BAD_KEY_SHARE;
	if (wc_ecc_init(&k))
		return KTLS_ERR_CRYPTO;
	if (wc_ecc_init(&p)) {
		wc_ecc_free(&k);
	explicit_bzero(&k, sizeof(k));
		return KTLS_ERR_CRYPTO;
	}
	if (wc_ecc_import_x963_ex(peer, (word32)peer_len, &p, curve_id) ||
	    wc_ecc_check_key(&p)) {
		ret = KTLS_ERR_BAD_KEY_SHARE;
		goto out;
	}
	ret = wc_ecc_import_private_key_ex(priv, (word32)size, NULL, 0, &k,
					   curve_id);
	if (!ret)
		ret = wc_ecc_set_rng(&k, rng);
	if (!ret)
		ret = wc_ecc_shared_secret(&k, &p, secret, &len);
	if (ret || len != (word32)size) {
		explicit_bzero(secret, (size_t)size);
		ret = KTLS_ERR_CRYPTO;
	}
out:
	wc_ecc_free(&k);
	explicit_bzero(&k, sizeof(k));
	wc_ecc_free(&p);
	return ret;
}

/* ------------------------------------------------------------------ */
/*
 * Key exchange: X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem): client share
 * = ML-KEM-768 encapsulation key || X25519 public key; server share =
 * ML-KEM ciphertext || X25519 public key; secret = ML-KEM shared secret ||
 * X25519 shared secret.
 */

#define MLKEM768_EK_LEN		1184
#define MLKEM768_CT_LEN		1088
#define MLKEM_SS_LEN		32
#define MLKEM_SEED_LEN		64
#define HYBRID_CLIENT_SHARE	(MLKEM768_EK_LEN + X25519_LEN)
#define HYBRID_SERVER_SHARE	(MLKEM768_CT_LEN + X25519_LEN)

_Static_assert(HYBRID_CLIENT_SHARE <= KTLS_KX_MAX_SHARE, "hybrid share");
_Static_assert(MLKEM_SEED_LEN + X25519_LEN <= KTLS_KX_MAX_PRIV, "hybrid st");

static int mlkem_from_seed(MlKemKey *k, const uint8_t *seed)
{
	if (wc_MlKemKey_Init(k, WC_ML_KEM_768, NULL, INVALID_DEVID))
		return KTLS_ERR_CRYPTO;
	if (wc_MlKemKey_MakeKeyWithRandom(k, seed, MLKEM_SEED_LEN)) {
		wc_MlKemKey_Free(k);
		return KTLS_ERR_CRYPTO;
	}
	return 0;
}

static int hybrid_keygen(WC_RNG *rng, struct ktls_kx_state *st,
			 uint8_t *share)
{
	MlKemKey k;
	int ret;

	ret = rng_fill(rng, st->priv, MLKEM_SEED_LEN);
	if (ret)
		return ret;
	ret = mlkem_from_seed(&k, st->priv);
	if (ret)
		return ret;
	ret = wc_MlKemKey_EncodePublicKey(&k, share, MLKEM768_EK_LEN)
		      ? KTLS_ERR_CRYPTO : 0;
	wc_MlKemKey_Free(&k);
	explicit_bzero(&k, sizeof(k));
	if (ret)
		return ret;
	return x25519_keygen(rng, st->priv + MLKEM_SEED_LEN,
			     share + MLKEM768_EK_LEN);
}

/*
 * FIPS 203 §7.2 encapsulation key check, which draft-ietf-tls-ecdhe-mlkem
 * requires of the server: every 12-bit coefficient of the encoded vector
 * (the first 384 * k bytes) must be below q = 3329, i.e. ByteEncode12 of
 * ByteDecode12 gives the input back.  Done here rather than trusting the
 * library's decoder to do it.
 */
#define MLKEM_Q			3329
#define MLKEM768_T_LEN		(384 * 3)

static int mlkem_ek_check(const uint8_t *ek)
{
	unsigned int bad = 0;

	for (size_t i = 0; i < MLKEM768_T_LEN; i += 3) {
		unsigned int d1 = ek[i] | (unsigned int)(ek[i + 1] & 0x0f) << 8;
		unsigned int d2 = ek[i + 1] >> 4 | (unsigned int)ek[i + 2] << 4;

		bad |= (d1 >= MLKEM_Q) | (d2 >= MLKEM_Q);
	}
	return bad ? KTLS_ERR_BAD_KEY_SHARE : 0;
}

static int hybrid_encap(WC_RNG *rng, const uint8_t *peer, uint8_t *share,
			uint8_t *secret)
{
	uint8_t priv[X25519_LEN];
	MlKemKey k;
	int ret;

	ret = mlkem_ek_check(peer);
	if (ret)
		return ret;
	if (wc_MlKemKey_Init(&k, WC_ML_KEM_768, NULL, INVALID_DEVID))
		return KTLS_ERR_CRYPTO;
	if (wc_MlKemKey_DecodePublicKey(&k, peer, MLKEM768_EK_LEN))
		ret = KTLS_ERR_BAD_KEY_SHARE;
	else
		ret = wc_MlKemKey_Encapsulate(&k, share, secret, rng)
			      ? KTLS_ERR_CRYPTO : 0;
	wc_MlKemKey_Free(&k);
	explicit_bzero(&k, sizeof(k));
	if (!ret)
		ret = x25519_keygen(rng, priv, share + MLKEM768_CT_LEN);
	if (!ret)
		ret = x25519_agree(rng, priv, peer + MLKEM768_EK_LEN,
				   secret + MLKEM_SS_LEN);
	explicit_bzero(priv, sizeof(priv));
	if (ret)
		explicit_bzero(secret, MLKEM_SS_LEN + X25519_LEN);
	return ret;
}

static int hybrid_finish(WC_RNG *rng, const struct ktls_kx_state *st,
			 const uint8_t *peer, uint8_t *secret)
{
	MlKemKey k;
	int ret;

	ret = mlkem_from_seed(&k, st->priv);
	if (ret)
		return ret;
	ret = wc_MlKemKey_Decapsulate(&k, secret, peer, MLKEM768_CT_LEN)
		      ? KTLS_ERR_BAD_KEY_SHARE : 0;
	wc_MlKemKey_Free(&k);
	explicit_bzero(&k, sizeof(k));
	if (!ret)
		ret = x25519_agree(rng, st->priv + MLKEM_SEED_LEN,
				   peer + MLKEM768_CT_LEN,
				   secret + MLKEM_SS_LEN);
	if (ret)
		explicit_bzero(secret, MLKEM_SS_LEN + X25519_LEN);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Key exchange: the three provider entry points */

static int wc_kx_keygen(uint16_t group, struct ktls_kx_state *st,
			uint8_t *share, size_t cap, size_t *share_len)
{
	int curve_id = 0, size = 0;
	WC_RNG rng;
	int ret;

	memset(st, 0, sizeof(*st));
	switch (group) {
	case KTLS_GROUP_X25519:
		if (cap < X25519_LEN)
			return KTLS_ERR_BUFFER;
		break;
	case KTLS_GROUP_X25519MLKEM768:
		if (cap < HYBRID_CLIENT_SHARE)
			return KTLS_ERR_BUFFER;
		break;
	default:
		ret = ecc_curve(group, &curve_id, &size);
		if (ret)
			return ret;
	}
	ret = rng_open(&rng);
	if (ret)
		return ret;
	switch (group) {
	case KTLS_GROUP_X25519:
		ret = x25519_keygen(&rng, st->priv, share);
		st->priv_len = X25519_LEN;
		*share_len = X25519_LEN;
		break;
	case KTLS_GROUP_X25519MLKEM768:
		ret = hybrid_keygen(&rng, st, share);
		st->priv_len = MLKEM_SEED_LEN + X25519_LEN;
		*share_len = HYBRID_CLIENT_SHARE;
		break;
	default:
		ret = ecdh_keygen(&rng, curve_id, size, st->priv, share, cap,
				  share_len);
		st->priv_len = (uint16_t)size;
	}
	rng_close(&rng);
	if (ret) {
		ktls_kx_state_wipe(st);
		*share_len = 0;
		return ret;
	}
	st->group = group;
	return 0;
}

static int wc_kx_encap(uint16_t group, const uint8_t *peer, size_t peer_len,
		       uint8_t *share, size_t cap, size_t *share_len,
		       uint8_t *secret, size_t *secret_len)
{
	uint8_t priv[48];
	int curve_id = 0, size = 0;
	WC_RNG rng;
	int ret;

	switch (group) {
	case KTLS_GROUP_X25519:
		if (peer_len != X25519_LEN)
			return KTLS_ERR_BAD_KEY_SHARE;
		if (cap < X25519_LEN)
			return KTLS_ERR_BUFFER;
		break;
	case KTLS_GROUP_X25519MLKEM768:
		if (peer_len != HYBRID_CLIENT_SHARE)
			return KTLS_ERR_BAD_KEY_SHARE;
		if (cap < HYBRID_SERVER_SHARE)
			return KTLS_ERR_BUFFER;
		break;
	default:
		ret = ecc_curve(group, &curve_id, &size);
		if (ret)
			return ret;
	}
	ret = rng_open(&rng);
	if (ret)
		return ret;
	switch (group) {
	case KTLS_GROUP_X25519:
		ret = x25519_keygen(&rng, priv, share);
		if (!ret)
			ret = x25519_agree(&rng, priv, peer, secret);
		*share_len = X25519_LEN;
		*secret_len = X25519_LEN;
		break;
	case KTLS_GROUP_X25519MLKEM768:
		ret = hybrid_encap(&rng, peer, share, secret);
		*share_len = HYBRID_SERVER_SHARE;
		*secret_len = MLKEM_SS_LEN + X25519_LEN;
		break;
	default:
		ret = ecdh_keygen(&rng, curve_id, size, priv, share, cap,
				  share_len);
		if (!ret)
			ret = ecdh_agree(&rng, curve_id, size, priv, peer,
					 peer_len, secret);
		*secret_len = (size_t)size;
	}
	rng_close(&rng);
	explicit_bzero(priv, sizeof(priv));
	if (ret) {
		*share_len = 0;
		*secret_len = 0;
	}
	return ret;
}

static int wc_kx_finish(struct ktls_kx_state *st, const uint8_t *peer,
			size_t peer_len, uint8_t *secret, size_t *secret_len)
{
	int curve_id = 0, size = 0;
	WC_RNG rng;
	int ret;

	switch (st->group) {
	case KTLS_GROUP_X25519:
		ret = peer_len == X25519_LEN ? 0 : KTLS_ERR_BAD_KEY_SHARE;
		break;
	case KTLS_GROUP_X25519MLKEM768:
		ret = peer_len == HYBRID_SERVER_SHARE ? 0
						      : KTLS_ERR_BAD_KEY_SHARE;
		break;
	default:
		ret = ecc_curve(st->group, &curve_id, &size);
		if (ret)
			ret = KTLS_ERR_STATE;
	}
	if (!ret)
		ret = rng_open(&rng);
	if (ret) {
		ktls_kx_state_wipe(st);
		return ret;
	}
	switch (st->group) {
	case KTLS_GROUP_X25519:
		ret = x25519_agree(&rng, st->priv, peer, secret);
		*secret_len = X25519_LEN;
		break;
	case KTLS_GROUP_X25519MLKEM768:
		ret = hybrid_finish(&rng, st, peer, secret);
		*secret_len = MLKEM_SS_LEN + X25519_LEN;
		break;
	default:
		ret = ecdh_agree(&rng, curve_id, size, st->priv, peer,
				 peer_len, secret);
		*secret_len = (size_t)size;
	}
	rng_close(&rng);
	ktls_kx_state_wipe(st);
	if (ret)
		*secret_len = 0;
	return ret;
}

/* ------------------------------------------------------------------ */
/* Signatures (RFC 8446 §4.2.3, §4.4.3) */

enum sig_kind { SIG_ECDSA, SIG_RSA_PSS, SIG_RSA_PKCS1, SIG_ED25519 };

struct sig_desc {
	uint16_t scheme;
	enum sig_kind kind;
	enum wc_HashType hash;		/* ECDSA, RSA */
	int mgf;			/* RSA-PSS */
	int curve_id;			/* ECDSA */
	int size;			/* ECDSA scalar length */
};

static const struct sig_desc sig_descs[] = {
	{ KTLS_SIG_ECDSA_SECP256R1_SHA256, SIG_ECDSA, WC_HASH_TYPE_SHA256, 0,
	  ECC_SECP256R1, 32 },
	{ KTLS_SIG_ECDSA_SECP384R1_SHA384, SIG_ECDSA, WC_HASH_TYPE_SHA384, 0,
	  ECC_SECP384R1, 48 },
	{ KTLS_SIG_ECDSA_SECP521R1_SHA512, SIG_ECDSA, WC_HASH_TYPE_SHA512, 0,
	  ECC_SECP521R1, 66 },
	{ KTLS_SIG_RSA_PSS_RSAE_SHA256, SIG_RSA_PSS, WC_HASH_TYPE_SHA256,
	  WC_MGF1SHA256, 0, 0 },
	{ KTLS_SIG_RSA_PSS_RSAE_SHA384, SIG_RSA_PSS, WC_HASH_TYPE_SHA384,
	  WC_MGF1SHA384, 0, 0 },
	{ KTLS_SIG_RSA_PSS_RSAE_SHA512, SIG_RSA_PSS, WC_HASH_TYPE_SHA512,
	  WC_MGF1SHA512, 0, 0 },
	{ KTLS_SIG_RSA_PKCS1_SHA256, SIG_RSA_PKCS1, WC_HASH_TYPE_SHA256, 0, 0,
	  0 },
	{ KTLS_SIG_RSA_PKCS1_SHA384, SIG_RSA_PKCS1, WC_HASH_TYPE_SHA384, 0, 0,
	  0 },
	{ KTLS_SIG_RSA_PKCS1_SHA512, SIG_RSA_PKCS1, WC_HASH_TYPE_SHA512, 0, 0,
	  0 },
	{ KTLS_SIG_ED25519, SIG_ED25519, WC_HASH_TYPE_NONE, 0, 0, 0 },
};

/* Keys sig_keygen makes for RSA schemes. */
#define RSA_KEYGEN_BITS	2048

static const struct sig_desc *sig_desc(uint16_t scheme)
{
	for (size_t i = 0; i < sizeof(sig_descs) / sizeof(sig_descs[0]); i++)
		if (sig_descs[i].scheme == scheme)
			return &sig_descs[i];
	return NULL;
}

/* The scheme's hash of the whole message; returns the length or < 0. */
static int sig_digest(const struct sig_desc *d, const uint8_t *msg,
		      size_t msg_len, uint8_t *digest)
{
	int len = wc_HashGetDigestSize(d->hash);

	if (len <= 0 || len > WC_MAX_DIGEST_SIZE)
		return KTLS_ERR_UNSUPPORTED;
	if (wc_Hash(d->hash, msg, (word32)msg_len, digest, (word32)len))
		return KTLS_ERR_CRYPTO;
	return len;
}

static int verify_ecdsa(const struct sig_desc *d, const uint8_t *spki,
			size_t spki_len, const uint8_t *msg, size_t msg_len,
			const uint8_t *sig, size_t sig_len)
{
	uint8_t digest[WC_MAX_DIGEST_SIZE];
	word32 idx = 0;
	ecc_key k;
	int res = 0, dlen, ret;

	dlen = sig_digest(d, msg, msg_len, digest);
	if (dlen < 0)
		return dlen;
	if (wc_ecc_init(&k))
		return KTLS_ERR_CRYPTO;
	if (wc_EccPublicKeyDecode(spki, &idx, &k, (word32)spki_len) ||
	    idx != spki_len || !k.dp || k.dp->id != d->curve_id) {
		ret = KTLS_ERR_BAD_KEY;
		goto out;
	}
	ret = wc_ecc_verify_hash(sig, (word32)sig_len, digest, (word32)dlen,
				 &res, &k);
	ret = !ret && res == 1 ? 0 : KTLS_ERR_BAD_SIGNATURE;
out:
	wc_ecc_free(&k);
	return ret;
}

/*
 * RFC 8446 §4.2.3: rsa_pss_rsae_* and rsa_pkcs1_* take a key whose SPKI
 * algorithm is rsaEncryption.  wolfCrypt's decoder also accepts a bare
 * PKCS#1 RSAPublicKey, so the AlgorithmIdentifier is checked here:
 * SEQUENCE { SEQUENCE { rsaEncryption, NULL }, BIT STRING }.
 */
static int spki_is_rsa_encryption(const uint8_t *spki, size_t len)
{
	static const uint8_t rsa_encryption[] = {
		0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
		0x01, 0x01, 0x01, 0x05, 0x00,
	};
	size_t hdr;

	if (len < 2 || spki[0] != 0x30)
		return 0;
	if (spki[1] < 0x80)
		hdr = 2;
	else if (spki[1] == 0x81)
		hdr = 3;
	else if (spki[1] == 0x82)
		hdr = 4;
	else
		return 0;
	return len >= hdr + sizeof(rsa_encryption) &&
	       !memcmp(spki + hdr, rsa_encryption, sizeof(rsa_encryption));
}

static int verify_rsa(const struct sig_desc *d, const uint8_t *spki,
		      size_t spki_len, const uint8_t *msg, size_t msg_len,
		      const uint8_t *sig, size_t sig_len)
{
	uint8_t digest[WC_MAX_DIGEST_SIZE];
	uint8_t buf[KTLS_SIG_MAX_LEN];
	word32 idx = 0;
	int dlen, ret;
	RsaKey k;

	if (!spki_is_rsa_encryption(spki, spki_len))
		return KTLS_ERR_BAD_KEY;
	if (wc_InitRsaKey(&k, NULL))
		return KTLS_ERR_CRYPTO;
	if (wc_RsaPublicKeyDecode(spki, &idx, &k, (word32)spki_len) ||
	    idx != spki_len) {
		ret = KTLS_ERR_BAD_KEY;
		goto out;
	}
	if (sig_len != (size_t)wc_RsaEncryptSize(&k) ||
	    sig_len > sizeof(buf)) {
		ret = KTLS_ERR_BAD_SIGNATURE;
		goto out;
	}
	if (d->kind == SIG_RSA_PKCS1) {
		ret = wc_SignatureVerify(d->hash, WC_SIGNATURE_TYPE_RSA_W_ENC,
					 msg, (word32)msg_len, sig,
					 (word32)sig_len, &k, sizeof(k));
		ret = ret ? KTLS_ERR_BAD_SIGNATURE : 0;
		goto out;
	}
	dlen = sig_digest(d, msg, msg_len, digest);
	if (dlen < 0) {
		ret = dlen;
		goto out;
	}
	/* RFC 8446 §4.2.3: salt length MUST equal the digest length. */
	ret = wc_RsaPSS_VerifyCheck(sig, (word32)sig_len, buf, sizeof(buf),
				    digest, (word32)dlen, d->hash, d->mgf, &k);
	ret = ret < 0 ? KTLS_ERR_BAD_SIGNATURE : 0;
out:
	wc_FreeRsaKey(&k);
	return ret;
}

static const uint8_t ed25519_spki_prefix[] = {
	0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
};

static int verify_ed25519(const uint8_t *spki, size_t spki_len,
			  const uint8_t *msg, size_t msg_len,
			  const uint8_t *sig, size_t sig_len)
{
	ed25519_key k;
	int res = 0, ret;

	/*
	 * RFC 8410 §4: an Ed25519 SPKI has one form, id-Ed25519 without
	 * parameters and a 32-byte key.  Checked here byte for byte, since
	 * wolfCrypt's SPKI decoder also takes other shapes of input.
	 */
	if (spki_len != sizeof(ed25519_spki_prefix) + ED25519_PUB_KEY_SIZE ||
	    memcmp(spki, ed25519_spki_prefix, sizeof(ed25519_spki_prefix)))
		return KTLS_ERR_BAD_KEY;
	if (sig_len != ED25519_SIG_SIZE)
		return KTLS_ERR_BAD_SIGNATURE;
	if (wc_ed25519_init(&k))
		return KTLS_ERR_CRYPTO;
	if (wc_ed25519_import_public(spki + sizeof(ed25519_spki_prefix),
				     ED25519_PUB_KEY_SIZE, &k)) {
		ret = KTLS_ERR_BAD_KEY;
		goto out;
	}
	ret = wc_ed25519_verify_msg(sig, (word32)sig_len, msg, (word32)msg_len,
				    &res, &k);
	ret = !ret && res == 1 ? 0 : KTLS_ERR_BAD_SIGNATURE;
out:
	wc_ed25519_free(&k);
	return ret;
}

static int wc_sig_verify(uint16_t scheme, const uint8_t *spki,
			 size_t spki_len, const uint8_t *msg, size_t msg_len,
			 const uint8_t *sig, size_t sig_len)
{
	const struct sig_desc *d = sig_desc(scheme);

	if (!d)
		return KTLS_ERR_UNSUPPORTED;
	if (spki_len > UINT32_MAX || msg_len > UINT32_MAX ||
	    sig_len > UINT32_MAX)
		return KTLS_ERR_INVALID;
	switch (d->kind) {
	case SIG_ECDSA:
		return verify_ecdsa(d, spki, spki_len, msg, msg_len, sig,
				    sig_len);
	case SIG_RSA_PSS:
	case SIG_RSA_PKCS1:
		return verify_rsa(d, spki, spki_len, msg, msg_len, sig,
				  sig_len);
	case SIG_ED25519:
		return verify_ed25519(spki, spki_len, msg, msg_len, sig,
				      sig_len);
	}
	return KTLS_ERR_UNSUPPORTED;
}

static int sign_ecdsa(const struct sig_desc *d, WC_RNG *rng,
		      const uint8_t *priv, size_t priv_len,
		      const uint8_t *msg, size_t msg_len, uint8_t *sig,
		      size_t cap, size_t *sig_len)
{
	uint8_t digest[WC_MAX_DIGEST_SIZE];
	word32 len = (word32)(cap > UINT32_MAX ? UINT32_MAX : cap);
	int dlen, ret = 0;
	ecc_key k;

	if (priv_len != (size_t)d->size)
		return KTLS_ERR_BAD_KEY;
	dlen = sig_digest(d, msg, msg_len, digest);
	if (dlen < 0)
		return dlen;
	if (wc_ecc_init(&k))
		return KTLS_ERR_CRYPTO;
	if (wc_ecc_import_private_key_ex(priv, (word32)priv_len, NULL, 0, &k,
					 d->curve_id))
		ret = KTLS_ERR_BAD_KEY;
	else if (wc_ecc_sign_hash(digest, (word32)dlen, sig, &len, rng, &k))
		ret = cap < 2 * (size_t)d->size + 9 ? KTLS_ERR_BUFFER
						    : KTLS_ERR_CRYPTO;
	else
		*sig_len = len;
	wc_ecc_free(&k);
	explicit_bzero(&k, sizeof(k));
	return ret;
}

/* RSASSA-PSS with salt length = hash length (RFC 8446 §4.2.3). */
static int sign_rsa_pss(const struct sig_desc *d, WC_RNG *rng,
			const uint8_t *priv, size_t priv_len,
			const uint8_t *msg, size_t msg_len, uint8_t *sig,
			size_t cap, size_t *sig_len)
{
	uint8_t digest[WC_MAX_DIGEST_SIZE];
	word32 idx = 0;
	int dlen, ret;
	RsaKey k;

	if (priv_len > UINT32_MAX)
		return KTLS_ERR_INVALID;
	dlen = sig_digest(d, msg, msg_len, digest);
	if (dlen < 0)
		return dlen;
	if (wc_InitRsaKey(&k, NULL))
		return KTLS_ERR_CRYPTO;
	if (wc_RsaPrivateKeyDecode(priv, &idx, &k, (word32)priv_len)) {
		ret = KTLS_ERR_BAD_KEY;
		goto out;
	}
	if (cap < (size_t)wc_RsaEncryptSize(&k)) {
		ret = KTLS_ERR_BUFFER;
		goto out;
	}
	if (wc_RsaSetRNG(&k, rng)) {
		ret = KTLS_ERR_CRYPTO;
		goto out;
	}
	ret = wc_RsaPSS_Sign_ex(digest, (word32)dlen, sig,
				(word32)(cap > UINT32_MAX ? UINT32_MAX : cap),
				d->hash, d->mgf, RSA_PSS_SALT_LEN_DEFAULT, &k,
				rng);
	if (ret > 0) {
		*sig_len = (size_t)ret;
		ret = 0;
	} else {
		ret = KTLS_ERR_CRYPTO;
	}
out:
	wc_FreeRsaKey(&k);
	explicit_bzero(&k, sizeof(k));
	return ret;
}

static int ed25519_load(ed25519_key *k, const uint8_t *seed)
{
	uint8_t pub[ED25519_PUB_KEY_SIZE];

	if (wc_ed25519_import_private_only(seed, ED25519_KEY_SIZE, k) ||
	    wc_ed25519_make_public(k, pub, sizeof(pub)) ||
	    wc_ed25519_import_private_key(seed, ED25519_KEY_SIZE, pub,
					  sizeof(pub), k))
		return KTLS_ERR_BAD_KEY;
	return 0;
}

static int sign_ed25519(const uint8_t *priv, size_t priv_len,
			const uint8_t *msg, size_t msg_len, uint8_t *sig,
			size_t cap, size_t *sig_len)
{
	word32 len = ED25519_SIG_SIZE;
	ed25519_key k;
	int ret;

	if (priv_len != ED25519_KEY_SIZE)
		return KTLS_ERR_BAD_KEY;
	if (cap < ED25519_SIG_SIZE)
		return KTLS_ERR_BUFFER;
	if (wc_ed25519_init(&k))
		return KTLS_ERR_CRYPTO;
	ret = ed25519_load(&k, priv);
	if (!ret && wc_ed25519_sign_msg(msg, (word32)msg_len, sig, &len, &k))
		ret = KTLS_ERR_CRYPTO;
	if (!ret)
		*sig_len = len;
	wc_ed25519_free(&k);
	explicit_bzero(&k, sizeof(k));
	return ret;
}

static int wc_sig_sign(uint16_t scheme, const uint8_t *priv, size_t priv_len,
		       const uint8_t *msg, size_t msg_len, uint8_t *sig,
		       size_t cap, size_t *sig_len)
{
	const struct sig_desc *d = sig_desc(scheme);
	WC_RNG rng;
	int ret;

	*sig_len = 0;
	/* rsa_pkcs1_*: never signed in TLS 1.3 handshakes */
	if (!d || d->kind == SIG_RSA_PKCS1)
		return KTLS_ERR_UNSUPPORTED;
	if (msg_len > UINT32_MAX)
		return KTLS_ERR_INVALID;
	if (d->kind == SIG_ED25519) {
		ret = sign_ed25519(priv, priv_len, msg, msg_len, sig, cap,
				   sig_len);
	} else {
		ret = rng_open(&rng);
		if (ret)
			return ret;
		if (d->kind == SIG_ECDSA)
			ret = sign_ecdsa(d, &rng, priv, priv_len, msg, msg_len,
					 sig, cap, sig_len);
		else
			ret = sign_rsa_pss(d, &rng, priv, priv_len, msg,
					   msg_len, sig, cap, sig_len);
		rng_close(&rng);
	}
	if (ret)
		explicit_bzero(sig, cap);
	return ret;
}

/* Each returns the SPKI length (> 0) or a negative wolfCrypt error. */
static int keygen_ecdsa(const struct sig_desc *d, WC_RNG *rng, uint8_t *priv,
			word32 *plen, uint8_t *spki, word32 cap)
{
	ecc_key k;
	int ret;

	if (wc_ecc_init(&k))
		return BAD_FUNC_ARG;
	ret = wc_ecc_make_key_ex(rng, d->size, &k, d->curve_id);
	if (!ret)
		ret = wc_ecc_export_private_only(&k, priv, plen);
	if (!ret)
		ret = wc_EccPublicKeyToDer(&k, spki, cap, 1);
	wc_ecc_free(&k);
	explicit_bzero(&k, sizeof(k));
	return ret;
}

static int keygen_rsa(WC_RNG *rng, uint8_t *priv, word32 *plen,
		      uint8_t *spki, word32 cap)
{
	RsaKey k;
	int ret;

	if (wc_InitRsaKey(&k, NULL))
		return BAD_FUNC_ARG;
	ret = wc_MakeRsaKey(&k, RSA_KEYGEN_BITS, WC_RSA_EXPONENT, rng);
	if (!ret) {
		ret = wc_RsaKeyToDer(&k, priv, *plen);
		if (ret > 0) {
			*plen = (word32)ret;
			ret = 0;
		}
	}
	if (!ret)
		ret = wc_RsaKeyToPublicDer(&k, spki, cap);
	wc_FreeRsaKey(&k);
	explicit_bzero(&k, sizeof(k));
	return ret;
}

static int keygen_ed25519(WC_RNG *rng, uint8_t *priv, word32 *plen,
			  uint8_t *spki, word32 cap)
{
	ed25519_key k;
	int ret;

	if (wc_ed25519_init(&k))
		return BAD_FUNC_ARG;
	ret = wc_ed25519_make_key(rng, ED25519_KEY_SIZE, &k);
	if (!ret)
		ret = wc_ed25519_export_private_only(&k, priv, plen);
	if (!ret)
		ret = wc_Ed25519PublicKeyToDer(&k, spki, cap, 1);
	wc_ed25519_free(&k);
	explicit_bzero(&k, sizeof(k));
	return ret;
}

static int wc_sig_keygen(uint16_t scheme, uint8_t *priv, size_t priv_cap,
			 size_t *priv_len, uint8_t *spki, size_t spki_cap,
			 size_t *spki_len)
{
	const struct sig_desc *d = sig_desc(scheme);
	word32 plen = (word32)(priv_cap > UINT32_MAX ? UINT32_MAX : priv_cap);
	word32 cap = (word32)(spki_cap > UINT32_MAX ? UINT32_MAX : spki_cap);
	WC_RNG rng;
	int ret;

	if (!d || d->kind == SIG_RSA_PKCS1)
		return KTLS_ERR_UNSUPPORTED;
	ret = rng_open(&rng);
	if (ret)
		return ret;
	switch (d->kind) {
	case SIG_ECDSA:
		ret = keygen_ecdsa(d, &rng, priv, &plen, spki, cap);
		break;
	case SIG_RSA_PSS:
		ret = keygen_rsa(&rng, priv, &plen, spki, cap);
		break;
	default:
		ret = keygen_ed25519(&rng, priv, &plen, spki, cap);
	}
	rng_close(&rng);
	if (ret <= 0) {
		explicit_bzero(priv, priv_cap);
		return ret == BUFFER_E ? KTLS_ERR_BUFFER : KTLS_ERR_CRYPTO;
	}
	*priv_len = plen;
	*spki_len = (size_t)ret;
	return 0;
}

const struct ktls_crypto_provider ktls_provider_wolfcrypt = {
	.name		= "wolfcrypt",
	.hash_init	= wc_hash_init,
	.hash_update	= wc_hash_update,
	.hash_copy	= wc_hash_copy,
	.hash_final	= wc_hash_final,
	.hash_free	= wc_hash_free,
	.hmac		= wc_hmac_once,
	.hkdf_extract	= wc_hkdf_extract,
	.hkdf_expand	= wc_hkdf_expand,
	.aead_init	= wc_aead_init,
	.aead_seal	= wc_aead_seal,
	.aead_open	= wc_aead_open,
	.aead_free	= wc_aead_free,
	.kx_keygen	= wc_kx_keygen,
	.kx_encap	= wc_kx_encap,
	.kx_finish	= wc_kx_finish,
	.sig_verify	= wc_sig_verify,
	.sig_sign	= wc_sig_sign,
	.sig_keygen	= wc_sig_keygen,
	.random		= wc_random,
};
