// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The public connection API (agent/include/ktls.h): set-up in caller
 * memory, the byte channels, the event queue, and the one place where the
 * two error conventions meet.
 *
 * Why it is shaped so: the crypto layer speaks enum ktls_err (err.h), the
 * codec speaks RFC 8446 §6 alerts with a reason (alert.h).  A connection
 * needs both: an error for the caller and an alert for the peer.  So there
 * is exactly one bridge, err_alerts[] below, used by conn_fail() when a
 * crypto result must become an alert, and conn_fail_tls() when a codec
 * failure must become an error; nothing else converts.  The first failure
 * sticks: it queues its alert (protected if a write key exists), and every
 * later call returns it.
 *
 * Events are a small ring of fixed entries; an entry that carries a secret
 * carries its own copy, so a KEYS event for the handshake keys stays
 * correct after the application keys are installed.  Entries are wiped
 * when delivered, and the delivered copy when the next one is.
 */
#include <string.h>

#include "conn.h"

_Static_assert(sizeof(struct ktls_conn) <= KTLS_CONN_SIZE,
	       "KTLS_CONN_SIZE too small for struct ktls_conn");

/* enum ktls_err -> the alert RFC 8446 §6 prescribes for it. */
static const struct {
	int err;
	int alert;
} err_alerts[] = {
	{ KTLS_ERR_INVALID,		TLS_ALERT_ILLEGAL_PARAMETER },
	{ KTLS_ERR_UNSUPPORTED,		TLS_ALERT_HANDSHAKE_FAILURE },
	{ KTLS_ERR_CRYPTO,		TLS_ALERT_INTERNAL_ERROR },
	{ KTLS_ERR_DECRYPT,		TLS_ALERT_DECRYPT_ERROR },
	{ KTLS_ERR_BAD_SIGNATURE,	TLS_ALERT_DECRYPT_ERROR },
	{ KTLS_ERR_BAD_KEY_SHARE,	TLS_ALERT_ILLEGAL_PARAMETER },
	{ KTLS_ERR_STATE,		TLS_ALERT_INTERNAL_ERROR },
	{ KTLS_ERR_BUFFER,		TLS_ALERT_INTERNAL_ERROR },
	{ KTLS_ERR_RANDOM,		TLS_ALERT_INTERNAL_ERROR },
	{ KTLS_ERR_BAD_KEY,		TLS_ALERT_BAD_CERTIFICATE },
};

int conn_err_to_alert(int err)
{
	for (size_t i = 0; i < sizeof(err_alerts) / sizeof(err_alerts[0]); i++)
		if (err_alerts[i].err == err)
			return err_alerts[i].alert;
	return TLS_ALERT_INTERNAL_ERROR;
}

/* The alert that reports a codec failure as an error: a peer's fault. */
static int alert_to_err(int alert)
{
	switch (alert) {
	case TLS_ALERT_DECRYPT_ERROR:
		return KTLS_ERR_DECRYPT;
	case TLS_ALERT_INTERNAL_ERROR:
		return KTLS_ERR_STATE;
	default:
		return KTLS_ERR_INVALID;
	}
}

/*
 * Record the first failure and queue its alert.  @alert < 0 means "derive
 * from @err" through err_alerts[].  Returns the sticky error.
 */
int conn_fail(struct ktls_conn *c, int err, int alert, const char *reason)
{
	if (c->err)
		return c->err;
	if (alert < 0)
		alert = conn_err_to_alert(err);
	c->err = err ? err : KTLS_ERR_STATE;
	c->alert = alert;
	c->reason = reason;
	/* make room: what was not sent yet is moot after a fatal alert */
	if (rec_out_room(c) < 64)
		c->olen = c->ooff;
	rec_write_alert(c, alert);
	if (c->ev_n) {
		struct conn_event *e = &c->ev[(c->ev_head + c->ev_n - 1) %
					      CONN_MAX_EVENTS];

		if (e->ev.type == KTLS_EV_ALERT_SENT)
			e->ev.u.alert.reason = reason;
	}
	c->hs_len = 0;
	return c->err;
}

int conn_fail_tls(struct ktls_conn *c, int alert, const struct tls_err *e)
{
	return conn_fail(c, alert_to_err(alert), alert,
			 e->reason ? e->reason : e->field);
}

struct ktls_event *conn_push(struct ktls_conn *c, enum ktls_event_type t)
{
	struct conn_event *e;

	if (c->ev_n == CONN_MAX_EVENTS) {
		/* drop the oldest: the caller is not reading events */
		explicit_bzero(&c->ev[c->ev_head], sizeof(c->ev[0]));
		c->ev_head = (c->ev_head + 1) % CONN_MAX_EVENTS;
		c->ev_n--;
	}
	e = &c->ev[(c->ev_head + c->ev_n++) % CONN_MAX_EVENTS];
	memset(e, 0, sizeof(*e));
	e->ev.type = t;
	return &e->ev;
}

void conn_push_keys(struct ktls_conn *c, enum ktls_dir dir)
{
	const struct rec_dir *d = dir == KTLS_DIR_TX ? &c->tx : &c->rx;
	struct ktls_event *ev = conn_push(c, KTLS_EV_KEYS);
	struct conn_event *e = (struct conn_event *)ev;
	size_t hl = ktls_hash_len(c->suite->hash);

	memcpy(e->secret, d->secret, hl);
	memcpy(e->key, d->key, c->suite->key_len);
	memcpy(e->iv, d->iv, KTLS_AEAD_NONCE_LEN);
	ev->u.keys.dir = dir;
	ev->u.keys.stage = d->stage;
	ev->u.keys.generation = d->generation;
	ev->u.keys.suite = c->suite->id;
	ev->u.keys.secret_len = hl;
	ev->u.keys.key_len = c->suite->key_len;
	ev->u.keys.seq = d->seq;
}

int ktls_conn_next_event(struct ktls_conn *c, struct ktls_event *ev)
{
	struct conn_event *e;

	explicit_bzero(&c->ev_cur, sizeof(c->ev_cur));
	if (!c->ev_n) {
		memset(ev, 0, sizeof(*ev));
		return 0;
	}
	e = &c->ev[c->ev_head];
	c->ev_cur = *e;
	explicit_bzero(e, sizeof(*e));
	c->ev_head = (c->ev_head + 1) % CONN_MAX_EVENTS;
	c->ev_n--;
	if (c->ev_cur.ev.type == KTLS_EV_KEYS) {
		c->ev_cur.ev.u.keys.secret = c->ev_cur.secret;
		c->ev_cur.ev.u.keys.key = c->ev_cur.key;
		c->ev_cur.ev.u.keys.iv = c->ev_cur.iv;
	}
	*ev = c->ev_cur.ev;
	return 1;
}

void ktls_config_init(struct ktls_config *cfg, enum ktls_role role,
		      const struct ktls_crypto_provider *cp)
{
	static const uint16_t suites[] = {
		KTLS_TLS_AES_128_GCM_SHA256, KTLS_TLS_AES_256_GCM_SHA384,
		KTLS_TLS_CHACHA20_POLY1305_SHA256, KTLS_TLS_AES_128_CCM_SHA256,
	};
	static const uint16_t groups[] = {
		KTLS_GROUP_X25519MLKEM768, KTLS_GROUP_X25519,
		KTLS_GROUP_SECP256R1, KTLS_GROUP_SECP384R1,
	};
	static const uint16_t schemes[] = {
		KTLS_SIG_ECDSA_SECP256R1_SHA256, KTLS_SIG_ECDSA_SECP384R1_SHA384,
		KTLS_SIG_ED25519, KTLS_SIG_RSA_PSS_RSAE_SHA256,
		KTLS_SIG_RSA_PSS_RSAE_SHA384, KTLS_SIG_RSA_PSS_RSAE_SHA512,
		KTLS_SIG_ECDSA_SECP521R1_SHA512, KTLS_SIG_RSA_PSS_PSS_SHA256,
		KTLS_SIG_RSA_PSS_PSS_SHA384, KTLS_SIG_RSA_PSS_PSS_SHA512,
	};
	static const uint16_t cert_only[3] = {
		KTLS_SIG_RSA_PKCS1_SHA256, KTLS_SIG_RSA_PKCS1_SHA384,
		KTLS_SIG_RSA_PKCS1_SHA512,
	};

	_Static_assert(sizeof(schemes) / sizeof(schemes[0]) + 3 <=
		       KTLS_MAX_CERT_SIG_SCHEMES, "cert_sig_schemes too small");
	_Static_assert(sizeof(schemes) / sizeof(schemes[0]) <=
		       KTLS_MAX_SIG_SCHEMES, "sig_schemes too small");
	memset(cfg, 0, sizeof(*cfg));
	cfg->role = role;
	cfg->cp = cp;
	memcpy(cfg->suites, suites, sizeof(suites));
	cfg->n_suites = sizeof(suites) / sizeof(suites[0]);
	memcpy(cfg->groups, groups, sizeof(groups));
	cfg->n_groups = sizeof(groups) / sizeof(groups[0]);
	memcpy(cfg->sig_schemes, schemes, sizeof(schemes));
	cfg->n_sig_schemes = sizeof(schemes) / sizeof(schemes[0]);
	/* §4.2.3: rsa_pkcs1_* "MAY only appear in a certificate" */
	memcpy(cfg->cert_sig_schemes, schemes, sizeof(schemes));
	cfg->n_cert_sig_schemes = cfg->n_sig_schemes;
	for (unsigned int i = 0; i < 3; i++)
		cfg->cert_sig_schemes[cfg->n_cert_sig_schemes++] =
			cert_only[i];
	cfg->middlebox_compat = true;
	cfg->tickets_per_handshake = 1;
	cfg->psk_modes = KTLS_PSK_DHE_KE;
}

size_t ktls_conn_size(void)
{
	return sizeof(struct ktls_conn);
}

/* RFC 8446 §4.2.4: DistinguishedName<1..2^16-1>, the list bounded by us */
static bool ca_names_ok(const struct ktls_config *cfg)
{
	size_t total = 0;

	if (cfg->n_ca_names && !cfg->ca_names)
		return false;
	for (unsigned int i = 0; i < cfg->n_ca_names; i++) {
		if (!cfg->ca_names[i].der || !cfg->ca_names[i].len ||
		    cfg->ca_names[i].len > 0xffff)
			return false;
		total += 2 + cfg->ca_names[i].len;
		if (total > KTLS_CA_NAMES_MAX)
			return false;
	}
	return true;
}

static bool config_ok(const struct ktls_config *cfg)
{
	if (!cfg->cp || ktls_crypto_provider_check(cfg->cp))
		return false;
	if (!cfg->n_suites || cfg->n_suites > KTLS_MAX_SUITES ||
	    !cfg->n_groups || cfg->n_groups > KTLS_MAX_GROUPS ||
	    !cfg->n_sig_schemes || cfg->n_sig_schemes > KTLS_MAX_SIG_SCHEMES ||
	    cfg->chain_n > KTLS_MAX_CHAIN ||
	    cfg->n_alpn > KTLS_MAX_ALPN_PROTOS ||
	    cfg->n_key_schemes > KTLS_MAX_KEY_SCHEMES)
		return false;
	for (unsigned int i = 0; i < cfg->n_suites; i++)
		if (!ktls_suite_by_id(cfg->suites[i]))
			return false;
	/* A server needs an identity: a certificate and key, or a PSK. */
	if (cfg->role == KTLS_ROLE_SERVER && !cfg->psk_identity &&
	    (!cfg->chain_n || (!cfg->key && !cfg->signer.sign)))
		return false;
	if (cfg->role == KTLS_ROLE_SERVER && cfg->chain_n &&
	    !cfg->key && !cfg->signer.sign)
		return false;
	if (cfg->role == KTLS_ROLE_CLIENT && !cfg->verifier.verify)
		return false;
	/* RFC 8449 §4: at least 64; TLS 1.3's records hold 2^14 + 1 */
	if (cfg->record_size_limit &&
	    (cfg->record_size_limit < TLS_RECORD_SIZE_LIMIT_MIN ||
	     cfg->record_size_limit > TLS_MAX_PLAINTEXT + 1))
		return false;
	if (cfg->n_ticket_keys && !cfg->ticket_keys)
		return false;
	if (cfg->psk_identity &&
	    (!cfg->psk_identity_len || cfg->psk_identity_len > KTLS_TICKET_MAX ||
	     !cfg->psk || !cfg->psk_len || cfg->psk_len > 48 ||
	     !ktls_suite_by_id(cfg->psk_suite)))
		return false;
	if (cfg->psk_modes & ~(KTLS_PSK_KE | KTLS_PSK_DHE_KE))
		return false;
	/* RFC 6066 §8: OCSPResponse<1..2^24-1>, inside a 2^16 extension */
	if (cfg->ocsp_staple_len > KTLS_OCSP_STAPLE_MAX ||
	    !cfg->ocsp_staple != !cfg->ocsp_staple_len)
		return false;
	if (cfg->n_cert_sig_schemes > KTLS_MAX_CERT_SIG_SCHEMES ||
	    !ca_names_ok(cfg))
		return false;
	if (cfg->role == KTLS_ROLE_SERVER && cfg->request_client_cert &&
	    !cfg->verifier.verify)
		return false;
	return true;
}

struct ktls_conn *ktls_conn_init_resume(void *mem, size_t size,
					const struct ktls_config *cfg,
					const struct ktls_ticket *t)
{
	struct ktls_conn *c = mem;
	const struct ktls_suite *s;

	if (!mem || size < sizeof(*c) || ((uintptr_t)mem & 15) || !cfg ||
	    !config_ok(cfg))
		return NULL;
	if (t) {
		s = ktls_suite_by_id(t->suite);
		if (cfg->role != KTLS_ROLE_CLIENT || !s || !t->len ||
		    t->len > KTLS_TICKET_MAX ||
		    t->psk_len != ktls_hash_len(s->hash))
			return NULL;
	}
	memset(c, 0, sizeof(*c));
	c->magic = KTLS_CONN_MAGIC;
	c->cfg = cfg;
	c->cp = cfg->cp;
	c->server = cfg->role == KTLS_ROLE_SERVER;
	if (t) {
		c->tk = *t;
		c->psk_offered = true;
		c->psk_kind = KTLS_BINDER_RESUMPTION;
	} else if (!c->server && cfg->psk_identity) {
		c->tk.suite = cfg->psk_suite;
		c->tk.len = (uint16_t)cfg->psk_identity_len;
		memcpy(c->tk.ticket, cfg->psk_identity, cfg->psk_identity_len);
		c->tk.psk_len = (uint8_t)cfg->psk_len;
		memcpy(c->tk.psk, cfg->psk, cfg->psk_len);
		c->psk_offered = true;
		c->psk_kind = KTLS_BINDER_EXTERNAL;
	}
	if (hs_start(c) && !c->err)
		conn_fail(c, KTLS_ERR_STATE, TLS_ALERT_INTERNAL_ERROR,
			  "could not start");
	return c;
}

struct ktls_conn *ktls_conn_init(void *mem, size_t size,
				 const struct ktls_config *cfg)
{
	return ktls_conn_init_resume(mem, size, cfg, NULL);
}

void ktls_ticket_store_put(struct ktls_ticket_store *st,
			   const struct ktls_ticket *t, uint64_t now_ms)
{
	if (st->n == KTLS_TICKET_STORE_N) {
		explicit_bzero(&st->t[0], sizeof(st->t[0]));
		memmove(&st->t[0], &st->t[1],
			(KTLS_TICKET_STORE_N - 1) * sizeof(st->t[0]));
		st->n--;
	}
	st->t[st->n] = *t;
	st->t[st->n].received_ms = now_ms;
	st->t[st->n].age_ms = 0;
	st->n++;
}

int ktls_ticket_store_take(struct ktls_ticket_store *st, uint64_t now_ms,
			   struct ktls_ticket *out)
{
	while (st->n) {
		struct ktls_ticket *t = &st->t[--st->n];
		/* a clock that went back: age 0 */
		uint64_t age = now_ms > t->received_ms ?
			       now_ms - t->received_ms : 0;
		uint64_t life = t->lifetime < 604800 ? t->lifetime : 604800;
		bool live = age < life * 1000;

		if (live) {
			*out = *t;
			out->age_ms = (uint32_t)age;
		}
		explicit_bzero(t, sizeof(*t));
		if (live)
			return 0;
	}
	return -1;
}

void ktls_conn_wipe(struct ktls_conn *c)
{
	if (!c || c->magic != KTLS_CONN_MAGIC)
		return;
	for (int i = 0; i < 2; i++)
		if (c->th_live[i])
			ktls_hash_free(c->cp, &c->th[i]);
	rec_dir_wipe(c, &c->rx);
	rec_dir_wipe(c, &c->tx);
	ktls_ks_handshake_wipe(&c->ks_hs);
	ktls_ks_master_wipe(&c->ks_ms);
	ktls_kx_state_wipe(&c->kx);
	ktls_ks_early_wipe(&c->ks_early);
	explicit_bzero(c, sizeof(*c));
}

size_t ktls_conn_feed(struct ktls_conn *c, const uint8_t *in, size_t len)
{
	return rec_feed(c, in, len);
}

const uint8_t *ktls_conn_out(struct ktls_conn *c, size_t *len)
{
	*len = c->olen - c->ooff;
	return *len ? c->obuf + c->ooff : NULL;
}

void ktls_conn_out_ack(struct ktls_conn *c, size_t n)
{
	if (n > c->olen - c->ooff)
		n = c->olen - c->ooff;
	c->ooff += n;
	if (c->ooff == c->olen) {
		explicit_bzero(c->obuf, c->olen);
		c->ooff = c->olen = 0;
	}
}

long ktls_conn_send(struct ktls_conn *c, const uint8_t *data, size_t len)
{
	size_t done = 0;

	if (c->err)
		return c->err;
	if (!c->done || c->sent_close)
		return KTLS_ERR_STATE;
	while (done < len) {
		size_t f = len - done, room = rec_out_room(c);
		int ret;

		if (room <= TLS_REC_HDR + 1 + KTLS_AEAD_TAG_LEN)
			break;
		room -= TLS_REC_HDR + 1 + KTLS_AEAD_TAG_LEN;
		/* one record per pass: the room above is for one */
		if (f > rec_max_frag(c))
			f = rec_max_frag(c);
		if (f > room)
			f = room;
		ret = rec_write(c, TLS_CT_APPLICATION_DATA, data + done, f);
		if (ret)
			return conn_fail(c, ret, -1, "could not seal record");
		done += f;
	}
	return (long)done;
}

size_t ktls_conn_recv(struct ktls_conn *c, uint8_t *buf, size_t cap)
{
	size_t n = c->app_len < cap ? c->app_len : cap;

	if (!n)		/* c->app may be NULL: no memcpy from it */
		return 0;
	memcpy(buf, c->app, n);
	c->app += n;
	c->app_len -= n;
	if (!c->app_len) {
		explicit_bzero(c->rbuf, sizeof(c->rbuf));
		c->app = NULL;
	}
	return n;
}

int ktls_conn_close(struct ktls_conn *c)
{
	if (c->err)
		return c->err;
	if (!c->sent_close) {
		rec_write_alert(c, TLS_ALERT_CLOSE_NOTIFY);
		c->sent_close = true;
	}
	return 0;
}

int ktls_conn_key_update(struct ktls_conn *c, bool request_peer)
{
	if (c->err)
		return c->err;
	if (!c->done)
		return KTLS_ERR_STATE;
	return hs_post_key_update(c, request_peer);
}

int ktls_conn_export(struct ktls_conn *c, const char *label,
		     const uint8_t *context, size_t context_len, uint8_t *out,
		     size_t out_len)
{
	if (c->err)
		return c->err;
	if (!c->done)
		return KTLS_ERR_STATE;
	return ktls_export(c->cp, c->suite->hash, c->exporter, label, context,
			   context_len, out, out_len);
}

int ktls_conn_sign_done(struct ktls_conn *c, int err, const uint8_t *sig,
			size_t sig_len)
{
	if (c->err)
		return c->err;
	if (c->pending != PEND_SIGN)
		return KTLS_ERR_STATE;
	if (!err && sig_len > sizeof(c->sig))
		err = KTLS_ERR_BUFFER;
	c->sig_err = err;
	if (!err) {
		memcpy(c->sig, sig, sig_len);
		c->sig_len = sig_len;
	}
	return hs_resume(c);
}

int ktls_conn_verify_done(struct ktls_conn *c, int verdict)
{
	if (c->err)
		return c->err;
	if (c->pending != PEND_VERIFY)
		return KTLS_ERR_STATE;
	c->verify_verdict = verdict;
	return hs_resume(c);
}

int ktls_conn_error(const struct ktls_conn *c)
{
	return c->err;
}

int ktls_conn_alert(const struct ktls_conn *c, const char **reason)
{
	if (reason)
		*reason = c->reason;
	return c->alert;
}

bool ktls_conn_handshake_done(const struct ktls_conn *c)
{
	return c->done;
}

bool ktls_conn_closed(const struct ktls_conn *c)
{
	return c->closed;
}

const char *ktls_suite_name(uint16_t suite)
{
	const struct ktls_suite *s = ktls_suite_by_id(suite);

	return s ? s->name : "unknown";
}

const char *ktls_group_name(uint16_t group)
{
	switch (group) {
	case KTLS_GROUP_X25519MLKEM768:	return "X25519MLKEM768";
	case KTLS_GROUP_X25519:		return "x25519";
	case KTLS_GROUP_SECP256R1:	return "secp256r1";
	case KTLS_GROUP_SECP384R1:	return "secp384r1";
	default:			return "unknown";
	}
}

const char *ktls_sig_scheme_name(uint16_t scheme)
{
	switch (scheme) {
	case KTLS_SIG_ECDSA_SECP256R1_SHA256: return "ecdsa_secp256r1_sha256";
	case KTLS_SIG_ECDSA_SECP384R1_SHA384: return "ecdsa_secp384r1_sha384";
	case KTLS_SIG_ECDSA_SECP521R1_SHA512: return "ecdsa_secp521r1_sha512";
	case KTLS_SIG_RSA_PSS_RSAE_SHA256:    return "rsa_pss_rsae_sha256";
	case KTLS_SIG_RSA_PSS_RSAE_SHA384:    return "rsa_pss_rsae_sha384";
	case KTLS_SIG_RSA_PSS_RSAE_SHA512:    return "rsa_pss_rsae_sha512";
	case KTLS_SIG_ED25519:		      return "ed25519";
	case KTLS_SIG_RSA_PSS_PSS_SHA256:     return "rsa_pss_pss_sha256";
	case KTLS_SIG_RSA_PSS_PSS_SHA384:     return "rsa_pss_pss_sha384";
	case KTLS_SIG_RSA_PSS_PSS_SHA512:     return "rsa_pss_pss_sha512";
	default:			      return "unknown";
	}
}

const char *ktls_alert_name(int alert)
{
	return tls_alert_name(alert);
}
