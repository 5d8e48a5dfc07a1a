// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * One handshake for a kernel consumer.
 *
 * The TLS 1.3 engine that will run here is not in the tree yet, so every
 * request is refused with EOPNOTSUPP: the kernel consumer fails at once
 * with a clear status instead of waiting out its timeout, and the log says
 * why.
 */
#include <errno.h>

#include "handshake.h"
#include "log.h"

unsigned int ktlsd_handshake_run(const struct ktlsd_request *req,
				 const struct ktlsd_config *cfg)
{
	(void)cfg;
	log_warn("fd %d: refusing the %s handshake: this ktlsd has no TLS "
		 "engine yet", req->sockfd, ktlsd_msg_type_name(req->msg_type));
	return EOPNOTSUPP;
}
