/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * TLS alert codes and the codec's one error type.
 *
 * Every parser in the engine's codec takes untrusted bytes, and every way it
 * can refuse them maps to exactly one alert of RFC 8446 §6, chosen where the
 * refusal is detected (the code that knows *why* a byte is wrong is the code
 * that knows which alert the RFC prescribes). The alert travels with the
 * name of the field at fault and a short reason, both static strings, so a
 * log line can say "decode_error: ClientHello.cipher_suites: odd length"
 * without the engine ever allocating.
 *
 * Convention: a fallible codec function returns 0 on success, or the alert
 * code (always non-zero: close_notify is never a codec error) and fills
 * struct tls_err. Callers propagate the int unchanged.
 */
#ifndef KTLS_ENGINE_ALERT_H
#define KTLS_ENGINE_ALERT_H

#include <stddef.h>
#include <stdint.h>

/* RFC 8446 §6: enum AlertDescription (plus RFC 8449/7301 users of it). */
enum tls_alert {
	TLS_ALERT_CLOSE_NOTIFY			= 0,
	TLS_ALERT_UNEXPECTED_MESSAGE		= 10,
	TLS_ALERT_BAD_RECORD_MAC		= 20,
	TLS_ALERT_RECORD_OVERFLOW		= 22,
	TLS_ALERT_HANDSHAKE_FAILURE		= 40,
	TLS_ALERT_BAD_CERTIFICATE		= 42,
	TLS_ALERT_UNSUPPORTED_CERTIFICATE	= 43,
	TLS_ALERT_CERTIFICATE_REVOKED		= 44,
	TLS_ALERT_CERTIFICATE_EXPIRED		= 45,
	TLS_ALERT_CERTIFICATE_UNKNOWN		= 46,
	TLS_ALERT_ILLEGAL_PARAMETER		= 47,
	TLS_ALERT_UNKNOWN_CA			= 48,
	TLS_ALERT_ACCESS_DENIED			= 49,
	TLS_ALERT_DECODE_ERROR			= 50,
	TLS_ALERT_DECRYPT_ERROR			= 51,
	TLS_ALERT_PROTOCOL_VERSION		= 70,
	TLS_ALERT_INSUFFICIENT_SECURITY		= 71,
	TLS_ALERT_INTERNAL_ERROR		= 80,
	TLS_ALERT_INAPPROPRIATE_FALLBACK	= 86,
	TLS_ALERT_USER_CANCELED			= 90,
	TLS_ALERT_MISSING_EXTENSION		= 109,
	TLS_ALERT_UNSUPPORTED_EXTENSION		= 110,
	TLS_ALERT_UNRECOGNIZED_NAME		= 112,
	TLS_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE = 113,
	TLS_ALERT_UNKNOWN_PSK_IDENTITY		= 115,
	TLS_ALERT_CERTIFICATE_REQUIRED		= 116,
	TLS_ALERT_NO_APPLICATION_PROTOCOL	= 120,
};

/*
 * Why a codec call failed: the alert to send, the field at fault (e.g.
 * "ClientHello.cipher_suites") and what was wrong with it (e.g. "odd
 * length"). Both strings are static; nothing here needs freeing.
 */
struct tls_err {
	enum tls_alert alert;
	const char *field;
	const char *reason;
};

/* Record a failure and return its alert, for "return tls_fail(...);". */
static inline int tls_fail(struct tls_err *err, enum tls_alert alert,
			   const char *field, const char *reason)
{
	if (err) {
		err->alert = alert;
		err->field = field;
		err->reason = reason;
	}
	return (int)alert;
}

/* The RFC's name for an alert ("decode_error"), or "unknown_alert". */
const char *tls_alert_name(int alert);

/*
 * Format "alert: field: reason" into buf (always NUL-terminated when
 * len > 0). Returns buf.
 */
char *tls_err_format(const struct tls_err *err, char *buf, size_t len);

/* Propagate a non-zero result; parsers read like the RFC's structs. */
#define TLS_TRY(expr)						\
	do {							\
		int tls_try_rc_ = (expr);			\
		if (tls_try_rc_)				\
			return tls_try_rc_;			\
	} while (0)

#endif /* KTLS_ENGINE_ALERT_H */
