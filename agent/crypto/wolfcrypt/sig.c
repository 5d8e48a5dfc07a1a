// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * wolfCrypt provider: signatures, verify and sign by TLS 1.3
 * SignatureScheme.
 * See provider.c for why the provider is shaped so.
 */
#include "internal.h"

#include "x509_cert.h"
#include "x509_path.h"

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
	bool pss_key;			/* rsa_pss_pss_*: id-RSASSA-PSS key */
};

#define ECDSA(s, h, c, n)	{ s, SIG_ECDSA, h, 0, c, n, false }
#define RSAE(s, h, m)		{ s, SIG_RSA_PSS, h, m, 0, 0, false }
#define PSS(s, h, m)		{ s, SIG_RSA_PSS, h, m, 0, 0, true }
#define PKCS1(s, h)		{ s, SIG_RSA_PKCS1, h, 0, 0, 0, false }

static const struct sig_desc sig_descs[] = {
	ECDSA(KTLS_SIG_ECDSA_SECP256R1_SHA256, WC_HASH_TYPE_SHA256,
	      ECC_SECP256R1, 32),
	ECDSA(KTLS_SIG_ECDSA_SECP384R1_SHA384, WC_HASH_TYPE_SHA384,
	      ECC_SECP384R1, 48),
	ECDSA(KTLS_SIG_ECDSA_SECP521R1_SHA512, WC_HASH_TYPE_SHA512,
	      ECC_SECP521R1, 66),
	RSAE(KTLS_SIG_RSA_PSS_RSAE_SHA256, WC_HASH_TYPE_SHA256, WC_MGF1SHA256),
	RSAE(KTLS_SIG_RSA_PSS_RSAE_SHA384, WC_HASH_TYPE_SHA384, WC_MGF1SHA384),
	RSAE(KTLS_SIG_RSA_PSS_RSAE_SHA512, WC_HASH_TYPE_SHA512, WC_MGF1SHA512),
	PSS(KTLS_SIG_RSA_PSS_PSS_SHA256, WC_HASH_TYPE_SHA256, WC_MGF1SHA256),
	PSS(KTLS_SIG_RSA_PSS_PSS_SHA384, WC_HASH_TYPE_SHA384, WC_MGF1SHA384),
	PSS(KTLS_SIG_RSA_PSS_PSS_SHA512, WC_HASH_TYPE_SHA512, WC_MGF1SHA512),
	PKCS1(KTLS_SIG_RSA_PKCS1_SHA256, WC_HASH_TYPE_SHA256),
	PKCS1(KTLS_SIG_RSA_PKCS1_SHA384, WC_HASH_TYPE_SHA384),
	PKCS1(KTLS_SIG_RSA_PKCS1_SHA512, WC_HASH_TYPE_SHA512),
	{ KTLS_SIG_ED25519, SIG_ED25519, WC_HASH_TYPE_NONE, 0, 0, 0, false },
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

/* RSASSA-PSS SPKI algorithm, RFC 4055 §1.2: SEQUENCE { id-RSASSA-PSS } */
static const uint8_t pss_algid[] = {
	0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
	0x01, 0x0a,
};

static enum x509_hash x509_hash_of(enum wc_HashType h)
{
	switch (h) {
	case WC_HASH_TYPE_SHA256:
		return X509_HASH_SHA256;
	case WC_HASH_TYPE_SHA384:
		return X509_HASH_SHA384;
	case WC_HASH_TYPE_SHA512:
		return X509_HASH_SHA512;
	default:
		return X509_HASH_NONE;
	}
}

/*
 * RFC 8446 §4.2.3: rsa_pss_pss_* takes a key whose SPKI algorithm is
 * id-RSASSA-PSS; its parameters, if present, must allow the scheme's hash
 * (and MGF1 hash) with a salt as long as the hash (RFC 4055 §3.3, the
 * rule path validation applies too).
 */
static bool spki_pss_allows(const struct sig_desc *d, const uint8_t *spki,
			    size_t len)
{
	struct x509_algid a;
	struct der der, seq;

	der_init(&der, spki, len);
	if (der_enter(&der, DER_SEQUENCE, &seq) || der_done(&der) ||
	    x509_parse_algid(&seq, &a) || a.alg != X509_ALG_RSA_PSS)
		return false;
	return x509_pss_key_allows(a.params, x509_hash_of(d->hash),
				   (unsigned int)wc_HashGetDigestSize(d->hash))
	       == X509_VFY_OK;
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

	if (d->pss_key ? !spki_pss_allows(d, spki, spki_len) :
			 !spki_is_rsa_encryption(spki, spki_len))
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

int wcp_sig_verify(uint16_t scheme, const uint8_t *spki,
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
	if (wc_RsaPrivateKeyDecode(priv, &idx, &k, (word32)priv_len) ||
	    idx != priv_len) {
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

int wcp_sig_sign(uint16_t scheme, const uint8_t *priv, size_t priv_len,
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
		ret = wcp_rng_open(&rng);
		if (ret)
			return ret;
		if (d->kind == SIG_ECDSA)
			ret = sign_ecdsa(d, &rng, priv, priv_len, msg, msg_len,
					 sig, cap, sig_len);
		else
			ret = sign_rsa_pss(d, &rng, priv, priv_len, msg,
					   msg_len, sig, cap, sig_len);
		wcp_rng_close(&rng);
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

/* A DER length (definite, minimal, < 2^16) at o; its size. */
static size_t der_len(uint8_t *o, size_t n)
{
	if (n < 0x80) {
		o[0] = (uint8_t)n;
		return 1;
	}
	if (n < 0x100) {
		o[0] = 0x81;
		o[1] = (uint8_t)n;
		return 2;
	}
	o[0] = 0x82;
	o[1] = (uint8_t)(n >> 8);
	o[2] = (uint8_t)n;
	return 3;
}

/*
 * SubjectPublicKeyInfo { id-RSASSA-PSS without parameters, RSAPublicKey }
 * (RFC 4055 §1.2): its length or a negative wolfCrypt error.
 */
static int pss_spki(RsaKey *k, uint8_t *spki, word32 cap)
{
	uint8_t pub[KTLS_SIG_MAX_SPKI], lb[3];
	size_t bits, n, o;
	int len;

	len = wc_RsaKeyToPublicDer_ex(k, pub, sizeof(pub), 0);
	if (len <= 0)
		return len < 0 ? len : BUFFER_E;
	/* BIT STRING { 0 unused bits, RSAPublicKey } */
	bits = (size_t)len + 1;
	n = sizeof(pss_algid) + 1 + der_len(lb, bits) + bits;
	if (n >= 0x10000 || 1 + der_len(lb, n) + n > cap)
		return BUFFER_E;
	spki[0] = 0x30;
	o = 1 + der_len(spki + 1, n);
	memcpy(spki + o, pss_algid, sizeof(pss_algid));
	o += sizeof(pss_algid);
	spki[o++] = 0x03;
	o += der_len(spki + o, bits);
	spki[o++] = 0;
	memcpy(spki + o, pub, (size_t)len);
	return (int)(o + (size_t)len);
}

static int keygen_rsa(WC_RNG *rng, bool pss, uint8_t *priv, word32 *plen,
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
		ret = pss ? pss_spki(&k, spki, cap) :
			    wc_RsaKeyToPublicDer(&k, spki, cap);
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

int wcp_sig_keygen(uint16_t scheme, uint8_t *priv, size_t priv_cap,
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
	ret = wcp_rng_open(&rng);
	if (ret)
		return ret;
	switch (d->kind) {
	case SIG_ECDSA:
		ret = keygen_ecdsa(d, &rng, priv, &plen, spki, cap);
		break;
	case SIG_RSA_PSS:
		ret = keygen_rsa(&rng, d->pss_key, priv, &plen, spki, cap);
		break;
	default:
		ret = keygen_ed25519(&rng, priv, &plen, spki, cap);
	}
	wcp_rng_close(&rng);
	if (ret <= 0) {
		explicit_bzero(priv, priv_cap);
		return ret == BUFFER_E ? KTLS_ERR_BUFFER : KTLS_ERR_CRYPTO;
	}
	*priv_len = plen;
	*spki_len = (size_t)ret;
	return 0;
}
