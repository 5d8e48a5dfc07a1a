// SPDX-License-Identifier: GPL-2.0
/*
 * ktls_guard: registered sockets, record accounting and key updates.
 *
 * Mechanism (Documentation/ktls_guard.md has the reasoning): kTLS already
 * puts its own struct proto in sk->sk_prot. Registering a socket replaces
 * that pointer with a copy of kTLS's proto whose sendmsg, splice_eof,
 * recvmsg, setsockopt and close go through this file first and then call
 * kTLS's. Every way into kTLS's TX path (sendmsg from userspace, sendfile
 * and splice, which arrive as sendmsg with MSG_SPLICE_PAGES, and in-kernel
 * callers of sock_sendmsg) therefore takes the socket's tx_lock first, and
 * a key update happens under that lock: no record can be encrypted between
 * the KeyUpdate record and the installation of the next key. Its
 * sk_socket->ops become a copy too, for read_sock, splice_read and poll.
 * The module installs each next key in kTLS's context itself, under the
 * socket lock as kTLS would, so nothing puts kTLS's pointers back while
 * the socket is registered (guard_ktls_set_key).
 *
 * Records are counted by kTLS itself: the next record sequence number of
 * each direction (struct cipher_context rec_seq), which restarts at 0 with
 * every key.
 */
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/math64.h>
#include <linux/uio.h>
#include <linux/unaligned.h>
#include <linux/version.h>
#include <crypto/aead.h>
#include <crypto/utils.h>
#include <net/inet_connection_sock.h>
#include <net/snmp.h>
#include <net/tls.h>

#include "guard.h"
#include <linux/ktls_guard.h>

/* Our copy of one kTLS proto (kTLS has one per IP version and TX/RX mode). */
struct guard_proto {
	struct proto prot;
	struct proto *orig;
	struct list_head node;
};

static LIST_HEAD(guard_protos);
static DEFINE_MUTEX(guard_protos_lock);

/*
 * Our copy of one kTLS proto_ops table, whose read_sock, splice_read and
 * poll go through this file first: in-kernel readers that take records
 * with read_sock (NVMe/TCP) and splice() readers never call recvmsg, so
 * the peer's KeyUpdate reaches them there, and poll hides a KeyUpdate kTLS
 * holds. Guarded by guard_protos_lock.
 */
struct guard_ops {
	struct proto_ops ops;
	const struct proto_ops *orig;
	struct list_head node;
};

static LIST_HEAD(guard_ops_list);

/* RX key updates that cannot run in the reader's context (read_sock) */
static struct workqueue_struct *guard_wq;

static DEFINE_SPINLOCK(guard_lock);	/* guard_table, guard_list, ids */
static DEFINE_HASHTABLE(guard_table, 12);
static LIST_HEAD(guard_list);
static u64 guard_next_id = 1;

static struct guard_limits guard_global = { .soft_permille = 750 };
/* read on every send and read: readers write nothing shared */
static DEFINE_SEQLOCK(guard_limits_seq);

#define GUARD_REC_HANDSHAKE	22
#define GUARD_REC_ALERT		21
#define GUARD_HS_KEY_UPDATE	24
/* records a send may add beyond its whole ones: a pending open record and
 * a partial last one; a key update adds the KeyUpdate record itself */
#define GUARD_SLACK		3

static int guard_sendmsg(struct sock *sk, struct msghdr *msg, size_t size);
static int guard_read_sock(struct sock *sk, read_descriptor_t *desc,
			   sk_read_actor_t actor);
static __poll_t guard_poll(struct file *file, struct socket *sock,
			   struct poll_table_struct *wait);
static ssize_t guard_splice_read(struct socket *sock, loff_t *ppos,
				 struct pipe_inode_info *pipe, size_t len,
				 unsigned int flags);

/*
 * struct proto's recvmsg has an addr_len argument on 6.12 and none on 7.x;
 * 6.18 as the boundary is an assumption the two lanes cannot falsify.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 18, 0)
#define GUARD_ADDR_LEN_PARAM
#define GUARD_ADDR_LEN_ARG
#define GUARD_RECV(p, sk, msg, len, flags, alen) \
	(p)->recvmsg(sk, msg, len, flags)
#else
#define GUARD_ADDR_LEN_PARAM	, int *addr_len
#define GUARD_ADDR_LEN_ARG	, addr_len
#define GUARD_RECV(p, sk, msg, len, flags, alen) \
	(p)->recvmsg(sk, msg, len, flags, alen)
#endif

/*
 * Default hard limits, in records under one key.
 *
 * AES-GCM: RFC 8446 §5.5: "For AES-GCM, up to 2^24.5 full-size records
 * (about 24 million) may be encrypted on a given connection while keeping a
 * safety margin of approximately 2^-57 for Authenticated Encryption (AE)
 * security."
 *
 * AES-CCM: RFC 9001 §6.6 (and Appendix B.2), which RFC 9147 §4.5.3 follows:
 * the confidentiality limit of AEAD_AES_128_CCM is 2^21.5 packets.
 *
 * ChaCha20-Poly1305: RFC 9001 §6.6 and RFC 9147 §4.5.3: its confidentiality
 * limit is larger than the number of possible records, so the only limit is
 * that the 64-bit sequence number never wraps (RFC 8446 §5.3).
 */
u64 guard_default_hard(const struct ktls_cipher *c)
{
	switch (c->cipher_type) {
	case TLS_CIPHER_AES_GCM_128:
	case TLS_CIPHER_AES_GCM_256:
		return 23726566;	/* floor(2^24.5) */
	case TLS_CIPHER_AES_CCM_128:
		return 2965820;		/* floor(2^21.5) */
	default:
		return U64_MAX;
	}
}

void guard_get_global(struct guard_limits *l)
{
	unsigned int seq;

	do {
		seq = read_seqbegin(&guard_limits_seq);
		*l = guard_global;
	} while (read_seqretry(&guard_limits_seq, seq));
}

int guard_set_global(const struct guard_limits *l)
{
	if (l->soft_permille < 1 || l->soft_permille > 1000)
		return -EINVAL;
	if (l->soft && l->soft < KTLS_GUARD_MIN_SOFT)
		return -EINVAL;
	if (l->soft && l->hard && l->hard < l->soft + KTLS_GUARD_MIN_GAP)
		return -EINVAL;
	if (l->hard && l->hard < KTLS_GUARD_MIN_SOFT + KTLS_GUARD_MIN_GAP)
		return -EINVAL;
	write_seqlock(&guard_limits_seq);
	guard_global = *l;
	write_sequnlock(&guard_limits_seq);
	return 0;
}

/*
 * The limits that apply to @gs (or, with @gs NULL, the global ones for @c):
 * the socket's own, else the global overrides, else the RFC default with the
 * soft limit at soft_permille of it. The soft limit always leaves
 * KTLS_GUARD_MIN_GAP records before the hard one.
 */
void guard_effective(const struct guard_sock *gs,
		     const struct ktls_cipher *c, u64 *soft, u64 *hard)
{
	struct guard_limits g;
	u64 h, s;

	guard_get_global(&g);
	h = (gs && gs->hard) ? gs->hard : g.hard ? g.hard : guard_default_hard(c);
	s = (gs && gs->soft) ? gs->soft : g.soft ? g.soft :
		mul_u64_u32_div(h, g.soft_permille, 1000);
	if (s > h - KTLS_GUARD_MIN_GAP)
		s = h - KTLS_GUARD_MIN_GAP;
	*soft = s;
	*hard = h;
}

static u64 guard_be64(const char *p)
{
	return get_unaligned_be64(p);
}

/*
 * Records protected under the current key in one direction. Valid while
 * the socket is ours (sk_prot is our copy), which keeps kTLS's context.
 */
u64 guard_records(struct guard_sock *gs, bool tx)
{
	struct tls_context *ctx;
	u64 n = 0;

	rcu_read_lock();
	if (READ_ONCE(gs->sk->sk_prot) == &gs->gp->prot) {
		ctx = tls_get_ctx(gs->sk);
		if (ctx)
			n = guard_be64(tx ? ctx->tx.rec_seq : ctx->rx.rec_seq);
	}
	rcu_read_unlock();
	return n;
}

/* Payload bytes kTLS puts in a full record on this socket. */
static size_t guard_record_payload(struct sock *sk)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
	struct tls_context *ctx = tls_get_ctx(sk);

	if (ctx && ctx->tx_max_payload_len)
		return ctx->tx_max_payload_len;
#endif
	return TLS_MAX_PAYLOAD_SIZE;
}

static struct guard_proto *guard_proto_get(struct proto *orig);

/* kTLS's proto behind @sk, whether or not the socket is still ours. */
static struct proto *guard_orig(struct sock *sk)
{
	struct proto *p = READ_ONCE(sk->sk_prot);

	if (p->sendmsg == guard_sendmsg)
		return container_of(p, struct guard_proto, prot)->orig;
	return p;
}

/* kTLS's proto_ops behind @sock, whether or not the socket is still ours. */
static const struct proto_ops *guard_orig_ops(struct socket *sock)
{
	const struct proto_ops *o = READ_ONCE(sock->ops);

	if (o->read_sock == guard_read_sock || o->poll == guard_poll ||
	    o->splice_read == guard_splice_read)
		return container_of(o, struct guard_ops, ops)->orig;
	return o;
}

static struct guard_sock *guard_get(struct sock *sk)
{
	struct guard_sock *gs;

	rcu_read_lock();
	hash_for_each_possible_rcu(guard_table, gs, hnode, (unsigned long)sk) {
		if (gs->sk == sk && refcount_inc_not_zero(&gs->ref)) {
			rcu_read_unlock();
			return gs;
		}
	}
	rcu_read_unlock();
	return NULL;
}

void guard_put(struct guard_sock *gs)
{
	if (!refcount_dec_and_test(&gs->ref))
		return;
	memzero_explicit(gs->tx_secret, sizeof(gs->tx_secret));
	memzero_explicit(gs->rx_secret, sizeof(gs->rx_secret));
	sock_put(gs->sk);
	/* lookups may still be comparing gs->sk under RCU */
	kfree_rcu(gs, rcu);
	module_put(THIS_MODULE);
}

/* Take @gs out of the table; true if this call did (and owns its ref). */
static bool guard_unlink(struct guard_sock *gs)
{
	bool was;

	spin_lock(&guard_lock);
	was = gs->linked;
	if (was) {
		hash_del_rcu(&gs->hnode);
		list_del_rcu(&gs->lnode);
		gs->linked = false;
	}
	spin_unlock(&guard_lock);
	return was;
}

/* Give the socket back to plain kTLS; its keys stay as they are. */
static void guard_restore(struct guard_sock *gs)
{
	struct sock *sk = gs->sk;

	lock_sock(sk);
	if (sk->sk_prot == &gs->gp->prot)
		WRITE_ONCE(sk->sk_prot, gs->ktls_prot);
	if (gs->go && sk->sk_socket && sk->sk_socket->ops == &gs->go->ops)
		WRITE_ONCE(sk->sk_socket->ops, gs->ktls_ops);
	release_sock(sk);
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
/*
 * TX: no encryption may still be using the key when it changes. An
 * asynchronous AEAD can leave some in flight after a send returned; kTLS
 * counts them in encrypt_pending, which rests at 1. Caller holds the socket
 * lock, which this drops while it waits (at most a second).
 */
static int guard_tx_settle(struct sock *sk, struct tls_sw_context_tx *sw)
{
	int i;

	for (i = 0; atomic_read(&sw->encrypt_pending) > 1; i++) {
		if (i == 1000)
			return -ETIMEDOUT;
		release_sock(sk);
		usleep_range(500, 1000);
		lock_sock(sk);
	}
	return 0;
}

/*
 * Put the next key of one direction into kTLS's software context: the
 * state kTLS's own setsockopt(TLS_TX/TLS_RX) changes for a TLS 1.3 key
 * update, under the same socket lock. That is the AEAD key, the nonce
 * base (kTLS keeps salt then iv, together the 12-byte IV of RFC 8446
 * §5.3), the record number 0, and the crypto info that getsockopt
 * reports; for RX also the end of kTLS's wait for the key
 * (key_update_pending) and the wakeup that kTLS gives poll() then.
 *
 * Not through kTLS's setsockopt: it ends every TLS_TX/TLS_RX, key updates
 * included, by writing its own proto and proto_ops back into the socket
 * (update_sk_prot). Until the module put its copies back, a recv() that
 * started in between went to kTLS alone, and if it met the peer's
 * KeyUpdate the application got EIO. Here sk_prot and sk_socket->ops
 * stay ours from registration to release.
 */
static int guard_ktls_set_key(struct guard_sock *gs, bool tx, const u8 *key,
			      const u8 *info, unsigned int len)
{
	const struct ktls_cipher *c = gs->cipher;
	union tls_crypto_context *cur;
	struct sock *sk = gs->sk;
	struct cipher_context *cctx;
	struct tls_context *ctx;
	struct crypto_aead *aead;
	int err = -EPIPE;

	if (len != c->info_len || len > sizeof(*cur))
		return -EINVAL;
	lock_sock(sk);
	ctx = tls_get_ctx(sk);
	if (READ_ONCE(sk->sk_prot) != &gs->gp->prot || !ctx)
		goto out;
	if (tx) {
		err = guard_tx_settle(sk, tls_sw_ctx_tx(ctx));
		if (err)
			goto out;
		aead = tls_sw_ctx_tx(ctx)->aead_send;
		cctx = &ctx->tx;
		cur = &ctx->crypto_send;
	} else {
		aead = tls_sw_ctx_rx(ctx)->aead_recv;
		cctx = &ctx->rx;
		cur = &ctx->crypto_recv;
	}
	/* the last step that can fail: nothing has changed if it does */
	err = crypto_aead_setkey(aead, key, c->key_len);
	if (err)
		goto out;
	memcpy(cctx->iv, info + c->off_salt, c->salt_len);
	memcpy(cctx->iv + c->salt_len, info + c->off_iv,
	       KTLS_IV_LEN - c->salt_len);
	memset(cctx->rec_seq, 0, sizeof(cctx->rec_seq));
	memcpy(cur, info, len);
	if (tx) {
		SNMP_INC_STATS(sock_net(sk)->mib.tls_statistics,
			       LINUX_MIB_TLSTXREKEYOK);
	} else {
		struct tls_sw_context_rx *rx = tls_sw_ctx_rx(ctx);

		SNMP_INC_STATS(sock_net(sk)->mib.tls_statistics,
			       LINUX_MIB_TLSRXREKEYOK);
		WRITE_ONCE(rx->key_update_pending, false);
		rx->saved_data_ready(sk);
	}
out:
	release_sock(sk);
	return err;
}
#else
/* kTLS before 6.14 has no key update to follow (no CAP_REKEY) */
static int guard_ktls_set_key(struct guard_sock *gs, bool tx, const u8 *key,
			      const u8 *info, unsigned int len)
{
	return -EOPNOTSUPP;
}
#endif

static void guard_fail(struct guard_sock *gs, int err)
{
	gs->flags |= KTLS_GUARD_SOCK_FAILED;
	WRITE_ONCE(gs->sk->sk_err, -err);
	sk_error_report(gs->sk);
	guard_event(gs, KTLS_GUARD_EV_ERROR, err);
}

/* One record of @type through kTLS (caller holds tx_lock). */
static int guard_send_record(struct guard_sock *gs, u8 type, const u8 *data,
			     size_t len, int flags)
{
	u8 cbuf[CMSG_SPACE(sizeof(u8))] __aligned(sizeof(long)) = { 0 };
	struct cmsghdr *cm = (struct cmsghdr *)cbuf;
	struct kvec iov = { .iov_base = (void *)data, .iov_len = len };
	struct msghdr msg = {
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
		.msg_flags = flags,
	};

	cm->cmsg_len = CMSG_LEN(sizeof(u8));
	cm->cmsg_level = SOL_TLS;
	cm->cmsg_type = TLS_SET_RECORD_TYPE;
	*(u8 *)CMSG_DATA(cm) = type;
	msg.msg_control_is_user = false;
	iov_iter_kvec(&msg.msg_iter, ITER_SOURCE, &iov, 1, len);
	return gs->ktls_prot->sendmsg(gs->sk, &msg, len);
}

/*
 * Derive the next traffic secret of one direction (RFC 8446 §7.2), its key
 * and IV (§7.3), and install them in kTLS. The secret advances only if
 * the key was installed.
 */
static int guard_install_next(struct guard_sock *gs, bool tx)
{
	const struct ktls_cipher *c = gs->cipher;
	u8 *secret = tx ? gs->tx_secret : gs->rx_secret;
	u8 next[GUARD_MAX_SECRET], key[KTLS_MAX_KEY_LEN], iv[KTLS_IV_LEN];
	u8 info[KTLS_MAX_INFO_LEN];
	unsigned int len;
	int err;

	err = guard_hkdf_expand_label(secret, gs->secret_len, "traffic upd",
				      next, gs->secret_len);
	if (!err)
		err = guard_hkdf_expand_label(next, gs->secret_len, "key",
					      key, c->key_len);
	if (!err)
		err = guard_hkdf_expand_label(next, gs->secret_len, "iv",
					      iv, KTLS_IV_LEN);
	if (err)
		goto out;
	len = ktls_cipher_fill(c, info, key, iv, 0);
	err = guard_ktls_set_key(gs, tx, key, info, len);
	if (!err) {
		memcpy(secret, next, gs->secret_len);
		if (tx) {
			gs->tx_gen++;
			gs->soft_sent = false;
			gs->hard_sent = false;
			gs->flags &= ~(KTLS_GUARD_SOCK_SOFT_REACHED |
				       KTLS_GUARD_SOCK_TX_REFUSED);
		} else {
			gs->rx_gen++;
		}
	}
out:
	memzero_explicit(info, sizeof(info));
	memzero_explicit(key, sizeof(key));
	memzero_explicit(iv, sizeof(iv));
	memzero_explicit(next, sizeof(next));
	return err;
}

/*
 * The peer's key protects the records we receive: when it reaches the soft
 * limit, our next KeyUpdate asks the peer for one (update_requested), and
 * asks again every soft limit's worth of records until the peer's comes.
 */
static bool guard_rx_wants_update(struct guard_sock *gs)
{
	u64 soft, hard, at = READ_ONCE(gs->rx_request_at);

	guard_effective(gs, gs->cipher, &soft, &hard);
	return guard_records(gs, false) + GUARD_SLACK > max(soft, at);
}

/*
 * RFC 8446 §4.6.3: send KeyUpdate under the current key, then switch to the
 * next one. Caller holds tx_lock. If the KeyUpdate could not be queued,
 * nothing changed; if it was and the new key cannot be installed, the peer
 * and we disagree on the key: the connection fails.
 */
static int guard_tx_rekey(struct guard_sock *gs, int flags)
{
	u8 ku[5] = { GUARD_HS_KEY_UPDATE, 0, 0, 1, 0 };
	bool request = guard_rx_wants_update(gs);
	int n, err;

	ku[4] = request;	/* update_requested */
	n = guard_send_record(gs, GUARD_REC_HANDSHAKE, ku, sizeof(ku),
			      flags & MSG_DONTWAIT);
	if (n < 0)
		return n;
	if (n != sizeof(ku)) {
		guard_fail(gs, -EIO);
		return -EIO;
	}
	if (request) {
		u64 soft, hard;

		guard_effective(gs, gs->cipher, &soft, &hard);
		WRITE_ONCE(gs->rx_request_at, guard_records(gs, false) + soft);
	}
	err = guard_install_next(gs, true);
	if (err) {
		guard_fail(gs, err);
		return err;
	}
	WRITE_ONCE(gs->tx_rekey_due, false);
	guard_event(gs, KTLS_GUARD_EV_TX_REKEYED, 0);
	return 0;
}

/*
 * Before a send (tx_lock held): rekey or refuse as the limits say, and
 * return how many records the next kTLS call may produce.
 */
static long guard_tx_budget(struct guard_sock *gs, int flags)
{
	u64 soft, hard, used, limit;
	int err;

	if (gs->flags & KTLS_GUARD_SOCK_FAILED)
		return -EIO;
	guard_effective(gs, gs->cipher, &soft, &hard);
	used = guard_records(gs, true);
	if (guard_can_rekey() &&
	    (READ_ONCE(gs->tx_rekey_due) || used + GUARD_SLACK > soft ||
	     guard_rx_wants_update(gs))) {
		/* e.g. EAGAIN for a non-blocking sender: nothing was sent */
		err = guard_tx_rekey(gs, flags);
		if (err)
			return err;
		used = guard_records(gs, true);
	}
	if (used >= soft && !gs->soft_sent) {
		gs->soft_sent = true;
		gs->flags |= KTLS_GUARD_SOCK_SOFT_REACHED;
		guard_event(gs, KTLS_GUARD_EV_SOFT_LIMIT, 0);
	}
	if (used + GUARD_SLACK > hard) {
		gs->flags |= KTLS_GUARD_SOCK_TX_REFUSED;
		if (!gs->hard_sent) {
			gs->hard_sent = true;
			guard_event(gs, KTLS_GUARD_EV_HARD_LIMIT, 0);
		}
		return -EKEYEXPIRED;
	}
	/*
	 * A call given N whole records of data closes at most N + 1 (one was
	 * possibly left open by MSG_MORE); keep GUARD_SLACK - 1 in reserve so
	 * that, with the KeyUpdate, a key never protects more than its limit.
	 */
	limit = guard_can_rekey() ? soft : hard;
	return (long)min_t(u64, limit - used - (GUARD_SLACK - 1), LONG_MAX / 2);
}

static int guard_tx(struct guard_sock *gs, struct msghdr *msg, size_t size)
{
	struct sock *sk = gs->sk;
	int flags = msg->msg_flags;
	size_t done = 0, per_rec = guard_record_payload(sk);
	int ret = 0;

	if (mutex_lock_interruptible(&gs->tx_lock))
		return -ERESTARTSYS;
	do {
		size_t left = size - done, chunk;
		long budget;

		budget = guard_tx_budget(gs, flags);
		if (budget < 0) {
			ret = budget;
			break;
		}
		/* whole records only, and never more than the budget */
		chunk = left;
		if ((u64)budget <= left / per_rec)
			chunk = max_t(size_t, (size_t)budget - 1, 1) * per_rec;
		if (chunk > left)
			chunk = left;
		if (chunk < left) {
			iov_iter_truncate(&msg->msg_iter, chunk);
			msg->msg_flags = flags & ~MSG_MORE;
		} else {
			msg->msg_flags = flags;
		}
		ret = gs->ktls_prot->sendmsg(sk, msg, chunk);
		if (chunk < left)
			iov_iter_reexpand(&msg->msg_iter,
					  left - (ret > 0 ? ret : 0));
		if (ret <= 0)
			break;
		done += ret;
		if ((size_t)ret < chunk)
			break;
	} while (done < size);
	msg->msg_flags = flags;
	mutex_unlock(&gs->tx_lock);
	return done ? (int)done : ret;
}

static int guard_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)
{
	struct guard_sock *gs = guard_get(sk);
	int ret;

	if (!gs)
		return guard_orig(sk)->sendmsg(sk, msg, size);
	ret = guard_tx(gs, msg, size);
	guard_put(gs);
	return ret;
}

static void guard_splice_eof(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct guard_sock *gs = guard_get(sk);

	if (!gs) {
		struct proto *p = guard_orig(sk);

		if (p->splice_eof)
			p->splice_eof(sock);
		return;
	}
	/* flushing the open record encrypts at most one: within the slack */
	mutex_lock(&gs->tx_lock);
	if (gs->ktls_prot->splice_eof)
		gs->ktls_prot->splice_eof(sock);
	mutex_unlock(&gs->tx_lock);
	guard_put(gs);
}

/*
 * A fatal alert before failing the connection. The reader must not wait
 * for tx_lock (a sender may hold it while blocked on a peer that waits for
 * us to read): if a sender is busy, the connection fails without it.
 */
static void guard_alert(struct guard_sock *gs, u8 desc)
{
	const u8 alert[2] = { 2, desc };	/* fatal */

	if (!mutex_trylock(&gs->tx_lock))
		return;
	guard_send_record(gs, GUARD_REC_ALERT, alert, sizeof(alert),
			  MSG_DONTWAIT);
	mutex_unlock(&gs->tx_lock);
}

/*
 * The reader met a record it cannot take (EIO: not application data) or
 * kTLS is waiting for the next RX key (EKEYEXPIRED). If the next record is
 * the peer's KeyUpdate, consume it and switch keys. Returns 1 to retry the
 * read, 0 to return the original error, or a negative error.
 */
static int guard_rx_control(struct guard_sock *gs, int why)
{
	u8 cbuf[CMSG_SPACE(sizeof(u8))] __aligned(sizeof(long));
	struct cmsghdr *cm = (struct cmsghdr *)cbuf;
	struct sock *sk = gs->sk;
	u8 buf[8], type = 0;
	struct msghdr msg;
	struct kvec iov;
	int n, ret = 0, err;
	int alen __maybe_unused = 0;
	bool requested;

	mutex_lock(&gs->rx_lock);
	memset(&msg, 0, sizeof(msg));
	memset(cbuf, 0, sizeof(cbuf));
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof(cbuf);
	msg.msg_control_is_user = false;
	iov_iter_kvec(&msg.msg_iter, ITER_DEST, &iov, 1, sizeof(buf));
	n = GUARD_RECV(gs->ktls_prot, sk, &msg, sizeof(buf),
		       MSG_PEEK | MSG_DONTWAIT, &alen);
	if (n == -EKEYEXPIRED) {
		/*
		 * The KeyUpdate went to a reader that takes control records:
		 * kTLS waits for the next key. Its update_request is unknown:
		 * answer with our own KeyUpdate, which is always allowed.
		 */
		requested = true;
		goto switch_rx;
	}
	if (n < 0) {
		pr_warn_ratelimited("ktls_guard: socket %llu: read error %d, "
				    "and the next record cannot be peeked "
				    "(%d)\n", gs->id, why, n);
		goto out;
	}
	if (cm->cmsg_level == SOL_TLS && cm->cmsg_type == TLS_GET_RECORD_TYPE)
		type = *(u8 *)CMSG_DATA(cm);
	if (type != GUARD_REC_HANDSHAKE || n < 1 || buf[0] != GUARD_HS_KEY_UPDATE) {
		/* not ours: the reader gets its error */
		pr_warn_ratelimited("ktls_guard: socket %llu: read error %d "
				    "at a record of type %u (%d bytes, "
				    "first %u), not a KeyUpdate\n", gs->id,
				    why, type, n, n > 0 ? buf[0] : 0);
		goto out;
	}

	/* RFC 8446 §4.6.3, §5.1: exactly one KeyUpdate, ending the record */
	if (n != 5 || buf[1] || buf[2] || buf[3] != 1) {
		guard_alert(gs, n > 5 ? 10 : 50);	/* unexpected_message,
							 * decode_error */
		guard_fail(gs, -EBADMSG);
		ret = -EBADMSG;
		goto out;
	}
	if (buf[4] > 1) {
		guard_alert(gs, 47);			/* illegal_parameter */
		guard_fail(gs, -EBADMSG);
		ret = -EBADMSG;
		goto out;
	}
	requested = buf[4] == 1;

	/* consume it */
	memset(&msg, 0, sizeof(msg));
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof(cbuf);
	msg.msg_control_is_user = false;
	iov_iter_kvec(&msg.msg_iter, ITER_DEST, &iov, 1, sizeof(buf));
	n = GUARD_RECV(gs->ktls_prot, sk, &msg, sizeof(buf), MSG_DONTWAIT,
		       &alen);
	if (n != 5) {
		guard_fail(gs, -EIO);
		ret = -EIO;
		goto out;
	}
switch_rx:
	guard_event(gs, KTLS_GUARD_EV_PEER_KEY_UPDATE, 0);
	err = guard_install_next(gs, false);
	if (err) {
		guard_fail(gs, err);
		ret = err;
		goto out;
	}
	WRITE_ONCE(gs->rx_request_at, 0);
	guard_event(gs, KTLS_GUARD_EV_RX_REKEYED, 0);
	ret = 1;
	if (requested) {
		/*
		 * Our KeyUpdate, before our next data (RFC 8446 §4.6.3): now,
		 * or, if a sender holds tx_lock (waiting for it here could
		 * deadlock, see guard_alert) or the record cannot be queued,
		 * first thing at the next chunk any sender sends.
		 */
		WRITE_ONCE(gs->tx_rekey_due, true);
		if (mutex_trylock(&gs->tx_lock)) {
			if (READ_ONCE(gs->tx_rekey_due))
				guard_tx_rekey(gs, MSG_DONTWAIT);
			mutex_unlock(&gs->tx_lock);
		}
	}
out:
	memzero_explicit(buf, sizeof(buf));
	mutex_unlock(&gs->rx_lock);
	return ret;
}

/* kTLS has decrypted a KeyUpdate and waits for the next RX key (>= 6.14). */
static bool guard_rx_pending(struct guard_sock *gs)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
	struct tls_context *ctx = tls_get_ctx(gs->sk);
	struct tls_sw_context_rx *rx = ctx ? tls_sw_ctx_rx(ctx) : NULL;

	return rx && READ_ONCE(rx->key_update_pending);
#else
	return false;
#endif
}

/*
 * Did the kTLS call that returned @ret give an in-kernel reader (sunrpc,
 * nvmet) the peer's KeyUpdate? kTLS put the record type in the reader's
 * cmsg buffer, which started at @ctl; kTLS has decrypted a KeyUpdate and
 * waits for the next key, so a handshake record handed out now is it.
 */
static bool guard_reader_took_update(struct guard_sock *gs,
				     struct msghdr *msg, int ret, void *ctl,
				     size_t ctllen)
{
	struct cmsghdr *cm = ctl;

	if (ret <= 0 || !ctl || msg->msg_control_is_user ||
	    msg->msg_control == ctl || ctllen < CMSG_LEN(sizeof(u8)))
		return false;
	return cm->cmsg_level == SOL_TLS &&
	       cm->cmsg_type == TLS_GET_RECORD_TYPE &&
	       *(u8 *)CMSG_DATA(cm) == GUARD_REC_HANDSHAKE;
}

/*
 * After a read: if the peer's key is due for an update, ask for it now
 * unless a sender is busy (a busy sender asks at its next call; waiting
 * here for it could deadlock against a peer that waits for us to read).
 */
static void guard_rx_ask(struct guard_sock *gs)
{
	if (!guard_can_rekey() || !guard_rx_wants_update(gs) ||
	    !mutex_trylock(&gs->tx_lock))
		return;
	if (!(gs->flags & KTLS_GUARD_SOCK_FAILED) && guard_rx_wants_update(gs))
		guard_tx_rekey(gs, MSG_DONTWAIT);
	mutex_unlock(&gs->tx_lock);
}

static int guard_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
			 int flags GUARD_ADDR_LEN_PARAM)
{
	struct guard_sock *gs = guard_get(sk);
	void *ctl = msg->msg_control;
	size_t ctllen = msg->msg_controllen;
	int mflags = msg->msg_flags;
	int ret, r;

	if (!gs)
		return guard_orig(sk)->recvmsg(sk, msg, len, flags
					       GUARD_ADDR_LEN_ARG);
	for (;;) {
		ret = gs->ktls_prot->recvmsg(sk, msg, len, flags
					     GUARD_ADDR_LEN_ARG);
		if (!guard_can_rekey())
			break;
		if (ret != -EIO && ret != -EKEYEXPIRED) {
			/*
			 * A reader with a cmsg buffer (sunrpc, nvmet) may just
			 * have taken the KeyUpdate record itself: switch keys
			 * now, in this call, for kTLS sends no wakeup while it
			 * waits for the next RX key.
			 */
			if (!guard_rx_pending(gs))
				break;
			r = guard_rx_control(gs, -EKEYEXPIRED);
			/* a failure is in sk_err */
			if (r <= 0 ||
			    !guard_reader_took_update(gs, msg, ret, ctl, ctllen))
				break;
			/*
			 * An in-kernel reader: take the record back from it
			 * and read again, so that it never sees the update
			 * (nvmet logs every record it does not expect).
			 */
			iov_iter_revert(&msg->msg_iter, ret);
		} else {
			r = guard_rx_control(gs, ret);
			if (r < 0)
				ret = r;
			if (r <= 0)
				break;
		}
		/* the retry starts as the reader's call did (no MSG_CTRUNC) */
		msg->msg_control = ctl;
		msg->msg_controllen = ctllen;
		msg->msg_flags = mflags;
	}
	if (ret > 0)
		guard_rx_ask(gs);
	guard_put(gs);
	return ret;
}

/*
 * splice() from the socket: kTLS cannot splice a control record and
 * answers EINVAL at the peer's KeyUpdate (EKEYEXPIRED once it waits for
 * the key). The caller holds no lock, so the update is taken here, as for
 * recvmsg, and the splice repeated.
 */
static ssize_t guard_splice_read(struct socket *sock, loff_t *ppos,
				 struct pipe_inode_info *pipe, size_t len,
				 unsigned int flags)
{
	struct guard_sock *gs = guard_get(sock->sk);
	ssize_t ret;
	int r;

	if (!gs)
		return guard_orig_ops(sock)->splice_read(sock, ppos, pipe, len,
							 flags);
	for (;;) {
		ret = gs->ktls_ops->splice_read(sock, ppos, pipe, len, flags);
		if (!guard_can_rekey() ||
		    (ret != -EINVAL && ret != -EKEYEXPIRED))
			break;
		r = guard_rx_control(gs, ret);
		if (r < 0)
			ret = r;
		if (r <= 0)
			break;
	}
	if (ret > 0)
		guard_rx_ask(gs);
	guard_put(gs);
	return ret;
}

/*
 * rx_work: switch the RX key after read_sock met the peer's KeyUpdate, then
 * wake the reader. The records after the update may all be in already, so
 * no more data_ready would come, and kTLS's own wakeup at the key change
 * reaches only poll() (its saved_data_ready), not a consumer that took over
 * sk_data_ready (NVMe/TCP queues its I/O work there). Runs with a reference
 * on @gs; release and close cancel it, or wait for it, before the socket
 * goes.
 */
static void guard_rx_work(struct work_struct *work)
{
	struct guard_sock *gs = container_of(work, struct guard_sock, rx_work);
	struct sock *sk = gs->sk;

	if (!(gs->flags & KTLS_GUARD_SOCK_FAILED) && guard_rx_pending(gs))
		guard_rx_control(gs, -EINVAL);
	lock_sock(sk);
	if (sk->sk_prot == &gs->gp->prot)
		sk->sk_data_ready(sk);
	release_sock(sk);
	guard_put(gs);
}

/*
 * If kTLS holds the peer's KeyUpdate, queue rx_work to take it (unless the
 * socket is being released); true if kTLS holds one.
 */
static bool guard_rx_defer(struct guard_sock *gs)
{
	if (!guard_can_rekey() || !guard_rx_pending(gs) ||
	    (gs->flags & KTLS_GUARD_SOCK_FAILED))
		return false;
	spin_lock_bh(&gs->rx_work_lock);
	if (!gs->dying) {
		refcount_inc(&gs->ref);
		if (!queue_work(guard_wq, &gs->rx_work))
			refcount_dec(&gs->ref);	/* pending: it has one */
	}
	spin_unlock_bh(&gs->rx_work_lock);
	return true;
}

/* No rx_work from now on, and none running: the socket may go. */
static void guard_rx_stop(struct guard_sock *gs)
{
	spin_lock_bh(&gs->rx_work_lock);
	gs->dying = true;
	spin_unlock_bh(&gs->rx_work_lock);
	if (cancel_work_sync(&gs->rx_work))
		guard_put(gs);		/* the queued work's reference */
}

/*
 * read_sock (NVMe/TCP's host reads every queue this way, holding the
 * socket lock): kTLS cannot hand it a control record and answers EINVAL at
 * the peer's KeyUpdate, again at every call, with the record left queued.
 * The key update needs recvmsg, which takes the socket lock: it runs in
 * rx_work, and the reader is told there is nothing to read yet; rx_work
 * wakes it with the next key in place.
 */
static int guard_read_sock(struct sock *sk, read_descriptor_t *desc,
			   sk_read_actor_t actor)
{
	struct guard_sock *gs = guard_get(sk);
	int ret;

	if (!gs)
		return guard_orig_ops(sk->sk_socket)->read_sock(sk, desc,
								actor);
	ret = gs->ktls_ops->read_sock(sk, desc, actor);
	if (guard_rx_defer(gs) && (ret == -EINVAL || ret == -EKEYEXPIRED))
		ret = 0;
	guard_put(gs);
	return ret;
}

/*
 * poll: while kTLS holds a decrypted KeyUpdate (key_update_pending) it says
 * the socket is not readable, until the next RX key is installed, so a
 * reader that waits for POLLIN before it reads would never make the module
 * take the update. Every read through the module takes it before it
 * returns; should one stay with kTLS anyway, it is taken in rx_work, and
 * kTLS's own wakeup at the new key reaches the poll.
 */
static __poll_t guard_poll(struct file *file, struct socket *sock,
			   struct poll_table_struct *wait)
{
	struct guard_sock *gs = sock->sk ? guard_get(sock->sk) : NULL;
	__poll_t mask;

	if (!gs)
		return guard_orig_ops(sock)->poll(file, sock, wait);
	mask = gs->ktls_ops->poll(file, sock, wait);
	guard_rx_defer(gs);
	guard_put(gs);
	return mask;
}

/* The guard owns a registered socket's keys: no TLS_TX/TLS_RX from others. */
static int guard_setsockopt(struct sock *sk, int level, int optname,
			    sockptr_t optval, unsigned int optlen)
{
	struct guard_sock *gs;

	if (level == SOL_TLS && (optname == TLS_TX || optname == TLS_RX)) {
		gs = guard_get(sk);
		if (gs) {
			guard_put(gs);
			return -EBUSY;
		}
	}
	return guard_orig(sk)->setsockopt(sk, level, optname, optval, optlen);
}

static void guard_close(struct sock *sk, long timeout)
{
	struct guard_sock *gs = guard_get(sk);
	struct proto *p;

	if (!gs) {
		guard_orig(sk)->close(sk, timeout);
		return;
	}
	p = gs->ktls_prot;
	guard_rx_stop(gs);
	guard_restore(gs);
	if (guard_unlink(gs))
		guard_put(gs);		/* the table's reference */
	guard_put(gs);
	p->close(sk, timeout);
}

static struct guard_proto *guard_proto_get(struct proto *orig)
{
	struct guard_proto *gp;

	mutex_lock(&guard_protos_lock);
	list_for_each_entry(gp, &guard_protos, node)
		if (gp->orig == orig)
			goto out;
	gp = kzalloc(sizeof(*gp), GFP_KERNEL);
	if (gp) {
		gp->prot = *orig;
		gp->orig = orig;
		gp->prot.sendmsg = guard_sendmsg;
		gp->prot.recvmsg = guard_recvmsg;
		gp->prot.setsockopt = guard_setsockopt;
		gp->prot.close = guard_close;
		if (orig->splice_eof)
			gp->prot.splice_eof = guard_splice_eof;
		list_add(&gp->node, &guard_protos);
	}
out:
	mutex_unlock(&guard_protos_lock);
	return gp;
}

static struct guard_ops *guard_ops_get(const struct proto_ops *orig)
{
	struct guard_ops *go;

	mutex_lock(&guard_protos_lock);
	list_for_each_entry(go, &guard_ops_list, node)
		if (go->orig == orig)
			goto out;
	go = kzalloc(sizeof(*go), GFP_KERNEL);
	if (go) {
		go->ops = *orig;
		go->orig = orig;
		if (orig->read_sock)
			go->ops.read_sock = guard_read_sock;
		if (orig->poll)
			go->ops.poll = guard_poll;
		if (orig->splice_read)
			go->ops.splice_read = guard_splice_read;
		list_add(&go->node, &guard_ops_list);
	}
out:
	mutex_unlock(&guard_protos_lock);
	return go;
}

static bool guard_secret_matches(const struct ktls_cipher *c,
				 const union tls_crypto_context *cur,
				 const u8 *secret, unsigned int slen)
{
	u8 key[KTLS_MAX_KEY_LEN], iv[KTLS_IV_LEN], info[KTLS_MAX_INFO_LEN];
	const u8 *have = (const u8 *)cur;
	bool ok = false;

	if (guard_hkdf_expand_label(secret, slen, "key", key, c->key_len) ||
	    guard_hkdf_expand_label(secret, slen, "iv", iv, KTLS_IV_LEN))
		goto out;
	ktls_cipher_fill(c, info, key, iv, 0);
	ok = !crypto_memneq(info + c->off_key, have + c->off_key, c->key_len) &&
	     !crypto_memneq(info + c->off_salt, have + c->off_salt,
			    c->salt_len) &&
	     !crypto_memneq(info + c->off_iv, have + c->off_iv,
			    KTLS_IV_LEN - c->salt_len);
out:
	memzero_explicit(key, sizeof(key));
	memzero_explicit(iv, sizeof(iv));
	memzero_explicit(info, sizeof(info));
	return ok;
}

static bool guard_allowed(struct sock *sk)
{
	return ns_capable(sock_net(sk)->user_ns, CAP_NET_ADMIN) ||
	       uid_eq(READ_ONCE(sk->sk_uid), current_euid());
}

int guard_register(int fd, u16 suite, const u8 *tx_secret,
		   const u8 *rx_secret, unsigned int secret_len, u64 soft,
		   u64 hard, u64 *id)
{
	const struct ktls_cipher *c = ktls_cipher_by_suite(suite);
	const struct inet_connection_sock *icsk;
	struct guard_sock *gs, *other;
	struct tls_context *ctx;
	struct guard_proto *gp;
	struct socket *sock;
	struct sock *sk;
	int err;

	if (!c || secret_len != (suite == 0x1302 ? 48 : 32))
		return -EINVAL;
	if ((soft && soft < KTLS_GUARD_MIN_SOFT) ||
	    (hard && hard < KTLS_GUARD_MIN_SOFT + KTLS_GUARD_MIN_GAP) ||
	    (soft && hard && hard < soft + KTLS_GUARD_MIN_GAP))
		return -EINVAL;
	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	sk = sock->sk;
	err = -EPERM;
	if (!sk || !guard_allowed(sk))
		goto out_sock;
	err = -EPROTONOSUPPORT;
	if (sk->sk_type != SOCK_STREAM || sk->sk_protocol != IPPROTO_TCP)
		goto out_sock;

	err = -ENOMEM;
	gs = kzalloc(sizeof(*gs), GFP_KERNEL);
	if (!gs)
		goto out_sock;
	refcount_set(&gs->ref, 1);
	INIT_WORK(&gs->rx_work, guard_rx_work);
	spin_lock_init(&gs->rx_work_lock);
	mutex_init(&gs->tx_lock);
	mutex_init(&gs->rx_lock);
	gs->cipher = c;
	gs->secret_len = secret_len;
	memcpy(gs->tx_secret, tx_secret, secret_len);
	memcpy(gs->rx_secret, rx_secret, secret_len);
	gs->soft = soft;
	gs->hard = hard;
	gs->sk = sk;
	gs->ino = SOCK_INODE(sock)->i_ino;
	gs->pid = task_tgid_nr(current);
	get_task_comm(gs->comm, current);
	gs->uid = current_euid();
	gs->kernel = sk->sk_kern_sock;

	lock_sock(sk);
	icsk = inet_csk(sk);
	err = -EPROTONOSUPPORT;
	if (!icsk->icsk_ulp_ops || strcmp(icsk->icsk_ulp_ops->name, "tls"))
		goto out_unlock;
	ctx = tls_get_ctx(sk);
	if (!ctx || ctx->tx_conf != TLS_SW || ctx->rx_conf != TLS_SW ||
	    ctx->prot_info.version != TLS_1_3_VERSION)
		goto out_unlock;
	err = -EEXIST;
	if (sk->sk_prot->sendmsg == guard_sendmsg)
		goto out_unlock;
	err = -EINVAL;
	if (ctx->crypto_send.info.cipher_type != c->cipher_type ||
	    ctx->crypto_recv.info.cipher_type != c->cipher_type)
		goto out_unlock;
	if (!guard_secret_matches(c, &ctx->crypto_send, tx_secret, secret_len) ||
	    !guard_secret_matches(c, &ctx->crypto_recv, rx_secret, secret_len))
		goto out_unlock;
	err = -ENOMEM;
	gp = guard_proto_get(sk->sk_prot);
	if (!gp)
		goto out_unlock;
	gs->gp = gp;
	gs->ktls_prot = sk->sk_prot;
	gs->ktls_ops = sock->ops;
	if (sock->ops->read_sock || sock->ops->poll || sock->ops->splice_read) {
		gs->go = guard_ops_get(sock->ops);
		if (!gs->go)
			goto out_unlock;
	}
	__module_get(THIS_MODULE);
	sock_hold(sk);

	spin_lock(&guard_lock);
	hash_for_each_possible(guard_table, other, hnode, (unsigned long)sk)
		WARN_ON_ONCE(other->sk == sk);
	gs->id = guard_next_id++;
	gs->linked = true;
	hash_add_rcu(guard_table, &gs->hnode, (unsigned long)sk);
	list_add_tail_rcu(&gs->lnode, &guard_list);
	spin_unlock(&guard_lock);
	WRITE_ONCE(sk->sk_prot, &gp->prot);
	if (gs->go)
		WRITE_ONCE(sock->ops, &gs->go->ops);
	release_sock(sk);
	*id = gs->id;
	sockfd_put(sock);
	return 0;

out_unlock:
	release_sock(sk);
	memzero_explicit(gs->tx_secret, sizeof(gs->tx_secret));
	memzero_explicit(gs->rx_secret, sizeof(gs->rx_secret));
	kfree(gs);
out_sock:
	sockfd_put(sock);
	return err;
}

/* Release: wait out any key update, hand the socket back, drop the table's
 * reference. Secrets are zeroized when the last user is gone. */
static void guard_release(struct guard_sock *gs)
{
	guard_rx_stop(gs);
	mutex_lock(&gs->rx_lock);
	mutex_lock(&gs->tx_lock);
	guard_restore(gs);
	mutex_unlock(&gs->tx_lock);
	mutex_unlock(&gs->rx_lock);
	if (guard_unlink(gs))
		guard_put(gs);
}

int guard_unregister_fd(int fd)
{
	struct guard_sock *gs;
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = -EPERM;
	if (!sock->sk || !guard_allowed(sock->sk))
		goto out;
	err = -ENOENT;
	gs = guard_get(sock->sk);
	if (gs) {
		guard_release(gs);
		guard_put(gs);
		err = 0;
	}
out:
	sockfd_put(sock);
	return err;
}

bool guard_may_see(const struct guard_sock *gs, struct net *net)
{
	if (!net_eq(sock_net(gs->sk), net))
		return false;
	return ns_capable(net->user_ns, CAP_NET_ADMIN) ||
	       uid_eq(gs->uid, current_euid());
}

static struct guard_sock *guard_get_id(struct net *net, u64 id)
{
	struct guard_sock *gs;

	rcu_read_lock();
	list_for_each_entry_rcu(gs, &guard_list, lnode) {
		if (gs->id == id && guard_may_see(gs, net) &&
		    refcount_inc_not_zero(&gs->ref)) {
			rcu_read_unlock();
			return gs;
		}
	}
	rcu_read_unlock();
	return NULL;
}

int guard_unregister_id(struct net *net, u64 id)
{
	struct guard_sock *gs = guard_get_id(net, id);

	if (!gs)
		return -ENOENT;
	guard_release(gs);
	guard_put(gs);
	return 0;
}

int guard_set_sock_limits(struct net *net, u64 id, u64 soft, u64 hard)
{
	struct guard_sock *gs;
	int err = -EINVAL;

	if ((soft && soft < KTLS_GUARD_MIN_SOFT) ||
	    (hard && hard < KTLS_GUARD_MIN_SOFT + KTLS_GUARD_MIN_GAP) ||
	    (soft && hard && hard < soft + KTLS_GUARD_MIN_GAP))
		return -EINVAL;
	gs = guard_get_id(net, id);
	if (!gs)
		return -ENOENT;
	mutex_lock(&gs->tx_lock);
	gs->soft = soft;
	gs->hard = hard;
	err = 0;
	mutex_unlock(&gs->tx_lock);
	guard_put(gs);
	return err;
}

/* The registered socket with the smallest id above @after_id, referenced. */
struct guard_sock *guard_next(struct net *net, u64 after_id)
{
	struct guard_sock *gs;

	rcu_read_lock();
	list_for_each_entry_rcu(gs, &guard_list, lnode) {
		if (gs->id > after_id && guard_may_see(gs, net) &&
		    refcount_inc_not_zero(&gs->ref)) {
			rcu_read_unlock();
			return gs;
		}
	}
	rcu_read_unlock();
	return NULL;
}

/*
 * Registered sockets pin the module (each holds a module reference), so
 * by the time this runs none is left; only the proto copies remain.
 */
void guard_sock_exit(void)
{
	struct guard_proto *gp, *tmp;
	struct guard_ops *go, *gtmp;

	WARN_ON(!list_empty(&guard_list));
	/* a last rx_work may still be returning from its guard_put() */
	destroy_workqueue(guard_wq);
	synchronize_rcu();
	list_for_each_entry_safe(gp, tmp, &guard_protos, node) {
		list_del(&gp->node);
		kfree(gp);
	}
	list_for_each_entry_safe(go, gtmp, &guard_ops_list, node) {
		list_del(&go->node);
		kfree(go);
	}
}

int guard_sock_init(void)
{
	/* NVMe's writeback may wait on an RX key update: reclaim-safe */
	guard_wq = alloc_workqueue("ktls_guard", WQ_UNBOUND | WQ_MEM_RECLAIM,
				   0);
	return guard_wq ? 0 : -ENOMEM;
}
