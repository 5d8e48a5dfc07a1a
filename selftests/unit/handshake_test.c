// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The engine against itself, in memory: every suite x every group, HRR,
 * mTLS, async signing and verification, KeyUpdate and application data;
 * both sides must derive the same traffic secrets.  Negative cases: a bad
 * Finished, a bad CertificateVerify signature, truncated, duplicated and
 * misordered messages, record-layer limits, each with the RFC's alert.
 */
#include <stdint.h>
#include <string.h>

#include "conn.h"
#include "engine_harness.h"
#include "ktls_cipher.h"
#include "tap.h"

static const struct ktls_crypto_provider *cp = &ktls_provider_wolfcrypt;

struct pair {
	struct ktls_config ccfg, scfg;
	struct ident sid, cid;
	struct ktls_conn *c, *s;
	void *cm, *sm;
	struct side_keys ck, sk;
};

static void pair_setup(struct pair *p, uint16_t scheme)
{
	memset(p, 0, sizeof(*p));
	ktls_config_init(&p->ccfg, KTLS_ROLE_CLIENT, cp);
	ktls_config_init(&p->scfg, KTLS_ROLE_SERVER, cp);
	ident_make(cp, &p->sid, scheme);
	cfg_ident(&p->scfg, &p->sid);
	p->ccfg.verifier.verify = accept_verify;
	p->scfg.verifier.verify = accept_verify;
	p->ccfg.server_name = "server.test";
	verify_answer = 0;
	p->cm = conn_mem();
	p->sm = conn_mem();
}

static int pair_start(struct pair *p)
{
	p->c = ktls_conn_init(p->cm, KTLS_CONN_SIZE, &p->ccfg);
	p->s = ktls_conn_init(p->sm, KTLS_CONN_SIZE, &p->scfg);
	return p->c && p->s ? 0 : -1;
}

static void pair_free(struct pair *p)
{
	if (p->c)
		ktls_conn_wipe(p->c);
	if (p->s)
		ktls_conn_wipe(p->s);
	free(p->cm);
	free(p->sm);
}

/* Client TX == server RX and vice versa, for handshake and app stages. */
static int same_secrets(const struct pair *p)
{
	size_t n = p->ck.secret_len;

	if (!n || n != p->sk.secret_len)
		return 0;
	for (int s = 0; s < 2; s++) {
		if (memcmp(p->ck.secret[KTLS_DIR_TX][s],
			   p->sk.secret[KTLS_DIR_RX][s], n) ||
		    memcmp(p->ck.secret[KTLS_DIR_RX][s],
			   p->sk.secret[KTLS_DIR_TX][s], n))
			return 0;
	}
	return 1;
}

static int echo(struct pair *p, const char *msg)
{
	uint8_t buf[256];
	size_t n;

	if (ktls_conn_send(p->c, (const uint8_t *)msg, strlen(msg)) !=
	    (long)strlen(msg))
		return 0;
	xfer(p->c, p->s);
	n = ktls_conn_recv(p->s, buf, sizeof(buf));
	if (n != strlen(msg) || memcmp(buf, msg, n))
		return 0;
	if (ktls_conn_send(p->s, buf, n) != (long)n)
		return 0;
	xfer(p->s, p->c);
	memset(buf, 0, sizeof(buf));
	n = ktls_conn_recv(p->c, buf, sizeof(buf));
	return n == strlen(msg) && !memcmp(buf, msg, n);
}

TAP_TEST(every_suite_and_group)
{
	static const uint16_t suites[] = { 0x1301, 0x1302, 0x1303, 0x1304 };
	static const uint16_t groups[] = {
		KTLS_GROUP_X25519MLKEM768, KTLS_GROUP_X25519,
		KTLS_GROUP_SECP256R1, KTLS_GROUP_SECP384R1,
	};

	for (unsigned int i = 0; i < 4; i++) {
		for (unsigned int j = 0; j < 4; j++) {
			struct pair p;

			pair_setup(&p, KTLS_SIG_ECDSA_SECP256R1_SHA256);
			p.ccfg.suites[0] = suites[i];
			p.ccfg.n_suites = 1;
			p.ccfg.groups[0] = groups[j];
			p.ccfg.n_groups = 1;
			TAP_CHECK_EQ(pair_start(&p), 0);
			if (!p.c || !p.s) {
				pair_free(&p);
				continue;
			}
			pump(p.c, p.s, &p.ck, &p.sk);
			if (ktls_conn_error(p.s) || ktls_conn_error(p.c)) {
				const char *ws, *wc;
				int as = ktls_conn_alert(p.s, &ws);
				int ac = ktls_conn_alert(p.c, &wc);

				printf("# server alert %d (%s), client alert "
				       "%d (%s)\n", as, ws, ac, wc);
			}
			TAP_CHECK_EQ(ktls_conn_error(p.c), 0);
			TAP_CHECK_EQ(ktls_conn_error(p.s), 0);
			TAP_CHECK_EQ(p.ck.done, 1);
			TAP_CHECK_EQ(p.sk.done, 1);
			TAP_CHECK(same_secrets(&p));
			TAP_CHECK_EQ(p.ck.done_ev.u.done.suite, suites[i]);
			TAP_CHECK_EQ(p.sk.done_ev.u.done.group, groups[j]);
			TAP_CHECK_EQ(p.ck.done_ev.u.done.hrr, 0);
			TAP_CHECK(echo(&p, "hello over TLS 1.3"));
			pair_free(&p);
		}
	}
}

TAP_TEST(signature_schemes)
{
	static const uint16_t schemes[] = {
		KTLS_SIG_ECDSA_SECP256R1_SHA256, KTLS_SIG_ECDSA_SECP384R1_SHA384,
		KTLS_SIG_ED25519, KTLS_SIG_RSA_PSS_RSAE_SHA256,
	};

	for (unsigned int i = 0; i < 4; i++) {
		struct pair p;

		pair_setup(&p, schemes[i]);
		TAP_CHECK_EQ(pair_start(&p), 0);
		pump(p.c, p.s, &p.ck, &p.sk);
		TAP_CHECK_EQ(p.ck.done, 1);
		TAP_CHECK_EQ(p.ck.done_ev.u.done.sig_scheme, schemes[i]);
		TAP_CHECK(same_secrets(&p));
		pair_free(&p);
	}
}

TAP_TEST(hello_retry_request)
{
	struct pair p;

	pair_setup(&p, KTLS_SIG_ED25519);
	/* client's share is x25519; the server prefers P-256 */
	p.ccfg.groups[0] = KTLS_GROUP_X25519;
	p.ccfg.groups[1] = KTLS_GROUP_SECP256R1;
	p.ccfg.n_groups = 2;
	p.scfg.groups[0] = KTLS_GROUP_SECP256R1;
	p.scfg.groups[1] = KTLS_GROUP_X25519;
	p.scfg.n_groups = 2;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(p.sk.done, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.hrr, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.group, KTLS_GROUP_SECP256R1);
	TAP_CHECK(same_secrets(&p));
	TAP_CHECK(echo(&p, "after HRR"));
	pair_free(&p);
}

TAP_TEST(alpn_and_sni)
{
	struct pair p;

	pair_setup(&p, KTLS_SIG_ED25519);
	p.ccfg.alpn[0] = "h2";
	p.ccfg.alpn[1] = "http/1.1";
	p.ccfg.n_alpn = 2;
	p.scfg.alpn[0] = "http/1.1";
	p.scfg.n_alpn = 1;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.alpn_len, 8);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.sni_len, 11);
	pair_free(&p);

	/* no protocol in common: no_application_protocol (RFC 7301) */
	pair_setup(&p, KTLS_SIG_ED25519);
	p.ccfg.alpn[0] = "h2";
	p.ccfg.n_alpn = 1;
	p.scfg.alpn[0] = "imap";
	p.scfg.n_alpn = 1;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.sk.alert_sent, 120);
	TAP_CHECK_EQ(p.ck.alert_recv, 120);
	TAP_CHECK(ktls_conn_error(p.c) != 0);
	pair_free(&p);
}

TAP_TEST(mutual_tls)
{
	struct pair p;

	pair_setup(&p, KTLS_SIG_ECDSA_SECP256R1_SHA256);
	ident_make(cp, &p.cid, KTLS_SIG_ED25519);
	cfg_ident(&p.ccfg, &p.cid);
	p.scfg.request_client_cert = true;
	p.scfg.require_client_cert = true;
	verify_calls = 0;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.sk.done, 1);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.client_authenticated, 1);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.sig_scheme, KTLS_SIG_ED25519);
	TAP_CHECK_EQ(verify_calls, 2);
	TAP_CHECK(same_secrets(&p));
	pair_free(&p);

	/* required but the client has none: certificate_required */
	pair_setup(&p, KTLS_SIG_ECDSA_SECP256R1_SHA256);
	p.scfg.request_client_cert = true;
	p.scfg.require_client_cert = true;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.sk.alert_sent, 116);
	TAP_CHECK_EQ(p.sk.done, 0);
	pair_free(&p);

	/* optional and none: the handshake completes, unauthenticated */
	pair_setup(&p, KTLS_SIG_ECDSA_SECP256R1_SHA256);
	p.scfg.request_client_cert = true;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.sk.done, 1);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.client_authenticated, 0);
	pair_free(&p);
}

/* An external signer that defers: the test signs what it was given. */
static uint8_t async_msg[256];
static size_t async_len;

static int async_sign(void *arg, uint16_t scheme, const uint8_t *msg,
		      size_t msg_len, uint8_t *sig, size_t cap,
		      size_t *sig_len)
{
	(void)arg;
	(void)scheme;
	(void)sig;
	(void)cap;
	(void)sig_len;
	if (msg_len > sizeof(async_msg))
		return KTLS_ERR_BUFFER;
	memcpy(async_msg, msg, msg_len);
	async_len = msg_len;
	return KTLS_SIGN_PENDING;
}

TAP_TEST(async_sign_and_verify)
{
	uint8_t sig[KTLS_SIG_MAX_LEN];
	size_t sig_len;
	struct pair p;

	/* the server's key is "remote": signed later, then verified later */
	pair_setup(&p, KTLS_SIG_ED25519);
	p.scfg.key = NULL;
	p.scfg.signer.sign = async_sign;
	verify_answer = KTLS_VERIFY_PENDING;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.sk.pending_sign, 1);
	TAP_CHECK_EQ(p.ck.done, 0);
	TAP_CHECK_EQ(ktls_sig_sign(cp, KTLS_SIG_ED25519, p.sid.priv,
				   p.sid.priv_len, async_msg, async_len, sig,
				   sizeof(sig), &sig_len), 0);
	TAP_CHECK_EQ(ktls_conn_sign_done(p.s, 0, sig, sig_len), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.pending_verify, 1);
	TAP_CHECK_EQ(p.ck.done, 0);
	TAP_CHECK_EQ(ktls_conn_verify_done(p.c, 0), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(p.sk.done, 1);
	TAP_CHECK(same_secrets(&p));
	TAP_CHECK(echo(&p, "async"));
	pair_free(&p);

	/* signed over the wrong content: the client sends decrypt_error */
	pair_setup(&p, KTLS_SIG_ED25519);
	p.scfg.key = NULL;
	p.scfg.signer.sign = async_sign;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(ktls_sig_sign(cp, KTLS_SIG_ED25519, p.sid.priv,
				   p.sid.priv_len, async_msg, 10, sig,
				   sizeof(sig), &sig_len), 0);
	TAP_CHECK_EQ(ktls_conn_sign_done(p.s, 0, sig, sig_len), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.alert_sent, 51);
	TAP_CHECK_EQ(p.ck.done, 0);
	pair_free(&p);

	/* a verifier that says unknown_ca after pending */
	pair_setup(&p, KTLS_SIG_ED25519);
	verify_answer = KTLS_VERIFY_PENDING;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.pending_verify, 1);
	TAP_CHECK_EQ(ktls_conn_verify_done(p.c, 48), KTLS_ERR_INVALID);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.alert_sent, 48);
	TAP_CHECK_EQ(p.sk.alert_recv, 48);
	pair_free(&p);
}

TAP_TEST(exporter)
{
	uint8_t a[32], b[32], n[32];
	struct pair p;

	pair_setup(&p, KTLS_SIG_ED25519);
	p.ccfg.suites[0] = KTLS_TLS_AES_256_GCM_SHA384;
	p.ccfg.n_suites = 1;
	TAP_CHECK_EQ(pair_start(&p), 0);
	TAP_CHECK_EQ(ktls_conn_export(p.c, "EXPORTER-test", NULL, 0, a, 32),
		     KTLS_ERR_STATE);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(ktls_conn_export(p.c, "EXPORTER-test",
				      (const uint8_t *)"ctx", 3, a, 32), 0);
	TAP_CHECK_EQ(ktls_conn_export(p.s, "EXPORTER-test",
				      (const uint8_t *)"ctx", 3, b, 32), 0);
	TAP_CHECK_MEM(a, b, 32);
	TAP_CHECK_EQ(ktls_conn_export(p.s, "EXPORTER-test", NULL, 0, n, 32),
		     0);
	TAP_CHECK(memcmp(a, n, 32));
	pair_free(&p);
}

TAP_TEST(key_update)
{
	struct pair p;

	pair_setup(&p, KTLS_SIG_ED25519);
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(ktls_conn_key_update(p.c, true), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	/* both directions at generation 1, equal on both sides */
	TAP_CHECK_MEM(p.ck.secret[KTLS_DIR_TX][2], p.sk.secret[KTLS_DIR_RX][2],
		      p.ck.secret_len);
	TAP_CHECK_MEM(p.sk.secret[KTLS_DIR_TX][2], p.ck.secret[KTLS_DIR_RX][2],
		      p.ck.secret_len);
	TAP_CHECK(memcmp(p.ck.secret[KTLS_DIR_TX][2],
			 p.ck.secret[KTLS_DIR_TX][1], p.ck.secret_len));
	TAP_CHECK(echo(&p, "after KeyUpdate"));
	TAP_CHECK_EQ(ktls_conn_close(p.c), 0);
	xfer(p.c, p.s);
	TAP_CHECK(ktls_conn_closed(p.s));
	pair_free(&p);
}

/* A KEYS event is what setsockopt(TLS_TX/TLS_RX) needs, per suite. */
TAP_TEST(keys_event_fills_ktls_crypto_info)
{
	static const uint16_t suites[] = { 0x1301, 0x1302, 0x1303, 0x1304 };

	for (unsigned int i = 0; i < 4; i++) {
		uint8_t info[KTLS_MAX_INFO_LEN];
		const struct ktls_cipher *kc;
		struct ktls_event ev;
		struct pair p;
		int seen = 0;

		pair_setup(&p, KTLS_SIG_ED25519);
		p.ccfg.suites[0] = suites[i];
		p.ccfg.n_suites = 1;
		TAP_CHECK_EQ(pair_start(&p), 0);
		for (int k = 0; k < 6; k++) {
			xfer(p.c, p.s);
			xfer(p.s, p.c);
			while (ktls_conn_next_event(p.c, &ev)) {
				if (ev.type != KTLS_EV_KEYS ||
				    ev.u.keys.stage != KTLS_KEYS_APPLICATION)
					continue;
				kc = ktls_cipher_by_suite(ev.u.keys.suite);
				TAP_CHECK(kc != NULL);
				if (!kc)
					continue;
				TAP_CHECK_EQ(ev.u.keys.key_len, kc->key_len);
				TAP_CHECK_EQ(ktls_cipher_fill(kc, info,
							      ev.u.keys.key,
							      ev.u.keys.iv,
							      ev.u.keys.seq),
					     kc->info_len);
				TAP_CHECK_MEM(info + kc->off_key, ev.u.keys.key,
					      kc->key_len);
				TAP_CHECK_MEM(info + kc->off_salt, ev.u.keys.iv,
					      kc->salt_len);
				TAP_CHECK_EQ(ev.u.keys.seq, 0);
				seen++;
			}
			drain_events(p.s, &p.sk);
		}
		TAP_CHECK_EQ(seen, 2);	/* application TX and RX */
		pair_free(&p);
	}
}

/* Tickets: issue, store, resume once (psk_dhe_ke), rotate keys. */
static const struct ktls_ticket_key tkeys[2] = {
	{ .id = { 1, 2, 3, 4 }, .key = { 0x11 } },
	{ .id = { 9, 9, 9, 9 }, .key = { 0x22 } },
};

/* the ticket store's clock in these tests: tickets are received and used
 * at once, unless a test moves it */
#define TEST_NOW_MS	1000000ull

static void collect_tickets(struct ktls_conn *c, struct side_keys *k,
			    struct ktls_ticket_store *st)
{
	struct ktls_event ev;

	while (ktls_conn_next_event(c, &ev)) {
		if (ev.type == KTLS_EV_TICKET)
			ktls_ticket_store_put(st, ev.u.ticket, TEST_NOW_MS);
		else if (ev.type == KTLS_EV_HANDSHAKE_DONE)
			k->done_ev = ev, k->done++;
		else if (ev.type == KTLS_EV_ALERT_SENT)
			k->alert_sent = ev.u.alert.alert;
	}
}

static void resume_pair(struct pair *p, const struct ktls_ticket *t)
{
	p->c = ktls_conn_init_resume(p->cm, KTLS_CONN_SIZE, &p->ccfg, t);
	p->s = ktls_conn_init(p->sm, KTLS_CONN_SIZE, &p->scfg);
}

/* A full handshake whose server issues two tickets, kept in @st. */
static int ticket_handshake(struct pair *p, struct ktls_ticket_store *st)
{
	pair_setup(p, KTLS_SIG_ECDSA_SECP256R1_SHA256);
	p->scfg.ticket_keys = tkeys;
	p->scfg.n_ticket_keys = 1;
	p->scfg.tickets_per_handshake = 2;
	if (pair_start(p))
		return -1;
	for (int i = 0; i < 5; i++) {
		xfer(p->c, p->s);
		xfer(p->s, p->c);
		collect_tickets(p->c, &p->ck, st);
	}
	return 0;
}

TAP_TEST(tickets_and_resumption)
{
	struct ktls_ticket_store st = { 0 };
	struct ktls_ticket t;
	struct pair p;

	TAP_CHECK_EQ(ticket_handshake(&p, &st), 0);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(st.n, 2);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.resumed, 0);
	ktls_conn_wipe(p.c);
	ktls_conn_wipe(p.s);

	/* resume with one ticket: no certificate, resumed, same secrets */
	verify_calls = 0;
	TAP_CHECK_EQ(ktls_ticket_store_take(&st, TEST_NOW_MS, &t), 0);
	memset(&p.ck, 0, sizeof(p.ck));
	memset(&p.sk, 0, sizeof(p.sk));
	resume_pair(&p, &t);
	TAP_CHECK(p.c && p.s);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(p.sk.done, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.resumed, 1);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.resumed, 1);
	TAP_CHECK_EQ(verify_calls, 0);
	TAP_CHECK(same_secrets(&p));
	TAP_CHECK(echo(&p, "resumed"));
	ktls_conn_wipe(p.c);
	ktls_conn_wipe(p.s);

	/* rotated: the old key second still opens; HRR with a PSK */
	p.scfg.ticket_keys = &tkeys[0];
	p.scfg.n_ticket_keys = 2;
	p.ccfg.groups[0] = KTLS_GROUP_X25519;
	p.ccfg.groups[1] = KTLS_GROUP_SECP256R1;
	p.ccfg.n_groups = 2;
	p.scfg.groups[0] = KTLS_GROUP_SECP256R1;
	p.scfg.n_groups = 1;
	TAP_CHECK_EQ(ktls_ticket_store_take(&st, TEST_NOW_MS, &t), 0);
	memset(&p.ck, 0, sizeof(p.ck));
	memset(&p.sk, 0, sizeof(p.sk));
	resume_pair(&p, &t);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.resumed, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.hrr, 1);
	TAP_CHECK(same_secrets(&p));
	ktls_conn_wipe(p.c);
	ktls_conn_wipe(p.s);

	/* a ticket is handed out once */
	TAP_CHECK_EQ(ktls_ticket_store_take(&st, TEST_NOW_MS, &t), -1);

	/* unknown ticket key: a full handshake instead */
	p.scfg.ticket_keys = &tkeys[1];
	p.scfg.n_ticket_keys = 1;
	p.scfg.groups[1] = KTLS_GROUP_X25519;
	p.scfg.n_groups = 2;
	memset(&p.ck, 0, sizeof(p.ck));
	memset(&p.sk, 0, sizeof(p.sk));
	resume_pair(&p, &t);	/* t: the last one taken, key 1 */
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.resumed, 0);
	ktls_conn_wipe(p.c);
	ktls_conn_wipe(p.s);

	/* a server that requires client certificates issues no tickets */
	{
		struct pair q;
		struct ktls_ticket_store st2 = { 0 };

		pair_setup(&q, KTLS_SIG_ED25519);
		ident_make(cp, &q.cid, KTLS_SIG_ED25519);
		cfg_ident(&q.ccfg, &q.cid);
		q.scfg.request_client_cert = q.scfg.require_client_cert = true;
		q.scfg.ticket_keys = tkeys;
		q.scfg.n_ticket_keys = 1;
		TAP_CHECK_EQ(pair_start(&q), 0);
		for (int i = 0; i < 5; i++) {
			xfer(q.c, q.s);
			xfer(q.s, q.c);
			collect_tickets(q.c, &q.ck, &st2);
		}
		TAP_CHECK_EQ(q.ck.done, 1);
		TAP_CHECK_EQ(st2.n, 0);
		pair_free(&q);
	}

	/* wrong PSK on the client: the binder fails, decrypt_error */
	p.scfg.ticket_keys = &tkeys[0];
	t.psk[0] ^= 1;
	memset(&p.ck, 0, sizeof(p.ck));
	memset(&p.sk, 0, sizeof(p.sk));
	resume_pair(&p, &t);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.sk.alert_sent, 51);
	TAP_CHECK_EQ(p.ck.done, 0);
	p.c = p.s = NULL;
	pair_free(&p);
}

TAP_TEST(external_psk)
{
	static const uint8_t id[] = "client-1", key[32] = { 7, 7, 7 };
	struct pair p;

	pair_setup(&p, KTLS_SIG_ED25519);
	p.ccfg.psk_identity = p.scfg.psk_identity = id;
	p.ccfg.psk_identity_len = p.scfg.psk_identity_len = sizeof(id) - 1;
	p.ccfg.psk = p.scfg.psk = key;
	p.ccfg.psk_len = p.scfg.psk_len = sizeof(key);
	p.ccfg.psk_suite = p.scfg.psk_suite = KTLS_TLS_AES_256_GCM_SHA384;
	verify_calls = 0;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	{
		const char *ws = NULL, *wc = NULL;
		int as = ktls_conn_alert(p.s, &ws), ac = ktls_conn_alert(p.c, &wc);

		if (as || ac)
			printf("# server alert %d (%s), client %d (%s)\n", as,
			       ws, ac, wc);
	}
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(p.sk.done, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.external_psk, 1);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.external_psk, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.suite, KTLS_TLS_AES_256_GCM_SHA384);
	TAP_CHECK_EQ(verify_calls, 0);
	TAP_CHECK(same_secrets(&p));
	TAP_CHECK(echo(&p, "external psk"));
	pair_free(&p);

	/* different keys under one identity: the binder fails */
	pair_setup(&p, KTLS_SIG_ED25519);
	p.ccfg.psk_identity = p.scfg.psk_identity = id;
	p.ccfg.psk_identity_len = p.scfg.psk_identity_len = sizeof(id) - 1;
	p.ccfg.psk = key;
	p.scfg.psk = key + 1;
	p.ccfg.psk_len = p.scfg.psk_len = 16;
	p.ccfg.psk_suite = p.scfg.psk_suite = KTLS_TLS_AES_128_GCM_SHA256;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.sk.alert_sent, 51);
	TAP_CHECK_EQ(p.ck.done, 0);
	pair_free(&p);

	/* the server does not know the identity: full handshake */
	pair_setup(&p, KTLS_SIG_ED25519);
	p.ccfg.psk_identity = id;
	p.ccfg.psk_identity_len = sizeof(id) - 1;
	p.ccfg.psk = key;
	p.ccfg.psk_len = 32;
	p.ccfg.psk_suite = KTLS_TLS_AES_128_GCM_SHA256;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.external_psk, 0);
	TAP_CHECK(same_secrets(&p));
	pair_free(&p);
}

/* ---- negative cases ---- */

/* A provider that lies: HMAC (Finished) or signatures come out wrong. */
static struct ktls_crypto_provider bad_cp;
static int corrupt_hmac, corrupt_sig, hmac_calls;

static int bad_hmac(enum ktls_hash_alg alg, const uint8_t *key,
		    size_t key_len, const uint8_t *data, size_t len,
		    uint8_t *out)
{
	int ret = ktls_provider_wolfcrypt.hmac(alg, key, key_len, data, len,
					       out);

	if (corrupt_hmac && ++hmac_calls == corrupt_hmac)
		out[0] ^= 1;
	return ret;
}

static int bad_sign(uint16_t scheme, const uint8_t *priv, size_t priv_len,
		    const uint8_t *msg, size_t msg_len, uint8_t *sig,
		    size_t cap, size_t *sig_len)
{
	int ret = ktls_provider_wolfcrypt.sig_sign(scheme, priv, priv_len, msg,
						   msg_len, sig, cap, sig_len);

	if (corrupt_sig && !ret)
		sig[*sig_len / 2] ^= 0x10;
	return ret;
}

TAP_TEST(bad_finished_and_signature)
{
	struct pair p;

	bad_cp = ktls_provider_wolfcrypt;
	bad_cp.hmac = bad_hmac;
	bad_cp.sig_sign = bad_sign;

	/* the server's Finished is wrong: client sends decrypt_error */
	pair_setup(&p, KTLS_SIG_ED25519);
	p.scfg.cp = &bad_cp;
	hmac_calls = 0;
	corrupt_hmac = 1;	/* the server's own Finished */
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	corrupt_hmac = 0;
	TAP_CHECK_EQ(p.ck.alert_sent, 51);
	TAP_CHECK_EQ(p.sk.alert_recv, 51);
	TAP_CHECK_EQ(ktls_conn_error(p.c), KTLS_ERR_DECRYPT);
	TAP_CHECK_EQ(p.ck.done, 0);
	pair_free(&p);

	/* the client's Finished is wrong: server sends decrypt_error */
	pair_setup(&p, KTLS_SIG_ED25519);
	p.ccfg.cp = &bad_cp;
	hmac_calls = 0;
	corrupt_hmac = 2;	/* after checking the server's: its own */
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	corrupt_hmac = 0;
	TAP_CHECK_EQ(p.sk.alert_sent, 51);
	TAP_CHECK_EQ(p.ck.alert_recv, 51);
	TAP_CHECK_EQ(p.sk.done, 0);
	pair_free(&p);

	/* CertificateVerify signature wrong: decrypt_error (§4.4.3) */
	for (int k = 0; k < 2; k++) {
		pair_setup(&p, k ? KTLS_SIG_ECDSA_SECP256R1_SHA256 :
			   KTLS_SIG_ED25519);
		p.scfg.cp = &bad_cp;
		corrupt_sig = 1;
		TAP_CHECK_EQ(pair_start(&p), 0);
		pump(p.c, p.s, &p.ck, &p.sk);
		corrupt_sig = 0;
		TAP_CHECK_EQ(p.ck.alert_sent, 51);
		TAP_CHECK_EQ(p.sk.alert_recv, 51);
		TAP_CHECK_EQ(p.ck.done, 0);
		pair_free(&p);
	}
}

/* Feed a plaintext handshake record made of @msg to @c. */
static void feed_hs_record(struct ktls_conn *c, const uint8_t *msg,
			   size_t len)
{
	uint8_t rec[8192];

	rec[0] = 22;
	rec[1] = 3;
	rec[2] = 3;
	rec[3] = (uint8_t)(len >> 8);
	rec[4] = (uint8_t)len;
	memcpy(rec + 5, msg, len);
	ktls_conn_feed(c, rec, len + 5);
}

/* The client's first record (its ClientHello) as a handshake message. */
static size_t take_first_msg(struct ktls_conn *c, uint8_t *out)
{
	size_t len, n;
	const uint8_t *p = ktls_conn_out(c, &len);

	n = (size_t)p[3] << 8 | p[4];
	memcpy(out, p + 5, n);
	ktls_conn_out_ack(c, 5 + n);
	return n;
}

TAP_TEST(truncated_duplicated_reordered)
{
	static const uint8_t fin[] = { 20, 0, 0, 32, 0 };
	uint8_t ch[4096], two[8192];
	struct pair p;
	size_t n;

	/* truncated ClientHello (length fields agree, body cut): decode */
	pair_setup(&p, KTLS_SIG_ED25519);
	TAP_CHECK_EQ(pair_start(&p), 0);
	n = take_first_msg(p.c, ch);
	{
		size_t l = ((size_t)ch[1] << 16 | ch[2] << 8 | ch[3]) - 6;

		ch[1] = (uint8_t)(l >> 16);
		ch[2] = (uint8_t)(l >> 8);
		ch[3] = (uint8_t)l;
	}
	feed_hs_record(p.s, ch, n - 6);
	drain_events(p.s, &p.sk);
	TAP_CHECK_EQ(p.sk.alert_sent, 50);
	pair_free(&p);

	/* duplicated ClientHello in one record: data across a key change */
	pair_setup(&p, KTLS_SIG_ED25519);
	TAP_CHECK_EQ(pair_start(&p), 0);
	n = take_first_msg(p.c, ch);
	memcpy(two, ch, n);
	memcpy(two + n, ch, n);
	feed_hs_record(p.s, two, 2 * n);
	drain_events(p.s, &p.sk);
	TAP_CHECK_EQ(p.sk.alert_sent, 10);
	pair_free(&p);

	/* Finished before ClientHello: unexpected_message, before parsing */
	pair_setup(&p, KTLS_SIG_ED25519);
	TAP_CHECK_EQ(pair_start(&p), 0);
	feed_hs_record(p.s, fin, sizeof(fin));
	drain_events(p.s, &p.sk);
	TAP_CHECK_EQ(p.sk.alert_sent, 10);
	pair_free(&p);

	/* the client gets a ClientHello where a ServerHello belongs */
	pair_setup(&p, KTLS_SIG_ED25519);
	TAP_CHECK_EQ(pair_start(&p), 0);
	n = take_first_msg(p.c, ch);
	feed_hs_record(p.c, ch, n);
	drain_events(p.c, &p.ck);
	TAP_CHECK_EQ(p.ck.alert_sent, 10);
	pair_free(&p);

	/* the server's first flight replayed: plaintext after keys */
	pair_setup(&p, KTLS_SIG_ED25519);
	TAP_CHECK_EQ(pair_start(&p), 0);
	xfer(p.c, p.s);
	{
		size_t len;
		const uint8_t *o = ktls_conn_out(p.s, &len);
		size_t sh = 5 + ((size_t)o[3] << 8 | o[4]);

		memcpy(two, o, sh);
		ktls_conn_feed(p.c, two, sh);
		ktls_conn_feed(p.c, two, sh);
	}
	drain_events(p.c, &p.ck);
	TAP_CHECK_EQ(p.ck.alert_sent, 10);
	pair_free(&p);
}

TAP_TEST(record_layer_limits)
{
	static const uint8_t big[5] = { 22, 3, 3, 0x41, 0x01 }; /* 2^14+257 */
	static const uint8_t app[6] = { 23, 3, 3, 0, 1, 0 };
	struct pair p;

	pair_setup(&p, KTLS_SIG_ED25519);
	TAP_CHECK_EQ(pair_start(&p), 0);
	ktls_conn_feed(p.s, big, sizeof(big));
	drain_events(p.s, &p.sk);
	TAP_CHECK_EQ(p.sk.alert_sent, 22);
	pair_free(&p);

	pair_setup(&p, KTLS_SIG_ED25519);
	TAP_CHECK_EQ(pair_start(&p), 0);
	ktls_conn_feed(p.s, app, sizeof(app));
	drain_events(p.s, &p.sk);
	TAP_CHECK_EQ(p.sk.alert_sent, 10);
	pair_free(&p);

	/* a tampered protected record: bad_record_mac */
	pair_setup(&p, KTLS_SIG_ED25519);
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(ktls_conn_send(p.c, (const uint8_t *)"x", 1), 1);
	{
		size_t len;
		uint8_t *o = (uint8_t *)ktls_conn_out(p.c, &len);

		o[len - 1] ^= 1;
	}
	xfer(p.c, p.s);
	drain_events(p.s, &p.sk);
	TAP_CHECK_EQ(p.sk.alert_sent, 20);
	pair_free(&p);
}

/* ---- RFC 8449 record_size_limit ---- */

/* The largest protected record (outer type 23) queued in @c's output. */
static size_t max_protected_record(struct ktls_conn *c)
{
	size_t len, off = 0, max = 0;
	const uint8_t *o = ktls_conn_out(c, &len);

	while (o && off + 5 <= len) {
		size_t rl = (size_t)o[off + 3] << 8 | o[off + 4];

		if (o[off] == 23 && rl > max)
			max = rl;
		off += 5 + rl;
	}
	return max;
}

/* Send @n patterned bytes from @a; @b must receive exactly them. */
static int carry(struct ktls_conn *a, struct ktls_conn *b, size_t n,
		 size_t *max_rec)
{
	static uint8_t out[8192], in[8192];
	size_t got = 0;

	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)(i * 7 + 3);
	if (n > sizeof(out) || ktls_conn_send(a, out, n) != (long)n)
		return 0;
	*max_rec = max_protected_record(a);
	for (int i = 0; i < 1000 && got < n; i++) {
		xfer(a, b);
		got += ktls_conn_recv(b, in + got, sizeof(in) - got);
	}
	return got == n && !memcmp(in, out, n);
}

/*
 * Both sides limit: each honours the other's limit from its first
 * protected record on (the server's whole flight under the client's 64),
 * each reports the peer's, application data arrives whole.
 */
TAP_TEST(record_size_limit_negotiated)
{
	struct pair p;
	size_t max;

	pair_setup(&p, KTLS_SIG_ECDSA_SECP256R1_SHA256);
	p.ccfg.record_size_limit = 64;	/* the smallest allowed */
	p.scfg.record_size_limit = 1000;
	TAP_CHECK_EQ(pair_start(&p), 0);
	xfer(p.c, p.s);			/* the ClientHello */
	drain_events(p.s, &p.sk);
	max = max_protected_record(p.s);
	TAP_CHECK(max > 0 && max <= 64 + 16);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(p.sk.done, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.peer_record_size_limit, 1000);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.max_tx_payload, 999);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.peer_record_size_limit, 64);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.max_tx_payload, 63);
	TAP_CHECK(same_secrets(&p));
	/* 63 bytes + type + tag; 999 + type + tag */
	TAP_CHECK(carry(p.s, p.c, 3000, &max));
	TAP_CHECK_EQ(max, 64 + 16);
	TAP_CHECK(carry(p.c, p.s, 3000, &max));
	TAP_CHECK_EQ(max, 1000 + 16);
	TAP_CHECK(!ktls_conn_error(p.c) && !ktls_conn_error(p.s));
	pair_free(&p);

	/* after a HelloRetryRequest: the second ClientHello's limit holds */
	pair_setup(&p, KTLS_SIG_ED25519);
	p.ccfg.groups[0] = KTLS_GROUP_X25519;
	p.ccfg.groups[1] = KTLS_GROUP_SECP256R1;
	p.ccfg.n_groups = 2;
	p.scfg.groups[0] = KTLS_GROUP_SECP256R1;
	p.scfg.n_groups = 1;
	p.ccfg.record_size_limit = 300;
	p.scfg.record_size_limit = 16385;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.hrr, 1);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.peer_record_size_limit, 300);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.peer_record_size_limit, 16385);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.max_tx_payload, 16384);
	TAP_CHECK(carry(p.s, p.c, 1000, &max));
	TAP_CHECK_EQ(max, 300 + 16);
	pair_free(&p);
}

/* A server without a limit of its own: honours the client's, says nothing. */
TAP_TEST(record_size_limit_one_sided)
{
	struct pair p;
	size_t max;

	pair_setup(&p, KTLS_SIG_ED25519);
	p.ccfg.record_size_limit = 512;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.peer_record_size_limit, 0);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.max_tx_payload, 16384);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.peer_record_size_limit, 512);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.max_tx_payload, 511);
	TAP_CHECK(carry(p.s, p.c, 4000, &max));
	TAP_CHECK_EQ(max, 512 + 16);
	TAP_CHECK(carry(p.c, p.s, 4000, &max));
	TAP_CHECK_EQ(max, 4000 + 1 + 16);
	pair_free(&p);

	/* neither side: nothing changes */
	pair_setup(&p, KTLS_SIG_ED25519);
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.peer_record_size_limit, 0);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.max_tx_payload, 16384);
	pair_free(&p);
}

/*
 * A peer that ignores our limit: record_overflow.  No engine does that,
 * so the sender's fragment size is reset behind its back (white box:
 * struct ktls_conn is plain memory, conn.h).
 */
TAP_TEST(record_size_limit_enforced)
{
	static uint8_t big[2000];
	struct pair p;

	pair_setup(&p, KTLS_SIG_ED25519);
	p.ccfg.record_size_limit = 512;
	p.scfg.record_size_limit = 1024;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.done, 1);
	((struct ktls_conn *)p.s)->tx_frag = 0;
	TAP_CHECK_EQ(ktls_conn_send(p.s, big, 600), 600);
	xfer(p.s, p.c);
	drain_events(p.c, &p.ck);
	TAP_CHECK_EQ(p.ck.alert_sent, 22);	/* record_overflow */
	TAP_CHECK(ktls_conn_error(p.c) != 0);
	pair_free(&p);

	pair_setup(&p, KTLS_SIG_ED25519);
	p.ccfg.record_size_limit = 512;
	p.scfg.record_size_limit = 1024;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	((struct ktls_conn *)p.c)->tx_frag = 0;
	/* exactly the limit passes: 1023 bytes + the type */
	TAP_CHECK_EQ(ktls_conn_send(p.c, big, 1023), 1023);
	xfer(p.c, p.s);
	TAP_CHECK_EQ(ktls_conn_recv(p.s, big, sizeof(big)), 1023);
	TAP_CHECK_EQ(ktls_conn_send(p.c, big, 1024), 1024);
	xfer(p.c, p.s);
	drain_events(p.s, &p.sk);
	TAP_CHECK_EQ(p.sk.alert_sent, 22);
	pair_free(&p);

	/* the server did not answer: the client does not enforce its own */
	pair_setup(&p, KTLS_SIG_ED25519);
	p.ccfg.record_size_limit = 512;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	((struct ktls_conn *)p.s)->tx_frag = 0;
	TAP_CHECK_EQ(ktls_conn_send(p.s, big, 2000), 2000);
	xfer(p.s, p.c);
	TAP_CHECK_EQ(ktls_conn_recv(p.c, big, sizeof(big)), 2000);
	TAP_CHECK(!ktls_conn_error(p.c));
	pair_free(&p);
}

/* Limits out of range: refused in a config, illegal_parameter on the wire. */
TAP_TEST(record_size_limit_bounds)
{
	static const uint8_t ext64[6] = { 0x00, 0x1c, 0x00, 0x02, 0x00, 0x40 };
	struct pair p;

	pair_setup(&p, KTLS_SIG_ED25519);
	p.ccfg.record_size_limit = 63;
	TAP_CHECK(!ktls_conn_init(p.cm, KTLS_CONN_SIZE, &p.ccfg));
	p.ccfg.record_size_limit = 16386;
	TAP_CHECK(!ktls_conn_init(p.cm, KTLS_CONN_SIZE, &p.ccfg));
	p.scfg.record_size_limit = 16386;
	TAP_CHECK(!ktls_conn_init(p.sm, KTLS_CONN_SIZE, &p.scfg));
	p.scfg.record_size_limit = 16385;
	p.ccfg.record_size_limit = 64;
	TAP_CHECK_EQ(pair_start(&p), 0);
	/* the ClientHello says 63 instead: the server refuses it */
	{
		size_t len;
		uint8_t *o = (uint8_t *)ktls_conn_out(p.c, &len);
		uint8_t *hit = memmem(o, len, ext64, sizeof(ext64));

		TAP_CHECK(hit != NULL);
		if (hit)
			hit[5] = 63;
	}
	xfer(p.c, p.s);
	drain_events(p.s, &p.sk);
	TAP_CHECK_EQ(p.sk.alert_sent, 47);	/* illegal_parameter */
	TAP_CHECK(ktls_conn_error(p.s) != 0);
	pair_free(&p);
}

/*
 * Mutation sweep of the server's first flight as the client sees it: the
 * client is snapshotted (a connection is plain memory) right after its
 * ClientHello, the server's answer is recorded, then each byte in turn is
 * flipped and fed to a fresh copy of the client.  Every mutation must end
 * in a sticky error with an alert sent, never in a completed handshake,
 * except the plaintext records' legacy_record_version bytes, which §5.1
 * says are ignored, and record lengths made longer, where the client
 * waits for the rest.  Every truncation must leave the client waiting.
 */
TAP_TEST(server_flight_mutations)
{
	static uint8_t flight[16384], snap[KTLS_CONN_SIZE], bad[16384];
	static _Alignas(16) uint8_t mem[KTLS_CONN_SIZE];
	static bool ignored[16384], may_wait[16384];
	size_t len = 0, n, i;
	int failed_ok = 0, wrong = 0, waiting = 0;
	const uint8_t *o;
	struct pair p;

	pair_setup(&p, KTLS_SIG_ED25519);
	p.ccfg.groups[0] = KTLS_GROUP_X25519;
	p.ccfg.n_groups = 1;
	TAP_CHECK_EQ(pair_start(&p), 0);
	memcpy(snap, p.c, KTLS_CONN_SIZE);
	xfer(p.c, p.s);
	while ((o = ktls_conn_out(p.s, &n)) != NULL && len + n <= sizeof(flight)) {
		memcpy(flight + len, o, n);
		len += n;
		ktls_conn_out_ack(p.s, n);
	}
	TAP_CHECK(len > 100);
	for (i = 0; i + 5 <= len;) {	/* plaintext records' versions */
		if (flight[i] != 23)	/* protected: header is the AAD */
			ignored[i + 1] = ignored[i + 2] = true;
		/* a longer length: the client rightly waits for more */
		may_wait[i + 3] = may_wait[i + 4] = true;
		i += 5 + ((size_t)flight[i + 3] << 8 | flight[i + 4]);
	}
	for (i = 0; i < len; i++) {
		struct ktls_conn *c = (struct ktls_conn *)mem;
		struct side_keys k;

		memset(&k, 0, sizeof(k));
		memcpy(mem, snap, KTLS_CONN_SIZE);
		memcpy(bad, flight, len);
		bad[i] ^= 0x41;
		ktls_conn_feed(c, bad, len);
		drain_events(c, &k);
		if (ignored[i]) {
			TAP_CHECK_EQ(ktls_conn_error(c), 0);
			continue;
		}
		if (ktls_conn_error(c) && k.alert_sent && !k.done)
			failed_ok++;
		else if (may_wait[i] && !ktls_conn_error(c) && !k.done)
			waiting++;
		else
			printf("# byte %zu: error %d alert %d done %d\n", i,
			       ktls_conn_error(c), k.alert_sent, k.done),
			wrong++;
	}
	TAP_CHECK_EQ(wrong, 0);
	printf("# %zu bytes, %d mutations refused with an alert, %d waiting "
	       "for a longer record\n", len, failed_ok, waiting);
	for (i = 0; i < len; i += 37) {	/* truncations: still waiting */
		struct ktls_conn *c = (struct ktls_conn *)mem;

		memcpy(mem, snap, KTLS_CONN_SIZE);
		ktls_conn_feed(c, flight, i);
		TAP_CHECK_EQ(ktls_conn_error(c), 0);
		TAP_CHECK(!ktls_conn_handshake_done(c));
	}
	memset(mem, 0, sizeof(mem));
	memset(snap, 0, sizeof(snap));
	pair_free(&p);
}

/*
 * Every byte of a ClientHello flipped in turn, fed to a fresh server: no
 * crash (ASan/UBSan), and whenever the server fails it has sent an alert
 * and named a reason.  Many flips are benign (random, session id, key
 * share bytes, unknown extension contents): those get a server flight.
 */
TAP_TEST(client_hello_mutations)
{
	static uint8_t ch[8192], bad[8192];
	static _Alignas(16) uint8_t mem[KTLS_CONN_SIZE];
	const uint8_t *o;
	int refused = 0, answered = 0, silent = 0;
	size_t len, i;
	struct pair p;

	pair_setup(&p, KTLS_SIG_ED25519);
	p.ccfg.groups[0] = KTLS_GROUP_X25519;
	p.ccfg.n_groups = 1;
	p.ccfg.alpn[0] = "h2";
	p.ccfg.n_alpn = 1;
	TAP_CHECK_EQ(pair_start(&p), 0);
	o = ktls_conn_out(p.c, &len);
	TAP_CHECK(o && len < sizeof(ch));
	if (!o || len >= sizeof(ch)) {
		pair_free(&p);
		return;
	}
	memcpy(ch, o, len);
	for (i = 0; i < len; i++) {
		struct ktls_conn *s;
		struct side_keys k;
		const char *why = NULL;
		size_t n;

		memset(&k, 0, sizeof(k));
		s = ktls_conn_init(mem, sizeof(mem), &p.scfg);
		memcpy(bad, ch, len);
		bad[i] ^= 0x41;
		ktls_conn_feed(s, bad, len);
		drain_events(s, &k);
		if (ktls_conn_error(s)) {
			ktls_conn_alert(s, &why);
			if (k.alert_sent && why)
				refused++;
			else
				TAP_CHECK(k.alert_sent && why);
		} else if (ktls_conn_out(s, &n)) {
			answered++;
		} else {
			silent++;	/* a longer length: waiting */
		}
		ktls_conn_wipe(s);
	}
	printf("# %zu bytes: %d refused with an alert, %d answered, %d "
	       "waiting\n", len, refused, answered, silent);
	TAP_CHECK(refused > 0);
	pair_free(&p);
}

/* ---- psk_ke (RFC 8446 §4.2.9): a PSK without (EC)DHE ---- */

static const uint8_t ke_id[] = "nvme-host-1";
static const uint8_t ke_key[32] = { 0x5a, 1, 2, 3 };

static void ext_psk(struct ktls_config *cfg, uint8_t modes)
{
	cfg->psk_identity = ke_id;
	cfg->psk_identity_len = sizeof(ke_id) - 1;
	cfg->psk = ke_key;
	cfg->psk_len = sizeof(ke_key);
	cfg->psk_suite = KTLS_TLS_AES_128_GCM_SHA256;
	cfg->psk_modes = modes;
}

/* The extensions present in @c's (unsent) ClientHello. */
static uint32_t ch_exts(struct ktls_conn *c, struct tls_client_hello *ch)
{
	static uint8_t msg[4096];
	struct tls_err e = { 0 };
	size_t n = take_first_msg(c, msg);

	if (tls_client_hello_parse(msg + 4, n - 4, ch, &e))
		return 0;
	return ch->exts.present;
}

/*
 * RFC 8446 §4.6.1, §4.2.11.1: the store drops a ticket once its lifetime
 * (7200 s from our server) has passed, hands a live one out with its age,
 * and the ClientHello carries that age plus ticket_age_add; a lifetime
 * over 7 days is cut to 7 days.
 */
TAP_TEST(ticket_lifetime_and_age)
{
	struct ktls_ticket_store st = { 0 };
	struct tls_client_hello ch;
	struct ktls_ticket t, big;
	struct pair p;

	TAP_CHECK_EQ(ticket_handshake(&p, &st), 0);
	ktls_conn_wipe(p.c);
	ktls_conn_wipe(p.s);
	TAP_CHECK_EQ(st.n, 2);
	TAP_CHECK_EQ(st.t[1].lifetime, 7200);
	TAP_CHECK_EQ(st.t[1].received_ms, TEST_NOW_MS);

	/* the newest, 7199.999 s old: live, with its age */
	TAP_CHECK_EQ(ktls_ticket_store_take(&st, TEST_NOW_MS + 7199999, &t),
		     0);
	TAP_CHECK_EQ(t.age_ms, 7199999);
	TAP_CHECK_EQ(st.n, 1);
	/* the ClientHello: obfuscated_ticket_age = age + ticket_age_add */
	p.c = ktls_conn_init_resume(p.cm, KTLS_CONN_SIZE, &p.ccfg, &t);
	TAP_CHECK(p.c);
	TAP_CHECK(ch_exts(p.c, &ch) & TLS_EXT_BIT(TLS_EXTID_PRE_SHARED_KEY));
	TAP_CHECK_EQ(ch.x.n_psks, 1);
	TAP_CHECK_EQ(ch.x.psks[0].obfuscated_ticket_age,
		     (uint32_t)(7199999 + t.age_add));
	ktls_conn_wipe(p.c);

	/* the other, at exactly its lifetime: expired, erased, none left */
	TAP_CHECK_EQ(ktls_ticket_store_take(&st, TEST_NOW_MS + 7200000, &t),
		     -1);
	TAP_CHECK_EQ(st.n, 0);

	/* a clock that went back gives age 0; 8 days is cut to 7 */
	memset(&big, 0, sizeof(big));
	big.lifetime = 604800;
	ktls_ticket_store_put(&st, &big, TEST_NOW_MS);
	TAP_CHECK_EQ(ktls_ticket_store_take(&st, TEST_NOW_MS - 5, &t), 0);
	TAP_CHECK_EQ(t.age_ms, 0);
	big.lifetime = 8 * 86400;
	ktls_ticket_store_put(&st, &big, TEST_NOW_MS);
	TAP_CHECK_EQ(ktls_ticket_store_take(&st,
					    TEST_NOW_MS + 604800000ull, &t),
		     -1);
	pair_free(&p);
}

TAP_TEST(psk_ke_external)
{
	struct tls_client_hello ch;
	struct pair p;
	uint32_t x;

	/* psk_ke alone on both sides: no key_share anywhere, group 0 */
	pair_setup(&p, KTLS_SIG_ED25519);
	ext_psk(&p.ccfg, KTLS_PSK_KE);
	ext_psk(&p.scfg, KTLS_PSK_KE);
	/* no group in common: psk_ke does not need one */
	p.scfg.groups[0] = KTLS_GROUP_SECP384R1;
	p.scfg.n_groups = 1;
	p.ccfg.groups[0] = KTLS_GROUP_X25519;
	p.ccfg.n_groups = 1;
	verify_calls = 0;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(p.sk.done, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.external_psk, 1);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.external_psk, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.psk_ke, 1);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.psk_ke, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.group, 0);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.group, 0);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.hrr, 0);
	TAP_CHECK_EQ(verify_calls, 0);
	TAP_CHECK(same_secrets(&p));
	TAP_CHECK(echo(&p, "psk_ke"));
	pair_free(&p);

	/* the ClientHello: modes {psk_ke}, no supported_groups/key_share */
	pair_setup(&p, KTLS_SIG_ED25519);
	ext_psk(&p.ccfg, KTLS_PSK_KE);
	TAP_CHECK_EQ(pair_start(&p), 0);
	x = ch_exts(p.c, &ch);
	TAP_CHECK(x & TLS_EXT_BIT(TLS_EXTID_PRE_SHARED_KEY));
	TAP_CHECK(!(x & TLS_EXT_BIT(TLS_EXTID_KEY_SHARE)));
	TAP_CHECK(!(x & TLS_EXT_BIT(TLS_EXTID_SUPPORTED_GROUPS)));
	TAP_CHECK_EQ(ch.x.psk_modes.len, 1);
	TAP_CHECK_EQ(ch.x.psk_modes.p[0], 0);
	pair_free(&p);

	/* both modes: listed psk_dhe_ke first, with a key share */
	pair_setup(&p, KTLS_SIG_ED25519);
	ext_psk(&p.ccfg, KTLS_PSK_KE | KTLS_PSK_DHE_KE);
	TAP_CHECK_EQ(pair_start(&p), 0);
	x = ch_exts(p.c, &ch);
	TAP_CHECK(x & TLS_EXT_BIT(TLS_EXTID_KEY_SHARE));
	TAP_CHECK(x & TLS_EXT_BIT(TLS_EXTID_SUPPORTED_GROUPS));
	TAP_CHECK_EQ(ch.x.psk_modes.len, 2);
	TAP_CHECK_EQ(ch.x.psk_modes.p[0], 1);
	TAP_CHECK_EQ(ch.x.psk_modes.p[1], 0);
	pair_free(&p);

	/* default config: psk_dhe_ke only, as before */
	pair_setup(&p, KTLS_SIG_ED25519);
	ext_psk(&p.ccfg, 0);
	TAP_CHECK_EQ(p.scfg.psk_modes, KTLS_PSK_DHE_KE);
	TAP_CHECK_EQ(pair_start(&p), 0);
	x = ch_exts(p.c, &ch);
	TAP_CHECK(x & TLS_EXT_BIT(TLS_EXTID_KEY_SHARE));
	TAP_CHECK_EQ(ch.x.psk_modes.len, 1);
	TAP_CHECK_EQ(ch.x.psk_modes.p[0], 1);
	pair_free(&p);

	/* an unknown mode bit is a bad config */
	pair_setup(&p, KTLS_SIG_ED25519);
	p.ccfg.psk_modes = 4;
	p.scfg.psk_modes = 0x80;
	TAP_CHECK_EQ(pair_start(&p), -1);
	TAP_CHECK(!p.c && !p.s);
	pair_free(&p);
}

TAP_TEST(psk_ke_mode_selection)
{
	struct pair p;

	/* both offered, both allowed: psk_dhe_ke (forward secret) */
	pair_setup(&p, KTLS_SIG_ED25519);
	ext_psk(&p.ccfg, KTLS_PSK_KE | KTLS_PSK_DHE_KE);
	ext_psk(&p.scfg, KTLS_PSK_KE | KTLS_PSK_DHE_KE);
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(p.sk.done, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.external_psk, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.psk_ke, 0);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.psk_ke, 0);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.group, p.ccfg.groups[0]);
	TAP_CHECK(same_secrets(&p));
	pair_free(&p);

	/* both offered, no group in common: psk_ke, not a failure */
	pair_setup(&p, KTLS_SIG_ED25519);
	ext_psk(&p.ccfg, KTLS_PSK_KE | KTLS_PSK_DHE_KE);
	ext_psk(&p.scfg, KTLS_PSK_KE | KTLS_PSK_DHE_KE);
	p.scfg.groups[0] = KTLS_GROUP_SECP384R1;
	p.scfg.n_groups = 1;
	p.ccfg.groups[0] = KTLS_GROUP_X25519;
	p.ccfg.n_groups = 1;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.psk_ke, 1);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.psk_ke, 1);
	TAP_CHECK(same_secrets(&p));
	pair_free(&p);

	/* both offered, the server allows psk_ke only: psk_ke */
	pair_setup(&p, KTLS_SIG_ED25519);
	ext_psk(&p.ccfg, KTLS_PSK_KE | KTLS_PSK_DHE_KE);
	ext_psk(&p.scfg, KTLS_PSK_KE);
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.psk_ke, 1);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.psk_ke, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.group, 0);
	TAP_CHECK(same_secrets(&p));
	TAP_CHECK(echo(&p, "ke"));
	pair_free(&p);

	/* client psk_dhe_ke only, server psk_ke only: no PSK, certificate */
	pair_setup(&p, KTLS_SIG_ED25519);
	ext_psk(&p.ccfg, KTLS_PSK_DHE_KE);
	ext_psk(&p.scfg, KTLS_PSK_KE);
	verify_calls = 0;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.external_psk, 0);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.psk_ke, 0);
	TAP_CHECK_EQ(verify_calls, 1);
	TAP_CHECK(same_secrets(&p));
	pair_free(&p);

	/*
	 * client psk_ke only, server psk_dhe_ke only: the server may not
	 * take the PSK (§4.1.1), and the ClientHello has no supported_groups
	 * for a full handshake: handshake_failure (§4.1.1).
	 */
	pair_setup(&p, KTLS_SIG_ED25519);
	ext_psk(&p.ccfg, KTLS_PSK_KE);
	ext_psk(&p.scfg, KTLS_PSK_DHE_KE);
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.sk.alert_sent, 40);
	TAP_CHECK_EQ(p.ck.alert_recv, 40);
	TAP_CHECK_EQ(p.ck.done, 0);
	pair_free(&p);

	/* a client allowing psk_ke but with no PSK: a full handshake */
	pair_setup(&p, KTLS_SIG_ED25519);
	p.ccfg.psk_modes = KTLS_PSK_KE;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.psk_ke, 0);
	TAP_CHECK(same_secrets(&p));
	pair_free(&p);
}

TAP_TEST(psk_ke_ticket)
{
	struct ktls_ticket_store st = { 0 };
	struct ktls_ticket t;
	struct pair p;

	pair_setup(&p, KTLS_SIG_ECDSA_SECP256R1_SHA256);
	p.scfg.ticket_keys = tkeys;
	p.scfg.n_ticket_keys = 1;
	p.scfg.tickets_per_handshake = 3;
	p.scfg.psk_modes = KTLS_PSK_KE | KTLS_PSK_DHE_KE;
	TAP_CHECK_EQ(pair_start(&p), 0);
	for (int i = 0; i < 5; i++) {
		xfer(p.c, p.s);
		xfer(p.s, p.c);
		collect_tickets(p.c, &p.ck, &st);
	}
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(st.n, 3);
	ktls_conn_wipe(p.c);
	ktls_conn_wipe(p.s);

	/* resumed with psk_ke: no certificate, no key share */
	p.ccfg.psk_modes = KTLS_PSK_KE;
	verify_calls = 0;
	TAP_CHECK_EQ(ktls_ticket_store_take(&st, TEST_NOW_MS, &t), 0);
	memset(&p.ck, 0, sizeof(p.ck));
	memset(&p.sk, 0, sizeof(p.sk));
	resume_pair(&p, &t);
	TAP_CHECK(p.c && p.s);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(p.sk.done, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.resumed, 1);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.resumed, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.psk_ke, 1);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.psk_ke, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.group, 0);
	TAP_CHECK_EQ(verify_calls, 0);
	TAP_CHECK(same_secrets(&p));
	TAP_CHECK(echo(&p, "resumed, psk_ke"));
	/* a psk_ke connection issues tickets too */
	for (int i = 0; i < 3; i++) {
		xfer(p.s, p.c);
		collect_tickets(p.c, &p.ck, &st);
	}
	/* pump drained some into ck, the rest went to the store */
	TAP_CHECK_EQ(p.ck.n_tickets + (int)st.n, 5);
	ktls_conn_wipe(p.c);
	ktls_conn_wipe(p.s);

	/* both offered for a ticket: psk_dhe_ke */
	p.ccfg.psk_modes = KTLS_PSK_KE | KTLS_PSK_DHE_KE;
	TAP_CHECK_EQ(ktls_ticket_store_take(&st, TEST_NOW_MS, &t), 0);
	memset(&p.ck, 0, sizeof(p.ck));
	memset(&p.sk, 0, sizeof(p.sk));
	resume_pair(&p, &t);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.resumed, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.psk_ke, 0);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.psk_ke, 0);
	TAP_CHECK(same_secrets(&p));
	ktls_conn_wipe(p.c);
	ktls_conn_wipe(p.s);

	/* psk_ke only, the server psk_dhe_ke only: handshake_failure */
	p.ccfg.psk_modes = KTLS_PSK_KE;
	p.scfg.psk_modes = KTLS_PSK_DHE_KE;
	TAP_CHECK_EQ(ktls_ticket_store_take(&st, TEST_NOW_MS, &t), 0);
	memset(&p.ck, 0, sizeof(p.ck));
	memset(&p.sk, 0, sizeof(p.sk));
	resume_pair(&p, &t);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.sk.alert_sent, 40);
	TAP_CHECK_EQ(p.ck.done, 0);
	pair_free(&p);
}

/*
 * A ServerHello without key_share to a client that did not offer psk_ke
 * (§4.1.1, §4.2.9): missing_extension, as §9.2 names for a key_share
 * missing.  The ServerHello comes from a server answering another client
 * that did offer psk_ke; with no legacy_session_id, it fits this client.
 */
TAP_TEST(psk_ke_not_offered)
{
	uint8_t sh[4096];
	struct pair p, q;
	size_t n;

	pair_setup(&p, KTLS_SIG_ED25519);
	ext_psk(&p.ccfg, KTLS_PSK_KE | KTLS_PSK_DHE_KE);
	ext_psk(&p.scfg, KTLS_PSK_KE);
	p.ccfg.middlebox_compat = false;
	TAP_CHECK_EQ(pair_start(&p), 0);
	xfer(p.c, p.s);
	n = take_first_msg(p.s, sh);
	TAP_CHECK(n > 4 && sh[0] == 2);

	pair_setup(&q, KTLS_SIG_ED25519);
	ext_psk(&q.ccfg, KTLS_PSK_DHE_KE);
	q.ccfg.middlebox_compat = false;
	TAP_CHECK_EQ(pair_start(&q), 0);
	feed_hs_record(q.c, sh, n);
	drain_events(q.c, &q.ck);
	TAP_CHECK_EQ(q.ck.alert_sent, 109);
	TAP_CHECK_EQ(q.ck.done, 0);
	{
		const char *why = NULL;

		ktls_conn_alert(q.c, &why);
		TAP_CHECK(why && !strcmp(why, "ServerHello without key_share"));
	}

	/* the same to the client that offered psk_ke: accepted */
	feed_hs_record(p.c, sh, n);
	drain_events(p.c, &p.ck);
	TAP_CHECK_EQ(p.ck.alert_sent, 0);
	TAP_CHECK_EQ(ktls_conn_alert(p.c, NULL), 0);
	pair_free(&p);
	pair_free(&q);
}

/* ---- status_request, signature_algorithms_cert, certificate_authorities */

/*
 * The server's first flight in plaintext: the server answers the client's
 * ClientHello, then its protected records are opened with its handshake
 * key (from its KEYS event) and the handshake message of @type is copied
 * to @out.  Returns the message's length, header included (0: not found).
 * The server's events are taken here; its output stays unsent.
 */
static size_t server_flight_msg(struct pair *p, uint8_t type, uint8_t *out,
				size_t cap)
{
	uint8_t key[KTLS_AEAD_MAX_KEY_LEN], iv[KTLS_AEAD_NONCE_LEN];
	static uint8_t buf[CONN_RBUF];
	const struct ktls_suite *su = NULL;
	struct ktls_aead_ctx aead;
	struct ktls_event ev;
	const uint8_t *o;
	size_t len, off = 0, found = 0;
	uint64_t seq = 0;

	xfer(p->c, p->s);
	while (ktls_conn_next_event(p->s, &ev))
		if (ev.type == KTLS_EV_KEYS && ev.u.keys.dir == KTLS_DIR_TX &&
		    ev.u.keys.stage == KTLS_KEYS_HANDSHAKE) {
			su = ktls_suite_by_id(ev.u.keys.suite);
			memcpy(key, ev.u.keys.key, ev.u.keys.key_len);
			memcpy(iv, ev.u.keys.iv, sizeof(iv));
		}
	o = ktls_conn_out(p->s, &len);
	if (!su || !o || ktls_aead_init(cp, &aead, su->aead, key, su->key_len))
		return 0;
	while (!found && off + 5 <= len) {
		size_t rl = (size_t)o[off + 3] << 8 | o[off + 4], n;
		uint8_t nonce[KTLS_AEAD_NONCE_LEN];

		if (off + 5 + rl > len)
			break;
		if (o[off] == 23 && rl > KTLS_AEAD_TAG_LEN &&
		    rl <= sizeof(buf)) {
			ktls_record_nonce(iv, seq++, nonce);
			if (ktls_aead_open(cp, &aead, nonce, o + off, 5,
					   o + off + 5, rl, buf))
				break;
			n = rl - KTLS_AEAD_TAG_LEN;
			while (n && !buf[n - 1])
				n--;
			for (size_t m = 0; n && buf[n - 1] == 22 &&
			     m + 4 <= n - 1;) {
				size_t ml = 4 + ((size_t)buf[m + 1] << 16 |
						 (size_t)buf[m + 2] << 8 |
						 buf[m + 3]);

				if (m + ml > n - 1)
					break;
				if (buf[m] == type && ml <= cap) {
					memcpy(out, buf + m, ml);
					found = ml;
					break;
				}
				m += ml;
			}
		}
		off += 5 + rl;
	}
	ktls_aead_free(cp, &aead);
	return found;
}

/* A verifier that keeps the staple it was shown. */
static uint8_t seen_ocsp[1024];
static size_t seen_ocsp_len;
static bool seen_ocsp_null;

static int ocsp_verify(void *arg, const struct ktls_chain *chain,
		       const char *host, const char **reason)
{
	seen_ocsp_len = chain->ocsp_len;
	seen_ocsp_null = !chain->ocsp;
	memset(seen_ocsp, 0, sizeof(seen_ocsp));
	if (chain->ocsp && chain->ocsp_len <= sizeof(seen_ocsp))
		memcpy(seen_ocsp, chain->ocsp, chain->ocsp_len);
	return accept_verify(arg, chain, host, reason);
}

static uint8_t staple[700];

static void make_staple(void)
{
	for (size_t i = 0; i < sizeof(staple); i++)
		staple[i] = (uint8_t)(i * 7 + 3);
	staple[0] = 0x30;
}

/* The peer's PEER_CERT event's ocsp_len, from a fresh drain. */
static size_t peer_ev_ocsp;

static void drain_peer(struct ktls_conn *c, struct side_keys *k)
{
	struct ktls_event ev;

	while (ktls_conn_next_event(c, &ev)) {
		if (ev.type == KTLS_EV_PEER_CERT)
			peer_ev_ocsp = ev.u.peer.ocsp_len;
		if (ev.type == KTLS_EV_HANDSHAKE_DONE) {
			k->done++;
			k->done_ev = ev;
		}
		if (ev.type == KTLS_EV_ALERT_SENT)
			k->alert_sent = ev.u.alert.alert;
		if (ev.type == KTLS_EV_ALERT_RECEIVED)
			k->alert_recv = ev.u.alert.alert;
	}
}

static void pump_peer(struct pair *p)
{
	for (int i = 0; i < 50; i++) {
		size_t m = xfer(p->c, p->s) + xfer(p->s, p->c);

		drain_peer(p->c, &p->ck);
		drain_peer(p->s, &p->sk);
		if (!m)
			break;
	}
}

/* Whether the leaf's CertificateEntry in a Certificate message staples. */
static int leaf_has_staple(const uint8_t *msg, size_t n, struct tls_opaque *o)
{
	struct tls_certificate ct;
	struct tls_err e = { 0 };

	if (n < 4 || tls_certificate_parse(msg + 4, n - 4, &ct, &e) || !ct.n)
		return -1;
	*o = ct.e[0].ocsp;
	return !!(ct.e[0].exts.present &
		  TLS_EXT_BIT(TLS_EXTID_STATUS_REQUEST));
}

TAP_TEST(ocsp_staple_server)
{
	static uint8_t msg[8192];
	struct tls_client_hello ch;
	struct tls_opaque o;
	struct pair p;
	size_t n;

	make_staple();
	/* requested and configured: byte-identical at the verifier */
	pair_setup(&p, KTLS_SIG_ECDSA_SECP256R1_SHA256);
	p.ccfg.request_ocsp = true;
	p.ccfg.verifier.verify = ocsp_verify;
	p.scfg.ocsp_staple = staple;
	p.scfg.ocsp_staple_len = sizeof(staple);
	seen_ocsp_len = 0;
	peer_ev_ocsp = 0;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump_peer(&p);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(p.sk.done, 1);
	TAP_CHECK_EQ(seen_ocsp_len, sizeof(staple));
	TAP_CHECK(!memcmp(seen_ocsp, staple, sizeof(staple)));
	TAP_CHECK_EQ(peer_ev_ocsp, sizeof(staple));
	TAP_CHECK_EQ(p.ck.done_ev.u.done.peer_ocsp_len, sizeof(staple));
	TAP_CHECK_EQ(p.sk.done_ev.u.done.peer_ocsp_len, 0);
	pair_free(&p);

	/* the ClientHello's request: ocsp, empty lists */
	pair_setup(&p, KTLS_SIG_ECDSA_SECP256R1_SHA256);
	p.ccfg.request_ocsp = true;
	TAP_CHECK_EQ(pair_start(&p), 0);
	TAP_CHECK(ch_exts(p.c, &ch) & TLS_EXT_BIT(TLS_EXTID_STATUS_REQUEST));
	TAP_CHECK_EQ(ch.x.status_type, TLS_STATUS_TYPE_OCSP);
	TAP_CHECK_EQ(ch.x.status_body.len, 4);
	TAP_CHECK_EQ(ch.x.ocsp_responder_ids.len, 0);
	TAP_CHECK_EQ(ch.x.ocsp_extensions.len, 0);
	pair_free(&p);

	/* on the wire: the leaf's entry carries exactly the staple */
	pair_setup(&p, KTLS_SIG_ECDSA_SECP256R1_SHA256);
	p.ccfg.request_ocsp = true;
	p.scfg.ocsp_staple = staple;
	p.scfg.ocsp_staple_len = sizeof(staple);
	TAP_CHECK_EQ(pair_start(&p), 0);
	n = server_flight_msg(&p, 11, msg, sizeof(msg));
	TAP_CHECK(n > 0);
	TAP_CHECK_EQ(leaf_has_staple(msg, n, &o), 1);
	TAP_CHECK_EQ(o.len, sizeof(staple));
	TAP_CHECK(o.p && !memcmp(o.p, staple, sizeof(staple)));
	pair_free(&p);

	/* configured, not requested: not sent, the verifier sees none */
	pair_setup(&p, KTLS_SIG_ECDSA_SECP256R1_SHA256);
	p.scfg.ocsp_staple = staple;
	p.scfg.ocsp_staple_len = sizeof(staple);
	TAP_CHECK_EQ(pair_start(&p), 0);
	TAP_CHECK(!(ch_exts(p.c, &ch) & TLS_EXT_BIT(TLS_EXTID_STATUS_REQUEST)));
	pair_free(&p);
	pair_setup(&p, KTLS_SIG_ECDSA_SECP256R1_SHA256);
	p.scfg.ocsp_staple = staple;
	p.scfg.ocsp_staple_len = sizeof(staple);
	TAP_CHECK_EQ(pair_start(&p), 0);
	n = server_flight_msg(&p, 11, msg, sizeof(msg));
	TAP_CHECK(n > 0);
	TAP_CHECK_EQ(leaf_has_staple(msg, n, &o), 0);
	pair_free(&p);
	pair_setup(&p, KTLS_SIG_ECDSA_SECP256R1_SHA256);
	p.ccfg.verifier.verify = ocsp_verify;
	p.scfg.ocsp_staple = staple;
	p.scfg.ocsp_staple_len = sizeof(staple);
	seen_ocsp_len = 99;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump_peer(&p);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(seen_ocsp_len, 0);
	TAP_CHECK(seen_ocsp_null);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.peer_ocsp_len, 0);
	pair_free(&p);

	/* requested, nothing configured: none, and the handshake goes on */
	pair_setup(&p, KTLS_SIG_ECDSA_SECP256R1_SHA256);
	p.ccfg.request_ocsp = true;
	p.ccfg.verifier.verify = ocsp_verify;
	seen_ocsp_len = 99;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump_peer(&p);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(seen_ocsp_len, 0);
	pair_free(&p);
}

/*
 * A staple the client did not ask for (§4.2, §4.4.2): the server staples
 * because this ClientHello asked, then the client forgets it did (its
 * record of what it offered is cleared), as a client that never asked
 * would see it: unsupported_extension.
 */
TAP_TEST(ocsp_staple_unsolicited)
{
	const char *why = NULL;
	struct pair p;

	make_staple();
	pair_setup(&p, KTLS_SIG_ECDSA_SECP256R1_SHA256);
	p.ccfg.request_ocsp = true;
	p.scfg.ocsp_staple = staple;
	p.scfg.ocsp_staple_len = sizeof(staple);
	verify_calls = 0;
	TAP_CHECK_EQ(pair_start(&p), 0);
	p.c->offered_exts &= ~TLS_EXT_BIT(TLS_EXTID_STATUS_REQUEST);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.alert_sent, 110);
	TAP_CHECK_EQ(p.sk.alert_recv, 110);
	TAP_CHECK_EQ(p.ck.done, 0);
	TAP_CHECK_EQ(verify_calls, 0);
	ktls_conn_alert(p.c, &why);
	TAP_CHECK(why && strstr(why, "status_request"));
	pair_free(&p);

	/* the same from a client to a server that did not ask */
	pair_setup(&p, KTLS_SIG_ECDSA_SECP256R1_SHA256);
	ident_make(cp, &p.cid, KTLS_SIG_ED25519);
	cfg_ident(&p.ccfg, &p.cid);
	p.ccfg.ocsp_staple = staple;
	p.ccfg.ocsp_staple_len = sizeof(staple);
	p.scfg.request_client_cert = true;
	p.scfg.request_ocsp = true;
	TAP_CHECK_EQ(pair_start(&p), 0);
	xfer(p.c, p.s);
	p.s->cr_exts &= ~TLS_EXT_BIT(TLS_EXTID_STATUS_REQUEST);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.sk.alert_sent, 110);
	TAP_CHECK_EQ(p.sk.done, 0);
	pair_free(&p);
}

/* §4.4.2.1: a server asks in its CertificateRequest; the client staples. */
TAP_TEST(ocsp_staple_client)
{
	static uint8_t msg[8192];
	struct tls_certificate_request cr;
	struct tls_err e = { 0 };
	struct pair p;
	size_t n;

	make_staple();
	pair_setup(&p, KTLS_SIG_ECDSA_SECP256R1_SHA256);
	ident_make(cp, &p.cid, KTLS_SIG_ED25519);
	cfg_ident(&p.ccfg, &p.cid);
	p.ccfg.ocsp_staple = staple;
	p.ccfg.ocsp_staple_len = 300;
	p.scfg.request_client_cert = true;
	p.scfg.require_client_cert = true;
	p.scfg.request_ocsp = true;
	p.scfg.verifier.verify = ocsp_verify;
	seen_ocsp_len = 0;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump_peer(&p);
	TAP_CHECK_EQ(p.sk.done, 1);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.client_authenticated, 1);
	TAP_CHECK_EQ(seen_ocsp_len, 300);
	TAP_CHECK(!memcmp(seen_ocsp, staple, 300));
	TAP_CHECK_EQ(p.sk.done_ev.u.done.peer_ocsp_len, 300);
	pair_free(&p);

	/* the CertificateRequest's status_request is empty */
	pair_setup(&p, KTLS_SIG_ECDSA_SECP256R1_SHA256);
	p.scfg.request_client_cert = true;
	p.scfg.request_ocsp = true;
	TAP_CHECK_EQ(pair_start(&p), 0);
	n = server_flight_msg(&p, 13, msg, sizeof(msg));
	TAP_CHECK(n > 4);
	TAP_CHECK_EQ(tls_certificate_request_parse(msg + 4, n - 4, &cr, &e),
		     0);
	TAP_CHECK(cr.exts.present & TLS_EXT_BIT(TLS_EXTID_STATUS_REQUEST));
	for (unsigned int i = 0; i < cr.exts.n; i++)
		if (cr.exts.e[i].type == TLS_EXT_STATUS_REQUEST)
			TAP_CHECK_EQ(cr.exts.e[i].len, 0);
	pair_free(&p);

	/* the server did not ask: the client's staple stays home */
	pair_setup(&p, KTLS_SIG_ECDSA_SECP256R1_SHA256);
	ident_make(cp, &p.cid, KTLS_SIG_ED25519);
	cfg_ident(&p.ccfg, &p.cid);
	p.ccfg.ocsp_staple = staple;
	p.ccfg.ocsp_staple_len = 300;
	p.scfg.request_client_cert = true;
	p.scfg.verifier.verify = ocsp_verify;
	seen_ocsp_len = 99;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump_peer(&p);
	TAP_CHECK_EQ(p.sk.done, 1);
	TAP_CHECK_EQ(seen_ocsp_len, 0);
	pair_free(&p);
}

TAP_TEST(ocsp_and_ca_names_config_bounds)
{
	static const uint8_t dn[] = { 0x30, 0x00 };
	struct ktls_dn bad[2] = { { dn, sizeof(dn) }, { dn, 0 } };
	struct pair p;

	make_staple();
	pair_setup(&p, KTLS_SIG_ED25519);
	p.scfg.ocsp_staple = staple;
	p.scfg.ocsp_staple_len = KTLS_OCSP_STAPLE_MAX + 1;
	p.ccfg.ca_names = bad;
	p.ccfg.n_ca_names = 2;
	TAP_CHECK_EQ(pair_start(&p), -1);
	TAP_CHECK(!p.c && !p.s);
	pair_free(&p);
	pair_setup(&p, KTLS_SIG_ED25519);
	p.scfg.ocsp_staple = NULL;
	p.scfg.ocsp_staple_len = 10;
	p.ccfg.ca_names = bad;
	p.ccfg.n_ca_names = 1;
	p.ccfg.n_cert_sig_schemes = KTLS_MAX_CERT_SIG_SCHEMES + 1;
	TAP_CHECK_EQ(pair_start(&p), -1);
	TAP_CHECK(!p.c && !p.s);
	pair_free(&p);
}

/* §4.2.3: rsa_pkcs1_* in certificates only, so the lists differ */
TAP_TEST(signature_algorithms_cert_sent)
{
	static uint8_t msg[8192];
	struct tls_certificate_request cr;
	struct tls_client_hello ch;
	struct tls_err e = { 0 };
	struct pair p;
	size_t n;

	pair_setup(&p, KTLS_SIG_ED25519);
	TAP_CHECK_EQ(p.ccfg.n_cert_sig_schemes, p.ccfg.n_sig_schemes + 3);
	TAP_CHECK_EQ(pair_start(&p), 0);
	TAP_CHECK(ch_exts(p.c, &ch) &
		  TLS_EXT_BIT(TLS_EXTID_SIGNATURE_ALGORITHMS_CERT));
	TAP_CHECK_EQ(ch.x.sig_algs_cert.n, p.ccfg.n_cert_sig_schemes);
	TAP_CHECK(tls_u16_list_has(&ch.x.sig_algs_cert,
				   KTLS_SIG_RSA_PKCS1_SHA256));
	TAP_CHECK(tls_u16_list_has(&ch.x.sig_algs_cert,
				   KTLS_SIG_RSA_PKCS1_SHA512));
	TAP_CHECK(!tls_u16_list_has(&ch.x.sig_algs,
				    KTLS_SIG_RSA_PKCS1_SHA256));
	for (unsigned int i = 0; i < ch.x.sig_algs_cert.n; i++)
		TAP_CHECK_EQ(tls_u16_at(&ch.x.sig_algs_cert, i),
			     p.ccfg.cert_sig_schemes[i]);
	pair_free(&p);

	/* the same list as signature_algorithms, or none: not sent */
	for (int k = 0; k < 2; k++) {
		pair_setup(&p, KTLS_SIG_ED25519);
		if (k) {
			p.ccfg.n_cert_sig_schemes = 0;
		} else {
			memcpy(p.ccfg.cert_sig_schemes, p.ccfg.sig_schemes,
			       sizeof(p.ccfg.sig_schemes));
			p.ccfg.n_cert_sig_schemes = p.ccfg.n_sig_schemes;
		}
		TAP_CHECK_EQ(pair_start(&p), 0);
		TAP_CHECK(!(ch_exts(p.c, &ch) &
			    TLS_EXT_BIT(TLS_EXTID_SIGNATURE_ALGORITHMS_CERT)));
		pair_free(&p);
	}

	/* in the CertificateRequest */
	pair_setup(&p, KTLS_SIG_ED25519);
	p.scfg.request_client_cert = true;
	TAP_CHECK_EQ(pair_start(&p), 0);
	n = server_flight_msg(&p, 13, msg, sizeof(msg));
	TAP_CHECK(n > 4);
	TAP_CHECK_EQ(tls_certificate_request_parse(msg + 4, n - 4, &cr, &e),
		     0);
	TAP_CHECK(cr.exts.present &
		  TLS_EXT_BIT(TLS_EXTID_SIGNATURE_ALGORITHMS_CERT));
	TAP_CHECK(tls_u16_list_has(&cr.x.sig_algs_cert,
				   KTLS_SIG_RSA_PKCS1_SHA384));
	TAP_CHECK_EQ(cr.x.sig_algs_cert.n, p.scfg.n_cert_sig_schemes);
	TAP_CHECK(!(cr.exts.present & TLS_EXT_BIT(TLS_EXTID_STATUS_REQUEST)));
	TAP_CHECK(!(cr.exts.present &
		    TLS_EXT_BIT(TLS_EXTID_CERTIFICATE_AUTHORITIES)));
	pair_free(&p);

	/* and a full handshake with it both ways */
	pair_setup(&p, KTLS_SIG_ED25519);
	ident_make(cp, &p.cid, KTLS_SIG_ED25519);
	cfg_ident(&p.ccfg, &p.cid);
	p.scfg.request_client_cert = true;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.sk.done, 1);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.client_authenticated, 1);
	pair_free(&p);
}

/* §4.2.4 both ways: the names arrive as sent, counted */
TAP_TEST(certificate_authorities)
{
	static const uint8_t dn1[] = { 0x30, 0x0d, 0x31, 0x0b, 0x30, 0x09,
				       0x06, 0x03, 0x55, 0x04, 0x03, 0x0c,
				       0x02, 'C', 'A' };
	static const uint8_t dn2[] = { 0x30, 0x03, 0x31, 0x01, 0x00 };
	static const uint8_t dn3[] = { 0x30, 0x00 };
	const struct ktls_dn cnames[2] = { { dn1, sizeof(dn1) },
					   { dn2, sizeof(dn2) } };
	const struct ktls_dn snames[1] = { { dn3, sizeof(dn3) } };
	uint8_t want[64];
	size_t wl = 0;
	static uint8_t msg[8192];
	struct tls_certificate_request cr;
	struct tls_client_hello ch;
	struct tls_err e = { 0 };
	struct pair p;
	size_t n;

	want[wl++] = 0;
	want[wl++] = sizeof(dn1);
	memcpy(want + wl, dn1, sizeof(dn1));
	wl += sizeof(dn1);
	want[wl++] = 0;
	want[wl++] = sizeof(dn2);
	memcpy(want + wl, dn2, sizeof(dn2));
	wl += sizeof(dn2);

	pair_setup(&p, KTLS_SIG_ED25519);
	ident_make(cp, &p.cid, KTLS_SIG_ED25519);
	cfg_ident(&p.ccfg, &p.cid);
	p.ccfg.ca_names = cnames;
	p.ccfg.n_ca_names = 2;
	p.scfg.ca_names = snames;
	p.scfg.n_ca_names = 1;
	p.scfg.request_client_cert = true;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.ck.done, 1);
	TAP_CHECK_EQ(p.sk.done, 1);
	/* the server got the client's two */
	TAP_CHECK_EQ(p.sk.done_ev.u.done.n_peer_ca_names, 2);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.peer_ca_names_len, wl);
	TAP_CHECK(p.sk.done_ev.u.done.peer_ca_names &&
		  !memcmp(p.sk.done_ev.u.done.peer_ca_names, want, wl));
	/* the client got the server's one, from the CertificateRequest */
	TAP_CHECK_EQ(p.ck.done_ev.u.done.n_peer_ca_names, 1);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.peer_ca_names_len, 4);
	TAP_CHECK(p.ck.done_ev.u.done.peer_ca_names &&
		  !memcmp(p.ck.done_ev.u.done.peer_ca_names + 2, dn3, 2));
	pair_free(&p);

	/* on the wire: the ClientHello and the CertificateRequest */
	pair_setup(&p, KTLS_SIG_ED25519);
	p.ccfg.ca_names = cnames;
	p.ccfg.n_ca_names = 2;
	TAP_CHECK_EQ(pair_start(&p), 0);
	TAP_CHECK(ch_exts(p.c, &ch) &
		  TLS_EXT_BIT(TLS_EXTID_CERTIFICATE_AUTHORITIES));
	TAP_CHECK_EQ(ch.x.n_authorities, 2);
	TAP_CHECK_EQ(ch.x.authorities.len, wl);
	TAP_CHECK(!memcmp(ch.x.authorities.p, want, wl));
	pair_free(&p);
	pair_setup(&p, KTLS_SIG_ED25519);
	p.scfg.ca_names = cnames;
	p.scfg.n_ca_names = 2;
	p.scfg.request_client_cert = true;
	TAP_CHECK_EQ(pair_start(&p), 0);
	n = server_flight_msg(&p, 13, msg, sizeof(msg));
	TAP_CHECK(n > 4);
	TAP_CHECK_EQ(tls_certificate_request_parse(msg + 4, n - 4, &cr, &e),
		     0);
	TAP_CHECK_EQ(cr.x.n_authorities, 2);
	TAP_CHECK(cr.x.authorities.len == wl &&
		  !memcmp(cr.x.authorities.p, want, wl));
	pair_free(&p);

	/* none configured: none sent, none reported */
	pair_setup(&p, KTLS_SIG_ED25519);
	p.scfg.request_client_cert = true;
	TAP_CHECK_EQ(pair_start(&p), 0);
	pump(p.c, p.s, &p.ck, &p.sk);
	TAP_CHECK_EQ(p.sk.done, 1);
	TAP_CHECK_EQ(p.sk.done_ev.u.done.n_peer_ca_names, 0);
	TAP_CHECK(!p.sk.done_ev.u.done.peer_ca_names);
	TAP_CHECK_EQ(p.ck.done_ev.u.done.n_peer_ca_names, 0);
	pair_free(&p);
}

/*
 * §4.4.2.1 lets each CertificateEntry carry its certificate's status.  The
 * server's Certificate is rewritten in flight (opened and sealed again
 * with the server's handshake key) into a chain of two whose second entry
 * staples: asked for, it is accepted and not passed on (the verifier sees
 * no staple; the CertificateVerify then fails, as the transcript changed:
 * decrypt_error); not asked for, unsupported_extension before the
 * verifier runs.
 */
TAP_TEST(ocsp_staple_on_intermediate)
{
	static uint8_t pt[CONN_RBUF], rec[CONN_RBUF];
	uint8_t key[KTLS_AEAD_MAX_KEY_LEN], iv[KTLS_AEAD_NONCE_LEN];
	uint8_t nonce[KTLS_AEAD_NONCE_LEN];

	make_staple();
	for (int asked = 0; asked < 2; asked++) {
		const struct ktls_suite *su = NULL;
		struct ktls_aead_ctx aead;
		struct ktls_event ev;
		struct pair p;
		const uint8_t *o;
		size_t len, off = 0;
		uint64_t seq = 0;
		int rewritten = 0;

		pair_setup(&p, KTLS_SIG_ECDSA_SECP256R1_SHA256);
		p.ccfg.request_ocsp = asked;
		p.ccfg.verifier.verify = ocsp_verify;
		verify_calls = 0;
		seen_ocsp_len = 99;
		seen_ocsp_null = false;
		TAP_CHECK_EQ(pair_start(&p), 0);
		xfer(p.c, p.s);
		while (ktls_conn_next_event(p.s, &ev))
			if (ev.type == KTLS_EV_KEYS &&
			    ev.u.keys.dir == KTLS_DIR_TX &&
			    ev.u.keys.stage == KTLS_KEYS_HANDSHAKE) {
				su = ktls_suite_by_id(ev.u.keys.suite);
				memcpy(key, ev.u.keys.key, ev.u.keys.key_len);
				memcpy(iv, ev.u.keys.iv, sizeof(iv));
			}
		o = ktls_conn_out(p.s, &len);
		TAP_CHECK(su && o);
		if (!su || !o ||
		    ktls_aead_init(cp, &aead, su->aead, key, su->key_len)) {
			pair_free(&p);
			continue;
		}
		while (off + 5 <= len && !ktls_conn_error(p.c)) {
			size_t rl = (size_t)o[off + 3] << 8 | o[off + 4], n;
			struct tls_certificate ct;
			struct tls_err e = { 0 };
			struct tls_writer w;

			if (o[off] != 23 || rl <= KTLS_AEAD_TAG_LEN) {
				ktls_conn_feed(p.c, o + off, 5 + rl);
				off += 5 + rl;
				continue;
			}
			ktls_record_nonce(iv, seq++, nonce);
			if (ktls_aead_open(cp, &aead, nonce, o + off, 5,
					   o + off + 5, rl, pt) ||
			    pt[0] != 11 ||
			    pt[rl - KTLS_AEAD_TAG_LEN - 1] != 22 ||
			    tls_certificate_parse(pt + 4,
						  rl - KTLS_AEAD_TAG_LEN - 5,
						  &ct, &e) || ct.n != 1) {
				ktls_conn_feed(p.c, o + off, 5 + rl);
				off += 5 + rl;
				continue;
			}
			/* the leaf again as a second entry, with a staple */
			ct.n = 2;
			ct.e[1].data = ct.e[0].data;
			ct.e[1].ocsp.p = staple;
			ct.e[1].ocsp.len = sizeof(staple);
			TAP_CHECK_EQ(tls_exts_add(&ct.e[1].exts,
						  TLS_EXT_STATUS_REQUEST, NULL,
						  0, &e), 0);
			tls_w_init(&w, rec + 5, sizeof(rec) - 5 -
				   KTLS_AEAD_TAG_LEN - 1);
			TAP_CHECK_EQ(tls_certificate_encode(&w, &ct), 0);
			TAP_CHECK_EQ(tls_w_finish(&w, &n, &e), 0);
			memcpy(pt, rec + 5, n);
			pt[n++] = 22;
			rec[0] = 23;
			rec[1] = 3;
			rec[2] = 3;
			rec[3] = (uint8_t)((n + KTLS_AEAD_TAG_LEN) >> 8);
			rec[4] = (uint8_t)(n + KTLS_AEAD_TAG_LEN);
			TAP_CHECK_EQ(ktls_aead_seal(cp, &aead, nonce, rec, 5,
						    pt, n, rec + 5), 0);
			ktls_conn_feed(p.c, rec, 5 + n + KTLS_AEAD_TAG_LEN);
			rewritten = 1;
			off += 5 + rl;
		}
		ktls_aead_free(cp, &aead);
		drain_events(p.c, &p.ck);
		TAP_CHECK(rewritten);
		TAP_CHECK_EQ(p.ck.done, 0);
		if (asked) {
			TAP_CHECK_EQ(verify_calls, 1);
			TAP_CHECK(seen_ocsp_null);
			TAP_CHECK_EQ(seen_ocsp_len, 0);
			TAP_CHECK_EQ(p.ck.alert_sent, 51);
		} else {
			TAP_CHECK_EQ(verify_calls, 0);
			TAP_CHECK_EQ(p.ck.alert_sent, 110);
		}
		pair_free(&p);
	}
}

int main(void)
{
	return tap_run();
}
