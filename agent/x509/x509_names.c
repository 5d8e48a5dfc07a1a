// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * x509_names.c: does this certificate name this service, and may its
 * issuer's CAs name it so?
 *
 * Why it is shaped so. Name checks are where verifiers get subtly wrong
 * answers rather than crashes, so the rules are few, strict and each
 * stated next to its code:
 *
 *  - A reference identity that inet_pton() accepts is an IP address and is
 *    compared as 4 or 16 octets with iPAddress SANs, never as text with a
 *    dNSName (RFC 6125 §6.2.1, RFC 5280 §4.2.1.6). Anything else must be a
 *    syntactically valid DNS name in A-label form, or nothing matches.
 *  - dNSName matching (RFC 6125 §6.4): ASCII case-insensitive, one
 *    trailing dot ignored on either side, empty labels refused. A wildcard
 *    is honoured only as the whole leftmost label ("*.example.com"), matches
 *    exactly one label, and only when at least two labels follow it, so
 *    "*.com" and "*" match nothing. Partial wildcards ("f*.example.com",
 *    RFC 6125 §6.4.3 allows them as a MAY) are refused, like the CA/B Forum
 *    and every browser do.
 *  - No Common Name fallback: only subjectAltName is consulted.
 *  - Name constraints (RFC 5280 §4.2.1.10) are implemented for the two name
 *    forms a TLS server is identified by, dNSName and iPAddress. For any
 *    other form the CA constrains, a certificate carrying a name of that
 *    form is refused, never waved through.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "x509_names.h"

static uint8_t lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static bool ci_eq(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

static bool is_ldh(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/*
 * A DNS name in A-label form: labels of 1..63 letters, digits, hyphens
 * (and underscores, seen in deployed names), separated by single dots, at
 * most 253 octets, optionally one trailing dot (an absolute name; RFC 6125
 * §6.2.1 says to ignore it). If pattern, the leftmost label may be "*"
 * alone. On success *len is the length without the trailing dot.
 */
static bool dns_name_ok(const uint8_t *s, size_t *len, bool pattern)
{
	size_t n = *len, i, label = 0;

	if (n && s[n - 1] == '.')
		n--;
	if (n == 0 || n > X509_DNS_MAX_LEN)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return false;	/* empty label */
			label = 0;
			continue;
		}
		if (++label > X509_DNS_MAX_LABEL)
			return false;
		if (s[i] == '*') {
			/* "*" only as the entire leftmost label. */
			if (!pattern || i != 0 || n < 2 || s[1] != '.')
				return false;
			continue;
		}
		if (!is_ldh(s[i]))
			return false;
	}
	if (label == 0)
		return false;		/* "a.." */
	*len = n;
	return true;
}

/* RFC 1123 §2.1: a top-level label is never all digits, so a reference
 * like "10.0.0.1." or "1.2.3" is a mistyped address, not a host name. */
static bool numeric_tld(const uint8_t *s, size_t n)
{
	size_t i = n;

	while (i > 0 && s[i - 1] != '.') {
		if (s[i - 1] < '0' || s[i - 1] > '9')
			return false;
		i--;
	}
	return true;
}

/* Both already checked and without trailing dots. */
static bool dns_match_norm(const uint8_t *pat, size_t plen,
			   const uint8_t *ref, size_t rlen)
{
	const uint8_t *dot;
	size_t rest;

	if (plen >= 2 && pat[0] == '*') {
		/*
		 * RFC 6125 §6.4.3: "the client SHOULD NOT attempt to match a
		 * presented identifier in which the wildcard character
		 * comprises a label other than the left-most label", and
		 * "*" matches one label only: "*.example.com" matches
		 * "foo.example.com" but not "bar.foo.example.com" or
		 * "example.com". We also require two labels after the
		 * wildcard, so "*.com" matches nothing.
		 */
		pat += 2;
		plen -= 2;
		if (!memchr(pat, '.', plen))
			return false;
		dot = memchr(ref, '.', rlen);
		if (!dot)
			return false;
		rest = rlen - (size_t)(dot + 1 - ref);
		return rest == plen && ci_eq(dot + 1, pat, plen);
	}
	/* RFC 6125 §6.4.1: "case-insensitive ASCII comparison". */
	return plen == rlen && ci_eq(pat, ref, plen);
}

bool x509_dns_match(struct x509_span presented, const char *ref,
		    size_t ref_len)
{
	size_t plen = presented.len, rlen = ref_len;

	if (!dns_name_ok(presented.p, &plen, true) ||
	    !dns_name_ok((const uint8_t *)ref, &rlen, false) ||
	    numeric_tld((const uint8_t *)ref, rlen))
		return false;
	return dns_match_norm(presented.p, plen, (const uint8_t *)ref, rlen);
}

enum x509_err x509_match_host(const struct x509_cert *leaf, const char *ref,
			      struct x509_error *e)
{
	uint8_t ip[16];
	size_t ip_len = 0, rlen = strnlen(ref, X509_DNS_MAX_LEN + 2);
	unsigned int i;

	if (e) {
		e->reason = X509_OK;
		e->doc = "host name";
		e->where[0] = 0;
	}
	/* RFC 6125 §6.2.1 and RFC 5280 §4.2.1.6: an IP address reference
	 * is matched against iPAddress only, in network byte order. */
	if (inet_pton(AF_INET, ref, ip) == 1)
		ip_len = 4;
	else if (inet_pton(AF_INET6, ref, ip) == 1)
		ip_len = 16;
	if (ip_len) {
		for (i = 0; i < leaf->n_san; i++)
			if (leaf->san[i].type == X509_GN_IP &&
			    leaf->san[i].value.len == ip_len &&
			    !memcmp(leaf->san[i].value.p, ip, ip_len))
				return X509_OK;
		return x509_fail(e, X509_E_NAME_MISMATCH,
				 "no iPAddress subjectAltName is %s", ref);
	}

	if (rlen > X509_DNS_MAX_LEN + 1 ||
	    !dns_name_ok((const uint8_t *)ref, &rlen, false) ||
	    numeric_tld((const uint8_t *)ref, rlen))
		return x509_fail(e, X509_E_REFERENCE,
				 "\"%.64s\" is neither an IP address nor a DNS name",
				 ref);
	for (i = 0; i < leaf->n_san; i++)
		if (leaf->san[i].type == X509_GN_DNS &&
		    x509_dns_match(leaf->san[i].value, ref, rlen))
			return X509_OK;
	return x509_fail(e, X509_E_NAME_MISMATCH,
			 "no dNSName subjectAltName matches %s", ref);
}

/*
 * RFC 5280 §4.2.1.10: "DNS name restrictions are expressed as
 * host.example.com. Any DNS name that can be constructed by simply adding
 * zero or more labels to the left-hand side of the name satisfies the name
 * constraint. For example, www.host.example.com would satisfy the
 * constraint but host1.example.com would not."
 *
 * Deployed CAs also write ".example.com" (the URI form, §4.2.1.10: "When
 * the constraint begins with a period, it MAY be expanded with one or more
 * labels"); we read it as subdomains only, not example.com itself. An
 * empty constraint matches every name.
 */
bool x509_nc_dns_match(struct x509_span c, struct x509_span n)
{
	if (c.len && c.p[c.len - 1] == '.')
		c.len--;
	if (n.len && n.p[n.len - 1] == '.')
		n.len--;
	if (c.len == 0)
		return true;
	if (c.p[0] == '.')
		return n.len > c.len &&
		       ci_eq(n.p + n.len - c.len, c.p, c.len);
	if (n.len == c.len)
		return ci_eq(n.p, c.p, c.len);
	return n.len > c.len && n.p[n.len - c.len - 1] == '.' &&
	       ci_eq(n.p + n.len - c.len, c.p, c.len);
}

/*
 * Could a name in an excluded subtree be matched by n? For a plain name
 * that is x509_nc_dns_match(). A wildcard "*.rest" also stands for every
 * "L.rest", so the constraint "L.rest" (one label more than rest) excludes
 * it too: a CA excluded from "secret.example.com" must not be able to
 * issue "*.example.com".
 */
static bool nc_dns_excluded(struct x509_span c, struct x509_span n)
{
	const uint8_t *dot;
	size_t rest;

	if (x509_nc_dns_match(c, n))
		return true;
	if (n.len && n.p[n.len - 1] == '.')
		n.len--;
	if (c.len && c.p[c.len - 1] == '.')
		c.len--;
	if (n.len < 2 || n.p[0] != '*' || c.len == 0 || c.p[0] == '.')
		return false;
	dot = memchr(c.p, '.', c.len);
	if (!dot)
		return false;
	rest = c.len - (size_t)(dot + 1 - c.p);
	return rest == n.len - 2 && ci_eq(dot + 1, n.p + 2, rest);
}

/*
 * §4.2.1.10: "For IPv4 addresses, the iPAddress field of GeneralName MUST
 * contain eight (8) octets, encoded in the style of RFC 4632 (CIDR) to
 * represent an address range. For IPv6 addresses, the iPAddress field
 * MUST contain 32 octets similarly encoded." An IPv4 address never falls
 * in an IPv6 range or the reverse.
 */
bool x509_nc_ip_match(struct x509_span c, struct x509_span addr)
{
	size_t i;

	if (c.len != 2 * addr.len || (addr.len != 4 && addr.len != 16))
		return false;
	for (i = 0; i < addr.len; i++) {
		uint8_t m = c.p[addr.len + i];

		if ((addr.p[i] & m) != (c.p[i] & m))
			return false;
	}
	return true;
}

static bool nc_match(const struct x509_general_name *c,
		     const struct x509_general_name *n, bool excluded)
{
	if (c->type != n->type)
		return false;
	if (n->type == X509_GN_DNS)
		return excluded ? nc_dns_excluded(c->value, n->value) :
				  x509_nc_dns_match(c->value, n->value);
	return x509_nc_ip_match(c->value, n->value);
}

static void name_text(const struct x509_general_name *n, char *buf,
		      size_t size)
{
	char tmp[INET6_ADDRSTRLEN];

	if (n->type == X509_GN_IP) {
		if (!inet_ntop(n->value.len == 4 ? AF_INET : AF_INET6,
			       n->value.p, tmp, sizeof(tmp)))
			tmp[0] = 0;
		snprintf(buf, size, "%s", tmp);
		return;
	}
	snprintf(buf, size, "%.*s", (int)(n->value.len > 100 ? 100 :
					    n->value.len),
		 (const char *)n->value.p);
}

static enum x509_err check_one(const struct x509_cert *ca,
			       const struct x509_general_name *n,
			       struct x509_error *e)
{
	bool has_permitted = false, permitted = false;
	char text[128];
	unsigned int i;

	for (i = 0; i < ca->n_excluded; i++) {
		if (nc_match(&ca->excluded[i], n, true)) {
			name_text(n, text, sizeof(text));
			return x509_fail(e, X509_E_NC_EXCLUDED,
					 "%s %s is in excluded subtree %u",
					 x509_gn_name(n->type), text, i + 1);
		}
	}
	for (i = 0; i < ca->n_permitted; i++) {
		if (ca->permitted[i].type != n->type)
			continue;
		has_permitted = true;
		if (nc_match(&ca->permitted[i], n, false)) {
			permitted = true;
			break;
		}
	}
	if (has_permitted && !permitted) {
		name_text(n, text, sizeof(text));
		return x509_fail(e, X509_E_NC_NOT_PERMITTED,
				 "%s %s is outside every permitted subtree",
				 x509_gn_name(n->type), text);
	}
	return X509_OK;
}

static bool constrains(const struct x509_cert *ca, enum x509_gn_type type)
{
	unsigned int i;

	for (i = 0; i < ca->n_permitted; i++)
		if (ca->permitted[i].type == type)
			return true;
	for (i = 0; i < ca->n_excluded; i++)
		if (ca->excluded[i].type == type)
			return true;
	return false;
}

/* Does a (parsed, so well-formed) Name hold an emailAddress attribute
 * (1.2.840.113549.1.9.1), which rfc822Name constraints also govern? */
static bool name_has_email(struct x509_span name)
{
	static const uint8_t email[] = {
		0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01 };
	struct der d, seq, rdn, atv;
	struct der_tlv t;

	der_init(&d, name.p, name.len);
	if (der_enter(&d, DER_SEQUENCE, &seq))
		return true;		/* cannot tell: assume it does */
	while (!der_empty(&seq)) {
		if (der_enter(&seq, DER_SET, &rdn))
			return true;
		while (!der_empty(&rdn)) {
			if (der_enter(&rdn, DER_SEQUENCE, &atv) ||
			    der_expect(&atv, DER_OID, &t))
				return true;
			if (der_oid_is(t.val, email, sizeof(email)))
				return true;
		}
	}
	return false;
}

enum x509_err x509_check_name_constraints(const struct x509_cert *ca,
					  const struct x509_cert *cert,
					  struct x509_error *e)
{
	const struct x509_general_name *n;
	size_t len;
	unsigned int i;
	enum x509_err r;

	if (e) {
		e->reason = X509_OK;
		e->doc = "name constraints";
		e->where[0] = 0;
	}
	if (!(ca->ext_present & X509_EXT_NAME_CONSTRAINTS))
		return X509_OK;

	/* Forms we do not check: refuse if both sides use them. The subject
	 * DN is a directoryName; an emailAddress in it is an rfc822Name. */
	if (constrains(ca, X509_GN_DIRECTORY) && cert->subject.len > 2)
		return x509_fail(e, X509_E_NC_UNSUPPORTED,
				 "directoryName constraints on a non-empty subject");
	if (constrains(ca, X509_GN_RFC822) && name_has_email(cert->subject))
		return x509_fail(e, X509_E_NC_UNSUPPORTED,
				 "rfc822Name constraints on a subject emailAddress");

	for (i = 0; i < cert->n_san; i++) {
		n = &cert->san[i];
		switch (n->type) {
		case X509_GN_DNS:
			/* A malformed dNSName is never permitted: we could
			 * not say which subtree it is in. */
			len = n->value.len;
			if ((constrains(ca, X509_GN_DNS)) &&
			    !dns_name_ok(n->value.p, &len, true))
				return x509_fail(e, X509_E_NC_NOT_PERMITTED,
						 "dNSName %u is malformed",
						 i + 1);
			/* fall through */
		case X509_GN_IP:
			r = check_one(ca, n, e);
			if (r)
				return r;
			break;
		default:
			if (constrains(ca, n->type))
				return x509_fail(e, X509_E_NC_UNSUPPORTED,
						 "%s constraints are not supported",
						 x509_gn_name(n->type));
			break;
		}
	}
	return X509_OK;
}
