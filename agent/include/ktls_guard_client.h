/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Registering a kTLS socket with ktls_guard.ko (Documentation/ktls_guard.md)
 * from an application, in one call, over raw generic netlink (no libnl, no
 * allocation). Every function returns 0 or a negative errno; -ENOENT means
 * the module is not loaded.
 *
 *   ktls_guard_register(fd, suite, tx_secret, rx_secret, len, &id)
 *	after kTLS TX and RX are installed with the keys of these TLS 1.3
 *	application traffic secrets (Hash.length bytes): from then on the
 *	kernel updates the keys at the configured limits. The caller keeps
 *	the secrets' zeroization to itself; the module zeroizes its copies.
 *   ktls_guard_unregister(fd)
 *   ktls_guard_get_limits(&l) / ktls_guard_set_limits(permille, soft, hard)
 */
#ifndef KTLS_GUARD_CLIENT_H
#define KTLS_GUARD_CLIENT_H

#include <stddef.h>
#include <stdint.h>

struct ktls_guard_limits {
	uint32_t caps;			/* enum ktls_guard_caps */
	uint32_t soft_permille;
	uint64_t soft, hard;		/* global overrides, 0 = unset */
	unsigned int n;
	struct {
		uint16_t suite;
		uint64_t soft, hard, rfc;	/* effective, and the default */
	} suites[8];
};

int ktls_guard_register(int fd, uint16_t suite, const uint8_t *tx_secret,
			const uint8_t *rx_secret, size_t secret_len,
			uint64_t *id);
int ktls_guard_unregister(int fd);
int ktls_guard_get_limits(struct ktls_guard_limits *l);
/* 0 for @soft or @hard restores the per-AEAD default. CAP_NET_ADMIN. */
int ktls_guard_set_limits(uint32_t soft_permille, uint64_t soft,
			  uint64_t hard);

#endif /* KTLS_GUARD_CLIENT_H */
