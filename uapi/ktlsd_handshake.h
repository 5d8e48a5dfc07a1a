/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The kernel's "handshake" generic netlink family (net/handshake), as ktlsd
 * speaks it. Written from the family's specification
 * (Documentation/netlink/specs/handshake.yaml), with our own names so the
 * agent builds against any libc headers: the build root's linux-libc-dev is
 * 6.12 and lacks attributes that newer kernels send.
 *
 * What differs between the kernels the lab runs: 6.12's ACCEPT replies know
 * PEERNAME but not KEYRING; 7.3's may carry KEYRING too (a keyring serial
 * for PSK and certificate lookup).
 * Reply attributes are parsed when present; request attributes are sent only
 * when the running kernel's policy for the command accepts them (probed at
 * start through the controller's GETPOLICY).
 */
#ifndef KTLSD_HANDSHAKE_H
#define KTLSD_HANDSHAKE_H

#define KTLSD_HS_FAMILY_NAME		"handshake"
#define KTLSD_HS_FAMILY_VERSION		1
#define KTLSD_HS_MCGRP_TLSHD		"tlshd"

enum ktlsd_hs_handler_class {
	KTLSD_HS_HANDLER_CLASS_NONE	= 0,
	KTLSD_HS_HANDLER_CLASS_TLSHD	= 1,
};

enum ktlsd_hs_msg_type {
	KTLSD_HS_MSG_TYPE_UNSPEC	= 0,
	KTLSD_HS_MSG_TYPE_CLIENTHELLO	= 1,	/* we are the client */
	KTLSD_HS_MSG_TYPE_SERVERHELLO	= 2,	/* we are the server */
};

enum ktlsd_hs_auth {
	KTLSD_HS_AUTH_UNSPEC		= 0,
	KTLSD_HS_AUTH_UNAUTH		= 1,
	KTLSD_HS_AUTH_PSK		= 2,
	KTLSD_HS_AUTH_X509		= 3,
};

enum ktlsd_hs_a_x509 {
	KTLSD_HS_A_X509_CERT		= 1,	/* u32 key serial */
	KTLSD_HS_A_X509_PRIVKEY		= 2,	/* u32 key serial */
};

enum ktlsd_hs_a_accept {
	KTLSD_HS_A_ACCEPT_SOCKFD	= 1,	/* u32: the installed fd */
	KTLSD_HS_A_ACCEPT_HANDLER_CLASS	= 2,	/* u32 */
	KTLSD_HS_A_ACCEPT_MESSAGE_TYPE	= 3,	/* u32: enum ktlsd_hs_msg_type */
	KTLSD_HS_A_ACCEPT_TIMEOUT	= 4,	/* u32: milliseconds */
	KTLSD_HS_A_ACCEPT_AUTH_MODE	= 5,	/* u32: enum ktlsd_hs_auth */
	KTLSD_HS_A_ACCEPT_PEER_IDENTITY	= 6,	/* u32 key serial, repeated */
	KTLSD_HS_A_ACCEPT_CERTIFICATE	= 7,	/* nest: ktlsd_hs_a_x509, repeated */
	KTLSD_HS_A_ACCEPT_PEERNAME	= 8,	/* string */
	KTLSD_HS_A_ACCEPT_KEYRING	= 9,	/* u32 keyring serial */
	KTLSD_HS_A_ACCEPT_MAX		= 9,
};

enum ktlsd_hs_a_done {
	KTLSD_HS_A_DONE_STATUS		= 1,	/* u32: 0 or a positive errno */
	KTLSD_HS_A_DONE_SOCKFD		= 2,	/* u32 */
	KTLSD_HS_A_DONE_REMOTE_AUTH	= 3,	/* u32 key serial, repeated */
	KTLSD_HS_A_DONE_MAX		= 3,
};

enum ktlsd_hs_cmd {
	KTLSD_HS_CMD_READY		= 1,
	KTLSD_HS_CMD_ACCEPT		= 2,
	KTLSD_HS_CMD_DONE		= 3,
};

#endif /* KTLSD_HANDSHAKE_H */
