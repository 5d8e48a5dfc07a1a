// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * TLS 1.3 handshake message parsers and encoders (RFC 8446 §4). Each
 * parser is the RFC's struct read top to bottom through the bounded
 * reader, then "consumed exactly"; each encoder is the same struct written
 * through the range-checked writer. Checks that need only the message
 * itself are here, with the RFC sentence that demands them; see
 * messages.h for what is deliberately left to the state machine.
 */
#include <string.h>

#include "messages.h"

const uint8_t tls_hrr_random[TLS_RANDOM_LEN] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11,
	0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
	0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e,
	0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

static const char *const tls_hs_names[256] = {
	[TLS_HS_CLIENT_HELLO] = "client_hello",
	[TLS_HS_SERVER_HELLO] = "server_hello",
	[TLS_HS_NEW_SESSION_TICKET] = "new_session_ticket",
	[TLS_HS_END_OF_EARLY_DATA] = "end_of_early_data",
	[TLS_HS_ENCRYPTED_EXTENSIONS] = "encrypted_extensions",
	[TLS_HS_CERTIFICATE] = "certificate",
	[TLS_HS_CERTIFICATE_REQUEST] = "certificate_request",
	[TLS_HS_CERTIFICATE_VERIFY] = "certificate_verify",
	[TLS_HS_FINISHED] = "finished",
	[TLS_HS_KEY_UPDATE] = "key_update",
	[TLS_HS_MESSAGE_HASH] = "message_hash",
};

const char *tls_hs_name(uint8_t type)
{
	return tls_hs_names[type] ? tls_hs_names[type] : "unknown";
}

/* ---- framing ---- */

/*
 * The largest body each message can have, from its struct in RFC 8446 §4
 * (every vector at its ceiling), capped at TLS_HS_MAX_BODY. A reassembler
 * learns from the 4-byte header alone that a KeyUpdate claiming 1 MiB is
 * garbage, instead of buffering it first. Types not listed (unknown, or
 * not TLS 1.3) get TLS_HS_MAX_BODY: rejecting them is the state machine's
 * job (unexpected_message), not the framing's.
 */
static const struct {
	uint8_t type;
	uint32_t max;
} tls_hs_limits[] = {
	/* 2 + 32 + (1 + 32) + (2 + 65534) + (1 + 255) + (2 + 65535) */
	{ TLS_HS_CLIENT_HELLO,		TLS_HS_MAX_BODY },
	/* 2 + 32 + (1 + 32) + 2 + 1 + (2 + 65535) */
	{ TLS_HS_SERVER_HELLO,		2 + 32 + 33 + 2 + 1 + 2 + 0xffff },
	/* 4 + 4 + (1 + 255) + (2 + 65535) + (2 + 65534) */
	{ TLS_HS_NEW_SESSION_TICKET,	4 + 4 + 256 + 2 + 0xffff + 2 + 0xfffe },
	{ TLS_HS_END_OF_EARLY_DATA,	0 },
	{ TLS_HS_ENCRYPTED_EXTENSIONS,	2 + 0xffff },
	/* certificate_list<0..2^24-1>: capped */
	{ TLS_HS_CERTIFICATE,		TLS_HS_MAX_BODY },
	{ TLS_HS_CERTIFICATE_REQUEST,	1 + 255 + 2 + 0xffff },
	{ TLS_HS_CERTIFICATE_VERIFY,	2 + 2 + 0xffff },
	/* verify_data[Hash.length]: SHA-384 at most in TLS 1.3's suites */
	{ TLS_HS_FINISHED,		48 },
	{ TLS_HS_KEY_UPDATE,		1 },
};

uint32_t tls_hs_max_body(uint8_t type)
{
	for (size_t i = 0; i < sizeof(tls_hs_limits) / sizeof(tls_hs_limits[0]);
	     i++)
		if (tls_hs_limits[i].type == type)
			return tls_hs_limits[i].max < TLS_HS_MAX_BODY ?
			       tls_hs_limits[i].max : TLS_HS_MAX_BODY;
	return TLS_HS_MAX_BODY;
}

int tls_hs_header(const uint8_t *p, size_t len, uint8_t *type,
		  size_t *body_len, struct tls_err *err)
{
	struct tls_reader r;
	uint32_t n;

	tls_r_init(&r, p, len);
	TLS_TRY(tls_r_u8(&r, type, err, "Handshake.msg_type"));
	TLS_TRY(tls_r_u24(&r, &n, err, "Handshake.length"));
	if (n > tls_hs_max_body(*type))
		return tls_fail(err, TLS_ALERT_DECODE_ERROR,
				"Handshake.length",
				"larger than this message can be");
	*body_len = n;
	return 0;
}

int tls_hs_parse(const uint8_t *p, size_t len, struct tls_hs_msg *m,
		 struct tls_err *err)
{
	size_t n;

	TLS_TRY(tls_hs_header(p, len, &m->type, &n, err));
	if (len - TLS_HS_HEADER_LEN < n)
		return tls_fail(err, TLS_ALERT_DECODE_ERROR, "Handshake.body",
				"truncated");
	if (len - TLS_HS_HEADER_LEN > n)
		return tls_fail(err, TLS_ALERT_DECODE_ERROR, "Handshake.body",
				"trailing bytes");
	m->body = p + TLS_HS_HEADER_LEN;
	m->len = n;
	return 0;
}

static void hs_open(struct tls_writer *w, enum tls_hs_type type)
{
	tls_w_u8(w, (uint8_t)type);
	tls_w_open(w, 3, 0, TLS_HS_MAX_BODY);
}

static int hs_close(struct tls_writer *w)
{
	tls_w_close(w);
	return tls_w_status(w);
}

/* ---- ClientHello: §4.1.2 ---- */

/*
 *   struct {
 *       ProtocolVersion legacy_version = 0x0303;    -- TLS v1.2
 *       Random random;
 *       opaque legacy_session_id<0..32>;
 *       CipherSuite cipher_suites<2..2^16-2>;
 *       opaque legacy_compression_methods<1..2^8-1>;
 *       Extension extensions<8..2^16-1>;
 *   } ClientHello;
 */
int tls_client_hello_parse(const uint8_t *body, size_t len,
			   struct tls_client_hello *ch, struct tls_err *err)
{
	struct tls_reader r, sid, suites, comp;
	uint32_t present;

	memset(ch, 0, sizeof(*ch));
	tls_r_init(&r, body, len);
	TLS_TRY(tls_r_u16(&r, &ch->legacy_version, err,
			  "ClientHello.legacy_version"));
	/*
	 * A client offering TLS 1.3 sets 0x0303; anything lower is a client
	 * whose best is older than TLS 1.2, which this engine cannot serve
	 * (§4.2.1, Appendix D).
	 */
	if (ch->legacy_version < TLS_VERSION_1_2)
		return tls_fail(err, TLS_ALERT_PROTOCOL_VERSION,
				"ClientHello.legacy_version",
				"older than TLS 1.2");
	TLS_TRY(tls_r_bytes(&r, TLS_RANDOM_LEN, &ch->random, err,
			    "ClientHello.random"));
	TLS_TRY(tls_r_vec(&r, 1, 0, 32, &sid, err,
			  "ClientHello.legacy_session_id"));
	ch->session_id.p = sid.p;
	ch->session_id.len = sid.len;
	TLS_TRY(tls_r_vec(&r, 2, 2, 0xfffe, &suites, err,
			  "ClientHello.cipher_suites"));
	if (suites.len % 2)
		return tls_fail(err, TLS_ALERT_DECODE_ERROR,
				"ClientHello.cipher_suites", "odd length");
	ch->cipher_suites.p = suites.p;
	ch->cipher_suites.n = suites.len / 2;
	TLS_TRY(tls_r_vec(&r, 1, 1, 0xff, &comp, err,
			  "ClientHello.legacy_compression_methods"));
	/*
	 * "For every TLS 1.3 ClientHello, this vector MUST contain exactly
	 * one byte, set to zero ... If a TLS 1.3 ClientHello is received
	 * with any other value in this field, the server MUST abort the
	 * handshake with an "illegal_parameter" alert."
	 */
	if (comp.len != 1 || comp.p[0] != 0)
		return tls_fail(err, TLS_ALERT_ILLEGAL_PARAMETER,
				"ClientHello.legacy_compression_methods",
				"not exactly the null method");
	/*
	 * No extensions at all: a client from before TLS 1.3, which needs
	 * "supported_versions" to offer it (§4.2.1).
	 */
	if (!tls_r_left(&r))
		return tls_fail(err, TLS_ALERT_PROTOCOL_VERSION,
				"ClientHello.extensions",
				"absent: client does not offer TLS 1.3");
	TLS_TRY(tls_exts_parse(&r, TLS_CTX_CH, 8, 0xffff, &ch->exts, &ch->x,
			       err));
	TLS_TRY(tls_r_done(&r, err, "ClientHello"));

	/*
	 * §9.2: "A client is considered to be attempting to negotiate using
	 * this specification if the ClientHello contains a
	 * "supported_versions" extension with 0x0304 contained in its body.
	 * Such a ClientHello message MUST meet the following requirements:
	 *  - If not containing a "pre_shared_key" extension, it MUST contain
	 *    both a "signature_algorithms" extension and a
	 *    "supported_groups" extension.
	 *  - If containing a "supported_groups" extension, it MUST also
	 *    contain a "key_share" extension, and vice versa. ...
	 * Servers receiving a ClientHello which does not conform to these
	 * requirements MUST abort the handshake with a "missing_extension"
	 * alert."
	 * A ClientHello not offering 0x0304 is not checked here: refusing
	 * it (protocol_version) is version negotiation, the state machine's.
	 */
	present = ch->exts.present;
	if (!tls_u16_list_has(&ch->x.versions, TLS_VERSION_1_3))
		return 0;
	if (!(present & TLS_EXT_BIT(TLS_EXTID_PRE_SHARED_KEY)) &&
	    !(present & TLS_EXT_BIT(TLS_EXTID_SIGNATURE_ALGORITHMS)))
		return tls_fail(err, TLS_ALERT_MISSING_EXTENSION,
				"ClientHello.extensions",
				"no signature_algorithms and no pre_shared_key");
	if (!(present & TLS_EXT_BIT(TLS_EXTID_PRE_SHARED_KEY)) &&
	    !(present & TLS_EXT_BIT(TLS_EXTID_SUPPORTED_GROUPS)))
		return tls_fail(err, TLS_ALERT_MISSING_EXTENSION,
				"ClientHello.extensions",
				"no supported_groups and no pre_shared_key");
	if (!(present & TLS_EXT_BIT(TLS_EXTID_SUPPORTED_GROUPS)) !=
	    !(present & TLS_EXT_BIT(TLS_EXTID_KEY_SHARE)))
		return tls_fail(err, TLS_ALERT_MISSING_EXTENSION,
				"ClientHello.extensions",
				"supported_groups and key_share must come together");
	/*
	 * §4.2.9: "If clients offer "pre_shared_key" without a
	 * "psk_key_exchange_modes" extension, servers MUST abort the
	 * handshake." (missing_extension, as §9.2 names for a missing one)
	 */
	if ((present & TLS_EXT_BIT(TLS_EXTID_PRE_SHARED_KEY)) &&
	    !(present & TLS_EXT_BIT(TLS_EXTID_PSK_KEY_EXCHANGE_MODES)))
		return tls_fail(err, TLS_ALERT_MISSING_EXTENSION,
				"ClientHello.extensions",
				"pre_shared_key without psk_key_exchange_modes");
	return 0;
}

int tls_client_hello_encode(struct tls_writer *w,
			    const struct tls_client_hello *ch)
{
	static const uint8_t null_compression[1] = { 0 };

	if (ch->legacy_version < TLS_VERSION_1_2)
		tls_w_fail(w, "ClientHello.legacy_version older than TLS 1.2");
	hs_open(w, TLS_HS_CLIENT_HELLO);
	tls_w_u16(w, ch->legacy_version);
	if (!ch->random)
		tls_w_fail(w, "ClientHello.random missing");
	tls_w_bytes(w, ch->random, TLS_RANDOM_LEN);
	tls_w_vec(w, 1, 0, 32, ch->session_id.p, ch->session_id.len);
	tls_w_vec(w, 2, 2, 0xfffe, ch->cipher_suites.p,
		  2 * ch->cipher_suites.n);
	tls_w_vec(w, 1, 1, 0xff, null_compression, 1);
	if (tls_exts_encode(w, TLS_CTX_CH, 8, 0xffff, &ch->exts, &ch->x))
		return tls_w_status(w);
	return hs_close(w);
}

/* ---- ServerHello / HelloRetryRequest: §4.1.3, §4.1.4 ---- */

/*
 *   struct {
 *       ProtocolVersion legacy_version = 0x0303;    -- TLS v1.2
 *       Random random;
 *       opaque legacy_session_id_echo<0..32>;
 *       CipherSuite cipher_suite;
 *       uint8 legacy_compression_method = 0;
 *       Extension extensions<6..2^16-1>;
 *   } ServerHello;
 */
int tls_server_hello_parse(const uint8_t *body, size_t len,
			   struct tls_server_hello *sh, struct tls_err *err)
{
	struct tls_reader r, sid;
	uint8_t comp;

	memset(sh, 0, sizeof(*sh));
	tls_r_init(&r, body, len);
	TLS_TRY(tls_r_u16(&r, &sh->legacy_version, err,
			  "ServerHello.legacy_version"));
	/* "the legacy_version field MUST be set to 0x0303" */
	if (sh->legacy_version < TLS_VERSION_1_2)
		return tls_fail(err, TLS_ALERT_PROTOCOL_VERSION,
				"ServerHello.legacy_version",
				"older than TLS 1.2");
	if (sh->legacy_version != TLS_VERSION_1_2)
		return tls_fail(err, TLS_ALERT_ILLEGAL_PARAMETER,
				"ServerHello.legacy_version",
				"not 0x0303");
	TLS_TRY(tls_r_bytes(&r, TLS_RANDOM_LEN, &sh->random, err,
			    "ServerHello.random"));
	/*
	 * §4.1.3: "For reasons of backward compatibility with middleboxes
	 * ... the HelloRetryRequest message uses the same structure as the
	 * ServerHello, but with Random set to the special value of the
	 * SHA-256 of "HelloRetryRequest"".
	 */
	sh->is_hrr = !memcmp(sh->random, tls_hrr_random, TLS_RANDOM_LEN);
	TLS_TRY(tls_r_vec(&r, 1, 0, 32, &sid, err,
			  "ServerHello.legacy_session_id_echo"));
	sh->session_id.p = sid.p;
	sh->session_id.len = sid.len;
	TLS_TRY(tls_r_u16(&r, &sh->cipher_suite, err,
			  "ServerHello.cipher_suite"));
	/* "legacy_compression_method: A single byte which MUST have the value 0." */
	TLS_TRY(tls_r_u8(&r, &comp, err,
			 "ServerHello.legacy_compression_method"));
	if (comp != 0)
		return tls_fail(err, TLS_ALERT_ILLEGAL_PARAMETER,
				"ServerHello.legacy_compression_method",
				"not 0");
	/* No extensions: a TLS 1.2-or-older ServerHello. */
	if (!tls_r_left(&r))
		return tls_fail(err, TLS_ALERT_PROTOCOL_VERSION,
				"ServerHello.extensions",
				"absent: server did not select TLS 1.3");
	TLS_TRY(tls_exts_parse(&r, sh->is_hrr ? TLS_CTX_HRR : TLS_CTX_SH, 6,
			       0xffff, &sh->exts, &sh->x, err));
	TLS_TRY(tls_r_done(&r, err, "ServerHello"));
	/*
	 * §4.1.3/§4.1.4: a TLS 1.3 ServerHello and every HelloRetryRequest
	 * carry "supported_versions"; without it the server negotiated an
	 * older version, which this engine does not speak.
	 */
	if (!(sh->exts.present & TLS_EXT_BIT(TLS_EXTID_SUPPORTED_VERSIONS)))
		return tls_fail(err, TLS_ALERT_PROTOCOL_VERSION,
				"ServerHello.extensions",
				"no supported_versions: not TLS 1.3");
	return 0;
}

int tls_server_hello_encode(struct tls_writer *w,
			    const struct tls_server_hello *sh)
{
	if (sh->legacy_version != TLS_VERSION_1_2)
		tls_w_fail(w, "ServerHello.legacy_version not 0x0303");
	hs_open(w, TLS_HS_SERVER_HELLO);
	tls_w_u16(w, sh->legacy_version);
	if (sh->is_hrr) {
		tls_w_bytes(w, tls_hrr_random, TLS_RANDOM_LEN);
	} else {
		if (!sh->random)
			tls_w_fail(w, "ServerHello.random missing");
		tls_w_bytes(w, sh->random, TLS_RANDOM_LEN);
	}
	tls_w_vec(w, 1, 0, 32, sh->session_id.p, sh->session_id.len);
	tls_w_u16(w, sh->cipher_suite);
	tls_w_u8(w, 0);
	if (tls_exts_encode(w, sh->is_hrr ? TLS_CTX_HRR : TLS_CTX_SH, 6,
			    0xffff, &sh->exts, &sh->x))
		return tls_w_status(w);
	return hs_close(w);
}

/* ---- EncryptedExtensions: §4.3.1 ---- */

/*   struct { Extension extensions<0..2^16-1>; } EncryptedExtensions; */
int tls_encrypted_extensions_parse(const uint8_t *body, size_t len,
				   struct tls_encrypted_extensions *ee,
				   struct tls_err *err)
{
	struct tls_reader r;

	memset(ee, 0, sizeof(*ee));
	tls_r_init(&r, body, len);
	TLS_TRY(tls_exts_parse(&r, TLS_CTX_EE, 0, 0xffff, &ee->exts, &ee->x,
			       err));
	return tls_r_done(&r, err, "EncryptedExtensions");
}

int tls_encrypted_extensions_encode(struct tls_writer *w,
				    const struct tls_encrypted_extensions *ee)
{
	hs_open(w, TLS_HS_ENCRYPTED_EXTENSIONS);
	if (tls_exts_encode(w, TLS_CTX_EE, 0, 0xffff, &ee->exts, &ee->x))
		return tls_w_status(w);
	return hs_close(w);
}

/* ---- CertificateRequest: §4.3.2 ---- */

/*
 *   struct {
 *       opaque certificate_request_context<0..2^8-1>;
 *       Extension extensions<2..2^16-1>;
 *   } CertificateRequest;
 */
int tls_certificate_request_parse(const uint8_t *body, size_t len,
				  struct tls_certificate_request *cr,
				  struct tls_err *err)
{
	struct tls_reader r, ctx;

	memset(cr, 0, sizeof(*cr));
	tls_r_init(&r, body, len);
	TLS_TRY(tls_r_vec(&r, 1, 0, 0xff, &ctx, err,
			  "CertificateRequest.certificate_request_context"));
	cr->context.p = ctx.p;
	cr->context.len = ctx.len;
	TLS_TRY(tls_exts_parse(&r, TLS_CTX_CR, 2, 0xffff, &cr->exts, &cr->x,
			       err));
	TLS_TRY(tls_r_done(&r, err, "CertificateRequest"));
	/*
	 * "The "signature_algorithms" extension MUST be specified"; §9.2
	 * names missing_extension for a missing mandatory extension.
	 */
	if (!(cr->exts.present & TLS_EXT_BIT(TLS_EXTID_SIGNATURE_ALGORITHMS)))
		return tls_fail(err, TLS_ALERT_MISSING_EXTENSION,
				"CertificateRequest.extensions",
				"no signature_algorithms");
	return 0;
}

int tls_certificate_request_encode(struct tls_writer *w,
				   const struct tls_certificate_request *cr)
{
	hs_open(w, TLS_HS_CERTIFICATE_REQUEST);
	tls_w_vec(w, 1, 0, 0xff, cr->context.p, cr->context.len);
	if (tls_exts_encode(w, TLS_CTX_CR, 2, 0xffff, &cr->exts, &cr->x))
		return tls_w_status(w);
	return hs_close(w);
}

/* ---- Certificate: §4.4.2 ---- */

/*
 *   struct {
 *       select (certificate_type) {
 *           case RawPublicKey:
 *             opaque ASN1_subjectPublicKeyInfo<1..2^24-1>;
 *           case X509:
 *             opaque cert_data<1..2^24-1>;
 *       };
 *       Extension extensions<0..2^16-1>;
 *   } CertificateEntry;
 *
 *   struct {
 *       opaque certificate_request_context<0..2^8-1>;
 *       CertificateEntry certificate_list<0..2^24-1>;
 *   } Certificate;
 *
 * Whether an empty certificate_list is acceptable depends on who sent it
 * (§4.4.2.4: decode_error from a server, certificate_required from a
 * client when one is needed): the state machine's call.
 */
int tls_certificate_parse(const uint8_t *body, size_t len,
			  struct tls_certificate *c, struct tls_err *err)
{
	struct tls_reader r, ctx, list, data;

	memset(c, 0, sizeof(*c));
	tls_r_init(&r, body, len);
	TLS_TRY(tls_r_vec(&r, 1, 0, 0xff, &ctx, err,
			  "Certificate.certificate_request_context"));
	c->context.p = ctx.p;
	c->context.len = ctx.len;
	TLS_TRY(tls_r_vec(&r, 3, 0, 0xffffff, &list, err,
			  "Certificate.certificate_list"));
	while (tls_r_left(&list)) {
		struct tls_cert_entry *e;

		if (c->n == TLS_MAX_CERT_CHAIN)
			return tls_fail(err, TLS_ALERT_DECODE_ERROR,
					"Certificate.certificate_list",
					"more entries than this implementation accepts (10)");
		e = &c->e[c->n];
		TLS_TRY(tls_r_vec(&list, 3, 1, 0xffffff, &data, err,
				  "CertificateEntry.cert_data"));
		e->data.p = data.p;
		e->data.len = data.len;
		TLS_TRY(tls_exts_parse(&list, TLS_CTX_CT, 0, 0xffff, &e->exts,
				       NULL, err));
		for (unsigned int i = 0; i < e->exts.n; i++)
			if (e->exts.e[i].type == TLS_EXT_STATUS_REQUEST)
				TLS_TRY(tls_ext_parse_cert_status(&e->exts.e[i],
								  &e->ocsp,
								  err));
		c->n++;
	}
	return tls_r_done(&r, err, "Certificate");
}

int tls_certificate_encode(struct tls_writer *w,
			   const struct tls_certificate *c)
{
	struct tls_ext_values x;

	hs_open(w, TLS_HS_CERTIFICATE);
	tls_w_vec(w, 1, 0, 0xff, c->context.p, c->context.len);
	if (c->n > TLS_MAX_CERT_CHAIN)
		tls_w_fail(w, "certificate chain too long");
	tls_w_open(w, 3, 0, 0xffffff);
	for (unsigned int i = 0; i < c->n && i < TLS_MAX_CERT_CHAIN; i++) {
		const struct tls_cert_entry *e = &c->e[i];

		tls_w_vec(w, 3, 1, 0xffffff, e->data.p, e->data.len);
		/* status_request from e->ocsp, anything else raw */
		memset(&x, 0, sizeof(x));
		x.status_type = TLS_STATUS_TYPE_OCSP;
		x.status_body = e->ocsp;
		if ((e->exts.present & TLS_EXT_BIT(TLS_EXTID_STATUS_REQUEST)) &&
		    !e->ocsp.len)
			tls_w_fail(w, "status_request without an OCSPResponse");
		if (tls_exts_encode(w, TLS_CTX_CT, 0, 0xffff, &e->exts, &x))
			return tls_w_status(w);
	}
	tls_w_close(w);
	return hs_close(w);
}

/* ---- CertificateVerify: §4.4.3 ---- */

/*
 *   struct {
 *       SignatureScheme algorithm;
 *       opaque signature<0..2^16-1>;
 *   } CertificateVerify;
 */
int tls_certificate_verify_parse(const uint8_t *body, size_t len,
				 struct tls_certificate_verify *cv,
				 struct tls_err *err)
{
	struct tls_reader r, sig;

	memset(cv, 0, sizeof(*cv));
	tls_r_init(&r, body, len);
	TLS_TRY(tls_r_u16(&r, &cv->algorithm, err,
			  "CertificateVerify.algorithm"));
	TLS_TRY(tls_r_vec(&r, 2, 0, 0xffff, &sig, err,
			  "CertificateVerify.signature"));
	cv->signature.p = sig.p;
	cv->signature.len = sig.len;
	return tls_r_done(&r, err, "CertificateVerify");
}

int tls_certificate_verify_encode(struct tls_writer *w,
				  const struct tls_certificate_verify *cv)
{
	hs_open(w, TLS_HS_CERTIFICATE_VERIFY);
	tls_w_u16(w, cv->algorithm);
	tls_w_vec(w, 2, 0, 0xffff, cv->signature.p, cv->signature.len);
	return hs_close(w);
}

/* ---- Finished: §4.4.4 ---- */

/*   struct { opaque verify_data[Hash.length]; } Finished; */
int tls_finished_parse(const uint8_t *body, size_t len, size_t hash_len,
		       struct tls_finished *f, struct tls_err *err)
{
	if (hash_len != 32 && hash_len != 48)
		return tls_fail(err, TLS_ALERT_INTERNAL_ERROR,
				"Finished.verify_data",
				"hash length is neither 32 nor 48");
	if (len != hash_len)
		return tls_fail(err, TLS_ALERT_DECODE_ERROR,
				"Finished.verify_data",
				"length is not Hash.length");
	f->verify_data.p = body;
	f->verify_data.len = len;
	return 0;
}

int tls_finished_encode(struct tls_writer *w, const struct tls_finished *f)
{
	if (f->verify_data.len != 32 && f->verify_data.len != 48)
		tls_w_fail(w, "Finished.verify_data: not 32 or 48 bytes");
	hs_open(w, TLS_HS_FINISHED);
	tls_w_bytes(w, f->verify_data.p, f->verify_data.len);
	return hs_close(w);
}

/* ---- NewSessionTicket: §4.6.1 ---- */

/*
 *   struct {
 *       uint32 ticket_lifetime;
 *       uint32 ticket_age_add;
 *       opaque ticket_nonce<0..255>;
 *       opaque ticket<1..2^16-1>;
 *       Extension extensions<0..2^16-2>;
 *   } NewSessionTicket;
 */
int tls_new_session_ticket_parse(const uint8_t *body, size_t len,
				 struct tls_new_session_ticket *nst,
				 struct tls_err *err)
{
	struct tls_reader r, nonce, ticket;

	memset(nst, 0, sizeof(*nst));
	tls_r_init(&r, body, len);
	TLS_TRY(tls_r_u32(&r, &nst->lifetime, err,
			  "NewSessionTicket.ticket_lifetime"));
	/* "Servers MUST NOT use any value greater than 604800 seconds" */
	if (nst->lifetime > TLS_MAX_TICKET_LIFETIME)
		return tls_fail(err, TLS_ALERT_ILLEGAL_PARAMETER,
				"NewSessionTicket.ticket_lifetime",
				"longer than 7 days");
	TLS_TRY(tls_r_u32(&r, &nst->age_add, err,
			  "NewSessionTicket.ticket_age_add"));
	TLS_TRY(tls_r_vec(&r, 1, 0, 255, &nonce, err,
			  "NewSessionTicket.ticket_nonce"));
	nst->nonce.p = nonce.p;
	nst->nonce.len = nonce.len;
	TLS_TRY(tls_r_vec(&r, 2, 1, 0xffff, &ticket, err,
			  "NewSessionTicket.ticket"));
	nst->ticket.p = ticket.p;
	nst->ticket.len = ticket.len;
	TLS_TRY(tls_exts_parse(&r, TLS_CTX_NST, 0, 0xfffe, &nst->exts,
			       &nst->x, err));
	return tls_r_done(&r, err, "NewSessionTicket");
}

int tls_new_session_ticket_encode(struct tls_writer *w,
				  const struct tls_new_session_ticket *nst)
{
	if (nst->lifetime > TLS_MAX_TICKET_LIFETIME)
		tls_w_fail(w, "ticket_lifetime longer than 7 days");
	hs_open(w, TLS_HS_NEW_SESSION_TICKET);
	tls_w_u32(w, nst->lifetime);
	tls_w_u32(w, nst->age_add);
	tls_w_vec(w, 1, 0, 255, nst->nonce.p, nst->nonce.len);
	tls_w_vec(w, 2, 1, 0xffff, nst->ticket.p, nst->ticket.len);
	if (tls_exts_encode(w, TLS_CTX_NST, 0, 0xfffe, &nst->exts, &nst->x))
		return tls_w_status(w);
	return hs_close(w);
}

/* ---- KeyUpdate: §4.6.3 ---- */

/*
 *   enum { update_not_requested(0), update_requested(1), (255) }
 *       KeyUpdateRequest;
 *   struct { KeyUpdateRequest request_update; } KeyUpdate;
 *
 * "If an implementation receives any other value, it MUST terminate the
 * connection with an "illegal_parameter" alert."
 */
int tls_key_update_parse(const uint8_t *body, size_t len,
			 enum tls_key_update_request *req,
			 struct tls_err *err)
{
	struct tls_reader r;
	uint8_t v;

	tls_r_init(&r, body, len);
	TLS_TRY(tls_r_u8(&r, &v, err, "KeyUpdate.request_update"));
	TLS_TRY(tls_r_done(&r, err, "KeyUpdate"));
	if (v != TLS_KEY_UPDATE_NOT_REQUESTED && v != TLS_KEY_UPDATE_REQUESTED)
		return tls_fail(err, TLS_ALERT_ILLEGAL_PARAMETER,
				"KeyUpdate.request_update", "neither 0 nor 1");
	*req = (enum tls_key_update_request)v;
	return 0;
}

int tls_key_update_encode(struct tls_writer *w,
			  enum tls_key_update_request req)
{
	if (req != TLS_KEY_UPDATE_NOT_REQUESTED &&
	    req != TLS_KEY_UPDATE_REQUESTED)
		tls_w_fail(w, "KeyUpdate.request_update: neither 0 nor 1");
	hs_open(w, TLS_HS_KEY_UPDATE);
	tls_w_u8(w, (uint8_t)req);
	return hs_close(w);
}

/* ---- EndOfEarlyData: §4.5: struct {} EndOfEarlyData; ---- */

int tls_end_of_early_data_parse(const uint8_t *body, size_t len,
				struct tls_err *err)
{
	struct tls_reader r;

	tls_r_init(&r, body, len);
	return tls_r_done(&r, err, "EndOfEarlyData");
}

int tls_end_of_early_data_encode(struct tls_writer *w)
{
	hs_open(w, TLS_HS_END_OF_EARLY_DATA);
	return hs_close(w);
}

/* ---- transcript helpers: §4.4.1 message_hash, §4.4.3 signed content ---- */

int tls_message_hash_encode(struct tls_writer *w, const uint8_t *hash,
			    size_t hash_len)
{
	if (hash_len != 32 && hash_len != 48)
		tls_w_fail(w, "message_hash: hash length neither 32 nor 48");
	hs_open(w, TLS_HS_MESSAGE_HASH);
	tls_w_bytes(w, hash, hash_len);
	return hs_close(w);
}

int tls_certificate_verify_content(struct tls_writer *w, bool server,
				   const uint8_t *transcript_hash,
				   size_t hash_len)
{
	static const char server_ctx[] = "TLS 1.3, server CertificateVerify";
	static const char client_ctx[] = "TLS 1.3, client CertificateVerify";
	static const uint8_t spaces[64] = {
		[0 ... 63] = 0x20,
	};

	if (hash_len != 32 && hash_len != 48)
		tls_w_fail(w, "CertificateVerify: hash length neither 32 nor 48");
	tls_w_bytes(w, spaces, sizeof(spaces));
	/* the context strings have the same length; the 0 byte follows */
	tls_w_bytes(w, server ? server_ctx : client_ctx, sizeof(server_ctx));
	tls_w_bytes(w, transcript_hash, hash_len);
	return tls_w_status(w);
}
