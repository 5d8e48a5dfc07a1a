// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The one thing the handshake needs from a certificate by itself: the
 * leaf's SubjectPublicKeyInfo, to check CertificateVerify (RFC 8446
 * §4.4.3).  Judging the certificate (path, names, validity) is the
 * verifier's job (struct ktls_verifier); this only walks the DER of RFC
 * 5280 §4.1 far enough to find the key:
 *
 *   Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, ... }
 *   TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber,
 *       signature, issuer, validity, subject, subjectPublicKeyInfo, ... }
 *
 * Every length is checked against its parent window; definite lengths
 * only (DER).  Nothing is copied.
 */
#include "cert_spki.h"

/* One TLV at *p within [*p, end): its tag, total and content spans. */
static int der_tlv(const uint8_t **p, const uint8_t *end, uint8_t *tag,
		   const uint8_t **content, size_t *clen)
{
	const uint8_t *q = *p;
	size_t len = 0, n;

	if (end - q < 2)
		return -1;
	*tag = *q++;
	if (*q < 0x80) {
		len = *q++;
	} else {
		n = *q++ & 0x7f;
		if (n == 0 || n > 3 || (size_t)(end - q) < n)
			return -1;
		while (n--)
			len = len << 8 | *q++;
	}
	if ((size_t)(end - q) < len)
		return -1;
	*content = q;
	*clen = len;
	*p = q + len;
	return 0;
}

int ktls_cert_spki(const uint8_t *der, size_t len, const uint8_t **spki,
		   size_t *spki_len)
{
	const uint8_t *p = der, *end = der + len, *c, *tbs_end, *start;
	uint8_t tag;
	size_t clen;

	if (der_tlv(&p, end, &tag, &c, &clen) || tag != 0x30)
		return -1;
	p = c;
	end = c + clen;
	if (der_tlv(&p, end, &tag, &c, &clen) || tag != 0x30)
		return -1;
	p = c;
	tbs_end = c + clen;
	if (p < tbs_end && *p == 0xa0 &&
	    der_tlv(&p, tbs_end, &tag, &c, &clen))
		return -1;
	/* serialNumber, signature, issuer, validity, subject */
	for (int i = 0; i < 5; i++)
		if (der_tlv(&p, tbs_end, &tag, &c, &clen))
			return -1;
	start = p;
	if (der_tlv(&p, tbs_end, &tag, &c, &clen) || tag != 0x30)
		return -1;
	*spki = start;
	*spki_len = (size_t)(p - start);
	return 0;
}
