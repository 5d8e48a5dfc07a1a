// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The userspace TLS 1.3 record layer (RFC 8446 §5).
 *
 * Why it is shaped so: the record layer is the one place that turns bytes
 * on the wire into typed plaintext and back, so every limit of §5 is
 * checked here, once, before anything above sees a byte:
 *
 *  - a record is collected whole into rbuf (header + at most 2^14 + 256
 *    bytes of ciphertext); a longer length field is record_overflow before
 *    the body is even read (§5.2);
 *  - with no read key, only handshake, alert and a dummy change_cipher_spec
 *    are acceptable (§5.1, §D.4); with one, the outer type must be
 *    application_data, the record is opened in place with the §5.3 nonce
 *    (write_iv XOR the 64-bit record number) and the additional data of
 *    §5.2 (the record header), then the zero padding is stripped from the
 *    end and the last non-zero byte is the real content type;
 *  - plaintext over 2^14 is record_overflow (§5.4), an inner type of zero
 *    padding only or an unknown type is unexpected_message, a record that
 *    does not open is bad_record_mac;
 *  - handshake bytes are appended to the connection's reassembly buffer and
 *    handed to the state machine, which alone knows message boundaries;
 *    key changes happen only there, so the check "a key change must fall on
 *    a record boundary" (§5.1) is the state machine's.
 *
 * Output records are written straight into obuf: plaintext for the hellos
 * (and the dummy CCS), protected otherwise, fragmented at 2^14 or, for
 * protected records, at the peer's RFC 8449 record_size_limit - 1.  A
 * protected record over the limit we advertised (once the peer knows it)
 * is record_overflow.  Nothing
 * is allocated; secrets in a direction are wiped when it changes key.
 */
#include <string.h>

#include "conn.h"

#define REC_LEGACY_VERSION	0x0303

void rec_dir_wipe(struct ktls_conn *c, struct rec_dir *d)
{
	if (d->on)
		ktls_aead_free(c->cp, &d->aead);
	explicit_bzero(d, sizeof(*d));
}

/* Install the traffic keys derived from @secret (§7.3); seq restarts. */
int rec_set_key(struct ktls_conn *c, struct rec_dir *d, const uint8_t *secret,
		enum ktls_key_stage stage)
{
	uint32_t gen = d->generation;
	bool same_stage = d->on && d->stage == stage;
	int ret;

	rec_dir_wipe(c, d);
	memcpy(d->secret, secret, ktls_hash_len(c->suite->hash));
	ret = ktls_traffic_keys(c->cp, c->suite, d->secret, d->key, d->iv);
	if (!ret)
		ret = ktls_aead_init(c->cp, &d->aead, c->suite->aead, d->key,
				     c->suite->key_len);
	if (ret) {
		explicit_bzero(d, sizeof(*d));
		return ret;
	}
	d->on = true;
	d->stage = stage;
	d->generation = same_stage ? gen + 1 : 0;
	return 0;
}

size_t rec_out_room(const struct ktls_conn *c)
{
	return CONN_OBUF - c->olen;
}

/* One record of at most 2^14 plaintext bytes. */
static int rec_write_one(struct ktls_conn *c, uint8_t type,
			 const uint8_t *data, size_t len)
{
	struct rec_dir *d = &c->tx;
	size_t clen = d->on ? len + 1 + KTLS_AEAD_TAG_LEN : len;
	uint8_t *h = c->obuf + c->olen, nonce[KTLS_AEAD_NONCE_LEN];
	int ret;

	if (rec_out_room(c) < TLS_REC_HDR + clen)
		return KTLS_ERR_BUFFER;
	h[0] = d->on ? TLS_CT_APPLICATION_DATA : type;
	h[1] = REC_LEGACY_VERSION >> 8;
	h[2] = REC_LEGACY_VERSION & 0xff;
	h[3] = (uint8_t)(clen >> 8);
	h[4] = (uint8_t)clen;
	memmove(h + TLS_REC_HDR, data, len);
	if (d->on) {
		/* §5.2: TLSInnerPlaintext = content || type || zeros (none) */
		h[TLS_REC_HDR + len] = type;
		ktls_record_nonce(d->iv, d->seq, nonce);
		ret = ktls_aead_seal(c->cp, &d->aead, nonce, h, TLS_REC_HDR,
				     h + TLS_REC_HDR, len + 1,
				     h + TLS_REC_HDR);
		explicit_bzero(nonce, sizeof(nonce));
		if (ret) {
			explicit_bzero(h, TLS_REC_HDR + clen);
			return ret;
		}
		/* §5.3: "MUST NOT wrap"; rekey long before (ktls_guard) */
		if (++d->seq == 0)
			return KTLS_ERR_STATE;
	}
	c->olen += TLS_REC_HDR + clen;
	return 0;
}

/*
 * The most content one output record carries: 2^14, or for a protected
 * record the peer's RFC 8449 record_size_limit less the inner content
 * type byte (§4: the limit counts TLSInnerPlaintext's type and padding).
 */
size_t rec_max_frag(const struct ktls_conn *c)
{
	return c->tx.on && c->tx_frag ? c->tx_frag : TLS_MAX_PLAINTEXT;
}

int rec_write(struct ktls_conn *c, uint8_t type, const uint8_t *data,
	      size_t len)
{
	size_t need = 0, n, max = rec_max_frag(c);

	for (n = len; ; n -= max) {
		size_t f = n > max ? max : n;

		need += TLS_REC_HDR + f + 1 + KTLS_AEAD_TAG_LEN;
		if (n <= max)
			break;
	}
	if (rec_out_room(c) < need)
		return KTLS_ERR_BUFFER;
	do {
		size_t f = len > max ? max : len;
		int ret = rec_write_one(c, type, data, f);

		if (ret)
			return ret;
		data += f;
		len -= f;
	} while (len);
	return 0;
}

/* §D.4: the dummy change_cipher_spec, always plaintext. */
int rec_write_ccs(struct ktls_conn *c)
{
	static const uint8_t ccs[TLS_REC_HDR + 1] = {
		TLS_CT_CHANGE_CIPHER_SPEC, 0x03, 0x03, 0x00, 0x01, 0x01
	};

	if (rec_out_room(c) < sizeof(ccs))
		return KTLS_ERR_BUFFER;
	memcpy(c->obuf + c->olen, ccs, sizeof(ccs));
	c->olen += sizeof(ccs);
	c->ccs_sent = true;
	return 0;
}

/* §6: a fatal alert (or close_notify, level warning by convention). */
void rec_write_alert(struct ktls_conn *c, int alert)
{
	uint8_t a[2] = { alert ? 2 : 1, (uint8_t)alert };

	if (rec_write(c, TLS_CT_ALERT, a, sizeof(a)))
		return;
	conn_push(c, KTLS_EV_ALERT_SENT)->u.alert.alert = alert;
}

/* Open rbuf's protected record in place; its inner type goes to *type. */
static int rec_open(struct ktls_conn *c, uint8_t *type, uint8_t **pt,
		    size_t *pt_len)
{
	struct rec_dir *d = &c->rx;
	size_t clen = c->rlen - TLS_REC_HDR, n;
	uint8_t *body = c->rbuf + TLS_REC_HDR, nonce[KTLS_AEAD_NONCE_LEN];
	int ret;

	if (clen < KTLS_AEAD_TAG_LEN + 1)
		return conn_fail(c, KTLS_ERR_DECRYPT, TLS_ALERT_BAD_RECORD_MAC,
				 "record shorter than its tag");
	ktls_record_nonce(d->iv, d->seq, nonce);
	ret = ktls_aead_open(c->cp, &d->aead, nonce, c->rbuf, TLS_REC_HDR,
			     body, clen, body);
	explicit_bzero(nonce, sizeof(nonce));
	if (ret)
		return conn_fail(c, KTLS_ERR_DECRYPT, TLS_ALERT_BAD_RECORD_MAC,
				 "record did not authenticate");
	d->seq++;
	n = clen - KTLS_AEAD_TAG_LEN;
	/* RFC 8449 §4: over the limit we advertised, padding included */
	if (c->rx_inner_max && n > c->rx_inner_max)
		return conn_fail(c, KTLS_ERR_INVALID, TLS_ALERT_RECORD_OVERFLOW,
				 "record over our record_size_limit");
	/* §5.4: strip zeros; the last non-zero byte is the type */
	while (n && body[n - 1] == 0)
		n--;
	if (!n)
		return conn_fail(c, KTLS_ERR_INVALID,
				 TLS_ALERT_UNEXPECTED_MESSAGE,
				 "record of padding only");
	*type = body[--n];
	if (n > TLS_MAX_PLAINTEXT)
		return conn_fail(c, KTLS_ERR_INVALID, TLS_ALERT_RECORD_OVERFLOW,
				 "plaintext over 2^14 bytes");
	*pt = body;
	*pt_len = n;
	return 0;
}

static int rec_alert(struct ktls_conn *c, const uint8_t *p, size_t n)
{
	struct ktls_event *ev;

	/* §6: an alert is two bytes; fragmenting one is not allowed */
	if (n != 2)
		return conn_fail(c, KTLS_ERR_INVALID, TLS_ALERT_DECODE_ERROR,
				 "alert record not two bytes");
	ev = conn_push(c, KTLS_EV_ALERT_RECEIVED);
	ev->u.alert.alert = p[1];
	ev->u.alert.reason = "received from peer";
	if (p[1] == TLS_ALERT_CLOSE_NOTIFY) {
		c->closed = true;
		return 0;
	}
	/* §6.2: any other alert ends the connection (user_canceled too) */
	if (!c->err) {
		c->err = KTLS_ERR_STATE;
		c->alert = p[1];
		c->reason = "alert received from peer";
	}
	return c->err;
}

/* One whole record in rbuf. */
static int rec_record(struct ktls_conn *c)
{
	uint8_t type = c->rbuf[0], *p = c->rbuf + TLS_REC_HDR;
	size_t n = c->rlen - TLS_REC_HDR;
	int ret;

	/* §D.4: a dummy CCS is ignored during the handshake, before or
	 * after the read key; it is never protected.
	 */
	if (type == TLS_CT_CHANGE_CIPHER_SPEC) {
		if (n != 1 || p[0] != 1 || !hs_ccs_allowed(c))
			return conn_fail(c, KTLS_ERR_INVALID,
					 TLS_ALERT_UNEXPECTED_MESSAGE,
					 "change_cipher_spec not allowed here");
		return 0;
	}
	if (c->rx.on) {
		if (type != TLS_CT_APPLICATION_DATA)
			return conn_fail(c, KTLS_ERR_INVALID,
					 TLS_ALERT_UNEXPECTED_MESSAGE,
					 "unprotected record after keys");
		ret = rec_open(c, &type, &p, &n);
		if (ret)
			return ret;
	} else if (type == TLS_CT_APPLICATION_DATA) {
		return conn_fail(c, KTLS_ERR_INVALID,
				 TLS_ALERT_UNEXPECTED_MESSAGE,
				 "application_data before keys");
	} else if (n > TLS_MAX_PLAINTEXT) {
		return conn_fail(c, KTLS_ERR_INVALID, TLS_ALERT_RECORD_OVERFLOW,
				 "plaintext record over 2^14 bytes");
	}

	switch (type) {
	case TLS_CT_ALERT:
		return rec_alert(c, p, n);
	case TLS_CT_HANDSHAKE:
		/* §5.1: "MUST NOT send zero-length fragments of Handshake" */
		if (!n)
			return conn_fail(c, KTLS_ERR_INVALID,
					 TLS_ALERT_UNEXPECTED_MESSAGE,
					 "empty handshake record");
		if (CONN_HSBUF - c->hs_len < n)
			return conn_fail(c, KTLS_ERR_BUFFER,
					 TLS_ALERT_INTERNAL_ERROR,
					 "handshake message too large");
		memcpy(c->hsbuf + c->hs_len, p, n);
		c->hs_len += n;
		return hs_process(c);
	case TLS_CT_APPLICATION_DATA:
		if (!c->done || !c->rx.on || c->rx.stage !=
		    KTLS_KEYS_APPLICATION)
			return conn_fail(c, KTLS_ERR_INVALID,
					 TLS_ALERT_UNEXPECTED_MESSAGE,
					 "application data during handshake");
		c->app = p;
		c->app_len = n;
		return 0;
	default:
		return conn_fail(c, KTLS_ERR_INVALID,
				 TLS_ALERT_UNEXPECTED_MESSAGE,
				 "unknown content type");
	}
}

/*
 * Take bytes until a record is whole, process it, repeat.  Stop when
 * application data waits, an operation is pending, the connection ended,
 * or the output buffer cannot take another flight.
 */
size_t rec_feed(struct ktls_conn *c, const uint8_t *in, size_t len)
{
	size_t used = 0;

	while (used < len && !c->err && !c->closed && !c->app_len &&
	       c->pending == PEND_NONE) {
		size_t want, take;

		if (rec_out_room(c) < 2 * (TLS_REC_HDR + TLS_MAX_CIPHERTEXT) &&
		    c->rlen == 0)
			break;	/* drain output first */
		want = TLS_REC_HDR;
		if (c->rlen >= TLS_REC_HDR) {
			size_t blen = (size_t)c->rbuf[3] << 8 | c->rbuf[4];

			want = TLS_REC_HDR + blen;
		}
		take = want - c->rlen;
		if (take > len - used)
			take = len - used;
		memcpy(c->rbuf + c->rlen, in + used, take);
		c->rlen += take;
		used += take;
		if (c->rlen == TLS_REC_HDR && want == TLS_REC_HDR) {
			size_t blen = (size_t)c->rbuf[3] << 8 | c->rbuf[4];

			/* §5.2: longer than 2^14 + 256: record_overflow */
			if (blen > TLS_MAX_CIPHERTEXT) {
				conn_fail(c, KTLS_ERR_INVALID,
					  TLS_ALERT_RECORD_OVERFLOW,
					  "record length over 2^14 + 256");
				break;
			}
			if (blen)
				continue;
		}
		if (c->rlen < want ||
		    c->rlen < TLS_REC_HDR + ((size_t)c->rbuf[3] << 8 |
					     c->rbuf[4]))
			continue;
		(void)rec_record(c);
		c->rlen = 0;
	}
	return used;
}
