// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * x509_ocsp.c: OCSPResponse parsing (RFC 6960 §4.2.1).
 *
 * Why it is shaped so. A stapled OCSP response arrives inside the peer's
 * Certificate message, before anything about the peer is trusted, so it
 * gets the same treatment as a certificate: one function per ASN.1
 * production, each on a sub-reader over exactly its bytes, each ending with
 * "fully consumed", fixed caps on every list, and an error naming the field.
 * The module is written with EXPLICIT TAGS (RFC 6960 Appendix B.1), so
 * version, responderID, nextUpdate, the extension lists and certs are
 * wrapped in their context tags; CertStatus is IMPLICIT by its own
 * definition ([0] IMPLICIT NULL and so on).
 *
 * The parser keeps spans and decides nothing about trust. Which
 * SingleResponse speaks for the leaf, who signed the response and whether
 * it is current are the verifier's questions (x509_path.c), because only
 * the verifier knows the issuer on the validated path. The certificates in
 * certs are checked to be SEQUENCEs only; the verifier parses the one it
 * needs with x509_cert_parse().
 *
 * Strictness: DER as everywhere (the DER reader), GeneralizedTime only
 * where the ASN.1 says so, an explicit version refused (v1 is the DEFAULT
 * and DER does not encode it; no other version exists), responseBytes
 * present exactly when responseStatus is successful, the two certID hashes
 * of the length their algorithm gives.
 */
#include <stdio.h>
#include <string.h>

#include "x509_ocsp.h"

/* id-pkix-ocsp 1.3.6.1.5.5.7.48.1: basic (.1), nonce (.2),
 * extended-revoke (.9) */
static const uint8_t oid_ocsp_basic[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07,
					  0x30, 0x01, 0x01 };
static const uint8_t oid_ocsp_nonce[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07,
					  0x30, 0x01, 0x02 };
static const uint8_t oid_ocsp_ext_revoke[] = { 0x2b, 0x06, 0x01, 0x05, 0x05,
					       0x07, 0x30, 0x01, 0x09 };

static const struct {
	uint8_t oid[9];
	uint8_t oid_len;
	uint8_t len;
	enum x509_ocsp_hash hash;
} hashes[] = {
	{ { 0x2b, 0x0e, 0x03, 0x02, 0x1a }, 5, 20, X509_OCSP_HASH_SHA1 },
	{ { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 }, 9, 32,
	  X509_OCSP_HASH_SHA256 },
	{ { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02 }, 9, 48,
	  X509_OCSP_HASH_SHA384 },
	{ { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03 }, 9, 64,
	  X509_OCSP_HASH_SHA512 },
};

const char *x509_ocsp_status_name(enum x509_ocsp_status s)
{
	switch (s) {
	case X509_OCSP_SUCCESSFUL:
		return "successful";
	case X509_OCSP_MALFORMED_REQUEST:
		return "malformedRequest";
	case X509_OCSP_INTERNAL_ERROR:
		return "internalError";
	case X509_OCSP_TRY_LATER:
		return "tryLater";
	case X509_OCSP_SIG_REQUIRED:
		return "sigRequired";
	case X509_OCSP_UNAUTHORIZED:
		return "unauthorized";
	}
	return "?";
}

const char *x509_ocsp_cert_status_name(enum x509_ocsp_cert_status s)
{
	return s == X509_OCSP_GOOD ? "good" :
	       s == X509_OCSP_REVOKED ? "revoked" : "unknown";
}

/* GeneralizedTime, and nothing else */
static enum x509_err gen_time(struct der *d, int64_t *out)
{
	struct der_tlv t;
	enum x509_err r;

	r = der_expect(d, DER_GENERALIZED_TIME, &t);
	if (!r)
		r = der_time(&t, out);
	return r;
}

/*
 * Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension, inside [n] EXPLICIT.
 * Only the responseExtensions' nonce (§4.4.1) and extended-revoke (§4.4.8)
 * are understood; any other critical one is flagged for the verifier.
 */
static enum x509_err parse_extensions(struct der *d, uint8_t tag,
				      struct x509_span *nonce,
				      bool *unknown_critical,
				      struct x509_error *e, const char *what)
{
	struct x509_extension ext[X509_OCSP_MAX_EXTENSIONS];
	struct der outer, list;
	unsigned int n = 0, j;
	enum x509_err r;

	r = der_enter(d, tag, &outer);
	if (!r)
		r = der_enter(&outer, DER_SEQUENCE, &list);
	if (!r)
		r = der_done(&outer);
	if (r)
		return x509_fail(e, r, "%s", what);
	if (der_empty(&list))
		return x509_fail(e, X509_E_EMPTY, "%s: empty", what);
	while (!der_empty(&list)) {
		if (n == X509_OCSP_MAX_EXTENSIONS)
			return x509_fail(e, X509_E_TOO_MANY, "%s: more than %u",
					 what, X509_OCSP_MAX_EXTENSIONS);
		r = x509_parse_extension(&list, &ext[n]);
		if (r)
			return x509_fail(e, r, "%s: extension %u", what,
					 n + 1);
		for (j = 0; j < n; j++)
			if (x509_span_eq(ext[j].oid, ext[n].oid))
				return x509_fail(e, X509_E_DUPLICATE_EXT,
						 "%s: extension %u twice",
						 what, j + 1);
		if (nonce && der_oid_is(ext[n].oid, oid_ocsp_nonce,
					sizeof(oid_ocsp_nonce))) {
			*nonce = ext[n].value;
			ext[n].understood = true;
		} else if (nonce && der_oid_is(ext[n].oid, oid_ocsp_ext_revoke,
					       sizeof(oid_ocsp_ext_revoke))) {
			/* §4.4.8: its value is NULL */
			if (ext[n].value.len != 2 ||
			    ext[n].value.p[0] != DER_NULL || ext[n].value.p[1])
				return x509_fail(e, X509_E_EXTENSION,
						 "%s: extended-revoke", what);
			ext[n].understood = true;
		}
		if (ext[n].critical && !ext[n].understood)
			*unknown_critical = true;
		n++;
	}
	return X509_OK;
}

/*
 * CertID ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier,
 *	issuerNameHash OCTET STRING, issuerKeyHash OCTET STRING,
 *	serialNumber CertificateSerialNumber }
 */
static enum x509_err parse_cert_id(struct der *d, struct x509_ocsp_single *s,
				   struct x509_error *e, unsigned int idx)
{
	struct x509_algid alg;
	struct der id;
	struct der_tlv t;
	enum x509_err r;
	size_t want = 0;

	r = der_enter(d, DER_SEQUENCE, &id);
	if (r)
		return x509_fail(e, r, "responses: %u: certID", idx);
	r = x509_parse_algid(&id, &alg);
	if (r)
		return x509_fail(e, r, "responses: %u: certID: hashAlgorithm",
				 idx);
	/* RFC 5754 §2: SHA-2 parameters absent or NULL; SHA-1 the same */
	if (alg.params.len && !(alg.params.len == 2 &&
				alg.params.p[0] == DER_NULL &&
				alg.params.p[1] == 0))
		return x509_fail(e, X509_E_UNSUPPORTED,
				 "responses: %u: certID: hashAlgorithm parameters",
				 idx);
	s->hash_oid = alg.oid;
	s->hash = X509_OCSP_HASH_OTHER;
	for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++) {
		if (der_oid_is(alg.oid, hashes[i].oid, hashes[i].oid_len)) {
			s->hash = hashes[i].hash;
			want = hashes[i].len;
		}
	}
	r = der_expect(&id, DER_OCTET_STRING, &t);
	if (!r && (t.val.len > X509_OCSP_MAX_HASH || !t.val.len ||
		   (want && t.val.len != want)))
		r = X509_E_LENGTH;
	if (r)
		return x509_fail(e, r,
				 "responses: %u: certID: issuerNameHash", idx);
	s->name_hash = t.val;
	r = der_expect(&id, DER_OCTET_STRING, &t);
	if (!r && (t.val.len > X509_OCSP_MAX_HASH || !t.val.len ||
		   (want && t.val.len != want)))
		r = X509_E_LENGTH;
	if (r)
		return x509_fail(e, r,
				 "responses: %u: certID: issuerKeyHash", idx);
	s->key_hash = t.val;
	/* the serial as a certificate's: at most 20 octets (21 with a
	 * sign octet), RFC 5280 §4.1.2.2 */
	r = der_expect(&id, DER_INTEGER, &t);
	if (!r)
		r = der_integer_check(t.val);
	if (!r && t.val.len > X509_MAX_SERIAL + (t.val.p[0] == 0))
		r = X509_E_SERIAL;
	if (r)
		return x509_fail(e, r,
				 "responses: %u: certID: serialNumber", idx);
	s->serial = t.val;
	if (der_done(&id))
		return x509_fail(e, X509_E_TRAILING, "responses: %u: certID",
				 idx);
	return X509_OK;
}

/*
 * CertStatus ::= CHOICE { good [0] IMPLICIT NULL,
 *	revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT UnknownInfo }
 * RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime,
 *	revocationReason [0] EXPLICIT CRLReason OPTIONAL }
 * UnknownInfo ::= NULL
 */
static enum x509_err parse_cert_status(struct der *d,
				       struct x509_ocsp_single *s,
				       struct x509_error *e, unsigned int idx)
{
	struct der ri, rr;
	struct der_tlv t;
	uint32_t reason;
	enum x509_err r;

	s->reason = -1;
	switch (der_peek(d)) {
	case DER_CTX(0):
	case DER_CTX(2):
		r = der_next(d, &t);
		if (!r)
			r = der_null(t.val);
		if (r)
			return x509_fail(e, r, "responses: %u: certStatus",
					 idx);
		s->status = t.tag == DER_CTX(0) ? X509_OCSP_GOOD :
			    X509_OCSP_UNKNOWN;
		return X509_OK;
	case DER_CTX_CONS(1):
		break;
	default:
		return x509_fail(e, der_empty(d) ? X509_E_TRUNCATED :
				 X509_E_TAG, "responses: %u: certStatus", idx);
	}
	s->status = X509_OCSP_REVOKED;
	r = der_enter(d, DER_CTX_CONS(1), &ri);
	if (!r)
		r = gen_time(&ri, &s->revocation_time);
	if (r)
		return x509_fail(e, r,
				 "responses: %u: certStatus: revocationTime",
				 idx);
	if (!der_empty(&ri)) {
		/* CRLReason as in RFC 5280 §5.3.1: 0..10, 7 unused */
		r = der_enter(&ri, DER_CTX_CONS(0), &rr);
		if (!r)
			r = der_expect(&rr, DER_ENUMERATED, &t);
		if (!r)
			r = der_small_uint(t.val, 10, &reason);
		if (!r && reason == 7)
			r = X509_E_INTEGER;
		if (!r)
			r = der_done(&rr);
		if (r)
			return x509_fail(e, r,
					 "responses: %u: certStatus: revocationReason",
					 idx);
		s->reason = (int)reason;
	}
	if (der_done(&ri))
		return x509_fail(e, X509_E_TRAILING,
				 "responses: %u: certStatus: revoked", idx);
	return X509_OK;
}

/*
 * SingleResponse ::= SEQUENCE { certID CertID, certStatus CertStatus,
 *	thisUpdate GeneralizedTime,
 *	nextUpdate [0] EXPLICIT GeneralizedTime OPTIONAL,
 *	singleExtensions [1] EXPLICIT Extensions OPTIONAL }
 */
static enum x509_err parse_single(struct der *d, struct x509_ocsp_single *s,
				  struct x509_error *e, unsigned int idx)
{
	struct der sr, nu;
	enum x509_err r;

	memset(s, 0, sizeof(*s));
	r = der_enter(d, DER_SEQUENCE, &sr);
	if (r)
		return x509_fail(e, r, "responses: %u", idx);
	r = parse_cert_id(&sr, s, e, idx);
	if (!r)
		r = parse_cert_status(&sr, s, e, idx);
	if (r)
		return r;
	r = gen_time(&sr, &s->this_update);
	if (r)
		return x509_fail(e, r, "responses: %u: thisUpdate", idx);
	if (der_peek(&sr) == DER_CTX_CONS(0)) {
		r = der_enter(&sr, DER_CTX_CONS(0), &nu);
		if (!r)
			r = gen_time(&nu, &s->next_update);
		if (!r)
			r = der_done(&nu);
		if (r)
			return x509_fail(e, r, "responses: %u: nextUpdate",
					 idx);
		s->has_next_update = true;
	}
	if (der_peek(&sr) == DER_CTX_CONS(1)) {
		char what[48];

		snprintf(what, sizeof(what), "responses: %u: singleExtensions",
			 idx);
		r = parse_extensions(&sr, DER_CTX_CONS(1), NULL,
				     &s->unknown_critical, e, what);
		if (r)
			return r;
	}
	if (der_done(&sr))
		return x509_fail(e, X509_E_TRAILING, "responses: %u", idx);
	return X509_OK;
}

/*
 * ResponseData ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1,
 *	responderID ResponderID, producedAt GeneralizedTime,
 *	responses SEQUENCE OF SingleResponse,
 *	responseExtensions [1] EXPLICIT Extensions OPTIONAL }
 * ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash }
 * KeyHash ::= OCTET STRING -- SHA-1 hash of responder's public key
 */
static enum x509_err parse_response_data(struct der *d, struct x509_ocsp *o,
					 struct x509_error *e)
{
	struct der rd, rid, list;
	struct der_tlv t;
	enum x509_err r;

	o->tbs.p = d->p;
	r = der_enter(d, DER_SEQUENCE, &rd);
	if (r)
		return x509_fail(e, r, "tbsResponseData");
	o->tbs.len = (size_t)(d->p - o->tbs.p);
	o->version = 1;
	if (der_peek(&rd) == DER_CTX_CONS(0))
		return x509_fail(e, X509_E_VERSION,
				 "tbsResponseData: version: explicit (v1 is the DEFAULT)");
	if (der_peek(&rd) == DER_CTX_CONS(1)) {
		r = der_enter(&rd, DER_CTX_CONS(1), &rid);
		if (!r)
			r = x509_parse_name(&rid, &o->responder);
		if (!r)
			r = der_done(&rid);
		if (r)
			return x509_fail(e, r, "responderID: byName");
	} else if (der_peek(&rd) == DER_CTX_CONS(2)) {
		r = der_enter(&rd, DER_CTX_CONS(2), &rid);
		if (!r)
			r = der_expect(&rid, DER_OCTET_STRING, &t);
		if (!r && t.val.len != 20)
			r = X509_E_LENGTH;
		if (!r)
			r = der_done(&rid);
		if (r)
			return x509_fail(e, r,
					 "responderID: byKey (a SHA-1 hash)");
		o->by_key = true;
		o->responder = t.val;
	} else {
		return x509_fail(e, der_empty(&rd) ? X509_E_TRUNCATED :
				 X509_E_TAG, "responderID");
	}
	r = gen_time(&rd, &o->produced_at);
	if (r)
		return x509_fail(e, r, "producedAt");
	r = der_enter(&rd, DER_SEQUENCE, &list);
	if (r)
		return x509_fail(e, r, "responses");
	if (der_empty(&list))
		return x509_fail(e, X509_E_EMPTY, "responses: empty");
	while (!der_empty(&list)) {
		if (o->n_responses == X509_OCSP_MAX_RESPONSES)
			return x509_fail(e, X509_E_TOO_MANY,
					 "responses: more than %u",
					 X509_OCSP_MAX_RESPONSES);
		r = parse_single(&list, &o->resp[o->n_responses], e,
				 o->n_responses + 1);
		if (r)
			return r;
		o->n_responses++;
	}
	if (der_peek(&rd) == DER_CTX_CONS(1)) {
		r = parse_extensions(&rd, DER_CTX_CONS(1), &o->nonce,
				     &o->unknown_critical, e,
				     "responseExtensions");
		if (r)
			return r;
	}
	if (der_done(&rd))
		return x509_fail(e, X509_E_TRAILING, "tbsResponseData");
	return X509_OK;
}

/*
 * BasicOCSPResponse ::= SEQUENCE { tbsResponseData ResponseData,
 *	signatureAlgorithm AlgorithmIdentifier, signature BIT STRING,
 *	certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
 */
static enum x509_err parse_basic(struct der *d, struct x509_ocsp *o,
				 struct x509_error *e)
{
	struct der b, outer, list;
	struct der_tlv t;
	unsigned int unused;
	enum x509_err r;

	r = der_enter(d, DER_SEQUENCE, &b);
	if (!r)
		r = der_done(d);
	if (r)
		return x509_fail(e, r, "BasicOCSPResponse");
	r = parse_response_data(&b, o, e);
	if (r)
		return r;
	r = x509_parse_algid(&b, &o->sig_alg);
	if (r)
		return x509_fail(e, r, "signatureAlgorithm");
	r = der_expect(&b, DER_BIT_STRING, &t);
	if (!r)
		r = der_bit_string(t.val, &o->sig, &unused);
	if (!r && unused)
		r = X509_E_BIT_STRING;
	if (r)
		return x509_fail(e, r, "signature");
	if (der_peek(&b) == DER_CTX_CONS(0)) {
		r = der_enter(&b, DER_CTX_CONS(0), &outer);
		if (!r)
			r = der_enter(&outer, DER_SEQUENCE, &list);
		if (!r)
			r = der_done(&outer);
		if (r)
			return x509_fail(e, r, "certs");
		while (!der_empty(&list)) {
			if (o->n_certs == X509_OCSP_MAX_CERTS)
				return x509_fail(e, X509_E_TOO_MANY,
						 "certs: more than %u",
						 X509_OCSP_MAX_CERTS);
			r = der_expect(&list, DER_SEQUENCE, &t);
			if (r)
				return x509_fail(e, r, "certs: %u",
						 o->n_certs + 1);
			o->certs[o->n_certs++] = t.raw;
		}
	}
	if (der_done(&b))
		return x509_fail(e, X509_E_TRAILING, "BasicOCSPResponse");
	return X509_OK;
}

/*
 * OCSPResponse ::= SEQUENCE { responseStatus OCSPResponseStatus,
 *	responseBytes [0] EXPLICIT ResponseBytes OPTIONAL }
 * ResponseBytes ::= SEQUENCE { responseType OBJECT IDENTIFIER,
 *	response OCTET STRING }
 */
enum x509_err x509_ocsp_parse(struct x509_ocsp *o, const uint8_t *buf,
			      size_t len, struct x509_error *e)
{
	struct der top, resp, outer, rb, basic;
	struct der_tlv t;
	uint32_t status;
	enum x509_err r;

	memset(o, 0, sizeof(*o));
	if (e) {
		e->reason = X509_OK;
		e->doc = "ocsp";
		e->where[0] = 0;
	}
	if (len > X509_OCSP_MAX_LEN)
		return x509_fail(e, X509_E_LENGTH,
				 "OCSPResponse: over %zu bytes",
				 X509_OCSP_MAX_LEN);
	der_init(&top, buf, len);
	r = der_enter(&top, DER_SEQUENCE, &resp);
	if (!r)
		r = der_done(&top);
	if (r)
		return x509_fail(e, r, "OCSPResponse");
	o->raw.p = buf;
	o->raw.len = len;
	r = der_expect(&resp, DER_ENUMERATED, &t);
	if (!r)
		r = der_small_uint(t.val, 255, &status);
	if (!r && (status > X509_OCSP_UNAUTHORIZED || status == 4))
		r = X509_E_UNSUPPORTED;
	if (r)
		return x509_fail(e, r, "responseStatus");
	o->status = (enum x509_ocsp_status)status;
	if (o->status != X509_OCSP_SUCCESSFUL) {
		/* §4.2.1: "If the value of responseStatus is one of the
		 * error conditions, the responseBytes field is not set." */
		if (der_done(&resp))
			return x509_fail(e, X509_E_TRAILING,
					 "responseBytes with responseStatus %s",
					 x509_ocsp_status_name(o->status));
		return X509_OK;
	}
	r = der_enter(&resp, DER_CTX_CONS(0), &outer);
	if (!r)
		r = der_enter(&outer, DER_SEQUENCE, &rb);
	if (!r)
		r = der_done(&outer);
	if (r)
		return x509_fail(e, r, "responseBytes");
	r = der_expect(&rb, DER_OID, &t);
	if (!r)
		r = der_oid_check(t.val);
	if (r)
		return x509_fail(e, r, "responseBytes: responseType");
	if (!der_oid_is(t.val, oid_ocsp_basic, sizeof(oid_ocsp_basic)))
		return x509_fail(e, X509_E_UNSUPPORTED,
				 "responseBytes: responseType is not id-pkix-ocsp-basic");
	r = der_enter_octets(&rb, &basic);
	if (!r)
		r = der_done(&rb);
	if (r)
		return x509_fail(e, r, "responseBytes: response");
	r = parse_basic(&basic, o, e);
	if (r)
		return r;
	if (der_done(&resp))
		return x509_fail(e, X509_E_TRAILING, "OCSPResponse");
	return X509_OK;
}
