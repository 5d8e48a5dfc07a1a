/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Private to the wolfCrypt provider (agent/crypto/wolfcrypt/): wolfSSL's
 * headers, always <wolfssl/options.h> first, and the functions provider.c
 * puts in its table.  Never included outside this directory.
 */
#ifndef KTLS_WOLFCRYPT_INTERNAL_H
#define KTLS_WOLFCRYPT_INTERNAL_H

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

/* rng.c */
int wcp_rng_open(WC_RNG *rng);
void wcp_rng_close(WC_RNG *rng);
int wcp_rng_fill(WC_RNG *rng, uint8_t *out, size_t len);
int wcp_random(uint8_t *out, size_t len);

/* hash.c */
int wcp_hash_init(struct ktls_hash_ctx *ctx, enum ktls_hash_alg alg);
int wcp_hash_update(struct ktls_hash_ctx *ctx, const uint8_t *data,
		    size_t len);
int wcp_hash_copy(struct ktls_hash_ctx *dst, const struct ktls_hash_ctx *src);
int wcp_hash_final(struct ktls_hash_ctx *ctx, uint8_t *out);
void wcp_hash_free(struct ktls_hash_ctx *ctx);
int wcp_hmac_once(enum ktls_hash_alg alg, const uint8_t *key, size_t key_len,
		  const uint8_t *data, size_t len, uint8_t *out);
int wcp_hkdf_extract(enum ktls_hash_alg alg, const uint8_t *salt,
		     size_t salt_len, const uint8_t *ikm, size_t ikm_len,
		     uint8_t *prk);
int wcp_hkdf_expand(enum ktls_hash_alg alg, const uint8_t *prk,
		    size_t prk_len, const uint8_t *info, size_t info_len,
		    uint8_t *out, size_t out_len);

/* aead.c */
int wcp_aead_init(struct ktls_aead_ctx *ctx, enum ktls_aead_alg alg,
		  const uint8_t *key, size_t key_len);
int wcp_aead_seal(struct ktls_aead_ctx *ctx, const uint8_t *nonce,
		  const uint8_t *aad, size_t aad_len, const uint8_t *in,
		  size_t len, uint8_t *out);
int wcp_aead_open(struct ktls_aead_ctx *ctx, const uint8_t *nonce,
		  const uint8_t *aad, size_t aad_len, const uint8_t *in,
		  size_t len, uint8_t *out);
void wcp_aead_free(struct ktls_aead_ctx *ctx);

/* kx.c */
int wcp_kx_keygen(uint16_t group, struct ktls_kx_state *st, uint8_t *share,
		  size_t cap, size_t *share_len);
int wcp_kx_encap(uint16_t group, const uint8_t *peer, size_t peer_len,
		 uint8_t *share, size_t cap, size_t *share_len,
		 uint8_t *secret, size_t *secret_len);
int wcp_kx_finish(struct ktls_kx_state *st, const uint8_t *peer,
		  size_t peer_len, uint8_t *secret, size_t *secret_len);

/* sig.c */
int wcp_sig_verify(uint16_t scheme, const uint8_t *spki, size_t spki_len,
		   const uint8_t *msg, size_t msg_len, const uint8_t *sig,
		   size_t sig_len);
int wcp_sig_sign(uint16_t scheme, const uint8_t *priv, size_t priv_len,
		 const uint8_t *msg, size_t msg_len, uint8_t *sig, size_t cap,
		 size_t *sig_len);
int wcp_sig_keygen(uint16_t scheme, uint8_t *priv, size_t priv_cap,
		   size_t *priv_len, uint8_t *spki, size_t spki_cap,
		   size_t *spki_len);

#endif /* KTLS_WOLFCRYPT_INTERNAL_H */
