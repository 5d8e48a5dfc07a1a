/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libktls: the TLS 1.3 (RFC 8446) connection engine, public API.
 *
 * The engine is sans-I/O and never allocates.  The caller owns all memory:
 *
 *   - struct ktls_config: a plain, read-only description of what to offer
 *     (role defaults, suites, groups, signature schemes, certificate chain
 *     and key, verifier, ALPN, SNI).  Fill it with ktls_config_init() then
 *     change fields.  It, and every buffer it points to, must outlive every
 *     connection using it; connections never write to it, so one config may
 *     serve many connections on many threads.
 *   - struct ktls_conn: opaque, lives in KTLS_CONN_SIZE bytes of memory the
 *     caller provides (aligned to 16), set up by ktls_conn_init().  Call
 *     ktls_conn_wipe() when done: it erases every secret.
 *
 * Byte channels (the length contract):
 *
 *   ktls_conn_feed(c, in, len)  gives received TLS bytes; returns how many
 *       were consumed (0..len).  Fewer than len are consumed when the engine
 *       must stop: decrypted application data waits to be read
 *       (ktls_conn_recv), an operation is pending (async signature or
 *       verification), the output buffer is full, or the connection failed
 *       or closed.  Feed the rest again later.
 *   ktls_conn_out(c, &len)  the bytes to send now (NULL, 0 when none); after
 *       writing n of them, ktls_conn_out_ack(c, n).
 *   ktls_conn_send(c, data, len)  once the handshake is complete: protects
 *       up to len application bytes into the output; returns the number
 *       taken (may be < len when the output is full), or a negative error.
 *   ktls_conn_recv(c, buf, cap)  decrypted application data; returns bytes
 *       copied (0 when none).
 *
 * Events (ktls_conn_next_event): handshake complete, traffic secrets with
 * key, iv and next record number per direction (ready for
 * ktls_cipher_fill() of uapi/ktls_cipher.h), peer identity, alerts sent and
 * received (with the reason), and PENDING for an asynchronous signature or
 * certificate verification: the caller completes it with
 * ktls_conn_sign_done() / ktls_conn_verify_done() and feeds again.
 * Secrets in events point into the connection and stay valid until the next
 * call on it; copy what you keep and wipe it.
 *
 * Errors: one sticky error per connection.  Once a call fails, the
 * connection has queued the alert it sends (if any) and every later call
 * returns the same error (ktls_conn_error()).
 */
#ifndef KTLS_H
#define KTLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ktls_crypto_provider;

enum ktls_role {
	KTLS_ROLE_CLIENT = 0,
	KTLS_ROLE_SERVER = 1,
};

#define KTLS_MAX_SUITES		4
#define KTLS_MAX_GROUPS		4
#define KTLS_MAX_SIG_SCHEMES	12
#define KTLS_MAX_CHAIN		8
#define KTLS_MAX_ALPN_PROTOS	8
#define KTLS_MAX_CERT_SIG_SCHEMES 16
#define KTLS_MAX_KEY_SCHEMES	3
/* the most of the peer's certificate_authorities kept for the done event */
#define KTLS_PEER_CA_NAMES_MAX	2048

/* Verifier verdicts: 0 accepts, > 0 is the TLS alert to send. */
#define KTLS_VERIFY_OK		0
#define KTLS_VERIFY_PENDING	(-1)	/* completed by ktls_conn_verify_done */

/*
 * A peer's certificate chain, leaf first, DER, pointing into the engine,
 * with the OCSPResponse (DER) the peer stapled to its leaf through
 * status_request (RFC 8446 §4.4.2.1), or ocsp NULL and ocsp_len 0.
 */
struct ktls_chain {
	unsigned int n;
	const uint8_t *der[KTLS_MAX_CHAIN];
	size_t len[KTLS_MAX_CHAIN];
	const uint8_t *ocsp;
	size_t ocsp_len;
};

/*
 * Peer verification.  verify() judges the chain for @host (the SNI the
 * client sent, or NULL on the server side) and returns KTLS_VERIFY_OK, an
 * alert (bad_certificate 42, certificate_expired 45, unknown_ca 48, ...), or
 * KTLS_VERIFY_PENDING.  *reason may be set to a static string.  The engine
 * itself checks the CertificateVerify signature with the leaf's key.
 */
struct ktls_verifier {
	int (*verify)(void *arg, const struct ktls_chain *chain,
		      const char *host, const char **reason);
	void *arg;
};

/*
 * Asynchronous or external signing: sign @msg (the §4.4.3 content) with
 * @scheme into sig (cap bytes), set *sig_len; return 0, a negative
 * enum ktls_err, or KTLS_SIGN_PENDING and call ktls_conn_sign_done() later.
 */
#define KTLS_SIGN_PENDING	1
struct ktls_signer {
	int (*sign)(void *arg, uint16_t scheme, const uint8_t *msg,
		    size_t msg_len, uint8_t *sig, size_t cap, size_t *sig_len);
	void *arg;
};

/*
 * Session tickets (RFC 8446 §4.6.1) and resumption with psk_dhe_ke
 * (§4.2.9).  A client receives a KTLS_EV_TICKET event per
 * NewSessionTicket, carrying the ticket and the resumption PSK; it keeps
 * them in a struct ktls_ticket_store (caller memory), from which
 * ktls_ticket_store_take() hands a ticket out once and erases it, so a
 * ticket is never offered twice.  ktls_conn_init_resume() offers one.
 * The engine has no clock: the store takes the caller's (milliseconds, any
 * monotonic origin), drops a ticket once its lifetime has passed (at most
 * 7 days, §4.6.1: "Clients MUST NOT cache tickets for longer than 7
 * days"), and gives the one it hands out its age, which the ClientHello
 * carries obfuscated (§4.2.11.1).
 */
#define KTLS_TICKET_MAX		1024
struct ktls_ticket {
	uint16_t suite;
	uint32_t lifetime;		/* seconds, at most 604800 */
	uint32_t age_add;
	uint64_t received_ms;		/* the store's clock at put */
	uint32_t age_ms;		/* set by take: now - received_ms */
	uint16_t len;
	uint8_t ticket[KTLS_TICKET_MAX];
	uint8_t psk_len;
	uint8_t psk[48];
};

#define KTLS_TICKET_STORE_N	4
struct ktls_ticket_store {
	unsigned int n;
	struct ktls_ticket t[KTLS_TICKET_STORE_N];
};

/* Keep @t, received at @now_ms (the oldest is dropped when full). */
void ktls_ticket_store_put(struct ktls_ticket_store *st,
			   const struct ktls_ticket *t, uint64_t now_ms);
/*
 * Move the newest ticket still within its lifetime at @now_ms to @out,
 * with its age: 0, or -1 if none is left.  Expired ones are erased.
 */
int ktls_ticket_store_take(struct ktls_ticket_store *st, uint64_t now_ms,
			   struct ktls_ticket *out);

/*
 * Server ticket keys: ticket_keys[0] seals new tickets, every entry opens
 * (rotate by putting a new key first in a new config and keeping the old
 * one second until its tickets expire).
 */
struct ktls_ticket_key {
	uint8_t id[4];
	uint8_t key[32];		/* AES-256-GCM */
};

/* A DER DistinguishedName (a certificate's subject), referenced. */
struct ktls_dn {
	const uint8_t *der;
	size_t len;
};

struct ktls_config {
	enum ktls_role role;
	const struct ktls_crypto_provider *cp;
	/* preference order; n_* == 0 means "none" */
	uint16_t suites[KTLS_MAX_SUITES];
	unsigned int n_suites;
	uint16_t groups[KTLS_MAX_GROUPS];
	unsigned int n_groups;
	uint16_t sig_schemes[KTLS_MAX_SIG_SCHEMES]; /* accepted from peer */
	unsigned int n_sig_schemes;
	/* own identity: chain (leaf first) and key or signer */
	const uint8_t *chain_der[KTLS_MAX_CHAIN];
	size_t chain_len[KTLS_MAX_CHAIN];
	unsigned int chain_n;
	/*
	 * The schemes our key (or signer) can sign with, RFC 8446 §4.2.3;
	 * the peer's signature_algorithms (a server's CertificateRequest for
	 * a client) chooses among them, its first preference that is here
	 * wins.  n_key_schemes 0: key_scheme alone, or for an rsaEncryption
	 * RSA key (key_scheme rsa_pss_rsae_*) all three rsa_pss_rsae_*.
	 * ktls_wolf_pem_key() fills the list (an id-RSASSA-PSS key: the
	 * rsa_pss_pss_* its parameters allow).
	 */
	uint16_t key_scheme;
	uint16_t key_schemes[KTLS_MAX_KEY_SCHEMES];
	unsigned int n_key_schemes;
	const uint8_t *key;		/* provider's private key format */
	size_t key_len;
	struct ktls_signer signer;	/* used when key is NULL */
	/* peer verification; verify NULL on a client is an error */
	struct ktls_verifier verifier;
	/* server: ask for a client certificate; require one */
	bool request_client_cert;
	bool require_client_cert;
	/* ALPN, preference order (server: first of ours the client offers) */
	const char *alpn[KTLS_MAX_ALPN_PROTOS];
	unsigned int n_alpn;
	/* client: server name for SNI and verification (host or IP) */
	const char *server_name;
	/* RFC 8446 §D.4 middlebox compatibility mode (default on) */
	bool middlebox_compat;
	/* server: tickets (none when n_ticket_keys is 0) */
	const struct ktls_ticket_key *ticket_keys;
	unsigned int n_ticket_keys;
	unsigned int tickets_per_handshake;	/* default 1 */
	/*
	 * External PSK (RFC 8446 §4.2.11, "ext binder"), with psk_dhe_ke:
	 * a client offers it (when not resuming a ticket), a server accepts
	 * it when the first identity offered is this one.  psk_suite names
	 * the suite (so the hash) it is used with; psk_len <= 48.  No
	 * certificates are exchanged on a PSK handshake.
	 */
	const uint8_t *psk_identity;
	size_t psk_identity_len;
	const uint8_t *psk;
	size_t psk_len;
	uint16_t psk_suite;
	/*
	 * RFC 8446 §4.2.9: the PSK key exchange modes allowed, for tickets
	 * and the external PSK alike: KTLS_PSK_DHE_KE (a PSK with an
	 * (EC)DHE share, forward secret) and/or KTLS_PSK_KE (the PSK alone,
	 * no key share, no forward secrecy).  0 means KTLS_PSK_DHE_KE, the
	 * default.  A client lists them (psk_dhe_ke first); offering a PSK
	 * with KTLS_PSK_KE alone, it sends no supported_groups/key_share
	 * (§9.2), so a server that refuses the PSK cannot fall back to a
	 * full handshake.  A server picks psk_dhe_ke when both sides allow
	 * it and share a group, else psk_ke when both allow that.
	 */
	uint8_t psk_modes;
	/*
	 * RFC 8449 record_size_limit: the largest protected record we
	 * accept, counted as TLS 1.3 does (content plus the inner content
	 * type): 64..16385, or 0 for none.  A client offers it; a server
	 * answers it in EncryptedExtensions when the client offered one.
	 * Once the peer knows it, a larger record is record_overflow.
	 * Whatever this says, the peer's limit is always honoured when it
	 * sends one (ev.u.done.peer_record_size_limit).
	 */
	uint16_t record_size_limit;
	/*
	 * OCSP stapling (RFC 6066 §8 as TLS 1.3 uses it, RFC 8446
	 * §4.4.2.1).  request_ocsp: ask the peer for a staple (a client's
	 * ClientHello, a server's CertificateRequest carries status_request,
	 * status_type ocsp); the one received for the peer's leaf reaches
	 * the verifier in struct ktls_chain.  A staple the peer sends
	 * unasked is unsupported_extension.  ocsp_staple: the DER
	 * OCSPResponse for our own leaf (referenced, at most
	 * KTLS_OCSP_STAPLE_MAX bytes), sent in the leaf's CertificateEntry
	 * only when the peer asked for it with status_type ocsp.
	 */
	bool request_ocsp;
	const uint8_t *ocsp_staple;
	size_t ocsp_staple_len;
	/*
	 * RFC 8446 §4.2.3 signature_algorithms_cert: the schemes we accept
	 * in the signatures of the peer's certificates (the verifier's
	 * business), when they differ from sig_schemes (which is for
	 * CertificateVerify).  Sent (ClientHello, CertificateRequest) only
	 * when the list is not the same as sig_schemes; 0 entries: never.
	 * ktls_config_init() puts sig_schemes' defaults plus rsa_pkcs1_sha256/
	 * 384/512, which TLS 1.3 allows in certificates only.
	 */
	uint16_t cert_sig_schemes[KTLS_MAX_CERT_SIG_SCHEMES];
	unsigned int n_cert_sig_schemes;
	/*
	 * RFC 8446 §4.2.4 certificate_authorities: DER DistinguishedNames
	 * (the subjects of the CAs we trust), referenced, sent by a client
	 * in its ClientHello and by a server in its CertificateRequest; none
	 * when n_ca_names is 0.  Each 1..65535 bytes, the encoded list
	 * (2 + length each) at most KTLS_CA_NAMES_MAX bytes.
	 */
	const struct ktls_dn *ca_names;
	unsigned int n_ca_names;
};

#define KTLS_OCSP_STAPLE_MAX	(0xffff - 4)
#define KTLS_CA_NAMES_MAX	16384

/* ktls_config.psk_modes (bit n: PskKeyExchangeMode n, §4.2.9) */
#define KTLS_PSK_KE		(1u << 0)
#define KTLS_PSK_DHE_KE		(1u << 1)

/* Defaults: all four suites, X25519MLKEM768, X25519, P-256, P-384. */
void ktls_config_init(struct ktls_config *cfg, enum ktls_role role,
		      const struct ktls_crypto_provider *cp);

/* Memory a connection needs, in bytes, aligned to 16. */
#define KTLS_CONN_SIZE		(168 * 1024)
size_t ktls_conn_size(void);

struct ktls_conn;

/*
 * Set up a connection in @mem (ktls_conn_size() bytes); a client queues its
 * ClientHello at once.  Returns NULL if mem is too small/misaligned or the
 * config is invalid.
 */
struct ktls_conn *ktls_conn_init(void *mem, size_t size,
				 const struct ktls_config *cfg);
/* A client offering @t for resumption (cfg->psk_modes); copies it. */
struct ktls_conn *ktls_conn_init_resume(void *mem, size_t size,
					const struct ktls_config *cfg,
					const struct ktls_ticket *t);
void ktls_conn_wipe(struct ktls_conn *c);

size_t ktls_conn_feed(struct ktls_conn *c, const uint8_t *in, size_t len);
const uint8_t *ktls_conn_out(struct ktls_conn *c, size_t *len);
void ktls_conn_out_ack(struct ktls_conn *c, size_t n);
long ktls_conn_send(struct ktls_conn *c, const uint8_t *data, size_t len);
size_t ktls_conn_recv(struct ktls_conn *c, uint8_t *buf, size_t cap);
/* Queue close_notify. */
int ktls_conn_close(struct ktls_conn *c);
/* Send a KeyUpdate (RFC 8446 §4.6.3), asking the peer to update too. */
int ktls_conn_key_update(struct ktls_conn *c, bool request_peer);

/*
 * RFC 8446 §7.5 TLS-Exporter(label, context, out_len) after the
 * handshake; context NULL means no context (distinct from an empty one).
 */
int ktls_conn_export(struct ktls_conn *c, const char *label,
		     const uint8_t *context, size_t context_len, uint8_t *out,
		     size_t out_len);

/* Complete a pending operation. */
int ktls_conn_sign_done(struct ktls_conn *c, int err, const uint8_t *sig,
			size_t sig_len);
int ktls_conn_verify_done(struct ktls_conn *c, int verdict);

/* 0, or the sticky negative enum ktls_err. */
int ktls_conn_error(const struct ktls_conn *c);
/* The alert sent or received with the error, and why. */
int ktls_conn_alert(const struct ktls_conn *c, const char **reason);
bool ktls_conn_handshake_done(const struct ktls_conn *c);
bool ktls_conn_closed(const struct ktls_conn *c);

enum ktls_event_type {
	KTLS_EV_NONE = 0,
	KTLS_EV_KEYS,		/* traffic secret installed for a direction */
	KTLS_EV_PEER_CERT,	/* peer chain and the verifier's verdict */
	KTLS_EV_HANDSHAKE_DONE,	/* negotiated parameters in ev.u.done */
	KTLS_EV_ALERT_SENT,
	KTLS_EV_ALERT_RECEIVED,
	KTLS_EV_PENDING_SIGN,
	KTLS_EV_PENDING_VERIFY,
	KTLS_EV_TICKET,		/* client: u.ticket, until the next call */
};

enum ktls_dir { KTLS_DIR_TX = 0, KTLS_DIR_RX = 1 };

enum ktls_key_stage {
	KTLS_KEYS_HANDSHAKE = 1,
	KTLS_KEYS_APPLICATION = 2,	/* generation in .generation */
};

struct ktls_event {
	enum ktls_event_type type;
	union {
		struct {
			enum ktls_dir dir;
			enum ktls_key_stage stage;
			uint32_t generation;	/* KeyUpdates so far */
			uint16_t suite;
			const uint8_t *secret;
			size_t secret_len;
			const uint8_t *key;
			size_t key_len;
			const uint8_t *iv;	/* 12 bytes */
			uint64_t seq;		/* next record number */
		} keys;
		struct {
			/*
			 * The leaf (DER) points into the engine's handshake
			 * buffer, which the following messages reuse before
			 * the event is usually read: copy it in the verifier
			 * if it is needed later (ktls_wolf_verifier does).
			 */
			const uint8_t *leaf;
			size_t leaf_len;
			unsigned int chain_n;
			int verdict;		/* 0 or the alert */
			const char *reason;
			/* the leaf's stapled OCSPResponse size, 0: none */
			size_t ocsp_len;
		} peer;
		struct {
			uint16_t suite;
			uint16_t group;
			uint16_t sig_scheme;	/* peer's CertificateVerify */
			bool hrr;
			bool client_authenticated;
			bool resumed;		/* PSK from a ticket */
			bool external_psk;	/* the configured PSK */
			bool psk_ke;		/* no (EC)DHE; group 0 */
			const uint8_t *alpn;	/* NULL if none */
			size_t alpn_len;
			const uint8_t *sni;	/* NULL if none */
			size_t sni_len;
			/*
			 * RFC 8449: the peer's record_size_limit (0 if it
			 * sent none) and so the most content one of our
			 * protected records carries: limit - 1, at most
			 * 2^14.  What kTLS's TLS_TX_MAX_PAYLOAD_LEN takes.
			 */
			uint16_t peer_record_size_limit;
			uint16_t max_tx_payload;
			/*
			 * RFC 8446 §4.2.4: the certificate_authorities the
			 * peer sent (client: in the CertificateRequest,
			 * server: in the ClientHello), as the raw
			 * DistinguishedName list (2-byte length, DER, ...),
			 * and how many.  peer_ca_names NULL when none came, or
			 * when the list is over KTLS_PEER_CA_NAMES_MAX bytes
			 * (n_peer_ca_names still counts them).
			 */
			const uint8_t *peer_ca_names;
			size_t peer_ca_names_len;
			unsigned int n_peer_ca_names;
			/* a staple came with the peer's leaf (its size) */
			size_t peer_ocsp_len;
		} done;
		struct {
			int alert;
			const char *reason;
		} alert;
		const struct ktls_ticket *ticket;
	} u;
};

/* Returns 1 and fills ev when an event is queued, else 0. */
int ktls_conn_next_event(struct ktls_conn *c, struct ktls_event *ev);

/* Names, for logs. */
const char *ktls_suite_name(uint16_t suite);
const char *ktls_group_name(uint16_t group);
const char *ktls_sig_scheme_name(uint16_t scheme);
const char *ktls_alert_name(int alert);

#endif /* KTLS_H */
