// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Bounds-checked reader and back-patching writer; see codec.h for why they
 * are shaped so. Every read checks tls_r_left() before touching a byte and
 * every write checks the space left before storing one; there is no other
 * path to the buffers.
 */
#include <stdio.h>
#include <string.h>

#include "codec.h"

static const char *const tls_alert_names[256] = {
	[TLS_ALERT_CLOSE_NOTIFY] = "close_notify",
	[TLS_ALERT_UNEXPECTED_MESSAGE] = "unexpected_message",
	[TLS_ALERT_BAD_RECORD_MAC] = "bad_record_mac",
	[TLS_ALERT_RECORD_OVERFLOW] = "record_overflow",
	[TLS_ALERT_HANDSHAKE_FAILURE] = "handshake_failure",
	[TLS_ALERT_BAD_CERTIFICATE] = "bad_certificate",
	[TLS_ALERT_UNSUPPORTED_CERTIFICATE] = "unsupported_certificate",
	[TLS_ALERT_CERTIFICATE_REVOKED] = "certificate_revoked",
	[TLS_ALERT_CERTIFICATE_EXPIRED] = "certificate_expired",
	[TLS_ALERT_CERTIFICATE_UNKNOWN] = "certificate_unknown",
	[TLS_ALERT_ILLEGAL_PARAMETER] = "illegal_parameter",
	[TLS_ALERT_UNKNOWN_CA] = "unknown_ca",
	[TLS_ALERT_ACCESS_DENIED] = "access_denied",
	[TLS_ALERT_DECODE_ERROR] = "decode_error",
	[TLS_ALERT_DECRYPT_ERROR] = "decrypt_error",
	[TLS_ALERT_PROTOCOL_VERSION] = "protocol_version",
	[TLS_ALERT_INSUFFICIENT_SECURITY] = "insufficient_security",
	[TLS_ALERT_INTERNAL_ERROR] = "internal_error",
	[TLS_ALERT_INAPPROPRIATE_FALLBACK] = "inappropriate_fallback",
	[TLS_ALERT_USER_CANCELED] = "user_canceled",
	[TLS_ALERT_MISSING_EXTENSION] = "missing_extension",
	[TLS_ALERT_UNSUPPORTED_EXTENSION] = "unsupported_extension",
	[TLS_ALERT_UNRECOGNIZED_NAME] = "unrecognized_name",
	[TLS_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE] =
		"bad_certificate_status_response",
	[TLS_ALERT_UNKNOWN_PSK_IDENTITY] = "unknown_psk_identity",
	[TLS_ALERT_CERTIFICATE_REQUIRED] = "certificate_required",
	[TLS_ALERT_NO_APPLICATION_PROTOCOL] = "no_application_protocol",
};

const char *tls_alert_name(int alert)
{
	if (alert < 0 || alert > 255 || !tls_alert_names[alert])
		return "unknown_alert";
	return tls_alert_names[alert];
}

char *tls_err_format(const struct tls_err *err, char *buf, size_t len)
{
	if (len)
		snprintf(buf, len, "%s: %s: %s", tls_alert_name(err->alert),
			 err->field ? err->field : "?",
			 err->reason ? err->reason : "?");
	return buf;
}

/* ---- reader ---- */

static int tls_r_uint(struct tls_reader *r, unsigned int n, uint32_t *v,
		      struct tls_err *err, const char *field)
{
	uint32_t x = 0;

	if (tls_r_left(r) < n)
		return tls_fail(err, TLS_ALERT_DECODE_ERROR, field,
				"truncated");
	for (unsigned int i = 0; i < n; i++)
		x = x << 8 | r->p[r->off + i];
	r->off += n;
	*v = x;
	return 0;
}

int tls_r_u8(struct tls_reader *r, uint8_t *v, struct tls_err *err,
	     const char *field)
{
	uint32_t x;

	TLS_TRY(tls_r_uint(r, 1, &x, err, field));
	*v = (uint8_t)x;
	return 0;
}

int tls_r_u16(struct tls_reader *r, uint16_t *v, struct tls_err *err,
	      const char *field)
{
	uint32_t x;

	TLS_TRY(tls_r_uint(r, 2, &x, err, field));
	*v = (uint16_t)x;
	return 0;
}

int tls_r_u24(struct tls_reader *r, uint32_t *v, struct tls_err *err,
	      const char *field)
{
	return tls_r_uint(r, 3, v, err, field);
}

int tls_r_u32(struct tls_reader *r, uint32_t *v, struct tls_err *err,
	      const char *field)
{
	return tls_r_uint(r, 4, v, err, field);
}

int tls_r_bytes(struct tls_reader *r, size_t n, const uint8_t **out,
		struct tls_err *err, const char *field)
{
	if (tls_r_left(r) < n)
		return tls_fail(err, TLS_ALERT_DECODE_ERROR, field,
				"truncated");
	*out = r->p + r->off;
	r->off += n;
	return 0;
}

int tls_r_vec(struct tls_reader *r, unsigned int prefix, size_t min,
	      size_t max, struct tls_reader *sub, struct tls_err *err,
	      const char *field)
{
	uint32_t n;
	const uint8_t *p;

	if (prefix < 1 || prefix > 3)
		return tls_fail(err, TLS_ALERT_INTERNAL_ERROR, field,
				"bad length prefix width");
	TLS_TRY(tls_r_uint(r, prefix, &n, err, field));
	if (n < min)
		return tls_fail(err, TLS_ALERT_DECODE_ERROR, field,
				"shorter than its minimum length");
	if (n > max)
		return tls_fail(err, TLS_ALERT_DECODE_ERROR, field,
				"longer than its maximum length");
	TLS_TRY(tls_r_bytes(r, n, &p, err, field));
	tls_r_init(sub, p, n);
	return 0;
}

int tls_r_done(const struct tls_reader *r, struct tls_err *err,
	       const char *field)
{
	if (tls_r_left(r))
		return tls_fail(err, TLS_ALERT_DECODE_ERROR, field,
				"trailing bytes");
	return 0;
}

/* ---- writer ---- */

void tls_w_init(struct tls_writer *w, uint8_t *buf, size_t cap)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->cap = buf ? cap : 0;
}

void tls_w_fail(struct tls_writer *w, const char *reason)
{
	if (!w->error) {
		w->error = TLS_ALERT_INTERNAL_ERROR;
		w->reason = reason;
	}
}

static uint8_t *tls_w_reserve(struct tls_writer *w, size_t n)
{
	uint8_t *p;

	if (w->error)
		return NULL;
	if (w->cap - w->len < n) {
		tls_w_fail(w, "output buffer too small");
		return NULL;
	}
	p = w->buf + w->len;
	w->len += n;
	return p;
}

static void tls_w_uint(struct tls_writer *w, uint32_t v, unsigned int n)
{
	uint8_t *p = tls_w_reserve(w, n);

	if (!p)
		return;
	for (unsigned int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

void tls_w_u8(struct tls_writer *w, uint8_t v)
{
	tls_w_uint(w, v, 1);
}

void tls_w_u16(struct tls_writer *w, uint16_t v)
{
	tls_w_uint(w, v, 2);
}

void tls_w_u24(struct tls_writer *w, uint32_t v)
{
	if (v > 0xffffff) {
		tls_w_fail(w, "u24 value out of range");
		return;
	}
	tls_w_uint(w, v, 3);
}

void tls_w_u32(struct tls_writer *w, uint32_t v)
{
	tls_w_uint(w, v, 4);
}

void tls_w_bytes(struct tls_writer *w, const void *p, size_t n)
{
	uint8_t *d;

	if (!n)
		return;
	if (!p) {
		tls_w_fail(w, "NULL source for non-empty bytes");
		return;
	}
	d = tls_w_reserve(w, n);
	if (d)
		memcpy(d, p, n);
}

void tls_w_open(struct tls_writer *w, unsigned int prefix, size_t min,
		size_t max)
{
	size_t at = w->len;

	if (w->error)
		return;
	if (prefix < 1 || prefix > 3) {
		tls_w_fail(w, "bad length prefix width");
		return;
	}
	if (w->depth == TLS_W_MAX_DEPTH) {
		tls_w_fail(w, "vectors nested too deeply");
		return;
	}
	if (!tls_w_reserve(w, prefix))
		return;
	w->open[w->depth].at = at;
	w->open[w->depth].min = min;
	w->open[w->depth].max = max;
	w->open[w->depth].prefix = (uint8_t)prefix;
	w->depth++;
}

void tls_w_close(struct tls_writer *w)
{
	size_t at, n, limit;
	unsigned int prefix;

	if (w->error)
		return;
	if (!w->depth) {
		tls_w_fail(w, "close without open");
		return;
	}
	w->depth--;
	at = w->open[w->depth].at;
	prefix = w->open[w->depth].prefix;
	n = w->len - at - prefix;
	limit = ((size_t)1 << (8 * prefix)) - 1;
	if (n > limit || n > w->open[w->depth].max) {
		tls_w_fail(w, "vector longer than its maximum length");
		return;
	}
	if (n < w->open[w->depth].min) {
		tls_w_fail(w, "vector shorter than its minimum length");
		return;
	}
	for (unsigned int i = 0; i < prefix; i++)
		w->buf[at + i] = (uint8_t)(n >> (8 * (prefix - 1 - i)));
}

void tls_w_vec(struct tls_writer *w, unsigned int prefix, size_t min,
	       size_t max, const void *p, size_t n)
{
	tls_w_open(w, prefix, min, max);
	tls_w_bytes(w, p, n);
	tls_w_close(w);
}

int tls_w_finish(struct tls_writer *w, size_t *len, struct tls_err *err)
{
	if (!w->error && w->depth)
		tls_w_fail(w, "vector left open");
	if (w->error)
		return tls_fail(err, (enum tls_alert)w->error, "writer",
				w->reason);
	*len = w->len;
	return 0;
}
