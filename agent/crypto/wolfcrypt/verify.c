// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * A strict test verifier for struct ktls_verifier, and PEM loaders for the
 * tools, on wolfSSL.  Both live here because this directory is the only
 * place allowed to include wolfSSL headers.
 *
 * The verifier is deliberately simple and strict, a stand-in until the
 * project's own X.509 path validation exists: for every chain it builds a
 * fresh wolfSSL certificate manager trusting only the configured CA file,
 * adds the peer's intermediates (each must itself verify against what is
 * already trusted, which wolfSSL checks as it loads a CA), verifies the
 * leaf (signature, validity dates), then matches the expected host name
 * (RFC 6125 through wolfSSL_X509_check_host) or IP address.  Every
 * refusal is mapped to the RFC 8446 §6 alert that names it.
 */
#include <arpa/inet.h>
#include <string.h>

#include "internal.h"

#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include "ktls.h"
#include "ktls_providers.h"

static bool is_ip(const char *s)
{
	bool alpha = false, colon = false;

	for (; *s; s++) {
		if (*s == ':')
			colon = true;
		else if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
			alpha = true;
	}
	return colon || !alpha;
}

/* One DER TLV at *p (definite length); its content; advances *p. */
static int der_next(const uint8_t **p, const uint8_t *end, uint8_t *tag,
		    const uint8_t **c, size_t *clen)
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
		if (!n || n > 3 || (size_t)(end - q) < n)
			return -1;
		while (n--)
			len = len << 8 | *q++;
	}
	if ((size_t)(end - q) < len)
		return -1;
	*c = q;
	*clen = len;
	*p = q + len;
	return 0;
}

/*
 * RFC 6125 §6.2.1 / RFC 5280 §4.2.1.6: an IP address matches only an
 * iPAddress subjectAltName.  This wolfSSL build has no IP SAN support
 * (WOLFSSL_IP_ALT_NAME), so the extension is read here: the
 * subjectAltName OID, an optional critical flag, the OCTET STRING, the
 * GeneralNames SEQUENCE, and its [7] entries.
 */
static bool ip_in_san(const uint8_t *der, size_t len, const char *host)
{
	static const uint8_t oid[] = { 0x06, 0x03, 0x55, 0x1d, 0x11 };
	const uint8_t *p, *end = der + len, *c, *names;
	uint8_t want[16], tag;
	size_t wl, clen;

	if (inet_pton(AF_INET, host, want) == 1)
		wl = 4;
	else if (inet_pton(AF_INET6, host, want) == 1)
		wl = 16;
	else
		return false;
	p = memmem(der, len, oid, sizeof(oid));
	if (!p)
		return false;
	p += sizeof(oid);
	if (p < end && *p == 0x01 && der_next(&p, end, &tag, &c, &clen))
		return false;
	if (der_next(&p, end, &tag, &c, &clen) || tag != 0x04)
		return false;
	p = c;
	end = c + clen;
	if (der_next(&p, end, &tag, &names, &clen) || tag != 0x30)
		return false;
	p = names;
	end = names + clen;
	while (p < end) {
		if (der_next(&p, end, &tag, &c, &clen))
			return false;
		if (tag == 0x87 && clen == wl && !memcmp(c, want, wl))
			return true;
	}
	return false;
}

static int cm_alert(int ret, const char **reason)
{
	switch (ret) {
	case ASN_AFTER_DATE_E:
		*reason = "certificate expired";
		return 45;	/* certificate_expired */
	case ASN_BEFORE_DATE_E:
		*reason = "certificate not yet valid";
		return 45;
	case ASN_NO_SIGNER_E:
		*reason = "no trusted issuer";
		return 48;	/* unknown_ca */
	case ASN_SIG_CONFIRM_E:
	case ASN_SIG_OID_E:
		*reason = "certificate signature invalid";
		return 42;	/* bad_certificate */
	default:
		*reason = "certificate rejected";
		return 42;
	}
}

int ktls_wolf_verify(void *arg, const struct ktls_chain *chain,
		     const char *host, const char **reason)
{
	const struct ktls_wolf_verifier *v = arg;
	WOLFSSL_CERT_MANAGER *cm;
	WOLFSSL_X509 *x;
	int ret, alert = 0;

	if (!chain->n) {
		*reason = "no certificate";
		return 42;
	}
	cm = wolfSSL_CertManagerNew();
	if (!cm) {
		*reason = "out of memory";
		return 80;
	}
	if (wolfSSL_CertManagerLoadCA(cm, v->ca_file, NULL) !=
	    WOLFSSL_SUCCESS) {
		*reason = "CA file unreadable";
		alert = 48;
		goto out_cm;
	}
	/* intermediates, nearest the anchor first */
	for (unsigned int i = chain->n; i-- > 1;) {
		ret = wolfSSL_CertManagerLoadCABuffer(cm, chain->der[i],
						      (long)chain->len[i],
						      WOLFSSL_FILETYPE_ASN1);
		if (ret != WOLFSSL_SUCCESS) {
			alert = cm_alert(ret, reason);
			goto out_cm;
		}
	}
	ret = wolfSSL_CertManagerVerifyBuffer(cm, chain->der[0],
					      (long)chain->len[0],
					      WOLFSSL_FILETYPE_ASN1);
	if (ret != WOLFSSL_SUCCESS) {
		alert = cm_alert(ret, reason);
		goto out_cm;
	}
	if (!host)
		goto out_cm;	/* a server verifying a client: no name */
	x = wolfSSL_X509_d2i(NULL, chain->der[0], (int)chain->len[0]);
	if (!x) {
		*reason = "leaf unreadable";
		alert = 42;
		goto out_cm;
	}
	if (is_ip(host))
		ret = ip_in_san(chain->der[0], chain->len[0], host) ?
		      WOLFSSL_SUCCESS : WOLFSSL_FAILURE;
	else
		ret = wolfSSL_X509_check_host(x, host, strlen(host), 0, NULL);
	if (ret != WOLFSSL_SUCCESS) {
		*reason = "name does not match the certificate";
		alert = 42;
	}
	wolfSSL_X509_free(x);
out_cm:
	wolfSSL_CertManagerFree(cm);
	if (!alert)
		*reason = "verified against the CA file";
	return alert;
}

int ktls_wolf_verifier_init(struct ktls_wolf_verifier *v,
			    const char *ca_file)
{
	if (wolfSSL_Init() != WOLFSSL_SUCCESS)
		return KTLS_ERR_CRYPTO;
	v->ca_file = ca_file;
	return 0;
}

/* ---- PEM loaders ---- */

int ktls_wolf_pem_certs(const uint8_t *pem, size_t len, uint8_t *buf,
			size_t cap, const uint8_t **der, size_t *der_len,
			unsigned int max, unsigned int *n)
{
	static const char begin[] = "-----BEGIN CERTIFICATE-----";
	static const char end[] = "-----END CERTIFICATE-----";
	const char *p = (const char *)pem, *stop = p + len;
	size_t used = 0;

	*n = 0;
	while (*n < max) {
		const char *b = memmem(p, (size_t)(stop - p), begin,
				       sizeof(begin) - 1), *e;
		int ret;

		if (!b)
			break;
		e = memmem(b, (size_t)(stop - b), end, sizeof(end) - 1);
		if (!e)
			return KTLS_ERR_INVALID;
		e += sizeof(end) - 1;
		ret = wc_CertPemToDer((const unsigned char *)b, (int)(e - b),
				      buf + used, (int)(cap - used), CERT_TYPE);
		if (ret <= 0)
			return KTLS_ERR_INVALID;
		der[*n] = buf + used;
		der_len[(*n)++] = (size_t)ret;
		used += (size_t)ret;
		p = e;
	}
	return *n ? 0 : KTLS_ERR_INVALID;
}

int ktls_wolf_pem_key(const uint8_t *pem, size_t len, uint8_t *priv,
		      size_t cap, size_t *priv_len, uint16_t *scheme)
{
	uint8_t der[KTLS_SIG_MAX_PRIV + 512];
	word32 idx = 0, plen;
	int dlen, off, ret = KTLS_ERR_BAD_KEY;
	ed25519_key ed;
	ecc_key ec;
	RsaKey rsa;

	dlen = wc_KeyPemToDer(pem, (int)len, der, sizeof(der), NULL);
	if (dlen <= 0)
		return KTLS_ERR_BAD_KEY;
	/* Ed25519: PKCS#8 only */
	if (!wc_ed25519_init(&ed)) {
		if (!wc_Ed25519PrivateKeyDecode(der, &idx, &ed, (word32)dlen)) {
			plen = (word32)cap;
			if (!wc_ed25519_export_private_only(&ed, priv, &plen)) {
				*priv_len = plen;
				*scheme = KTLS_SIG_ED25519;
				ret = 0;
			}
		}
		wc_ed25519_free(&ed);
		if (!ret)
			goto out;
	}
	/* the traditional key inside PKCS#8, or the whole DER */
	idx = 0;
	off = wc_GetPkcs8TraditionalOffset(der, &idx, (word32)dlen) < 0 ?
	      0 : (int)idx;
	for (int pass = 0; pass < 2 && ret; pass++) {
		if (wc_ecc_init(&ec))
			break;
		idx = pass ? (word32)off : 0;
		if (!wc_EccPrivateKeyDecode(der, &idx, &ec, (word32)dlen)) {
			int curve = wc_ecc_get_curve_id(ec.idx);

			plen = (word32)cap;
			if ((curve == ECC_SECP256R1 || curve == ECC_SECP384R1) &&
			    !wc_ecc_export_private_only(&ec, priv, &plen)) {
				*priv_len = plen;
				*scheme = curve == ECC_SECP256R1 ?
					  KTLS_SIG_ECDSA_SECP256R1_SHA256 :
					  KTLS_SIG_ECDSA_SECP384R1_SHA384;
				ret = 0;
			}
		}
		wc_ecc_free(&ec);
	}
	if (!ret)
		goto out;
	idx = (word32)off;
	if (!wc_InitRsaKey(&rsa, NULL)) {
		if (!wc_RsaPrivateKeyDecode(der, &idx, &rsa, (word32)dlen) &&
		    (size_t)(dlen - off) <= cap) {
			memcpy(priv, der + off, (size_t)(dlen - off));
			*priv_len = (size_t)(dlen - off);
			*scheme = KTLS_SIG_RSA_PSS_RSAE_SHA256;
			ret = 0;
		}
		wc_FreeRsaKey(&rsa);
	}
out:
	explicit_bzero(der, sizeof(der));
	return ret;
}
