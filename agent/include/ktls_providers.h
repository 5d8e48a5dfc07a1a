/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The crypto providers built into libktls.  A provider is a const table of
 * function pointers (struct ktls_crypto_provider, agent/engine/crypto.h);
 * the engine is handed one and never names a library.
 */
#ifndef KTLS_PROVIDERS_H
#define KTLS_PROVIDERS_H

struct ktls_crypto_provider;

/* wolfCrypt (wolfSSL 5.9.x), agent/crypto/wolfcrypt/. */
extern const struct ktls_crypto_provider ktls_provider_wolfcrypt;

/*
 * A strict test verifier (agent/crypto/wolfcrypt/verify.c) for struct
 * ktls_verifier: chain to the certificates in @ca_file only, dates, and
 * the expected host name or IP address (RFC 6125).  Use as
 *	cfg.verifier = (struct ktls_verifier){ ktls_wolf_verify, &v };
 * A stand-in until the project's own X.509 validation exists.
 */
#include <stddef.h>
#include <stdint.h>

struct ktls_chain;

struct ktls_wolf_verifier {
	const char *ca_file;
};

int ktls_wolf_verifier_init(struct ktls_wolf_verifier *v,
			    const char *ca_file);
int ktls_wolf_verify(void *arg, const struct ktls_chain *chain,
		     const char *host, const char **reason);

/*
 * PEM to what the engine takes: certificates (leaf first) as DER views
 * into @buf; a private key (PKCS#8 or traditional; P-256, P-384, Ed25519,
 * RSA) in the provider's format with the scheme it signs with.
 */
int ktls_wolf_pem_certs(const uint8_t *pem, size_t len, uint8_t *buf,
			size_t cap, const uint8_t **der, size_t *der_len,
			unsigned int max, unsigned int *n);
int ktls_wolf_pem_key(const uint8_t *pem, size_t len, uint8_t *priv,
		      size_t cap, size_t *priv_len, uint16_t *scheme);

#endif /* KTLS_PROVIDERS_H */
