/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktls_guard: internal interfaces between the module's files.
 */
#ifndef KTLS_GUARD_H
#define KTLS_GUARD_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/workqueue.h>
#include <net/sock.h>

#include "ktls_cipher.h"

#define GUARD_MAX_SECRET	48

struct guard_proto;
struct guard_ops;

/* One registered socket. */
struct guard_sock {
	struct hlist_node hnode;	/* guard_table, keyed by sk */
	struct list_head lnode;		/* guard_list, in id order */
	struct rcu_head rcu;
	refcount_t ref;			/* the table's + each user's */
	bool linked;			/* in guard_table/guard_list */

	u64 id;
	struct sock *sk;		/* sock_hold() while registered */
	struct proto *ktls_prot;	/* kTLS's sk_prot, restored on release */
	struct guard_proto *gp;		/* our copy of it, in sk->sk_prot */
	const struct proto_ops *ktls_ops; /* kTLS's sk_socket->ops */
	struct guard_ops *go;		/* our copy of them (read_sock) */
	const struct ktls_cipher *cipher;
	unsigned int secret_len;

	struct mutex tx_lock;		/* every TX path; held across rekey */
	struct mutex rx_lock;		/* RX key update handling */
	u8 tx_secret[GUARD_MAX_SECRET];
	u8 rx_secret[GUARD_MAX_SECRET];
	u64 soft, hard;			/* per-socket limits, 0 = global */
	u32 tx_gen, rx_gen;
	u32 flags;			/* enum ktls_guard_sock_flags */
	bool soft_sent;			/* SOFT_LIMIT event sent for this key */
	bool hard_sent;			/* HARD_LIMIT event sent for this key */
	bool tx_rekey_due;		/* peer asked for our KeyUpdate */
	u64 rx_request_at;		/* RX records at which to ask (again)
					 * for the peer's KeyUpdate, 0: soft */
	/*
	 * The peer's KeyUpdate met by read_sock (NVMe/TCP), whose caller
	 * holds the socket lock: the key switches in rx_work. rx_work_lock
	 * orders queueing against release (dying), which cancels it.
	 */
	struct work_struct rx_work;
	spinlock_t rx_work_lock;
	bool dying;

	unsigned long ino;		/* the socket's inode number */
	pid_t pid;
	char comm[TASK_COMM_LEN];
	kuid_t uid;
	bool kernel;
};

/* guard_main.c */
u32 guard_caps(void);
bool guard_can_rekey(void);

/* guard_netlink.c */
int guard_netlink_init(void);
void guard_netlink_exit(void);
void guard_event(struct guard_sock *gs, u32 event, int err);

/* guard_hkdf.c */
int guard_hkdf_init(void);
void guard_hkdf_exit(void);
int guard_hkdf_expand_label(const u8 *secret, unsigned int secret_len,
			    const char *label, u8 *out, unsigned int out_len);

/* guard_sock.c */
struct guard_limits {
	u32 soft_permille;
	u64 soft;
	u64 hard;
};

int guard_sock_init(void);
void guard_sock_exit(void);
int guard_register(int fd, u16 suite, const u8 *tx_secret,
		   const u8 *rx_secret, unsigned int secret_len, u64 soft,
		   u64 hard, u64 *id);
int guard_unregister_fd(int fd);
int guard_unregister_id(struct net *net, u64 id);
int guard_set_sock_limits(struct net *net, u64 id, u64 soft, u64 hard);
void guard_get_global(struct guard_limits *l);
int guard_set_global(const struct guard_limits *l);
u64 guard_default_hard(const struct ktls_cipher *c);
void guard_effective(const struct guard_sock *gs,
		     const struct ktls_cipher *c, u64 *soft, u64 *hard);
u64 guard_records(struct guard_sock *gs, bool tx);
struct guard_sock *guard_next(struct net *net, u64 after_id);
void guard_put(struct guard_sock *gs);
bool guard_may_see(const struct guard_sock *gs, struct net *net);

#endif /* KTLS_GUARD_H */
