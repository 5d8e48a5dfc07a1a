/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Shared by the codec's libFuzzer targets. Every target feeds handshake
 * messages to the parsers and then checks three properties:
 *
 *  1. A refusal is well formed: a non-zero alert equal to err.alert, with
 *     a field and a reason (what the engine will log and send).
 *  2. Whatever parses, encodes: the encoder never refuses a value the
 *     parser produced.
 *  3. The encoding is the input, byte for byte, and it parses again. The
 *     parsers are strict enough (every vector consumed, canonical lengths,
 *     unknown extensions kept raw and in order) that there is exactly one
 *     encoding of each accepted message, so this is the round trip.
 *
 * Any violation aborts, which libFuzzer reports as a crash with the input.
 */
#ifndef KTLSD_FUZZ_COMMON_H
#define KTLSD_FUZZ_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "messages.h"

#define FUZZ_MAX_MSG (TLS_HS_HEADER_LEN + TLS_HS_MAX_BODY)

#define FUZZ_ASSERT(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: fuzz invariant: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/* Static so that the large structs stay off the stack; test code only. */
static struct fuzz_msgs {
	struct tls_client_hello ch;
	struct tls_server_hello sh;
	struct tls_encrypted_extensions ee;
	struct tls_certificate_request cr;
	struct tls_certificate ct;
	struct tls_certificate_verify cv;
	struct tls_finished fin;
	struct tls_new_session_ticket nst;
	enum tls_key_update_request ku;
} fuzz_a __attribute__((unused)), fuzz_b __attribute__((unused));

static uint8_t fuzz_out[FUZZ_MAX_MSG + 64] __attribute__((unused));
static uint8_t fuzz_out2[FUZZ_MAX_MSG + 64] __attribute__((unused));

static inline int fuzz_parse(uint8_t type, const uint8_t *b, size_t n,
		      struct fuzz_msgs *m, struct tls_err *err)
{
	switch (type) {
	case TLS_HS_CLIENT_HELLO:
		return tls_client_hello_parse(b, n, &m->ch, err);
	case TLS_HS_SERVER_HELLO:
		return tls_server_hello_parse(b, n, &m->sh, err);
	case TLS_HS_ENCRYPTED_EXTENSIONS:
		return tls_encrypted_extensions_parse(b, n, &m->ee, err);
	case TLS_HS_CERTIFICATE_REQUEST:
		return tls_certificate_request_parse(b, n, &m->cr, err);
	case TLS_HS_CERTIFICATE:
		return tls_certificate_parse(b, n, &m->ct, err);
	case TLS_HS_CERTIFICATE_VERIFY:
		return tls_certificate_verify_parse(b, n, &m->cv, err);
	case TLS_HS_FINISHED:
		return tls_finished_parse(b, n, n == 48 ? 48 : 32, &m->fin,
					  err);
	case TLS_HS_NEW_SESSION_TICKET:
		return tls_new_session_ticket_parse(b, n, &m->nst, err);
	case TLS_HS_KEY_UPDATE:
		return tls_key_update_parse(b, n, &m->ku, err);
	case TLS_HS_END_OF_EARLY_DATA:
		return tls_end_of_early_data_parse(b, n, err);
	}
	abort();
}

static inline int fuzz_encode(uint8_t type, struct tls_writer *w,
		       const struct fuzz_msgs *m)
{
	switch (type) {
	case TLS_HS_CLIENT_HELLO:
		return tls_client_hello_encode(w, &m->ch);
	case TLS_HS_SERVER_HELLO:
		return tls_server_hello_encode(w, &m->sh);
	case TLS_HS_ENCRYPTED_EXTENSIONS:
		return tls_encrypted_extensions_encode(w, &m->ee);
	case TLS_HS_CERTIFICATE_REQUEST:
		return tls_certificate_request_encode(w, &m->cr);
	case TLS_HS_CERTIFICATE:
		return tls_certificate_encode(w, &m->ct);
	case TLS_HS_CERTIFICATE_VERIFY:
		return tls_certificate_verify_encode(w, &m->cv);
	case TLS_HS_FINISHED:
		return tls_finished_encode(w, &m->fin);
	case TLS_HS_NEW_SESSION_TICKET:
		return tls_new_session_ticket_encode(w, &m->nst);
	case TLS_HS_KEY_UPDATE:
		return tls_key_update_encode(w, m->ku);
	case TLS_HS_END_OF_EARLY_DATA:
		return tls_end_of_early_data_encode(w);
	}
	abort();
}

static inline void fuzz_check_refusal(int rc, const struct tls_err *err)
{
	FUZZ_ASSERT(rc > 0 && rc <= 255);
	FUZZ_ASSERT(rc == (int)err->alert);
	FUZZ_ASSERT(err->field && err->reason);
	FUZZ_ASSERT(rc != TLS_ALERT_INTERNAL_ERROR);	/* peer input only */
}

/*
 * One whole handshake message of @type at [msg, msg + n): parse, and if
 * it parses, the encode == input round trip, twice over.
 */
static inline void fuzz_message(const uint8_t *msg, size_t n)
{
	struct tls_hs_msg m, m2;
	struct tls_writer w;
	struct tls_err err;
	size_t len = 0, len2 = 0;
	int rc;

	rc = tls_hs_parse(msg, n, &m, &err);
	if (rc) {
		fuzz_check_refusal(rc, &err);
		return;
	}
	rc = fuzz_parse(m.type, m.body, m.len, &fuzz_a, &err);
	if (rc) {
		fuzz_check_refusal(rc, &err);
		return;
	}
	tls_w_init(&w, fuzz_out, sizeof(fuzz_out));
	FUZZ_ASSERT(fuzz_encode(m.type, &w, &fuzz_a) == 0);
	FUZZ_ASSERT(tls_w_finish(&w, &len, &err) == 0);
	FUZZ_ASSERT(len == n);
	FUZZ_ASSERT(!memcmp(fuzz_out, msg, n));

	/* the encoding parses to the same thing: encode it once more */
	FUZZ_ASSERT(tls_hs_parse(fuzz_out, len, &m2, &err) == 0);
	FUZZ_ASSERT(m2.type == m.type);
	FUZZ_ASSERT(fuzz_parse(m2.type, m2.body, m2.len, &fuzz_b, &err) == 0);
	tls_w_init(&w, fuzz_out2, sizeof(fuzz_out2));
	FUZZ_ASSERT(fuzz_encode(m2.type, &w, &fuzz_b) == 0);
	FUZZ_ASSERT(tls_w_finish(&w, &len2, &err) == 0);
	FUZZ_ASSERT(len2 == len && !memcmp(fuzz_out2, fuzz_out, len));
}

/*
 * A flight: handshake messages back to back. Each is framed by its own
 * header; messages whose type is not in @types are skipped; an
 * incomplete tail ends the flight.
 */
static inline void fuzz_flight(const uint8_t *data, size_t size,
			const uint8_t *types, size_t n_types)
{
	while (size >= TLS_HS_HEADER_LEN) {
		struct tls_err err;
		uint8_t type;
		size_t body, i;
		int rc;

		rc = tls_hs_header(data, size, &type, &body, &err);
		if (rc) {
			fuzz_check_refusal(rc, &err);
			return;
		}
		if (size - TLS_HS_HEADER_LEN < body)
			return;
		for (i = 0; i < n_types; i++)
			if (types[i] == type)
				break;
		if (i < n_types)
			fuzz_message(data, TLS_HS_HEADER_LEN + body);
		data += TLS_HS_HEADER_LEN + body;
		size -= TLS_HS_HEADER_LEN + body;
	}
}

#endif /* KTLSD_FUZZ_COMMON_H */
