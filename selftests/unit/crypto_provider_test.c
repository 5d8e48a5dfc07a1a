// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The wolfCrypt provider through the provider interface: hash/HMAC/HKDF
 * known answers (FIPS 180, RFC 4231, RFC 5869), AEAD known answers where a
 * published vector is at hand plus seal/open round trips and tamper
 * rejection for every suite, key exchange round trips for every group
 * (client keygen -> server encap -> client finish) and bad shares,
 * signatures (RFC 8032 Ed25519 vector; ECDSA sign/verify round trips) and
 * random.
 */
#include <stdint.h>
#include <string.h>

#include "crypto.h"
#include "hex.h"
#include "ktls_providers.h"
#include "tap.h"

static const struct ktls_crypto_provider *cp = &ktls_provider_wolfcrypt;

static int same(const uint8_t *got, const char *hex, size_t len)
{
	uint8_t want[256];

	if (unhex(hex, want, sizeof(want)) != len)
		return 0;
	return !memcmp(got, want, len);
}

static int all_zero(const uint8_t *b, size_t n)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= b[i];
	return !acc;
}

TAP_TEST(provider_complete)
{
	TAP_CHECK_EQ(ktls_crypto_provider_check(cp), 0);
	TAP_CHECK_EQ(ktls_crypto_provider_check(NULL), KTLS_ERR_INVALID);
	TAP_CHECK(ktls_suite_by_id(0x1305) == NULL);
	TAP_CHECK_EQ(ktls_suite_by_id(0x1302)->hash, KTLS_HASH_SHA384);
	TAP_CHECK_EQ(ktls_suite_by_id(0x1302)->key_len, 32);
}

/* FIPS 180-2 "abc" */
TAP_TEST(hash_abc_and_snapshot)
{
	struct ktls_hash_ctx a, b;
	uint8_t out[48], snap[48];

	TAP_CHECK_EQ(ktls_hash(cp, KTLS_HASH_SHA256, (const uint8_t *)"abc", 3,
			       out), 0);
	TAP_CHECK(same(out, "ba7816bf8f01cfea414140de5dae2223"
			    "b00361a396177a9cb410ff61f20015ad", 32));
	TAP_CHECK_EQ(ktls_hash(cp, KTLS_HASH_SHA384, (const uint8_t *)"abc", 3,
			       out), 0);
	TAP_CHECK(same(out, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163"
			    "1a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
		       48));

	/* snapshot "ab", then both go on with "c" */
	TAP_CHECK_EQ(ktls_hash_init(cp, &a, KTLS_HASH_SHA384), 0);
	TAP_CHECK_EQ(ktls_hash_update(cp, &a, (const uint8_t *)"ab", 2), 0);
	TAP_CHECK_EQ(ktls_hash_copy(cp, &b, &a), 0);
	TAP_CHECK_EQ(ktls_hash_snapshot(cp, &a, snap), 0);
	TAP_CHECK_EQ(ktls_hash_update(cp, &a, (const uint8_t *)"c", 1), 0);
	TAP_CHECK_EQ(ktls_hash_update(cp, &b, (const uint8_t *)"c", 1), 0);
	TAP_CHECK_EQ(ktls_hash_final(cp, &a, out), 0);
	TAP_CHECK(same(out, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163"
			    "1a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
		       48));
	TAP_CHECK_EQ(ktls_hash_final(cp, &b, out), 0);
	TAP_CHECK(same(out, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163"
			    "1a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
		       48));
	TAP_CHECK(memcmp(snap, out, 48) != 0);
	/* a finalised context refuses further use */
	TAP_CHECK_EQ(ktls_hash_update(cp, &a, (const uint8_t *)"c", 1),
		     KTLS_ERR_STATE);
	ktls_hash_free(cp, &a);
	ktls_hash_free(cp, &b);
}

/* RFC 4231 test case 2 */
TAP_TEST(hmac_rfc4231)
{
	static const char data[] = "what do ya want for nothing?";
	uint8_t out[48];

	TAP_CHECK_EQ(ktls_hmac(cp, KTLS_HASH_SHA256, (const uint8_t *)"Jefe", 4,
			       (const uint8_t *)data, sizeof(data) - 1, out),
		     0);
	TAP_CHECK(same(out, "5bdcc146bf60754e6a042426089575c7"
			    "5a003f089d2739839dec58b964ec3843", 32));
	TAP_CHECK_EQ(ktls_hmac(cp, KTLS_HASH_SHA384, (const uint8_t *)"Jefe", 4,
			       (const uint8_t *)data, sizeof(data) - 1, out),
		     0);
	TAP_CHECK(same(out, "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47"
			    "e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
		       48));
}

/* RFC 5869 test case 1 */
TAP_TEST(hkdf_rfc5869)
{
	uint8_t ikm[22], salt[13], info[10], prk[32], okm[42];

	memset(ikm, 0x0b, sizeof(ikm));
	for (int i = 0; i < 13; i++)
		salt[i] = (uint8_t)i;
	for (int i = 0; i < 10; i++)
		info[i] = (uint8_t)(0xf0 + i);
	TAP_CHECK_EQ(ktls_hkdf_extract(cp, KTLS_HASH_SHA256, salt, sizeof(salt),
				       ikm, sizeof(ikm), prk), 0);
	TAP_CHECK(same(prk, "077709362c2e32df0ddc3f0dc47bba63"
			    "90b6c73bb50f9c3122ec844ad7c2b3e5", 32));
	TAP_CHECK_EQ(ktls_hkdf_expand(cp, KTLS_HASH_SHA256, prk, sizeof(prk),
				      info, sizeof(info), okm, sizeof(okm)), 0);
	TAP_CHECK(same(okm, "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c"
			    "5db02d56ecc4c5bf34007208d5b887185865", 42));
	TAP_CHECK_EQ(ktls_hkdf_expand(cp, KTLS_HASH_SHA256, prk, sizeof(prk),
				      info, sizeof(info), okm, 255 * 32 + 1),
		     KTLS_ERR_INVALID);
}

static const enum ktls_aead_alg aeads[] = {
	KTLS_AEAD_AES_128_GCM, KTLS_AEAD_AES_256_GCM,
	KTLS_AEAD_CHACHA20_POLY1305, KTLS_AEAD_AES_128_CCM,
};
static const size_t aead_key_len[] = { 16, 32, 32, 16 };

/* Seal, open, then every tamper is rejected and leaves no plaintext. */
TAP_TEST(aead_round_trip_and_tamper)
{
	for (size_t a = 0; a < sizeof(aeads) / sizeof(aeads[0]); a++) {
		struct ktls_aead_ctx ctx;
		uint8_t key[32], nonce[12], aad[5] = { 23, 3, 3, 0, 0 };
		uint8_t pt[100], ct[100 + 16], out[100 + 16];
		const size_t n = sizeof(pt), cn = sizeof(ct);

		printf("# aead %d\n", (int)aeads[a]);
		for (size_t i = 0; i < sizeof(key); i++)
			key[i] = (uint8_t)(i * 7 + a);
		memset(nonce, 0x5a, sizeof(nonce));
		for (size_t i = 0; i < n; i++)
			pt[i] = (uint8_t)i;
		TAP_CHECK_EQ(ktls_aead_init(cp, &ctx, aeads[a], key,
					    aead_key_len[a] + 1),
			     KTLS_ERR_INVALID);
		TAP_CHECK_EQ(ktls_aead_init(cp, &ctx, aeads[a], key,
					    aead_key_len[a]), 0);
		TAP_CHECK_EQ(ktls_aead_seal(cp, &ctx, nonce, aad, 5, pt, n, ct),
			     0);
		TAP_CHECK(memcmp(ct, pt, n) != 0);
		TAP_CHECK_EQ(ktls_aead_open(cp, &ctx, nonce, aad, 5, ct, cn,
					    out), 0);
		TAP_CHECK_MEM(out, pt, n);

		/* in place */
		memcpy(out, pt, n);
		TAP_CHECK_EQ(ktls_aead_seal(cp, &ctx, nonce, aad, 5, out, n,
					    out), 0);
		TAP_CHECK_MEM(out, ct, cn);
		TAP_CHECK_EQ(ktls_aead_open(cp, &ctx, nonce, aad, 5, out, cn,
					    out), 0);
		TAP_CHECK_MEM(out, pt, n);

		/* tag, ciphertext, AAD, nonce each flipped */
		ct[cn - 1] ^= 0x80;
		memset(out, 0xee, sizeof(out));
		TAP_CHECK_EQ(ktls_aead_open(cp, &ctx, nonce, aad, 5, ct, cn,
					    out), KTLS_ERR_DECRYPT);
		TAP_CHECK(all_zero(out, n));
		ct[cn - 1] ^= 0x80;
		ct[3] ^= 1;
		TAP_CHECK_EQ(ktls_aead_open(cp, &ctx, nonce, aad, 5, ct, cn,
					    out), KTLS_ERR_DECRYPT);
		TAP_CHECK(all_zero(out, n));
		ct[3] ^= 1;
		aad[4] ^= 1;
		TAP_CHECK_EQ(ktls_aead_open(cp, &ctx, nonce, aad, 5, ct, cn,
					    out), KTLS_ERR_DECRYPT);
		aad[4] ^= 1;
		nonce[11] ^= 1;
		TAP_CHECK_EQ(ktls_aead_open(cp, &ctx, nonce, aad, 5, ct, cn,
					    out), KTLS_ERR_DECRYPT);
		nonce[11] ^= 1;
		/* shorter than a tag */
		TAP_CHECK_EQ(ktls_aead_open(cp, &ctx, nonce, aad, 5, ct, 15,
					    out), KTLS_ERR_DECRYPT);
		/* untouched again: opens */
		TAP_CHECK_EQ(ktls_aead_open(cp, &ctx, nonce, aad, 5, ct, cn,
					    out), 0);
		/* empty plaintext */
		TAP_CHECK_EQ(ktls_aead_seal(cp, &ctx, nonce, aad, 5, pt, 0,
					    out), 0);
		TAP_CHECK_EQ(ktls_aead_open(cp, &ctx, nonce, aad, 5, out, 16,
					    pt + 50), 0);
		ktls_aead_free(cp, &ctx);
		TAP_CHECK(all_zero(ctx.opaque, sizeof(ctx.opaque)));
		TAP_CHECK_EQ(ktls_aead_seal(cp, &ctx, nonce, aad, 5, pt, n, ct),
			     KTLS_ERR_STATE);
	}
}

/* GCM specification (McGrew/Viega) test cases 13 and 14, AES-256. */
TAP_TEST(aead_aes256gcm_kat)
{
	struct ktls_aead_ctx ctx;
	uint8_t key[32] = { 0 }, nonce[12] = { 0 }, pt[16] = { 0 }, out[32];

	TAP_CHECK_EQ(ktls_aead_init(cp, &ctx, KTLS_AEAD_AES_256_GCM, key, 32),
		     0);
	TAP_CHECK_EQ(ktls_aead_seal(cp, &ctx, nonce, NULL, 0, pt, 0, out), 0);
	TAP_CHECK(same(out, "530f8afbc74536b9a963b4f1c4cb738b", 16));
	TAP_CHECK_EQ(ktls_aead_seal(cp, &ctx, nonce, NULL, 0, pt, 16, out), 0);
	TAP_CHECK(same(out, "cea7403d4d606b6e074ec5d3baf39d18"
			    "d0d1c8a799996bf0265b98b5d48ab919", 32));
	ktls_aead_free(cp, &ctx);
}

/* RFC 8439 §2.8.2 AEAD_CHACHA20_POLY1305 (tag checked). */
TAP_TEST(aead_chacha20_poly1305_kat)
{
	static const char pt[] = "Ladies and Gentlemen of the class of '99: "
		"If I could offer you only one tip for the future, sunscreen "
		"would be it.";
	struct ktls_aead_ctx ctx;
	uint8_t key[32], nonce[12], aad[12], out[sizeof(pt) - 1 + 16];
	const size_t n = sizeof(pt) - 1;

	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)(0x80 + i);
	unhex("070000004041424344454647", nonce, sizeof(nonce));
	unhex("50515253c0c1c2c3c4c5c6c7", aad, sizeof(aad));
	TAP_CHECK_EQ(n, 114);
	TAP_CHECK_EQ(ktls_aead_init(cp, &ctx, KTLS_AEAD_CHACHA20_POLY1305, key,
				    32), 0);
	TAP_CHECK_EQ(ktls_aead_seal(cp, &ctx, nonce, aad, sizeof(aad),
				    (const uint8_t *)pt, n, out), 0);
	TAP_CHECK(same(out, "d31a8d34648e60db7b86afbc53ef7ec2", 16));
	TAP_CHECK(same(out + n, "1ae10b594f09e26a7e902ecbd0600691", 16));
	ktls_aead_free(cp, &ctx);
}

/*
 * AES-128-CCM with TLS's 12-byte nonce and 16-byte tag, against OpenSSL
 * 3.5.7 (EVP_aes_128_ccm) on the inputs of SP 800-38C example 3 with a
 * longer plaintext; the first 24 ciphertext bytes equal that example's.
 */
TAP_TEST(aead_aes128ccm_openssl)
{
	struct ktls_aead_ctx ctx;
	uint8_t key[16], nonce[12], aad[13], pt[40], out[56];

	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)(0x40 + i);
	for (int i = 0; i < 12; i++)
		nonce[i] = (uint8_t)(0x10 + i);
	for (int i = 0; i < 13; i++)
		aad[i] = (uint8_t)i;
	for (int i = 0; i < 40; i++)
		pt[i] = (uint8_t)(0x20 + i);
	TAP_CHECK_EQ(ktls_aead_init(cp, &ctx, KTLS_AEAD_AES_128_CCM, key, 16),
		     0);
	TAP_CHECK_EQ(ktls_aead_seal(cp, &ctx, nonce, aad, sizeof(aad), pt,
				    sizeof(pt), out), 0);
	TAP_CHECK(same(out, "e3b201a9f5b71a7a9b1ceaeccd97e70b6176aad9a4428aa5"
			    "541bd1d416fa0ce3ec37af206e6278ae"
			    "c647d9c392286b12b7a89852a34a62d8", 56));
	ktls_aead_free(cp, &ctx);
}

static const uint16_t groups[] = {
	KTLS_GROUP_X25519, KTLS_GROUP_SECP256R1, KTLS_GROUP_SECP384R1,
	KTLS_GROUP_X25519MLKEM768,
};
static const size_t client_share_len[] = { 32, 65, 97, 1216 };
static const size_t server_share_len[] = { 32, 65, 97, 1120 };
static const size_t secret_len[] = { 32, 32, 48, 64 };

TAP_TEST(kx_round_trip)
{
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		static uint8_t cshare[KTLS_KX_MAX_SHARE];
		static uint8_t sshare[KTLS_KX_MAX_SHARE];
		uint8_t cs[KTLS_KX_MAX_SECRET], ss[KTLS_KX_MAX_SECRET];
		size_t clen = 0, slen = 0, cslen = 0, sslen = 0;
		struct ktls_kx_state st;

		printf("# group 0x%04x\n", groups[g]);
		TAP_CHECK_EQ(ktls_kx_keygen(cp, groups[g], &st, cshare,
					    sizeof(cshare), &clen), 0);
		TAP_CHECK_EQ(clen, client_share_len[g]);
		TAP_CHECK_EQ(st.group, groups[g]);
		TAP_CHECK_EQ(ktls_kx_encap(cp, groups[g], cshare, clen, sshare,
					   sizeof(sshare), &slen, ss, &sslen),
			     0);
		TAP_CHECK_EQ(slen, server_share_len[g]);
		TAP_CHECK_EQ(sslen, secret_len[g]);
		TAP_CHECK_EQ(ktls_kx_finish(cp, &st, sshare, slen, cs, &cslen),
			     0);
		TAP_CHECK_EQ(cslen, secret_len[g]);
		TAP_CHECK_MEM(cs, ss, secret_len[g]);
		TAP_CHECK(!all_zero(cs, cslen));
		TAP_CHECK(all_zero((const uint8_t *)&st, sizeof(st)));

		/* a second keygen gives a different share */
		TAP_CHECK_EQ(ktls_kx_keygen(cp, groups[g], &st, sshare,
					    sizeof(sshare), &slen), 0);
		TAP_CHECK(memcmp(sshare, cshare, clen) != 0);
		/* a truncated server share is refused, and st is wiped */
		TAP_CHECK_EQ(ktls_kx_finish(cp, &st, cshare, slen - 1, cs,
					    &cslen), KTLS_ERR_BAD_KEY_SHARE);
		TAP_CHECK(all_zero((const uint8_t *)&st, sizeof(st)));
		/* buffer too small */
		TAP_CHECK_EQ(ktls_kx_keygen(cp, groups[g], &st, cshare,
					    client_share_len[g] - 1, &clen),
			     KTLS_ERR_BUFFER);
	}
	TAP_CHECK_EQ(ktls_kx_encap(cp, 0x0019, NULL, 0, NULL, 0, NULL, NULL,
				   NULL), KTLS_ERR_UNSUPPORTED);
	/* a wiped (or never filled) state cannot finish */
	{
		struct ktls_kx_state st;
		uint8_t peer[32] = { 9 }, secret[KTLS_KX_MAX_SECRET];
		size_t len;

		ktls_kx_state_wipe(&st);
		TAP_CHECK_EQ(ktls_kx_finish(cp, &st, peer, 32, secret, &len),
			     KTLS_ERR_STATE);
		st.group = KTLS_GROUP_X25519;
		TAP_CHECK_EQ(ktls_kx_finish(cp, &st, peer, 32, secret, &len),
			     KTLS_ERR_STATE);
	}
}

/*
 * RFC 7748 §5: the receiver masks the top bit of an X25519 u-coordinate, so
 * a share with bit 255 set is the same share, not a bad one.
 */
TAP_TEST(kx_x25519_high_bit_masked)
{
	uint8_t cshare[32], sshare[32], cs[KTLS_KX_MAX_SECRET];
	uint8_t ss[KTLS_KX_MAX_SECRET];
	size_t clen, slen, cslen, sslen;
	struct ktls_kx_state st;

	TAP_CHECK_EQ(ktls_kx_keygen(cp, KTLS_GROUP_X25519, &st, cshare,
				    sizeof(cshare), &clen), 0);
	TAP_CHECK_EQ(ktls_kx_encap(cp, KTLS_GROUP_X25519, cshare, clen, sshare,
				   sizeof(sshare), &slen, ss, &sslen), 0);
	sshare[31] |= 0x80;
	TAP_CHECK_EQ(ktls_kx_finish(cp, &st, sshare, slen, cs, &cslen), 0);
	TAP_CHECK_EQ(cslen, sslen);
	TAP_CHECK_MEM(cs, ss, sslen);
}

TAP_TEST(kx_bad_shares)
{
	uint8_t share[KTLS_KX_MAX_SHARE], secret[KTLS_KX_MAX_SECRET];
	size_t slen, sslen;

	/* X25519: the all-zero point gives the all-zero secret (§7.4.2) */
	memset(share + 100, 0, 32);
	TAP_CHECK_EQ(ktls_kx_encap(cp, KTLS_GROUP_X25519, share + 100, 32,
				   share, sizeof(share), &slen, secret,
				   &sslen), KTLS_ERR_BAD_KEY_SHARE);
	/* P-256: a point not on the curve */
	share[200] = 4;
	memset(share + 201, 0x11, 64);
	TAP_CHECK_EQ(ktls_kx_encap(cp, KTLS_GROUP_SECP256R1, share + 200, 65,
				   share, sizeof(share), &slen, secret,
				   &sslen), KTLS_ERR_BAD_KEY_SHARE);
	/* P-256: compressed form is not allowed (§4.2.8.2) */
	share[200] = 2;
	TAP_CHECK_EQ(ktls_kx_encap(cp, KTLS_GROUP_SECP256R1, share + 200, 33,
				   share, sizeof(share), &slen, secret,
				   &sslen), KTLS_ERR_BAD_KEY_SHARE);
	/*
	 * hybrid: an encapsulation key with a coefficient >= q fails the
	 * FIPS 203 §7.2 check; one just below q passes it
	 */
	{
		static uint8_t cshare[KTLS_KX_MAX_SHARE];
		static uint8_t sshare[KTLS_KX_MAX_SHARE];
		struct ktls_kx_state st;
		size_t clen = 0;

		TAP_CHECK_EQ(ktls_kx_keygen(cp, KTLS_GROUP_X25519MLKEM768, &st,
					    cshare, sizeof(cshare), &clen), 0);
		ktls_kx_state_wipe(&st);
		/* coefficient 0 of the last triple := 3328 (0xd00), ok */
		cshare[1149] = 0x00;
		cshare[1150] = (uint8_t)((cshare[1150] & 0xf0) | 0x0d);
		TAP_CHECK_EQ(ktls_kx_encap(cp, KTLS_GROUP_X25519MLKEM768,
					   cshare, clen, sshare,
					   sizeof(sshare), &slen, secret,
					   &sslen), 0);
		/* := 3329 (0xd01): not reduced mod q */
		cshare[1149] = 0x01;
		TAP_CHECK_EQ(ktls_kx_encap(cp, KTLS_GROUP_X25519MLKEM768,
					   cshare, clen, sshare,
					   sizeof(sshare), &slen, secret,
					   &sslen), KTLS_ERR_BAD_KEY_SHARE);
	}
	/* hybrid: wrong length */
	TAP_CHECK_EQ(ktls_kx_encap(cp, KTLS_GROUP_X25519MLKEM768, share, 1184,
				   share, sizeof(share), &slen, secret,
				   &sslen), KTLS_ERR_BAD_KEY_SHARE);
}

/*
 * X25519MLKEM768 against OpenSSL 3.5.7: the ML-KEM half was made with
 *   openssl genpkey -algorithm ML-KEM-768 -pkeyopt hexseed:000102..3f
 *   openssl pkeyutl -encap (ciphertext and secret below)
 * and the X25519 half is RFC 8448 §3's (client private key, server public
 * key, shared secret).  Decapsulating OpenSSL's ciphertext with the key
 * the provider rebuilds from the seed gives OpenSSL's secret only if both
 * read the seed as FIPS 203 d || z and agree on ML-KEM-768.
 */
static const char MLKEM_CT[] =
	"eff8cadbe997b7f5e4f90aabdbfb3ed929ddc1a181fd11cc3e698735af8082b6"
	"64c1cb63ff5c8c722924f5c52936f2eccb46908af17cd2b83e0b3be8218833ea"
	"9bba63c6e8d7a1743cbc3dba4dcb389a0259809a4b4243317468c84ae438bb19"
	"cd1dedfa0f301682f2cf5bcfdd17eb6ad8c9e73881ce89e005f25f696f1988a8"
	"9760450df00ccaaad05e24e7198b525f390a649ce3c77770ad503b00e85b1b98"
	"5c603539eb82f34cfc4a68b076ac2cdbb1a1fc42cab6c3c38d0c40a503441edc"
	"5bdf2c3f60b0193dcd8f93ab6f122e7a13d09eefa4a41ba8c2572844f5877510"
	"136792afa616459bff4e88cde133216d681624bb1d737c1e28f949fcb2cccace"
	"54d3da5788cf56b61f3680e37d87149400d8465f988120d42666ac2359457ac9"
	"d5cfa731ffad59dc773dd2e0b90380581acb1faa2676a18a456844b2d8ecbef7"
	"286012304730cf4536c78374a757f7d1e2a9ff18247660ae58b002c6dfd4bcca"
	"3389d07b4a96379ca74e1b086c18d00d3875b7c0747363b46013f3800dfc8c7c"
	"c8cbbb7f985ff45f93e493efd7a1efd2772e1e5355bea4c1782cef4f0c9370ac"
	"a1b53db6c1af9f61b8a6fc080eb5c677255315f41cbf85946f22fe239f8ae351"
	"f58e6cc1455580072d81ae1eb0349751f5a6425bb3ee47fc228711529c3f1421"
	"6d49d7ae5330d743a50d53f8f6e49a786eff9d843c0d0ac1d79b67b0516f17ff"
	"8652732af71c19ba6db1651c6dfd1e930e65394accde283111d535a233b237da"
	"bad89e9b4f5128cd3ff16d6dc4d4eeb1bbce7aca8e80d2cdac8af4140f9e11a8"
	"8650b0f917fc67e7cbe85a0352838eb9c625e6a93ffcf57d5503cae444a10706"
	"c8a4289e860ba2d9168fbf695ad41680bab29349294e463761fcbb4e18980e17"
	"81908bc9d8da1375aa3fe47df17cf9037503a7e3f5e4d4a7855a934c3773724c"
	"a70f1bc85077e1c4bce58e967b2102a5009ba776307de09dd4e3ba9362a824fc"
	"49208bdc32074e3f3d8f502cf9e470dcd311c5fef134300bde41fe679f277c64"
	"5bbae7210d29b7d787f4b3fe9eeba4aafab8f0ca8b31dd520bd231a26a26405b"
	"d929215e405b77fc9bd90df6ba9e7b699d6911ae98d06f5129ffbcc1fcf54f04"
	"41c6310b74b615825d44390e74ae26a61eeca823a4e72118d81a366538bdcf19"
	"187300993ee15e97582051306239ece760fbfa82d3dbe17801498bdfb3e3b724"
	"43bcdac9cba479b46f2607d4911f131949a94076597c997e09592a9cbca5a15a"
	"04336a08c8148947a3e21e2f1e6a2fcb9f22c817a3873ad8dbf1ee3e59666cf0"
	"47502b2a142681f5fb6f077d58d48178018ff01196eedf05c4c4571e7f0bca53"
	"953bc0d1f41caf05bf818286993ee39c99d5ca7fe5197a5ee268e71496db9a93"
	"c726e78f5f7a690bb9a1b7a666ea1b7dbf4279f98973d8d0f4f6f1da890b13c8"
	"7f79375d61ddde01c3c9ac5a0f4bbc5d4708ebcc3e0ea7b297b5eff271dc57f9"
	"1a6c8fa5fd11d250d360e37e76a60e54e396390bef89a52482cc8990f4048b17";

TAP_TEST(hybrid_decap_interop_openssl)
{
	struct ktls_kx_state st = { .group = KTLS_GROUP_X25519MLKEM768,
				    .priv_len = 96 };
	static uint8_t peer[1088 + 32];
	uint8_t secret[KTLS_KX_MAX_SECRET];
	size_t len = 0;

	for (int i = 0; i < 64; i++)
		st.priv[i] = (uint8_t)i;
	unhex("49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005",
	      st.priv + 64, 32);
	TAP_CHECK_EQ(unhex(MLKEM_CT, peer, 1088), 1088);
	unhex("c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f",
	      peer + 1088, 32);
	TAP_CHECK_EQ(ktls_kx_finish(cp, &st, peer, sizeof(peer), secret, &len),
		     0);
	TAP_CHECK_EQ(len, 64);
	TAP_CHECK(same(secret, "cb9dd1822d8e5117947917ce9e4ea6a730fb7e86f7b58384054fea2aced42e10", 32));
	TAP_CHECK(same(secret + 32, "8bd4054fb55b9d63fdfbacf9f04b9f0d"
				    "35e6d63f537563efd46272900f89492d", 32));
}

/* RFC 5903 §8.1: ECDH over P-256, the initiator's side. */
TAP_TEST(ecdh_p256_rfc5903)
{
	struct ktls_kx_state st = { .group = KTLS_GROUP_SECP256R1,
				    .priv_len = 32 };
	uint8_t peer[65], secret[KTLS_KX_MAX_SECRET];
	size_t len = 0;

	unhex("c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433",
	      st.priv, 32);
	unhex("04d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63"
	      "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab",
	      peer, sizeof(peer));
	TAP_CHECK_EQ(ktls_kx_finish(cp, &st, peer, sizeof(peer), secret, &len),
		     0);
	TAP_CHECK_EQ(len, 32);
	TAP_CHECK(same(secret, "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03"
			       "812464d04b9442de", 32));
}

/*
 * RFC 6979 §A.2.5: ECDSA P-256 / SHA-256 over "sample" (deterministic k;
 * r and s DER-encoded here as TLS carries them).
 */
TAP_TEST(ecdsa_p256_rfc6979_verify)
{
	uint8_t spki[91], sig[72];
	size_t n;

	n = unhex("3059301306072a8648ce3d020106082a8648ce3d030107034200"
		  "0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
		  "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299",
		  spki, sizeof(spki));
	TAP_CHECK_EQ(n, 91);
	unhex("3046022100"
	      "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
	      "022100"
	      "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8",
	      sig, sizeof(sig));
	TAP_CHECK_EQ(ktls_sig_verify(cp, KTLS_SIG_ECDSA_SECP256R1_SHA256, spki,
				     n, (const uint8_t *)"sample", 6, sig,
				     sizeof(sig)), 0);
	TAP_CHECK_EQ(ktls_sig_verify(cp, KTLS_SIG_ECDSA_SECP256R1_SHA256, spki,
				     n, (const uint8_t *)"sampl", 5, sig,
				     sizeof(sig)), KTLS_ERR_BAD_SIGNATURE);
	sig[40] ^= 1;
	TAP_CHECK_EQ(ktls_sig_verify(cp, KTLS_SIG_ECDSA_SECP256R1_SHA256, spki,
				     n, (const uint8_t *)"sample", 6, sig,
				     sizeof(sig)), KTLS_ERR_BAD_SIGNATURE);
	/* the P-256 key is not a P-384 key */
	TAP_CHECK_EQ(ktls_sig_verify(cp, KTLS_SIG_ECDSA_SECP384R1_SHA384, spki,
				     n, (const uint8_t *)"sample", 6, sig,
				     sizeof(sig)), KTLS_ERR_BAD_KEY);
	/* nor an RSA key */
	TAP_CHECK_EQ(ktls_sig_verify(cp, KTLS_SIG_RSA_PSS_RSAE_SHA256, spki,
				     n, (const uint8_t *)"sample", 6, sig,
				     sizeof(sig)), KTLS_ERR_BAD_KEY);
}

/* RFC 8032 §7.1 TEST 1, through an SPKI (RFC 8410). */
TAP_TEST(ed25519_rfc8032)
{
	uint8_t seed[32], spki[44], sig[64], out[64];
	size_t len = 0;

	unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
	      seed, sizeof(seed));
	unhex("302a300506032b6570032100"
	      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
	      spki, sizeof(spki));
	unhex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
	      "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
	      sig, sizeof(sig));
	TAP_CHECK_EQ(ktls_sig_verify(cp, KTLS_SIG_ED25519, spki, sizeof(spki),
				     (const uint8_t *)"", 0, sig, 64), 0);
	TAP_CHECK_EQ(ktls_sig_sign(cp, KTLS_SIG_ED25519, seed, 32,
				   (const uint8_t *)"", 0, out, sizeof(out),
				   &len), 0);
	TAP_CHECK_EQ(len, 64);
	TAP_CHECK_MEM(out, sig, 64);
	sig[10] ^= 1;
	TAP_CHECK_EQ(ktls_sig_verify(cp, KTLS_SIG_ED25519, spki, sizeof(spki),
				     (const uint8_t *)"", 0, sig, 64),
		     KTLS_ERR_BAD_SIGNATURE);
	TAP_CHECK_EQ(ktls_sig_verify(cp, KTLS_SIG_ED25519, spki, sizeof(spki),
				     (const uint8_t *)"", 0, sig, 63),
		     KTLS_ERR_BAD_SIGNATURE);
}

TAP_TEST(sig_round_trip)
{
	static const uint16_t schemes[] = {
		KTLS_SIG_ECDSA_SECP256R1_SHA256,
		KTLS_SIG_ECDSA_SECP384R1_SHA384,
		KTLS_SIG_ECDSA_SECP521R1_SHA512,
		KTLS_SIG_ED25519,
		KTLS_SIG_RSA_PSS_RSAE_SHA256,
	};
	const size_t n_schemes = sizeof(schemes) / sizeof(schemes[0]);
	static const uint8_t msg[] = "TLS 1.3, server CertificateVerify";

	for (size_t i = 0; i < n_schemes; i++) {
		static uint8_t priv[KTLS_SIG_MAX_PRIV];
		uint8_t spki[KTLS_SIG_MAX_SPKI], sig[KTLS_SIG_MAX_LEN];
		size_t priv_len = 0, spki_len = 0, sig_len = 0;
		uint16_t other = schemes[(i + 1) % n_schemes];

		printf("# scheme 0x%04x\n", schemes[i]);
		TAP_CHECK_EQ(ktls_sig_keygen(cp, schemes[i], priv, sizeof(priv),
					     &priv_len, spki, sizeof(spki),
					     &spki_len), 0);
		TAP_CHECK_EQ(ktls_sig_sign(cp, schemes[i], priv, priv_len, msg,
					   sizeof(msg), sig, sizeof(sig),
					   &sig_len), 0);
		TAP_CHECK(sig_len > 0);
		TAP_CHECK_EQ(ktls_sig_verify(cp, schemes[i], spki, spki_len,
					     msg, sizeof(msg), sig, sig_len),
			     0);
		/* another message */
		TAP_CHECK_EQ(ktls_sig_verify(cp, schemes[i], spki, spki_len,
					     msg, sizeof(msg) - 1, sig,
					     sig_len), KTLS_ERR_BAD_SIGNATURE);
		/* the key does not belong to another scheme */
		TAP_CHECK_EQ(ktls_sig_verify(cp, other, spki, spki_len, msg,
					     sizeof(msg), sig, sig_len),
			     KTLS_ERR_BAD_KEY);
		TAP_CHECK_EQ(ktls_sig_sign(cp, other, priv, priv_len, msg,
					   sizeof(msg), sig, sizeof(sig),
					   &sig_len), KTLS_ERR_BAD_KEY);
		/* a truncated SPKI */
		TAP_CHECK_EQ(ktls_sig_verify(cp, schemes[i], spki, spki_len - 1,
					     msg, sizeof(msg), sig, sig_len),
			     KTLS_ERR_BAD_KEY);
	}
	TAP_CHECK_EQ(ktls_sig_verify(cp, 0x0201, NULL, 0, NULL, 0, NULL, 0),
		     KTLS_ERR_UNSUPPORTED);
}

/* One RSA-2048 key: the three rsa_pss_rsae hashes; PKCS#1 v1.5 refused. */
TAP_TEST(rsa_pss_schemes)
{
	static const uint16_t pss[] = {
		KTLS_SIG_RSA_PSS_RSAE_SHA256,
		KTLS_SIG_RSA_PSS_RSAE_SHA384,
		KTLS_SIG_RSA_PSS_RSAE_SHA512,
	};
	static const uint8_t msg[] = "TLS 1.3, client CertificateVerify";
	static uint8_t priv[KTLS_SIG_MAX_PRIV];
	uint8_t spki[KTLS_SIG_MAX_SPKI], sig[KTLS_SIG_MAX_LEN], sig2[256];
	size_t priv_len = 0, spki_len = 0, sig_len = 0, sig2_len = 0;

	TAP_CHECK_EQ(ktls_sig_keygen(cp, KTLS_SIG_RSA_PSS_RSAE_SHA384, priv,
				     sizeof(priv), &priv_len, spki,
				     sizeof(spki), &spki_len), 0);
	for (size_t i = 0; i < 3; i++) {
		TAP_CHECK_EQ(ktls_sig_sign(cp, pss[i], priv, priv_len, msg,
					   sizeof(msg), sig, sizeof(sig),
					   &sig_len), 0);
		TAP_CHECK_EQ(sig_len, 256);
		TAP_CHECK_EQ(ktls_sig_verify(cp, pss[i], spki, spki_len, msg,
					     sizeof(msg), sig, sig_len), 0);
		/* another hash */
		TAP_CHECK_EQ(ktls_sig_verify(cp, pss[(i + 1) % 3], spki,
					     spki_len, msg, sizeof(msg), sig,
					     sig_len), KTLS_ERR_BAD_SIGNATURE);
		TAP_CHECK_EQ(ktls_sig_verify(cp, KTLS_SIG_RSA_PKCS1_SHA256,
					     spki, spki_len, msg, sizeof(msg),
					     sig, sig_len),
			     KTLS_ERR_BAD_SIGNATURE);
	}
	/* PSS is randomised: two signatures differ, both verify */
	TAP_CHECK_EQ(ktls_sig_sign(cp, pss[0], priv, priv_len, msg,
				   sizeof(msg), sig, sizeof(sig), &sig_len), 0);
	TAP_CHECK_EQ(ktls_sig_sign(cp, pss[0], priv, priv_len, msg,
				   sizeof(msg), sig2, sizeof(sig2), &sig2_len),
		     0);
	TAP_CHECK(memcmp(sig, sig2, 256) != 0);
	TAP_CHECK_EQ(ktls_sig_verify(cp, pss[0], spki, spki_len, msg,
				     sizeof(msg), sig2, sig2_len), 0);
	/* too small a buffer */
	TAP_CHECK_EQ(ktls_sig_sign(cp, pss[0], priv, priv_len, msg,
				   sizeof(msg), sig2, 255, &sig2_len),
		     KTLS_ERR_BUFFER);
	/* PKCS#1 v1.5 signing is not offered (TLS 1.3 never signs with it) */
	TAP_CHECK_EQ(ktls_sig_sign(cp, KTLS_SIG_RSA_PKCS1_SHA256, priv,
				   priv_len, msg, sizeof(msg), sig,
				   sizeof(sig), &sig_len),
		     KTLS_ERR_UNSUPPORTED);
	explicit_bzero(priv, sizeof(priv));
}

/*
 * RSA-PSS salt length (RFC 8446 §4.2.3: salt = digest length): an RSA-2048
 * key and two rsa_pss_rsae_sha256 signatures over the same message made by
 * OpenSSL 3.5.7 (openssl dgst -sigopt rsa_pss_saltlen:32 / :20).  Only the
 * public key is kept here.
 */
static const char PSS_SPKI[] =
	"30820122300d06092a864886f70d01010105000382010f003082010a02820101"
	"00c45497f05c9794b10309e86d7340b5809bd48b258cc267451a0cfe673047ca"
	"876e58cb122b4f9707e2537bc526421fb8fc807b5af083898ca1535ee7465a1c"
	"b0130d627784686f1ac70894a1458bfeb04efaaa6d0668ab0414dfc13063a5f8"
	"450b2c2d58ae559aff36bb9b727f14935c78e14f5975a57178f7e352d6f35ec1"
	"0d36b3652844473692cdb816d94dfc842511d0e2d6811ad53fcf504c0273ed44"
	"16a48b16a6b03b1f1cf0bf8d80f262630e072ca6367a8b8d531e865c370c771d"
	"b6423b404b61ee1e42f71865fdfb28ed1c329edb048ca6b80e039522d6675b27"
	"db67e82b9473d588b40c79e79825e1042e3e019a7e9aa71e59451446655e5b7b"
	"c70203010001";

static const char PSS_SIG_SALT32[] =
	"202074d82db4d0eebf35d0b65d6b5b896e9a299555e247663f324a8f3c68276e"
	"d9b0f55a2ad69e7959f6aedf9ed9db12e8c3b83f73069bb1c8a19039dc2263f1"
	"cd9b5ce8ffa8340d03fffa368a84c2082a345cd95ae2d6279c6bd7abeabd1783"
	"6fe0149ab8315cf72d1a9df0e1ff8da2e9428fe754851bd52cb9b76dd3519da2"
	"dab7cea3d8c5dbf0ef400fb1d3948aca20e4354d06bb977fdeb9d30464bcf009"
	"786641002e30dcb65850ff049c268e05677a28698b0429567708f1505be31de5"
	"ecd4a9f111cb9f5411cd33ac40e5779e0e1b349e2156bb04454c7a5c0ab58a87"
	"4f877b9e9394ec8915fbdc51f68465923f67be2c0966bdb045703a1872b719e4";

static const char PSS_SIG_SALT20[] =
	"96a66761da9effd23f0b86ba19e627a1f284ab92c8d453495e9cd1866ee3a155"
	"89b37b9ed28a15c29032dddac0d0ecde6c01a7058bdb9e559aa6207cb352c01c"
	"a8ed380547f23c194445d685cc5766d8a99f86484e25d4c1a285d9e5fb23e65b"
	"b5f72191b8dbed3244b226fc08d0c069d27cc20d39e3912e61bab2bcf0059d4c"
	"347cdcc6b0bec1122d978b13d012976d32509230d4f22b8c7814c2c60a331134"
	"46c5c1813e5cefef5b8aea826605cb2561d3ea031cbe8ea833fe688aa63a4937"
	"bdeecd5a85d0636d3dc92ef37ebd8635aeaf1a1dda0ce401eb663e467b80cca9"
	"b873eb389a4ca4721e8cda6c3148563ad5d009ebe85a10cf6305ed74216a13c8";

TAP_TEST(rsa_pss_salt_length_openssl)
{
	static const char msg[] = "ktlsd rsa-pss salt test";
	uint8_t spki[294], s32[256], s20[256];

	TAP_CHECK_EQ(unhex(PSS_SPKI, spki, sizeof(spki)), 294);
	unhex(PSS_SIG_SALT32, s32, sizeof(s32));
	unhex(PSS_SIG_SALT20, s20, sizeof(s20));
	TAP_CHECK_EQ(ktls_sig_verify(cp, KTLS_SIG_RSA_PSS_RSAE_SHA256, spki,
				     sizeof(spki), (const uint8_t *)msg,
				     sizeof(msg) - 1, s32, 256), 0);
	TAP_CHECK_EQ(ktls_sig_verify(cp, KTLS_SIG_RSA_PSS_RSAE_SHA256, spki,
				     sizeof(spki), (const uint8_t *)msg,
				     sizeof(msg) - 1, s20, 256),
		     KTLS_ERR_BAD_SIGNATURE);
}

TAP_TEST(random_bytes)
{
	uint8_t a[64], b[64];

	TAP_CHECK_EQ(ktls_random(cp, a, sizeof(a)), 0);
	TAP_CHECK_EQ(ktls_random(cp, b, sizeof(b)), 0);
	TAP_CHECK(memcmp(a, b, sizeof(a)) != 0);
	TAP_CHECK(!all_zero(a, sizeof(a)));
}

int main(void)
{
	return tap_run();
}
