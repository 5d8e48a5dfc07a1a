/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * x509_cert.h: a parsed X.509 v1/v3 certificate (RFC 5280 §4.1), with the
 * pieces path validation needs, all pointing into the caller's DER buffer.
 *
 * x509_cert_parse() checks syntax and the profile rules that are properties
 * of one certificate alone (version vs. fields present, serial length, the
 * two signature algorithm fields agreeing, extension syntax, duplicates,
 * count caps). It does not check signatures, validity against a clock,
 * or anything involving a second certificate: those belong to the verifier,
 * which reads this structure.
 */
#ifndef KTLSD_X509_CERT_H
#define KTLSD_X509_CERT_H

#include "x509_der.h"

#define X509_MAX_EXTENSIONS 32
#define X509_MAX_SAN 64
#define X509_MAX_SUBTREES 32	/* per permitted / excluded list */
#define X509_MAX_EKU 32
#define X509_MAX_RDN 64		/* RDNs in a Name */
#define X509_MAX_SERIAL 20	/* RFC 5280 §4.1.2.2 */

/* Signature and key algorithms we name; anything else is X509_ALG_UNKNOWN
 * with its OID kept, for the crypto provider to accept or refuse. */
enum x509_alg {
	X509_ALG_UNKNOWN = 0,
	X509_ALG_RSA,			/* rsaEncryption (key) */
	X509_ALG_RSA_PSS,		/* RSASSA-PSS (key or signature) */
	X509_ALG_EC,			/* id-ecPublicKey (key) */
	X509_ALG_ED25519,
	X509_ALG_ED448,
	X509_ALG_RSA_SHA256,		/* sha256WithRSAEncryption */
	X509_ALG_RSA_SHA384,
	X509_ALG_RSA_SHA512,
	X509_ALG_RSA_SHA1,
	X509_ALG_ECDSA_SHA256,
	X509_ALG_ECDSA_SHA384,
	X509_ALG_ECDSA_SHA512,
	X509_ALG_ML_DSA_44,
	X509_ALG_ML_DSA_65,
	X509_ALG_ML_DSA_87,
};

/* AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } */
struct x509_algid {
	struct x509_span raw;		/* the whole SEQUENCE */
	struct x509_span oid;		/* OID contents */
	struct x509_span params;	/* parameters TLV, or empty if absent */
	enum x509_alg alg;
};

/* GeneralName tag numbers (RFC 5280 §4.2.1.6). */
enum x509_gn_type {
	X509_GN_OTHER_NAME = 0,
	X509_GN_RFC822 = 1,
	X509_GN_DNS = 2,
	X509_GN_X400 = 3,
	X509_GN_DIRECTORY = 4,
	X509_GN_EDI_PARTY = 5,
	X509_GN_URI = 6,
	X509_GN_IP = 7,
	X509_GN_REGISTERED_ID = 8,
	X509_GN__COUNT
};

/*
 * One GeneralName. value is the contents: the IA5String for rfc822Name,
 * dNSName and URI; 4 or 16 octets for an iPAddress SAN; address then mask
 * (8 or 32 octets) for an iPAddress subtree; the Name TLV for
 * directoryName; the raw contents for the other forms.
 */
struct x509_general_name {
	enum x509_gn_type type;
	struct x509_span value;
};

/* One extension, as found (RFC 5280 §4.1: Extension). */
struct x509_extension {
	struct x509_span oid;
	struct x509_span value;		/* extnValue contents */
	bool critical;
	bool understood;		/* one of the X509_EXT_* we parse */
};

/* Extensions the parser understands: bits of x509_cert.ext_present. */
enum {
	X509_EXT_BASIC_CONSTRAINTS = 1u << 0,
	X509_EXT_KEY_USAGE = 1u << 1,
	X509_EXT_EXT_KEY_USAGE = 1u << 2,
	X509_EXT_SUBJECT_ALT_NAME = 1u << 3,
	X509_EXT_NAME_CONSTRAINTS = 1u << 4,
	X509_EXT_AUTHORITY_KEY_ID = 1u << 5,
	X509_EXT_SUBJECT_KEY_ID = 1u << 6,
	/* CRL extensions (x509_crl.h) */
	X509_EXT_CRL_NUMBER = 1u << 7,
};

/* KeyUsage bits, numbered as in RFC 5280 §4.2.1.3: 1u << bit. */
enum {
	X509_KU_DIGITAL_SIGNATURE = 1u << 0,
	X509_KU_NON_REPUDIATION = 1u << 1,
	X509_KU_KEY_ENCIPHERMENT = 1u << 2,
	X509_KU_DATA_ENCIPHERMENT = 1u << 3,
	X509_KU_KEY_AGREEMENT = 1u << 4,
	X509_KU_KEY_CERT_SIGN = 1u << 5,
	X509_KU_CRL_SIGN = 1u << 6,
	X509_KU_ENCIPHER_ONLY = 1u << 7,
	X509_KU_DECIPHER_ONLY = 1u << 8,
};

/* ExtendedKeyUsage purposes (RFC 5280 §4.2.1.12). */
enum {
	X509_EKU_SERVER_AUTH = 1u << 0,
	X509_EKU_CLIENT_AUTH = 1u << 1,
	X509_EKU_ANY = 1u << 2,		/* anyExtendedKeyUsage */
	X509_EKU_OTHER = 1u << 3,	/* some purpose we do not name */
	X509_EKU_OCSP_SIGNING = 1u << 4, /* id-kp-OCSPSigning (RFC 6960) */
};

/* authorityKeyIdentifier (RFC 5280 §4.2.1.1): each part may be absent. */
struct x509_aki {
	struct x509_span key_id;	/* [0] keyIdentifier */
	struct x509_span issuer;	/* [1] GeneralNames, contents */
	struct x509_span serial;	/* [2] authorityCertSerialNumber */
};

struct x509_cert {
	struct x509_span raw;		/* the Certificate SEQUENCE */
	struct x509_span tbs;		/* tbsCertificate TLV: what is signed */
	unsigned int version;		/* 1, 2 or 3 */
	struct x509_span serial;	/* INTEGER contents, as encoded */
	struct x509_algid sig_alg;	/* signatureAlgorithm */
	struct x509_span sig;		/* signatureValue, whole octets */
	struct x509_span issuer;	/* Name TLV, compare byte-wise */
	struct x509_span subject;	/* Name TLV; an empty SEQUENCE allowed */
	int64_t not_before;		/* seconds since the epoch, UTC */
	int64_t not_after;
	struct x509_span spki;		/* SubjectPublicKeyInfo TLV */
	struct x509_algid key_alg;	/* its algorithm */
	struct x509_span key;		/* subjectPublicKey, whole octets */

	unsigned int n_ext;
	struct x509_extension ext[X509_MAX_EXTENSIONS];
	uint32_t ext_present;		/* X509_EXT_* */
	/* Some critical extension is not understood: RFC 5280 §4.2 says the
	 * certificate MUST then be rejected. The first such OID is kept. */
	bool unknown_critical;
	struct x509_span unknown_critical_oid;

	bool ca;			/* basicConstraints cA */
	int path_len;			/* pathLenConstraint, -1 if absent */
	uint16_t key_usage;		/* X509_KU_*, valid if present */
	uint32_t eku;			/* X509_EKU_*, valid if present */
	struct x509_span ski;		/* subjectKeyIdentifier */
	struct x509_aki aki;

	unsigned int n_san;
	struct x509_general_name san[X509_MAX_SAN];
	unsigned int n_permitted, n_excluded;
	struct x509_general_name permitted[X509_MAX_SUBTREES];
	struct x509_general_name excluded[X509_MAX_SUBTREES];
};

/*
 * Parse one DER certificate that fills buf exactly. On failure returns the
 * reason and, if err is not NULL, names the field in err->where. cert then
 * holds nothing usable.
 */
enum x509_err x509_cert_parse(struct x509_cert *cert, const uint8_t *buf,
			      size_t len, struct x509_error *err)
	X509_MUST_CHECK;

/* Shared with the CRL parser. */
enum x509_err x509_parse_algid(struct der *d, struct x509_algid *a)
	X509_MUST_CHECK;
enum x509_err x509_parse_name(struct der *d, struct x509_span *raw)
	X509_MUST_CHECK;
enum x509_err x509_parse_aki(struct der *d, struct x509_aki *aki,
			     struct x509_error *err, const char *where)
	X509_MUST_CHECK;
/* One Extension SEQUENCE: OID, criticality and value, checked. */
enum x509_err x509_parse_extension(struct der *d, struct x509_extension *ext)
	X509_MUST_CHECK;
const char *x509_gn_name(enum x509_gn_type type);

#endif /* KTLSD_X509_CERT_H */
