/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ktlsd's local handshake service: the wire format between an application
 * (or agent/libktlsd_client) and ktlsd, over an AF_UNIX SOCK_SEQPACKET
 * socket (default KTLSD_LOCAL_PATH; [ktlsd] local_socket in the
 * configuration).
 *
 * One connection carries one handshake:
 *   1. the application sends one message, a REQUEST, with the connected TCP
 *      socket attached as SCM_RIGHTS (exactly one fd);
 *   2. ktlsd performs the handshake on that socket, installs kTLS on it and
 *      sends one message, a REPLY; then it closes its copy of the socket and
 *      the connection.
 *
 * A message is a header followed by attributes (TLVs). Every integer is in
 * network byte order (big-endian). Attributes are 4-byte aligned: each one
 * is padded with zeros to a multiple of 4 bytes, and the padding is not
 * counted in its length. Strings carry no NUL and no control character.
 *
 *   struct ktlsd_local_hdr   magic, version, type, length of what follows
 *   struct ktlsd_local_attr  type, length of the value; value; padding
 *   ...
 *
 * Versioning: a receiver refuses a message whose version it does not speak
 * (the reply then says EPROTONOSUPPORT) and an attribute type it does not
 * know unless that type has KTLSD_LOCAL_ATTR_OPTIONAL set, which it skips.
 * New optional behaviour therefore uses optional attributes; anything else
 * bumps KTLSD_LOCAL_VERSION.
 */
#ifndef KTLSD_LOCAL_H
#define KTLSD_LOCAL_H

#include <linux/types.h>

#define KTLSD_LOCAL_PATH		"/run/ktlsd/local.sock"
#define KTLSD_LOCAL_MAGIC		0x6b746c73	/* "ktls" */
#define KTLSD_LOCAL_VERSION		1
#define KTLSD_LOCAL_MAX_MSG		4096	/* header included */

enum ktlsd_local_msg_type {
	KTLSD_LOCAL_MSG_REQUEST		= 1,
	KTLSD_LOCAL_MSG_REPLY		= 2,
};

struct ktlsd_local_hdr {
	__be32 magic;		/* KTLSD_LOCAL_MAGIC */
	__be16 version;		/* KTLSD_LOCAL_VERSION */
	__be16 type;		/* enum ktlsd_local_msg_type */
	__be32 length;		/* bytes of attributes after the header */
};

struct ktlsd_local_attr {
	__be16 type;
	__be16 length;		/* of the value, padding excluded */
};

#define KTLSD_LOCAL_ATTR_OPTIONAL	0x8000
#define KTLSD_LOCAL_ALIGN(len)		(((len) + 3u) & ~3u)

/* Limits (bytes of a value). */
#define KTLSD_LOCAL_MAX_NAME		255	/* server name, ALPN, SAN */
#define KTLSD_LOCAL_MAX_IDENTITY	63
#define KTLSD_LOCAL_MAX_ALPN		8	/* protocols in a request */
#define KTLSD_LOCAL_MAX_REASON		255
#define KTLSD_LOCAL_MAX_SAN		8	/* SANs in a reply */
#define KTLSD_LOCAL_MAX_TIMEOUT_MS	300000

/*
 * REQUEST attributes. ROLE is required and appears once; so does each
 * other attribute but ALPN, which may repeat (preference order).
 */
enum ktlsd_local_req_attr {
	KTLSD_LOCAL_REQ_ROLE		= 1,	/* u8: enum ktlsd_local_role */
	KTLSD_LOCAL_REQ_SERVER_NAME	= 2,	/* string: SNI and the name the
						 * server's certificate must
						 * carry (DNS name or IP
						 * address); client role,
						 * required there */
	KTLSD_LOCAL_REQ_ALPN		= 3,	/* string: one protocol */
	KTLSD_LOCAL_REQ_IDENTITY	= 4,	/* string: a configured
						 * [identity.NAME] */
	KTLSD_LOCAL_REQ_TIMEOUT_MS	= 5,	/* u32: 1..MAX_TIMEOUT_MS,
						 * default 30000 */
	KTLSD_LOCAL_REQ_PEER_AUTH	= 6,	/* u8: enum ktlsd_local_peer_auth;
						 * server role */
};

enum ktlsd_local_role {
	KTLSD_LOCAL_ROLE_CLIENT		= 1,
	KTLSD_LOCAL_ROLE_SERVER		= 2,
};

enum ktlsd_local_peer_auth {
	KTLSD_LOCAL_PEER_AUTH_NONE	= 0,	/* ask no client certificate */
	KTLSD_LOCAL_PEER_AUTH_REQUEST	= 1,	/* ask; verify one if given */
	KTLSD_LOCAL_PEER_AUTH_REQUIRE	= 2,	/* ask; refuse without one */
};

/*
 * REPLY attributes. STATUS always comes; on success VERSION, CIPHER,
 * GROUP and their names come too, ALPN when one was agreed, and the PEER_*
 * ones when the peer presented a certificate that was verified. On failure
 * REASON says why and ALERT gives the alert, when one was sent or received.
 */
enum ktlsd_local_rep_attr {
	KTLSD_LOCAL_REP_STATUS		= 1,	/* u32: 0 or an errno */
	KTLSD_LOCAL_REP_ALERT		= 2,	/* u8: TLS AlertDescription */
	KTLSD_LOCAL_REP_ALERT_SENT	= 3,	/* u8: 1 we sent it, 0 the peer */
	KTLSD_LOCAL_REP_REASON		= 4,	/* string */
	KTLSD_LOCAL_REP_VERSION		= 5,	/* u16: 0x0304 */
	KTLSD_LOCAL_REP_CIPHER		= 6,	/* u16: cipher suite */
	KTLSD_LOCAL_REP_CIPHER_NAME	= 7,	/* string */
	KTLSD_LOCAL_REP_GROUP		= 8,	/* u16: named group */
	KTLSD_LOCAL_REP_GROUP_NAME	= 9,	/* string */
	KTLSD_LOCAL_REP_ALPN		= 10,	/* string */
	KTLSD_LOCAL_REP_PEER_SUBJECT	= 11,	/* string: "CN=..., O=..." */
	KTLSD_LOCAL_REP_PEER_SAN	= 12,	/* string: "DNS:name" or
						 * "IP:address"; repeats */
};

#endif /* KTLSD_LOCAL_H */
