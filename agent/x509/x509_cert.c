// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * x509_cert.c: X.509 certificate parsing (RFC 5280 §4.1, §4.2).
 *
 * Why it is shaped so. The parser reads like the ASN.1 it implements: one
 * function per production, each taking a reader over exactly its bytes and
 * ending with der_done(), so a field that is too long, too short or followed
 * by junk fails where it is, with the field's name in the error. The result
 * is a struct of spans into the caller's buffer, not a tree: path
 * validation can compare issuer and subject as raw DER, since RFC 5280
 * §4.1.2.6 says "When the subject of the certificate is a CA, the subject
 * field MUST be encoded in the same way as it is encoded in the issuer
 * field (see Section 4.1.2.4) in all certificates issued by the subject
 * CA" (the §7.1 comparison rules are for CAs that break this); it hands the
 * TBS span, algorithm and signature to the crypto provider, and reads the
 * few extensions that matter through fixed-size arrays.
 *
 * Extensions are dispatched by a table (OID -> handler). Every extension is
 * recorded; those in the table are parsed and must be well formed; any
 * other one marked critical sets unknown_critical, because RFC 5280 §4.2
 * says "A certificate-using system MUST reject the certificate if it
 * encounters a critical extension it does not recognize or a critical
 * extension that contains information that it cannot process." Rejecting
 * is the verifier's job; the parser only reports, so tools can still show
 * such certificates.
 *
 * Caps (X509_MAX_*) bound every array; exceeding one is an error of its
 * own (X509_E_TOO_MANY), never a silent truncation, since a dropped SAN or
 * name constraint would change a verification result.
 */
#include <stdio.h>
#include <string.h>

#include "x509_cert.h"

#define OID(...) ((const uint8_t[]){ __VA_ARGS__ }), \
	sizeof((const uint8_t[]){ __VA_ARGS__ })

static const struct {
	const uint8_t *oid;
	size_t len;
	enum x509_alg alg;
} x509_algs[] = {
	{ OID(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01), X509_ALG_RSA },
	{ OID(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a), X509_ALG_RSA_PSS },
	{ OID(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b), X509_ALG_RSA_SHA256 },
	{ OID(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c), X509_ALG_RSA_SHA384 },
	{ OID(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d), X509_ALG_RSA_SHA512 },
	{ OID(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05), X509_ALG_RSA_SHA1 },
	{ OID(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01), X509_ALG_EC },
	{ OID(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02), X509_ALG_ECDSA_SHA256 },
	{ OID(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03), X509_ALG_ECDSA_SHA384 },
	{ OID(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04), X509_ALG_ECDSA_SHA512 },
	{ OID(0x2b, 0x65, 0x70), X509_ALG_ED25519 },
	{ OID(0x2b, 0x65, 0x71), X509_ALG_ED448 },
	{ OID(0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x11), X509_ALG_ML_DSA_44 },
	{ OID(0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x12), X509_ALG_ML_DSA_65 },
	{ OID(0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x13), X509_ALG_ML_DSA_87 },
};

static const char *const gn_names[X509_GN__COUNT] = {
	[X509_GN_OTHER_NAME] = "otherName",
	[X509_GN_RFC822] = "rfc822Name",
	[X509_GN_DNS] = "dNSName",
	[X509_GN_X400] = "x400Address",
	[X509_GN_DIRECTORY] = "directoryName",
	[X509_GN_EDI_PARTY] = "ediPartyName",
	[X509_GN_URI] = "uniformResourceIdentifier",
	[X509_GN_IP] = "iPAddress",
	[X509_GN_REGISTERED_ID] = "registeredID",
};

const char *x509_gn_name(enum x509_gn_type type)
{
	return (unsigned int)type < X509_GN__COUNT ? gn_names[type] : "?";
}

/* AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } */
enum x509_err x509_parse_algid(struct der *d, struct x509_algid *a)
{
	struct der s;
	struct der_tlv t;
	enum x509_err r;
	size_t i;

	memset(a, 0, sizeof(*a));
	a->raw.p = d->p;
	r = der_enter(d, DER_SEQUENCE, &s);
	if (r)
		return r;
	a->raw.len = (size_t)(d->p - a->raw.p);
	r = der_expect(&s, DER_OID, &t);
	if (r)
		return r;
	r = der_oid_check(t.val);
	if (r)
		return r;
	a->oid = t.val;
	if (!der_empty(&s)) {
		r = der_next(&s, &t);
		if (r)
			return r;
		if (t.tag == DER_NULL && der_null(t.val))
			return X509_E_NULL;
		a->params = t.raw;
	}
	for (i = 0; i < sizeof(x509_algs) / sizeof(x509_algs[0]); i++)
		if (der_oid_is(a->oid, x509_algs[i].oid, x509_algs[i].len))
			a->alg = x509_algs[i].alg;
	return der_done(&s);
}

/*
 * Name ::= SEQUENCE OF RelativeDistinguishedName
 * RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
 * AttributeTypeAndValue ::= SEQUENCE { type OID, value ANY }
 *
 * Checked for shape only; the verifier compares Names as whole DER spans.
 */
enum x509_err x509_parse_name(struct der *d, struct x509_span *raw)
{
	struct der name, rdn, atv;
	struct der_tlv t;
	unsigned int n_rdn = 0;
	enum x509_err r;

	raw->p = d->p;
	r = der_enter(d, DER_SEQUENCE, &name);
	if (r)
		return r;
	raw->len = (size_t)(d->p - raw->p);
	while (!der_empty(&name)) {
		if (++n_rdn > X509_MAX_RDN)
			return X509_E_TOO_MANY;
		r = der_enter(&name, DER_SET, &rdn);
		if (r)
			return r;
		if (der_empty(&rdn))
			return X509_E_EMPTY;
		while (!der_empty(&rdn)) {
			r = der_enter(&rdn, DER_SEQUENCE, &atv);
			if (!r)
				r = der_expect(&atv, DER_OID, &t);
			if (!r)
				r = der_oid_check(t.val);
			if (!r)
				r = der_next(&atv, &t);
			if (!r)
				r = der_done(&atv);
			if (r)
				return r;
		}
	}
	return X509_OK;
}

/* A subtree mask must be a CIDR prefix: ones, then zeros. */
static bool mask_is_prefix(const uint8_t *m, size_t n)
{
	bool zeros = false;
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t inv = (uint8_t)~m[i];

		if (zeros && m[i])
			return false;
		if (inv & (uint8_t)(inv + 1))	/* not 1...10...0 */
			return false;
		if (m[i] != 0xff)
			zeros = true;
	}
	return true;
}

/*
 * GeneralName ::= CHOICE {
 *	otherName [0] OtherName, rfc822Name [1] IA5String,
 *	dNSName [2] IA5String, x400Address [3] ORAddress,
 *	directoryName [4] Name, ediPartyName [5] EDIPartyName,
 *	uniformResourceIdentifier [6] IA5String,
 *	iPAddress [7] OCTET STRING, registeredID [8] OBJECT IDENTIFIER }
 *
 * The module is IMPLICIT TAGS, except that [4] Name is a CHOICE and so
 * explicitly tagged. §4.2.1.6: an iPAddress SAN is "four octets" (IPv4)
 * or "16 octets" (IPv6); §4.2.1.10: in a subtree it is address then mask,
 * 8 or 32 octets.
 */
static enum x509_err parse_general_name(struct der *d,
					struct x509_general_name *gn,
					bool subtree, struct x509_error *e,
					const char *where)
{
	struct der_tlv t;
	struct der s;
	enum x509_gn_type type;
	enum x509_err r;
	uint8_t tag = der_peek(d);

	if ((tag & 0xc0) != 0x80 || (tag & 0x1f) >= X509_GN__COUNT)
		return x509_fail(e, der_empty(d) ? X509_E_TRUNCATED : X509_E_NAME,
				 "%s: GeneralName with tag 0x%02x", where, tag);
	type = (enum x509_gn_type)(tag & 0x1f);
	gn->type = type;
	switch (type) {
	case X509_GN_OTHER_NAME:
	case X509_GN_X400:
	case X509_GN_EDI_PARTY:
		r = der_enter(d, DER_CTX_CONS(type), &s);
		if (r)
			break;
		gn->value.p = s.p;
		gn->value.len = (size_t)(s.end - s.p);
		if (type == X509_GN_OTHER_NAME) {
			/* OtherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY } */
			r = der_expect(&s, DER_OID, &t);
			if (!r)
				r = der_oid_check(t.val);
			if (!r)
				r = der_expect(&s, DER_CTX_CONS(0), &t);
			if (!r)
				r = der_done(&s);
		}
		break;
	case X509_GN_DIRECTORY:
		r = der_enter(d, DER_CTX_CONS(type), &s);
		if (!r)
			r = x509_parse_name(&s, &gn->value);
		if (!r)
			r = der_done(&s);
		break;
	case X509_GN_RFC822:
	case X509_GN_DNS:
	case X509_GN_URI:
		r = der_expect(d, DER_CTX(type), &t);
		if (!r)
			r = der_ia5_check(t.val);
		if (!r)
			gn->value = t.val;
		break;
	case X509_GN_IP:
		r = der_expect(d, DER_CTX(type), &t);
		if (r)
			break;
		gn->value = t.val;
		if (!subtree && t.val.len != 4 && t.val.len != 16)
			return x509_fail(e, X509_E_NAME,
					 "%s: iPAddress of length %zu", where,
					 t.val.len);
		if (subtree && t.val.len != 8 && t.val.len != 32)
			return x509_fail(e, X509_E_NAME,
					 "%s: iPAddress subtree of length %zu",
					 where, t.val.len);
		if (subtree && !mask_is_prefix(t.val.p + t.val.len / 2,
					       t.val.len / 2))
			return x509_fail(e, X509_E_NAME,
					 "%s: iPAddress subtree mask is not a prefix",
					 where);
		break;
	case X509_GN_REGISTERED_ID:
		r = der_expect(d, DER_CTX(type), &t);
		if (!r)
			r = der_oid_check(t.val);
		if (!r)
			gn->value = t.val;
		break;
	default:
		r = X509_E_NAME;
		break;
	}
	if (r)
		return x509_fail(e, r, "%s: %s", where, gn_names[type]);
	return X509_OK;
}

/* SEQUENCE SIZE (1..MAX) OF GeneralName into an array, or just checked. */
static enum x509_err parse_general_names(struct der *s,
					 struct x509_general_name *out,
					 unsigned int max, unsigned int *n,
					 struct x509_error *e,
					 const char *where)
{
	struct x509_general_name scratch;
	enum x509_err r;

	*n = 0;
	if (der_empty(s))
		return x509_fail(e, X509_E_EMPTY, "%s: no names", where);
	while (!der_empty(s)) {
		if (out && *n == max)
			return x509_fail(e, X509_E_TOO_MANY,
					 "%s: more than %u names", where, max);
		r = parse_general_name(s, out ? &out[*n] : &scratch, false, e,
				       where);
		if (r)
			return r;
		(*n)++;
	}
	return X509_OK;
}

/* §4.2.1.9 BasicConstraints ::= SEQUENCE {
 *	cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL } */
static enum x509_err ext_basic_constraints(struct der *v, struct x509_cert *c,
					   struct x509_error *e)
{
	struct der s;
	struct der_tlv t;
	bool present;
	uint32_t pl;
	enum x509_err r;

	r = der_enter(v, DER_SEQUENCE, &s);
	if (r)
		return x509_fail(e, r, "extensions: basicConstraints");
	r = der_optional(&s, DER_BOOLEAN, &t, &present);
	if (!r && present)
		r = der_boolean(t.val, &c->ca);
	if (r)
		return x509_fail(e, r, "extensions: basicConstraints: cA");
	r = der_optional(&s, DER_INTEGER, &t, &present);
	if (!r && present) {
		r = der_small_uint(t.val, INT32_MAX, &pl);
		c->path_len = (int)pl;
	}
	if (r)
		return x509_fail(e, r,
				 "extensions: basicConstraints: pathLenConstraint");
	if (der_done(&s) || der_done(v))
		return x509_fail(e, X509_E_TRAILING,
				 "extensions: basicConstraints");
	return X509_OK;
}

/* §4.2.1.3 KeyUsage ::= BIT STRING { digitalSignature (0), ...,
 * decipherOnly (8) }: "When the keyUsage extension appears in a
 * certificate, at least one of the bits MUST be set to 1." */
static enum x509_err ext_key_usage(struct der *v, struct x509_cert *c,
				   struct x509_error *e)
{
	struct der_tlv t;
	struct x509_span bits;
	unsigned int unused, i;
	enum x509_err r;

	r = der_expect(v, DER_BIT_STRING, &t);
	if (!r)
		r = der_bit_string(t.val, &bits, &unused);
	if (!r)
		r = der_done(v);
	if (r)
		return x509_fail(e, r, "extensions: keyUsage");
	/* Nine named bits fit in two octets; DER drops trailing zero bits,
	 * so a longer string names a bit RFC 5280 does not define. */
	if (bits.len > 2)
		return x509_fail(e, X509_E_EXTENSION,
				 "extensions: keyUsage: %zu octets", bits.len);
	c->key_usage = 0;
	for (i = 0; i < 8 * bits.len; i++) {
		if (!(bits.p[i / 8] & (0x80 >> (i % 8))))
			continue;
		if (i > 8)
			return x509_fail(e, X509_E_EXTENSION,
					 "extensions: keyUsage: unknown bit %u",
					 i);
		c->key_usage |= 1u << i;
	}
	if (!c->key_usage)
		return x509_fail(e, X509_E_EXTENSION,
				 "extensions: keyUsage: no bit set");
	return X509_OK;
}

/* §4.2.1.12 ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId */
static enum x509_err ext_ext_key_usage(struct der *v, struct x509_cert *c,
				       struct x509_error *e)
{
	static const uint8_t server_auth[] = {
		0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01 };
	static const uint8_t client_auth[] = {
		0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02 };
	static const uint8_t ocsp_signing[] = {
		0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x09 };
	static const uint8_t any_eku[] = { 0x55, 0x1d, 0x25, 0x00 };
	struct der s;
	struct der_tlv t;
	unsigned int n = 0;
	enum x509_err r;

	r = der_enter(v, DER_SEQUENCE, &s);
	if (!r)
		r = der_done(v);
	if (r)
		return x509_fail(e, r, "extensions: extKeyUsage");
	if (der_empty(&s))
		return x509_fail(e, X509_E_EMPTY,
				 "extensions: extKeyUsage: no purpose");
	c->eku = 0;
	while (!der_empty(&s)) {
		if (++n > X509_MAX_EKU)
			return x509_fail(e, X509_E_TOO_MANY,
					 "extensions: extKeyUsage: more than %u purposes",
					 X509_MAX_EKU);
		r = der_expect(&s, DER_OID, &t);
		if (!r)
			r = der_oid_check(t.val);
		if (r)
			return x509_fail(e, r,
					 "extensions: extKeyUsage: purpose %u",
					 n);
		if (der_oid_is(t.val, server_auth, sizeof(server_auth)))
			c->eku |= X509_EKU_SERVER_AUTH;
		else if (der_oid_is(t.val, client_auth, sizeof(client_auth)))
			c->eku |= X509_EKU_CLIENT_AUTH;
		else if (der_oid_is(t.val, any_eku, sizeof(any_eku)))
			c->eku |= X509_EKU_ANY;
		else if (der_oid_is(t.val, ocsp_signing, sizeof(ocsp_signing)))
			c->eku |= X509_EKU_OCSP_SIGNING;
		else
			c->eku |= X509_EKU_OTHER;
	}
	return X509_OK;
}

/* §4.2.1.6 SubjectAltName ::= GeneralNames */
static enum x509_err ext_subject_alt_name(struct der *v, struct x509_cert *c,
					  struct x509_error *e)
{
	struct der s;
	enum x509_err r;

	r = der_enter(v, DER_SEQUENCE, &s);
	if (!r)
		r = der_done(v);
	if (r)
		return x509_fail(e, r, "extensions: subjectAltName");
	return parse_general_names(&s, c->san, X509_MAX_SAN, &c->n_san, e,
				   "extensions: subjectAltName");
}

/*
 * §4.2.1.10 NameConstraints ::= SEQUENCE {
 *	permittedSubtrees [0] GeneralSubtrees OPTIONAL,
 *	excludedSubtrees [1] GeneralSubtrees OPTIONAL }
 * GeneralSubtrees ::= SEQUENCE SIZE (1..MAX) OF GeneralSubtree
 * GeneralSubtree ::= SEQUENCE { base GeneralName,
 *	minimum [0] BaseDistance DEFAULT 0, maximum [1] BaseDistance OPTIONAL }
 *
 * "Conforming CAs MUST NOT issue certificates where name constraints is an
 * empty sequence." "Within this profile, the minimum and maximum fields are
 * not used with any name forms, thus, the minimum MUST be zero, and maximum
 * MUST be absent." (In DER a zero minimum is not encoded at all.)
 */
static enum x509_err parse_subtrees(struct der *d, uint8_t tag,
				    struct x509_general_name *out,
				    unsigned int *n, struct x509_error *e,
				    const char *where)
{
	struct der list, st;
	enum x509_err r;

	r = der_enter(d, tag, &list);
	if (r)
		return x509_fail(e, r, "%s", where);
	if (der_empty(&list))
		return x509_fail(e, X509_E_EMPTY, "%s: no subtrees", where);
	while (!der_empty(&list)) {
		if (*n == X509_MAX_SUBTREES)
			return x509_fail(e, X509_E_TOO_MANY,
					 "%s: more than %u subtrees", where,
					 X509_MAX_SUBTREES);
		r = der_enter(&list, DER_SEQUENCE, &st);
		if (r)
			return x509_fail(e, r, "%s: GeneralSubtree", where);
		r = parse_general_name(&st, &out[*n], true, e, where);
		if (r)
			return r;
		if (!der_empty(&st))
			return x509_fail(e, X509_E_EXTENSION,
					 "%s: %s: minimum or maximum present",
					 where, gn_names[out[*n].type]);
		(*n)++;
	}
	return X509_OK;
}

static enum x509_err ext_name_constraints(struct der *v, struct x509_cert *c,
					  struct x509_error *e)
{
	struct der s;
	enum x509_err r;

	r = der_enter(v, DER_SEQUENCE, &s);
	if (!r)
		r = der_done(v);
	if (r)
		return x509_fail(e, r, "extensions: nameConstraints");
	if (der_empty(&s))
		return x509_fail(e, X509_E_EMPTY,
				 "extensions: nameConstraints: empty");
	c->n_permitted = c->n_excluded = 0;
	if (der_peek(&s) == DER_CTX_CONS(0)) {
		r = parse_subtrees(&s, DER_CTX_CONS(0), c->permitted,
				   &c->n_permitted, e,
				   "extensions: nameConstraints: permittedSubtrees");
		if (r)
			return r;
	}
	if (der_peek(&s) == DER_CTX_CONS(1)) {
		r = parse_subtrees(&s, DER_CTX_CONS(1), c->excluded,
				   &c->n_excluded, e,
				   "extensions: nameConstraints: excludedSubtrees");
		if (r)
			return r;
	}
	if (der_done(&s))
		return x509_fail(e, X509_E_TRAILING,
				 "extensions: nameConstraints");
	return X509_OK;
}

/*
 * §4.2.1.1 AuthorityKeyIdentifier ::= SEQUENCE {
 *	keyIdentifier [0] KeyIdentifier OPTIONAL,
 *	authorityCertIssuer [1] GeneralNames OPTIONAL,
 *	authorityCertSerialNumber [2] CertificateSerialNumber OPTIONAL }
 * X.509 (and §4.2.1.1's ASN.1 module note) require [1] and [2] together.
 */
enum x509_err x509_parse_aki(struct der *v, struct x509_aki *aki,
			     struct x509_error *e, const char *where)
{
	struct der s, names;
	struct der_tlv t;
	bool present;
	unsigned int n;
	enum x509_err r;

	memset(aki, 0, sizeof(*aki));
	r = der_enter(v, DER_SEQUENCE, &s);
	if (!r)
		r = der_done(v);
	if (r)
		return x509_fail(e, r, "%s", where);
	r = der_optional(&s, DER_CTX(0), &t, &present);
	if (r)
		return x509_fail(e, r, "%s: keyIdentifier", where);
	if (present)
		aki->key_id = t.val;
	if (der_peek(&s) == DER_CTX_CONS(1)) {
		r = der_enter(&s, DER_CTX_CONS(1), &names);
		if (r)
			return x509_fail(e, r, "%s: authorityCertIssuer", where);
		aki->issuer.p = names.p;
		aki->issuer.len = (size_t)(names.end - names.p);
		r = parse_general_names(&names, NULL, 0, &n, e, where);
		if (r)
			return r;
	}
	r = der_optional(&s, DER_CTX(2), &t, &present);
	if (!r && present) {
		r = der_integer_check(t.val);
		aki->serial = t.val;
	}
	if (r)
		return x509_fail(e, r, "%s: authorityCertSerialNumber", where);
	if (!aki->issuer.len != !aki->serial.len)
		return x509_fail(e, X509_E_EXTENSION,
				 "%s: authorityCertIssuer without authorityCertSerialNumber or the reverse",
				 where);
	if (der_done(&s))
		return x509_fail(e, X509_E_TRAILING, "%s", where);
	return X509_OK;
}

static enum x509_err ext_authority_key_id(struct der *v, struct x509_cert *c,
					  struct x509_error *e)
{
	return x509_parse_aki(v, &c->aki, e,
			      "extensions: authorityKeyIdentifier");
}

/* §4.2.1.2 SubjectKeyIdentifier ::= KeyIdentifier (OCTET STRING) */
static enum x509_err ext_subject_key_id(struct der *v, struct x509_cert *c,
					struct x509_error *e)
{
	struct der_tlv t;
	enum x509_err r;

	r = der_expect(v, DER_OCTET_STRING, &t);
	if (!r)
		r = der_done(v);
	if (r)
		return x509_fail(e, r, "extensions: subjectKeyIdentifier");
	c->ski = t.val;
	return X509_OK;
}

static const struct cert_ext_desc {
	const uint8_t *oid;
	size_t len;
	uint32_t bit;
	enum x509_err (*parse)(struct der *v, struct x509_cert *c,
			       struct x509_error *e);
} cert_exts[] = {
	{ OID(0x55, 0x1d, 0x13), X509_EXT_BASIC_CONSTRAINTS, ext_basic_constraints },
	{ OID(0x55, 0x1d, 0x0f), X509_EXT_KEY_USAGE, ext_key_usage },
	{ OID(0x55, 0x1d, 0x25), X509_EXT_EXT_KEY_USAGE, ext_ext_key_usage },
	{ OID(0x55, 0x1d, 0x11), X509_EXT_SUBJECT_ALT_NAME, ext_subject_alt_name },
	{ OID(0x55, 0x1d, 0x1e), X509_EXT_NAME_CONSTRAINTS, ext_name_constraints },
	{ OID(0x55, 0x1d, 0x23), X509_EXT_AUTHORITY_KEY_ID, ext_authority_key_id },
	{ OID(0x55, 0x1d, 0x0e), X509_EXT_SUBJECT_KEY_ID, ext_subject_key_id },
};

/*
 * Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE,
 *	extnValue OCTET STRING }
 * DER forbids encoding critical FALSE; deployed certificates (some old
 * roots among them) do it anyway, and it changes no meaning, so it is
 * accepted. A BOOLEAN that is not 0x00/0xFF is not.
 */
enum x509_err x509_parse_extension(struct der *d, struct x509_extension *ext)
{
	struct der s;
	struct der_tlv t;
	bool present;
	enum x509_err r;

	memset(ext, 0, sizeof(*ext));
	r = der_enter(d, DER_SEQUENCE, &s);
	if (!r)
		r = der_expect(&s, DER_OID, &t);
	if (!r)
		r = der_oid_check(t.val);
	if (r)
		return r;
	ext->oid = t.val;
	r = der_optional(&s, DER_BOOLEAN, &t, &present);
	if (!r && present)
		r = der_boolean(t.val, &ext->critical);
	if (!r)
		r = der_expect(&s, DER_OCTET_STRING, &t);
	if (!r)
		r = der_done(&s);
	if (!r)
		ext->value = t.val;
	return r;
}

/* Dotted text of a checked OID, for error messages. */
static void oid_text(struct x509_span oid, char *buf, size_t size)
{
	uint64_t v = 0;
	size_t i, n = 0;
	bool first = true;
	int w;

	buf[0] = 0;
	for (i = 0; i < oid.len; i++) {
		if (v >> 56) {
			snprintf(buf + n, size - n, "...");
			return;
		}
		v = (v << 7) | (oid.p[i] & 0x7f);
		if (oid.p[i] & 0x80)
			continue;
		if (first)
			w = snprintf(buf + n, size - n, "%u.%llu",
				     v < 40 ? 0 : v < 80 ? 1 : 2,
				     (unsigned long long)(v < 80 ? v % 40 :
							  v - 80));
		else
			w = snprintf(buf + n, size - n, ".%llu",
				     (unsigned long long)v);
		if (w < 0 || (size_t)w >= size - n)
			return;
		n += (size_t)w;
		first = false;
		v = 0;
	}
}

/* Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension */
static enum x509_err parse_extensions(struct der *d, struct x509_cert *c,
				      struct x509_error *e)
{
	struct der outer, list;
	enum x509_err r;
	unsigned int i, j;

	r = der_enter(d, DER_CTX_CONS(3), &outer);
	if (!r)
		r = der_enter(&outer, DER_SEQUENCE, &list);
	if (!r)
		r = der_done(&outer);
	if (r)
		return x509_fail(e, r, "extensions");
	if (der_empty(&list))
		return x509_fail(e, X509_E_EMPTY, "extensions: empty");
	while (!der_empty(&list)) {
		struct x509_extension *ext = &c->ext[c->n_ext];
		char oid[4 * DER_MAX_OID_LEN];

		if (c->n_ext == X509_MAX_EXTENSIONS)
			return x509_fail(e, X509_E_TOO_MANY,
					 "extensions: more than %u",
					 X509_MAX_EXTENSIONS);
		r = x509_parse_extension(&list, ext);
		if (r)
			return x509_fail(e, r, "extensions: extension %u",
					 c->n_ext + 1);
		c->n_ext++;
		/* §4.2: "A certificate MUST NOT include more than one
		 * instance of a particular extension." */
		for (j = 0; j + 1 < c->n_ext; j++) {
			if (x509_span_eq(c->ext[j].oid, ext->oid)) {
				oid_text(ext->oid, oid, sizeof(oid));
				return x509_fail(e, X509_E_DUPLICATE_EXT,
						 "extensions: OID %s twice",
						 oid);
			}
		}
		for (i = 0; i < sizeof(cert_exts) / sizeof(cert_exts[0]); i++) {
			struct der v;

			if (!der_oid_is(ext->oid, cert_exts[i].oid,
					cert_exts[i].len))
				continue;
			der_init(&v, ext->value.p, ext->value.len);
			v.depth = list.depth + 2;
			r = cert_exts[i].parse(&v, c, e);
			if (r)
				return r;
			c->ext_present |= cert_exts[i].bit;
			ext->understood = true;
		}
		if (ext->critical && !ext->understood && !c->unknown_critical) {
			c->unknown_critical = true;
			c->unknown_critical_oid = ext->oid;
		}
	}
	return X509_OK;
}

/*
 * §4.1: Certificate ::= SEQUENCE { tbsCertificate TBSCertificate,
 *	signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING }
 *
 * TBSCertificate ::= SEQUENCE {
 *	version [0] EXPLICIT Version DEFAULT v1,
 *	serialNumber CertificateSerialNumber,
 *	signature AlgorithmIdentifier,
 *	issuer Name, validity Validity, subject Name,
 *	subjectPublicKeyInfo SubjectPublicKeyInfo,
 *	issuerUniqueID [1] IMPLICIT UniqueIdentifier OPTIONAL, -- v2 or v3
 *	subjectUniqueID [2] IMPLICIT UniqueIdentifier OPTIONAL, -- v2 or v3
 *	extensions [3] EXPLICIT Extensions OPTIONAL -- v3 }
 */
static enum x509_err parse_tbs(struct der *d, struct x509_cert *c,
			       struct x509_error *e)
{
	struct der tbs, s, spki;
	struct der_tlv t;
	struct x509_span bits;
	struct x509_algid tbs_alg;
	unsigned int unused;
	uint32_t v;
	bool present;
	enum x509_err r;

	c->tbs.p = d->p;
	r = der_enter(d, DER_SEQUENCE, &tbs);
	if (r)
		return x509_fail(e, r, "tbsCertificate");
	c->tbs.len = (size_t)(d->p - c->tbs.p);

	/* Version ::= INTEGER { v1(0), v2(1), v3(2) }; DER never encodes
	 * the DEFAULT, so an explicit v1 is an error. */
	c->version = 1;
	if (der_peek(&tbs) == DER_CTX_CONS(0)) {
		r = der_enter(&tbs, DER_CTX_CONS(0), &s);
		if (!r)
			r = der_expect(&s, DER_INTEGER, &t);
		if (!r)
			r = der_done(&s);
		if (!r)
			r = der_small_uint(t.val, 2, &v);
		if (!r && v == 0)
			r = X509_E_VERSION;
		if (r)
			return x509_fail(e, r == X509_E_INTEGER ?
					 X509_E_VERSION : r, "version");
		c->version = v + 1;
	}

	/* §4.1.2.2: "Certificate users MUST be able to handle serialNumber
	 * values up to 20 octets." Conforming CAs use positive values of at
	 * most 20 octets; one leading 0x00 for the sign is tolerated. */
	r = der_expect(&tbs, DER_INTEGER, &t);
	if (!r)
		r = der_integer_check(t.val);
	if (r)
		return x509_fail(e, r, "serialNumber");
	if (t.val.len > X509_MAX_SERIAL + (t.val.p[0] == 0))
		return x509_fail(e, X509_E_SERIAL,
				 "serialNumber of %zu octets", t.val.len);
	c->serial = t.val;

	r = x509_parse_algid(&tbs, &tbs_alg);
	if (r)
		return x509_fail(e, r, "signature");
	r = x509_parse_name(&tbs, &c->issuer);
	if (r)
		return x509_fail(e, r, "issuer");
	/* §4.1.2.4: "The issuer field MUST contain a non-empty
	 * distinguished name (DN)." */
	if (c->issuer.len == 2)
		return x509_fail(e, X509_E_NAME, "issuer: empty");

	/* Validity ::= SEQUENCE { notBefore Time, notAfter Time } */
	r = der_enter(&tbs, DER_SEQUENCE, &s);
	if (r)
		return x509_fail(e, r, "validity");
	r = der_next(&s, &t);
	if (!r)
		r = der_time(&t, &c->not_before);
	if (r)
		return x509_fail(e, r, "validity: notBefore");
	r = der_next(&s, &t);
	if (!r)
		r = der_time(&t, &c->not_after);
	if (r)
		return x509_fail(e, r, "validity: notAfter");
	if (der_done(&s))
		return x509_fail(e, X509_E_TRAILING, "validity");

	r = x509_parse_name(&tbs, &c->subject);
	if (r)
		return x509_fail(e, r, "subject");

	/* SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier,
	 *	subjectPublicKey BIT STRING } */
	c->spki.p = tbs.p;
	r = der_enter(&tbs, DER_SEQUENCE, &spki);
	if (r)
		return x509_fail(e, r, "subjectPublicKeyInfo");
	c->spki.len = (size_t)(tbs.p - c->spki.p);
	r = x509_parse_algid(&spki, &c->key_alg);
	if (r)
		return x509_fail(e, r, "subjectPublicKeyInfo: algorithm");
	r = der_expect(&spki, DER_BIT_STRING, &t);
	if (!r)
		r = der_bit_string(t.val, &bits, &unused);
	if (!r && unused)
		r = X509_E_BIT_STRING;
	if (!r)
		r = der_done(&spki);
	if (r)
		return x509_fail(e, r, "subjectPublicKeyInfo: subjectPublicKey");
	c->key = bits;

	/* UniqueIdentifier ::= BIT STRING, for v2 and v3 only. */
	r = der_optional(&tbs, DER_CTX(1), &t, &present);
	if (!r && present && c->version < 2)
		r = X509_E_VERSION;
	if (!r && present)
		r = der_bit_string(t.val, &bits, &unused);
	if (r)
		return x509_fail(e, r, "issuerUniqueID");
	r = der_optional(&tbs, DER_CTX(2), &t, &present);
	if (!r && present && c->version < 2)
		r = X509_E_VERSION;
	if (!r && present)
		r = der_bit_string(t.val, &bits, &unused);
	if (r)
		return x509_fail(e, r, "subjectUniqueID");

	if (der_peek(&tbs) == DER_CTX_CONS(3)) {
		if (c->version != 3)
			return x509_fail(e, X509_E_VERSION,
					 "extensions in a v%u certificate",
					 c->version);
		r = parse_extensions(&tbs, c, e);
		if (r)
			return r;
	}
	if (der_done(&tbs))
		return x509_fail(e, X509_E_TRAILING, "tbsCertificate");

	/* §4.1.2.6: "If the subject field contains an empty sequence, then
	 * the issuing CA MUST include a subjectAltName extension that is
	 * marked as critical." */
	if (c->subject.len == 2) {
		for (v = 0; v < c->n_ext; v++)
			if (c->ext[v].oid.len == 3 &&
			    !memcmp(c->ext[v].oid.p, "\x55\x1d\x11", 3) &&
			    c->ext[v].critical)
				break;
		if (v == c->n_ext)
			return x509_fail(e, X509_E_NAME,
					 "subject: empty, and no critical subjectAltName");
	}

	/* §4.1.1.2: signatureAlgorithm "MUST contain the same algorithm
	 * identifier as the signature field in the sequence tbsCertificate." */
	c->sig_alg = tbs_alg;
	return X509_OK;
}

enum x509_err x509_cert_parse(struct x509_cert *c, const uint8_t *buf,
			      size_t len, struct x509_error *e)
{
	struct der top, cert;
	struct der_tlv t;
	struct x509_algid outer_alg;
	unsigned int unused;
	enum x509_err r;

	memset(c, 0, sizeof(*c));
	c->path_len = -1;
	if (e) {
		e->reason = X509_OK;
		e->doc = "certificate";
		e->where[0] = 0;
	}
	der_init(&top, buf, len);
	r = der_enter(&top, DER_SEQUENCE, &cert);
	if (!r)
		r = der_done(&top);
	if (r)
		return x509_fail(e, r, "Certificate");
	c->raw.p = buf;
	c->raw.len = len;

	r = parse_tbs(&cert, c, e);
	if (r)
		return r;
	r = x509_parse_algid(&cert, &outer_alg);
	if (r)
		return x509_fail(e, r, "signatureAlgorithm");
	if (!x509_span_eq(outer_alg.raw, c->sig_alg.raw))
		return x509_fail(e, X509_E_SIG_ALG_MISMATCH,
				 "signatureAlgorithm differs from tbsCertificate signature");
	c->sig_alg = outer_alg;
	r = der_expect(&cert, DER_BIT_STRING, &t);
	if (!r)
		r = der_bit_string(t.val, &c->sig, &unused);
	if (!r && unused)
		r = X509_E_BIT_STRING;
	if (r)
		return x509_fail(e, r, "signatureValue");
	if (der_done(&cert))
		return x509_fail(e, X509_E_TRAILING, "Certificate");
	return X509_OK;
}
