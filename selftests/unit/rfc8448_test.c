// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * RFC 8448 known-answer tests for the key schedule and the wolfCrypt
 * provider.  §3 "Simple 1-RTT Handshake" (TLS_AES_128_GCM_SHA256, x25519):
 * the ECDHE secret from the RFC's private key, transcript hashes over the
 * RFC's handshake bytes, every secret of the schedule, traffic keys and
 * IVs, both Finished messages, the resumption PSK, the server's
 * CertificateVerify (rsa_pss_rsae_sha256), and protected records decrypted
 * to the RFC's plaintext.  §4 "Resumed 0-RTT Handshake": early secret from
 * the PSK and the binder.  Vectors are the RFC's hex (facts, transcribed).
 */
#include <stdint.h>
#include <string.h>

#include "crypto.h"
#include "hex.h"
#include "key_schedule.h"
#include "ktls_providers.h"
#include "tap.h"

static const struct ktls_crypto_provider *cp = &ktls_provider_wolfcrypt;

/* §3: the messages, each with its 4-byte handshake header. */
static const char CLIENT_HELLO[] =
	"010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283"
	"024dece7000006130113031302010000910000000b00090000067365727665"
	"72ff01000100000a00140012001d00170018001901000101010201030104"
	"00230000003300260024001d002099381de560e4bd43d23d8e435a7dbafeb3c0"
	"6e51c13cae4d5413691e529aaf2c002b0003020304000d0020001e04030503"
	"0603020308040805080604010501060102010402050206020202002d00020101"
	"001c00024001";

static const char SERVER_HELLO[] =
	"020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155"
	"772ed3e2692800130100002e00330024001d0020c9828876112095fe66762bdb"
	"f7c672e156d6cc253b833df1dd69b1b04e751f0f002b00020304";

/* EncryptedExtensions, Certificate, CertificateVerify, Finished. */
static const char SERVER_FLIGHT[] =
	"080000240022000a00140012001d00170018001901000101010201030104001c"
	"00024001000000000b0001b9000001b50001b0308201ac30820115a003020102"
	"020102300d06092a864886f70d01010b0500300e310c300a0603550403130372"
	"7361301e170d3136303733303031323335395a170d3236303733303031323335"
	"395a300e310c300a06035504031303727361"
	"30819f300d06092a864886f70d010101050003818d0030818902818100b4bb49"
	"8f8279303d980836399b36c6988c0c68de55e1bdb826d3901a2461eafd2de49a"
	"91d015abbc9a95137ace6c1af19eaa6af98c7ced43120998e187a80ee0ccb052"
	"4b1b018c3e0b63264d449a6d38e22a5fda430846748030530ef0461c8ca9d9ef"
	"bfae8ea6d1d03e2bd193eff0ab9a8002c47428a6d35a8d88d79f7f1e3f020301"
	"0001a31a301830090603551d1304023000300b0603551d0f0404030205a0300d"
	"06092a864886f70d01010b05000381810085aad2a0e5b9276b908c65f73a7267"
	"170618a54c5f8a7b337d2df7a594365417f2eae8f8a58c8f8172f9319cf36b7f"
	"d6c55b80f21a03015156726096fd335e5e67f2dbf102702e608ccae6bec1fc63"
	"a42a99be5c3eb7107c3c54e9b9eb2bd5203b1c3b84e0a8b2f759409ba3eac9d9"
	"1d402dcc0cc8f8961229ac9187b42b4de100000f000084080400805a747c5d88"
	"fa9bd2e55ab085a61015b7211f824cd484145ab3ff52f1fda8477b0b7abc90db"
	"78e2d33a5c141a078653fa6bef780c5ea248eeaaa785c4f394cab6d30bbe8d48"
	"59ee511f602957b15411ac027671459e46445c9ea58c181e818e95b8c3fb0bf3"
	"278409d3be152a3da5043e063dda65cdf5aea20d53dfacd42f74f3140000209b"
	"9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718";

#define EE_LEN		40
#define CERT_LEN	445
#define CV_LEN		136
#define SF_LEN		36
#define FLIGHT_LEN	(EE_LEN + CERT_LEN + CV_LEN + SF_LEN)

static const char CLIENT_PRIV[] =
	"49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005";
static const char SERVER_PUB[] =
	"c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f";
static const char ECDHE[] =
	"8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d";

static const char EARLY_SECRET[] =
	"33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a";
static const char HANDSHAKE_SECRET[] =
	"1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac";
static const char HELLO_HASH[] =
	"860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8";
static const char C_HS_TRAFFIC[] =
	"b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21";
static const char S_HS_TRAFFIC[] =
	"b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38";
static const char MASTER_SECRET[] =
	"18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919";
static const char S_FINISHED[] =
	"9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718";
static const char C_FINISHED[] =
	"a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61";
static const char C_AP_TRAFFIC[] =
	"9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5";
static const char S_AP_TRAFFIC[] =
	"a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643";
static const char EXP_MASTER[] =
	"fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50";
static const char CF_HASH[] =
	"209145a96ee8e2a122ff810047cc952684658d6049e86429426db87c54ad143d";
static const char RES_MASTER[] =
	"7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c";
static const char TICKET_PSK[] =
	"4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3";

static const char S_HS_KEY[] = "3fce516009c21727d0f2e4e86ee403bc";
static const char S_HS_IV[] = "5d313eb2671276ee13000b30";
static const char C_HS_KEY[] = "dbfaa693d1762c5b666af5d950258d01";
static const char C_HS_IV[] = "5bd3c71b836e0b76bb73265f";
static const char S_AP_KEY[] = "9f02283b6c9c07efc26bb9f2ac92e356";
static const char S_AP_IV[] = "cf782b88dd83549aadf1e984";
static const char C_AP_KEY[] = "17422dda596ed5d9acd890e3c63f5051";
static const char C_AP_IV[] = "5b78923dee08579033e523d9";

/* §3: the server's flight as one record under the server handshake keys. */
static const char SERVER_FLIGHT_RECORD[] =
	"17030302a2d1ff334a56f5bff6594a07cc87b580233f500f45e489e7f33af35e"
	"df7869fcf40aa40aa2b8ea73f848a7ca07612ef9f945cb960b4068905123ea78"
	"b111b429ba9191cd05d2a389280f526134aadc7fc78c4b729df828b5ecf7b13b"
	"d9aefb0e57f271585b8ea9bb355c7c79020716cfb9b1183ef3ab20e37d57a6b9"
	"d7477609aee6e122a4cf51427325250c7d0e509289444c9b3a648f1d71035d2e"
	"d65b0e3cdd0cbae8bf2d0b227812cbb360987255cc744110c453baa4fcd61092"
	"8d809810e4b7ed1a8fd991f06aa6248204797e36a6a73b70a2559c09ead68694"
	"5ba246ab66e5edd8044b4c6de3fcf2a89441ac66272fd8fb330ef8190579b368"
	"4596c960bd596eea520a56a8d650f563aad27409960dca63d3e688611ea5e22f"
	"4415cf9538d51a200c27034272968a264ed6540c84838d89f72c24461aad6d26"
	"f59ecaba9acbbb317b66d902f4f292a36ac1b639c637ce343117b65962224531"
	"7b49eeda0c6258f100d7d961ffb138647e92ea330faeea6dfa31c7a84dc3bd7e"
	"1b7a6c7178af36879018e3f252107f243d243dc7339d5684c8b0378bf30244da"
	"8c87c843f5e56eb4c5e8280a2b48052cf93b16499a66db7cca71e4599426f7d4"
	"61e66f99882bd89fc50800becca62d6c74116dbd2972fda1fa80f85df881edbe"
	"5a37668936b335583b599186dc5c6918a396fa48a181d6b6fa4f9d62d513afbb"
	"992f2b992f67f8afe67f76913fa388cb5630c8ca01e0c65d11c66a1e2ac4c859"
	"77b7c7a6999bbf10dc35ae69f5515614636c0b9b68c19ed2e31c0b3b66763038"
	"ebba42f3b38edc0399f3a9f23faa63978c317fc9fa66a73f60f0504de93b5b84"
	"5e275592c12335ee340bbc4fddd502784016e4b3be7ef04dda49f4b440a30cb5"
	"d2af939828fd4ae3794e44f94df5a631ede42c1719bfdabf0253fe5175be898e"
	"750edc53370d2b";

/* §3: the client's Finished under the client handshake keys. */
static const char CLIENT_FINISHED_RECORD[] =
	"170303003575ec4dc238cce60b298044a71e219c56cc77b0517fe9b93c7a4bfc"
	"44d87f38f80338ac98fc46deb384bd1caeacab6867d726c40546";

/* §3: 50 bytes 00..31 under the client application keys. */
static const char CLIENT_DATA_RECORD[] =
	"1703030043a23f7054b62c94d0affafe8228ba55cbefacea42f914aa66bcab3f"
	"2b9819a8a5b46b395bd54a9a20441e2b62974e1f5a6292a2977014bd1e3deae6"
	"3aeebb21694915e4";

/* §4: values of the resumed handshake. */
static const char RES_EARLY_SECRET[] =
	"9b2188e9b2fc6d64d71dc329900e20bb41915000f678aa839cbb797cb7d8332c";
static const char RES_BINDER_KEY[] =
	"69fe131a3bbad5d63c64eebcc30e395b9d8107726a13d074e389dbc8a4e47256";
static const char RES_BINDER_FINISHED_KEY[] =
	"5588673e72cb59c87d220caffe94f2dea9a3b1609f7d50e90a48227db9ed7eaa";
static const char RES_BINDER_HASH[] =
	"63224b2e4573f2d3454ca84b9d009a04f6be9e05711a8396473aefa01e924a14";
static const char RES_BINDER[] =
	"3add4fb2d8fdf822a0ca3cf7678ef5e88dae990141c5924d57bb6fa31b9e5f9d";

#define H 32	/* SHA-256 */

struct transcript {
	uint8_t ch[256], sh[128], flight[FLIGHT_LEN];
	size_t ch_len, sh_len, flight_len;
};

static void load_transcript(struct transcript *t)
{
	t->ch_len = unhex(CLIENT_HELLO, t->ch, sizeof(t->ch));
	t->sh_len = unhex(SERVER_HELLO, t->sh, sizeof(t->sh));
	t->flight_len = unhex(SERVER_FLIGHT, t->flight, sizeof(t->flight));
}

/* Transcript-Hash(ClientHello, ServerHello, first flight_part bytes). */
static int hash_upto(const struct transcript *t, size_t flight_part,
		     const uint8_t *extra, size_t extra_len, uint8_t *out)
{
	struct ktls_hash_ctx ctx;
	int ret;

	ret = ktls_hash_init(cp, &ctx, KTLS_HASH_SHA256);
	if (!ret)
		ret = ktls_hash_update(cp, &ctx, t->ch, t->ch_len);
	if (!ret)
		ret = ktls_hash_update(cp, &ctx, t->sh, t->sh_len);
	if (!ret)
		ret = ktls_hash_update(cp, &ctx, t->flight, flight_part);
	if (!ret && extra_len)
		ret = ktls_hash_update(cp, &ctx, extra, extra_len);
	if (!ret)
		ret = ktls_hash_final(cp, &ctx, out);
	ktls_hash_free(cp, &ctx);
	return ret;
}

static int same(const uint8_t *got, const char *hex, size_t len)
{
	uint8_t want[512];

	if (unhex(hex, want, sizeof(want)) != len)
		return 0;
	return !memcmp(got, want, len);
}

TAP_TEST(vector_lengths)
{
	struct transcript t;

	load_transcript(&t);
	TAP_CHECK_EQ(t.ch_len, 196);
	TAP_CHECK_EQ(t.sh_len, 90);
	TAP_CHECK_EQ(t.flight_len, 657);
	/* Message boundaries in the flight: handshake headers. */
	TAP_CHECK_EQ(t.flight[0], 8);			/* EE */
	TAP_CHECK_EQ(t.flight[EE_LEN], 11);		/* Certificate */
	TAP_CHECK_EQ(t.flight[EE_LEN + CERT_LEN], 15);	/* CertificateVerify */
	TAP_CHECK_EQ(t.flight[FLIGHT_LEN - SF_LEN], 20);	/* Finished */
}

TAP_TEST(x25519_shared_secret)
{
	struct ktls_kx_state st = { .group = KTLS_GROUP_X25519,
				    .priv_len = 32 };
	uint8_t peer[32], secret[KTLS_KX_MAX_SECRET];
	size_t len = 0;

	unhex(CLIENT_PRIV, st.priv, sizeof(st.priv));
	unhex(SERVER_PUB, peer, sizeof(peer));
	TAP_CHECK_EQ(ktls_kx_finish(cp, &st, peer, sizeof(peer), secret, &len),
		     0);
	TAP_CHECK_EQ(len, 32);
	TAP_CHECK(same(secret, ECDHE, 32));
	/* finish wipes the private state */
	TAP_CHECK_EQ(st.group, 0);
	TAP_CHECK_EQ(st.priv[0], 0);
}

TAP_TEST(transcript_snapshot)
{
	struct ktls_hash_ctx run;
	struct transcript t;
	uint8_t h1[H], h2[H];

	load_transcript(&t);
	TAP_CHECK_EQ(ktls_hash_init(cp, &run, KTLS_HASH_SHA256), 0);
	TAP_CHECK_EQ(ktls_hash_update(cp, &run, t.ch, t.ch_len), 0);
	TAP_CHECK_EQ(ktls_hash_update(cp, &run, t.sh, t.sh_len), 0);
	TAP_CHECK_EQ(ktls_hash_snapshot(cp, &run, h1), 0);
	TAP_CHECK(same(h1, HELLO_HASH, H));
	/* the running hash goes on after a snapshot */
	TAP_CHECK_EQ(ktls_hash_update(cp, &run, t.flight, t.flight_len), 0);
	TAP_CHECK_EQ(ktls_hash_final(cp, &run, h1), 0);
	TAP_CHECK_EQ(hash_upto(&t, t.flight_len, NULL, 0, h2), 0);
	TAP_CHECK_MEM(h1, h2, H);
	ktls_hash_free(cp, &run);
}

TAP_TEST(key_schedule_1rtt)
{
	struct ktls_ks_early e;
	struct ktls_ks_handshake hs;
	struct ktls_ks_master m;
	struct transcript t;
	uint8_t ecdhe[32], hash[H], c[H], s[H], out[H], cf_msg[4 + H];

	load_transcript(&t);
	unhex(ECDHE, ecdhe, sizeof(ecdhe));

	TAP_CHECK_EQ(ktls_ks_early_init(&e, cp, KTLS_HASH_SHA256, NULL, 0), 0);
	TAP_CHECK(same(e.s.secret, EARLY_SECRET, H));

	TAP_CHECK_EQ(ktls_ks_handshake_init(&hs, &e, ecdhe, sizeof(ecdhe)), 0);
	TAP_CHECK(same(hs.s.secret, HANDSHAKE_SECRET, H));
	TAP_CHECK_EQ(e.s.live, 0);	/* consumed */

	TAP_CHECK_EQ(hash_upto(&t, 0, NULL, 0, hash), 0);
	TAP_CHECK(same(hash, HELLO_HASH, H));
	TAP_CHECK_EQ(ktls_ks_handshake_traffic(&hs, hash, c, s), 0);
	TAP_CHECK(same(c, C_HS_TRAFFIC, H));
	TAP_CHECK(same(s, S_HS_TRAFFIC, H));

	/* Server Finished: over CH..CertificateVerify, s hs traffic */
	TAP_CHECK_EQ(hash_upto(&t, FLIGHT_LEN - SF_LEN, NULL, 0, hash), 0);
	TAP_CHECK_EQ(ktls_finished_verify_data(cp, KTLS_HASH_SHA256, s, hash,
					       out), 0);
	TAP_CHECK(same(out, S_FINISHED, H));
	TAP_CHECK_MEM(out, t.flight + FLIGHT_LEN - H, H);
	TAP_CHECK_EQ(ktls_finished_check(cp, KTLS_HASH_SHA256, s, hash,
					 t.flight + FLIGHT_LEN - H, H), 0);
	out[7] ^= 1;
	TAP_CHECK_EQ(ktls_finished_check(cp, KTLS_HASH_SHA256, s, hash, out,
					 H), KTLS_ERR_DECRYPT);
	TAP_CHECK_EQ(ktls_finished_check(cp, KTLS_HASH_SHA256, s, hash,
					 t.flight + FLIGHT_LEN - H, H - 1),
		     KTLS_ERR_DECRYPT);

	TAP_CHECK_EQ(ktls_ks_master_init(&m, &hs), 0);
	TAP_CHECK(same(m.s.secret, MASTER_SECRET, H));
	TAP_CHECK_EQ(hs.s.live, 0);
	/* a consumed stage refuses */
	TAP_CHECK_EQ(ktls_ks_handshake_traffic(&hs, hash, c, s),
		     KTLS_ERR_STATE);

	/* Client Finished: over CH..server Finished, c hs traffic */
	TAP_CHECK_EQ(hash_upto(&t, FLIGHT_LEN, NULL, 0, hash), 0);
	unhex(C_HS_TRAFFIC, c, sizeof(c));
	TAP_CHECK_EQ(ktls_finished_verify_data(cp, KTLS_HASH_SHA256, c, hash,
					       out), 0);
	TAP_CHECK(same(out, C_FINISHED, H));

	TAP_CHECK_EQ(ktls_ks_app_traffic(&m, hash, c, s), 0);
	TAP_CHECK(same(c, C_AP_TRAFFIC, H));
	TAP_CHECK(same(s, S_AP_TRAFFIC, H));
	TAP_CHECK_EQ(ktls_ks_exporter(&m, hash, out), 0);
	TAP_CHECK(same(out, EXP_MASTER, H));

	/* Resumption: over CH..client Finished */
	cf_msg[0] = 20;
	cf_msg[1] = 0;
	cf_msg[2] = 0;
	cf_msg[3] = H;
	unhex(C_FINISHED, cf_msg + 4, H);
	TAP_CHECK_EQ(hash_upto(&t, FLIGHT_LEN, cf_msg, sizeof(cf_msg), hash),
		     0);
	TAP_CHECK(same(hash, CF_HASH, H));
	TAP_CHECK_EQ(ktls_ks_resumption(&m, hash, out), 0);
	TAP_CHECK(same(out, RES_MASTER, H));

	ktls_ks_master_wipe(&m);
	TAP_CHECK_EQ(ktls_ks_exporter(&m, hash, out), KTLS_ERR_STATE);
}

TAP_TEST(ticket_psk)
{
	static const uint8_t nonce[2] = { 0, 0 };
	uint8_t res[H], psk[H];

	unhex(RES_MASTER, res, sizeof(res));
	TAP_CHECK_EQ(ktls_resumption_psk(cp, KTLS_HASH_SHA256, res, nonce,
					 sizeof(nonce), psk), 0);
	TAP_CHECK(same(psk, TICKET_PSK, H));
}

TAP_TEST(traffic_keys)
{
	const struct ktls_suite *suite = ktls_suite_by_id(0x1301);
	uint8_t secret[H], key[16], iv[12];

	TAP_CHECK(suite != NULL);
	if (!suite)
		return;
	unhex(S_HS_TRAFFIC, secret, sizeof(secret));
	TAP_CHECK_EQ(ktls_traffic_keys(cp, suite, secret, key, iv), 0);
	TAP_CHECK(same(key, S_HS_KEY, 16));
	TAP_CHECK(same(iv, S_HS_IV, 12));
	unhex(C_HS_TRAFFIC, secret, sizeof(secret));
	TAP_CHECK_EQ(ktls_traffic_keys(cp, suite, secret, key, iv), 0);
	TAP_CHECK(same(key, C_HS_KEY, 16));
	TAP_CHECK(same(iv, C_HS_IV, 12));
	unhex(S_AP_TRAFFIC, secret, sizeof(secret));
	TAP_CHECK_EQ(ktls_traffic_keys(cp, suite, secret, key, iv), 0);
	TAP_CHECK(same(key, S_AP_KEY, 16));
	TAP_CHECK(same(iv, S_AP_IV, 12));
	unhex(C_AP_TRAFFIC, secret, sizeof(secret));
	TAP_CHECK_EQ(ktls_traffic_keys(cp, suite, secret, key, iv), 0);
	TAP_CHECK(same(key, C_AP_KEY, 16));
	TAP_CHECK(same(iv, C_AP_IV, 12));
}

/*
 * Open one TLSInnerPlaintext record (§5.2) with the given key/iv at
 * sequence number seq; returns the plaintext length or -1.
 */
static long open_record(const char *record_hex, const char *key_hex,
			const char *iv_hex, uint64_t seq, uint8_t *pt)
{
	struct ktls_aead_ctx ctx;
	uint8_t rec[1024], key[16], iv[12], nonce[12];
	size_t len = unhex(record_hex, rec, sizeof(rec));
	int ret;

	unhex(key_hex, key, sizeof(key));
	unhex(iv_hex, iv, sizeof(iv));
	if (len < 5 + 16 || (size_t)(rec[3] << 8 | rec[4]) != len - 5)
		return -1;
	ktls_record_nonce(iv, seq, nonce);
	if (ktls_aead_init(cp, &ctx, KTLS_AEAD_AES_128_GCM, key, 16))
		return -1;
	/* §5.2: additional_data = the 5-byte record header */
	ret = ktls_aead_open(cp, &ctx, nonce, rec, 5, rec + 5, len - 5, pt);
	ktls_aead_free(cp, &ctx);
	return ret ? -1 : (long)(len - 5 - 16);
}

TAP_TEST(record_server_flight)
{
	struct transcript t;
	uint8_t pt[1024];
	long n;

	load_transcript(&t);
	n = open_record(SERVER_FLIGHT_RECORD, S_HS_KEY, S_HS_IV, 0, pt);
	TAP_CHECK_EQ(n, FLIGHT_LEN + 1);
	if (n != FLIGHT_LEN + 1)
		return;
	TAP_CHECK_MEM(pt, t.flight, FLIGHT_LEN);
	TAP_CHECK_EQ(pt[FLIGHT_LEN], 22);	/* content type: handshake */
}

TAP_TEST(record_client_finished)
{
	uint8_t pt[1024], want[H];
	long n;

	n = open_record(CLIENT_FINISHED_RECORD, C_HS_KEY, C_HS_IV, 0, pt);
	TAP_CHECK_EQ(n, 4 + H + 1);
	if (n != 4 + H + 1)
		return;
	unhex(C_FINISHED, want, sizeof(want));
	TAP_CHECK_MEM(pt, "\x14\x00\x00\x20", 4);
	TAP_CHECK_MEM(pt + 4, want, H);
	TAP_CHECK_EQ(pt[4 + H], 22);
}

TAP_TEST(record_client_data)
{
	uint8_t pt[1024];
	long n;

	n = open_record(CLIENT_DATA_RECORD, C_AP_KEY, C_AP_IV, 0, pt);
	TAP_CHECK_EQ(n, 51);
	if (n != 51)
		return;
	for (int i = 0; i < 50; i++)
		TAP_CHECK_EQ(pt[i], i);
	TAP_CHECK_EQ(pt[50], 23);	/* application_data */
	/* wrong sequence number: authentication fails */
	TAP_CHECK_EQ(open_record(CLIENT_DATA_RECORD, C_AP_KEY, C_AP_IV, 1, pt),
		     -1);
}

/* §4.4.3: the server's CertificateVerify, rsa_pss_rsae_sha256. */
TAP_TEST(certificate_verify_rsa_pss)
{
	static const char context[] = "TLS 1.3, server CertificateVerify";
	static const uint8_t spki_start[] = { 0x30, 0x81, 0x9f, 0x30, 0x0d };
	uint8_t content[64 + sizeof(context) + H];
	const uint8_t *cv, *spki;
	struct transcript t;
	size_t sig_len;

	load_transcript(&t);
	spki = memmem(t.flight + EE_LEN, CERT_LEN, spki_start,
		      sizeof(spki_start));
	TAP_CHECK(spki != NULL);
	if (!spki)
		return;
	cv = t.flight + EE_LEN + CERT_LEN;
	TAP_CHECK_MEM(cv, "\x0f\x00\x00\x84\x08\x04\x00\x80", 8);
	sig_len = (size_t)(cv[6] << 8 | cv[7]);

	memset(content, 0x20, 64);
	memcpy(content + 64, context, sizeof(context));	/* with the 0 */
	TAP_CHECK_EQ(hash_upto(&t, EE_LEN + CERT_LEN, NULL, 0,
			       content + 64 + sizeof(context)), 0);

	TAP_CHECK_EQ(ktls_sig_verify(cp, KTLS_SIG_RSA_PSS_RSAE_SHA256, spki,
				     0xa2, content, sizeof(content), cv + 8,
				     sig_len), 0);
	/* wrong context string ("client") */
	content[64 + 9] = 'c';
	TAP_CHECK_EQ(ktls_sig_verify(cp, KTLS_SIG_RSA_PSS_RSAE_SHA256, spki,
				     0xa2, content, sizeof(content), cv + 8,
				     sig_len), KTLS_ERR_BAD_SIGNATURE);
	content[64 + 9] = 's';
	/* the bare PKCS#1 RSAPublicKey inside the SPKI is not an SPKI */
	TAP_CHECK_MEM(spki + 22, "\x30\x81\x89", 3);
	TAP_CHECK_EQ(ktls_sig_verify(cp, KTLS_SIG_RSA_PSS_RSAE_SHA256,
				     spki + 22, 140, content, sizeof(content),
				     cv + 8, sig_len), KTLS_ERR_BAD_KEY);
	/* a truncated signature */
	TAP_CHECK_EQ(ktls_sig_verify(cp, KTLS_SIG_RSA_PSS_RSAE_SHA256, spki,
				     0xa2, content, sizeof(content), cv + 8,
				     sig_len - 1), KTLS_ERR_BAD_SIGNATURE);
	/* an RSA key is not an ECDSA key */
	TAP_CHECK_EQ(ktls_sig_verify(cp, KTLS_SIG_ECDSA_SECP256R1_SHA256, spki,
				     0xa2, content, sizeof(content), cv + 8,
				     sig_len), KTLS_ERR_BAD_KEY);
}

/*
 * The §3 certificate is self-signed (sha256WithRSAEncryption): its
 * signature over the TBSCertificate checks rsa_pkcs1_sha256.
 */
TAP_TEST(certificate_self_signature_rsa_pkcs1)
{
	static const uint8_t spki_start[] = { 0x30, 0x81, 0x9f, 0x30, 0x0d };
	const size_t cert_off = EE_LEN + 4 + 1 + 3 + 3;
	const uint8_t *cert, *tbs, *sig, *spki;
	struct transcript t;
	uint8_t bad[281];

	load_transcript(&t);
	cert = t.flight + cert_off;
	TAP_CHECK_MEM(cert, "\x30\x82\x01\xac", 4);
	tbs = cert + 4;
	TAP_CHECK_MEM(tbs, "\x30\x82\x01\x15", 4);
	sig = cert + 4 + 0x1ac - 128;
	TAP_CHECK_MEM(sig - 4, "\x03\x81\x81\x00", 4);
	spki = memmem(tbs, 281, spki_start, sizeof(spki_start));
	TAP_CHECK(spki != NULL);
	if (!spki)
		return;
	TAP_CHECK_EQ(ktls_sig_verify(cp, KTLS_SIG_RSA_PKCS1_SHA256, spki, 0xa2,
				     tbs, 281, sig, 128), 0);
	memcpy(bad, tbs, sizeof(bad));
	bad[20] ^= 1;
	TAP_CHECK_EQ(ktls_sig_verify(cp, KTLS_SIG_RSA_PKCS1_SHA256, spki, 0xa2,
				     bad, sizeof(bad), sig, 128),
		     KTLS_ERR_BAD_SIGNATURE);
	/* same key, PSS padding: does not verify */
	TAP_CHECK_EQ(ktls_sig_verify(cp, KTLS_SIG_RSA_PSS_RSAE_SHA256, spki,
				     0xa2, tbs, 281, sig, 128),
		     KTLS_ERR_BAD_SIGNATURE);
}

/* §4: Early Secret from the ticket's PSK, binder key, binder. */
TAP_TEST(resumed_0rtt_binder)
{
	struct ktls_ks_early e;
	uint8_t psk[H], bk[H], fk[H], hash[H], binder[H];

	unhex(TICKET_PSK, psk, sizeof(psk));
	TAP_CHECK_EQ(ktls_ks_early_init(&e, cp, KTLS_HASH_SHA256, psk, H), 0);
	TAP_CHECK(same(e.s.secret, RES_EARLY_SECRET, H));
	TAP_CHECK_EQ(ktls_ks_binder_key(&e, KTLS_BINDER_RESUMPTION, bk), 0);
	TAP_CHECK(same(bk, RES_BINDER_KEY, H));
	TAP_CHECK_EQ(ktls_finished_key(cp, KTLS_HASH_SHA256, bk, fk), 0);
	TAP_CHECK(same(fk, RES_BINDER_FINISHED_KEY, H));
	unhex(RES_BINDER_HASH, hash, sizeof(hash));
	TAP_CHECK_EQ(ktls_finished_verify_data(cp, KTLS_HASH_SHA256, bk, hash,
					       binder), 0);
	TAP_CHECK(same(binder, RES_BINDER, H));
	TAP_CHECK_EQ(ktls_finished_check(cp, KTLS_HASH_SHA256, bk, hash,
					 binder, H), 0);
	/* the external binder key differs */
	TAP_CHECK_EQ(ktls_ks_binder_key(&e, KTLS_BINDER_EXTERNAL, fk), 0);
	TAP_CHECK(memcmp(fk, bk, H) != 0);
	ktls_ks_early_wipe(&e);
	TAP_CHECK_EQ(ktls_ks_binder_key(&e, KTLS_BINDER_RESUMPTION, bk),
		     KTLS_ERR_STATE);
}

/*
 * RFC 8448 §5 "HelloRetryRequest" (secp256r1 after an x25519 offer): the
 * P-256 shared secret from the RFC's client key, the message_hash
 * transcript, the handshake and application write keys, both
 * finished_keys and Finished messages, the CertificateVerify, and the
 * transcript through the client Finished.
 */
static const char HRR_CH1[] =
	"010000b00303b0b1c5a5aa37c5919f2ed1d5c6fff7fcb7849716945a2b8cee92"
	"58a346677b6f000006130113031302010000810000000b000900000673657276"
	"6572ff01000100000a00080006001d00170018003300260024001d0020e8e8e3"
	"f3b93a25ed97a14a7dcacb8a272c6288e585c6484d05262fcad062ad1f002b00"
	"03020304000d0020001e04030503060302030804080508060401050106010201"
	"0402050206020202002d00020101001c00024001";

static const char HRR_HRR[] =
	"020000ac0303cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e"
	"09e2c8a8339c001301000084003300020017002c0074007271dcd04bb88bc318"
	"9119398a00000000eefafc76c146b823b096f8aacad365dd0030953f4edf6256"
	"36e5f21bb2e23fcc654b1b5b40318d10d137abcbb87574e36e8a1f025f7dfa5d"
	"6e50781b5eda4aa15b0c8be778257d16aa3030e9e7841dd9e4c0342267e8ca0c"
	"af571fb2b7cff0f934b0002b00020304";

static const char HRR_CH2[] =
	"010001fc0303b0b1c5a5aa37c5919f2ed1d5c6fff7fcb7849716945a2b8cee92"
	"58a346677b6f000006130113031302010001cd0000000b000900000673657276"
	"6572ff01000100000a00080006001d001700180033004700450017004104a6da"
	"7392ec591e17abfd535964b99894d13befb221b3def2ebe3830eac8f01518126"
	"77c4d6d2237e85cf01d6910cfb83954e76ba7352830534159897e8065780002b"
	"0003020304000d0020001e040305030603020308040805080604010501060102"
	"010402050206020202002c0074007271dcd04bb88bc3189119398a00000000ee"
	"fafc76c146b823b096f8aacad365dd0030953f4edf625636e5f21bb2e23fcc65"
	"4b1b5b40318d10d137abcbb87574e36e8a1f025f7dfa5d6e50781b5eda4aa15b"
	"0c8be778257d16aa3030e9e7841dd9e4c0342267e8ca0caf571fb2b7cff0f934"
	"b0002d00020101001c00024001001500af000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000";

static const char HRR_SH[] =
	"020000770303bb341d847fd789c47c387172dc0c9bf147fccacb5043d86ca4c5"
	"98d3ff571b9800130100004f003300450017004104583e054b7a66672ae020ad"
	"9d2686fcc85b5ad41a134a0f03ee72b893052bd85b4c8de6776f5b04ac07d835"
	"40eab3e3d9c547bc6528c4317d294686093a6cad7d002b00020304";

static const char HRR_EE[] =
	"080000180016000a0008000600170018001d001c0002400100000000";

static const char HRR_CV[] =
	"0f0000840804008033ab13d4462707231b5dcae6c8190b63d1dabc74f28c3953"
	"70da0b07e5b83066d0246a31acd95df475bfd799a4a70d33ad93d3a317a9b2c0"
	"d237a5685b219e774112e391a247607d1aeff1bbd0a39f382ee1a5fe88ae99ec"
	"59228e6497e45d48ce275a6d5ef40d169fb6f9d33b052ed3dcdd6b5a48baafff"
	"bcb290128415bd38";

static const char HRR_SF[] =
	"140000208863e6bfb0420a927fa27f34336a70ae426e968e3eb884945b96856d"
	"ba3976d1";

static const char HRR_CF[] =
	"1400002023f52fdb0709a55bd7f79b991f25484087bcfd4d4380b12326a52a28"
	"b2e368e1";

static const char HRR_ECDHE[] =
	"c142ce13ca11b5c2233652e63ad3d97844f1621fbfb9de69d547dc8fedeabeb4";

static const char HRR_S_FINISHED_KEY[] =
	"e7f8bb3ea4b6c30c4710b3d09c3313658117e70b097e850368e2510ca5631f74";

static const char HRR_S_HS_KEY[] =
	"4646bfac1712c426cd78d8a24a8a6f6b";

static const char HRR_S_HS_IV[] =
	"c7d395c08d62f297d13768ea";

static const char HRR_C_FINISHED_KEY[] =
	"81be4131fbb9b6f4471450846f74fd1e68c5224ba7c2a8677f5c53ad226fdc13";

static const char HRR_C_HS_KEY[] =
	"2f1f918663d590e7421149a29d94b0b6";

static const char HRR_C_HS_IV[] =
	"414d5485235e1a688793bd74";

static const char HRR_S_AP_KEY[] =
	"f27a5d97bd25550c4823b0f3e5d29388";

static const char HRR_S_AP_IV[] =
	"0dd631f7b71cbbc797c35fe7";

static const char HRR_C_AP_KEY[] =
	"a7eb2a0525eb4331d58fcbf9f7ca2e9c";

static const char HRR_C_AP_IV[] =
	"86e8be227c1bd2b3e39cb444";

static const char HRR_HELLO_HASH[] =
	"8aa8e828ec2f8a884fec95a3139de01c15a3daa7ff5bfc3f4bfcc21b438d7bf8";

static const char HRR_CF_HASH[] =
	"0e8b349158b855fdcd0c11dbbc4e83e43caa6e483c6c65df53151888e50165f4";

static size_t hrr_feed(struct ktls_hash_ctx *ctx, const char *hex)
{
	uint8_t buf[600];
	size_t n = unhex(hex, buf, sizeof(buf));

	return ktls_hash_update(cp, ctx, buf, n) ? 0 : n;
}

TAP_TEST(hello_retry_request)
{
	static const char context[] = "TLS 1.3, server CertificateVerify";
	static const uint8_t spki_start[] = { 0x30, 0x81, 0x9f, 0x30, 0x0d };
	const struct ktls_suite *suite = ktls_suite_by_id(0x1301);
	uint8_t content[64 + sizeof(context) + H], cv[136], fin[36];
	uint8_t ecdhe[32], hash[H], c[H], s[H], out[H], key[16], iv[12];
	struct ktls_ks_early e;
	struct ktls_ks_handshake hs;
	struct ktls_ks_master m;
	struct ktls_hash_ctx run;
	struct transcript t;
	const uint8_t *spki;

	load_transcript(&t);	/* §5 sends §3's certificate */
	TAP_CHECK_EQ(ktls_hash_init(cp, &run, KTLS_HASH_SHA256), 0);
	TAP_CHECK_EQ(hrr_feed(&run, HRR_CH1), 180);
	TAP_CHECK_EQ(ktls_transcript_hrr(cp, &run, KTLS_HASH_SHA256), 0);
	TAP_CHECK_EQ(hrr_feed(&run, HRR_HRR), 176);
	TAP_CHECK_EQ(hrr_feed(&run, HRR_CH2), 512);
	TAP_CHECK_EQ(hrr_feed(&run, HRR_SH), 123);
	TAP_CHECK_EQ(ktls_hash_snapshot(cp, &run, hash), 0);
	TAP_CHECK(same(hash, HRR_HELLO_HASH, H));

	/* secp256r1: the RFC's client private key, the ServerHello's share */
	{
		struct ktls_kx_state st = { .group = KTLS_GROUP_SECP256R1,
					    .priv_len = 32 };
		uint8_t sh[123];
		size_t len = 0;

		unhex("ab5473467e19346ceb0a0414e41da21d"
		      "4d2445bc3025afe97c4e8dc8d513da39", st.priv, 32);
		unhex(HRR_SH, sh, sizeof(sh));
		TAP_CHECK_MEM(sh + 44, "\x00\x33\x00\x45\x00\x17\x00\x41", 8);
		TAP_CHECK_EQ(ktls_kx_finish(cp, &st, sh + 52, 65, ecdhe, &len),
			     0);
		TAP_CHECK_EQ(len, 32);
		TAP_CHECK(same(ecdhe, HRR_ECDHE, 32));
	}
	TAP_CHECK_EQ(ktls_ks_early_init(&e, cp, KTLS_HASH_SHA256, NULL, 0), 0);
	TAP_CHECK_EQ(ktls_ks_handshake_init(&hs, &e, ecdhe, 32), 0);
	TAP_CHECK_EQ(ktls_ks_handshake_traffic(&hs, hash, c, s), 0);
	TAP_CHECK_EQ(ktls_traffic_keys(cp, suite, s, key, iv), 0);
	TAP_CHECK(same(key, HRR_S_HS_KEY, 16));
	TAP_CHECK(same(iv, HRR_S_HS_IV, 12));
	TAP_CHECK_EQ(ktls_traffic_keys(cp, suite, c, key, iv), 0);
	TAP_CHECK(same(key, HRR_C_HS_KEY, 16));
	TAP_CHECK(same(iv, HRR_C_HS_IV, 12));
	TAP_CHECK_EQ(ktls_finished_key(cp, KTLS_HASH_SHA256, s, out), 0);
	TAP_CHECK(same(out, HRR_S_FINISHED_KEY, H));
	TAP_CHECK_EQ(ktls_finished_key(cp, KTLS_HASH_SHA256, c, out), 0);
	TAP_CHECK(same(out, HRR_C_FINISHED_KEY, H));

	/* EE, Certificate; then CertificateVerify over CH1'..Certificate */
	TAP_CHECK_EQ(hrr_feed(&run, HRR_EE), 28);
	TAP_CHECK_EQ(ktls_hash_update(cp, &run, t.flight + EE_LEN, CERT_LEN),
		     0);
	memset(content, 0x20, 64);
	memcpy(content + 64, context, sizeof(context));
	TAP_CHECK_EQ(ktls_hash_snapshot(cp, &run,
					content + 64 + sizeof(context)), 0);
	unhex(HRR_CV, cv, sizeof(cv));
	spki = memmem(t.flight + EE_LEN, CERT_LEN, spki_start,
		      sizeof(spki_start));
	TAP_CHECK(spki != NULL);
	if (spki)
		TAP_CHECK_EQ(ktls_sig_verify(cp, KTLS_SIG_RSA_PSS_RSAE_SHA256,
					     spki, 0xa2, content,
					     sizeof(content), cv + 8, 128), 0);
	TAP_CHECK_EQ(hrr_feed(&run, HRR_CV), 136);

	/* server Finished */
	TAP_CHECK_EQ(ktls_hash_snapshot(cp, &run, hash), 0);
	unhex(HRR_SF, fin, sizeof(fin));
	TAP_CHECK_EQ(ktls_finished_check(cp, KTLS_HASH_SHA256, s, hash,
					 fin + 4, H), 0);
	TAP_CHECK_EQ(hrr_feed(&run, HRR_SF), 36);

	/* client Finished and application keys over CH1'..server Finished */
	TAP_CHECK_EQ(ktls_hash_snapshot(cp, &run, hash), 0);
	unhex(HRR_CF, fin, sizeof(fin));
	TAP_CHECK_EQ(ktls_finished_verify_data(cp, KTLS_HASH_SHA256, c, hash,
					       out), 0);
	TAP_CHECK_MEM(out, fin + 4, H);
	TAP_CHECK_EQ(ktls_ks_master_init(&m, &hs), 0);
	TAP_CHECK_EQ(ktls_ks_app_traffic(&m, hash, c, s), 0);
	TAP_CHECK_EQ(ktls_traffic_keys(cp, suite, s, key, iv), 0);
	TAP_CHECK(same(key, HRR_S_AP_KEY, 16));
	TAP_CHECK(same(iv, HRR_S_AP_IV, 12));
	TAP_CHECK_EQ(ktls_traffic_keys(cp, suite, c, key, iv), 0);
	TAP_CHECK(same(key, HRR_C_AP_KEY, 16));
	TAP_CHECK(same(iv, HRR_C_AP_IV, 12));
	ktls_ks_master_wipe(&m);

	TAP_CHECK_EQ(hrr_feed(&run, HRR_CF), 36);
	TAP_CHECK_EQ(ktls_hash_final(cp, &run, hash), 0);
	TAP_CHECK(same(hash, HRR_CF_HASH, H));
	ktls_hash_free(cp, &run);
}

/*
 * §7.2 KeyUpdate: the next secret, checked against HKDF-Expand run on an
 * HkdfLabel built here byte by byte (not by ktls_hkdf_expand_label).
 */
TAP_TEST(key_update_next_secret)
{
	static const char label[] = "tls13 traffic upd";
	uint8_t secret[H], next[H], want[H], info[64];
	size_t n = 0;

	info[n++] = 0;
	info[n++] = H;
	info[n++] = sizeof(label) - 1;
	memcpy(info + n, label, sizeof(label) - 1);
	n += sizeof(label) - 1;
	info[n++] = 0;

	unhex(C_AP_TRAFFIC, secret, sizeof(secret));
	TAP_CHECK_EQ(cp->hkdf_expand(KTLS_HASH_SHA256, secret, H, info, n,
				     want, H), 0);
	TAP_CHECK_EQ(ktls_next_traffic_secret(cp, KTLS_HASH_SHA256, secret,
					      next), 0);
	TAP_CHECK_MEM(next, want, H);
	TAP_CHECK(memcmp(next, secret, H) != 0);
	/* in place, twice: generation 2 = update(update(secret)) */
	TAP_CHECK_EQ(ktls_next_traffic_secret(cp, KTLS_HASH_SHA256, secret,
					      secret), 0);
	TAP_CHECK_MEM(secret, want, H);
	TAP_CHECK_EQ(cp->hkdf_expand(KTLS_HASH_SHA256, want, H, info, n,
				     next, H), 0);
	TAP_CHECK_EQ(ktls_next_traffic_secret(cp, KTLS_HASH_SHA256, secret,
					      secret), 0);
	TAP_CHECK_MEM(secret, next, H);
}

/* §3 prints the HkdfLabel for the server handshake key. */
TAP_TEST(hkdf_label_encoding)
{
	static const char label[] = "tls13 key";
	uint8_t secret[H], a[16], b[16], info[32];
	size_t n = 0;

	info[n++] = 0;
	info[n++] = 16;
	info[n++] = sizeof(label) - 1;
	memcpy(info + n, label, sizeof(label) - 1);
	n += sizeof(label) - 1;
	info[n++] = 0;
	TAP_CHECK(same(info, "001009746c733133206b657900", n));

	unhex(S_HS_TRAFFIC, secret, sizeof(secret));
	TAP_CHECK_EQ(cp->hkdf_expand(KTLS_HASH_SHA256, secret, H, info, n, a,
				     16), 0);
	TAP_CHECK_EQ(ktls_hkdf_expand_label(cp, KTLS_HASH_SHA256, secret,
					    "key", NULL, 0, b, 16), 0);
	TAP_CHECK_MEM(a, b, 16);
	TAP_CHECK(same(a, S_HS_KEY, 16));
}

int main(void)
{
	return tap_run();
}
