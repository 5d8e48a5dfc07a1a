/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the ktls_guard selftests: loading the module, the family's
 * commands through libnl, TLS 1.3 key derivation with OpenSSL's HMAC (an
 * implementation independent of the module's), and kTLS loopback pairs.
 */
#ifndef GUARD_LIB_H
#define GUARD_LIB_H

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <linux/ktls_guard.h>
#include "ktls_cipher.h"

#ifndef SOL_TLS
#define SOL_TLS 282
#endif

/* ---- module ---- */

static inline int guard_resolve(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int id = -1;

	if (sk && !genl_connect(sk))
		id = genl_ctrl_resolve(sk, KTLS_GUARD_FAMILY_NAME);
	nl_socket_free(sk);
	return id;
}

/* 0 if loaded now or already; -errno otherwise. */
static inline int guard_load(void)
{
	const char *ko = getenv("KTLS_GUARD_KO");
	int fd, ret = 0;

	if (guard_resolve() > 0)
		return 0;
	if (!ko)
		return -ENOENT;
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST)
		ret = -errno;
	close(fd);
	return ret;
}

static inline int guard_unload(void)
{
	return syscall(SYS_delete_module, "ktls_guard", O_NONBLOCK) ? -errno : 0;
}

/* ---- requests ---- */

struct guard_attrs {
	uint64_t v[KTLS_GUARD_A_MAX + 1];
	bool has[KTLS_GUARD_A_MAX + 1];
	char comm[32];
};

typedef void (*guard_dump_fn)(const struct guard_attrs *a, void *arg);

struct guard_req {
	int err;
	bool done;
	struct guard_attrs reply;
	guard_dump_fn fn;
	void *arg;
};

static inline void guard_parse(struct nlattr **tb, struct guard_attrs *a)
{
	memset(a, 0, sizeof(*a));
	for (int i = 1; i <= KTLS_GUARD_A_MAX; i++) {
		if (!tb[i])
			continue;
		a->has[i] = true;
		switch (nla_len(tb[i])) {
		case 1:
			a->v[i] = nla_get_u8(tb[i]);
			break;
		case 2:
			a->v[i] = nla_get_u16(tb[i]);
			break;
		case 4:
			a->v[i] = nla_get_u32(tb[i]);
			break;
		case 8:
			a->v[i] = nla_get_u64(tb[i]);
			break;
		}
	}
	if (tb[KTLS_GUARD_A_SOCK_COMM])
		snprintf(a->comm, sizeof(a->comm), "%s",
			 nla_get_string(tb[KTLS_GUARD_A_SOCK_COMM]));
}

static inline int guard_on_valid(struct nl_msg *msg, void *arg)
{
	struct guard_req *r = arg;
	struct nlattr *tb[KTLS_GUARD_A_MAX + 1];
	struct guard_attrs a;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, KTLS_GUARD_A_MAX, NULL))
		return NL_SKIP;
	guard_parse(tb, &a);
	if (r->fn)
		r->fn(&a, r->arg);
	else
		r->reply = a;
	return NL_OK;
}

static inline int guard_on_error(struct sockaddr_nl *nla, struct nlmsgerr *e,
				 void *arg)
{
	struct guard_req *r = arg;

	(void)nla;
	r->err = e->error;
	r->done = true;
	return NL_STOP;
}

static inline int guard_on_ack(struct nl_msg *msg, void *arg)
{
	struct guard_req *r = arg;

	(void)msg;
	r->done = true;
	return NL_STOP;
}

static inline int guard_on_finish(struct nl_msg *msg, void *arg)
{
	return guard_on_ack(msg, arg);
}

/*
 * Send @msg (a KTLS_GUARD_CMD_* already built by guard_msg()) and wait for
 * its answer. Returns 0 or -errno; replies go to r->reply or r->fn.
 */
static inline int guard_send(struct nl_msg *msg, struct guard_req *r)
{
	struct nl_sock *sk = nl_socket_alloc();
	int ret = -ENOMEM;

	r->err = 0;
	r->done = false;
	if (!sk || genl_connect(sk))
		goto out;
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, guard_on_valid, r);
	nl_socket_modify_cb(sk, NL_CB_ACK, NL_CB_CUSTOM, guard_on_ack, r);
	nl_socket_modify_cb(sk, NL_CB_FINISH, NL_CB_CUSTOM, guard_on_finish, r);
	nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, guard_on_error, r);
	ret = -EIO;
	if (nl_send_auto(sk, msg) < 0)
		goto out;
	while (!r->done)
		if (nl_recvmsgs_default(sk) < 0 && !r->done)
			break;
	ret = r->done ? r->err : -EIO;
out:
	nlmsg_free(msg);
	nl_socket_free(sk);
	return ret;
}

static inline struct nl_msg *guard_msg(int cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();
	int family = guard_resolve();

	if (!msg || family <= 0 ||
	    !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
			 NLM_F_ACK | flags, cmd, KTLS_GUARD_FAMILY_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static inline int guard_caps(uint32_t *caps)
{
	struct nl_msg *msg = guard_msg(KTLS_GUARD_CMD_GET_CAPS, 0);
	struct guard_req r = { 0 };
	int ret;

	if (!msg)
		return -ENOENT;
	ret = guard_send(msg, &r);
	*caps = (uint32_t)r.reply.v[KTLS_GUARD_A_CAPS];
	return ret;
}

static inline int guard_register(int fd, uint16_t suite, const uint8_t *tx,
				 const uint8_t *rx, size_t slen, uint64_t soft,
				 uint64_t hard, uint64_t *id)
{
	struct nl_msg *msg = guard_msg(KTLS_GUARD_CMD_REGISTER, 0);
	struct guard_req r = { 0 };
	int ret;

	if (!msg)
		return -ENOENT;
	nla_put_u32(msg, KTLS_GUARD_A_FD, (uint32_t)fd);
	nla_put_u16(msg, KTLS_GUARD_A_SUITE, suite);
	nla_put(msg, KTLS_GUARD_A_TX_SECRET, (int)slen, tx);
	nla_put(msg, KTLS_GUARD_A_RX_SECRET, (int)slen, rx);
	if (soft)
		nla_put_u64(msg, KTLS_GUARD_A_SOFT_RECORDS, soft);
	if (hard)
		nla_put_u64(msg, KTLS_GUARD_A_HARD_RECORDS, hard);
	ret = guard_send(msg, &r);
	if (id)
		*id = r.reply.v[KTLS_GUARD_A_ID];
	return ret;
}

static inline int guard_unregister(int attr, uint64_t v)
{
	struct nl_msg *msg = guard_msg(KTLS_GUARD_CMD_UNREGISTER, 0);
	struct guard_req r = { 0 };

	if (!msg)
		return -ENOENT;
	if (attr == KTLS_GUARD_A_FD)
		nla_put_u32(msg, attr, (uint32_t)v);
	else
		nla_put_u64(msg, attr, v);
	return guard_send(msg, &r);
}

/* Global limits; pass 0 to restore a default. */
static inline int guard_set_global(uint32_t permille, uint64_t soft,
				   uint64_t hard)
{
	struct nl_msg *msg = guard_msg(KTLS_GUARD_CMD_SET_LIMITS, 0);
	struct guard_req r = { 0 };

	if (!msg)
		return -ENOENT;
	nla_put_u32(msg, KTLS_GUARD_A_SOFT_PERMILLE, permille ? permille : 750);
	nla_put_u64(msg, KTLS_GUARD_A_SOFT_RECORDS, soft);
	nla_put_u64(msg, KTLS_GUARD_A_HARD_RECORDS, hard);
	return guard_send(msg, &r);
}

static inline int guard_dump(guard_dump_fn fn, void *arg)
{
	struct nl_msg *msg = guard_msg(KTLS_GUARD_CMD_DUMP, NLM_F_DUMP);
	struct guard_req r = { .fn = fn, .arg = arg };

	if (!msg)
		return -ENOENT;
	return guard_send(msg, &r);
}

struct guard_find {
	uint64_t id;
	bool found;
	struct guard_attrs a;
	unsigned int count;
};

static inline void guard_find_cb(const struct guard_attrs *a, void *arg)
{
	struct guard_find *f = arg;

	f->count++;
	if (a->v[KTLS_GUARD_A_ID] == f->id) {
		f->found = true;
		f->a = *a;
	}
}

/* The dump entry of @id; returns false if absent. */
static inline bool guard_lookup(uint64_t id, struct guard_attrs *a)
{
	struct guard_find f = { .id = id };

	if (guard_dump(guard_find_cb, &f))
		return false;
	if (f.found && a)
		*a = f.a;
	return f.found;
}

static inline unsigned int guard_count(void)
{
	struct guard_find f = { .id = 0 };

	guard_dump(guard_find_cb, &f);
	return f.count;
}

/* ---- events ---- */

struct guard_events {
	struct nl_sock *sk;
	unsigned int n[KTLS_GUARD_EV_ERROR + 1];
	uint64_t last_tx_records;
	uint64_t max_tx_records_at_rekey;
};

static inline int guard_on_event(struct nl_msg *msg, void *arg)
{
	struct guard_events *ev = arg;
	struct nlattr *tb[KTLS_GUARD_A_MAX + 1];
	struct guard_attrs a;
	unsigned int e;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, KTLS_GUARD_A_MAX, NULL))
		return NL_SKIP;
	guard_parse(tb, &a);
	e = (unsigned int)a.v[KTLS_GUARD_A_EVENT];
	if (e <= KTLS_GUARD_EV_ERROR)
		ev->n[e]++;
	ev->last_tx_records = a.v[KTLS_GUARD_A_SOCK_TX_RECORDS];
	return NL_OK;
}

static inline int guard_events_open(struct guard_events *ev)
{
	int grp;

	memset(ev, 0, sizeof(*ev));
	ev->sk = nl_socket_alloc();
	if (!ev->sk || genl_connect(ev->sk))
		return -1;
	grp = genl_ctrl_resolve_grp(ev->sk, KTLS_GUARD_FAMILY_NAME,
				    KTLS_GUARD_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(ev->sk, grp))
		return -1;
	nl_socket_disable_seq_check(ev->sk);
	nl_socket_modify_cb(ev->sk, NL_CB_VALID, NL_CB_CUSTOM, guard_on_event, ev);
	nl_socket_set_nonblocking(ev->sk);
	nl_socket_set_buffer_size(ev->sk, 4 << 20, 0);
	return 0;
}

/* Take in what has arrived. */
static inline void guard_events_poll(struct guard_events *ev)
{
	while (nl_recvmsgs_default(ev->sk) >= 0)
		;
}

static inline void guard_events_close(struct guard_events *ev)
{
	nl_socket_free(ev->sk);
	ev->sk = NULL;
}

/* ---- TLS 1.3 key schedule (RFC 8446 §7.1-7.3), independently ---- */

static inline const EVP_MD *guard_md(size_t slen)
{
	return slen == 48 ? EVP_sha384() : EVP_sha256();
}

static inline void hkdf_expand_label(const uint8_t *secret, size_t slen,
				     const char *label, uint8_t *out,
				     size_t olen)
{
	uint8_t info[64], t[64];
	unsigned int tl = 0;
	size_t n = 0, ll = strlen(label);

	info[n++] = (uint8_t)(olen >> 8);
	info[n++] = (uint8_t)olen;
	info[n++] = (uint8_t)(6 + ll);
	memcpy(info + n, "tls13 ", 6);
	n += 6;
	memcpy(info + n, label, ll);
	n += ll;
	info[n++] = 0;
	info[n++] = 1;
	HMAC(guard_md(slen), secret, (int)slen, info, n, t, &tl);
	memcpy(out, t, olen);
}

static inline void secret_next(uint8_t *secret, size_t slen)
{
	uint8_t n[64];

	hkdf_expand_label(secret, slen, "traffic upd", n, slen);
	memcpy(secret, n, slen);
}

/* Install the key and IV of @secret for one direction. */
static inline int install_secret(int fd, int optname,
				 const struct ktls_cipher *c,
				 const uint8_t *secret, size_t slen)
{
	uint8_t key[KTLS_MAX_KEY_LEN], iv[KTLS_IV_LEN], info[KTLS_MAX_INFO_LEN];
	unsigned int len;

	hkdf_expand_label(secret, slen, "key", key, c->key_len);
	hkdf_expand_label(secret, slen, "iv", iv, KTLS_IV_LEN);
	len = ktls_cipher_fill(c, info, key, iv, 0);
	return setsockopt(fd, SOL_TLS, optname, info, len);
}

static inline size_t suite_secret_len(uint16_t suite)
{
	return suite == 0x1302 ? 48 : 32;
}

/* ---- sockets ---- */

static inline int tcp_pair(int *cfd, int *sfd)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);

	if (lfd < 0 || bind(lfd, (void *)&a, sizeof(a)) ||
	    listen(lfd, 1) || getsockname(lfd, (void *)&a, &alen))
		return -1;
	*cfd = socket(AF_INET, SOCK_STREAM, 0);
	if (*cfd < 0 || connect(*cfd, (void *)&a, sizeof(a)))
		return -1;
	*sfd = accept(lfd, NULL, NULL);
	close(lfd);
	return *sfd < 0 ? -1 : 0;
}

/*
 * A kTLS pair: the client's TX and the server's RX use c2s, the others s2c
 * (secrets of generation 0 filled from @seed).
 */
struct ktls_pair {
	int cfd, sfd;
	const struct ktls_cipher *c;
	size_t slen;
	uint8_t c2s[48], s2c[48];
};

static inline int ktls_pair_open(struct ktls_pair *p, uint16_t suite, int seed)
{
	p->c = ktls_cipher_by_suite(suite);
	p->slen = suite_secret_len(suite);
	for (size_t i = 0; i < sizeof(p->c2s); i++) {
		p->c2s[i] = (uint8_t)(seed * 31 + i * 7 + 1);
		p->s2c[i] = (uint8_t)(seed * 17 + i * 13 + 2);
	}
	if (!p->c || tcp_pair(&p->cfd, &p->sfd))
		return -1;
	if (setsockopt(p->cfd, IPPROTO_TCP, TCP_ULP, "tls", sizeof("tls")) ||
	    setsockopt(p->sfd, IPPROTO_TCP, TCP_ULP, "tls", sizeof("tls")))
		return -1;
	if (install_secret(p->cfd, TLS_TX, p->c, p->c2s, p->slen) ||
	    install_secret(p->cfd, TLS_RX, p->c, p->s2c, p->slen) ||
	    install_secret(p->sfd, TLS_TX, p->c, p->s2c, p->slen) ||
	    install_secret(p->sfd, TLS_RX, p->c, p->c2s, p->slen))
		return -1;
	return 0;
}

static inline void ktls_pair_close(struct ktls_pair *p)
{
	if (p->cfd >= 0)
		close(p->cfd);
	if (p->sfd >= 0)
		close(p->sfd);
	p->cfd = p->sfd = -1;
}

/* Register the pair's client end. */
static inline int ktls_pair_register(struct ktls_pair *p, uint64_t soft,
				     uint64_t hard, uint64_t *id)
{
	return guard_register(p->cfd, p->c->suite, p->c2s, p->s2c, p->slen,
			      soft, hard, id);
}

static inline ssize_t send_record(int fd, uint8_t type, const void *data,
				  size_t len)
{
	char cbuf[CMSG_SPACE(sizeof(type))] = { 0 };
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_TLS;
	cm->cmsg_type = TLS_SET_RECORD_TYPE;
	cm->cmsg_len = CMSG_LEN(sizeof(type));
	memcpy(CMSG_DATA(cm), &type, sizeof(type));
	return sendmsg(fd, &msg, 0);
}

static inline ssize_t recv_record(int fd, uint8_t *type, void *data,
				  size_t len, int flags)
{
	char cbuf[CMSG_SPACE(sizeof(*type))] = { 0 };
	struct iovec iov = { .iov_base = data, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	ssize_t n = recvmsg(fd, &msg, flags);

	*type = 0;
	cm = CMSG_FIRSTHDR(&msg);
	if (n >= 0 && cm && cm->cmsg_level == SOL_TLS &&
	    cm->cmsg_type == TLS_GET_RECORD_TYPE)
		*type = *CMSG_DATA(cm);
	return n;
}

/* Deterministic data: byte i of stream @s. */
static inline uint8_t stream_byte(unsigned int s, uint64_t i)
{
	uint64_t x = (i / 8) * 0x9e3779b97f4a7c15ULL + s * 0xbf58476d1ce4e5b9ULL;

	x ^= x >> 31;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 29;
	return (uint8_t)(x >> (8 * (i % 8)));
}

static inline void stream_fill(unsigned int s, uint64_t off, uint8_t *buf,
			       size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = stream_byte(s, off + i);
}

/* Index of the first byte that differs from the stream, or len. */
static inline size_t stream_check(unsigned int s, uint64_t off,
				  const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != stream_byte(s, off + i))
			return i;
	return len;
}

#endif /* GUARD_LIB_H */
