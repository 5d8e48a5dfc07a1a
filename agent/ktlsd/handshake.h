/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef KTLSD_HANDSHAKE_H_
#define KTLSD_HANDSHAKE_H_

#include <stdint.h>

#include "config.h"
#include "ktlsd_client.h"
#include "sessions.h"
#include "upcall.h"

/*
 * Runs the TLS handshake the kernel asked for on req->sockfd and installs
 * kTLS on success. Returns 0 or the positive errno to report in DONE. On
 * success with an authenticated peer, *remote_auth is the serial of a key
 * holding the peer's certificate (DER) for DONE's REMOTE_AUTH, else 0.
 * *out gets the suite, group, socket cookie and ktls_guard registration.
 */
unsigned int ktlsd_handshake_run(const struct ktlsd_request *req,
				 const struct ktlsd_config *cfg,
				 uint32_t *remote_auth,
				 struct ktlsd_hs_outcome *out);

/*
 * What an application asked for through the local service (local.c), on
 * top of req (role, server name in peername, timeout): ALPN, the identity
 * (NULL: none), client certificates (server role), and where the result
 * goes: cipher, group, ALPN, the verified peer's names, or the reason,
 * with the alert, for a failure.
 */
struct ktlsd_hs_local {
	const char *alpn[KTLSD_LOCAL_MAX_ALPN];
	unsigned int n_alpn;
	const struct ktlsd_identity *identity;
	int peer_auth;			/* enum ktlsd_local_peer_auth */
	struct ktlsd_hs_result *res;
};

unsigned int ktlsd_handshake_run_local(const struct ktlsd_request *req,
				       const struct ktlsd_config *cfg,
				       const struct ktlsd_hs_local *loc,
				       struct ktlsd_hs_outcome *out);

struct ktls_dn;
struct x509_store;

/*
 * certificate_authorities from a trust store: the distinct, non-empty
 * subjects of its certificates, pointing into the store, in *out (to
 * free()), and in *total the size they take encoded (2 + length each).
 * Returns how many, or -1 without memory.
 */
long ktlsd_ca_names(const struct x509_store *st, struct ktls_dn **out,
		    size_t *total);

#endif /* KTLSD_HANDSHAKE_H_ */
