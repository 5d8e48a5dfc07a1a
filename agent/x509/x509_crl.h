/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * x509_crl.h: a parsed X.509 v1/v2 CRL (RFC 5280 §5), allocation-free.
 *
 * x509_crl_parse() checks every byte, including every revoked entry, but
 * stores the revoked list only as a span: a CRL may list a million serials
 * and the parser owns no memory. Lookups walk the span again; they cannot
 * fail on a CRL that parsed.
 */
#ifndef KTLSD_X509_CRL_H
#define KTLSD_X509_CRL_H

#include "x509_cert.h"

#define X509_MAX_CRL_EXTENSIONS 16
#define X509_MAX_ENTRY_EXTENSIONS 8

struct x509_crl {
	struct x509_span raw;		/* the CertificateList SEQUENCE */
	struct x509_span tbs;		/* tbsCertList TLV: what is signed */
	unsigned int version;		/* 1 or 2 */
	struct x509_algid sig_alg;
	struct x509_span sig;		/* signatureValue, whole octets */
	struct x509_span issuer;	/* Name TLV */
	int64_t this_update;		/* seconds since the epoch, UTC */
	int64_t next_update;		/* valid if has_next_update */
	bool has_next_update;
	struct x509_span revoked;	/* revokedCertificates contents */
	unsigned int n_revoked;

	unsigned int n_ext;
	struct x509_extension ext[X509_MAX_CRL_EXTENSIONS];
	uint32_t ext_present;		/* X509_EXT_CRL_NUMBER, _AUTHORITY_KEY_ID */
	struct x509_span crl_number;	/* INTEGER contents */
	struct x509_aki aki;
	/* A critical CRL or entry extension we do not process: RFC 5280
	 * §5.2 and §5.3 say the CRL must not then be used to decide
	 * revocation. deltaCRLIndicator, issuingDistributionPoint and
	 * certificateIssuer (delta, partitioned and indirect CRLs) count as
	 * critical even when not marked so. The first such OID is kept. */
	bool unknown_critical;
	struct x509_span unknown_critical_oid;
};

/* CRLReason (RFC 5280 §5.3.1); X509_CRL_REASON_NONE if absent. */
#define X509_CRL_REASON_NONE (-1)

struct x509_crl_entry {
	struct x509_span serial;	/* INTEGER contents */
	int64_t revocation_date;
	int reason;
	bool has_invalidity_date;
	int64_t invalidity_date;
};

enum x509_err x509_crl_parse(struct x509_crl *crl, const uint8_t *buf,
			     size_t len, struct x509_error *err)
	X509_MUST_CHECK;

/* Walk the revoked entries of a CRL that parsed. */
struct x509_crl_iter {
	struct der d;
};
void x509_crl_iter_init(const struct x509_crl *crl, struct x509_crl_iter *it);
bool x509_crl_iter_next(struct x509_crl_iter *it, struct x509_crl_entry *ent);

/*
 * Is serial (INTEGER contents, as in x509_cert.serial) listed? DER encodes
 * each integer one way, so equal serials have equal bytes. entry may be
 * NULL.
 */
bool x509_crl_find(const struct x509_crl *crl, struct x509_span serial,
		   struct x509_crl_entry *entry);

#endif /* KTLSD_X509_CRL_H */
