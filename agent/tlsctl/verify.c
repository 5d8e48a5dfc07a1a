// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * tlsctl verify CHAIN.pem [--name N] [--purpose server|client] [--ca F]
 *                         [--crl F] [--revocation off|soft|hard]
 *                         [--ocsp RESPONSE.der] [--at UNIXTIME] [--json]
 *
 * Verifies a chain offline with the verifier tlsctl connect and ktlsd use
 * (agent/x509/x509_path.c): prints the path and the peer identity and
 * exits 0, or prints the one reason and the TLS alert it maps to and
 * exits 1.  2: usage or unreadable input.  --ocsp: a DER OCSPResponse
 * checked as if the peer had stapled it to its leaf; what it says is
 * printed after the verdict ("ocsp: ..." lines).
 *
 * --json: one object on stdout instead, with the same exit status:
 *   {"result": "ok"|"failed", "reason": VERDICT|null, "alert": NAME|null,
 *    "alert_code": N|null, "message": TEXT|null, "purpose": "server"|
 *    "client", "name": NAME|null, "path": [{"subject", "issuer", "serial",
 *    "not_after", "trust_anchor"}, ...], "peer": {"subject", "issuer",
 *    "serial", "not_after", "san": [...], "spki_sha256"}|null,
 *    "ocsp": null|{"result": STAPLE, "message": TEXT, "parse_error":
 *    TEXT|null, "response_status": NAME|null, "responder": TEXT|null,
 *    "produced_at": TIME|null, "responses": [{"serial", "status",
 *    "this_update", "next_update"|null, "revocation_time"|null,
 *    "for_leaf"}, ...]}}
 * (path leaf first, empty and peer null when refused; STAPLE is
 * x509_staple_name()), or {"error": MSG} for what exits 2.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tlsctl.h"
#include "ktls.h"
#include "ktls_providers.h"
#include "x509_path.h"
#include "x509_pem.h"

#define CHAIN_FILE_MAX (1u << 20)

/* The staple given with --ocsp, parsed again here for display. */
struct staple_view {
	const char *file;		/* NULL: no --ocsp */
	struct x509_ocsp o;
	enum x509_err err;
	struct x509_error xe;
};

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;

	if (!f)
		return NULL;
	buf = malloc(CHAIN_FILE_MAX + 1);
	if (buf)
		*len = fread(buf, 1, CHAIN_FILE_MAX + 1, f);
	if (buf && (ferror(f) || *len > CHAIN_FILE_MAX)) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* One subjectAltName as the text shows it: DNS:name, IP:address, or type */
static void san_text(const struct x509_general_name *g, bool json)
{
	char ip[INET6_ADDRSTRLEN];

	if (g->type == X509_GN_DNS && json) {
		fputs("\"DNS:", stdout);
		tlsctl_json_chars(stdout, (const char *)g->value.p,
				  g->value.len);
		fputc('"', stdout);
	} else if (g->type == X509_GN_DNS) {
		printf(" DNS:%.*s", (int)g->value.len,
		       (const char *)g->value.p);
	} else if (g->type == X509_GN_IP &&
		   inet_ntop(g->value.len == 4 ? AF_INET : AF_INET6,
			     g->value.p, ip, sizeof(ip))) {
		printf(json ? "\"IP:%s\"" : " IP:%s", ip);
	} else {
		printf(json ? "\"%s\"" : " %s", x509_gn_name(g->type));
	}
}

static void print_identity(const struct x509_cert *c)
{
	char text[512];
	uint8_t pin[32];

	x509_name_text(c->subject, text, sizeof(text));
	printf("subject: %s\n", text);
	x509_name_text(c->issuer, text, sizeof(text));
	printf("issuer: %s\n", text);
	x509_serial_text(c->serial, text, sizeof(text));
	printf("serial: %s\n", text);
	x509_time_text(c->not_after, text, sizeof(text));
	printf("not-after: %s\n", text);
	printf("san:");
	for (unsigned int i = 0; i < c->n_san; i++)
		san_text(&c->san[i], false);
	printf("\n");
	if (!ktls_wolf_spki_sha256(c->raw.p, c->raw.len, pin)) {
		printf("spki-sha256: ");
		for (int i = 0; i < 32; i++)
			printf("%02x", pin[i]);
		printf("\n");
	}
}

/* "subject", "issuer", "serial", "not_after": the members of a cert */
static void json_cert(const struct x509_cert *c)
{
	char text[512];

	x509_name_text(c->subject, text, sizeof(text));
	fputs("\"subject\": ", stdout);
	tlsctl_json_str(stdout, text);
	x509_name_text(c->issuer, text, sizeof(text));
	fputs(", \"issuer\": ", stdout);
	tlsctl_json_str(stdout, text);
	x509_serial_text(c->serial, text, sizeof(text));
	fputs(", \"serial\": ", stdout);
	tlsctl_json_str(stdout, text);
	x509_time_text(c->not_after, text, sizeof(text));
	fputs(", \"not_after\": ", stdout);
	tlsctl_json_str(stdout, text);
}

static void json_identity(const struct x509_cert *c)
{
	uint8_t pin[32];

	fputs("{", stdout);
	json_cert(c);
	fputs(", \"san\": [", stdout);
	for (unsigned int i = 0; i < c->n_san; i++) {
		if (i)
			fputs(", ", stdout);
		san_text(&c->san[i], true);
	}
	fputs("], \"spki_sha256\": ", stdout);
	if (!ktls_wolf_spki_sha256(c->raw.p, c->raw.len, pin)) {
		fputc('"', stdout);
		for (int i = 0; i < 32; i++)
			printf("%02x", pin[i]);
		fputc('"', stdout);
	} else {
		fputs("null", stdout);
	}
	fputs("}", stdout);
}

static void json_time(const char *member, int64_t t, bool has)
{
	char text[40];

	printf(", \"%s\": ", member);
	if (has) {
		x509_time_text(t, text, sizeof(text));
		tlsctl_json_str(stdout, text);
	} else {
		fputs("null", stdout);
	}
}

static void responder_text(const struct x509_ocsp *o, char *buf, size_t cap)
{
	size_t i, used;

	if (!o->by_key) {
		x509_name_text(o->responder, buf, cap);
		return;
	}
	used = (size_t)snprintf(buf, cap, "byKey:");
	for (i = 0; i < o->responder.len && used + 3 <= cap; i++)
		used += (size_t)snprintf(buf + used, cap - used, "%02x",
					 o->responder.p[i]);
}

static void json_staple(const struct x509_path *path,
			const struct staple_view *sv)
{
	const struct x509_ocsp *o = &sv->o;
	char text[512];
	bool basic = !sv->err && o->status == X509_OCSP_SUCCESSFUL;

	if (!sv->file) {
		fputs("null", stdout);
		return;
	}
	fputs("{\"result\": ", stdout);
	tlsctl_json_str(stdout, x509_staple_name(path->staple));
	fputs(", \"message\": ", stdout);
	tlsctl_json_str(stdout, path->staple_msg[0] ? path->staple_msg : NULL);
	fputs(", \"parse_error\": ", stdout);
	if (sv->err) {
		snprintf(text, sizeof(text), "%s: %s", x509_strerror(sv->err),
			 sv->xe.where);
		tlsctl_json_str(stdout, text);
	} else {
		fputs("null", stdout);
	}
	fputs(", \"response_status\": ", stdout);
	tlsctl_json_str(stdout, sv->err ? NULL :
			x509_ocsp_status_name(o->status));
	fputs(", \"responder\": ", stdout);
	if (basic)
		responder_text(o, text, sizeof(text));
	tlsctl_json_str(stdout, basic ? text : NULL);
	json_time("produced_at", o->produced_at, basic);
	fputs(", \"responses\": [", stdout);
	for (unsigned int i = 0; basic && i < o->n_responses; i++) {
		const struct x509_ocsp_single *r = &o->resp[i];

		x509_serial_text(r->serial, text, sizeof(text));
		fputs(i ? ", {\"serial\": " : "{\"serial\": ", stdout);
		tlsctl_json_str(stdout, text);
		fputs(", \"status\": ", stdout);
		tlsctl_json_str(stdout, x509_ocsp_cert_status_name(r->status));
		json_time("this_update", r->this_update, true);
		json_time("next_update", r->next_update, r->has_next_update);
		json_time("revocation_time", r->revocation_time,
			  r->status == X509_OCSP_REVOKED);
		printf(", \"for_leaf\": %s}",
		       path->staple_resp == (int)i ? "true" : "false");
	}
	fputs("]}", stdout);
}

/* The staple in words, after the verdict: "ocsp: ..." lines. */
static void print_staple(const struct x509_path *path,
			 const struct staple_view *sv)
{
	const struct x509_ocsp *o = &sv->o;
	char text[512], t1[40], t2[40];

	if (!sv->file)
		return;
	if (sv->err) {
		printf("ocsp: malformed: %s: %s\n", x509_strerror(sv->err),
		       sv->xe.where);
	} else if (o->status != X509_OCSP_SUCCESSFUL) {
		printf("ocsp: response status %s\n",
		       x509_ocsp_status_name(o->status));
	} else {
		responder_text(o, text, sizeof(text));
		x509_time_text(o->produced_at, t1, sizeof(t1));
		printf("ocsp: response status successful, responder %s, "
		       "produced %s\n", text, t1);
		for (unsigned int i = 0; i < o->n_responses; i++) {
			const struct x509_ocsp_single *r = &o->resp[i];

			x509_serial_text(r->serial, text, sizeof(text));
			x509_time_text(r->this_update, t1, sizeof(t1));
			printf("ocsp: serial %s%s: %s, this-update %s", text,
			       path->staple_resp == (int)i ? " (the leaf)" :
			       "", x509_ocsp_cert_status_name(r->status), t1);
			if (r->has_next_update) {
				x509_time_text(r->next_update, t2, sizeof(t2));
				printf(", next-update %s", t2);
			}
			if (r->status == X509_OCSP_REVOKED) {
				x509_time_text(r->revocation_time, t2,
					       sizeof(t2));
				printf(", revoked %s", t2);
			}
			printf("\n");
		}
	}
	printf("ocsp-result: %s%s%s\n", x509_staple_name(path->staple),
	       path->staple_msg[0] ? ": " : "", path->staple_msg);
}

static void json_result(const struct x509_path *path, bool ok, int purpose,
			const char *name, const struct staple_view *sv)
{
	int alert = ok ? 0 : x509_verdict_alert(path->verdict);

	printf("{\"result\": \"%s\", \"reason\": ", ok ? "ok" : "failed");
	tlsctl_json_str(stdout, ok ? NULL : x509_verdict_name(path->verdict));
	fputs(", \"alert\": ", stdout);
	tlsctl_json_str(stdout, ok ? NULL : ktls_alert_name(alert));
	if (ok)
		fputs(", \"alert_code\": null", stdout);
	else
		printf(", \"alert_code\": %d", alert);
	fputs(", \"message\": ", stdout);
	tlsctl_json_str(stdout, ok ? NULL : path->msg);
	printf(", \"purpose\": \"%s\", \"name\": ",
	       purpose == KTLS_PURPOSE_CLIENT ? "client" : "server");
	tlsctl_json_str(stdout, name);
	fputs(", \"path\": [", stdout);
	for (unsigned int i = 0; ok && i < path->n; i++) {
		fputs(i ? ", {" : "{", stdout);
		json_cert(path->cert[i]);
		printf(", \"trust_anchor\": %s}",
		       i + 1 == path->n ? "true" : "false");
	}
	fputs("], \"peer\": ", stdout);
	if (ok)
		json_identity(path->cert[0]);
	else
		fputs("null", stdout);
	fputs(", \"ocsp\": ", stdout);
	json_staple(path, sv);
	fputs("}\n", stdout);
}

/* Exit status 2 after the usage text; with --json, {"error": why} too. */
static int usage(bool json, const char *why)
{
	fprintf(stderr,
		"usage: tlsctl verify CHAIN.pem [--name N] "
		"[--purpose server|client] [--ca F]\n"
		"                     [--crl F] [--revocation off|soft|hard] "
		"[--ocsp F]\n"
		"                     [--at UNIXTIME] [--json]\n");
	if (json)
		tlsctl_json_error(stdout, why);
	return 2;
}

/* "tlsctl verify: MSG" on stderr, or {"error": MSG} on stdout. */
static void verify_error(bool json, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void verify_error(bool json, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (json)
		tlsctl_json_error(stdout, msg);
	else
		fprintf(stderr, "tlsctl verify: %s\n", msg);
}

int tlsctl_verify(int argc, char **argv)
{
	const char *file = NULL, *name = NULL, *ca = NULL, *crl = NULL;
	const char *bad = NULL;
	int purpose = KTLS_PURPOSE_SERVER, revocation = -1, rc = 2;
	static struct x509_chain_ctx ctx;
	static struct ktls_wolf_verifier wv;
	const uint8_t *der[X509_PATH_MAX];
	size_t len[X509_PATH_MAX], flen, pos = 0;
	uint8_t *buf, *out, *staple = NULL;
	static struct staple_view sv;
	struct x509_path path;
	struct x509_verify_params p = { 0 };
	unsigned int n = 0;
	bool json = false;
	int r;

	/* a usage error is reported after the loop: --json may come later */
	ktls_wolf_x509_params(&p);
	p.now = (int64_t)time(NULL);
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--json")) {
			json = true;
			continue;
		}
		if (a[0] != '-') {
			if (file && !bad)
				bad = "more than one chain file";
			file = a;
			continue;
		}
		if (!v) {
			if (!bad)
				bad = "an option without its value";
			break;
		}
		i++;
		if (!strcmp(a, "--name"))
			name = v;
		else if (!strcmp(a, "--ca"))
			ca = v;
		else if (!strcmp(a, "--crl"))
			crl = v;
		else if (!strcmp(a, "--ocsp"))
			sv.file = v;
		else if (!strcmp(a, "--purpose") && !strcmp(v, "server"))
			purpose = KTLS_PURPOSE_SERVER;
		else if (!strcmp(a, "--purpose") && !strcmp(v, "client"))
			purpose = KTLS_PURPOSE_CLIENT;
		else if (!strcmp(a, "--revocation") && !strcmp(v, "off"))
			revocation = KTLS_REVOCATION_OFF;
		else if (!strcmp(a, "--revocation") && !strcmp(v, "soft"))
			revocation = KTLS_REVOCATION_SOFT;
		else if (!strcmp(a, "--revocation") && !strcmp(v, "hard"))
			revocation = KTLS_REVOCATION_HARD;
		else if (!strcmp(a, "--at"))
			p.now = strtoll(v, NULL, 10);
		else if (!bad)
			bad = "an unknown option or value";
	}
	if (bad)
		return usage(json, bad);
	if (!file)
		return usage(json, "no chain file");
	/* --crl implies hard-fail, --ocsp alone soft-fail (else the staple
	 * given would be ignored) */
	if (revocation < 0)
		revocation = crl ? KTLS_REVOCATION_HARD :
			     sv.file ? KTLS_REVOCATION_SOFT :
			     KTLS_REVOCATION_OFF;
	buf = read_all(file, &flen);
	if (!buf) {
		verify_error(json, "cannot read %s", file);
		return 2;
	}
	out = malloc(flen + 1);
	if (!out) {
		verify_error(json, "out of memory");
		goto out_buf;
	}
	if (flen && buf[0] == DER_SEQUENCE) {
		memcpy(out, buf, flen);
		der[0] = out;
		len[0] = flen;
		n = 1;
	} else {
		size_t used = 0, l;

		while (n < X509_PATH_MAX &&
		       (r = x509_pem_next(buf, flen, &pos, "CERTIFICATE",
					  out + used, flen - used, &l)) > 0) {
			der[n] = out + used;
			len[n++] = l;
			used += l;
		}
	}
	if (!n) {
		verify_error(json, "no certificate in %s", file);
		goto out_out;
	}
	if (sv.file) {
		size_t slen;

		staple = read_all(sv.file, &slen);
		if (!staple) {
			verify_error(json, "cannot read %s", sv.file);
			goto out_out;
		}
		p.ocsp = staple;
		p.ocsp_len = slen;
		sv.err = x509_ocsp_parse(&sv.o, staple, slen, &sv.xe);
	}
	if (ktls_wolf_verifier_setup(&wv, ca, crl, purpose, revocation)) {
		verify_error(json, "%s", wv.msg);
		goto out_out;
	}
	p.purpose = purpose == KTLS_PURPOSE_CLIENT ? X509_PURPOSE_CLIENT :
						     X509_PURPOSE_SERVER;
	p.name = name;
	p.revocation = (enum x509_rev_policy)revocation;
	if (x509_verify(ktls_trust_store(wv.trust), der, len, n, &p, &ctx,
			&path)) {
		int alert = x509_verdict_alert(path.verdict);

		if (json) {
			json_result(&path, false, purpose, name, &sv);
		} else {
			printf("REFUSED %s (alert %s, %d): %s\n",
			       x509_verdict_name(path.verdict),
			       ktls_alert_name(alert), alert, path.msg);
			print_staple(&path, &sv);
		}
		rc = 1;
	} else if (json) {
		json_result(&path, true, purpose, name, &sv);
		rc = 0;
	} else {
		printf("verified: path of %u\n", path.n);
		for (unsigned int i = 0; i < path.n; i++) {
			char text[256];

			x509_name_text(path.cert[i]->subject, text,
				       sizeof(text));
			printf("  %u %s%s\n", i, text, i + 1 == path.n ?
			       " [trust anchor]" : "");
		}
		print_identity(path.cert[0]);
		print_staple(&path, &sv);
		rc = 0;
	}
	ktls_wolf_verifier_fini(&wv);
out_out:
	free(staple);
	free(out);
out_buf:
	free(buf);
	return rc;
}
