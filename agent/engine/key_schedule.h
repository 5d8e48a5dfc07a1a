/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The TLS 1.3 key schedule, RFC 8446 §7.
 *
 * The three extract stages of §7.1 are three distinct types, each owning only
 * the one secret valid in it:
 *
 *     PSK or 0 -> struct ktls_ks_early      (Early Secret)
 *   (EC)DHE    -> struct ktls_ks_handshake  (Handshake Secret)
 *        0     -> struct ktls_ks_master     (Master Secret)
 *
 * A stage is entered only from the one before it, which it consumes (wipes),
 * and each derivation takes the stage whose secret it needs, so the compiler
 * rejects asking for application traffic secrets before the master secret
 * exists, and a consumed or wiped stage answers KTLS_ERR_STATE.  Everything
 * derived from a stage (traffic secrets, exporter, resumption) is written to
 * caller buffers of ktls_hash_len() bytes; what the caller keeps, it wipes.
 *
 * Transcript hashes are passed in: the caller snapshots its running
 * transcript (ktls_hash_snapshot) at the message the RFC names.
 */
#ifndef KTLS_KEY_SCHEDULE_H
#define KTLS_KEY_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

/*
 * What every stage holds.  Each stage type wraps one, so the stages stay
 * distinct types while sharing their code.
 */
struct ktls_ks_stage {
	const struct ktls_crypto_provider *cp;
	enum ktls_hash_alg hash;
	uint8_t hash_len;
	uint8_t live;
	uint8_t secret[KTLS_MAX_HASH_LEN];
};

struct ktls_ks_early {
	struct ktls_ks_stage s;		/* Early Secret */
};

struct ktls_ks_handshake {
	struct ktls_ks_stage s;		/* Handshake Secret */
};

struct ktls_ks_master {
	struct ktls_ks_stage s;		/* Master Secret */
};

/* HKDF-Expand-Label (§7.1); label without the "tls13 " prefix. */
KTLS_MUST_CHECK int
ktls_hkdf_expand_label(const struct ktls_crypto_provider *cp,
		       enum ktls_hash_alg hash, const uint8_t *secret,
		       const char *label, const uint8_t *context,
		       size_t context_len, uint8_t *out, size_t out_len);

/* Derive-Secret (§7.1) given Transcript-Hash(Messages). */
KTLS_MUST_CHECK int
ktls_derive_secret(const struct ktls_crypto_provider *cp,
		   enum ktls_hash_alg hash, const uint8_t *secret,
		   const char *label, const uint8_t *transcript_hash,
		   uint8_t *out);

/* Early Secret = HKDF-Extract(0, PSK); psk NULL means no PSK (0s). */
KTLS_MUST_CHECK int ktls_ks_early_init(struct ktls_ks_early *e,
				       const struct ktls_crypto_provider *cp,
				       enum ktls_hash_alg hash,
				       const uint8_t *psk, size_t psk_len);

enum ktls_binder_kind {
	KTLS_BINDER_EXTERNAL,	/* "ext binder" */
	KTLS_BINDER_RESUMPTION,	/* "res binder" */
};

/* binder_key = Derive-Secret(Early Secret, "ext/res binder", "") */
KTLS_MUST_CHECK int ktls_ks_binder_key(const struct ktls_ks_early *e,
				       enum ktls_binder_kind kind,
				       uint8_t *out);
/* client_early_traffic_secret: Derive-Secret(., "c e traffic", CH) */
KTLS_MUST_CHECK int ktls_ks_client_early_traffic(const struct ktls_ks_early *e,
						 const uint8_t *ch_hash,
						 uint8_t *out);
/* early_exporter_master_secret: Derive-Secret(., "e exp master", CH) */
KTLS_MUST_CHECK int ktls_ks_early_exporter(const struct ktls_ks_early *e,
					   const uint8_t *ch_hash,
					   uint8_t *out);

/*
 * Handshake Secret = HKDF-Extract(Derive-Secret(Early, "derived", ""),
 * (EC)DHE).  Consumes e (wiped, success or not).
 */
KTLS_MUST_CHECK int ktls_ks_handshake_init(struct ktls_ks_handshake *h,
					   struct ktls_ks_early *e,
					   const uint8_t *shared,
					   size_t shared_len);

/* {client,server}_handshake_traffic_secret over CH..SH; either may be NULL */
KTLS_MUST_CHECK int
ktls_ks_handshake_traffic(const struct ktls_ks_handshake *h,
			  const uint8_t *ch_sh_hash, uint8_t *client,
			  uint8_t *server);

/*
 * Master Secret = HKDF-Extract(Derive-Secret(Handshake, "derived", ""), 0).
 * Consumes h.
 */
KTLS_MUST_CHECK int ktls_ks_master_init(struct ktls_ks_master *m,
					struct ktls_ks_handshake *h);

/* {client,server}_application_traffic_secret_0 over CH..server Finished */
KTLS_MUST_CHECK int ktls_ks_app_traffic(const struct ktls_ks_master *m,
					const uint8_t *ch_sf_hash,
					uint8_t *client, uint8_t *server);
/* exporter_master_secret over CH..server Finished */
KTLS_MUST_CHECK int ktls_ks_exporter(const struct ktls_ks_master *m,
				     const uint8_t *ch_sf_hash, uint8_t *out);
/* resumption_master_secret over CH..client Finished */
KTLS_MUST_CHECK int ktls_ks_resumption(const struct ktls_ks_master *m,
				       const uint8_t *ch_cf_hash,
				       uint8_t *out);

void ktls_ks_early_wipe(struct ktls_ks_early *e);
void ktls_ks_handshake_wipe(struct ktls_ks_handshake *h);
void ktls_ks_master_wipe(struct ktls_ks_master *m);

/*
 * Stateless derivations from a secret of ktls_hash_len(hash) bytes.
 */

/* §4.4.4: finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hl) */
KTLS_MUST_CHECK int ktls_finished_key(const struct ktls_crypto_provider *cp,
				      enum ktls_hash_alg hash,
				      const uint8_t *base_key, uint8_t *out);
/*
 * §4.4.4: verify_data = HMAC(finished_key, Transcript-Hash(...)).  Also
 * the PSK binder (§4.2.11.2) with the binder key as base_key and the hash
 * of the truncated ClientHello.
 */
KTLS_MUST_CHECK int
ktls_finished_verify_data(const struct ktls_crypto_provider *cp,
			  enum ktls_hash_alg hash, const uint8_t *base_key,
			  const uint8_t *transcript_hash, uint8_t *out);
/*
 * Recompute and compare in constant time a received verify_data (or
 * binder); KTLS_ERR_DECRYPT if it differs (§4.4.4: decrypt_error).
 */
KTLS_MUST_CHECK int
ktls_finished_check(const struct ktls_crypto_provider *cp,
		    enum ktls_hash_alg hash, const uint8_t *base_key,
		    const uint8_t *transcript_hash, const uint8_t *received,
		    size_t received_len);

/*
 * §7.3: write_key = HKDF-Expand-Label(Secret, "key", "", key_length),
 *       write_iv  = HKDF-Expand-Label(Secret, "iv", "", iv_length).
 */
KTLS_MUST_CHECK int ktls_traffic_keys(const struct ktls_crypto_provider *cp,
				      const struct ktls_suite *suite,
				      const uint8_t *secret, uint8_t *key,
				      uint8_t *iv);

/*
 * §7.2: application_traffic_secret_N+1 =
 *	HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hl)
 * out may be secret (in-place update).
 */
KTLS_MUST_CHECK int
ktls_next_traffic_secret(const struct ktls_crypto_provider *cp,
			 enum ktls_hash_alg hash, const uint8_t *secret,
			 uint8_t *out);

/*
 * §4.6.1: PSK = HKDF-Expand-Label(resumption_master_secret, "resumption",
 * ticket_nonce, Hash.length)
 */
KTLS_MUST_CHECK int ktls_resumption_psk(const struct ktls_crypto_provider *cp,
					enum ktls_hash_alg hash,
					const uint8_t *res_master,
					const uint8_t *nonce, size_t nonce_len,
					uint8_t *out);

/*
 * §7.5: TLS-Exporter(label, context, length) from an exporter master
 * secret; context NULL means "no context" (hashed as empty, per §7.5).
 */
KTLS_MUST_CHECK int ktls_export(const struct ktls_crypto_provider *cp,
				enum ktls_hash_alg hash,
				const uint8_t *exporter_secret,
				const char *label, const uint8_t *context,
				size_t context_len, uint8_t *out,
				size_t out_len);

/*
 * §4.4.1: after a HelloRetryRequest, ClientHello1 in the transcript is
 * replaced by the synthetic message_hash message (type 254, length
 * Hash.length, body Hash(ClientHello1)).  running must hold exactly
 * ClientHello1 under hash; on return it holds message_hash and the caller
 * goes on with HelloRetryRequest.  On error running is released.
 */
KTLS_MUST_CHECK int ktls_transcript_hrr(const struct ktls_crypto_provider *cp,
					struct ktls_hash_ctx *running,
					enum ktls_hash_alg hash);

/* §5.3: per-record nonce = write_iv XOR (64-bit seq, left-padded to 12). */
void ktls_record_nonce(const uint8_t *iv, uint64_t seq, uint8_t *nonce);

#endif /* KTLS_KEY_SCHEDULE_H */
