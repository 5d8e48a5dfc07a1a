// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer target for the parser of ktls_guard's events
 * (ktls_guard_events_parse() in agent/engine/guard_client.c): the bytes of
 * one netlink datagram. Invariants: the return value is the number of
 * callbacks; a callback is either an event (a type other than
 * KTLS_GUARD_EV_UNSPEC, an error that is 0 or a negative errno, present for
 * KTLS_GUARD_EV_ERROR) or the -EBADMSG notice; and an event, laid out again
 * as the module sends it, parses to the same struct.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/ktls_guard.h>
#include <linux/netlink.h>

#include "ktls_guard_client.h"

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

static _Alignas(8) uint8_t out[256];
static size_t out_len;

static void put(uint16_t type, const void *d, size_t len)
{
	struct nlattr a = { .nla_type = type,
			    .nla_len = (uint16_t)(NLA_HDRLEN + len) };

	memcpy(out + out_len, &a, sizeof(a));
	memcpy(out + out_len + NLA_HDRLEN, d, len);
	out_len += NLA_ALIGN(NLA_HDRLEN + len);
}

static void encode(const struct ktls_guard_ev *ev)
{
	struct nlmsghdr h = { .nlmsg_type = 0x20 };
	struct genlmsghdr g = { .cmd = KTLS_GUARD_CMD_EVENT, .version = 1 };

	memset(out, 0, sizeof(out));
	out_len = NLMSG_HDRLEN + GENL_HDRLEN;
	memcpy(out + NLMSG_HDRLEN, &g, sizeof(g));
	put(KTLS_GUARD_A_EVENT, &ev->type, 4);
	put(KTLS_GUARD_A_ID, &ev->id, 8);
	put(KTLS_GUARD_A_SOCK_COOKIE, &ev->cookie, 8);
	put(KTLS_GUARD_A_SOCK_INODE, &ev->inode, 8);
	put(KTLS_GUARD_A_SUITE, &ev->suite, 2);
	put(KTLS_GUARD_A_SOCK_TX_RECORDS, &ev->tx_records, 8);
	put(KTLS_GUARD_A_SOCK_RX_RECORDS, &ev->rx_records, 8);
	put(KTLS_GUARD_A_SOCK_TX_GEN, &ev->tx_gen, 4);
	put(KTLS_GUARD_A_SOCK_RX_GEN, &ev->rx_gen, 4);
	if (ev->error)
		put(KTLS_GUARD_A_ERROR, &ev->error, 4);
	h.nlmsg_len = (uint32_t)out_len;
	memcpy(out, &h, sizeof(h));
}

struct state {
	int calls;
	bool again;
	struct ktls_guard_ev first;
	int again_calls;
};

static void again(const struct ktls_guard_ev *ev, void *arg)
{
	struct state *s = arg;

	s->again_calls++;
	CHECK(!memcmp(ev, &s->first, sizeof(*ev)));
}

static void seen(const struct ktls_guard_ev *ev, void *arg)
{
	struct state *s = arg;

	s->calls++;
	if (ev->type == KTLS_GUARD_EV_UNSPEC) {
		CHECK(ev->error == -EBADMSG);
		return;
	}
	CHECK(ev->error <= 0 && ev->error >= -4095);
	CHECK(ev->type != KTLS_GUARD_EV_ERROR || ev->error);
	/* round trip */
	s->first = *ev;
	s->again_calls = 0;
	encode(ev);
	CHECK(ktls_guard_events_parse(out, out_len, again, s) == 1);
	CHECK(s->again_calls == 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state s = { 0 };
	int rc;

	rc = ktls_guard_events_parse(data, size, seen, &s);
	CHECK(rc == s.calls);
	return 0;
}
