// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * handshake_bench: in-memory TLS 1.3 handshakes per second and peak memory
 * per in-flight handshake, libktls (on wolfCrypt) beside OpenSSL's libssl,
 * measured in the same run.  See Documentation/bench.md.
 *
 * Every cell pairs the side being measured with an OpenSSL peer over
 * memory (OpenSSL: two memory BIOs; libktls: feed/out), so both
 * implementations of a role face the very same peer:
 *
 *   server rows: [libktls server | OpenSSL server] <-> OpenSSL client
 *   client rows: [libktls client | OpenSSL client] <-> OpenSSL server
 *
 * Only the measured side's calls are timed, with CLOCK_THREAD_CPUTIME_ID
 * around each of them (set-up and teardown of its connection included);
 * the peer's work and the byte shuffling between calls are not.  The two
 * implementations alternate in short rounds so that a change in machine
 * load hits both.
 *
 * Same credentials for both: an ECDSA P-256 CA and a P-256 leaf made at
 * run time with OpenSSL, the leaf loaded into libktls through its PEM
 * loader.  Same suite (TLS_AES_128_GCM_SHA256), one group per row, SNI
 * sent, middlebox compatibility on, one ticket per handshake.  A client
 * checks the leaf against the CA: OpenSSL with its X509_STORE (one ECDSA
 * verification of the leaf), libktls with a bench verifier doing the same
 * work (parse the leaf with agent/x509, check issuer and dates, one ECDSA
 * verification through the provider).  Resumed rows resume with the
 * ticket the previous handshake of the same row left (psk_dhe_ke, the
 * group's key exchange still done).
 *
 * Memory: malloc, calloc, realloc, free and the aligned allocators are
 * defined here (forwarding to glibc), and every block is counted with
 * malloc_usable_size() against the side whose call is running.  The peak
 * of a connection is its side's highest live heap from just before it is
 * created to after it is freed, above the level it started from.  For
 * libktls that is the provider's (wolfCrypt's) heap; ktls_conn_size() is
 * added, the engine itself never allocates.  The counting runs in every
 * cell for both libraries alike.
 *
 * Every handshake is checked (completed, the row's group, resumed or not
 * as asked, a ticket reached the client); a failure stops the program
 * with status 1.  KTLSD_BENCH_SECONDS (default 6) is the wall time of one
 * cell, both implementations together.
 */
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto.h"
#include "ktls.h"
#include "ktls_providers.h"
#include "x509_cert.h"

/* ---- heap accounting ---- */

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

#define N_SLOTS 3	/* 0: nobody, 1: measured side, 2: peer */
static int cur_slot;
static long live[N_SLOTS], peak[N_SLOTS];

static void acct(void *p, long sign)
{
	if (!p || !cur_slot)
		return;
	live[cur_slot] += sign * (long)malloc_usable_size(p);
	if (live[cur_slot] > peak[cur_slot])
		peak[cur_slot] = live[cur_slot];
}

void *malloc(size_t n)
{
	void *p = __libc_malloc(n);

	acct(p, 1);
	return p;
}

void *calloc(size_t a, size_t b)
{
	void *p = __libc_calloc(a, b);

	acct(p, 1);
	return p;
}

void *realloc(void *old, size_t n)
{
	void *p;

	acct(old, -1);
	p = __libc_realloc(old, n);
	acct(p ? p : old, 1);
	return p;
}

void free(void *p)
{
	acct(p, -1);
	__libc_free(p);
}

void *memalign(size_t align, size_t n)
{
	void *p = __libc_memalign(align, n);

	acct(p, 1);
	return p;
}

void *aligned_alloc(size_t align, size_t n)
{
	return memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	void *p = memalign(align, n);

	if (!p)
		return 12;	/* ENOMEM */
	*out = p;
	return 0;
}

/* ---- timing ---- */

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * What an empty enter()/leave() pair reads (the thread CPU clock is a
 * system call): subtracted once per timed call, so that an
 * implementation driven through more calls is not charged for them.
 */
static uint64_t clock_cost;

static void calibrate_clock(void)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < 20000; i++) {
		uint64_t a = cpu_ns(), b = cpu_ns();

		if (b - a < best)
			best = b - a;
	}
	clock_cost = best;
}

static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "handshake_bench: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

/* ---- endpoints ---- */

enum impl { OURS, OSSL };

struct ep {
	enum impl impl;
	bool server, measured;
	int slot;
	uint64_t cpu;		/* ns spent in this endpoint's calls */
	uint64_t calls;		/* timed calls, for the clock's own cost */
	uint64_t t0;
	int saved_slot;
	/* libktls */
	struct ktls_conn *c;
	void *mem;
	bool have_ticket, got_ticket, done, resumed;
	uint16_t group;
	struct ktls_ticket ticket;
	/* OpenSSL */
	SSL *ssl;
	BIO *rbio, *wbio;
	SSL_SESSION *sess;	/* client: the last ticket's session */
};

static void enter(struct ep *e)
{
	e->saved_slot = cur_slot;
	cur_slot = e->slot;
	if (e->measured)
		e->t0 = cpu_ns();
}

static void leave(struct ep *e)
{
	if (e->measured) {
		e->cpu += cpu_ns() - e->t0;
		e->calls++;
	}
	cur_slot = e->saved_slot;
}

/* Shared, read-only set-up. */
static struct ktls_config ours_srv_cfg, ours_cli_cfg;
static struct ktls_ticket_key tkey;
static SSL_CTX *ossl_srv_ctx, *ossl_cli_ctx;
static const char *group_name;
static uint16_t group_id;

struct trust {
	uint8_t spki[256];
	size_t spki_len;
	uint8_t subject[256];
	size_t subject_len;
};
static struct trust trust;

/*
 * The libktls client's verifier: the work OpenSSL's client does with a
 * one-certificate chain under a trusted CA (no host name is checked by
 * either).
 */
static int bench_verify(void *arg, const struct ktls_chain *chain,
			const char *host, const char **reason)
{
	static struct x509_cert leaf;
	const struct trust *t = arg;
	int64_t now = (int64_t)time(NULL);

	(void)host;
	*reason = "bench verifier";
	if (!chain->n ||
	    x509_cert_parse(&leaf, chain->der[0], chain->len[0], NULL))
		return 42;	/* bad_certificate */
	if (leaf.issuer.len != t->subject_len ||
	    memcmp(leaf.issuer.p, t->subject, t->subject_len))
		return 48;	/* unknown_ca */
	if (now < leaf.not_before || now > leaf.not_after)
		return 45;	/* certificate_expired */
	if (leaf.sig_alg.alg != X509_ALG_ECDSA_SHA256 ||
	    ktls_sig_verify(&ktls_provider_wolfcrypt,
			    KTLS_SIG_ECDSA_SECP256R1_SHA256, t->spki,
			    t->spki_len, leaf.tbs.p, leaf.tbs.len, leaf.sig.p,
			    leaf.sig.len))
		return 42;
	return 0;
}

static int new_session_cb(SSL *ssl, SSL_SESSION *sess)
{
	struct ep *e = SSL_get_app_data(ssl);

	if (e->sess)
		SSL_SESSION_free(e->sess);
	e->sess = sess;
	e->got_ticket = true;
	return 1;	/* we keep the reference */
}

static void ep_start(struct ep *e, bool resume)
{
	enter(e);
	e->done = e->got_ticket = e->resumed = false;
	if (e->impl == OURS) {
		const struct ktls_config *cfg = e->server ? &ours_srv_cfg :
						&ours_cli_cfg;

		if (e->server || !resume)
			e->c = ktls_conn_init(e->mem, ktls_conn_size(), cfg);
		else
			e->c = ktls_conn_init_resume(e->mem, ktls_conn_size(),
						     cfg, &e->ticket);
	} else {
		e->ssl = SSL_new(e->server ? ossl_srv_ctx : ossl_cli_ctx);
		e->rbio = BIO_new(BIO_s_mem());
		e->wbio = BIO_new(BIO_s_mem());
		SSL_set_bio(e->ssl, e->rbio, e->wbio);
		SSL_set_app_data(e->ssl, e);
		if (e->server) {
			SSL_set_accept_state(e->ssl);
		} else {
			SSL_set_connect_state(e->ssl);
			SSL_set_tlsext_host_name(e->ssl, "bench.test");
			if (resume)
				SSL_set_session(e->ssl, e->sess);
		}
	}
	leave(e);
	if (e->impl == OURS ? !e->c : !e->ssl)
		die("cannot start a connection");
}

static void ours_events(struct ep *e)
{
	struct ktls_event ev;

	while (ktls_conn_next_event(e->c, &ev)) {
		if (ev.type == KTLS_EV_HANDSHAKE_DONE) {
			e->done = true;
			e->resumed = ev.u.done.resumed;
			e->group = ev.u.done.group;
		} else if (ev.type == KTLS_EV_TICKET) {
			e->ticket = *ev.u.ticket;
			e->got_ticket = true;
		}
	}
}

/* Give received bytes to the endpoint, let it work. */
static void ep_put(struct ep *e, const uint8_t *p, size_t len)
{
	enter(e);
	if (e->impl == OURS) {
		while (len) {
			size_t used = ktls_conn_feed(e->c, p, len);

			if (!used)
				break;
			p += used;
			len -= used;
		}
		ours_events(e);
	} else if (len) {
		BIO_write(e->rbio, p, (int)len);
	}
	leave(e);
	if (e->impl == OURS && (len || ktls_conn_error(e->c)))
		die("libktls refused the peer's bytes");
}

/* OpenSSL works when asked: run the handshake, then read (tickets). */
static void ep_step(struct ep *e)
{
	if (e->impl != OSSL)
		return;
	enter(e);
	if (!e->done) {
		int r = SSL_do_handshake(e->ssl);

		if (r == 1)
			e->done = true;
		else if (SSL_get_error(e->ssl, r) != SSL_ERROR_WANT_READ)
			die("OpenSSL handshake failed");
	}
	if (e->done && !e->server && !e->got_ticket) {
		uint8_t b[1];
		int r = SSL_read(e->ssl, b, sizeof(b));

		if (r <= 0 && SSL_get_error(e->ssl, r) != SSL_ERROR_WANT_READ)
			die("OpenSSL read failed");
	}
	leave(e);
}

static size_t ep_get(struct ep *e, uint8_t *buf, size_t cap)
{
	size_t n = 0;

	enter(e);
	if (e->impl == OURS) {
		const uint8_t *p;
		size_t len;

		while (n < cap && (p = ktls_conn_out(e->c, &len)) != NULL) {
			if (len > cap - n)
				len = cap - n;
			memcpy(buf + n, p, len);
			ktls_conn_out_ack(e->c, len);
			n += len;
		}
	} else {
		int r = BIO_read(e->wbio, buf, (int)cap);

		n = r > 0 ? (size_t)r : 0;
	}
	leave(e);
	return n;
}

static void ep_finish(struct ep *e)
{
	enter(e);
	if (e->impl == OURS) {
		ktls_conn_wipe(e->c);
		e->c = NULL;
	} else {
		/*
		 * No close_notify on either implementation; marking the
		 * connection shut down keeps OpenSSL from flagging its
		 * session not resumable on SSL_free().
		 */
		SSL_set_shutdown(e->ssl, SSL_SENT_SHUTDOWN |
				 SSL_RECEIVED_SHUTDOWN);
		SSL_free(e->ssl);
		e->ssl = NULL;
	}
	leave(e);
}

static bool ep_complete(const struct ep *e)
{
	return e->done && (e->server || e->got_ticket);
}

/* One handshake between client and server, checked. */
static void handshake(struct ep *cli, struct ep *srv, bool resume)
{
	static uint8_t buf[65536];
	int i;

	ep_start(srv, resume);
	ep_start(cli, resume);
	for (i = 0; i < 64; i++) {
		size_t n, moved = 0;

		ep_step(cli);
		while ((n = ep_get(cli, buf, sizeof(buf))) > 0) {
			ep_put(srv, buf, n);
			moved += n;
		}
		ep_step(srv);
		while ((n = ep_get(srv, buf, sizeof(buf))) > 0) {
			ep_put(cli, buf, n);
			moved += n;
		}
		if (!moved && ep_complete(cli) && ep_complete(srv))
			break;
	}
	if (!ep_complete(cli) || !ep_complete(srv))
		die("handshake did not complete");
	for (int k = 0; k < 2; k++) {
		struct ep *e = k ? srv : cli;

		if (e->impl == OURS) {
			if (e->group != group_id || e->resumed != resume)
				die("libktls: wrong group or resumption");
		} else {
			if (strcasecmp(SSL_get0_group_name(e->ssl), group_name) ||
			    SSL_session_reused(e->ssl) != resume)
				die("OpenSSL: wrong group or resumption");
		}
	}
	ep_finish(cli);
	ep_finish(srv);
}

/* ---- credentials and configurations ---- */

static EVP_PKEY *ca_key, *leaf_key;
static X509 *ca_cert, *leaf_cert;
static uint8_t leaf_der[2048];
static size_t leaf_der_len;
static uint8_t leaf_priv[KTLS_SIG_MAX_PRIV];
static size_t leaf_priv_len;

static X509 *make_cert(EVP_PKEY *key, const char *cn, X509 *issuer,
		       EVP_PKEY *issuer_key)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();

	X509_set_version(x, X509_VERSION_3);
	ASN1_INTEGER_set(X509_get_serialNumber(x), issuer ? 2 : 1);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, name);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) :
			     name);
	X509_NAME_free(name);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, key);
	if (!issuer) {
		X509V3_CTX v3;
		X509_EXTENSION *ext;

		X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
		ext = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints,
					  "critical,CA:TRUE");
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	if (!X509_sign(x, issuer_key ? issuer_key : key, EVP_sha256()))
		die("cannot sign a certificate");
	return x;
}

static void make_credentials(void)
{
	BIO *b = BIO_new(BIO_s_mem());
	unsigned char *p;
	char *pem;
	long pem_len;
	int n;

	ca_key = EVP_EC_gen("P-256");
	leaf_key = EVP_EC_gen("P-256");
	if (!ca_key || !leaf_key)
		die("cannot make keys");
	ca_cert = make_cert(ca_key, "ktlsd bench CA", NULL, NULL);
	leaf_cert = make_cert(leaf_key, "bench.test", ca_cert, ca_key);

	n = i2d_X509(leaf_cert, NULL);
	if (n <= 0 || (size_t)n > sizeof(leaf_der))
		die("leaf too large");
	p = leaf_der;
	leaf_der_len = (size_t)i2d_X509(leaf_cert, &p);

	n = i2d_PUBKEY(ca_key, NULL);
	if (n <= 0 || (size_t)n > sizeof(trust.spki))
		die("CA key too large");
	p = trust.spki;
	trust.spki_len = (size_t)i2d_PUBKEY(ca_key, &p);
	n = i2d_X509_NAME(X509_get_subject_name(ca_cert), NULL);
	if (n <= 0 || (size_t)n > sizeof(trust.subject))
		die("CA name too large");
	p = trust.subject;
	trust.subject_len =
		(size_t)i2d_X509_NAME(X509_get_subject_name(ca_cert), &p);

	/* the leaf key through libktls's own PEM loader */
	uint16_t schemes[KTLS_MAX_KEY_SCHEMES];
	unsigned int n_schemes;

	if (!PEM_write_bio_PrivateKey(b, leaf_key, NULL, NULL, 0, NULL, NULL))
		die("cannot write the key");
	pem_len = BIO_get_mem_data(b, &pem);
	if (ktls_wolf_pem_key((const uint8_t *)pem, (size_t)pem_len,
			      leaf_priv, sizeof(leaf_priv), &leaf_priv_len,
			      schemes, &n_schemes) || n_schemes != 1 ||
	    schemes[0] != KTLS_SIG_ECDSA_SECP256R1_SHA256)
		die("libktls cannot load the key");
	BIO_free(b);
}

static void setup_ours(void)
{
	struct ktls_config *s = &ours_srv_cfg, *c = &ours_cli_cfg;

	if (ktls_random(&ktls_provider_wolfcrypt, (uint8_t *)&tkey,
			sizeof(tkey)))
		die("no random");
	ktls_config_init(s, KTLS_ROLE_SERVER, &ktls_provider_wolfcrypt);
	ktls_config_init(c, KTLS_ROLE_CLIENT, &ktls_provider_wolfcrypt);
	for (int k = 0; k < 2; k++) {
		struct ktls_config *cfg = k ? c : s;

		cfg->suites[0] = KTLS_TLS_AES_128_GCM_SHA256;
		cfg->n_suites = 1;
		cfg->groups[0] = group_id;
		cfg->n_groups = 1;
	}
	s->chain_der[0] = leaf_der;
	s->chain_len[0] = leaf_der_len;
	s->chain_n = 1;
	s->key_scheme = KTLS_SIG_ECDSA_SECP256R1_SHA256;
	s->key = leaf_priv;
	s->key_len = leaf_priv_len;
	s->ticket_keys = &tkey;
	s->n_ticket_keys = 1;
	s->tickets_per_handshake = 1;
	c->server_name = "bench.test";
	c->verifier.verify = bench_verify;
	c->verifier.arg = &trust;
}

static SSL_CTX *ossl_ctx(bool server)
{
	SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method() :
				   TLS_client_method());

	if (!ctx || !SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256") ||
	    !SSL_CTX_set1_groups_list(ctx, group_name))
		die("OpenSSL context");
	if (server) {
		if (!SSL_CTX_use_certificate(ctx, leaf_cert) ||
		    !SSL_CTX_use_PrivateKey(ctx, leaf_key) ||
		    !SSL_CTX_set_num_tickets(ctx, 1))
			die("OpenSSL server identity");
		/* stateless tickets, like ours: no server-side cache */
		SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	} else {
		X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), ca_cert);
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
		SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT |
					       SSL_SESS_CACHE_NO_INTERNAL_STORE);
		SSL_CTX_sess_set_new_cb(ctx, new_session_cb);
	}
	return ctx;
}

/* ---- cells ---- */

struct result {
	long n;
	uint64_t cpu;
	long peak;		/* bytes, highest of any connection */
};

/*
 * Run handshakes with the measured side @m against @peer for about @secs
 * of wall time; accumulate into @r.
 */
static void run_slice(struct ep *m, struct ep *peer, bool resume,
		      double secs, struct result *r)
{
	struct ep *cli = m->server ? peer : m, *srv = m->server ? m : peer;
	double end = wall_s() + secs;

	m->cpu = 0;
	m->calls = 0;
	do {
		long base;

		cur_slot = 0;
		base = live[1];
		peak[1] = base;
		handshake(cli, srv, resume);
		if (peak[1] - base > r->peak)
			r->peak = peak[1] - base;
		r->n++;
	} while (wall_s() < end);
	r->cpu += m->cpu - m->calls * clock_cost;
}

static void *conn_mem(void)
{
	void *p = __libc_memalign(16, ktls_conn_size());

	if (!p)
		die("no memory");
	return p;
}

static double per_s(const struct result *r)
{
	return r->cpu ? (double)r->n * 1e9 / (double)r->cpu : 0;
}

static char details[8][200];
static int n_details;

static void cell(bool server, bool resume, double secs, const char *label)
{
	struct ep m[2], peer[2];
	struct result res[2] = { 0 };
	const int rounds = 4;

	/* one OpenSSL peer per measured side: each keeps its own tickets */
	memset(m, 0, sizeof(m));
	memset(peer, 0, sizeof(peer));
	for (int k = 0; k < 2; k++) {
		m[k].impl = k ? OSSL : OURS;
		m[k].server = server;
		m[k].measured = true;
		m[k].slot = 1;
		m[k].mem = m[k].impl == OURS ? conn_mem() : NULL;
		peer[k].impl = OSSL;
		peer[k].server = !server;
		peer[k].slot = 2;
	}

	/* warm-up, and the first tickets for a resumed row */
	for (int k = 0; k < 2; k++) {
		struct result warm = { 0 };

		run_slice(&m[k], &peer[k], false, 0.05, &warm);
	}
	for (int round = 0; round < rounds; round++)
		for (int k = 0; k < 2; k++) {
			int which = round & 1 ? 1 - k : k;

			run_slice(&m[which], &peer[which], resume,
				  secs / (2.0 * rounds), &res[which]);
		}

	double ours = per_s(&res[0]), ossl = per_s(&res[1]);
	long mem_ours = res[0].peak + (long)ktls_conn_size();

	printf("| %-22s | %-6s | %-7s | %9.0f | %9.0f | %5.2f | %8.1f | %8.1f | %5.2f |\n",
	       label, server ? "server" : "client", resume ? "resumed" : "full",
	       ours, ossl, ossl > 0 ? ours / ossl : 0,
	       (double)mem_ours / 1024.0, (double)res[1].peak / 1024.0,
	       res[1].peak ? (double)mem_ours / (double)res[1].peak : 0);
	snprintf(details[n_details++], sizeof(details[0]),
		"# %s %s %s: libktls %ld handshakes in %.3f s CPU "
		"(wolfCrypt heap peak %ld B), OpenSSL %ld in %.3f s CPU",
		label, server ? "server" : "client",
		resume ? "resumed" : "full", res[0].n,
		(double)res[0].cpu / 1e9, res[0].peak, res[1].n,
		(double)res[1].cpu / 1e9);
	fflush(stdout);

	for (int k = 0; k < 2; k++) {
		if (m[k].sess)
			SSL_SESSION_free(m[k].sess);
		if (peer[k].sess)
			SSL_SESSION_free(peer[k].sess);
		free(m[k].mem);
	}
	explicit_bzero(&m[0].ticket, sizeof(m[0].ticket));
}

int main(void)
{
	static const struct {
		const char *name;
		uint16_t id;
	} groups[] = {
		{ "X25519", KTLS_GROUP_X25519 },
		{ "X25519MLKEM768", KTLS_GROUP_X25519MLKEM768 },
	};
	const char *env = getenv("KTLSD_BENCH_SECONDS");
	double secs = env ? atof(env) : 6.0;

	if (secs <= 0)
		secs = 6.0;
	make_credentials();
	calibrate_clock();
	printf("# handshake_bench: in-memory TLS 1.3 handshakes, "
	       "TLS_AES_128_GCM_SHA256, ECDSA P-256 server certificate\n"
	       "# libktls (wolfCrypt) vs %s; each against an OpenSSL peer; "
	       "CPU time of the measured side only\n"
	       "# hs/s: handshakes per CPU-second; mem: peak heap per "
	       "in-flight handshake (libktls: ktls_conn_size() %zu B + "
	       "wolfCrypt heap)\n",
	       OpenSSL_version(OPENSSL_VERSION),
	       ktls_conn_size());
	printf("# thread CPU clock: %llu ns per read pair, subtracted per "
	       "timed call\n", (unsigned long long)clock_cost);
	printf("| %-22s | %-6s | %-7s | %9s | %9s | %5s | %8s | %8s | %5s |\n",
	       "group + signature", "role", "mode", "ours hs/s", "OpenSSL",
	       "ratio", "ours KiB", "OSSL KiB", "ratio");
	printf("|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", "------------------------",
	       "--------", "---------", "-----------", "-----------",
	       "-------", "----------", "----------", "-------");
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		char label[64];

		group_name = groups[g].name;
		group_id = groups[g].id;
		snprintf(label, sizeof(label), "%s + P-256", group_name);
		setup_ours();
		ossl_srv_ctx = ossl_ctx(true);
		ossl_cli_ctx = ossl_ctx(false);
		for (int role = 1; role >= 0; role--)
			for (int resume = 0; resume < 2; resume++)
				cell(role, resume, secs, label);
		SSL_CTX_free(ossl_srv_ctx);
		SSL_CTX_free(ossl_cli_ctx);
	}
	for (int i = 0; i < n_details; i++)
		printf("%s\n", details[i]);
	printf("# ratio: ours / OpenSSL (hs/s: > 1 means we are faster; "
	       "memory: > 1 means we use more)\n");
	explicit_bzero(leaf_priv, sizeof(leaf_priv));
	explicit_bzero(&tkey, sizeof(tkey));
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(leaf_key);
	X509_free(ca_cert);
	X509_free(leaf_cert);
	return 0;
}
