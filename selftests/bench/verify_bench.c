// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * verify_bench: chain verifications per CPU-second for a 3-certificate
 * P-256 chain (root > intermediate > leaf, ECDSA with SHA-256), ours
 * (x509_verify with wolfCrypt signatures, the verifier the engine uses)
 * beside OpenSSL's X509_verify_cert, in the same run on the same chain.
 *
 * Both start from what a TLS stack receives: the leaf and intermediate as
 * DER, parsed on every verification; the trust store (the root) is loaded
 * once. Both check the serverAuth purpose and the host name. The chain is
 * made here with OpenSSL's API; nothing is read from disk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "ktls_providers.h"
#include "x509_path.h"

#define SECONDS 2.0

static double cpu_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void add_ext(X509 *c, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;

	X509V3_set_ctx(&ctx, issuer, c, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!e || !X509_add_ext(c, e, -1)) {
		fprintf(stderr, "verify_bench: extension %d\n", nid);
		exit(1);
	}
	X509_EXTENSION_free(e);
}

static X509 *make(const char *cn, EVP_PKEY *key, X509 *issuer,
		  EVP_PKEY *issuer_key, long serial, bool ca)
{
	X509 *c = X509_new();
	X509_NAME *name = X509_NAME_new();

	X509_set_version(c, X509_VERSION_3);
	ASN1_INTEGER_set(X509_get_serialNumber(c), serial);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(c, name);
	X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : name);
	X509_gmtime_adj(X509_getm_notBefore(c), -3600);
	X509_gmtime_adj(X509_getm_notAfter(c), 30L * 86400);
	X509_set_pubkey(c, key);
	add_ext(c, issuer ? issuer : c, NID_basic_constraints,
		ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
	add_ext(c, issuer ? issuer : c, NID_key_usage,
		ca ? "critical,keyCertSign,cRLSign" :
		"critical,digitalSignature");
	if (!ca) {
		add_ext(c, issuer, NID_ext_key_usage, "serverAuth");
		add_ext(c, issuer, NID_subject_alt_name, "DNS:bench.example");
	}
	if (!X509_sign(c, issuer ? issuer_key : key, EVP_sha256())) {
		fprintf(stderr, "verify_bench: signing %s\n", cn);
		exit(1);
	}
	X509_NAME_free(name);
	return c;
}

static size_t to_der(X509 *c, uint8_t **der)
{
	int n = i2d_X509(c, der);

	if (n <= 0)
		exit(1);
	return (size_t)n;
}

int main(void)
{
	EVP_PKEY *rk = EVP_EC_gen("P-256"), *ik = EVP_EC_gen("P-256"),
		 *lk = EVP_EC_gen("P-256");
	X509 *root = make("bench root", rk, NULL, NULL, 1, true);
	X509 *inter = make("bench inter", ik, root, rk, 2, true);
	X509 *leaf = make("bench leaf", lk, inter, ik, 3, false);
	uint8_t *root_der = NULL, *der[2] = { NULL, NULL };
	size_t root_len, len[2];
	static struct x509_chain_ctx xctx;
	struct x509_store store;
	struct x509_path path;
	struct x509_verify_params p = {
		.purpose = X509_PURPOSE_SERVER,
		.name = "bench.example",
		.now = (int64_t)time(NULL),
		.revocation = X509_REV_OFF,
		.verify_sig = ktls_wolf_x509_sig,
	};
	X509_STORE *ost = X509_STORE_new();
	X509_VERIFY_PARAM *vp;
	unsigned long ours = 0, theirs = 0;
	double t0, ours_s, theirs_s;

	if (!rk || !ik || !lk || !ost)
		return 1;
	root_len = to_der(root, &root_der);
	len[0] = to_der(leaf, &der[0]);
	len[1] = to_der(inter, &der[1]);

	/* ours */
	x509_store_init(&store);
	if (x509_store_add_cert(&store, root_der, root_len))
		return 1;
	if (x509_verify(&store, (const uint8_t *const *)der, len, 2, &p, &xctx,
			&path)) {
		fprintf(stderr, "verify_bench: ours refuses: %s\n", path.msg);
		return 1;
	}
	t0 = cpu_now();
	do {
		for (int i = 0; i < 50; i++)
			if (x509_verify(&store, (const uint8_t *const *)der,
					len, 2, &p, &xctx, &path))
				return 1;
		ours += 50;
	} while ((ours_s = cpu_now() - t0) < SECONDS);

	/* OpenSSL: parse the peer's DER, build, verify, every time */
	X509_STORE_add_cert(ost, root);
	vp = X509_STORE_get0_param(ost);
	X509_VERIFY_PARAM_set_purpose(vp, X509_PURPOSE_SSL_SERVER);
	X509_VERIFY_PARAM_set1_host(vp, "bench.example", 0);
	t0 = cpu_now();
	do {
		for (int i = 0; i < 50; i++) {
			const unsigned char *a = der[0], *b = der[1];
			X509 *l = d2i_X509(NULL, &a, (long)len[0]);
			X509 *m = d2i_X509(NULL, &b, (long)len[1]);
			STACK_OF(X509) *untrusted = sk_X509_new_null();
			X509_STORE_CTX *ctx = X509_STORE_CTX_new();
			int ok;

			sk_X509_push(untrusted, m);
			ok = X509_STORE_CTX_init(ctx, ost, l, untrusted) &&
			     X509_verify_cert(ctx) == 1;
			X509_STORE_CTX_free(ctx);
			sk_X509_pop_free(untrusted, X509_free);
			X509_free(l);
			if (!ok) {
				fprintf(stderr, "verify_bench: OpenSSL refuses\n");
				return 1;
			}
		}
		theirs += 50;
	} while ((theirs_s = cpu_now() - t0) < SECONDS);

	printf("verify_bench: 3-certificate P-256 chain (ECDSA-SHA256), "
	       "DER to verdict, serverAuth and host name\n");
	printf("  ktls x509_verify (wolfCrypt signatures): %10.0f /s\n",
	       ours / ours_s);
	printf("  OpenSSL X509_verify_cert:                %10.0f /s\n",
	       theirs / theirs_s);
	printf("  ratio ours / OpenSSL:                    %10.2f\n",
	       (ours / ours_s) / (theirs / theirs_s));
	x509_store_free(&store);
	X509_STORE_free(ost);
	X509_free(leaf);
	X509_free(inter);
	X509_free(root);
	EVP_PKEY_free(rk);
	EVP_PKEY_free(ik);
	EVP_PKEY_free(lk);
	OPENSSL_free(root_der);
	OPENSSL_free(der[0]);
	OPENSSL_free(der[1]);
	return 0;
}
