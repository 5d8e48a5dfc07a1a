// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * RSASSA-PSS keys in TLS 1.3 (RFC 8446 §4.2.3) and the choice of our
 * signature scheme by the peer's preference, the engine against itself in
 * memory:
 *  - rsa_pss_pss_sha256/384/512 with an id-RSASSA-PSS key, as server and
 *    as client (mTLS), each hash; a CertificateRequest the client's key
 *    fits none of: no client certificate (RFC 8446 §4.4.2.3);
 *  - the scheme our key signs with is the peer's first preference among
 *    those it can make (an RSA key and rsa_pss_rsae_sha512 alone), none in
 *    common is handshake_failure;
 *  - a CertificateVerify whose scheme does not fit the certificate's key
 *    (rsae with a PSS key, pss with an rsaEncryption key, a hash the PSS
 *    key's parameters forbid, an ECDSA curve other than the key's) is
 *    illegal_parameter, a bad signature decrypt_error;
 *  - the provider itself: sign/verify, rsae and pss SPKIs apart;
 *  - ktls_wolf_pem_key() on id-RSASSA-PSS PKCS#8 keys made here, with and
 *    without parameters, and the schemes each allows.
 * Keys are made at run time; certificates are the harness's minimal ones.
 */
#include <stdint.h>
#include <string.h>

#include "conn.h"
#include "engine_harness.h"
#include "tap.h"

static const struct ktls_crypto_provider *cp = &ktls_provider_wolfcrypt;

#define PSS256	KTLS_SIG_RSA_PSS_PSS_SHA256
#define PSS384	KTLS_SIG_RSA_PSS_PSS_SHA384
#define PSS512	KTLS_SIG_RSA_PSS_PSS_SHA512
#define RSAE256	KTLS_SIG_RSA_PSS_RSAE_SHA256
#define RSAE384	KTLS_SIG_RSA_PSS_RSAE_SHA384
#define RSAE512	KTLS_SIG_RSA_PSS_RSAE_SHA512

#define ALERT_HANDSHAKE_FAILURE		40
#define ALERT_ILLEGAL_PARAMETER		47

/* Made once: RSA key generation is slow under the sanitizers. */
static struct ident rsa_id, pss_id;

struct pair {
	struct ktls_config ccfg, scfg;
	struct ktls_conn *c, *s;
	void *cm, *sm;
	struct side_keys ck, sk;
};

static void set_list(uint16_t *dst, unsigned int *n, const uint16_t *src,
		     unsigned int count)
{
	memcpy(dst, src, count * sizeof(*src));
	*n = count;
}

static void pair_setup(struct pair *p, const struct ident *sid)
{
	memset(p, 0, sizeof(*p));
	ktls_config_init(&p->ccfg, KTLS_ROLE_CLIENT, cp);
	ktls_config_init(&p->scfg, KTLS_ROLE_SERVER, cp);
	cfg_ident(&p->scfg, sid);
	p->ccfg.verifier.verify = accept_verify;
	p->scfg.verifier.verify = accept_verify;
	p->ccfg.server_name = "server.test";
	verify_answer = 0;
	p->cm = conn_mem();
	p->sm = conn_mem();
}

static int pair_run(struct pair *p)
{
	p->c = ktls_conn_init(p->cm, KTLS_CONN_SIZE, &p->ccfg);
	p->s = ktls_conn_init(p->sm, KTLS_CONN_SIZE, &p->scfg);
	if (!p->c || !p->s)
		return -1;
	pump(p->c, p->s, &p->ck, &p->sk);
	return 0;
}

static void pair_free(struct pair *p)
{
	if (p->c)
		ktls_conn_wipe(p->c);
	if (p->s)
		ktls_conn_wipe(p->s);
	free(p->cm);
	free(p->sm);
}

static int echo(struct pair *p, const char *msg)
{
	uint8_t buf[128];
	size_t n;

	if (ktls_conn_send(p->c, (const uint8_t *)msg, strlen(msg)) !=
	    (long)strlen(msg))
		return 0;
	xfer(p->c, p->s);
	n = ktls_conn_recv(p->s, buf, sizeof(buf));
	return n == strlen(msg) && !memcmp(buf, msg, n);
}

/* The server's CertificateVerify scheme, 0 if the handshake failed. */
static uint16_t server_scheme(struct pair *p)
{
	if (p->ck.done != 1 || p->sk.done != 1)
		return 0;
	return p->ck.done_ev.u.done.sig_scheme;
}

/* ---- DER pieces for RSASSA-PSS keys ---- */

struct buf {
	uint8_t b[2600];
	size_t n;
};

static void put(struct buf *o, const void *p, size_t n)
{
	memcpy(o->b + o->n, p, n);
	o->n += n;
}

static void tlv(struct buf *o, uint8_t tag, const void *p, size_t n)
{
	o->n += der_hdr(o->b + o->n, tag, n);
	put(o, p, n);
}

static const uint8_t oid_pss[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
				   0x01, 0x0a };
static const uint8_t oid_mgf1[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
				    0x01, 0x08 };
static const uint8_t oid_sha[3][9] = {
	{ 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 },
	{ 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02 },
	{ 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03 },
};

static void hash_algid(struct buf *o, int h)
{
	struct buf a = { .n = 0 };

	tlv(&a, 0x06, oid_sha[h], 9);
	tlv(&a, 0x05, "", 0);
	tlv(o, 0x30, a.b, a.n);
}

/*
 * AlgorithmIdentifier { id-RSASSA-PSS, params }: h < 0 no parameters;
 * else hashAlgorithm h (0..2: SHA-256/384/512), MGF1 with h unless
 * mgf_default (SHA-1 then), saltLength salt.
 */
static void pss_algid(struct buf *o, int h, bool mgf_default, int salt)
{
	struct buf a = { .n = 0 }, p = { .n = 0 }, f = { .n = 0 };
	struct buf m = { .n = 0 };

	tlv(&a, 0x06, oid_pss, sizeof(oid_pss));
	if (h >= 0) {
		hash_algid(&f, h);
		tlv(&p, 0xa0, f.b, f.n);
		if (!mgf_default) {
			tlv(&m, 0x06, oid_mgf1, sizeof(oid_mgf1));
			hash_algid(&m, h);
			f.n = 0;
			tlv(&f, 0x30, m.b, m.n);
			tlv(&p, 0xa1, f.b, f.n);
		}
		if (salt >= 0) {
			uint8_t i[3] = { 0x02, 0x01, (uint8_t)salt };

			tlv(&p, 0xa2, i, 3);
		}
		tlv(&a, 0x30, p.b, p.n);
	}
	tlv(o, 0x30, a.b, a.n);
}

/* The BIT STRING TLV of a SubjectPublicKeyInfo (after its algorithm). */
static const uint8_t *spki_key(const struct ident *id, size_t *len)
{
	size_t hdr = id->spki[1] & 0x80 ? 2 + (id->spki[1] & 0x7f) : 2;
	size_t alg = 2 + id->spki[hdr + 1];

	*len = id->spki_len - hdr - alg;
	return id->spki + hdr + alg;
}

/* @src's key under an id-RSASSA-PSS algorithm with these parameters. */
static void pss_ident(struct ident *dst, const struct ident *src, int h,
		      int salt)
{
	struct buf inner = { .n = 0 }, o = { .n = 0 };
	const uint8_t *k;
	size_t kl;

	*dst = *src;
	pss_algid(&inner, h, false, salt);
	k = spki_key(src, &kl);
	put(&inner, k, kl);
	tlv(&o, 0x30, inner.b, inner.n);
	memcpy(dst->spki, o.b, o.n);
	dst->spki_len = o.n;
	ident_wrap(dst);
}

/* PrivateKeyInfo { 0, id-RSASSA-PSS [params], OCTET STRING { key } } */
static void pss_pkcs8(struct buf *o, const struct ident *id, int h,
		      bool mgf_default, int salt)
{
	struct buf inner = { .n = 0 };

	tlv(&inner, 0x02, "", 1);
	pss_algid(&inner, h, mgf_default, salt);
	tlv(&inner, 0x04, id->priv, id->priv_len);
	o->n = 0;
	tlv(o, 0x30, inner.b, inner.n);
}

/* ---- the provider ---- */

TAP_TEST(provider_pss_and_rsae_keys_apart)
{
	static const uint16_t pss[] = { PSS256, PSS384, PSS512 };
	static const uint16_t rsae[] = { RSAE256, RSAE384, RSAE512 };
	const uint8_t msg[] = "signed content";
	uint8_t sig[KTLS_SIG_MAX_LEN];
	size_t sl;

	/* keygen's PSS SPKI: id-RSASSA-PSS, no parameters */
	TAP_CHECK(pss_id.spki_len > 20);
	TAP_CHECK_MEM(pss_id.spki + 8, oid_pss, sizeof(oid_pss));
	for (int i = 0; i < 3; i++) {
		TAP_CHECK_EQ(ktls_sig_sign(cp, pss[i], pss_id.priv,
					   pss_id.priv_len, msg, sizeof(msg),
					   sig, sizeof(sig), &sl), 0);
		TAP_CHECK_EQ(sl, 256);
		TAP_CHECK_EQ(ktls_sig_verify(cp, pss[i], pss_id.spki,
					     pss_id.spki_len, msg, sizeof(msg),
					     sig, sl), 0);
		/* the same signature under the rsae scheme: wrong key type */
		TAP_CHECK_EQ(ktls_sig_verify(cp, rsae[i], pss_id.spki,
					     pss_id.spki_len, msg, sizeof(msg),
					     sig, sl), KTLS_ERR_BAD_KEY);
		sig[10] ^= 1;
		TAP_CHECK_EQ(ktls_sig_verify(cp, pss[i], pss_id.spki,
					     pss_id.spki_len, msg, sizeof(msg),
					     sig, sl), KTLS_ERR_BAD_SIGNATURE);
		/* an rsaEncryption key never verifies rsa_pss_pss_* */
		TAP_CHECK_EQ(ktls_sig_sign(cp, rsae[i], rsa_id.priv,
					   rsa_id.priv_len, msg, sizeof(msg),
					   sig, sizeof(sig), &sl), 0);
		TAP_CHECK_EQ(ktls_sig_verify(cp, rsae[i], rsa_id.spki,
					     rsa_id.spki_len, msg, sizeof(msg),
					     sig, sl), 0);
		TAP_CHECK_EQ(ktls_sig_verify(cp, pss[i], rsa_id.spki,
					     rsa_id.spki_len, msg, sizeof(msg),
					     sig, sl), KTLS_ERR_BAD_KEY);
	}
}

TAP_TEST(provider_pss_key_parameters)
{
	const uint8_t msg[] = "signed content";
	uint8_t sig[KTLS_SIG_MAX_LEN];
	struct ident k;
	size_t sl;

	/* SHA-384 key, salt 48: only rsa_pss_pss_sha384 */
	pss_ident(&k, &pss_id, 1, 48);
	TAP_CHECK_EQ(ktls_sig_sign(cp, PSS384, k.priv, k.priv_len, msg,
				   sizeof(msg), sig, sizeof(sig), &sl), 0);
	TAP_CHECK_EQ(ktls_sig_verify(cp, PSS384, k.spki, k.spki_len, msg,
				     sizeof(msg), sig, sl), 0);
	TAP_CHECK_EQ(ktls_sig_sign(cp, PSS256, k.priv, k.priv_len, msg,
				   sizeof(msg), sig, sizeof(sig), &sl), 0);
	TAP_CHECK_EQ(ktls_sig_verify(cp, PSS256, k.spki, k.spki_len, msg,
				     sizeof(msg), sig, sl), KTLS_ERR_BAD_KEY);
	/* SHA-256 key asking for a salt of 33: TLS's 32 is too short */
	pss_ident(&k, &pss_id, 0, 33);
	TAP_CHECK_EQ(ktls_sig_sign(cp, PSS256, k.priv, k.priv_len, msg,
				   sizeof(msg), sig, sizeof(sig), &sl), 0);
	TAP_CHECK_EQ(ktls_sig_verify(cp, PSS256, k.spki, k.spki_len, msg,
				     sizeof(msg), sig, sl), KTLS_ERR_BAD_KEY);
	/* salt 20 (the default) is at most 32: allowed */
	pss_ident(&k, &pss_id, 0, 20);
	TAP_CHECK_EQ(ktls_sig_verify(cp, PSS256, k.spki, k.spki_len, msg,
				     sizeof(msg), sig, sl), 0);
}

/* ---- the engine ---- */

TAP_TEST(rsa_pss_pss_each_hash_server)
{
	static const uint16_t pss[] = { PSS256, PSS384, PSS512 };

	for (int i = 0; i < 3; i++) {
		struct pair p;

		pair_setup(&p, &pss_id);
		set_list(p.scfg.key_schemes, &p.scfg.n_key_schemes, pss, 3);
		set_list(p.ccfg.sig_schemes, &p.ccfg.n_sig_schemes, &pss[i],
			 1);
		TAP_CHECK_EQ(pair_run(&p), 0);
		TAP_CHECK_EQ(server_scheme(&p), pss[i]);
		TAP_CHECK(echo(&p, "over an RSA-PSS key"));
		pair_free(&p);
	}
}

TAP_TEST(rsa_pss_pss_client_certificate)
{
	static const uint16_t pss[] = { PSS256, PSS384, PSS512 };
	static const uint16_t srv[] = { KTLS_SIG_ECDSA_SECP256R1_SHA256,
					PSS512, PSS384 };
	struct ident ec;
	struct pair p;

	TAP_CHECK_EQ(ident_make(cp, &ec, KTLS_SIG_ECDSA_SECP256R1_SHA256), 0);
	/* the server's CertificateRequest list decides: pss_sha256 first */
	pair_setup(&p, &ec);
	cfg_ident(&p.ccfg, &pss_id);
	set_list(p.ccfg.key_schemes, &p.ccfg.n_key_schemes, pss, 3);
	p.scfg.request_client_cert = true;
	p.scfg.require_client_cert = true;
	TAP_CHECK_EQ(pair_run(&p), 0);
	TAP_CHECK_EQ(p.sk.done, 1);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.client_authenticated, 1);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.sig_scheme, PSS256);
	pair_free(&p);

	/* a server preferring sha512 among the PSS ones gets it */
	pair_setup(&p, &ec);
	cfg_ident(&p.ccfg, &pss_id);
	set_list(p.ccfg.key_schemes, &p.ccfg.n_key_schemes, pss, 3);
	set_list(p.scfg.sig_schemes, &p.scfg.n_sig_schemes, srv, 3);
	p.scfg.request_client_cert = true;
	p.scfg.require_client_cert = true;
	TAP_CHECK_EQ(pair_run(&p), 0);
	TAP_CHECK_EQ(p.sk.done, 1);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.sig_scheme, PSS512);
	pair_free(&p);

	/*
	 * A CertificateRequest taking none of the client key's schemes:
	 * §4.4.2.3, the client sends no certificate; a server requiring one
	 * answers certificate_required, one only asking goes on without.
	 */
	for (int require = 0; require < 2; require++) {
		pair_setup(&p, &ec);
		cfg_ident(&p.ccfg, &pss_id);
		set_list(p.ccfg.key_schemes, &p.ccfg.n_key_schemes, pss, 3);
		set_list(p.scfg.sig_schemes, &p.scfg.n_sig_schemes, srv, 1);
		p.scfg.request_client_cert = true;
		p.scfg.require_client_cert = require;
		TAP_CHECK_EQ(pair_run(&p), 0);
		if (require) {
			TAP_CHECK_EQ(p.sk.alert_sent, 116);
			TAP_CHECK_EQ(p.sk.done, 0);
		} else {
			TAP_CHECK_EQ(p.sk.done, 1);
			TAP_CHECK_EQ(p.sk.done_ev.u.done.client_authenticated,
				     0);
		}
		pair_free(&p);
	}

	/* an rsaEncryption client key signing pss: illegal_parameter */
	pair_setup(&p, &ec);
	cfg_ident(&p.ccfg, &rsa_id);
	set_list(p.ccfg.key_schemes, &p.ccfg.n_key_schemes, pss, 1);
	p.scfg.request_client_cert = true;
	TAP_CHECK_EQ(pair_run(&p), 0);
	TAP_CHECK_EQ(p.sk.done, 0);
	TAP_CHECK_EQ(p.sk.alert_sent, ALERT_ILLEGAL_PARAMETER);
	pair_free(&p);
}

TAP_TEST(scheme_by_peer_preference)
{
	static const struct {
		const struct ident *id;
		bool pss;
		uint16_t offer[3];
		unsigned int n;
		uint16_t want;
	} cases[] = {
		{ &rsa_id, false, { RSAE512 }, 1, RSAE512 },
		{ &rsa_id, false, { RSAE384 }, 1, RSAE384 },
		{ &rsa_id, false, { RSAE384, RSAE512, RSAE256 }, 3, RSAE384 },
		{ &rsa_id, false, { KTLS_SIG_ED25519, PSS256, RSAE512 }, 3,
		  RSAE512 },
		{ &pss_id, true, { KTLS_SIG_ED25519, PSS512, PSS256 }, 3,
		  PSS512 },
		{ &pss_id, true, { RSAE256, PSS384 }, 2, PSS384 },
	};
	static const uint16_t pss[] = { PSS256, PSS384, PSS512 };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pair p;

		pair_setup(&p, cases[i].id);
		if (cases[i].pss)
			set_list(p.scfg.key_schemes, &p.scfg.n_key_schemes,
				 pss, 3);
		set_list(p.ccfg.sig_schemes, &p.ccfg.n_sig_schemes,
			 cases[i].offer, cases[i].n);
		TAP_CHECK_EQ(pair_run(&p), 0);
		TAP_CHECK_EQ(server_scheme(&p), cases[i].want);
		pair_free(&p);
	}
}

TAP_TEST(no_scheme_in_common)
{
	static const uint16_t pss[] = { PSS256, PSS384, PSS512 };
	static const uint16_t rsae[] = { RSAE256, RSAE384, RSAE512 };
	struct pair p;

	/* an RSA key, a client that takes only rsa_pss_pss_* */
	pair_setup(&p, &rsa_id);
	set_list(p.ccfg.sig_schemes, &p.ccfg.n_sig_schemes, pss, 3);
	TAP_CHECK_EQ(pair_run(&p), 0);
	TAP_CHECK_EQ(p.sk.alert_sent, ALERT_HANDSHAKE_FAILURE);
	TAP_CHECK_EQ(p.ck.alert_recv, ALERT_HANDSHAKE_FAILURE);
	TAP_CHECK_EQ(p.ck.done, 0);
	pair_free(&p);

	/* an RSA-PSS key, a client that takes only rsa_pss_rsae_* */
	pair_setup(&p, &pss_id);
	set_list(p.scfg.key_schemes, &p.scfg.n_key_schemes, pss, 3);
	set_list(p.ccfg.sig_schemes, &p.ccfg.n_sig_schemes, rsae, 3);
	TAP_CHECK_EQ(pair_run(&p), 0);
	TAP_CHECK_EQ(p.sk.alert_sent, ALERT_HANDSHAKE_FAILURE);
	TAP_CHECK_EQ(p.ck.done, 0);
	pair_free(&p);

	/* a PSS key limited to SHA-384, a client offering sha256 and 512 */
	pair_setup(&p, &pss_id);
	set_list(p.scfg.key_schemes, &p.scfg.n_key_schemes, &pss[1], 1);
	p.ccfg.sig_schemes[0] = PSS256;
	p.ccfg.sig_schemes[1] = PSS512;
	p.ccfg.n_sig_schemes = 2;
	TAP_CHECK_EQ(pair_run(&p), 0);
	TAP_CHECK_EQ(p.sk.alert_sent, ALERT_HANDSHAKE_FAILURE);
	pair_free(&p);
}

/*
 * A server whose key_schemes lie about its certificate's key: the client
 * must refuse the CertificateVerify with illegal_parameter (RFC 8446
 * §4.2.3: the scheme does not fit the key), not accept it and not call it
 * a bad signature.
 */
TAP_TEST(scheme_does_not_fit_the_key)
{
	static const struct {
		const char *what;
		int key;		/* 0 rsaEncryption, 1 PSS, 2 PSS-384 */
		uint16_t scheme;
		int alert;		/* client's; 0: it completes */
	} cases[] = {
		{ "pss scheme, rsaEncryption key", 0, PSS256,
		  ALERT_ILLEGAL_PARAMETER },
		{ "rsae scheme, id-RSASSA-PSS key", 1, RSAE256,
		  ALERT_ILLEGAL_PARAMETER },
		{ "rsae sha512, id-RSASSA-PSS key", 1, RSAE512,
		  ALERT_ILLEGAL_PARAMETER },
		{ "pss sha256, key limited to SHA-384", 2, PSS256,
		  ALERT_ILLEGAL_PARAMETER },
		{ "pss sha512, key limited to SHA-384", 2, PSS512,
		  ALERT_ILLEGAL_PARAMETER },
		{ "pss sha384, key limited to SHA-384", 2, PSS384, 0 },
	};
	struct ident k384;

	pss_ident(&k384, &pss_id, 1, 48);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ident *id = cases[i].key == 0 ? &rsa_id :
					 cases[i].key == 1 ? &pss_id : &k384;
		struct pair p;

		pair_setup(&p, id);
		set_list(p.scfg.key_schemes, &p.scfg.n_key_schemes,
			 &cases[i].scheme, 1);
		TAP_CHECK_EQ(pair_run(&p), 0);
		if (cases[i].alert) {
			TAP_CHECK_EQ(p.ck.alert_sent, cases[i].alert);
			TAP_CHECK_EQ(p.ck.done, 0);
		} else {
			TAP_CHECK_EQ(server_scheme(&p), cases[i].scheme);
		}
		if (p.ck.alert_sent != cases[i].alert)
			printf("# case: %s\n", cases[i].what);
		pair_free(&p);
	}
}

/*
 * The same rule for ECDSA (RFC 8446 §4.2.3: the curve is the scheme's): a
 * P-384 signature under a certificate whose key is P-256 is
 * illegal_parameter; a signature by another key of the right curve is
 * decrypt_error.
 */
TAP_TEST(ecdsa_curve_does_not_fit_the_key)
{
	struct ident k256, k384, other;
	struct pair p;

	TAP_CHECK_EQ(ident_make(cp, &k256, KTLS_SIG_ECDSA_SECP256R1_SHA256),
		     0);
	TAP_CHECK_EQ(ident_make(cp, &k384, KTLS_SIG_ECDSA_SECP384R1_SHA384),
		     0);
	TAP_CHECK_EQ(ident_make(cp, &other, KTLS_SIG_ECDSA_SECP256R1_SHA256),
		     0);
	/* k384 signs, the certificate carries k256's key */
	memcpy(k384.cert, k256.cert, k256.cert_len);
	k384.cert_len = k256.cert_len;
	pair_setup(&p, &k384);
	TAP_CHECK_EQ(pair_run(&p), 0);
	TAP_CHECK_EQ(p.ck.alert_sent, ALERT_ILLEGAL_PARAMETER);
	pair_free(&p);
	/* another P-256 key signs: the signature is bad */
	memcpy(other.cert, k256.cert, k256.cert_len);
	other.cert_len = k256.cert_len;
	pair_setup(&p, &other);
	TAP_CHECK_EQ(pair_run(&p), 0);
	TAP_CHECK_EQ(p.ck.alert_sent, 51);	/* decrypt_error */
	pair_free(&p);
}

/* ---- loading keys ---- */

TAP_TEST(pem_key_rsa_pss_pkcs8)
{
	static const struct {
		int h;
		bool mgf_default;
		int salt;
		unsigned int n;		/* 0: refused */
		uint16_t first;
	} cases[] = {
		{ -1, false, -1, 3, PSS256 },	/* no parameters: any */
		{ 0, false, 32, 1, PSS256 },
		{ 1, false, 48, 1, PSS384 },
		{ 2, false, 64, 1, PSS512 },
		{ 1, false, 20, 1, PSS384 },	/* salt at least 20 */
		{ 1, false, -1, 1, PSS384 },	/* saltLength default 20 */
		{ 0, false, 33, 0, 0 },		/* salt over the hash */
		{ 1, true, 48, 0, 0 },		/* MGF1 left at SHA-1 */
	};
	uint16_t schemes[KTLS_MAX_KEY_SCHEMES];
	uint8_t priv[KTLS_SIG_MAX_PRIV];
	unsigned int n;
	struct buf der;
	size_t pl;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret;

		pss_pkcs8(&der, &pss_id, cases[i].h, cases[i].mgf_default,
			  cases[i].salt);
		n = 99;
		ret = ktls_wolf_pem_key(der.b, der.n, priv, sizeof(priv), &pl,
					schemes, &n);
		if (!cases[i].n) {
			TAP_CHECK(ret != 0);
			continue;
		}
		TAP_CHECK_EQ(ret, 0);
		TAP_CHECK_EQ(n, cases[i].n);
		TAP_CHECK_EQ(schemes[0], cases[i].first);
		TAP_CHECK_EQ(pl, pss_id.priv_len);
		TAP_CHECK_MEM(priv, pss_id.priv, pss_id.priv_len);
	}
	pss_pkcs8(&der, &pss_id, -1, false, -1);
	TAP_CHECK_EQ(ktls_wolf_pem_key(der.b, der.n, priv, sizeof(priv), &pl,
				       schemes, &n), 0);
	TAP_CHECK_EQ(n, 3);
	TAP_CHECK_EQ(schemes[1], PSS384);
	TAP_CHECK_EQ(schemes[2], PSS512);
	/* a truncated key is no key */
	TAP_CHECK(ktls_wolf_pem_key(der.b, der.n - 7, priv, sizeof(priv),
				    &pl, schemes, &n) != 0);
	/* an RSA key in PKCS#1 still loads, with the three rsae schemes */
	TAP_CHECK_EQ(ktls_wolf_pem_key(rsa_id.priv, rsa_id.priv_len, priv,
				       sizeof(priv), &pl, schemes, &n), 0);
	TAP_CHECK_EQ(n, 3);
	TAP_CHECK_EQ(schemes[0], RSAE256);
	TAP_CHECK_EQ(schemes[2], RSAE512);
}

int main(void)
{
	if (ident_make(cp, &rsa_id, RSAE256) ||
	    ident_make(cp, &pss_id, PSS256)) {
		printf("1..0 # SKIP no RSA key generation\n");
		return 1;
	}
	return tap_run();
}
