// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Pre-shared keys in the handshake (RFC 8446 §2.2, §4.2.11, §4.6.1):
 * binders, the server's tickets, and the client's view of a
 * NewSessionTicket.
 *
 * Why it is shaped so: a PSK changes three things only, so this file is
 * three small pieces the handlers in handshake.c call:
 *
 *  - the binder (hs_psk_binder): an HMAC over the transcript so far plus
 *    the ClientHello truncated before its binders, keyed from the PSK's
 *    Early Secret; the client patches it into its encoded ClientHello, the
 *    server recomputes and compares it in constant time (hs_check_binder);
 *  - the server's tickets: self-contained sealed blobs, so the server keeps
 *    no session cache.  key id (4) || nonce (12) || AES-256-GCM(suite ||
 *    psk_len || PSK) || tag, the key id as additional data.  ticket_keys[0]
 *    seals, every listed key opens, which is all key rotation needs;
 *  - the client's NewSessionTicket: its PSK is derived at once from the
 *    resumption master secret and the ticket nonce (§4.6.1) and handed to
 *    the caller as an event; storing and using a ticket once is the
 *    caller's (struct ktls_ticket_store).
 *
 * Both modes of §4.2.9 (psk_dhe_ke, psk_ke) as the config allows; only
 * the first offered identity is considered.  PSKs and plaintexts are
 * wiped before return.
 */
#include <string.h>

#include "hs.h"

/*
 * §4.2.11.2: a PSK binder is verify_data over Transcript-Hash(messages
 * before this ClientHello || the ClientHello up to the binders list),
 * keyed by binder_key = Derive-Secret(Early Secret, "res binder", "").
 */
int hs_psk_binder(struct ktls_conn *c, const uint8_t *ch, size_t trunc,
		      uint8_t *binder)
{
	enum ktls_hash_alg h = c->ks_early.s.hash;
	uint8_t th[KTLS_MAX_HASH_LEN], bk[KTLS_MAX_HASH_LEN];
	struct ktls_hash_ctx hc;
	int ret;

	ret = ktls_hash_copy(c->cp, &hc, &c->th[th_idx(h)]);
	if (ret)
		return ret;
	ret = ktls_hash_update(c->cp, &hc, ch, trunc);
	if (!ret)
		ret = ktls_hash_final(c->cp, &hc, th);
	else
		ktls_hash_free(c->cp, &hc);
	if (!ret)
		ret = ktls_ks_binder_key(&c->ks_early, c->psk_kind, bk);
	if (!ret)
		ret = ktls_finished_verify_data(c->cp, h, bk, th, binder);
	explicit_bzero(bk, sizeof(bk));
	return ret;
}

/*
 * Our ticket (see hs_send_tickets): key id (4) || nonce (12) ||
 * AES-256-GCM(suite (2) || psk_len (1) || psk) || tag, the id as
 * additional data.  0 and the ticket's suite and PSK, or -1.
 */
#define TICKET_PT_MAX	(3 + KTLS_MAX_HASH_LEN)

static int ticket_open(struct ktls_conn *c, const struct tls_opaque *t,
		       uint16_t *suite, uint8_t *psk, size_t *psk_len)
{
	const struct ktls_config *cfg = c->cfg;
	uint8_t pt[TICKET_PT_MAX + KTLS_AEAD_TAG_LEN];
	struct ktls_aead_ctx a;
	const struct ktls_suite *s;
	size_t n;
	int ret = -1;

	if (t->len < 4 + 12 + 3 + KTLS_AEAD_TAG_LEN ||
	    t->len > 4 + 12 + sizeof(pt))
		return -1;
	n = t->len - 16;
	for (unsigned int i = 0; i < cfg->n_ticket_keys; i++) {
		const struct ktls_ticket_key *k = &cfg->ticket_keys[i];

		if (memcmp(k->id, t->p, 4))
			continue;
		if (ktls_aead_init(c->cp, &a, KTLS_AEAD_AES_256_GCM, k->key,
				   sizeof(k->key)))
			break;
		ret = ktls_aead_open(c->cp, &a, t->p + 4, t->p, 4, t->p + 16,
				     n, pt) ? -1 : 0;
		ktls_aead_free(c->cp, &a);
		break;
	}
	n -= KTLS_AEAD_TAG_LEN;
	if (!ret) {
		*suite = tls_be16(pt);
		s = ktls_suite_by_id(*suite);
		if (!s || pt[2] != ktls_hash_len(s->hash) || n != 3u + pt[2]) {
			ret = -1;
		} else {
			memcpy(psk, pt + 3, pt[2]);
			*psk_len = pt[2];
		}
	}
	explicit_bzero(pt, sizeof(pt));
	return ret;
}

/*
 * §4.2.11: the first identity, if it is the external PSK or one of our
 * tickets, for a suite we both still offer, and the client lists a mode
 * we allow (§4.2.9; which one is chosen is s_client_hello's).  Sets
 * c->suite and the PSK's Early Secret.
 */
bool hs_try_ticket(struct ktls_conn *c,
			 const struct tls_client_hello *ch)
{
	const struct ktls_config *cfg = c->cfg;
	const struct tls_opaque *id = &ch->x.psks[0].identity;
	uint8_t psk[KTLS_MAX_HASH_LEN];
	const struct ktls_suite *s;
	uint16_t suite;
	size_t psk_len;
	bool ok;

	if (!(ch->exts.present & TLS_EXT_BIT(TLS_EXTID_PRE_SHARED_KEY)) ||
	    !(ch_psk_modes(ch) & cfg_psk_modes(cfg)))
		return false;
	if (cfg->psk_identity && id->len == cfg->psk_identity_len &&
	    !memcmp(id->p, cfg->psk_identity, id->len)) {
		c->psk_kind = KTLS_BINDER_EXTERNAL;
		suite = cfg->psk_suite;
		psk_len = cfg->psk_len;
		memcpy(psk, cfg->psk, psk_len);
	} else if (!cfg->n_ticket_keys || cfg->require_client_cert ||
		   ticket_open(c, id, &suite, psk, &psk_len)) {
		/*
		 * Tickets do not carry the client's identity, so a server
		 * that requires one does not resume from them.
		 */
		return false;
	} else {
		c->psk_kind = KTLS_BINDER_RESUMPTION;
	}
	s = ktls_suite_by_id(suite);
	ok = tls_u16_list_has(&ch->cipher_suites, suite) &&
	     list_has(c->cfg->suites, c->cfg->n_suites, suite) &&
	     (!c->suite || c->suite == s) &&
	     !ktls_ks_early_init(&c->ks_early, c->cp, s->hash, psk, psk_len);
	explicit_bzero(psk, sizeof(psk));
	if (ok)
		c->suite = s;
	return ok;
}

/* §4.2.11.2: "the server MUST validate the corresponding binder value" */
int hs_check_binder(struct ktls_conn *c,
			  const struct tls_client_hello *ch,
			  const uint8_t *raw)
{
	uint8_t binder[KTLS_MAX_HASH_LEN];
	const struct tls_opaque *b = &ch->x.psks[0].binder;
	int ret;

	ret = hs_psk_binder(c, raw, (size_t)(ch->x.binders - raw), binder);
	if (ret)
		return fail_err(c, ret, "PSK binder");
	ret = b->len == hlen(c) && !memcmp_ct(binder, b->p, b->len);
	explicit_bzero(binder, sizeof(binder));
	if (!ret)
		return fail_alert(c, TLS_ALERT_DECRYPT_ERROR,
				  "PSK binder does not verify");
	c->psk_accepted = true;
	return 0;
}

/* §4.6.1: a ticket becomes a KTLS_EV_TICKET with its resumption PSK. */
int hs_new_session_ticket(struct ktls_conn *c,
				const struct tls_hs_msg *m,
				const uint8_t *raw, size_t raw_len)
{
	struct tls_new_session_ticket nst;
	struct tls_err e = { 0 };
	int a;

	struct ktls_ticket *t = &c->tk;
	int ret;

	(void)raw;
	(void)raw_len;
	/* only a server sends NewSessionTicket */
	if (c->server)
		return fail_alert(c, TLS_ALERT_UNEXPECTED_MESSAGE,
				  "NewSessionTicket sent to a server");
	a = tls_new_session_ticket_parse(m->body, m->len, &nst, &e);
	if (a)
		return conn_fail_tls(c, a, &e);
	/* "A value of zero indicates that the ticket should be discarded" */
	if (!nst.lifetime || nst.ticket.len > KTLS_TICKET_MAX)
		return 0;
	explicit_bzero(t, sizeof(*t));
	t->suite = c->suite->id;
	/* §4.6.1: "MUST NOT cache tickets for longer than 7 days" */
	t->lifetime = nst.lifetime < 604800 ? nst.lifetime : 604800;
	t->age_add = nst.age_add;
	t->len = (uint16_t)nst.ticket.len;
	memcpy(t->ticket, nst.ticket.p, nst.ticket.len);
	t->psk_len = (uint8_t)hlen(c);
	/* §4.6.1: PSK = HKDF-Expand-Label(resumption_master_secret, ...) */
	ret = ktls_resumption_psk(c->cp, c->suite->hash, c->res_master,
				  nst.nonce.p, nst.nonce.len, t->psk);
	if (ret)
		return fail_err(c, ret, "resumption PSK");
	conn_push(c, KTLS_EV_TICKET)->u.ticket = t;
	return 0;
}

/*
 * §4.6.1: after the handshake, tickets_per_handshake NewSessionTickets,
 * each with its own nonce (so its own PSK), sealed with ticket_keys[0].
 */
int hs_send_tickets(struct ktls_conn *c)
{
	const struct ktls_config *cfg = c->cfg;
	uint8_t ticket[4 + 12 + TICKET_PT_MAX + KTLS_AEAD_TAG_LEN];
	uint8_t pt[TICKET_PT_MAX], nonce[1];
	struct tls_new_session_ticket nst;
	struct ktls_aead_ctx a;
	struct tls_writer w;
	size_t hl = hlen(c), tlen = 4 + 12 + 3 + hl + KTLS_AEAD_TAG_LEN;
	int ret = 0;

	for (unsigned int i = 0; !ret && cfg->n_ticket_keys &&
	     !cfg->require_client_cert && i < cfg->tickets_per_handshake;
	     i++) {
		const struct ktls_ticket_key *k = &cfg->ticket_keys[0];

		nonce[0] = c->tickets_sent++;
		pt[0] = (uint8_t)(c->suite->id >> 8);
		pt[1] = (uint8_t)c->suite->id;
		pt[2] = (uint8_t)hl;
		memcpy(ticket, k->id, 4);
		memset(&nst, 0, sizeof(nst));
		ret = ktls_resumption_psk(c->cp, c->suite->hash, c->res_master,
					  nonce, 1, pt + 3);
		if (!ret)
			ret = ktls_random(c->cp, ticket + 4, 12);
		if (!ret)
			ret = ktls_random(c->cp, (uint8_t *)&nst.age_add,
					  sizeof(nst.age_add));
		if (!ret)
			ret = ktls_aead_init(c->cp, &a, KTLS_AEAD_AES_256_GCM,
					     k->key, sizeof(k->key));
		if (!ret) {
			ret = ktls_aead_seal(c->cp, &a, ticket + 4, ticket, 4,
					     pt, 3 + hl, ticket + 16);
			ktls_aead_free(c->cp, &a);
		}
		explicit_bzero(pt, sizeof(pt));
		if (ret)
			break;
		nst.lifetime = 7200;
		nst.nonce.p = nonce;
		nst.nonce.len = 1;
		nst.ticket.p = ticket;
		nst.ticket.len = tlen;
		tls_w_init(&w, c->msg, sizeof(c->msg));
		if (tls_new_session_ticket_encode(&w, &nst) ||
		    tls_w_finish(&w, &tlen, NULL)) {
			ret = KTLS_ERR_BUFFER;
			break;
		}
		/* post-handshake: not part of the transcript */
		ret = rec_write(c, TLS_CT_HANDSHAKE, c->msg, tlen);
		tlen = 4 + 12 + 3 + hl + KTLS_AEAD_TAG_LEN;
	}
	return ret ? fail_err(c, ret, "NewSessionTicket") : 0;
}
