/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef KTLSD_HANDSHAKE_H_
#define KTLSD_HANDSHAKE_H_

#include <stdint.h>

#include "config.h"
#include "upcall.h"

/*
 * Runs the TLS handshake the kernel asked for on req->sockfd and installs
 * kTLS on success. Returns 0 or the positive errno to report in DONE. On
 * success with an authenticated peer, *remote_auth is the serial of a key
 * holding the peer's certificate (DER) for DONE's REMOTE_AUTH, else 0.
 */
unsigned int ktlsd_handshake_run(const struct ktlsd_request *req,
				 const struct ktlsd_config *cfg,
				 uint32_t *remote_auth);

#endif /* KTLSD_HANDSHAKE_H_ */
