// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * ktls_guard.ko's generic netlink family, spoken over a raw netlink socket
 * (agent/include/ktls_guard_client.h). Messages are built in fixed buffers;
 * the one that carries secrets is wiped after it is sent.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/ktls_guard.h>
#include <linux/netlink.h>

#include "ktls_guard_client.h"

/* a dump's messages come in skbs of up to 32 KiB (netlink_dump) */
#define GC_BUF 32768

struct gc_msg {
	size_t len;
	_Alignas(NLMSG_ALIGNTO) uint8_t buf[512];
};

static void gc_init(struct gc_msg *m, uint16_t type, uint8_t cmd,
		    uint16_t flags)
{
	struct nlmsghdr *n = (struct nlmsghdr *)m->buf;
	struct genlmsghdr *g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);

	memset(m->buf, 0, sizeof(m->buf));
	n->nlmsg_type = type;
	n->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	n->nlmsg_seq = 1;
	g->cmd = cmd;
	g->version = type == GENL_ID_CTRL ? 1 : KTLS_GUARD_FAMILY_VERSION;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

static int gc_put(struct gc_msg *m, uint16_t type, const void *data,
		  size_t len)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);

	if (m->len + NLA_ALIGN(NLA_HDRLEN + len) > sizeof(m->buf))
		return -EMSGSIZE;
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
	return 0;
}

typedef void (*gc_attr_fn)(uint16_t type, const uint8_t *data, size_t len,
			   void *arg);
/* After each reply message's attributes went to the gc_attr_fn. */
typedef void (*gc_msg_fn)(void *arg);

/* Walk the attributes in [p, p + len). */
static void gc_attrs(const uint8_t *p, size_t len, gc_attr_fn fn, void *arg)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		size_t alen = a->nla_len;

		if (alen < NLA_HDRLEN || alen > len)
			return;
		fn(a->nla_type & NLA_TYPE_MASK, p + NLA_HDRLEN,
		   alen - NLA_HDRLEN, arg);
		if (NLA_ALIGN(alen) >= len)
			return;
		p += NLA_ALIGN(alen);
		len -= NLA_ALIGN(alen);
	}
}

/*
 * Send @m, then read replies until the ack (or a dump's NLMSG_DONE): each
 * reply's attributes go to @fn, then @end, if any, is called. Returns 0 or
 * the kernel's negative errno.
 */
static int gc_talk_msgs(struct gc_msg *m, gc_attr_fn fn, gc_msg_fn end,
			void *arg)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	_Alignas(NLMSG_ALIGNTO) uint8_t buf[GC_BUF];
	int fd, err = -EIO;
	bool done = false;

	((struct nlmsghdr *)m->buf)->nlmsg_len = (uint32_t)m->len;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	if (sendto(fd, m->buf, m->len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) != (ssize_t)m->len) {
		err = -errno;
		goto out;
	}
	while (!done) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_TRUNC);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (n < 0) {
			err = -errno;
			break;
		}
		if ((size_t)n > sizeof(buf)) {
			err = -EMSGSIZE;
			break;
		}
		for (; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				err = e->error;
				done = true;
				break;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				int e = 0;

				/* a dump that failed part-way says so here */
				if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(e))
					memcpy(&e, NLMSG_DATA(h), sizeof(e));
				err = e < 0 ? e : 0;
				done = true;
				break;
			}
			if (h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
				continue;
			if (fn)
				gc_attrs((uint8_t *)h + NLMSG_HDRLEN + GENL_HDRLEN,
					 h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
					 fn, arg);
			if (end)
				end(arg);
		}
	}
out:
	close(fd);
	return err;
}

static int gc_talk(struct gc_msg *m, gc_attr_fn fn, void *arg)
{
	return gc_talk_msgs(m, fn, NULL, arg);
}

static void gc_family_attr(uint16_t type, const uint8_t *d, size_t len,
			   void *arg)
{
	if (type == CTRL_ATTR_FAMILY_ID && len == 2)
		memcpy(arg, d, 2);
}

/*
 * The family's id, or -ENOENT when the module is not loaded. Asked for an
 * unknown family, the generic netlink controller first has the kernel run
 * modprobe (request_module), which costs hundreds of milliseconds under
 * emulation on every call: sysfs says for free whether the module is in.
 */
static int gc_family(void)
{
	struct gc_msg m;
	uint16_t id = 0;
	int err;

	if (access("/sys/module/ktls_guard", F_OK) &&
	    errno == ENOENT)
		return -ENOENT;

	gc_init(&m, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	gc_put(&m, CTRL_ATTR_FAMILY_NAME, KTLS_GUARD_FAMILY_NAME,
	       sizeof(KTLS_GUARD_FAMILY_NAME));
	err = gc_talk(&m, gc_family_attr, &id);
	if (err)
		return err == -ENOENT ? -ENOENT : err;
	return id ? id : -ENOENT;
}

static uint64_t gc_u(const uint8_t *d, size_t len)
{
	uint64_t v = 0;

	if (len == 8)
		memcpy(&v, d, 8);
	else if (len == 4) {
		uint32_t x;

		memcpy(&x, d, 4);
		v = x;
	} else if (len == 2) {
		uint16_t x;

		memcpy(&x, d, 2);
		v = x;
	}
	return v;
}

static void gc_id_attr(uint16_t type, const uint8_t *d, size_t len,
		       void *arg)
{
	if (type == KTLS_GUARD_A_ID)
		*(uint64_t *)arg = gc_u(d, len);
}

int ktls_guard_register(int fd, uint16_t suite, const uint8_t *tx_secret,
			const uint8_t *rx_secret, size_t secret_len,
			uint64_t *id)
{
	uint32_t ufd = (uint32_t)fd;
	uint64_t got = 0;
	struct gc_msg m;
	int family = gc_family(), err;

	if (family < 0)
		return family;
	if (secret_len > 48)
		return -EINVAL;
	gc_init(&m, (uint16_t)family, KTLS_GUARD_CMD_REGISTER, 0);
	err = gc_put(&m, KTLS_GUARD_A_FD, &ufd, sizeof(ufd));
	if (!err)
		err = gc_put(&m, KTLS_GUARD_A_SUITE, &suite, sizeof(suite));
	if (!err)
		err = gc_put(&m, KTLS_GUARD_A_TX_SECRET, tx_secret, secret_len);
	if (!err)
		err = gc_put(&m, KTLS_GUARD_A_RX_SECRET, rx_secret, secret_len);
	if (!err)
		err = gc_talk(&m, gc_id_attr, &got);
	explicit_bzero(m.buf, sizeof(m.buf));
	if (!err && id)
		*id = got;
	return err;
}

int ktls_guard_unregister(int fd)
{
	uint32_t ufd = (uint32_t)fd;
	struct gc_msg m;
	int family = gc_family();

	if (family < 0)
		return family;
	gc_init(&m, (uint16_t)family, KTLS_GUARD_CMD_UNREGISTER, 0);
	gc_put(&m, KTLS_GUARD_A_FD, &ufd, sizeof(ufd));
	return gc_talk(&m, NULL, NULL);
}

static void gc_limit_attr(uint16_t type, const uint8_t *d, size_t len,
			  void *arg)
{
	struct ktls_guard_limits *l = arg;
	unsigned int i = l->n;

	if (i >= sizeof(l->suites) / sizeof(l->suites[0]))
		return;
	switch (type) {
	case KTLS_GUARD_LIMIT_A_SUITE:
		l->suites[i].suite = (uint16_t)gc_u(d, len);
		break;
	case KTLS_GUARD_LIMIT_A_SOFT:
		l->suites[i].soft = gc_u(d, len);
		break;
	case KTLS_GUARD_LIMIT_A_HARD:
		l->suites[i].hard = gc_u(d, len);
		break;
	case KTLS_GUARD_LIMIT_A_DEFAULT:
		l->suites[i].rfc = gc_u(d, len);
		break;
	}
}

static void gc_limits_attr(uint16_t type, const uint8_t *d, size_t len,
			   void *arg)
{
	struct ktls_guard_limits *l = arg;

	switch (type) {
	case KTLS_GUARD_A_CAPS:
		l->caps = (uint32_t)gc_u(d, len);
		break;
	case KTLS_GUARD_A_SOFT_PERMILLE:
		l->soft_permille = (uint32_t)gc_u(d, len);
		break;
	case KTLS_GUARD_A_SOFT_RECORDS:
		l->soft = gc_u(d, len);
		break;
	case KTLS_GUARD_A_HARD_RECORDS:
		l->hard = gc_u(d, len);
		break;
	case KTLS_GUARD_A_LIMIT:
		gc_attrs(d, len, gc_limit_attr, l);
		if (l->n < sizeof(l->suites) / sizeof(l->suites[0]))
			l->n++;
		break;
	}
}

int ktls_guard_get_limits(struct ktls_guard_limits *l)
{
	struct gc_msg m;
	int family = gc_family(), err;

	memset(l, 0, sizeof(*l));
	if (family < 0)
		return family;
	gc_init(&m, (uint16_t)family, KTLS_GUARD_CMD_GET_CAPS, 0);
	err = gc_talk(&m, gc_limits_attr, l);
	if (err)
		return err;
	gc_init(&m, (uint16_t)family, KTLS_GUARD_CMD_GET_LIMITS, 0);
	return gc_talk(&m, gc_limits_attr, l);
}

int ktls_guard_set_limits(uint32_t soft_permille, uint64_t soft,
			  uint64_t hard)
{
	struct gc_msg m;
	int family = gc_family();

	if (family < 0)
		return family;
	gc_init(&m, (uint16_t)family, KTLS_GUARD_CMD_SET_LIMITS, 0);
	gc_put(&m, KTLS_GUARD_A_SOFT_PERMILLE, &soft_permille,
	       sizeof(soft_permille));
	gc_put(&m, KTLS_GUARD_A_SOFT_RECORDS, &soft, sizeof(soft));
	gc_put(&m, KTLS_GUARD_A_HARD_RECORDS, &hard, sizeof(hard));
	return gc_talk(&m, NULL, NULL);
}

struct gc_dump {
	struct ktls_guard_sock s;
	ktls_guard_dump_fn fn;
	void *arg;
};

static void gc_sock_attr(uint16_t type, const uint8_t *d, size_t len,
			 void *arg)
{
	struct ktls_guard_sock *s = &((struct gc_dump *)arg)->s;

	switch (type) {
	case KTLS_GUARD_A_ID:
		s->id = gc_u(d, len);
		break;
	case KTLS_GUARD_A_SOCK_COOKIE:
		s->cookie = gc_u(d, len);
		break;
	case KTLS_GUARD_A_SOCK_INODE:
		s->inode = gc_u(d, len);
		break;
	case KTLS_GUARD_A_SUITE:
		s->suite = (uint16_t)gc_u(d, len);
		break;
	case KTLS_GUARD_A_SOCK_PID:
		s->pid = (uint32_t)gc_u(d, len);
		break;
	case KTLS_GUARD_A_SOCK_UID:
		s->uid = (uint32_t)gc_u(d, len);
		break;
	case KTLS_GUARD_A_SOCK_COMM:
		len = len < sizeof(s->comm) ? len : sizeof(s->comm) - 1;
		memcpy(s->comm, d, len);
		s->comm[len] = '\0';
		break;
	case KTLS_GUARD_A_SOCK_KERNEL:
		s->kernel = true;
		break;
	case KTLS_GUARD_A_SOCK_TX_RECORDS:
		s->tx_records = gc_u(d, len);
		break;
	case KTLS_GUARD_A_SOCK_RX_RECORDS:
		s->rx_records = gc_u(d, len);
		break;
	case KTLS_GUARD_A_SOCK_TX_GEN:
		s->tx_gen = (uint32_t)gc_u(d, len);
		break;
	case KTLS_GUARD_A_SOCK_RX_GEN:
		s->rx_gen = (uint32_t)gc_u(d, len);
		break;
	case KTLS_GUARD_A_SOFT_RECORDS:
		s->soft = gc_u(d, len);
		break;
	case KTLS_GUARD_A_HARD_RECORDS:
		s->hard = gc_u(d, len);
		break;
	case KTLS_GUARD_A_SOCK_TX_HEADROOM:
		s->tx_headroom = gc_u(d, len);
		break;
	case KTLS_GUARD_A_SOCK_FLAGS:
		s->flags = (uint32_t)gc_u(d, len);
		break;
	}
}

static void gc_sock_end(void *arg)
{
	struct gc_dump *g = arg;

	if (g->s.id)
		g->fn(&g->s, g->arg);
	memset(&g->s, 0, sizeof(g->s));
}

int ktls_guard_dump(ktls_guard_dump_fn fn, void *arg)
{
	struct gc_dump g = { .fn = fn, .arg = arg };
	struct gc_msg m;
	int family = gc_family();

	if (family < 0)
		return family;
	gc_init(&m, (uint16_t)family, KTLS_GUARD_CMD_DUMP, NLM_F_DUMP);
	return gc_talk_msgs(&m, gc_sock_attr, gc_sock_end, &g);
}
