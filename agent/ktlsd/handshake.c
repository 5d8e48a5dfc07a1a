// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * One handshake for a kernel consumer: the engine (agent/include/ktls.h)
 * over the socket the kernel handed us, then kTLS.
 *
 * Shape:
 *   1. Build the engine's configuration from the request and ktlsd's
 *      configuration: role, the name to verify (PEERNAME), the trust store,
 *      our certificate and key, or the PSK from the kernel's keyrings
 *      (psk.c). A certificate and private key the kernel names by key
 *      serial (the NFS client's cert_serial= and privkey_serial= mount
 *      options, 7.x) take the place of the configured ones.
 *   2. Drive the engine, reading the socket one TLS record at a time: the
 *      engine must never consume a byte past the last handshake record,
 *      because what follows (the consumer's first RPC, say) belongs to
 *      kTLS. Every wait is bounded by the request's deadline.
 *   3. Take the application traffic keys from the engine's events, build
 *      both kTLS arguments first, then install TCP_ULP "tls", TLS_TX and
 *      TLS_RX: the fallible work is done before the socket is touched.
 *   4. Wipe the connection, the keys and the arguments on every path.
 *
 * An authenticated peer (the server's certificate on the client end, a
 * client certificate on the server end) is reported in DONE's REMOTE_AUTH
 * as the serial of a "user" key holding its certificate, in ktlsd's process
 * keyring with a one-hour expiry, as tlshd does with its session keyring:
 * knfsd grants xprtsec=mtls only to connections with such a peer.
 *
 * Status for DONE (what tlshd reports too): 0, EACCES when the peer was
 * refused (certificate, alert), ETIMEDOUT at the deadline, EOPNOTSUPP for
 * what is not supported, EIO for the rest.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <keyutils.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "guard.h"
#include "handshake.h"
#include "ktls.h"
#include "ktls_cipher.h"
#include "ktls_providers.h"
#include "ktlsd_handshake.h"
#include "ktlsd_tls_compat.h"
#include "log.h"
#include "peer_names.h"
#include "psk.h"
#include "staple.h"
#include "x509_cert.h"
#include "x509_path.h"

#define DEFAULT_TIMEOUT_MS	30000
#define PEER_KEY_LIFETIME_S	3600
#define PEM_MAX			(64 * 1024)
#define DER_MAX			(32 * 1024)

struct dir_keys {
	bool have;
	uint16_t suite;
	uint8_t key[KTLS_MAX_KEY_LEN];
	size_t key_len;
	uint8_t iv[KTLS_IV_LEN];
	uint64_t seq;
	uint8_t secret[48];	/* for ktls_guard (guard.c) */
	size_t secret_len;
};

/* Everything one handshake owns; heap-allocated, wiped before it is freed. */
struct hs {
	_Alignas(16) uint8_t conn_mem[KTLS_CONN_SIZE];
	struct ktls_config cfg;
	struct ktls_wolf_verifier verifier;
	uint8_t pem[PEM_MAX + 1];
	uint8_t der[DER_MAX];
	const uint8_t *chain[KTLS_MAX_CHAIN];
	size_t chain_len[KTLS_MAX_CHAIN];
	uint8_t priv[KTLS_SIG_MAX_PRIV];
	size_t priv_len;
	struct dir_keys tx, rx;
	struct ktlsd_psk psk;		/* PSK handshakes (NVMe/TCP) */
	uint8_t peer_leaf[16384];	/* the verified peer's certificate */
	size_t peer_leaf_len;
	uint8_t rec[5 + 16384 + 256];
	struct timespec deadline;
	int fd;
	bool done;
	int verdict;
	const char *verdict_reason;
	const struct ktlsd_hs_local *loc;	/* NULL: a kernel request */
	struct ktlsd_hs_outcome *out;
	int last_alert;			/* -1: none */
	bool last_alert_sent;
	/* RFC 8449: the most content one record may carry toward the peer
	 * (2^14 unless it sent a record_size_limit) */
	uint16_t max_tx_payload;
	uint16_t peer_record_size_limit;
};

/* The first reason a local handshake failed, for its reply. */
__attribute__((format(printf, 2, 3)))
static void why_(struct hs *h, const char *fmt, ...)
{
	va_list ap;

	if (!h->loc || h->loc->res->reason[0])
		return;
	va_start(ap, fmt);
	vsnprintf(h->loc->res->reason, sizeof(h->loc->res->reason), fmt, ap);
	va_end(ap);
}

/* A printable copy of protocol bytes (ALPN) for a reply. */
static void printable(char *dst, size_t cap, const uint8_t *v, size_t len)
{
	size_t n = 0;

	for (; n < len && n + 1 < cap; n++)
		dst[n] = v[n] >= 0x20 && v[n] < 0x7f ? (char)v[n] : '?';
	dst[n] = '\0';
}

static long ms_left(const struct hs *h)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (h->deadline.tv_sec - now.tv_sec) * 1000 +
	       (h->deadline.tv_nsec - now.tv_nsec) / 1000000;
}

/* Waits for @events on the socket; 0, or -ETIMEDOUT / -errno. */
static int wait_fd(const struct hs *h, short events)
{
	struct pollfd p = { .fd = h->fd, .events = events };
	long left = ms_left(h);
	int n;

	if (left <= 0)
		return -ETIMEDOUT;
	n = poll(&p, 1, (int)left);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	return n ? 0 : -ETIMEDOUT;
}

static int read_exact(struct hs *h, uint8_t *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t r = recv(h->fd, buf + off, len - off, MSG_DONTWAIT);
		int err;

		if (r > 0) {
			off += (size_t)r;
			continue;
		}
		if (r == 0)
			return -ECONNRESET;
		if (errno != EAGAIN && errno != EINTR)
			return -errno;
		err = wait_fd(h, POLLIN);
		if (err)
			return err;
	}
	return 0;
}

static int flush(struct hs *h, struct ktls_conn *c)
{
	const uint8_t *p;
	size_t len;

	while ((p = ktls_conn_out(c, &len)) != NULL) {
		ssize_t w = send(h->fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		int err;

		if (w > 0) {
			ktls_conn_out_ack(c, (size_t)w);
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
		err = wait_fd(h, POLLOUT);
		if (err)
			return err;
	}
	return 0;
}

static void take_keys(struct dir_keys *k, const struct ktls_event *ev)
{
	k->have = true;
	k->suite = ev->u.keys.suite;
	k->key_len = ev->u.keys.key_len;
	memcpy(k->key, ev->u.keys.key, ev->u.keys.key_len);
	memcpy(k->iv, ev->u.keys.iv, KTLS_IV_LEN);
	k->seq = ev->u.keys.seq;
	k->secret_len = 0;
	if (ev->u.keys.secret_len <= sizeof(k->secret)) {
		memcpy(k->secret, ev->u.keys.secret, ev->u.keys.secret_len);
		k->secret_len = ev->u.keys.secret_len;
	}
}

static void drain_events(struct hs *h, struct ktls_conn *c, int sockfd)
{
	struct ktls_event ev;

	while (ktls_conn_next_event(c, &ev)) {
		switch (ev.type) {
		case KTLS_EV_KEYS:
			if (ev.u.keys.stage != KTLS_KEYS_APPLICATION ||
			    ev.u.keys.key_len > KTLS_MAX_KEY_LEN)
				break;
			take_keys(ev.u.keys.dir == KTLS_DIR_TX ? &h->tx :
				  &h->rx, &ev);
			break;
		case KTLS_EV_PEER_CERT:
			/* the leaf was kept by verify_and_keep(): the
			 * event's pointer into the engine's handshake buffer
			 * is stale once the rest of the flight is parsed */
			h->verdict = ev.u.peer.verdict;
			h->verdict_reason = ev.u.peer.reason;
			if (ev.u.peer.verdict)
				h->peer_leaf_len = 0;
			else if (h->verifier.identity[0])
				log_info("fd %d: peer %s", sockfd,
					 h->verifier.identity);
			if (!ev.u.peer.verdict &&
			    strstr(h->verifier.msg, "; OCSP staple: "))
				log_info("fd %d: %s", sockfd,
					 h->verifier.msg);
			log_info("fd %d: peer certificate %s%s%s", sockfd,
				 ev.u.peer.verdict ? "refused: " : "verified",
				 ev.u.peer.verdict && ev.u.peer.reason ?
				 ev.u.peer.reason : "",
				 ev.u.peer.verdict ? "" : "");
			break;
		case KTLS_EV_HANDSHAKE_DONE:
			h->done = true;
			h->max_tx_payload = ev.u.done.max_tx_payload;
			h->peer_record_size_limit =
				ev.u.done.peer_record_size_limit;
			h->out->suite = ev.u.done.suite;
			h->out->group = ev.u.done.group;
			if (h->loc) {
				struct ktlsd_hs_result *r = h->loc->res;

				r->version = 0x0304;
				r->cipher = ev.u.done.suite;
				r->group = ev.u.done.group;
				snprintf(r->cipher_name, sizeof(r->cipher_name),
					 "%s", ktls_suite_name(r->cipher));
				snprintf(r->group_name, sizeof(r->group_name),
					 "%s", ktls_group_name(r->group));
				if (ev.u.done.alpn)
					printable(r->alpn, sizeof(r->alpn),
						  ev.u.done.alpn,
						  ev.u.done.alpn_len);
			}
			log_info("fd %d: TLS 1.3 with %s, group %s%s", sockfd,
				 ktls_suite_name(ev.u.done.suite),
				 ktls_group_name(ev.u.done.group),
				 ev.u.done.client_authenticated ?
				 ", client authenticated" : "");
			break;
		case KTLS_EV_ALERT_SENT:
		case KTLS_EV_ALERT_RECEIVED:
			if (ev.u.alert.alert) {
				h->last_alert = ev.u.alert.alert;
				h->last_alert_sent =
					ev.type == KTLS_EV_ALERT_SENT;
			}
			if (ev.u.alert.alert)
				log_warn("fd %d: alert %s %s (%s)", sockfd,
					 ev.type == KTLS_EV_ALERT_SENT ?
					 "sent:" : "received:",
					 ktls_alert_name(ev.u.alert.alert),
					 ev.u.alert.reason ? ev.u.alert.reason :
					 "-");
			break;
		default:
			break;
		}
	}
}

/*
 * The verifier, keeping a copy of the leaf it accepted while the chain is
 * valid (during the call only: it points into the engine's buffer).
 */
static int verify_and_keep(void *arg, const struct ktls_chain *chain,
			   const char *host, const char **reason)
{
	struct hs *h = arg;
	int v = ktls_wolf_verify(&h->verifier, chain, host, reason);

	if (v == KTLS_VERIFY_OK && chain->n &&
	    chain->len[0] <= sizeof(h->peer_leaf)) {
		memcpy(h->peer_leaf, chain->der[0], chain->len[0]);
		h->peer_leaf_len = chain->len[0];
	}
	return v;
}

static size_t read_file(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rbe");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = 0;
	return n;
}

static unsigned int load_identity(struct hs *h, const char *cert,
				  const char *key, int sockfd)
{
	struct ktls_config *cfg = &h->cfg;
	unsigned int n;
	size_t len;

	len = read_file(cert, h->pem, sizeof(h->pem));
	if (!len || ktls_wolf_pem_certs(h->pem, len, h->der, sizeof(h->der),
					h->chain, h->chain_len, KTLS_MAX_CHAIN,
					&n) || !n) {
		log_err("fd %d: x509.certificate %s: no usable certificate",
			sockfd, cert);
		why_(h, "the identity's certificate is unusable");
		return EIO;
	}
	len = read_file(key, h->pem, sizeof(h->pem));
	if (!len || ktls_wolf_pem_key(h->pem, len, h->priv, sizeof(h->priv),
				      &h->priv_len, cfg->key_schemes,
				      &cfg->n_key_schemes)) {
		explicit_bzero(h->pem, sizeof(h->pem));
		log_err("fd %d: x509.private_key %s: no usable private key",
			sockfd, key);
		why_(h, "the identity's private key is unusable");
		return EIO;
	}
	explicit_bzero(h->pem, sizeof(h->pem));
	for (unsigned int i = 0; i < n; i++) {
		cfg->chain_der[i] = h->chain[i];
		cfg->chain_len[i] = h->chain_len[i];
	}
	cfg->chain_n = n;
	cfg->key = h->priv;
	cfg->key_len = h->priv_len;
	cfg->key_scheme = cfg->key_schemes[0];
	return 0;
}

/*
 * A key's payload into @buf: 0 and *len, or the errno for DONE. ktlsd must
 * possess the key (root's user keyring is searched from its session
 * keyring; a keyring named in [ktlsd] keyrings is linked at start).
 */
static unsigned int read_key(struct hs *h, uint32_t serial, const char *what,
			     uint8_t *buf, size_t cap, size_t *len)
{
	long n = keyctl_read((key_serial_t)serial, (char *)buf, cap);

	if (n < 0) {
		log_err("fd %d: %s key %u unreadable: %s (ktlsd must possess "
			"it: put it in root's user keyring, or in a keyring "
			"named in [ktlsd] keyrings)", h->fd, what, serial,
			strerror(errno));
		why_(h, "the %s key is unreadable", what);
		return EACCES;
	}
	if ((size_t)n > cap || !n) {
		explicit_bzero(buf, cap);
		log_err("fd %d: %s key %u holds %ld bytes (1 to %zu usable)",
			h->fd, what, serial, n, cap);
		return EACCES;
	}
	*len = (size_t)n;
	return 0;
}

/*
 * Our certificate (DER, as tlshd expects in a key, or a PEM chain) and
 * private key (DER or PEM: PKCS#8, SEC1 or PKCS#1) from the key serials
 * the kernel passed.
 */
static unsigned int load_identity_keys(struct hs *h, uint32_t cert,
				       uint32_t key)
{
	struct ktls_config *cfg = &h->cfg;
	struct x509_error xe = { 0 };
	struct x509_cert *parsed;
	unsigned int n = 0, err;
	size_t len;

	err = read_key(h, cert, "certificate", h->pem, PEM_MAX, &len);
	if (err)
		return err;
	if (memmem(h->pem, len, "-----BEGIN CERTIFICATE-----", 27)) {
		h->pem[len] = 0;
		if (ktls_wolf_pem_certs(h->pem, len, h->der, sizeof(h->der),
					h->chain, h->chain_len, KTLS_MAX_CHAIN,
					&n))
			n = 0;
	} else if (len <= sizeof(h->der)) {
		parsed = malloc(sizeof(*parsed));
		if (!parsed)
			return ENOMEM;
		if (!x509_cert_parse(parsed, h->pem, len, &xe)) {
			memcpy(h->der, h->pem, len);
			h->chain[0] = h->der;
			h->chain_len[0] = len;
			n = 1;
		}
		free(parsed);
	}
	if (!n) {
		if (xe.reason)
			log_err("fd %d: certificate key %u: not a DER "
				"certificate: %s (%s)", h->fd, cert,
				x509_strerror(xe.reason),
				xe.where[0] ? xe.where : "-");
		else
			log_err("fd %d: certificate key %u: not a DER "
				"certificate or PEM chain", h->fd, cert);
		return EACCES;
	}
	err = read_key(h, key, "private", h->pem, PEM_MAX, &len);
	if (err)
		return err;
	if (ktls_wolf_pem_key(h->pem, len, h->priv, sizeof(h->priv),
			      &h->priv_len, cfg->key_schemes,
			      &cfg->n_key_schemes)) {
		explicit_bzero(h->pem, sizeof(h->pem));
		log_err("fd %d: private key %u: no usable private key (DER or "
			"PEM; P-256, P-384, Ed25519, RSA or RSA-PSS)", h->fd,
			key);
		return EACCES;
	}
	explicit_bzero(h->pem, sizeof(h->pem));
	for (unsigned int i = 0; i < n; i++) {
		cfg->chain_der[i] = h->chain[i];
		cfg->chain_len[i] = h->chain_len[i];
	}
	cfg->chain_n = n;
	cfg->key = h->priv;
	cfg->key_len = h->priv_len;
	cfg->key_scheme = cfg->key_schemes[0];
	log_info("fd %d: certificate from key %u, private key from key %u",
		 h->fd, cert, key);
	return 0;
}

/*
 * The verifier for one handshake.  The trust store (x509.truststore, else
 * the platform's: SSL_CERT_FILE / SSL_CERT_DIR, Debian's bundle, the
 * hashed /etc/ssl/certs) and the CRLs (x509.crl) are loaded once and
 * shared; a reload makes later handshakes load them again.  Revocation is
 * x509.revocation (off, soft, hard); unset, it is soft-fail with x509.crl
 * (as in tlshd: a current CRL from the issuer is applied, a certificate
 * whose issuer has none is not refused) and off without.
 */
static int revocation_policy(const struct ktlsd_x509_config *x)
{
	switch (x->revocation) {
	case KTLSD_REVOCATION_HARD:
		return KTLS_REVOCATION_HARD;
	case KTLSD_REVOCATION_SOFT:
		return KTLS_REVOCATION_SOFT;
	case KTLSD_REVOCATION_OFF:
		return KTLS_REVOCATION_OFF;
	}
	/* unset: like tlshd, check the CRL if one is configured */
	return x->crl[0] ? KTLS_REVOCATION_SOFT : KTLS_REVOCATION_OFF;
}

static int setup_verifier(struct hs *h, const struct ktlsd_x509_config *x,
			  int purpose, int sockfd)
{
	if (ktls_wolf_verifier_setup(&h->verifier, x->truststore, x->crl,
				     purpose, revocation_policy(x))) {
		log_err("fd %d: %s", sockfd, h->verifier.msg);
		return -1;
	}
	return 0;
}

/*
 * Our own OCSP response for the certificate just loaded, when the
 * configuration has one (staple.c checked it against that certificate at
 * load; here only that it is still the same certificate and not stale).
 * The engine sends it only to a client that asked (status_request).
 */
static void staple(struct hs *h, struct ktlsd_staple *s)
{
	struct ktls_config *cfg = &h->cfg;

	if (!s || !cfg->chain_n ||
	    !ktlsd_staple_usable(s, cfg->chain_der[0], cfg->chain_len[0],
				 (int64_t)time(NULL)))
		return;
	cfg->ocsp_staple = s->der;
	cfg->ocsp_staple_len = s->len;
}

/*
 * RFC 8446 §4.2.4: certificate_authorities in our CertificateRequest, the
 * subjects of the trust anchors client certificates are verified against,
 * so that a client holding several certificates picks one we accept.
 *
 * The list is built once per trust store (ktls_trust_data()) and kept
 * with it: every handshake verifying against that store points its
 * configuration at the same array, which points into the store and is
 * freed with it (a reload that loads the files again builds a new list;
 * handshakes in flight keep the store and the list they started with).
 * Left out (with a log line when the store's list is built, so once per
 * store) when it would pass KTLS_CA_NAMES_MAX: a platform bundle, say,
 * where naming every CA says nothing; x509.ca_names=0 turns it off.
 */

/* a subject and where it is in the store, to sort */
struct ca_name_ref {
	const uint8_t *der;
	size_t len;
	unsigned int i;
};

static int ca_name_cmp(const void *a_, const void *b_)
{
	const struct ca_name_ref *a = a_, *b = b_;
	int r;

	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	r = memcmp(a->der, b->der, a->len);
	if (r)
		return r;
	return a->i < b->i ? -1 : a->i > b->i;
}

/*
 * The distinct names in the store's order: a copy of the index sorted by
 * (length, bytes, position) puts equal names side by side, the first of
 * each in the store ahead; the others are dropped. O(n log n).
 */
long ktlsd_ca_names(const struct x509_store *st, struct ktls_dn **out,
		    size_t *total)
{
	struct ca_name_ref *ref;
	struct ktls_dn *dn;
	bool *keep;
	unsigned int n = 0, m = 0;

	*out = NULL;
	*total = 0;
	if (!st->n_certs)
		return 0;
	dn = calloc(st->n_certs, sizeof(*dn));
	ref = calloc(st->n_certs, sizeof(*ref));
	keep = calloc(st->n_certs, sizeof(*keep));
	if (!dn || !ref || !keep) {
		free(dn);
		free(ref);
		free(keep);
		return -1;
	}
	for (unsigned int i = 0; i < st->n_certs; i++) {
		struct x509_span sub = st->certs[i].cert.subject;

		if (sub.len < 3 || sub.len > 0xffff)	/* an empty Name */
			continue;
		ref[m].der = sub.p;
		ref[m].len = sub.len;
		ref[m++].i = i;
	}
	qsort(ref, m, sizeof(*ref), ca_name_cmp);
	for (unsigned int j = 0; j < m; j++)
		keep[ref[j].i] = !j || ref[j].len != ref[j - 1].len ||
				 memcmp(ref[j].der, ref[j - 1].der, ref[j].len);
	for (unsigned int i = 0; i < st->n_certs; i++) {
		struct x509_span sub = st->certs[i].cert.subject;

		if (!keep[i])
			continue;
		dn[n].der = sub.p;
		dn[n++].len = sub.len;
		*total += 2 + sub.len;
	}
	free(ref);
	free(keep);
	*out = dn;
	return n;
}

atomic_uint ktlsd_ca_lists_built, ktlsd_ca_lists_freed;

static void ca_list_free(void *data)
{
	struct ktlsd_ca_list *l = data;

	free(l->dn);
	free(l);
	atomic_fetch_add(&ktlsd_ca_lists_freed, 1);
}

/* ktls_trust_data()'s builder: once per trust store */
static void *ca_list_build(const struct x509_store *st, void *arg)
{
	struct ktlsd_ca_list *l = calloc(1, sizeof(*l));
	long n;

	(void)arg;
	if (!l)
		return NULL;
	n = ktlsd_ca_names(st, &l->dn, &l->total);
	if (n < 0) {
		free(l);
		return NULL;
	}
	l->n = (unsigned int)n;
	if (l->total > KTLS_CA_NAMES_MAX) {
		log_info("certificate_authorities not sent: the %ld CA "
			 "names of the trust store take %zu bytes, "
			 "more than %d", n, l->total, KTLS_CA_NAMES_MAX);
		l->too_big = true;
		free(l->dn);
		l->dn = NULL;
	}
	atomic_fetch_add(&ktlsd_ca_lists_built, 1);
	return l;
}

const struct ktlsd_ca_list *ktlsd_ca_list(struct ktls_trust *trust)
{
	return ktls_trust_data(trust, ca_list_build, ca_list_free, NULL);
}

void ktlsd_set_ca_names(struct ktls_config *cfg, struct ktls_trust *trust,
			const struct ktlsd_config *kc)
{
	const struct ktlsd_ca_list *l;

	if (!kc->server.ca_names || !trust)
		return;
	l = ktlsd_ca_list(trust);
	if (!l || l->too_big || !l->n)
		return;
	cfg->ca_names = l->dn;
	cfg->n_ca_names = l->n;
}

/* No certificate is exchanged in a PSK handshake (RFC 8446 §2.2). */
static int refuse_certificates(void *arg, const struct ktls_chain *chain,
			       const char *host, const char **reason)
{
	(void)arg;
	(void)chain;
	(void)host;
	*reason = "a certificate in a PSK handshake";
	return 42;	/* bad_certificate */
}

/*
 * PSK (NVMe/TCP): the host end names its key by serial (PEER_IDENTITY);
 * the target end finds the key the host's ClientHello names, in the
 * keyring the kernel gives (KEYRING) or those ktlsd linked at start.
 */
static unsigned int configure_psk(struct hs *h, const struct ktlsd_request *req,
				  const struct ktlsd_config *kc)
{
	bool client = req->msg_type == KTLSD_HS_MSG_TYPE_CLIENTHELLO;
	struct ktls_config *cfg = &h->cfg;
	unsigned int err;

	if (client && !req->n_peer_ids) {
		log_err("fd %d: PSK requested without a key", req->sockfd);
		return EACCES;
	}
	/* .nvme may have appeared since start (nvme-keyring loaded later) */
	ktlsd_keyrings_link(kc, true);
	err = client ? ktlsd_psk_from_key(req->peer_ids[0], &h->psk,
					  req->sockfd) :
		       ktlsd_psk_from_client_hello(req->sockfd, req->keyring,
						   ms_left(h), &h->psk);
	if (err)
		return err;
	log_info("fd %d: PSK '%s' (key %u, %s)", req->sockfd, h->psk.identity,
		 h->psk.serial, ktls_suite_name(h->psk.suite));
	cfg->psk_identity = (const uint8_t *)h->psk.identity;
	cfg->psk_identity_len = h->psk.identity_len;
	cfg->psk = h->psk.key;
	cfg->psk_len = h->psk.key_len;
	cfg->psk_suite = h->psk.suite;
	cfg->suites[0] = h->psk.suite;
	cfg->n_suites = 1;
	cfg->verifier.verify = refuse_certificates;
	return 0;
}

/* Step 1 for an application (local.c checked the request already). */
static unsigned int configure_local(struct hs *h,
				    const struct ktlsd_request *req,
				    const struct ktlsd_config *kc)
{
	const struct ktlsd_hs_local *l = h->loc;
	bool client = req->msg_type == KTLSD_HS_MSG_TYPE_CLIENTHELLO;
	const struct ktlsd_x509_config *x = client ? &kc->client : &kc->server;
	const struct ktlsd_x509_config *id = l->identity ?
					     &l->identity->x509 : NULL;
	struct ktls_config *cfg = &h->cfg;
	const char *trust;
	unsigned int err;

	ktls_config_init(cfg, client ? KTLS_ROLE_CLIENT : KTLS_ROLE_SERVER,
			 &ktls_provider_wolfcrypt);
	cfg->n_ticket_keys = 0;	/* the socket goes to kTLS: no resumption */
	for (unsigned int i = 0; i < l->n_alpn && i < KTLS_MAX_ALPN_PROTOS;
	     i++)
		cfg->alpn[cfg->n_alpn++] = l->alpn[i];
	/* an identity's own trust store, else the role's (empty: the
	 * platform's, see ktls_trust_get) */
	trust = id && id->truststore[0] ? id->truststore : x->truststore;
	if ((client || l->peer_auth) &&
	    ktls_wolf_verifier_setup(&h->verifier, trust, x->crl,
				     client ? KTLS_PURPOSE_SERVER :
					      KTLS_PURPOSE_CLIENT,
				     revocation_policy(x))) {
		log_err("fd %d: %s", req->sockfd, h->verifier.msg);
		why_(h, "ktlsd's trust store is unusable");
		return EIO;
	}
	if (client || l->peer_auth) {
		cfg->verifier.verify = verify_and_keep;
		cfg->verifier.arg = h;
	}
	if (!client && l->peer_auth)
		ktlsd_set_ca_names(&h->cfg, h->verifier.trust, kc);
	if (client) {
		cfg->server_name = req->peername;
		/* as for the kernel: the staple is checked where revocation
		 * is on */
		cfg->request_ocsp = revocation_policy(x) != KTLS_REVOCATION_OFF;
	}
	cfg->request_client_cert = !client && l->peer_auth;
	cfg->require_client_cert = !client &&
		l->peer_auth == KTLSD_LOCAL_PEER_AUTH_REQUIRE;
	if (!id)
		return 0;
	if (!id->certificate[0] || !id->private_key[0]) {
		log_err("fd %d: identity '%s' has no x509.certificate or "
			"x509.private_key", req->sockfd, l->identity->name);
		why_(h, "identity '%s' has no certificate and key",
		    l->identity->name);
		return EACCES;
	}
	err = load_identity(h, id->certificate, id->private_key, req->sockfd);
	if (!err && !client)
		staple(h, id->staple);
	return err;
}

/* Step 1: the engine's configuration for this request. */
static unsigned int configure(struct hs *h, const struct ktlsd_request *req,
			      const struct ktlsd_config *kc)
{
	bool client = req->msg_type == KTLSD_HS_MSG_TYPE_CLIENTHELLO;
	const struct ktlsd_x509_config *x = client ? &kc->client : &kc->server;
	struct ktls_config *cfg = &h->cfg;
	unsigned int err;

	/* TLS_NO_CERT and TLS_NO_PRIVKEY are 0 */
	bool keys = req->n_certs && req->certs[0].cert;

	if (h->loc)
		return configure_local(h, req, kc);
	if (keys && !req->certs[0].privkey) {
		log_err("fd %d: certificate key %u comes without a private "
			"key (privkey_serial)", req->sockfd,
			req->certs[0].cert);
		return EACCES;
	}
	ktls_config_init(cfg, client ? KTLS_ROLE_CLIENT : KTLS_ROLE_SERVER,
			 &ktls_provider_wolfcrypt);
	/* Kernel consumers cannot use tickets: issue none. */
	cfg->n_ticket_keys = 0;
	if (req->auth_mode == KTLSD_HS_AUTH_PSK)
		return configure_psk(h, req, kc);
	if (client) {
		if (setup_verifier(h, x, KTLS_PURPOSE_SERVER, req->sockfd))
			return EIO;
		cfg->verifier.verify = verify_and_keep;
		cfg->verifier.arg = h;
		/* a server's OCSP staple is checked where revocation is on */
		cfg->request_ocsp = revocation_policy(x) != KTLS_REVOCATION_OFF;
		cfg->server_name = req->peername[0] ? req->peername : NULL;
		if (req->auth_mode == KTLSD_HS_AUTH_X509 && keys)
			return load_identity_keys(h, req->certs[0].cert,
						  req->certs[0].privkey);
		if (req->auth_mode == KTLSD_HS_AUTH_X509 &&
		    x->certificate[0] && x->private_key[0]) {
			err = load_identity(h, x->certificate, x->private_key,
					    req->sockfd);
			if (err)
				return err;
		}
		return 0;
	}
	if (keys) {
		if (setup_verifier(h, x, KTLS_PURPOSE_CLIENT, req->sockfd))
			return EIO;
		cfg->verifier.verify = verify_and_keep;
		cfg->verifier.arg = h;
		cfg->request_client_cert = true;
		ktlsd_set_ca_names(&h->cfg, h->verifier.trust, kc);
		return load_identity_keys(h, req->certs[0].cert,
					  req->certs[0].privkey);
	}
	if (!x->certificate[0] || !x->private_key[0]) {
		log_err("fd %d: no server certificate: set x509.certificate "
			"and x509.private_key in [authenticate.server]",
			req->sockfd);
		return EACCES;
	}
	/*
	 * Like tlshd: ask for a client certificate without requiring one; a
	 * verified one is reported to the kernel, which decides (knfsd:
	 * xprtsec=mtls exports accept only authenticated clients).
	 */
	if (setup_verifier(h, x, KTLS_PURPOSE_CLIENT, req->sockfd))
		return EIO;
	cfg->verifier.verify = verify_and_keep;
	cfg->verifier.arg = h;
	cfg->request_client_cert = true;
	ktlsd_set_ca_names(&h->cfg, h->verifier.trust, kc);
	err = load_identity(h, x->certificate, x->private_key, req->sockfd);
	if (!err)
		staple(h, x->staple);
	return err;
}

/* Step 2: the handshake, one record at a time. */
static unsigned int drive(struct hs *h, struct ktls_conn *c, int sockfd)
{
	int err;

	for (;;) {
		size_t len;

		drain_events(h, c, sockfd);
		err = flush(h, c);
		if (err)
			goto io_error;
		if (ktls_conn_error(c))
			break;
		if (h->done && h->tx.have && h->rx.have)
			return 0;
		err = read_exact(h, h->rec, 5);
		if (err)
			goto io_error;
		len = (size_t)h->rec[3] << 8 | h->rec[4];
		if (len > sizeof(h->rec) - 5) {
			log_warn("fd %d: record of %zu bytes from the peer",
				 sockfd, len);
			return EACCES;
		}
		err = read_exact(h, h->rec + 5, len);
		if (err)
			goto io_error;
		if (ktls_conn_feed(c, h->rec, len + 5) != len + 5 &&
		    !ktls_conn_error(c)) {
			log_err("fd %d: the engine kept part of a record",
				sockfd);
			return EIO;
		}
	}
	drain_events(h, c, sockfd);
	(void)flush(h, c);	/* our alert, if any */
	{
		const char *why = NULL;
		int alert = ktls_conn_alert(c, &why);

		log_warn("fd %d: handshake failed: %s (%s)", sockfd,
			 ktls_alert_name(alert), why ? why : "-");
		if (h->loc) {
			h->loc->res->alert = alert > 0 ? alert : -1;
			h->loc->res->alert_sent = h->last_alert < 0 ||
						  h->last_alert_sent;
		}
		why_(h, "%s %s: %s", h->last_alert >= 0 &&
		     !h->last_alert_sent ? "the peer sent" : "ktlsd sent",
		     ktls_alert_name(alert), h->verdict && h->verdict_reason ?
		     h->verdict_reason : why ? why : "-");
	}
	return EACCES;
io_error:
	log_warn("fd %d: handshake %s", sockfd, err == -ETIMEDOUT ?
		 "timed out" : strerror(-err));
	why_(h, "handshake %s", err == -ETIMEDOUT ? "timed out" :
	     err == -ECONNRESET ? "failed: the peer closed the connection" :
	     strerror(-err));
	return err == -ETIMEDOUT ? ETIMEDOUT : EIO;
}

/* Step 3: kTLS, all arguments built before the socket changes. */
static unsigned int install_ktls(struct hs *h, int sockfd)
{
	uint8_t tx[KTLS_MAX_INFO_LEN], rx[KTLS_MAX_INFO_LEN];
	const struct ktls_cipher *c = ktls_cipher_by_suite(h->tx.suite);
	unsigned int txlen, rxlen, status = 0;

	if (!c || h->rx.suite != h->tx.suite) {
		log_err("fd %d: suite 0x%04x has no kTLS cipher", sockfd,
			h->tx.suite);
		why_(h, "suite 0x%04x has no kTLS cipher", h->tx.suite);
		return EOPNOTSUPP;
	}
	txlen = ktls_cipher_fill(c, tx, h->tx.key, h->tx.iv, h->tx.seq);
	rxlen = ktls_cipher_fill(c, rx, h->rx.key, h->rx.iv, h->rx.seq);
	if (setsockopt(sockfd, IPPROTO_TCP, TCP_ULP, "tls", sizeof("tls")) ||
	    setsockopt(sockfd, SOL_TLS, TLS_TX, tx, txlen) ||
	    setsockopt(sockfd, SOL_TLS, TLS_RX, rx, rxlen)) {
		log_err("fd %d: installing kTLS (%s) failed: %s", sockfd,
			c->name, strerror(errno));
		why_(h, "installing kTLS (%s) failed: %s", c->name,
		     strerror(errno));
		status = EIO;
	} else if (h->max_tx_payload && h->max_tx_payload < 16384 &&
		   setsockopt(sockfd, SOL_TLS, TLS_TX_MAX_PAYLOAD_LEN,
			      &h->max_tx_payload, sizeof(h->max_tx_payload))) {
		/*
		 * The peer's record_size_limit binds every record we send;
		 * a kernel without TLS_TX_MAX_PAYLOAD_LEN (7.3 has it,
		 * 6.12 not) would send larger ones, which the peer must
		 * refuse. The caller closes the socket.
		 */
		log_err("fd %d: the peer's record_size_limit %u needs "
			"TLS_TX_MAX_PAYLOAD_LEN, which this kernel refuses: %s",
			sockfd, h->peer_record_size_limit, strerror(errno));
		why_(h, "the peer's record_size_limit %u needs "
		     "TLS_TX_MAX_PAYLOAD_LEN, which this kernel refuses: %s",
		     h->peer_record_size_limit, strerror(errno));
		status = EOPNOTSUPP;
	} else {
		log_info("fd %d: kTLS installed (%s)", sockfd, c->name);
		if (h->max_tx_payload && h->max_tx_payload < 16384)
			log_info("fd %d: TLS_TX_MAX_PAYLOAD_LEN %u (the peer's "
				 "record_size_limit %u)", sockfd,
				 h->max_tx_payload, h->peer_record_size_limit);
	}
	explicit_bzero(tx, sizeof(tx));
	explicit_bzero(rx, sizeof(rx));
	return status;
}

/* The peer's certificate as a key the kernel can be given; 0 on failure. */
static uint32_t peer_key(const struct hs *h, int sockfd)
{
	long serial;

	serial = syscall(SYS_add_key, "user", "ktlsd: peer certificate",
			 h->peer_leaf, h->peer_leaf_len,
			 KEY_SPEC_PROCESS_KEYRING);
	if (serial <= 0) {
		log_warn("fd %d: cannot keep the peer's certificate in a "
			 "key: %s", sockfd, strerror(errno));
		return 0;
	}
	if (syscall(SYS_keyctl, KEYCTL_SET_TIMEOUT, serial,
		    PEER_KEY_LIFETIME_S))
		log_warn("fd %d: key %ld: no expiry: %s", sockfd, serial,
			 strerror(errno));
	return (uint32_t)serial;
}

static unsigned int run(const struct ktlsd_request *req,
			const struct ktlsd_config *cfg, uint32_t *remote_auth,
			const struct ktlsd_hs_local *loc,
			struct ktlsd_hs_outcome *out)
{
	struct ktls_conn *c = NULL;
	unsigned int status;
	struct hs *h;

	h = aligned_alloc(16, sizeof(*h));
	if (!h)
		return ENOMEM;
	memset(h, 0, sizeof(*h));
	h->loc = loc;
	memset(out, 0, sizeof(*out));
	h->out = out;
	h->last_alert = -1;
	h->fd = req->sockfd;
	clock_gettime(CLOCK_MONOTONIC, &h->deadline);
	h->deadline.tv_sec += (req->timeout_ms ? req->timeout_ms :
			       DEFAULT_TIMEOUT_MS) / 1000;
	h->deadline.tv_nsec += (long)((req->timeout_ms ? req->timeout_ms :
				       DEFAULT_TIMEOUT_MS) % 1000) * 1000000;
	if (h->deadline.tv_nsec >= 1000000000) {
		h->deadline.tv_sec++;
		h->deadline.tv_nsec -= 1000000000;
	}

	status = configure(h, req, cfg);
	if (status)
		goto out;
	c = ktls_conn_init(h->conn_mem, sizeof(h->conn_mem), &h->cfg);
	if (!c) {
		log_err("fd %d: the engine refused its configuration",
			req->sockfd);
		status = EIO;
		goto out;
	}
	*remote_auth = 0;
	status = drive(h, c, req->sockfd);
	if (!status)
		status = install_ktls(h, req->sockfd);
	if (!status) {
		socklen_t len = sizeof(out->cookie);

		/* assigns the cookie, so ktls_guard reports the same one */
		if (getsockopt(req->sockfd, SOL_SOCKET, SO_COOKIE,
			       &out->cookie, &len))
			out->cookie = 0;
		out->guard_id = ktlsd_guard_register(req->sockfd, h->tx.suite,
						     h->tx.secret, h->rx.secret,
						     h->tx.secret_len);
	}
	if (loc) {
		if (!status && h->peer_leaf_len)
			ktlsd_peer_names(h->peer_leaf, h->peer_leaf_len,
					 loc->res);
		goto out;
	}
	if (!status && h->psk.serial) {
		*remote_auth = h->psk.serial;
	} else if (!status && h->peer_leaf_len) {
		*remote_auth = peer_key(h, req->sockfd);
		if (*remote_auth)
			log_info("fd %d: peer authenticated; its certificate "
				 "is key %u", req->sockfd, *remote_auth);
	}
out:
	if (c)
		ktls_conn_wipe(c);
	ktls_wolf_verifier_fini(&h->verifier);
	explicit_bzero(h, sizeof(*h));
	free(h);
	return status;
}

unsigned int ktlsd_handshake_run(const struct ktlsd_request *req,
				 const struct ktlsd_config *cfg,
				 uint32_t *remote_auth,
				 struct ktlsd_hs_outcome *out)
{
	return run(req, cfg, remote_auth, NULL, out);
}

unsigned int ktlsd_handshake_run_local(const struct ktlsd_request *req,
				       const struct ktlsd_config *cfg,
				       const struct ktlsd_hs_local *loc,
				       struct ktlsd_hs_outcome *out)
{
	uint32_t unused = 0;

	return run(req, cfg, &unused, loc, out);
}
