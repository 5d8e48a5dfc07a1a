// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The verifier for struct ktls_verifier, and PEM loaders for the tools, on
 * wolfCrypt.  They live here because this directory is the only place
 * allowed to include wolfSSL headers.
 *
 * Path building and validation are the project's own (agent/x509,
 * x509_verify()); wolfCrypt only checks signatures, through
 * ktls_wolf_x509_sig() below.  Trust stores are loaded once per
 * (CA path, CRL path) and shared read-only by every handshake, counted by
 * reference: ktls_trust_flush() (a reload) makes the next handshake load
 * the files again while handshakes in flight keep the store they started
 * with.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

#include "ktls.h"
#include "ktls_providers.h"
#include "x509_cert.h"
#include "x509_names.h"
#include "x509_path.h"

/* ---- signatures for agent/x509 ---- */

static enum wc_HashType wc_hash(enum x509_hash h)
{
	switch (h) {
	case X509_HASH_SHA256:
		return WC_HASH_TYPE_SHA256;
	case X509_HASH_SHA384:
		return WC_HASH_TYPE_SHA384;
	case X509_HASH_SHA512:
		return WC_HASH_TYPE_SHA512;
	default:
		return WC_HASH_TYPE_NONE;
	}
}

static int mgf_of(enum x509_hash h)
{
	return h == X509_HASH_SHA256 ? WC_MGF1SHA256 :
	       h == X509_HASH_SHA384 ? WC_MGF1SHA384 : WC_MGF1SHA512;
}

static int x509_rsa(const struct x509_sig_req *r)
{
	enum wc_HashType h = wc_hash(r->hash);
	uint8_t digest[WC_MAX_DIGEST_SIZE], buf[1024];
	word32 idx = 0;
	int ret = -1, dlen, n;
	RsaKey k;

	dlen = wc_HashGetDigestSize(h);
	if (dlen <= 0 || wc_InitRsaKey(&k, NULL))
		return -1;
	if (wc_RsaPublicKeyDecode(r->spki.p, &idx, &k, (word32)r->spki.len) ||
	    idx != r->spki.len ||
	    r->sig.len != (size_t)wc_RsaEncryptSize(&k) ||
	    r->sig.len > sizeof(buf))
		goto out;
	if (r->kind == X509_SIG_RSA_PKCS1) {
		ret = wc_SignatureVerify(h, WC_SIGNATURE_TYPE_RSA_W_ENC,
					 r->msg.p, (word32)r->msg.len,
					 r->sig.p, (word32)r->sig.len, &k,
					 sizeof(k)) ? -1 : 0;
		goto out;
	}
	if (wc_Hash(h, r->msg.p, (word32)r->msg.len, digest, (word32)dlen))
		goto out;
	n = wc_RsaPSS_Verify_ex(r->sig.p, (word32)r->sig.len, buf,
				sizeof(buf), h, mgf_of(r->hash),
				(int)r->salt_len, &k);
	if (n > 0 &&
	    !wc_RsaPSS_CheckPadding_ex(digest, (word32)dlen, buf, (word32)n,
				       h, (int)r->salt_len,
				       wc_RsaEncryptSize(&k) * 8))
		ret = 0;
out:
	wc_FreeRsaKey(&k);
	return ret;
}

static int x509_ecdsa(const struct x509_sig_req *r)
{
	enum wc_HashType h = wc_hash(r->hash);
	uint8_t digest[WC_MAX_DIGEST_SIZE];
	word32 idx = 0;
	int res = 0, dlen, ret = -1;
	ecc_key k;

	dlen = wc_HashGetDigestSize(h);
	if (dlen <= 0 ||
	    wc_Hash(h, r->msg.p, (word32)r->msg.len, digest, (word32)dlen) ||
	    wc_ecc_init(&k))
		return -1;
	if (!wc_EccPublicKeyDecode(r->spki.p, &idx, &k, (word32)r->spki.len) &&
	    idx == r->spki.len &&
	    !wc_ecc_verify_hash(r->sig.p, (word32)r->sig.len, digest,
				(word32)dlen, &res, &k) && res == 1)
		ret = 0;
	wc_ecc_free(&k);
	return ret;
}

int ktls_wolf_x509_sig(void *arg, const struct x509_sig_req *r)
{
	(void)arg;
	if (r->spki.len > UINT32_MAX || r->msg.len > UINT32_MAX ||
	    r->sig.len > UINT32_MAX)
		return -1;
	switch (r->kind) {
	case X509_SIG_RSA_PKCS1:
	case X509_SIG_RSA_PSS:
		return x509_rsa(r);
	case X509_SIG_ECDSA:
		return x509_ecdsa(r);
	case X509_SIG_ED25519:
		return wcp_sig_verify(KTLS_SIG_ED25519, r->spki.p, r->spki.len,
				      r->msg.p, r->msg.len, r->sig.p,
				      r->sig.len) ? -1 : 0;
	}
	return -1;
}

/* OCSP CertID and responderID byKey hashes (SHA-1 is allowed there: it
 * names a key, it signs nothing). */
static int x509_hash(void *arg, enum x509_hash h, struct x509_span msg,
		     uint8_t *out)
{
	enum wc_HashType t = h == X509_HASH_SHA1 ? WC_HASH_TYPE_SHA :
				 wc_hash(h);
	int n;

	(void)arg;
	n = t == WC_HASH_TYPE_NONE ? -1 : wc_HashGetDigestSize(t);
	if (n <= 0 || n > X509_HASH_MAX || msg.len > UINT32_MAX ||
	    wc_Hash(t, msg.p, (word32)msg.len, out, (word32)n))
		return -1;
	return n;
}

void ktls_wolf_x509_params(struct x509_verify_params *p)
{
	p->verify_sig = ktls_wolf_x509_sig;
	p->hash = x509_hash;
}

/* ---- trust stores, shared and counted ---- */

#define TRUST_CACHE 8

struct ktls_trust {
	atomic_uint refs;
	char ca[512], crl[512];
	char from[512];
	int n_anchors, n_crls;
	struct x509_store store;
	/* what the caller of ktls_trust_data() built from the store once:
	 * data is set (release) under data_lock, read (acquire) without */
	pthread_mutex_t data_lock;
	_Atomic(void *) data;
	void (*data_free)(void *data);
};

static pthread_mutex_t trust_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ktls_trust *trust_cache[TRUST_CACHE];

void ktls_trust_put(struct ktls_trust *t)
{
	if (t && atomic_fetch_sub(&t->refs, 1) == 1) {
		void *data = atomic_load(&t->data);

		if (data && t->data_free)
			t->data_free(data);
		pthread_mutex_destroy(&t->data_lock);
		x509_store_free(&t->store);
		free(t);
	}
}

static struct ktls_trust *trust_load(const char *ca, const char *crl,
				     char *err, size_t err_cap)
{
	struct ktls_trust *t = calloc(1, sizeof(*t));
	const char *from = "";
	int n;

	if (!t) {
		snprintf(err, err_cap, "out of memory");
		return NULL;
	}
	atomic_init(&t->refs, 1);
	atomic_init(&t->data, NULL);
	pthread_mutex_init(&t->data_lock, NULL);
	snprintf(t->ca, sizeof(t->ca), "%s", ca);
	snprintf(t->crl, sizeof(t->crl), "%s", crl);
	x509_store_init(&t->store);
	n = x509_store_load_default(&t->store, ca[0] ? ca : NULL, &from);
	snprintf(t->from, sizeof(t->from), "%s", from);
	if (n <= 0) {
		snprintf(err, err_cap, "trust store %s: %s", from,
			 n < 0 ? strerror(-n) : "no usable CA certificate");
		goto fail;
	}
	t->n_anchors = n;
	if (crl[0]) {
		n = x509_store_load_crls(&t->store, crl);
		if (n < 0) {
			snprintf(err, err_cap, "CRL %s: %s", crl, strerror(-n));
			goto fail;
		}
		t->n_crls = n;
	}
	return t;
fail:
	pthread_mutex_destroy(&t->data_lock);
	x509_store_free(&t->store);
	free(t);
	return NULL;
}

struct ktls_trust *ktls_trust_get(const char *ca, const char *crl,
				  char *err, size_t err_cap)
{
	struct ktls_trust *t = NULL;
	unsigned int i;

	ca = ca ? ca : "";
	crl = crl ? crl : "";
	if (strlen(ca) >= sizeof(t->ca) || strlen(crl) >= sizeof(t->crl)) {
		snprintf(err, err_cap, "trust store path too long");
		return NULL;
	}
	pthread_mutex_lock(&trust_lock);
	for (i = 0; i < TRUST_CACHE; i++) {
		t = trust_cache[i];
		if (t && !strcmp(t->ca, ca) && !strcmp(t->crl, crl)) {
			atomic_fetch_add(&t->refs, 1);
			goto out;
		}
	}
	t = trust_load(ca, crl, err, err_cap);
	if (!t)
		goto out;
	/* the cache keeps one reference; the oldest entry makes room */
	ktls_trust_put(trust_cache[TRUST_CACHE - 1]);
	memmove(trust_cache + 1, trust_cache,
		(TRUST_CACHE - 1) * sizeof(trust_cache[0]));
	trust_cache[0] = t;
	atomic_fetch_add(&t->refs, 1);
out:
	pthread_mutex_unlock(&trust_lock);
	return t;
}

void ktls_trust_flush(void)
{
	pthread_mutex_lock(&trust_lock);
	for (unsigned int i = 0; i < TRUST_CACHE; i++) {
		ktls_trust_put(trust_cache[i]);
		trust_cache[i] = NULL;
	}
	pthread_mutex_unlock(&trust_lock);
}

const struct x509_store *ktls_trust_store(const struct ktls_trust *t)
{
	return &t->store;
}

void *ktls_trust_data(struct ktls_trust *t,
		      void *(*build)(const struct x509_store *st, void *arg),
		      void (*free_fn)(void *data), void *arg)
{
	void *data = atomic_load_explicit(&t->data, memory_order_acquire);

	if (data)
		return data;
	/* one builder per store; the others wait for its result */
	pthread_mutex_lock(&t->data_lock);
	data = atomic_load_explicit(&t->data, memory_order_relaxed);
	if (!data) {
		data = build(&t->store, arg);
		if (data) {
			t->data_free = free_fn;
			atomic_store_explicit(&t->data, data,
					      memory_order_release);
		}
	}
	pthread_mutex_unlock(&t->data_lock);
	return data;
}

/* ---- the verifier ---- */

int ktls_wolf_verify(void *arg, const struct ktls_chain *chain,
		     const char *host, const char **reason)
{
	struct ktls_wolf_verifier *v = arg;
	struct x509_verify_params p = {
		.purpose = v->purpose == KTLS_PURPOSE_CLIENT ?
			   X509_PURPOSE_CLIENT : X509_PURPOSE_SERVER,
		.name = host,
		.now = v->now ? v->now : (int64_t)time(NULL),
		.revocation = (enum x509_rev_policy)v->revocation,
		.verify_sig = ktls_wolf_x509_sig,
		.ocsp = chain->ocsp,
		.ocsp_len = chain->ocsp_len,
		.hash = x509_hash,
	};
	struct x509_chain_ctx *ctx;
	struct x509_path path;
	enum x509_verdict r;

	*reason = v->msg;
	v->identity[0] = 0;
	v->leaf_len = 0;
	if (!v->trust) {
		snprintf(v->msg, sizeof(v->msg), "no trust store");
		return 80;
	}
	ctx = malloc(sizeof(*ctx));
	if (!ctx) {
		snprintf(v->msg, sizeof(v->msg), "out of memory");
		return 80;	/* internal_error */
	}
	r = x509_verify(&v->trust->store, (const uint8_t *const *)chain->der,
			chain->len, chain->n, &p, ctx, &path);
	if (r == X509_VFY_OK) {
		char leaf[128], anchor[128];

		x509_name_text(path.cert[0]->subject, leaf, sizeof(leaf));
		x509_name_text(path.cert[path.n - 1]->subject, anchor,
			       sizeof(anchor));
		snprintf(v->msg, sizeof(v->msg),
			 "verified: '%s', path of %u to '%s'%s%s", leaf,
			 path.n, anchor, path.staple != X509_STAPLE_NONE ?
			 "; OCSP staple: " : "",
			 path.staple != X509_STAPLE_NONE ?
			 x509_staple_name(path.staple) : "");
		if (ktls_wolf_identity_text(chain->der[0], chain->len[0],
					    v->identity, sizeof(v->identity)))
			v->identity[0] = 0;
		if (chain->len[0] <= sizeof(v->leaf)) {
			memcpy(v->leaf, chain->der[0], chain->len[0]);
			v->leaf_len = chain->len[0];
		}
	} else {
		snprintf(v->msg, sizeof(v->msg), "%s", path.msg);
	}
	free(ctx);
	return x509_verdict_alert(r);
}

int ktls_wolf_verifier_setup(struct ktls_wolf_verifier *v, const char *ca,
			     const char *crl, int purpose, int revocation)
{
	char err[256];

	memset(v, 0, sizeof(*v));
	if (wolfCrypt_Init())
		return KTLS_ERR_CRYPTO;
	v->purpose = purpose;
	v->revocation = revocation;
	v->trust = ktls_trust_get(ca, crl, err, sizeof(err));
	if (!v->trust) {
		snprintf(v->msg, sizeof(v->msg), "%s", err);
		return KTLS_ERR_INVALID;
	}
	snprintf(v->msg, sizeof(v->msg), "%d anchors from %.300s",
		 v->trust->n_anchors,
		 v->trust->from);
	return 0;
}

int ktls_wolf_verifier_init(struct ktls_wolf_verifier *v,
			    const char *ca_file)
{
	return ktls_wolf_verifier_setup(v, ca_file, NULL, KTLS_PURPOSE_SERVER,
					KTLS_REVOCATION_OFF);
}

void ktls_wolf_verifier_fini(struct ktls_wolf_verifier *v)
{
	ktls_trust_put(v->trust);
	v->trust = NULL;
}

int ktls_wolf_identity_text(const uint8_t *der, size_t len, char *buf,
			    size_t cap)
{
	struct x509_cert *c = malloc(sizeof(*c));
	char subject[160], issuer[160], serial[64], when[40], pin[65];
	uint8_t h[32];
	int ret = -1;

	if (!c)
		return -1;
	if (!x509_cert_parse(c, der, len, NULL) && c->spki.len <= UINT32_MAX &&
	    !wc_Sha256Hash(c->spki.p, (word32)c->spki.len, h)) {
		x509_name_text(c->subject, subject, sizeof(subject));
		x509_name_text(c->issuer, issuer, sizeof(issuer));
		x509_serial_text(c->serial, serial, sizeof(serial));
		x509_time_text(c->not_after, when, sizeof(when));
		for (int i = 0; i < 32; i++)
			snprintf(pin + 2 * i, 3, "%02x", h[i]);
		snprintf(buf, cap, "subject '%s', issuer '%s', serial %s, "
			 "not after %s, spki-sha256 %s", subject, issuer,
			 serial, when, pin);
		ret = 0;
	}
	free(c);
	return ret;
}

int ktls_wolf_spki_sha256(const uint8_t *der, size_t len, uint8_t out[32])
{
	struct x509_cert *c = malloc(sizeof(*c));
	int ret = -1;

	if (!c)
		return -1;
	if (!x509_cert_parse(c, der, len, NULL) && c->spki.len <= UINT32_MAX &&
	    !wc_Sha256Hash(c->spki.p, (word32)c->spki.len, out))
		ret = 0;
	free(c);
	return ret;
}

/* ---- PEM loaders ---- */

int ktls_wolf_pem_certs(const uint8_t *pem, size_t len, uint8_t *buf,
			size_t cap, const uint8_t **der, size_t *der_len,
			unsigned int max, unsigned int *n)
{
	static const char begin[] = "-----BEGIN CERTIFICATE-----";
	static const char end[] = "-----END CERTIFICATE-----";
	const char *p = (const char *)pem, *stop = p + len;
	size_t used = 0;

	*n = 0;
	while (*n < max) {
		const char *b = memmem(p, (size_t)(stop - p), begin,
				       sizeof(begin) - 1), *e;
		int ret;

		if (!b)
			break;
		e = memmem(b, (size_t)(stop - b), end, sizeof(end) - 1);
		if (!e)
			return KTLS_ERR_INVALID;
		e += sizeof(end) - 1;
		ret = wc_CertPemToDer((const unsigned char *)b, (int)(e - b),
				      buf + used, (int)(cap - used), CERT_TYPE);
		if (ret <= 0)
			return KTLS_ERR_INVALID;
		der[*n] = buf + used;
		der_len[(*n)++] = (size_t)ret;
		used += (size_t)ret;
		p = e;
	}
	return *n ? 0 : KTLS_ERR_INVALID;
}

/*
 * An id-RSASSA-PSS key in PKCS#8 (RFC 5208 §5, RFC 4055 §1.2), what
 * "openssl genpkey -algorithm RSA-PSS" writes:
 *   PrivateKeyInfo ::= SEQUENCE { version, privateKeyAlgorithm
 *       AlgorithmIdentifier, privateKey OCTET STRING, ... }
 * with the RSAPrivateKey in privateKey.  Returns 0 with the views, or -1
 * for anything else (which the other decoders then try).
 */
static int pkcs8_pss(const uint8_t *der, size_t len, struct x509_span *key,
		     struct x509_span *params)
{
	struct x509_algid a;
	struct der d, seq;
	struct der_tlv t;

	der_init(&d, der, len);
	if (der_enter(&d, DER_SEQUENCE, &seq) || der_done(&d) ||
	    der_expect(&seq, DER_INTEGER, &t) ||
	    x509_parse_algid(&seq, &a) || a.alg != X509_ALG_RSA_PSS ||
	    der_expect(&seq, DER_OCTET_STRING, &t))
		return -1;
	*key = t.val;
	*params = a.params;
	return 0;
}

/* The rsa_pss_pss_* a PSS key's parameters allow, salt = hash length. */
static unsigned int pss_schemes(struct x509_span params, uint16_t *schemes)
{
	static const struct {
		uint16_t scheme;
		enum x509_hash hash;
		unsigned int len;
	} all[] = {
		{ KTLS_SIG_RSA_PSS_PSS_SHA256, X509_HASH_SHA256, 32 },
		{ KTLS_SIG_RSA_PSS_PSS_SHA384, X509_HASH_SHA384, 48 },
		{ KTLS_SIG_RSA_PSS_PSS_SHA512, X509_HASH_SHA512, 64 },
	};
	unsigned int n = 0;

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (x509_pss_key_allows(params, all[i].hash, all[i].len) ==
		    X509_VFY_OK)
			schemes[n++] = all[i].scheme;
	return n;
}

static int pem_key_pss(const uint8_t *der, size_t len, uint8_t *priv,
		       size_t cap, size_t *priv_len, uint16_t *schemes,
		       unsigned int *n_schemes)
{
	struct x509_span key, params;
	int ret = KTLS_ERR_BAD_KEY;
	word32 idx = 0;
	unsigned int n;
	RsaKey rsa;

	if (pkcs8_pss(der, len, &key, &params))
		return KTLS_ERR_UNSUPPORTED;
	/* a key no TLS 1.3 scheme fits (say MGF1 left at SHA-1) is unusable */
	n = pss_schemes(params, schemes);
	if (key.len > cap || !n || wc_InitRsaKey(&rsa, NULL))
		return KTLS_ERR_BAD_KEY;
	if (!wc_RsaPrivateKeyDecode(key.p, &idx, &rsa, (word32)key.len) &&
	    idx == key.len) {
		memcpy(priv, key.p, key.len);
		*priv_len = key.len;
		*n_schemes = n;
		ret = 0;
	}
	wc_FreeRsaKey(&rsa);
	explicit_bzero(&rsa, sizeof(rsa));
	return ret;
}

int ktls_wolf_pem_key(const uint8_t *pem, size_t len, uint8_t *priv,
		      size_t cap, size_t *priv_len, uint16_t *schemes,
		      unsigned int *n_schemes)
{
	uint8_t der[KTLS_SIG_MAX_PRIV + 512];
	word32 idx = 0, plen;
	int dlen, off, ret = KTLS_ERR_BAD_KEY;
	ed25519_key ed;
	ecc_key ec;
	RsaKey rsa;

	if (memmem(pem, len, "-----BEGIN", 10)) {
		dlen = wc_KeyPemToDer(pem, (int)len, der, sizeof(der), NULL);
		if (dlen <= 0)
			return KTLS_ERR_BAD_KEY;
	} else {
		/* DER already (a key from the kernel's keyring) */
		if (!len || len > sizeof(der))
			return KTLS_ERR_BAD_KEY;
		memcpy(der, pem, len);
		dlen = (int)len;
	}
	*n_schemes = 0;
	ret = pem_key_pss(der, (size_t)dlen, priv, cap, priv_len, schemes,
			  n_schemes);
	if (ret != KTLS_ERR_UNSUPPORTED)
		goto out;
	ret = KTLS_ERR_BAD_KEY;
	/* Ed25519: PKCS#8 only */
	if (!wc_ed25519_init(&ed)) {
		if (!wc_Ed25519PrivateKeyDecode(der, &idx, &ed, (word32)dlen)) {
			plen = (word32)cap;
			if (!wc_ed25519_export_private_only(&ed, priv, &plen)) {
				*priv_len = plen;
				schemes[0] = KTLS_SIG_ED25519;
				*n_schemes = 1;
				ret = 0;
			}
		}
		wc_ed25519_free(&ed);
		if (!ret)
			goto out;
	}
	/* the traditional key inside PKCS#8, or the whole DER */
	idx = 0;
	off = wc_GetPkcs8TraditionalOffset(der, &idx, (word32)dlen) < 0 ?
	      0 : (int)idx;
	for (int pass = 0; pass < 2 && ret; pass++) {
		if (wc_ecc_init(&ec))
			break;
		idx = pass ? (word32)off : 0;
		if (!wc_EccPrivateKeyDecode(der, &idx, &ec, (word32)dlen)) {
			int curve = wc_ecc_get_curve_id(ec.idx);

			plen = (word32)cap;
			if ((curve == ECC_SECP256R1 || curve == ECC_SECP384R1) &&
			    !wc_ecc_export_private_only(&ec, priv, &plen)) {
				*priv_len = plen;
				schemes[0] = curve == ECC_SECP256R1 ?
					     KTLS_SIG_ECDSA_SECP256R1_SHA256 :
					     KTLS_SIG_ECDSA_SECP384R1_SHA384;
				*n_schemes = 1;
				ret = 0;
			}
		}
		wc_ecc_free(&ec);
	}
	if (!ret)
		goto out;
	idx = (word32)off;
	if (!wc_InitRsaKey(&rsa, NULL)) {
		if (!wc_RsaPrivateKeyDecode(der, &idx, &rsa, (word32)dlen) &&
		    (size_t)(dlen - off) <= cap) {
			memcpy(priv, der + off, (size_t)(dlen - off));
			*priv_len = (size_t)(dlen - off);
			schemes[0] = KTLS_SIG_RSA_PSS_RSAE_SHA256;
			schemes[1] = KTLS_SIG_RSA_PSS_RSAE_SHA384;
			schemes[2] = KTLS_SIG_RSA_PSS_RSAE_SHA512;
			*n_schemes = 3;
			ret = 0;
		}
		wc_FreeRsaKey(&rsa);
	}
out:
	explicit_bzero(der, sizeof(der));
	return ret;
}
