// SPDX-License-Identifier: GPL-2.0
/*
 * ktls_guard: the TLS 1.3 key schedule steps a key update needs.
 *
 * RFC 8446 §7.2: application_traffic_secret_N+1 =
 *	HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "",
 *			  Hash.length)
 * and §7.3: the record key and IV are HKDF-Expand-Label(secret, "key", "",
 * key_length) and HKDF-Expand-Label(secret, "iv", "", iv_length).
 *
 * Every output here is at most one hash block long (key <= 32, iv = 12,
 * secret = Hash.length), so HKDF-Expand (RFC 5869 §2.3) is the single block
 * T(1) = HMAC(secret, HkdfLabel || 0x01).
 */
#include <crypto/hash.h>
#include <linux/err.h>
#include <linux/mutex.h>
#include <linux/string.h>

#include "guard.h"

/* One transform per hash; setkey+digest pairs are serialised. */
static struct crypto_shash *guard_hmac[2];
static DEFINE_MUTEX(guard_hmac_lock);

int guard_hkdf_init(void)
{
	static const char *const names[2] = { "hmac(sha256)", "hmac(sha384)" };
	int i;

	for (i = 0; i < 2; i++) {
		guard_hmac[i] = crypto_alloc_shash(names[i], 0, 0);
		if (IS_ERR(guard_hmac[i])) {
			int err = PTR_ERR(guard_hmac[i]);

			guard_hmac[i] = NULL;
			guard_hkdf_exit();
			return err;
		}
	}
	return 0;
}

void guard_hkdf_exit(void)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (guard_hmac[i])
			crypto_free_shash(guard_hmac[i]);
		guard_hmac[i] = NULL;
	}
}

/*
 * HKDF-Expand-Label(secret, label, "", out_len), out_len <= secret_len.
 * secret_len selects the hash: 32 for SHA-256, 48 for SHA-384.
 */
int guard_hkdf_expand_label(const u8 *secret, unsigned int secret_len,
			    const char *label, u8 *out, unsigned int out_len)
{
	/* u16 length, u8 len, "tls13 " label, u8 context length, counter */
	u8 info[2 + 1 + 6 + 16 + 1 + 1];
	u8 block[GUARD_MAX_SECRET];
	size_t llen = strlen(label);
	struct crypto_shash *tfm;
	unsigned int n = 0;
	int err;

	if (secret_len != 32 && secret_len != 48)
		return -EINVAL;
	if (out_len > secret_len || llen > 16)
		return -EINVAL;
	tfm = guard_hmac[secret_len == 48];
	if (!tfm)
		return -ENOENT;

	info[n++] = out_len >> 8;
	info[n++] = out_len & 0xff;
	info[n++] = 6 + llen;
	memcpy(info + n, "tls13 ", 6);
	n += 6;
	memcpy(info + n, label, llen);
	n += llen;
	info[n++] = 0;		/* empty context */
	info[n++] = 1;		/* HKDF-Expand block counter */

	mutex_lock(&guard_hmac_lock);
	err = crypto_shash_setkey(tfm, secret, secret_len);
	if (!err)
		err = crypto_shash_tfm_digest(tfm, info, n, block);
	if (!err)
		memcpy(out, block, out_len);
	memzero_explicit(block, sizeof(block));
	/* the transform's keyed state derives from the secret: overwrite it */
	crypto_shash_setkey(tfm, block, secret_len);
	mutex_unlock(&guard_hmac_lock);
	return err;
}
