// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * x509_path.c: build a path from the peer's leaf to a trust anchor and
 * validate it (RFC 5280 §6), then check the name (RFC 6125, x509_names.c)
 * and revocation (CRLs, RFC 5280 §6.3).
 *
 * Why it is shaped so:
 *
 *  - Building is a depth-first search. From the certificate at the top of
 *    the partial path, candidate issuers are the trust anchors whose
 *    subject equals its issuer (byte-wise), then the peer's other
 *    certificates not yet on the path. A candidate is taken only if it
 *    signed the certificate. Anchors come first, so a cross-signed
 *    intermediate is only used when the shorter path is not available or
 *    not valid. The peer's order is not trusted and certificates not on
 *    the path are ignored.
 *  - Validation runs on each complete path; if it fails, the search goes
 *    on (another cross-sign may be valid). The reason reported is the one
 *    from the first complete path, else a signature or algorithm problem
 *    met while building, else "too long", else "unknown issuer".
 *  - The search is bounded: at most X509_PATH_MAX certificates in a path
 *    and X509_MAX_SIG_CHECKS signature checks per call, so a peer sending
 *    many certificates with one name and one key cannot make it explode.
 *  - Anchors are certificates: their validity, basicConstraints,
 *    keyUsage, extendedKeyUsage and name constraints are enforced like an
 *    intermediate's (as OpenSSL does, RFC 5937's "anchor constraints").
 *    Only their signature is not checked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "x509_names.h"
#include "x509_path.h"


static const struct {
	const char *name;
	int alert;
} verdicts[X509_VFY__COUNT] = {
	[X509_VFY_OK] = { "ok", 0 },
	[X509_VFY_NO_CERT] = { "no-certificate", 42 },
	[X509_VFY_MALFORMED] = { "malformed", 42 },
	[X509_VFY_UNKNOWN_ISSUER] = { "unknown-issuer", 48 },
	[X509_VFY_BAD_SIGNATURE] = { "bad-signature", 42 },
	[X509_VFY_WEAK_ALGORITHM] = { "weak-algorithm", 43 },
	[X509_VFY_UNSUPPORTED_ALGORITHM] = { "unsupported-algorithm", 43 },
	[X509_VFY_EXPIRED] = { "expired", 45 },
	[X509_VFY_NOT_YET_VALID] = { "not-yet-valid", 45 },
	[X509_VFY_NOT_CA] = { "not-a-ca", 48 },
	[X509_VFY_PATH_LEN] = { "path-length", 48 },
	[X509_VFY_CA_KEY_USAGE] = { "ca-key-usage", 48 },
	[X509_VFY_LEAF_KEY_USAGE] = { "key-usage", 43 },
	[X509_VFY_EKU] = { "extended-key-usage", 43 },
	[X509_VFY_UNKNOWN_CRITICAL] = { "unknown-critical-extension", 43 },
	[X509_VFY_NAME_CONSTRAINTS] = { "name-constraints", 42 },
	[X509_VFY_NAME_MISMATCH] = { "name-mismatch", 42 },
	[X509_VFY_TOO_LONG] = { "path-too-long", 48 },
	[X509_VFY_REVOKED] = { "revoked", 44 },
	[X509_VFY_REVOCATION_UNKNOWN] = { "revocation-unknown", 46 },
	[X509_VFY_BAD_OCSP] = { "bad-ocsp-response", 113 },
	[X509_VFY_INTERNAL] = { "internal-error", 80 },
};

int x509_verdict_alert(enum x509_verdict v)
{
	return (unsigned int)v < X509_VFY__COUNT ? verdicts[v].alert : 80;
}

const char *x509_verdict_name(enum x509_verdict v)
{
	return (unsigned int)v < X509_VFY__COUNT ? verdicts[v].name : "?";
}

const char *x509_staple_name(enum x509_staple s)
{
	static const char *const names[] = {
		[X509_STAPLE_NONE] = "none",
		[X509_STAPLE_IGNORED] = "ignored",
		[X509_STAPLE_NOT_CHECKED] = "not-checked",
		[X509_STAPLE_NO_INFO] = "no-information",
		[X509_STAPLE_GOOD] = "good",
		[X509_STAPLE_REVOKED] = "revoked",
		[X509_STAPLE_UNUSABLE] = "unusable",
	};

	return (unsigned int)s < sizeof(names) / sizeof(names[0]) ?
	       names[s] : "?";
}

/* ---- text ---- */

static const struct {
	uint8_t oid[10];
	uint8_t len;
	const char *name;
} attr_names[] = {
	{ { 0x55, 0x04, 0x03 }, 3, "CN" },
	{ { 0x55, 0x04, 0x05 }, 3, "serialNumber" },
	{ { 0x55, 0x04, 0x06 }, 3, "C" },
	{ { 0x55, 0x04, 0x07 }, 3, "L" },
	{ { 0x55, 0x04, 0x08 }, 3, "ST" },
	{ { 0x55, 0x04, 0x0a }, 3, "O" },
	{ { 0x55, 0x04, 0x0b }, 3, "OU" },
	{ { 0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19 }, 10,
	  "DC" },
	{ { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01 }, 9,
	  "emailAddress" },
};

struct text {
	char *buf;
	size_t cap, len;
};

static void put(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->len + 1 >= t->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len = t->len + (size_t)n < t->cap ? t->len + (size_t)n :
			 t->cap - 1;
}

/* A string value: printable ASCII as is, anything else as \xHH. */
static void put_value(struct text *t, struct x509_span v)
{
	for (size_t i = 0; i < v.len && i < 128; i++) {
		uint8_t c = v.p[i];

		if (c >= 0x20 && c < 0x7f && c != '\\' && c != ',')
			put(t, "%c", c);
		else
			put(t, "\\%02x", c);
	}
}

static void put_oid(struct text *t, struct x509_span oid)
{
	uint64_t v = 0;
	bool first = true;

	for (size_t i = 0; i < oid.len; i++) {
		if (v > (UINT64_MAX >> 7))
			return;
		v = (v << 7) | (oid.p[i] & 0x7f);
		if (oid.p[i] & 0x80)
			continue;
		if (first) {
			unsigned int a = v < 40 ? 0 : v < 80 ? 1 : 2;

			put(t, "%u.%llu", a, (unsigned long long)(v - 40 * a));
			first = false;
		} else {
			put(t, ".%llu", (unsigned long long)v);
		}
		v = 0;
	}
}

void x509_name_text(struct x509_span name, char *buf, size_t cap)
{
	struct text t = { buf, cap, 0 };
	struct der d, seq, rdn, atv;
	struct der_tlv oid, val;
	bool first = true;

	if (!cap)
		return;
	buf[0] = 0;
	der_init(&d, name.p, name.len);
	if (der_enter(&d, DER_SEQUENCE, &seq))
		goto bad;
	if (der_empty(&seq)) {
		put(&t, "(empty name)");
		return;
	}
	while (!der_empty(&seq)) {
		if (der_enter(&seq, DER_SET, &rdn))
			goto bad;
		while (!der_empty(&rdn)) {
			const char *an = NULL;

			if (der_enter(&rdn, DER_SEQUENCE, &atv) ||
			    der_expect(&atv, DER_OID, &oid) ||
			    der_next(&atv, &val))
				goto bad;
			for (size_t i = 0; i < sizeof(attr_names) /
			     sizeof(attr_names[0]); i++)
				if (der_oid_is(oid.val, attr_names[i].oid,
					       attr_names[i].len))
					an = attr_names[i].name;
			put(&t, "%s", first ? "" : ", ");
			first = false;
			if (an)
				put(&t, "%s=", an);
			else {
				put_oid(&t, oid.val);
				put(&t, "=");
			}
			put_value(&t, val.val);
		}
	}
	return;
bad:
	t.len = 0;
	buf[0] = 0;
	put(&t, "(unreadable name)");
}

void x509_serial_text(struct x509_span serial, char *buf, size_t cap)
{
	struct text t = { buf, cap, 0 };

	if (!cap)
		return;
	buf[0] = 0;
	for (size_t i = 0; i < serial.len; i++)
		put(&t, "%s%02X", i ? ":" : "", serial.p[i]);
}

const char *x509_crl_reason_name(int reason)
{
	static const char *const names[] = {
		"unspecified", "keyCompromise", "cACompromise",
		"affiliationChanged", "superseded", "cessationOfOperation",
		"certificateHold", NULL, "removeFromCRL", "privilegeWithdrawn",
		"aACompromise",
	};

	if (reason < 0 || reason >= (int)(sizeof(names) / sizeof(names[0])) ||
	    !names[reason])
		return "unknown";
	return names[reason];
}

void x509_time_text(int64_t v, char *buf, size_t cap)
{
	time_t tt = (time_t)v;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) ||
	    !strftime(buf, cap, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(buf, cap, "@%lld", (long long)v);
}

/* ---- algorithms ---- */

static const uint8_t oid_sha256[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
				      0x04, 0x02, 0x01 };
static const uint8_t oid_sha384[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
				      0x04, 0x02, 0x02 };
static const uint8_t oid_sha512[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
				      0x04, 0x02, 0x03 };
static const uint8_t oid_mgf1[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
				    0x01, 0x01, 0x08 };
static const uint8_t oid_ecdsa_sha1[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04,
					  0x01 };
/* namedCurve parameters, as whole TLVs */
static const uint8_t p256_tlv[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
				    0x03, 0x01, 0x07 };
static const uint8_t p384_tlv[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22 };

static bool tlv_is(struct x509_span s, const uint8_t *c, size_t n)
{
	return s.len == n && !memcmp(s.p, c, n);
}

static enum x509_hash hash_of(struct x509_span oid)
{
	if (der_oid_is(oid, oid_sha256, sizeof(oid_sha256)))
		return X509_HASH_SHA256;
	if (der_oid_is(oid, oid_sha384, sizeof(oid_sha384)))
		return X509_HASH_SHA384;
	if (der_oid_is(oid, oid_sha512, sizeof(oid_sha512)))
		return X509_HASH_SHA512;
	return X509_HASH_NONE;
}

static unsigned int hash_len(enum x509_hash h)
{
	return h == X509_HASH_SHA256 ? 32 : h == X509_HASH_SHA384 ? 48 : 64;
}

/*
 * RSASSA-PSS-params (RFC 4055 §3.1). The defaults are SHA-1, so every
 * field we accept is explicit: hashAlgorithm SHA-2, MGF1 with the same
 * hash, saltLength, trailerField 1 if present.
 */
static enum x509_verdict pss_params(struct x509_span params,
				    struct x509_sig_req *req)
{
	struct der d, seq, f, mgf;
	struct x509_algid a, inner;
	struct der_tlv t;
	uint32_t v;
	bool present;

	der_init(&d, params.p, params.len);
	if (der_enter(&d, DER_SEQUENCE, &seq) || der_done(&d))
		return X509_VFY_UNSUPPORTED_ALGORITHM;
	/* [0] hashAlgorithm */
	if (der_peek(&seq) != DER_CTX_CONS(0))
		return X509_VFY_WEAK_ALGORITHM;	/* SHA-1 default */
	if (der_enter(&seq, DER_CTX_CONS(0), &f) || x509_parse_algid(&f, &a) ||
	    der_done(&f))
		return X509_VFY_UNSUPPORTED_ALGORITHM;
	req->hash = hash_of(a.oid);
	if (req->hash == X509_HASH_NONE)
		return X509_VFY_UNSUPPORTED_ALGORITHM;
	/* [1] maskGenAlgorithm: MGF1 with the same hash */
	if (der_peek(&seq) != DER_CTX_CONS(1))
		return X509_VFY_WEAK_ALGORITHM;
	if (der_enter(&seq, DER_CTX_CONS(1), &f) || x509_parse_algid(&f, &a) ||
	    der_done(&f) || !der_oid_is(a.oid, oid_mgf1, sizeof(oid_mgf1)))
		return X509_VFY_UNSUPPORTED_ALGORITHM;
	der_init(&mgf, a.params.p, a.params.len);
	if (x509_parse_algid(&mgf, &inner) || der_done(&mgf) ||
	    hash_of(inner.oid) != req->hash)
		return X509_VFY_UNSUPPORTED_ALGORITHM;
	/* [2] saltLength, default 20 */
	req->salt_len = 20;
	if (der_optional(&seq, DER_CTX_CONS(2), &t, &present))
		return X509_VFY_UNSUPPORTED_ALGORITHM;
	if (present) {
		der_init(&f, t.val.p, t.val.len);
		if (der_expect(&f, DER_INTEGER, &t) || der_done(&f) ||
		    der_small_uint(t.val, 1024, &v))
			return X509_VFY_UNSUPPORTED_ALGORITHM;
		req->salt_len = v;
	}
	/* [3] trailerField: trailerFieldBC (1) only */
	if (der_optional(&seq, DER_CTX_CONS(3), &t, &present))
		return X509_VFY_UNSUPPORTED_ALGORITHM;
	if (present) {
		der_init(&f, t.val.p, t.val.len);
		if (der_expect(&f, DER_INTEGER, &t) || der_done(&f) ||
		    der_small_uint(t.val, 1, &v) || v != 1)
			return X509_VFY_UNSUPPORTED_ALGORITHM;
	}
	if (der_done(&seq))
		return X509_VFY_UNSUPPORTED_ALGORITHM;
	return X509_VFY_OK;
}

/*
 * An id-RSASSA-PSS key (RFC 4055 §1.2, §3.1, §3.3): the RSAPublicKey is an
 * RSA key, usable for RSASSA-PSS only (so never PKCS#1 v1.5: the caller
 * refuses that). Parameters absent: any RSASSA-PSS signature. Present:
 * they constrain the signatures, §3.3: "the hashAlgorithm field ... MUST
 * be the same" (and so the MGF1 hash, which pss_params ties to it), and
 * the signature's saltLength must be at least the key's. A key whose
 * parameters leave the hash at its SHA-1 default can only make SHA-1
 * signatures: weak. Shared by path validation (below) and the TLS
 * rsa_pss_pss_* schemes (RFC 8446 §4.2.3), signed and verified.
 */
enum x509_verdict x509_pss_key_allows(struct x509_span params,
				      enum x509_hash hash,
				      unsigned int salt_len)
{
	struct x509_sig_req k = { 0 };
	enum x509_verdict v;

	if (!params.len)
		return X509_VFY_OK;
	v = pss_params(params, &k);
	if (v)
		return v;
	if (k.hash != hash || salt_len < k.salt_len)
		return X509_VFY_UNSUPPORTED_ALGORITHM;
	return X509_VFY_OK;
}

unsigned int x509_rsa_bits(struct x509_span key)
{
	struct der d, seq;
	struct der_tlv n;
	size_t i = 0;
	unsigned int bits;

	der_init(&d, key.p, key.len);
	if (der_enter(&d, DER_SEQUENCE, &seq) || der_expect(&seq, DER_INTEGER,
							    &n) ||
	    der_integer_check(n.val) || n.val.len == 0 || n.val.p[0] & 0x80)
		return 0;
	while (i < n.val.len && !n.val.p[i])
		i++;
	if (i == n.val.len || n.val.len - i > 2048)
		return 0;
	bits = (unsigned int)(n.val.len - i) * 8;
	for (uint8_t top = n.val.p[i]; !(top & 0x80); top <<= 1)
		bits--;
	return bits;
}

enum x509_verdict x509_sig_request(const struct x509_algid *sig_alg,
				   const struct x509_cert *signer,
				   struct x509_sig_req *req)
{
	enum x509_alg key = signer->key_alg.alg;
	enum x509_verdict v;

	memset(req, 0, sizeof(*req));
	req->spki = signer->spki;
	switch (sig_alg->alg) {
	case X509_ALG_RSA_SHA1:
		return X509_VFY_WEAK_ALGORITHM;
	case X509_ALG_RSA_SHA256:
	case X509_ALG_RSA_SHA384:
	case X509_ALG_RSA_SHA512:
		req->kind = X509_SIG_RSA_PKCS1;
		req->hash = sig_alg->alg == X509_ALG_RSA_SHA256 ?
			    X509_HASH_SHA256 :
			    sig_alg->alg == X509_ALG_RSA_SHA384 ?
			    X509_HASH_SHA384 : X509_HASH_SHA512;
		if (key != X509_ALG_RSA)
			return X509_VFY_UNSUPPORTED_ALGORITHM;
		break;
	case X509_ALG_RSA_PSS:
		req->kind = X509_SIG_RSA_PSS;
		if (key != X509_ALG_RSA && key != X509_ALG_RSA_PSS)
			return X509_VFY_UNSUPPORTED_ALGORITHM;
		v = pss_params(sig_alg->params, req);
		if (v)
			return v;
		if (req->salt_len > hash_len(req->hash) + 64)
			return X509_VFY_UNSUPPORTED_ALGORITHM;
		if (key == X509_ALG_RSA_PSS) {
			v = x509_pss_key_allows(signer->key_alg.params,
						req->hash, req->salt_len);
			if (v)
				return v;
		}
		break;
	case X509_ALG_ECDSA_SHA256:
	case X509_ALG_ECDSA_SHA384:
	case X509_ALG_ECDSA_SHA512:
		req->kind = X509_SIG_ECDSA;
		req->hash = sig_alg->alg == X509_ALG_ECDSA_SHA256 ?
			    X509_HASH_SHA256 :
			    sig_alg->alg == X509_ALG_ECDSA_SHA384 ?
			    X509_HASH_SHA384 : X509_HASH_SHA512;
		if (sig_alg->params.len)	/* RFC 5758 §3.2: absent */
			return X509_VFY_UNSUPPORTED_ALGORITHM;
		if (key != X509_ALG_EC ||
		    !(tlv_is(signer->key_alg.params, p256_tlv,
			     sizeof(p256_tlv)) ||
		      tlv_is(signer->key_alg.params, p384_tlv,
			     sizeof(p384_tlv))))
			return X509_VFY_UNSUPPORTED_ALGORITHM;
		return X509_VFY_OK;
	case X509_ALG_ED25519:
		req->kind = X509_SIG_ED25519;
		if (sig_alg->params.len || key != X509_ALG_ED25519)
			return X509_VFY_UNSUPPORTED_ALGORITHM;
		return X509_VFY_OK;
	default:
		if (der_oid_is(sig_alg->oid, oid_ecdsa_sha1,
			       sizeof(oid_ecdsa_sha1)))
			return X509_VFY_WEAK_ALGORITHM;
		return X509_VFY_UNSUPPORTED_ALGORITHM;
	}
	/* RSA */
	if (x509_rsa_bits(signer->key) < X509_MIN_RSA_BITS)
		return X509_VFY_WEAK_ALGORITHM;
	return X509_VFY_OK;
}

/* ---- path building ---- */

struct builder {
	const struct x509_store *store;
	const struct x509_verify_params *p;
	struct x509_chain_ctx *ctx;
	struct x509_path *out;
	const struct x509_cert *path[X509_PATH_MAX];
	bool used[X509_PATH_MAX];	/* peer certificate on the path */
	bool is_anchor[X509_PATH_MAX];	/* peer certificate is an anchor */
	unsigned int max, sig_checks;
	int rank;			/* of the failure kept in out */
	char msg[384];
	/* the staple: parse result, and whether it vouched for the leaf on
	 * the path being completed */
	enum x509_err ocsp_err;
	struct x509_error ocsp_xe;
	bool leaf_good;
};

enum { RANK_NONE, RANK_UNKNOWN, RANK_TOO_LONG, RANK_SIG, RANK_PATH };

static void who(const struct x509_cert *c, char *buf, size_t cap)
{
	x509_name_text(c->subject, buf, cap);
}

/* Keep this failure if it outranks the one kept. */
static void fail(struct builder *b, int rank, enum x509_verdict v,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void fail(struct builder *b, int rank, enum x509_verdict v,
		 const char *fmt, ...)
{
	va_list ap;

	if (rank <= b->rank)
		return;
	b->rank = rank;
	b->out->verdict = v;
	va_start(ap, fmt);
	vsnprintf(b->out->msg, sizeof(b->out->msg), fmt, ap);
	va_end(ap);
}

static bool self_issued(const struct x509_cert *c)
{
	return x509_span_eq(c->subject, c->issuer);
}

/* Could cand have issued c? Names, and key identifiers when both exist. */
static bool may_issue(const struct x509_cert *cand, const struct x509_cert *c)
{
	if (!x509_span_eq(cand->subject, c->issuer))
		return false;
	if (c->aki.key_id.len && cand->ski.len &&
	    !x509_span_eq(c->aki.key_id, cand->ski))
		return false;
	return true;
}

enum x509_verdict x509_check_sig(const struct x509_verify_params *p,
				 unsigned int *sig_checks,
				 const struct x509_algid *alg, struct x509_span tbs,
				 struct x509_span sig,
				 const struct x509_cert *signer)
{
	struct x509_sig_req req;
	enum x509_verdict v;

	v = x509_sig_request(alg, signer, &req);
	if (v)
		return v;
	if ((*sig_checks)++ >= X509_MAX_SIG_CHECKS)
		return X509_VFY_TOO_LONG;
	req.msg = tbs;
	req.sig = sig;
	return p->verify_sig(p->sig_arg, &req) ? X509_VFY_BAD_SIGNATURE :
						 X509_VFY_OK;
}

static enum x509_verdict check_sig(struct builder *b,
				   const struct x509_algid *alg,
				   struct x509_span tbs, struct x509_span sig,
				   const struct x509_cert *signer)
{
	return x509_check_sig(b->p, &b->sig_checks, alg, tbs, sig, signer);
}

static const char *purpose_name(enum x509_purpose p)
{
	return p == X509_PURPOSE_SERVER ? "serverAuth (TLS server)" :
					  "clientAuth (TLS client)";
}

/* RFC 5280 §6.1.3 and §6.1.4 over a complete path of n certificates. */
static enum x509_verdict validate(struct builder *b, unsigned int n)
{
	const struct x509_verify_params *p = b->p;
	uint32_t want = p->purpose == X509_PURPOSE_SERVER ?
			X509_EKU_SERVER_AUTH : X509_EKU_CLIENT_AUTH;
	char name[160], when[40];
	struct x509_error xe;
	unsigned int i, j, below;

	for (i = 0; i < n; i++) {
		const struct x509_cert *c = b->path[i];
		const char *role = i == 0 ? "certificate" :
				   i == n - 1 ? "trust anchor" : "CA";

		who(c, name, sizeof(name));
		if (p->now > c->not_after) {
			x509_time_text(c->not_after, when, sizeof(when));
			fail(b, RANK_PATH, X509_VFY_EXPIRED,
			     "certificate expired: %s '%s' expired on %s; "
			     "renew it (or check this host's clock)", role,
			     name, when);
			return X509_VFY_EXPIRED;
		}
		if (p->now < c->not_before) {
			x509_time_text(c->not_before, when, sizeof(when));
			fail(b, RANK_PATH, X509_VFY_NOT_YET_VALID,
			     "certificate not yet valid: %s '%s' is valid "
			     "from %s; check the clocks", role, name, when);
			return X509_VFY_NOT_YET_VALID;
		}
		if (c->unknown_critical) {
			char oid[96];
			struct text t = { oid, sizeof(oid), 0 };

			oid[0] = 0;
			put_oid(&t, c->unknown_critical_oid);
			fail(b, RANK_PATH, X509_VFY_UNKNOWN_CRITICAL,
			     "%s '%s' has a critical extension %s that is "
			     "not understood (RFC 5280 §4.2); reissue it "
			     "without", role, name, oid);
			return X509_VFY_UNKNOWN_CRITICAL;
		}
		if ((c->key_alg.alg == X509_ALG_RSA ||
		     c->key_alg.alg == X509_ALG_RSA_PSS) &&
		    x509_rsa_bits(c->key) < X509_MIN_RSA_BITS) {
			fail(b, RANK_PATH, X509_VFY_WEAK_ALGORITHM,
			     "%s '%s' has an RSA key of %u bits; at least "
			     "%u are required", role, name,
			     x509_rsa_bits(c->key), X509_MIN_RSA_BITS);
			return X509_VFY_WEAK_ALGORITHM;
		}
		if (c->ext_present & X509_EXT_EXT_KEY_USAGE &&
		    !(c->eku & (want | X509_EKU_ANY))) {
			fail(b, RANK_PATH, X509_VFY_EKU,
			     "%s '%s' has an extendedKeyUsage without %s; "
			     "reissue it with that purpose", role, name,
			     purpose_name(p->purpose));
			return X509_VFY_EKU;
		}
		if (i == 0) {
			if (c->ext_present & X509_EXT_KEY_USAGE &&
			    !(c->key_usage & X509_KU_DIGITAL_SIGNATURE)) {
				fail(b, RANK_PATH, X509_VFY_LEAF_KEY_USAGE,
				     "certificate '%s' has a keyUsage without "
				     "digitalSignature, which TLS 1.3 needs; "
				     "reissue it", name);
				return X509_VFY_LEAF_KEY_USAGE;
			}
			continue;
		}
		/* an issuer: §6.1.4 (k), (l), (m), (n) */
		if (!(c->ca || (i == n - 1 && c->version == 1))) {
			char sub[160];

			who(b->path[i - 1], sub, sizeof(sub));
			fail(b, RANK_PATH, X509_VFY_NOT_CA,
			     "%s '%s' issued '%s' but is not a CA "
			     "(basicConstraints cA is not set); the issuer "
			     "must be a CA certificate", role, name, sub);
			return X509_VFY_NOT_CA;
		}
		if (c->ext_present & X509_EXT_KEY_USAGE &&
		    !(c->key_usage & X509_KU_KEY_CERT_SIGN)) {
			fail(b, RANK_PATH, X509_VFY_CA_KEY_USAGE,
			     "%s '%s' has a keyUsage without keyCertSign, so "
			     "it may not sign certificates", role, name);
			return X509_VFY_CA_KEY_USAGE;
		}
		below = 0;
		for (j = 1; j < i; j++)
			below += !self_issued(b->path[j]);
		if (c->path_len >= 0 && below > (unsigned int)c->path_len) {
			fail(b, RANK_PATH, X509_VFY_PATH_LEN,
			     "%s '%s' allows %d CA certificate(s) below it "
			     "(pathLenConstraint) but the path has %u", role,
			     name, c->path_len, below);
			return X509_VFY_PATH_LEN;
		}
		if (!(c->ext_present & X509_EXT_NAME_CONSTRAINTS))
			continue;
		for (j = 0; j < i; j++) {
			char sub[160];

			/* §6.1.4 (b): self-issued CAs are not constrained */
			if (j && self_issued(b->path[j]))
				continue;
			if (!x509_check_name_constraints(c, b->path[j], &xe))
				continue;
			who(b->path[j], sub, sizeof(sub));
			fail(b, RANK_PATH, X509_VFY_NAME_CONSTRAINTS,
			     "name constraints of %s '%s' refuse '%s': %s%s%s",
			     role, name, sub, x509_strerror(xe.reason),
			     xe.where[0] ? ": " : "", xe.where);
			return X509_VFY_NAME_CONSTRAINTS;
		}
	}
	return X509_VFY_OK;
}

static enum x509_verdict check_name(struct builder *b)
{
	const struct x509_cert *leaf = b->path[0];
	struct x509_error xe;
	char name[160];

	if (!b->p->name || !b->p->name[0])
		return X509_VFY_OK;
	switch (x509_match_host(leaf, b->p->name, &xe)) {
	case X509_OK:
		return X509_VFY_OK;
	case X509_E_REFERENCE:
		fail(b, RANK_PATH, X509_VFY_NAME_MISMATCH,
		     "name does not match the certificate: '%s' is neither "
		     "a DNS name nor an IP address", b->p->name);
		break;
	default:
		who(leaf, name, sizeof(name));
		fail(b, RANK_PATH, X509_VFY_NAME_MISMATCH,
		     "name does not match the certificate: '%s' is not among "
		     "the subjectAltNames of '%s' (the Common Name is not "
		     "used); connect by a name it carries or reissue it",
		     b->p->name, name);
		break;
	}
	return X509_VFY_NAME_MISMATCH;
}

/* RFC 5280 §6.3 with complete CRLs from the store. */
static enum x509_verdict check_revocation(struct builder *b, unsigned int n)
{
	const struct x509_store *s = b->store;
	char name[160], iss[160], when[40], serial[64];

	if (b->p->revocation == X509_REV_OFF)
		return X509_VFY_OK;
	for (unsigned int j = 0; j + 1 < n; j++) {
		const struct x509_cert *c = b->path[j], *ca = b->path[j + 1];
		bool current = false, stale = false;
		struct x509_crl_entry ent;

		for (unsigned int k = 0; k < s->n_crls; k++) {
			const struct x509_crl *crl = &s->crls[k].crl;

			if (!x509_span_eq(crl->issuer, c->issuer) ||
			    crl->unknown_critical)
				continue;
			if (ca->ext_present & X509_EXT_KEY_USAGE &&
			    !(ca->key_usage & X509_KU_CRL_SIGN))
				continue;
			if (crl->this_update > b->p->now)
				continue;
			if (check_sig(b, &crl->sig_alg, crl->tbs, crl->sig, ca))
				continue;
			if (crl->has_next_update &&
			    crl->next_update < b->p->now) {
				stale = true;
				continue;
			}
			current = true;
			if (!x509_crl_find(crl, c->serial, &ent))
				continue;
			who(c, name, sizeof(name));
			x509_serial_text(c->serial, serial, sizeof(serial));
			x509_time_text(ent.revocation_date, when, sizeof(when));
			fail(b, RANK_PATH + 1, X509_VFY_REVOKED,
			     "certificate revoked: '%s' (serial %s) was revoked "
			     "on %s%s%s", name, serial, when,
			     ent.reason >= 0 ? ", reason " : "",
			     ent.reason >= 0 ?
			     x509_crl_reason_name(ent.reason) : "");
			return X509_VFY_REVOKED;
		}
		/* a good staple stands for the leaf's CRL under hard-fail */
		if (!current && b->p->revocation == X509_REV_HARD &&
		    !(j == 0 && b->leaf_good)) {
			who(c, name, sizeof(name));
			x509_name_text(c->issuer, iss, sizeof(iss));
			fail(b, RANK_PATH + 1, X509_VFY_REVOCATION_UNKNOWN,
			     "revocation status unknown: no %sCRL from '%s' "
			     "for '%s'; install a fresh CRL or relax the "
			     "revocation policy", stale ? "current " : "", iss,
			     name);
			return X509_VFY_REVOCATION_UNKNOWN;
		}
	}
	return X509_VFY_OK;
}

/*
 * The staple speaks for the leaf only, and only with the issuer on this
 * path (x509_ocsp_verify.c). Revoked and unusable are failures of the
 * path, ranked like revocation; good lets a hard-fail policy go without
 * the leaf's CRL.
 */
static enum x509_verdict check_staple(struct builder *b, unsigned int n)
{
	struct x509_path *out = b->out;
	struct x509_staple_result res;
	enum x509_verdict v;

	if (out->staple != X509_STAPLE_NOT_CHECKED)
		return X509_VFY_OK;
	if (n < 2) {
		snprintf(out->staple_msg, sizeof(out->staple_msg),
			 "not used: the certificate is itself a trust anchor");
		return X509_VFY_OK;
	}
	if (b->ocsp_err) {
		out->staple = X509_STAPLE_UNUSABLE;
		snprintf(out->staple_msg, sizeof(out->staple_msg),
			 "malformed: %s: %s", x509_strerror(b->ocsp_err),
			 b->ocsp_xe.where);
		fail(b, RANK_PATH + 1, X509_VFY_BAD_OCSP,
		     "the stapled OCSP response is unusable: %s",
		     out->staple_msg);
		return X509_VFY_BAD_OCSP;
	}
	v = x509_staple_check(&b->ctx->ocsp, b->path[0], b->path[1], b->p,
			      &b->ctx->responder, &b->sig_checks, &res);
	out->staple = res.state;
	out->staple_resp = res.resp;
	snprintf(out->staple_msg, sizeof(out->staple_msg), "%s", res.msg);
	b->leaf_good = res.state == X509_STAPLE_GOOD;
	if (v == X509_VFY_REVOKED)
		fail(b, RANK_PATH + 1, v, "certificate revoked: %s", res.msg);
	else if (v)
		fail(b, RANK_PATH + 1, v,
		     "the stapled OCSP response is unusable: %s", res.msg);
	return v;
}

/* A complete path of n certificates: validate it, and finish if good. */
static bool complete(struct builder *b, unsigned int n)
{
	b->leaf_good = false;
	if (b->out->staple != X509_STAPLE_NONE &&
	    b->out->staple != X509_STAPLE_IGNORED) {
		b->out->staple = X509_STAPLE_NOT_CHECKED;
		b->out->staple_resp = -1;
		b->out->staple_msg[0] = 0;
	}
	if (validate(b, n) || check_name(b) || check_staple(b, n) ||
	    check_revocation(b, n))
		return false;
	b->out->verdict = X509_VFY_OK;
	b->out->n = n;
	memcpy(b->out->cert, b->path, n * sizeof(b->path[0]));
	snprintf(b->out->msg, sizeof(b->out->msg), "verified");
	return true;
}

static void sig_failure(struct builder *b, enum x509_verdict v,
			const struct x509_cert *c, const struct x509_cert *ca)
{
	char name[160], by[160];

	who(c, name, sizeof(name));
	who(ca, by, sizeof(by));
	if (v == X509_VFY_BAD_SIGNATURE)
		fail(b, RANK_SIG, v, "the signature on '%s' does not verify "
		     "with the key of '%s'", name, by);
	else if (v == X509_VFY_WEAK_ALGORITHM)
		fail(b, RANK_SIG, v, "'%s' is signed with SHA-1 or a weak "
		     "RSA key of '%s' (below %u bits); reissue it with "
		     "SHA-256 or better", name, by, X509_MIN_RSA_BITS);
	else if (v == X509_VFY_TOO_LONG)
		fail(b, RANK_TOO_LONG, v, "too many candidate paths for '%s'",
		     name);
	else
		fail(b, RANK_SIG, v, "'%s' is signed with an algorithm we do "
		     "not support (or that does not fit the key of '%s')",
		     name, by);
}

static bool extend(struct builder *b, unsigned int depth)
{
	const struct x509_cert *c = b->path[depth - 1];
	const struct x509_store *s = b->store;
	enum x509_verdict v;
	unsigned int i;

	for (i = 0; i < s->n_certs; i++) {
		const struct x509_cert *a = &s->certs[i].cert;

		if (depth >= b->max)
			break;
		if (!may_issue(a, c))
			continue;
		v = check_sig(b, &c->sig_alg, c->tbs, c->sig, a);
		if (v) {
			sig_failure(b, v, c, a);
			continue;
		}
		b->path[depth] = a;
		if (complete(b, depth + 1))
			return true;
	}
	for (i = 1; i < b->ctx->n; i++) {
		const struct x509_cert *a = &b->ctx->cert[i];
		char name[160];

		if (!b->ctx->parsed[i] || b->used[i] || b->is_anchor[i] ||
		    !may_issue(a, c))
			continue;
		if (depth + 1 >= b->max) {
			who(b->path[0], name, sizeof(name));
			fail(b, RANK_TOO_LONG, X509_VFY_TOO_LONG,
			     "no path from '%s' to a trust anchor within %u "
			     "certificates", name, b->max);
			continue;
		}
		v = check_sig(b, &c->sig_alg, c->tbs, c->sig, a);
		if (v) {
			sig_failure(b, v, c, a);
			continue;
		}
		b->used[i] = true;
		b->path[depth] = a;
		if (extend(b, depth + 1))
			return true;
		b->used[i] = false;
	}
	return false;
}

enum x509_verdict x509_verify(const struct x509_store *store,
			      const uint8_t *const *der, const size_t *len,
			      unsigned int n, const struct x509_verify_params *p,
			      struct x509_chain_ctx *ctx, struct x509_path *path)
{
	static const struct x509_store empty;
	struct builder b = {
		.store = store ? store : &empty, .p = p, .ctx = ctx,
		.out = path,
	};
	struct x509_error xe;
	char name[160];

	memset(path, 0, sizeof(*path));
	path->staple_resp = -1;
	if (p->ocsp_len)
		path->staple = p->revocation == X509_REV_OFF ?
			       X509_STAPLE_IGNORED : X509_STAPLE_NOT_CHECKED;
	if (!n) {
		path->verdict = X509_VFY_NO_CERT;
		snprintf(path->msg, sizeof(path->msg),
			 "the peer sent no certificate");
		return path->verdict;
	}
	if (!p->verify_sig) {
		path->verdict = X509_VFY_INTERNAL;
		snprintf(path->msg, sizeof(path->msg), "no signature verifier");
		return path->verdict;
	}
	b.max = p->max_depth && p->max_depth < X509_PATH_MAX ? p->max_depth :
		X509_PATH_MAX;
	ctx->n = n < X509_PATH_MAX ? n : X509_PATH_MAX;
	for (unsigned int i = 0; i < ctx->n; i++) {
		ctx->parsed[i] = !x509_cert_parse(&ctx->cert[i], der[i], len[i],
						  &xe);
		if (!i && !ctx->parsed[i]) {
			path->verdict = X509_VFY_MALFORMED;
			snprintf(path->msg, sizeof(path->msg),
				 "the peer's certificate is malformed: %s: %s",
				 x509_strerror(xe.reason), xe.where);
			return path->verdict;
		}
		/* a peer copy of an anchor is never needed on the path */
		for (unsigned int k = 0; i && ctx->parsed[i] &&
		     k < b.store->n_certs; k++)
			if (x509_span_eq(b.store->certs[k].cert.raw,
					 ctx->cert[i].raw))
				b.is_anchor[i] = true;
	}
	if (path->staple == X509_STAPLE_NOT_CHECKED)
		b.ocsp_err = x509_ocsp_parse(&ctx->ocsp, p->ocsp, p->ocsp_len,
					     &b.ocsp_xe);
	b.path[0] = &ctx->cert[0];
	b.used[0] = true;
	/* the leaf itself trusted (a pinned self-signed certificate) */
	for (unsigned int k = 0; k < b.store->n_certs; k++)
		if (x509_span_eq(b.store->certs[k].cert.raw, ctx->cert[0].raw) &&
		    complete(&b, 1))
			return X509_VFY_OK;
	if (extend(&b, 1))
		return X509_VFY_OK;
	if (b.rank == RANK_NONE) {
		char iss[160];

		who(&ctx->cert[0], name, sizeof(name));
		x509_name_text(ctx->cert[0].issuer, iss, sizeof(iss));
		fail(&b, RANK_UNKNOWN, X509_VFY_UNKNOWN_ISSUER,
		     "no trusted issuer for '%s': nothing in the trust store "
		     "or the peer's chain leads from its issuer '%s' to an "
		     "anchor; add the root CA to the trust store or send the "
		     "intermediates", name, iss);
	}
	path->n = 0;
	return path->verdict;
}
