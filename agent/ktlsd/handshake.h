/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef KTLSD_HANDSHAKE_H_
#define KTLSD_HANDSHAKE_H_

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
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

struct ktls_config;
struct ktls_dn;
struct ktls_trust;
struct x509_store;

/*
 * certificate_authorities from a trust store: the distinct, non-empty
 * subjects of its certificates, pointing into the store, in *out (to
 * free()), and in *total the size they take encoded (2 + length each).
 * The order is the store's (the order its certificates were loaded in),
 * each name where it first appears. Returns how many, or -1 without
 * memory.
 */
long ktlsd_ca_names(const struct x509_store *st, struct ktls_dn **out,
		    size_t *total);

/*
 * That list, built once per trust store (ktls_trust_data()) and freed
 * with it: n names in dn, total bytes encoded; too_big (dn NULL) when
 * total passes KTLS_CA_NAMES_MAX, then it is not sent (logged once, when
 * built). NULL without memory.
 */
struct ktlsd_ca_list {
	struct ktls_dn *dn;
	unsigned int n;
	size_t total;
	bool too_big;
};

const struct ktlsd_ca_list *ktlsd_ca_list(struct ktls_trust *trust);

/*
 * Points cfg's ca_names at trust's list, unless x509.ca_names is 0, there
 * is no trust store or the list is empty or too big. The names live as
 * long as trust: the caller holds a reference for the handshake.
 */
void ktlsd_set_ca_names(struct ktls_config *cfg, struct ktls_trust *trust,
			const struct ktlsd_config *kc);

/* How many lists ktlsd_ca_list() has built, and freed (for the tests). */
extern atomic_uint ktlsd_ca_lists_built, ktlsd_ca_lists_freed;

#endif /* KTLSD_HANDSHAKE_H_ */
