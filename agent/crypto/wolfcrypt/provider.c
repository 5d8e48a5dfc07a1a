// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The wolfCrypt crypto provider: struct ktls_crypto_provider implemented on
 * wolfSSL 5.9's wolfCrypt.  This directory is the only place in the project
 * that includes a wolfSSL header.
 *
 * Why it is shaped so:
 *  - Stateless functions plus caller-owned opaque contexts: a wolfCrypt hash
 *    or AES object is placed inside the engine's fixed-size ktls_hash_ctx /
 *    ktls_aead_ctx (sizes checked by _Static_assert below), so the engine
 *    allocates nothing.
 *  - Key objects (ecc_key, RsaKey, MlKemKey...) are built on the stack for
 *    one operation from the standard encodings the interface passes around
 *    and freed (and their secrets wiped by wolfCrypt's *_free) before return.
 *  - Where wolfCrypt allocates by itself: wc_InitRng() allocates its DRBG
 *    state on the heap (freed by wc_FreeRng() in the same call), and its
 *    big-number code may allocate for RSA/ECC operations depending on the
 *    math backend.  Every function here that needs randomness opens and
 *    closes its own WC_RNG, so the provider has no global state and is
 *    safe to call from any thread; the price is a DRBG seed per call.
 *  - wolfCrypt error numbers never leave this directory: they are mapped
 *    to enum ktls_err.
 *  - Files by responsibility: hash.c (hash, HMAC, HKDF), aead.c, kx.c (key
 *    exchange groups), sig.c (signature schemes, a descriptor table),
 *    rng.c; internal.h holds the wolfSSL includes and what this table
 *    needs.  Everything else is static to its file.
 */
#include "internal.h"

/*
 * wolfCrypt's process-wide set-up (its mutexes, CPU feature detection) must
 * run once before any thread uses it; the provider has no init hook, so it
 * runs when the program that links the provider starts.
 */
__attribute__((constructor)) static void wcp_global_init(void)
{
	if (wolfCrypt_Init())
		abort();
}

const struct ktls_crypto_provider ktls_provider_wolfcrypt = {
	.name		= "wolfcrypt",
	.hash_init	= wcp_hash_init,
	.hash_update	= wcp_hash_update,
	.hash_copy	= wcp_hash_copy,
	.hash_final	= wcp_hash_final,
	.hash_free	= wcp_hash_free,
	.hmac		= wcp_hmac_once,
	.hkdf_extract	= wcp_hkdf_extract,
	.hkdf_expand	= wcp_hkdf_expand,
	.aead_init	= wcp_aead_init,
	.aead_seal	= wcp_aead_seal,
	.aead_open	= wcp_aead_open,
	.aead_free	= wcp_aead_free,
	.kx_keygen	= wcp_kx_keygen,
	.kx_encap	= wcp_kx_encap,
	.kx_finish	= wcp_kx_finish,
	.sig_verify	= wcp_sig_verify,
	.sig_sign	= wcp_sig_sign,
	.sig_keygen	= wcp_sig_keygen,
	.random		= wcp_random,
};
