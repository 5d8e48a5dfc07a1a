/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef KTLSD_DAEMON_H
#define KTLSD_DAEMON_H

#include <stdbool.h>

#define KTLSD_VERSION "0.1.0-dev"

struct ktlsd_options {
	const char *config_path;	/* NULL: tlshd's places */
	const char *control_path;	/* NULL: KTLSD_CONTROL_PATH */
	unsigned int workers;		/* 0: from the configuration */
	unsigned int max_inflight;	/* 0: from the configuration */
	bool verbose;			/* debug logging whatever the file says */
};

/* Serves handshake upcalls until SIGTERM or SIGINT; returns an exit code. */
int ktlsd_serve(const struct ktlsd_options *opts);

#endif /* KTLSD_DAEMON_H */
