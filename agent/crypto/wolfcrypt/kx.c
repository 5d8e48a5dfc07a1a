// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * wolfCrypt provider: key exchange: X25519, ECDHE on P-256/P-384 and
 * X25519MLKEM768.
 * See provider.c for why the provider is shaped so.
 */
#include "internal.h"

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
	uint8_t masked[X25519_LEN], acc = 0;
	curve25519_key k, p;
	word32 len = X25519_LEN;
	int ret;

	(void)rng;
	/*
	 * RFC 7748 §5: "implementations of X25519 MUST mask the most
	 * significant bit in the final byte" of a received u-coordinate; a
	 * peer may set it, and must not be refused for it.
	 */
	memcpy(masked, peer, X25519_LEN);
	masked[X25519_LEN - 1] &= 0x7f;
	peer = masked;
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
	/*
	 * RFC 8446 §7.4.2: MUST check for the all-zero value and abort. In
	 * constant time, like every other test of secret bytes here.
	 */
	for (size_t i = 0; i < X25519_LEN; i++)
		acc |= secret[i];
	if (!acc) {
		explicit_bzero(secret, X25519_LEN);
		return KTLS_ERR_BAD_KEY_SHARE;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Key exchange: ECDHE over secp256r1 / secp384r1 (RFC 8446 §7.4.2) */

static int ecdh_keygen(WC_RNG *rng, int curve_id, int size, uint8_t *priv,
		       uint8_t *pub)
{
	word32 plen = (word32)size, publen = (word32)(1 + 2 * size);
	ecc_key k;
	int ret;

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
	return 0;
}

/*
 * RFC 8446 §4.2.8.2: the peer's share is an uncompressed point (0x04 || X
 * || Y; its length is checked by the caller); it is validated, and the
 * shared secret is the X coordinate.
 */
static int ecdh_agree(WC_RNG *rng, int curve_id, int size,
		      const uint8_t *priv, const uint8_t *peer,
		      uint8_t *secret)
{
	word32 len = (word32)size;
	ecc_key k, p;
	int ret;

	if (peer[0] != 0x04)
		return KTLS_ERR_BAD_KEY_SHARE;
	if (wc_ecc_init(&k))
		return KTLS_ERR_CRYPTO;
	if (wc_ecc_init(&p)) {
		wc_ecc_free(&k);
		return KTLS_ERR_CRYPTO;
	}
	if (wc_ecc_import_x963_ex(peer, (word32)(1 + 2 * size), &p,
				  curve_id) ||
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

static int hybrid_keygen(WC_RNG *rng, uint8_t *priv, uint8_t *share)
{
	MlKemKey k;
	int ret;

	ret = wcp_rng_fill(rng, priv, MLKEM_SEED_LEN);
	if (ret)
		return ret;
	ret = mlkem_from_seed(&k, priv);
	if (ret)
		return ret;
	ret = wc_MlKemKey_EncodePublicKey(&k, share, MLKEM768_EK_LEN)
		      ? KTLS_ERR_CRYPTO : 0;
	wc_MlKemKey_Free(&k);
	explicit_bzero(&k, sizeof(k));
	if (ret)
		return ret;
	return x25519_keygen(rng, priv + MLKEM_SEED_LEN,
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

static int hybrid_finish(WC_RNG *rng, const uint8_t *priv,
			 const uint8_t *peer, uint8_t *secret)
{
	MlKemKey k;
	int ret;

	ret = mlkem_from_seed(&k, priv);
	if (ret)
		return ret;
	ret = wc_MlKemKey_Decapsulate(&k, secret, peer, MLKEM768_CT_LEN)
		      ? KTLS_ERR_BAD_KEY_SHARE : 0;
	wc_MlKemKey_Free(&k);
	explicit_bzero(&k, sizeof(k));
	if (!ret)
		ret = x25519_agree(rng, priv + MLKEM_SEED_LEN,
				   peer + MLKEM768_CT_LEN,
				   secret + MLKEM_SS_LEN);
	if (ret)
		explicit_bzero(secret, MLKEM_SS_LEN + X25519_LEN);
	return ret;
}

/* ------------------------------------------------------------------ */
/*
 * Key exchange: one descriptor per group, and the three provider entry
 * points, which check lengths and state against it and do the rest
 * through its three operations.
 */

struct kx_group {
	uint16_t group;
	uint16_t priv_len;		/* struct ktls_kx_state encoding */
	uint16_t client_share_len;
	uint16_t server_share_len;
	uint16_t secret_len;
	int curve_id;			/* ECDHE */
	/* client: new private key and its share */
	int (*keygen)(const struct kx_group *g, WC_RNG *rng, uint8_t *priv,
		      uint8_t *share);
	/* server: its share and the secret, from the client's share */
	int (*encap)(const struct kx_group *g, WC_RNG *rng,
		     const uint8_t *peer, uint8_t *share, uint8_t *secret);
	/* client: the secret from its private key and the server's share */
	int (*finish)(const struct kx_group *g, WC_RNG *rng,
		      const uint8_t *priv, const uint8_t *peer,
		      uint8_t *secret);
};

static int x25519_op_keygen(const struct kx_group *g, WC_RNG *rng,
			    uint8_t *priv, uint8_t *share)
{
	(void)g;
	return x25519_keygen(rng, priv, share);
}

static int x25519_op_encap(const struct kx_group *g, WC_RNG *rng,
			   const uint8_t *peer, uint8_t *share,
			   uint8_t *secret)
{
	uint8_t priv[X25519_LEN];
	int ret;

	(void)g;
	ret = x25519_keygen(rng, priv, share);
	if (!ret)
		ret = x25519_agree(rng, priv, peer, secret);
	explicit_bzero(priv, sizeof(priv));
	return ret;
}

static int x25519_op_finish(const struct kx_group *g, WC_RNG *rng,
			    const uint8_t *priv, const uint8_t *peer,
			    uint8_t *secret)
{
	(void)g;
	return x25519_agree(rng, priv, peer, secret);
}

static int ecdh_op_keygen(const struct kx_group *g, WC_RNG *rng,
			  uint8_t *priv, uint8_t *share)
{
	return ecdh_keygen(rng, g->curve_id, g->priv_len, priv, share);
}

static int ecdh_op_encap(const struct kx_group *g, WC_RNG *rng,
			 const uint8_t *peer, uint8_t *share, uint8_t *secret)
{
	uint8_t priv[KTLS_KX_MAX_PRIV];
	int ret;

	ret = ecdh_keygen(rng, g->curve_id, g->priv_len, priv, share);
	if (!ret)
		ret = ecdh_agree(rng, g->curve_id, g->priv_len, priv, peer,
				 secret);
	explicit_bzero(priv, sizeof(priv));
	return ret;
}

static int ecdh_op_finish(const struct kx_group *g, WC_RNG *rng,
			  const uint8_t *priv, const uint8_t *peer,
			  uint8_t *secret)
{
	return ecdh_agree(rng, g->curve_id, g->priv_len, priv, peer, secret);
}

static int hybrid_op_keygen(const struct kx_group *g, WC_RNG *rng,
			    uint8_t *priv, uint8_t *share)
{
	(void)g;
	return hybrid_keygen(rng, priv, share);
}

static int hybrid_op_encap(const struct kx_group *g, WC_RNG *rng,
			   const uint8_t *peer, uint8_t *share,
			   uint8_t *secret)
{
	(void)g;
	return hybrid_encap(rng, peer, share, secret);
}

static int hybrid_op_finish(const struct kx_group *g, WC_RNG *rng,
			    const uint8_t *priv, const uint8_t *peer,
			    uint8_t *secret)
{
	(void)g;
	return hybrid_finish(rng, priv, peer, secret);
}

static const struct kx_group kx_groups[] = {
	{ KTLS_GROUP_X25519, X25519_LEN, X25519_LEN, X25519_LEN, X25519_LEN,
	  0, x25519_op_keygen, x25519_op_encap, x25519_op_finish },
	{ KTLS_GROUP_SECP256R1, 32, 65, 65, 32, ECC_SECP256R1,
	  ecdh_op_keygen, ecdh_op_encap, ecdh_op_finish },
	{ KTLS_GROUP_SECP384R1, 48, 97, 97, 48, ECC_SECP384R1,
	  ecdh_op_keygen, ecdh_op_encap, ecdh_op_finish },
	{ KTLS_GROUP_X25519MLKEM768, MLKEM_SEED_LEN + X25519_LEN,
	  HYBRID_CLIENT_SHARE, HYBRID_SERVER_SHARE, MLKEM_SS_LEN + X25519_LEN,
	  0, hybrid_op_keygen, hybrid_op_encap, hybrid_op_finish },
};

static const struct kx_group *kx_group(uint16_t group)
{
	for (size_t i = 0; i < sizeof(kx_groups) / sizeof(kx_groups[0]); i++)
		if (kx_groups[i].group == group)
			return &kx_groups[i];
	return NULL;
}

int wcp_kx_keygen(uint16_t group, struct ktls_kx_state *st, uint8_t *share,
		  size_t cap, size_t *share_len)
{
	const struct kx_group *g = kx_group(group);
	WC_RNG rng;
	int ret;

	memset(st, 0, sizeof(*st));
	*share_len = 0;
	if (!g)
		return KTLS_ERR_UNSUPPORTED;
	if (cap < g->client_share_len)
		return KTLS_ERR_BUFFER;
	ret = wcp_rng_open(&rng);
	if (ret)
		return ret;
	ret = g->keygen(g, &rng, st->priv, share);
	wcp_rng_close(&rng);
	if (ret) {
		ktls_kx_state_wipe(st);
		return ret;
	}
	st->group = group;
	st->priv_len = g->priv_len;
	*share_len = g->client_share_len;
	return 0;
}

int wcp_kx_encap(uint16_t group, const uint8_t *peer, size_t peer_len,
		 uint8_t *share, size_t cap, size_t *share_len,
		 uint8_t *secret, size_t *secret_len)
{
	const struct kx_group *g = kx_group(group);
	WC_RNG rng;
	int ret;

	if (!g)
		return KTLS_ERR_UNSUPPORTED;
	*share_len = 0;
	*secret_len = 0;
	if (peer_len != g->client_share_len)
		return KTLS_ERR_BAD_KEY_SHARE;
	if (cap < g->server_share_len)
		return KTLS_ERR_BUFFER;
	ret = wcp_rng_open(&rng);
	if (ret)
		return ret;
	ret = g->encap(g, &rng, peer, share, secret);
	wcp_rng_close(&rng);
	if (ret)
		return ret;
	*share_len = g->server_share_len;
	*secret_len = g->secret_len;
	return 0;
}

int wcp_kx_finish(struct ktls_kx_state *st, const uint8_t *peer,
		  size_t peer_len, uint8_t *secret, size_t *secret_len)
{
	const struct kx_group *g = kx_group(st->group);
	WC_RNG rng;
	int ret;

	*secret_len = 0;
	/* A state that keygen did not fill (or that was wiped) is refused. */
	if (!g || st->priv_len != g->priv_len)
		ret = KTLS_ERR_STATE;
	else if (peer_len != g->server_share_len)
		ret = KTLS_ERR_BAD_KEY_SHARE;
	else
		ret = wcp_rng_open(&rng);
	if (ret) {
		ktls_kx_state_wipe(st);
		return ret;
	}
	ret = g->finish(g, &rng, st->priv, peer, secret);
	wcp_rng_close(&rng);
	ktls_kx_state_wipe(st);
	if (!ret)
		*secret_len = g->secret_len;
	return ret;
}
