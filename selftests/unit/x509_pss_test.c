// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * RSASSA-PSS keys (id-RSASSA-PSS SubjectPublicKeyInfo, RFC 4055 §1.2,
 * §3.1, §3.3) in x509_sig_request(), on AlgorithmIdentifiers built here:
 * a key without parameters allows any RSASSA-PSS signature we accept; a
 * key with parameters allows only its hash (and MGF1 hash) and a salt at
 * least as long as its own; a key left at the SHA-1 default is weak; such
 * a key never makes PKCS#1 v1.5 signatures; the RSA size rule applies.
 * (verify_pki_test.sh checks openssl's RSA-PSS keys end to end; openssl
 * refuses to make the signatures that break a key's parameters.)
 */
#include <stdint.h>
#include <stdio.h>

#include "x509_path.h"
#include "tap.h"
#include "x509_build.h"

static const uint8_t oid_pss[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
				   0x01, 0x0a };
static const uint8_t oid_mgf1[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
				    0x01, 0x08 };
static const uint8_t oid_sha256[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
				      0x04, 0x02, 0x01 };
static const uint8_t oid_sha384[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
				      0x04, 0x02, 0x02 };
static const uint8_t oid_rsa_sha256[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
					  0x01, 0x01, 0x0b };

/* AlgorithmIdentifier { hash, NULL } */
static void hash_alg(struct buf *o, const uint8_t *oid)
{
	struct buf a = { .n = 0 };

	tlv(&a, 0x06, oid, 9);
	tlv(&a, 0x05, "", 0);
	tlv(o, 0x30, a.b, a.n);
}

/* RSASSA-PSS-params with hash, MGF1(hash), saltLength; hash NULL: {} */
static void pss_params(struct buf *o, const uint8_t *hash, int salt)
{
	struct buf p = { .n = 0 }, f = { .n = 0 }, m = { .n = 0 };

	if (hash) {
		hash_alg(&f, hash);
		tlv(&p, 0xa0, f.b, f.n);
		memset(&f, 0, sizeof(f));
		tlv(&m, 0x06, oid_mgf1, sizeof(oid_mgf1));
		hash_alg(&m, hash);
		tlv(&f, 0x30, m.b, m.n);
		tlv(&p, 0xa1, f.b, f.n);
	}
	if (salt >= 0) {
		uint8_t i[3] = { 0x02, 0x01, (uint8_t)salt };

		tlv(&p, 0xa2, i, 3);
	}
	tlv(o, 0x30, p.b, p.n);
}

static struct buf sig_buf, key_buf, rsa_key;
static struct x509_algid sig_alg;
static struct x509_cert signer;

/* The signature's AlgorithmIdentifier: RSASSA-PSS, or sha256WithRSA. */
static void set_sig(const uint8_t *hash, int salt, bool pkcs1)
{
	struct buf a = { .n = 0 };
	struct der d;

	memset(&sig_buf, 0, sizeof(sig_buf));
	if (pkcs1) {
		tlv(&a, 0x06, oid_rsa_sha256, sizeof(oid_rsa_sha256));
		tlv(&a, 0x05, "", 0);
	} else {
		tlv(&a, 0x06, oid_pss, sizeof(oid_pss));
		pss_params(&a, hash, salt);
	}
	tlv(&sig_buf, 0x30, a.b, a.n);
	der_init(&d, sig_buf.b, sig_buf.n);
	if (x509_parse_algid(&d, &sig_alg))
		abort();
}

/*
 * The signer's key: id-RSASSA-PSS (with params unless key_params is
 * false) or rsaEncryption, and an RSAPublicKey of bits bits.
 */
static void set_key(bool pss, bool key_params, const uint8_t *hash, int salt,
		    unsigned int bits)
{
	struct buf a = { .n = 0 }, k = { .n = 0 }, n = { .n = 0 };
	struct der d;

	memset(&key_buf, 0, sizeof(key_buf));
	memset(&rsa_key, 0, sizeof(rsa_key));
	n.b[n.n++] = 0x00;
	n.b[n.n++] = 0xc1;
	memset(n.b + n.n, 0x5a, bits / 8 - 1);
	n.n += bits / 8 - 1;
	tlv(&k, 0x02, n.b, n.n);
	tlv(&k, 0x02, B(0x01, 0x00, 0x01));
	tlv(&rsa_key, 0x30, k.b, k.n);
	if (pss) {
		tlv(&a, 0x06, oid_pss, sizeof(oid_pss));
		if (key_params)
			pss_params(&a, hash, salt);
	} else {
		tlv(&a, 0x06, (const uint8_t[]){ 0x2a, 0x86, 0x48, 0x86, 0xf7,
						 0x0d, 0x01, 0x01, 0x01 }, 9);
		tlv(&a, 0x05, "", 0);
	}
	tlv(&key_buf, 0x30, a.b, a.n);
	memset(&signer, 0, sizeof(signer));
	der_init(&d, key_buf.b, key_buf.n);
	if (x509_parse_algid(&d, &signer.key_alg))
		abort();
	signer.key = (struct x509_span){ rsa_key.b, rsa_key.n };
}

static enum x509_verdict req(struct x509_sig_req *r)
{
	return x509_sig_request(&sig_alg, &signer, r);
}

TAP_TEST(pss_key_without_parameters)
{
	struct x509_sig_req r;

	set_key(true, false, NULL, -1, 2048);
	TAP_CHECK_EQ(signer.key_alg.alg, X509_ALG_RSA_PSS);
	TAP_CHECK_EQ(x509_rsa_bits(signer.key), 2048);
	set_sig(oid_sha256, 32, false);
	TAP_CHECK_EQ(req(&r), X509_VFY_OK);
	TAP_CHECK_EQ(r.kind, X509_SIG_RSA_PSS);
	TAP_CHECK_EQ(r.hash, X509_HASH_SHA256);
	TAP_CHECK_EQ(r.salt_len, 32);
	set_sig(oid_sha384, 0, false);
	TAP_CHECK_EQ(req(&r), X509_VFY_OK);
	TAP_CHECK_EQ(r.hash, X509_HASH_SHA384);
	/* the signature's own rules still hold: SHA-1 default is weak */
	set_sig(NULL, 20, false);
	TAP_CHECK_EQ(req(&r), X509_VFY_WEAK_ALGORITHM);
	/* never PKCS#1 v1.5 with an RSASSA-PSS key (RFC 4055 §1.2) */
	set_sig(NULL, -1, true);
	TAP_CHECK_EQ(req(&r), X509_VFY_UNSUPPORTED_ALGORITHM);
}

TAP_TEST(pss_key_parameters_constrain)
{
	struct x509_sig_req r;

	set_key(true, true, oid_sha256, 32, 2048);
	set_sig(oid_sha256, 32, false);
	TAP_CHECK_EQ(req(&r), X509_VFY_OK);
	set_sig(oid_sha256, 64, false);		/* a longer salt: allowed */
	TAP_CHECK_EQ(req(&r), X509_VFY_OK);
	TAP_CHECK_EQ(r.salt_len, 64);
	set_sig(oid_sha256, 31, false);		/* shorter than the key's */
	TAP_CHECK_EQ(req(&r), X509_VFY_UNSUPPORTED_ALGORITHM);
	set_sig(oid_sha384, 48, false);		/* another hash */
	TAP_CHECK_EQ(req(&r), X509_VFY_UNSUPPORTED_ALGORITHM);
	/* the key's salt defaults to 20 when absent */
	set_key(true, true, oid_sha256, -1, 2048);
	set_sig(oid_sha256, 20, false);
	TAP_CHECK_EQ(req(&r), X509_VFY_OK);
	set_sig(oid_sha256, 19, false);
	TAP_CHECK_EQ(req(&r), X509_VFY_UNSUPPORTED_ALGORITHM);
}

TAP_TEST(pss_key_weak)
{
	struct x509_sig_req r;

	/* parameters that leave the hash at SHA-1: only SHA-1 signatures */
	set_key(true, true, NULL, -1, 2048);
	set_sig(oid_sha256, 32, false);
	TAP_CHECK_EQ(req(&r), X509_VFY_WEAK_ALGORITHM);
	/* RSA below 2048 bits */
	set_key(true, false, NULL, -1, 1024);
	TAP_CHECK_EQ(x509_rsa_bits(signer.key), 1024);
	set_sig(oid_sha256, 32, false);
	TAP_CHECK_EQ(req(&r), X509_VFY_WEAK_ALGORITHM);
}

TAP_TEST(rsa_encryption_key_unchanged)
{
	struct x509_sig_req r;

	set_key(false, false, NULL, -1, 2048);
	TAP_CHECK_EQ(signer.key_alg.alg, X509_ALG_RSA);
	set_sig(oid_sha256, 20, false);
	TAP_CHECK_EQ(req(&r), X509_VFY_OK);
	set_sig(NULL, -1, true);
	TAP_CHECK_EQ(req(&r), X509_VFY_OK);
	TAP_CHECK_EQ(r.kind, X509_SIG_RSA_PKCS1);
}

int main(void)
{
	return tap_run();
}
