/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * x509_path.h: certificate path building and validation (RFC 5280 §6),
 * the trust store it starts from, revocation by CRL, and the verdicts it
 * ends in, each mapped to a TLS alert (RFC 8446 §6.2).
 *
 * No crypto library here: signatures are checked through a callback the
 * caller supplies (agent/crypto/wolfcrypt/verify.c gives wolfCrypt's). The
 * algorithm policy (which signatures, hashes and key sizes are acceptable)
 * is decided here, before the callback is asked.
 */
#ifndef KTLSD_X509_PATH_H
#define KTLSD_X509_PATH_H

#include "x509_cert.h"
#include "x509_crl.h"
#include "x509_ocsp.h"

#define X509_PATH_MAX 8		/* certificates in a path, leaf to anchor */
#define X509_MAX_SIG_CHECKS 64	/* signature checks in one x509_verify() */
#define X509_MIN_RSA_BITS 2048
#define X509_STORE_MAX 4096	/* anchors or CRLs in one store */
/* Stapled OCSP responses (Documentation/x509.md): the clock skew allowed
 * on thisUpdate and nextUpdate, and the age after which a response without
 * nextUpdate is stale. */
#define X509_OCSP_SKEW 300
#define X509_OCSP_MAX_AGE (4 * 86400)

enum x509_purpose {
	X509_PURPOSE_SERVER = 0,	/* id-kp-serverAuth */
	X509_PURPOSE_CLIENT = 1,	/* id-kp-clientAuth */
};

enum x509_rev_policy {
	X509_REV_OFF = 0,	/* CRLs are not consulted */
	X509_REV_SOFT,		/* a current CRL is used if there is one */
	X509_REV_HARD,		/* every certificate needs a current CRL */
};

/* One reason a chain is refused. x509_verdict_alert() maps it. */
enum x509_verdict {
	X509_VFY_OK = 0,
	X509_VFY_NO_CERT,			/* empty chain */
	X509_VFY_MALFORMED,		/* the leaf does not parse */
	X509_VFY_UNKNOWN_ISSUER,		/* no path to a trust anchor */
	X509_VFY_BAD_SIGNATURE,		/* a signature does not verify */
	X509_VFY_WEAK_ALGORITHM,		/* SHA-1, RSA below 2048 bits */
	X509_VFY_UNSUPPORTED_ALGORITHM,	/* a signature or key we do not do */
	X509_VFY_EXPIRED,
	X509_VFY_NOT_YET_VALID,
	X509_VFY_NOT_CA,			/* an issuer without cA */
	X509_VFY_PATH_LEN,		/* pathLenConstraint exceeded */
	X509_VFY_CA_KEY_USAGE,		/* an issuer without keyCertSign */
	X509_VFY_LEAF_KEY_USAGE,		/* a leaf without digitalSignature */
	X509_VFY_EKU,			/* the purpose is not allowed */
	X509_VFY_UNKNOWN_CRITICAL,	/* an unknown critical extension */
	X509_VFY_NAME_CONSTRAINTS,	/* a name outside a CA's subtrees */
	X509_VFY_NAME_MISMATCH,		/* the expected name is not in the leaf */
	X509_VFY_TOO_LONG,		/* no path within the depth limit */
	X509_VFY_REVOKED,
	X509_VFY_REVOCATION_UNKNOWN,	/* hard-fail and no current CRL */
	X509_VFY_BAD_OCSP,		/* an unusable OCSP staple */
	X509_VFY_INTERNAL,		/* out of memory, bad arguments */
	X509_VFY__COUNT
};

/* The TLS alert for a verdict (0 for X509_VFY_OK). */
int x509_verdict_alert(enum x509_verdict v);
/* A short name for a verdict ("expired", "unknown-issuer", ...). */
const char *x509_verdict_name(enum x509_verdict v);

/* ---- signatures ---- */

enum x509_sig_kind {
	X509_SIG_RSA_PKCS1,	/* RSASSA-PKCS1-v1_5 (RFC 8017) */
	X509_SIG_RSA_PSS,	/* RSASSA-PSS, MGF1 with the same hash */
	X509_SIG_ECDSA,
	X509_SIG_ED25519,
};

enum x509_hash {
	X509_HASH_NONE = 0,
	X509_HASH_SHA256,
	X509_HASH_SHA384,
	X509_HASH_SHA512,
	X509_HASH_SHA1,		/* OCSP CertID and responder key hashes only */
};

/* What the callback verifies: sig over msg with the key in spki. */
struct x509_sig_req {
	enum x509_sig_kind kind;
	enum x509_hash hash;
	unsigned int salt_len;		/* RSA-PSS */
	struct x509_span spki;		/* signer's SubjectPublicKeyInfo TLV */
	struct x509_span msg;
	struct x509_span sig;
};

/* Returns 0 if the signature verifies, < 0 if not (or the key is bad). */
typedef int (*x509_sig_verify_fn)(void *arg, const struct x509_sig_req *r);

#define X509_HASH_MAX 64	/* the longest digest a x509_hash_fn writes */
/* Digest of msg into out (X509_HASH_MAX bytes); its length, or < 0. */
typedef int (*x509_hash_fn)(void *arg, enum x509_hash h, struct x509_span msg,
			    uint8_t *out);

/*
 * Turn a signatureAlgorithm and the signer's key into a request: refuses
 * SHA-1 and RSA keys below X509_MIN_RSA_BITS (X509_VFY_WEAK_ALGORITHM), and
 * anything else we do not name (X509_VFY_UNSUPPORTED_ALGORITHM). Fills req
 * but for msg and sig.
 */
enum x509_verdict x509_sig_request(const struct x509_algid *sig_alg,
				   const struct x509_cert *signer,
				   struct x509_sig_req *req);
/*
 * Verify sig over tbs by signer's key, as alg says, through
 * p->verify_sig, after x509_sig_request()'s policy; counts the check in
 * *sig_checks and refuses past X509_MAX_SIG_CHECKS (X509_VFY_TOO_LONG).
 */
struct x509_verify_params;
enum x509_verdict x509_check_sig(const struct x509_verify_params *p,
				 unsigned int *sig_checks,
				 const struct x509_algid *alg, struct x509_span tbs,
				 struct x509_span sig,
				 const struct x509_cert *signer);
/*
 * Whether an id-RSASSA-PSS key whose AlgorithmIdentifier carries @params
 * (the parameters TLV; empty: absent) allows RSASSA-PSS signatures with
 * @hash, MGF1(@hash) and a salt of @salt_len bytes (RFC 4055 §3.3):
 * X509_VFY_OK, else X509_VFY_WEAK_ALGORITHM (SHA-1 parameters) or
 * X509_VFY_UNSUPPORTED_ALGORITHM.
 */
enum x509_verdict x509_pss_key_allows(struct x509_span params,
				      enum x509_hash hash,
				      unsigned int salt_len);
/* Modulus bits of an rsaEncryption key (x509_cert.key), 0 if malformed. */
unsigned int x509_rsa_bits(struct x509_span key);

/* ---- trust store ---- */

struct x509_store_cert {
	uint8_t *der;
	size_t len;
	struct x509_cert cert;
};

struct x509_store_crl {
	uint8_t *der;
	size_t len;
	struct x509_crl crl;
};

/*
 * Trust anchors and CRLs, each an owned copy of its DER and the parse of
 * it. Filled once, then only read: any number of threads may verify
 * against one store while nobody adds to it.
 */
struct x509_store {
	struct x509_store_cert *certs;
	unsigned int n_certs, cap_certs;
	struct x509_store_crl *crls;
	unsigned int n_crls, cap_crls;
	unsigned int skipped;		/* entries that did not parse */
};

void x509_store_init(struct x509_store *s);
void x509_store_free(struct x509_store *s);
/* Copy one DER certificate / CRL in. 0, or -1 (unparsable, no memory);
 * a certificate already present is not added twice. */
int x509_store_add_cert(struct x509_store *s, const uint8_t *der, size_t len);
int x509_store_add_crl(struct x509_store *s, const uint8_t *der, size_t len);
/*
 * Load a file of PEM certificates (CRLs), or one DER certificate (CRL);
 * or, for a directory, every regular file in it. Returns the number
 * added (>= 0), or -errno if the path cannot be read. Files that hold
 * nothing usable are counted in s->skipped.
 */
int x509_store_load_certs(struct x509_store *s, const char *path);
int x509_store_load_crls(struct x509_store *s, const char *path);

/*
 * The trust anchors to use, by the rules of Documentation/x509.md: an
 * explicit file or directory if given, else SSL_CERT_FILE and
 * SSL_CERT_DIR if either is set, else Debian's bundle
 * /etc/ssl/certs/ca-certificates.crt, else the hashed directory
 * /etc/ssl/certs. Returns the number of anchors, or -errno; *from names
 * what was read (static or ca_path).
 */
int x509_store_load_default(struct x509_store *s, const char *ca_path,
			    const char **from);

/* ---- verification ---- */

struct x509_verify_params {
	enum x509_purpose purpose;
	const char *name;		/* DNS name or IP literal; NULL: none */
	int64_t now;			/* seconds since the epoch */
	enum x509_rev_policy revocation;
	unsigned int max_depth;		/* certificates; 0: X509_PATH_MAX */
	x509_sig_verify_fn verify_sig;
	void *sig_arg;
	/* The OCSPResponse stapled to the leaf (NULL, 0: none). Used unless
	 * revocation is X509_REV_OFF; needs hash (CertID, byKey). */
	const uint8_t *ocsp;
	size_t ocsp_len;
	x509_hash_fn hash;
	void *hash_arg;
};

/* The peer's certificates, parsed; large (about 40 KiB): heap or static. */
struct x509_chain_ctx {
	unsigned int n;
	struct x509_cert cert[X509_PATH_MAX];
	bool parsed[X509_PATH_MAX];
	struct x509_ocsp ocsp;		/* the staple, parsed */
	struct x509_cert responder;	/* a delegated responder, parsed */
};

/* What the stapled OCSP response said about the leaf. */
enum x509_staple {
	X509_STAPLE_NONE = 0,		/* none stapled */
	X509_STAPLE_IGNORED,		/* revocation off */
	X509_STAPLE_NOT_CHECKED,	/* the path failed before it */
	X509_STAPLE_NO_INFO,		/* not successful, or status unknown */
	X509_STAPLE_GOOD,		/* the leaf counts as checked */
	X509_STAPLE_REVOKED,
	X509_STAPLE_UNUSABLE,		/* X509_VFY_BAD_OCSP */
};
const char *x509_staple_name(enum x509_staple s);

/* The result: the path found (leaf first, anchor last) or the reason. */
struct x509_path {
	enum x509_verdict verdict;
	unsigned int n;
	const struct x509_cert *cert[X509_PATH_MAX];
	char msg[384];			/* what is wrong and what to fix */
	/* the staple, as judged on the last path tried (the path found, if
	 * any): staple_resp indexes ctx->ocsp.resp[] (-1: none matched) */
	enum x509_staple staple;
	int staple_resp;
	char staple_msg[256];
};

/*
 * Verify the peer's chain (der[0] the leaf, the rest in any order;
 * certificates that are not on the path are ignored) against store.
 * Returns path->verdict.
 */
enum x509_verdict x509_verify(const struct x509_store *store,
			      const uint8_t *const *der, const size_t *len,
			      unsigned int n, const struct x509_verify_params *p,
			      struct x509_chain_ctx *ctx, struct x509_path *path);

/*
 * The stapled OCSP response o (parsed, status successful or not) judged
 * for leaf as issued by issuer, the certificate above it on a validated
 * path (RFC 6960 §3.2, §4.2.2.2; the rules are in Documentation/x509.md).
 * scratch holds a delegated responder's certificate while it is checked;
 * sig_checks counts signature checks against X509_MAX_SIG_CHECKS.
 * Returns X509_VFY_OK (good, or no information), X509_VFY_REVOKED or
 * X509_VFY_BAD_OCSP; res says which, and why, in words. Used by
 * x509_verify(); declared here for the tests.
 */
struct x509_staple_result {
	enum x509_staple state;
	int resp;			/* the SingleResponse used, or -1 */
	char msg[256];
};
enum x509_verdict x509_staple_check(const struct x509_ocsp *o,
				    const struct x509_cert *leaf,
				    const struct x509_cert *issuer,
				    const struct x509_verify_params *p,
				    struct x509_cert *scratch,
				    unsigned int *sig_checks,
				    struct x509_staple_result *res);
/* The hash of an OCSP CertID's hashAlgorithm; X509_HASH_NONE if unknown. */
enum x509_hash x509_ocsp_certid_hash(enum x509_ocsp_hash h);

/* ---- text, for messages and identity reports ---- */

/* A Name as "CN=a, O=b" (as encoded, most significant first). */
void x509_name_text(struct x509_span name, char *buf, size_t cap);
/* Serial as colon-separated hex. */
void x509_serial_text(struct x509_span serial, char *buf, size_t cap);
/* "YYYY-MM-DD HH:MM:SS UTC" */
void x509_time_text(int64_t t, char *buf, size_t cap);
/* A CRLReason (RFC 5280 §5.3.1) by name: "keyCompromise", ...; "unknown"
 * for a value the RFC does not define. */
const char *x509_crl_reason_name(int reason);

#endif /* KTLSD_X509_PATH_H */
