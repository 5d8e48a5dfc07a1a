/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The local handshake service (uapi/ktlsd_local.h): applications pass a
 * connected TCP socket over an AF_UNIX SOCK_SEQPACKET socket and get it
 * back with kTLS installed.
 *
 * The socket is mode 0666 in a 0755 directory: any local user may ask for
 * a client handshake with no certificate of ours (nothing a user could not
 * do alone). Our certificates and keys are only used through identities
 * ([identity.NAME] in the configuration), each listing the uids and gids
 * (SO_PEERCRED, SO_PEERGROUPS) that may use it; root may use any. A
 * request can never name a file: ktlsd reads files as root, so a path
 * from a caller would let the caller use any key on the machine.
 */
#ifndef KTLSD_LOCAL_SERVICE_H
#define KTLSD_LOCAL_SERVICE_H

#include <stdbool.h>
#include <sys/types.h>

#include "config.h"
#include "sessions.h"

#define KTLSD_LOCAL_REQUEST_WAIT_MS	5000	/* for the request message */

/* The listening fd, or -1 with the reason logged. */
int ktlsd_local_open(const char *path);

/* Whether a caller with these credentials may use identity id. */
bool ktlsd_local_may_use(const struct ktlsd_identity *id, uid_t uid,
			 const gid_t *gids, unsigned int n_gids);

/*
 * Serves one accepted connection: reads the request and its socket,
 * checks them, runs the handshake, replies, closes both. For a worker.
 */
void ktlsd_local_serve(int conn, const struct ktlsd_config *cfg);

#endif /* KTLSD_LOCAL_SERVICE_H */
