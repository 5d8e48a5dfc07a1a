/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef KTLSD_HANDSHAKE_H_
#define KTLSD_HANDSHAKE_H_

#include "config.h"
#include "upcall.h"

/*
 * Runs the TLS handshake the kernel asked for on req->sockfd and installs
 * kTLS on success. Returns 0 or the positive errno to report in DONE.
 */
unsigned int ktlsd_handshake_run(const struct ktlsd_request *req,
				 const struct ktlsd_config *cfg);

#endif /* KTLSD_HANDSHAKE_H_ */
