// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * x509_ocsp_verify.c: what a stapled OCSP response (RFC 6960) says about
 * the leaf, judged against the issuer on the validated path.
 *
 * Why it is shaped so. A staple is evidence the peer chose to send, so
 * every part of it must tie back to the path we already trust:
 *
 *  - which SingleResponse: the one whose CertID is the leaf's, computed
 *    here from the issuer on the path (hash of its subject Name DER and
 *    of its subjectPublicKey BIT STRING contents, §4.1.1), never taken
 *    from the response's word; responses for other certificates are
 *    ignored, and if none is the leaf's the staple is unusable;
 *  - who signed it (§4.2.2.2): the issuer itself, or a delegated
 *    responder whose certificate, carried in certs, is issued and signed
 *    by that same issuer, has extendedKeyUsage id-kp-OCSPSigning, is
 *    within its validity and has no critical extension we do not
 *    understand. responderID must name the signer: byName its subject,
 *    byKey the SHA-1 of its subjectPublicKey. The signature algorithm
 *    passes x509_sig_request() as a certificate's would;
 *  - when (§4.2.2.1): thisUpdate not after now + X509_OCSP_SKEW,
 *    nextUpdate not before now - X509_OCSP_SKEW, and without nextUpdate a
 *    thisUpdate at most X509_OCSP_MAX_AGE old.
 *
 * The checks run in that order, so a forged response is reported as
 * forged even when it is also stale. No nonce is expected: a staple is
 * fetched by the server, not for this handshake (RFC 6066 §8).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "x509_path.h"

enum x509_hash x509_ocsp_certid_hash(enum x509_ocsp_hash h)
{
	switch (h) {
	case X509_OCSP_HASH_SHA1:
		return X509_HASH_SHA1;
	case X509_OCSP_HASH_SHA256:
		return X509_HASH_SHA256;
	case X509_OCSP_HASH_SHA384:
		return X509_HASH_SHA384;
	case X509_OCSP_HASH_SHA512:
		return X509_HASH_SHA512;
	default:
		return X509_HASH_NONE;
	}
}

/* Is H(data) == want? */
static bool hash_is(const struct x509_verify_params *p, enum x509_hash h,
		    struct x509_span data, struct x509_span want)
{
	uint8_t out[X509_HASH_MAX];
	int n;

	n = p->hash(p->hash_arg, h, data, out);
	return n > 0 && (size_t)n == want.len && !memcmp(out, want.p, want.len);
}

/* Does responderID name c? */
static bool names_signer(const struct x509_ocsp *o,
			 const struct x509_verify_params *p,
			 const struct x509_cert *c)
{
	if (!o->by_key)
		return x509_span_eq(o->responder, c->subject);
	return hash_is(p, X509_HASH_SHA1, c->key, o->responder);
}

static const char *sig_problem(enum x509_verdict v)
{
	switch (v) {
	case X509_VFY_BAD_SIGNATURE:
		return "does not verify";
	case X509_VFY_WEAK_ALGORITHM:
		return "uses SHA-1 or an RSA key below 2048 bits";
	case X509_VFY_TOO_LONG:
		return "is one signature check too many";
	default:
		return "uses an algorithm we do not support";
	}
}

static void say(struct x509_staple_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say(struct x509_staple_result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->msg, sizeof(res->msg), fmt, ap);
	va_end(ap);
}

/*
 * §4.2.2.2: a delegated responder "MUST directly be issued by the CA that
 * is identified in the request" and its certificate "MUST include the
 * value of id-kp-OCSPSigning in an extended key usage extension".
 * Returns true if c may sign for issuer; else res->msg says why not.
 */
static bool delegate_ok(const struct x509_cert *c,
			const struct x509_cert *issuer,
			const struct x509_verify_params *p,
			unsigned int *sig_checks,
			struct x509_staple_result *res)
{
	char name[160], iss[160];
	enum x509_verdict v;

	x509_name_text(c->subject, name, sizeof(name));
	x509_name_text(issuer->subject, iss, sizeof(iss));
	if (!x509_span_eq(c->issuer, issuer->subject)) {
		say(res, "responder '%s' is not issued by '%s', the issuer of "
		    "the certificate", name, iss);
		return false;
	}
	v = x509_check_sig(p, sig_checks, &c->sig_alg, c->tbs, c->sig,
			   issuer);
	if (v) {
		say(res, "the signature of '%s' on responder certificate "
		    "'%s' %s", iss, name, sig_problem(v));
		return false;
	}
	if (!(c->ext_present & X509_EXT_EXT_KEY_USAGE) ||
	    !(c->eku & X509_EKU_OCSP_SIGNING)) {
		say(res, "responder '%s' is not authorised: its certificate "
		    "lacks extendedKeyUsage id-kp-OCSPSigning", name);
		return false;
	}
	if (p->now < c->not_before || p->now > c->not_after) {
		say(res, "responder certificate '%s' is %s", name,
		    p->now < c->not_before ? "not yet valid" : "expired");
		return false;
	}
	if (c->unknown_critical) {
		say(res, "responder certificate '%s' has a critical extension "
		    "we do not understand", name);
		return false;
	}
	if (c->ext_present & X509_EXT_KEY_USAGE &&
	    !(c->key_usage & (X509_KU_DIGITAL_SIGNATURE |
			      X509_KU_NON_REPUDIATION))) {
		say(res, "responder certificate '%s' has a keyUsage that "
		    "does not allow signing", name);
		return false;
	}
	return true;
}

/*
 * Find who signed o for issuer and check the signature: the issuer if
 * responderID names it, else a delegated responder from certs.
 */
static bool signer_ok(const struct x509_ocsp *o,
		      const struct x509_cert *issuer,
		      const struct x509_verify_params *p,
		      struct x509_cert *scratch, unsigned int *sig_checks,
		      struct x509_staple_result *res)
{
	char name[160];
	enum x509_verdict v;
	bool named = false;

	if (names_signer(o, p, issuer)) {
		v = x509_check_sig(p, sig_checks, &o->sig_alg, o->tbs,
				   o->sig, issuer);
		if (!v)
			return true;
		x509_name_text(issuer->subject, name, sizeof(name));
		say(res, "its signature by the issuer '%s' %s", name,
		    sig_problem(v));
		return false;
	}
	for (unsigned int i = 0; i < o->n_certs; i++) {
		if (x509_cert_parse(scratch, o->certs[i].p, o->certs[i].len,
				    NULL) || !names_signer(o, p, scratch))
			continue;
		named = true;
		if (!delegate_ok(scratch, issuer, p, sig_checks, res))
			return false;
		v = x509_check_sig(p, sig_checks, &o->sig_alg, o->tbs,
				   o->sig, scratch);
		if (!v)
			return true;
		x509_name_text(scratch->subject, name, sizeof(name));
		say(res, "its signature by responder '%s' %s", name,
		    sig_problem(v));
		return false;
	}
	if (!named) {
		if (o->by_key)
			say(res, "its responderID (byKey) names neither the "
			    "issuer nor a certificate it carries");
		else {
			x509_name_text(o->responder, name, sizeof(name));
			say(res, "its responder '%s' is neither the issuer "
			    "nor a certificate it carries", name);
		}
	}
	return false;
}

/* The SingleResponse for leaf under issuer, or -1. */
static int find_single(const struct x509_ocsp *o,
		       const struct x509_cert *leaf,
		       const struct x509_cert *issuer,
		       const struct x509_verify_params *p)
{
	for (unsigned int i = 0; i < o->n_responses; i++) {
		const struct x509_ocsp_single *s = &o->resp[i];
		enum x509_hash h = x509_ocsp_certid_hash(s->hash);

		if (h == X509_HASH_NONE ||
		    !x509_span_eq(s->serial, leaf->serial))
			continue;
		if (hash_is(p, h, issuer->subject, s->name_hash) &&
		    hash_is(p, h, issuer->key, s->key_hash))
			return (int)i;
	}
	return -1;
}

enum x509_verdict x509_staple_check(const struct x509_ocsp *o,
				    const struct x509_cert *leaf,
				    const struct x509_cert *issuer,
				    const struct x509_verify_params *p,
				    struct x509_cert *scratch,
				    unsigned int *sig_checks,
				    struct x509_staple_result *res)
{
	const struct x509_ocsp_single *s;
	char serial[64], iss[160], when[40], name[160];

	memset(res, 0, sizeof(*res));
	res->resp = -1;
	if (o->status != X509_OCSP_SUCCESSFUL) {
		res->state = X509_STAPLE_NO_INFO;
		say(res, "responseStatus %s: no information",
		    x509_ocsp_status_name(o->status));
		return X509_VFY_OK;
	}
	res->state = X509_STAPLE_UNUSABLE;
	if (!p->hash) {
		say(res, "no hash function to check it with");
		return X509_VFY_BAD_OCSP;
	}
	x509_serial_text(leaf->serial, serial, sizeof(serial));
	x509_name_text(issuer->subject, iss, sizeof(iss));
	res->resp = find_single(o, leaf, issuer, p);
	if (res->resp < 0) {
		say(res, "it is for another certificate: no response for "
		    "serial %s issued by '%s'", serial, iss);
		return X509_VFY_BAD_OCSP;
	}
	s = &o->resp[res->resp];
	if (!signer_ok(o, issuer, p, scratch, sig_checks, res))
		return X509_VFY_BAD_OCSP;
	if (o->unknown_critical || s->unknown_critical) {
		say(res, "it has a critical extension we do not understand");
		return X509_VFY_BAD_OCSP;
	}
	if (s->this_update > p->now + X509_OCSP_SKEW) {
		x509_time_text(s->this_update, when, sizeof(when));
		say(res, "its thisUpdate %s is in the future; check the "
		    "clocks", when);
		return X509_VFY_BAD_OCSP;
	}
	if (s->has_next_update && s->next_update < p->now - X509_OCSP_SKEW) {
		x509_time_text(s->next_update, when, sizeof(when));
		say(res, "it is stale: nextUpdate %s has passed", when);
		return X509_VFY_BAD_OCSP;
	}
	if (!s->has_next_update &&
	    s->this_update < p->now - X509_OCSP_MAX_AGE) {
		x509_time_text(s->this_update, when, sizeof(when));
		say(res, "it is stale: no nextUpdate and thisUpdate %s is "
		    "more than %d days old", when, X509_OCSP_MAX_AGE / 86400);
		return X509_VFY_BAD_OCSP;
	}
	x509_name_text(leaf->subject, name, sizeof(name));
	switch (s->status) {
	case X509_OCSP_GOOD:
		res->state = X509_STAPLE_GOOD;
		say(res, "'%s' (serial %s) is not revoked", name, serial);
		return X509_VFY_OK;
	case X509_OCSP_UNKNOWN:
		res->state = X509_STAPLE_NO_INFO;
		say(res, "the responder does not know serial %s",
		    serial);
		return X509_VFY_OK;
	case X509_OCSP_REVOKED:
		break;
	}
	res->state = X509_STAPLE_REVOKED;
	x509_time_text(s->revocation_time, when, sizeof(when));
	if (s->reason >= 0)
		say(res, "'%s' (serial %s) was revoked on %s, reason %s "
		    "(stapled OCSP response)", name, serial, when,
		    x509_crl_reason_name(s->reason));
	else
		say(res, "'%s' (serial %s) was revoked on %s (stapled OCSP "
		    "response)", name, serial, when);
	return X509_VFY_REVOKED;
}
