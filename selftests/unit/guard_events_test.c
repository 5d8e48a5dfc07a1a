// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libktls's reader of ktls_guard's events (agent/engine/guard_client.c):
 * crafted generic netlink messages, laid out as the module sends them,
 * parse to the right fields; every truncation, every attribute of the
 * wrong size, a missing required attribute, a broken frame are reported as
 * -EBADMSG without a read past the end; control messages and other
 * commands are skipped; datagrams not from the kernel are refused; the
 * socket calls fail as documented without the module.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/ktls_guard.h>
#include <linux/netlink.h>

#include "ktls_guard_client.h"
#include "tap.h"

/* A message under construction. */
struct msg {
	size_t len;
	_Alignas(8) uint8_t buf[1024];
};

static void msg_init(struct msg *m, uint16_t type, uint8_t cmd)
{
	struct nlmsghdr h = { .nlmsg_type = type };
	struct genlmsghdr g = { .cmd = cmd, .version = 1 };

	memset(m, 0, sizeof(*m));
	memcpy(m->buf, &h, sizeof(h));
	memcpy(m->buf + NLMSG_HDRLEN, &g, sizeof(g));
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

/* An attribute of @len bytes (nla_len may be forced with @nla_len). */
static void put_raw(struct msg *m, uint16_t type, const void *d, size_t len,
		    uint16_t nla_len)
{
	struct nlattr a = { .nla_type = type,
			    .nla_len = nla_len ? nla_len :
				       (uint16_t)(NLA_HDRLEN + len) };

	memcpy(m->buf + m->len, &a, sizeof(a));
	memcpy(m->buf + m->len + NLA_HDRLEN, d, len);
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
}

static void put(struct msg *m, uint16_t type, const void *d, size_t len)
{
	put_raw(m, type, d, len, 0);
}

static void put_u16(struct msg *m, uint16_t type, uint16_t v)
{
	put(m, type, &v, 2);
}

static void put_u32(struct msg *m, uint16_t type, uint32_t v)
{
	put(m, type, &v, 4);
}

static void put_u64(struct msg *m, uint16_t type, uint64_t v)
{
	put(m, type, &v, 8);
}

/* Sets nlmsg_len; returns the message's length. */
static size_t msg_end(struct msg *m)
{
	uint32_t len = (uint32_t)m->len;

	memcpy(m->buf, &len, sizeof(len));
	return m->len;
}

/* What the module sends for @event (guard_event(), guard_put_sock()). */
static size_t module_event(struct msg *m, uint32_t event, int32_t err)
{
	msg_init(m, 0x1c, KTLS_GUARD_CMD_EVENT);
	put_u32(m, KTLS_GUARD_A_EVENT, event);
	put_u64(m, KTLS_GUARD_A_ID, 7);
	put_u64(m, KTLS_GUARD_A_SOCK_COOKIE, 0x1122334455667788ULL);
	put_u64(m, KTLS_GUARD_A_SOCK_INODE, 4242);
	put_u16(m, KTLS_GUARD_A_SUITE, 0x1302);
	put_u64(m, KTLS_GUARD_A_SOCK_TX_RECORDS, 13);
	put_u64(m, KTLS_GUARD_A_SOCK_RX_RECORDS, 61);
	put_u32(m, KTLS_GUARD_A_SOCK_TX_GEN, 5);
	put_u32(m, KTLS_GUARD_A_SOCK_RX_GEN, 3);
	if (err)
		put(m, KTLS_GUARD_A_ERROR, &err, 4);
	return msg_end(m);
}

struct seen {
	unsigned int n;
	struct ktls_guard_ev ev[8];
};

static void record(const struct ktls_guard_ev *ev, void *arg)
{
	struct seen *s = arg;

	if (s->n < 8)
		s->ev[s->n] = *ev;
	s->n++;
}

/* Parses @len bytes from a copy of exactly that size (ASan sees overreads). */
static int parse(const void *buf, size_t len, struct seen *s)
{
	uint8_t *copy = malloc(len ? len : 1);
	int rc;

	memset(s, 0, sizeof(*s));
	memcpy(copy, buf, len);
	rc = ktls_guard_events_parse(copy, len, record, s);
	free(copy);
	return rc;
}

static int is_badmsg(const struct seen *s, unsigned int i)
{
	return s->ev[i].type == KTLS_GUARD_EV_UNSPEC &&
	       s->ev[i].error == -EBADMSG;
}

TAP_TEST(module_event_parses)
{
	struct msg m;
	struct seen s;
	size_t len = module_event(&m, KTLS_GUARD_EV_TX_REKEYED, 0);

	TAP_CHECK_EQ(parse(m.buf, len, &s), 1);
	TAP_CHECK_EQ(s.n, 1);
	TAP_CHECK_EQ(s.ev[0].type, KTLS_GUARD_EV_TX_REKEYED);
	TAP_CHECK_EQ(s.ev[0].id, 7);
	TAP_CHECK(s.ev[0].cookie == 0x1122334455667788ULL);
	TAP_CHECK_EQ(s.ev[0].inode, 4242);
	TAP_CHECK_EQ(s.ev[0].suite, 0x1302);
	TAP_CHECK_EQ(s.ev[0].tx_records, 13);
	TAP_CHECK_EQ(s.ev[0].rx_records, 61);
	TAP_CHECK_EQ(s.ev[0].tx_gen, 5);
	TAP_CHECK_EQ(s.ev[0].rx_gen, 3);
	TAP_CHECK_EQ(s.ev[0].error, 0);
}

TAP_TEST(error_event_and_minimal_event)
{
	struct msg m;
	struct seen s;
	size_t len = module_event(&m, KTLS_GUARD_EV_ERROR, -EIO);

	TAP_CHECK_EQ(parse(m.buf, len, &s), 1);
	TAP_CHECK_EQ(s.ev[0].type, KTLS_GUARD_EV_ERROR);
	TAP_CHECK_EQ(s.ev[0].error, -EIO);
	/* only the two required attributes: the rest reads as 0 */
	msg_init(&m, 0x1c, KTLS_GUARD_CMD_EVENT);
	put_u32(&m, KTLS_GUARD_A_EVENT, KTLS_GUARD_EV_HARD_LIMIT);
	put_u64(&m, KTLS_GUARD_A_ID, 99);
	len = msg_end(&m);
	TAP_CHECK_EQ(parse(m.buf, len, &s), 1);
	TAP_CHECK_EQ(s.ev[0].type, KTLS_GUARD_EV_HARD_LIMIT);
	TAP_CHECK_EQ(s.ev[0].id, 99);
	TAP_CHECK_EQ(s.ev[0].cookie, 0);
	TAP_CHECK_EQ(s.ev[0].tx_gen, 0);
}

TAP_TEST(several_messages_in_one_datagram)
{
	static uint8_t dgram[4096];
	struct msg m;
	struct seen s;
	size_t off = 0, len;

	len = module_event(&m, KTLS_GUARD_EV_PEER_KEY_UPDATE, 0);
	memcpy(dgram + off, m.buf, len);
	off += len;
	len = module_event(&m, KTLS_GUARD_EV_RX_REKEYED, 0);
	memcpy(dgram + off, m.buf, len);
	off += len;
	TAP_CHECK_EQ(parse(dgram, off, &s), 2);
	TAP_CHECK_EQ(s.ev[0].type, KTLS_GUARD_EV_PEER_KEY_UPDATE);
	TAP_CHECK_EQ(s.ev[1].type, KTLS_GUARD_EV_RX_REKEYED);
}

TAP_TEST(every_truncation_is_one_badmsg)
{
	struct msg m;
	struct seen s;
	size_t len = module_event(&m, KTLS_GUARD_EV_SOFT_LIMIT, 0);

	TAP_CHECK_EQ(parse(m.buf, 0, &s), 0);
	for (size_t n = 1; n < len; n++) {
		TAP_CHECK_EQ(parse(m.buf, n, &s), 1);
		TAP_CHECK(is_badmsg(&s, 0));
	}
	/*
	 * nlmsg_len cut too (a shorter message): inside an attribute, one
	 * -EBADMSG; at the end of one after A_ID (or in A_SUITE's padding:
	 * 70, 71), a smaller event: 40, 52, 64, 70, 71, 72, 84, 96, 104.
	 */
	{
		unsigned int events = 0;

		for (size_t n = NLMSG_HDRLEN; n < len; n++) {
			uint32_t l = (uint32_t)n;

			memcpy(m.buf, &l, sizeof(l));
			TAP_CHECK_EQ(parse(m.buf, n, &s), 1);
			if (is_badmsg(&s, 0))
				continue;
			events++;
			TAP_CHECK_EQ(s.ev[0].type, KTLS_GUARD_EV_SOFT_LIMIT);
			TAP_CHECK_EQ(s.ev[0].id, 7);
			TAP_CHECK(n == 40 || n == 52 || n == 64 || n == 70 ||
				  n == 71 || n == 72 || n == 84 || n == 96 ||
				  n == 104);
		}
		TAP_CHECK_EQ(events, 9);
	}
}

/* A good event with one attribute of @type replaced by @len bytes. */
static int with_attr(uint16_t type, const void *d, size_t len,
		     uint16_t nla_len, struct seen *s)
{
	static const uint16_t order[] = {
		KTLS_GUARD_A_EVENT, KTLS_GUARD_A_ID, KTLS_GUARD_A_SOCK_COOKIE,
		KTLS_GUARD_A_SOCK_INODE, KTLS_GUARD_A_SUITE,
		KTLS_GUARD_A_SOCK_TX_RECORDS, KTLS_GUARD_A_SOCK_RX_RECORDS,
		KTLS_GUARD_A_SOCK_TX_GEN, KTLS_GUARD_A_SOCK_RX_GEN,
		KTLS_GUARD_A_ERROR,
	};
	uint8_t zero[8] = { 0 };
	uint32_t ev = KTLS_GUARD_EV_ERROR;
	int32_t err = -EIO;
	struct msg m;

	msg_init(&m, 0x1c, KTLS_GUARD_CMD_EVENT);
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		size_t l = order[i] == KTLS_GUARD_A_SUITE ? 2 :
			   order[i] == KTLS_GUARD_A_ID ||
			   order[i] == KTLS_GUARD_A_SOCK_COOKIE ||
			   order[i] == KTLS_GUARD_A_SOCK_INODE ||
			   order[i] == KTLS_GUARD_A_SOCK_TX_RECORDS ||
			   order[i] == KTLS_GUARD_A_SOCK_RX_RECORDS ? 8 : 4;
		const void *v = order[i] == KTLS_GUARD_A_EVENT ? (void *)&ev :
				order[i] == KTLS_GUARD_A_ERROR ? (void *)&err :
				zero;

		if (order[i] == type)
			put_raw(&m, type, d, len, nla_len);
		else
			put(&m, order[i], v, l);
	}
	msg_end(&m);
	return parse(m.buf, m.len, s);
}

TAP_TEST(wrong_attribute_sizes_are_refused)
{
	static const uint16_t types[] = {
		KTLS_GUARD_A_EVENT, KTLS_GUARD_A_ID, KTLS_GUARD_A_SOCK_COOKIE,
		KTLS_GUARD_A_SOCK_INODE, KTLS_GUARD_A_SUITE,
		KTLS_GUARD_A_SOCK_TX_RECORDS, KTLS_GUARD_A_SOCK_RX_RECORDS,
		KTLS_GUARD_A_SOCK_TX_GEN, KTLS_GUARD_A_SOCK_RX_GEN,
		KTLS_GUARD_A_ERROR,
	};
	uint8_t d[16];
	struct seen s;

	memset(d, 0xff, sizeof(d));	/* -1 as an error, a valid value */
	/* the baseline, an ERROR event, passes */
	TAP_CHECK_EQ(with_attr(0, NULL, 0, 0, &s), 1);
	TAP_CHECK_EQ(s.ev[0].type, KTLS_GUARD_EV_ERROR);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		for (size_t len = 0; len <= 12; len++) {
			size_t good = types[i] == KTLS_GUARD_A_SUITE ? 2 :
				      types[i] == KTLS_GUARD_A_EVENT ||
				      types[i] == KTLS_GUARD_A_SOCK_TX_GEN ||
				      types[i] == KTLS_GUARD_A_SOCK_RX_GEN ||
				      types[i] == KTLS_GUARD_A_ERROR ? 4 : 8;
			int rc = with_attr(types[i], d, len, 0, &s);

			TAP_CHECK_EQ(rc, 1);
			if (len == good && types[i] != KTLS_GUARD_A_EVENT)
				TAP_CHECK(!is_badmsg(&s, 0));
			else if (len != good && !is_badmsg(&s, 0))
				printf("#   attribute %u of %zu bytes "
				       "accepted\n", types[i], len);
			if (len != good)
				TAP_CHECK(is_badmsg(&s, 0));
		}
	}
	/* an event type of all ones is delivered (appended types) */
	TAP_CHECK_EQ(with_attr(KTLS_GUARD_A_EVENT, d, 4, 0, &s), 1);
	TAP_CHECK_EQ(s.ev[0].type, 0xffffffffu);
}

TAP_TEST(attribute_lengths_that_lie)
{
	uint8_t d[8] = { 0 };
	struct seen s;

	/* nla_len below the header, and past the message's end */
	TAP_CHECK_EQ(with_attr(KTLS_GUARD_A_SOCK_INODE, d, 8, 2, &s), 1);
	TAP_CHECK(is_badmsg(&s, 0));
	TAP_CHECK_EQ(with_attr(KTLS_GUARD_A_SOCK_INODE, d, 8, 0, &s), 1);
	TAP_CHECK(!is_badmsg(&s, 0));
	TAP_CHECK_EQ(with_attr(KTLS_GUARD_A_ERROR, d, 4, 400, &s), 1);
	TAP_CHECK(is_badmsg(&s, 0));
	TAP_CHECK_EQ(with_attr(KTLS_GUARD_A_ERROR, d, 4, 0xffff, &s), 1);
	TAP_CHECK(is_badmsg(&s, 0));
	/* a positive or huge "errno" */
	d[0] = 5;
	TAP_CHECK_EQ(with_attr(KTLS_GUARD_A_ERROR, d, 4, 0, &s), 1);
	TAP_CHECK(is_badmsg(&s, 0));
	memcpy(d, &(int32_t){ -5000 }, 4);
	TAP_CHECK_EQ(with_attr(KTLS_GUARD_A_ERROR, d, 4, 0, &s), 1);
	TAP_CHECK(is_badmsg(&s, 0));
}

TAP_TEST(required_attributes)
{
	struct msg m;
	struct seen s;

	msg_init(&m, 0x1c, KTLS_GUARD_CMD_EVENT);	/* no EVENT */
	put_u64(&m, KTLS_GUARD_A_ID, 1);
	msg_end(&m);
	TAP_CHECK_EQ(parse(m.buf, m.len, &s), 1);
	TAP_CHECK(is_badmsg(&s, 0));
	msg_init(&m, 0x1c, KTLS_GUARD_CMD_EVENT);	/* no ID */
	put_u32(&m, KTLS_GUARD_A_EVENT, KTLS_GUARD_EV_TX_REKEYED);
	msg_end(&m);
	TAP_CHECK_EQ(parse(m.buf, m.len, &s), 1);
	TAP_CHECK(is_badmsg(&s, 0));
	msg_init(&m, 0x1c, KTLS_GUARD_CMD_EVENT);	/* EV_UNSPEC */
	put_u32(&m, KTLS_GUARD_A_EVENT, KTLS_GUARD_EV_UNSPEC);
	put_u64(&m, KTLS_GUARD_A_ID, 1);
	msg_end(&m);
	TAP_CHECK_EQ(parse(m.buf, m.len, &s), 1);
	TAP_CHECK(is_badmsg(&s, 0));
	msg_init(&m, 0x1c, KTLS_GUARD_CMD_EVENT);	/* ERROR, no errno */
	put_u32(&m, KTLS_GUARD_A_EVENT, KTLS_GUARD_EV_ERROR);
	put_u64(&m, KTLS_GUARD_A_ID, 1);
	msg_end(&m);
	TAP_CHECK_EQ(parse(m.buf, m.len, &s), 1);
	TAP_CHECK(is_badmsg(&s, 0));
	/* a nested-flagged known attribute */
	msg_init(&m, 0x1c, KTLS_GUARD_CMD_EVENT);
	put_u32(&m, KTLS_GUARD_A_EVENT, KTLS_GUARD_EV_TX_REKEYED);
	put_u64(&m, KTLS_GUARD_A_ID | NLA_F_NESTED, 1);
	msg_end(&m);
	TAP_CHECK_EQ(parse(m.buf, m.len, &s), 1);
	TAP_CHECK(is_badmsg(&s, 0));
}

TAP_TEST(unknown_attributes_padding_and_unaligned_end)
{
	struct msg m;
	struct seen s;
	uint8_t blob[5] = { 1, 2, 3, 4, 5 };

	msg_init(&m, 0x1c, KTLS_GUARD_CMD_EVENT);
	put_u32(&m, KTLS_GUARD_A_UNSPEC, 0);	/* nla_put_u64_64bit's pad */
	put_u32(&m, KTLS_GUARD_A_EVENT, KTLS_GUARD_EV_TX_REKEYED);
	put(&m, 200, blob, sizeof(blob));	/* appended, unknown */
	put(&m, KTLS_GUARD_A_SOCK_COMM, "nfsd", 5);	/* not an event's */
	put_u64(&m, KTLS_GUARD_A_ID, 3);
	put_u16(&m, KTLS_GUARD_A_SUITE, 0x1301);
	/* the last attribute's padding left out */
	m.len -= 2;
	msg_end(&m);
	TAP_CHECK_EQ(parse(m.buf, m.len, &s), 1);
	TAP_CHECK_EQ(s.ev[0].type, KTLS_GUARD_EV_TX_REKEYED);
	TAP_CHECK_EQ(s.ev[0].id, 3);
	TAP_CHECK_EQ(s.ev[0].suite, 0x1301);
	/* 1 to 3 stray bytes after the last attribute: a broken attribute */
	m.len += 2;
	for (size_t extra = 1; extra < NLA_HDRLEN; extra++) {
		struct msg t = m;

		t.len += extra;
		msg_end(&t);
		TAP_CHECK_EQ(parse(t.buf, t.len, &s), 1);
		TAP_CHECK(is_badmsg(&s, 0));
	}
}

TAP_TEST(control_messages_and_other_commands_are_skipped)
{
	static uint8_t dgram[4096];
	struct nlmsghdr h = { .nlmsg_len = NLMSG_HDRLEN,
			      .nlmsg_type = NLMSG_NOOP };
	struct nlmsgerr e = { .error = 0 };
	struct msg m;
	struct seen s;
	size_t off = 0, len;

	memcpy(dgram, &h, sizeof(h));
	off += NLMSG_HDRLEN;
	h.nlmsg_type = NLMSG_ERROR;
	h.nlmsg_len = NLMSG_LENGTH(sizeof(e));
	memcpy(dgram + off, &h, sizeof(h));
	memcpy(dgram + off + NLMSG_HDRLEN, &e, sizeof(e));
	off += NLMSG_ALIGN(h.nlmsg_len);
	msg_init(&m, 0x1c, KTLS_GUARD_CMD_DUMP);
	put_u64(&m, KTLS_GUARD_A_ID, 1);
	len = msg_end(&m);
	memcpy(dgram + off, m.buf, len);
	off += len;
	TAP_CHECK_EQ(parse(dgram, off, &s), 0);
	/* then an event: found behind them */
	len = module_event(&m, KTLS_GUARD_EV_TX_REKEYED, 0);
	memcpy(dgram + off, m.buf, len);
	TAP_CHECK_EQ(parse(dgram, off + len, &s), 1);
	TAP_CHECK_EQ(s.ev[0].type, KTLS_GUARD_EV_TX_REKEYED);
}

TAP_TEST(bad_message_then_good_one)
{
	static uint8_t dgram[4096];
	struct nlmsghdr h = { .nlmsg_len = NLMSG_HDRLEN + 2,
			      .nlmsg_type = 0x1c };
	struct msg m;
	struct seen s;
	size_t off, len;

	/* a generic netlink header cut short, then a good event */
	memset(dgram, 0, sizeof(dgram));
	memcpy(dgram, &h, sizeof(h));
	off = NLMSG_ALIGN(h.nlmsg_len);
	len = module_event(&m, KTLS_GUARD_EV_SOFT_LIMIT, 0);
	memcpy(dgram + off, m.buf, len);
	TAP_CHECK_EQ(parse(dgram, off + len, &s), 2);
	TAP_CHECK(is_badmsg(&s, 0));
	TAP_CHECK_EQ(s.ev[1].type, KTLS_GUARD_EV_SOFT_LIMIT);
	/* nlmsg_len below the header: the rest cannot be framed */
	h.nlmsg_len = 3;
	memcpy(dgram, &h, sizeof(h));
	TAP_CHECK_EQ(parse(dgram, off + len, &s), 1);
	TAP_CHECK(is_badmsg(&s, 0));
	/* and one past the datagram */
	h.nlmsg_len = (uint32_t)(off + len + 1);
	memcpy(dgram, &h, sizeof(h));
	TAP_CHECK_EQ(parse(dgram, off + len, &s), 1);
	TAP_CHECK(is_badmsg(&s, 0));
}

TAP_TEST(read_refuses_datagrams_not_from_the_kernel)
{
	struct msg m;
	struct seen s = { 0 };
	size_t len = module_event(&m, KTLS_GUARD_EV_TX_REKEYED, 0);
	int sv[2];

	TAP_CHECK(!socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv));
	TAP_CHECK_EQ(send(sv[1], m.buf, len, 0), (ssize_t)len);
	TAP_CHECK_EQ(ktls_guard_events_read(sv[0], record, &s), 1);
	TAP_CHECK(is_badmsg(&s, 0));
	/* nothing pending: returns at once */
	TAP_CHECK_EQ(ktls_guard_events_read(sv[0], record, &s), 0);
	TAP_CHECK_EQ(s.n, 1);
	close(sv[0]);
	close(sv[1]);
	TAP_CHECK_EQ(ktls_guard_events_read(-1, record, &s), -EBADF);
}

TAP_TEST(read_refuses_a_user_process_posing_as_the_kernel)
{
	struct sockaddr_nl self;
	socklen_t alen = sizeof(self);
	struct msg m;
	struct seen s = { 0 };
	size_t len = module_event(&m, KTLS_GUARD_EV_TX_REKEYED, 0);
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK, NETLINK_GENERIC);

	TAP_CHECK(fd >= 0);
	memset(&self, 0, sizeof(self));
	self.nl_family = AF_NETLINK;
	TAP_CHECK(!bind(fd, (struct sockaddr *)&self, sizeof(self)));
	TAP_CHECK(!getsockname(fd, (struct sockaddr *)&self, &alen));
	/* not joined to any group */
	TAP_CHECK_EQ(ktls_guard_events_joined(fd), 0);
	if (sendto(fd, m.buf, len, 0, (struct sockaddr *)&self,
		   sizeof(self)) != (ssize_t)len) {
		printf("# unicast to itself refused (%s): no CAP_NET_ADMIN\n",
		       strerror(errno));
	} else {
		TAP_CHECK_EQ(ktls_guard_events_read(fd, record, &s), 1);
		TAP_CHECK(is_badmsg(&s, 0));
	}
	close(fd);
	TAP_CHECK(ktls_guard_events_joined(fd) < 0);
}

TAP_TEST(open_without_the_module)
{
	if (!access("/sys/module/ktls_guard", F_OK)) {
		printf("# ktls_guard is loaded here: not checked\n");
		return;
	}
	TAP_CHECK_EQ(ktls_guard_events_open(), -ENOENT);
}

int main(void)
{
	return tap_run();
}
