/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libktlsd_client: ask ktlsd to perform a TLS 1.3 handshake on a connected
 * TCP socket and install kTLS on it (the local handshake service; wire
 * format in ktlsd_local.h). Link with -lktlsd_client.
 *
 *	struct ktlsd_hs_req req = {
 *		.role = KTLSD_LOCAL_ROLE_CLIENT,
 *		.server_name = "example.org",
 *		.alpn = { "h2", "http/1.1" }, .n_alpn = 2,
 *	};
 *	struct ktlsd_hs_result res;
 *
 *	if (ktlsd_handshake(fd, &req, &res))
 *		fprintf(stderr, "TLS: %s\n", res.reason);
 *	else
 *		write(fd, ...);		// kTLS: plain read() and write()
 *
 * The socket must be a connected TCP socket on which nothing has been sent
 * or received yet. ktlsd reads its own identity (certificate, key) from its
 * configuration: an application names one with .identity and may use it
 * only if the identity's users/groups admit the caller (see ktlsd(8)).
 */
#ifndef KTLSD_CLIENT_H
#define KTLSD_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "ktlsd_local.h"

struct ktlsd_hs_req {
	int role;			/* enum ktlsd_local_role */
	const char *server_name;	/* client role: required */
	const char *alpn[KTLSD_LOCAL_MAX_ALPN];
	unsigned int n_alpn;
	const char *identity;		/* NULL: none (client role only) */
	unsigned int timeout_ms;	/* 0: 30000 */
	int peer_auth;			/* enum ktlsd_local_peer_auth */
	const char *socket_path;	/* NULL: KTLSD_LOCAL_PATH */
};

struct ktlsd_hs_result {
	int status;			/* 0 or a (positive) errno */
	int alert;			/* -1: none */
	bool alert_sent;		/* we sent it (else the peer did) */
	char reason[KTLSD_LOCAL_MAX_REASON + 1];
	uint16_t version, cipher, group;
	char cipher_name[KTLSD_LOCAL_MAX_NAME + 1];
	char group_name[KTLSD_LOCAL_MAX_NAME + 1];
	char alpn[KTLSD_LOCAL_MAX_NAME + 1];	/* "": none */
	char peer_subject[KTLSD_LOCAL_MAX_NAME + 1]; /* "": no peer cert */
	char peer_san[KTLSD_LOCAL_MAX_SAN][KTLSD_LOCAL_MAX_NAME + 1];
	unsigned int n_peer_san;
};

/*
 * Performs the handshake on fd through ktlsd and waits for the result: at
 * most req->timeout_ms (default 30 s) plus 5 s for the queue to reach ktlsd
 * when it is busy, and as long again for the reply. Returns 0
 * with kTLS installed on fd, or -errno with res->status and res->reason
 * saying why (also when ktlsd cannot be reached or answers nonsense). fd
 * stays open and owned by the caller in every case; after a failure its
 * state is undefined: close it.
 */
int ktlsd_handshake(int fd, const struct ktlsd_hs_req *req,
		    struct ktlsd_hs_result *res);

/*
 * The same in two steps, for event loops: start sends the request and
 * returns the service connection to poll for POLLIN (or -errno, res set);
 * finish reads the reply on it, closes it and returns as ktlsd_handshake.
 */
int ktlsd_handshake_start(int fd, const struct ktlsd_hs_req *req,
			  struct ktlsd_hs_result *res);
int ktlsd_handshake_finish(int conn, unsigned int timeout_ms,
			   struct ktlsd_hs_result *res);

/*
 * The codec, shared with ktlsd (and its fuzz target). Encoders return the
 * message length or -errno; parsers return 0 or -errno with why (a
 * precise message) filled.
 */
struct ktlsd_local_request {
	uint8_t role;
	char server_name[KTLSD_LOCAL_MAX_NAME + 1];	/* "": none */
	char alpn[KTLSD_LOCAL_MAX_ALPN][KTLSD_LOCAL_MAX_NAME + 1];
	unsigned int n_alpn;
	char identity[KTLSD_LOCAL_MAX_IDENTITY + 1];	/* "": none */
	uint32_t timeout_ms;
	uint8_t peer_auth;
};

int ktlsd_local_encode_request(const struct ktlsd_hs_req *req, uint8_t *buf,
			       size_t cap);
int ktlsd_local_parse_request(const uint8_t *buf, size_t len,
			      struct ktlsd_local_request *out, char *why,
			      size_t whylen);
int ktlsd_local_encode_reply(const struct ktlsd_hs_result *res, uint8_t *buf,
			     size_t cap);
int ktlsd_local_parse_reply(const uint8_t *buf, size_t len,
			    struct ktlsd_hs_result *res, char *why,
			    size_t whylen);

#endif /* KTLSD_CLIENT_H */
