// SPDX-License-Identifier: GPL-2.0
/*
 * ktls_guard.ko on registered kTLS sockets, on every lane, for every TLS 1.3
 * suite kTLS carries. The peer of a registered socket is a plain kTLS
 * socket driven here, which derives every next key itself (OpenSSL's HMAC,
 * RFC 8446 §7.2) and checks what it receives:
 *
 * - registration, dump, unregistration, refusals and permissions;
 * - TX: with the soft limit at 64 records, data goes through many key
 *   updates intact and no key protects more than 64 records (7.x); on a
 *   kernel without kTLS rekey, TX is refused with EKEYEXPIRED before the
 *   hard limit, with the soft and hard limit events, and every byte sent
 *   before arrives intact (6.12);
 * - RX: the peer's KeyUpdate is handled without the reader noticing, and
 *   update_requested is answered (7.x); a malformed KeyUpdate fails the
 *   connection with illegal_parameter (7.x); 6.12 hands it to the reader;
 * - concurrent senders (threads and sendfile) during key updates: the peer
 *   never sees a record under a stale key (it could not decrypt it); on
 *   6.12 they all end at the hard limit with every block intact;
 * - close while registered, unload refused while registered, churn, and
 *   10,000 registered sockets, with the module's reference count back to 0.
 */
#include <poll.h>
#include <signal.h>
#include <pthread.h>
#include <pwd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/wait.h>

#include "guard_lib.h"
#include "kselftest_harness.h"

/* The harness compares int literals with the u64 attributes of dumps. */
#pragma GCC diagnostic ignored "-Wsign-compare"

#define REC_HANDSHAKE	22
#define REC_ALERT	21
#define SOFT		64
#define HARD		128

static bool can_rekey(void)
{
	uint32_t caps = 0;

	return !guard_caps(&caps) && (caps & KTLS_GUARD_CAP_REKEY);
}

static long module_refcnt(void)
{
	FILE *f = fopen("/sys/module/ktls_guard/refcnt", "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

/* What the peer (the server end, plain kTLS) saw. */
struct peer_stats {
	uint64_t bytes;
	unsigned int key_updates;	/* KeyUpdates received */
	uint64_t max_records;		/* most records under one key (0:
					 * kTLS's getsockopt cannot tell) */
	int err;			/* errno of a failed read, else 0 */
	size_t bad_at;			/* offset of corrupt data, or -1 */
};

static uint64_t rx_rec_seq(int fd, const struct ktls_cipher *c)
{
	uint8_t info[KTLS_MAX_INFO_LEN];
	socklen_t len = sizeof(info);
	uint64_t seq = 0;

	/* 7.3 answers EINVAL for AES-CCM: the peer cannot count those */
	if (getsockopt(fd, SOL_TLS, TLS_RX, info, &len))
		return 0;
	for (int i = 0; i < KTLS_REC_SEQ_LEN; i++)
		seq = seq << 8 | info[c->off_rec_seq + i];
	return seq;
}

/*
 * Read @total bytes of stream @s from the pair's server end, following the
 * client's KeyUpdates (7.x): on each, count the records of the ending key
 * and install the next one.
 */
static void peer_read(struct ktls_pair *p, unsigned int s, uint64_t total,
		      struct peer_stats *st)
{
	static uint8_t buf[1 << 16];

	memset(st, 0, sizeof(*st));
	st->bad_at = (size_t)-1;
	while (st->bytes < total) {
		size_t want = total - st->bytes < sizeof(buf) ?
			      total - st->bytes : sizeof(buf);
		ssize_t n = recv(p->sfd, buf, want, 0);
		uint8_t type;

		if (n > 0) {
			size_t at = stream_check(s, st->bytes, buf, (size_t)n);

			if (at != (size_t)n && st->bad_at == (size_t)-1)
				st->bad_at = st->bytes + at;
			st->bytes += (uint64_t)n;
			continue;
		}
		if (n == 0 || errno != EIO) {
			st->err = n == 0 ? EPIPE : errno;
			return;
		}
		n = recv_record(p->sfd, &type, buf, sizeof(buf), 0);
		if (n != 5 || type != REC_HANDSHAKE || buf[0] != 24 ||
		    buf[3] != 1 || buf[4] != 0) {
			st->err = EPROTO;
			return;
		}
		{
			uint64_t recs = rx_rec_seq(p->sfd, p->c);

			if (recs > st->max_records)
				st->max_records = recs;
		}
		secret_next(p->c2s, p->slen);
		if (install_secret(p->sfd, TLS_RX, p->c, p->c2s, p->slen)) {
			st->err = errno;
			return;
		}
		st->key_updates++;
	}
	{
		uint64_t recs = rx_rec_seq(p->sfd, p->c);

		if (recs > st->max_records)
			st->max_records = recs;
	}
}

struct writer {
	int fd;
	unsigned int s;
	uint64_t total;
	size_t chunk;
	uint64_t sent;
	int err;
};

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	uint8_t *buf = malloc(w->chunk);

	while (buf && w->sent < w->total) {
		size_t len = w->total - w->sent < w->chunk ?
			     w->total - w->sent : w->chunk;
		ssize_t n;

		stream_fill(w->s, w->sent, buf, len);
		n = send(w->fd, buf, len, 0);
		if (n <= 0) {
			w->err = n ? errno : EPIPE;
			break;
		}
		w->sent += (uint64_t)n;
	}
	free(buf);
	return NULL;
}

FIXTURE(guard)
{
	struct ktls_pair p;
	bool rekey;
};

FIXTURE_VARIANT(guard)
{
	uint16_t suite;
};

FIXTURE_VARIANT_ADD(guard, aes_128_gcm) { .suite = 0x1301 };
FIXTURE_VARIANT_ADD(guard, aes_256_gcm) { .suite = 0x1302 };
FIXTURE_VARIANT_ADD(guard, chacha20_poly1305) { .suite = 0x1303 };
FIXTURE_VARIANT_ADD(guard, aes_128_ccm) { .suite = 0x1304 };

FIXTURE_SETUP(guard)
{
	self->p.cfd = self->p.sfd = -1;
	ASSERT_EQ(0, guard_load()) TH_LOG("loading %s", getenv("KTLS_GUARD_KO"));
	ASSERT_EQ(0, guard_set_global(0, 0, 0));
	self->rekey = can_rekey();
	if (ktls_pair_open(&self->p, variant->suite, 1)) {
		int e = errno;

		if (e == ENOENT || e == EOPNOTSUPP || e == EINVAL)
			SKIP(return, "this kernel has no kTLS for suite 0x%04x: %s",
			     variant->suite, strerror(e));
		ASSERT_EQ(0, e);
	}
}

FIXTURE_TEARDOWN(guard)
{
	ktls_pair_close(&self->p);
}

TEST_F(guard, register_dump_unregister)
{
	uint8_t info[KTLS_MAX_INFO_LEN] = { 0 }, buf[16];
	struct guard_attrs a;
	uint64_t id = 0, id2;

	ASSERT_EQ(0, ktls_pair_register(&self->p, SOFT, HARD, &id));
	ASSERT_NE(0, id);
	ASSERT_TRUE(guard_lookup(id, &a));
	EXPECT_EQ(self->p.c->suite, a.v[KTLS_GUARD_A_SUITE]);
	EXPECT_EQ((uint64_t)getpid(), a.v[KTLS_GUARD_A_SOCK_PID]);
	EXPECT_EQ(0, a.v[KTLS_GUARD_A_SOCK_TX_GEN]);
	EXPECT_EQ(0, a.v[KTLS_GUARD_A_SOCK_RX_GEN]);
	EXPECT_EQ(SOFT, a.v[KTLS_GUARD_A_SOFT_RECORDS]);
	EXPECT_EQ(HARD, a.v[KTLS_GUARD_A_HARD_RECORDS]);
	EXPECT_EQ(HARD, a.v[KTLS_GUARD_A_SOCK_TX_HEADROOM]);
	EXPECT_FALSE(a.has[KTLS_GUARD_A_SOCK_KERNEL]);
	EXPECT_FALSE(a.has[KTLS_GUARD_A_TX_SECRET]);
	EXPECT_FALSE(a.has[KTLS_GUARD_A_RX_SECRET]);

	/* records are counted: 3 sends without MSG_MORE are 3 records */
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(5, send(self->p.cfd, "hello", 5, 0));
	for (int got = 0; got < 15;) {
		ssize_t n = recv(self->p.sfd, buf, sizeof(buf), 0);

		ASSERT_GT(n, 0);
		got += (int)n;
	}
	ASSERT_TRUE(guard_lookup(id, &a));
	EXPECT_EQ(3, a.v[KTLS_GUARD_A_SOCK_TX_RECORDS]);
	EXPECT_EQ(HARD - 3, a.v[KTLS_GUARD_A_SOCK_TX_HEADROOM]);

	/* once registered, the keys are the guard's */
	ASSERT_EQ(-EEXIST, ktls_pair_register(&self->p, 0, 0, &id2));
	ASSERT_EQ(-1, setsockopt(self->p.cfd, SOL_TLS, TLS_TX, info,
				 self->p.c->info_len));
	ASSERT_EQ(EBUSY, errno);

	ASSERT_EQ(0, guard_unregister(KTLS_GUARD_A_FD, (uint64_t)self->p.cfd));
	ASSERT_FALSE(guard_lookup(id, NULL));
	ASSERT_EQ(-ENOENT, guard_unregister(KTLS_GUARD_A_FD,
					    (uint64_t)self->p.cfd));
	ASSERT_EQ(-ENOENT, guard_unregister(KTLS_GUARD_A_ID, id));

	/* plain kTLS carries on with the same keys */
	ASSERT_EQ(5, send(self->p.cfd, "after", 5, 0));
	ASSERT_EQ(5, recv(self->p.sfd, buf, sizeof(buf), 0));
	ASSERT_EQ(0, memcmp(buf, "after", 5));
	ASSERT_EQ(2, send(self->p.sfd, "ok", 2, 0));
	ASSERT_EQ(2, recv(self->p.cfd, buf, sizeof(buf), 0));

	/* and can be registered again, by id this time released */
	ASSERT_EQ(0, ktls_pair_register(&self->p, 0, 0, &id2));
	ASSERT_GT(id2, id);
	ASSERT_EQ(0, guard_unregister(KTLS_GUARD_A_ID, id2));
}

TEST_F(guard, register_refusals)
{
	uint8_t wrong[48];
	int tcp[2], pid, status;
	uint64_t id;

	memcpy(wrong, self->p.c2s, sizeof(wrong));
	wrong[0] ^= 1;
	/* secrets that do not give the installed keys */
	ASSERT_EQ(-EINVAL, guard_register(self->p.cfd, self->p.c->suite, wrong,
					  self->p.s2c, self->p.slen, 0, 0, &id));
	ASSERT_EQ(-EINVAL, guard_register(self->p.cfd, self->p.c->suite,
					  self->p.c2s, wrong, self->p.slen, 0,
					  0, &id));
	/* TX and RX swapped */
	ASSERT_EQ(-EINVAL, guard_register(self->p.cfd, self->p.c->suite,
					  self->p.s2c, self->p.c2s,
					  self->p.slen, 0, 0, &id));
	/* another suite than the installed one */
	ASSERT_EQ(-EINVAL, guard_register(self->p.cfd,
					  self->p.c->suite == 0x1303 ? 0x1301 :
					  0x1303, self->p.c2s, self->p.s2c,
					  32, 0, 0, &id));
	/* limits too tight */
	ASSERT_EQ(-EINVAL, ktls_pair_register(&self->p, 64, 65, &id));
	ASSERT_EQ(-EINVAL, ktls_pair_register(&self->p, 2, 0, &id));
	/* not a socket, not the caller's, not kTLS */
	ASSERT_EQ(-ENOTSOCK, guard_register(0 + open("/dev/null", O_RDONLY),
					    self->p.c->suite, self->p.c2s,
					    self->p.s2c, self->p.slen, 0, 0,
					    &id));
	ASSERT_EQ(-EBADF, guard_register(9999, self->p.c->suite, self->p.c2s,
					 self->p.s2c, self->p.slen, 0, 0, &id));
	ASSERT_EQ(0, tcp_pair(&tcp[0], &tcp[1]));
	ASSERT_EQ(-EPROTONOSUPPORT,
		  guard_register(tcp[0], self->p.c->suite, self->p.c2s,
				 self->p.s2c, self->p.slen, 0, 0, &id));
	close(tcp[0]);
	close(tcp[1]);
	ASSERT_EQ(0, guard_count());

	/* someone else, without CAP_NET_ADMIN, holding the fd */
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		if (setgid(65534) || setuid(65534))
			_exit(10);
		if (guard_register(self->p.cfd, self->p.c->suite, self->p.c2s,
				   self->p.s2c, self->p.slen, 0, 0, &id) !=
		    -EPERM)
			_exit(11);
		if (guard_set_global(500, 0, 0) != -EPERM)
			_exit(12);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));

	/* a registration by root is invisible to that user's dump */
	ASSERT_EQ(0, ktls_pair_register(&self->p, 0, 0, &id));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		if (setgid(65534) || setuid(65534))
			_exit(10);
		if (guard_count() != 0)
			_exit(13);
		if (guard_unregister(KTLS_GUARD_A_ID, id) != -ENOENT)
			_exit(14);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(1, guard_count());
}

/*
 * 7.x: 400 full records from the registered end with the soft limit at 64:
 * at least 6 key updates, no key over 64 records, data intact. 6.12: TX is
 * refused before the hard limit with both events; what was sent is intact.
 */
TEST_F_TIMEOUT(guard, tx_limits, 120)
{
	const uint64_t total = (uint64_t)400 << 14;
	struct guard_events ev;
	struct peer_stats st;
	struct writer w = { .fd = self->p.cfd, .s = 7, .total = total,
			    .chunk = 256 << 10 };
	struct guard_attrs a;
	char rbuf[8];
	pthread_t t;
	uint64_t id;

	ASSERT_EQ(0, guard_events_open(&ev));
	ASSERT_EQ(0, ktls_pair_register(&self->p, SOFT, HARD, &id));
	ASSERT_EQ(0, pthread_create(&t, NULL, writer_main, &w));
	if (self->rekey) {
		peer_read(&self->p, 7, total, &st);
		pthread_join(t, NULL);
		ASSERT_EQ(0, w.err);
		ASSERT_EQ(0, st.err) TH_LOG("peer: %s", strerror(st.err));
		ASSERT_EQ(total, st.bytes);
		ASSERT_EQ((size_t)-1, st.bad_at);
		ASSERT_GE(st.key_updates, 6);
		ASSERT_LE(st.max_records, SOFT);
		ASSERT_TRUE(guard_lookup(id, &a));
		ASSERT_EQ(st.key_updates, a.v[KTLS_GUARD_A_SOCK_TX_GEN]);
		guard_events_poll(&ev);
		ASSERT_EQ(st.key_updates, ev.n[KTLS_GUARD_EV_TX_REKEYED]);
		ASSERT_EQ(0, ev.n[KTLS_GUARD_EV_HARD_LIMIT]);
		ASSERT_EQ(0, ev.n[KTLS_GUARD_EV_ERROR]);
	} else {
		pthread_join(t, NULL);	/* stops at the refusal */
		ASSERT_EQ(EKEYEXPIRED, w.err);
		ASSERT_LT(w.sent, total);
		peer_read(&self->p, 7, w.sent, &st);
		ASSERT_EQ(0, st.err);
		ASSERT_EQ((size_t)-1, st.bad_at);
		ASSERT_EQ(0, st.key_updates);
		ASSERT_LE(st.max_records, HARD);
		if (st.max_records) {	/* counted */
			ASSERT_GE(st.max_records, HARD - 4);
		}
		ASSERT_EQ(-1, send(self->p.cfd, "x", 1, 0));
		ASSERT_EQ(EKEYEXPIRED, errno);
		ASSERT_TRUE(guard_lookup(id, &a));
		ASSERT_TRUE(a.v[KTLS_GUARD_A_SOCK_FLAGS] &
			    KTLS_GUARD_SOCK_TX_REFUSED);
		ASSERT_TRUE(a.v[KTLS_GUARD_A_SOCK_FLAGS] &
			    KTLS_GUARD_SOCK_SOFT_REACHED);
		ASSERT_EQ(0, a.v[KTLS_GUARD_A_SOCK_TX_GEN]);
		guard_events_poll(&ev);
		ASSERT_EQ(1, ev.n[KTLS_GUARD_EV_SOFT_LIMIT]);
		ASSERT_EQ(1, ev.n[KTLS_GUARD_EV_HARD_LIMIT]);
		ASSERT_EQ(0, ev.n[KTLS_GUARD_EV_TX_REKEYED]);
		/* RX is not limited: the peer can still talk to us */
		ASSERT_EQ(4, send(self->p.sfd, "rx ok", 4, 0));
		ASSERT_EQ(4, recv(self->p.cfd, rbuf, sizeof(rbuf), 0));
	}
	guard_events_close(&ev);
}

/* The same through sendfile (splice into kTLS), 7.x and 6.12 alike. */
TEST_F_TIMEOUT(guard, tx_sendfile, 120)
{
	const uint64_t total = (uint64_t)300 << 14;
	char path[] = "/tmp/guard_sendfileXXXXXX";
	static uint8_t data[(size_t)300 << 14];
	struct peer_stats st;
	uint64_t id;
	off_t off = 0;
	ssize_t n;
	int fd, status;

	stream_fill(3, 0, data, sizeof(data));
	fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	unlink(path);
	ASSERT_EQ((ssize_t)sizeof(data), write(fd, data, sizeof(data)));
	ASSERT_EQ(0, ktls_pair_register(&self->p, SOFT, HARD, &id));
	if (!self->rekey) {
		while ((n = sendfile(self->p.cfd, fd, &off, total - off)) > 0)
			;
		ASSERT_EQ(-1, n);
		ASSERT_EQ(EKEYEXPIRED, errno);
		peer_read(&self->p, 3, (uint64_t)off, &st);
		ASSERT_EQ(0, st.err);
		ASSERT_EQ((size_t)-1, st.bad_at);
		ASSERT_LE(st.max_records, HARD);
		close(fd);
		return;
	}
	if (!fork()) {
		while (off < (off_t)total &&
		       sendfile(self->p.cfd, fd, &off, total - off) > 0)
			;
		_exit(off == (off_t)total ? 0 : 1);
	}
	peer_read(&self->p, 3, total, &st);
	wait(&status);
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	ASSERT_EQ(0, st.err) TH_LOG("peer: %s", strerror(st.err));
	ASSERT_EQ((size_t)-1, st.bad_at);
	ASSERT_GE(st.key_updates, 4);
	ASSERT_LE(st.max_records, SOFT);
	close(fd);
}

/*
 * Several threads and a sendfile child write into the registered socket
 * while it updates its key. Each write is a 4 KiB block tagged with its
 * writer and index; the peer checks every block and would fail to decrypt
 * any record under a stale key (EBADMSG).
 */
#define BLK 4096
#define NBLK 256

struct blk_writer {
	int fd;
	unsigned int id;
	unsigned int sent;
	int err;
};

static void blk_fill(uint8_t *b, unsigned int writer, unsigned int idx)
{
	stream_fill(writer, (uint64_t)idx * BLK, b, BLK);
	b[0] = (uint8_t)writer;
	b[1] = (uint8_t)(idx >> 8);
	b[2] = (uint8_t)idx;
}

static void *blk_main(void *arg)
{
	struct blk_writer *w = arg;
	uint8_t b[BLK];

	for (unsigned int i = 0; i < NBLK; i++) {
		blk_fill(b, w->id, i);
		if (send(w->fd, b, BLK, 0) != BLK) {
			w->err = errno ? errno : EIO;
			break;
		}
		w->sent++;
	}
	return NULL;
}

TEST_F_TIMEOUT(guard, concurrent_senders, 120)
{
	char path[] = "/tmp/guard_blkXXXXXX";
	struct blk_writer w[3];
	unsigned int next[5] = { 0 };
	static uint8_t file[NBLK * BLK];
	pthread_t t[3];
	uint8_t b[BLK];
	uint64_t id, got = 0, total = 4ULL * NBLK * BLK;
	uint64_t *child_off;
	int fd, pid, status, kus = 0;

	child_off = mmap(NULL, sizeof(*child_off), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, child_off);
	for (unsigned int i = 0; i < NBLK; i++)
		blk_fill(file + (size_t)i * BLK, 4, i);
	fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	unlink(path);
	ASSERT_EQ((ssize_t)sizeof(file), write(fd, file, sizeof(file)));
	ASSERT_EQ(0, ktls_pair_register(&self->p, SOFT, HARD, &id));

	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		off_t off = 0;

		while (off < (off_t)sizeof(file)) {
			if (sendfile(self->p.cfd, fd, &off,
				     sizeof(file) - off) <= 0) {
				*child_off = (uint64_t)off;
				_exit(errno == EKEYEXPIRED ? 2 : 1);
			}
		}
		*child_off = (uint64_t)off;
		_exit(0);
	}
	for (unsigned int i = 0; i < 3; i++) {
		w[i] = (struct blk_writer){ .fd = self->p.cfd, .id = i + 1 };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, blk_main, &w[i]));
	}
	if (!self->rekey) {
		/*
		 * No key update (6.12): every writer ends at the hard limit;
		 * what they sent before (whole blocks: a 4 KiB send is never
		 * cut, sendfile is cut at page boundaries) arrives intact.
		 * sendfile's 16 KiB records may carry its whole file before
		 * the writers use the key up: then it ends with 0, not at the
		 * limit.
		 */
		total = 0;
		for (unsigned int i = 0; i < 3; i++) {
			pthread_join(t[i], NULL);
			ASSERT_EQ(EKEYEXPIRED, w[i].err);
			total += (uint64_t)w[i].sent * BLK;
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		ASSERT_TRUE(WEXITSTATUS(status) == 2 ||
			    (WEXITSTATUS(status) == 0 &&
			     *child_off == sizeof(file)))
			TH_LOG("sendfile: exit %d after %llu bytes",
			       WEXITSTATUS(status),
			       (unsigned long long)*child_off);
		ASSERT_EQ(0, *child_off % BLK);
		total += *child_off;
		ASSERT_LT(total, 4ULL * NBLK * BLK);
	}
	while (got < total) {
		size_t have = 0;
		uint8_t want[BLK];

		while (have < BLK) {
			ssize_t n = recv(self->p.sfd, b + have, BLK - have, 0);
			uint8_t type, ku[8];

			if (n > 0) {
				have += (size_t)n;
				continue;
			}
			ASSERT_EQ(EIO, errno) TH_LOG("peer recv: %s",
						     strerror(errno));
			ASSERT_EQ(5, recv_record(self->p.sfd, &type, ku,
						 sizeof(ku), 0));
			ASSERT_EQ(REC_HANDSHAKE, type);
			ASSERT_LE(rx_rec_seq(self->p.sfd, self->p.c), SOFT);
			secret_next(self->p.c2s, self->p.slen);
			ASSERT_EQ(0, install_secret(self->p.sfd, TLS_RX,
						    self->p.c, self->p.c2s,
						    self->p.slen));
			kus++;
		}
		/* a block boundary in the stream is a block of one writer */
		ASSERT_GE(b[0], 1);
		ASSERT_LE(b[0], 4);
		ASSERT_EQ(next[b[0]], (unsigned int)(b[1] << 8 | b[2]));
		blk_fill(want, b[0], next[b[0]]);
		ASSERT_EQ(0, memcmp(want, b, BLK));
		next[b[0]]++;
		got += BLK;
	}
	if (!self->rekey) {
		ASSERT_EQ(0, kus);
		ASSERT_LE(rx_rec_seq(self->p.sfd, self->p.c), HARD);
		close(fd);
		return;
	}
	for (unsigned int i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		ASSERT_EQ(0, w[i].err);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	ASSERT_GE(kus, 10);
	close(fd);
}

/*
 * The peer updates its key; the registered reader, reading with plain
 * recv(), sees only the data. With update_requested, the guard answers with
 * its own KeyUpdate before any more of its data.
 */
/*
 * The peer (sfd, plain kTLS) after its KeyUpdate @ku: three times, its next
 * TX key, "after", and another KeyUpdate but for the last. 0 or an errno.
 */
static int peer_updates(struct ktls_pair *p, const uint8_t *ku)
{
	for (int gen = 1; gen <= 3; gen++) {
		secret_next(p->s2c, p->slen);
		if (install_secret(p->sfd, TLS_TX, p->c, p->s2c, p->slen) ||
		    send(p->sfd, "after", 5, 0) != 5 ||
		    (gen < 3 && send_record(p->sfd, REC_HANDSHAKE, ku, 5) != 5))
			return errno ? errno : EIO;
	}
	return 0;
}

TEST_F(guard, rx_key_update)
{
	static const uint8_t ku[5] = { 24, 0, 0, 1, 0 };
	static const uint8_t ku_req[5] = { 24, 0, 0, 1, 1 };
	struct guard_events ev;
	struct guard_attrs a;
	uint8_t buf[64], type;
	char all[32] = { 0 };
	size_t have = 0;
	uint64_t id;

	ASSERT_EQ(0, guard_events_open(&ev));
	ASSERT_EQ(0, ktls_pair_register(&self->p, 0, 0, &id));
	ASSERT_EQ(6, send(self->p.sfd, "before", 6, 0));
	ASSERT_EQ(5, send_record(self->p.sfd, REC_HANDSHAKE, ku, 5));
	if (!self->rekey) {
		/* no rekey: the reader gets the record as kTLS gives it */
		ASSERT_EQ(6, recv(self->p.cfd, buf, sizeof(buf), 0));
		ASSERT_EQ(-1, recv(self->p.cfd, buf, sizeof(buf), 0));
		ASSERT_EQ(EIO, errno);
		ASSERT_EQ(5, recv_record(self->p.cfd, &type, buf, sizeof(buf),
					 0));
		ASSERT_EQ(REC_HANDSHAKE, type);
		guard_events_close(&ev);
		return;
	}
	ASSERT_EQ(0, peer_updates(&self->p, ku));
	/* "before" + 3x "after", nothing else, no error */
	while (have < 21) {
		ssize_t n = recv(self->p.cfd, all + have, 21 - have, 0);

		ASSERT_GT(n, 0) TH_LOG("reader: %s", strerror(errno));
		have += (size_t)n;
	}
	ASSERT_EQ(0, memcmp(all, "beforeafterafterafter", 21));
	ASSERT_TRUE(guard_lookup(id, &a));
	ASSERT_EQ(3, a.v[KTLS_GUARD_A_SOCK_RX_GEN]);
	ASSERT_EQ(0, a.v[KTLS_GUARD_A_SOCK_TX_GEN]);

	/* update_requested: the guard answers */
	ASSERT_EQ(5, send_record(self->p.sfd, REC_HANDSHAKE, ku_req, 5));
	secret_next(self->p.s2c, self->p.slen);
	ASSERT_EQ(0, install_secret(self->p.sfd, TLS_TX, self->p.c,
				    self->p.s2c, self->p.slen));
	ASSERT_EQ(3, send(self->p.sfd, "req", 3, 0));
	ASSERT_EQ(3, recv(self->p.cfd, buf, sizeof(buf), 0));
	ASSERT_EQ(0, memcmp(buf, "req", 3));
	ASSERT_EQ(5, send(self->p.cfd, "reply", 5, 0));
	ASSERT_EQ(5, recv_record(self->p.sfd, &type, buf, sizeof(buf), 0));
	ASSERT_EQ(REC_HANDSHAKE, type);
	ASSERT_EQ(0, memcmp(buf, ku, 5));	/* update_not_requested */
	secret_next(self->p.c2s, self->p.slen);
	ASSERT_EQ(0, install_secret(self->p.sfd, TLS_RX, self->p.c,
				    self->p.c2s, self->p.slen));
	ASSERT_EQ(5, recv(self->p.sfd, buf, sizeof(buf), 0));
	ASSERT_EQ(0, memcmp(buf, "reply", 5));
	ASSERT_TRUE(guard_lookup(id, &a));
	ASSERT_EQ(4, a.v[KTLS_GUARD_A_SOCK_RX_GEN]);
	ASSERT_EQ(1, a.v[KTLS_GUARD_A_SOCK_TX_GEN]);
	guard_events_poll(&ev);
	ASSERT_EQ(4, ev.n[KTLS_GUARD_EV_PEER_KEY_UPDATE]);
	ASSERT_EQ(4, ev.n[KTLS_GUARD_EV_RX_REKEYED]);
	ASSERT_EQ(1, ev.n[KTLS_GUARD_EV_TX_REKEYED]);
	guard_events_close(&ev);
}

/*
 * A reader that splices: kTLS cannot splice a control record (EINVAL at
 * the KeyUpdate), so the module takes the update and the splice goes on.
 */
TEST_F(guard, rx_key_update_splice)
{
	static const uint8_t ku[5] = { 24, 0, 0, 1, 0 };
	char all[32] = { 0 };
	struct guard_attrs a;
	size_t have = 0;
	int pfd[2];
	uint64_t id;

	ASSERT_EQ(0, pipe(pfd));
	ASSERT_EQ(0, ktls_pair_register(&self->p, 0, 0, &id));
	ASSERT_EQ(6, send(self->p.sfd, "before", 6, 0));
	ASSERT_EQ(5, send_record(self->p.sfd, REC_HANDSHAKE, ku, 5));
	if (!self->rekey) {
		/* no rekey: the splice gets kTLS's error */
		ASSERT_EQ(6, splice(self->p.cfd, NULL, pfd[1], NULL, 64, 0));
		ASSERT_EQ(-1, splice(self->p.cfd, NULL, pfd[1], NULL, 64, 0));
		ASSERT_EQ(EINVAL, errno);
		close(pfd[0]);
		close(pfd[1]);
		return;
	}
	ASSERT_EQ(0, peer_updates(&self->p, ku));
	while (have < 21) {
		ssize_t n = splice(self->p.cfd, NULL, pfd[1], NULL, 21 - have,
				   0);

		ASSERT_GT(n, 0) TH_LOG("splice: %s", strerror(errno));
		ASSERT_EQ(n, read(pfd[0], all + have, (size_t)n));
		have += (size_t)n;
	}
	ASSERT_EQ(0, memcmp(all, "beforeafterafterafter", 21));
	ASSERT_TRUE(guard_lookup(id, &a));
	ASSERT_EQ(3, a.v[KTLS_GUARD_A_SOCK_RX_GEN]);
	close(pfd[0]);
	close(pfd[1]);
}

/* RFC 8446 §4.6.3: request_update other than 0 or 1: illegal_parameter. */
TEST_F(guard, malformed_key_update)
{
	static const uint8_t bad[5] = { 24, 0, 0, 1, 7 };
	uint8_t buf[16], type;
	uint64_t id;

	ASSERT_EQ(0, ktls_pair_register(&self->p, 0, 0, &id));
	ASSERT_EQ(5, send_record(self->p.sfd, REC_HANDSHAKE, bad, 5));
	ASSERT_EQ(-1, recv(self->p.cfd, buf, sizeof(buf), 0));
	if (!self->rekey) {
		ASSERT_EQ(EIO, errno);
		return;
	}
	ASSERT_EQ(EBADMSG, errno);
	ASSERT_EQ(2, recv_record(self->p.sfd, &type, buf, sizeof(buf), 0));
	ASSERT_EQ(REC_ALERT, type);
	ASSERT_EQ(2, buf[0]);
	ASSERT_EQ(47, buf[1]);
	/* and the connection is failed for the guarded end */
	ASSERT_EQ(-1, send(self->p.cfd, "x", 1, 0));
}

/* Closing a registered socket unregisters it and zeroizes; no leak. */
TEST_F(guard, close_while_registered)
{
	uint64_t id;
	long before = module_refcnt();

	ASSERT_EQ(0, ktls_pair_register(&self->p, SOFT, HARD, &id));
	ASSERT_EQ(before + 1, module_refcnt());
	ASSERT_EQ(5, send(self->p.cfd, "bye..", 5, 0));
	close(self->p.cfd);
	self->p.cfd = -1;
	ASSERT_FALSE(guard_lookup(id, NULL));
	ASSERT_EQ(before, module_refcnt());
}

/* A registered socket pins the module; released, it unloads. */
TEST_F(guard, unload_while_registered)
{
	uint64_t id;
	char buf[8];

	ASSERT_EQ(0, ktls_pair_register(&self->p, SOFT, HARD, &id));
	ASSERT_NE(0, guard_unload());
	ASSERT_GT(guard_resolve(), 0);
	ASSERT_EQ(2, send(self->p.cfd, "ok", 2, 0));
	ASSERT_EQ(2, recv(self->p.sfd, buf, sizeof(buf), 0));
	close(self->p.cfd);
	self->p.cfd = -1;
	ASSERT_EQ(0, module_refcnt());
	ASSERT_EQ(0, guard_unload());
	ASSERT_LT(guard_resolve(), 0);
	ASSERT_EQ(0, guard_load());
}

/*
 * Register/unregister churn and close racing rekeys from another thread;
 * the module's reference count (one per registration) returns to 0.
 */
/* The long tests need more than the harness's default 30 s under TCG. */
FIXTURE(big)
{
	int unused;
};

FIXTURE_SETUP(big)
{
}

FIXTURE_TEARDOWN(big)
{
}

TEST_F_TIMEOUT(big, churn, 300)
{
	ASSERT_EQ(0, guard_load());
	ASSERT_EQ(0, guard_set_global(0, 0, 0));
	for (int i = 0; i < 300; i++) {
		struct ktls_pair p;
		uint64_t id;

		ASSERT_EQ(0, ktls_pair_open(&p, 0x1301, i));
		ASSERT_EQ(0, ktls_pair_register(&p, 0, 0, &id));
		switch (i % 3) {
		case 0:
			ASSERT_EQ(0, guard_unregister(KTLS_GUARD_A_FD,
						      (uint64_t)p.cfd));
			break;
		case 1:
			ASSERT_EQ(0, guard_unregister(KTLS_GUARD_A_ID, id));
			break;
		default:
			break;	/* closed registered */
		}
		ktls_pair_close(&p);
	}
	ASSERT_EQ(0, guard_count());
	ASSERT_EQ(0, module_refcnt());
}

/* A thread keeps sending through key updates while the socket is closed. */
TEST_F_TIMEOUT(big, close_races_rekey, 300)
{
	/* without rekey (6.12) the writer meets the hard limit instead */
	ASSERT_EQ(0, guard_load());
	signal(SIGPIPE, SIG_IGN);
	for (int i = 0; i < 20; i++) {
		struct writer w = { .s = 1, .total = 64 << 20,
				    .chunk = 64 << 10 };
		struct ktls_pair p;
		pthread_t t;
		uint64_t id;

		ASSERT_EQ(0, ktls_pair_open(&p, 0x1301, i));
		ASSERT_EQ(0, ktls_pair_register(&p, 16, 32, &id));
		w.fd = p.cfd;
		ASSERT_EQ(0, pthread_create(&t, NULL, writer_main, &w));
		usleep(1000 * (i % 5));
		close(p.sfd);		/* the writer fails with EPIPE/ECONNRESET */
		shutdown(p.cfd, SHUT_RDWR);
		pthread_join(t, NULL);
		close(p.cfd);
	}
	ASSERT_EQ(0, guard_count());
	ASSERT_EQ(0, module_refcnt());
}

/* 10,000 registered sockets at once, listed by one dump, then released. */
TEST_F_TIMEOUT(big, ten_thousand, 300)
{
	enum { N = 10000 };
	struct rlimit rl = { 3 * N, 3 * N };
	static int fds[N][2];
	uint8_t s[32] = { 1 };
	const struct ktls_cipher *c = ktls_cipher_by_suite(0x1301);
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int lfd;

	ASSERT_EQ(0, guard_load());
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, bind(lfd, (void *)&a, sizeof(a)));
	ASSERT_EQ(0, listen(lfd, 4096));
	ASSERT_EQ(0, getsockname(lfd, (void *)&a, &alen));
	for (int i = 0; i < N; i++) {
		uint64_t id;

		fds[i][0] = socket(AF_INET, SOCK_STREAM, 0);
		ASSERT_EQ(0, connect(fds[i][0], (void *)&a, sizeof(a)));
		fds[i][1] = accept(lfd, NULL, NULL);
		ASSERT_GE(fds[i][1], 0);
		ASSERT_EQ(0, setsockopt(fds[i][0], IPPROTO_TCP, TCP_ULP, "tls",
					sizeof("tls")));
		ASSERT_EQ(0, install_secret(fds[i][0], TLS_TX, c, s, 32));
		ASSERT_EQ(0, install_secret(fds[i][0], TLS_RX, c, s, 32));
		ASSERT_EQ(0, guard_register(fds[i][0], 0x1301, s, s, 32, 0, 0,
					    &id)) TH_LOG("socket %d", i);
	}
	ASSERT_EQ(N, guard_count());
	ASSERT_EQ(N, module_refcnt());
	for (int i = 0; i < N; i++) {
		if (i % 2)
			ASSERT_EQ(0, guard_unregister(KTLS_GUARD_A_FD,
						      (uint64_t)fds[i][0]));
		close(fds[i][0]);
		close(fds[i][1]);
	}
	close(lfd);
	ASSERT_EQ(0, guard_count());
	ASSERT_EQ(0, module_refcnt());
}

TEST_HARNESS_MAIN
