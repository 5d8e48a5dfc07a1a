// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The verified peer certificate's names, for the local service's reply:
 * the subject as "CN=..., O=..." (the attributes people read: CN, O, OU,
 * L, ST, C; others are left out) and the DNS and IP subjectAltNames. The
 * certificate was verified already; it is parsed again with agent/x509,
 * whose DER reader checks every length; what is copied is cut at the
 * reply's limits and anything unprintable becomes '?'.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peer_names.h"
#include "x509_cert.h"

static const struct {
	uint8_t last;		/* 2.5.4.last */
	const char *name;
} attrs[] = {
	{ 3, "CN" }, { 10, "O" }, { 11, "OU" }, { 7, "L" }, { 8, "ST" },
	{ 6, "C" },
};

static void append(char *dst, size_t cap, const char *prefix,
		   const uint8_t *v, size_t len)
{
	size_t n = strlen(dst);

	for (; *prefix && n + 1 < cap; prefix++)
		dst[n++] = *prefix;
	for (size_t i = 0; i < len && n + 1 < cap; i++)
		dst[n++] = v[i] >= 0x20 && v[i] < 0x7f ? (char)v[i] : '?';
	dst[n] = '\0';
}

static void subject(struct x509_span name, char *out, size_t cap)
{
	static const uint8_t at[] = { 0x55, 0x04 };	/* 2.5.4 */
	struct der d, rdns, set, atv;
	struct der_tlv oid, val;

	out[0] = '\0';
	der_init(&d, name.p, name.len);
	if (der_enter(&d, DER_SEQUENCE, &rdns))
		return;
	while (!der_empty(&rdns)) {
		if (der_enter(&rdns, DER_SET, &set))
			return;
		while (!der_empty(&set)) {
			if (der_enter(&set, DER_SEQUENCE, &atv) ||
			    der_expect(&atv, DER_OID, &oid) ||
			    der_next(&atv, &val))
				return;
			if (oid.val.len != 3 || memcmp(oid.val.p, at, 2))
				continue;
			for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]);
			     i++) {
				char pre[8];

				if (oid.val.p[2] != attrs[i].last)
					continue;
				snprintf(pre, sizeof(pre), "%s%s=",
					 out[0] ? ", " : "", attrs[i].name);
				append(out, cap, pre, val.val.p, val.val.len);
			}
		}
	}
}

void ktlsd_peer_names(const uint8_t *der, size_t len,
		      struct ktlsd_hs_result *res)
{
	struct x509_cert *c = malloc(sizeof(*c));

	res->peer_subject[0] = '\0';
	res->n_peer_san = 0;
	if (!c)
		return;
	if (x509_cert_parse(c, der, len, NULL)) {
		free(c);
		return;
	}
	subject(c->subject, res->peer_subject, sizeof(res->peer_subject));
	for (unsigned int i = 0; i < c->n_san &&
	     res->n_peer_san < KTLSD_LOCAL_MAX_SAN; i++) {
		const struct x509_general_name *g = &c->san[i];
		char *dst = res->peer_san[res->n_peer_san];
		size_t cap = sizeof(res->peer_san[0]);
		char ip[INET6_ADDRSTRLEN];

		dst[0] = '\0';
		if (g->type == X509_GN_DNS) {
			append(dst, cap, "DNS:", g->value.p, g->value.len);
		} else if (g->type == X509_GN_IP &&
			   (g->value.len == 4 || g->value.len == 16)) {
			inet_ntop(g->value.len == 4 ? AF_INET : AF_INET6,
				  g->value.p, ip, sizeof(ip));
			snprintf(dst, cap, "IP:%s", ip);
		} else {
			continue;
		}
		res->n_peer_san++;
	}
	free(c);
}
