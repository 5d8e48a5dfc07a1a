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

#endif /* KTLS_PROVIDERS_H */
