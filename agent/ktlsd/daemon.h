/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef KTLSD_DAEMON_H
#define KTLSD_DAEMON_H

struct ktlsd_options {
	unsigned int workers;		/* handshake threads */
	unsigned int max_inflight;	/* accepted, not yet DONE */
};

/* Serves handshake upcalls until SIGTERM or SIGINT; returns an exit code. */
int ktlsd_serve(const struct ktlsd_options *opts);

#endif /* KTLSD_DAEMON_H */
