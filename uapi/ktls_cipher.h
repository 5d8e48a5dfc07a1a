/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The TLS 1.3 cipher suites kTLS carries, as one table.
 *
 * kTLS takes a TLS 1.3 traffic key as a struct tls12_crypto_info_* (the
 * name is historical) whose layout differs per cipher: the 12-byte
 * per-record nonce base of RFC 8446 §5.3 ("iv") is split into a 4-byte
 * "salt" and an 8-byte "iv" for AES-GCM and AES-CCM, and kept whole in "iv"
 * for ChaCha20-Poly1305. Everything that builds such a struct (the agent's
 * key installer, ktls_guard.ko, the selftests) does it through this table
 * and ktls_cipher_fill(), never through per-cipher code. The offsets are
 * checked against the kernel's structs at compile time.
 *
 * Header-only, usable in the kernel and in userspace.
 */
#ifndef KTLS_CIPHER_H
#define KTLS_CIPHER_H

#include <linux/tls.h>
#include <linux/types.h>
#ifdef __KERNEL__
#include <linux/stddef.h>
#include <linux/string.h>
#else
#include <stddef.h>
#include <string.h>
#endif

#define KTLS_IV_LEN		12	/* RFC 8446 §5.3: iv_length */
#define KTLS_REC_SEQ_LEN	8
#define KTLS_MAX_KEY_LEN	32
#define KTLS_MAX_INFO_LEN	sizeof(struct tls12_crypto_info_chacha20_poly1305)

struct ktls_cipher {
	const char *name;	/* IANA TLS 1.3 cipher suite name */
	__u16 suite;		/* IANA code point, e.g. 0x1301 */
	__u16 cipher_type;	/* TLS_CIPHER_* */
	__u8 key_len;
	__u8 salt_len;		/* leading bytes of the nonce base in "salt" */
	__u16 info_len;		/* sizeof the tls12_crypto_info_* */
	__u16 off_iv;		/* offsets into that struct */
	__u16 off_key;
	__u16 off_salt;
	__u16 off_rec_seq;
};

#define KTLS_CIPHER(n, s, t, st)					\
	{								\
		.name = n, .suite = s, .cipher_type = t,		\
		.key_len = sizeof(((struct st *)0)->key),		\
		.salt_len = sizeof(((struct st *)0)->salt),		\
		.info_len = sizeof(struct st),				\
		.off_iv = offsetof(struct st, iv),			\
		.off_key = offsetof(struct st, key),			\
		.off_salt = offsetof(struct st, salt),			\
		.off_rec_seq = offsetof(struct st, rec_seq),		\
	}

static const struct ktls_cipher ktls_ciphers[] = {
	KTLS_CIPHER("TLS_AES_128_GCM_SHA256", 0x1301, TLS_CIPHER_AES_GCM_128,
		    tls12_crypto_info_aes_gcm_128),
	KTLS_CIPHER("TLS_AES_256_GCM_SHA384", 0x1302, TLS_CIPHER_AES_GCM_256,
		    tls12_crypto_info_aes_gcm_256),
	KTLS_CIPHER("TLS_CHACHA20_POLY1305_SHA256", 0x1303,
		    TLS_CIPHER_CHACHA20_POLY1305,
		    tls12_crypto_info_chacha20_poly1305),
	KTLS_CIPHER("TLS_AES_128_CCM_SHA256", 0x1304, TLS_CIPHER_AES_CCM_128,
		    tls12_crypto_info_aes_ccm_128),
};

#define KTLS_N_CIPHERS (sizeof(ktls_ciphers) / sizeof(ktls_ciphers[0]))

/* The split of the nonce base is what the kernel's per-cipher sizes say. */
_Static_assert(TLS_CIPHER_AES_GCM_128_SALT_SIZE +
	       TLS_CIPHER_AES_GCM_128_IV_SIZE == KTLS_IV_LEN, "gcm128 nonce");
_Static_assert(TLS_CIPHER_AES_GCM_256_SALT_SIZE +
	       TLS_CIPHER_AES_GCM_256_IV_SIZE == KTLS_IV_LEN, "gcm256 nonce");
_Static_assert(TLS_CIPHER_AES_CCM_128_SALT_SIZE +
	       TLS_CIPHER_AES_CCM_128_IV_SIZE == KTLS_IV_LEN, "ccm128 nonce");
_Static_assert(TLS_CIPHER_CHACHA20_POLY1305_SALT_SIZE +
	       TLS_CIPHER_CHACHA20_POLY1305_IV_SIZE == KTLS_IV_LEN, "chacha nonce");
_Static_assert(sizeof(struct tls12_crypto_info_aes_gcm_256) <= KTLS_MAX_INFO_LEN,
	       "KTLS_MAX_INFO_LEN");
_Static_assert(sizeof(struct tls12_crypto_info_aes_ccm_128) <= KTLS_MAX_INFO_LEN,
	       "KTLS_MAX_INFO_LEN");

static inline const struct ktls_cipher *ktls_cipher_by_suite(__u16 suite)
{
	size_t i;

	for (i = 0; i < KTLS_N_CIPHERS; i++)
		if (ktls_ciphers[i].suite == suite)
			return &ktls_ciphers[i];
	return NULL;
}

/*
 * ktls_cipher_fill - build the setsockopt(SOL_TLS, TLS_TX/TLS_RX) argument
 * @c:       the cipher
 * @info:    at least c->info_len bytes, fully written
 * @key:     c->key_len bytes of traffic key
 * @iv:      KTLS_IV_LEN bytes of nonce base (RFC 8446 §7.3 "iv")
 * @rec_seq: the next record's sequence number
 *
 * Returns the number of bytes to pass to setsockopt. The caller wipes @info
 * after use: it holds the key.
 */
static inline unsigned int ktls_cipher_fill(const struct ktls_cipher *c,
					    void *info, const __u8 *key,
					    const __u8 *iv, __u64 rec_seq)
{
	struct tls_crypto_info *hdr = (struct tls_crypto_info *)info;
	__u8 *p = (__u8 *)info;
	int i;

	memset(info, 0, c->info_len);
	hdr->version = TLS_1_3_VERSION;
	hdr->cipher_type = c->cipher_type;
	memcpy(p + c->off_key, key, c->key_len);
	memcpy(p + c->off_salt, iv, c->salt_len);
	memcpy(p + c->off_iv, iv + c->salt_len, KTLS_IV_LEN - c->salt_len);
	for (i = 0; i < KTLS_REC_SEQ_LEN; i++)	/* big-endian, RFC 8446 §5.3 */
		p[c->off_rec_seq + i] = (__u8)(rec_seq >> (8 * (7 - i)));
	return c->info_len;
}

#endif /* KTLS_CIPHER_H */
