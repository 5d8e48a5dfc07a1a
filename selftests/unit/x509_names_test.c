// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * RFC 6125 host name matching, IP address matching and RFC 5280 name
 * constraints, rule by rule, each with cases that must match and cases that
 * must not.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>

#include "x509_names.h"
#include "tap.h"

static struct x509_span str(const char *s)
{
	return (struct x509_span){ (const uint8_t *)s, strlen(s) };
}

struct dns_case {
	const char *pattern, *ref;
	bool match;
};

static int run_dns(const struct dns_case *c, size_t n)
{
	int bad = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		/* exact-size heap copies so ASan sees any overread */
		size_t pl = strlen(c[i].pattern), rl = strlen(c[i].ref);
		uint8_t *p = malloc(pl + 1);
		char *r = malloc(rl + 1);
		bool m;

		memcpy(p, c[i].pattern, pl);
		memcpy(r, c[i].ref, rl);
		m = x509_dns_match((struct x509_span){ p, pl }, r, rl);
		if (m != c[i].match) {
			printf("#   pattern \"%s\" reference \"%s\": %s\n",
			       c[i].pattern, c[i].ref,
			       m ? "matched" : "did not match");
			bad = 1;
		}
		free(p);
		free(r);
	}
	return bad;
}

#define RUN_DNS(t) TAP_CHECK(!run_dns(t, sizeof(t) / sizeof(t[0])))

/* RFC 6125 §6.4.1: case-insensitive ASCII comparison of A-labels. */
TAP_TEST(dns_exact_case_insensitive)
{
	static const struct dns_case t[] = {
		{ "www.example.com", "www.example.com", true },
		{ "WWW.Example.COM", "www.example.com", true },
		{ "www.example.com", "wWw.eXample.cOm", true },
		{ "xn--bcher-kva.example", "XN--BCHER-KVA.example", true },
		{ "www.example.com", "www.example.org", false },
		{ "www.example.com", "ww.example.com", false },
		{ "www.example.com", "www.example.co", false },
		{ "example.com", "www.example.com", false },
		{ "www.example.com", "example.com", false },
		/* U-labels are not A-labels: the caller converts first */
		{ "b\xc3\xbc" "cher.example", "b\xc3\xbc" "cher.example", false },
		{ "www.example.com", "", false },
		{ "", "", false },
	};
	RUN_DNS(t);
}

/* RFC 6125 §6.2.1: a trailing dot (absolute name) is ignored; one only. */
TAP_TEST(dns_trailing_dot)
{
	static const struct dns_case t[] = {
		{ "www.example.com", "www.example.com.", true },
		{ "www.example.com.", "www.example.com", true },
		{ "www.example.com.", "www.example.com.", true },
		{ "*.example.com", "a.example.com.", true },
		{ "www.example.com", "www.example.com..", false },
		{ "www.example.com..", "www.example.com", false },
		{ ".", ".", false },
	};
	RUN_DNS(t);
}

TAP_TEST(dns_empty_labels_rejected)
{
	static const struct dns_case t[] = {
		{ "www..example.com", "www..example.com", false },
		{ ".example.com", ".example.com", false },
		{ "www.example.com", ".www.example.com", false },
		{ "*..example.com", "a..example.com", false },
		{ "*.example.com", ".example.com", false },
		{ "a.b", "a.b", true },
	};
	RUN_DNS(t);
}

TAP_TEST(dns_bad_characters_rejected)
{
	static const struct dns_case t[] = {
		{ "www.example.com", "www.example.com\n", false },
		{ "www example.com", "www example.com", false },
		{ "www.exa%mple.com", "www.exa%mple.com", false },
		{ "www.example.com", "www.exa*mple.com", false },
		{ "*.example.com", "*.example.com", false },	/* ref has '*' */
		{ "_srv.example.com", "_srv.example.com", true },
		{ "a-b.example.com", "A-B.example.com", true },
	};
	RUN_DNS(t);
}

/* A reference with an all-numeric last label is a mistyped address. */
TAP_TEST(dns_numeric_tld_reference_rejected)
{
	static const struct dns_case t[] = {
		{ "10.1.2.3", "10.1.2.3", false },
		{ "1.2.3", "1.2.3", false },
		{ "host.123", "host.123", false },
		{ "123.example", "123.example", true },
	};
	RUN_DNS(t);
}

/* RFC 6125 §6.4.3: "*" as the entire leftmost label, matching one label. */
TAP_TEST(dns_wildcard_leftmost_label)
{
	static const struct dns_case t[] = {
		{ "*.example.com", "a.example.com", true },
		{ "*.example.com", "WWW.EXAMPLE.COM", true },
		{ "*.Example.Com", "x-y.example.com", true },
		{ "*.example.com", "example.com", false },
		{ "*.example.com", "a.b.example.com", false },
		{ "*.example.com", "a.example.org", false },
		{ "*.example.com", "aexample.com", false },
		{ "*.a.example.com", "b.a.example.com", true },
		{ "*.a.example.com", "a.example.com", false },
	};
	RUN_DNS(t);
}

/* The wildcard's remainder must have at least two labels. */
TAP_TEST(dns_wildcard_needs_two_labels)
{
	static const struct dns_case t[] = {
		{ "*.com", "example.com", false },
		{ "*.com.", "example.com", false },
		{ "*", "example", false },
		{ "*", "example.com", false },
		{ "*.", "example", false },
		{ "*.co.uk", "example.co.uk", true },	/* no public suffix list */
	};
	RUN_DNS(t);
}

/* Partial and non-leftmost wildcards are refused outright. */
TAP_TEST(dns_partial_wildcards_rejected)
{
	static const struct dns_case t[] = {
		{ "f*.example.com", "foo.example.com", false },
		{ "*o.example.com", "foo.example.com", false },
		{ "f*o.example.com", "foo.example.com", false },
		{ "**.example.com", "foo.example.com", false },
		{ "www.*.com", "www.example.com", false },
		{ "www.example.*", "www.example.com", false },
		{ "*.*.example.com", "a.b.example.com", false },
		{ "xn--*.example.com", "xn--bcher-kva.example.com", false },
		{ "f*.example.com", "f*.example.com", false },
	};
	RUN_DNS(t);
}

TAP_TEST(dns_length_limits)
{
	char label64[66], name254[260], name253[260];
	size_t i;

	memset(label64, 'a', 64);
	strcpy(label64 + 64, ".");
	TAP_CHECK(!x509_dns_match(str("x.example"), label64, 65));
	/* 253 octets: 63.63.63.61 */
	memset(name253, 'a', 253);
	for (i = 63; i < 253; i += 64)
		name253[i] = '.';
	name253[253] = 0;
	TAP_CHECK(x509_dns_match(str(name253), name253, 253));
	memcpy(name254, name253, 253);
	name254[253] = 'a';
	name254[254] = 0;
	TAP_CHECK(!x509_dns_match(str(name254), name254, 254));
	/* ... and 253 plus the trailing dot is still fine */
	name253[253] = '.';
	name253[254] = 0;
	TAP_CHECK(x509_dns_match(str("*.aaaaaaa"), "a.aaaaaaa", 9) == false);
	TAP_CHECK(x509_dns_match(str(name253), name253, 254));
}

/* A certificate built by hand: only the SAN array matters here. */
static struct x509_cert cert;

static void set_sans(const struct x509_general_name *g, unsigned int n)
{
	memset(&cert, 0, sizeof(cert));
	memcpy(cert.san, g, n * sizeof(*g));
	cert.n_san = n;
	cert.ext_present = X509_EXT_SUBJECT_ALT_NAME;
}

static const uint8_t v4[] = { 192, 0, 2, 1 };
static const uint8_t v6[] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
			      0, 0, 0, 0, 0, 0, 0, 1 };
static const uint8_t v6_mapped[] = { 0, 0, 0, 0, 0, 0, 0, 0,
				     0, 0, 0xff, 0xff, 192, 0, 2, 1 };

#define GN(t, s) { (t), { (const uint8_t *)(s), sizeof(s) - 1 } }
#define GNB(t, b) { (t), { (b), sizeof(b) } }

TAP_TEST(host_ip_compared_as_bytes)
{
	static const struct x509_general_name g[] = {
		GN(X509_GN_DNS, "www.example.com"),
		GNB(X509_GN_IP, v4),
		GNB(X509_GN_IP, v6),
		GN(X509_GN_DNS, "198.51.100.7"),	/* an IP in a dNSName */
	};
	struct x509_error e;

	set_sans(g, 4);
	TAP_CHECK_EQ(x509_match_host(&cert, "192.0.2.1", &e), X509_OK);
	TAP_CHECK_EQ(x509_match_host(&cert, "2001:db8::1", &e), X509_OK);
	TAP_CHECK_EQ(x509_match_host(&cert, "2001:DB8:0:0:0:0:0:1", &e),
		     X509_OK);
	TAP_CHECK_EQ(x509_match_host(&cert, "2001:0db8::0:1", &e), X509_OK);
	TAP_CHECK_EQ(x509_match_host(&cert, "www.example.com", &e), X509_OK);
	TAP_CHECK_EQ(x509_match_host(&cert, "192.0.2.2", &e),
		     X509_E_NAME_MISMATCH);
	TAP_CHECK(strstr(e.where, "iPAddress"));
	TAP_CHECK_EQ(x509_match_host(&cert, "2001:db8::2", &e),
		     X509_E_NAME_MISMATCH);
	/* an IPv4-mapped IPv6 address is 16 bytes, not the 4-byte SAN */
	TAP_CHECK_EQ(x509_match_host(&cert, "::ffff:192.0.2.1", &e),
		     X509_E_NAME_MISMATCH);
	/* an address never matches a dNSName holding its text */
	TAP_CHECK_EQ(x509_match_host(&cert, "198.51.100.7", &e),
		     X509_E_NAME_MISMATCH);
	/* inet_pton refuses these; as DNS names they are refused too */
	TAP_CHECK_EQ(x509_match_host(&cert, "192.0.2.01", &e),
		     X509_E_REFERENCE);
	TAP_CHECK_EQ(x509_match_host(&cert, "192.0.2", &e), X509_E_REFERENCE);
	TAP_CHECK_EQ(x509_match_host(&cert, "0xc0.0.2.1", &e),
		     X509_E_REFERENCE);
	TAP_CHECK_EQ(x509_match_host(&cert, "[2001:db8::1]", &e),
		     X509_E_REFERENCE);
	TAP_CHECK_EQ(x509_match_host(&cert, "2001:db8::1%eth0", &e),
		     X509_E_REFERENCE);
	TAP_CHECK_EQ(x509_match_host(&cert, "", &e), X509_E_REFERENCE);
}

TAP_TEST(host_v4_mapped_san_does_not_match_v4)
{
	static const struct x509_general_name g[] = {
		GNB(X509_GN_IP, v6_mapped),
	};
	struct x509_error e;

	set_sans(g, 1);
	TAP_CHECK_EQ(x509_match_host(&cert, "192.0.2.1", &e),
		     X509_E_NAME_MISMATCH);
	TAP_CHECK_EQ(x509_match_host(&cert, "::ffff:192.0.2.1", &e), X509_OK);
}

/* No Common Name fallback, and no other SAN type is consulted. */
TAP_TEST(host_only_dns_sans)
{
	static const struct x509_general_name g[] = {
		GN(X509_GN_RFC822, "www.example.com"),
		GN(X509_GN_URI, "www.example.com"),
	};
	struct x509_error e;

	set_sans(g, 2);
	TAP_CHECK_EQ(x509_match_host(&cert, "www.example.com", &e),
		     X509_E_NAME_MISMATCH);
	set_sans(g, 0);
	TAP_CHECK_EQ(x509_match_host(&cert, "www.example.com", &e),
		     X509_E_NAME_MISMATCH);
	TAP_CHECK(!strcmp(e.where,
			  "host name: no dNSName subjectAltName matches www.example.com"));
}

TAP_TEST(host_wildcard)
{
	static const struct x509_general_name g[] = {
		GN(X509_GN_DNS, "*.example.com"),
		GN(X509_GN_DNS, "*.com"),
		GN(X509_GN_DNS, "f*.example.org"),
	};
	struct x509_error e;

	set_sans(g, 3);
	TAP_CHECK_EQ(x509_match_host(&cert, "a.example.com", &e), X509_OK);
	TAP_CHECK_EQ(x509_match_host(&cert, "a.example.com.", &e), X509_OK);
	TAP_CHECK_EQ(x509_match_host(&cert, "example.com", &e),
		     X509_E_NAME_MISMATCH);
	TAP_CHECK_EQ(x509_match_host(&cert, "a.b.example.com", &e),
		     X509_E_NAME_MISMATCH);
	TAP_CHECK_EQ(x509_match_host(&cert, "other.com", &e),
		     X509_E_NAME_MISMATCH);
	TAP_CHECK_EQ(x509_match_host(&cert, "foo.example.org", &e),
		     X509_E_NAME_MISMATCH);
	TAP_CHECK_EQ(x509_match_host(&cert, "a..example.com", &e),
		     X509_E_REFERENCE);
}

/* RFC 5280 §4.2.1.10 dNSName subtrees. */
TAP_TEST(nc_dns)
{
	static const struct {
		const char *c, *n;
		bool in;
	} t[] = {
		{ "example.com", "example.com", true },
		{ "example.com", "www.example.com", true },
		{ "example.com", "a.b.example.com", true },
		{ "example.com", "WWW.EXAMPLE.COM", true },
		{ "Example.COM", "www.example.com", true },
		{ "example.com", "www.example.com.", true },
		{ "example.com.", "www.example.com", true },
		{ "example.com", "*.example.com", true },
		{ "example.com", "badexample.com", false },
		{ "example.com", "example.com.evil", false },
		{ "example.com", "com", false },
		{ "www.example.com", "example.com", false },
		{ ".example.com", "www.example.com", true },
		{ ".example.com", "a.b.example.com", true },
		{ ".example.com", "example.com", false },
		{ ".example.com", "badexample.com", false },
		{ "", "anything.at.all", true },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		bool in = x509_nc_dns_match(str(t[i].c), str(t[i].n));

		if (in != t[i].in)
			printf("#   constraint \"%s\" name \"%s\": %d\n",
			       t[i].c, t[i].n, in);
		TAP_CHECK_EQ(in, t[i].in);
	}
}

static struct x509_span bytes(const uint8_t *b, size_t n)
{
	return (struct x509_span){ b, n };
}

/* RFC 5280 §4.2.1.10 iPAddress subtrees: address and mask, per family. */
TAP_TEST(nc_ip)
{
	static const uint8_t net10[] = { 10, 0, 0, 0, 255, 0, 0, 0 };
	static const uint8_t host[] = { 192, 0, 2, 1, 255, 255, 255, 255 };
	static const uint8_t all4[] = { 0, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t a10[] = { 10, 200, 3, 4 };
	static const uint8_t a11[] = { 11, 0, 0, 1 };
	uint8_t db8[32] = { 0x20, 0x01, 0x0d, 0xb8 };

	memset(db8 + 16, 0xff, 4);
	TAP_CHECK(x509_nc_ip_match(bytes(net10, 8), bytes(a10, 4)));
	TAP_CHECK(!x509_nc_ip_match(bytes(net10, 8), bytes(a11, 4)));
	TAP_CHECK(x509_nc_ip_match(bytes(host, 8), bytes(v4, 4)));
	TAP_CHECK(!x509_nc_ip_match(bytes(host, 8), bytes(a10, 4)));
	TAP_CHECK(x509_nc_ip_match(bytes(all4, 8), bytes(a11, 4)));
	TAP_CHECK(x509_nc_ip_match(bytes(db8, 32), bytes(v6, 16)));
	TAP_CHECK(!x509_nc_ip_match(bytes(db8, 32), bytes(v6_mapped, 16)));
	/* families never mix */
	TAP_CHECK(!x509_nc_ip_match(bytes(all4, 8), bytes(v6, 16)));
	TAP_CHECK(!x509_nc_ip_match(bytes(db8, 32), bytes(v4, 4)));
	TAP_CHECK(!x509_nc_ip_match(bytes(db8, 32), bytes(db8, 5)));
}

static struct x509_cert ca;

TAP_TEST(nc_check_leaf)
{
	static const uint8_t net10[] = { 10, 0, 0, 0, 255, 0, 0, 0 };
	static const uint8_t net10_66[] = { 10, 66, 0, 0, 255, 255, 0, 0 };
	static const uint8_t a10[] = { 10, 1, 2, 3 };
	static const uint8_t a10_66[] = { 10, 66, 9, 9 };
	static const struct x509_general_name ok[] = {
		GN(X509_GN_DNS, "www.example.com"),
		GNB(X509_GN_IP, a10),
	};
	/* iPAddress is one name form: permitting only IPv4 ranges leaves no
	 * IPv6 address permitted (RFC 5280 §6.1.3 (b) works per name type) */
	static const struct x509_general_name v6_only[] = {
		GNB(X509_GN_IP, v6),
	};
	static const struct x509_general_name bad_dns[] = {
		GN(X509_GN_DNS, "www.example.com"),
		GN(X509_GN_DNS, "www.example.net"),
	};
	static const struct x509_general_name excluded_dns[] = {
		GN(X509_GN_DNS, "a.secret.example.com"),
	};
	static const struct x509_general_name wild[] = {
		GN(X509_GN_DNS, "*.example.com"),
	};
	static const struct x509_general_name excluded_ip[] = {
		GNB(X509_GN_IP, a10_66),
	};
	static const struct x509_general_name bad_ip[] = {
		GNB(X509_GN_IP, v4),
	};
	static const struct x509_general_name email[] = {
		GN(X509_GN_RFC822, "a@example.com"),
	};
	static const struct x509_general_name malformed[] = {
		GN(X509_GN_DNS, "www..example.com"),
	};
	struct x509_error e;

	memset(&ca, 0, sizeof(ca));
	ca.ext_present = X509_EXT_NAME_CONSTRAINTS;
	ca.permitted[0] = (struct x509_general_name)GN(X509_GN_DNS,
						       "example.com");
	ca.permitted[1] = (struct x509_general_name)GNB(X509_GN_IP, net10);
	ca.n_permitted = 2;
	ca.excluded[0] = (struct x509_general_name)GN(X509_GN_DNS,
						      "secret.example.com");
	ca.excluded[1] = (struct x509_general_name)GNB(X509_GN_IP, net10_66);
	ca.n_excluded = 2;

	set_sans(ok, 2);
	TAP_CHECK_EQ(x509_check_name_constraints(&ca, &cert, &e), X509_OK);
	set_sans(v6_only, 1);
	TAP_CHECK_EQ(x509_check_name_constraints(&ca, &cert, &e),
		     X509_E_NC_NOT_PERMITTED);
	set_sans(bad_dns, 2);
	TAP_CHECK_EQ(x509_check_name_constraints(&ca, &cert, &e),
		     X509_E_NC_NOT_PERMITTED);
	TAP_CHECK(!strcmp(e.where, "name constraints: dNSName www.example.net is outside every permitted subtree"));
	set_sans(excluded_dns, 1);
	TAP_CHECK_EQ(x509_check_name_constraints(&ca, &cert, &e),
		     X509_E_NC_EXCLUDED);
	/* *.example.com could be secret.example.com: excluded. */
	set_sans(wild, 1);
	TAP_CHECK_EQ(x509_check_name_constraints(&ca, &cert, &e),
		     X509_E_NC_EXCLUDED);
	set_sans(excluded_ip, 1);
	TAP_CHECK_EQ(x509_check_name_constraints(&ca, &cert, &e),
		     X509_E_NC_EXCLUDED);
	TAP_CHECK(strstr(e.where, "10.66.9.9"));
	set_sans(bad_ip, 1);
	TAP_CHECK_EQ(x509_check_name_constraints(&ca, &cert, &e),
		     X509_E_NC_NOT_PERMITTED);
	set_sans(malformed, 1);
	TAP_CHECK_EQ(x509_check_name_constraints(&ca, &cert, &e),
		     X509_E_NC_NOT_PERMITTED);
	/* rfc822Name is unconstrained by this CA: fine */
	set_sans(email, 1);
	TAP_CHECK_EQ(x509_check_name_constraints(&ca, &cert, &e), X509_OK);
	/* ... but a CA constraining rfc822Name cannot be checked: refused */
	ca.excluded[2] = (struct x509_general_name)GN(X509_GN_RFC822,
						      "example.org");
	ca.n_excluded = 3;
	TAP_CHECK_EQ(x509_check_name_constraints(&ca, &cert, &e),
		     X509_E_NC_UNSUPPORTED);
	/* excluded wins over permitted */
	ca.n_excluded = 2;
	ca.permitted[2] = (struct x509_general_name)GN(X509_GN_DNS,
						       "secret.example.com");
	ca.n_permitted = 3;
	set_sans(excluded_dns, 1);
	TAP_CHECK_EQ(x509_check_name_constraints(&ca, &cert, &e),
		     X509_E_NC_EXCLUDED);
	/* a CA without the extension constrains nothing */
	ca.ext_present = 0;
	set_sans(bad_dns, 2);
	TAP_CHECK_EQ(x509_check_name_constraints(&ca, &cert, &e), X509_OK);
}

int main(void)
{
	return tap_run();
}
