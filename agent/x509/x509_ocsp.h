/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * x509_ocsp.h: a parsed OCSPResponse (RFC 6960 §4.2.1), allocation-free,
 * for the response a TLS peer staples to its leaf certificate.
 *
 * x509_ocsp_parse() checks the structure of every byte: responseStatus,
 * the id-pkix-ocsp-basic responseBytes, the BasicOCSPResponse with its
 * tbsResponseData, every SingleResponse, the extensions and the shape of
 * each certificate in certs. It checks no signature, no hash and no time:
 * those belong to the verifier (x509_path.c), which has the issuer.
 */
#ifndef KTLSD_X509_OCSP_H
#define KTLSD_X509_OCSP_H

#include "x509_cert.h"

#define X509_OCSP_MAX_LEN ((size_t)1 << 16)	/* a whole OCSPResponse */
#define X509_OCSP_MAX_RESPONSES 16	/* SingleResponses */
#define X509_OCSP_MAX_CERTS 4		/* certificates in certs [0] */
#define X509_OCSP_MAX_EXTENSIONS 8	/* per extension list */
#define X509_OCSP_MAX_HASH 64		/* issuerNameHash / issuerKeyHash */

/* OCSPResponseStatus (§4.2.1); 4 is not used. */
enum x509_ocsp_status {
	X509_OCSP_SUCCESSFUL = 0,
	X509_OCSP_MALFORMED_REQUEST = 1,
	X509_OCSP_INTERNAL_ERROR = 2,
	X509_OCSP_TRY_LATER = 3,
	X509_OCSP_SIG_REQUIRED = 5,
	X509_OCSP_UNAUTHORIZED = 6,
};

/* CertStatus (§4.2.1) */
enum x509_ocsp_cert_status {
	X509_OCSP_GOOD = 0,
	X509_OCSP_REVOKED = 1,
	X509_OCSP_UNKNOWN = 2,
};

/* The CertID hash algorithms we can compute; others are kept as OIDs. */
enum x509_ocsp_hash {
	X509_OCSP_HASH_OTHER = 0,
	X509_OCSP_HASH_SHA1,
	X509_OCSP_HASH_SHA256,
	X509_OCSP_HASH_SHA384,
	X509_OCSP_HASH_SHA512,
};

struct x509_ocsp_single {
	/* certID */
	enum x509_ocsp_hash hash;
	struct x509_span hash_oid;
	struct x509_span name_hash;	/* issuerNameHash octets */
	struct x509_span key_hash;	/* issuerKeyHash octets */
	struct x509_span serial;	/* INTEGER contents, as encoded */
	enum x509_ocsp_cert_status status;
	int64_t revocation_time;	/* if revoked */
	int reason;			/* CRLReason, -1 if absent */
	int64_t this_update;
	int64_t next_update;		/* valid if has_next_update */
	bool has_next_update;
	/* a critical singleExtension we do not process */
	bool unknown_critical;
};

struct x509_ocsp {
	struct x509_span raw;		/* the OCSPResponse SEQUENCE */
	enum x509_ocsp_status status;	/* responseStatus */
	/* The rest is set only when status is X509_OCSP_SUCCESSFUL: a
	 * successful response must carry a BasicOCSPResponse, and any other
	 * status must carry no responseBytes (§4.2.1). */
	struct x509_span tbs;		/* tbsResponseData TLV: it is signed */
	unsigned int version;		/* 1 */
	bool by_key;			/* responderID byKey, else byName */
	struct x509_span responder;	/* byName: Name TLV; byKey: octets */
	int64_t produced_at;
	unsigned int n_responses;
	struct x509_ocsp_single resp[X509_OCSP_MAX_RESPONSES];
	struct x509_span nonce;		/* id-pkix-ocsp-nonce value, if any */
	/* a critical responseExtension we do not process */
	bool unknown_critical;
	struct x509_algid sig_alg;
	struct x509_span sig;		/* signature, whole octets */
	unsigned int n_certs;
	struct x509_span certs[X509_OCSP_MAX_CERTS]; /* Certificate TLVs */
};

/*
 * Parse one DER OCSPResponse that fills buf exactly. On failure returns
 * the reason and, if err is not NULL, names the field in err->where.
 */
enum x509_err x509_ocsp_parse(struct x509_ocsp *o, const uint8_t *buf,
			      size_t len, struct x509_error *err)
	X509_MUST_CHECK;

/* "successful", "tryLater", ...; "good", "revoked", "unknown". */
const char *x509_ocsp_status_name(enum x509_ocsp_status s);
const char *x509_ocsp_cert_status_name(enum x509_ocsp_cert_status s);

#endif /* KTLSD_X509_OCSP_H */
