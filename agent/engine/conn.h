/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The connection's private layout, shared by record.c (record protection),
 * handshake.c (the state tables and their handlers) and conn.c (the public
 * API).  Everything a connection needs is here, at fixed size: the caller
 * provides KTLS_CONN_SIZE bytes and nothing is ever allocated.
 */
#ifndef KTLS_ENGINE_CONN_H
#define KTLS_ENGINE_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ktls.h"
#include "crypto.h"
#include "key_schedule.h"
#include "messages.h"

/* RFC 8446 §5.1 / §5.2 */
#define TLS_CT_CHANGE_CIPHER_SPEC	20
#define TLS_CT_ALERT			21
#define TLS_CT_HANDSHAKE		22
#define TLS_CT_APPLICATION_DATA		23
#define TLS_REC_HDR			5
#define TLS_MAX_PLAINTEXT		(1u << 14)
#define TLS_MAX_CIPHERTEXT		((1u << 14) + 256)

#define CONN_RBUF	(TLS_REC_HDR + TLS_MAX_CIPHERTEXT)
#define CONN_HSBUF	(48 * 1024)	/* reassembled handshake messages */
#define CONN_OBUF	(56 * 1024)	/* records waiting to be sent */
#define CONN_MSG	(24 * 1024)	/* one outgoing handshake message */
#define CONN_MAX_EVENTS	10

/* One direction's record protection. */
struct rec_dir {
	bool on;
	uint64_t seq;
	uint32_t generation;
	enum ktls_key_stage stage;
	uint8_t secret[KTLS_MAX_HASH_LEN];
	uint8_t key[KTLS_AEAD_MAX_KEY_LEN];
	uint8_t iv[KTLS_AEAD_NONCE_LEN];
	struct ktls_aead_ctx aead;
};

struct conn_event {
	struct ktls_event ev;
	uint8_t secret[KTLS_MAX_HASH_LEN];
	uint8_t key[KTLS_AEAD_MAX_KEY_LEN];
	uint8_t iv[KTLS_AEAD_NONCE_LEN];
};

enum conn_pending {
	PEND_NONE = 0,
	PEND_SIGN,
	PEND_VERIFY,
};

struct ktls_conn {
	uint32_t magic;
	const struct ktls_config *cfg;
	const struct ktls_crypto_provider *cp;
	bool server;
	uint8_t state;			/* enum hs_state (handshake.c) */
	int err;			/* sticky negative enum ktls_err */
	int alert;			/* alert sent or received with err */
	const char *reason;
	bool closed;			/* close_notify received */
	bool sent_close;
	bool done;			/* handshake complete */
	enum conn_pending pending;

	/* negotiated */
	const struct ktls_suite *suite;
	uint16_t group;
	uint16_t peer_sig_scheme;
	uint16_t own_sig_scheme;
	bool hrr;
	bool ccs_sent;
	bool ccs_ok;			/* a dummy CCS may still arrive */
	bool cert_requested;		/* server: sent CR / client: got CR */
	bool client_authed;
	uint8_t alpn[256];
	uint8_t alpn_len;
	uint8_t sni[256];
	uint16_t sni_len;
	uint8_t session_id[32];
	uint8_t session_id_len;
	uint8_t cr_context[255];
	uint8_t cr_context_len;
	uint32_t offered_exts;		/* client: present mask of our CH */
	uint8_t ch_random[TLS_RANDOM_LEN];
	uint8_t cookie[1024];		/* client: HRR cookie to echo */
	uint16_t cookie_len;
	uint8_t resume;			/* enum hs_resume (handshake.c) */
	/* RFC 8449 record_size_limit */
	uint16_t peer_rsl;		/* the peer's, 0 if none */
	uint16_t tx_frag;		/* content per protected record */
	uint16_t rx_inner_max;		/* ours, once the peer knows; 0: none */
	bool key_changed;		/* read key changed by this message */
	/* status_request (§4.4.2.1), certificate_authorities (§4.2.4) */
	bool peer_wants_ocsp;		/* the peer asked for our staple */
	uint32_t cr_exts;		/* server: present mask of our CR */
	uint16_t n_peer_cas;		/* how many CA names the peer sent */
	uint16_t peer_cas_len;		/* 0 when none or not kept */
	uint8_t peer_cas[KTLS_PEER_CA_NAMES_MAX];

	/* transcript: both hashes until the client learns the suite */
	struct ktls_hash_ctx th[2];	/* [0] SHA-256, [1] SHA-384 */
	bool th_live[2];

	/* resumption */
	bool psk_offered, psk_accepted;
	bool psk_ke;			/* PSK only, no (EC)DHE (§4.2.9) */
	bool no_share;			/* client: CH without key_share */
	enum ktls_binder_kind psk_kind;
	struct ktls_ticket tk;		/* client: offered / last received */
	struct ktls_ks_early ks_early;	/* PSK early secret until SH */
	uint8_t tickets_sent;

	/* key schedule */
	struct ktls_kx_state kx;
	struct ktls_ks_handshake ks_hs;
	struct ktls_ks_master ks_ms;
	uint8_t c_hs[KTLS_MAX_HASH_LEN];	/* client handshake secret */
	uint8_t s_hs[KTLS_MAX_HASH_LEN];	/* server handshake secret */
	uint8_t c_ap[KTLS_MAX_HASH_LEN];	/* client application _0 */
	uint8_t s_ap[KTLS_MAX_HASH_LEN];
	uint8_t res_master[KTLS_MAX_HASH_LEN];
	uint8_t exporter[KTLS_MAX_HASH_LEN];

	/* the peer's leaf key, for CertificateVerify */
	uint8_t peer_spki[KTLS_SIG_MAX_SPKI + 64];
	size_t peer_spki_len;
	bool peer_cert_empty;
	struct ktls_chain chain;	/* points into hsbuf while verifying */

	/* pending signature */
	uint8_t sig[KTLS_SIG_MAX_LEN];
	size_t sig_len;
	int sig_err;
	int verify_verdict;

	struct rec_dir rx, tx;

	/* input: one record being assembled, then its plaintext */
	uint8_t rbuf[CONN_RBUF];
	size_t rlen;
	const uint8_t *app;		/* decrypted application data */
	size_t app_len;

	/* reassembled handshake bytes not yet processed */
	uint8_t hsbuf[CONN_HSBUF];
	size_t hs_len;

	/* output */
	uint8_t obuf[CONN_OBUF];
	size_t olen, ooff;
	uint8_t msg[CONN_MSG];

	struct conn_event ev[CONN_MAX_EVENTS];
	unsigned int ev_head, ev_n;
	struct conn_event ev_cur;
};

/* conn.c */
int conn_fail(struct ktls_conn *c, int err, int alert, const char *reason);
int conn_fail_tls(struct ktls_conn *c, int alert, const struct tls_err *e);
int conn_err_to_alert(int err);
void conn_push_keys(struct ktls_conn *c, enum ktls_dir dir);
struct ktls_event *conn_push(struct ktls_conn *c, enum ktls_event_type t);

/* record.c */
int rec_set_key(struct ktls_conn *c, struct rec_dir *d, const uint8_t *secret,
		enum ktls_key_stage stage);
void rec_dir_wipe(struct ktls_conn *c, struct rec_dir *d);
int rec_write(struct ktls_conn *c, uint8_t type, const uint8_t *data,
	      size_t len);
int rec_write_ccs(struct ktls_conn *c);
void rec_write_alert(struct ktls_conn *c, int alert);
size_t rec_feed(struct ktls_conn *c, const uint8_t *in, size_t len);
size_t rec_out_room(const struct ktls_conn *c);
size_t rec_max_frag(const struct ktls_conn *c);

/* handshake.c */
int hs_start(struct ktls_conn *c);
int hs_send_tickets(struct ktls_conn *c);
int hs_process(struct ktls_conn *c);	/* consume whole messages in hsbuf */
int hs_post_key_update(struct ktls_conn *c, bool request);
int hs_resume(struct ktls_conn *c);
bool hs_ccs_allowed(const struct ktls_conn *c);

#define KTLS_CONN_MAGIC 0x6b746c73u

#endif /* KTLS_ENGINE_CONN_H */
