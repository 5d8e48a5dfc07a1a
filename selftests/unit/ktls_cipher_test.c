// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The cipher table places every byte of a TLS 1.3 traffic key where the
 * kernel's tls12_crypto_info_* expects it.
 */
#include <stdint.h>

#include "ktls_cipher.h"
#include "tap.h"

static void pattern(uint8_t *b, size_t n, uint8_t base)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(base + i);
}

TAP_TEST(lookup_by_suite)
{
	TAP_CHECK_EQ(ktls_cipher_by_suite(0x1301)->cipher_type,
		     TLS_CIPHER_AES_GCM_128);
	TAP_CHECK_EQ(ktls_cipher_by_suite(0x1302)->cipher_type,
		     TLS_CIPHER_AES_GCM_256);
	TAP_CHECK_EQ(ktls_cipher_by_suite(0x1303)->cipher_type,
		     TLS_CIPHER_CHACHA20_POLY1305);
	TAP_CHECK_EQ(ktls_cipher_by_suite(0x1304)->cipher_type,
		     TLS_CIPHER_AES_CCM_128);
	TAP_CHECK(ktls_cipher_by_suite(0x1305) == NULL);  /* CCM_8: not kTLS */
	TAP_CHECK(ktls_cipher_by_suite(0xc02f) == NULL);  /* a TLS 1.2 suite */
}

TAP_TEST(gcm128_layout)
{
	struct tls12_crypto_info_aes_gcm_128 ci;
	uint8_t key[16], iv[12];

	pattern(key, sizeof(key), 0x10);
	pattern(iv, sizeof(iv), 0xa0);
	TAP_CHECK_EQ(ktls_cipher_fill(ktls_cipher_by_suite(0x1301), &ci, key,
				      iv, 0x0102030405060708ULL), sizeof(ci));
	TAP_CHECK_EQ(ci.info.version, TLS_1_3_VERSION);
	TAP_CHECK_EQ(ci.info.cipher_type, TLS_CIPHER_AES_GCM_128);
	TAP_CHECK_MEM(ci.key, key, 16);
	TAP_CHECK_MEM(ci.salt, iv, 4);
	TAP_CHECK_MEM(ci.iv, iv + 4, 8);
	TAP_CHECK_MEM(ci.rec_seq, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
}

TAP_TEST(gcm256_layout)
{
	struct tls12_crypto_info_aes_gcm_256 ci;
	uint8_t key[32], iv[12];

	pattern(key, sizeof(key), 0x20);
	pattern(iv, sizeof(iv), 0xb0);
	TAP_CHECK_EQ(ktls_cipher_fill(ktls_cipher_by_suite(0x1302), &ci, key,
				      iv, 7), sizeof(ci));
	TAP_CHECK_EQ(ci.info.cipher_type, TLS_CIPHER_AES_GCM_256);
	TAP_CHECK_MEM(ci.key, key, 32);
	TAP_CHECK_MEM(ci.salt, iv, 4);
	TAP_CHECK_MEM(ci.iv, iv + 4, 8);
	TAP_CHECK_MEM(ci.rec_seq, "\0\0\0\0\0\0\0\x07", 8);
}

TAP_TEST(chacha_layout)
{
	struct tls12_crypto_info_chacha20_poly1305 ci;
	uint8_t key[32], iv[12];

	pattern(key, sizeof(key), 0x30);
	pattern(iv, sizeof(iv), 0xc0);
	TAP_CHECK_EQ(ktls_cipher_fill(ktls_cipher_by_suite(0x1303), &ci, key,
				      iv, 0), sizeof(ci));
	TAP_CHECK_EQ(ci.info.cipher_type, TLS_CIPHER_CHACHA20_POLY1305);
	TAP_CHECK_MEM(ci.key, key, 32);
	TAP_CHECK_MEM(ci.iv, iv, 12);	/* whole nonce base, no salt */
}

TAP_TEST(ccm128_layout)
{
	struct tls12_crypto_info_aes_ccm_128 ci;
	uint8_t key[16], iv[12];

	pattern(key, sizeof(key), 0x40);
	pattern(iv, sizeof(iv), 0xd0);
	TAP_CHECK_EQ(ktls_cipher_fill(ktls_cipher_by_suite(0x1304), &ci, key,
				      iv, 1), sizeof(ci));
	TAP_CHECK_EQ(ci.info.cipher_type, TLS_CIPHER_AES_CCM_128);
	TAP_CHECK_MEM(ci.key, key, 16);
	TAP_CHECK_MEM(ci.salt, iv, 4);
	TAP_CHECK_MEM(ci.iv, iv + 4, 8);
}

int main(void)
{
	return tap_run();
}
