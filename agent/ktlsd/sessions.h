/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What ktlsd remembers of recent handshakes, for `tlsctl sessions`, and its
 * counters, for `tlsctl status`. Thread-safe; no secret is ever stored.
 */
#ifndef KTLSD_SESSIONS_H
#define KTLSD_SESSIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "upcall.h"

#define KTLSD_SESSIONS_KEPT	64

/* What a handshake ended with, beyond its status (zeros when it failed). */
struct ktlsd_hs_outcome {
	uint16_t suite, group;		/* IANA codepoints */
	uint64_t cookie;		/* the socket's SO_COOKIE */
	uint64_t guard_id;		/* ktls_guard registration, 0: none */
};

struct ktlsd_session {
	time_t when;			/* wall clock at the request */
	uint32_t msg_type, auth_mode;
	char peer[256];
	unsigned int status;		/* 0 or the errno sent in DONE */
	long duration_ms;
	int done_err;			/* 0, or -errno if DONE failed */
	char via[32];			/* "kernel", or "uid N" (local) */
	int fd;				/* ktlsd's fd during the handshake */
	struct ktlsd_hs_outcome out;
	/* ktls_guard's events for this socket (guard.c) */
	unsigned long guard_events;
	uint32_t guard_last;		/* enum ktls_guard_event, 0: none */
	time_t guard_last_when;
};

void ktlsd_sessions_add(const struct ktlsd_request *req, unsigned int status,
			long duration_ms, int done_err,
			const struct ktlsd_hs_outcome *out);
/*
 * The kernel refused DONE for the session just added with ktlsd's @fd
 * (added before DONE, so that ktls_guard's first events for its socket
 * find it): it counts as failed, with @done_err.
 */
void ktlsd_sessions_done_refused(int fd, int done_err);
/* A handshake for an application of uid (the local service). */
void ktlsd_sessions_add_local(const struct ktlsd_request *req,
			      unsigned int status, long duration_ms,
			      unsigned int uid,
			      const struct ktlsd_hs_outcome *out);
/*
 * Writes the kept sessions, oldest first, as text or one JSON object; with
 * ktls_guard loaded, each registered socket's live guard data (key
 * generations, records under the current keys, headroom), and the
 * sockets registered by others.
 */
void ktlsd_sessions_print(FILE *out, int json);
/*
 * A ktls_guard event for registration @id with socket cookie @cookie: if
 * a kept session has that registration, it notes the event and writes
 * "ROLE session fd N with peer 'P' via V" to @who; else returns false.
 */
bool ktlsd_sessions_guard_event(uint64_t id, uint64_t cookie, uint32_t event,
				char *who, size_t len);
/* Requests seen, handshakes succeeded, failed. */
void ktlsd_sessions_counters(unsigned long *requests, unsigned long *ok,
			     unsigned long *failed);

#endif /* KTLSD_SESSIONS_H */
