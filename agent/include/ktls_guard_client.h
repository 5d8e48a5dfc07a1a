/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Registering a kTLS socket with ktls_guard.ko (Documentation/ktls_guard.md)
 * from an application, in one call, over raw generic netlink (no libnl, no
 * allocation). Every function returns 0 or a negative errno; -ENOENT means
 * the module is not loaded.
 *
 *   ktls_guard_register(fd, suite, tx_secret, rx_secret, len, &id)
 *	after kTLS TX and RX are installed with the keys of these TLS 1.3
 *	application traffic secrets (Hash.length bytes): from then on the
 *	kernel updates the keys at the configured limits. The caller keeps
 *	the secrets' zeroization to itself; the module zeroizes its copies.
 *   ktls_guard_unregister(fd)
 *   ktls_guard_get_limits(&l) / ktls_guard_set_limits(permille, soft, hard)
 *   ktls_guard_dump(fn, arg)
 *	calls fn once per registered socket the caller may see (all of its
 *	network namespace with CAP_NET_ADMIN, else those its uid registered)
 *   fd = ktls_guard_events_open() / ktls_guard_events_read(fd, fn, arg)
 *	the module's events (key updates, limits, errors) as they happen:
 *	a non-blocking socket to poll, and a reader that calls fn once per
 *	event pending, never waiting (CAP_NET_ADMIN)
 */
#ifndef KTLS_GUARD_CLIENT_H
#define KTLS_GUARD_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ktls_guard_limits {
	uint32_t caps;			/* enum ktls_guard_caps */
	uint32_t soft_permille;
	uint64_t soft, hard;		/* global overrides, 0 = unset */
	unsigned int n;
	struct {
		uint16_t suite;
		uint64_t soft, hard, rfc;	/* effective, and the default */
	} suites[8];
};

int ktls_guard_register(int fd, uint16_t suite, const uint8_t *tx_secret,
			const uint8_t *rx_secret, size_t secret_len,
			uint64_t *id);
int ktls_guard_unregister(int fd);
int ktls_guard_get_limits(struct ktls_guard_limits *l);
/* 0 for @soft or @hard restores the per-AEAD default. CAP_NET_ADMIN. */
int ktls_guard_set_limits(uint32_t soft_permille, uint64_t soft,
			  uint64_t hard);

/* One registered socket, as KTLS_GUARD_CMD_DUMP reports it. */
struct ktls_guard_sock {
	uint64_t id;			/* registration id */
	uint64_t cookie;		/* SO_COOKIE, 0 if none was assigned */
	uint64_t inode;
	uint32_t pid, uid;		/* of the registering task */
	char comm[16];
	bool kernel;			/* a kernel consumer's socket */
	uint16_t suite;
	uint64_t tx_records, rx_records;	/* under the current keys */
	uint32_t tx_gen, rx_gen;	/* key updates done per direction */
	uint64_t soft, hard;		/* effective limits, records */
	uint64_t tx_headroom;		/* records left before the hard limit */
	uint32_t flags;			/* enum ktls_guard_sock_flags */
};

typedef void (*ktls_guard_dump_fn)(const struct ktls_guard_sock *s,
				   void *arg);
int ktls_guard_dump(ktls_guard_dump_fn fn, void *arg);

/*
 * One message of the module's "events" multicast group
 * (KTLS_GUARD_CMD_EVENT), parsed: what happened to which registration.
 * Attributes the message lacks are 0. The reader also reports, with
 * @type KTLS_GUARD_EV_UNSPEC (which the module never sends), what it met
 * instead of an event: @error -ENOBUFS when the kernel dropped events
 * because the socket's receive buffer was full (counts are low from then
 * on), -EBADMSG when it skipped a malformed message (or a datagram not
 * from the kernel).
 */
struct ktls_guard_ev {
	uint32_t type;			/* enum ktls_guard_event */
	uint64_t id;			/* registration id */
	uint64_t cookie;		/* SO_COOKIE, 0 if none was assigned */
	uint64_t inode;
	uint16_t suite;
	uint32_t tx_gen, rx_gen;	/* key updates done per direction */
	uint64_t tx_records, rx_records;	/* under the current keys */
	int32_t error;			/* EV_ERROR: a negative errno */
};

typedef void (*ktls_guard_event_fn)(const struct ktls_guard_ev *ev,
				    void *arg);

/*
 * A generic netlink socket joined to the family's "events" group:
 * non-blocking, close-on-exec, with a receive buffer of up to
 * KTLS_GUARD_EVENTS_RCVBUF bytes. Returns the fd or a negative errno:
 * -ENOENT without the module (checked in sysfs first, so the kernel is
 * not made to run modprobe), -EPERM without CAP_NET_ADMIN.
 */
#define KTLS_GUARD_EVENTS_RCVBUF	(1 << 20)
int ktls_guard_events_open(void);
/*
 * Reads what is pending on @fd without waiting, at most
 * KTLS_GUARD_EVENTS_BATCH datagrams per call (poll again for more), and
 * calls @fn for each event. Returns how many times @fn was called, or a
 * negative errno from the socket.
 */
#define KTLS_GUARD_EVENTS_BATCH		256
int ktls_guard_events_read(int fd, ktls_guard_event_fn fn, void *arg);
/*
 * Whether @fd is still joined to the group: 1, or 0 once the module went
 * away (unloading it drops every member; a new instance has a new group,
 * so open again). Negative errno if the socket cannot say.
 */
int ktls_guard_events_joined(int fd);
/*
 * The parser behind ktls_guard_events_read(), for one datagram of
 * @len bytes (untrusted: every length is checked). A message with the
 * generic netlink header of KTLS_GUARD_CMD_EVENT must carry A_EVENT (u32,
 * not 0) and A_ID (u64); every attribute this header names must have its
 * exact size (A_ERROR also a negative errno, present for
 * KTLS_GUARD_EV_ERROR); unknown attributes are skipped. Anything else is
 * reported as -EBADMSG, once per message; broken netlink framing ends the
 * datagram. Other commands and netlink control messages are skipped.
 * Returns how many times @fn was called.
 */
int ktls_guard_events_parse(const void *buf, size_t len,
			    ktls_guard_event_fn fn, void *arg);

#endif /* KTLS_GUARD_CLIENT_H */
