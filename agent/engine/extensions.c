// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * TLS 1.3 extensions: the RFC 8446 §4.2 table as data, one block walker
 * applying the block-level rules to every message, and one parser/encoder
 * pair per extension that needs its body understood. See extensions.h for
 * the rules and why they live in one place.
 *
 * Each parser reads its extension_data like the RFC's struct; the walker
 * then insists the body was consumed to its last byte. Each encoder writes
 * the same struct back from struct tls_ext_values, through the writer's
 * range-checked vectors, so the engine cannot emit what it would refuse.
 */
#include <string.h>

#include "extensions.h"
#include "ktls.h"

typedef int (*tls_ext_parse_fn)(struct tls_reader *r, enum tls_ext_ctx ctx,
				struct tls_ext_values *v, struct tls_err *err);
typedef void (*tls_ext_encode_fn)(struct tls_writer *w, enum tls_ext_ctx ctx,
				  const struct tls_ext_values *v);

struct tls_ext_desc {
	uint16_t type;
	uint8_t allowed;		/* enum tls_ext_ctx bits */
	const char *name;
	tls_ext_parse_fn parse;		/* NULL: kept raw */
	tls_ext_encode_fn encode;	/* set iff parse is */
};

/* ---- helpers ---- */

/* A vector of uint16 with an even length, as a zero-copy list. */
static int parse_u16_list(struct tls_reader *r, unsigned int prefix,
			  size_t min, size_t max, struct tls_u16_list *l,
			  struct tls_err *err, const char *field)
{
	struct tls_reader s;

	TLS_TRY(tls_r_vec(r, prefix, min, max, &s, err, field));
	if (s.len % 2)
		return tls_fail(err, TLS_ALERT_DECODE_ERROR, field,
				"odd length for a list of uint16");
	l->p = s.p;
	l->n = s.len / 2;
	return 0;
}

static void encode_u16_list(struct tls_writer *w, unsigned int prefix,
			    size_t min, size_t max,
			    const struct tls_u16_list *l)
{
	tls_w_vec(w, prefix, min, max, l->p, 2 * l->n);
}

/* ---- server_name: RFC 6066 §3 ---- */

/*
 *   struct {
 *       NameType name_type;
 *       select (name_type) { case host_name: HostName; } name;
 *   } ServerName;
 *   enum { host_name(0), (255) } NameType;
 *   opaque HostName<1..2^16-1>;
 *   struct { ServerName server_name_list<1..2^16-1> } ServerNameList;
 *
 * In EncryptedExtensions the server's acknowledgement is empty.
 */
static int parse_server_name(struct tls_reader *r, enum tls_ext_ctx ctx,
			     struct tls_ext_values *v, struct tls_err *err)
{
	struct tls_reader list, name;
	uint8_t type;

	if (ctx != TLS_CTX_CH)
		return 0;	/* empty; the walker checks */
	TLS_TRY(tls_r_vec(r, 2, 1, 0xffff, &list, err,
			  "server_name.server_name_list"));
	while (tls_r_left(&list)) {
		TLS_TRY(tls_r_u8(&list, &type, err, "server_name.name_type"));
		/*
		 * RFC 6066 §3 defines host_name only, and every name type
		 * would need its own syntax to be skipped.
		 */
		if (type != 0)
			return tls_fail(err, TLS_ALERT_ILLEGAL_PARAMETER,
					"server_name.name_type",
					"not host_name(0)");
		TLS_TRY(tls_r_vec(&list, 2, 1, 0xffff, &name, err,
				  "server_name.host_name"));
		/* "MUST NOT contain more than one name of the same name_type" */
		if (v->server_name.p)
			return tls_fail(err, TLS_ALERT_ILLEGAL_PARAMETER,
					"server_name.host_name",
					"more than one host_name");
		v->server_name.p = name.p;
		v->server_name.len = name.len;
	}
	return 0;
}

static void encode_server_name(struct tls_writer *w, enum tls_ext_ctx ctx,
			       const struct tls_ext_values *v)
{
	if (ctx != TLS_CTX_CH)
		return;
	tls_w_open(w, 2, 1, 0xffff);
	tls_w_u8(w, 0);
	tls_w_vec(w, 2, 1, 0xffff, v->server_name.p, v->server_name.len);
	tls_w_close(w);
}

/* ---- status_request: RFC 6066 §8, RFC 8446 §4.4.2.1 ---- */

/*
 *   struct {
 *       CertificateStatusType status_type;
 *       select (status_type) { case ocsp: OCSPStatusRequest; } request;
 *   } CertificateStatusRequest;
 *   struct {
 *       ResponderID responder_id_list<0..2^16-1>;
 *       Extensions  request_extensions;   -- opaque <0..2^16-1>
 *   } OCSPStatusRequest;
 *
 * In a CertificateRequest it is empty (§4.4.2.1); in a CertificateEntry it
 * is a CertificateStatus: status_type, then OCSPResponse<1..2^24-1>.
 */
static int parse_status_request(struct tls_reader *r, enum tls_ext_ctx ctx,
				struct tls_ext_values *v, struct tls_err *err)
{
	struct tls_reader ids, exts, resp;
	const uint8_t *rest;

	if (ctx == TLS_CTX_CR)
		return 0;
	TLS_TRY(tls_r_u8(r, &v->status_type, err,
			 "status_request.status_type"));
	if (ctx == TLS_CTX_CT) {
		if (v->status_type != TLS_STATUS_TYPE_OCSP)
			return tls_fail(err, TLS_ALERT_ILLEGAL_PARAMETER,
					"CertificateStatus.status_type",
					"not ocsp(1)");
		TLS_TRY(tls_r_vec(r, 3, 1, 0xffffff, &resp, err,
				  "CertificateStatus.response"));
		v->status_body.p = resp.p;
		v->status_body.len = resp.len;
		return 0;
	}
	rest = tls_r_pos(r);
	v->status_body.p = rest;
	v->status_body.len = tls_r_left(r);
	if (v->status_type != TLS_STATUS_TYPE_OCSP) {
		/* Another type: not ours to read; kept raw, ignored. */
		r->off = r->len;
		return 0;
	}
	TLS_TRY(tls_r_vec(r, 2, 0, 0xffff, &ids, err,
			  "OCSPStatusRequest.responder_id_list"));
	TLS_TRY(tls_r_vec(r, 2, 0, 0xffff, &exts, err,
			  "OCSPStatusRequest.request_extensions"));
	v->ocsp_responder_ids.p = ids.p;
	v->ocsp_responder_ids.len = ids.len;
	v->ocsp_extensions.p = exts.p;
	v->ocsp_extensions.len = exts.len;
	return 0;
}

static void encode_status_request(struct tls_writer *w, enum tls_ext_ctx ctx,
				  const struct tls_ext_values *v)
{
	if (ctx == TLS_CTX_CR)
		return;
	tls_w_u8(w, v->status_type);
	if (ctx == TLS_CTX_CT) {
		if (v->status_type != TLS_STATUS_TYPE_OCSP)
			tls_w_fail(w, "CertificateStatus: not ocsp");
		tls_w_vec(w, 3, 1, 0xffffff, v->status_body.p,
			  v->status_body.len);
		return;
	}
	if (v->status_type != TLS_STATUS_TYPE_OCSP) {
		tls_w_bytes(w, v->status_body.p, v->status_body.len);
		return;
	}
	tls_w_vec(w, 2, 0, 0xffff, v->ocsp_responder_ids.p,
		  v->ocsp_responder_ids.len);
	tls_w_vec(w, 2, 0, 0xffff, v->ocsp_extensions.p,
		  v->ocsp_extensions.len);
}

int tls_ext_parse_cert_status(const struct tls_ext_ref *e,
			      struct tls_opaque *ocsp, struct tls_err *err)
{
	struct tls_ext_values v;
	struct tls_reader r;

	memset(&v, 0, sizeof(v));
	tls_r_init(&r, e->data, e->len);
	TLS_TRY(parse_status_request(&r, TLS_CTX_CT, &v, err));
	TLS_TRY(tls_r_done(&r, err, "CertificateStatus"));
	*ocsp = v.status_body;
	return 0;
}

/* ---- supported_groups: RFC 8446 §4.2.7 ---- */

/*   struct { NamedGroup named_group_list<2..2^16-1>; } NamedGroupList; */
static int parse_supported_groups(struct tls_reader *r, enum tls_ext_ctx ctx,
				  struct tls_ext_values *v,
				  struct tls_err *err)
{
	(void)ctx;
	return parse_u16_list(r, 2, 2, 0xffff, &v->groups, err,
			      "supported_groups.named_group_list");
}

static void encode_supported_groups(struct tls_writer *w,
				    enum tls_ext_ctx ctx,
				    const struct tls_ext_values *v)
{
	(void)ctx;
	encode_u16_list(w, 2, 2, 0xffff, &v->groups);
}

/* ---- signature_algorithms(_cert): RFC 8446 §4.2.3 ---- */

/*
 *   struct {
 *       SignatureScheme supported_signature_algorithms<2..2^16-2>;
 *   } SignatureSchemeList;
 */
static int parse_sig_algs(struct tls_reader *r, enum tls_ext_ctx ctx,
			  struct tls_ext_values *v, struct tls_err *err)
{
	(void)ctx;
	return parse_u16_list(r, 2, 2, 0xfffe, &v->sig_algs, err,
			      "signature_algorithms.supported_signature_algorithms");
}

static void encode_sig_algs(struct tls_writer *w, enum tls_ext_ctx ctx,
			    const struct tls_ext_values *v)
{
	(void)ctx;
	encode_u16_list(w, 2, 2, 0xfffe, &v->sig_algs);
}

static int parse_sig_algs_cert(struct tls_reader *r, enum tls_ext_ctx ctx,
			       struct tls_ext_values *v, struct tls_err *err)
{
	(void)ctx;
	return parse_u16_list(r, 2, 2, 0xfffe, &v->sig_algs_cert, err,
			      "signature_algorithms_cert.supported_signature_algorithms");
}

static void encode_sig_algs_cert(struct tls_writer *w, enum tls_ext_ctx ctx,
				 const struct tls_ext_values *v)
{
	(void)ctx;
	encode_u16_list(w, 2, 2, 0xfffe, &v->sig_algs_cert);
}

/* ---- application_layer_protocol_negotiation: RFC 7301 §3.1 ---- */

/*
 *   opaque ProtocolName<1..2^8-1>;
 *   struct { ProtocolName protocol_name_list<2..2^16-1> } ProtocolNameList;
 *
 * "Empty strings MUST NOT be included": a zero length is outside the
 * ProtocolName range, so decode_error. The server's answer (in
 * EncryptedExtensions) "MUST contain exactly one ProtocolName".
 */
static int parse_alpn(struct tls_reader *r, enum tls_ext_ctx ctx,
		      struct tls_ext_values *v, struct tls_err *err)
{
	struct tls_reader list, name;

	TLS_TRY(tls_r_vec(r, 2, 2, 0xffff, &list, err,
			  "application_layer_protocol_negotiation.protocol_name_list"));
	while (tls_r_left(&list)) {
		if (v->n_alpn == TLS_MAX_ALPN)
			return tls_fail(err, TLS_ALERT_DECODE_ERROR,
					"application_layer_protocol_negotiation.protocol_name_list",
					"more names than this implementation accepts (16)");
		TLS_TRY(tls_r_vec(&list, 1, 1, 0xff, &name, err,
				  "application_layer_protocol_negotiation.ProtocolName"));
		v->alpn[v->n_alpn].p = name.p;
		v->alpn[v->n_alpn].len = name.len;
		v->n_alpn++;
	}
	if (ctx == TLS_CTX_EE && v->n_alpn != 1)
		return tls_fail(err, TLS_ALERT_ILLEGAL_PARAMETER,
				"application_layer_protocol_negotiation.protocol_name_list",
				"server selected more than one protocol");
	return 0;
}

static void encode_alpn(struct tls_writer *w, enum tls_ext_ctx ctx,
			const struct tls_ext_values *v)
{
	if (ctx == TLS_CTX_EE && v->n_alpn != 1)
		tls_w_fail(w, "ALPN answer must name exactly one protocol");
	if (v->n_alpn > TLS_MAX_ALPN) {
		tls_w_fail(w, "too many ALPN names");
		return;
	}
	tls_w_open(w, 2, 2, 0xffff);
	for (unsigned int i = 0; i < v->n_alpn; i++)
		tls_w_vec(w, 1, 1, 0xff, v->alpn[i].p, v->alpn[i].len);
	tls_w_close(w);
}

/* ---- record_size_limit: RFC 8449 §4 ---- */

/*
 *   uint16 RecordSizeLimit;
 * "Endpoints MUST NOT send a "record_size_limit" extension with a value
 * smaller than 64. An endpoint MUST treat receipt of a smaller value as a
 * fatal error and generate an "illegal_parameter" alert."
 */
static int parse_record_size_limit(struct tls_reader *r, enum tls_ext_ctx ctx,
				   struct tls_ext_values *v,
				   struct tls_err *err)
{
	(void)ctx;
	TLS_TRY(tls_r_u16(r, &v->record_size_limit, err, "record_size_limit"));
	if (v->record_size_limit < TLS_RECORD_SIZE_LIMIT_MIN)
		return tls_fail(err, TLS_ALERT_ILLEGAL_PARAMETER,
				"record_size_limit", "smaller than 64");
	return 0;
}

static void encode_record_size_limit(struct tls_writer *w,
				     enum tls_ext_ctx ctx,
				     const struct tls_ext_values *v)
{
	(void)ctx;
	if (v->record_size_limit < TLS_RECORD_SIZE_LIMIT_MIN)
		tls_w_fail(w, "record_size_limit smaller than 64");
	tls_w_u16(w, v->record_size_limit);
}

/* ---- pre_shared_key: RFC 8446 §4.2.11 ---- */

/*
 *   struct {
 *       opaque identity<1..2^16-1>;
 *       uint32 obfuscated_ticket_age;
 *   } PskIdentity;
 *   opaque PskBinderEntry<32..255>;
 *   struct {
 *       PskIdentity identities<7..2^16-1>;
 *       PskBinderEntry binders<33..2^16-1>;
 *   } OfferedPsks;
 *   struct {
 *       select (Handshake.msg_type) {
 *           case client_hello: OfferedPsks;
 *           case server_hello: uint16 selected_identity;
 *       };
 *   } PreSharedKeyExtension;
 *
 * One binder per identity, in the same order; a count mismatch cannot be
 * verified and is illegal_parameter.
 */
static int parse_pre_shared_key(struct tls_reader *r, enum tls_ext_ctx ctx,
				struct tls_ext_values *v, struct tls_err *err)
{
	struct tls_reader ids, binders, id, binder;
	unsigned int nb = 0;

	if (ctx == TLS_CTX_SH)
		return tls_r_u16(r, &v->selected_identity, err,
				 "pre_shared_key.selected_identity");
	TLS_TRY(tls_r_vec(r, 2, 7, 0xffff, &ids, err,
			  "OfferedPsks.identities"));
	while (tls_r_left(&ids)) {
		struct tls_psk_identity *psk;

		if (v->n_psks == TLS_MAX_PSK_IDENTITIES)
			return tls_fail(err, TLS_ALERT_DECODE_ERROR,
					"OfferedPsks.identities",
					"more identities than this implementation accepts (8)");
		psk = &v->psks[v->n_psks];
		TLS_TRY(tls_r_vec(&ids, 2, 1, 0xffff, &id, err,
				  "PskIdentity.identity"));
		TLS_TRY(tls_r_u32(&ids, &psk->obfuscated_ticket_age, err,
				  "PskIdentity.obfuscated_ticket_age"));
		psk->identity.p = id.p;
		psk->identity.len = id.len;
		v->n_psks++;
	}
	v->binders = tls_r_pos(r);
	TLS_TRY(tls_r_vec(r, 2, 33, 0xffff, &binders, err,
			  "OfferedPsks.binders"));
	while (tls_r_left(&binders)) {
		if (nb == v->n_psks)
			return tls_fail(err, TLS_ALERT_ILLEGAL_PARAMETER,
					"OfferedPsks.binders",
					"more binders than identities");
		TLS_TRY(tls_r_vec(&binders, 1, 32, 255, &binder, err,
				  "PskBinderEntry"));
		v->psks[nb].binder.p = binder.p;
		v->psks[nb].binder.len = binder.len;
		nb++;
	}
	if (nb != v->n_psks)
		return tls_fail(err, TLS_ALERT_ILLEGAL_PARAMETER,
				"OfferedPsks.binders",
				"fewer binders than identities");
	return 0;
}

static void encode_pre_shared_key(struct tls_writer *w, enum tls_ext_ctx ctx,
				  const struct tls_ext_values *v)
{
	if (ctx == TLS_CTX_SH) {
		tls_w_u16(w, v->selected_identity);
		return;
	}
	if (v->n_psks > TLS_MAX_PSK_IDENTITIES) {
		tls_w_fail(w, "too many PSK identities");
		return;
	}
	tls_w_open(w, 2, 7, 0xffff);
	for (unsigned int i = 0; i < v->n_psks; i++) {
		tls_w_vec(w, 2, 1, 0xffff, v->psks[i].identity.p,
			  v->psks[i].identity.len);
		tls_w_u32(w, v->psks[i].obfuscated_ticket_age);
	}
	tls_w_close(w);
	tls_w_open(w, 2, 33, 0xffff);
	for (unsigned int i = 0; i < v->n_psks; i++)
		tls_w_vec(w, 1, 32, 255, v->psks[i].binder.p,
			  v->psks[i].binder.len);
	tls_w_close(w);
}

size_t tls_psk_binders_len(const struct tls_ext_values *v)
{
	size_t n = 2;

	for (unsigned int i = 0; i < v->n_psks && i < TLS_MAX_PSK_IDENTITIES;
	     i++)
		n += 1 + v->psks[i].binder.len;
	return n;
}

/* ---- early_data: RFC 8446 §4.2.10 ---- */

/*
 *   struct {} Empty;
 *   struct {
 *       select (Handshake.msg_type) {
 *           case new_session_ticket:   uint32 max_early_data_size;
 *           case client_hello:         Empty;
 *           case encrypted_extensions: Empty;
 *       };
 *   } EarlyDataIndication;
 */
static int parse_early_data(struct tls_reader *r, enum tls_ext_ctx ctx,
			    struct tls_ext_values *v, struct tls_err *err)
{
	if (ctx != TLS_CTX_NST)
		return 0;
	return tls_r_u32(r, &v->max_early_data_size, err,
			 "early_data.max_early_data_size");
}

static void encode_early_data(struct tls_writer *w, enum tls_ext_ctx ctx,
			      const struct tls_ext_values *v)
{
	if (ctx == TLS_CTX_NST)
		tls_w_u32(w, v->max_early_data_size);
}

/* ---- supported_versions: RFC 8446 §4.2.1 ---- */

/*
 *   struct {
 *       select (Handshake.msg_type) {
 *           case client_hello:
 *                ProtocolVersion versions<2..254>;
 *           case server_hello: -- and HelloRetryRequest
 *                ProtocolVersion selected_version;
 *       };
 *   } SupportedVersions;
 *
 * "If the "supported_versions" extension in the ServerHello contains a
 * version not offered by the client or contains a version prior to TLS
 * 1.3, the client MUST abort the handshake with an "illegal_parameter"
 * alert." The first half needs the ClientHello and is the state machine's.
 */
static int parse_supported_versions(struct tls_reader *r,
				    enum tls_ext_ctx ctx,
				    struct tls_ext_values *v,
				    struct tls_err *err)
{
	if (ctx == TLS_CTX_CH)
		return parse_u16_list(r, 1, 2, 254, &v->versions, err,
				      "supported_versions.versions");
	TLS_TRY(tls_r_u16(r, &v->selected_version, err,
			  "supported_versions.selected_version"));
	if (v->selected_version < TLS_VERSION_1_3)
		return tls_fail(err, TLS_ALERT_ILLEGAL_PARAMETER,
				"supported_versions.selected_version",
				"prior to TLS 1.3");
	return 0;
}

static void encode_supported_versions(struct tls_writer *w,
				      enum tls_ext_ctx ctx,
				      const struct tls_ext_values *v)
{
	if (ctx == TLS_CTX_CH) {
		encode_u16_list(w, 1, 2, 254, &v->versions);
		return;
	}
	if (v->selected_version < TLS_VERSION_1_3)
		tls_w_fail(w, "selected_version prior to TLS 1.3");
	tls_w_u16(w, v->selected_version);
}

/* ---- cookie: RFC 8446 §4.2.2 ---- */

/*   struct { opaque cookie<1..2^16-1>; } Cookie; */
static int parse_cookie(struct tls_reader *r, enum tls_ext_ctx ctx,
			struct tls_ext_values *v, struct tls_err *err)
{
	struct tls_reader c;

	(void)ctx;
	TLS_TRY(tls_r_vec(r, 2, 1, 0xffff, &c, err, "cookie.cookie"));
	v->cookie.p = c.p;
	v->cookie.len = c.len;
	return 0;
}

static void encode_cookie(struct tls_writer *w, enum tls_ext_ctx ctx,
			  const struct tls_ext_values *v)
{
	(void)ctx;
	tls_w_vec(w, 2, 1, 0xffff, v->cookie.p, v->cookie.len);
}

/* ---- psk_key_exchange_modes: RFC 8446 §4.2.9 ---- */

/*   struct { PskKeyExchangeMode ke_modes<1..255>; } PskKeyExchangeModes; */
static int parse_psk_modes(struct tls_reader *r, enum tls_ext_ctx ctx,
			   struct tls_ext_values *v, struct tls_err *err)
{
	struct tls_reader m;

	(void)ctx;
	TLS_TRY(tls_r_vec(r, 1, 1, 255, &m, err,
			  "psk_key_exchange_modes.ke_modes"));
	v->psk_modes.p = m.p;
	v->psk_modes.len = m.len;
	return 0;
}

static void encode_psk_modes(struct tls_writer *w, enum tls_ext_ctx ctx,
			     const struct tls_ext_values *v)
{
	(void)ctx;
	tls_w_vec(w, 1, 1, 255, v->psk_modes.p, v->psk_modes.len);
}

/* ---- certificate_authorities: RFC 8446 §4.2.4 ---- */

/*
 *   opaque DistinguishedName<1..2^16-1>;
 *   struct {
 *       DistinguishedName authorities<3..2^16-1>;
 *   } CertificateAuthoritiesExtension;
 *
 * The names stay DER, unparsed: validated as a list, kept as one view.
 */
static int parse_authorities(struct tls_reader *r, enum tls_ext_ctx ctx,
			     struct tls_ext_values *v, struct tls_err *err)
{
	struct tls_reader list, dn;

	(void)ctx;
	TLS_TRY(tls_r_vec(r, 2, 3, 0xffff, &list, err,
			  "certificate_authorities.authorities"));
	v->authorities.p = list.p;
	v->authorities.len = list.len;
	while (tls_r_left(&list)) {
		TLS_TRY(tls_r_vec(&list, 2, 1, 0xffff, &dn, err,
				  "certificate_authorities.DistinguishedName"));
		v->n_authorities++;
	}
	return 0;
}

static void encode_authorities(struct tls_writer *w, enum tls_ext_ctx ctx,
			       const struct tls_ext_values *v)
{
	(void)ctx;
	if (!v->dns) {
		tls_w_vec(w, 2, 3, 0xffff, v->authorities.p,
			  v->authorities.len);
		return;
	}
	tls_w_open(w, 2, 3, 0xffff);
	for (unsigned int i = 0; i < v->n_dns; i++)
		tls_w_vec(w, 2, 1, 0xffff, v->dns[i].der, v->dns[i].len);
	tls_w_close(w);
}

/* ---- post_handshake_auth: RFC 8446 §4.2.6: "extension_data ... zero length" ---- */

static int parse_empty(struct tls_reader *r, enum tls_ext_ctx ctx,
		       struct tls_ext_values *v, struct tls_err *err)
{
	(void)r;
	(void)ctx;
	(void)v;
	(void)err;
	return 0;	/* the walker rejects any byte left */
}

static void encode_empty(struct tls_writer *w, enum tls_ext_ctx ctx,
			 const struct tls_ext_values *v)
{
	(void)w;
	(void)ctx;
	(void)v;
}

/* ---- key_share: RFC 8446 §4.2.8 ---- */

/*
 *   struct {
 *       NamedGroup group;
 *       opaque key_exchange<1..2^16-1>;
 *   } KeyShareEntry;
 *   struct { KeyShareEntry client_shares<0..2^16-1>; } KeyShareClientHello;
 *   struct { NamedGroup selected_group; } KeyShareHelloRetryRequest;
 *   struct { KeyShareEntry server_share; } KeyShareServerHello;
 *
 * "Clients MUST NOT offer multiple KeyShareEntry values for the same
 * group. ... Servers MAY check for violations of these rules and abort
 * the handshake with an "illegal_parameter" alert if one is violated."
 */
static int parse_key_share_entry(struct tls_reader *r,
				 struct tls_key_share *ks,
				 struct tls_err *err)
{
	struct tls_reader kx;

	TLS_TRY(tls_r_u16(r, &ks->group, err, "KeyShareEntry.group"));
	TLS_TRY(tls_r_vec(r, 2, 1, 0xffff, &kx, err,
			  "KeyShareEntry.key_exchange"));
	ks->key_exchange.p = kx.p;
	ks->key_exchange.len = kx.len;
	return 0;
}

static int parse_key_share(struct tls_reader *r, enum tls_ext_ctx ctx,
			   struct tls_ext_values *v, struct tls_err *err)
{
	struct tls_reader shares;

	if (ctx == TLS_CTX_HRR)
		return tls_r_u16(r, &v->hrr_group, err,
				 "key_share.selected_group");
	if (ctx == TLS_CTX_SH) {
		TLS_TRY(parse_key_share_entry(r, &v->key_shares[0], err));
		v->n_key_shares = 1;
		return 0;
	}
	TLS_TRY(tls_r_vec(r, 2, 0, 0xffff, &shares, err,
			  "key_share.client_shares"));
	while (tls_r_left(&shares)) {
		struct tls_key_share *ks;

		if (v->n_key_shares == TLS_MAX_KEY_SHARES)
			return tls_fail(err, TLS_ALERT_DECODE_ERROR,
					"key_share.client_shares",
					"more entries than this implementation accepts (8)");
		ks = &v->key_shares[v->n_key_shares];
		TLS_TRY(parse_key_share_entry(&shares, ks, err));
		for (unsigned int i = 0; i < v->n_key_shares; i++)
			if (v->key_shares[i].group == ks->group)
				return tls_fail(err,
						TLS_ALERT_ILLEGAL_PARAMETER,
						"key_share.client_shares",
						"two entries for one group");
		v->n_key_shares++;
	}
	return 0;
}

static void encode_key_share_entry(struct tls_writer *w,
				   const struct tls_key_share *ks)
{
	tls_w_u16(w, ks->group);
	tls_w_vec(w, 2, 1, 0xffff, ks->key_exchange.p, ks->key_exchange.len);
}

static void encode_key_share(struct tls_writer *w, enum tls_ext_ctx ctx,
			     const struct tls_ext_values *v)
{
	if (ctx == TLS_CTX_HRR) {
		tls_w_u16(w, v->hrr_group);
		return;
	}
	if (ctx == TLS_CTX_SH) {
		if (v->n_key_shares != 1)
			tls_w_fail(w, "ServerHello key_share needs one entry");
		encode_key_share_entry(w, &v->key_shares[0]);
		return;
	}
	if (v->n_key_shares > TLS_MAX_KEY_SHARES) {
		tls_w_fail(w, "too many key shares");
		return;
	}
	tls_w_open(w, 2, 0, 0xffff);
	for (unsigned int i = 0; i < v->n_key_shares; i++) {
		for (unsigned int j = 0; j < i; j++)
			if (v->key_shares[j].group == v->key_shares[i].group)
				tls_w_fail(w, "two key shares for one group");
		encode_key_share_entry(w, &v->key_shares[i]);
	}
	tls_w_close(w);
}

/* ---- max_fragment_length: RFC 6066 §4 ---- */

/*
 *   enum { 2^9(1), 2^10(2), 2^11(3), 2^12(4), (255) } MaxFragmentLength;
 * "If a server receives a maximum fragment length negotiation request for
 * a value other than the allowed values, it MUST abort the handshake with
 * an "illegal_parameter" alert." (and the client likewise for the answer)
 */
static int parse_max_fragment_length(struct tls_reader *r,
				     enum tls_ext_ctx ctx,
				     struct tls_ext_values *v,
				     struct tls_err *err)
{
	(void)ctx;
	TLS_TRY(tls_r_u8(r, &v->max_fragment_length, err,
			 "max_fragment_length"));
	if (v->max_fragment_length < 1 || v->max_fragment_length > 4)
		return tls_fail(err, TLS_ALERT_ILLEGAL_PARAMETER,
				"max_fragment_length", "not one of 1..4");
	return 0;
}

static void encode_max_fragment_length(struct tls_writer *w,
				       enum tls_ext_ctx ctx,
				       const struct tls_ext_values *v)
{
	(void)ctx;
	if (v->max_fragment_length < 1 || v->max_fragment_length > 4)
		tls_w_fail(w, "max_fragment_length not one of 1..4");
	tls_w_u8(w, v->max_fragment_length);
}

/* ---- heartbeat: RFC 6520 §2 ---- */

/*
 *   enum { peer_allowed_to_send(1), peer_not_allowed_to_send(2), (255) }
 *       HeartbeatMode;
 *   struct { HeartbeatMode mode; } HeartbeatExtension;
 * "Upon reception of an unknown mode, an error Alert message using
 * illegal_parameter as its AlertDescription MUST be sent in response."
 */
static int parse_heartbeat(struct tls_reader *r, enum tls_ext_ctx ctx,
			   struct tls_ext_values *v, struct tls_err *err)
{
	(void)ctx;
	TLS_TRY(tls_r_u8(r, &v->heartbeat_mode, err, "heartbeat.mode"));
	if (v->heartbeat_mode != 1 && v->heartbeat_mode != 2)
		return tls_fail(err, TLS_ALERT_ILLEGAL_PARAMETER,
				"heartbeat.mode", "neither 1 nor 2");
	return 0;
}

static void encode_heartbeat(struct tls_writer *w, enum tls_ext_ctx ctx,
			     const struct tls_ext_values *v)
{
	(void)ctx;
	if (v->heartbeat_mode != 1 && v->heartbeat_mode != 2)
		tls_w_fail(w, "heartbeat.mode neither 1 nor 2");
	tls_w_u8(w, v->heartbeat_mode);
}

/* ---- oid_filters: RFC 8446 §4.2.5 ---- */

/*
 *   struct {
 *       opaque certificate_extension_oid<1..2^8-1>;
 *       opaque certificate_extension_values<0..2^16-1>;
 *   } OIDFilter;
 *   struct { OIDFilter filters<0..2^16-1>; } OIDFilterExtension;
 *
 * Validated as a list and kept as one view; matching the filters against
 * a certificate is the certificate selector's job.
 */
static int parse_oid_filters(struct tls_reader *r, enum tls_ext_ctx ctx,
			     struct tls_ext_values *v, struct tls_err *err)
{
	struct tls_reader list, oid, vals;

	(void)ctx;
	TLS_TRY(tls_r_vec(r, 2, 0, 0xffff, &list, err, "oid_filters.filters"));
	v->oid_filters.p = list.p;
	v->oid_filters.len = list.len;
	while (tls_r_left(&list)) {
		TLS_TRY(tls_r_vec(&list, 1, 1, 0xff, &oid, err,
				  "OIDFilter.certificate_extension_oid"));
		TLS_TRY(tls_r_vec(&list, 2, 0, 0xffff, &vals, err,
				  "OIDFilter.certificate_extension_values"));
		v->n_oid_filters++;
	}
	return 0;
}

static void encode_oid_filters(struct tls_writer *w, enum tls_ext_ctx ctx,
			       const struct tls_ext_values *v)
{
	(void)ctx;
	tls_w_vec(w, 2, 0, 0xffff, v->oid_filters.p, v->oid_filters.len);
}

/* ---- the table: RFC 8446 §4.2 (and RFC 8449 §5 for record_size_limit) ---- */

#define CH	TLS_CTX_CH
#define SH	TLS_CTX_SH
#define HRR	TLS_CTX_HRR
#define EE	TLS_CTX_EE
#define CT	TLS_CTX_CT
#define CR	TLS_CTX_CR
#define NST	TLS_CTX_NST
#define PE(fn)	parse_##fn, encode_##fn

/*
 *   +--------------------------------------------------+-------------+
 *   | Extension                                        |     TLS 1.3 |
 *   +--------------------------------------------------+-------------+
 *   | server_name [RFC6066]                            |      CH, EE |
 *   | max_fragment_length [RFC6066]                    |      CH, EE |
 *   | status_request [RFC6066]                         |  CH, CR, CT |
 *   | supported_groups [RFC7919]                       |      CH, EE |
 *   | signature_algorithms (RFC 8446)                  |      CH, CR |
 *   | use_srtp [RFC5764]                               |      CH, EE |
 *   | heartbeat [RFC6520]                              |      CH, EE |
 *   | application_layer_protocol_negotiation [RFC7301] |      CH, EE |
 *   | signed_certificate_timestamp [RFC6962]           |  CH, CR, CT |
 *   | client_certificate_type [RFC7250]                |      CH, EE |
 *   | server_certificate_type [RFC7250]                |      CH, EE |
 *   | padding [RFC7685]                                |          CH |
 *   | key_share (RFC 8446)                             | CH, SH, HRR |
 *   | pre_shared_key (RFC 8446)                        |      CH, SH |
 *   | psk_key_exchange_modes (RFC 8446)                |          CH |
 *   | early_data (RFC 8446)                            | CH, EE, NST |
 *   | cookie (RFC 8446)                                |     CH, HRR |
 *   | supported_versions (RFC 8446)                    | CH, SH, HRR |
 *   | certificate_authorities (RFC 8446)               |      CH, CR |
 *   | oid_filters (RFC 8446)                           |          CR |
 *   | post_handshake_auth (RFC 8446)                   |          CH |
 *   | signature_algorithms_cert (RFC 8446)             |      CH, CR |
 *   +--------------------------------------------------+-------------+
 *   record_size_limit [RFC8449]: CH, EE
 */
static const struct tls_ext_desc tls_ext_table[TLS_EXTID__COUNT] = {
	[TLS_EXTID_SERVER_NAME] = { TLS_EXT_SERVER_NAME, CH | EE,
		"server_name", PE(server_name) },
	[TLS_EXTID_MAX_FRAGMENT_LENGTH] = { TLS_EXT_MAX_FRAGMENT_LENGTH,
		CH | EE, "max_fragment_length", PE(max_fragment_length) },
	[TLS_EXTID_STATUS_REQUEST] = { TLS_EXT_STATUS_REQUEST, CH | CR | CT,
		"status_request", PE(status_request) },
	[TLS_EXTID_SUPPORTED_GROUPS] = { TLS_EXT_SUPPORTED_GROUPS, CH | EE,
		"supported_groups", PE(supported_groups) },
	[TLS_EXTID_SIGNATURE_ALGORITHMS] = { TLS_EXT_SIGNATURE_ALGORITHMS,
		CH | CR, "signature_algorithms", PE(sig_algs) },
	[TLS_EXTID_USE_SRTP] = { TLS_EXT_USE_SRTP, CH | EE, "use_srtp",
		NULL, NULL },
	[TLS_EXTID_HEARTBEAT] = { TLS_EXT_HEARTBEAT, CH | EE, "heartbeat",
		PE(heartbeat) },
	[TLS_EXTID_ALPN] = { TLS_EXT_ALPN, CH | EE,
		"application_layer_protocol_negotiation", PE(alpn) },
	[TLS_EXTID_SIGNED_CERTIFICATE_TIMESTAMP] = {
		TLS_EXT_SIGNED_CERTIFICATE_TIMESTAMP, CH | CR | CT,
		"signed_certificate_timestamp", NULL, NULL },
	[TLS_EXTID_CLIENT_CERTIFICATE_TYPE] = {
		TLS_EXT_CLIENT_CERTIFICATE_TYPE, CH | EE,
		"client_certificate_type", NULL, NULL },
	[TLS_EXTID_SERVER_CERTIFICATE_TYPE] = {
		TLS_EXT_SERVER_CERTIFICATE_TYPE, CH | EE,
		"server_certificate_type", NULL, NULL },
	[TLS_EXTID_PADDING] = { TLS_EXT_PADDING, CH, "padding", NULL, NULL },
	[TLS_EXTID_RECORD_SIZE_LIMIT] = { TLS_EXT_RECORD_SIZE_LIMIT, CH | EE,
		"record_size_limit", PE(record_size_limit) },
	[TLS_EXTID_PRE_SHARED_KEY] = { TLS_EXT_PRE_SHARED_KEY, CH | SH,
		"pre_shared_key", PE(pre_shared_key) },
	[TLS_EXTID_EARLY_DATA] = { TLS_EXT_EARLY_DATA, CH | EE | NST,
		"early_data", PE(early_data) },
	[TLS_EXTID_SUPPORTED_VERSIONS] = { TLS_EXT_SUPPORTED_VERSIONS,
		CH | SH | HRR, "supported_versions", PE(supported_versions) },
	[TLS_EXTID_COOKIE] = { TLS_EXT_COOKIE, CH | HRR, "cookie",
		PE(cookie) },
	[TLS_EXTID_PSK_KEY_EXCHANGE_MODES] = { TLS_EXT_PSK_KEY_EXCHANGE_MODES,
		CH, "psk_key_exchange_modes", PE(psk_modes) },
	[TLS_EXTID_CERTIFICATE_AUTHORITIES] = {
		TLS_EXT_CERTIFICATE_AUTHORITIES, CH | CR,
		"certificate_authorities", PE(authorities) },
	[TLS_EXTID_OID_FILTERS] = { TLS_EXT_OID_FILTERS, CR, "oid_filters",
		PE(oid_filters) },
	[TLS_EXTID_POST_HANDSHAKE_AUTH] = { TLS_EXT_POST_HANDSHAKE_AUTH, CH,
		"post_handshake_auth", PE(empty) },
	[TLS_EXTID_SIGNATURE_ALGORITHMS_CERT] = {
		TLS_EXT_SIGNATURE_ALGORITHMS_CERT, CH | CR,
		"signature_algorithms_cert", PE(sig_algs_cert) },
	[TLS_EXTID_KEY_SHARE] = { TLS_EXT_KEY_SHARE, CH | SH | HRR,
		"key_share", PE(key_share) },
};

#undef CH
#undef SH
#undef HRR
#undef EE
#undef CT
#undef CR
#undef NST
#undef PE

_Static_assert(TLS_EXTID__COUNT <= 32, "present mask is 32 bits");

/*
 * Unrecognized extensions: where they are an error. RFC 8446 §4.1.2
 * ("Servers MUST ignore unrecognized extensions"), §4.3.2 and §4.6.1
 * ("Clients MUST ignore unrecognized extensions") for CH, CR and NST;
 * everywhere else an unrecognized extension answers a request we never
 * made (§4.2) -> unsupported_extension.
 */
static const unsigned int tls_ctx_reject_unknown =
	TLS_CTX_SH | TLS_CTX_HRR | TLS_CTX_EE | TLS_CTX_CT;

/* The reason for a misplaced extension, by message (bit of tls_ext_ctx). */
static const char *const tls_ctx_not_allowed[] = {
	"not allowed in ClientHello",
	"not allowed in ServerHello",
	"not allowed in HelloRetryRequest",
	"not allowed in EncryptedExtensions",
	"not allowed in Certificate",
	"not allowed in CertificateRequest",
	"not allowed in NewSessionTicket",
};

_Static_assert(TLS_CTX_NST == 1u << 6, "one reason per message kind");

static const char *ctx_not_allowed(enum tls_ext_ctx ctx)
{
	unsigned int bit = (unsigned int)__builtin_ctz((unsigned int)ctx | 0x80);

	return bit < 7 ? tls_ctx_not_allowed[bit] :
			 "not allowed in this message";
}

unsigned int tls_ext_id_of(uint16_t type)
{
	for (unsigned int i = 0; i < TLS_EXTID__COUNT; i++)
		if (tls_ext_table[i].type == type)
			return i;
	return TLS_EXTID_UNKNOWN;
}

/* The §4.2 table row for a code point, or NULL when not recognized. */
static const struct tls_ext_desc *tls_ext_lookup(uint16_t type)
{
	unsigned int id = tls_ext_id_of(type);

	return id == TLS_EXTID_UNKNOWN ? NULL : &tls_ext_table[id];
}

const char *tls_ext_name(uint16_t type)
{
	const struct tls_ext_desc *d = tls_ext_lookup(type);

	return d ? d->name : "unknown";
}

unsigned int tls_ext_allowed(uint16_t type)
{
	const struct tls_ext_desc *d = tls_ext_lookup(type);

	return d ? d->allowed : 0;
}

uint16_t tls_ext_type_of(unsigned int id)
{
	return id < TLS_EXTID__COUNT ? tls_ext_table[id].type : 0xffff;
}

/*
 * RFC 8446 §4.2:
 *   struct {
 *       ExtensionType extension_type;
 *       opaque extension_data<0..2^16-1>;
 *   } Extension;
 */
int tls_exts_parse(struct tls_reader *r, enum tls_ext_ctx ctx, size_t min,
		   size_t max, struct tls_ext_list *list,
		   struct tls_ext_values *vals, struct tls_err *err)
{
	struct tls_reader block;

	memset(list, 0, sizeof(*list));
	if (vals)
		memset(vals, 0, sizeof(*vals));
	TLS_TRY(tls_r_vec(r, 2, min, max, &block, err, "extensions"));
	while (tls_r_left(&block)) {
		const struct tls_ext_desc *d;
		struct tls_reader body;
		struct tls_ext_ref *e;
		uint16_t type;

		TLS_TRY(tls_r_u16(&block, &type, err,
				  "Extension.extension_type"));
		TLS_TRY(tls_r_vec(&block, 2, 0, 0xffff, &body, err,
				  "Extension.extension_data"));
		d = tls_ext_lookup(type);
		/*
		 * "There MUST NOT be more than one extension of the same
		 * type in a given extension block."
		 */
		for (unsigned int i = 0; i < list->n; i++)
			if (list->e[i].type == type)
				return tls_fail(err,
						TLS_ALERT_ILLEGAL_PARAMETER,
						d ? d->name : "Extension",
						"duplicate extension");
		/*
		 * §4.2.11: "The "pre_shared_key" extension MUST be the last
		 * extension in the ClientHello ... Servers MUST check that
		 * it is the last extension and otherwise fail the handshake
		 * with an "illegal_parameter" alert."
		 */
		if (ctx == TLS_CTX_CH && list->n &&
		    list->e[list->n - 1].type == TLS_EXT_PRE_SHARED_KEY)
			return tls_fail(err, TLS_ALERT_ILLEGAL_PARAMETER,
					"pre_shared_key",
					"not the last extension in ClientHello");
		if (!d && (tls_ctx_reject_unknown & ctx))
			return tls_fail(err, TLS_ALERT_UNSUPPORTED_EXTENSION,
					"Extension.extension_type",
					"unrecognized extension in a response");
		/*
		 * "If an implementation receives an extension which it
		 * recognizes and which is not specified for the message in
		 * which it appears, it MUST abort the handshake with an
		 * "illegal_parameter" alert."
		 */
		if (d && !(d->allowed & ctx))
			return tls_fail(err, TLS_ALERT_ILLEGAL_PARAMETER,
					d->name, ctx_not_allowed(ctx));
		if (list->n == TLS_MAX_EXTENSIONS)
			return tls_fail(err, TLS_ALERT_DECODE_ERROR,
					"extensions",
					"more extensions than this implementation accepts (40)");
		e = &list->e[list->n++];
		e->type = type;
		e->id = (uint8_t)tls_ext_id_of(type);
		e->data = body.p;
		e->len = (uint16_t)body.len;
		if (!d)
			continue;
		list->present |= TLS_EXT_BIT(e->id);
		if (vals && d->parse) {
			TLS_TRY(d->parse(&body, ctx, vals, err));
			TLS_TRY(tls_r_done(&body, err, d->name));
		}
	}
	return 0;
}

int tls_exts_encode(struct tls_writer *w, enum tls_ext_ctx ctx, size_t min,
		    size_t max, const struct tls_ext_list *list,
		    const struct tls_ext_values *vals)
{
	if (list->n > TLS_MAX_EXTENSIONS) {
		tls_w_fail(w, "extension list overfull");
		return tls_w_status(w);
	}
	tls_w_open(w, 2, min, max);
	for (unsigned int i = 0; i < list->n; i++) {
		const struct tls_ext_ref *e = &list->e[i];
		const struct tls_ext_desc *d = tls_ext_lookup(e->type);

		/* the block rules tls_exts_parse() applies, on output */
		for (unsigned int j = 0; j < i; j++)
			if (list->e[j].type == e->type)
				tls_w_fail(w, "duplicate extension");
		if (d && !(d->allowed & ctx))
			tls_w_fail(w, "extension not allowed in this message");
		if (!d && (tls_ctx_reject_unknown & ctx))
			tls_w_fail(w, "unrecognized extension in a response");
		if (ctx == TLS_CTX_CH && e->type == TLS_EXT_PRE_SHARED_KEY &&
		    i + 1 != list->n)
			tls_w_fail(w, "pre_shared_key not last in ClientHello");
		tls_w_u16(w, e->type);
		if (d && d->encode && vals) {
			tls_w_open(w, 2, 0, 0xffff);
			d->encode(w, ctx, vals);
			tls_w_close(w);
		} else {
			tls_w_vec(w, 2, 0, 0xffff, e->data, e->len);
		}
	}
	tls_w_close(w);
	return tls_w_status(w);
}

int tls_exts_add(struct tls_ext_list *list, uint16_t type,
		 const uint8_t *data, uint16_t len, struct tls_err *err)
{
	struct tls_ext_ref *e;

	for (unsigned int i = 0; i < list->n; i++)
		if (list->e[i].type == type)
			return tls_fail(err, TLS_ALERT_INTERNAL_ERROR,
					tls_ext_name(type),
					"added twice");
	if (list->n == TLS_MAX_EXTENSIONS)
		return tls_fail(err, TLS_ALERT_INTERNAL_ERROR, "extensions",
				"list full");
	e = &list->e[list->n++];
	e->type = type;
	e->id = (uint8_t)tls_ext_id_of(type);
	e->data = data;
	e->len = len;
	if (e->id != TLS_EXTID_UNKNOWN)
		list->present |= TLS_EXT_BIT(e->id);
	return 0;
}

int tls_exts_check_solicited(uint32_t offered, uint32_t received,
			     enum tls_ext_ctx ctx, struct tls_err *err)
{
	uint32_t extra = received & ~offered;

	if (ctx == TLS_CTX_HRR)
		extra &= ~TLS_EXT_BIT(TLS_EXTID_COOKIE);
	for (unsigned int i = 0; i < TLS_EXTID__COUNT; i++)
		if (extra & TLS_EXT_BIT(i))
			return tls_fail(err, TLS_ALERT_UNSUPPORTED_EXTENSION,
					tls_ext_table[i].name,
					"answer to an extension we did not send");
	return 0;
}
