// SPDX-License-Identifier: GPL-2.0
/*
 * libktls's one-call registration with ktls_guard.ko
 * (agent/include/ktls_guard_client.h) and `tlsctl limits`, on each lane:
 * -ENOENT without the module; limits read and set through the library and
 * through tlsctl; a loopback pair with both ends registered by the library
 * carries 200 records with the limits at 16/64 records: through key updates
 * on both ends, invisible to both readers (7.x), or up to EKEYEXPIRED before
 * 64 records (6.12). The dump agrees.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

#include "guard_lib.h"
#include "ktls_guard_client.h"
#include "kselftest_harness.h"

#pragma GCC diagnostic ignored "-Wsign-compare"

static int run(const char *cmd, char *out, size_t cap)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0;

	if (!p)
		return -1;
	while (n + 1 < cap && fgets(out + n, (int)(cap - n), p))
		n += strlen(out + n);
	out[n] = 0;
	return pclose(p);
}

TEST(without_module)
{
	struct ktls_guard_limits l;
	uint8_t s[32] = { 0 };

	if (guard_resolve() > 0 && guard_count() == 0)
		ASSERT_EQ(0, guard_unload());
	if (guard_resolve() > 0)
		SKIP(return, "ktls_guard is loaded with sockets registered");
	ASSERT_EQ(-ENOENT, ktls_guard_get_limits(&l));
	ASSERT_EQ(-ENOENT, ktls_guard_register(0, 0x1301, s, s, 32, NULL));
	ASSERT_EQ(-ENOENT, ktls_guard_unregister(0));
	ASSERT_NE(0, system("build/bin/tlsctl limits >/dev/null 2>&1"));
}

TEST(limits)
{
	struct ktls_guard_limits l;
	char out[4096];

	ASSERT_EQ(0, guard_load());
	ASSERT_EQ(0, ktls_guard_set_limits(750, 0, 0));
	ASSERT_EQ(0, ktls_guard_get_limits(&l));
	ASSERT_EQ(750, l.soft_permille);
	ASSERT_EQ(4, l.n);
	for (unsigned int i = 0; i < l.n; i++) {
		ASSERT_EQ(l.suites[i].rfc, l.suites[i].hard);
		if (l.suites[i].suite == 0x1301)
			ASSERT_EQ(23726566, l.suites[i].hard);
		if (l.suites[i].suite == 0x1304)
			ASSERT_EQ(2965820, l.suites[i].hard);
		if (l.suites[i].suite == 0x1303)
			ASSERT_EQ(UINT64_MAX, l.suites[i].hard);
	}
	ASSERT_EQ(0, ktls_guard_set_limits(500, 0, 1000));
	ASSERT_EQ(0, ktls_guard_get_limits(&l));
	ASSERT_EQ(500, l.soft_permille);
	ASSERT_EQ(1000, l.hard);
	ASSERT_EQ(1000, l.suites[0].hard);
	ASSERT_EQ(500, l.suites[0].soft);
	ASSERT_EQ(-EINVAL, ktls_guard_set_limits(500, 100, 101));
	ASSERT_EQ(-ERANGE, ktls_guard_set_limits(0, 0, 0));	/* policy */

	/* the same through tlsctl */
	ASSERT_EQ(0, run("build/bin/tlsctl limits --default", out, sizeof(out)));
	ASSERT_NE(NULL, strstr(out, "750/1000"));
	ASSERT_NE(NULL, strstr(out, "TLS_AES_128_GCM_SHA256"));
	ASSERT_NE(NULL, strstr(out, "23726566"));
	ASSERT_NE(NULL, strstr(out, "2965820"));
	ASSERT_EQ(0, run("build/bin/tlsctl limits --soft 64 --hard 128", out,
			 sizeof(out)));
	ASSERT_NE(NULL, strstr(out, "overridden: 64 records"));
	ASSERT_EQ(0, ktls_guard_get_limits(&l));
	ASSERT_EQ(64, l.soft);
	ASSERT_EQ(128, l.hard);
	ASSERT_NE(0, run("build/bin/tlsctl limits --hard 20 2>&1", out,
			 sizeof(out)));
	ASSERT_NE(NULL, strstr(out, "Invalid argument"));
	ASSERT_EQ(0, run("build/bin/tlsctl limits --default", out, sizeof(out)));
	ASSERT_EQ(0, ktls_guard_get_limits(&l));
	ASSERT_EQ(0, l.soft);
	ASSERT_EQ(0, l.hard);
}

struct sender {
	int fd;
	uint64_t total, sent;
	int err;
};

static void *sender_main(void *arg)
{
	struct sender *s = arg;
	uint8_t buf[16384];

	while (s->sent < s->total) {
		ssize_t n;

		stream_fill(5, s->sent, buf, sizeof(buf));
		n = send(s->fd, buf, sizeof(buf), 0);
		if (n <= 0) {
			s->err = n ? errno : EPIPE;
			break;
		}
		s->sent += (uint64_t)n;
	}
	return NULL;
}

TEST(both_ends_registered)
{
	struct ktls_guard_limits l;
	struct guard_attrs a;
	struct ktls_pair p;
	struct sender s;
	uint64_t cid = 0, sid = 0, got = 0;
	uint8_t buf[1 << 16], wrong[32];
	pthread_t t;

	ASSERT_EQ(0, guard_load());
	ASSERT_EQ(0, ktls_guard_set_limits(750, 16, 64));
	ASSERT_EQ(0, ktls_guard_get_limits(&l));
	ASSERT_EQ(0, ktls_pair_open(&p, 0x1301, 9));
	memcpy(wrong, p.c2s, 32);
	wrong[5] ^= 0x80;
	ASSERT_EQ(-EINVAL, ktls_guard_register(p.cfd, 0x1301, wrong, p.s2c,
					       32, &cid));
	ASSERT_EQ(0, ktls_guard_register(p.cfd, 0x1301, p.c2s, p.s2c, 32,
					 &cid));
	ASSERT_EQ(0, ktls_guard_register(p.sfd, 0x1301, p.s2c, p.c2s, 32,
					 &sid));
	ASSERT_NE(cid, sid);
	ASSERT_TRUE(guard_lookup(cid, &a));
	ASSERT_EQ(16, a.v[KTLS_GUARD_A_SOFT_RECORDS]);

	s = (struct sender){ .fd = p.cfd, .total = 200 * 16384ULL };
	ASSERT_EQ(0, pthread_create(&t, NULL, sender_main, &s));
	if (!(l.caps & KTLS_GUARD_CAP_REKEY)) {
		pthread_join(t, NULL);
		ASSERT_EQ(EKEYEXPIRED, s.err);
		ASSERT_LE(s.sent, 64 * 16384ULL);
		ASSERT_GE(s.sent, 56 * 16384ULL);
		s.total = s.sent;
	}
	while (got < s.total) {
		ssize_t n = recv(p.sfd, buf, sizeof(buf), 0);

		ASSERT_GT(n, 0) TH_LOG("reader: %s", strerror(errno));
		ASSERT_EQ((size_t)n, stream_check(5, got, buf, (size_t)n));
		got += (uint64_t)n;
	}
	pthread_join(t, NULL);
	ASSERT_EQ(s.total, got);
	ASSERT_TRUE(guard_lookup(cid, &a));
	if (l.caps & KTLS_GUARD_CAP_REKEY) {
		ASSERT_EQ(0, s.err);
		ASSERT_GE(a.v[KTLS_GUARD_A_SOCK_TX_GEN], 200 / 16);
		ASSERT_TRUE(guard_lookup(sid, &a));
		ASSERT_GE(a.v[KTLS_GUARD_A_SOCK_RX_GEN], 200 / 16);
		/* and back, under the server's own limit */
		ASSERT_EQ(4, send(p.sfd, "back", 4, 0));
		ASSERT_EQ(4, recv(p.cfd, buf, sizeof(buf), 0));
	}
	ASSERT_EQ(0, ktls_guard_unregister(p.cfd));
	ASSERT_EQ(-ENOENT, ktls_guard_unregister(p.cfd));
	ASSERT_EQ(0, ktls_guard_unregister(p.sfd));
	ktls_pair_close(&p);
	ASSERT_EQ(0, ktls_guard_set_limits(750, 0, 0));
}

TEST_HARNESS_MAIN
