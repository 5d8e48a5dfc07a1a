// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * tlsctl: drive the libktls engine over a TCP socket in userspace.
 *
 *   tlsctl connect HOST:PORT [--sni NAME] [--alpn P] [--ca FILE]
 *                  [--cert F --key F] [--group G] [--suite S] [--key-update]
 *                  [--resume] [--export LABEL] [--record-size-limit N]
 *                  [--status [--ocsp-out FILE]] [--ca-names FILE]
 *   tlsctl serve --cert F --key F [--port N] [--ca FILE
 *                --require-client-cert] [--alpn P] [--once] [--export LABEL]
 *                [--http FILE] [--record-size-limit N]
 *                [--ocsp FILE] [--status] [--ca-names FILE]
 *
 * connect prints the negotiated parameters and the verification result to
 * stderr, then relays stdin to the peer and the peer to stdout; after
 * stdin ends it waits for the peer's answer (until it closes, or 1 s of
 * silence), sends close_notify and exits 0 only if the handshake and the
 * exchange succeeded.  serve is an echo server (one connection at a time;
 * --once: exit after the first).  --resume (alias --reconnect) connects
 * a second time offering a ticket from the first connection (resumption),
 * sending nothing; serve issues tickets under a per-process random key.
 * serve --http FILE answers each connection's first HTTP/1.1 request
 * (whatever it asks) with 200 and FILE's bytes as the body, then closes.
 * --record-size-limit N offers (connect) or answers (serve) RFC 8449's
 * limit; both print the peer's and the resulting largest payload we send.
 * --status asks for the peer's OCSP staple (status_request; serve: in the
 * CertificateRequest, with --ca); serve --ocsp FILE staples a DER
 * OCSPResponse when the client asks (connect --ocsp with --cert does the
 * same for a server's request).  --ca-names FILE sends the subjects of the
 * PEM certificates in FILE as certificate_authorities.  Both report the
 * staple received ("ocsp staple: N bytes" or "none") and how many CA
 * names the peer sent ("peer ca names: N"); connect --ocsp-out FILE
 * writes the staple received, as it came.  The staple is checked (the
 * verifier's soft-fail) when --status asked for it, or with --crl.
 * --export LABEL prints 32 bytes of RFC 8446 §7.5 keying material.  Records are protected by the engine's
 * own record layer: kTLS is the daemon's business, not this tool's.
 * --json: the same report as JSON Lines on stderr, one object per event
 * ({"event": "verify" | "handshake" | "keys" | "ticket" | "alert_sent" |
 * "alert_received" | "failed" | "resuming" | "listening" | "connection" |
 * "http" | "error", ...}); stdout still carries the peer's data.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tlsctl.h"
#include "crypto.h"
#include "ktls.h"
#include "ktls_providers.h"
#include "x509_cert.h"
#include "x509_pem.h"

struct opts {
	const char *target, *sni, *alpn, *ca, *crl, *cert, *key;
	const char *group, *suite;
	const char *psk_modes, *psk_identity, *psk_hex;
	int port, rsl;
	const char *http;
	const char *ocsp, *ca_names, *ocsp_out;
	bool key_update, require_client_cert, once, resume, status;
};

/* Identity loaded from PEM; static storage: one per process. */
struct identity {
	uint8_t pem[65536];
	uint8_t der[32768];
	uint8_t priv[KTLS_SIG_MAX_PRIV];
	size_t priv_len;
	const uint8_t *chain[KTLS_MAX_CHAIN];
	size_t chain_len[KTLS_MAX_CHAIN];
	unsigned int n;
};

static struct identity ident;
static _Alignas(16) uint8_t conn_mem[KTLS_CONN_SIZE];

/* --json: the report as JSON Lines on stderr (see the top of this file) */
static bool json_out;

static void j_begin(const char *event)
{
	fprintf(stderr, "{\"event\": \"%s\"", event);
}

/* A JSON string of @len bytes (-1: NUL-terminated), or null for NULL. */
static void j_str(const char *key, const char *v, long len)
{
	fprintf(stderr, ", \"%s\": ", key);
	if (!v) {
		fputs("null", stderr);
		return;
	}
	fputc('"', stderr);
	tlsctl_json_chars(stderr, v, len < 0 ? strlen(v) : (size_t)len);
	fputc('"', stderr);
}

static void j_num(const char *key, unsigned long v)
{
	fprintf(stderr, ", \"%s\": %lu", key, v);
}

static void j_bool(const char *key, bool v)
{
	fprintf(stderr, ", \"%s\": %s", key, v ? "true" : "false");
}

static void j_end(void)
{
	fputs("}\n", stderr);
}

/* An error before or outside a connection: text, or {"event": "error"}. */
__attribute__((format(printf, 1, 2)))
static void report_error(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!json_out) {
		fprintf(stderr, "tlsctl: %s\n", msg);
		return;
	}
	j_begin("error");
	j_str("message", msg, -1);
	j_end();
}

static size_t read_file(const char *path, uint8_t *buf, size_t cap);

/*
 * serve --ocsp FILE: the DER OCSPResponse stapled to our leaf (RFC 8446
 * §4.4.2.1) when a client asks; connect/serve --ca-names FILE: the
 * subjects of the certificates in a PEM file, sent as
 * certificate_authorities (§4.2.4).  Static storage, one per process.
 */
static uint8_t ocsp_der[KTLS_OCSP_STAPLE_MAX + 1];
#define CA_NAMES_MAX 128
static uint8_t ca_pem[256 * 1024];
static uint8_t ca_der[256 * 1024];
static struct ktls_dn ca_dns[CA_NAMES_MAX];

static int load_ocsp(const char *file, struct ktls_config *cfg)
{
	FILE *f = fopen(file, "rb");
	size_t n;

	if (!f) {
		report_error("%s: %s", file, strerror(errno));
		return -1;
	}
	n = fread(ocsp_der, 1, sizeof(ocsp_der), f);
	fclose(f);
	if (!n || n > KTLS_OCSP_STAPLE_MAX || ocsp_der[0] != 0x30) {
		report_error("%s: not a DER OCSPResponse of 1 to %u bytes",
			     file, KTLS_OCSP_STAPLE_MAX);
		return -1;
	}
	cfg->ocsp_staple = ocsp_der;
	cfg->ocsp_staple_len = n;
	return 0;
}

static int load_ca_names(const char *file, struct ktls_config *cfg)
{
	static struct x509_cert cert;
	size_t n, pos = 0, used = 0, l, total = 0;
	unsigned int k = 0;
	int r;

	n = read_file(file, ca_pem, sizeof(ca_pem));
	if (!n)
		return -1;
	while ((r = x509_pem_next(ca_pem, n, &pos, "CERTIFICATE",
				  ca_der + used, sizeof(ca_der) - used,
				  &l)) > 0) {
		if (k == CA_NAMES_MAX) {
			report_error("%s: over %u certificates", file,
				     CA_NAMES_MAX);
			return -1;
		}
		if (x509_cert_parse(&cert, ca_der + used, l, NULL) ||
		    !cert.subject.len || cert.subject.len > 0xffff) {
			report_error("%s: certificate %u unreadable", file,
				     k + 1);
			return -1;
		}
		ca_dns[k].der = cert.subject.p;
		ca_dns[k].len = cert.subject.len;
		total += 2 + cert.subject.len;
		k++;
		used += l;
	}
	if (r < 0 || !k) {
		report_error("%s: %s", file, r < 0 ? "malformed PEM" :
			     "no certificate");
		return -1;
	}
	if (total > KTLS_CA_NAMES_MAX) {
		report_error("%s: the names take over %u bytes", file,
			     KTLS_CA_NAMES_MAX);
		return -1;
	}
	cfg->ca_names = ca_dns;
	cfg->n_ca_names = k;
	return 0;
}

/*
 * connect --ocsp-out FILE: write the staple the verifier is shown, as it
 * arrived, then verify as usual.
 */
static const char *ocsp_out;

static int staple_verify(void *arg, const struct ktls_chain *chain,
			 const char *host, const char **reason)
{
	FILE *f;

	if (ocsp_out && chain->ocsp) {
		f = fopen(ocsp_out, "wb");
		if (!f || fwrite(chain->ocsp, 1, chain->ocsp_len, f) !=
		    chain->ocsp_len)
			report_error("%s: cannot write", ocsp_out);
		if (f)
			fclose(f);
	}
	return ktls_wolf_verify(arg, chain, host, reason);
}

/*
 * The peer's revocation checks: hard-fail with --crl (every certificate
 * needs a current CRL, or a good staple for the leaf); soft-fail with
 * --status alone (a staple that came is checked: revoked or unusable
 * fails the handshake; none is no information); else none.
 */
static int revocation(const struct opts *o)
{
	if (o->crl)
		return KTLS_REVOCATION_HARD;
	return o->status ? KTLS_REVOCATION_SOFT : KTLS_REVOCATION_OFF;
}

/* --status, --ocsp, --ca-names: into the config */
static int cert_ext_options(const struct opts *o, struct ktls_config *cfg)
{
	cfg->request_ocsp = o->status;
	if (o->ocsp && load_ocsp(o->ocsp, cfg))
		return -1;
	if (o->ca_names && load_ca_names(o->ca_names, cfg))
		return -1;
	return 0;
}

static size_t read_file(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		report_error("%s: %s", path, strerror(errno));
		return 0;
	}
	n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = 0;
	return n;
}

static int load_identity(const struct opts *o, struct ktls_config *cfg)
{
	size_t n;

	n = read_file(o->cert, ident.pem, sizeof(ident.pem));
	if (!n || ktls_wolf_pem_certs(ident.pem, n, ident.der,
				      sizeof(ident.der), ident.chain,
				      ident.chain_len, KTLS_MAX_CHAIN,
				      &ident.n)) {
		report_error("%s: no certificate", o->cert);
		return -1;
	}
	n = read_file(o->key, ident.pem, sizeof(ident.pem));
	if (!n || ktls_wolf_pem_key(ident.pem, n, ident.priv,
				    sizeof(ident.priv), &ident.priv_len,
				    cfg->key_schemes, &cfg->n_key_schemes)) {
		report_error("%s: unusable private key", o->key);
		explicit_bzero(ident.pem, sizeof(ident.pem));
		return -1;
	}
	explicit_bzero(ident.pem, sizeof(ident.pem));
	for (unsigned int i = 0; i < ident.n; i++) {
		cfg->chain_der[i] = ident.chain[i];
		cfg->chain_len[i] = ident.chain_len[i];
	}
	cfg->chain_n = ident.n;
	cfg->key = ident.priv;
	cfg->key_len = ident.priv_len;
	cfg->key_scheme = cfg->key_schemes[0];
	return 0;
}

static const struct {
	const char *name;
	uint16_t id;
} names[] = {
	{ "X25519MLKEM768", KTLS_GROUP_X25519MLKEM768 },
	{ "x25519", KTLS_GROUP_X25519 },
	{ "X25519", KTLS_GROUP_X25519 },
	{ "secp256r1", KTLS_GROUP_SECP256R1 },
	{ "P-256", KTLS_GROUP_SECP256R1 },
	{ "secp384r1", KTLS_GROUP_SECP384R1 },
	{ "P-384", KTLS_GROUP_SECP384R1 },
	{ "TLS_AES_128_GCM_SHA256", KTLS_TLS_AES_128_GCM_SHA256 },
	{ "TLS_AES_256_GCM_SHA384", KTLS_TLS_AES_256_GCM_SHA384 },
	{ "TLS_CHACHA20_POLY1305_SHA256", KTLS_TLS_CHACHA20_POLY1305_SHA256 },
	{ "TLS_AES_128_CCM_SHA256", KTLS_TLS_AES_128_CCM_SHA256 },
};

static int lookup(const char *s, uint16_t *id)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i].name, s)) {
			*id = names[i].id;
			return 0;
		}
	return -1;
}

static bool verbose_keys;
static const char *export_label;	/* --export LABEL: print 32 bytes */
/* tickets from the server, for --resume; each is offered once */
static struct ktls_ticket_store tickets;

/* the ticket store's clock (RFC 8446 §4.6.1 lifetimes, §4.2.11.1 ages) */
static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* --psk HEX, kept for the process */
static uint8_t psk_key[48];

/*
 * --psk-modes dhe|ke|both (RFC 8446 §4.2.9, for tickets and the external
 * PSK) and the external PSK --psk-identity ID --psk HEX (32 bytes for
 * TLS_AES_128_GCM_SHA256, 48 for TLS_AES_256_GCM_SHA384). 0, or -1 after
 * saying why.
 */
static int psk_options(const struct opts *o, struct ktls_config *cfg)
{
	size_t n = 0;

	if (o->psk_modes) {
		if (!strcmp(o->psk_modes, "dhe"))
			cfg->psk_modes = KTLS_PSK_DHE_KE;
		else if (!strcmp(o->psk_modes, "ke"))
			cfg->psk_modes = KTLS_PSK_KE;
		else if (!strcmp(o->psk_modes, "both"))
			cfg->psk_modes = KTLS_PSK_DHE_KE | KTLS_PSK_KE;
		else {
			report_error("--psk-modes: dhe, ke or both, not %s",
				     o->psk_modes);
			return -1;
		}
	}
	if (!o->psk_identity && !o->psk_hex)
		return 0;
	if (!o->psk_identity || !o->psk_hex) {
		report_error("--psk-identity and --psk go together");
		return -1;
	}
	for (const char *h = o->psk_hex; h[0]; h += 2) {
		unsigned int b;

		if (!h[1] || n == sizeof(psk_key) ||
		    sscanf(h, "%2x", &b) != 1) {
			report_error("--psk: 32 or 48 bytes in hex");
			return -1;
		}
		psk_key[n++] = (uint8_t)b;
	}
	if (n != 32 && n != 48) {
		report_error("--psk: 32 or 48 bytes in hex, not %zu", n);
		return -1;
	}
	cfg->psk_identity = (const uint8_t *)o->psk_identity;
	cfg->psk_identity_len = strlen(o->psk_identity);
	cfg->psk = psk_key;
	cfg->psk_len = n;
	cfg->psk_suite = n == 32 ? KTLS_TLS_AES_128_GCM_SHA256 :
				   KTLS_TLS_AES_256_GCM_SHA384;
	return 0;
}

/* Print events; returns -1 if the connection reported a failure. */
/* the verifier's record of the peer it verified (connect, serve) */
static const char *peer_identity;

/* The HANDSHAKE_DONE report as one JSON object. */
static int done_json(struct ktls_conn *c, const struct ktls_event *ev)
{
	char hex[65];

	j_begin("handshake");
	j_str("protocol", "TLSv1.3", -1);
	j_str("suite", ktls_suite_name(ev->u.done.suite), -1);
	j_str("group", ev->u.done.group ? ktls_group_name(ev->u.done.group) :
	      NULL, -1);
	j_str("peer_signature", ev->u.done.sig_scheme ?
	      ktls_sig_scheme_name(ev->u.done.sig_scheme) : NULL, -1);
	j_bool("hrr", ev->u.done.hrr);
	j_str("alpn", (const char *)ev->u.done.alpn,
	      (long)ev->u.done.alpn_len);
	j_str("sni", (const char *)ev->u.done.sni, (long)ev->u.done.sni_len);
	j_bool("resumed", ev->u.done.resumed);
	j_bool("psk_ke", ev->u.done.psk_ke);
	if (ev->u.done.peer_record_size_limit)
		j_num("peer_record_size_limit",
		      ev->u.done.peer_record_size_limit);
	else
		j_str("peer_record_size_limit", NULL, -1);
	j_num("max_tx_payload", ev->u.done.max_tx_payload);
	j_bool("client_authenticated", ev->u.done.client_authenticated);
	if (ev->u.done.peer_ocsp_len)
		j_num("ocsp_staple", ev->u.done.peer_ocsp_len);
	else
		j_str("ocsp_staple", NULL, -1);
	j_num("peer_ca_names", ev->u.done.n_peer_ca_names);
	if (export_label) {
		uint8_t km[32];

		if (ktls_conn_export(c, export_label, NULL, 0, km,
				     sizeof(km))) {
			j_end();
			return -1;
		}
		for (size_t i = 0; i < sizeof(km); i++)
			snprintf(hex + 2 * i, 3, "%02X", km[i]);
		j_str("exporter", hex, -1);
		explicit_bzero(km, sizeof(km));
	}
	j_end();
	return 0;
}

static int show_events(struct ktls_conn *c, bool *done)
{
	struct ktls_event ev;

	while (ktls_conn_next_event(c, &ev)) {
		switch (ev.type) {
		case KTLS_EV_PEER_CERT:
			if (json_out) {
				j_begin("verify");
				j_str("result", ev.u.peer.verdict ? "failed" :
				      "ok", -1);
				j_str("reason", ev.u.peer.reason, -1);
				j_num("chain", ev.u.peer.chain_n);
				j_str("peer", !ev.u.peer.verdict &&
				      peer_identity && peer_identity[0] ?
				      peer_identity : NULL, -1);
				j_end();
				break;
			}
			fprintf(stderr, "verify: %s (%s), chain of %u\n",
				ev.u.peer.verdict ? "FAILED" : "ok",
				ev.u.peer.reason ? ev.u.peer.reason : "-",
				ev.u.peer.chain_n);
			if (!ev.u.peer.verdict && peer_identity &&
			    peer_identity[0])
				fprintf(stderr, "peer: %s\n", peer_identity);
			break;
		case KTLS_EV_HANDSHAKE_DONE:
			*done = true;
			if (json_out) {
				if (done_json(c, &ev))
					return -1;
				break;
			}
			fprintf(stderr, "protocol: TLSv1.3\nsuite: %s\n"
				"group: %s\npeer signature: %s\nhrr: %s\n",
				ktls_suite_name(ev.u.done.suite),
				ev.u.done.group ?
				ktls_group_name(ev.u.done.group) : "none",
				ev.u.done.sig_scheme ?
				ktls_sig_scheme_name(ev.u.done.sig_scheme) :
				"none",
				ev.u.done.hrr ? "yes" : "no");
			fprintf(stderr, "alpn: %.*s\n",
				ev.u.done.alpn ? (int)ev.u.done.alpn_len : 4,
				ev.u.done.alpn ? (const char *)ev.u.done.alpn :
				"none");
			if (ev.u.done.sni)
				fprintf(stderr, "sni: %.*s\n",
					(int)ev.u.done.sni_len,
					(const char *)ev.u.done.sni);
			fprintf(stderr, "resumed: %s\npsk_ke: %s\n",
				ev.u.done.resumed ? "yes" : "no",
				ev.u.done.psk_ke ? "yes" : "no");
			if (ev.u.done.peer_record_size_limit)
				fprintf(stderr, "peer record_size_limit: %u\n",
					ev.u.done.peer_record_size_limit);
			else
				fprintf(stderr,
					"peer record_size_limit: none\n");
			fprintf(stderr, "max tx payload: %u\n",
				ev.u.done.max_tx_payload);
			if (ev.u.done.peer_ocsp_len)
				fprintf(stderr, "ocsp staple: %zu bytes\n",
					ev.u.done.peer_ocsp_len);
			else
				fprintf(stderr, "ocsp staple: none\n");
			fprintf(stderr, "peer ca names: %u\n",
				ev.u.done.n_peer_ca_names);
			if (export_label) {
				uint8_t km[32];

				if (ktls_conn_export(c, export_label, NULL, 0,
						     km, sizeof(km)))
					return -1;
				fprintf(stderr, "exporter: ");
				for (size_t i = 0; i < sizeof(km); i++)
					fprintf(stderr, "%02X", km[i]);
				fprintf(stderr, "\n");
				explicit_bzero(km, sizeof(km));
			}
			if (ev.u.done.client_authenticated)
				fprintf(stderr, "client authenticated: yes\n");
			fprintf(stderr, "handshake: complete\n");
			break;
		case KTLS_EV_KEYS:
			if ((verbose_keys || ev.u.keys.generation) &&
			    json_out) {
				j_begin("keys");
				j_str("direction", ev.u.keys.dir ? "rx" : "tx",
				      -1);
				j_str("stage", ev.u.keys.stage ==
				      KTLS_KEYS_HANDSHAKE ? "handshake" :
				      "application", -1);
				j_num("generation", ev.u.keys.generation);
				j_end();
			} else if (verbose_keys || ev.u.keys.generation)
				fprintf(stderr, "keys: %s %s generation %u\n",
					ev.u.keys.dir ? "rx" : "tx",
					ev.u.keys.stage ==
					KTLS_KEYS_HANDSHAKE ? "handshake" :
					"application", ev.u.keys.generation);
			break;
		case KTLS_EV_TICKET:
			ktls_ticket_store_put(&tickets, ev.u.ticket, now_ms());
			if (json_out) {
				j_begin("ticket");
				j_num("bytes", ev.u.ticket->len);
				j_num("lifetime", ev.u.ticket->lifetime);
				j_end();
				break;
			}
			fprintf(stderr, "ticket: %u bytes, lifetime %u s\n",
				ev.u.ticket->len, ev.u.ticket->lifetime);
			break;
		case KTLS_EV_ALERT_SENT:
		case KTLS_EV_ALERT_RECEIVED:
			if (ev.u.alert.alert && json_out) {
				j_begin(ev.type == KTLS_EV_ALERT_SENT ?
					"alert_sent" : "alert_received");
				j_str("alert",
				      ktls_alert_name(ev.u.alert.alert), -1);
				j_str("reason", ev.type == KTLS_EV_ALERT_SENT ?
				      ev.u.alert.reason : NULL, -1);
				j_end();
				break;
			}
			if (ev.type == KTLS_EV_ALERT_RECEIVED) {
				if (ev.u.alert.alert)
					fprintf(stderr, "alert received: %s\n",
						ktls_alert_name(ev.u.alert.alert));
				break;
			}
			if (ev.u.alert.alert)
				fprintf(stderr, "alert sent: %s (%s)\n",
					ktls_alert_name(ev.u.alert.alert),
					ev.u.alert.reason ? ev.u.alert.reason :
					"-");
			break;
		default:
			break;
		}
	}
	return ktls_conn_error(c) ? -1 : 0;
}

/* serve --http: the body, and the request being collected */
static uint8_t http_body[1 << 20];
static size_t http_body_len;
static bool http_mode;
static char http_req[8192];
static size_t http_req_len;

static int flush_out(struct ktls_conn *c, int fd);

static int send_all(struct ktls_conn *c, int fd, const uint8_t *p, size_t len)
{
	while (len) {
		long s = ktls_conn_send(c, p, len);

		if (s < 0)
			return -1;
		p += s;
		len -= (size_t)s;
		if (flush_out(c, fd))
			return -1;
	}
	return 0;
}

/*
 * Collect the request up to its blank line; then send the response.
 * Returns 1 once answered (the caller closes), 0 to wait, -1 on error.
 */
static int http_serve(struct ktls_conn *c, int fd, const uint8_t *in,
		      size_t len)
{
	char head[160];
	int n;

	if (len > sizeof(http_req) - 1 - http_req_len)
		return -1;	/* a request we will not read */
	memcpy(http_req + http_req_len, in, len);
	http_req_len += len;
	http_req[http_req_len] = 0;
	if (!strstr(http_req, "\r\n\r\n"))
		return 0;
	n = snprintf(head, sizeof(head),
		     "HTTP/1.1 200 OK\r\nContent-Type: "
		     "application/octet-stream\r\nContent-Length: %zu\r\n"
		     "Connection: close\r\n\r\n", http_body_len);
	if (send_all(c, fd, (const uint8_t *)head, (size_t)n) ||
	    send_all(c, fd, http_body, http_body_len))
		return -1;
	if (json_out) {
		j_begin("http");
		j_str("request", http_req, (long)strcspn(http_req, "\r\n"));
		j_num("bytes", http_body_len);
		j_end();
	} else {
		fprintf(stderr, "http: answered %.*s with %zu bytes\n",
			(int)strcspn(http_req, "\r\n"), http_req,
			http_body_len);
	}
	return 1;
}

static int flush_out(struct ktls_conn *c, int fd)
{
	const uint8_t *p;
	size_t len;

	while ((p = ktls_conn_out(c, &len)) != NULL) {
		ssize_t w = send(fd, p, len, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		ktls_conn_out_ack(c, (size_t)w);
	}
	return 0;
}

/*
 * The relay loop.  in_fd < 0: echo mode (what arrives is sent back).
 * Returns 0 when the exchange ended cleanly.
 */
static int run(struct ktls_conn *c, int fd, int in_fd, int out_fd,
	       bool key_update)
{
	static uint8_t net[32768], buf[16384];
	size_t net_len = 0, net_off = 0;
	bool done = false, in_eof = in_fd < 0, ku_sent = false;
	bool answered = false;
	int idle = 0, rc = 0;

	http_req_len = 0;

	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = fd, .events = POLLIN },
			/* stdin waits until the handshake is complete */
			{ .fd = in_eof || !done ? -1 : in_fd,
			  .events = POLLIN },
		};
		int n;

		if (show_events(c, &done)) {
			rc = -1;
			break;
		}
		if (done && key_update && !ku_sent) {
			ku_sent = true;
			if (ktls_conn_key_update(c, true)) {
				rc = -1;
				break;
			}
		}
		if (flush_out(c, fd)) {
			rc = -1;
			break;
		}
		while (done) {
			size_t k = ktls_conn_recv(c, buf, sizeof(buf));

			if (!k)
				break;
			if (in_fd < 0 && http_mode) {
				int h = answered ? 1 :
					http_serve(c, fd, buf, k);

				if (h < 0)
					return -1;
				answered = h > 0;	/* then ignore the rest */
			} else if (in_fd < 0) {
				if (ktls_conn_send(c, buf, k) < 0)
					return -1;
			} else if (write(out_fd, buf, k) != (ssize_t)k) {
				return -1;
			}
		}
		if (net_off < net_len) {
			net_off += ktls_conn_feed(c, net + net_off,
						  net_len - net_off);
			if (net_off < net_len && !ktls_conn_error(c) &&
			    !ktls_conn_closed(c))
				continue;	/* app data to drain first */
		}
		if (ktls_conn_closed(c) || ktls_conn_error(c) || answered)
			break;
		if (flush_out(c, fd)) {
			rc = -1;
			break;
		}
		if (in_eof && in_fd >= 0 && done && idle >= 10)
			break;	/* peer silent for 1 s after our input */
		n = poll(pfd, 2, 100);
		if (n < 0 && errno != EINTR) {
			rc = -1;
			break;
		}
		if (n == 0) {
			idle++;
			continue;
		}
		idle = 0;
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t r = recv(fd, net, sizeof(net), 0);

			if (r <= 0) {
				if (!done)
					rc = -1;
				break;
			}
			net_len = (size_t)r;
			net_off = 0;
			continue;
		}
		if (pfd[1].revents & (POLLIN | POLLHUP)) {
			ssize_t r = read(in_fd, buf, sizeof(buf));

			if (r <= 0) {
				in_eof = true;
				continue;
			}
			for (size_t off = 0; off < (size_t)r;) {
				long s;

				s = ktls_conn_send(c, buf + off,
						   (size_t)r - off);
				if (s < 0)
					return -1;
				off += (size_t)s;
				if (flush_out(c, fd))
					return -1;
			}
		}
	}
	show_events(c, &done);
	if (!ktls_conn_error(c))
		(void)ktls_conn_close(c);
	(void)flush_out(c, fd);		/* close_notify, or the alert queued */
	if (ktls_conn_error(c)) {
		const char *why;
		int a = ktls_conn_alert(c, &why);

		if (json_out) {
			j_begin("failed");
			j_str("alert", ktls_alert_name(a), -1);
			j_str("reason", why, -1);
			j_end();
		} else {
			fprintf(stderr, "tlsctl: failed: %s (%s)\n",
				ktls_alert_name(a), why ? why : "-");
		}
		rc = -1;
	}
	return done && !rc ? 0 : -1;
}

static int cmd_connect(struct opts *o)
{
	static char host[256];
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai, *a;
	static struct ktls_wolf_verifier wv;
	static struct ktls_config cfg;
	struct ktls_conn *c;
	char *colon;
	int fd = -1, rc;

	if (!o->target || strlen(o->target) >= sizeof(host))
		return 2;
	strcpy(host, o->target);
	colon = strrchr(host, ':');
	if (!colon)
		return 2;
	*colon = 0;
	if (host[0] == '[') {		/* [v6]:port */
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = 0;
	}
	ktls_config_init(&cfg, KTLS_ROLE_CLIENT, &ktls_provider_wolfcrypt);
	if (ktls_wolf_verifier_setup(&wv, o->ca, o->crl, KTLS_PURPOSE_SERVER,
				     revocation(o))) {
		report_error("%s", wv.msg);
		return 1;
	}
	cfg.verifier.verify = o->ocsp_out ? staple_verify : ktls_wolf_verify;
	cfg.verifier.arg = &wv;
	ocsp_out = o->ocsp_out;
	peer_identity = wv.identity;
	cfg.server_name = o->sni ? o->sni : host;
	if (o->alpn) {
		cfg.alpn[0] = o->alpn;
		cfg.n_alpn = 1;
	}
	if (o->group) {
		if (lookup(o->group, &cfg.groups[0])) {
			report_error("unknown group %s", o->group);
			return 2;
		}
		cfg.n_groups = 1;
	}
	if (o->suite) {
		if (lookup(o->suite, &cfg.suites[0])) {
			report_error("unknown suite %s", o->suite);
			return 2;
		}
		cfg.n_suites = 1;
	}
	cfg.record_size_limit = (uint16_t)o->rsl;
	if (psk_options(o, &cfg))
		return 2;
	if (cert_ext_options(o, &cfg))
		return 1;
	if (o->cert && o->key && load_identity(o, &cfg))
		return 1;
	if (getaddrinfo(host, colon + 1, &hints, &ai)) {
		report_error("cannot resolve %s", host);
		return 1;
	}
	rc = 0;
	for (int round = 0; round < (o->resume ? 2 : 1) && !rc; round++) {
		struct ktls_ticket t;
		bool have = round && !ktls_ticket_store_take(&tickets, now_ms(),
								  &t);
		int in = STDIN_FILENO;

		for (a = ai; a; a = a->ai_next) {
			fd = socket(a->ai_family, a->ai_socktype,
				    a->ai_protocol);
			if (fd >= 0 &&
			    !connect(fd, a->ai_addr, a->ai_addrlen))
				break;
			if (fd >= 0)
				close(fd);
			fd = -1;
		}
		if (fd < 0) {
			report_error("cannot connect to %s", o->target);
			rc = -1;
			break;
		}
		if (round) {
			/* the second connection resumes and sends nothing */
			if (json_out) {
				j_begin("resuming");
				j_bool("ticket", have);
				j_end();
			} else {
				fprintf(stderr, "resuming, %s ticket\n",
					have ? "offering a" : "no");
			}
			in = open("/dev/null", O_RDONLY);
		}
		c = ktls_conn_init_resume(conn_mem, sizeof(conn_mem), &cfg,
					  have ? &t : NULL);
		explicit_bzero(&t, sizeof(t));
		if (!c) {
			report_error("bad configuration");
			close(fd);
			rc = -1;
			break;
		}
		rc = run(c, fd, in, STDOUT_FILENO, o->key_update);
		ktls_conn_wipe(c);
		close(fd);
		if (in != STDIN_FILENO && in >= 0)
			close(in);
	}
	freeaddrinfo(ai);
	explicit_bzero(ident.priv, sizeof(ident.priv));
	explicit_bzero(psk_key, sizeof(psk_key));
	explicit_bzero(&tickets, sizeof(tickets));
	return rc ? 1 : 0;
}

/*
 * Close so that the peer reads our last records (an alert): closing with
 * unread input would reset the connection and lose them.  Read what is
 * left for at most 1 s, until the peer closes.
 */
static void drain_close(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[4096];

	shutdown(fd, SHUT_WR);
	while (poll(&p, 1, 1000) > 0 && read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
}

static int cmd_serve(struct opts *o)
{
	static struct ktls_wolf_verifier wv;
	static struct ktls_config cfg;
	static struct ktls_ticket_key tkey;
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };
	int lfd, one = 1, rc = 0;

	if (!o->cert || !o->key)
		return 2;
	if (o->http) {
		FILE *f = fopen(o->http, "rb");

		if (!f) {
			report_error("%s: %s", o->http, strerror(errno));
			return 1;
		}
		http_body_len = fread(http_body, 1, sizeof(http_body), f);
		if (fgetc(f) != EOF) {
			report_error("%s: over %zu bytes", o->http,
				     sizeof(http_body));
			fclose(f);
			return 1;
		}
		fclose(f);
		http_mode = true;
	}
	ktls_config_init(&cfg, KTLS_ROLE_SERVER, &ktls_provider_wolfcrypt);
	if (load_identity(o, &cfg))
		return 1;
	if (o->ca) {
		if (ktls_wolf_verifier_setup(&wv, o->ca, o->crl,
					     KTLS_PURPOSE_CLIENT,
					     revocation(o))) {
			report_error("%s", wv.msg);
			return 1;
		}
		cfg.verifier.verify = ktls_wolf_verify;
		cfg.verifier.arg = &wv;
		peer_identity = wv.identity;
		cfg.request_client_cert = true;
		cfg.require_client_cert = o->require_client_cert;
	}
	if (o->alpn) {
		cfg.alpn[0] = o->alpn;
		cfg.n_alpn = 1;
	}
	cfg.record_size_limit = (uint16_t)o->rsl;
	if (psk_options(o, &cfg))
		return 2;
	if (cert_ext_options(o, &cfg))
		return 1;
	/* one ticket key per process: tickets die with the server */
	if (ktls_random(&ktls_provider_wolfcrypt, (uint8_t *)&tkey,
			sizeof(tkey)))
		return 1;
	cfg.ticket_keys = &tkey;
	cfg.n_ticket_keys = 1;
	lfd = socket(AF_INET6, SOCK_STREAM, 0);
	sa.sin6_port = htons((uint16_t)o->port);
	sa.sin6_addr = in6addr_any;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(lfd, 8)) {
		report_error("cannot listen on %d: %s", o->port,
			     strerror(errno));
		return 1;
	}
	if (json_out) {
		j_begin("listening");
		j_num("port", (unsigned long)o->port);
		j_end();
	} else {
		fprintf(stderr, "listening on port %d\n", o->port);
	}
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		struct ktls_conn *c;

		if (fd < 0)
			continue;
		c = ktls_conn_init(conn_mem, sizeof(conn_mem), &cfg);
		if (!c) {
			close(fd);
			rc = 1;
			break;
		}
		rc = run(c, fd, -1, -1, false) ? 1 : 0;
		if (json_out) {
			j_begin("connection");
			j_str("result", rc ? "failed" : "closed", -1);
			j_end();
		} else {
			fprintf(stderr, "connection %s\n",
				rc ? "failed" : "closed");
		}
		ktls_conn_wipe(c);
		drain_close(fd);
		if (o->once)
			break;
	}
	close(lfd);
	explicit_bzero(&tkey, sizeof(tkey));
	explicit_bzero(ident.priv, sizeof(ident.priv));
	explicit_bzero(psk_key, sizeof(psk_key));
	return rc;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: tlsctl connect HOST:PORT [--sni NAME] [--alpn P] "
		"[--ca FILE]\n"
		"                      [--cert F --key F] [--group G] "
		"[--suite S] [--key-update]\n"
		"                      [--resume] [--export LABEL] "
		"[--record-size-limit N] [--json]\n"
		"                      [--psk-modes dhe|ke|both] "
		"[--psk-identity ID --psk HEX]\n"
		"                      [--status [--ocsp-out FILE]] "
		"[--ca-names FILE]\n"
		"       tlsctl serve --cert F --key F [--port N] [--ca FILE "
		"[--require-client-cert]]\n"
		"                    [--alpn P] [--once] [--export LABEL] "
		"[--http FILE]\n"
		"                    [--record-size-limit N] [--json]\n"
		"                    [--psk-modes dhe|ke|both] "
		"[--psk-identity ID --psk HEX]\n"
		"                    [--ocsp FILE] [--status] "
		"[--ca-names FILE]\n"
		"       tlsctl verify CHAIN.pem [--name N] "
		"[--purpose server|client] [--ca F] [--crl F]\n"
		"                     [--json]\n"
		"       tlsctl limits [--soft-permille N] [--soft R] "
		"[--hard R] [--default] [--json]\n"
		"       tlsctl [--socket PATH] [--json] status|sessions|reload"
		"\n"
		"See tlsctl(8).\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct opts o = { .port = 4433 };
	int i;

	if (argc < 2)
		return usage();
	/* tlsctl --json CMD ...: the commands that take --json among their
	 * own options get it there */
	if (argc > 2 && !strcmp(argv[1], "--json") &&
	    (!strcmp(argv[2], "verify") || !strcmp(argv[2], "limits") ||
	     !strcmp(argv[2], "connect") || !strcmp(argv[2], "serve"))) {
		char *json = argv[1];

		memmove(&argv[1], &argv[2], (size_t)(argc - 2) * sizeof(*argv));
		argv[argc - 1] = json;
	}
	if (!strcmp(argv[1], "verify"))
		return tlsctl_verify(argc, argv);
	if (tlsctl_is_admin(argc, argv))
		return tlsctl_admin(argc, argv);
	for (i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--key-update")) {
			o.key_update = true;
			continue;
		}
		if (!strcmp(a, "--require-client-cert")) {
			o.require_client_cert = true;
			continue;
		}
		if (!strcmp(a, "--resume") || !strcmp(a, "--reconnect")) {
			o.resume = true;
			continue;
		}
		if (!strcmp(a, "--status")) {
			o.status = true;
			continue;
		}
		if (!strcmp(a, "--once")) {
			o.once = true;
			continue;
		}
		if (!strcmp(a, "--json")) {
			json_out = true;
			continue;
		}
		if (!strcmp(a, "-v")) {
			verbose_keys = true;
			continue;
		}
		if (a[0] != '-') {
			o.target = a;
			continue;
		}
		if (!v)
			return usage();
		i++;
		if (!strcmp(a, "--sni"))
			o.sni = v;
		else if (!strcmp(a, "--alpn"))
			o.alpn = v;
		else if (!strcmp(a, "--ca"))
			o.ca = v;
		else if (!strcmp(a, "--crl"))
			o.crl = v;
		else if (!strcmp(a, "--cert"))
			o.cert = v;
		else if (!strcmp(a, "--key"))
			o.key = v;
		else if (!strcmp(a, "--group"))
			o.group = v;
		else if (!strcmp(a, "--suite"))
			o.suite = v;
		else if (!strcmp(a, "--export"))
			export_label = v;
		else if (!strcmp(a, "--record-size-limit"))
			o.rsl = atoi(v);
		else if (!strcmp(a, "--psk-modes"))
			o.psk_modes = v;
		else if (!strcmp(a, "--psk-identity"))
			o.psk_identity = v;
		else if (!strcmp(a, "--psk"))
			o.psk_hex = v;
		else if (!strcmp(a, "--http"))
			o.http = v;
		else if (!strcmp(a, "--ocsp"))
			o.ocsp = v;
		else if (!strcmp(a, "--ca-names"))
			o.ca_names = v;
		else if (!strcmp(a, "--ocsp-out"))
			o.ocsp_out = v;
		else if (!strcmp(a, "--port"))
			o.port = atoi(v);
		else
			return usage();
	}
	/* RFC 8449: 64 .. 2^14 + 1 in TLS 1.3 */
	if (o.rsl && (o.rsl < 64 || o.rsl > 16385)) {
		fprintf(stderr, "tlsctl: --record-size-limit: 64 to 16385\n");
		return 2;
	}
	if (!strcmp(argv[1], "connect"))
		i = cmd_connect(&o);
	else if (!strcmp(argv[1], "serve"))
		i = cmd_serve(&o);
	else
		i = 2;
	return i == 2 ? usage() : i;
}
