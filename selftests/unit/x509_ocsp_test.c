// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * OCSP responses (RFC 6960 §4.2.1) built here byte by byte: the parser's
 * structure rules and limits (truncation, trailing bytes, the response
 * type, responseStatus values, the caps), and x509_staple_check()'s rules
 * with a stand-in hash and signature check, so that any time, status or
 * extension can be "signed": which response is the leaf's, who signed,
 * thisUpdate / nextUpdate with the clock skew, the maximum age.
 * (verify_pki_test.sh checks real responses from openssl, with wolfCrypt.)
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "x509_path.h"
#include "tap.h"
#include "x509_build.h"

#define NOW ((int64_t)1767225600)	/* 2026-01-01 00:00:00 UTC */

static const uint8_t oid_sha1[] = { 0x2b, 0x0e, 0x03, 0x02, 0x1a };
static const uint8_t oid_basic[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07,
				     0x30, 0x01, 0x01 };
static const uint8_t oid_nonce[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07,
				     0x30, 0x01, 0x02 };
static const uint8_t oid_unknown[] = { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x83,
				       0xb2, 0x03, 0x01 };
static const uint8_t alg_ed25519[] = { 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65,
				       0x70 };
static const uint8_t name_ca[] = { 0x30, 0x0d, 0x31, 0x0b, 0x30, 0x09, 0x06,
				   0x03, 0x55, 0x04, 0x03, 0x0c, 0x02, 'c',
				   'a' };
static const uint8_t name_other[] = { 0x30, 0x0d, 0x31, 0x0b, 0x30, 0x09,
				      0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x02,
				      'x', 'x' };
static uint8_t ca_key[32] = { [0] = 1, [31] = 0xca };

/* A stand-in digest: deterministic, of the length the algorithm has. */
static int fake_hash(void *arg, enum x509_hash h, struct x509_span m,
		     uint8_t *out)
{
	int n = h == X509_HASH_SHA1 ? 20 : h == X509_HASH_SHA256 ? 32 : -1;
	uint32_t x = 2166136261u + (uint32_t)h;

	(void)arg;
	for (size_t i = 0; i < m.len; i++)
		x = (x ^ m.p[i]) * 16777619u;
	for (int i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		out[i] = (uint8_t)(x >> 16);
	}
	return n;
}

/* "Signed by" a key: the one-byte signature is the key's last byte. */
static int fake_sig(void *arg, const struct x509_sig_req *r)
{
	(void)arg;
	return r->sig.len == 1 && r->spki.len &&
	       r->sig.p[0] == r->spki.p[r->spki.len - 1] ? 0 : -1;
}

struct single_spec {
	bool set;			/* else the defaults below */
	uint8_t serial;			/* 0x42 */
	int status;			/* 0 good, 1 revoked, 2 unknown */
	int reason;			/* revoked: -1 none */
	int64_t this_update;		/* NOW - 3600 */
	int64_t next_update;		/* NOW + 86400; -1 absent */
	bool hash_sha256;
	bool wrong_name_hash;
	bool crit_ext;
	bool utc_this_update;		/* UTCTime: not allowed */
	bool oid_mismatch;		/* SHA-256's OID, SHA-1's length */
};

struct ocsp_spec {
	int status;			/* responseStatus */
	bool bytes_anyway;		/* responseBytes with an error status */
	bool wrong_type;
	bool explicit_version;
	bool by_key;
	bool other_responder;
	bool bad_key_hash_len;
	unsigned int n_single;		/* 0: one */
	struct single_spec single[20];
	bool nonce, crit_ext, dup_ext;
	unsigned int n_certs;
	int sig;			/* -1: the CA's */
	bool trailing_inner;		/* a byte after certs */
};

static struct buf out;

static void gtime(struct buf *o, int64_t t, bool utc)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[20];

	gmtime_r(&tt, &tm);
	strftime(s, sizeof(s), utc ? "%y%m%d%H%M%SZ" : "%Y%m%d%H%M%SZ", &tm);
	tlv(o, utc ? 0x17 : 0x18, s, strlen(s));
}

static void hash_octets(struct buf *o, enum x509_hash h, const uint8_t *p,
			size_t n, bool spoil)
{
	uint8_t d[X509_HASH_MAX];
	int len = fake_hash(NULL, h, (struct x509_span){ p, n }, d);

	if (spoil)
		d[0] ^= 1;
	tlv(o, 0x04, d, (size_t)len);
}

static void single(struct buf *list, const struct single_spec *in)
{
	struct single_spec s = {
		.serial = 0x42, .reason = -1, .this_update = NOW - 3600,
		.next_update = NOW + 86400,
	};
	struct buf r = { .n = 0 }, id = { .n = 0 }, a = { .n = 0 },
		   t = { .n = 0 }, x = { .n = 0 }, x2 = { .n = 0 };
	enum x509_hash h;

	if (in && in->set)
		s = *in;
	h = s.hash_sha256 ? X509_HASH_SHA256 : X509_HASH_SHA1;
	if (s.hash_sha256 || s.oid_mismatch)
		tlv(&a, 0x06, (const uint8_t[]){ 0x60, 0x86, 0x48, 0x01, 0x65,
						 0x03, 0x04, 0x02, 0x01 }, 9);
	else
		tlv(&a, 0x06, oid_sha1, sizeof(oid_sha1));
	tlv(&a, 0x05, "", 0);
	tlv(&id, 0x30, a.b, a.n);
	hash_octets(&id, h, name_ca, sizeof(name_ca), s.wrong_name_hash);
	hash_octets(&id, h, ca_key, sizeof(ca_key), false);
	tlv(&id, 0x02, &s.serial, 1);
	tlv(&r, 0x30, id.b, id.n);
	if (s.status == 0) {
		tlv(&r, 0x80, "", 0);
	} else if (s.status == 2) {
		tlv(&r, 0x82, "", 0);
	} else {
		gtime(&t, NOW - 86400 * 30, false);
		if (s.reason >= 0) {
			uint8_t e[3] = { 0x0a, 0x01, (uint8_t)s.reason };

			tlv(&t, 0xa0, e, 3);
		}
		tlv(&r, 0xa1, t.b, t.n);
	}
	gtime(&r, s.this_update, s.utc_this_update);
	if (s.next_update >= 0) {
		struct buf nu = { .n = 0 };

		gtime(&nu, s.next_update, false);
		tlv(&r, 0xa0, nu.b, nu.n);
	}
	if (s.crit_ext) {
		ext(&x, oid_unknown, sizeof(oid_unknown), 1, B(0x05, 0x00));
		tlv(&x2, 0x30, x.b, x.n);
		tlv(&r, 0xa1, x2.b, x2.n);
	}
	tlv(list, 0x30, r.b, r.n);
}

static void build(const struct ocsp_spec *s)
{
	static struct buf rd, list, basic, tmp, rb, top, x, x2;
	unsigned int n = s->n_single ? s->n_single : 1;
	uint8_t sig[2] = { 0x00, s->sig >= 0 ? (uint8_t)s->sig : ca_key[31] };

	memset(&rd, 0, sizeof(rd));
	memset(&list, 0, sizeof(list));
	if (s->explicit_version)
		tlv(&rd, 0xa0, B(0x02, 0x01, 0x00));
	if (s->by_key) {
		struct buf k = { .n = 0 };

		hash_octets(&k, X509_HASH_SHA1, ca_key, sizeof(ca_key), false);
		if (s->bad_key_hash_len) {
			k.b[1]--;
			k.n--;
		}
		tlv(&rd, 0xa2, k.b, k.n);
	} else if (s->other_responder) {
		tlv(&rd, 0xa1, name_other, sizeof(name_other));
	} else {
		tlv(&rd, 0xa1, name_ca, sizeof(name_ca));
	}
	gtime(&rd, NOW - 60, false);
	for (unsigned int i = 0; i < n; i++)
		single(&list, &s->single[i]);
	tlv(&rd, 0x30, list.b, list.n);
	if (s->nonce || s->crit_ext || s->dup_ext) {
		memset(&x, 0, sizeof(x));
		memset(&x2, 0, sizeof(x2));
		if (s->nonce || s->dup_ext)
			ext(&x, oid_nonce, sizeof(oid_nonce), -1,
			    B(0x04, 0x02, 0xab, 0xcd));
		if (s->dup_ext)
			ext(&x, oid_nonce, sizeof(oid_nonce), -1,
			    B(0x04, 0x02, 0xab, 0xcd));
		if (s->crit_ext)
			ext(&x, oid_unknown, sizeof(oid_unknown), 1,
			    B(0x05, 0x00));
		tlv(&x2, 0x30, x.b, x.n);
		tlv(&rd, 0xa1, x2.b, x2.n);
	}
	memset(&basic, 0, sizeof(basic));
	tlv(&basic, 0x30, rd.b, rd.n);
	put(&basic, alg_ed25519, sizeof(alg_ed25519));
	tlv(&basic, 0x03, sig, 2);
	if (s->n_certs) {
		memset(&x, 0, sizeof(x));
		memset(&x2, 0, sizeof(x2));
		for (unsigned int i = 0; i < s->n_certs; i++)
			tlv(&x, 0x30, B(0x02, 0x01, 0x01));
		tlv(&x2, 0x30, x.b, x.n);
		tlv(&basic, 0xa0, x2.b, x2.n);
	}
	if (s->trailing_inner)
		tlv(&basic, 0x05, "", 0);
	memset(&tmp, 0, sizeof(tmp));
	tlv(&tmp, 0x30, basic.b, basic.n);
	memset(&rb, 0, sizeof(rb));
	if (s->wrong_type)
		tlv(&rb, 0x06, oid_nonce, sizeof(oid_nonce));
	else
		tlv(&rb, 0x06, oid_basic, sizeof(oid_basic));
	tlv(&rb, 0x04, tmp.b, tmp.n);
	memset(&tmp, 0, sizeof(tmp));
	tlv(&tmp, 0x30, rb.b, rb.n);
	memset(&top, 0, sizeof(top));
	{
		uint8_t st = (uint8_t)s->status;

		tlv(&top, 0x0a, &st, 1);
	}
	if (s->status == 0 || s->bytes_anyway)
		tlv(&top, 0xa0, tmp.b, tmp.n);
	memset(&out, 0, sizeof(out));
	tlv(&out, 0x30, top.b, top.n);
}

static struct x509_ocsp ocsp;
static struct x509_error err;

static enum x509_err parse(const struct ocsp_spec *s)
{
	build(s);
	return x509_ocsp_parse(&ocsp, out.b, out.n, &err);
}

static bool where_has(const char *s)
{
	return strstr(err.where, s) != NULL;
}

TAP_TEST(parse_good)
{
	struct ocsp_spec s = { .sig = -1, .nonce = true };

	TAP_CHECK_EQ(parse(&s), X509_OK);
	TAP_CHECK_EQ(ocsp.status, X509_OCSP_SUCCESSFUL);
	TAP_CHECK_EQ(ocsp.version, 1);
	TAP_CHECK(!ocsp.by_key);
	TAP_CHECK_EQ(ocsp.responder.len, sizeof(name_ca));
	TAP_CHECK_EQ(ocsp.produced_at, NOW - 60);
	TAP_CHECK_EQ(ocsp.n_responses, 1);
	TAP_CHECK_EQ(ocsp.resp[0].hash, X509_OCSP_HASH_SHA1);
	TAP_CHECK_EQ(ocsp.resp[0].name_hash.len, 20);
	TAP_CHECK_EQ(ocsp.resp[0].serial.len, 1);
	TAP_CHECK_EQ(ocsp.resp[0].serial.p[0], 0x42);
	TAP_CHECK_EQ(ocsp.resp[0].status, X509_OCSP_GOOD);
	TAP_CHECK_EQ(ocsp.resp[0].this_update, NOW - 3600);
	TAP_CHECK(ocsp.resp[0].has_next_update);
	TAP_CHECK_EQ(ocsp.resp[0].next_update, NOW + 86400);
	TAP_CHECK_EQ(ocsp.nonce.len, 4);
	TAP_CHECK(!ocsp.unknown_critical);
	TAP_CHECK_EQ(ocsp.sig_alg.alg, X509_ALG_ED25519);
	TAP_CHECK_EQ(ocsp.sig.len, 1);
	TAP_CHECK_EQ(ocsp.n_certs, 0);
	TAP_CHECK(ocsp.tbs.p > out.b && ocsp.tbs.p + ocsp.tbs.len < out.b + out.n);

	s.single[0] = (struct single_spec){ .set = true, .serial = 7,
		.status = 1, .reason = 1, .this_update = NOW,
		.next_update = -1, .hash_sha256 = true };
	s.by_key = true;
	s.n_certs = 4;
	TAP_CHECK_EQ(parse(&s), X509_OK);
	TAP_CHECK(ocsp.by_key);
	TAP_CHECK_EQ(ocsp.responder.len, 20);
	TAP_CHECK_EQ(ocsp.resp[0].hash, X509_OCSP_HASH_SHA256);
	TAP_CHECK_EQ(ocsp.resp[0].key_hash.len, 32);
	TAP_CHECK_EQ(ocsp.resp[0].status, X509_OCSP_REVOKED);
	TAP_CHECK_EQ(ocsp.resp[0].reason, 1);
	TAP_CHECK_EQ(ocsp.resp[0].revocation_time, NOW - 86400 * 30);
	TAP_CHECK(!ocsp.resp[0].has_next_update);
	TAP_CHECK_EQ(ocsp.n_certs, 4);
	TAP_CHECK_EQ(ocsp.certs[3].len, 5);
}

TAP_TEST(truncated_everywhere)
{
	struct ocsp_spec s = { .sig = -1, .nonce = true, .n_certs = 1 };
	static uint8_t copy[16384];
	size_t full;

	TAP_CHECK_EQ(parse(&s), X509_OK);
	full = out.n;
	memcpy(copy, out.b, full);
	for (size_t i = 0; i < full; i++) {
		enum x509_err r = x509_ocsp_parse(&ocsp, copy, i, &err);

		if (!r || !err.where[0] || err.reason != r) {
			printf("#   prefix of %zu bytes: %s '%s'\n", i,
			       x509_strerror(r), err.where);
			TAP_CHECK(0);
			break;
		}
	}
}

TAP_TEST(trailing_bytes)
{
	struct ocsp_spec s = { .sig = -1 };

	TAP_CHECK_EQ(parse(&s), X509_OK);
	out.b[out.n++] = 0;
	TAP_CHECK_EQ(x509_ocsp_parse(&ocsp, out.b, out.n, &err),
		     X509_E_TRAILING);
	TAP_CHECK(where_has("OCSPResponse"));
	s.trailing_inner = true;
	TAP_CHECK_EQ(parse(&s), X509_E_TRAILING);
	TAP_CHECK(where_has("BasicOCSPResponse"));
}

TAP_TEST(wrong_response_type)
{
	struct ocsp_spec s = { .sig = -1, .wrong_type = true };

	TAP_CHECK_EQ(parse(&s), X509_E_UNSUPPORTED);
	TAP_CHECK(where_has("responseType is not id-pkix-ocsp-basic"));
}

TAP_TEST(response_status)
{
	struct ocsp_spec s = { .sig = -1 };

	for (int st = 1; st <= 6; st++) {
		if (st == 4)
			continue;
		s.status = st;
		s.bytes_anyway = false;
		TAP_CHECK_EQ(parse(&s), X509_OK);
		TAP_CHECK_EQ(ocsp.status, st);
		TAP_CHECK_EQ(ocsp.n_responses, 0);
		/* §4.2.1: no responseBytes with an error status */
		s.bytes_anyway = true;
		TAP_CHECK_EQ(parse(&s), X509_E_TRAILING);
		TAP_CHECK(where_has("responseBytes with responseStatus"));
	}
	s.bytes_anyway = false;
	s.status = 4;			/* not used */
	TAP_CHECK_EQ(parse(&s), X509_E_UNSUPPORTED);
	TAP_CHECK(where_has("responseStatus"));
	s.status = 7;
	TAP_CHECK_EQ(parse(&s), X509_E_UNSUPPORTED);
	s.status = 0x80;		/* negative */
	TAP_CHECK_EQ(parse(&s), X509_E_INTEGER);
	/* successful needs responseBytes */
	TAP_CHECK_EQ(x509_ocsp_parse(&ocsp, B(0x30, 0x03, 0x0a, 0x01, 0x00),
				     &err), X509_E_TRUNCATED);
	TAP_CHECK(where_has("responseBytes"));
	TAP_CHECK(!strcmp(x509_ocsp_status_name(X509_OCSP_TRY_LATER),
			  "tryLater"));
}

TAP_TEST(limits)
{
	struct ocsp_spec s = { .sig = -1 };

	s.n_single = X509_OCSP_MAX_RESPONSES;
	TAP_CHECK_EQ(parse(&s), X509_OK);
	TAP_CHECK_EQ(ocsp.n_responses, X509_OCSP_MAX_RESPONSES);
	s.n_single = X509_OCSP_MAX_RESPONSES + 1;
	TAP_CHECK_EQ(parse(&s), X509_E_TOO_MANY);
	TAP_CHECK(where_has("responses: more than 16"));
	s.n_single = 1;
	s.n_certs = X509_OCSP_MAX_CERTS + 1;
	TAP_CHECK_EQ(parse(&s), X509_E_TOO_MANY);
	TAP_CHECK(where_has("certs: more than 4"));
	TAP_CHECK_EQ(x509_ocsp_parse(&ocsp, out.b, X509_OCSP_MAX_LEN + 1,
				     &err), X509_E_LENGTH);
}

TAP_TEST(field_errors)
{
	struct ocsp_spec s = { .sig = -1 };

	s.explicit_version = true;
	TAP_CHECK_EQ(parse(&s), X509_E_VERSION);
	TAP_CHECK(where_has("version"));
	s.explicit_version = false;
	s.by_key = true;
	s.bad_key_hash_len = true;
	TAP_CHECK_EQ(parse(&s), X509_E_LENGTH);
	TAP_CHECK(where_has("responderID: byKey"));
	s.by_key = false;
	s.single[0] = (struct single_spec){ .set = true, .serial = 0x42,
		.reason = -1, .this_update = NOW, .next_update = -1,
		.utc_this_update = true };
	TAP_CHECK_EQ(parse(&s), X509_E_TAG);
	TAP_CHECK(where_has("responses: 1: thisUpdate"));
	s.single[0].utc_this_update = false;
	s.single[0].status = 1;
	s.single[0].reason = 7;		/* not used in CRLReason */
	TAP_CHECK_EQ(parse(&s), X509_E_INTEGER);
	TAP_CHECK(where_has("revocationReason"));
	s.single[0].reason = 10;
	TAP_CHECK_EQ(parse(&s), X509_OK);
	s.single[0].status = 0;
	s.single[0].oid_mismatch = true;	/* SHA-256 named, 20 octets */
	TAP_CHECK_EQ(parse(&s), X509_E_LENGTH);
	TAP_CHECK(where_has("responses: 1: certID: issuerNameHash"));
	s.single[0].oid_mismatch = false;
	s.dup_ext = true;
	TAP_CHECK_EQ(parse(&s), X509_E_DUPLICATE_EXT);
	TAP_CHECK(where_has("responseExtensions: extension 1 twice"));
}

TAP_TEST(bad_cert_status_and_unknown_hash)
{
	struct ocsp_spec s = { .sig = -1 };
	uint8_t *p;

	TAP_CHECK_EQ(parse(&s), X509_OK);
	/* good [0] NULL is 80 00 after the serial 02 01 42: make it 83 00 */
	p = memmem(out.b, out.n, "\x02\x01\x42\x80\x00", 5);
	TAP_CHECK(p != NULL);
	if (p) {
		p[3] = 0x83;
		TAP_CHECK_EQ(x509_ocsp_parse(&ocsp, out.b, out.n, &err),
			     X509_E_TAG);
		TAP_CHECK(where_has("responses: 1: certStatus"));
		p[3] = 0x80;
		p[4] = 0x01;		/* NULL with a length: truncates */
		TAP_CHECK(x509_ocsp_parse(&ocsp, out.b, out.n, &err) != X509_OK);
	}
	/* a hash algorithm we do not know: parsed, kept as OTHER */
	TAP_CHECK_EQ(parse(&s), X509_OK);
	p = memmem(out.b, out.n, oid_sha1, sizeof(oid_sha1));
	TAP_CHECK(p != NULL);
	if (p) {
		p[4] = 0x1b;	/* 1.3.14.3.2.27 */
		TAP_CHECK_EQ(x509_ocsp_parse(&ocsp, out.b, out.n, &err),
			     X509_OK);
		TAP_CHECK_EQ(ocsp.resp[0].hash, X509_OCSP_HASH_OTHER);
	}
}

/* ---- x509_staple_check ---- */

static struct x509_cert issuer, leaf, scratch;

static enum x509_verdict check(const struct ocsp_spec *s,
			       struct x509_staple_result *res)
{
	struct x509_verify_params p = {
		.now = NOW, .revocation = X509_REV_SOFT,
		.verify_sig = fake_sig, .hash = fake_hash,
	};
	unsigned int checks = 0;

	memset(&issuer, 0, sizeof(issuer));
	issuer.subject = (struct x509_span){ name_ca, sizeof(name_ca) };
	issuer.key = (struct x509_span){ ca_key, sizeof(ca_key) };
	issuer.spki = issuer.key;
	issuer.key_alg.alg = X509_ALG_ED25519;
	memset(&leaf, 0, sizeof(leaf));
	leaf.serial = (struct x509_span){ (const uint8_t *)"\x42", 1 };
	leaf.subject = (struct x509_span){ name_other, sizeof(name_other) };
	if (parse(s)) {
		printf("#   does not parse: %s\n", err.where);
		return X509_VFY__COUNT;
	}
	return x509_staple_check(&ocsp, &leaf, &issuer, &p, &scratch, &checks,
				 res);
}

static bool msg_has(const struct x509_staple_result *r, const char *s)
{
	if (strstr(r->msg, s))
		return true;
	printf("#   message '%s' lacks '%s'\n", r->msg, s);
	return false;
}

TAP_TEST(staple_status)
{
	struct ocsp_spec s = { .sig = -1, .nonce = true };
	struct x509_staple_result r;

	TAP_CHECK_EQ(check(&s, &r), X509_VFY_OK);
	TAP_CHECK_EQ(r.state, X509_STAPLE_GOOD);
	TAP_CHECK_EQ(r.resp, 0);
	s.single[0] = (struct single_spec){ .set = true, .serial = 0x42,
		.status = 1, .reason = -1, .this_update = NOW - 3600,
		.next_update = NOW + 86400 };
	TAP_CHECK_EQ(check(&s, &r), X509_VFY_REVOKED);
	TAP_CHECK_EQ(r.state, X509_STAPLE_REVOKED);
	TAP_CHECK(msg_has(&r, "was revoked on 2025-12-02 00:00:00 UTC"));
	s.single[0].status = 2;
	TAP_CHECK_EQ(check(&s, &r), X509_VFY_OK);
	TAP_CHECK_EQ(r.state, X509_STAPLE_NO_INFO);
	s.single[0].status = 0;
	s.status = X509_OCSP_TRY_LATER;
	TAP_CHECK_EQ(check(&s, &r), X509_VFY_OK);
	TAP_CHECK_EQ(r.state, X509_STAPLE_NO_INFO);
	TAP_CHECK(msg_has(&r, "tryLater"));
}

TAP_TEST(staple_which_response)
{
	struct ocsp_spec s = { .sig = -1 };
	struct x509_staple_result r;

	/* another serial only */
	s.single[0] = (struct single_spec){ .set = true, .serial = 0x43,
		.reason = -1, .this_update = NOW - 3600,
		.next_update = NOW + 86400 };
	TAP_CHECK_EQ(check(&s, &r), X509_VFY_BAD_OCSP);
	TAP_CHECK_EQ(r.state, X509_STAPLE_UNUSABLE);
	TAP_CHECK(msg_has(&r, "for another certificate"));
	/* the leaf's serial from another issuer (name hash differs) */
	s.single[0].serial = 0x42;
	s.single[0].wrong_name_hash = true;
	TAP_CHECK_EQ(check(&s, &r), X509_VFY_BAD_OCSP);
	TAP_CHECK(msg_has(&r, "for another certificate"));
	/* a revoked response for another serial, then the leaf's: good */
	s.n_single = 2;
	s.single[0].wrong_name_hash = false;
	s.single[0].serial = 0x43;
	s.single[0].status = 1;
	s.single[1] = s.single[0];
	s.single[1].serial = 0x42;
	s.single[1].status = 0;
	s.single[1].hash_sha256 = true;
	TAP_CHECK_EQ(check(&s, &r), X509_VFY_OK);
	TAP_CHECK_EQ(r.state, X509_STAPLE_GOOD);
	TAP_CHECK_EQ(r.resp, 1);
}

TAP_TEST(staple_signer)
{
	struct ocsp_spec s = { .sig = -1 };
	struct x509_staple_result r;

	s.sig = ca_key[31] ^ 1;
	TAP_CHECK_EQ(check(&s, &r), X509_VFY_BAD_OCSP);
	TAP_CHECK(msg_has(&r, "its signature by the issuer 'CN=ca' does not verify"));
	s.sig = -1;
	s.by_key = true;
	TAP_CHECK_EQ(check(&s, &r), X509_VFY_OK);
	TAP_CHECK_EQ(r.state, X509_STAPLE_GOOD);
	s.by_key = false;
	s.other_responder = true;
	TAP_CHECK_EQ(check(&s, &r), X509_VFY_BAD_OCSP);
	TAP_CHECK(msg_has(&r, "its responder 'CN=xx' is neither the issuer nor a certificate it carries"));
	/* certificates that do not parse are no responder */
	s.n_certs = 2;
	TAP_CHECK_EQ(check(&s, &r), X509_VFY_BAD_OCSP);
}

TAP_TEST(staple_times)
{
	struct ocsp_spec s = { .sig = -1 };
	struct single_spec *t = &s.single[0];
	struct x509_staple_result r;

	*t = (struct single_spec){ .set = true, .serial = 0x42, .reason = -1,
		.this_update = NOW + X509_OCSP_SKEW, .next_update = NOW + 86400 };
	TAP_CHECK_EQ(check(&s, &r), X509_VFY_OK);
	t->this_update = NOW + X509_OCSP_SKEW + 1;
	TAP_CHECK_EQ(check(&s, &r), X509_VFY_BAD_OCSP);
	TAP_CHECK(msg_has(&r, "is in the future"));
	t->this_update = NOW - 86400;
	t->next_update = NOW - X509_OCSP_SKEW;
	TAP_CHECK_EQ(check(&s, &r), X509_VFY_OK);
	t->next_update = NOW - X509_OCSP_SKEW - 1;
	TAP_CHECK_EQ(check(&s, &r), X509_VFY_BAD_OCSP);
	TAP_CHECK(msg_has(&r, "stale: nextUpdate"));
	t->next_update = -1;
	t->this_update = NOW - X509_OCSP_MAX_AGE;
	TAP_CHECK_EQ(check(&s, &r), X509_VFY_OK);
	t->this_update = NOW - X509_OCSP_MAX_AGE - 1;
	TAP_CHECK_EQ(check(&s, &r), X509_VFY_BAD_OCSP);
	TAP_CHECK(msg_has(&r, "no nextUpdate"));
	/* a forged and stale response is reported as forged */
	s.sig = ca_key[31] ^ 1;
	TAP_CHECK_EQ(check(&s, &r), X509_VFY_BAD_OCSP);
	TAP_CHECK(msg_has(&r, "does not verify"));
}

TAP_TEST(staple_critical_extensions)
{
	struct ocsp_spec s = { .sig = -1, .crit_ext = true };
	struct x509_staple_result r;

	TAP_CHECK_EQ(check(&s, &r), X509_VFY_BAD_OCSP);
	TAP_CHECK(ocsp.unknown_critical);
	TAP_CHECK(msg_has(&r, "critical extension"));
	s.crit_ext = false;
	s.single[0] = (struct single_spec){ .set = true, .serial = 0x42,
		.reason = -1, .this_update = NOW, .next_update = -1,
		.crit_ext = true };
	TAP_CHECK_EQ(check(&s, &r), X509_VFY_BAD_OCSP);
	TAP_CHECK(ocsp.resp[0].unknown_critical);
}

int main(void)
{
	return tap_run();
}
