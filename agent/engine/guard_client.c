// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * ktls_guard.ko's generic netlink family, spoken over a raw netlink socket
 * (agent/include/ktls_guard_client.h). Messages are built in fixed buffers;
 * the one that carries secrets is wiped after it is sent.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
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
static int gc_talk_fd(int fd, struct gc_msg *m, gc_attr_fn fn, gc_msg_fn end,
		      void *arg)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	_Alignas(NLMSG_ALIGNTO) uint8_t buf[GC_BUF];
	int err = -EIO;
	bool done = false;

	((struct nlmsghdr *)m->buf)->nlmsg_len = (uint32_t)m->len;
	if (sendto(fd, m->buf, m->len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) != (ssize_t)m->len)
		return -errno;
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
	return err;
}

/* The same on a socket of its own. */
static int gc_talk_msgs(struct gc_msg *m, gc_attr_fn fn, gc_msg_fn end,
			void *arg)
{
	int fd, err;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	err = gc_talk_fd(fd, m, fn, end, arg);
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

/* The family's id and its "events" group's, from the controller's reply. */
struct gc_group {
	uint16_t family;
	uint32_t id;			/* of the group being read */
	bool ours;			/* its name is "events" */
	uint32_t events;		/* the group's id, 0: not found */
};

static void gc_grp_attr(uint16_t type, const uint8_t *d, size_t len,
			void *arg)
{
	struct gc_group *g = arg;

	if (type == CTRL_ATTR_MCAST_GRP_ID && len == 4)
		memcpy(&g->id, d, 4);
	else if (type == CTRL_ATTR_MCAST_GRP_NAME)
		g->ours = len == sizeof(KTLS_GUARD_MCGRP_EVENTS) &&
			  !memcmp(d, KTLS_GUARD_MCGRP_EVENTS, len);
}

static void gc_grps_attr(uint16_t type, const uint8_t *d, size_t len,
			 void *arg)
{
	struct gc_group *g = arg;

	(void)type;		/* each group is nested under its index */
	g->id = 0;
	g->ours = false;
	gc_attrs(d, len, gc_grp_attr, g);
	if (g->ours && g->id)
		g->events = g->id;
}

static void gc_ctrl_attr(uint16_t type, const uint8_t *d, size_t len,
			 void *arg)
{
	struct gc_group *g = arg;

	if (type == CTRL_ATTR_FAMILY_ID && len == 2)
		memcpy(&g->family, d, 2);
	else if (type == CTRL_ATTR_MCAST_GROUPS)
		gc_attrs(d, len, gc_grps_attr, g);
}

int ktls_guard_events_open(void)
{
	struct timeval tv = { .tv_sec = 1 };
	struct gc_group g = { 0 };
	int fd, err, rcvbuf = KTLS_GUARD_EVENTS_RCVBUF;
	struct gc_msg m;

	/* as gc_family(): an absent family would make the kernel modprobe */
	if (access("/sys/module/ktls_guard", F_OK) && errno == ENOENT)
		return -ENOENT;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	/*
	 * The controller is asked on this socket itself: sending binds it
	 * (a port id of its own), which is what multicast delivery needs,
	 * without bind(). Its answer is queued before sendto() returns; the
	 * timeout only bounds the unforeseen.
	 */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	gc_init(&m, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	gc_put(&m, CTRL_ATTR_FAMILY_NAME, KTLS_GUARD_FAMILY_NAME,
	       sizeof(KTLS_GUARD_FAMILY_NAME));
	err = gc_talk_fd(fd, &m, gc_ctrl_attr, NULL, &g);
	if (!err && (!g.family || !g.events))
		err = -ENOENT;
	if (!err && setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			       &g.events, sizeof(g.events)))
		err = -errno;
	if (err)
		goto fail;
	/* room for bursts: every key update of every socket is an event */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	tv.tv_sec = 0;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	err = fcntl(fd, F_GETFL);
	if (err < 0 || fcntl(fd, F_SETFL, err | O_NONBLOCK) < 0) {
		err = -errno;
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return err;
}

int ktls_guard_events_joined(int fd)
{
	/* generic netlink's group ids are dynamic: room for 2048 */
	uint32_t groups[64] = { 0 };
	socklen_t len = sizeof(groups);

	if (getsockopt(fd, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, groups,
		       &len))
		return -errno;
	if (len > sizeof(groups))
		len = sizeof(groups);
	for (size_t i = 0; i < len / sizeof(groups[0]); i++)
		if (groups[i])
			return 1;
	return 0;
}

/* Exact sizes of the attributes an event may carry; 0: not one of them. */
static size_t gc_ev_size(uint16_t type)
{
	switch (type) {
	case KTLS_GUARD_A_EVENT:
	case KTLS_GUARD_A_SOCK_TX_GEN:
	case KTLS_GUARD_A_SOCK_RX_GEN:
	case KTLS_GUARD_A_ERROR:
		return 4;
	case KTLS_GUARD_A_ID:
	case KTLS_GUARD_A_SOCK_COOKIE:
	case KTLS_GUARD_A_SOCK_INODE:
	case KTLS_GUARD_A_SOCK_TX_RECORDS:
	case KTLS_GUARD_A_SOCK_RX_RECORDS:
		return 8;
	case KTLS_GUARD_A_SUITE:
		return 2;
	}
	return 0;
}

/*
 * One event's attributes at [p, p + len): true with @ev filled when the
 * message is well formed (see ktls_guard_events_parse()).
 */
static bool gc_ev_attrs(const uint8_t *p, size_t len,
			struct ktls_guard_ev *ev)
{
	bool has_event = false, has_id = false, has_error = false;

	while (len) {
		struct nlattr a;
		uint16_t type;
		size_t alen, step;
		const uint8_t *d;

		if (len < NLA_HDRLEN)
			return false;
		memcpy(&a, p, sizeof(a));
		alen = a.nla_len;
		if (alen < NLA_HDRLEN || alen > len)
			return false;
		type = a.nla_type & NLA_TYPE_MASK;
		d = p + NLA_HDRLEN;
		alen -= NLA_HDRLEN;
		if (gc_ev_size(type) && (alen != gc_ev_size(type) ||
					 a.nla_type & NLA_F_NESTED))
			return false;
		switch (type) {
		case KTLS_GUARD_A_EVENT:
			memcpy(&ev->type, d, 4);
			has_event = true;
			break;
		case KTLS_GUARD_A_ID:
			memcpy(&ev->id, d, 8);
			has_id = true;
			break;
		case KTLS_GUARD_A_SOCK_COOKIE:
			memcpy(&ev->cookie, d, 8);
			break;
		case KTLS_GUARD_A_SOCK_INODE:
			memcpy(&ev->inode, d, 8);
			break;
		case KTLS_GUARD_A_SUITE:
			memcpy(&ev->suite, d, 2);
			break;
		case KTLS_GUARD_A_SOCK_TX_GEN:
			memcpy(&ev->tx_gen, d, 4);
			break;
		case KTLS_GUARD_A_SOCK_RX_GEN:
			memcpy(&ev->rx_gen, d, 4);
			break;
		case KTLS_GUARD_A_SOCK_TX_RECORDS:
			memcpy(&ev->tx_records, d, 8);
			break;
		case KTLS_GUARD_A_SOCK_RX_RECORDS:
			memcpy(&ev->rx_records, d, 8);
			break;
		case KTLS_GUARD_A_ERROR:
			memcpy(&ev->error, d, 4);
			if (ev->error >= 0 || ev->error < -4095)
				return false;
			has_error = true;
			break;
		}
		/* the last attribute's padding may be cut off */
		step = NLA_ALIGN(NLA_HDRLEN + alen);
		if (step > len)
			step = len;
		p += step;
		len -= step;
	}
	return has_event && has_id && ev->type != KTLS_GUARD_EV_UNSPEC &&
	       (ev->type != KTLS_GUARD_EV_ERROR || has_error);
}

static void gc_ev_notice(ktls_guard_event_fn fn, void *arg, int err)
{
	struct ktls_guard_ev ev = { .type = KTLS_GUARD_EV_UNSPEC,
				       .error = err };

	fn(&ev, arg);
}

int ktls_guard_events_parse(const void *buf, size_t len,
			    ktls_guard_event_fn fn, void *arg)
{
	const uint8_t *p = buf;
	int calls = 0;

	while (len) {
		struct ktls_guard_ev ev = { 0 };
		struct genlmsghdr g;
		struct nlmsghdr h;
		size_t step;

		if (len < NLMSG_HDRLEN) {
			gc_ev_notice(fn, arg, -EBADMSG);
			return calls + 1;
		}
		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len) {
			gc_ev_notice(fn, arg, -EBADMSG);
			return calls + 1;
		}
		if (h.nlmsg_type < NLMSG_MIN_TYPE) {
			/* NOOP, ERROR, DONE, OVERRUN: no event */
		} else if (h.nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) {
			gc_ev_notice(fn, arg, -EBADMSG);
			calls++;
		} else if (memcpy(&g, p + NLMSG_HDRLEN, sizeof(g)),
			   g.cmd != KTLS_GUARD_CMD_EVENT) {
			/* not an event */
		} else if (gc_ev_attrs(p + NLMSG_HDRLEN + GENL_HDRLEN,
				       h.nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
				       &ev)) {
			fn(&ev, arg);
			calls++;
		} else {
			gc_ev_notice(fn, arg, -EBADMSG);
			calls++;
		}
		step = NLMSG_ALIGN(h.nlmsg_len);
		if (step > len)
			step = len;
		p += step;
		len -= step;
	}
	return calls;
}

int ktls_guard_events_read(int fd, ktls_guard_event_fn fn, void *arg)
{
	_Alignas(NLMSG_ALIGNTO) uint8_t buf[8192];
	int calls = 0;

	for (unsigned int i = 0; i < KTLS_GUARD_EVENTS_BATCH; i++) {
		struct sockaddr_nl from;
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr mh = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
		};
		ssize_t n;

		memset(&from, 0, sizeof(from));
		n = recvmsg(fd, &mh, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == ENOBUFS) {
				/* the kernel dropped events; go on reading */
				gc_ev_notice(fn, arg, -ENOBUFS);
				calls++;
				continue;
			}
			return calls ? calls : -errno;
		}
		if (n == 0)
			break;
		/* only the kernel's (port 0) whole datagrams are events */
		if (mh.msg_flags & MSG_TRUNC ||
		    mh.msg_namelen < sizeof(from) ||
		    from.nl_family != AF_NETLINK || from.nl_pid != 0) {
			gc_ev_notice(fn, arg, -EBADMSG);
			calls++;
			continue;
		}
		calls += ktls_guard_events_parse(buf, (size_t)n, fn, arg);
	}
	return calls;
}
