// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer target: x509_ocsp_parse() on arbitrary bytes; on success,
 * x509_staple_check() against a made-up issuer and leaf whose serial,
 * name and key hashes are the first response's own (the hash callback
 * hands them back), with a signature callback accepting even first bytes,
 * and a clock a minute after its thisUpdate, so signer search, delegated
 * responder certificates (parsed from certs), times and statuses are
 * reached. Aborts when a contract breaks: a span
 * outside the input, a failure without reason or field, a verdict other
 * than ok / revoked / bad-ocsp-response, or a state that disagrees with it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "x509_path.h"

static const struct x509_ocsp *cur;
static struct x509_cert issuer;

static int sig_even(void *arg, const struct x509_sig_req *r)
{
	(void)arg;
	return r->sig.len && !(r->sig.p[0] & 1) ? 0 : -1;
}

/* The "digest" the response expects, so that CertIDs can match. */
static int hash_back(void *arg, enum x509_hash h, struct x509_span m,
		     uint8_t *out)
{
	struct x509_span v = { NULL, 0 };

	(void)arg;
	(void)h;
	if (cur->n_responses && m.p == issuer.subject.p)
		v = cur->resp[0].name_hash;
	else if (cur->n_responses && m.p == issuer.key.p)
		v = cur->resp[0].key_hash;
	else if (cur->by_key)
		v = cur->responder;
	if (!v.len || v.len > X509_HASH_MAX)
		return -1;
	memcpy(out, v.p, v.len);
	return (int)v.len;
}

static bool inside(struct x509_span s, const uint8_t *data, size_t size)
{
	return !s.len || (s.p >= data && s.p + s.len <= data + size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t key[32] = { 1 };
	static const uint8_t p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
					0x3d, 0x03, 0x01, 0x07 };
	static const uint8_t name[] = { 0x30, 0x0d, 0x31, 0x0b, 0x30, 0x09,
					0x06, 0x03, 0x55, 0x04, 0x03, 0x0c,
					0x02, 'c', 'a' };
	static struct x509_ocsp o;
	static struct x509_cert leaf, scratch;
	struct x509_verify_params p = {
		.now = 1767225600,	/* 2026-01-01 */
		.revocation = X509_REV_SOFT,
		.verify_sig = sig_even,
		.hash = hash_back,
	};
	struct x509_staple_result res;
	struct x509_error e;
	enum x509_verdict v;
	unsigned int checks = 0;
	enum x509_err r;

	r = x509_ocsp_parse(&o, data, size, &e);
	if (r) {
		if (r >= X509_E__COUNT || e.reason != r || !e.where[0])
			abort();
		return 0;
	}
	if (o.n_responses > X509_OCSP_MAX_RESPONSES ||
	    o.n_certs > X509_OCSP_MAX_CERTS || !inside(o.tbs, data, size) ||
	    !inside(o.responder, data, size) || !inside(o.sig, data, size))
		abort();
	for (unsigned int i = 0; i < o.n_responses; i++)
		if (!inside(o.resp[i].serial, data, size) ||
		    !inside(o.resp[i].name_hash, data, size) ||
		    !inside(o.resp[i].key_hash, data, size) ||
		    o.resp[i].status > X509_OCSP_UNKNOWN)
			abort();
	for (unsigned int i = 0; i < o.n_certs; i++)
		if (!o.certs[i].len || !inside(o.certs[i], data, size))
			abort();

	/* a minute after the first response's thisUpdate, so the seeds
	 * are current and the statuses are reached */
	if (o.n_responses)
		p.now = o.resp[0].this_update + 60;
	cur = &o;
	memset(&issuer, 0, sizeof(issuer));
	issuer.subject = !o.by_key && o.responder.len ? o.responder :
			 (struct x509_span){ name, sizeof(name) };
	issuer.key = (struct x509_span){ key, sizeof(key) };
	issuer.spki = issuer.key;
	/* P-256 for the ECDSA seeds (openssl's responses), else Ed25519 */
	issuer.key_alg.alg = size & 1 ? X509_ALG_ED25519 : X509_ALG_EC;
	if (issuer.key_alg.alg == X509_ALG_EC)
		issuer.key_alg.params = (struct x509_span){ p256,
							    sizeof(p256) };
	memset(&leaf, 0, sizeof(leaf));
	leaf.subject = (struct x509_span){ name, sizeof(name) };
	leaf.serial = o.n_responses ? o.resp[0].serial :
		      (struct x509_span){ key, 1 };
	v = x509_staple_check(&o, &leaf, &issuer, &p, &scratch, &checks,
			      &res);
	if (!res.msg[0] || strlen(res.msg) >= sizeof(res.msg) ||
	    checks > X509_MAX_SIG_CHECKS + 1 ||
	    res.resp >= (int)o.n_responses)
		abort();
	switch (v) {
	case X509_VFY_OK:
		if (res.state != X509_STAPLE_GOOD &&
		    res.state != X509_STAPLE_NO_INFO)
			abort();
		break;
	case X509_VFY_REVOKED:
		if (res.state != X509_STAPLE_REVOKED || res.resp < 0)
			abort();
		break;
	case X509_VFY_BAD_OCSP:
		if (res.state != X509_STAPLE_UNUSABLE)
			abort();
		break;
	default:
		abort();
	}
	if (res.state == X509_STAPLE_GOOD && res.resp < 0)
		abort();
	return 0;
}
