/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * x509_names.h: service identity (RFC 6125) and name constraints
 * (RFC 5280 §4.2.1.10) over parsed certificates.
 *
 * Only subjectAltName is consulted: there is no Common Name fallback
 * (RFC 6125 §6.4.4 allows one only when no SAN of a supported type exists;
 * we never do it, as the CA/Browser Forum requires SANs).
 */
#ifndef KTLSD_X509_NAMES_H
#define KTLSD_X509_NAMES_H

#include "x509_cert.h"

#define X509_DNS_MAX_LEN 253
#define X509_DNS_MAX_LABEL 63

/*
 * Does the presented dNSName pattern (from a SAN) match the reference
 * host name (RFC 6125 §6.4)? Both may end in one dot. A pattern or
 * reference that is not a well-formed name never matches.
 */
bool x509_dns_match(struct x509_span presented, const char *ref,
		    size_t ref_len);

/*
 * Does leaf identify the service reference? An IPv4 or IPv6 literal
 * (parsed by inet_pton) is compared as bytes with iPAddress SANs only;
 * anything else must be a DNS name (A-labels, at most one trailing dot)
 * and is matched against dNSName SANs. Returns X509_OK on a match,
 * X509_E_NAME_MISMATCH or X509_E_REFERENCE otherwise.
 */
enum x509_err x509_match_host(const struct x509_cert *leaf, const char *ref,
			      struct x509_error *err) X509_MUST_CHECK;

/* RFC 5280 §4.2.1.10 primitives: is name inside the subtree? */
bool x509_nc_dns_match(struct x509_span constraint, struct x509_span name);
bool x509_nc_ip_match(struct x509_span constraint, struct x509_span addr);

/*
 * Check cert's names against the name constraints of one CA certificate
 * above it in the path: every dNSName and iPAddress SAN must lie inside a
 * permitted subtree of its form (when the CA has any of that form) and
 * outside every excluded one. Name forms we do not implement (rfc822Name,
 * URI, directoryName, ...) are refused with X509_E_NC_UNSUPPORTED when
 * the CA constrains that form and cert has a name of that form, as
 * RFC 5280 §4.2.1.10 requires ("MUST either process the constraint or
 * reject the certificate").
 */
enum x509_err x509_check_name_constraints(const struct x509_cert *ca,
					  const struct x509_cert *cert,
					  struct x509_error *err)
	X509_MUST_CHECK;

#endif /* KTLSD_X509_NAMES_H */
