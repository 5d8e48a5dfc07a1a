/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Client and server engines in one process over memory: identities made
 * at run time (sig_keygen + a minimal certificate wrapping the SPKI, never
 * a committed key), an accept-all verifier that counts calls, a pump that
 * moves bytes both ways, and key events collected per side.
 */
#ifndef KTLS_ENGINE_HARNESS_H
#define KTLS_ENGINE_HARNESS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "ktls.h"
#include "ktls_providers.h"

struct ident {
	uint16_t scheme;
	uint8_t priv[KTLS_SIG_MAX_PRIV];
	size_t priv_len;
	uint8_t spki[KTLS_SIG_MAX_SPKI];
	size_t spki_len;
	uint8_t cert[KTLS_SIG_MAX_SPKI + 64];
	size_t cert_len;
};

static inline size_t der_hdr(uint8_t *o, uint8_t tag, size_t len)
{
	o[0] = tag;
	if (len < 0x80) {
		o[1] = (uint8_t)len;
		return 2;
	}
	if (len < 0x100) {
		o[1] = 0x81;
		o[2] = (uint8_t)len;
		return 3;
	}
	o[1] = 0x82;
	o[2] = (uint8_t)(len >> 8);
	o[3] = (uint8_t)len;
	return 4;
}

/* Certificate { TBS { [0]{INT 2}, INT 1, SEQ{}, SEQ{}, SEQ{}, SEQ{}, spki },
 * SEQ{}, BIT STRING{0} }: the shape the engine walks to find the key. */
static inline void ident_wrap(struct ident *id)
{
	static const uint8_t pre[] = { 0xa0, 0x03, 0x02, 0x01, 0x02,
				       0x02, 0x01, 0x01, 0x30, 0x00,
				       0x30, 0x00, 0x30, 0x00, 0x30, 0x00 };
	static const uint8_t post[] = { 0x30, 0x00, 0x03, 0x01, 0x00 };
	uint8_t tbs[KTLS_SIG_MAX_SPKI + 32];
	size_t n = 0, tl;

	tl = sizeof(pre) + id->spki_len;
	n = der_hdr(tbs, 0x30, tl);
	memcpy(tbs + n, pre, sizeof(pre));
	memcpy(tbs + n + sizeof(pre), id->spki, id->spki_len);
	tl += n;
	n = der_hdr(id->cert, 0x30, tl + sizeof(post));
	memcpy(id->cert + n, tbs, tl);
	memcpy(id->cert + n + tl, post, sizeof(post));
	id->cert_len = n + tl + sizeof(post);
}

static inline int ident_make(const struct ktls_crypto_provider *cp,
		      struct ident *id, uint16_t scheme)
{
	memset(id, 0, sizeof(*id));
	id->scheme = scheme;
	if (ktls_sig_keygen(cp, scheme, id->priv, sizeof(id->priv),
			    &id->priv_len, id->spki, sizeof(id->spki),
			    &id->spki_len))
		return -1;
	ident_wrap(id);
	return 0;
}

static inline void cfg_ident(struct ktls_config *cfg, const struct ident *id)
{
	cfg->chain_der[0] = id->cert;
	cfg->chain_len[0] = id->cert_len;
	cfg->chain_n = 1;
	cfg->key_scheme = id->scheme;
	cfg->key = id->priv;
	cfg->key_len = id->priv_len;
}

static int verify_calls;
static int verify_answer;	/* what the test verifier returns */

static inline int accept_verify(void *arg, const struct ktls_chain *chain,
			 const char *host, const char **reason)
{
	(void)arg;
	(void)host;
	verify_calls++;
	*reason = "test verifier";
	return chain->n ? verify_answer : 42;
}

/* Key events seen by one side, indexed [dir][stage-1]. */
struct side_keys {
	uint8_t secret[2][3][KTLS_MAX_HASH_LEN];
	uint8_t key[2][3][KTLS_AEAD_MAX_KEY_LEN];
	size_t secret_len;
	int n_keys;
	int done;
	int alert_sent, alert_recv;
	int pending_sign, pending_verify;
	struct ktls_event done_ev;
	int n_tickets;
	struct ktls_ticket ticket;	/* the last one */
};

static inline void drain_events(struct ktls_conn *c, struct side_keys *k)
{
	struct ktls_event ev;

	while (ktls_conn_next_event(c, &ev)) {
		switch (ev.type) {
		case KTLS_EV_KEYS: {
			int s = ev.u.keys.stage == KTLS_KEYS_HANDSHAKE ? 0 :
				ev.u.keys.generation ? 2 : 1;

			memcpy(k->secret[ev.u.keys.dir][s], ev.u.keys.secret,
			       ev.u.keys.secret_len);
			memcpy(k->key[ev.u.keys.dir][s], ev.u.keys.key,
			       ev.u.keys.key_len);
			k->secret_len = ev.u.keys.secret_len;
			k->n_keys++;
			break;
		}
		case KTLS_EV_HANDSHAKE_DONE:
			k->done++;
			k->done_ev = ev;
			break;
		case KTLS_EV_ALERT_SENT:
			k->alert_sent = ev.u.alert.alert;
			break;
		case KTLS_EV_ALERT_RECEIVED:
			k->alert_recv = ev.u.alert.alert;
			break;
		case KTLS_EV_PENDING_SIGN:
			k->pending_sign++;
			break;
		case KTLS_EV_PENDING_VERIFY:
			k->pending_verify++;
			break;
		case KTLS_EV_TICKET:
			k->ticket = *ev.u.ticket;
			k->n_tickets++;
			break;
		default:
			break;
		}
	}
}

/* Move everything from a's output into b; returns bytes moved. */
static inline size_t xfer(struct ktls_conn *a, struct ktls_conn *b)
{
	size_t len, used, moved = 0;
	const uint8_t *p;

	while ((p = ktls_conn_out(a, &len)) != NULL) {
		used = ktls_conn_feed(b, p, len);
		if (!used)
			break;
		ktls_conn_out_ack(a, used);
		moved += used;
	}
	return moved;
}

static inline void pump(struct ktls_conn *c, struct ktls_conn *s,
		 struct side_keys *ck, struct side_keys *sk)
{
	for (int i = 0; i < 50; i++) {
		size_t m = xfer(c, s) + xfer(s, c);

		drain_events(c, ck);
		drain_events(s, sk);
		if (!m)
			break;
	}
}

static inline void *conn_mem(void)
{
	void *p = aligned_alloc(16, KTLS_CONN_SIZE);

	return p;
}

#endif /* KTLS_ENGINE_HARNESS_H */
