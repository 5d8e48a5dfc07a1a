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
 *   ktls_guard_dump(fn, arg)
 *	calls fn once per registered socket the caller may see (all of its
 *	network namespace with CAP_NET_ADMIN, else those its uid registered)
 */
#ifndef KTLS_GUARD_CLIENT_H
#define KTLS_GUARD_CLIENT_H

#include <stdbool.h>
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

/* One registered socket, as KTLS_GUARD_CMD_DUMP reports it. */
struct ktls_guard_sock {
	uint64_t id;			/* registration id */
	uint64_t cookie;		/* SO_COOKIE, 0 if none was assigned */
	uint64_t inode;
	uint32_t pid, uid;		/* of the registering task */
	char comm[16];
	bool kernel;			/* a kernel consumer's socket */
	uint16_t suite;
	uint64_t tx_records, rx_records;	/* under the current keys */
	uint32_t tx_gen, rx_gen;	/* key updates done per direction */
	uint64_t soft, hard;		/* effective limits, records */
	uint64_t tx_headroom;		/* records left before the hard limit */
	uint32_t flags;			/* enum ktls_guard_sock_flags */
};

typedef void (*ktls_guard_dump_fn)(const struct ktls_guard_sock *s,
				   void *arg);
int ktls_guard_dump(ktls_guard_dump_fn fn, void *arg);

#endif /* KTLS_GUARD_CLIENT_H */
