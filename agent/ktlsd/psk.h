/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * TLS 1.3 external PSKs from the kernel's keyrings (NVMe/TCP): the host end
 * is handed the key's serial; the target end gets a keyring and must find
 * the key named by the identity the host offers.
 */
#ifndef KTLSD_PSK_H
#define KTLSD_PSK_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"

struct ktlsd_psk {
	uint32_t serial;		/* the key: REMOTE_AUTH in DONE */
	char identity[512];		/* the key's description */
	size_t identity_len;
	uint8_t key[48];
	size_t key_len;
	uint16_t suite;			/* by the key's length: SHA-256/384 */
};

/*
 * Links .nvme, .nfs and .nfsd, then the configured keyrings (tlshd's
 * [authenticate] keyrings), into the process's session keyring, so that
 * the keys in them can be read, as tlshd does. A keyring linked before is
 * skipped; one that does not exist yet (its module is not loaded) is
 * tried again at the next call: at start, at a reload and before each PSK
 * handshake (@quiet: no warning for a configured keyring still missing).
 */
void ktlsd_keyrings_link(const struct ktlsd_config *cfg, bool quiet);

/* The PSK in key @serial; 0 or a positive errno (logged). */
unsigned int ktlsd_psk_from_key(uint32_t serial, struct ktlsd_psk *psk,
				int sockfd);

/*
 * The PSK named by the first identity of the ClientHello waiting (unread)
 * on @fd, searched in @keyring (0: the linked keyrings), waiting for the
 * record until @timeout_ms; 0 or a positive errno (logged).
 */
unsigned int ktlsd_psk_from_client_hello(int fd, uint32_t keyring,
					 long timeout_ms,
					 struct ktlsd_psk *psk);

#endif /* KTLSD_PSK_H */
