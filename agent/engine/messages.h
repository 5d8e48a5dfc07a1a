/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * TLS 1.3 handshake messages (RFC 8446 §4): framing, and one parser and
 * one encoder per message.
 *
 * Why it is shaped so: parsing is apart from the handshake logic. A parser
 * here knows the syntax of one message and the rules that can be checked
 * from that message alone (ranges, values the RFC pins, which extensions
 * may appear, §9.2 pairs that must come together); everything that needs
 * the other side's messages or the connection's state (was this suite
 * offered? did we send that extension? is an empty Certificate allowed
 * here?) is the state machine's. Parsed structs are zero-copy views into
 * the caller's buffer plus fixed-size arrays with explicit caps, so a
 * parse never allocates and its output is only valid while the input is.
 *
 * Parsers take a handshake message *body* (the bytes after the 4-byte
 * header, see tls_hs_parse()) and must consume it exactly. Encoders write
 * the *whole* handshake message, header included, since that is what goes
 * into both the record layer and the transcript hash. An encoder writes
 * back exactly the bytes its parser accepted (extensions in the same
 * order, unknown ones byte for byte): the fuzz targets check that.
 */
#ifndef KTLS_ENGINE_MESSAGES_H
#define KTLS_ENGINE_MESSAGES_H

#include <stdbool.h>
#include <stdint.h>

#include "codec.h"
#include "extensions.h"

/* RFC 8446 §4: enum HandshakeType */
enum tls_hs_type {
	TLS_HS_CLIENT_HELLO		= 1,
	TLS_HS_SERVER_HELLO		= 2,
	TLS_HS_NEW_SESSION_TICKET	= 4,
	TLS_HS_END_OF_EARLY_DATA	= 5,
	TLS_HS_ENCRYPTED_EXTENSIONS	= 8,
	TLS_HS_CERTIFICATE		= 11,
	TLS_HS_CERTIFICATE_REQUEST	= 13,
	TLS_HS_CERTIFICATE_VERIFY	= 15,
	TLS_HS_FINISHED			= 20,
	TLS_HS_KEY_UPDATE		= 24,
	TLS_HS_MESSAGE_HASH		= 254,
};

#define TLS_HS_HEADER_LEN	4
/* Largest body this engine accepts for any handshake message. */
#define TLS_HS_MAX_BODY		(1u << 17)
#define TLS_RANDOM_LEN		32
#define TLS_MAX_CERT_CHAIN	10	/* CertificateEntry cap */
/* RFC 8446 §4.6.1: "MUST NOT use any value greater than 604800 seconds" */
#define TLS_MAX_TICKET_LIFETIME	604800u

/*
 * RFC 8446 §4.1.3: HelloRetryRequest is a ServerHello whose Random is
 * SHA-256("HelloRetryRequest").
 */
extern const uint8_t tls_hrr_random[TLS_RANDOM_LEN];

/* A framed handshake message: its type and a view of its body. */
struct tls_hs_msg {
	uint8_t type;
	const uint8_t *body;
	size_t len;
};

/*
 * RFC 8446 §4:
 *   struct {
 *       HandshakeType msg_type;
 *       uint24 length;
 *       select (Handshake.msg_type) { ... };
 *   } Handshake;
 *
 * tls_hs_header(): from the first 4 bytes, the type and body length (for a
 * reassembler deciding how much to wait for). Fails on fewer than 4 bytes
 * or a body longer than tls_hs_max_body(type) (decode_error).
 * tls_hs_parse(): exactly one whole message in [p, p + len).
 */
uint32_t tls_hs_max_body(uint8_t type);
int tls_hs_header(const uint8_t *p, size_t len, uint8_t *type,
		  size_t *body_len, struct tls_err *err) TLS_WUR;
int tls_hs_parse(const uint8_t *p, size_t len, struct tls_hs_msg *m,
		 struct tls_err *err) TLS_WUR;

/* §4.1.2 */
struct tls_client_hello {
	uint16_t legacy_version;
	const uint8_t *random;		/* TLS_RANDOM_LEN bytes */
	struct tls_opaque session_id;	/* legacy_session_id */
	struct tls_u16_list cipher_suites;
	struct tls_ext_list exts;
	struct tls_ext_values x;
};

/* §4.1.3; is_hrr when the Random is tls_hrr_random */
struct tls_server_hello {
	bool is_hrr;
	uint16_t legacy_version;
	const uint8_t *random;
	struct tls_opaque session_id;	/* legacy_session_id_echo */
	uint16_t cipher_suite;
	struct tls_ext_list exts;
	struct tls_ext_values x;
};

/* §4.3.1 */
struct tls_encrypted_extensions {
	struct tls_ext_list exts;
	struct tls_ext_values x;
};

/* §4.3.2 */
struct tls_certificate_request {
	struct tls_opaque context;
	struct tls_ext_list exts;
	struct tls_ext_values x;
};

/* §4.4.2: one CertificateEntry */
struct tls_cert_entry {
	struct tls_opaque data;		/* cert_data or SubjectPublicKeyInfo */
	struct tls_ext_list exts;
	struct tls_opaque ocsp;		/* from status_request, if present */
};

struct tls_certificate {
	struct tls_opaque context;	/* certificate_request_context */
	uint8_t n;
	struct tls_cert_entry e[TLS_MAX_CERT_CHAIN];
};

/* §4.4.3 */
struct tls_certificate_verify {
	uint16_t algorithm;
	struct tls_opaque signature;
};

/* §4.4.4 */
struct tls_finished {
	struct tls_opaque verify_data;
};

/* §4.6.1 */
struct tls_new_session_ticket {
	uint32_t lifetime;
	uint32_t age_add;
	struct tls_opaque nonce;
	struct tls_opaque ticket;
	struct tls_ext_list exts;
	struct tls_ext_values x;
};

/* §4.6.3 */
enum tls_key_update_request {
	TLS_KEY_UPDATE_NOT_REQUESTED	= 0,
	TLS_KEY_UPDATE_REQUESTED	= 1,
};

int tls_client_hello_parse(const uint8_t *body, size_t len,
			   struct tls_client_hello *ch,
			   struct tls_err *err) TLS_WUR;
int tls_client_hello_encode(struct tls_writer *w,
			    const struct tls_client_hello *ch) TLS_WUR;

int tls_server_hello_parse(const uint8_t *body, size_t len,
			   struct tls_server_hello *sh,
			   struct tls_err *err) TLS_WUR;
int tls_server_hello_encode(struct tls_writer *w,
			    const struct tls_server_hello *sh) TLS_WUR;

int tls_encrypted_extensions_parse(const uint8_t *body, size_t len,
				   struct tls_encrypted_extensions *ee,
				   struct tls_err *err) TLS_WUR;
int tls_encrypted_extensions_encode(struct tls_writer *w,
				    const struct tls_encrypted_extensions *ee)
	TLS_WUR;

int tls_certificate_request_parse(const uint8_t *body, size_t len,
				  struct tls_certificate_request *cr,
				  struct tls_err *err) TLS_WUR;
int tls_certificate_request_encode(struct tls_writer *w,
				   const struct tls_certificate_request *cr)
	TLS_WUR;

int tls_certificate_parse(const uint8_t *body, size_t len,
			  struct tls_certificate *c,
			  struct tls_err *err) TLS_WUR;
int tls_certificate_encode(struct tls_writer *w,
			   const struct tls_certificate *c) TLS_WUR;

int tls_certificate_verify_parse(const uint8_t *body, size_t len,
				 struct tls_certificate_verify *cv,
				 struct tls_err *err) TLS_WUR;
int tls_certificate_verify_encode(struct tls_writer *w,
				  const struct tls_certificate_verify *cv)
	TLS_WUR;

/* @hash_len: the negotiated suite's Hash.length (32 or 48). */
int tls_finished_parse(const uint8_t *body, size_t len, size_t hash_len,
		       struct tls_finished *f, struct tls_err *err) TLS_WUR;
int tls_finished_encode(struct tls_writer *w,
			const struct tls_finished *f) TLS_WUR;

int tls_new_session_ticket_parse(const uint8_t *body, size_t len,
				 struct tls_new_session_ticket *nst,
				 struct tls_err *err) TLS_WUR;
int tls_new_session_ticket_encode(struct tls_writer *w,
				  const struct tls_new_session_ticket *nst)
	TLS_WUR;

int tls_key_update_parse(const uint8_t *body, size_t len,
			 enum tls_key_update_request *req,
			 struct tls_err *err) TLS_WUR;
int tls_key_update_encode(struct tls_writer *w,
			  enum tls_key_update_request req) TLS_WUR;

int tls_end_of_early_data_parse(const uint8_t *body, size_t len,
				struct tls_err *err) TLS_WUR;
int tls_end_of_early_data_encode(struct tls_writer *w) TLS_WUR;

/*
 * §4.4.1: after a HelloRetryRequest, ClientHello1 is replaced in the
 * transcript by the synthetic message_hash message carrying
 * Hash(ClientHello1): "message_hash || 00 00 Hash.length || hash".
 */
int tls_message_hash_encode(struct tls_writer *w, const uint8_t *hash,
			    size_t hash_len) TLS_WUR;

/*
 * §4.4.3: what a CertificateVerify signs: 64 bytes of 0x20, the context
 * string ("TLS 1.3, server CertificateVerify" or "TLS 1.3, client
 * CertificateVerify"), a 0 byte, then the transcript hash.
 */
int tls_certificate_verify_content(struct tls_writer *w, bool server,
				   const uint8_t *transcript_hash,
				   size_t hash_len) TLS_WUR;

#endif /* KTLS_ENGINE_MESSAGES_H */
