// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The verifier's plumbing, on the PKI of x509_pki.sh (made by openssl at
 * test time): the PEM reader's rules, trust store loading and its errors,
 * the shared refcounted store (one load per path, a flush makes the next
 * setup load again while verifiers set up before keep working, also with
 * threads verifying during flushes, under ASan), and ktls_wolf_verify as
 * the engine calls it: alerts, reasons, identity and the kept leaf.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tap.h"
#include "ktls.h"
#include "ktls_providers.h"
#include "x509_path.h"
#include "x509_pem.h"

static char dir[64];
static char root_path[128];

static bool starts(const char *s, const char *prefix)
{
	return s && !strncmp(s, prefix, strlen(prefix));
}

static void cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (dir[0] && system(cmd))
		fprintf(stderr, "could not remove %s\n", dir);
}

static bool pki(void)
{
	static int state;
	char cmd[256];

	if (state)
		return state > 0;
	state = -1;
	strcpy(dir, "/tmp/verify_store.XXXXXX");
	if (!mkdtemp(dir)) {
		dir[0] = 0;
		return false;
	}
	atexit(cleanup);
	snprintf(cmd, sizeof(cmd),
		 "selftests/unit/x509_pki.sh '%s' >'%s/log' 2>&1 || "
		 "{ sed 's/^/# /' '%s/log'; exit 1; }", dir, dir, dir);
	if (system(cmd))
		return false;
	state = 1;
	return true;
}

static const char *path(const char *name)
{
	static char buf[4][128];
	static unsigned int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

struct blob {
	uint8_t *p;
	size_t len;
};

static struct blob load(const char *name)
{
	struct blob b = { 0 };
	struct stat st;
	FILE *f = fopen(path(name), "rb");

	if (!f)
		return b;
	if (!fstat(fileno(f), &st) && st.st_size > 0) {
		b.len = (size_t)st.st_size;
		b.p = malloc(b.len);
		if (b.p && fread(b.p, 1, b.len, f) != b.len) {
			free(b.p);
			b.p = NULL;
		}
	}
	fclose(f);
	return b;
}

static int pem(const char *text, const char *label, uint8_t *out,
	       size_t *len)
{
	size_t pos = 0;

	return x509_pem_next((const uint8_t *)text, strlen(text), &pos, label,
			     out, 64, len);
}

TAP_TEST(pem_reader)
{
	uint8_t out[64];
	size_t len = 0, pos = 0;
	const char *two = "x\n-----BEGIN CERTIFICATE-----\nYWJj\n"
			  "-----END CERTIFICATE-----\n-----BEGIN X509 CRL-----\n"
			  "YQ==\n-----END X509 CRL-----\n"
			  "-----BEGIN CERTIFICATE-----\r\n YW\tI=\n"
			  "-----END CERTIFICATE-----\n";

	TAP_CHECK_EQ(pem("-----BEGIN CERTIFICATE-----\nYWJj\n"
			 "-----END CERTIFICATE-----\n", "CERTIFICATE", out,
			 &len), 1);
	TAP_CHECK(len == 3 && !memcmp(out, "abc", 3));
	/* padding: one '=' for 2 bytes, two for 1 */
	TAP_CHECK_EQ(pem("-----BEGIN A-----YWI=-----END A-----", "A", out,
			 &len), 1);
	TAP_CHECK(len == 2 && !memcmp(out, "ab", 2));
	TAP_CHECK_EQ(pem("-----BEGIN A-----YQ==-----END A-----", "A", out,
			 &len), 1);
	TAP_CHECK(len == 1 && out[0] == 'a');
	/* refused: wrong padding, data after it, bad characters, no END,
	 * nonzero leftover bits, an empty block */
	TAP_CHECK_EQ(pem("-----BEGIN A-----YQ=-----END A-----", "A", out,
			 &len), -1);
	TAP_CHECK_EQ(pem("-----BEGIN A-----YQ==YQ==-----END A-----", "A", out,
			 &len), -1);
	TAP_CHECK_EQ(pem("-----BEGIN A-----YW*j-----END A-----", "A", out,
			 &len), -1);
	TAP_CHECK_EQ(pem("-----BEGIN A-----YWJj\n", "A", out, &len), -1);
	TAP_CHECK_EQ(pem("-----BEGIN A-----YR==-----END A-----", "A", out,
			 &len), -1);
	TAP_CHECK_EQ(pem("-----BEGIN A----------END A-----", "A", out, &len),
		     -1);
	TAP_CHECK_EQ(pem("no block here", "A", out, &len), 0);
	/* too big for the output */
	TAP_CHECK_EQ(x509_pem_next((const uint8_t *)"-----BEGIN A-----YWJj"
				   "-----END A-----", 35, &pos, "A", out, 2,
				   &len), -1);
	/* other labels skipped, whitespace anywhere in the base64 */
	pos = 0;
	TAP_CHECK_EQ(x509_pem_next((const uint8_t *)two, strlen(two), &pos,
				   "CERTIFICATE", out, 64, &len), 1);
	TAP_CHECK(len == 3);
	TAP_CHECK_EQ(x509_pem_next((const uint8_t *)two, strlen(two), &pos,
				   "CERTIFICATE", out, 64, &len), 1);
	TAP_CHECK(len == 2 && !memcmp(out, "ab", 2));
	TAP_CHECK_EQ(x509_pem_next((const uint8_t *)two, strlen(two), &pos,
				   "CERTIFICATE", out, 64, &len), 0);
}

TAP_TEST(store_loading)
{
	struct x509_store s;
	FILE *f;

	if (!pki()) {
		TAP_CHECK(!"PKI");
		return;
	}
	x509_store_init(&s);
	TAP_CHECK_EQ(x509_store_load_certs(&s, path("nonexistent.pem")),
		     -ENOENT);
	/* PEM and DER files; a certificate given twice is stored once */
	TAP_CHECK_EQ(x509_store_load_certs(&s, path("root.pem")), 1);
	TAP_CHECK_EQ(x509_store_load_certs(&s, path("root.der")), 1);
	TAP_CHECK_EQ(s.n_certs, 1u);
	TAP_CHECK_EQ(x509_store_load_certs(&s, path("inter.pem")), 1);
	TAP_CHECK_EQ(s.n_certs, 2u);
	/* a file of no certificates: nothing added, counted as skipped */
	f = fopen(path("junk.pem"), "w");
	if (f) {
		fputs("-----BEGIN CERTIFICATE-----\nAAAA\n"
		      "-----END CERTIFICATE-----\n", f);
		fclose(f);
	}
	TAP_CHECK_EQ(x509_store_load_certs(&s, path("junk.pem")), 0);
	TAP_CHECK(s.skipped >= 1);
	TAP_CHECK_EQ(x509_store_load_crls(&s, path("crl.pem")), 1);
	TAP_CHECK_EQ(x509_store_load_crls(&s, path("crl.der")), 1);
	TAP_CHECK_EQ(s.n_crls, 2u);
	x509_store_free(&s);
	TAP_CHECK_EQ(s.n_certs, 0u);
}

static struct blob leaf, inter;

static void chain_of(struct ktls_chain *c)
{
	memset(c, 0, sizeof(*c));
	c->n = 2;
	c->der[0] = leaf.p;
	c->len[0] = leaf.len;
	c->der[1] = inter.p;
	c->len[1] = inter.len;
}

TAP_TEST(verifier_verdicts)
{
	static struct ktls_wolf_verifier v;
	struct ktls_chain c;
	const char *why = NULL;

	if (!pki()) {
		TAP_CHECK(!"PKI");
		return;
	}
	leaf = load("leaf.der");
	inter = load("inter.der");
	TAP_CHECK(leaf.p && inter.p);
	if (!leaf.p || !inter.p)
		return;
	chain_of(&c);
	TAP_CHECK_EQ(ktls_wolf_verifier_setup(&v, path("root.pem"), NULL,
					      KTLS_PURPOSE_SERVER,
					      KTLS_REVOCATION_OFF), 0);
	TAP_CHECK_EQ(ktls_wolf_verify(&v, &c, "www.example.com", &why), 0);
	TAP_CHECK(starts(why, "verified: 'CN=www.example.com', path of 3"));
	TAP_CHECK(starts(v.identity, "subject 'CN=www.example.com', "
			 "issuer 'O=ktlsd test, CN=Test Intermediate', "
			 "serial 10:01, not after "));
	TAP_CHECK(v.leaf_len == leaf.len &&
		  !memcmp(v.leaf, leaf.p, leaf.len));
	TAP_CHECK_EQ(ktls_wolf_verify(&v, &c, "10.1.2.3", &why), 0);
	TAP_CHECK_EQ(ktls_wolf_verify(&v, &c, "wrong.example.com", &why), 42);
	TAP_CHECK(starts(why, "name does not match the certificate"));
	TAP_CHECK(!v.identity[0] && !v.leaf_len);
	/* the intermediate missing: unknown_ca */
	c.n = 1;
	TAP_CHECK_EQ(ktls_wolf_verify(&v, &c, "www.example.com", &why), 48);
	c.n = 0;
	TAP_CHECK_EQ(ktls_wolf_verify(&v, &c, NULL, &why), 42);
	ktls_wolf_verifier_fini(&v);
	TAP_CHECK(!v.trust);

	/* the CRL (by the intermediate) revokes the leaf, 0x1001 */
	chain_of(&c);
	TAP_CHECK_EQ(ktls_wolf_verifier_setup(&v, path("root.pem"),
					      path("crl.pem"),
					      KTLS_PURPOSE_CLIENT,
					      KTLS_REVOCATION_SOFT), 0);
	TAP_CHECK_EQ(ktls_wolf_verify(&v, &c, NULL, &why), 44);
	TAP_CHECK(starts(why, "certificate revoked: 'CN=www.example.com' "
			 "(serial 10:01)"));
	ktls_wolf_verifier_fini(&v);
	/* the leaf's stapled OCSP response (chain->ocsp), soft-fail, no CRL */
	{
		struct blob good = load("ocsp_good.der"),
			    revoked = load("ocsp_revoked.der");

		TAP_CHECK(good.p && revoked.p);
		chain_of(&c);
		TAP_CHECK_EQ(ktls_wolf_verifier_setup(&v, path("root.pem"),
						      NULL, KTLS_PURPOSE_SERVER,
						      KTLS_REVOCATION_SOFT), 0);
		c.ocsp = good.p;
		c.ocsp_len = good.len;
		TAP_CHECK_EQ(ktls_wolf_verify(&v, &c, NULL, &why), 0);
		c.ocsp = revoked.p;
		c.ocsp_len = revoked.len;
		TAP_CHECK_EQ(ktls_wolf_verify(&v, &c, NULL, &why), 44);
		TAP_CHECK(starts(why, "certificate revoked: 'CN=www.example.com' "
				 "(serial 10:01) was revoked on 2025-01-01"));
		TAP_CHECK(strstr(why, "stapled OCSP response") != NULL);
		/* truncated: bad_certificate_status_response */
		c.ocsp = good.p;
		c.ocsp_len = good.len / 2;
		TAP_CHECK_EQ(ktls_wolf_verify(&v, &c, NULL, &why), 113);
		TAP_CHECK(starts(why, "the stapled OCSP response is unusable: "
				 "malformed: truncated"));
		ktls_wolf_verifier_fini(&v);
		/* revocation off: the staple is not looked at */
		TAP_CHECK_EQ(ktls_wolf_verifier_setup(&v, path("root.pem"),
						      NULL, KTLS_PURPOSE_SERVER,
						      KTLS_REVOCATION_OFF), 0);
		TAP_CHECK_EQ(ktls_wolf_verify(&v, &c, NULL, &why), 0);
		c.ocsp = revoked.p;
		c.ocsp_len = revoked.len;
		TAP_CHECK_EQ(ktls_wolf_verify(&v, &c, NULL, &why), 0);
		ktls_wolf_verifier_fini(&v);
		free(good.p);
		free(revoked.p);
	}
	/* an unreadable trust store is a setup error with a reason */
	TAP_CHECK(ktls_wolf_verifier_setup(&v, path("nonexistent.pem"), NULL,
					   KTLS_PURPOSE_SERVER,
					   KTLS_REVOCATION_OFF) != 0);
	TAP_CHECK(strstr(v.msg, "No such file") != NULL);
}

TAP_TEST(shared_store_and_reload)
{
	static struct ktls_wolf_verifier a, b, d;
	struct ktls_chain c;
	const char *why;
	char err[128];
	struct ktls_trust *t1, *t2;

	if (!pki() || !leaf.p) {
		TAP_CHECK(!"PKI");
		return;
	}
	chain_of(&c);
	t1 = ktls_trust_get(path("root.pem"), NULL, err, sizeof(err));
	t2 = ktls_trust_get(path("root.pem"), NULL, err, sizeof(err));
	TAP_CHECK(t1 && t1 == t2);	/* loaded once, shared */
	ktls_trust_put(t2);
	TAP_CHECK_EQ(ktls_wolf_verifier_setup(&a, path("root.pem"), NULL, 0, 0),
		     0);
	TAP_CHECK(a.trust == t1);
	/* a reload: the next setup loads again, the old store lives on */
	ktls_trust_flush();
	TAP_CHECK_EQ(ktls_wolf_verifier_setup(&b, path("root.pem"), NULL, 0, 0),
		     0);
	TAP_CHECK(b.trust && b.trust != t1);
	TAP_CHECK_EQ(ktls_wolf_verify(&a, &c, "www.example.com", &why), 0);
	TAP_CHECK_EQ(ktls_wolf_verify(&b, &c, "www.example.com", &why), 0);
	ktls_trust_put(t1);
	ktls_wolf_verifier_fini(&a);	/* the last reference to t1 */
	TAP_CHECK_EQ(ktls_wolf_verify(&b, &c, "www.example.com", &why), 0);
	ktls_wolf_verifier_fini(&b);
	/* another CA file is another store */
	TAP_CHECK_EQ(ktls_wolf_verifier_setup(&d, path("inter.pem"), NULL, 0,
					      0), 0);
	TAP_CHECK_EQ(ktls_wolf_verify(&d, &c, "www.example.com", &why), 0);
	ktls_wolf_verifier_fini(&d);
}

static void *verify_loop(void *arg)
{
	struct ktls_wolf_verifier *v = malloc(sizeof(*v));
	struct ktls_chain c;
	const char *why;
	long bad = 0;

	(void)arg;
	if (!v)
		return (void *)1;
	chain_of(&c);
	for (int i = 0; i < 40; i++) {
		if (ktls_wolf_verifier_setup(v, root_path, NULL, 0, 0)) {
			bad++;
			continue;
		}
		bad += ktls_wolf_verify(v, &c, "www.example.com", &why) != 0;
		ktls_wolf_verifier_fini(v);
	}
	free(v);
	return (void *)bad;
}

TAP_TEST(reload_during_handshakes)
{
	pthread_t th[3];
	void *bad;
	long total = 0;

	if (!pki() || !leaf.p) {
		TAP_CHECK(!"PKI");
		return;
	}
	snprintf(root_path, sizeof(root_path), "%s", path("root.pem"));
	for (int i = 0; i < 3; i++)
		TAP_CHECK_EQ(pthread_create(&th[i], NULL, verify_loop, NULL), 0);
	for (int i = 0; i < 40; i++)
		ktls_trust_flush();
	for (int i = 0; i < 3; i++) {
		pthread_join(th[i], &bad);
		total += (long)bad;
	}
	TAP_CHECK_EQ(total, 0);
	ktls_trust_flush();
	free(leaf.p);
	free(inter.p);
}

int main(void)
{
	return tap_run();
}
