/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * TLS 1.3 extensions (RFC 8446 §4.2): the extension block codec and the
 * per-extension parsers and encoders.
 *
 * Why it is shaped so: the rules about *where* an extension may appear are
 * the table of RFC 8446 §4.2, and they are kept here as that table
 * (tls_ext_table[] in extensions.c: type, name, the messages it may appear
 * in, its parser and encoder), not as branches in each message's parser.
 * One function, tls_exts_parse(), walks any extension block and applies the
 * block-level rules to every message alike:
 *
 *  - "There MUST NOT be more than one extension of the same type in a given
 *    extension block" -> illegal_parameter (checked for unknown types too).
 *  - A recognized extension in a message the table does not list for it ->
 *    illegal_parameter.
 *  - An unrecognized extension: ignored in ClientHello, CertificateRequest
 *    and NewSessionTicket (RFC 8446 §4.1.2, §4.3.2, §4.6.1); in ServerHello,
 *    HelloRetryRequest, EncryptedExtensions and Certificate it can only be an
 *    answer to something we never asked, -> unsupported_extension.
 *  - "pre_shared_key" must be the last extension in a ClientHello
 *    (§4.2.11) -> illegal_parameter.
 *
 * Then each recognized extension's body goes to its own parser (one
 * function per extension, reading like the RFC's struct), which must
 * consume it exactly. Parsed values are zero-copy views into the message
 * (struct tls_ext_values); the block itself is also kept in order
 * (struct tls_ext_list) so that an encoder reproduces the same order and
 * unknown extensions byte for byte.
 */
#ifndef KTLS_ENGINE_EXTENSIONS_H
#define KTLS_ENGINE_EXTENSIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "codec.h"

struct ktls_dn;

/* The messages that carry extensions: the columns of RFC 8446 §4.2. */
enum tls_ext_ctx {
	TLS_CTX_CH	= 1u << 0,	/* ClientHello */
	TLS_CTX_SH	= 1u << 1,	/* ServerHello */
	TLS_CTX_HRR	= 1u << 2,	/* HelloRetryRequest */
	TLS_CTX_EE	= 1u << 3,	/* EncryptedExtensions */
	TLS_CTX_CT	= 1u << 4,	/* Certificate (per entry) */
	TLS_CTX_CR	= 1u << 5,	/* CertificateRequest */
	TLS_CTX_NST	= 1u << 6,	/* NewSessionTicket */
};

/* ExtensionType code points (IANA "TLS ExtensionType Values"). */
enum tls_ext_type {
	TLS_EXT_SERVER_NAME			= 0,
	TLS_EXT_MAX_FRAGMENT_LENGTH		= 1,
	TLS_EXT_STATUS_REQUEST			= 5,
	TLS_EXT_SUPPORTED_GROUPS		= 10,
	TLS_EXT_SIGNATURE_ALGORITHMS		= 13,
	TLS_EXT_USE_SRTP			= 14,
	TLS_EXT_HEARTBEAT			= 15,
	TLS_EXT_ALPN				= 16,
	TLS_EXT_SIGNED_CERTIFICATE_TIMESTAMP	= 18,
	TLS_EXT_CLIENT_CERTIFICATE_TYPE		= 19,
	TLS_EXT_SERVER_CERTIFICATE_TYPE		= 20,
	TLS_EXT_PADDING				= 21,
	TLS_EXT_RECORD_SIZE_LIMIT		= 28,
	TLS_EXT_PRE_SHARED_KEY			= 41,
	TLS_EXT_EARLY_DATA			= 42,
	TLS_EXT_SUPPORTED_VERSIONS		= 43,
	TLS_EXT_COOKIE				= 44,
	TLS_EXT_PSK_KEY_EXCHANGE_MODES		= 45,
	TLS_EXT_CERTIFICATE_AUTHORITIES		= 47,
	TLS_EXT_OID_FILTERS			= 48,
	TLS_EXT_POST_HANDSHAKE_AUTH		= 49,
	TLS_EXT_SIGNATURE_ALGORITHMS_CERT	= 50,
	TLS_EXT_KEY_SHARE			= 51,
};

/* Dense ids of the recognized extensions: bits of tls_ext_list.present. */
enum tls_ext_id {
	TLS_EXTID_SERVER_NAME,
	TLS_EXTID_MAX_FRAGMENT_LENGTH,
	TLS_EXTID_STATUS_REQUEST,
	TLS_EXTID_SUPPORTED_GROUPS,
	TLS_EXTID_SIGNATURE_ALGORITHMS,
	TLS_EXTID_USE_SRTP,
	TLS_EXTID_HEARTBEAT,
	TLS_EXTID_ALPN,
	TLS_EXTID_SIGNED_CERTIFICATE_TIMESTAMP,
	TLS_EXTID_CLIENT_CERTIFICATE_TYPE,
	TLS_EXTID_SERVER_CERTIFICATE_TYPE,
	TLS_EXTID_PADDING,
	TLS_EXTID_RECORD_SIZE_LIMIT,
	TLS_EXTID_PRE_SHARED_KEY,
	TLS_EXTID_EARLY_DATA,
	TLS_EXTID_SUPPORTED_VERSIONS,
	TLS_EXTID_COOKIE,
	TLS_EXTID_PSK_KEY_EXCHANGE_MODES,
	TLS_EXTID_CERTIFICATE_AUTHORITIES,
	TLS_EXTID_OID_FILTERS,
	TLS_EXTID_POST_HANDSHAKE_AUTH,
	TLS_EXTID_SIGNATURE_ALGORITHMS_CERT,
	TLS_EXTID_KEY_SHARE,
	TLS_EXTID__COUNT,
	TLS_EXTID_UNKNOWN = 0xff,
};

#define TLS_EXT_BIT(id) (1u << (id))

/* Implementation caps (see Documentation/engine-codec.md). */
#define TLS_MAX_EXTENSIONS	40	/* per extension block */
#define TLS_MAX_KEY_SHARES	8	/* ClientHello key_share entries */
#define TLS_MAX_PSK_IDENTITIES	8	/* pre_shared_key identities */
#define TLS_MAX_ALPN		16	/* ALPN protocol names */

/* RFC 8446 §4.2.1 / §4.1.3 */
#define TLS_VERSION_1_2		0x0303
#define TLS_VERSION_1_3		0x0304
/* RFC 8449 §4: "a value smaller than 64 ... illegal_parameter" */
#define TLS_RECORD_SIZE_LIMIT_MIN 64
/* RFC 6066 §8 CertificateStatusType */
#define TLS_STATUS_TYPE_OCSP	1

/* A zero-copy view of opaque bytes inside a message. */
struct tls_opaque {
	const uint8_t *p;
	size_t len;
};

/* A zero-copy list of big-endian uint16 values (groups, schemes, ...). */
struct tls_u16_list {
	const uint8_t *p;	/* 2 * n bytes */
	size_t n;
};

static inline uint16_t tls_u16_at(const struct tls_u16_list *l, size_t i)
{
	return tls_be16(l->p + 2 * i);
}

/* Whether @v is in the list (a version, group, scheme or suite offered). */
static inline bool tls_u16_list_has(const struct tls_u16_list *l, uint16_t v)
{
	for (size_t i = 0; i < l->n; i++)
		if (tls_u16_at(l, i) == v)
			return true;
	return false;
}

/* One extension as it appeared in its block, in order. */
struct tls_ext_ref {
	uint16_t type;
	uint8_t id;		/* enum tls_ext_id, or TLS_EXTID_UNKNOWN */
	const uint8_t *data;	/* extension_data (raw) */
	uint16_t len;
};

struct tls_ext_list {
	uint32_t present;	/* TLS_EXT_BIT(id) of recognized extensions */
	uint8_t n;
	struct tls_ext_ref e[TLS_MAX_EXTENSIONS];
};

/* struct KeyShareEntry (RFC 8446 §4.2.8) */
struct tls_key_share {
	uint16_t group;
	struct tls_opaque key_exchange;
};

/* PskIdentity and its PskBinderEntry (RFC 8446 §4.2.11) */
struct tls_psk_identity {
	struct tls_opaque identity;
	uint32_t obfuscated_ticket_age;
	struct tls_opaque binder;
};

/*
 * The parsed contents of the recognized extensions of one block. Which
 * fields are meaningful is given by tls_ext_list.present and the message.
 */
struct tls_ext_values {
	struct tls_opaque server_name;		/* CH: host_name */
	struct tls_u16_list versions;		/* CH: supported_versions */
	uint16_t selected_version;		/* SH, HRR */
	struct tls_u16_list groups;		/* CH, EE */
	struct tls_u16_list sig_algs;		/* CH, CR */
	struct tls_u16_list sig_algs_cert;	/* CH, CR */
	uint8_t n_key_shares;			/* CH; SH has exactly 1 */
	struct tls_key_share key_shares[TLS_MAX_KEY_SHARES];
	uint16_t hrr_group;			/* HRR: selected_group */
	struct tls_opaque psk_modes;		/* CH: PskKeyExchangeMode[] */
	uint8_t n_psks;				/* CH: offered PSKs */
	struct tls_psk_identity psks[TLS_MAX_PSK_IDENTITIES];
	/*
	 * CH: where the binders vector (with its length) starts in the
	 * message: the PSK binder covers the ClientHello up to here
	 * (RFC 8446 §4.2.11.2).
	 */
	const uint8_t *binders;
	uint16_t selected_identity;		/* SH: pre_shared_key */
	struct tls_opaque cookie;		/* CH, HRR */
	uint8_t status_type;			/* CH: status_request */
	struct tls_opaque status_body;		/* CH: raw request after type */
	struct tls_opaque ocsp_responder_ids;	/* CH, when status_type ocsp */
	struct tls_opaque ocsp_extensions;	/* CH, when status_type ocsp */
	struct tls_opaque authorities;		/* CH, CR: DistinguishedName[] */
	uint16_t n_authorities;
	/*
	 * Encoding only: when dns is set, certificate_authorities is
	 * written from these n_dns names (struct ktls_dn, ktls.h) instead
	 * of the raw authorities view; the parser never sets it.
	 */
	const struct ktls_dn *dns;
	unsigned int n_dns;
	uint16_t record_size_limit;		/* CH, EE */
	uint8_t n_alpn;				/* CH: list; EE: exactly 1 */
	struct tls_opaque alpn[TLS_MAX_ALPN];
	uint32_t max_early_data_size;		/* NST: early_data */
	uint8_t max_fragment_length;		/* CH, EE: 1..4 */
	uint8_t heartbeat_mode;			/* CH, EE: 1 or 2 */
	struct tls_opaque oid_filters;		/* CR: OIDFilter[] */
	uint16_t n_oid_filters;
};

/* enum tls_ext_id for a code point, or TLS_EXTID_UNKNOWN. */
unsigned int tls_ext_id_of(uint16_t type);
/* The extension's name ("key_share"), or "unknown". */
const char *tls_ext_name(uint16_t type);
/* Bitmask of enum tls_ext_ctx where the extension may appear (0: unknown). */
unsigned int tls_ext_allowed(uint16_t type);
/* The code point of a dense id. */
uint16_t tls_ext_type_of(unsigned int id);

/*
 * Parse "Extension extensions<min..max>" (2-byte length prefix) from @r for
 * a message of kind @ctx into @list and, if @vals is not NULL, the parsed
 * values of the recognized extensions into @vals (zeroed first).
 */
int tls_exts_parse(struct tls_reader *r, enum tls_ext_ctx ctx, size_t min,
		   size_t max, struct tls_ext_list *list,
		   struct tls_ext_values *vals, struct tls_err *err) TLS_WUR;

/*
 * Encode the block in @list's order. A recognized extension with a parser
 * is encoded from @vals (when @vals is not NULL); anything else is copied
 * from its raw bytes in @list.
 */
int tls_exts_encode(struct tls_writer *w, enum tls_ext_ctx ctx, size_t min,
		    size_t max, const struct tls_ext_list *list,
		    const struct tls_ext_values *vals) TLS_WUR;

/*
 * Append an extension to a list being built for encoding: recognized ones
 * are then encoded from the values, unknown ones from @data/@len.
 */
int tls_exts_add(struct tls_ext_list *list, uint16_t type,
		 const uint8_t *data, uint16_t len,
		 struct tls_err *err) TLS_WUR;

/*
 * RFC 8446 §4.2: "Implementations MUST NOT send extension responses if the
 * remote endpoint did not send the corresponding extension requests, with
 * the exception of the "cookie" extension in the HelloRetryRequest. Upon
 * receiving such an extension, an endpoint MUST abort the handshake with an
 * "unsupported_extension" alert." @offered: the present mask of what we
 * sent; @received: what came back.
 */
int tls_exts_check_solicited(uint32_t offered, uint32_t received,
			     enum tls_ext_ctx ctx,
			     struct tls_err *err) TLS_WUR;

/*
 * RFC 8446 §4.2.11.2: the binder covers the ClientHello "up to and
 * including the PreSharedKeyExtension.identities field", i.e. all of it
 * but the binders vector. This is that vector's encoded size (2-byte
 * length plus each 1-byte-prefixed binder) for the values in @v, so that
 * the state machine can encode a ClientHello with placeholder binders,
 * hash all but the last tls_psk_binders_len() bytes, and patch them.
 */
size_t tls_psk_binders_len(const struct tls_ext_values *v);

/*
 * RFC 8446 §4.4.2: a CertificateEntry's CertificateStatus (status_request
 * in a Certificate): status_type ocsp, then OCSPResponse<1..2^24-1>.
 */
int tls_ext_parse_cert_status(const struct tls_ext_ref *e,
			      struct tls_opaque *ocsp,
			      struct tls_err *err) TLS_WUR;

#endif /* KTLS_ENGINE_EXTENSIONS_H */
