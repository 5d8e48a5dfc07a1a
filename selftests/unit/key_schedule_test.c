// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The key schedule against a second provider: a table built here that
 * forwards to wolfCrypt but counts calls and can be told to fail the Nth
 * HKDF or HMAC call.  Shows that the engine runs on whatever table it is
 * handed, and that every failure leaves no stage live and no secret behind
 * (outputs and consumed stages are zeroed).
 */
#include <stdint.h>
#include <string.h>

#include "crypto.h"
#include "hex.h"
#include "key_schedule.h"
#include "ktls_providers.h"
#include "tap.h"

static const struct ktls_crypto_provider *wolf = &ktls_provider_wolfcrypt;

/* Test-only state of the faulty provider (a test program, not the engine). */
static int calls, fail_at;

static int should_fail(void)
{
	return ++calls == fail_at;
}

static int f_hkdf_extract(enum ktls_hash_alg alg, const uint8_t *salt,
			  size_t salt_len, const uint8_t *ikm, size_t ikm_len,
			  uint8_t *prk)
{
	if (should_fail()) {
		memset(prk, 0, ktls_hash_len(alg));
		return KTLS_ERR_CRYPTO;
	}
	return wolf->hkdf_extract(alg, salt, salt_len, ikm, ikm_len, prk);
}

static int f_hkdf_expand(enum ktls_hash_alg alg, const uint8_t *prk,
			 size_t prk_len, const uint8_t *info, size_t info_len,
			 uint8_t *out, size_t out_len)
{
	if (should_fail()) {
		memset(out, 0, out_len);
		return KTLS_ERR_CRYPTO;
	}
	return wolf->hkdf_expand(alg, prk, prk_len, info, info_len, out,
				 out_len);
}

static int f_hmac(enum ktls_hash_alg alg, const uint8_t *key, size_t key_len,
		  const uint8_t *data, size_t len, uint8_t *out)
{
	if (should_fail()) {
		memset(out, 0, ktls_hash_len(alg));
		return KTLS_ERR_CRYPTO;
	}
	return wolf->hmac(alg, key, key_len, data, len, out);
}

static struct ktls_crypto_provider faulty(void)
{
	struct ktls_crypto_provider p = *wolf;

	p.name = "faulty";
	p.hkdf_extract = f_hkdf_extract;
	p.hkdf_expand = f_hkdf_expand;
	p.hmac = f_hmac;
	return p;
}

static int all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= b[i];
	return !acc;
}

struct run {
	uint8_t c_hs[48], s_hs[48], c_ap[48], s_ap[48], exp[48], res[48];
	uint8_t fin[48], key[32], iv[12], next[48];
};

/*
 * A whole 1-RTT schedule for TLS_AES_256_GCM_SHA384; returns the first
 * error and checks on the way that a failed step left nothing behind.
 */
static int schedule(const struct ktls_crypto_provider *p, struct run *r,
		    int *tap_failed)
{
	const struct ktls_suite *suite = ktls_suite_by_id(0x1302);
	static const uint8_t shared[32] = { 1, 2, 3 };
	uint8_t th[48] = { 9 };
	struct ktls_ks_early e;
	struct ktls_ks_handshake h;
	struct ktls_ks_master m;
	int ret;

	memset(r, 0, sizeof(*r));
	ret = ktls_ks_early_init(&e, p, suite->hash, NULL, 0);
	if (ret) {
		TAP_CHECK(all_zero(&e, sizeof(e)));
		return ret;
	}
	ret = ktls_ks_handshake_init(&h, &e, shared, sizeof(shared));
	TAP_CHECK(all_zero(&e, sizeof(e)));	/* consumed either way */
	if (ret) {
		TAP_CHECK(all_zero(&h, sizeof(h)));
		return ret;
	}
	ret = ktls_ks_handshake_traffic(&h, th, r->c_hs, r->s_hs);
	if (ret) {
		TAP_CHECK(all_zero(r->c_hs, 48) && all_zero(r->s_hs, 48));
		ktls_ks_handshake_wipe(&h);
		return ret;
	}
	ret = ktls_finished_verify_data(p, suite->hash, r->s_hs, th, r->fin);
	if (ret) {
		TAP_CHECK(all_zero(r->fin, 48));
		ktls_ks_handshake_wipe(&h);
		return ret;
	}
	ret = ktls_traffic_keys(p, suite, r->s_hs, r->key, r->iv);
	if (ret) {
		TAP_CHECK(all_zero(r->key, 32) && all_zero(r->iv, 12));
		ktls_ks_handshake_wipe(&h);
		return ret;
	}
	ret = ktls_ks_master_init(&m, &h);
	TAP_CHECK(all_zero(&h, sizeof(h)));
	if (ret) {
		TAP_CHECK(all_zero(&m, sizeof(m)));
		return ret;
	}
	ret = ktls_ks_app_traffic(&m, th, r->c_ap, r->s_ap);
	if (!ret)
		ret = ktls_ks_exporter(&m, th, r->exp);
	if (!ret)
		ret = ktls_ks_resumption(&m, th, r->res);
	if (!ret)
		ret = ktls_next_traffic_secret(p, suite->hash, r->c_ap,
					       r->next);
	if (ret)
		TAP_CHECK(all_zero(r->c_ap, 48) || all_zero(r->s_ap, 48) ||
			  all_zero(r->exp, 48) || all_zero(r->res, 48) ||
			  all_zero(r->next, 48));
	ktls_ks_master_wipe(&m);
	TAP_CHECK(all_zero(&m, sizeof(m)));
	return ret;
}

TAP_TEST(second_provider_same_result)
{
	struct ktls_crypto_provider p = faulty();
	struct run a, b;

	TAP_CHECK_EQ(ktls_crypto_provider_check(&p), 0);
	calls = 0;
	fail_at = 0;
	TAP_CHECK_EQ(schedule(wolf, &a, tap_failed), 0);
	TAP_CHECK_EQ(calls, 0);
	TAP_CHECK_EQ(schedule(&p, &b, tap_failed), 0);
	TAP_CHECK(calls > 10);		/* every HKDF went through the table */
	TAP_CHECK_MEM(&a, &b, sizeof(a));
	TAP_CHECK(!all_zero(a.res, 48));
}

TAP_TEST(every_failure_wipes)
{
	struct ktls_crypto_provider p = faulty();
	int total, n;
	struct run r;

	calls = 0;
	fail_at = 0;
	TAP_CHECK_EQ(schedule(&p, &r, tap_failed), 0);
	total = calls;
	for (n = 1; n <= total; n++) {
		calls = 0;
		fail_at = n;
		TAP_CHECK_EQ(schedule(&p, &r, tap_failed), KTLS_ERR_CRYPTO);
	}
	printf("# %d provider calls, each failed once\n", total);
	fail_at = 0;
}

TAP_TEST(stage_misuse)
{
	struct ktls_ks_early e;
	struct ktls_ks_handshake h;
	struct ktls_ks_master m;
	uint8_t out[48], th[48] = { 0 };

	/* unknown hash */
	TAP_CHECK_EQ(ktls_ks_early_init(&e, wolf, 7, NULL, 0),
		     KTLS_ERR_UNSUPPORTED);
	TAP_CHECK_EQ(ktls_ks_client_early_traffic(&e, th, out),
		     KTLS_ERR_STATE);
	/* a zeroed stage is not live */
	memset(&h, 0, sizeof(h));
	TAP_CHECK_EQ(ktls_ks_handshake_traffic(&h, th, out, NULL),
		     KTLS_ERR_STATE);
	TAP_CHECK_EQ(ktls_ks_master_init(&m, &h), KTLS_ERR_STATE);
	TAP_CHECK_EQ(ktls_ks_app_traffic(&m, th, out, out), KTLS_ERR_STATE);
	/* no (EC)DHE input */
	TAP_CHECK_EQ(ktls_ks_early_init(&e, wolf, KTLS_HASH_SHA256, NULL, 0),
		     0);
	TAP_CHECK_EQ(ktls_ks_handshake_init(&h, &e, NULL, 0),
		     KTLS_ERR_INVALID);
	TAP_CHECK_EQ(e.s.live, 0);
	/* a handshake stage can be entered only once from an early one */
	TAP_CHECK_EQ(ktls_ks_handshake_init(&h, &e, th, 32), KTLS_ERR_STATE);
	/* HkdfLabel limits: label <= 255 - 6, context <= 255 */
	TAP_CHECK_EQ(ktls_hkdf_expand_label(wolf, KTLS_HASH_SHA256, th, "x",
					    th, 256, out, 32),
		     KTLS_ERR_INVALID);
}

/* §7.5 exporter: deterministic, label- and context-sensitive. */
TAP_TEST(exporter)
{
	uint8_t secret[32] = { 42 }, a[32], b[32], c[32], d[32];

	TAP_CHECK_EQ(ktls_export(wolf, KTLS_HASH_SHA256, secret, "EXPORTER-x",
				 (const uint8_t *)"ctx", 3, a, 32), 0);
	TAP_CHECK_EQ(ktls_export(wolf, KTLS_HASH_SHA256, secret, "EXPORTER-x",
				 (const uint8_t *)"ctx", 3, b, 32), 0);
	TAP_CHECK_MEM(a, b, 32);
	TAP_CHECK_EQ(ktls_export(wolf, KTLS_HASH_SHA256, secret, "EXPORTER-y",
				 (const uint8_t *)"ctx", 3, c, 32), 0);
	TAP_CHECK(memcmp(a, c, 32) != 0);
	TAP_CHECK_EQ(ktls_export(wolf, KTLS_HASH_SHA256, secret, "EXPORTER-x",
				 NULL, 0, d, 32), 0);
	TAP_CHECK(memcmp(a, d, 32) != 0);
}

/* §5.3 per-record nonce */
TAP_TEST(record_nonce)
{
	static const uint8_t iv[12] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
	uint8_t n[12];

	ktls_record_nonce(iv, 0, n);
	TAP_CHECK_MEM(n, iv, 12);
	ktls_record_nonce(iv, 5, n);
	TAP_CHECK_MEM(n, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0e",
		      12);
	ktls_record_nonce(iv, 0x0102030405060708ull, n);
	TAP_CHECK_MEM(n, "\x00\x01\x02\x03\x05\x07\x05\x03\x0d\x0f\x0d\x03",
		      12);
}

/*
 * TLS_AES_256_GCM_SHA384 (RFC 8448 has only SHA-256 traces): the values of
 * "The Illustrated TLS 1.3 Connection" (tls13.xargs.org), x25519 with
 * client private key 20..3f; its hello hash is taken as given.  Checks the
 * SHA-384 schedule, 32-byte keys, and the wrapped EncryptedExtensions
 * record under AES-256-GCM.
 */
TAP_TEST(illustrated_tls13_sha384)
{
	const struct ktls_suite *suite = ktls_suite_by_id(0x1302);
	struct ktls_kx_state st = { .group = KTLS_GROUP_X25519,
				    .priv_len = 32 };
	uint8_t peer[32], ecdhe[KTLS_KX_MAX_SECRET], hello[48], c[48], s[48];
	uint8_t key[32], iv[12], nonce[12], rec[28], pt[16], want[48];
	struct ktls_ks_early e;
	struct ktls_ks_handshake h;
	struct ktls_aead_ctx ctx;
	size_t len = 0;

	for (int i = 0; i < 32; i++)
		st.priv[i] = (uint8_t)(0x20 + i);
	unhex("9fd7ad6dcff4298dd3f96d5b1b2af910a0535b1488d7f8fabb349a982880b615",
	      peer, sizeof(peer));
	TAP_CHECK_EQ(ktls_kx_finish(wolf, &st, peer, 32, ecdhe, &len), 0);
	unhex("df4a291baa1eb7cfa6934b29b474baad2697e29f1f920dcc77c8a0a088447624",
	      want, 32);
	TAP_CHECK_MEM(ecdhe, want, 32);

	unhex("e05f64fcd082bdb0dce473adf669c2769f257a1c75a51b78"
	      "87468b5e0e7a7de4f4d34555112077f16e079019d5a845bd", hello, 48);
	TAP_CHECK_EQ(ktls_ks_early_init(&e, wolf, KTLS_HASH_SHA384, NULL, 0),
		     0);
	TAP_CHECK_EQ(ktls_ks_handshake_init(&h, &e, want, 32), 0);
	unhex("bdbbe8757494bef20de932598294ea65b5e6bf6dc5c02a96"
	      "0a2de2eaa9b07c929078d2caa0936231c38d1725f179d299", want, 48);
	TAP_CHECK_MEM(h.s.secret, want, 48);
	TAP_CHECK_EQ(ktls_ks_handshake_traffic(&h, hello, c, s), 0);
	unhex("db89d2d6df0e84fed74a2288f8fd4d0959f790ff23946cdf"
	      "4c26d85e51bebd42ae184501972f8d30c4a3e4a3693d0ef0", want, 48);
	TAP_CHECK_MEM(c, want, 48);
	unhex("23323da031634b241dd37d61032b62a4f450584d1f7f4798"
	      "3ba2f7cc0cdcc39a68f481f2b019f9403a3051908a5d1622", want, 48);
	TAP_CHECK_MEM(s, want, 48);
	ktls_ks_handshake_wipe(&h);

	TAP_CHECK_EQ(ktls_traffic_keys(wolf, suite, c, key, iv), 0);
	unhex("1135b4826a9a70257e5a391ad93093dfd7c4214812f493b3e3daae1eb2b1ac69",
	      want, 32);
	TAP_CHECK_MEM(key, want, 32);
	unhex("4256d2e0e88babdd05eb2f27", want, 12);
	TAP_CHECK_MEM(iv, want, 12);
	TAP_CHECK_EQ(ktls_traffic_keys(wolf, suite, s, key, iv), 0);
	unhex("9f13575ce3f8cfc1df64a77ceaffe89700b492ad31b4fab01c4792be1b266b7f",
	      want, 32);
	TAP_CHECK_MEM(key, want, 32);
	unhex("9563bc8b590f671f488d2da3", want, 12);
	TAP_CHECK_MEM(iv, want, 12);

	/* the server's first wrapped record: EncryptedExtensions, empty */
	unhex("17030300176be02f9da7c2dc9ddef56f2468b90adfa25101ab0344ae", rec,
	      sizeof(rec));
	ktls_record_nonce(iv, 0, nonce);
	TAP_CHECK_EQ(ktls_aead_init(wolf, &ctx, suite->aead, key, 32), 0);
	TAP_CHECK_EQ(ktls_aead_open(wolf, &ctx, nonce, rec, 5, rec + 5, 23,
				    pt), 0);
	TAP_CHECK_MEM(pt, "\x08\x00\x00\x02\x00\x00\x16", 7);
	ktls_aead_free(wolf, &ctx);
}

int main(void)
{
	return tap_run();
}
