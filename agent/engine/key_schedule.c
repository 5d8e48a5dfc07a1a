// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The TLS 1.3 key schedule, RFC 8446 §7, over the crypto provider.
 *
 * Implementation notes:
 *  - One struct per extract stage (early, handshake, master; see
 *    key_schedule.h), each wrapping a struct ktls_ks_stage that holds one
 *    secret and a live flag.  Entering a stage (stage_next) and deriving
 *    from one (stage_derive) are written once for all three.  Moving to
 *    the next stage wipes the previous one whatever the outcome, so there
 *    is never more than one extract secret alive per connection, and a
 *    failed step leaves nothing usable behind.
 *  - Every intermediate (the "derived" salt, finished_key, HkdfLabel with
 *    its context) is a stack buffer wiped before return on every path.
 *  - No allocation, no globals: the provider pointer travels in the stage.
 *  - Lengths come from the hash: all secrets are Hash.length bytes (§7.1).
 */
#include <string.h>

#include "key_schedule.h"

/*
 * §7.1:
 *   struct {
 *       uint16 length = Length;
 *       opaque label<7..255> = "tls13 " + Label;
 *       opaque context<0..255> = Context;
 *   } HkdfLabel;
 */
#define TLS13_LABEL_PREFIX	"tls13 "
#define HKDF_LABEL_MAX		(2 + 1 + 255 + 1 + 255)

int ktls_hkdf_expand_label(const struct ktls_crypto_provider *cp,
			   enum ktls_hash_alg hash, const uint8_t *secret,
			   const char *label, const uint8_t *context,
			   size_t context_len, uint8_t *out, size_t out_len)
{
	const size_t prefix_len = sizeof(TLS13_LABEL_PREFIX) - 1;
	size_t hash_len = ktls_hash_len(hash);
	size_t label_len = strlen(label);
	uint8_t info[HKDF_LABEL_MAX];
	size_t n = 0;
	int ret;

	if (!hash_len)
		return KTLS_ERR_UNSUPPORTED;
	if (out_len > UINT16_MAX || prefix_len + label_len > 255 ||
	    context_len > 255)
		return KTLS_ERR_INVALID;
	info[n++] = (uint8_t)(out_len >> 8);
	info[n++] = (uint8_t)out_len;
	info[n++] = (uint8_t)(prefix_len + label_len);
	memcpy(info + n, TLS13_LABEL_PREFIX, prefix_len);
	n += prefix_len;
	memcpy(info + n, label, label_len);
	n += label_len;
	info[n++] = (uint8_t)context_len;
	if (context_len)
		memcpy(info + n, context, context_len);
	n += context_len;

	ret = ktls_hkdf_expand(cp, hash, secret, hash_len, info, n, out,
			       out_len);
	explicit_bzero(info, sizeof(info));
	return ret;
}

/*
 * §7.1:
 *   Derive-Secret(Secret, Label, Messages) =
 *	HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length)
 */
int ktls_derive_secret(const struct ktls_crypto_provider *cp,
		       enum ktls_hash_alg hash, const uint8_t *secret,
		       const char *label, const uint8_t *transcript_hash,
		       uint8_t *out)
{
	size_t hash_len = ktls_hash_len(hash);

	return ktls_hkdf_expand_label(cp, hash, secret, label,
				      transcript_hash, hash_len, out, hash_len);
}

/* Derive-Secret(Secret, Label, "") : the transcript of no messages. */
static int derive_secret_empty(const struct ktls_crypto_provider *cp,
			       enum ktls_hash_alg hash, const uint8_t *secret,
			       const char *label, uint8_t *out)
{
	uint8_t empty_hash[KTLS_MAX_HASH_LEN];
	int ret;

	ret = ktls_hash(cp, hash, NULL, 0, empty_hash);
	if (ret)
		return ret;
	return ktls_derive_secret(cp, hash, secret, label, empty_hash, out);
}

/*
 * The next extract stage (§7.1):
 *   salt = Derive-Secret(previous, "derived", "")
 *   next = HKDF-Extract(salt, ikm)       (ikm NULL: Hash.length zeros)
 */
static int extract_next(const struct ktls_crypto_provider *cp,
			enum ktls_hash_alg hash, const uint8_t *previous,
			const uint8_t *ikm, size_t ikm_len, uint8_t *next)
{
	static const uint8_t zeros[KTLS_MAX_HASH_LEN];
	size_t hash_len = ktls_hash_len(hash);
	uint8_t salt[KTLS_MAX_HASH_LEN];
	int ret;

	ret = derive_secret_empty(cp, hash, previous, "derived", salt);
	if (!ret)
		ret = ktls_hkdf_extract(cp, hash, salt, hash_len,
					ikm ? ikm : zeros,
					ikm ? ikm_len : hash_len, next);
	explicit_bzero(salt, sizeof(salt));
	return ret;
}

/* A stage's one Derive-Secret (§7.1), if the stage is live. */
static int stage_derive(const struct ktls_ks_stage *s, const char *label,
			const uint8_t *transcript_hash, uint8_t *out)
{
	if (!s->live)
		return KTLS_ERR_STATE;
	return ktls_derive_secret(s->cp, s->hash, s->secret, label,
				  transcript_hash, out);
}

/* The client and server traffic secrets of a stage; either may be NULL. */
static int stage_derive_pair(const struct ktls_ks_stage *s,
			     const char *client_label,
			     const char *server_label,
			     const uint8_t *transcript_hash, uint8_t *client,
			     uint8_t *server)
{
	int ret = 0;

	if (!s->live)
		return KTLS_ERR_STATE;
	if (client)
		ret = stage_derive(s, client_label, transcript_hash, client);
	if (!ret && server)
		ret = stage_derive(s, server_label, transcript_hash, server);
	if (ret && client)
		explicit_bzero(client, s->hash_len);
	return ret;
}

/*
 * Enter the next stage from prev, which is consumed (wiped) whatever the
 * outcome: next = HKDF-Extract(Derive-Secret(prev, "derived", ""), ikm).
 */
static int stage_next(struct ktls_ks_stage *next, struct ktls_ks_stage *prev,
		      const uint8_t *ikm, size_t ikm_len)
{
	int ret;

	memset(next, 0, sizeof(*next));
	if (!prev->live) {
		ret = KTLS_ERR_STATE;
		goto out;
	}
	ret = extract_next(prev->cp, prev->hash, prev->secret, ikm, ikm_len,
			   next->secret);
	if (ret) {
		explicit_bzero(next, sizeof(*next));
		goto out;
	}
	next->cp = prev->cp;
	next->hash = prev->hash;
	next->hash_len = prev->hash_len;
	next->live = 1;
out:
	explicit_bzero(prev, sizeof(*prev));
	return ret;
}

int ktls_ks_early_init(struct ktls_ks_early *e,
		       const struct ktls_crypto_provider *cp,
		       enum ktls_hash_alg hash, const uint8_t *psk,
		       size_t psk_len)
{
	static const uint8_t zeros[KTLS_MAX_HASH_LEN];
	struct ktls_ks_stage *s = &e->s;
	size_t hash_len = ktls_hash_len(hash);
	int ret;

	memset(e, 0, sizeof(*e));
	if (!hash_len)
		return KTLS_ERR_UNSUPPORTED;
	if (!psk) {
		psk = zeros;
		psk_len = hash_len;
	}
	/* §7.1: Early Secret = HKDF-Extract(salt = 0, IKM = PSK) */
	ret = ktls_hkdf_extract(cp, hash, NULL, 0, psk, psk_len, s->secret);
	if (ret) {
		ktls_ks_early_wipe(e);
		return ret;
	}
	s->cp = cp;
	s->hash = hash;
	s->hash_len = (uint8_t)hash_len;
	s->live = 1;
	return 0;
}

int ktls_ks_binder_key(const struct ktls_ks_early *e,
		       enum ktls_binder_kind kind, uint8_t *out)
{
	const struct ktls_ks_stage *s = &e->s;

	if (!s->live)
		return KTLS_ERR_STATE;
	/* §7.1: Derive-Secret(., "ext binder" | "res binder", "") */
	return derive_secret_empty(s->cp, s->hash, s->secret,
				   kind == KTLS_BINDER_EXTERNAL ? "ext binder"
								: "res binder",
				   out);
}

int ktls_ks_client_early_traffic(const struct ktls_ks_early *e,
				 const uint8_t *ch_hash, uint8_t *out)
{
	return stage_derive(&e->s, "c e traffic", ch_hash, out);
}

int ktls_ks_early_exporter(const struct ktls_ks_early *e,
			   const uint8_t *ch_hash, uint8_t *out)
{
	return stage_derive(&e->s, "e exp master", ch_hash, out);
}

int ktls_ks_handshake_init(struct ktls_ks_handshake *h,
			   struct ktls_ks_early *e, const uint8_t *shared,
			   size_t shared_len)
{
	if (!shared || !shared_len) {
		ktls_ks_handshake_wipe(h);
		ktls_ks_early_wipe(e);
		return KTLS_ERR_INVALID;
	}
	/* §7.1: Handshake Secret = HKDF-Extract(derived, (EC)DHE) */
	return stage_next(&h->s, &e->s, shared, shared_len);
}

int ktls_ks_handshake_traffic(const struct ktls_ks_handshake *h,
			      const uint8_t *ch_sh_hash, uint8_t *client,
			      uint8_t *server)
{
	return stage_derive_pair(&h->s, "c hs traffic", "s hs traffic",
				 ch_sh_hash, client, server);
}

int ktls_ks_master_init(struct ktls_ks_master *m, struct ktls_ks_handshake *h)
{
	/* §7.1: Master Secret = HKDF-Extract(derived, 0) */
	return stage_next(&m->s, &h->s, NULL, 0);
}

int ktls_ks_app_traffic(const struct ktls_ks_master *m,
			const uint8_t *ch_sf_hash, uint8_t *client,
			uint8_t *server)
{
	return stage_derive_pair(&m->s, "c ap traffic", "s ap traffic",
				 ch_sf_hash, client, server);
}

int ktls_ks_exporter(const struct ktls_ks_master *m, const uint8_t *ch_sf_hash,
		     uint8_t *out)
{
	return stage_derive(&m->s, "exp master", ch_sf_hash, out);
}

int ktls_ks_resumption(const struct ktls_ks_master *m,
		       const uint8_t *ch_cf_hash, uint8_t *out)
{
	return stage_derive(&m->s, "res master", ch_cf_hash, out);
}

void ktls_ks_early_wipe(struct ktls_ks_early *e)
{
	explicit_bzero(e, sizeof(*e));
}

void ktls_ks_handshake_wipe(struct ktls_ks_handshake *h)
{
	explicit_bzero(h, sizeof(*h));
}

void ktls_ks_master_wipe(struct ktls_ks_master *m)
{
	explicit_bzero(m, sizeof(*m));
}

int ktls_finished_key(const struct ktls_crypto_provider *cp,
		      enum ktls_hash_alg hash, const uint8_t *base_key,
		      uint8_t *out)
{
	return ktls_hkdf_expand_label(cp, hash, base_key, "finished", NULL, 0,
				      out, ktls_hash_len(hash));
}

/*
 * §4.4.4:
 *   finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length)
 *   verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context,
 *			Certificate*, CertificateVerify*))
 */
int ktls_finished_verify_data(const struct ktls_crypto_provider *cp,
			      enum ktls_hash_alg hash, const uint8_t *base_key,
			      const uint8_t *transcript_hash, uint8_t *out)
{
	size_t hash_len = ktls_hash_len(hash);
	uint8_t key[KTLS_MAX_HASH_LEN];
	int ret;

	ret = ktls_finished_key(cp, hash, base_key, key);
	if (!ret)
		ret = ktls_hmac(cp, hash, key, hash_len, transcript_hash,
				hash_len, out);
	explicit_bzero(key, sizeof(key));
	return ret;
}

int ktls_finished_check(const struct ktls_crypto_provider *cp,
			enum ktls_hash_alg hash, const uint8_t *base_key,
			const uint8_t *transcript_hash, const uint8_t *received,
			size_t received_len)
{
	size_t hash_len = ktls_hash_len(hash);
	uint8_t want[KTLS_MAX_HASH_LEN];
	uint8_t diff = 0;
	int ret;

	if (received_len != hash_len)
		return KTLS_ERR_DECRYPT;
	ret = ktls_finished_verify_data(cp, hash, base_key, transcript_hash,
					want);
	if (!ret) {
		for (size_t i = 0; i < hash_len; i++)
			diff |= (uint8_t)(want[i] ^ received[i]);
		ret = diff ? KTLS_ERR_DECRYPT : 0;
	}
	explicit_bzero(want, sizeof(want));
	return ret;
}

int ktls_traffic_keys(const struct ktls_crypto_provider *cp,
		      const struct ktls_suite *suite, const uint8_t *secret,
		      uint8_t *key, uint8_t *iv)
{
	int ret;

	ret = ktls_hkdf_expand_label(cp, suite->hash, secret, "key", NULL, 0,
				     key, suite->key_len);
	if (!ret)
		ret = ktls_hkdf_expand_label(cp, suite->hash, secret, "iv",
					     NULL, 0, iv, suite->iv_len);
	if (ret) {
		explicit_bzero(key, suite->key_len);
		explicit_bzero(iv, suite->iv_len);
	}
	return ret;
}

int ktls_next_traffic_secret(const struct ktls_crypto_provider *cp,
			     enum ktls_hash_alg hash, const uint8_t *secret,
			     uint8_t *out)
{
	size_t hash_len = ktls_hash_len(hash);
	uint8_t next[KTLS_MAX_HASH_LEN];
	int ret;

	ret = ktls_hkdf_expand_label(cp, hash, secret, "traffic upd", NULL, 0,
				     next, hash_len);
	if (!ret)
		memcpy(out, next, hash_len);
	explicit_bzero(next, sizeof(next));
	return ret;
}

int ktls_resumption_psk(const struct ktls_crypto_provider *cp,
			enum ktls_hash_alg hash, const uint8_t *res_master,
			const uint8_t *nonce, size_t nonce_len, uint8_t *out)
{
	return ktls_hkdf_expand_label(cp, hash, res_master, "resumption",
				      nonce, nonce_len, out,
				      ktls_hash_len(hash));
}

/*
 * §7.5:
 *   TLS-Exporter(label, context_value, key_length) =
 *	HKDF-Expand-Label(Derive-Secret(Secret, label, ""),
 *			  "exporter", Hash(context_value), key_length)
 */
int ktls_export(const struct ktls_crypto_provider *cp, enum ktls_hash_alg hash,
		const uint8_t *exporter_secret, const char *label,
		const uint8_t *context, size_t context_len, uint8_t *out,
		size_t out_len)
{
	uint8_t secret[KTLS_MAX_HASH_LEN];
	uint8_t ctx_hash[KTLS_MAX_HASH_LEN];
	int ret;

	ret = derive_secret_empty(cp, hash, exporter_secret, label, secret);
	if (!ret)
		ret = ktls_hash(cp, hash, context, context ? context_len : 0,
				ctx_hash);
	if (!ret)
		ret = ktls_hkdf_expand_label(cp, hash, secret, "exporter",
					     ctx_hash, ktls_hash_len(hash),
					     out, out_len);
	explicit_bzero(secret, sizeof(secret));
	return ret;
}

/*
 * §4.4.1:
 *   Transcript-Hash(ClientHello1, HelloRetryRequest, ... Mn) =
 *       Hash(message_hash ||        // Handshake type
 *            00 00 Hash.length  ||  // Handshake message length (bytes)
 *            Hash(ClientHello1) ||  // Hash of ClientHello1
 *            HelloRetryRequest  || ... || Mn)
 */
#define TLS13_MESSAGE_HASH	254

int ktls_transcript_hrr(const struct ktls_crypto_provider *cp,
			struct ktls_hash_ctx *running, enum ktls_hash_alg hash)
{
	size_t hash_len = ktls_hash_len(hash);
	uint8_t msg[4 + KTLS_MAX_HASH_LEN];
	int ret;

	if (!hash_len) {
		ktls_hash_free(cp, running);
		return KTLS_ERR_UNSUPPORTED;
	}
	msg[0] = TLS13_MESSAGE_HASH;
	msg[1] = 0;
	msg[2] = 0;
	msg[3] = (uint8_t)hash_len;
	ret = ktls_hash_final(cp, running, msg + 4);
	if (!ret)
		ret = ktls_hash_init(cp, running, hash);
	if (!ret)
		ret = ktls_hash_update(cp, running, msg, 4 + hash_len);
	if (ret)
		ktls_hash_free(cp, running);
	return ret;
}

/*
 * §5.3: the 64-bit record sequence number is encoded in network byte order
 * and padded to the left with zeros to iv_length; the padded sequence
 * number is XORed with the static client_write_iv or server_write_iv.
 */
void ktls_record_nonce(const uint8_t *iv, uint64_t seq, uint8_t *nonce)
{
	memcpy(nonce, iv, KTLS_AEAD_NONCE_LEN);
	for (int i = 0; i < 8; i++)
		nonce[KTLS_AEAD_NONCE_LEN - 1 - i] ^= (uint8_t)(seq >> (8 * i));
}
