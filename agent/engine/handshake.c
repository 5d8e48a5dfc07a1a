// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The TLS 1.3 handshake state machine, client and server (RFC 8446 §2,
 * §4, Appendix A), as data.
 *
 * Why it is shaped so: the whole protocol a reader has to check is the
 * table hs_table[] below: for each state, the one handshake message type
 * it accepts and the handler for it.  The dispatcher hs_process() is the
 * only code that looks a message up: it frames a whole message out of the
 * reassembly buffer, finds the slot for (state, type) *before* anything is
 * parsed (no slot: unexpected_message, §6), and calls the handler; the
 * handler parses through the codec, does the checks that need the
 * connection's state, updates the transcript at the point the RFC names,
 * and sets the next state.  So Appendix A.1/A.2 can be read off the table:
 *
 *   client: WAIT_SH -(SH/HRR)-> WAIT_EE -> WAIT_CERT_CR -> [WAIT_CERT] ->
 *           WAIT_CV -> WAIT_FINISHED -> CONNECTED
 *   server: WAIT_CH -(HRR)-> WAIT_CH2 -> (sends its flight) ->
 *           [WAIT_CERT -> WAIT_CV] -> WAIT_FINISHED -> CONNECTED
 *
 * Flights are built in the handler that ends the previous one (the client
 * answers the server's Finished; the server answers the ClientHello), each
 * message encoded into one scratch buffer, hashed into the transcript and
 * protected into the output.  A key change must fall on a record boundary
 * (§5.1): a handler that changes the read key sets key_changed and the
 * dispatcher refuses any handshake bytes left over.
 *
 * Two operations may be asynchronous: the peer's certificate verdict and
 * our own CertificateVerify signature.  Their handler stops with
 * HS_PENDING; ktls_conn_verify_done()/ktls_conn_sign_done() continue at a
 * named resume point (enum hs_resume), never by re-running a handler.
 *
 * PSKs (§2.2, §4.2.11) ride the same table: a client offering one (a
 * ticket or the configured external PSK) computes the binder over the
 * transcript so far plus its ClientHello up to the binders and patches it
 * in; a server that accepts one skips CertificateRequest, Certificate and
 * CertificateVerify, and so does the client's EncryptedExtensions handler
 * (next state WAIT_FINISHED).  Both PSK modes of §4.2.9, as the config
 * allows: psk_dhe_ke exchanges a key share as a full handshake does;
 * psk_ke exchanges none, and the Handshake Secret is extracted from a
 * zero (EC)DHE input of Hash.length (§7.1).  A client offering its PSK
 * with psk_ke alone sends neither supported_groups nor key_share (§9.2
 * allows that beside pre_shared_key).  Binders and tickets are in psk.c.
 *
 * Secrets: handshake secrets live in the connection until the handshake
 * ends and are wiped then (application secrets are kept for KeyUpdate);
 * every local that held a secret is wiped before return.
 */
#include <string.h>

#include "cert_spki.h"
#include "conn.h"
#include "hs.h"

enum hs_state {
	ST_NONE = 0,
	C_WAIT_SH,
	C_WAIT_EE,
	C_WAIT_CERT_CR,
	C_WAIT_CERT,
	C_WAIT_CV,
	C_WAIT_FINISHED,
	S_WAIT_CH,
	S_WAIT_CH2,
	S_WAIT_CERT,
	S_WAIT_CV,
	S_WAIT_FINISHED,
	ST_CONNECTED,
};

enum hs_resume {
	RES_NONE = 0,
	RES_PEER_CERT,		/* verifier answered */
	RES_CLIENT_FLIGHT,	/* our CertificateVerify signature arrived */
	RES_SERVER_FLIGHT,
};

#define HS_PENDING_KEEP	1	/* stop; the message stays buffered */
#define HS_PENDING_DONE	2	/* stop; the message was consumed */

typedef int (*hs_handler)(struct ktls_conn *c, const struct tls_hs_msg *m,
			  const uint8_t *raw, size_t raw_len);

static int c_server_hello(struct ktls_conn *, const struct tls_hs_msg *,
			  const uint8_t *, size_t);
static int c_encrypted_extensions(struct ktls_conn *,
				  const struct tls_hs_msg *, const uint8_t *,
				  size_t);
static int c_certificate_request(struct ktls_conn *, const struct tls_hs_msg *,
				 const uint8_t *, size_t);
static int x_certificate(struct ktls_conn *, const struct tls_hs_msg *,
			 const uint8_t *, size_t);
static int x_certificate_verify(struct ktls_conn *, const struct tls_hs_msg *,
				const uint8_t *, size_t);
static int c_finished(struct ktls_conn *, const struct tls_hs_msg *,
		      const uint8_t *, size_t);
static int s_client_hello(struct ktls_conn *, const struct tls_hs_msg *,
			  const uint8_t *, size_t);
static int s_finished(struct ktls_conn *, const struct tls_hs_msg *,
		      const uint8_t *, size_t);
static int p_key_update(struct ktls_conn *, const struct tls_hs_msg *,
			const uint8_t *, size_t);

/* The state table: RFC 8446 Appendix A, one row per accepted message. */
static const struct hs_slot {
	uint8_t state;
	uint8_t type;
	hs_handler fn;
	const char *what;
} hs_table[] = {
	/* A.1 client */
	{ C_WAIT_SH,	   TLS_HS_SERVER_HELLO,	       c_server_hello,
	  "ServerHello/HelloRetryRequest (§4.1.3, §4.1.4)" },
	{ C_WAIT_EE,	   TLS_HS_ENCRYPTED_EXTENSIONS, c_encrypted_extensions,
	  "EncryptedExtensions (§4.3.1)" },
	{ C_WAIT_CERT_CR,  TLS_HS_CERTIFICATE_REQUEST, c_certificate_request,
	  "CertificateRequest (§4.3.2)" },
	{ C_WAIT_CERT_CR,  TLS_HS_CERTIFICATE,	       x_certificate,
	  "Certificate (§4.4.2)" },
	{ C_WAIT_CERT,	   TLS_HS_CERTIFICATE,	       x_certificate,
	  "Certificate (§4.4.2)" },
	{ C_WAIT_CV,	   TLS_HS_CERTIFICATE_VERIFY,  x_certificate_verify,
	  "CertificateVerify (§4.4.3)" },
	{ C_WAIT_FINISHED, TLS_HS_FINISHED,	       c_finished,
	  "Finished (§4.4.4)" },
	/* A.2 server */
	{ S_WAIT_CH,	   TLS_HS_CLIENT_HELLO,	       s_client_hello,
	  "ClientHello (§4.1.2)" },
	{ S_WAIT_CH2,	   TLS_HS_CLIENT_HELLO,	       s_client_hello,
	  "second ClientHello (§4.1.2)" },
	{ S_WAIT_CERT,	   TLS_HS_CERTIFICATE,	       x_certificate,
	  "client Certificate (§4.4.2)" },
	{ S_WAIT_CV,	   TLS_HS_CERTIFICATE_VERIFY,  x_certificate_verify,
	  "client CertificateVerify (§4.4.3)" },
	{ S_WAIT_FINISHED, TLS_HS_FINISHED,	       s_finished,
	  "client Finished (§4.4.4)" },
	/* §4.6 post-handshake */
	{ ST_CONNECTED,	   TLS_HS_NEW_SESSION_TICKET,  hs_new_session_ticket,
	  "NewSessionTicket (§4.6.1)" },
	{ ST_CONNECTED,	   TLS_HS_KEY_UPDATE,	       p_key_update,
	  "KeyUpdate (§4.6.3)" },
};

/* ---- helpers ---- */





static int th_update(struct ktls_conn *c, const uint8_t *p, size_t n)
{
	for (int i = 0; i < 2; i++) {
		if (!c->th_live[i])
			continue;
		int ret = ktls_hash_update(c->cp, &c->th[i], p, n);

		if (ret)
			return fail_err(c, ret, "transcript hash");
	}
	return 0;
}

static int th_hash(struct ktls_conn *c, uint8_t *out)
{
	int ret = ktls_hash_snapshot(c->cp, &c->th[th_idx(c->suite->hash)],
				     out);

	return ret ? fail_err(c, ret, "transcript hash") : 0;
}

/* Keep only the suite's transcript hash. */
static void th_choose(struct ktls_conn *c)
{
	int keep = th_idx(c->suite->hash);

	if (c->th_live[!keep]) {
		ktls_hash_free(c->cp, &c->th[!keep]);
		c->th_live[!keep] = false;
	}
}



static void put_be16_list(uint8_t *out, const uint16_t *l, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		out[2 * i] = (uint8_t)(l[i] >> 8);
		out[2 * i + 1] = (uint8_t)l[i];
	}
}

/*
 * §4.2.3: "signature_algorithms_cert" only where the schemes we accept in
 * certificates are not those of "signature_algorithms" ("If no
 * "signature_algorithms_cert" extension is present, then the
 * "signature_algorithms" extension also applies to signatures appearing
 * in certificates").
 */
static bool cert_schemes_differ(const struct ktls_config *cfg)
{
	if (!cfg->n_cert_sig_schemes)
		return false;
	if (cfg->n_cert_sig_schemes != cfg->n_sig_schemes)
		return true;
	for (unsigned int i = 0; i < cfg->n_sig_schemes; i++)
		if (cfg->cert_sig_schemes[i] != cfg->sig_schemes[i])
			return true;
	return false;
}

/*
 * What a ClientHello and a CertificateRequest both carry about the
 * peer's certificate: status_request (OCSP, an empty responder_id_list
 * and request_extensions; empty in a CertificateRequest, §4.4.2.1),
 * signature_algorithms_cert (§4.2.3) and certificate_authorities (§4.2.4).
 * @schemes: room for the cert schemes, alive until encoded.
 */
static int add_cert_exts(const struct ktls_config *cfg,
			 struct tls_ext_list *l, struct tls_ext_values *x,
			 uint8_t *schemes)
{
	struct tls_err e;
	int ret = 0;

	if (cfg->request_ocsp) {
		x->status_type = TLS_STATUS_TYPE_OCSP;
		ret |= tls_exts_add(l, TLS_EXT_STATUS_REQUEST, NULL, 0, &e);
	}
	if (cert_schemes_differ(cfg)) {
		put_be16_list(schemes, cfg->cert_sig_schemes,
			      cfg->n_cert_sig_schemes);
		x->sig_algs_cert.p = schemes;
		x->sig_algs_cert.n = cfg->n_cert_sig_schemes;
		ret |= tls_exts_add(l, TLS_EXT_SIGNATURE_ALGORITHMS_CERT, NULL,
				    0, &e);
	}
	if (cfg->n_ca_names) {
		x->dns = cfg->ca_names;
		x->n_dns = cfg->n_ca_names;
		ret |= tls_exts_add(l, TLS_EXT_CERTIFICATE_AUTHORITIES, NULL, 0,
				    &e);
	}
	return ret;
}

/*
 * §4.2.4: the peer's certificate_authorities, kept for the done event
 * (the codec checked the list; we have one chain, so it chooses nothing).
 */
static void keep_peer_cas(struct ktls_conn *c, const struct tls_ext_list *l,
			  const struct tls_ext_values *x)
{
	c->n_peer_cas = 0;
	c->peer_cas_len = 0;
	if (!(l->present & TLS_EXT_BIT(TLS_EXTID_CERTIFICATE_AUTHORITIES)))
		return;
	c->n_peer_cas = x->n_authorities;
	if (x->authorities.len <= sizeof(c->peer_cas)) {
		memcpy(c->peer_cas, x->authorities.p, x->authorities.len);
		c->peer_cas_len = (uint16_t)x->authorities.len;
	}
}

/* Hash the message in c->msg and send it (protected if keys are on). */
static int send_msg(struct ktls_conn *c, size_t len)
{
	int ret = th_update(c, c->msg, len);

	if (ret)
		return ret;
	ret = rec_write(c, TLS_CT_HANDSHAKE, c->msg, len);
	explicit_bzero(c->msg, len);
	return ret ? fail_err(c, ret, "output full") : 0;
}

/* Encode into c->msg with @enc's result, hash it, send it protected. */
static int send_hs(struct ktls_conn *c, struct tls_writer *w, int enc_ret)
{
	struct tls_err e = { 0 };
	size_t len;

	if (enc_ret || tls_w_finish(w, &len, &e))
		return fail_err(c, KTLS_ERR_BUFFER, "encoding a message");
	return send_msg(c, len);
}

static int set_key(struct ktls_conn *c, enum ktls_dir dir,
		   const uint8_t *secret, enum ktls_key_stage stage)
{
	int ret = rec_set_key(c, dir == KTLS_DIR_TX ? &c->tx : &c->rx,
			      secret, stage);

	if (ret)
		return fail_err(c, ret, "traffic keys");
	if (dir == KTLS_DIR_RX)
		c->key_changed = true;
	conn_push_keys(c, dir);
	return 0;
}

static bool is_ip_literal(const char *s)
{
	bool colon = false, alpha = false;

	for (; *s; s++) {
		if (*s == ':')
			colon = true;
		else if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
			alpha = true;
	}
	return colon || !alpha;
}

/* ---- ClientHello (client side) ---- */

/*
 * §4.1.2.  The key share is for the first group of our preference, or the
 * group a HelloRetryRequest named; a second ClientHello repeats the first
 * with that share and the cookie (§4.1.2: "the client MUST send the same
 * ClientHello without modification, except ...").  psk_key_exchange_modes
 * lists what we allow, psk_dhe_ke first; no_share: a PSK for psk_ke only,
 * so no supported_groups and no key_share.
 */
static int send_client_hello(struct ktls_conn *c)
{
	const struct ktls_config *cfg = c->cfg;
	static const uint8_t versions[2] = { 0x03, 0x04 };
	unsigned int allowed = cfg_psk_modes(cfg);
	uint8_t psk_modes[2];
	size_t n_modes = 0;
	uint8_t suites[2 * KTLS_MAX_SUITES], groups[2 * KTLS_MAX_GROUPS];
	uint8_t schemes[2 * KTLS_MAX_SIG_SCHEMES], share[KTLS_KX_MAX_SHARE];
	uint8_t cert_schemes[2 * KTLS_MAX_CERT_SIG_SCHEMES];
	struct tls_client_hello ch;
	struct tls_writer w;
	struct tls_err e;
	size_t share_len, len;
	int ret;

	memset(&ch, 0, sizeof(ch));
	share_len = 0;
	ret = 0;
	if (!c->no_share) {
		ret = ktls_kx_keygen(c->cp, c->group, &c->kx, share,
				     sizeof(share), &share_len);
		if (ret)
			return fail_err(c, ret, "key share generation");
	}
	/* §4.2.9 PskKeyExchangeMode: psk_ke(0), psk_dhe_ke(1) */
	if (allowed & KTLS_PSK_DHE_KE)
		psk_modes[n_modes++] = 1;
	if (allowed & KTLS_PSK_KE)
		psk_modes[n_modes++] = 0;
	put_be16_list(suites, cfg->suites, cfg->n_suites);
	put_be16_list(groups, cfg->groups, cfg->n_groups);
	put_be16_list(schemes, cfg->sig_schemes, cfg->n_sig_schemes);
	ch.legacy_version = TLS_VERSION_1_2;
	ch.random = c->ch_random;
	ch.session_id.p = c->session_id;
	ch.session_id.len = c->session_id_len;
	ch.cipher_suites.p = suites;
	ch.cipher_suites.n = cfg->n_suites;
	ch.x.versions.p = versions;
	ch.x.versions.n = 1;
	ch.x.groups.p = groups;
	ch.x.groups.n = cfg->n_groups;
	ch.x.sig_algs.p = schemes;
	ch.x.sig_algs.n = cfg->n_sig_schemes;
	ch.x.key_shares[0].group = c->group;
	ch.x.key_shares[0].key_exchange.p = share;
	ch.x.key_shares[0].key_exchange.len = share_len;
	ch.x.n_key_shares = 1;
	ch.x.psk_modes.p = psk_modes;
	ch.x.psk_modes.len = n_modes;
	if (cfg->server_name && *cfg->server_name &&
	    !is_ip_literal(cfg->server_name)) {
		/* RFC 6066 §3: no IP literals in server_name */
		ch.x.server_name.p = (const uint8_t *)cfg->server_name;
		ch.x.server_name.len = strlen(cfg->server_name);
		ret |= tls_exts_add(&ch.exts, TLS_EXT_SERVER_NAME, NULL, 0, &e);
	}
	if (!c->no_share)
		ret |= tls_exts_add(&ch.exts, TLS_EXT_SUPPORTED_GROUPS, NULL,
				    0, &e);
	ret |= tls_exts_add(&ch.exts, TLS_EXT_SIGNATURE_ALGORITHMS, NULL, 0,
			    &e);
	ret |= add_cert_exts(cfg, &ch.exts, &ch.x, cert_schemes);
	if (cfg->n_alpn) {
		for (unsigned int i = 0; i < cfg->n_alpn; i++) {
			ch.x.alpn[i].p = (const uint8_t *)cfg->alpn[i];
			ch.x.alpn[i].len = strlen(cfg->alpn[i]);
		}
		ch.x.n_alpn = (uint8_t)cfg->n_alpn;
		ret |= tls_exts_add(&ch.exts, TLS_EXT_ALPN, NULL, 0, &e);
	}
	ret |= tls_exts_add(&ch.exts, TLS_EXT_SUPPORTED_VERSIONS, NULL, 0, &e);
	if (cfg->record_size_limit) {
		ch.x.record_size_limit = cfg->record_size_limit;
		ret |= tls_exts_add(&ch.exts, TLS_EXT_RECORD_SIZE_LIMIT, NULL,
				    0, &e);
	}
	if (c->cookie_len) {
		ch.x.cookie.p = c->cookie;
		ch.x.cookie.len = c->cookie_len;
		ret |= tls_exts_add(&ch.exts, TLS_EXT_COOKIE, NULL, 0, &e);
	}
	ret |= tls_exts_add(&ch.exts, TLS_EXT_PSK_KEY_EXCHANGE_MODES, NULL, 0,
			    &e);
	if (!c->no_share)
		ret |= tls_exts_add(&ch.exts, TLS_EXT_KEY_SHARE, NULL, 0, &e);
	if (c->psk_offered) {
		/* §4.2.11: "MUST be the last extension in the ClientHello" */
		static const uint8_t zeros[KTLS_MAX_HASH_LEN];

		ch.x.psks[0].identity.p = c->tk.ticket;
		ch.x.psks[0].identity.len = c->tk.len;
		/* §4.2.11.1: the age (the store's clock) plus age_add */
		ch.x.psks[0].obfuscated_ticket_age = c->tk.age_ms +
						     c->tk.age_add;
		ch.x.psks[0].binder.p = zeros;
		ch.x.psks[0].binder.len = ktls_hash_len(c->ks_early.s.hash);
		ch.x.n_psks = 1;
		ret |= tls_exts_add(&ch.exts, TLS_EXT_PRE_SHARED_KEY, NULL, 0,
				    &e);
	}
	c->offered_exts = ch.exts.present;
	tls_w_init(&w, c->msg, sizeof(c->msg));
	ret = ret || tls_client_hello_encode(&w, &ch) ||
	      tls_w_finish(&w, &len, &e);
	explicit_bzero(share, sizeof(share));
	if (ret)
		return fail_err(c, KTLS_ERR_BUFFER, "encoding ClientHello");
	if (c->psk_offered) {
		/* binders: 2-byte list length, 1-byte length, the binder */
		size_t bl = ktls_hash_len(c->ks_early.s.hash);

		ret = hs_psk_binder(c, c->msg, len - 3 - bl, c->msg + len - bl);
		if (ret)
			return fail_err(c, ret, "PSK binder");
	}
	return send_msg(c, len);
}

int hs_start(struct ktls_conn *c)
{
	int ret;

	if (c->server) {
		c->state = S_WAIT_CH;
		c->ccs_ok = true;
		return 0;
	}
	c->group = c->cfg->groups[0];
	ret = ktls_random(c->cp, c->ch_random, sizeof(c->ch_random));
	if (!ret && c->cfg->middlebox_compat) {
		/* §D.4: a non-empty legacy_session_id */
		c->session_id_len = 32;
		ret = ktls_random(c->cp, c->session_id, 32);
	}
	for (int i = 0; !ret && i < 2; i++) {
		ret = ktls_hash_init(c->cp, &c->th[i],
				     i ? KTLS_HASH_SHA384 : KTLS_HASH_SHA256);
		c->th_live[i] = !ret;
	}
	/* §9.2: beside pre_shared_key, supported_groups may go */
	c->no_share = c->psk_offered &&
		      !(cfg_psk_modes(c->cfg) & KTLS_PSK_DHE_KE);
	if (!ret && c->psk_offered) {
		const struct ktls_suite *ts = ktls_suite_by_id(c->tk.suite);

		ret = ktls_ks_early_init(&c->ks_early, c->cp, ts->hash,
					 c->tk.psk, c->tk.psk_len);
	}
	if (ret)
		return fail_err(c, ret, "client start");
	c->state = C_WAIT_SH;
	c->ccs_ok = true;
	return send_client_hello(c);
}

/* ---- client: ServerHello and HelloRetryRequest ---- */

/* §4.1.3: the downgrade sentinels in the last 8 bytes of the random. */
static bool downgrade_sentinel(const uint8_t *random)
{
	static const uint8_t dg[7] = { 'D', 'O', 'W', 'N', 'G', 'R', 'D' };

	return !memcmp(random + 24, dg, 7) &&
	       (random[31] == 0 || random[31] == 1);
}

static int c_check_hello_common(struct ktls_conn *c,
				const struct tls_server_hello *sh,
				enum tls_ext_ctx ctx)
{
	struct tls_err e = { 0 };
	int a;

	/*
	 * §4.1.3: "A client which receives a legacy_session_id_echo field
	 * that does not match what it sent in the ClientHello MUST abort the
	 * handshake with an "illegal_parameter" alert."
	 */
	if (sh->session_id.len != c->session_id_len ||
	    memcmp(sh->session_id.p, c->session_id, c->session_id_len))
		return fail_alert(c, TLS_ALERT_ILLEGAL_PARAMETER,
				  "legacy_session_id_echo differs");
	/* §4.2.1: supported_versions is how TLS 1.3 is selected */
	if (!(sh->exts.present & TLS_EXT_BIT(TLS_EXTID_SUPPORTED_VERSIONS)))
		return fail_alert(c, TLS_ALERT_PROTOCOL_VERSION,
				  "server did not select TLS 1.3");
	if (sh->x.selected_version != TLS_VERSION_1_3)
		return fail_alert(c, TLS_ALERT_ILLEGAL_PARAMETER,
				  "selected_version not offered");
	/* "MUST check that the cipher suite supplied ... was offered" */
	if (!list_has(c->cfg->suites, c->cfg->n_suites, sh->cipher_suite))
		return fail_alert(c, TLS_ALERT_ILLEGAL_PARAMETER,
				  "cipher suite not offered");
	if (c->suite && c->suite->id != sh->cipher_suite)
		return fail_alert(c, TLS_ALERT_ILLEGAL_PARAMETER,
				  "cipher suite differs from HelloRetryRequest");
	a = tls_exts_check_solicited(c->offered_exts, sh->exts.present, ctx,
				     &e);
	if (a)
		return conn_fail_tls(c, a, &e);
	return 0;
}

/* §4.1.4 HelloRetryRequest */
static int c_hello_retry(struct ktls_conn *c, const struct tls_server_hello *sh,
			 const uint8_t *raw, size_t raw_len)
{
	uint16_t g = sh->x.hrr_group;
	int ret;

	/* "If a client receives a second HelloRetryRequest ... MUST abort
	 * the handshake with an "unexpected_message" alert."
	 */
	if (c->hrr)
		return fail_alert(c, TLS_ALERT_UNEXPECTED_MESSAGE,
				  "second HelloRetryRequest");
	ret = c_check_hello_common(c, sh, TLS_CTX_HRR);
	if (ret)
		return ret;
	/*
	 * "Upon receipt of this extension in a HelloRetryRequest, the client
	 * MUST verify that (1) the selected_group field corresponds to a
	 * group which was provided in the "supported_groups" extension in the
	 * original ClientHello and (2) the selected_group field does not
	 * correspond to a group which was provided in the "key_share"
	 * extension in the original ClientHello. If either of these checks
	 * fails, then the client MUST abort the handshake with an
	 * "illegal_parameter" alert." (§4.2.8)
	 */
	if (!(sh->exts.present & TLS_EXT_BIT(TLS_EXTID_KEY_SHARE)) &&
	    !(sh->exts.present & TLS_EXT_BIT(TLS_EXTID_COOKIE)))
		/* "would not result in any change in the ClientHello" */
		return fail_alert(c, TLS_ALERT_ILLEGAL_PARAMETER,
				  "HelloRetryRequest changes nothing");
	if (sh->exts.present & TLS_EXT_BIT(TLS_EXTID_KEY_SHARE)) {
		if (!list_has(c->cfg->groups, c->cfg->n_groups, g) ||
		    g == c->group)
			return fail_alert(c, TLS_ALERT_ILLEGAL_PARAMETER,
					  "HelloRetryRequest selected_group");
		ktls_kx_state_wipe(&c->kx);
		c->group = g;
	}
	if (sh->exts.present & TLS_EXT_BIT(TLS_EXTID_COOKIE)) {
		if (sh->x.cookie.len > sizeof(c->cookie))
			return fail_err(c, KTLS_ERR_BUFFER, "cookie too long");
		memcpy(c->cookie, sh->x.cookie.p, sh->x.cookie.len);
		c->cookie_len = (uint16_t)sh->x.cookie.len;
	}
	c->suite = ktls_suite_by_id(sh->cipher_suite);
	c->hrr = true;
	if (c->psk_offered && c->suite->hash != c->ks_early.s.hash) {
		/* the ticket's hash is not the suite's: offer it no more */
		c->psk_offered = false;
		ktls_ks_early_wipe(&c->ks_early);
		/* psk_ke only: without it, nothing is left to offer */
		if (c->no_share)
			return fail_alert(c, TLS_ALERT_HANDSHAKE_FAILURE,
					  "HRR suite does not fit the PSK");
	}
	th_choose(c);
	/* §4.4.1: ClientHello1 becomes message_hash */
	ret = ktls_transcript_hrr(c->cp, &c->th[th_idx(c->suite->hash)],
				  c->suite->hash);
	if (ret) {
		c->th_live[th_idx(c->suite->hash)] = false;
		return fail_err(c, ret, "transcript after HelloRetryRequest");
	}
	ret = th_update(c, raw, raw_len);
	if (ret)
		return ret;
	/* §D.4: the CCS goes before the client's second flight */
	if (c->cfg->middlebox_compat && !c->ccs_sent && rec_write_ccs(c))
		return fail_err(c, KTLS_ERR_BUFFER, "output full");
	c->state = C_WAIT_SH;
	return send_client_hello(c);
}

static int c_server_hello(struct ktls_conn *c, const struct tls_hs_msg *m,
			  const uint8_t *raw, size_t raw_len)
{
	uint8_t th[KTLS_MAX_HASH_LEN], shared[KTLS_KX_MAX_SECRET];
	struct tls_server_hello sh;
	struct ktls_ks_early early;
	struct tls_err e = { 0 };
	size_t shared_len = 0;
	int a, ret;

	a = tls_server_hello_parse(m->body, m->len, &sh, &e);
	if (a)
		return conn_fail_tls(c, a, &e);
	if (sh.is_hrr)
		return c_hello_retry(c, &sh, raw, raw_len);
	/*
	 * §4.1.3: "TLS 1.3 clients receiving a ServerHello indicating TLS 1.2
	 * or below MUST check that the last 8 bytes are not equal to either
	 * of these values ... If a match is found, the client MUST abort the
	 * handshake with an "illegal_parameter" alert."
	 */
	if (downgrade_sentinel(sh.random))
		return fail_alert(c, TLS_ALERT_ILLEGAL_PARAMETER,
				  "downgrade sentinel in ServerHello.random");
	ret = c_check_hello_common(c, &sh, TLS_CTX_SH);
	if (ret)
		return ret;
	/*
	 * §4.2.9: only psk_ke goes without a key_share ("the server MUST NOT
	 * supply a "key_share" value"), so a ServerHello without one must
	 * select our PSK and we must have offered psk_ke (§4.1.1: the mode is
	 * selected "from the set indicated by the client"); else key_share
	 * is missing (§9.2).  A key_share we did not solicit (no_share) was
	 * refused above as unsupported_extension.
	 */
	if (!(sh.exts.present & TLS_EXT_BIT(TLS_EXTID_KEY_SHARE))) {
		bool psk = sh.exts.present &
			   TLS_EXT_BIT(TLS_EXTID_PRE_SHARED_KEY);

		if (!psk || !(cfg_psk_modes(c->cfg) & KTLS_PSK_KE))
			return fail_alert(c, TLS_ALERT_MISSING_EXTENSION,
					  "ServerHello without key_share");
		c->psk_ke = true;
	} else if (sh.x.key_shares[0].group != c->group) {
		return fail_alert(c, TLS_ALERT_ILLEGAL_PARAMETER,
				  "server key_share for a group not offered");
	}
	c->suite = ktls_suite_by_id(sh.cipher_suite);
	if (sh.exts.present & TLS_EXT_BIT(TLS_EXTID_PRE_SHARED_KEY)) {
		/*
		 * §4.2.11: "Clients MUST verify that the server's
		 * selected_identity is within the range supplied by the
		 * client, that the server selected a cipher suite indicating
		 * a Hash associated with the PSK ... If these values are not
		 * consistent, the client MUST abort the handshake with an
		 * "illegal_parameter" alert."
		 */
		if (sh.x.selected_identity != 0 ||
		    c->suite->hash != c->ks_early.s.hash)
			return fail_alert(c, TLS_ALERT_ILLEGAL_PARAMETER,
					  "pre_shared_key selection");
		c->psk_accepted = true;
	}
	th_choose(c);
	ret = th_update(c, raw, raw_len);
	if (ret)
		return ret;
	if (c->psk_ke) {
		/* §7.1: "If a given secret is not available, then the 0-value
		 * consisting of a string of Hash.length bytes set to zeros"
		 */
		ktls_kx_state_wipe(&c->kx);
		memset(shared, 0, sizeof(shared));
		shared_len = hlen(c);
		ret = 0;
	} else {
		ret = ktls_kx_finish(c->cp, &c->kx,
				     sh.x.key_shares[0].key_exchange.p,
				     sh.x.key_shares[0].key_exchange.len,
				     shared, &shared_len);
	}
	if (ret)
		return fail_err(c, ret, "server key share");
	if (c->psk_accepted) {
		early = c->ks_early;
		ret = 0;
	} else {
		ret = ktls_ks_early_init(&early, c->cp, c->suite->hash, NULL,
					 0);
	}
	ktls_ks_early_wipe(&c->ks_early);
	if (!ret)
		ret = ktls_ks_handshake_init(&c->ks_hs, &early, shared,
					     shared_len);
	explicit_bzero(shared, sizeof(shared));
	ktls_ks_early_wipe(&early);
	if (!ret)
		ret = th_hash(c, th);
	if (!ret)
		ret = ktls_ks_handshake_traffic(&c->ks_hs, th, c->c_hs,
						c->s_hs);
	if (ret)
		return fail_err(c, ret, "handshake secrets");
	/*
	 * §D.4: the dummy CCS goes before the client's first protected
	 * record; sending it now lets an alert about the server's flight go
	 * out protected under the handshake key, as the server expects.
	 */
	if (c->cfg->middlebox_compat && !c->ccs_sent && rec_write_ccs(c))
		return fail_err(c, KTLS_ERR_BUFFER, "output full");
	ret = set_key(c, KTLS_DIR_TX, c->c_hs, KTLS_KEYS_HANDSHAKE);
	if (!ret)
		ret = set_key(c, KTLS_DIR_RX, c->s_hs, KTLS_KEYS_HANDSHAKE);
	if (ret)
		return ret;
	c->state = C_WAIT_EE;
	return 0;
}

/* §4.3.1 */
/*
 * RFC 8449 §4: the peer's record_size_limit counts the inner content type,
 * so our protected records carry at most limit - 1 bytes.  A limit over
 * TLS 1.3's 2^14 + 1 is reserved for future versions: "A server MUST NOT
 * enforce this restriction"; a client "MAY" refuse it, we cap it.
 */
static void peer_record_size_limit(struct ktls_conn *c, uint16_t limit)
{
	c->peer_rsl = limit;
	c->tx_frag = limit > TLS_MAX_PLAINTEXT + 1 ? TLS_MAX_PLAINTEXT :
		     (uint16_t)(limit - 1);
}

static int c_encrypted_extensions(struct ktls_conn *c,
				  const struct tls_hs_msg *m,
				  const uint8_t *raw, size_t raw_len)
{
	struct tls_encrypted_extensions ee;
	struct tls_err e = { 0 };
	int a;

	a = tls_encrypted_extensions_parse(m->body, m->len, &ee, &e);
	if (!a)
		a = tls_exts_check_solicited(c->offered_exts, ee.exts.present,
					     TLS_CTX_EE, &e);
	if (a)
		return conn_fail_tls(c, a, &e);
	if (ee.exts.present & TLS_EXT_BIT(TLS_EXTID_ALPN)) {
		bool ok = false;

		/* RFC 7301 §3.2: must be one the client offered */
		for (unsigned int i = 0; i < c->cfg->n_alpn; i++)
			if (strlen(c->cfg->alpn[i]) == ee.x.alpn[0].len &&
			    !memcmp(c->cfg->alpn[i], ee.x.alpn[0].p,
				    ee.x.alpn[0].len))
				ok = true;
		if (!ok)
			return fail_alert(c, TLS_ALERT_ILLEGAL_PARAMETER,
					  "ALPN protocol not offered");
		memcpy(c->alpn, ee.x.alpn[0].p, ee.x.alpn[0].len);
		c->alpn_len = (uint8_t)ee.x.alpn[0].len;
	}
	if (ee.exts.present & TLS_EXT_BIT(TLS_EXTID_RECORD_SIZE_LIMIT)) {
		/* solicited (checked above), so we offered ours: it holds */
		peer_record_size_limit(c, ee.x.record_size_limit);
		c->rx_inner_max = c->cfg->record_size_limit;
	}
	/* §2.2: with a PSK, no Certificate/CertificateVerify follow */
	c->state = c->psk_accepted ? C_WAIT_FINISHED : C_WAIT_CERT_CR;
	return th_update(c, raw, raw_len);
}

/*
 * §4.4.3: "the signature algorithm MUST be one offered in the client's
 * "signature_algorithms" extension" (for a client, the server's
 * CertificateRequest's).  Of the schemes our key can make, the peer's
 * first preference; 0 if it accepts none of them.  Without a list
 * (n_key_schemes 0), key_scheme, and for an rsaEncryption key any of the
 * three rsa_pss_rsae_* (one RSA key makes them all).
 */
static uint16_t own_scheme_for(const struct ktls_config *cfg,
			       const struct tls_u16_list *peer)
{
	static const uint16_t rsae[] = {
		KTLS_SIG_RSA_PSS_RSAE_SHA256, KTLS_SIG_RSA_PSS_RSAE_SHA384,
		KTLS_SIG_RSA_PSS_RSAE_SHA512,
	};
	const uint16_t *own = cfg->key_schemes;
	unsigned int n = cfg->n_key_schemes;

	if (!n) {
		own = &cfg->key_scheme;
		n = 1;
		if (list_has(rsae, 3, cfg->key_scheme)) {
			own = rsae;
			n = 3;
		}
	}
	for (size_t i = 0; i < peer->n; i++) {
		uint16_t s = tls_u16_at(peer, i);

		if (s && list_has(own, n, s))
			return s;
	}
	return 0;
}

/* §4.3.2 */
static int c_certificate_request(struct ktls_conn *c,
				 const struct tls_hs_msg *m,
				 const uint8_t *raw, size_t raw_len)
{
	struct tls_certificate_request cr;
	struct tls_err e = { 0 };
	int a;

	a = tls_certificate_request_parse(m->body, m->len, &cr, &e);
	if (a)
		return conn_fail_tls(c, a, &e);
	/* "the certificate_request_context ... SHALL be zero length" */
	if (cr.context.len)
		return fail_alert(c, TLS_ALERT_ILLEGAL_PARAMETER,
				  "certificate_request_context not empty");
	/* "The "signature_algorithms" extension MUST be specified" */
	if (!(cr.exts.present & TLS_EXT_BIT(TLS_EXTID_SIGNATURE_ALGORITHMS)))
		return fail_alert(c, TLS_ALERT_MISSING_EXTENSION,
				  "CertificateRequest without signature_algorithms");
	c->cert_requested = true;
	/*
	 * §4.4.2.1: "A server MAY request that a client present an OCSP
	 * response with its certificate by sending an empty
	 * "status_request" extension in its CertificateRequest message."
	 * signature_algorithms_cert (§4.2.3) was checked by the codec; with
	 * one chain there is nothing to choose by it or by
	 * certificate_authorities (§4.2.4), which we only report.
	 */
	c->peer_wants_ocsp = cr.exts.present &
			     TLS_EXT_BIT(TLS_EXTID_STATUS_REQUEST);
	keep_peer_cas(c, &cr.exts, &cr.x);
	/*
	 * §4.4.2.3: without a certificate for the server's
	 * signature_algorithms the client "SHOULD send a Certificate
	 * message containing no certificates".
	 */
	c->own_sig_scheme = c->cfg->chain_n ?
			    own_scheme_for(c->cfg, &cr.x.sig_algs) : 0;
	c->state = C_WAIT_CERT;
	return th_update(c, raw, raw_len);
}

/* ---- both: the peer's Certificate and CertificateVerify ---- */

static int peer_cert_verdict(struct ktls_conn *c, int verdict,
			     const char *reason)
{
	struct ktls_event *ev = conn_push(c, KTLS_EV_PEER_CERT);

	ev->u.peer.leaf = c->chain.der[0];
	ev->u.peer.leaf_len = c->chain.len[0];
	ev->u.peer.chain_n = c->chain.n;
	ev->u.peer.verdict = verdict;
	ev->u.peer.reason = reason;
	ev->u.peer.ocsp_len = c->chain.ocsp_len;
	if (verdict)
		return fail_alert(c, verdict > 0 && verdict < 256 ? verdict :
				  TLS_ALERT_BAD_CERTIFICATE,
				  reason ? reason : "peer certificate rejected");
	return 0;
}

/* After the verdict: hash the Certificate message and move on. */
static int cert_finish(struct ktls_conn *c, const uint8_t *raw,
		       size_t raw_len)
{
	c->state = c->server ? S_WAIT_CV : C_WAIT_CV;
	return th_update(c, raw, raw_len);
}

/* §4.4.2 */
static int x_certificate(struct ktls_conn *c, const struct tls_hs_msg *m,
			 const uint8_t *raw, size_t raw_len)
{
	struct tls_certificate ct;
	struct tls_err e = { 0 };
	const uint8_t *spki;
	const char *reason = NULL;
	size_t spki_len;
	int a, verdict;

	a = tls_certificate_parse(m->body, m->len, &ct, &e);
	if (a)
		return conn_fail_tls(c, a, &e);
	/* our CertificateRequest's context is always empty */
	if (ct.context.len)
		return fail_alert(c, TLS_ALERT_ILLEGAL_PARAMETER,
				  "certificate_request_context not ours");
	if (!ct.n) {
		/*
		 * §4.4.2.4: "If the server supplies an empty Certificate
		 * message, the client MUST abort the handshake with a
		 * "decode_error" alert."  "If the client does not send any
		 * certificates (i.e., it sends an empty Certificate
		 * message), the server MAY at its discretion either continue
		 * the handshake without client authentication or abort the
		 * handshake with a "certificate_required" alert."
		 */
		if (!c->server)
			return fail_alert(c, TLS_ALERT_DECODE_ERROR,
					  "server sent no certificate");
		if (c->cfg->require_client_cert)
			return fail_alert(c, TLS_ALERT_CERTIFICATE_REQUIRED,
					  "client sent no certificate");
		c->peer_cert_empty = true;
		c->state = S_WAIT_FINISHED;
		return th_update(c, raw, raw_len);
	}
	/*
	 * §4.4.2: "Extensions in the Certificate message from the server
	 * MUST correspond to ones from the ClientHello message.  Extensions
	 * in the Certificate message from the client MUST correspond to
	 * extensions in the CertificateRequest message from the server."
	 * and §4.2: an answer to an extension not sent is
	 * "unsupported_extension".  A solicited status_request on another
	 * entry than the leaf (an intermediate's OCSP response, which
	 * §4.4.2.1 does not forbid) is accepted and not passed on.
	 */
	for (unsigned int i = 0; i < ct.n; i++) {
		uint32_t extra = ct.e[i].exts.present &
				 ~(c->server ? c->cr_exts : c->offered_exts);

		/* the codec let only these two through in a CertificateEntry */
		if (extra & TLS_EXT_BIT(TLS_EXTID_STATUS_REQUEST))
			return fail_alert(c, TLS_ALERT_UNSUPPORTED_EXTENSION,
					  "CertificateEntry.status_request not requested");
		if (extra)
			return fail_alert(c, TLS_ALERT_UNSUPPORTED_EXTENSION,
					  "CertificateEntry.signed_certificate_timestamp not requested");
	}
	if (ktls_cert_spki(ct.e[0].data.p, ct.e[0].data.len, &spki,
			   &spki_len) || spki_len > sizeof(c->peer_spki))
		return fail_alert(c, TLS_ALERT_BAD_CERTIFICATE,
				  "leaf certificate unreadable");
	memcpy(c->peer_spki, spki, spki_len);
	c->peer_spki_len = spki_len;
	c->chain.n = ct.n < KTLS_MAX_CHAIN ? ct.n : KTLS_MAX_CHAIN;
	for (unsigned int i = 0; i < c->chain.n; i++) {
		c->chain.der[i] = ct.e[i].data.p;
		c->chain.len[i] = ct.e[i].data.len;
	}
	/* §4.4.2.1: the leaf's CertificateStatus, for the verifier */
	c->chain.ocsp = ct.e[0].ocsp.len ? ct.e[0].ocsp.p : NULL;
	c->chain.ocsp_len = ct.e[0].ocsp.len;
	verdict = c->cfg->verifier.verify(c->cfg->verifier.arg, &c->chain,
					  c->server ? NULL :
					  c->cfg->server_name, &reason);
	if (verdict == KTLS_VERIFY_PENDING) {
		c->pending = PEND_VERIFY;
		c->resume = RES_PEER_CERT;
		conn_push(c, KTLS_EV_PENDING_VERIFY);
		return HS_PENDING_KEEP;
	}
	a = peer_cert_verdict(c, verdict, reason);
	return a ? a : cert_finish(c, raw, raw_len);
}

/* §4.4.3 */
static int x_certificate_verify(struct ktls_conn *c,
				const struct tls_hs_msg *m,
				const uint8_t *raw, size_t raw_len)
{
	uint8_t th[KTLS_MAX_HASH_LEN], content[200];
	struct tls_certificate_verify cv;
	struct tls_err e = { 0 };
	struct tls_writer w;
	size_t n;
	int a, ret;

	a = tls_certificate_verify_parse(m->body, m->len, &cv, &e);
	if (a)
		return conn_fail_tls(c, a, &e);
	/*
	 * "If the CertificateVerify message is sent by a server, the
	 * signature algorithm MUST be one offered in the client's
	 * "signature_algorithms" extension" (likewise for the client and
	 * our CertificateRequest, which offers the same list).
	 */
	if (!list_has(c->cfg->sig_schemes, c->cfg->n_sig_schemes,
		      cv.algorithm))
		return fail_alert(c, TLS_ALERT_ILLEGAL_PARAMETER,
				  "signature scheme not offered");
	ret = th_hash(c, th);
	if (ret)
		return ret;
	tls_w_init(&w, content, sizeof(content));
	if (tls_certificate_verify_content(&w, !c->server, th, hlen(c)) ||
	    tls_w_finish(&w, &n, &e))
		return fail_err(c, KTLS_ERR_BUFFER, "signed content");
	ret = ktls_sig_verify(c->cp, cv.algorithm, c->peer_spki,
			      c->peer_spki_len, content, n, cv.signature.p,
			      cv.signature.len);
	/*
	 * §4.2.3: rsa_pss_rsae_* is for rsaEncryption keys, rsa_pss_pss_*
	 * for id-RSASSA-PSS keys (whose parameters must allow the hash), an
	 * ECDSA scheme for its own curve: a scheme the certificate's key
	 * cannot make is the peer's wrong choice of parameter, as OpenSSL
	 * and BoringSSL also treat it, not a failed verification.
	 */
	if (ret == KTLS_ERR_BAD_KEY)
		return fail_alert(c, TLS_ALERT_ILLEGAL_PARAMETER,
				  "CertificateVerify scheme unfit for the key");
	/* "MUST abort the handshake with a "decrypt_error" alert" */
	if (ret == KTLS_ERR_BAD_SIGNATURE)
		return fail_alert(c, TLS_ALERT_DECRYPT_ERROR,
				  "CertificateVerify signature invalid");
	if (ret)
		return fail_err(c, ret, "CertificateVerify");
	c->peer_sig_scheme = cv.algorithm;
	if (c->server)
		c->client_authed = true;
	c->state = c->server ? S_WAIT_FINISHED : C_WAIT_FINISHED;
	return th_update(c, raw, raw_len);
}

/* ---- our Certificate, CertificateVerify, Finished ---- */

static int send_certificate(struct ktls_conn *c, bool empty)
{
	struct tls_certificate ct;
	struct tls_writer w;

	memset(&ct, 0, sizeof(ct));
	if (!empty) {
		ct.n = (uint8_t)c->cfg->chain_n;
		for (unsigned int i = 0; i < ct.n; i++) {
			ct.e[i].data.p = c->cfg->chain_der[i];
			ct.e[i].data.len = c->cfg->chain_len[i];
		}
		/*
		 * §4.4.2.1: our OCSP response goes with the leaf, only when
		 * the peer asked (status_type ocsp in the ClientHello, or an
		 * empty status_request in the CertificateRequest).
		 */
		if (ct.n && c->peer_wants_ocsp && c->cfg->ocsp_staple) {
			struct tls_err e;

			ct.e[0].ocsp.p = c->cfg->ocsp_staple;
			ct.e[0].ocsp.len = c->cfg->ocsp_staple_len;
			if (tls_exts_add(&ct.e[0].exts, TLS_EXT_STATUS_REQUEST,
					 NULL, 0, &e))
				return fail_err(c, KTLS_ERR_BUFFER,
						"status_request");
		}
	}
	tls_w_init(&w, c->msg, sizeof(c->msg));
	return send_hs(c, &w, tls_certificate_encode(&w, &ct));
}

/* Sign our CertificateVerify content; may leave it pending. */
static int sign_cv(struct ktls_conn *c)
{
	uint8_t th[KTLS_MAX_HASH_LEN], content[200];
	const struct ktls_config *cfg = c->cfg;
	struct tls_err e = { 0 };
	struct tls_writer w;
	size_t n;
	int ret;

	ret = th_hash(c, th);
	if (ret)
		return ret;
	tls_w_init(&w, content, sizeof(content));
	if (tls_certificate_verify_content(&w, c->server, th, hlen(c)) ||
	    tls_w_finish(&w, &n, &e))
		return fail_err(c, KTLS_ERR_BUFFER, "signed content");
	if (cfg->key)
		ret = ktls_sig_sign(c->cp, c->own_sig_scheme, cfg->key,
				    cfg->key_len, content, n, c->sig,
				    sizeof(c->sig), &c->sig_len);
	else
		ret = cfg->signer.sign(cfg->signer.arg, c->own_sig_scheme,
				       content, n, c->sig, sizeof(c->sig),
				       &c->sig_len);
	if (ret == KTLS_SIGN_PENDING) {
		c->pending = PEND_SIGN;
		conn_push(c, KTLS_EV_PENDING_SIGN);
		return HS_PENDING_DONE;
	}
	return ret ? fail_err(c, ret, "signing CertificateVerify") : 0;
}

static int send_certificate_verify(struct ktls_conn *c)
{
	struct tls_certificate_verify cv;
	struct tls_writer w;
	int ret;

	cv.algorithm = c->own_sig_scheme;
	cv.signature.p = c->sig;
	cv.signature.len = c->sig_len;
	tls_w_init(&w, c->msg, sizeof(c->msg));
	ret = send_hs(c, &w, tls_certificate_verify_encode(&w, &cv));
	explicit_bzero(c->sig, sizeof(c->sig));
	return ret;
}

static int send_finished(struct ktls_conn *c, const uint8_t *base_key)
{
	uint8_t th[KTLS_MAX_HASH_LEN], vd[KTLS_MAX_HASH_LEN];
	struct tls_finished f;
	struct tls_writer w;
	int ret;

	ret = th_hash(c, th);
	if (ret)
		return ret;
	ret = ktls_finished_verify_data(c->cp, c->suite->hash, base_key, th,
					vd);
	if (ret)
		return fail_err(c, ret, "Finished");
	f.verify_data.p = vd;
	f.verify_data.len = hlen(c);
	tls_w_init(&w, c->msg, sizeof(c->msg));
	ret = send_hs(c, &w, tls_finished_encode(&w, &f));
	explicit_bzero(vd, sizeof(vd));
	return ret;
}

static int check_finished(struct ktls_conn *c, const struct tls_hs_msg *m,
			  const uint8_t *base_key)
{
	uint8_t th[KTLS_MAX_HASH_LEN];
	struct tls_finished f;
	struct tls_err e = { 0 };
	int a, ret;

	a = tls_finished_parse(m->body, m->len, hlen(c), &f, &e);
	if (a)
		return conn_fail_tls(c, a, &e);
	ret = th_hash(c, th);
	if (ret)
		return ret;
	ret = ktls_finished_check(c->cp, c->suite->hash, base_key, th,
				  f.verify_data.p, f.verify_data.len);
	/* §4.4.4: "MUST terminate the connection with a "decrypt_error"" */
	if (ret == KTLS_ERR_DECRYPT)
		return fail_alert(c, TLS_ALERT_DECRYPT_ERROR,
				  "Finished.verify_data wrong");
	return ret ? fail_err(c, ret, "Finished") : 0;
}

static void handshake_done(struct ktls_conn *c)
{
	struct ktls_event *ev;

	explicit_bzero(c->c_hs, sizeof(c->c_hs));
	explicit_bzero(c->s_hs, sizeof(c->s_hs));
	/* installed; the record layer keeps the current ones for KeyUpdate */
	explicit_bzero(c->c_ap, sizeof(c->c_ap));
	explicit_bzero(c->s_ap, sizeof(c->s_ap));
	c->done = true;
	c->ccs_ok = false;
	c->state = ST_CONNECTED;
	ev = conn_push(c, KTLS_EV_HANDSHAKE_DONE);
	ev->u.done.suite = c->suite->id;
	ev->u.done.group = c->psk_ke ? 0 : c->group;
	ev->u.done.psk_ke = c->psk_ke;
	ev->u.done.sig_scheme = c->peer_sig_scheme;
	ev->u.done.hrr = c->hrr;
	ev->u.done.client_authenticated = c->client_authed;
	ev->u.done.resumed = c->psk_accepted &&
			     c->psk_kind == KTLS_BINDER_RESUMPTION;
	ev->u.done.external_psk = c->psk_accepted &&
				  c->psk_kind == KTLS_BINDER_EXTERNAL;
	ev->u.done.alpn = c->alpn_len ? c->alpn : NULL;
	ev->u.done.alpn_len = c->alpn_len;
	ev->u.done.sni = c->sni_len ? c->sni : NULL;
	ev->u.done.sni_len = c->sni_len;
	ev->u.done.peer_record_size_limit = c->peer_rsl;
	ev->u.done.max_tx_payload = c->tx_frag ? c->tx_frag :
				    TLS_MAX_PLAINTEXT;
	ev->u.done.n_peer_ca_names = c->n_peer_cas;
	ev->u.done.peer_ca_names = c->peer_cas_len ? c->peer_cas : NULL;
	ev->u.done.peer_ca_names_len = c->peer_cas_len;
	ev->u.done.peer_ocsp_len = c->chain.ocsp_len;
}

/* Master secret and application secrets over CH..server Finished. */
static int derive_app(struct ktls_conn *c)
{
	uint8_t th[KTLS_MAX_HASH_LEN];
	int ret;

	ret = th_hash(c, th);
	if (ret)
		return ret;
	ret = ktls_ks_master_init(&c->ks_ms, &c->ks_hs);
	if (!ret)
		ret = ktls_ks_app_traffic(&c->ks_ms, th, c->c_ap, c->s_ap);
	if (!ret)
		ret = ktls_ks_exporter(&c->ks_ms, th, c->exporter);
	return ret ? fail_err(c, ret, "application secrets") : 0;
}

static int derive_resumption(struct ktls_conn *c)
{
	uint8_t th[KTLS_MAX_HASH_LEN];
	int ret = th_hash(c, th);

	if (!ret)
		ret = ktls_ks_resumption(&c->ks_ms, th, c->res_master);
	ktls_ks_master_wipe(&c->ks_ms);
	return ret ? fail_err(c, ret, "resumption secret") : 0;
}

/* ---- client: answer the server's Finished ---- */

static int client_flight_tail(struct ktls_conn *c)
{
	int ret;

	if (c->cert_requested && c->own_sig_scheme) {
		ret = send_certificate_verify(c);
		if (ret)
			return ret;
	}
	ret = send_finished(c, c->c_hs);
	if (!ret)
		ret = derive_resumption(c);
	if (!ret)
		ret = set_key(c, KTLS_DIR_TX, c->c_ap,
			      KTLS_KEYS_APPLICATION);
	if (ret)
		return ret;
	handshake_done(c);
	return 0;
}

/* §4.4.4, then the client's second flight (§2) */
static int c_finished(struct ktls_conn *c, const struct tls_hs_msg *m,
		      const uint8_t *raw, size_t raw_len)
{
	int ret;

	ret = check_finished(c, m, c->s_hs);
	if (!ret)
		ret = th_update(c, raw, raw_len);
	if (!ret)
		ret = derive_app(c);
	if (!ret)
		ret = set_key(c, KTLS_DIR_RX, c->s_ap, KTLS_KEYS_APPLICATION);
	if (ret)
		return ret;
	if (c->cert_requested) {
		/* §4.4.2: an empty Certificate if we have nothing suitable */
		ret = send_certificate(c, !c->own_sig_scheme);
		if (!ret && c->own_sig_scheme)
			ret = sign_cv(c);
		if (ret == HS_PENDING_DONE) {
			c->resume = RES_CLIENT_FLIGHT;
			return ret;
		}
		if (ret)
			return ret;
	}
	return client_flight_tail(c);
}

/* ---- server ---- */

static int send_hello_retry(struct ktls_conn *c, uint16_t group,
			    const struct tls_client_hello *ch,
			    const uint8_t *raw, size_t raw_len)
{
	struct tls_server_hello hrr;
	struct tls_writer w;
	struct tls_err e;
	int ret;

	c->hrr = true;
	c->group = group;
	memset(&hrr, 0, sizeof(hrr));
	hrr.is_hrr = true;
	hrr.legacy_version = TLS_VERSION_1_2;
	hrr.random = tls_hrr_random;
	hrr.session_id = ch->session_id;
	hrr.cipher_suite = c->suite->id;
	hrr.x.selected_version = TLS_VERSION_1_3;
	hrr.x.hrr_group = group;
	ret = tls_exts_add(&hrr.exts, TLS_EXT_SUPPORTED_VERSIONS, NULL, 0, &e);
	ret |= tls_exts_add(&hrr.exts, TLS_EXT_KEY_SHARE, NULL, 0, &e);
	/* §4.4.1: the transcript restarts from message_hash(CH1) */
	if (th_update(c, raw, raw_len))
		return c->err;
	if (ktls_transcript_hrr(c->cp, &c->th[th_idx(c->suite->hash)],
				c->suite->hash)) {
		c->th_live[th_idx(c->suite->hash)] = false;
		return fail_err(c, KTLS_ERR_CRYPTO, "transcript hash");
	}
	tls_w_init(&w, c->msg, sizeof(c->msg));
	ret = send_hs(c, &w, ret || tls_server_hello_encode(&w, &hrr));
	if (ret)
		return ret;
	/* §D.4: CCS right after the first handshake message */
	if (ch->session_id.len && rec_write_ccs(c))
		return fail_err(c, KTLS_ERR_BUFFER, "output full");
	c->state = S_WAIT_CH2;
	return 0;
}

static int server_flight_tail(struct ktls_conn *c)
{
	int ret = c->psk_accepted ? 0 : send_certificate_verify(c);

	if (!ret)
		ret = send_finished(c, c->s_hs);
	if (!ret)
		ret = derive_app(c);
	if (!ret)
		ret = set_key(c, KTLS_DIR_TX, c->s_ap, KTLS_KEYS_APPLICATION);
	if (ret)
		return ret;
	c->state = c->cert_requested ? S_WAIT_CERT : S_WAIT_FINISHED;
	return 0;
}

/*
 * §4.1.3 ServerHello with our share (encapsulated against the client's),
 * then the handshake traffic secrets over CH..SH and both handshake keys.
 * psk_ke (§4.2.9): no key_share, and a zero (EC)DHE input (§7.1).
 */
static int send_server_hello(struct ktls_conn *c,
			     const struct tls_client_hello *ch,
			     const struct tls_key_share *ks)
{
	uint8_t share[KTLS_KX_MAX_SHARE], shared[KTLS_KX_MAX_SECRET];
	uint8_t random[TLS_RANDOM_LEN], th[KTLS_MAX_HASH_LEN];
	struct tls_server_hello sh;
	struct ktls_ks_early early;
	struct tls_writer w;
	struct tls_err e;
	size_t share_len, shared_len;
	int ret;

	if (c->psk_ke) {
		memset(shared, 0, sizeof(shared));
		shared_len = hlen(c);
		share_len = 0;
		ret = 0;
	} else {
		ret = ktls_kx_encap(c->cp, c->group, ks->key_exchange.p,
				    ks->key_exchange.len, share, sizeof(share),
				    &share_len, shared, &shared_len);
	}
	if (ret == KTLS_ERR_BAD_KEY_SHARE)
		return fail_alert(c, TLS_ALERT_ILLEGAL_PARAMETER,
				  "client key share invalid");
	if (!ret)
		ret = ktls_random(c->cp, random, sizeof(random));
	if (ret) {
		explicit_bzero(shared, sizeof(shared));
		return fail_err(c, ret, "key exchange");
	}
	memset(&sh, 0, sizeof(sh));
	sh.legacy_version = TLS_VERSION_1_2;
	sh.random = random;
	sh.session_id = ch->session_id;
	sh.cipher_suite = c->suite->id;
	sh.x.selected_version = TLS_VERSION_1_3;
	sh.x.key_shares[0].group = c->group;
	sh.x.key_shares[0].key_exchange.p = share;
	sh.x.key_shares[0].key_exchange.len = share_len;
	sh.x.n_key_shares = 1;
	ret = tls_exts_add(&sh.exts, TLS_EXT_SUPPORTED_VERSIONS, NULL, 0, &e);
	if (!c->psk_ke)
		ret |= tls_exts_add(&sh.exts, TLS_EXT_KEY_SHARE, NULL, 0, &e);
	if (c->psk_accepted) {
		sh.x.selected_identity = 0;
		ret |= tls_exts_add(&sh.exts, TLS_EXT_PRE_SHARED_KEY, NULL, 0,
				    &e);
	}
	tls_w_init(&w, c->msg, sizeof(c->msg));
	ret = send_hs(c, &w, ret || tls_server_hello_encode(&w, &sh));
	/* §D.4: CCS right after the first handshake message */
	if (!ret && ch->session_id.len && !c->ccs_sent && rec_write_ccs(c))
		ret = fail_err(c, KTLS_ERR_BUFFER, "output full");
	if (!ret) {
		if (c->psk_accepted) {
			early = c->ks_early;
			ktls_ks_early_wipe(&c->ks_early);
		} else {
			ret = ktls_ks_early_init(&early, c->cp,
						 c->suite->hash, NULL, 0);
		}
		if (!ret)
			ret = ktls_ks_handshake_init(&c->ks_hs, &early, shared,
						     shared_len);
		ktls_ks_early_wipe(&early);
		if (!ret)
			ret = th_hash(c, th);
		if (!ret)
			ret = ktls_ks_handshake_traffic(&c->ks_hs, th, c->c_hs,
							c->s_hs);
		if (ret)
			ret = fail_err(c, ret, "handshake secrets");
	}
	explicit_bzero(shared, sizeof(shared));
	if (ret)
		return ret;
	ret = set_key(c, KTLS_DIR_TX, c->s_hs, KTLS_KEYS_HANDSHAKE);
	return ret ? ret : set_key(c, KTLS_DIR_RX, c->c_hs,
				   KTLS_KEYS_HANDSHAKE);
}

/* §4.3.1: SNI acknowledged (RFC 6066 §3: empty), the ALPN selected */
static int send_encrypted_extensions(struct ktls_conn *c)
{
	struct tls_encrypted_extensions ee;
	struct tls_writer w;
	struct tls_err e;
	int ret = 0;

	memset(&ee, 0, sizeof(ee));
	if (c->sni_len)
		ret |= tls_exts_add(&ee.exts, TLS_EXT_SERVER_NAME, NULL, 0, &e);
	if (c->alpn_len) {
		ee.x.alpn[0].p = c->alpn;
		ee.x.alpn[0].len = c->alpn_len;
		ee.x.n_alpn = 1;
		ret |= tls_exts_add(&ee.exts, TLS_EXT_ALPN, NULL, 0, &e);
	}
	/* RFC 8449 §4: only in answer to the client's */
	if (c->peer_rsl && c->cfg->record_size_limit) {
		ee.x.record_size_limit = c->cfg->record_size_limit;
		ret |= tls_exts_add(&ee.exts, TLS_EXT_RECORD_SIZE_LIMIT, NULL,
				    0, &e);
	}
	tls_w_init(&w, c->msg, sizeof(c->msg));
	ret = send_hs(c, &w, ret || tls_encrypted_extensions_encode(&w, &ee));
	/* every record the client protects comes after it reads this */
	if (!ret && c->peer_rsl && c->cfg->record_size_limit)
		c->rx_inner_max = c->cfg->record_size_limit;
	return ret;
}

/*
 * §4.3.2: an empty context, the schemes we accept, and as configured
 * status_request, signature_algorithms_cert, certificate_authorities
 */
static int send_certificate_request(struct ktls_conn *c)
{
	uint8_t schemes[2 * KTLS_MAX_SIG_SCHEMES];
	uint8_t cert_schemes[2 * KTLS_MAX_CERT_SIG_SCHEMES];
	struct tls_certificate_request cr;
	struct tls_writer w;
	struct tls_err e;
	int ret;

	memset(&cr, 0, sizeof(cr));
	put_be16_list(schemes, c->cfg->sig_schemes, c->cfg->n_sig_schemes);
	cr.x.sig_algs.p = schemes;
	cr.x.sig_algs.n = c->cfg->n_sig_schemes;
	ret = tls_exts_add(&cr.exts, TLS_EXT_SIGNATURE_ALGORITHMS, NULL, 0,
			   &e);
	ret |= add_cert_exts(c->cfg, &cr.exts, &cr.x, cert_schemes);
	c->cr_exts = cr.exts.present;
	tls_w_init(&w, c->msg, sizeof(c->msg));
	ret = send_hs(c, &w, ret || tls_certificate_request_encode(&w, &cr));
	if (!ret)
		c->cert_requested = true;
	return ret;
}

/* The server's flight (§2): SH, EE, [CR, Certificate, CV,] Finished. */
static int send_server_flight(struct ktls_conn *c,
			      const struct tls_client_hello *ch,
			      const struct tls_key_share *ks,
			      const uint8_t *raw, size_t raw_len)
{
	int ret;

	ret = th_update(c, raw, raw_len);
	if (!ret)
		ret = send_server_hello(c, ch, ks);
	if (!ret)
		ret = send_encrypted_extensions(c);
	if (ret)
		return ret;
	if (c->psk_accepted)	/* §2.2: no certificates with a PSK */
		return server_flight_tail(c);
	if (c->cfg->request_client_cert) {
		ret = send_certificate_request(c);
		if (ret)
			return ret;
	}
	ret = send_certificate(c, false);
	if (!ret)
		ret = sign_cv(c);
	if (ret == HS_PENDING_DONE) {
		c->resume = RES_SERVER_FLIGHT;
		return ret;
	}
	return ret ? ret : server_flight_tail(c);
}

static bool alpn_offered(const struct tls_client_hello *ch, const char *p)
{
	size_t n = strlen(p);

	for (unsigned int i = 0; i < ch->x.n_alpn; i++)
		if (ch->x.alpn[i].len == n && !memcmp(ch->x.alpn[i].p, p, n))
			return true;
	return false;
}




/* §4.1.2, server side: select version, suite, group, scheme, ALPN */
static int s_client_hello(struct ktls_conn *c, const struct tls_hs_msg *m,
			  const uint8_t *raw, size_t raw_len)
{
	const struct ktls_config *cfg = c->cfg;
	const struct tls_key_share *ks = NULL;
	struct tls_client_hello ch;
	struct tls_err e = { 0 };
	uint16_t group = 0;
	bool psk;
	int a, ret;

	a = tls_client_hello_parse(m->body, m->len, &ch, &e);
	if (a)
		return conn_fail_tls(c, a, &e);
	/* §4.2.1: only TLS 1.3 here */
	if (!tls_u16_list_has(&ch.x.versions, TLS_VERSION_1_3))
		return fail_alert(c, TLS_ALERT_PROTOCOL_VERSION,
				  "client does not offer TLS 1.3");
	c->psk_accepted = false;
	ktls_ks_early_wipe(&c->ks_early);
	psk = hs_try_ticket(c, &ch);
	if (c->state == S_WAIT_CH) {
		for (unsigned int i = 0; i < cfg->n_suites && !c->suite; i++)
			if (tls_u16_list_has(&ch.cipher_suites,
					     cfg->suites[i]))
				c->suite = ktls_suite_by_id(cfg->suites[i]);
		if (!c->suite)
			return fail_alert(c, TLS_ALERT_HANDSHAKE_FAILURE,
					  "no cipher suite in common");
		ret = ktls_hash_init(c->cp, &c->th[th_idx(c->suite->hash)],
				     c->suite->hash);
		if (ret)
			return fail_err(c, ret, "transcript hash");
		c->th_live[th_idx(c->suite->hash)] = true;
	} else if (!tls_u16_list_has(&ch.cipher_suites, c->suite->id)) {
		return fail_alert(c, TLS_ALERT_ILLEGAL_PARAMETER,
				  "second ClientHello drops the suite");
	}
	/* our preferred group among those the client supports */
	for (unsigned int i = 0; i < cfg->n_groups && !group; i++)
		if (tls_u16_list_has(&ch.x.groups, cfg->groups[i]))
			group = cfg->groups[i];
	for (unsigned int i = 0; i < ch.x.n_key_shares; i++)
		if (group && ch.x.key_shares[i].group == group)
			ks = &ch.x.key_shares[i];
	/*
	 * §4.1.1: with a PSK, "a key establishment mode from the set
	 * indicated by the client's psk_key_exchange_modes"; §4.2.9: we
	 * prefer psk_dhe_ke (forward secret) when both allow it and a group
	 * is shared, else psk_ke when both allow that, else no PSK.
	 */
	c->psk_ke = false;
	if (psk) {
		unsigned int both = ch_psk_modes(&ch) & cfg_psk_modes(cfg);

		if (!(both & KTLS_PSK_DHE_KE) || !group) {
			c->psk_ke = both & KTLS_PSK_KE;
			psk = c->psk_ke;
		}
		if (!psk)
			ktls_ks_early_wipe(&c->ks_early);
	}
	/* §4.1.1: no overlap: "handshake_failure" */
	if (!group && !c->psk_ke)
		return fail_alert(c, TLS_ALERT_HANDSHAKE_FAILURE,
				  "no group in common");
	if (c->state == S_WAIT_CH2 && (group != c->group || !ks ||
				       ch.x.n_key_shares != 1))
		/* §4.1.2: the share for the group the HRR named, only */
		return fail_alert(c, TLS_ALERT_ILLEGAL_PARAMETER,
				  "second ClientHello key_share wrong");
	if (psk) {
		ret = hs_check_binder(c, &ch, raw);
		if (ret)
			return ret;
	}
	/* A PSK-only server (NVMe/TCP) has nothing else to offer. */
	if (!c->psk_accepted && !cfg->chain_n)
		return fail_alert(c, TLS_ALERT_HANDSHAKE_FAILURE,
				  "no certificate to present and no PSK agreed");
	/* §4.4.2.2 / §4.4.3: a scheme for our key the client accepts */
	c->own_sig_scheme = c->psk_accepted ? 0 :
			    own_scheme_for(cfg, &ch.x.sig_algs);
	if (!c->psk_accepted && !c->own_sig_scheme)
		return fail_alert(c, TLS_ALERT_HANDSHAKE_FAILURE,
				  "client does not accept our signature scheme");
	/*
	 * RFC 6066 §8 / RFC 8446 §4.4.2.1: we staple only for status_type
	 * ocsp (another type is ignored).  signature_algorithms_cert
	 * (§4.2.3) was checked by the codec: with one chain it chooses
	 * nothing; certificate_authorities (§4.2.4) is only reported.
	 */
	c->peer_wants_ocsp = (ch.exts.present &
			      TLS_EXT_BIT(TLS_EXTID_STATUS_REQUEST)) &&
			     ch.x.status_type == TLS_STATUS_TYPE_OCSP;
	keep_peer_cas(c, &ch.exts, &ch.x);
	if (ch.exts.present & TLS_EXT_BIT(TLS_EXTID_SERVER_NAME) &&
	    ch.x.server_name.len < sizeof(c->sni)) {
		memcpy(c->sni, ch.x.server_name.p, ch.x.server_name.len);
		c->sni_len = (uint16_t)ch.x.server_name.len;
	}
	/* RFC 8449: honour the client's limit from our first protected
	 * record on (the codec refused a value under 64) */
	c->peer_rsl = 0;
	c->tx_frag = 0;
	if (ch.exts.present & TLS_EXT_BIT(TLS_EXTID_RECORD_SIZE_LIMIT))
		peer_record_size_limit(c, ch.x.record_size_limit);
	c->alpn_len = 0;
	if (ch.exts.present & TLS_EXT_BIT(TLS_EXTID_ALPN) && cfg->n_alpn) {
		for (unsigned int i = 0; i < cfg->n_alpn && !c->alpn_len; i++)
			if (alpn_offered(&ch, cfg->alpn[i])) {
				c->alpn_len = (uint8_t)strlen(cfg->alpn[i]);
				memcpy(c->alpn, cfg->alpn[i], c->alpn_len);
			}
		/* RFC 7301 §3.2 */
		if (!c->alpn_len)
			return fail_alert(c, TLS_ALERT_NO_APPLICATION_PROTOCOL,
					  "no ALPN protocol in common");
	}
	if (!ks && !c->psk_ke)
		return send_hello_retry(c, group, &ch, raw, raw_len);
	c->group = c->psk_ke ? 0 : group;
	c->session_id_len = (uint8_t)ch.session_id.len;
	memcpy(c->session_id, ch.session_id.p, ch.session_id.len);
	return send_server_flight(c, &ch, ks, raw, raw_len);
}

/* §4.4.4: the client's Finished ends the handshake */
static int s_finished(struct ktls_conn *c, const struct tls_hs_msg *m,
		      const uint8_t *raw, size_t raw_len)
{
	int ret;

	if (c->cert_requested && c->cfg->require_client_cert &&
	    !c->client_authed)
		return fail_alert(c, TLS_ALERT_CERTIFICATE_REQUIRED,
				  "client not authenticated");
	ret = check_finished(c, m, c->c_hs);
	if (!ret)
		ret = th_update(c, raw, raw_len);
	if (!ret)
		ret = derive_resumption(c);
	if (!ret)
		ret = set_key(c, KTLS_DIR_RX, c->c_ap, KTLS_KEYS_APPLICATION);
	if (ret)
		return ret;
	handshake_done(c);
	return hs_send_tickets(c);
}

/* ---- post-handshake, §4.6 ---- */


static int update_dir(struct ktls_conn *c, enum ktls_dir dir)
{
	struct rec_dir *d = dir == KTLS_DIR_TX ? &c->tx : &c->rx;
	uint8_t next[KTLS_MAX_HASH_LEN];
	int ret;

	/* §7.2: application_traffic_secret_N+1 */
	ret = ktls_next_traffic_secret(c->cp, c->suite->hash, d->secret, next);
	if (!ret)
		ret = set_key(c, dir, next, KTLS_KEYS_APPLICATION);
	explicit_bzero(next, sizeof(next));
	return ret ? fail_err(c, ret, "KeyUpdate") : 0;
}

static int send_key_update(struct ktls_conn *c, bool request)
{
	struct tls_writer w;
	struct tls_err e;
	size_t len;
	int ret;

	tls_w_init(&w, c->msg, sizeof(c->msg));
	if (tls_key_update_encode(&w, request ? TLS_KEY_UPDATE_REQUESTED :
				  TLS_KEY_UPDATE_NOT_REQUESTED) ||
	    tls_w_finish(&w, &len, &e))
		return fail_err(c, KTLS_ERR_BUFFER, "KeyUpdate");
	/* post-handshake messages are not in the transcript */
	ret = rec_write(c, TLS_CT_HANDSHAKE, c->msg, len);
	if (ret)
		return fail_err(c, ret, "output full");
	return update_dir(c, KTLS_DIR_TX);
}

/*
 * §4.6.3: "If the request_update field is set to "update_requested",
 * then the receiver MUST send a KeyUpdate of its own with request_update
 * set to "update_not_requested" prior to sending its next Application
 * Data record."
 */
static int p_key_update(struct ktls_conn *c, const struct tls_hs_msg *m,
			const uint8_t *raw, size_t raw_len)
{
	enum tls_key_update_request req;
	struct tls_err e = { 0 };
	int a, ret;

	(void)raw;
	(void)raw_len;
	a = tls_key_update_parse(m->body, m->len, &req, &e);
	if (a)
		return conn_fail_tls(c, a, &e);
	ret = update_dir(c, KTLS_DIR_RX);
	if (!ret && req == TLS_KEY_UPDATE_REQUESTED && !c->sent_close)
		ret = send_key_update(c, false);
	return ret;
}


int hs_post_key_update(struct ktls_conn *c, bool request)
{
	return send_key_update(c, request);
}

/* ---- the dispatcher ---- */

static const struct hs_slot *hs_lookup(uint8_t state, uint8_t type)
{
	for (size_t i = 0; i < sizeof(hs_table) / sizeof(hs_table[0]); i++)
		if (hs_table[i].state == state && hs_table[i].type == type)
			return &hs_table[i];
	return NULL;
}

bool hs_ccs_allowed(const struct ktls_conn *c)
{
	/* §5: after the first ClientHello and before the peer's Finished */
	return c->ccs_ok && !(c->server && c->state == S_WAIT_CH);
}

static void hs_consume(struct ktls_conn *c, size_t n)
{
	memmove(c->hsbuf, c->hsbuf + n, c->hs_len - n);
	c->hs_len -= n;
	explicit_bzero(c->hsbuf + c->hs_len, n);
}

int hs_process(struct ktls_conn *c)
{
	while (!c->err && c->pending == PEND_NONE &&
	       c->hs_len >= TLS_HS_HEADER_LEN) {
		const struct hs_slot *slot;
		struct tls_hs_msg m;
		struct tls_err e = { 0 };
		size_t body;
		uint8_t type;
		int a, ret;

		a = tls_hs_header(c->hsbuf, c->hs_len, &type, &body, &e);
		if (a)
			return conn_fail_tls(c, a, &e);
		if (body > CONN_HSBUF - TLS_HS_HEADER_LEN)
			return conn_fail(c, KTLS_ERR_BUFFER,
					 TLS_ALERT_INTERNAL_ERROR,
					 "handshake message too large");
		/* the type decides before any parsing (§6 unexpected) */
		slot = hs_lookup(c->state, type);
		if (!slot)
			return fail_alert(c, TLS_ALERT_UNEXPECTED_MESSAGE,
					  "handshake message not expected here");
		if (c->hs_len < TLS_HS_HEADER_LEN + body)
			return 0;
		m.type = type;
		m.body = c->hsbuf + TLS_HS_HEADER_LEN;
		m.len = body;
		c->key_changed = false;
		ret = slot->fn(c, &m, c->hsbuf, TLS_HS_HEADER_LEN + body);
		if (ret == HS_PENDING_KEEP)
			return 0;
		if (ret < 0 || c->err)
			return c->err ? c->err : ret;
		hs_consume(c, TLS_HS_HEADER_LEN + body);
		/*
		 * §5.1: "Handshake messages MUST NOT span key changes ...
		 * the receiver MUST terminate the connection with an
		 * "unexpected_message" alert."
		 */
		if (c->key_changed && c->hs_len)
			return fail_alert(c, TLS_ALERT_UNEXPECTED_MESSAGE,
					  "handshake data across a key change");
	}
	return c->err;
}

int hs_resume(struct ktls_conn *c)
{
	enum hs_resume r = c->resume;
	size_t body;
	uint8_t type;
	struct tls_err e;
	int ret;

	c->pending = PEND_NONE;
	c->resume = RES_NONE;
	switch (r) {
	case RES_PEER_CERT:
		if (tls_hs_header(c->hsbuf, c->hs_len, &type, &body, &e))
			return fail_err(c, KTLS_ERR_STATE, "resume");
		ret = peer_cert_verdict(c, c->verify_verdict, "verifier");
		if (!ret)
			ret = cert_finish(c, c->hsbuf,
					  TLS_HS_HEADER_LEN + body);
		if (ret)
			return ret;
		hs_consume(c, TLS_HS_HEADER_LEN + body);
		break;
	case RES_CLIENT_FLIGHT:
	case RES_SERVER_FLIGHT:
		if (c->sig_err)
			return fail_err(c, c->sig_err < 0 ? c->sig_err :
					KTLS_ERR_CRYPTO, "signer failed");
		ret = r == RES_CLIENT_FLIGHT ? client_flight_tail(c) :
		      server_flight_tail(c);
		if (ret)
			return ret;
		break;
	default:
		return fail_err(c, KTLS_ERR_STATE, "nothing pending");
	}
	return hs_process(c);
}
