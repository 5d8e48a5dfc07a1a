// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * CRL structure rules (RFC 5280 §5), on CRLs built here byte by byte:
 * versions, the revoked list, entry and CRL extensions, what is flagged as
 * unsupported, and lookups in a long list. (x509_cert_test parses a CRL
 * made by openssl.)
 */
#include <stdint.h>
#include <stdio.h>

#include "x509_crl.h"
#include "tap.h"
#include "x509_build.h"

static const uint8_t alg[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
			       0x3d, 0x04, 0x03, 0x02 };
static const uint8_t name_ca[] = { 0x30, 0x0d, 0x31, 0x0b, 0x30, 0x09, 0x06,
				   0x03, 0x55, 0x04, 0x03, 0x0c, 0x02, 'c',
				   'a' };
#define UTC(s) tlv(o, 0x17, s, 13)

struct crl_spec {
	int version;			/* INTEGER value, or -1: absent */
	bool no_next_update;
	const struct buf *revoked;	/* contents of the SEQUENCE, or NULL */
	const struct buf *exts;		/* Extension TLVs, or NULL */
};

static struct buf out;

static void build(const struct crl_spec *s)
{
	static struct buf tbs, tmp, e2;
	struct buf *o = &tbs;

	memset(&tbs, 0, sizeof(tbs));
	if (s->version >= 0) {
		uint8_t v = (uint8_t)s->version;

		tlv(o, 0x02, &v, 1);
	}
	put(o, alg, sizeof(alg));
	put(o, name_ca, sizeof(name_ca));
	UTC("250101000000Z");
	if (!s->no_next_update)
		UTC("250201000000Z");
	if (s->revoked)
		tlv(o, 0x30, s->revoked->b, s->revoked->n);
	if (s->exts) {
		memset(&e2, 0, sizeof(e2));
		tlv(&e2, 0x30, s->exts->b, s->exts->n);
		tlv(o, 0xa0, e2.b, e2.n);
	}
	memset(&tmp, 0, sizeof(tmp));
	tlv(&tmp, 0x30, tbs.b, tbs.n);
	put(&tmp, alg, sizeof(alg));
	tlv(&tmp, 0x03, "\x00\x30\x00", 3);
	memset(&out, 0, sizeof(out));
	tlv(&out, 0x30, tmp.b, tmp.n);
}

static struct x509_crl crl;
static struct x509_error err;

static enum x509_err parse(const struct crl_spec *s)
{
	build(s);
	return x509_crl_parse(&crl, out.b, out.n, &err);
}

/* One revoked entry: serial (contents), date, optional extension TLVs. */
static void entry(struct buf *list, const uint8_t *serial, size_t n,
		  const char *date, const struct buf *exts)
{
	struct buf e = { .n = 0 }, x = { .n = 0 };

	tlv(&e, 0x02, serial, n);
	tlv(&e, 0x17, date, strlen(date));
	if (exts) {
		tlv(&x, 0x30, exts->b, exts->n);
		put(&e, x.b, x.n);
	}
	tlv(list, 0x30, e.b, e.n);
}

#define OID_REASON B(0x55, 0x1d, 0x15)
#define OID_INVALIDITY B(0x55, 0x1d, 0x18)
#define OID_CERT_ISSUER B(0x55, 0x1d, 0x1d)
#define OID_CRL_NUMBER B(0x55, 0x1d, 0x14)
#define OID_DELTA B(0x55, 0x1d, 0x1b)
#define OID_IDP B(0x55, 0x1d, 0x1c)

#define CHECK_WHERE(msg) do {						\
	if (strcmp(err.where, (msg)))					\
		printf("#   where: \"%s\"\n", err.where);		\
	TAP_CHECK(!strcmp(err.where, (msg)));				\
} while (0)

TAP_TEST(v1_without_revocations)
{
	struct crl_spec s = { .version = -1 };

	TAP_CHECK_EQ(parse(&s), X509_OK);
	TAP_CHECK_EQ(crl.version, 1);
	TAP_CHECK_EQ(crl.n_revoked, 0);
	TAP_CHECK(crl.has_next_update);
	TAP_CHECK_EQ(crl.this_update, 1735689600);
	TAP_CHECK(!x509_crl_find(&crl, (struct x509_span){ B(0x01) }, NULL));
	s.no_next_update = true;
	TAP_CHECK_EQ(parse(&s), X509_OK);
	TAP_CHECK(!crl.has_next_update);
}

TAP_TEST(versions)
{
	struct buf x = { .n = 0 };
	struct crl_spec s = { .version = 0 };

	TAP_CHECK_EQ(parse(&s), X509_E_VERSION);	/* v1 spelled out */
	CHECK_WHERE("crl: version");
	s.version = 2;
	TAP_CHECK_EQ(parse(&s), X509_E_VERSION);
	s.version = 1;
	TAP_CHECK_EQ(parse(&s), X509_OK);
	TAP_CHECK_EQ(crl.version, 2);
	/* extensions need v2 */
	ext(&x, OID_CRL_NUMBER, -1, B(0x02, 0x01, 0x05));
	s.exts = &x;
	s.version = -1;
	TAP_CHECK_EQ(parse(&s), X509_E_VERSION);
	CHECK_WHERE("crl: crlExtensions in a v1 CRL");
	s.version = 1;
	TAP_CHECK_EQ(parse(&s), X509_OK);
	TAP_CHECK_EQ(crl.crl_number.len, 1);
	TAP_CHECK_EQ(crl.crl_number.p[0], 5);
}

TAP_TEST(revoked_list)
{
	struct buf list = { .n = 0 }, x = { .n = 0 };
	struct crl_spec s = { .version = 1, .revoked = &list };
	struct x509_crl_entry ent;

	TAP_CHECK_EQ(parse(&s), X509_E_EMPTY);	/* empty list: omit it */
	CHECK_WHERE("crl: revokedCertificates: empty");
	ext(&x, OID_REASON, -1, B(0x0a, 0x01, 0x03));
	ext(&x, OID_INVALIDITY, -1, B(0x18, 0x0f, '2', '0', '2', '4', '1', '2',
				      '3', '1', '0', '0', '0', '0', '0', '0',
				      'Z'));
	entry(&list, B(0x05), "250101000000Z", &x);
	entry(&list, B(0x00, 0x80), "250102000000Z", NULL);
	TAP_CHECK_EQ(parse(&s), X509_OK);
	TAP_CHECK_EQ(crl.n_revoked, 2);
	TAP_CHECK(x509_crl_find(&crl, (struct x509_span){ B(0x05) }, &ent));
	TAP_CHECK_EQ(ent.reason, 3);		/* affiliationChanged */
	TAP_CHECK(ent.has_invalidity_date);
	TAP_CHECK_EQ(ent.invalidity_date, 1735603200);
	TAP_CHECK(x509_crl_find(&crl, (struct x509_span){ B(0x00, 0x80) },
				&ent));
	TAP_CHECK_EQ(ent.reason, X509_CRL_REASON_NONE);
	TAP_CHECK_EQ(ent.revocation_date, 1735776000);
	TAP_CHECK(!x509_crl_find(&crl, (struct x509_span){ B(0x80) }, NULL));
	TAP_CHECK(!crl.unknown_critical);
	/* entry extensions need v2 */
	s.version = -1;
	TAP_CHECK_EQ(parse(&s), X509_E_VERSION);
	CHECK_WHERE("crl: revokedCertificates: entry 1: extensions in a v1 CRL");
}

TAP_TEST(entry_errors)
{
	struct buf list = { .n = 0 }, x = { .n = 0 };
	struct crl_spec s = { .version = 1, .revoked = &list };

	entry(&list, B(0x05), "250101000000Z", NULL);
	entry(&list, B(0x06), "250101000000", NULL);
	TAP_CHECK_EQ(parse(&s), X509_E_TIME);
	CHECK_WHERE("crl: revokedCertificates: entry 2: revocationDate");

	memset(&list, 0, sizeof(list));
	entry(&list, B(0x00, 0x05), "250101000000Z", NULL);
	TAP_CHECK_EQ(parse(&s), X509_E_INTEGER);
	CHECK_WHERE("crl: revokedCertificates: entry 1: userCertificate");

	/* reasonCode 7 is unassigned */
	memset(&list, 0, sizeof(list));
	ext(&x, OID_REASON, -1, B(0x0a, 0x01, 0x07));
	entry(&list, B(0x05), "250101000000Z", &x);
	TAP_CHECK_EQ(parse(&s), X509_E_EXTENSION);
	CHECK_WHERE("crl: revokedCertificates: entry 1: reasonCode");

	/* reasonCode is ENUMERATED, not INTEGER */
	memset(&list, 0, sizeof(list));
	memset(&x, 0, sizeof(x));
	ext(&x, OID_REASON, -1, B(0x02, 0x01, 0x01));
	entry(&list, B(0x05), "250101000000Z", &x);
	TAP_CHECK_EQ(parse(&s), X509_E_TAG);

	/* invalidityDate is GeneralizedTime only */
	memset(&list, 0, sizeof(list));
	memset(&x, 0, sizeof(x));
	ext(&x, OID_INVALIDITY, -1, B(0x17, 0x0d, '2', '5', '0', '1', '0', '1',
				      '0', '0', '0', '0', '0', '0', 'Z'));
	entry(&list, B(0x05), "250101000000Z", &x);
	TAP_CHECK_EQ(parse(&s), X509_E_TAG);
	CHECK_WHERE("crl: revokedCertificates: entry 1: invalidityDate");

	/* the same entry extension twice */
	memset(&list, 0, sizeof(list));
	memset(&x, 0, sizeof(x));
	ext(&x, OID_REASON, -1, B(0x0a, 0x01, 0x01));
	ext(&x, OID_REASON, -1, B(0x0a, 0x01, 0x01));
	entry(&list, B(0x05), "250101000000Z", &x);
	TAP_CHECK_EQ(parse(&s), X509_E_DUPLICATE_EXT);
}

/* Indirect CRLs, delta CRLs and issuingDistributionPoint: flagged. */
TAP_TEST(unsupported_critical_extensions_flagged)
{
	struct buf list = { .n = 0 }, x = { .n = 0 }, c = { .n = 0 };
	struct crl_spec s = { .version = 1, .exts = &c };

	ext(&c, OID_DELTA, 1, B(0x02, 0x01, 0x04));
	TAP_CHECK_EQ(parse(&s), X509_OK);
	TAP_CHECK(crl.unknown_critical);
	TAP_CHECK(der_oid_is(crl.unknown_critical_oid, B(0x55, 0x1d, 0x1b)));

	memset(&c, 0, sizeof(c));
	ext(&c, OID_IDP, 1, B(0x30, 0x03, 0x81, 0x01, 0xff));
	TAP_CHECK_EQ(parse(&s), X509_OK);
	TAP_CHECK(crl.unknown_critical);

	/* not marked critical: they change the CRL's scope all the same */
	memset(&c, 0, sizeof(c));
	ext(&c, OID_IDP, -1, B(0x30, 0x03, 0x81, 0x01, 0xff));
	TAP_CHECK_EQ(parse(&s), X509_OK);
	TAP_CHECK(crl.unknown_critical);
	TAP_CHECK_EQ(crl.n_ext, 1);
	TAP_CHECK(!crl.ext[0].critical);

	/* an unknown extension not marked critical: recorded, not flagged */
	memset(&c, 0, sizeof(c));
	ext(&c, B(0x2a, 0x03, 0x04), -1, B(0x05, 0x00));
	TAP_CHECK_EQ(parse(&s), X509_OK);
	TAP_CHECK(!crl.unknown_critical);
	TAP_CHECK_EQ(crl.n_ext, 1);
	TAP_CHECK(!crl.ext[0].understood);

	/* certificateIssuer on an entry, even non-critical */
	s.exts = NULL;
	s.revoked = &list;
	ext(&x, OID_CERT_ISSUER, -1, B(0x30, 0x05, 0x82, 0x03, 'a', '.', 'b'));
	entry(&list, B(0x05), "250101000000Z", &x);
	TAP_CHECK_EQ(parse(&s), X509_OK);
	TAP_CHECK(crl.unknown_critical);
	memset(&list, 0, sizeof(list));
	memset(&x, 0, sizeof(x));
	ext(&x, OID_CERT_ISSUER, 1, B(0x30, 0x05, 0x82, 0x03, 'a', '.', 'b'));
	entry(&list, B(0x05), "250101000000Z", &x);
	TAP_CHECK_EQ(parse(&s), X509_OK);
	TAP_CHECK(crl.unknown_critical);
	TAP_CHECK(der_oid_is(crl.unknown_critical_oid, B(0x55, 0x1d, 0x1d)));
}

TAP_TEST(crl_extension_errors)
{
	struct buf c = { .n = 0 };
	struct crl_spec s = { .version = 1, .exts = &c };

	ext(&c, OID_CRL_NUMBER, -1, B(0x02, 0x01, 0xff));	/* -1 */
	TAP_CHECK_EQ(parse(&s), X509_E_INTEGER);
	CHECK_WHERE("crl: crlExtensions: cRLNumber");
	memset(&c, 0, sizeof(c));
	ext(&c, OID_CRL_NUMBER, -1, B(0x02, 0x01, 0x01));
	ext(&c, OID_CRL_NUMBER, -1, B(0x02, 0x01, 0x02));
	TAP_CHECK_EQ(parse(&s), X509_E_DUPLICATE_EXT);
	memset(&c, 0, sizeof(c));
	TAP_CHECK_EQ(parse(&s), X509_E_EMPTY);
	CHECK_WHERE("crl: crlExtensions: empty");
	ext(&c, B(0x55, 0x1d, 0x23), -1, B(0x30, 0x03, 0x80, 0x01, 0xaa));
	TAP_CHECK_EQ(parse(&s), X509_OK);
	TAP_CHECK_EQ(crl.aki.key_id.len, 1);
	TAP_CHECK_EQ(crl.aki.key_id.p[0], 0xaa);
}

/* A long list is no problem: nothing is stored per entry. */
TAP_TEST(many_entries)
{
	static struct buf list;
	struct crl_spec s = { .version = 1, .revoked = &list };
	struct x509_crl_entry ent;
	unsigned int i;

	memset(&list, 0, sizeof(list));
	for (i = 0; i < 600; i++) {
		uint8_t serial[3] = { 0x01, (uint8_t)(i >> 8), (uint8_t)i };

		entry(&list, serial, 3, "250101000000Z", NULL);
	}
	TAP_CHECK_EQ(parse(&s), X509_OK);
	TAP_CHECK_EQ(crl.n_revoked, 600);
	TAP_CHECK(x509_crl_find(&crl, (struct x509_span){ B(0x01, 0x02, 0x57) },
				&ent));
	TAP_CHECK(!x509_crl_find(&crl, (struct x509_span){ B(0x01, 0x02, 0x58) },
				 &ent));
}

TAP_TEST(truncated_everywhere)
{
	struct buf list = { .n = 0 }, x = { .n = 0 }, c = { .n = 0 };
	struct crl_spec s = { .version = 1, .revoked = &list, .exts = &c };
	unsigned int bad = 0;
	size_t n;

	ext(&x, OID_REASON, -1, B(0x0a, 0x01, 0x01));
	entry(&list, B(0x05), "250101000000Z", &x);
	ext(&c, OID_CRL_NUMBER, -1, B(0x02, 0x01, 0x05));
	build(&s);
	TAP_CHECK_EQ(x509_crl_parse(&crl, out.b, out.n, &err), X509_OK);
	for (n = 0; n < out.n; n++) {
		uint8_t *p = malloc(n ? n : 1);

		memcpy(p, out.b, n);
		bad += x509_crl_parse(&crl, p, n, &err) == X509_OK;
		free(p);
	}
	TAP_CHECK_EQ(bad, 0);
}

int main(void)
{
	return tap_run();
}
