// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer: the engine's state machines, client and server, fed a stream
 * of records (RFC 8446 §5, §4, Appendix A).
 *
 * The fuzz build has no real crypto provider, and a fuzzer could not get
 * past real cryptography anyway, so this target brings a transparent one:
 * hashes, HMAC and HKDF output zeros (so every Finished verify_data is
 * zeros and the fuzzer can complete handshakes), the AEAD is the identity
 * with a tag of 16 zero bytes (any other tag: bad_record_mac), key shares
 * and shared secrets are fixed bytes of each group's length, signatures
 * verify unless their first byte is 0xff, random bytes are zeros.  What is
 * exercised is everything the engine does with bytes: record layer,
 * reassembly, the state tables, every handler's checks, HRR, PSK and
 * tickets, KeyUpdate, alerts, close_notify.
 *
 * Input: one flags byte, then chunks (2-byte big-endian length, bytes)
 * fed to one connection in turn.
 *   flags bit 0: server (else client)
 *         bit 1: server asks for a client certificate / client has one
 *         bit 2: server issues tickets
 *         bit 3: ALPN configured ("h2", "http/1.1"); OCSP stapling
 *                (both sides ask, both have a staple: the server's
 *                leaf, and the client's when bit 1 asks for one) and
 *                certificate_authorities (two names) both ways
 *         bit 4: record_size_limit 64 configured
 *         bit 5: once connected, send data, a KeyUpdate, then close
 *         bit 6: the client resumes with the ticket a bit-2 server issues
 *                under this provider (deterministic: see resume_ticket())
 *         bit 7: psk_ke (RFC 8446 §4.2.9): the server allows psk_ke and
 *                psk_dhe_ke, the client psk_ke only (no key share when
 *                it offers a PSK)
 * After every chunk the output is taken, events are drained, pending
 * signatures and verifications are completed, application data is read.
 * Invariants (abort): every fatal alert the engine sends is a named one
 * with a reason; a failed connection has a negative, sticky error with a reason
 * and takes no more bytes; the provider's contexts are used only while
 * live; ASan and UBSan watch the rest.
 *
 * Seeds (selftests/fuzz/corpus/conn/) are complete handshakes recorded
 * between two engines with this provider: build this file with
 * -DCONN_FUZZ_SEEDS and without -fsanitize=fuzzer, run it with the corpus
 * directory as its argument:
 *   scripts/root -- sh -c 'clang -std=gnu17 -D_GNU_SOURCE -Iuapi
 *     -Iagent/include -Iagent/engine -Iagent/x509 -DCONN_FUZZ_SEEDS
 *     -o build/conn_fuzz_seeds selftests/fuzz/conn_fuzz.c agent/engine/\*.c
 *     agent/x509/\*.c && build/conn_fuzz_seeds selftests/fuzz/corpus/conn'
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "ktls.h"

#define FUZZ_ASSERT(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: fuzz invariant: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/* ---- the transparent provider ---- */

struct t_hash {
	enum ktls_hash_alg alg;
	bool live;
};

static int t_hash_init(struct ktls_hash_ctx *ctx, enum ktls_hash_alg alg)
{
	struct t_hash *h = (struct t_hash *)ctx->opaque;

	h->alg = alg;
	h->live = true;
	return 0;
}

static int t_hash_update(struct ktls_hash_ctx *ctx, const uint8_t *data,
			 size_t len)
{
	(void)data;
	(void)len;
	FUZZ_ASSERT(((struct t_hash *)ctx->opaque)->live);
	return 0;
}

static int t_hash_copy(struct ktls_hash_ctx *dst,
		       const struct ktls_hash_ctx *src)
{
	memcpy(dst, src, sizeof(*dst));
	return 0;
}

static int t_hash_final(struct ktls_hash_ctx *ctx, uint8_t *out)
{
	struct t_hash *h = (struct t_hash *)ctx->opaque;

	FUZZ_ASSERT(h->live);
	memset(out, 0, ktls_hash_len(h->alg));
	h->live = false;
	return 0;
}

static void t_hash_free(struct ktls_hash_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
}

static int t_hmac(enum ktls_hash_alg alg, const uint8_t *key, size_t key_len,
		  const uint8_t *data, size_t len, uint8_t *out)
{
	(void)key;
	(void)key_len;
	(void)data;
	(void)len;
	memset(out, 0, ktls_hash_len(alg));
	return 0;
}

static int t_extract(enum ktls_hash_alg alg, const uint8_t *salt,
		     size_t salt_len, const uint8_t *ikm, size_t ikm_len,
		     uint8_t *prk)
{
	return t_hmac(alg, salt, salt_len, ikm, ikm_len, prk);
}

static int t_expand(enum ktls_hash_alg alg, const uint8_t *prk,
		    size_t prk_len, const uint8_t *info, size_t info_len,
		    uint8_t *out, size_t out_len)
{
	(void)alg;
	(void)prk;
	(void)prk_len;
	(void)info;
	(void)info_len;
	memset(out, 0, out_len);
	return 0;
}

static int t_aead_init(struct ktls_aead_ctx *ctx, enum ktls_aead_alg alg,
		       const uint8_t *key, size_t key_len)
{
	(void)ctx;
	(void)alg;
	(void)key;
	(void)key_len;
	return 0;
}

static int t_seal(struct ktls_aead_ctx *ctx, const uint8_t *nonce,
		  const uint8_t *aad, size_t aad_len, const uint8_t *in,
		  size_t len, uint8_t *out)
{
	(void)ctx;
	(void)nonce;
	(void)aad;
	(void)aad_len;
	memmove(out, in, len);
	memset(out + len, 0, KTLS_AEAD_TAG_LEN);
	return 0;
}

static int t_open(struct ktls_aead_ctx *ctx, const uint8_t *nonce,
		  const uint8_t *aad, size_t aad_len, const uint8_t *in,
		  size_t len, uint8_t *out)
{
	(void)ctx;
	(void)nonce;
	(void)aad;
	(void)aad_len;
	FUZZ_ASSERT(len >= KTLS_AEAD_TAG_LEN);
	for (size_t i = len - KTLS_AEAD_TAG_LEN; i < len; i++)
		if (in[i]) {
			memset(out, 0, len - KTLS_AEAD_TAG_LEN);
			return KTLS_ERR_DECRYPT;
		}
	memmove(out, in, len - KTLS_AEAD_TAG_LEN);
	return 0;
}

static void t_aead_free(struct ktls_aead_ctx *ctx)
{
	(void)ctx;
}

/* Share and secret lengths of each group, as TLS encodes them. */
static int group_lens(uint16_t group, bool server, size_t *share,
		      size_t *secret)
{
	switch (group) {
	case KTLS_GROUP_X25519:
		*share = 32;
		*secret = 32;
		return 0;
	case KTLS_GROUP_SECP256R1:
		*share = 65;
		*secret = 32;
		return 0;
	case KTLS_GROUP_SECP384R1:
		*share = 97;
		*secret = 48;
		return 0;
	case KTLS_GROUP_X25519MLKEM768:
		*share = server ? 1088 + 32 : 1184 + 32;
		*secret = 64;
		return 0;
	default:
		return KTLS_ERR_UNSUPPORTED;
	}
}

static int t_keygen(uint16_t group, struct ktls_kx_state *st, uint8_t *share,
		    size_t cap, size_t *share_len)
{
	size_t n, s;

	if (group_lens(group, false, &n, &s) || n > cap)
		return KTLS_ERR_UNSUPPORTED;
	memset(share, 0x04, n);
	*share_len = n;
	memset(st, 0, sizeof(*st));
	st->group = group;
	return 0;
}

static int t_encap(uint16_t group, const uint8_t *peer, size_t peer_len,
		   uint8_t *share, size_t cap, size_t *share_len,
		   uint8_t *secret, size_t *secret_len)
{
	size_t n, s, want;

	(void)peer;
	if (group_lens(group, true, &n, &s) || n > cap)
		return KTLS_ERR_UNSUPPORTED;
	if (group_lens(group, false, &want, &s) || peer_len != want)
		return KTLS_ERR_BAD_KEY_SHARE;
	memset(share, 0x04, n);
	*share_len = n;
	memset(secret, 0x5a, s);
	*secret_len = s;
	return 0;
}

static int t_finish(struct ktls_kx_state *st, const uint8_t *peer,
		    size_t peer_len, uint8_t *secret, size_t *secret_len)
{
	size_t n, s;
	int ret = 0;

	(void)peer;
	if (group_lens(st->group, true, &n, &s) || peer_len != n)
		ret = KTLS_ERR_BAD_KEY_SHARE;
	else
		memset(secret, 0x5a, s);
	*secret_len = ret ? 0 : s;
	memset(st, 0, sizeof(*st));
	return ret;
}

static int t_verify(uint16_t scheme, const uint8_t *spki, size_t spki_len,
		    const uint8_t *msg, size_t msg_len, const uint8_t *sig,
		    size_t sig_len)
{
	(void)scheme;
	(void)spki;
	(void)spki_len;
	(void)msg;
	(void)msg_len;
	return sig_len && sig[0] == 0xff ? KTLS_ERR_BAD_SIGNATURE : 0;
}

static int t_sign(uint16_t scheme, const uint8_t *priv, size_t priv_len,
		  const uint8_t *msg, size_t msg_len, uint8_t *sig, size_t cap,
		  size_t *sig_len)
{
	(void)scheme;
	(void)priv;
	(void)priv_len;
	(void)msg;
	(void)msg_len;
	if (cap < 8)
		return KTLS_ERR_BUFFER;
	memset(sig, 0x30, 8);
	*sig_len = 8;
	return 0;
}

static int t_keygen_sig(uint16_t scheme, uint8_t *priv, size_t priv_cap,
			size_t *priv_len, uint8_t *spki, size_t spki_cap,
			size_t *spki_len)
{
	(void)scheme;
	(void)priv;
	(void)priv_cap;
	(void)priv_len;
	(void)spki;
	(void)spki_cap;
	(void)spki_len;
	return KTLS_ERR_UNSUPPORTED;
}

static int t_random(uint8_t *out, size_t len)
{
	memset(out, 0, len);
	return 0;
}

static const struct ktls_crypto_provider transparent = {
	.name = "transparent (fuzzing only)",
	.hash_init = t_hash_init,
	.hash_update = t_hash_update,
	.hash_copy = t_hash_copy,
	.hash_final = t_hash_final,
	.hash_free = t_hash_free,
	.hmac = t_hmac,
	.hkdf_extract = t_extract,
	.hkdf_expand = t_expand,
	.aead_init = t_aead_init,
	.aead_seal = t_seal,
	.aead_open = t_open,
	.aead_free = t_aead_free,
	.kx_keygen = t_keygen,
	.kx_encap = t_encap,
	.kx_finish = t_finish,
	.sig_verify = t_verify,
	.sig_sign = t_sign,
	.sig_keygen = t_keygen_sig,
	.random = t_random,
};

/* ---- configurations ---- */

/*
 * A certificate of the shape cert_spki.c walks: TBS { [0]{INT 2}, INT 1,
 * SEQ{}, SEQ{}, SEQ{}, SEQ{}, SPKI (P-256) }, SEQ{}, BIT STRING{0}.
 */
static const uint8_t cert[] = {
	0x30, 0x68, 0x30, 0x61, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01,
	0x01, 0x30, 0x00, 0x30, 0x00, 0x30, 0x00, 0x30, 0x00,
	0x30, 0x4f, 0x30, 0x09, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d,
	0x02, 0x01, 0x03, 0x42, 0x00, 0x04,
	/* 64 bytes of point */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0x30, 0x00, 0x03, 0x01, 0x00,
};
static const uint8_t priv[32] = { 1 };
static const struct ktls_ticket_key tkey = { .id = { 1, 2, 3, 4 } };

/*
 * With zero randomness and the identity AEAD, the ticket the server
 * issues after a full handshake is this one: key id || zero nonce ||
 * (TLS_AES_128_GCM_SHA256, 32, a PSK of zeros) || zero tag.
 */
static void resume_ticket(struct ktls_ticket *t)
{
	memset(t, 0, sizeof(*t));
	t->suite = KTLS_TLS_AES_128_GCM_SHA256;
	t->lifetime = 7200;
	t->len = 4 + 12 + 3 + 32 + KTLS_AEAD_TAG_LEN;
	memcpy(t->ticket, tkey.id, 4);
	t->ticket[16] = 0x13;
	t->ticket[17] = 0x01;
	t->ticket[18] = 32;
	t->psk_len = 32;
}

static int accept_all(void *arg, const struct ktls_chain *chain,
		      const char *host, const char **reason)
{
	(void)arg;
	(void)host;
	*reason = "fuzz verifier";
	return chain->n ? 0 : 42;
}

/* bit 3: an OCSPResponse-shaped staple and two DistinguishedNames */
static const uint8_t staple[] = { 0x30, 0x03, 0x0a, 0x01, 0x00 };
static const uint8_t dn1[] = { 0x30, 0x0f, 0x31, 0x0d, 0x30, 0x0b, 0x06,
			       0x03, 0x55, 0x04, 0x03, 0x0c, 0x04, 'f', 'u',
			       'z', 'z' };
static const uint8_t dn2[] = { 0x30, 0x00 };
static const struct ktls_dn ca_names[2] = {
	{ dn1, sizeof(dn1) }, { dn2, sizeof(dn2) },
};

static void make_config(struct ktls_config *cfg, uint8_t flags, bool server)
{
	ktls_config_init(cfg, server ? KTLS_ROLE_SERVER : KTLS_ROLE_CLIENT,
			 &transparent);
	cfg->verifier.verify = accept_all;
	if (server || flags & 2) {
		cfg->chain_der[0] = cert;
		cfg->chain_len[0] = sizeof(cert);
		cfg->chain_n = 1;
		cfg->key_scheme = KTLS_SIG_ECDSA_SECP256R1_SHA256;
		cfg->key = priv;
		cfg->key_len = sizeof(priv);
	}
	if (server) {
		cfg->request_client_cert = flags & 2;
		if (flags & 4) {
			cfg->ticket_keys = &tkey;
			cfg->n_ticket_keys = 1;
		}
	} else {
		cfg->server_name = "fuzz.test";
	}
	if (flags & 8) {
		cfg->alpn[0] = "h2";
		cfg->alpn[1] = "http/1.1";
		cfg->n_alpn = 2;
		cfg->request_ocsp = true;
		cfg->ocsp_staple = staple;
		cfg->ocsp_staple_len = sizeof(staple);
		cfg->ca_names = ca_names;
		cfg->n_ca_names = 2;
	}
	if (flags & 16)
		cfg->record_size_limit = 64;
	if (flags & 128)
		cfg->psk_modes = server ? KTLS_PSK_KE | KTLS_PSK_DHE_KE :
			KTLS_PSK_KE;
}

/* Take output, events, pending operations, application data. */
static void service(struct ktls_conn *c, bool *done)
{
	static uint8_t buf[16384];
	static const uint8_t sig[8] = { 0x30, 0x30, 0x30, 0x30,
					0x30, 0x30, 0x30, 0x30 };
	struct ktls_event ev;
	const uint8_t *p;
	size_t len;

	while (ktls_conn_next_event(c, &ev)) {
		switch (ev.type) {
		case KTLS_EV_HANDSHAKE_DONE:
			*done = true;
			break;
		case KTLS_EV_ALERT_SENT:
			if (!ev.u.alert.alert)
				break;	/* close_notify */
			FUZZ_ASSERT(strcmp(ktls_alert_name(ev.u.alert.alert),
					   "unknown_alert"));
			FUZZ_ASSERT(ev.u.alert.reason != NULL);
			break;
		case KTLS_EV_PENDING_SIGN:
			(void)ktls_conn_sign_done(c, 0, sig, sizeof(sig));
			break;
		case KTLS_EV_PENDING_VERIFY:
			(void)ktls_conn_verify_done(c, 0);
			break;
		default:
			break;
		}
	}
	while (ktls_conn_recv(c, buf, sizeof(buf)))
		;
	while ((p = ktls_conn_out(c, &len)) != NULL)
		ktls_conn_out_ack(c, len);
}

static _Alignas(16) uint8_t mem[KTLS_CONN_SIZE];

/* Returns whether the handshake completed without a failure. */
static bool run(const uint8_t *data, size_t size)
{
	static struct ktls_config cfg;
	struct ktls_conn *c;
	uint8_t flags;
	bool done = false, extra = false;

	if (!size)
		return false;
	flags = data[0];
	data++;
	size--;
	make_config(&cfg, flags, flags & 1);
	if (!(flags & 1) && flags & 64) {
		struct ktls_ticket t;

		resume_ticket(&t);
		c = ktls_conn_init_resume(mem, sizeof(mem), &cfg, &t);
	} else {
		c = ktls_conn_init(mem, sizeof(mem), &cfg);
	}
	FUZZ_ASSERT(c != NULL);
	service(c, &done);
	while (size >= 2) {
		size_t n = (size_t)data[0] << 8 | data[1], off = 0;

		data += 2;
		size -= 2;
		if (n > size)
			n = size;
		for (int guard = 0; off < n && guard < 64; guard++) {
			if (ktls_conn_error(c) || ktls_conn_closed(c))
				break;
			off += ktls_conn_feed(c, data + off, n - off);
			service(c, &done);
		}
		data += n;
		size -= n;
		if (ktls_conn_error(c)) {
			const char *why = NULL;
			int a = ktls_conn_alert(c, &why);

			FUZZ_ASSERT(ktls_conn_error(c) < 0);
			FUZZ_ASSERT(why != NULL);
			FUZZ_ASSERT(a >= 0 && a < 256);
			FUZZ_ASSERT(ktls_conn_error(c) < 0);
			/* sticky: nothing more is taken */
			FUZZ_ASSERT(ktls_conn_feed(c, data, size) == 0);
			break;
		}
		if (done && flags & 32 && !extra) {
			extra = true;
			(void)ktls_conn_send(c, (const uint8_t *)"fuzz", 4);
			(void)ktls_conn_key_update(c, true);
			service(c, &done);
		}
	}
	if (done && !ktls_conn_error(c))
		FUZZ_ASSERT(ktls_conn_handshake_done(c));
	done = done && !ktls_conn_error(c);
	(void)ktls_conn_close(c);
	service(c, &done);
	ktls_conn_wipe(c);
	return done;
}

#ifndef CONN_FUZZ_SEEDS
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)run(data, size);
	return 0;
}
#else
/* Record a handshake between two engines: each side's input stream. */
static _Alignas(16) uint8_t mem2[KTLS_CONN_SIZE];

struct rec {
	uint8_t buf[65536];
	size_t len;
};

static void move(struct ktls_conn *from, struct ktls_conn *to, struct rec *r)
{
	const uint8_t *p;
	size_t len;

	while ((p = ktls_conn_out(from, &len)) != NULL) {
		size_t used = ktls_conn_feed(to, p, len);

		if (r->len + 2 + used <= sizeof(r->buf) && used) {
			r->buf[r->len++] = (uint8_t)(used >> 8);
			r->buf[r->len++] = (uint8_t)used;
			memcpy(r->buf + r->len, p, used);
			r->len += used;
		}
		ktls_conn_out_ack(from, used);
		if (!used)
			break;
	}
}

static bool was_resumed;

static void drain(struct ktls_conn *c)
{
	struct ktls_event ev;
	static uint8_t buf[16384];

	while (ktls_conn_next_event(c, &ev))
		if (ev.type == KTLS_EV_HANDSHAKE_DONE)
			was_resumed = ev.u.done.resumed;
	while (ktls_conn_recv(c, buf, sizeof(buf)))
		;
}

/* Write the seed, and check that replaying it completes the handshake. */
static bool resumed(struct ktls_conn *c)
{
	(void)c;
	return was_resumed;
}

static void write_seed(const char *dir, const char *name, uint8_t flags,
		       const struct rec *r)
{
	static uint8_t seed[1 + sizeof(r->buf)];
	char path[512];
	FILE *f;

	seed[0] = flags;
	memcpy(seed + 1, r->buf, r->len);
	if (!run(seed, 1 + r->len)) {
		fprintf(stderr, "%s does not replay to a handshake\n", name);
		exit(1);
	}

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		exit(1);
	fputc(flags, f);
	fwrite(r->buf, 1, r->len, f);
	fclose(f);
}

int main(int argc, char **argv)
{
	static const uint8_t variants[] = { 0, 2, 4, 8, 16, 32, 4 | 8 | 32,
					    4 | 64, 4 | 32 | 64,
					    4 | 64 | 128, 2 | 8 };
	static struct ktls_config ccfg, scfg;
	static struct rec to_client, to_server;

	if (argc != 2)
		return 2;
	for (size_t v = 0; v < sizeof(variants); v++) {
		uint8_t fl = variants[v];
		struct ktls_conn *c, *s;
		char name[64];

		make_config(&ccfg, fl, false);
		make_config(&scfg, fl, true);
		if (fl & 64) {
			struct ktls_ticket t;

			resume_ticket(&t);
			c = ktls_conn_init_resume(mem, sizeof(mem), &ccfg, &t);
		} else {
			c = ktls_conn_init(mem, sizeof(mem), &ccfg);
		}
		s = ktls_conn_init(mem2, sizeof(mem2), &scfg);
		if (!c || !s)
			return 1;
		to_client.len = to_server.len = 0;
		for (int i = 0; i < 20; i++) {
			move(c, s, &to_server);
			drain(s);
			move(s, c, &to_client);
			drain(c);
		}
		if (!ktls_conn_handshake_done(c) ||
		    !ktls_conn_handshake_done(s) ||
		    !(fl & 64) != !resumed(c)) {
			const char *cw = NULL, *sw = NULL;
			int ca = ktls_conn_alert(c, &cw);
			int sa = ktls_conn_alert(s, &sw);

			fprintf(stderr, "variant %u did not complete: client "
				"%d %s, server %d %s\n", fl, ca,
				cw ? cw : "-", sa, sw ? sw : "-");
			return 1;
		}
		snprintf(name, sizeof(name), "client-%02x", fl);
		write_seed(argv[1], name, fl, &to_client);
		snprintf(name, sizeof(name), "server-%02x", fl | 1);
		write_seed(argv[1], name, fl | 1, &to_server);
		ktls_conn_wipe(c);
		ktls_conn_wipe(s);
	}
	return 0;
}
#endif
