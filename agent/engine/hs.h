/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What handshake.c (the state table and its handlers) and psk.c (PSK
 * binders, tickets) share: failing with an alert, small helpers, and the
 * PSK entry points the handlers call.  Private to agent/engine.
 */
#ifndef KTLS_ENGINE_HS_H
#define KTLS_ENGINE_HS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conn.h"

static inline int fail_alert(struct ktls_conn *c, int alert, const char *reason)
{
	return conn_fail(c, alert == TLS_ALERT_DECRYPT_ERROR ?
			 KTLS_ERR_DECRYPT : KTLS_ERR_INVALID, alert, reason);
}

static inline int fail_err(struct ktls_conn *c, int err, const char *reason)
{
	return conn_fail(c, err, -1, reason);
}

static inline size_t hlen(const struct ktls_conn *c)
{
	return ktls_hash_len(c->suite->hash);
}

static inline int th_idx(enum ktls_hash_alg h)
{
	return h == KTLS_HASH_SHA384;
}

/* 0 when equal; time independent of the contents. */
static inline int memcmp_ct(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t d = 0;

	for (size_t i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return d;
}

static inline bool list_has(const uint16_t *l, unsigned int n, uint16_t v)
{
	for (unsigned int i = 0; i < n; i++)
		if (l[i] == v)
			return true;
	return false;
}

/* §4.2.9: the PSK modes we allow (KTLS_PSK_*); 0 in the config: dhe_ke */
static inline unsigned int cfg_psk_modes(const struct ktls_config *cfg)
{
	return cfg->psk_modes ? cfg->psk_modes : KTLS_PSK_DHE_KE;
}

/* The modes a ClientHello's psk_key_exchange_modes lists (KTLS_PSK_*). */
static inline unsigned int ch_psk_modes(const struct tls_client_hello *ch)
{
	unsigned int m = 0;

	if (!(ch->exts.present & TLS_EXT_BIT(TLS_EXTID_PSK_KEY_EXCHANGE_MODES)))
		return 0;
	for (size_t i = 0; i < ch->x.psk_modes.len; i++)
		if (ch->x.psk_modes.p[i] <= 1)
			m |= 1u << ch->x.psk_modes.p[i];
	return m;
}

/* psk.c */
int hs_psk_binder(struct ktls_conn *c, const uint8_t *ch, size_t trunc,
		  uint8_t *binder);
bool hs_try_ticket(struct ktls_conn *c, const struct tls_client_hello *ch);
int hs_check_binder(struct ktls_conn *c, const struct tls_client_hello *ch,
		    const uint8_t *raw);
int hs_new_session_ticket(struct ktls_conn *c, const struct tls_hs_msg *m,
			  const uint8_t *raw, size_t raw_len);

#endif /* KTLS_ENGINE_HS_H */
