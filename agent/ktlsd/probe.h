/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the running kernel offers ktlsd, found by asking it rather than by
 * reading version numbers: the handshake netlink family and its multicast
 * group, the attributes its DONE command accepts, kTLS and its ciphers,
 * TLS 1.3 key update, and the record size limit option.
 */
#ifndef KTLSD_PROBE_H
#define KTLSD_PROBE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct ktlsd_caps {
	char release[65];
	int hs_family;		/* genetlink id of "handshake", or -errno */
	int hs_group;		/* multicast group id of "tlshd", or -errno */
	uint32_t done_attrs;	/* bit n: DONE accepts attribute n */
	int ktls_err;		/* 0, or errno of TCP_ULP "tls" */
	uint32_t ciphers;	/* bit i: ktls_ciphers[i] installs TX and RX */
	bool rekey;		/* a second TLS_TX is accepted (>= 6.14) */
	bool tx_max_payload;	/* TLS_TX_MAX_PAYLOAD_LEN is accepted */
};

void ktlsd_probe(struct ktlsd_caps *caps);
void ktlsd_caps_print(FILE *out, const struct ktlsd_caps *caps, bool json);

#endif /* KTLSD_PROBE_H */
