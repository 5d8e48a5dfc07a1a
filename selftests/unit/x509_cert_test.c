// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Certificates and CRLs made by openssl at test time (x509_pki.sh) parse to
 * the values openssl put in them; host names and name constraints work on
 * them; and malformed inputs, real ones cut or corrupted and synthetic ones
 * built here, fail cleanly with the expected reason and field.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "x509_cert.h"
#include "x509_crl.h"
#include "x509_names.h"
#include "tap.h"
#include "x509_build.h"

/* ---- the PKI, generated once per run ---- */

struct blob {
	uint8_t *p;
	size_t len;
};

static struct {
	const char *name;
	struct x509_cert *cert;
	struct blob blob;
} cache[32];

static char pki_dir[64];
static int pki_state;		/* 0: not yet, 1: ready, -1: failed */

static void pki_cleanup(void)
{
	char cmd[128];

	if (pki_dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", pki_dir);
		for (unsigned int i = 0; i < 32; i++) {
			free(cache[i].cert);
			free(cache[i].blob.p);
		}
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", pki_dir);
	}
}

static bool pki(void)
{
	char cmd[256];

	if (pki_state)
		return pki_state > 0;
	pki_state = -1;
	strcpy(pki_dir, "/tmp/x509_pki.XXXXXX");
	if (!mkdtemp(pki_dir)) {
		printf("# mkdtemp failed\n");
		pki_dir[0] = 0;
		return false;
	}
	atexit(pki_cleanup);
	snprintf(cmd, sizeof(cmd),
		 "selftests/unit/x509_pki.sh '%s' >'%s/log' 2>&1 || "
		 "{ sed 's/^/# /' '%s/log'; exit 1; }", pki_dir, pki_dir,
		 pki_dir);
	if (system(cmd)) {
		printf("# x509_pki.sh failed\n");
		return false;
	}
	pki_state = 1;
	return true;
}

/* NAME.der from the PKI, in a heap buffer of exactly its size. */
static struct blob load(const char *name)
{
	struct blob b = { 0 };
	char path[128];
	struct stat st;
	FILE *f;

	if (!pki())
		return b;
	snprintf(path, sizeof(path), "%s/%s.der", pki_dir, name);
	f = fopen(path, "rb");
	if (!f || fstat(fileno(f), &st)) {
		printf("# cannot open %s\n", path);
		if (f)
			fclose(f);
		return b;
	}
	b.len = (size_t)st.st_size;
	b.p = malloc(b.len);
	if (fread(b.p, 1, b.len, f) != b.len) {
		free(b.p);
		b.p = NULL;
		b.len = 0;
	}
	fclose(f);
	return b;
}

/*
 * Parsed certificates point into their blobs; both are cached by name and
 * stay reachable until exit.
 */
static struct x509_cert *parsed(const char *name)
{
	struct x509_error e;
	enum x509_err r;
	unsigned int i;

	for (i = 0; i < 32 && cache[i].name; i++)
		if (!strcmp(cache[i].name, name))
			return cache[i].cert;
	if (i == 32)
		abort();
	cache[i].blob = load(name);
	if (!cache[i].blob.p)
		return NULL;
	cache[i].cert = calloc(1, sizeof(struct x509_cert));
	r = x509_cert_parse(cache[i].cert, cache[i].blob.p, cache[i].blob.len,
			    &e);
	if (r) {
		printf("# %s: %s: %s\n", name, e.where, x509_strerror(r));
		free(cache[i].cert);
		free(cache[i].blob.p);
		cache[i].cert = NULL;
		cache[i].blob.p = NULL;
		return NULL;
	}
	cache[i].name = name;
	return cache[i].cert;
}

#define CERT(var, name)							\
	struct x509_cert *var = parsed(name);				\
	TAP_CHECK(var != NULL);						\
	if (!var)							\
		return

static struct x509_span str(const char *s)
{
	return (struct x509_span){ (const uint8_t *)s, strlen(s) };
}

static bool san_is(const struct x509_general_name *g, enum x509_gn_type t,
		   const void *v, size_t n)
{
	return g->type == t && g->value.len == n && !memcmp(g->value.p, v, n);
}

/* ---- certificates from openssl ---- */

TAP_TEST(leaf_fields)
{
	static const uint8_t v4[] = { 10, 1, 2, 3 };
	static const uint8_t v6[] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
				      0, 0, 0, 0, 0, 0, 0, 1 };
	static const uint8_t p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
					0x3d, 0x03, 0x01, 0x07 };
	CERT(leaf, "leaf");
	CERT(inter, "inter");
	time_t now = time(NULL);

	TAP_CHECK_EQ(leaf->version, 3);
	TAP_CHECK_EQ(leaf->serial.len, 2);
	TAP_CHECK_MEM(leaf->serial.p, "\x10\x01", 2);
	TAP_CHECK_EQ(leaf->sig_alg.alg, X509_ALG_ECDSA_SHA256);
	TAP_CHECK_EQ(leaf->sig_alg.params.len, 0);
	TAP_CHECK_EQ(leaf->key_alg.alg, X509_ALG_EC);
	TAP_CHECK_EQ(leaf->key_alg.params.len, sizeof(p256));
	TAP_CHECK_MEM(leaf->key_alg.params.p, p256, sizeof(p256));
	TAP_CHECK_EQ(leaf->key.len, 65);	/* uncompressed P-256 point */
	TAP_CHECK_EQ(leaf->key.p[0], 0x04);
	TAP_CHECK(leaf->sig.len >= 8 && leaf->sig.p[0] == 0x30);
	/* spans nest as the ASN.1 does */
	TAP_CHECK(leaf->tbs.p > leaf->raw.p);
	TAP_CHECK(leaf->tbs.p + leaf->tbs.len < leaf->raw.p + leaf->raw.len);
	TAP_CHECK(leaf->spki.p > leaf->tbs.p &&
		  leaf->spki.p + leaf->spki.len <= leaf->tbs.p + leaf->tbs.len);
	TAP_CHECK(leaf->key.p + leaf->key.len == leaf->spki.p + leaf->spki.len);
	/* chain by names, byte-wise */
	TAP_CHECK(x509_span_eq(leaf->issuer, inter->subject));
	TAP_CHECK(!x509_span_eq(leaf->subject, inter->subject));
	/* openssl -days 30 from now */
	TAP_CHECK_EQ(leaf->not_after - leaf->not_before, 30 * 86400);
	TAP_CHECK(leaf->not_before <= now && now - leaf->not_before < 3600);

	TAP_CHECK_EQ(leaf->ext_present,
		     X509_EXT_BASIC_CONSTRAINTS | X509_EXT_KEY_USAGE |
		     X509_EXT_EXT_KEY_USAGE | X509_EXT_SUBJECT_ALT_NAME |
		     X509_EXT_SUBJECT_KEY_ID | X509_EXT_AUTHORITY_KEY_ID);
	TAP_CHECK_EQ(leaf->n_ext, 6);
	TAP_CHECK(!leaf->unknown_critical);
	TAP_CHECK(!leaf->ca);
	TAP_CHECK_EQ(leaf->path_len, -1);
	TAP_CHECK_EQ(leaf->key_usage, X509_KU_DIGITAL_SIGNATURE);
	TAP_CHECK_EQ(leaf->eku, X509_EKU_SERVER_AUTH | X509_EKU_CLIENT_AUTH);
	TAP_CHECK_EQ(leaf->n_san, 4);
	TAP_CHECK(san_is(&leaf->san[0], X509_GN_DNS, "www.example.com", 15));
	TAP_CHECK(san_is(&leaf->san[1], X509_GN_DNS, "example.com", 11));
	TAP_CHECK(san_is(&leaf->san[2], X509_GN_IP, v4, 4));
	TAP_CHECK(san_is(&leaf->san[3], X509_GN_IP, v6, 16));
	TAP_CHECK_EQ(leaf->ski.len, 20);
	TAP_CHECK(x509_span_eq(leaf->aki.key_id, inter->ski));
	TAP_CHECK_EQ(leaf->aki.issuer.len, 0);
	TAP_CHECK_EQ(leaf->n_permitted + leaf->n_excluded, 0);
}

TAP_TEST(root_ca_pathlen)
{
	CERT(root, "root");

	TAP_CHECK_EQ(root->version, 3);
	TAP_CHECK(root->ca);
	TAP_CHECK_EQ(root->path_len, 1);
	TAP_CHECK_EQ(root->key_usage, X509_KU_KEY_CERT_SIGN | X509_KU_CRL_SIGN);
	TAP_CHECK_EQ(root->key_alg.alg, X509_ALG_RSA);
	/* rsaEncryption parameters: NULL */
	TAP_CHECK_EQ(root->key_alg.params.len, 2);
	TAP_CHECK_MEM(root->key_alg.params.p, "\x05\x00", 2);
	TAP_CHECK_EQ(root->sig_alg.alg, X509_ALG_RSA_SHA256);
	TAP_CHECK(x509_span_eq(root->issuer, root->subject));
	TAP_CHECK_EQ(root->sig.len, 256);
	TAP_CHECK_EQ(root->serial.len, 1);
	TAP_CHECK_EQ(root->serial.p[0], 1);
}

TAP_TEST(intermediate_name_constraints)
{
	static const uint8_t net10[] = { 10, 0, 0, 0, 255, 0, 0, 0 };
	static const uint8_t db8[] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
				       0, 0, 0, 0, 0, 0, 0, 0,
				       0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0,
				       0, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t net10_66[] = { 10, 66, 0, 0, 255, 255, 0, 0 };
	CERT(inter, "inter");
	CERT(root, "root");

	TAP_CHECK(inter->ca);
	TAP_CHECK_EQ(inter->path_len, 0);
	TAP_CHECK(inter->ext_present & X509_EXT_NAME_CONSTRAINTS);
	TAP_CHECK(x509_span_eq(inter->issuer, root->subject));
	TAP_CHECK(x509_span_eq(inter->aki.key_id, root->ski));
	TAP_CHECK_EQ(inter->n_permitted, 3);
	TAP_CHECK(san_is(&inter->permitted[0], X509_GN_DNS, "example.com", 11));
	TAP_CHECK(san_is(&inter->permitted[1], X509_GN_IP, net10, 8));
	TAP_CHECK(san_is(&inter->permitted[2], X509_GN_IP, db8, 32));
	TAP_CHECK_EQ(inter->n_excluded, 2);
	TAP_CHECK(san_is(&inter->excluded[0], X509_GN_DNS,
			 "secret.example.com", 18));
	TAP_CHECK(san_is(&inter->excluded[1], X509_GN_IP, net10_66, 8));
}

TAP_TEST(eku_variants)
{
	CERT(any, "eku_any");
	CERT(client, "eku_client");
	CERT(code, "eku_code");
	CERT(root, "root");

	TAP_CHECK_EQ(any->eku, X509_EKU_ANY);
	TAP_CHECK_EQ(client->eku, X509_EKU_CLIENT_AUTH);
	TAP_CHECK_EQ(code->eku, X509_EKU_OTHER);
	TAP_CHECK(!(root->ext_present & X509_EXT_EXT_KEY_USAGE));
}

TAP_TEST(unknown_critical_extension_flagged)
{
	/* 1.3.6.1.4.1.55555.1 */
	static const uint8_t oid[] = { 0x2b, 0x06, 0x01, 0x04, 0x01,
				       0x83, 0xb2, 0x03, 0x01 };
	CERT(crit, "crit");
	CERT(noncrit, "noncrit");
	unsigned int i, found = 0;

	TAP_CHECK(crit->unknown_critical);
	TAP_CHECK(der_oid_is(crit->unknown_critical_oid, oid, sizeof(oid)));
	TAP_CHECK(!noncrit->unknown_critical);
	for (i = 0; i < noncrit->n_ext; i++) {
		if (der_oid_is(noncrit->ext[i].oid, oid, sizeof(oid))) {
			found++;
			TAP_CHECK(!noncrit->ext[i].critical);
			TAP_CHECK(!noncrit->ext[i].understood);
			TAP_CHECK_EQ(noncrit->ext[i].value.len, 2);
		}
	}
	TAP_CHECK_EQ(found, 1);
}

TAP_TEST(ed25519_generalized_time)
{
	CERT(ed, "ed");

	TAP_CHECK_EQ(ed->key_alg.alg, X509_ALG_ED25519);
	TAP_CHECK_EQ(ed->key_alg.params.len, 0);
	TAP_CHECK_EQ(ed->key.len, 32);
	TAP_CHECK_EQ(ed->not_before, 1735689600);	/* 2025-01-01 UTCTime */
	TAP_CHECK_EQ(ed->not_after, 2556144000);	/* 2051-01-01 GenTime */
}

TAP_TEST(host_names_on_real_certs)
{
	CERT(leaf, "leaf");
	CERT(wild, "wild");
	CERT(evil, "evil");
	struct x509_error e;

	TAP_CHECK_EQ(x509_match_host(leaf, "www.example.com", &e), X509_OK);
	TAP_CHECK_EQ(x509_match_host(leaf, "EXAMPLE.com.", &e), X509_OK);
	TAP_CHECK_EQ(x509_match_host(leaf, "10.1.2.3", &e), X509_OK);
	TAP_CHECK_EQ(x509_match_host(leaf, "2001:db8:0::1", &e), X509_OK);
	TAP_CHECK_EQ(x509_match_host(leaf, "10.1.2.4", &e),
		     X509_E_NAME_MISMATCH);
	TAP_CHECK_EQ(x509_match_host(leaf, "mail.example.com", &e),
		     X509_E_NAME_MISMATCH);
	TAP_CHECK_EQ(x509_match_host(wild, "a.example.com", &e), X509_OK);
	TAP_CHECK_EQ(x509_match_host(wild, "example.com", &e),
		     X509_E_NAME_MISMATCH);
	TAP_CHECK_EQ(x509_match_host(wild, "a.b.example.com", &e),
		     X509_E_NAME_MISMATCH);
	/* CN=evil, SAN www.evil.com: no Common Name fallback */
	TAP_CHECK_EQ(x509_match_host(evil, "evil", &e), X509_E_NAME_MISMATCH);
	TAP_CHECK_EQ(x509_match_host(evil, "www.evil.com", &e), X509_OK);
}

TAP_TEST(name_constraints_on_real_certs)
{
	CERT(inter, "inter");
	CERT(ca2, "ca2");
	CERT(root, "root");
	static const struct {
		const char *leaf;
		enum x509_err r;
	} t[] = {
		{ "leaf", X509_OK },
		/* *.example.com also stands for secret.example.com */
		{ "wild", X509_E_NC_EXCLUDED },
		{ "eku_any", X509_OK }, { "crit", X509_OK },
		{ "evil", X509_E_NC_NOT_PERMITTED },
		{ "secret", X509_E_NC_EXCLUDED },
		{ "ipout", X509_E_NC_NOT_PERMITTED },
		{ "ipexcl", X509_E_NC_EXCLUDED },
	};
	struct x509_error e;
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CERT(c, t[i].leaf);
		enum x509_err r = x509_check_name_constraints(inter, c, &e);

		if (r != t[i].r)
			printf("#   %s: %s\n", t[i].leaf, e.where);
		TAP_CHECK_EQ(r, t[i].r);
		/* the root constrains nothing */
		TAP_CHECK_EQ(x509_check_name_constraints(root, c, &e), X509_OK);
	}
	{
		CERT(c, "evil");
		TAP_CHECK_EQ(x509_check_name_constraints(inter, c, &e),
			     X509_E_NC_NOT_PERMITTED);
		TAP_CHECK(!strcmp(e.where, "name constraints: dNSName www.evil.com is outside every permitted subtree"));
	}
	{
		CERT(c, "wildexcl");
		TAP_CHECK_EQ(x509_check_name_constraints(ca2, c, &e),
			     X509_E_NC_EXCLUDED);
		TAP_CHECK_EQ(x509_check_name_constraints(inter, c, &e),
			     X509_E_NC_EXCLUDED);
		TAP_CHECK(!strcmp(e.where, "name constraints: dNSName *.example.com is in excluded subtree 1"));
	}
}

/* ---- the CRL ---- */

TAP_TEST(crl_fields_and_lookup)
{
	struct blob b = load("crl");
	CERT(inter, "inter");
	CERT(leaf, "leaf");
	CERT(wild, "wild");
	struct x509_crl crl;
	struct x509_crl_entry ent;
	struct x509_crl_iter it;
	struct x509_error e;
	unsigned int n = 0;

	TAP_CHECK(b.p != NULL);
	if (!b.p)
		return;
	TAP_CHECK_EQ(x509_crl_parse(&crl, b.p, b.len, &e), X509_OK);
	TAP_CHECK_EQ(crl.version, 2);
	TAP_CHECK(x509_span_eq(crl.issuer, inter->subject));
	TAP_CHECK_EQ(crl.sig_alg.alg, X509_ALG_ECDSA_SHA256);
	TAP_CHECK(crl.has_next_update);
	TAP_CHECK_EQ(crl.next_update - crl.this_update, 30 * 86400);
	TAP_CHECK_EQ(crl.n_revoked, 2);
	TAP_CHECK(crl.ext_present & X509_EXT_CRL_NUMBER);
	TAP_CHECK_EQ(crl.crl_number.len, 1);
	TAP_CHECK_EQ(crl.crl_number.p[0], 7);
	TAP_CHECK(x509_span_eq(crl.aki.key_id, inter->ski));
	TAP_CHECK(!crl.unknown_critical);
	TAP_CHECK(crl.tbs.p > crl.raw.p && crl.sig.len > 0);

	TAP_CHECK(x509_crl_find(&crl, leaf->serial, &ent));
	TAP_CHECK_EQ(ent.reason, 1);		/* keyCompromise */
	TAP_CHECK_EQ(ent.revocation_date, 1735689600);
	TAP_CHECK(!x509_crl_find(&crl, wild->serial, &ent));
	TAP_CHECK(x509_crl_find(&crl, (struct x509_span){
		(const uint8_t *)"\x20\x02", 2 }, &ent));
	TAP_CHECK_EQ(ent.reason, X509_CRL_REASON_NONE);
	TAP_CHECK_EQ(ent.revocation_date, 1735787045);
	/* 0x002002 is not a DER INTEGER any certificate would carry */
	TAP_CHECK(!x509_crl_find(&crl, (struct x509_span){
		(const uint8_t *)"\x00\x20\x02", 3 }, NULL));
	x509_crl_iter_init(&crl, &it);
	while (x509_crl_iter_next(&it, &ent))
		n++;
	TAP_CHECK_EQ(n, 2);
	free(b.p);
}

/* ---- the platform trust store ---- */

static int b64(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/*
 * Every certificate in the distribution's bundle parses: real CAs' DER,
 * with all its history, stays inside what we accept. Each is parsed from a
 * heap buffer of exactly its size.
 */
TAP_TEST(trust_store_parses)
{
	static const char *const bundle = "/etc/ssl/certs/ca-certificates.crt";
	static struct x509_cert c;
	FILE *f = fopen(bundle, "r");
	char line[256];
	uint8_t *der = NULL;
	size_t n = 0, cap = 0;
	unsigned int bits = 0, nbits = 0, total = 0, bad = 0;
	bool in = false;

	/* The lab root installs ca-certificates: a missing bundle is a bug. */
	TAP_CHECK(f != NULL);
	if (!f) {
		printf("#   cannot open %s\n", bundle);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "-----BEGIN CERTIFICATE-----", 27)) {
			in = true;
			n = bits = nbits = 0;
			continue;
		}
		if (in && !strncmp(line, "-----END CERTIFICATE-----", 25)) {
			struct x509_error e;
			uint8_t *exact = malloc(n);
			enum x509_err r;

			in = false;
			total++;
			memcpy(exact, der, n);
			r = x509_cert_parse(&c, exact, n, &e);
			if (r) {
				printf("#   certificate %u: %s: %s\n", total,
				       e.where, x509_strerror(r));
				bad++;
			} else if (!c.ca && c.version == 3) {
				printf("#   certificate %u: not a CA\n", total);
			}
			free(exact);
			continue;
		}
		if (!in)
			continue;
		for (char *p = line; *p; p++) {
			int v = b64((unsigned char)*p);

			if (v < 0)
				continue;
			bits = (bits << 6) | (unsigned int)v;
			nbits += 6;
			if (nbits >= 8) {
				nbits -= 8;
				if (n == cap) {
					cap = cap ? 2 * cap : 4096;
					der = realloc(der, cap);
				}
				der[n++] = (uint8_t)(bits >> nbits);
			}
		}
	}
	fclose(f);
	free(der);
	printf("# %u certificates from %s\n", total, bundle);
	TAP_CHECK(total > 0);
	TAP_CHECK_EQ(bad, 0);
}

/* ---- malformed input ---- */

static enum x509_err parse_copy(const uint8_t *p, size_t n, bool crl,
				struct x509_error *e)
{
	static struct x509_cert c;
	static struct x509_crl l;
	uint8_t *copy = malloc(n ? n : 1);
	enum x509_err r;

	memcpy(copy, p, n);
	r = crl ? x509_crl_parse(&l, copy, n, e) :
		  x509_cert_parse(&c, copy, n, e);
	if (!r && !crl) {
		/* exercise the name code on whatever parsed */
		if (x509_match_host(&c, "www.example.com", NULL) > X509_E__COUNT ||
		    x509_check_name_constraints(&c, &c, NULL) > X509_E__COUNT)
			r = X509_E__COUNT;
	}
	if (!r && crl)
		x509_crl_find(&l, str("\x10\x01"), NULL);
	free(copy);
	return r;
}

/* Every proper prefix of a real certificate or CRL fails, in bounds. */
TAP_TEST(truncation_at_every_byte)
{
	static const char *const names[] = { "leaf", "root", "inter", "crl" };
	struct x509_error e;
	unsigned int i, bad = 0;
	size_t n;

	for (i = 0; i < 4; i++) {
		struct blob b = load(names[i]);
		bool crl = i == 3;

		TAP_CHECK(b.p != NULL);
		if (!b.p)
			continue;
		TAP_CHECK_EQ(parse_copy(b.p, b.len, crl, &e), X509_OK);
		for (n = 0; n < b.len; n++) {
			if (parse_copy(b.p, n, crl, &e) == X509_OK) {
				printf("#   %s cut to %zu parsed\n", names[i], n);
				bad++;
			}
		}
		free(b.p);
	}
	TAP_CHECK_EQ(bad, 0);
}

/*
 * The same, but with every enclosing length rewritten to fit, so the cut
 * lands inside the innermost item instead of failing at the outer SEQUENCE.
 */
static size_t shrink_prefix(uint8_t *out, const uint8_t *in, size_t len,
			    size_t cut)
{
	(void)len;
	/* Certificate and TBS are both 30 82 hi lo: rewrite both lengths. */
	memcpy(out, in, cut);
	if (cut < 8 || in[1] != 0x82 || in[5] != 0x82)
		return cut;
	out[2] = (uint8_t)((cut - 4) >> 8);
	out[3] = (uint8_t)(cut - 4);
	out[6] = (uint8_t)((cut - 8) >> 8);
	out[7] = (uint8_t)(cut - 8);
	return cut;
}

TAP_TEST(truncation_inside_tbs)
{
	struct blob b = load("leaf");
	struct x509_error e;
	size_t n, bad = 0;

	TAP_CHECK(b.p != NULL);
	if (!b.p)
		return;
	for (n = 8; n < b.len; n++) {
		uint8_t *p = malloc(n);

		shrink_prefix(p, b.p, b.len, n);
		if (x509_cert_parse(&(struct x509_cert){ 0 }, p, n, &e) ==
		    X509_OK)
			bad++;
		free(p);
	}
	TAP_CHECK_EQ(bad, 0);
	free(b.p);
}

/* Flip bits everywhere: whatever the result, it is reached in bounds. */
TAP_TEST(corruption_at_every_byte)
{
	static const uint8_t flips[] = { 0x01, 0x80, 0xff, 0x7f };
	static const char *const names[] = { "leaf", "inter", "crl" };
	struct x509_error e;
	unsigned int i, f, failed = 0;
	size_t n;

	for (i = 0; i < 3; i++) {
		struct blob b = load(names[i]);

		if (!b.p)
			continue;
		for (n = 0; n < b.len; n++) {
			for (f = 0; f < sizeof(flips); f++) {
				b.p[n] ^= flips[f];
				failed += parse_copy(b.p, b.len, i == 2, &e) !=
					  X509_OK;
				b.p[n] ^= flips[f];
			}
		}
		free(b.p);
	}
	TAP_CHECK(failed > 0);
}

static uint8_t *find(uint8_t *p, size_t len, const void *pat, size_t n,
		     bool last)
{
	uint8_t *hit = NULL;
	size_t i;

	for (i = 0; i + n <= len; i++) {
		if (!memcmp(p + i, pat, n)) {
			hit = p + i;
			if (!last)
				break;
		}
	}
	return hit;
}

TAP_TEST(real_cert_corruptions)
{
	static const uint8_t ecdsa256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
					    0x3d, 0x04, 0x03, 0x02 };
	struct blob b = load("leaf");
	struct x509_cert c;
	struct x509_error e;
	uint8_t *hit, *big;

	TAP_CHECK(b.p != NULL);
	if (!b.p)
		return;
	/* critical TRUE encoded 0x01: DER says 0xFF */
	hit = find(b.p, b.len, "\x01\x01\xff", 3, false);
	TAP_CHECK(hit != NULL);
	if (hit) {
		hit[2] = 0x01;
		TAP_CHECK_EQ(x509_cert_parse(&c, b.p, b.len, &e),
			     X509_E_BOOLEAN);
		TAP_CHECK(!strcmp(e.where, "certificate: extensions: extension 1"));
		hit[2] = 0xff;
	}
	/* outer signatureAlgorithm != TBS signature */
	hit = find(b.p, b.len, ecdsa256, sizeof(ecdsa256), true);
	TAP_CHECK(hit && hit != find(b.p, b.len, ecdsa256, sizeof(ecdsa256),
				     false));
	if (hit) {
		hit[9] = 0x03;
		TAP_CHECK_EQ(x509_cert_parse(&c, b.p, b.len, &e),
			     X509_E_SIG_ALG_MISMATCH);
		hit[9] = 0x02;
	}
	/* the same certificate with its outer length in 3 octets, not 2 */
	big = malloc(b.len + 1);
	TAP_CHECK_EQ(b.p[1], 0x82);
	big[0] = 0x30;
	big[1] = 0x83;
	big[2] = 0x00;
	memcpy(big + 3, b.p + 2, b.len - 2);
	TAP_CHECK_EQ(x509_cert_parse(&c, big, b.len + 1, &e), X509_E_LENGTH);
	TAP_CHECK(!strcmp(e.where, "certificate: Certificate"));
	/* ... and the TBS length likewise (the outer length grows by one) */
	big[0] = 0x30;
	big[1] = 0x82;
	big[2] = (uint8_t)((((b.p[2] << 8) | b.p[3]) + 1) >> 8);
	big[3] = (uint8_t)(((b.p[2] << 8) | b.p[3]) + 1);
	big[4] = 0x30;
	big[5] = 0x83;
	big[6] = 0x00;
	memcpy(big + 7, b.p + 6, b.len - 6);
	TAP_CHECK_EQ(b.p[5], 0x82);
	TAP_CHECK_EQ(x509_cert_parse(&c, big, b.len + 1, &e), X509_E_LENGTH);
	TAP_CHECK(!strcmp(e.where, "certificate: tbsCertificate"));
	free(big);
	/* one byte of trailing data */
	big = malloc(b.len + 1);
	memcpy(big, b.p, b.len);
	big[b.len] = 0;
	TAP_CHECK_EQ(x509_cert_parse(&c, big, b.len + 1, &e), X509_E_TRAILING);
	TAP_CHECK(!strcmp(e.where, "certificate: Certificate"));
	free(big);
	TAP_CHECK_EQ(x509_cert_parse(&c, b.p, b.len, &e), X509_OK);
	free(b.p);
}

/* ---- synthetic certificates, built field by field ---- */

struct spec {
	const uint8_t *version;	/* the whole [0] TLV, or NULL */
	size_t version_len;
	const uint8_t *serial;	/* INTEGER contents */
	size_t serial_len;
	const uint8_t *exts;	/* Extension TLVs, concatenated, or NULL */
	size_t exts_len;
	bool empty_subject;
	bool other_outer_alg;
};

static const uint8_t alg_ecdsa[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48,
				     0xce, 0x3d, 0x04, 0x03, 0x02 };
static const uint8_t alg_ecdsa384[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
					0x48, 0xce, 0x3d, 0x04, 0x03, 0x03 };
static const uint8_t name_x[] = { 0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06,
				  0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, 'x' };
static const uint8_t validity[] = {
	0x30, 0x1e,
	0x17, 0x0d, '2', '5', '0', '1', '0', '1', '0', '0', '0', '0', '0', '0', 'Z',
	0x17, 0x0d, '3', '0', '0', '1', '0', '1', '0', '0', '0', '0', '0', '0', 'Z',
};
static const uint8_t spki_ed[] = {
	0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
};
static const uint8_t v3[] = { 0xa0, 0x03, 0x02, 0x01, 0x02 };

static size_t build(uint8_t *out, const struct spec *s)
{
	static struct buf tbs, cert, exts, tmp;
	static const uint8_t sig[] = { 0x00, 0x30, 0x00 };

	memset(&tbs, 0, sizeof(tbs));
	if (s->version)
		put(&tbs, s->version, s->version_len);
	tlv(&tbs, DER_INTEGER, s->serial ? s->serial : (const uint8_t *)"\x01",
	    s->serial ? s->serial_len : 1);
	put(&tbs, alg_ecdsa, sizeof(alg_ecdsa));
	put(&tbs, name_x, sizeof(name_x));
	put(&tbs, validity, sizeof(validity));
	if (s->empty_subject)
		put(&tbs, "\x30\x00", 2);
	else
		put(&tbs, name_x, sizeof(name_x));
	put(&tbs, spki_ed, sizeof(spki_ed));
	if (s->exts) {
		memset(&exts, 0, sizeof(exts));
		memset(&tmp, 0, sizeof(tmp));
		tlv(&tmp, DER_SEQUENCE, s->exts, s->exts_len);
		tlv(&exts, DER_CTX_CONS(3), tmp.b, tmp.n);
		put(&tbs, exts.b, exts.n);
	}
	memset(&tmp, 0, sizeof(tmp));
	tlv(&tmp, DER_SEQUENCE, tbs.b, tbs.n);
	if (s->other_outer_alg)
		put(&tmp, alg_ecdsa384, sizeof(alg_ecdsa384));
	else
		put(&tmp, alg_ecdsa, sizeof(alg_ecdsa));
	tlv(&tmp, DER_BIT_STRING, sig, sizeof(sig));
	memset(&cert, 0, sizeof(cert));
	tlv(&cert, DER_SEQUENCE, tmp.b, tmp.n);
	memcpy(out, cert.b, cert.n);
	return cert.n;
}

static enum x509_err try_spec(const struct spec *s, struct x509_error *e,
			      struct x509_cert *c)
{
	static uint8_t out[16384];
	size_t n = build(out, s);
	uint8_t *p = malloc(n);
	enum x509_err r;

	memcpy(p, out, n);
	r = x509_cert_parse(c, p, n, e);
	free(p);		/* c's spans dangle now: check scalars only */
	return r;
}

static struct x509_cert sc;

static enum x509_err try_ext(struct buf *exts, struct x509_error *e)
{
	struct spec s = { .version = v3, .version_len = sizeof(v3),
			  .exts = exts->b, .exts_len = exts->n };

	return try_spec(&s, e, &sc);
}

#define OID_SAN B(0x55, 0x1d, 0x11)
#define OID_BC B(0x55, 0x1d, 0x13)
#define OID_KU B(0x55, 0x1d, 0x0f)
#define OID_EKU B(0x55, 0x1d, 0x25)
#define OID_NC B(0x55, 0x1d, 0x1e)
#define OID_AKI B(0x55, 0x1d, 0x23)

#define EXPECT(r, msg) do {						\
	TAP_CHECK_EQ(try_ext(&x, &e), (r));				\
	if (strcmp(e.where, (msg)))					\
		printf("#   where: \"%s\"\n", e.where);			\
	TAP_CHECK(!strcmp(e.where, (msg)));				\
	memset(&x, 0, sizeof(x));					\
} while (0)

TAP_TEST(synthetic_baseline)
{
	struct buf x = { .n = 0 };
	struct x509_error e;
	struct spec s = { 0 };

	TAP_CHECK_EQ(try_spec(&s, &e, &sc), X509_OK);
	TAP_CHECK_EQ(sc.version, 1);
	TAP_CHECK_EQ(sc.not_before, 1735689600);
	ext(&x, OID_SAN, -1, B(0x30, 0x03, 0x82, 0x01, 'a'));
	TAP_CHECK_EQ(try_ext(&x, &e), X509_OK);
	TAP_CHECK_EQ(sc.version, 3);
	TAP_CHECK_EQ(sc.n_san, 1);
	/* critical FALSE spelled out: tolerated */
	memset(&x, 0, sizeof(x));
	ext(&x, OID_SAN, 0, B(0x30, 0x03, 0x82, 0x01, 'a'));
	TAP_CHECK_EQ(try_ext(&x, &e), X509_OK);
}

TAP_TEST(synthetic_versions_and_serials)
{
	struct buf x = { .n = 0 };
	struct x509_error e;
	struct spec s = { 0 };
	uint8_t serial[22];

	static const uint8_t v1[] = { 0xa0, 0x03, 0x02, 0x01, 0x00 };
	static const uint8_t v4[] = { 0xa0, 0x03, 0x02, 0x01, 0x03 };
	static const uint8_t v2[] = { 0xa0, 0x03, 0x02, 0x01, 0x01 };

	s.version_len = 5;
	s.version = v1;		/* explicit v1: DER forbids the DEFAULT */
	TAP_CHECK_EQ(try_spec(&s, &e, &sc), X509_E_VERSION);
	TAP_CHECK(!strcmp(e.where, "certificate: version"));
	s.version = v4;
	TAP_CHECK_EQ(try_spec(&s, &e, &sc), X509_E_VERSION);
	s.version = v2;
	TAP_CHECK_EQ(try_spec(&s, &e, &sc), X509_OK);
	TAP_CHECK_EQ(sc.version, 2);
	/* extensions need v3 */
	ext(&x, OID_SAN, -1, B(0x30, 0x03, 0x82, 0x01, 'a'));
	s.exts = x.b;
	s.exts_len = x.n;
	TAP_CHECK_EQ(try_spec(&s, &e, &sc), X509_E_VERSION);
	TAP_CHECK(!strcmp(e.where, "certificate: extensions in a v2 certificate"));
	s.version = NULL;
	TAP_CHECK_EQ(try_spec(&s, &e, &sc), X509_E_VERSION);

	memset(&s, 0, sizeof(s));
	memset(serial, 0x11, sizeof(serial));
	s.serial = serial;
	s.serial_len = 20;
	TAP_CHECK_EQ(try_spec(&s, &e, &sc), X509_OK);
	s.serial_len = 21;
	TAP_CHECK_EQ(try_spec(&s, &e, &sc), X509_E_SERIAL);
	TAP_CHECK(!strcmp(e.where, "certificate: serialNumber of 21 octets"));
	serial[0] = 0x00;
	serial[1] = 0x91;			/* 20 octets and a sign octet */
	TAP_CHECK_EQ(try_spec(&s, &e, &sc), X509_OK);
	serial[1] = 0x11;			/* non-minimal */
	TAP_CHECK_EQ(try_spec(&s, &e, &sc), X509_E_INTEGER);
	s.serial_len = 0;
	TAP_CHECK_EQ(try_spec(&s, &e, &sc), X509_E_INTEGER);

	memset(&s, 0, sizeof(s));
	s.other_outer_alg = true;
	TAP_CHECK_EQ(try_spec(&s, &e, &sc), X509_E_SIG_ALG_MISMATCH);
	memset(&s, 0, sizeof(s));
	s.empty_subject = true;
	TAP_CHECK_EQ(try_spec(&s, &e, &sc), X509_E_NAME);
	TAP_CHECK(!strcmp(e.where, "certificate: subject: empty, and no critical subjectAltName"));
	s.version = v3;
	s.version_len = sizeof(v3);
	memset(&x, 0, sizeof(x));
	ext(&x, OID_SAN, 1, B(0x30, 0x03, 0x82, 0x01, 'a'));
	s.exts = x.b;
	s.exts_len = x.n;
	TAP_CHECK_EQ(try_spec(&s, &e, &sc), X509_OK);
}

TAP_TEST(synthetic_san_errors)
{
	struct buf x = { .n = 0 }, names = { .n = 0 };
	struct x509_error e;
	unsigned int i;

	ext(&x, OID_SAN, -1, B(0x30, 0x07, 0x87, 0x05, 1, 2, 3, 4, 5));
	EXPECT(X509_E_NAME,
	       "certificate: extensions: subjectAltName: iPAddress of length 5");
	ext(&x, OID_SAN, -1, B(0x30, 0x00));
	EXPECT(X509_E_EMPTY, "certificate: extensions: subjectAltName: no names");
	ext(&x, OID_SAN, -1, B(0x30, 0x03, 0x89, 0x01, 'a'));
	EXPECT(X509_E_NAME,
	       "certificate: extensions: subjectAltName: GeneralName with tag 0x89");
	ext(&x, OID_SAN, -1, B(0x30, 0x04, 0x82, 0x02, 'a', 0xe9));
	EXPECT(X509_E_STRING,
	       "certificate: extensions: subjectAltName: dNSName");
	ext(&x, OID_SAN, -1, B(0x30, 0x03, 0x82, 0x01, 'a', 0x00));
	EXPECT(X509_E_TRAILING, "certificate: extensions: subjectAltName");
	/* IPv4 and IPv6 accepted */
	ext(&x, OID_SAN, -1, B(0x30, 0x18, 0x87, 0x04, 1, 2, 3, 4, 0x87, 0x10,
			       1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
			       15, 16));
	TAP_CHECK_EQ(try_ext(&x, &e), X509_OK);
	TAP_CHECK_EQ(sc.n_san, 2);
	memset(&x, 0, sizeof(x));
	/* 64 names fit, 65 do not */
	for (i = 0; i < X509_MAX_SAN; i++)
		tlv(&names, DER_CTX(2), "a.b", 3);
	{
		struct buf seq = { .n = 0 };

		tlv(&seq, DER_SEQUENCE, names.b, names.n);
		ext(&x, OID_SAN, -1, seq.b, seq.n);
		TAP_CHECK_EQ(try_ext(&x, &e), X509_OK);
		TAP_CHECK_EQ(sc.n_san, X509_MAX_SAN);
		memset(&x, 0, sizeof(x));
		memset(&seq, 0, sizeof(seq));
		tlv(&names, DER_CTX(2), "a.b", 3);
		tlv(&seq, DER_SEQUENCE, names.b, names.n);
		ext(&x, OID_SAN, -1, seq.b, seq.n);
		EXPECT(X509_E_TOO_MANY,
		       "certificate: extensions: subjectAltName: more than 64 names");
	}
}

TAP_TEST(synthetic_extension_list_errors)
{
	struct buf x = { .n = 0 };
	struct x509_error e;
	unsigned int i;

	ext(&x, OID_SAN, -1, B(0x30, 0x03, 0x82, 0x01, 'a'));
	ext(&x, OID_SAN, -1, B(0x30, 0x03, 0x82, 0x01, 'b'));
	EXPECT(X509_E_DUPLICATE_EXT,
	       "certificate: extensions: OID 2.5.29.17 twice");
	EXPECT(X509_E_EMPTY, "certificate: extensions: empty");
	for (i = 0; i <= X509_MAX_EXTENSIONS; i++) {
		uint8_t oid[] = { 0x2a, 0x03, (uint8_t)i };

		ext(&x, oid, sizeof(oid), -1, B(0x05, 0x00));
	}
	EXPECT(X509_E_TOO_MANY, "certificate: extensions: more than 32");
	/* critical BOOLEAN 0x01 */
	tlv(&x, DER_SEQUENCE, B(0x06, 0x03, 0x55, 0x1d, 0x11, 0x01, 0x01, 0x01,
				0x04, 0x05, 0x30, 0x03, 0x82, 0x01, 'a'));
	EXPECT(X509_E_BOOLEAN, "certificate: extensions: extension 1");
	/* an OID with a non-minimal subidentifier */
	ext(&x, B(0x55, 0x80, 0x1d), -1, B(0x05, 0x00));
	EXPECT(X509_E_OID, "certificate: extensions: extension 1");
	/* unknown but well-formed, critical: recorded and flagged */
	ext(&x, B(0x2a, 0x03, 0x04), 1, B(0x01, 0x02));
	TAP_CHECK_EQ(try_ext(&x, &e), X509_OK);
	TAP_CHECK(sc.unknown_critical);
	memset(&x, 0, sizeof(x));
}

TAP_TEST(synthetic_basic_constraints_and_usages)
{
	struct buf x = { .n = 0 };
	struct x509_error e;

	ext(&x, OID_BC, 1, B(0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0x05));
	TAP_CHECK_EQ(try_ext(&x, &e), X509_OK);
	TAP_CHECK(sc.ca);
	TAP_CHECK_EQ(sc.path_len, 5);
	memset(&x, 0, sizeof(x));
	ext(&x, OID_BC, 1, B(0x30, 0x03, 0x01, 0x01, 0x01));
	EXPECT(X509_E_BOOLEAN, "certificate: extensions: basicConstraints: cA");
	ext(&x, OID_BC, 1, B(0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0xff));
	EXPECT(X509_E_INTEGER,
	       "certificate: extensions: basicConstraints: pathLenConstraint");
	ext(&x, OID_BC, 1, B(0x30, 0x03, 0x05, 0x01, 0x00));
	EXPECT(X509_E_TRAILING, "certificate: extensions: basicConstraints");

	ext(&x, OID_KU, 1, B(0x03, 0x02, 0x07, 0x80));
	TAP_CHECK_EQ(try_ext(&x, &e), X509_OK);
	TAP_CHECK_EQ(sc.key_usage, X509_KU_DIGITAL_SIGNATURE);
	memset(&x, 0, sizeof(x));
	ext(&x, OID_KU, 1, B(0x03, 0x03, 0x07, 0x80, 0x80));
	TAP_CHECK_EQ(try_ext(&x, &e), X509_OK);
	TAP_CHECK_EQ(sc.key_usage, X509_KU_DIGITAL_SIGNATURE |
				   X509_KU_DECIPHER_ONLY);
	memset(&x, 0, sizeof(x));
	ext(&x, OID_KU, 1, B(0x03, 0x01, 0x00));
	EXPECT(X509_E_EXTENSION, "certificate: extensions: keyUsage: no bit set");
	ext(&x, OID_KU, 1, B(0x03, 0x02, 0x01, 0x01));
	EXPECT(X509_E_BIT_STRING, "certificate: extensions: keyUsage");
	ext(&x, OID_KU, 1, B(0x03, 0x03, 0x00, 0x00, 0x40));
	EXPECT(X509_E_EXTENSION,
	       "certificate: extensions: keyUsage: unknown bit 9");
	ext(&x, OID_KU, 1, B(0x03, 0x04, 0x00, 0x80, 0x00, 0x01));
	EXPECT(X509_E_EXTENSION, "certificate: extensions: keyUsage: 3 octets");

	ext(&x, OID_EKU, -1, B(0x30, 0x00));
	EXPECT(X509_E_EMPTY, "certificate: extensions: extKeyUsage: no purpose");
	ext(&x, OID_EKU, -1, B(0x30, 0x03, 0x02, 0x01, 0x01));
	EXPECT(X509_E_TAG, "certificate: extensions: extKeyUsage: purpose 1");
}

TAP_TEST(synthetic_name_constraints_errors)
{
	struct buf x = { .n = 0 };
	struct x509_error e;

	/* permitted DNS "a.b" and IP 10.0.0.0/8 */
	ext(&x, OID_NC, 1, B(0x30, 0x15, 0xa0, 0x13, 0x30, 0x05, 0x82, 0x03,
			     'a', '.', 'b', 0x30, 0x0a, 0x87, 0x08, 10, 0, 0, 0,
			     255, 0, 0, 0));
	TAP_CHECK_EQ(try_ext(&x, &e), X509_OK);
	TAP_CHECK_EQ(sc.n_permitted, 2);
	TAP_CHECK_EQ(sc.n_excluded, 0);
	memset(&x, 0, sizeof(x));
	ext(&x, OID_NC, 1, B(0x30, 0x00));
	EXPECT(X509_E_EMPTY, "certificate: extensions: nameConstraints: empty");
	ext(&x, OID_NC, 1, B(0x30, 0x02, 0xa1, 0x00));
	EXPECT(X509_E_EMPTY,
	       "certificate: extensions: nameConstraints: excludedSubtrees: no subtrees");
	ext(&x, OID_NC, 1, B(0x30, 0x0a, 0xa0, 0x08, 0x30, 0x06, 0x87, 0x04,
			     10, 0, 0, 0));
	EXPECT(X509_E_NAME,
	       "certificate: extensions: nameConstraints: permittedSubtrees: iPAddress subtree of length 4");
	ext(&x, OID_NC, 1, B(0x30, 0x0e, 0xa0, 0x0c, 0x30, 0x0a, 0x87, 0x08,
			     10, 0, 0, 0, 255, 0, 255, 0));
	EXPECT(X509_E_NAME,
	       "certificate: extensions: nameConstraints: permittedSubtrees: iPAddress subtree mask is not a prefix");
	ext(&x, OID_NC, 1, B(0x30, 0x0a, 0xa0, 0x08, 0x30, 0x06, 0x82, 0x01,
			     'a', 0x80, 0x01, 0x00));
	EXPECT(X509_E_EXTENSION,
	       "certificate: extensions: nameConstraints: permittedSubtrees: dNSName: minimum or maximum present");
	ext(&x, OID_AKI, -1, B(0x30, 0x03, 0x82, 0x01, 0x01));
	EXPECT(X509_E_EXTENSION,
	       "certificate: extensions: authorityKeyIdentifier: authorityCertIssuer without authorityCertSerialNumber or the reverse");
}

int main(void)
{
	return tap_run();
}
