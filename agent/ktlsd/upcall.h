/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The kernel's side of a handshake (net/handshake, uapi/ktlsd_handshake.h):
 * READY notifications on the "tlshd" multicast group, ACCEPT to take the next
 * queued request (the kernel installs the socket as a new fd in this
 * process), DONE to report the result for that fd.
 */
#ifndef KTLSD_UPCALL_H
#define KTLSD_UPCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "probe.h"

#define KTLSD_MAX_PEER_IDS	5
#define KTLSD_MAX_CERTS		4

/* One accepted request, as the kernel described it. */
struct ktlsd_request {
	int sockfd;
	uint32_t msg_type;		/* enum ktlsd_hs_msg_type */
	uint32_t auth_mode;		/* enum ktlsd_hs_auth */
	uint32_t timeout_ms;		/* 0: none given */
	uint32_t peer_ids[KTLSD_MAX_PEER_IDS];
	unsigned int n_peer_ids;
	struct { uint32_t cert, privkey; } certs[KTLSD_MAX_CERTS];
	unsigned int n_certs;
	uint32_t keyring;		/* 0: none given */
	char peername[256];		/* "": none given */
};

struct ktlsd_upcall;

/*
 * Opens the notification and control sockets and joins the "tlshd" group.
 * Returns NULL with errno set when the kernel has no handshake family.
 */
struct ktlsd_upcall *ktlsd_upcall_open(const struct ktlsd_caps *caps);
void ktlsd_upcall_close(struct ktlsd_upcall *u);

/* The fd to poll for READY notifications. */
int ktlsd_upcall_fd(const struct ktlsd_upcall *u);

/*
 * Reads pending notifications; returns how many READY ones arrived (the
 * number is a hint: ACCEPT until it says the queue is empty), or -errno.
 */
int ktlsd_upcall_read(struct ktlsd_upcall *u);

/* 0 and *req filled, -EAGAIN when nothing is queued, or -errno. */
int ktlsd_upcall_accept(struct ktlsd_upcall *u, struct ktlsd_request *req);

/*
 * Reports the result (0 or a positive errno) for req->sockfd, with the
 * peer's identity key serials when authenticated. Thread-safe. Does not
 * close req->sockfd. Returns 0 or -errno.
 */
int ktlsd_upcall_done(struct ktlsd_upcall *u, const struct ktlsd_request *req,
		      unsigned int status, const uint32_t *remote_auth,
		      unsigned int n_remote_auth);

const char *ktlsd_msg_type_name(uint32_t t);
const char *ktlsd_auth_name(uint32_t a);

#endif /* KTLSD_UPCALL_H */
