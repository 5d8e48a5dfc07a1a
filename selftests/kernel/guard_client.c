// SPDX-License-Identifier: GPL-2.0
/*
 * libktls's one-call registration with ktls_guard.ko
 * (agent/include/ktls_guard_client.h) and `tlsctl limits`, on each lane:
 * -ENOENT without the module; limits read and set through the library and
 * through tlsctl, whose --json answer (parsed by perl's JSON::PP) says what
 * its text says; a loopback pair with both ends registered by the library
 * carries 200 records with the limits at 16/64 records: through key updates
 * on both ends, invisible to both readers (7.x), or up to EKEYEXPIRED before
 * 64 records (6.12). The dump agrees. The library's event reader, joined
 * before the registrations, gets for each socket exactly as many TX_REKEYED,
 * RX_REKEYED and PEER_KEY_UPDATE events as the dump has key generations,
 * TX_REKEYED numbered 1, 2, ... (7.x), or one SOFT_LIMIT and one HARD_LIMIT
 * for the sender and nothing else (6.12); -ENOENT without the module.
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

/*
 * `tlsctl limits --json` parsed by JSON::PP: one line, a boolean key_update,
 * the global overrides @soft and @hard ("null": unset), and every line the
 * text would print for it (the key update line's start, the soft and hard
 * lines, one table row per suite) in `tlsctl limits`'s text, with as many
 * rows as suites. Exit status 0 if all holds; what differs on stdout.
 */
static const char limits_json_vs_text[] =
	"perl -MJSON::PP -e '"
	"my $t = qx{build/bin/tlsctl limits}; exit 2 if $?;"
	"my $s = qx{build/bin/tlsctl limits --json};"
	"exit 3 if $? || $s !~ /\\A[^\\n]+\\n\\z/;"
	"my $j = JSON::PP->new->allow_bignum->decode($s);"
	"my ($soft, $hard) ="
	"	map { defined($_) ? $_ : q{null} } @$j{qw(soft hard)};"
	"if ($soft ne $ARGV[0] || $hard ne $ARGV[1] ||"
	"    !JSON::PP::is_bool($j->{key_update})) {"
	"	print qq{json: $s}; exit 4 }"
	"my @want = (sprintf(qq{key update: %s },"
	"		$j->{key_update} ? q{yes} : q{no}),"
	"	sprintf(qq{soft limit: %s/1000 of the hard limit%s\\n},"
	"		$j->{soft_permille}, $soft eq q{null} ? q{} :"
	"		qq{, overridden: $soft records}),"
	"	sprintf(qq{hard limit: %s\\n}, $hard eq q{null} ?"
	"		q{RFC default} : qq{overridden: $hard records}),"
	"	map { sprintf(qq{%-30s %20s %20s %20s\\n},"
	"		@$_{qw(suite soft hard rfc_default)}) } @{$j->{suites}});"
	"for (@want) {"
	"	next if index($t, $_) >= 0;"
	"	print qq{not in the text: $_\\n$t}; exit 5 }"
	"my @rows = $t =~ /^TLS_/mg;"
	"exit(@rows && @rows == @{$j->{suites}} ? 0 : 6)' ";

static int limits_json_check(const char *soft, const char *hard, char *out,
			     size_t cap)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), "%s%s %s 2>&1", limits_json_vs_text, soft,
		 hard);
	return run(cmd, out, cap);
}

TEST(without_module)
{
	struct ktls_guard_limits l;
	static const char err[] = "{\"error\": \"ktls_guard: ";
	uint8_t s[32] = { 0 };
	char out[256];

	if (guard_resolve() > 0 && guard_count() == 0)
		ASSERT_EQ(0, guard_unload());
	if (guard_resolve() > 0)
		SKIP(return, "ktls_guard is loaded with sockets registered");
	ASSERT_EQ(-ENOENT, ktls_guard_get_limits(&l));
	ASSERT_EQ(-ENOENT, ktls_guard_register(0, 0x1301, s, s, 32, NULL));
	ASSERT_EQ(-ENOENT, ktls_guard_unregister(0));
	ASSERT_EQ(-ENOENT, ktls_guard_events_open());
	ASSERT_NE(0, system("build/bin/tlsctl limits >/dev/null 2>&1"));
	/* --json: the same exit status, the message as {"error": ...} */
	ASSERT_EQ(1 << 8, run("build/bin/tlsctl limits --json 2>/dev/null",
			      out, sizeof(out)));
	ASSERT_EQ(0, strncmp(out, err, sizeof(err) - 1));
	ASSERT_NE(NULL, strstr(out, "(is ktls_guard.ko loaded?)\"}\n"));
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
	ASSERT_EQ(0, limits_json_check("64", "128", out, sizeof(out)))
		TH_LOG("%s", out);
	ASSERT_NE(0, run("build/bin/tlsctl limits --hard 20 2>&1", out,
			 sizeof(out)));
	ASSERT_NE(NULL, strstr(out, "Invalid argument"));
	ASSERT_EQ(0, run("build/bin/tlsctl limits --default", out, sizeof(out)));
	ASSERT_EQ(0, ktls_guard_get_limits(&l));
	ASSERT_EQ(0, l.soft);
	ASSERT_EQ(0, l.hard);
	ASSERT_EQ(0, limits_json_check("null", "null", out, sizeof(out)))
		TH_LOG("%s", out);
	/* setting with --json answers with the limits that result */
	ASSERT_EQ(0, run("build/bin/tlsctl limits --json --soft 32", out,
			 sizeof(out)));
	ASSERT_NE(NULL, strstr(out, "\"soft_permille\": 750, \"soft\": 32, "
			       "\"hard\": null, \"suites\": [{"));
	ASSERT_EQ(0, run("build/bin/tlsctl limits --default --json", out,
			 sizeof(out)));
	ASSERT_NE(NULL, strstr(out, "\"soft_permille\": 750, \"soft\": null, "
			       "\"hard\": null, "));
	ASSERT_EQ(0, ktls_guard_get_limits(&l));
	ASSERT_EQ(0, l.soft);
}

/* Events per registration (client, server) and type, as the reader gives
 * them. */
struct tally {
	uint64_t id[2];
	unsigned int n[2][KTLS_GUARD_EV_ERROR + 1];
	unsigned int other, notices, tx_gen_wrong;
};

static void tally_ev(const struct ktls_guard_ev *ev, void *arg)
{
	struct tally *t = arg;
	int i = ev->id == t->id[0] ? 0 : ev->id == t->id[1] ? 1 : -1;

	if (ev->type == KTLS_GUARD_EV_UNSPEC) {
		t->notices++;
		return;
	}
	if (i < 0 || ev->type > KTLS_GUARD_EV_ERROR) {
		t->other++;
		return;
	}
	t->n[i][ev->type]++;
	/* each TX_REKEYED carries the generation it made */
	if (ev->type == KTLS_GUARD_EV_TX_REKEYED &&
	    ev->tx_gen != t->n[i][ev->type])
		t->tx_gen_wrong++;
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
	struct tally ev = { 0 };
	pthread_t t;
	int efd;

	ASSERT_EQ(0, guard_load());
	efd = ktls_guard_events_open();
	ASSERT_GE(efd, 0) TH_LOG("events: %s", strerror(-efd));
	ASSERT_EQ(1, ktls_guard_events_joined(efd));
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

	/* every event was queued before the call that caused it returned */
	ev.id[0] = cid;
	ev.id[1] = sid;
	while (ktls_guard_events_read(efd, tally_ev, &ev) > 0)
		;
	ASSERT_EQ(0, ev.notices);
	ASSERT_EQ(0, ev.other);
	ASSERT_EQ(0, ev.tx_gen_wrong);
	for (int i = 0; i < 2; i++) {
		unsigned int *n = ev.n[i];

		ASSERT_TRUE(guard_lookup(ev.id[i], &a));
		TH_LOG("%s: soft %u, tx %u, rx %u, peer %u, hard %u, error %u; "
		       "dump: TX key %llu, RX key %llu",
		       i ? "server" : "client",
		       n[KTLS_GUARD_EV_SOFT_LIMIT], n[KTLS_GUARD_EV_TX_REKEYED],
		       n[KTLS_GUARD_EV_RX_REKEYED],
		       n[KTLS_GUARD_EV_PEER_KEY_UPDATE],
		       n[KTLS_GUARD_EV_HARD_LIMIT], n[KTLS_GUARD_EV_ERROR],
		       (unsigned long long)a.v[KTLS_GUARD_A_SOCK_TX_GEN],
		       (unsigned long long)a.v[KTLS_GUARD_A_SOCK_RX_GEN]);
		ASSERT_EQ(0, n[KTLS_GUARD_EV_ERROR]);
		ASSERT_EQ(a.v[KTLS_GUARD_A_SOCK_TX_GEN],
			  n[KTLS_GUARD_EV_TX_REKEYED]);
		ASSERT_EQ(a.v[KTLS_GUARD_A_SOCK_RX_GEN],
			  n[KTLS_GUARD_EV_RX_REKEYED]);
		ASSERT_EQ(n[KTLS_GUARD_EV_RX_REKEYED],
			  n[KTLS_GUARD_EV_PEER_KEY_UPDATE]);
		if (l.caps & KTLS_GUARD_CAP_REKEY) {
			ASSERT_EQ(0, n[KTLS_GUARD_EV_SOFT_LIMIT]);
			ASSERT_EQ(0, n[KTLS_GUARD_EV_HARD_LIMIT]);
		} else {
			/* the sender: once each; the reader: nothing */
			ASSERT_EQ(i ? 0 : 1, n[KTLS_GUARD_EV_SOFT_LIMIT]);
			ASSERT_EQ(i ? 0 : 1, n[KTLS_GUARD_EV_HARD_LIMIT]);
		}
	}
	if (l.caps & KTLS_GUARD_CAP_REKEY) {
		ASSERT_GE(ev.n[0][KTLS_GUARD_EV_TX_REKEYED], 200 / 16);
		ASSERT_GE(ev.n[1][KTLS_GUARD_EV_RX_REKEYED], 200 / 16);
	}
	close(efd);
	ASSERT_EQ(0, ktls_guard_unregister(p.cfd));
	ASSERT_EQ(-ENOENT, ktls_guard_unregister(p.cfd));
	ASSERT_EQ(0, ktls_guard_unregister(p.sfd));
	ktls_pair_close(&p);
	ASSERT_EQ(0, ktls_guard_set_limits(750, 0, 0));
}

TEST_HARNESS_MAIN
