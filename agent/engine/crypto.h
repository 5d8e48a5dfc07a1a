/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The crypto provider interface: everything the TLS 1.3 engine needs from a
 * cryptographic library, as one struct of function pointers.
 *
 * Why it is shaped so:
 *  - The engine never includes a library header.  A provider is a const
 *    table; wolfCrypt's lives in agent/crypto/wolfcrypt/ and a second one
 *    (an insecure fuzzing provider, or another library) is a second table,
 *    with no change to the engine.
 *  - Nothing here allocates on the engine's behalf.  Running state (a
 *    transcript hash, an AEAD key schedule) lives in fixed-size opaque
 *    buffers that the caller owns; a provider checks at compile time that its
 *    own context fits (KTLS_HASH_CTX_SIZE, KTLS_AEAD_CTX_SIZE).
 *  - Key exchange private state (struct ktls_kx_state) holds the private key
 *    in the group's standard encoding, not a library object, so it is plain
 *    bytes the engine can keep in its context and wipe, and a provider
 *    rebuilds its key object from it when the peer's share arrives.
 *  - Algorithms are named by their TLS code points (groups, signature
 *    schemes) or by small enums (hash, AEAD): the engine maps a cipher suite
 *    to those through ktls_suite_by_id().
 *  - One error convention: 0 or a negative enum ktls_err.  The inline
 *    wrappers at the bottom carry warn_unused_result, so the engine calls the
 *    provider through them and the compiler checks every result.
 *  - An operation that fails zeroes the secret outputs it was given
 *    (derived keys, shared secrets, private keys, plaintext, signatures).
 */
#ifndef KTLS_CRYPTO_H
#define KTLS_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Hashes: the two TLS 1.3 suites' transcript hashes (RFC 8446 §B.4). */
enum ktls_hash_alg {
	KTLS_HASH_SHA256 = 1,
	KTLS_HASH_SHA384 = 2,
};

#define KTLS_MAX_HASH_LEN	48

/* AEADs of the RFC 8446 §B.4 suites that kTLS can carry. */
enum ktls_aead_alg {
	KTLS_AEAD_AES_128_GCM = 1,
	KTLS_AEAD_AES_256_GCM,
	KTLS_AEAD_CHACHA20_POLY1305,
	KTLS_AEAD_AES_128_CCM,
};

#define KTLS_AEAD_MAX_KEY_LEN	32
#define KTLS_AEAD_NONCE_LEN	12	/* iv_length, RFC 8446 §5.3 */
#define KTLS_AEAD_TAG_LEN	16	/* all four suites */

/* Cipher suites, RFC 8446 §B.4. */
#define KTLS_TLS_AES_128_GCM_SHA256		0x1301
#define KTLS_TLS_AES_256_GCM_SHA384		0x1302
#define KTLS_TLS_CHACHA20_POLY1305_SHA256	0x1303
#define KTLS_TLS_AES_128_CCM_SHA256		0x1304

struct ktls_suite {
	uint16_t id;
	enum ktls_hash_alg hash;
	enum ktls_aead_alg aead;
	uint8_t key_len;
	uint8_t iv_len;
	uint8_t tag_len;
	const char *name;
};

/* NULL for a suite the engine does not offer. */
const struct ktls_suite *ktls_suite_by_id(uint16_t id);
/* 0 for an unknown hash. */
size_t ktls_hash_len(enum ktls_hash_alg alg);

/* Named groups, RFC 8446 §4.2.7 and draft-ietf-tls-ecdhe-mlkem. */
#define KTLS_GROUP_SECP256R1		0x0017
#define KTLS_GROUP_SECP384R1		0x0018
#define KTLS_GROUP_X25519		0x001d
#define KTLS_GROUP_X25519MLKEM768	0x11ec

/*
 * Largest key_exchange field: X25519MLKEM768 client share, ML-KEM-768
 * encapsulation key (1184) || X25519 public key (32).
 */
#define KTLS_KX_MAX_SHARE	1216
/* Largest shared secret: hybrid, ML-KEM (32) || X25519 (32). */
#define KTLS_KX_MAX_SECRET	64
/* Largest private state: hybrid, ML-KEM seed d || z (64) || X25519 (32). */
#define KTLS_KX_MAX_PRIV	96

/*
 * A client's key exchange private state between keygen and finish.  priv is
 * the group's standard private encoding, so any provider can use it:
 *   x25519:          the 32-byte scalar of RFC 7748;
 *   secp256r1/384r1: the big-endian private scalar (32 / 48 bytes);
 *   X25519MLKEM768:  ML-KEM-768 key generation seed d || z (FIPS 203,
 *                    64 bytes, the "seed" form OpenSSL 3.5 also uses)
 *                    followed by the X25519 scalar (32 bytes).
 * Wipe it with ktls_kx_state_wipe() (kx_finish does so itself).
 */
struct ktls_kx_state {
	uint16_t group;
	uint16_t priv_len;
	uint8_t priv[KTLS_KX_MAX_PRIV];
};

/* Signature schemes, RFC 8446 §4.2.3. */
#define KTLS_SIG_RSA_PKCS1_SHA256	0x0401	/* certificates only */
#define KTLS_SIG_RSA_PKCS1_SHA384	0x0501	/* certificates only */
#define KTLS_SIG_RSA_PKCS1_SHA512	0x0601	/* certificates only */
#define KTLS_SIG_ECDSA_SECP256R1_SHA256	0x0403
#define KTLS_SIG_ECDSA_SECP384R1_SHA384	0x0503
#define KTLS_SIG_ECDSA_SECP521R1_SHA512	0x0603
#define KTLS_SIG_RSA_PSS_RSAE_SHA256	0x0804
#define KTLS_SIG_RSA_PSS_RSAE_SHA384	0x0805
#define KTLS_SIG_RSA_PSS_RSAE_SHA512	0x0806
#define KTLS_SIG_ED25519		0x0807
#define KTLS_SIG_RSA_PSS_PSS_SHA256	0x0809	/* id-RSASSA-PSS keys */
#define KTLS_SIG_RSA_PSS_PSS_SHA384	0x080a
#define KTLS_SIG_RSA_PSS_PSS_SHA512	0x080b

#define KTLS_SIG_MAX_LEN	512	/* RSA-4096 */
#define KTLS_SIG_MAX_PRIV	2400	/* private keys, up to RSA-4096 DER */
#define KTLS_SIG_MAX_SPKI	600	/* SPKI, up to RSA-4096 */

/* Opaque, caller-owned running state; sizes checked by each provider. */
#define KTLS_HASH_CTX_SIZE	256
#define KTLS_AEAD_CTX_SIZE	1024

struct ktls_hash_ctx {
	_Alignas(16) unsigned char opaque[KTLS_HASH_CTX_SIZE];
};

struct ktls_aead_ctx {
	_Alignas(16) unsigned char opaque[KTLS_AEAD_CTX_SIZE];
};

/*
 * The provider.  Every member must be set; an operation a provider does not
 * implement returns KTLS_ERR_UNSUPPORTED.  Lengths are in bytes.
 */
struct ktls_crypto_provider {
	const char *name;

	/*
	 * Incremental hash.  init/update/copy/final return 0 or an error;
	 * final writes ktls_hash_len(alg) bytes and releases the context;
	 * free releases and wipes a context that is not finalised (harmless on
	 * a finalised or zeroed one).  copy snapshots a running transcript:
	 * dst must not be live.  A context's life starts with init (or copy);
	 * other calls on memory that is neither initialised nor zeroed are
	 * undefined.
	 */
	int (*hash_init)(struct ktls_hash_ctx *ctx, enum ktls_hash_alg alg);
	int (*hash_update)(struct ktls_hash_ctx *ctx, const uint8_t *data,
			   size_t len);
	int (*hash_copy)(struct ktls_hash_ctx *dst,
			 const struct ktls_hash_ctx *src);
	int (*hash_final)(struct ktls_hash_ctx *ctx, uint8_t *out);
	void (*hash_free)(struct ktls_hash_ctx *ctx);

	/* HMAC (RFC 2104) over one buffer; out gets ktls_hash_len(alg). */
	int (*hmac)(enum ktls_hash_alg alg, const uint8_t *key, size_t key_len,
		    const uint8_t *data, size_t len, uint8_t *out);
	/* HKDF-Extract (RFC 5869 §2.2); prk gets ktls_hash_len(alg). */
	int (*hkdf_extract)(enum ktls_hash_alg alg, const uint8_t *salt,
			    size_t salt_len, const uint8_t *ikm, size_t ikm_len,
			    uint8_t *prk);
	/* HKDF-Expand (RFC 5869 §2.3), out_len <= 255 * hash length. */
	int (*hkdf_expand)(enum ktls_hash_alg alg, const uint8_t *prk,
			   size_t prk_len, const uint8_t *info, size_t info_len,
			   uint8_t *out, size_t out_len);

	/*
	 * AEAD with a key schedule kept in ctx.  seal writes len bytes of
	 * ciphertext then the 16-byte tag to out (len + 16 bytes); open takes
	 * ciphertext || tag (len >= 16) and writes len - 16 bytes, or returns
	 * KTLS_ERR_DECRYPT and wipes out.  in and out may be the same buffer.
	 * The nonce is KTLS_AEAD_NONCE_LEN bytes.
	 */
	int (*aead_init)(struct ktls_aead_ctx *ctx, enum ktls_aead_alg alg,
			 const uint8_t *key, size_t key_len);
	int (*aead_seal)(struct ktls_aead_ctx *ctx, const uint8_t *nonce,
			 const uint8_t *aad, size_t aad_len,
			 const uint8_t *in, size_t len, uint8_t *out);
	int (*aead_open)(struct ktls_aead_ctx *ctx, const uint8_t *nonce,
			 const uint8_t *aad, size_t aad_len,
			 const uint8_t *in, size_t len, uint8_t *out);
	void (*aead_free)(struct ktls_aead_ctx *ctx);

	/*
	 * Key exchange, RFC 8446 §4.2.8, as a KEM so that ECDHE and ML-KEM
	 * hybrids share one shape:
	 *   client: kx_keygen  -> st + key_exchange bytes for the ClientHello
	 *   server: kx_encap   peer's share -> its own share + shared secret
	 *   client: kx_finish  st + server's share -> shared secret; wipes st
	 * Shares and secrets are in the group's TLS encoding (§4.2.8.2:
	 * uncompressed points, X coordinate as secret; X25519MLKEM768: ML-KEM
	 * part first).  A malformed or invalid peer share (off the curve,
	 * all-zero X25519 result) is KTLS_ERR_BAD_KEY_SHARE.
	 */
	int (*kx_keygen)(uint16_t group, struct ktls_kx_state *st,
			 uint8_t *share, size_t cap, size_t *share_len);
	int (*kx_encap)(uint16_t group, const uint8_t *peer, size_t peer_len,
			uint8_t *share, size_t cap, size_t *share_len,
			uint8_t *secret, size_t *secret_len);
	int (*kx_finish)(struct ktls_kx_state *st, const uint8_t *peer,
			 size_t peer_len, uint8_t *secret, size_t *secret_len);

	/*
	 * Signatures over the whole message (the provider hashes as the scheme
	 * says).  Public keys are DER SubjectPublicKeyInfo as found in a
	 * certificate.  Private keys for sign/keygen: the big-endian scalar
	 * for ECDSA, the 32-byte seed for Ed25519, DER RSAPrivateKey (PKCS#1)
	 * for RSA (rsa_pss_rsae_* and rsa_pss_pss_* alike).  ECDSA
	 * signatures are DER (RFC 8446 §4.2.3).  sign/keygen cover ECDSA
	 * P-256/384/521, rsa_pss_rsae_* and rsa_pss_pss_* (keygen: RSA-2048;
	 * for rsa_pss_pss_* an id-RSASSA-PSS SPKI without parameters) and
	 * Ed25519; rsa_pkcs1_* is verify only.  RSASSA-PSS salts are as long
	 * as the hash.  rsa_pss_rsae_* and rsa_pkcs1_* verify only with an
	 * rsaEncryption SPKI, rsa_pss_pss_* only with an id-RSASSA-PSS SPKI
	 * whose parameters, if any, allow the scheme's hash and salt (RFC
	 * 4055 §3.3).  A signature that does not verify is
	 * KTLS_ERR_BAD_SIGNATURE; a key that does not match the scheme is
	 * KTLS_ERR_BAD_KEY.
	 */
	int (*sig_verify)(uint16_t scheme, const uint8_t *spki, size_t spki_len,
			  const uint8_t *msg, size_t msg_len,
			  const uint8_t *sig, size_t sig_len);
	int (*sig_sign)(uint16_t scheme, const uint8_t *priv, size_t priv_len,
			const uint8_t *msg, size_t msg_len,
			uint8_t *sig, size_t cap, size_t *sig_len);
	int (*sig_keygen)(uint16_t scheme, uint8_t *priv, size_t priv_cap,
			  size_t *priv_len, uint8_t *spki, size_t spki_cap,
			  size_t *spki_len);

	/* Cryptographically secure random bytes. */
	int (*random)(uint8_t *out, size_t len);
};

/* 0 if every member is set, else KTLS_ERR_INVALID. */
KTLS_MUST_CHECK int ktls_crypto_provider_check(
	const struct ktls_crypto_provider *cp);

/*
 * The engine calls the provider only through these, so every result is
 * checked by the compiler.
 */
static inline KTLS_MUST_CHECK int
ktls_hash_init(const struct ktls_crypto_provider *cp,
	       struct ktls_hash_ctx *ctx, enum ktls_hash_alg alg)
{
	return cp->hash_init(ctx, alg);
}

static inline KTLS_MUST_CHECK int
ktls_hash_update(const struct ktls_crypto_provider *cp,
		 struct ktls_hash_ctx *ctx, const uint8_t *data, size_t len)
{
	return cp->hash_update(ctx, data, len);
}

static inline KTLS_MUST_CHECK int
ktls_hash_copy(const struct ktls_crypto_provider *cp,
	       struct ktls_hash_ctx *dst, const struct ktls_hash_ctx *src)
{
	return cp->hash_copy(dst, src);
}

static inline KTLS_MUST_CHECK int
ktls_hash_final(const struct ktls_crypto_provider *cp,
		struct ktls_hash_ctx *ctx, uint8_t *out)
{
	return cp->hash_final(ctx, out);
}

static inline void ktls_hash_free(const struct ktls_crypto_provider *cp,
				  struct ktls_hash_ctx *ctx)
{
	cp->hash_free(ctx);
}

/* Hash of a running transcript without ending it (RFC 8446 §4.4.1). */
KTLS_MUST_CHECK int ktls_hash_snapshot(const struct ktls_crypto_provider *cp,
				       const struct ktls_hash_ctx *running,
				       uint8_t *out);

/* One-shot hash of one buffer. */
KTLS_MUST_CHECK int ktls_hash(const struct ktls_crypto_provider *cp,
			      enum ktls_hash_alg alg, const uint8_t *data,
			      size_t len, uint8_t *out);

static inline KTLS_MUST_CHECK int
ktls_hmac(const struct ktls_crypto_provider *cp, enum ktls_hash_alg alg,
	  const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
	  uint8_t *out)
{
	return cp->hmac(alg, key, key_len, data, len, out);
}

static inline KTLS_MUST_CHECK int
ktls_hkdf_extract(const struct ktls_crypto_provider *cp,
		  enum ktls_hash_alg alg, const uint8_t *salt, size_t salt_len,
		  const uint8_t *ikm, size_t ikm_len, uint8_t *prk)
{
	return cp->hkdf_extract(alg, salt, salt_len, ikm, ikm_len, prk);
}

static inline KTLS_MUST_CHECK int
ktls_hkdf_expand(const struct ktls_crypto_provider *cp,
		 enum ktls_hash_alg alg, const uint8_t *prk, size_t prk_len,
		 const uint8_t *info, size_t info_len, uint8_t *out,
		 size_t out_len)
{
	return cp->hkdf_expand(alg, prk, prk_len, info, info_len, out,
			       out_len);
}

static inline KTLS_MUST_CHECK int
ktls_aead_init(const struct ktls_crypto_provider *cp,
	       struct ktls_aead_ctx *ctx, enum ktls_aead_alg alg,
	       const uint8_t *key, size_t key_len)
{
	return cp->aead_init(ctx, alg, key, key_len);
}

static inline KTLS_MUST_CHECK int
ktls_aead_seal(const struct ktls_crypto_provider *cp,
	       struct ktls_aead_ctx *ctx, const uint8_t *nonce,
	       const uint8_t *aad, size_t aad_len, const uint8_t *in,
	       size_t len, uint8_t *out)
{
	return cp->aead_seal(ctx, nonce, aad, aad_len, in, len, out);
}

static inline KTLS_MUST_CHECK int
ktls_aead_open(const struct ktls_crypto_provider *cp,
	       struct ktls_aead_ctx *ctx, const uint8_t *nonce,
	       const uint8_t *aad, size_t aad_len, const uint8_t *in,
	       size_t len, uint8_t *out)
{
	return cp->aead_open(ctx, nonce, aad, aad_len, in, len, out);
}

static inline void ktls_aead_free(const struct ktls_crypto_provider *cp,
				  struct ktls_aead_ctx *ctx)
{
	cp->aead_free(ctx);
}

static inline KTLS_MUST_CHECK int
ktls_kx_keygen(const struct ktls_crypto_provider *cp, uint16_t group,
	       struct ktls_kx_state *st, uint8_t *share, size_t cap,
	       size_t *share_len)
{
	return cp->kx_keygen(group, st, share, cap, share_len);
}

static inline KTLS_MUST_CHECK int
ktls_kx_encap(const struct ktls_crypto_provider *cp, uint16_t group,
	      const uint8_t *peer, size_t peer_len, uint8_t *share, size_t cap,
	      size_t *share_len, uint8_t *secret, size_t *secret_len)
{
	return cp->kx_encap(group, peer, peer_len, share, cap, share_len,
			    secret, secret_len);
}

static inline KTLS_MUST_CHECK int
ktls_kx_finish(const struct ktls_crypto_provider *cp,
	       struct ktls_kx_state *st, const uint8_t *peer, size_t peer_len,
	       uint8_t *secret, size_t *secret_len)
{
	return cp->kx_finish(st, peer, peer_len, secret, secret_len);
}

void ktls_kx_state_wipe(struct ktls_kx_state *st);

static inline KTLS_MUST_CHECK int
ktls_sig_verify(const struct ktls_crypto_provider *cp, uint16_t scheme,
		const uint8_t *spki, size_t spki_len, const uint8_t *msg,
		size_t msg_len, const uint8_t *sig, size_t sig_len)
{
	return cp->sig_verify(scheme, spki, spki_len, msg, msg_len, sig,
			      sig_len);
}

static inline KTLS_MUST_CHECK int
ktls_sig_sign(const struct ktls_crypto_provider *cp, uint16_t scheme,
	      const uint8_t *priv, size_t priv_len, const uint8_t *msg,
	      size_t msg_len, uint8_t *sig, size_t cap, size_t *sig_len)
{
	return cp->sig_sign(scheme, priv, priv_len, msg, msg_len, sig, cap,
			    sig_len);
}

static inline KTLS_MUST_CHECK int
ktls_sig_keygen(const struct ktls_crypto_provider *cp, uint16_t scheme,
		uint8_t *priv, size_t priv_cap, size_t *priv_len,
		uint8_t *spki, size_t spki_cap, size_t *spki_len)
{
	return cp->sig_keygen(scheme, priv, priv_cap, priv_len, spki,
			      spki_cap, spki_len);
}

static inline KTLS_MUST_CHECK int
ktls_random(const struct ktls_crypto_provider *cp, uint8_t *out, size_t len)
{
	return cp->random(out, len);
}

#endif /* KTLS_CRYPTO_H */
