/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ktlsd and ktls_guard.ko: every socket ktlsd finishes is registered with
 * the module (if loaded), which then enforces the AEAD limits and updates
 * the keys for the kernel consumer (Documentation/ktls_guard.md).
 */
#ifndef KTLSD_GUARD_H
#define KTLSD_GUARD_H

#include <stddef.h>
#include <stdint.h>

/*
 * After kTLS is installed on @fd with the keys of these secrets. Returns
 * the registration id, or 0 when the socket was not registered.
 */
uint64_t ktlsd_guard_register(int fd, uint16_t suite, const uint8_t *tx_secret,
			  const uint8_t *rx_secret, size_t secret_len);

#endif /* KTLSD_GUARD_H */
