/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The crypto providers built into libktls.  A provider is a const table of
 * function pointers (struct ktls_crypto_provider, agent/engine/crypto.h);
 * the engine is handed one and never names a library.
 */
#ifndef KTLS_PROVIDERS_H
#define KTLS_PROVIDERS_H

struct ktls_crypto_provider;

/* wolfCrypt (wolfSSL 5.9.x), agent/crypto/wolfcrypt/. */
extern const struct ktls_crypto_provider ktls_provider_wolfcrypt;

/*
 * The X.509 verifier (agent/crypto/wolfcrypt/verify.c) for struct
 * ktls_verifier: the project's own path building and validation
 * (agent/x509/x509_path.c, RFC 5280 §6), names (RFC 6125), CRLs; wolfCrypt
 * checks the signatures.  Use as
 *	ktls_wolf_verifier_setup(&v, ca, crl, purpose, revocation);
 *	cfg.verifier = (struct ktls_verifier){ ktls_wolf_verify, &v };
 *	...
 *	ktls_wolf_verifier_fini(&v);
 * ca: a CA file or directory, or NULL for the platform's (SSL_CERT_FILE /
 * SSL_CERT_DIR, else /etc/ssl/certs/ca-certificates.crt, else the hashed
 * /etc/ssl/certs).  crl: a CRL file or directory, or NULL.  The store is
 * loaded once per (ca, crl) and shared; ktls_trust_flush() (on reload)
 * makes the next setup load it again, while verifiers set up before keep
 * theirs (and what ktls_trust_data() built from it).  *reason points into
 * the verifier (msg): one verifier per connection.
 */
#include <stddef.h>
#include <stdint.h>

struct ktls_chain;
struct ktls_trust;
struct x509_store;
struct x509_sig_req;
struct x509_verify_params;

enum {
	KTLS_PURPOSE_SERVER = 0,	/* verify a server: serverAuth */
	KTLS_PURPOSE_CLIENT = 1,	/* verify a client: clientAuth */
};

enum {
	KTLS_REVOCATION_OFF = 0,
	KTLS_REVOCATION_SOFT = 1,	/* use a current CRL when there is one */
	KTLS_REVOCATION_HARD = 2,	/* refuse without a current CRL */
};

struct ktls_wolf_verifier {
	int purpose;			/* KTLS_PURPOSE_* */
	int revocation;			/* KTLS_REVOCATION_* */
	int64_t now;			/* 0: the clock; tests set it */
	struct ktls_trust *trust;
	char msg[384];			/* the last verdict, or setup error */
	/* the last verified peer (ktls_wolf_identity_text), "" if none,
	 * and its certificate (leaf_len 0 if none or larger than leaf):
	 * the engine's KTLS_EV_PEER_CERT leaf points into a buffer that is
	 * reused before the event is read, so keep this copy instead */
	char identity[512];
	uint8_t leaf[16384];
	size_t leaf_len;
};

int ktls_wolf_verifier_setup(struct ktls_wolf_verifier *v, const char *ca,
			     const char *crl, int purpose, int revocation);
/* The same, for a server purpose without revocation. */
int ktls_wolf_verifier_init(struct ktls_wolf_verifier *v,
			    const char *ca_file);
void ktls_wolf_verifier_fini(struct ktls_wolf_verifier *v);
int ktls_wolf_verify(void *arg, const struct ktls_chain *chain,
		     const char *host, const char **reason);

/* Shared trust stores (see above); err gets the reason on failure. */
struct ktls_trust *ktls_trust_get(const char *ca, const char *crl,
				  char *err, size_t err_cap);
void ktls_trust_put(struct ktls_trust *t);
void ktls_trust_flush(void);
const struct x509_store *ktls_trust_store(const struct ktls_trust *t);
/*
 * What the application derives from a trust store once and keeps with it
 * (ktlsd: its certificate_authorities list): the first call for a store
 * runs build(store, arg) and keeps what it returns; this call and every
 * later one, from any thread, return that, until the store is freed (the
 * last ktls_trust_put()), which calls free_fn on it.  Concurrent first
 * calls build once: the others wait.  A build that returns NULL (no
 * memory) keeps nothing, and the next call tries again.  One slot per
 * store: a process must use it for one kind of data only.
 */
void *ktls_trust_data(struct ktls_trust *t,
		      void *(*build)(const struct x509_store *st, void *arg),
		      void (*free_fn)(void *data), void *arg);

/* wolfCrypt's signature check for x509_verify (x509_sig_verify_fn). */
int ktls_wolf_x509_sig(void *arg, const struct x509_sig_req *r);
/* Sets p's verify_sig and hash (OCSP staples) to wolfCrypt's. */
void ktls_wolf_x509_params(struct x509_verify_params *p);
/* One line naming a certificate: subject, issuer, serial, not-after,
 * SPKI SHA-256 (what ktlsd logs for an authenticated peer). */
int ktls_wolf_identity_text(const uint8_t *der, size_t len, char *buf,
			    size_t cap);
/* SHA-256 of a certificate's SubjectPublicKeyInfo (its pin). */
int ktls_wolf_spki_sha256(const uint8_t *der, size_t len, uint8_t out[32]);

/*
 * PEM to what the engine takes: certificates (leaf first) as DER views
 * into @buf; a private key (PKCS#8 or traditional; P-256, P-384, Ed25519,
 * RSA with rsaEncryption or id-RSASSA-PSS; PEM, or DER when the bytes
 * hold no "-----BEGIN") in the provider's format with the schemes it can
 * sign with: @schemes has room for KTLS_MAX_KEY_SCHEMES (3), *n_schemes
 * says how many are set (for struct ktls_config's key_schemes).  An RSA
 * key signs rsa_pss_rsae_sha256/384/512; an id-RSASSA-PSS key the
 * rsa_pss_pss_* that its PKCS#8 AlgorithmIdentifier's parameters allow
 * (RFC 4055 §3.3 with the salt as long as the hash, RFC 8446 §4.2.3),
 * none of them allowed is an unusable key.
 */
int ktls_wolf_pem_certs(const uint8_t *pem, size_t len, uint8_t *buf,
			size_t cap, const uint8_t **der, size_t *der_len,
			unsigned int max, unsigned int *n);
int ktls_wolf_pem_key(const uint8_t *pem, size_t len, uint8_t *priv,
		      size_t cap, size_t *priv_len, uint16_t *schemes,
		      unsigned int *n_schemes);

#endif /* KTLS_PROVIDERS_H */
