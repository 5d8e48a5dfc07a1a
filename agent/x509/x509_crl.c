// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * x509_crl.c: CRL parsing (RFC 5280 §5) and serial lookup.
 *
 * Why it is shaped so. A CRL is a certificate's sibling: a signed TBS, an
 * issuer Name, times, extensions. It reuses the certificate parser's
 * AlgorithmIdentifier, Name, Extension and AuthorityKeyIdentifier
 * productions, so both read the same bytes the same way.
 *
 * The one thing a CRL has that a certificate does not is a list of
 * unbounded length. Rather than cap it (a cap would make a long but valid
 * CRL unusable) or allocate (the parser owns no memory), parsing validates
 * every entry once and keeps only the span and the count; x509_crl_find()
 * walks the span with the same entry parser. Because the walk re-reads
 * bytes that already passed, it cannot fail, and a lookup is O(n) with no
 * state to keep coherent. A caller that looks up often can build its own
 * index from x509_crl_iter_next().
 *
 * What is not supported is reported, never ignored: delta CRLs, indirect
 * CRLs (certificateIssuer) and issuingDistributionPoint are critical
 * extensions we do not process, so they set unknown_critical, and
 * RFC 5280 §5.2 leaves no doubt about what the verifier must do then:
 * "If a CRL contains a critical extension that the application cannot
 * process, then the application MUST NOT use that CRL to determine the
 * status of certificates."
 */
#include <string.h>

#include "x509_crl.h"

static const uint8_t oid_crl_number[] = { 0x55, 0x1d, 0x14 };
static const uint8_t oid_aki[] = { 0x55, 0x1d, 0x23 };
static const uint8_t oid_reason[] = { 0x55, 0x1d, 0x15 };
static const uint8_t oid_invalidity[] = { 0x55, 0x1d, 0x18 };

/*
 * Extensions that change which certificates a CRL speaks for: a delta CRL
 * (§5.2.4), a partitioned scope (issuingDistributionPoint, §5.2.5), or
 * entries about another issuer's certificates (certificateIssuer, §5.3.3).
 * RFC 5280 makes all three critical; a CRL that carries one non-critical
 * is non-conforming, and reading it as a complete CRL of its issuer could
 * give a wrong answer, so we treat them as critical whatever they say.
 */
static const uint8_t *const scope_exts[] = {
	(const uint8_t[]){ 0x55, 0x1d, 0x1b },	/* deltaCRLIndicator */
	(const uint8_t[]){ 0x55, 0x1d, 0x1c },	/* issuingDistributionPoint */
	(const uint8_t[]){ 0x55, 0x1d, 0x1d },	/* certificateIssuer */
};

static void note_unknown_critical(struct x509_crl *crl,
				  const struct x509_extension *ext)
{
	bool critical = ext->critical;
	size_t i;

	for (i = 0; i < sizeof(scope_exts) / sizeof(scope_exts[0]); i++)
		if (der_oid_is(ext->oid, scope_exts[i], 3))
			critical = true;
	if (crl && critical && !ext->understood && !crl->unknown_critical) {
		crl->unknown_critical = true;
		crl->unknown_critical_oid = ext->oid;
	}
}

/*
 * crlEntryExtensions: reasonCode (§5.3.1) ::= ENUMERATED { unspecified (0),
 * keyCompromise (1), cACompromise (2), affiliationChanged (3),
 * superseded (4), cessationOfOperation (5), certificateHold (6),
 * -- value 7 is not used -- removeFromCRL (8), privilegeWithdrawn (9),
 * aACompromise (10) }; invalidityDate (§5.3.2) ::= GeneralizedTime.
 */
static enum x509_err parse_entry_extensions(struct der *d,
					    struct x509_crl_entry *ent,
					    struct x509_crl *crl,
					    struct x509_error *e,
					    unsigned int idx)
{
	struct x509_extension ext[X509_MAX_ENTRY_EXTENSIONS];
	struct der list, v;
	struct der_tlv t;
	unsigned int n = 0, j;
	uint32_t reason;
	enum x509_err r;

	r = der_enter(d, DER_SEQUENCE, &list);
	if (r)
		return x509_fail(e, r,
				 "revokedCertificates: entry %u: crlEntryExtensions",
				 idx);
	if (der_empty(&list))
		return x509_fail(e, X509_E_EMPTY,
				 "revokedCertificates: entry %u: crlEntryExtensions: empty",
				 idx);
	while (!der_empty(&list)) {
		if (n == X509_MAX_ENTRY_EXTENSIONS)
			return x509_fail(e, X509_E_TOO_MANY,
					 "revokedCertificates: entry %u: more than %u extensions",
					 idx, X509_MAX_ENTRY_EXTENSIONS);
		r = x509_parse_extension(&list, &ext[n]);
		if (r)
			return x509_fail(e, r,
					 "revokedCertificates: entry %u: extension %u",
					 idx, n + 1);
		for (j = 0; j < n; j++)
			if (x509_span_eq(ext[j].oid, ext[n].oid))
				return x509_fail(e, X509_E_DUPLICATE_EXT,
						 "revokedCertificates: entry %u: extension %u twice",
						 idx, j + 1);
		der_init(&v, ext[n].value.p, ext[n].value.len);
		v.depth = list.depth + 2;
		if (der_oid_is(ext[n].oid, oid_reason, sizeof(oid_reason))) {
			r = der_expect(&v, DER_ENUMERATED, &t);
			if (!r)
				r = der_small_uint(t.val, 10, &reason);
			if (!r && reason == 7)
				r = X509_E_EXTENSION;
			if (!r)
				r = der_done(&v);
			if (r)
				return x509_fail(e, r,
						 "revokedCertificates: entry %u: reasonCode",
						 idx);
			ent->reason = (int)reason;
			ext[n].understood = true;
		} else if (der_oid_is(ext[n].oid, oid_invalidity,
				      sizeof(oid_invalidity))) {
			r = der_expect(&v, DER_GENERALIZED_TIME, &t);
			if (!r)
				r = der_time(&t, &ent->invalidity_date);
			if (!r)
				r = der_done(&v);
			if (r)
				return x509_fail(e, r,
						 "revokedCertificates: entry %u: invalidityDate",
						 idx);
			ent->has_invalidity_date = true;
			ext[n].understood = true;
		}
		note_unknown_critical(crl, &ext[n]);
		n++;
	}
	return X509_OK;
}

/*
 * revokedCertificates SEQUENCE OF SEQUENCE {
 *	userCertificate CertificateSerialNumber,
 *	revocationDate Time,
 *	crlEntryExtensions Extensions OPTIONAL -- if present, version MUST be v2 }
 */
static enum x509_err parse_entry(struct der *d, struct x509_crl_entry *ent,
				 unsigned int version, struct x509_crl *crl,
				 struct x509_error *e, unsigned int idx)
{
	struct der s;
	struct der_tlv t;
	enum x509_err r;

	memset(ent, 0, sizeof(*ent));
	ent->reason = X509_CRL_REASON_NONE;
	r = der_enter(d, DER_SEQUENCE, &s);
	if (r)
		return x509_fail(e, r, "revokedCertificates: entry %u", idx);
	r = der_expect(&s, DER_INTEGER, &t);
	if (!r)
		r = der_integer_check(t.val);
	if (r)
		return x509_fail(e, r,
				 "revokedCertificates: entry %u: userCertificate",
				 idx);
	ent->serial = t.val;
	r = der_next(&s, &t);
	if (!r)
		r = der_time(&t, &ent->revocation_date);
	if (r)
		return x509_fail(e, r,
				 "revokedCertificates: entry %u: revocationDate",
				 idx);
	if (!der_empty(&s)) {
		if (version != 2)
			return x509_fail(e, X509_E_VERSION,
					 "revokedCertificates: entry %u: extensions in a v1 CRL",
					 idx);
		r = parse_entry_extensions(&s, ent, crl, e, idx);
		if (r)
			return r;
	}
	if (der_done(&s))
		return x509_fail(e, X509_E_TRAILING,
				 "revokedCertificates: entry %u", idx);
	return X509_OK;
}

/* crlExtensions [0] EXPLICIT Extensions OPTIONAL -- if present, v2 */
static enum x509_err parse_crl_extensions(struct der *d, struct x509_crl *crl,
					  struct x509_error *e)
{
	struct der outer, list, v;
	struct der_tlv t;
	enum x509_err r;
	unsigned int j;

	r = der_enter(d, DER_CTX_CONS(0), &outer);
	if (!r)
		r = der_enter(&outer, DER_SEQUENCE, &list);
	if (!r)
		r = der_done(&outer);
	if (r)
		return x509_fail(e, r, "crlExtensions");
	if (der_empty(&list))
		return x509_fail(e, X509_E_EMPTY, "crlExtensions: empty");
	while (!der_empty(&list)) {
		struct x509_extension *ext = &crl->ext[crl->n_ext];

		if (crl->n_ext == X509_MAX_CRL_EXTENSIONS)
			return x509_fail(e, X509_E_TOO_MANY,
					 "crlExtensions: more than %u",
					 X509_MAX_CRL_EXTENSIONS);
		r = x509_parse_extension(&list, ext);
		if (r)
			return x509_fail(e, r, "crlExtensions: extension %u",
					 crl->n_ext + 1);
		crl->n_ext++;
		for (j = 0; j + 1 < crl->n_ext; j++)
			if (x509_span_eq(crl->ext[j].oid, ext->oid))
				return x509_fail(e, X509_E_DUPLICATE_EXT,
						 "crlExtensions: extension %u twice",
						 j + 1);
		der_init(&v, ext->value.p, ext->value.len);
		v.depth = list.depth + 2;
		/* §5.2.3: CRLNumber ::= INTEGER (0..MAX); "CRL issuers MUST
		 * NOT use CRLNumber values longer than 20 octets." */
		if (der_oid_is(ext->oid, oid_crl_number,
			       sizeof(oid_crl_number))) {
			r = der_expect(&v, DER_INTEGER, &t);
			if (!r)
				r = der_integer_check(t.val);
			if (!r && (t.val.p[0] & 0x80))
				r = X509_E_INTEGER;
			if (!r && t.val.len > X509_MAX_SERIAL + (t.val.p[0] == 0))
				r = X509_E_INTEGER;
			if (!r)
				r = der_done(&v);
			if (r)
				return x509_fail(e, r, "crlExtensions: cRLNumber");
			crl->crl_number = t.val;
			crl->ext_present |= X509_EXT_CRL_NUMBER;
			ext->understood = true;
		} else if (der_oid_is(ext->oid, oid_aki, sizeof(oid_aki))) {
			r = x509_parse_aki(&v, &crl->aki, e,
					   "crlExtensions: authorityKeyIdentifier");
			if (r)
				return r;
			crl->ext_present |= X509_EXT_AUTHORITY_KEY_ID;
			ext->understood = true;
		}
		note_unknown_critical(crl, ext);
	}
	return X509_OK;
}

/*
 * TBSCertList ::= SEQUENCE {
 *	version Version OPTIONAL, -- if present, MUST be v2
 *	signature AlgorithmIdentifier,
 *	issuer Name,
 *	thisUpdate Time,
 *	nextUpdate Time OPTIONAL,
 *	revokedCertificates SEQUENCE OF SEQUENCE { ... } OPTIONAL,
 *	crlExtensions [0] EXPLICIT Extensions OPTIONAL }
 */
static enum x509_err parse_tbs_cert_list(struct der *d, struct x509_crl *crl,
					 struct x509_error *e)
{
	struct der tbs, list;
	struct der_tlv t;
	struct x509_crl_entry ent;
	uint32_t v;
	uint8_t tag;
	enum x509_err r;

	crl->tbs.p = d->p;
	r = der_enter(d, DER_SEQUENCE, &tbs);
	if (r)
		return x509_fail(e, r, "tbsCertList");
	crl->tbs.len = (size_t)(d->p - crl->tbs.p);

	crl->version = 1;
	if (der_peek(&tbs) == DER_INTEGER) {
		r = der_expect(&tbs, DER_INTEGER, &t);
		if (!r)
			r = der_small_uint(t.val, 1, &v);
		if (!r && v != 1)
			r = X509_E_VERSION;
		if (r)
			return x509_fail(e, r == X509_E_INTEGER ?
					 X509_E_VERSION : r, "version");
		crl->version = 2;
	}
	r = x509_parse_algid(&tbs, &crl->sig_alg);
	if (r)
		return x509_fail(e, r, "signature");
	r = x509_parse_name(&tbs, &crl->issuer);
	if (r)
		return x509_fail(e, r, "issuer");
	/* §5.1.2.3: "The issuer field MUST contain a non-empty X.500
	 * distinguished name (DN)." */
	if (crl->issuer.len == 2)
		return x509_fail(e, X509_E_NAME, "issuer: empty");
	r = der_next(&tbs, &t);
	if (!r)
		r = der_time(&t, &crl->this_update);
	if (r)
		return x509_fail(e, r, "thisUpdate");
	tag = der_peek(&tbs);
	if (tag == DER_UTC_TIME || tag == DER_GENERALIZED_TIME) {
		r = der_next(&tbs, &t);
		if (!r)
			r = der_time(&t, &crl->next_update);
		if (r)
			return x509_fail(e, r, "nextUpdate");
		crl->has_next_update = true;
	}
	if (der_peek(&tbs) == DER_SEQUENCE) {
		r = der_enter(&tbs, DER_SEQUENCE, &list);
		if (r)
			return x509_fail(e, r, "revokedCertificates");
		/* §5.1.2.6: "When there are no revoked certificates, the
		 * revoked certificates list MUST be absent." */
		if (der_empty(&list))
			return x509_fail(e, X509_E_EMPTY,
					 "revokedCertificates: empty");
		crl->revoked.p = list.p;
		crl->revoked.len = (size_t)(list.end - list.p);
		while (!der_empty(&list)) {
			if (crl->n_revoked == UINT32_MAX)
				return x509_fail(e, X509_E_TOO_MANY,
						 "revokedCertificates");
			r = parse_entry(&list, &ent, crl->version, crl, e,
					crl->n_revoked + 1);
			if (r)
				return r;
			crl->n_revoked++;
		}
	}
	if (der_peek(&tbs) == DER_CTX_CONS(0)) {
		if (crl->version != 2)
			return x509_fail(e, X509_E_VERSION,
					 "crlExtensions in a v1 CRL");
		r = parse_crl_extensions(&tbs, crl, e);
		if (r)
			return r;
	}
	if (der_done(&tbs))
		return x509_fail(e, X509_E_TRAILING, "tbsCertList");
	return X509_OK;
}

/*
 * §5.1: CertificateList ::= SEQUENCE { tbsCertList TBSCertList,
 *	signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING }
 * §5.1.1.2: signatureAlgorithm "MUST contain the same algorithm identifier
 * as the signature field in the sequence tbsCertList".
 */
enum x509_err x509_crl_parse(struct x509_crl *crl, const uint8_t *buf,
			     size_t len, struct x509_error *e)
{
	struct der top, cl;
	struct der_tlv t;
	struct x509_algid outer_alg;
	unsigned int unused;
	enum x509_err r;

	memset(crl, 0, sizeof(*crl));
	if (e) {
		e->reason = X509_OK;
		e->doc = "crl";
		e->where[0] = 0;
	}
	der_init(&top, buf, len);
	r = der_enter(&top, DER_SEQUENCE, &cl);
	if (!r)
		r = der_done(&top);
	if (r)
		return x509_fail(e, r, "CertificateList");
	crl->raw.p = buf;
	crl->raw.len = len;
	r = parse_tbs_cert_list(&cl, crl, e);
	if (r)
		return r;
	r = x509_parse_algid(&cl, &outer_alg);
	if (r)
		return x509_fail(e, r, "signatureAlgorithm");
	if (!x509_span_eq(outer_alg.raw, crl->sig_alg.raw))
		return x509_fail(e, X509_E_SIG_ALG_MISMATCH,
				 "signatureAlgorithm differs from tbsCertList signature");
	crl->sig_alg = outer_alg;
	r = der_expect(&cl, DER_BIT_STRING, &t);
	if (!r)
		r = der_bit_string(t.val, &crl->sig, &unused);
	if (!r && unused)
		r = X509_E_BIT_STRING;
	if (r)
		return x509_fail(e, r, "signatureValue");
	if (der_done(&cl))
		return x509_fail(e, X509_E_TRAILING, "CertificateList");
	return X509_OK;
}

void x509_crl_iter_init(const struct x509_crl *crl, struct x509_crl_iter *it)
{
	der_init(&it->d, crl->revoked.p, crl->revoked.len);
	it->d.depth = 3;
}

bool x509_crl_iter_next(struct x509_crl_iter *it, struct x509_crl_entry *ent)
{
	if (der_empty(&it->d))
		return false;
	/* Version 2 lets entries carry extensions; the parse already
	 * refused them in a v1 CRL. */
	if (parse_entry(&it->d, ent, 2, NULL, NULL, 0)) {
		it->d.p = it->d.end;	/* unreachable after a good parse */
		return false;
	}
	return true;
}

bool x509_crl_find(const struct x509_crl *crl, struct x509_span serial,
		   struct x509_crl_entry *entry)
{
	struct x509_crl_iter it;
	struct x509_crl_entry ent;

	x509_crl_iter_init(crl, &it);
	while (x509_crl_iter_next(&it, &ent)) {
		if (x509_span_eq(ent.serial, serial)) {
			if (entry)
				*entry = ent;
			return true;
		}
	}
	return false;
}
