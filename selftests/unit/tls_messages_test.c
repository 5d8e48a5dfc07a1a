// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * TLS 1.3 handshake messages and extensions: the RFC 8448 traces parse to
 * the values the RFC shows and encode back to the same bytes; every
 * malformed variant is refused with the alert RFC 8446 prescribes.
 */
#include <stdint.h>
#include <string.h>

#include "messages.h"
#include "rfc8448.h"
#include "tap.h"

#define MAXMSG 4096

/* Every message type's parse, for the loops that mangle bytes. */
struct any_msg {
	struct tls_client_hello ch;
	struct tls_server_hello sh;
	struct tls_encrypted_extensions ee;
	struct tls_certificate_request cr;
	struct tls_certificate ct;
	struct tls_certificate_verify cv;
	struct tls_finished fin;
	struct tls_new_session_ticket nst;
	enum tls_key_update_request ku;
};

static struct any_msg any;

static int parse_body(uint8_t type, const uint8_t *b, size_t n,
		      struct tls_err *err)
{
	switch (type) {
	case TLS_HS_CLIENT_HELLO:
		return tls_client_hello_parse(b, n, &any.ch, err);
	case TLS_HS_SERVER_HELLO:
		return tls_server_hello_parse(b, n, &any.sh, err);
	case TLS_HS_ENCRYPTED_EXTENSIONS:
		return tls_encrypted_extensions_parse(b, n, &any.ee, err);
	case TLS_HS_CERTIFICATE_REQUEST:
		return tls_certificate_request_parse(b, n, &any.cr, err);
	case TLS_HS_CERTIFICATE:
		return tls_certificate_parse(b, n, &any.ct, err);
	case TLS_HS_CERTIFICATE_VERIFY:
		return tls_certificate_verify_parse(b, n, &any.cv, err);
	case TLS_HS_FINISHED:
		return tls_finished_parse(b, n, 32, &any.fin, err);
	case TLS_HS_NEW_SESSION_TICKET:
		return tls_new_session_ticket_parse(b, n, &any.nst, err);
	case TLS_HS_KEY_UPDATE:
		return tls_key_update_parse(b, n, &any.ku, err);
	}
	return -1;
}

/* Encode whatever parse_body() last parsed for @type. */
static int encode_any(uint8_t type, struct tls_writer *w)
{
	switch (type) {
	case TLS_HS_CLIENT_HELLO:
		return tls_client_hello_encode(w, &any.ch);
	case TLS_HS_SERVER_HELLO:
		return tls_server_hello_encode(w, &any.sh);
	case TLS_HS_ENCRYPTED_EXTENSIONS:
		return tls_encrypted_extensions_encode(w, &any.ee);
	case TLS_HS_CERTIFICATE_REQUEST:
		return tls_certificate_request_encode(w, &any.cr);
	case TLS_HS_CERTIFICATE:
		return tls_certificate_encode(w, &any.ct);
	case TLS_HS_CERTIFICATE_VERIFY:
		return tls_certificate_verify_encode(w, &any.cv);
	case TLS_HS_FINISHED:
		return tls_finished_encode(w, &any.fin);
	case TLS_HS_NEW_SESSION_TICKET:
		return tls_new_session_ticket_encode(w, &any.nst);
	case TLS_HS_KEY_UPDATE:
		return tls_key_update_encode(w, any.ku);
	}
	return -1;
}

/* Frame and parse a whole message; returns 0 or the alert. */
static int parse_msg(const uint8_t *p, size_t n, struct tls_err *err)
{
	struct tls_hs_msg m;

	TLS_TRY(tls_hs_parse(p, n, &m, err));
	return parse_body(m.type, m.body, m.len, err);
}

/* Wrap @body as a handshake message of @type. */
static size_t wrap(uint8_t type, const uint8_t *body, size_t n, uint8_t *out)
{
	out[0] = type;
	out[1] = (uint8_t)(n >> 16);
	out[2] = (uint8_t)(n >> 8);
	out[3] = (uint8_t)n;
	if (n)
		memmove(out + 4, body, n);
	return n + 4;
}

/*
 * A minimal TLS 1.3 ClientHello body around a raw extension block given
 * in hex (without the block's own length).
 */
static size_t ch_with_exts(const char *exts_hex, uint16_t legacy_version,
			   uint8_t *out)
{
	uint8_t exts[MAXMSG];
	size_t n = rfc8448_unhex(exts_hex, exts, sizeof(exts)), o = 0;

	out[o++] = (uint8_t)(legacy_version >> 8);
	out[o++] = (uint8_t)legacy_version;
	memset(out + o, 0x11, 32);
	o += 32;
	out[o++] = 0;					/* session id */
	memcpy(out + o, "\x00\x02\x13\x01", 4);		/* suites */
	o += 4;
	memcpy(out + o, "\x01\x00", 2);			/* compression */
	o += 2;
	out[o++] = (uint8_t)(n >> 8);
	out[o++] = (uint8_t)n;
	memcpy(out + o, exts, n);
	return o + n;
}

/* A ServerHello body with the given random and raw extension block. */
static size_t sh_with_exts(const uint8_t *random, const char *exts_hex,
			   uint8_t *out)
{
	uint8_t exts[MAXMSG];
	size_t n = rfc8448_unhex(exts_hex, exts, sizeof(exts)), o = 0;

	out[o++] = 3;
	out[o++] = 3;
	memcpy(out + o, random, 32);
	o += 32;
	out[o++] = 0;
	out[o++] = 0x13;
	out[o++] = 0x01;
	out[o++] = 0;
	out[o++] = (uint8_t)(n >> 8);
	out[o++] = (uint8_t)n;
	memcpy(out + o, exts, n);
	return o + n;
}

/* A body that is only an extension block (EncryptedExtensions). */
static size_t exts_only(const char *exts_hex, uint8_t *out)
{
	size_t n = rfc8448_unhex(exts_hex, out + 2, MAXMSG - 2);

	out[0] = (uint8_t)(n >> 8);
	out[1] = (uint8_t)n;
	return n + 2;
}

static const uint8_t some_random[32] = { 1, 2, 3 };

/*
 * SV13: supported_versions [1.3]; SIGALGS: signature_algorithms;
 * SG_KS: supported_groups + key_share; SV13_CH: the smallest set a TLS 1.3
 * ClientHello without a PSK must carry (RFC 8446 §9.2).
 */
#define SV13	"002b 0003 02 0304"
#define SIGALGS	"000d 0004 0002 0804"
#define SG_KS	"000a 0004 0002 001d  0033 0008 0006 001d 0002 abcd"
#define SV13_CH	SV13 SIGALGS SG_KS

/* ---- RFC 8448 §3: parse the real messages ---- */

TAP_TEST(rfc8448_client_hello_fields)
{
	uint8_t msg[MAXMSG];
	size_t n = rfc8448_unhex(rfc8448_client_hello, msg, sizeof(msg));
	struct tls_client_hello *ch = &any.ch;
	struct tls_hs_msg m;
	struct tls_err err;

	TAP_CHECK_EQ(tls_hs_parse(msg, n, &m, &err), 0);
	TAP_CHECK_EQ(m.type, TLS_HS_CLIENT_HELLO);
	TAP_CHECK_EQ(m.len, 192);
	TAP_CHECK_EQ(tls_client_hello_parse(m.body, m.len, ch, &err), 0);
	TAP_CHECK_EQ(ch->legacy_version, 0x0303);
	TAP_CHECK_MEM(ch->random, "\xcb\x34\xec\xb1\xe7\x81\x63\xba", 8);
	TAP_CHECK(ch->random == msg + 6);		/* zero copy */
	TAP_CHECK_EQ(ch->session_id.len, 0);
	TAP_CHECK_EQ(ch->cipher_suites.n, 3);
	TAP_CHECK_EQ(tls_u16_at(&ch->cipher_suites, 0), 0x1301);
	TAP_CHECK_EQ(tls_u16_at(&ch->cipher_suites, 1), 0x1303);
	TAP_CHECK_EQ(tls_u16_at(&ch->cipher_suites, 2), 0x1302);
	/* server_name, ff01, supported_groups, 0023, key_share,
	 * supported_versions, signature_algorithms, psk_modes, rsl */
	TAP_CHECK_EQ(ch->exts.n, 9);
	TAP_CHECK_EQ(ch->exts.e[1].type, 0xff01);
	TAP_CHECK_EQ(ch->exts.e[1].id, TLS_EXTID_UNKNOWN);
	TAP_CHECK_EQ(ch->exts.present,
		     TLS_EXT_BIT(TLS_EXTID_SERVER_NAME) |
		     TLS_EXT_BIT(TLS_EXTID_SUPPORTED_GROUPS) |
		     TLS_EXT_BIT(TLS_EXTID_KEY_SHARE) |
		     TLS_EXT_BIT(TLS_EXTID_SUPPORTED_VERSIONS) |
		     TLS_EXT_BIT(TLS_EXTID_SIGNATURE_ALGORITHMS) |
		     TLS_EXT_BIT(TLS_EXTID_PSK_KEY_EXCHANGE_MODES) |
		     TLS_EXT_BIT(TLS_EXTID_RECORD_SIZE_LIMIT));
	TAP_CHECK_EQ(ch->x.server_name.len, 6);
	TAP_CHECK_MEM(ch->x.server_name.p, "server", 6);
	TAP_CHECK_EQ(ch->x.groups.n, 9);
	TAP_CHECK_EQ(tls_u16_at(&ch->x.groups, 0), 0x001d);
	TAP_CHECK_EQ(tls_u16_at(&ch->x.groups, 8), 0x0104);
	TAP_CHECK_EQ(ch->x.n_key_shares, 1);
	TAP_CHECK_EQ(ch->x.key_shares[0].group, 0x001d);
	TAP_CHECK_EQ(ch->x.key_shares[0].key_exchange.len, 32);
	TAP_CHECK_MEM(ch->x.key_shares[0].key_exchange.p,
		      "\x99\x38\x1d\xe5\x60\xe4\xbd\x43", 8);
	TAP_CHECK_EQ(ch->x.versions.n, 1);
	TAP_CHECK_EQ(tls_u16_at(&ch->x.versions, 0), 0x0304);
	TAP_CHECK_EQ(ch->x.sig_algs.n, 15);
	TAP_CHECK_EQ(tls_u16_at(&ch->x.sig_algs, 0), 0x0403);
	TAP_CHECK_EQ(tls_u16_at(&ch->x.sig_algs, 14), 0x0202);
	TAP_CHECK_EQ(ch->x.psk_modes.len, 1);
	TAP_CHECK_EQ(ch->x.psk_modes.p[0], 1);		/* psk_dhe_ke */
	TAP_CHECK_EQ(ch->x.record_size_limit, 0x4001);
}

TAP_TEST(rfc8448_server_hello_fields)
{
	uint8_t msg[MAXMSG];
	size_t n = rfc8448_unhex(rfc8448_server_hello, msg, sizeof(msg));
	struct tls_server_hello *sh = &any.sh;
	struct tls_err err;

	TAP_CHECK_EQ(tls_server_hello_parse(msg + 4, n - 4, sh, &err), 0);
	TAP_CHECK(!sh->is_hrr);
	TAP_CHECK_EQ(sh->legacy_version, 0x0303);
	TAP_CHECK_MEM(sh->random, "\xa6\xaf\x06\xa4\x12\x18\x60\xdc", 8);
	TAP_CHECK_EQ(sh->session_id.len, 0);
	TAP_CHECK_EQ(sh->cipher_suite, 0x1301);
	TAP_CHECK_EQ(sh->exts.n, 2);
	TAP_CHECK_EQ(sh->x.n_key_shares, 1);
	TAP_CHECK_EQ(sh->x.key_shares[0].group, 0x001d);
	TAP_CHECK_EQ(sh->x.key_shares[0].key_exchange.len, 32);
	TAP_CHECK_MEM(sh->x.key_shares[0].key_exchange.p,
		      "\xc9\x82\x88\x76\x11\x20\x95\xfe", 8);
	TAP_CHECK_EQ(sh->x.selected_version, 0x0304);
}

TAP_TEST(rfc8448_server_flight_fields)
{
	uint8_t msg[MAXMSG];
	struct tls_err err;
	size_t n;

	n = rfc8448_unhex(rfc8448_encrypted_extensions, msg, sizeof(msg));
	TAP_CHECK_EQ(parse_msg(msg, n, &err), 0);
	TAP_CHECK_EQ(any.ee.exts.n, 3);
	TAP_CHECK_EQ(any.ee.x.groups.n, 9);
	TAP_CHECK_EQ(any.ee.x.record_size_limit, 0x4001);
	TAP_CHECK(any.ee.exts.present & TLS_EXT_BIT(TLS_EXTID_SERVER_NAME));
	TAP_CHECK_EQ(any.ee.exts.e[2].len, 0);	/* server_name ack: empty */

	n = rfc8448_unhex(rfc8448_certificate, msg, sizeof(msg));
	TAP_CHECK_EQ(parse_msg(msg, n, &err), 0);
	TAP_CHECK_EQ(any.ct.context.len, 0);
	TAP_CHECK_EQ(any.ct.n, 1);
	TAP_CHECK_EQ(any.ct.e[0].data.len, 0x1b0);
	TAP_CHECK_MEM(any.ct.e[0].data.p, "\x30\x82\x01\xac", 4);
	TAP_CHECK_EQ(any.ct.e[0].exts.n, 0);
	TAP_CHECK_EQ(any.ct.e[0].ocsp.len, 0);

	n = rfc8448_unhex(rfc8448_certificate_verify, msg, sizeof(msg));
	TAP_CHECK_EQ(parse_msg(msg, n, &err), 0);
	TAP_CHECK_EQ(any.cv.algorithm, 0x0804);	/* rsa_pss_rsae_sha256 */
	TAP_CHECK_EQ(any.cv.signature.len, 128);

	n = rfc8448_unhex(rfc8448_server_finished, msg, sizeof(msg));
	TAP_CHECK_EQ(parse_msg(msg, n, &err), 0);
	TAP_CHECK_EQ(any.fin.verify_data.len, 32);
	TAP_CHECK_MEM(any.fin.verify_data.p, "\x9b\x9b\x14\x1d", 4);
}

TAP_TEST(rfc8448_new_session_ticket_fields)
{
	uint8_t msg[MAXMSG];
	struct tls_err err;
	size_t n;

	n = rfc8448_unhex(rfc8448_new_session_ticket, msg, sizeof(msg));
	TAP_CHECK_EQ(parse_msg(msg, n, &err), 0);
	TAP_CHECK_EQ(any.nst.lifetime, 30);
	TAP_CHECK_EQ(any.nst.age_add, 0xfad6aac5);
	TAP_CHECK_EQ(any.nst.nonce.len, 2);
	TAP_CHECK_MEM(any.nst.nonce.p, "\x00\x00", 2);
	TAP_CHECK_EQ(any.nst.ticket.len, 0xb2);
	TAP_CHECK(any.nst.exts.present & TLS_EXT_BIT(TLS_EXTID_EARLY_DATA));
	TAP_CHECK_EQ(any.nst.x.max_early_data_size, 0x400);
}

TAP_TEST(rfc8448_resumed_client_hello_psk)
{
	uint8_t msg[MAXMSG];
	size_t n = rfc8448_unhex(rfc8448_resumed_client_hello, msg,
				 sizeof(msg));
	struct tls_client_hello *ch = &any.ch;
	struct tls_err err;

	TAP_CHECK_EQ(n, 512);
	TAP_CHECK_EQ(tls_client_hello_parse(msg + 4, n - 4, ch, &err), 0);
	TAP_CHECK_EQ(ch->exts.e[ch->exts.n - 1].type, TLS_EXT_PRE_SHARED_KEY);
	TAP_CHECK(ch->exts.present & TLS_EXT_BIT(TLS_EXTID_EARLY_DATA));
	TAP_CHECK(ch->exts.present & TLS_EXT_BIT(TLS_EXTID_PADDING));
	TAP_CHECK_EQ(ch->x.n_psks, 1);
	TAP_CHECK_EQ(ch->x.psks[0].identity.len, 0xb2);
	TAP_CHECK_EQ(ch->x.psks[0].obfuscated_ticket_age, 0xfad6aacb);
	TAP_CHECK_EQ(ch->x.psks[0].binder.len, 32);
	TAP_CHECK_MEM(ch->x.psks[0].binder.p, "\x3a\xdd\x4f\xb2", 4);
	/*
	 * RFC 8448 §4: the binder covers the ClientHello truncated before
	 * the binders list: 512 - (2 + 1 + 32) = 477 bytes.
	 */
	TAP_CHECK_EQ(ch->x.binders - msg, 477);
	/* The identity is the ticket from §3's NewSessionTicket. */
	TAP_CHECK_MEM(ch->x.psks[0].identity.p, "\x2c\x03\x5d\x82", 4);
}

/* ---- round trips ---- */

static void check_roundtrip(const char *hex, int *tap_failed)
{
	uint8_t msg[MAXMSG], out[MAXMSG];
	size_t n = rfc8448_unhex(hex, msg, sizeof(msg)), olen = 0;
	struct tls_writer w;
	struct tls_err err;

	TAP_CHECK_EQ(parse_msg(msg, n, &err), 0);
	tls_w_init(&w, out, sizeof(out));
	TAP_CHECK_EQ(encode_any(msg[0], &w), 0);
	TAP_CHECK_EQ(tls_w_finish(&w, &olen, &err), 0);
	TAP_CHECK_EQ(olen, n);
	TAP_CHECK_MEM(out, msg, n);
	/* and what the encoder wrote parses again */
	TAP_CHECK_EQ(parse_msg(out, olen, &err), 0);
}

TAP_TEST(roundtrip_rfc8448_messages)
{
	check_roundtrip(rfc8448_client_hello, tap_failed);
	check_roundtrip(rfc8448_server_hello, tap_failed);
	check_roundtrip(rfc8448_encrypted_extensions, tap_failed);
	check_roundtrip(rfc8448_certificate, tap_failed);
	check_roundtrip(rfc8448_certificate_verify, tap_failed);
	check_roundtrip(rfc8448_server_finished, tap_failed);
	check_roundtrip(rfc8448_new_session_ticket, tap_failed);
	check_roundtrip(rfc8448_resumed_client_hello, tap_failed);
}

TAP_TEST(roundtrip_key_update)
{
	uint8_t out[16];
	struct tls_writer w;
	struct tls_err err;
	size_t n;

	tls_w_init(&w, out, sizeof(out));
	TAP_CHECK_EQ(tls_key_update_encode(&w, TLS_KEY_UPDATE_REQUESTED), 0);
	TAP_CHECK_EQ(tls_w_finish(&w, &n, &err), 0);
	TAP_CHECK_EQ(n, 5);
	TAP_CHECK_MEM(out, "\x18\x00\x00\x01\x01", 5);
	TAP_CHECK_EQ(parse_msg(out, n, &err), 0);
	TAP_CHECK_EQ(any.ku, TLS_KEY_UPDATE_REQUESTED);
	/* the encoder refuses what the parser would refuse */
	tls_w_init(&w, out, sizeof(out));
	TAP_CHECK_EQ(tls_key_update_encode(&w, (enum tls_key_update_request)2),
		     TLS_ALERT_INTERNAL_ERROR);
}

TAP_TEST(build_and_parse_hello_retry_request)
{
	struct tls_server_hello hrr, back;
	uint8_t out[256];
	struct tls_writer w;
	struct tls_err err;
	struct tls_hs_msg m;
	size_t n;

	memset(&hrr, 0, sizeof(hrr));
	hrr.is_hrr = true;
	hrr.legacy_version = TLS_VERSION_1_2;
	hrr.cipher_suite = 0x1301;
	hrr.x.selected_version = TLS_VERSION_1_3;
	hrr.x.hrr_group = 0x0017;
	hrr.x.cookie.p = (const uint8_t *)"cookie!";
	hrr.x.cookie.len = 7;
	TAP_CHECK_EQ(tls_exts_add(&hrr.exts, TLS_EXT_SUPPORTED_VERSIONS, NULL,
				  0, &err), 0);
	TAP_CHECK_EQ(tls_exts_add(&hrr.exts, TLS_EXT_KEY_SHARE, NULL, 0, &err),
		     0);
	TAP_CHECK_EQ(tls_exts_add(&hrr.exts, TLS_EXT_COOKIE, NULL, 0, &err), 0);
	/* adding one twice is refused */
	TAP_CHECK_EQ(tls_exts_add(&hrr.exts, TLS_EXT_COOKIE, NULL, 0, &err),
		     TLS_ALERT_INTERNAL_ERROR);
	tls_w_init(&w, out, sizeof(out));
	TAP_CHECK_EQ(tls_server_hello_encode(&w, &hrr), 0);
	TAP_CHECK_EQ(tls_w_finish(&w, &n, &err), 0);
	TAP_CHECK_MEM(out + 6, tls_hrr_random, 32);
	TAP_CHECK_EQ(tls_hs_parse(out, n, &m, &err), 0);
	TAP_CHECK_EQ(tls_server_hello_parse(m.body, m.len, &back, &err), 0);
	TAP_CHECK(back.is_hrr);
	TAP_CHECK_EQ(back.x.hrr_group, 0x0017);
	TAP_CHECK_EQ(back.x.selected_version, TLS_VERSION_1_3);
	TAP_CHECK_EQ(back.x.cookie.len, 7);
	TAP_CHECK_MEM(back.x.cookie.p, "cookie!", 7);
	/* cookie in an HRR is not an unsolicited answer (§4.2) */
	TAP_CHECK_EQ(tls_exts_check_solicited(
			TLS_EXT_BIT(TLS_EXTID_SUPPORTED_VERSIONS) |
			TLS_EXT_BIT(TLS_EXTID_KEY_SHARE),
			back.exts.present, TLS_CTX_HRR, &err), 0);
}

TAP_TEST(build_certificate_request_and_ticket)
{
	static const uint8_t schemes[] = { 0x08, 0x04, 0x04, 0x03 };
	struct tls_certificate_request cr;
	struct tls_new_session_ticket nst;
	uint8_t out[256];
	struct tls_writer w;
	struct tls_err err;
	size_t n;

	memset(&cr, 0, sizeof(cr));
	cr.context.p = (const uint8_t *)"\x01";
	cr.context.len = 1;
	cr.x.sig_algs.p = schemes;
	cr.x.sig_algs.n = 2;
	TAP_CHECK_EQ(tls_exts_add(&cr.exts, TLS_EXT_SIGNATURE_ALGORITHMS, NULL,
				  0, &err), 0);
	TAP_CHECK_EQ(tls_exts_add(&cr.exts, TLS_EXT_STATUS_REQUEST, NULL, 0,
				  &err), 0);
	tls_w_init(&w, out, sizeof(out));
	TAP_CHECK_EQ(tls_certificate_request_encode(&w, &cr), 0);
	TAP_CHECK_EQ(tls_w_finish(&w, &n, &err), 0);
	TAP_CHECK_EQ(parse_msg(out, n, &err), 0);
	TAP_CHECK_EQ(any.cr.context.len, 1);
	TAP_CHECK_EQ(any.cr.x.sig_algs.n, 2);
	TAP_CHECK_EQ(tls_u16_at(&any.cr.x.sig_algs, 1), 0x0403);
	TAP_CHECK(any.cr.exts.present & TLS_EXT_BIT(TLS_EXTID_STATUS_REQUEST));

	memset(&nst, 0, sizeof(nst));
	nst.lifetime = TLS_MAX_TICKET_LIFETIME;
	nst.ticket.p = (const uint8_t *)"T";
	nst.ticket.len = 1;
	tls_w_init(&w, out, sizeof(out));
	TAP_CHECK_EQ(tls_new_session_ticket_encode(&w, &nst), 0);
	TAP_CHECK_EQ(tls_w_finish(&w, &n, &err), 0);
	TAP_CHECK_EQ(parse_msg(out, n, &err), 0);
	TAP_CHECK_EQ(any.nst.lifetime, TLS_MAX_TICKET_LIFETIME);
	/* an empty ticket is outside ticket<1..2^16-1>: not encoded */
	nst.ticket.len = 0;
	tls_w_init(&w, out, sizeof(out));
	TAP_CHECK_EQ(tls_new_session_ticket_encode(&w, &nst),
		     TLS_ALERT_INTERNAL_ERROR);
}

/*
 * What the state machine will do: build a message from values, not from
 * parsed bytes. Built from RFC 8448 §3's values, the ClientHello and
 * ServerHello must come out as the RFC's bytes.
 */
TAP_TEST(build_rfc8448_client_hello_from_values)
{
	uint8_t random[32], key[32], groups[18], schemes[30], want[MAXMSG];
	uint8_t out[MAXMSG];
	size_t wlen = rfc8448_unhex(rfc8448_client_hello, want, sizeof(want));
	struct tls_client_hello ch;
	struct tls_writer w;
	struct tls_err err;
	size_t n = 0;

	rfc8448_unhex("cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283"
		      "024dece7", random, sizeof(random));
	rfc8448_unhex("99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e"
		      "529aaf2c", key, sizeof(key));
	rfc8448_unhex("001d 0017 0018 0019 0100 0101 0102 0103 0104", groups,
		      sizeof(groups));
	rfc8448_unhex("0403 0503 0603 0203 0804 0805 0806 0401 0501 0601 0201"
		      "0402 0502 0602 0202", schemes, sizeof(schemes));
	memset(&ch, 0, sizeof(ch));
	ch.legacy_version = TLS_VERSION_1_2;
	ch.random = random;
	ch.cipher_suites.p = (const uint8_t *)"\x13\x01\x13\x03\x13\x02";
	ch.cipher_suites.n = 3;
	ch.x.server_name.p = (const uint8_t *)"server";
	ch.x.server_name.len = 6;
	ch.x.groups.p = groups;
	ch.x.groups.n = 9;
	ch.x.n_key_shares = 1;
	ch.x.key_shares[0].group = 0x001d;
	ch.x.key_shares[0].key_exchange.p = key;
	ch.x.key_shares[0].key_exchange.len = 32;
	ch.x.versions.p = (const uint8_t *)"\x03\x04";
	ch.x.versions.n = 1;
	ch.x.sig_algs.p = schemes;
	ch.x.sig_algs.n = 15;
	ch.x.psk_modes.p = (const uint8_t *)"\x01";
	ch.x.psk_modes.len = 1;
	ch.x.record_size_limit = 0x4001;
	TAP_CHECK_EQ(tls_exts_add(&ch.exts, TLS_EXT_SERVER_NAME, NULL, 0, &err), 0);
	/* renegotiation_info and session_ticket: not TLS 1.3's, sent raw */
	TAP_CHECK_EQ(tls_exts_add(&ch.exts, 0xff01, (const uint8_t *)"", 1,
				  &err), 0);
	TAP_CHECK_EQ(tls_exts_add(&ch.exts, TLS_EXT_SUPPORTED_GROUPS, NULL, 0,
				  &err), 0);
	TAP_CHECK_EQ(tls_exts_add(&ch.exts, 0x0023, NULL, 0, &err), 0);
	TAP_CHECK_EQ(tls_exts_add(&ch.exts, TLS_EXT_KEY_SHARE, NULL, 0, &err), 0);
	TAP_CHECK_EQ(tls_exts_add(&ch.exts, TLS_EXT_SUPPORTED_VERSIONS, NULL, 0,
				  &err), 0);
	TAP_CHECK_EQ(tls_exts_add(&ch.exts, TLS_EXT_SIGNATURE_ALGORITHMS, NULL,
				  0, &err), 0);
	TAP_CHECK_EQ(tls_exts_add(&ch.exts, TLS_EXT_PSK_KEY_EXCHANGE_MODES,
				  NULL, 0, &err), 0);
	TAP_CHECK_EQ(tls_exts_add(&ch.exts, TLS_EXT_RECORD_SIZE_LIMIT, NULL, 0,
				  &err), 0);
	tls_w_init(&w, out, sizeof(out));
	TAP_CHECK_EQ(tls_client_hello_encode(&w, &ch), 0);
	TAP_CHECK_EQ(tls_w_finish(&w, &n, &err), 0);
	TAP_CHECK_EQ(n, wlen);
	TAP_CHECK_MEM(out, want, wlen);
}

TAP_TEST(build_rfc8448_server_hello_from_values)
{
	uint8_t random[32], key[32], want[MAXMSG], out[MAXMSG];
	size_t wlen = rfc8448_unhex(rfc8448_server_hello, want, sizeof(want));
	struct tls_server_hello sh;
	struct tls_writer w;
	struct tls_err err;
	size_t n = 0;

	rfc8448_unhex("a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772e"
		      "d3e26928", random, sizeof(random));
	rfc8448_unhex("c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b0"
		      "4e751f0f", key, sizeof(key));
	memset(&sh, 0, sizeof(sh));
	sh.legacy_version = TLS_VERSION_1_2;
	sh.random = random;
	sh.cipher_suite = 0x1301;
	sh.x.n_key_shares = 1;
	sh.x.key_shares[0].group = 0x001d;
	sh.x.key_shares[0].key_exchange.p = key;
	sh.x.key_shares[0].key_exchange.len = 32;
	sh.x.selected_version = TLS_VERSION_1_3;
	TAP_CHECK_EQ(tls_exts_add(&sh.exts, TLS_EXT_KEY_SHARE, NULL, 0, &err), 0);
	TAP_CHECK_EQ(tls_exts_add(&sh.exts, TLS_EXT_SUPPORTED_VERSIONS, NULL, 0,
				  &err), 0);
	tls_w_init(&w, out, sizeof(out));
	TAP_CHECK_EQ(tls_server_hello_encode(&w, &sh), 0);
	TAP_CHECK_EQ(tls_w_finish(&w, &n, &err), 0);
	TAP_CHECK_EQ(n, wlen);
	TAP_CHECK_MEM(out, want, wlen);
	/* an extension the SH column does not list is refused on output too */
	TAP_CHECK_EQ(tls_exts_add(&sh.exts, TLS_EXT_COOKIE, NULL, 0, &err), 0);
	sh.x.cookie.p = (const uint8_t *)"c";
	sh.x.cookie.len = 1;
	tls_w_init(&w, out, sizeof(out));
	TAP_CHECK_EQ(tls_server_hello_encode(&w, &sh), TLS_ALERT_INTERNAL_ERROR);
}

/* ---- truncation at every byte ---- */

/*
 * Every proper prefix of a message body is refused with decode_error,
 * except the one cut right after a Hello's fixed fields: with no
 * extension block at all it reads as a pre-TLS 1.3 Hello
 * (protocol_version).
 */
static void check_truncations(const char *hex, size_t hello_cut,
			      int *tap_failed)
{
	uint8_t msg[MAXMSG], cut[MAXMSG];
	size_t n = rfc8448_unhex(hex, msg, sizeof(msg));
	struct tls_err err;
	unsigned int bad = 0;

	for (size_t i = 0; i < n - 4; i++) {
		int want = i == hello_cut ? TLS_ALERT_PROTOCOL_VERSION :
					    TLS_ALERT_DECODE_ERROR;
		/* a copy of exactly i bytes, so ASan sees any overread */
		memcpy(cut, msg + 4, i);
		if (parse_body(msg[0], i ? cut : NULL, i, &err) != want) {
			printf("#   %s: cut at %zu: got %s (%s: %s)\n",
			       hex, i, tls_alert_name(err.alert), err.field,
			       err.reason);
			bad++;
		}
	}
	/* the framed message cut anywhere: decode_error from the framing */
	for (size_t i = 0; i < n; i++)
		if (parse_msg(msg, i, &err) != TLS_ALERT_DECODE_ERROR)
			bad++;
	TAP_CHECK_EQ(bad, 0);
}

TAP_TEST(truncated_at_every_byte)
{
	/* CH: 2 + 32 + 1 + (2 + 6) + 2 = 45; SH: 2 + 32 + 1 + 2 + 1 = 38 */
	check_truncations(rfc8448_client_hello, 45, tap_failed);
	check_truncations(rfc8448_resumed_client_hello, 45, tap_failed);
	check_truncations(rfc8448_server_hello, 38, tap_failed);
	check_truncations(rfc8448_encrypted_extensions, SIZE_MAX, tap_failed);
	check_truncations(rfc8448_certificate, SIZE_MAX, tap_failed);
	check_truncations(rfc8448_certificate_verify, SIZE_MAX, tap_failed);
	check_truncations(rfc8448_server_finished, SIZE_MAX, tap_failed);
	check_truncations(rfc8448_new_session_ticket, SIZE_MAX, tap_failed);
}

/*
 * The fuzz targets' properties, deterministically, under the unit tests'
 * sanitizers: every single-byte change to every RFC 8448 message either is
 * refused with a well-formed error (an alert other than internal_error,
 * a field, a reason) or parses and encodes back to exactly the changed
 * bytes.
 */
static void check_mutations(const char *hex, int *tap_failed)
{
	static const uint8_t deltas[] = { 0x01, 0x80, 0xff };
	uint8_t msg[MAXMSG], mut[MAXMSG], out[MAXMSG];
	size_t n = rfc8448_unhex(hex, msg, sizeof(msg));
	unsigned int bad = 0, accepted = 0, refused = 0;

	for (size_t i = 0; i < n; i++) {
		for (size_t d = 0; d < sizeof(deltas) + 1; d++) {
			struct tls_writer w;
			struct tls_err err = { 0 };
			size_t olen = 0;
			int rc;

			memcpy(mut, msg, n);
			mut[i] = d < sizeof(deltas) ? mut[i] ^ deltas[d] : 0;
			if (!memcmp(mut, msg, n))
				continue;
			rc = parse_msg(mut, n, &err);
			if (rc == -1)	/* msg_type changed to one not parsed here */
				continue;
			if (rc) {
				refused++;
				if (rc != (int)err.alert ||
				    rc == TLS_ALERT_INTERNAL_ERROR ||
				    !err.field || !err.reason)
					bad++;
				continue;
			}
			accepted++;
			tls_w_init(&w, out, sizeof(out));
			if (encode_any(mut[0], &w) ||
			    tls_w_finish(&w, &olen, &err) || olen != n ||
			    memcmp(out, mut, n)) {
				printf("#   byte %zu: accepted but re-encoded differently\n",
				       i);
				bad++;
			}
		}
	}
	printf("#   %zu bytes: %u accepted, %u refused\n", n, accepted,
	       refused);
	TAP_CHECK_EQ(bad, 0);
	TAP_CHECK(refused > 0);
}

TAP_TEST(single_byte_mutations)
{
	check_mutations(rfc8448_client_hello, tap_failed);
	check_mutations(rfc8448_resumed_client_hello, tap_failed);
	check_mutations(rfc8448_server_hello, tap_failed);
	check_mutations(rfc8448_encrypted_extensions, tap_failed);
	check_mutations(rfc8448_certificate, tap_failed);
	check_mutations(rfc8448_certificate_verify, tap_failed);
	check_mutations(rfc8448_server_finished, tap_failed);
	check_mutations(rfc8448_new_session_ticket, tap_failed);
}

/* ---- oversized lengths and trailing bytes ---- */

TAP_TEST(oversized_lengths)
{
	uint8_t msg[MAXMSG];
	size_t n = rfc8448_unhex(rfc8448_client_hello, msg, sizeof(msg));
	struct tls_err err;
	uint8_t type;
	size_t blen;

	/* cipher_suites length (at body offset 35) one too large */
	msg[4 + 36]++;
	TAP_CHECK_EQ(tls_client_hello_parse(msg + 4, n - 4, &any.ch, &err),
		     TLS_ALERT_DECODE_ERROR);
	msg[4 + 36]--;
	/* extensions block length (0x0091 at body offset 45) one too large */
	msg[4 + 46]++;
	TAP_CHECK_EQ(tls_client_hello_parse(msg + 4, n - 4, &any.ch, &err),
		     TLS_ALERT_DECODE_ERROR);
	TAP_CHECK(!strcmp(err.field, "extensions"));
	msg[4 + 46]--;
	/* an extension's own length running past the block */
	msg[4 + 49] = 0xff;	/* server_name extension_data length */
	TAP_CHECK_EQ(tls_client_hello_parse(msg + 4, n - 4, &any.ch, &err),
		     TLS_ALERT_DECODE_ERROR);
	TAP_CHECK(!strcmp(err.field, "Extension.extension_data"));
	/* a handshake length over the engine's limit */
	TAP_CHECK_EQ(tls_hs_header((const uint8_t *)"\x01\x02\x00\x01", 4,
				   &type, &blen, &err), TLS_ALERT_DECODE_ERROR);
	TAP_CHECK_EQ(tls_hs_header((const uint8_t *)"\x01\x02\x00\x00", 4,
				   &type, &blen, &err), 0);
	TAP_CHECK_EQ(blen, TLS_HS_MAX_BODY);
	/* session id longer than 32 */
	n = ch_with_exts(SV13_CH, 0x0303, msg);
	msg[34] = 33;
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_DECODE_ERROR);
	TAP_CHECK(!strcmp(err.field, "ClientHello.legacy_session_id"));
}

TAP_TEST(trailing_bytes)
{
	uint8_t msg[MAXMSG];
	size_t n = rfc8448_unhex(rfc8448_client_hello, msg, sizeof(msg));
	struct tls_err err;

	/* a byte after the extension block */
	msg[n] = 0;
	TAP_CHECK_EQ(tls_client_hello_parse(msg + 4, n - 3, &any.ch, &err),
		     TLS_ALERT_DECODE_ERROR);
	TAP_CHECK(!strcmp(err.reason, "trailing bytes"));
	/* framing: a byte after the declared body */
	TAP_CHECK_EQ(parse_msg(msg, n + 1, &err), TLS_ALERT_DECODE_ERROR);
	/* inside an extension: record_size_limit with 3 bytes */
	n = ch_with_exts(SV13_CH "001c 0003 4001 00", 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_DECODE_ERROR);
	TAP_CHECK(!strcmp(err.field, "record_size_limit"));
	/* inside a list: supported_versions list of odd length */
	n = ch_with_exts("002b 0004 03 030403", 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_DECODE_ERROR);
	/* CertificateVerify with a byte after the signature */
	n = wrap(TLS_HS_CERTIFICATE_VERIFY,
		 (const uint8_t *)"\x08\x04\x00\x01\xaa\xbb", 6, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), TLS_ALERT_DECODE_ERROR);
	/* EndOfEarlyData is empty */
	TAP_CHECK_EQ(tls_end_of_early_data_parse(msg, 0, &err), 0);
	TAP_CHECK_EQ(tls_end_of_early_data_parse(msg, 1, &err),
		     TLS_ALERT_DECODE_ERROR);
}

/* ---- extension block rules, RFC 8446 §4.2 ---- */

TAP_TEST(duplicate_extension)
{
	uint8_t msg[MAXMSG];
	struct tls_err err;
	size_t n;

	n = ch_with_exts(SV13_CH SV13_CH, 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_ILLEGAL_PARAMETER);
	TAP_CHECK(!strcmp(err.field, "supported_versions"));
	TAP_CHECK(!strcmp(err.reason, "duplicate extension"));
	/* unknown types may not repeat either */
	n = ch_with_exts(SV13_CH "fafa 0000 fafa 0000", 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_ILLEGAL_PARAMETER);
	/* in a server message too */
	n = exts_only("001c 0002 4001 001c 0002 4001", msg);
	TAP_CHECK_EQ(tls_encrypted_extensions_parse(msg, n, &any.ee, &err),
		     TLS_ALERT_ILLEGAL_PARAMETER);
}

#define PSK_EXT	"0029 002f 000a 0004 41424344 00000001 0021 20" \
	"0000000000000000000000000000000000000000000000000000000000000000"
#define PSK_MODES "002d 0002 01 01"

TAP_TEST(pre_shared_key_must_be_last)
{
	uint8_t msg[MAXMSG];
	struct tls_err err;
	size_t n;

	n = ch_with_exts(SV13_CH PSK_MODES PSK_EXT, 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err), 0);
	TAP_CHECK_EQ(any.ch.x.n_psks, 1);
	TAP_CHECK_EQ(any.ch.x.psks[0].obfuscated_ticket_age, 1);
	n = ch_with_exts(SV13_CH PSK_EXT PSK_MODES, 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_ILLEGAL_PARAMETER);
	TAP_CHECK(!strcmp(err.field, "pre_shared_key"));
	TAP_CHECK(!strcmp(err.reason, "not the last extension in ClientHello"));
	/* even when what follows is unknown */
	n = ch_with_exts(SV13_CH PSK_MODES PSK_EXT "fafa 0000", 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_ILLEGAL_PARAMETER);
	/* pre_shared_key without psk_key_exchange_modes (§4.2.9, §9.2) */
	n = ch_with_exts(SV13_CH PSK_EXT, 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_MISSING_EXTENSION);
}

TAP_TEST(pre_shared_key_binders)
{
	uint8_t msg[MAXMSG];
	struct tls_err err;
	size_t n;

	/* two identities, one binder */
	n = ch_with_exts(SV13_CH PSK_MODES
			 "0029 0039 0014 0004 41424344 00000001"
			 "0004 45464748 00000002 0021 20"
			 "0000000000000000000000000000000000000000000000000000000000000000",
			 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_ILLEGAL_PARAMETER);
	TAP_CHECK(!strcmp(err.reason, "fewer binders than identities"));
	/* a 31-byte binder is below PskBinderEntry<32..255> */
	n = ch_with_exts(SV13_CH PSK_MODES
			 "0029 002e 000a 0004 41424344 00000001 0020 1f"
			 "00000000000000000000000000000000000000000000000000000000000000",
			 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_DECODE_ERROR);
}

TAP_TEST(extension_in_wrong_message)
{
	uint8_t msg[MAXMSG];
	struct tls_err err;
	size_t n;

	/* key_share in EncryptedExtensions */
	n = exts_only("0033 0006 001d 0002 abcd", msg);
	TAP_CHECK_EQ(tls_encrypted_extensions_parse(msg, n, &any.ee, &err),
		     TLS_ALERT_ILLEGAL_PARAMETER);
	TAP_CHECK(!strcmp(err.field, "key_share"));
	TAP_CHECK(!strcmp(err.reason, "not allowed in EncryptedExtensions"));
	/* cookie in a ServerHello (only CH and HRR) */
	n = sh_with_exts(some_random, "002b 0002 0304 002c 0003 0001 aa", msg);
	TAP_CHECK_EQ(tls_server_hello_parse(msg, n, &any.sh, &err),
		     TLS_ALERT_ILLEGAL_PARAMETER);
	TAP_CHECK(!strcmp(err.field, "cookie"));
	/* ... but accepted in a HelloRetryRequest */
	n = sh_with_exts(tls_hrr_random, "002b 0002 0304 002c 0003 0001 aa",
			 msg);
	TAP_CHECK_EQ(tls_server_hello_parse(msg, n, &any.sh, &err), 0);
	TAP_CHECK(any.sh.is_hrr);
	/* pre_shared_key in a HelloRetryRequest */
	n = sh_with_exts(tls_hrr_random, "002b 0002 0304 0029 0002 0000", msg);
	TAP_CHECK_EQ(tls_server_hello_parse(msg, n, &any.sh, &err),
		     TLS_ALERT_ILLEGAL_PARAMETER);
	/* psk_key_exchange_modes in a NewSessionTicket */
	n = wrap(TLS_HS_NEW_SESSION_TICKET,
		 (const uint8_t *)"\0\0\0\1\0\0\0\0\0\0\1T\0\6\0\x2d\0\2\1\1",
		 20, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), TLS_ALERT_ILLEGAL_PARAMETER);
	/* oid_filters in a ClientHello */
	n = ch_with_exts(SV13_CH "0030 0002 0000", 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_ILLEGAL_PARAMETER);
	/* supported_versions in a Certificate entry */
	n = wrap(TLS_HS_CERTIFICATE,
		 (const uint8_t *)"\0\0\0\x0c\0\0\1\x30\0\6\0\x2b\0\2\3\4", 16,
		 msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), TLS_ALERT_ILLEGAL_PARAMETER);
}

TAP_TEST(unknown_extensions)
{
	uint8_t msg[MAXMSG];
	struct tls_err err;
	size_t n;

	/* ClientHello: ignored (kept raw, round-trips) */
	n = ch_with_exts("fafa 0001 00" SV13_CH, 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err), 0);
	TAP_CHECK_EQ(any.ch.exts.n, 5);
	TAP_CHECK_EQ(any.ch.exts.e[0].id, TLS_EXTID_UNKNOWN);
	/* ServerHello, EncryptedExtensions, Certificate: unsupported_extension */
	n = sh_with_exts(some_random, "002b 0002 0304 fafa 0000", msg);
	TAP_CHECK_EQ(tls_server_hello_parse(msg, n, &any.sh, &err),
		     TLS_ALERT_UNSUPPORTED_EXTENSION);
	n = exts_only("fafa 0000", msg);
	TAP_CHECK_EQ(tls_encrypted_extensions_parse(msg, n, &any.ee, &err),
		     TLS_ALERT_UNSUPPORTED_EXTENSION);
	n = wrap(TLS_HS_CERTIFICATE,
		 (const uint8_t *)"\0\0\0\x0a\0\0\1\x30\0\4\xfa\xfa\0\0", 14,
		 msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), TLS_ALERT_UNSUPPORTED_EXTENSION);
	/* CertificateRequest and NewSessionTicket: ignored */
	n = wrap(TLS_HS_CERTIFICATE_REQUEST,
		 (const uint8_t *)"\0\0\x0e\xfa\xfa\0\0\0\x0d\0\6\0\4\x08\x04\x04\x03",
		 17, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), 0);
	n = wrap(TLS_HS_NEW_SESSION_TICKET,
		 (const uint8_t *)"\0\0\0\1\0\0\0\0\0\0\1T\0\4\xfa\xfa\0\0",
		 18, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), 0);
}

TAP_TEST(unsolicited_response)
{
	struct tls_err err;
	uint32_t offered = TLS_EXT_BIT(TLS_EXTID_SUPPORTED_VERSIONS) |
			   TLS_EXT_BIT(TLS_EXTID_KEY_SHARE);

	TAP_CHECK_EQ(tls_exts_check_solicited(offered, offered, TLS_CTX_SH,
					      &err), 0);
	TAP_CHECK_EQ(tls_exts_check_solicited(offered,
			offered | TLS_EXT_BIT(TLS_EXTID_ALPN), TLS_CTX_EE,
			&err), TLS_ALERT_UNSUPPORTED_EXTENSION);
	TAP_CHECK(!strcmp(err.field, "application_layer_protocol_negotiation"));
	TAP_CHECK_EQ(tls_exts_check_solicited(offered,
			TLS_EXT_BIT(TLS_EXTID_COOKIE), TLS_CTX_SH, &err),
		     TLS_ALERT_UNSUPPORTED_EXTENSION);
}

TAP_TEST(extension_table)
{
	TAP_CHECK_EQ(tls_ext_allowed(TLS_EXT_KEY_SHARE),
		     TLS_CTX_CH | TLS_CTX_SH | TLS_CTX_HRR);
	TAP_CHECK_EQ(tls_ext_allowed(TLS_EXT_EARLY_DATA),
		     TLS_CTX_CH | TLS_CTX_EE | TLS_CTX_NST);
	TAP_CHECK_EQ(tls_ext_allowed(TLS_EXT_STATUS_REQUEST),
		     TLS_CTX_CH | TLS_CTX_CR | TLS_CTX_CT);
	TAP_CHECK_EQ(tls_ext_allowed(TLS_EXT_OID_FILTERS), TLS_CTX_CR);
	TAP_CHECK_EQ(tls_ext_allowed(TLS_EXT_RECORD_SIZE_LIMIT),
		     TLS_CTX_CH | TLS_CTX_EE);
	TAP_CHECK_EQ(tls_ext_allowed(0xfafa), 0);
	TAP_CHECK(!strcmp(tls_ext_name(TLS_EXT_PRE_SHARED_KEY),
			  "pre_shared_key"));
	for (unsigned int id = 0; id < TLS_EXTID__COUNT; id++)
		TAP_CHECK_EQ(tls_ext_id_of(tls_ext_type_of(id)), id);
}

TAP_TEST(per_message_length_limits)
{
	struct tls_err err;
	uint8_t type;
	size_t blen;

	/* from the header alone: bodies longer than the struct allows */
	TAP_CHECK_EQ(tls_hs_header((const uint8_t *)"\x18\x00\x00\x02", 4,
				   &type, &blen, &err), TLS_ALERT_DECODE_ERROR);
	TAP_CHECK(!strcmp(err.field, "Handshake.length"));
	TAP_CHECK_EQ(tls_hs_header((const uint8_t *)"\x18\x00\x00\x01", 4,
				   &type, &blen, &err), 0);
	TAP_CHECK_EQ(tls_hs_header((const uint8_t *)"\x14\x00\x00\x31", 4,
				   &type, &blen, &err), TLS_ALERT_DECODE_ERROR);
	TAP_CHECK_EQ(tls_hs_header((const uint8_t *)"\x14\x00\x00\x30", 4,
				   &type, &blen, &err), 0);
	TAP_CHECK_EQ(tls_hs_header((const uint8_t *)"\x05\x00\x00\x01", 4,
				   &type, &blen, &err), TLS_ALERT_DECODE_ERROR);
	TAP_CHECK_EQ(tls_hs_header((const uint8_t *)"\x08\x01\x00\x02", 4,
				   &type, &blen, &err), TLS_ALERT_DECODE_ERROR);
	TAP_CHECK_EQ(tls_hs_header((const uint8_t *)"\x08\x01\x00\x01", 4,
				   &type, &blen, &err), 0);
	/* a type the engine does not know: only the global cap */
	TAP_CHECK_EQ(tls_hs_header((const uint8_t *)"\x63\x01\x00\x00", 4,
				   &type, &blen, &err), 0);
	TAP_CHECK_EQ(type, 0x63);
	TAP_CHECK_EQ(blen, 0x10000);
	TAP_CHECK_EQ(tls_hs_header((const uint8_t *)"\x63\x02", 2,
				   &type, &blen, &err), TLS_ALERT_DECODE_ERROR);
	TAP_CHECK_EQ(tls_hs_max_body(TLS_HS_KEY_UPDATE), 1);
	TAP_CHECK_EQ(tls_hs_max_body(TLS_HS_CERTIFICATE), TLS_HS_MAX_BODY);
}

/*
 * RFC 8446 §4.2's table, written out again independently of
 * extensions.c, plus record_size_limit (RFC 8449 §5: CH, EE).
 */
TAP_TEST(extension_table_matches_rfc8446)
{
	enum { CH = TLS_CTX_CH, SH = TLS_CTX_SH, HRR = TLS_CTX_HRR,
	       EE = TLS_CTX_EE, CT = TLS_CTX_CT, CR = TLS_CTX_CR,
	       NST = TLS_CTX_NST };
	static const struct { uint16_t type; unsigned int ctx; } rfc[] = {
		{ 0, CH | EE },			/* server_name */
		{ 1, CH | EE },			/* max_fragment_length */
		{ 5, CH | CR | CT },		/* status_request */
		{ 10, CH | EE },		/* supported_groups */
		{ 13, CH | CR },		/* signature_algorithms */
		{ 14, CH | EE },		/* use_srtp */
		{ 15, CH | EE },		/* heartbeat */
		{ 16, CH | EE },		/* ALPN */
		{ 18, CH | CR | CT },		/* signed_certificate_timestamp */
		{ 19, CH | EE },		/* client_certificate_type */
		{ 20, CH | EE },		/* server_certificate_type */
		{ 21, CH },			/* padding */
		{ 28, CH | EE },		/* record_size_limit */
		{ 41, CH | SH },		/* pre_shared_key */
		{ 42, CH | EE | NST },		/* early_data */
		{ 43, CH | SH | HRR },		/* supported_versions */
		{ 44, CH | HRR },		/* cookie */
		{ 45, CH },			/* psk_key_exchange_modes */
		{ 47, CH | CR },		/* certificate_authorities */
		{ 48, CR },			/* oid_filters */
		{ 49, CH },			/* post_handshake_auth */
		{ 50, CH | CR },		/* signature_algorithms_cert */
		{ 51, CH | SH | HRR },		/* key_share */
	};

	TAP_CHECK_EQ(sizeof(rfc) / sizeof(rfc[0]), TLS_EXTID__COUNT);
	for (size_t i = 0; i < sizeof(rfc) / sizeof(rfc[0]); i++)
		TAP_CHECK_EQ(tls_ext_allowed(rfc[i].type), rfc[i].ctx);
	/* and nothing else is recognized */
	for (unsigned int t = 0; t < 0x10000; t++) {
		size_t i;

		for (i = 0; i < sizeof(rfc) / sizeof(rfc[0]); i++)
			if (rfc[i].type == t)
				break;
		if (i == sizeof(rfc) / sizeof(rfc[0]) &&
		    tls_ext_allowed((uint16_t)t)) {
			TAP_CHECK_EQ(t, -1);
			break;
		}
	}
}

/* ---- values RFC 8446 pins ---- */

TAP_TEST(key_update_values)
{
	uint8_t msg[8];
	struct tls_err err;
	size_t n;

	n = wrap(TLS_HS_KEY_UPDATE, (const uint8_t *)"\x00", 1, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), 0);
	TAP_CHECK_EQ(any.ku, TLS_KEY_UPDATE_NOT_REQUESTED);
	n = wrap(TLS_HS_KEY_UPDATE, (const uint8_t *)"\x01", 1, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), 0);
	TAP_CHECK_EQ(any.ku, TLS_KEY_UPDATE_REQUESTED);
	n = wrap(TLS_HS_KEY_UPDATE, (const uint8_t *)"\x02", 1, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), TLS_ALERT_ILLEGAL_PARAMETER);
	TAP_CHECK(!strcmp(err.field, "KeyUpdate.request_update"));
	n = wrap(TLS_HS_KEY_UPDATE, (const uint8_t *)"\xff", 1, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), TLS_ALERT_ILLEGAL_PARAMETER);
	n = wrap(TLS_HS_KEY_UPDATE, (const uint8_t *)"\x01\x00", 2, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), TLS_ALERT_DECODE_ERROR);
	n = wrap(TLS_HS_KEY_UPDATE, NULL, 0, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), TLS_ALERT_DECODE_ERROR);
}

TAP_TEST(legacy_version_wrong)
{
	uint8_t msg[MAXMSG];
	struct tls_err err;
	size_t n;

	n = ch_with_exts(SV13_CH, 0x0301, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_PROTOCOL_VERSION);
	TAP_CHECK(!strcmp(err.field, "ClientHello.legacy_version"));
	n = ch_with_exts(SV13_CH "fafa 0000", 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err), 0);
	/* 7 bytes of extensions: below ClientHello's extensions<8..> */
	n = ch_with_exts(SV13, 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_DECODE_ERROR);

	n = sh_with_exts(some_random, "002b 0002 0304", msg);
	TAP_CHECK_EQ(tls_server_hello_parse(msg, n, &any.sh, &err), 0);
	msg[1] = 0x02;	/* TLS 1.1 */
	TAP_CHECK_EQ(tls_server_hello_parse(msg, n, &any.sh, &err),
		     TLS_ALERT_PROTOCOL_VERSION);
	msg[1] = 0x04;	/* 0x0304 belongs in supported_versions */
	TAP_CHECK_EQ(tls_server_hello_parse(msg, n, &any.sh, &err),
		     TLS_ALERT_ILLEGAL_PARAMETER);
	/* supported_versions selecting TLS 1.2 */
	n = sh_with_exts(some_random, "002b 0002 0303", msg);
	TAP_CHECK_EQ(tls_server_hello_parse(msg, n, &any.sh, &err),
		     TLS_ALERT_ILLEGAL_PARAMETER);
	TAP_CHECK(!strcmp(err.field, "supported_versions.selected_version"));
	/* no supported_versions: a TLS 1.2 ServerHello */
	n = sh_with_exts(some_random, "0033 0006 001d 0002 abcd", msg);
	TAP_CHECK_EQ(tls_server_hello_parse(msg, n, &any.sh, &err),
		     TLS_ALERT_PROTOCOL_VERSION);
}

TAP_TEST(compression_must_be_null)
{
	uint8_t msg[MAXMSG];
	struct tls_err err;
	size_t n;

	n = ch_with_exts(SV13_CH, 0x0303, msg);
	msg[40] = 1;	/* the one compression method: deflate */
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_ILLEGAL_PARAMETER);
	TAP_CHECK(!strcmp(err.field, "ClientHello.legacy_compression_methods"));
	n = sh_with_exts(some_random, "002b 0002 0304", msg);
	msg[37] = 1;
	TAP_CHECK_EQ(tls_server_hello_parse(msg, n, &any.sh, &err),
		     TLS_ALERT_ILLEGAL_PARAMETER);
}

TAP_TEST(record_size_limit_values)
{
	uint8_t msg[MAXMSG];
	struct tls_err err;
	size_t n;

	n = exts_only("001c 0002 003f", msg);
	TAP_CHECK_EQ(tls_encrypted_extensions_parse(msg, n, &any.ee, &err),
		     TLS_ALERT_ILLEGAL_PARAMETER);
	TAP_CHECK(!strcmp(err.field, "record_size_limit"));
	n = exts_only("001c 0002 0040", msg);
	TAP_CHECK_EQ(tls_encrypted_extensions_parse(msg, n, &any.ee, &err), 0);
	TAP_CHECK_EQ(any.ee.x.record_size_limit, 64);
	n = exts_only("001c 0001 40", msg);
	TAP_CHECK_EQ(tls_encrypted_extensions_parse(msg, n, &any.ee, &err),
		     TLS_ALERT_DECODE_ERROR);
}

TAP_TEST(alpn_values)
{
	uint8_t msg[MAXMSG];
	struct tls_err err;
	size_t n;

	n = ch_with_exts(SV13_CH "0010 000e 000c 02 6832 08 687474702f312e31",
			 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err), 0);
	TAP_CHECK_EQ(any.ch.x.n_alpn, 2);
	TAP_CHECK_MEM(any.ch.x.alpn[1].p, "http/1.1", 8);
	/* an empty protocol name */
	n = ch_with_exts(SV13_CH "0010 0006 0004 02 6832 00", 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_DECODE_ERROR);
	TAP_CHECK(!strcmp(err.field,
			  "application_layer_protocol_negotiation.ProtocolName"));
	/* an empty list */
	n = ch_with_exts(SV13_CH "0010 0002 0000", 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_DECODE_ERROR);
	/* the server selecting two */
	n = exts_only("0010 0008 0006 02 6832 02 6833", msg);
	TAP_CHECK_EQ(tls_encrypted_extensions_parse(msg, n, &any.ee, &err),
		     TLS_ALERT_ILLEGAL_PARAMETER);
	n = exts_only("0010 0005 0003 02 6832", msg);
	TAP_CHECK_EQ(tls_encrypted_extensions_parse(msg, n, &any.ee, &err), 0);
	TAP_CHECK_EQ(any.ee.x.n_alpn, 1);
}

TAP_TEST(key_share_rules)
{
	uint8_t msg[MAXMSG];
	struct tls_err err;
	size_t n;

	/* two shares for x25519 */
	n = ch_with_exts(SV13 SIGALGS "000a 0004 0002 001d"
			 "0033 000e 000c 001d 0002 abcd 001d 0002 abcd",
			 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_ILLEGAL_PARAMETER);
	TAP_CHECK(!strcmp(err.reason, "two entries for one group"));
	/* an empty key_exchange */
	n = ch_with_exts(SV13 SIGALGS "000a 0004 0002 001d 0033 0006 0004 001d 0000",
			 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_DECODE_ERROR);
	/* supported_groups without key_share (§9.2) */
	n = ch_with_exts(SV13 SIGALGS "000a 0004 0002 001d", 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_MISSING_EXTENSION);
	/* an empty client_shares is allowed (HRR will follow) */
	n = ch_with_exts(SV13 SIGALGS "000a 0004 0002 001d 0033 0002 0000",
			 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err), 0);
	TAP_CHECK_EQ(any.ch.x.n_key_shares, 0);
	n = ch_with_exts(SV13 SIGALGS SG_KS, 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err), 0);
}

/* RFC 8446 §9.2's mandatory pairs, for a ClientHello offering 0x0304 */
TAP_TEST(client_hello_mandatory_extensions)
{
	uint8_t msg[MAXMSG];
	struct tls_err err;
	size_t n;

	n = ch_with_exts(SV13 SG_KS, 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_MISSING_EXTENSION);
	TAP_CHECK(!strcmp(err.reason,
			  "no signature_algorithms and no pre_shared_key"));
	n = ch_with_exts(SV13 SIGALGS, 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_MISSING_EXTENSION);
	TAP_CHECK(!strcmp(err.reason,
			  "no supported_groups and no pre_shared_key"));
	n = ch_with_exts(SV13 SIGALGS SG_KS, 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err), 0);
	/* psk_ke: a PSK alone needs neither */
	n = ch_with_exts(SV13 PSK_MODES PSK_EXT, 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err), 0);
	/* not offering TLS 1.3: parsed; refusing it is negotiation */
	n = ch_with_exts("002b 0003 02 0303 fafa 0000", 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err), 0);
	TAP_CHECK(!tls_u16_list_has(&any.ch.x.versions, TLS_VERSION_1_3));
}

TAP_TEST(server_name_rules)
{
	uint8_t msg[MAXMSG];
	struct tls_err err;
	size_t n;

	n = ch_with_exts(SV13_CH "0000 000e 000c 00 0003 616161 00 0003 626262",
			 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_ILLEGAL_PARAMETER);
	TAP_CHECK(!strcmp(err.reason, "more than one host_name"));
	n = ch_with_exts(SV13_CH "0000 0008 0006 01 0003 616161", 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_ILLEGAL_PARAMETER);
	/* the server's acknowledgement must be empty */
	n = exts_only("0000 0001 00", msg);
	TAP_CHECK_EQ(tls_encrypted_extensions_parse(msg, n, &any.ee, &err),
		     TLS_ALERT_DECODE_ERROR);
}

TAP_TEST(status_request_and_authorities)
{
	uint8_t msg[MAXMSG];
	struct tls_err err;
	size_t n;

	n = ch_with_exts(SV13_CH "0005 0005 01 0000 0000"
			 "002f 0007 0005 0003 300100", 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err), 0);
	TAP_CHECK_EQ(any.ch.x.status_type, TLS_STATUS_TYPE_OCSP);
	TAP_CHECK_EQ(any.ch.x.n_authorities, 1);
	/* a DistinguishedName running past its list */
	n = ch_with_exts(SV13_CH "002f 0007 0005 0004 300100", 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err),
		     TLS_ALERT_DECODE_ERROR);
	/* Certificate entry with an OCSP response */
	n = wrap(TLS_HS_CERTIFICATE,
		 (const uint8_t *)"\0\0\0\x11\0\0\1\x30\0\x0b\0\x05\0\x07\x01\0\0\3abc",
		 21, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), 0);
	TAP_CHECK_EQ(any.ct.e[0].ocsp.len, 3);
	TAP_CHECK_MEM(any.ct.e[0].ocsp.p, "abc", 3);
	/* ... of another status_type */
	msg[4 + 14] = 2;
	TAP_CHECK_EQ(parse_msg(msg, n, &err), TLS_ALERT_ILLEGAL_PARAMETER);
}

TAP_TEST(mfl_heartbeat_oid_filters)
{
	uint8_t msg[MAXMSG];
	struct tls_err err;
	size_t n;

	n = ch_with_exts(SV13_CH "0001 0001 04 000f 0001 02", 0x0303, msg);
	TAP_CHECK_EQ(tls_client_hello_parse(msg, n, &any.ch, &err), 0);
	TAP_CHECK_EQ(any.ch.x.max_fragment_length, 4);
	TAP_CHECK_EQ(any.ch.x.heartbeat_mode, 2);
	TAP_CHECK(tls_u16_list_has(&any.ch.x.versions, TLS_VERSION_1_3));
	TAP_CHECK(!tls_u16_list_has(&any.ch.x.versions, TLS_VERSION_1_2));
	n = exts_only("0001 0001 05", msg);
	TAP_CHECK_EQ(tls_encrypted_extensions_parse(msg, n, &any.ee, &err),
		     TLS_ALERT_ILLEGAL_PARAMETER);
	TAP_CHECK(!strcmp(err.field, "max_fragment_length"));
	n = exts_only("000f 0001 03", msg);
	TAP_CHECK_EQ(tls_encrypted_extensions_parse(msg, n, &any.ee, &err),
		     TLS_ALERT_ILLEGAL_PARAMETER);
	/* CertificateRequest with an OID filter (2.5.29.37, EKU) */
	n = wrap(TLS_HS_CERTIFICATE_REQUEST,
		 (const uint8_t *)"\0\0\x14\0\x0d\0\4\0\2\x08\x04"
		 "\0\x30\0\x08\0\6\3\x55\x1d\x25\0\0", 23, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), 0);
	TAP_CHECK_EQ(any.cr.x.n_oid_filters, 1);
	/* an empty OID */
	n = wrap(TLS_HS_CERTIFICATE_REQUEST,
		 (const uint8_t *)"\0\0\x11\0\x0d\0\4\0\2\x08\x04"
		 "\0\x30\0\x05\0\3\0\0\0", 20, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), TLS_ALERT_DECODE_ERROR);
	TAP_CHECK(!strcmp(err.field, "OIDFilter.certificate_extension_oid"));
}

TAP_TEST(certificate_limits)
{
	uint8_t body[256], msg[300];
	struct tls_err err;
	size_t o = 0, n;

	/* eleven one-byte entries: over TLS_MAX_CERT_CHAIN */
	body[o++] = 0;
	body[o++] = 0;
	body[o++] = 0;
	body[o++] = 11 * 6;
	for (int i = 0; i < 11; i++) {
		memcpy(body + o, "\0\0\1\x30\0\0", 6);
		o += 6;
	}
	n = wrap(TLS_HS_CERTIFICATE, body, o, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), TLS_ALERT_DECODE_ERROR);
	TAP_CHECK(!strcmp(err.field, "Certificate.certificate_list"));
	/* ten is fine */
	body[3] = 10 * 6;
	n = wrap(TLS_HS_CERTIFICATE, body, o - 6, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), 0);
	TAP_CHECK_EQ(any.ct.n, 10);
	/* an empty cert_data */
	n = wrap(TLS_HS_CERTIFICATE,
		 (const uint8_t *)"\0\0\0\5\0\0\0\0\0", 9, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), TLS_ALERT_DECODE_ERROR);
	/* an empty list parses (whether it is acceptable is not ours) */
	n = wrap(TLS_HS_CERTIFICATE, (const uint8_t *)"\0\0\0\0", 4, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), 0);
	TAP_CHECK_EQ(any.ct.n, 0);
}

TAP_TEST(certificate_request_rules)
{
	uint8_t msg[64];
	struct tls_err err;
	size_t n;

	/* no signature_algorithms */
	n = wrap(TLS_HS_CERTIFICATE_REQUEST,
		 (const uint8_t *)"\0\0\4\0\x31\0\0", 7, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), TLS_ALERT_ILLEGAL_PARAMETER);
	TAP_CHECK(!strcmp(err.field, "post_handshake_auth"));
	n = wrap(TLS_HS_CERTIFICATE_REQUEST,
		 (const uint8_t *)"\0\0\4\0\x05\0\0", 7, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), TLS_ALERT_MISSING_EXTENSION);
	/* an extension block shorter than <2..> */
	n = wrap(TLS_HS_CERTIFICATE_REQUEST, (const uint8_t *)"\0\0\0", 3, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), TLS_ALERT_DECODE_ERROR);
}

TAP_TEST(ticket_and_finished_rules)
{
	uint8_t msg[128];
	struct tls_err err;
	size_t n;

	/* lifetime 604801 */
	n = wrap(TLS_HS_NEW_SESSION_TICKET,
		 (const uint8_t *)"\0\x09\x3a\x81\0\0\0\0\0\0\1T\0\0", 14, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), TLS_ALERT_ILLEGAL_PARAMETER);
	msg[7] = 0x80;	/* 604800 */
	TAP_CHECK_EQ(parse_msg(msg, n, &err), 0);
	/* empty ticket */
	n = wrap(TLS_HS_NEW_SESSION_TICKET,
		 (const uint8_t *)"\0\0\0\1\0\0\0\0\0\0\0\0\0", 13, msg);
	TAP_CHECK_EQ(parse_msg(msg, n, &err), TLS_ALERT_DECODE_ERROR);
	/* Finished: length must be Hash.length */
	memset(msg, 0, sizeof(msg));
	TAP_CHECK_EQ(tls_finished_parse(msg, 48, 48, &any.fin, &err), 0);
	TAP_CHECK_EQ(tls_finished_parse(msg, 32, 48, &any.fin, &err),
		     TLS_ALERT_DECODE_ERROR);
	TAP_CHECK_EQ(tls_finished_parse(msg, 33, 32, &any.fin, &err),
		     TLS_ALERT_DECODE_ERROR);
	TAP_CHECK_EQ(tls_finished_parse(msg, 20, 20, &any.fin, &err),
		     TLS_ALERT_INTERNAL_ERROR);
}

TAP_TEST(encoder_refuses_bad_input)
{
	uint8_t out[512];
	struct tls_writer w;
	struct tls_err err;
	struct tls_client_hello ch;
	size_t n;

	/* a ClientHello with no cipher suites is outside <2..2^16-2> */
	memset(&ch, 0, sizeof(ch));
	ch.legacy_version = TLS_VERSION_1_2;
	ch.random = some_random;
	ch.x.versions.p = (const uint8_t *)"\x03\x04";
	ch.x.versions.n = 1;
	TAP_CHECK_EQ(tls_exts_add(&ch.exts, TLS_EXT_SUPPORTED_VERSIONS, NULL,
				  0, &err), 0);
	tls_w_init(&w, out, sizeof(out));
	TAP_CHECK_EQ(tls_client_hello_encode(&w, &ch), TLS_ALERT_INTERNAL_ERROR);
	ch.cipher_suites.p = (const uint8_t *)"\x13\x01";
	ch.cipher_suites.n = 1;
	/* 7 bytes of extensions are below ClientHello's <8..> */
	tls_w_init(&w, out, sizeof(out));
	TAP_CHECK_EQ(tls_client_hello_encode(&w, &ch), TLS_ALERT_INTERNAL_ERROR);
	ch.x.record_size_limit = 63;
	TAP_CHECK_EQ(tls_exts_add(&ch.exts, TLS_EXT_RECORD_SIZE_LIMIT, NULL, 0,
				  &err), 0);
	tls_w_init(&w, out, sizeof(out));
	TAP_CHECK_EQ(tls_client_hello_encode(&w, &ch), TLS_ALERT_INTERNAL_ERROR);
	ch.x.record_size_limit = 0x4001;
	tls_w_init(&w, out, sizeof(out));
	TAP_CHECK_EQ(tls_client_hello_encode(&w, &ch), 0);
	TAP_CHECK_EQ(tls_w_finish(&w, &n, &err), 0);
	/*
	 * The encoder writes what it is given: §9.2's pairs are the state
	 * machine's to get right, and the parser holds the line.
	 */
	TAP_CHECK_EQ(parse_msg(out, n, &err), TLS_ALERT_MISSING_EXTENSION);
	ch.x.sig_algs.p = (const uint8_t *)"\x08\x04";
	ch.x.sig_algs.n = 1;
	ch.x.groups.p = (const uint8_t *)"\x00\x1d";
	ch.x.groups.n = 1;
	ch.x.n_key_shares = 1;
	ch.x.key_shares[0].group = 0x001d;
	ch.x.key_shares[0].key_exchange.p = some_random;
	ch.x.key_shares[0].key_exchange.len = 32;
	TAP_CHECK_EQ(tls_exts_add(&ch.exts, TLS_EXT_SIGNATURE_ALGORITHMS, NULL,
				  0, &err), 0);
	TAP_CHECK_EQ(tls_exts_add(&ch.exts, TLS_EXT_SUPPORTED_GROUPS, NULL, 0,
				  &err), 0);
	TAP_CHECK_EQ(tls_exts_add(&ch.exts, TLS_EXT_KEY_SHARE, NULL, 0, &err), 0);
	tls_w_init(&w, out, sizeof(out));
	TAP_CHECK_EQ(tls_client_hello_encode(&w, &ch), 0);
	TAP_CHECK_EQ(tls_w_finish(&w, &n, &err), 0);
	TAP_CHECK_EQ(parse_msg(out, n, &err), 0);
	TAP_CHECK_EQ(any.ch.x.record_size_limit, 0x4001);
	TAP_CHECK_EQ(any.ch.x.key_shares[0].key_exchange.len, 32);
	/* too small an output buffer */
	tls_w_init(&w, out, 20);
	TAP_CHECK_EQ(tls_client_hello_encode(&w, &ch), TLS_ALERT_INTERNAL_ERROR);
}

TAP_TEST(transcript_helpers)
{
	uint8_t hash[48], out[256];
	struct tls_writer w;
	struct tls_err err;
	size_t n;

	memset(hash, 0xab, sizeof(hash));
	tls_w_init(&w, out, sizeof(out));
	TAP_CHECK_EQ(tls_message_hash_encode(&w, hash, 32), 0);
	TAP_CHECK_EQ(tls_w_finish(&w, &n, &err), 0);
	TAP_CHECK_EQ(n, 36);
	TAP_CHECK_MEM(out, "\xfe\x00\x00\x20", 4);
	TAP_CHECK_MEM(out + 4, hash, 32);
	tls_w_init(&w, out, sizeof(out));
	TAP_CHECK_EQ(tls_message_hash_encode(&w, hash, 20),
		     TLS_ALERT_INTERNAL_ERROR);

	tls_w_init(&w, out, sizeof(out));
	TAP_CHECK_EQ(tls_certificate_verify_content(&w, true, hash, 48), 0);
	TAP_CHECK_EQ(tls_w_finish(&w, &n, &err), 0);
	TAP_CHECK_EQ(n, 64 + 33 + 1 + 48);
	for (int i = 0; i < 64; i++)
		TAP_CHECK_EQ(out[i], 0x20);
	TAP_CHECK_MEM(out + 64, "TLS 1.3, server CertificateVerify", 33);
	TAP_CHECK_EQ(out[97], 0);
	TAP_CHECK_MEM(out + 98, hash, 48);
	tls_w_init(&w, out, sizeof(out));
	TAP_CHECK_EQ(tls_certificate_verify_content(&w, false, hash, 32), 0);
	TAP_CHECK_EQ(tls_w_finish(&w, &n, &err), 0);
	TAP_CHECK_EQ(n, 64 + 33 + 1 + 32);
	TAP_CHECK_MEM(out + 64, "TLS 1.3, client CertificateVerify", 34);
}

int main(void)
{
	return tap_run();
}
