/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ktls_guard: generic netlink ABI between ktls_guard.ko and userspace.
 *
 * The family is resolved by name (KTLS_GUARD_FAMILY_NAME) through the
 * generic netlink controller. Every message carries the generic netlink
 * header with one of the commands below and version
 * KTLS_GUARD_FAMILY_VERSION. Commands and attributes only ever append.
 *
 * A "record count" is the number of TLS records protected under one
 * traffic key: kTLS's next record sequence number for that direction,
 * which restarts at 0 with every key (RFC 8446 §5.3).
 *
 * Secrets go in (REGISTER) and never come out: no command or event
 * carries a secret, a key or an IV.
 */
#ifndef _UAPI_LINUX_KTLS_GUARD_H
#define _UAPI_LINUX_KTLS_GUARD_H

#define KTLS_GUARD_FAMILY_NAME		"ktls_guard"
#define KTLS_GUARD_FAMILY_VERSION	1
#define KTLS_GUARD_MCGRP_EVENTS		"events"

enum ktls_guard_cmd {
	KTLS_GUARD_CMD_UNSPEC,
	/*
	 * Request: no attributes. Reply: KTLS_GUARD_A_CAPS and
	 * KTLS_GUARD_A_KERNEL_RELEASE. Unprivileged.
	 */
	KTLS_GUARD_CMD_GET_CAPS,
	/*
	 * Put a kTLS socket under guard. Request:
	 *   KTLS_GUARD_A_FD          (required) a TCP socket of the caller
	 *                            with TLS 1.3 TX and RX installed (kTLS
	 *                            software mode);
	 *   KTLS_GUARD_A_SUITE       (required) IANA TLS 1.3 suite, matching
	 *                            the installed cipher;
	 *   KTLS_GUARD_A_TX_SECRET,
	 *   KTLS_GUARD_A_RX_SECRET   (required) the application traffic
	 *                            secrets whose key and IV are installed now
	 *                            (Hash.length bytes: 32, or 48 for
	 *                            TLS_AES_256_GCM_SHA384);
	 *   KTLS_GUARD_A_SOFT_RECORDS,
	 *   KTLS_GUARD_A_HARD_RECORDS (optional) this socket's limits.
	 * Reply: KTLS_GUARD_A_ID. Allowed to CAP_NET_ADMIN (in the socket's
	 * network namespace) and to the socket's owner (its uid). Errors:
	 * EBADF/ENOTSOCK (fd), EPROTONOSUPPORT (not kTLS, not TLS 1.3, not
	 * software TX and RX), EINVAL (suite or secret length mismatch, bad
	 * limits), EEXIST (already registered), EPERM.
	 */
	KTLS_GUARD_CMD_REGISTER,
	/*
	 * Release a socket: KTLS_GUARD_A_FD (the caller's socket, same
	 * permission as REGISTER) or KTLS_GUARD_A_ID (CAP_NET_ADMIN or the
	 * registering uid). The socket carries on under plain kTLS with its
	 * current keys; the guard's secrets are zeroized. ENOENT if unknown.
	 */
	KTLS_GUARD_CMD_UNREGISTER,
	/*
	 * Set limits. Without KTLS_GUARD_A_ID: the global defaults,
	 * CAP_NET_ADMIN only: KTLS_GUARD_A_SOFT_PERMILLE (1..1000, ERANGE
	 * outside), KTLS_GUARD_A_SOFT_RECORDS, KTLS_GUARD_A_HARD_RECORDS (0
	 * restores the per-AEAD default). With KTLS_GUARD_A_ID: that socket's soft and hard
	 * record limits (0 = follow the global ones). A hard limit must exceed
	 * the soft one by at least KTLS_GUARD_MIN_GAP records and a soft limit
	 * be at least KTLS_GUARD_MIN_SOFT (EINVAL).
	 */
	KTLS_GUARD_CMD_SET_LIMITS,
	/*
	 * Request: none. Reply: KTLS_GUARD_A_SOFT_PERMILLE,
	 * KTLS_GUARD_A_SOFT_RECORDS, KTLS_GUARD_A_HARD_RECORDS (the global
	 * overrides, 0 when unset) and one nested KTLS_GUARD_A_LIMIT per
	 * suite with the effective limits. Unprivileged.
	 */
	KTLS_GUARD_CMD_GET_LIMITS,
	/*
	 * Dump (NLM_F_DUMP) of registered sockets, one message each with the
	 * KTLS_GUARD_A_SOCK_* set below. CAP_NET_ADMIN sees every socket of
	 * its network namespace, others only those their uid registered.
	 */
	KTLS_GUARD_CMD_DUMP,
	/*
	 * Multicast on KTLS_GUARD_MCGRP_EVENTS (joining needs CAP_NET_ADMIN):
	 * KTLS_GUARD_A_EVENT, KTLS_GUARD_A_ID, KTLS_GUARD_A_SOCK_COOKIE,
	 * KTLS_GUARD_A_SOCK_INODE, KTLS_GUARD_A_SUITE,
	 * KTLS_GUARD_A_SOCK_TX_GEN, KTLS_GUARD_A_SOCK_RX_GEN,
	 * KTLS_GUARD_A_SOCK_TX_RECORDS, KTLS_GUARD_A_SOCK_RX_RECORDS and, for
	 * KTLS_GUARD_EV_ERROR, KTLS_GUARD_A_ERROR.
	 */
	KTLS_GUARD_CMD_EVENT,

	__KTLS_GUARD_CMD_MAX,
	KTLS_GUARD_CMD_MAX = __KTLS_GUARD_CMD_MAX - 1
};

enum ktls_guard_attr {
	KTLS_GUARD_A_UNSPEC,
	KTLS_GUARD_A_CAPS,		/* u32: enum ktls_guard_caps bits */
	KTLS_GUARD_A_KERNEL_RELEASE,	/* NUL-terminated string: the
					 * release the module was built for */
	KTLS_GUARD_A_FD,		/* u32: a file descriptor of the caller */
	KTLS_GUARD_A_SUITE,		/* u16: IANA TLS 1.3 cipher suite */
	KTLS_GUARD_A_TX_SECRET,		/* binary, 32 or 48 bytes, write-only */
	KTLS_GUARD_A_RX_SECRET,		/* binary, 32 or 48 bytes, write-only */
	KTLS_GUARD_A_SOFT_RECORDS,	/* u64: records under one key before
					 * a key update (soft limit) */
	KTLS_GUARD_A_HARD_RECORDS,	/* u64: records under one key that
					 * are never exceeded (hard limit) */
	KTLS_GUARD_A_SOFT_PERMILLE,	/* u32: global soft limit as a
					 * fraction of the hard one, 1..1000 */
	KTLS_GUARD_A_ID,		/* u64: registration id, unique for
					 * the module's lifetime */
	KTLS_GUARD_A_LIMIT,		/* nested: enum ktls_guard_limit_attr */
	KTLS_GUARD_A_SOCK_COOKIE,	/* u64: the socket cookie (SO_COOKIE)
					 * if one was assigned, else 0 */
	KTLS_GUARD_A_SOCK_INODE,	/* u64: the socket's inode number */
	KTLS_GUARD_A_SOCK_PID,		/* u32: pid of the registering task */
	KTLS_GUARD_A_SOCK_COMM,		/* string: its comm */
	KTLS_GUARD_A_SOCK_KERNEL,	/* flag: a kernel socket (NFS, NVMe...) */
	KTLS_GUARD_A_SOCK_TX_RECORDS,	/* u64: records sent under the
					 * current TX key */
	KTLS_GUARD_A_SOCK_RX_RECORDS,	/* u64: records received under the
					 * current RX key */
	KTLS_GUARD_A_SOCK_TX_GEN,	/* u32: TX key updates done */
	KTLS_GUARD_A_SOCK_RX_GEN,	/* u32: RX key updates done */
	KTLS_GUARD_A_SOCK_TX_HEADROOM,	/* u64: records left under the current
					 * TX key before the hard limit */
	KTLS_GUARD_A_SOCK_FLAGS,	/* u32: enum ktls_guard_sock_flags */
	KTLS_GUARD_A_EVENT,		/* u32: enum ktls_guard_event */
	KTLS_GUARD_A_ERROR,		/* s32: negative errno */
	KTLS_GUARD_A_SOCK_UID,		/* u32: uid that registered */

	__KTLS_GUARD_A_MAX,
	KTLS_GUARD_A_MAX = __KTLS_GUARD_A_MAX - 1
};

/* Inside KTLS_GUARD_A_LIMIT: the effective global limits of one suite. */
enum ktls_guard_limit_attr {
	KTLS_GUARD_LIMIT_A_UNSPEC,
	KTLS_GUARD_LIMIT_A_SUITE,	/* u16: IANA suite */
	KTLS_GUARD_LIMIT_A_SOFT,	/* u64: soft limit, records */
	KTLS_GUARD_LIMIT_A_HARD,	/* u64: hard limit, records */
	KTLS_GUARD_LIMIT_A_DEFAULT,	/* u64: the RFC's limit, records */

	__KTLS_GUARD_LIMIT_A_MAX,
	KTLS_GUARD_LIMIT_A_MAX = __KTLS_GUARD_LIMIT_A_MAX - 1
};

/* What the running kernel lets the module do. */
enum ktls_guard_caps {
	/* kTLS accepts a second TLS_TX/TLS_RX (TLS 1.3 key update, >= 6.14):
	 * the module updates keys. Without it, the module only enforces:
	 * an event at the soft limit, TX refused at the hard limit. */
	KTLS_GUARD_CAP_REKEY		= 1U << 0,
};

enum ktls_guard_sock_flags {
	KTLS_GUARD_SOCK_SOFT_REACHED	= 1U << 0, /* current TX key at soft */
	KTLS_GUARD_SOCK_TX_REFUSED	= 1U << 1, /* TX refused (hard limit) */
	KTLS_GUARD_SOCK_FAILED		= 1U << 2, /* connection failed */
};

enum ktls_guard_event {
	KTLS_GUARD_EV_UNSPEC,
	KTLS_GUARD_EV_SOFT_LIMIT,	/* TX key reached its soft limit (sent
					 * once per key when no rekey follows) */
	KTLS_GUARD_EV_TX_REKEYED,	/* KeyUpdate sent, next TX key in use */
	KTLS_GUARD_EV_RX_REKEYED,	/* next RX key in use */
	KTLS_GUARD_EV_PEER_KEY_UPDATE,	/* peer's KeyUpdate handled (followed
					 * by RX_REKEYED) */
	KTLS_GUARD_EV_HARD_LIMIT,	/* TX refused at the hard limit */
	KTLS_GUARD_EV_ERROR,		/* key update failed, see A_ERROR */
};

/* Bounds checked by REGISTER and SET_LIMITS. */
#define KTLS_GUARD_MIN_SOFT		8
#define KTLS_GUARD_MIN_GAP		8

#endif /* _UAPI_LINUX_KTLS_GUARD_H */
