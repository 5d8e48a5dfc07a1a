// SPDX-License-Identifier: GPL-2.0
/*
 * guard_overhead: what ktls_guard.ko's interposition costs a registered kTLS
 * socket, as a ratio against an identical plain kTLS pair measured in the
 * same run (Documentation/bench.md, "guard-bench").
 *
 * Loopback kTLS pairs (TLS_AES_128_GCM_SHA256), built the same way:
 * "plain" is left alone, "guarded" has both ends registered with the module
 * at the default limits, so that no key update happens and only the
 * module's path (guard lookup, reference, TX mutex, record counters) is
 * measured; "plain B", a second plain pair measured exactly like the
 * guarded one, is the control: its ratio shows what the method cannot
 * resolve. One thread drives both ends of a pair, so the figures are the
 * cost of the calls themselves, without sleeps, wakeups or the scheduler:
 *
 * - recv() with MSG_DONTWAIT on an empty socket (EAGAIN) and poll() for
 *   POLLIN on it (nothing ready): where kTLS does little, the module's
 *   fixed cost per call stands out;
 * - ping-pong: a 64-byte request (send, then poll() and recv() on the
 *   other end) and a 64-byte response back the same way;
 * - bulk: one 16 KiB send() (one full record), read with recv() at the
 *   other end;
 * - sendfile: 16 KiB from a memfd with sendfile(), read with recv().
 *
 * Each test runs GUARD_BENCH_ROUNDS (default 10) rounds. In a round, each
 * variant runs about GUARD_BENCH_MS (default 500) milliseconds, in slices
 * of about GUARD_BENCH_SLICE_MS (default 20: a fixed number of operations,
 * calibrated once on the plain pair), the variants taking turns slice by
 * slice, so that a change of the machine's load falls on all of them alike.
 * A round's ratio is the variant's time over the plain pair's (wall and CPU
 * time of this thread, summed over its slices); the table shows the median
 * over the rounds with the lowest and highest. A fourth pair, both ends
 * registered with a soft limit of 64 records, takes part in the bulk
 * rounds: its row shows what the in-kernel key updates cost (labelled; it
 * is not the interposition cost).
 *
 * Checked, or the program exits 1: every byte arrives intact; the guarded
 * ends are in the module's dump (by id and socket inode), the plain ends are
 * not; no key update happened on the guarded pair and none failed; the
 * tiny-limit pair did update its keys (7.x: the kernel can rekey).
 */
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>

#include "guard_lib.h"

#define SUITE		0x1301		/* TLS_AES_128_GCM_SHA256 */
#define SMALL		64		/* ping-pong message */
#define CHUNK		16384		/* one full record */
#define PAT_LEN		(1024 * 1024 - 4096 - 1)	/* pattern period */
#define MAX_ROUNDS	64
#define TINY_SOFT	64
#define TINY_HARD	128

/* V_CTRL: a second plain pair, the A/A control: its ratio is the noise */
enum { V_PLAIN, V_GUARD, V_TINY, V_CTRL, V_MAX };

static const char *const vname[V_MAX] = { "plain", "guarded", "soft64",
					  "plain B" };

struct bpair {
	struct ktls_pair p;
	uint64_t cid, sid;	/* registration ids; 0 when plain */
	uint64_t c2s, s2c;	/* bytes each way, also the pattern offset */
};

struct sample {
	double wall, cpu;	/* seconds */
};

typedef int (*op_fn)(struct bpair *bp, unsigned long n);

static uint8_t *pat;		/* PAT_LEN + CHUNK bytes, periodic */
static int pat_fd = -1;		/* the same bytes in a memfd */
static uint8_t rbuf[CHUNK];

static void __attribute__((format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "guard_overhead: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static double now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long env_ulong(const char *name, unsigned long def,
			       unsigned long max)
{
	const char *s = getenv(name);
	unsigned long v;
	char *end;

	if (!s || !*s)
		return def;
	v = strtoul(s, &end, 10);
	if (*end || !v || v > max)
		die("%s=%s: want 1..%lu", name, s, max);
	return v;
}

/* ---- data ---- */

static void pattern_init(void)
{
	size_t len = PAT_LEN + CHUNK;

	pat = malloc(len);
	if (!pat)
		die("out of memory");
	for (size_t i = 0; i < len; i++)
		pat[i] = stream_byte(7, i % PAT_LEN);
	pat_fd = memfd_create("guard_overhead", MFD_CLOEXEC);
	if (pat_fd < 0 || write(pat_fd, pat, len) != (ssize_t)len)
		die("memfd: %s", strerror(errno));
}

static const uint8_t *pat_at(uint64_t off)
{
	return pat + off % PAT_LEN;
}

static int send_all(int fd, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "guard_overhead: send: %s\n",
				n ? strerror(errno) : "0 bytes");
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read @len bytes from @fd and check them against the pattern at @off. */
static int recv_check(int fd, uint64_t off, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = recv(fd, rbuf + got, len - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "guard_overhead: recv: %s\n",
				n ? strerror(errno) : "end of stream");
			return -1;
		}
		got += (size_t)n;
	}
	if (memcmp(rbuf, pat_at(off), len)) {
		fprintf(stderr,
			"guard_overhead: %zu bytes at stream offset %llu differ\n",
			len, (unsigned long long)off);
		return -1;
	}
	return 0;
}

static int wait_in(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int n;

	do
		n = poll(&pfd, 1, 10000);
	while (n < 0 && errno == EINTR);
	if (n != 1 || !(pfd.revents & POLLIN)) {
		fprintf(stderr, "guard_overhead: poll: %s\n",
			n < 0 ? strerror(errno) : "not readable in 10 s");
		return -1;
	}
	return 0;
}

/* ---- the operations: one thread, both ends ---- */

/*
 * The module's fixed cost per call, where kTLS itself does little: recv()
 * with MSG_DONTWAIT on a socket with nothing queued (EAGAIN), and poll()
 * for POLLIN on it (nothing ready). Both on the client end.
 */
static int op_recv_empty(struct bpair *bp, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		ssize_t r = recv(bp->p.cfd, rbuf, SMALL, MSG_DONTWAIT);

		if (r != -1 || errno != EAGAIN) {
			fprintf(stderr,
				"guard_overhead: recv on an empty socket: %zd (%s)\n",
				r, r < 0 ? strerror(errno) : "data");
			return -1;
		}
	}
	return 0;
}

static int op_poll_idle(struct bpair *bp, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		struct pollfd pfd = { .fd = bp->p.cfd, .events = POLLIN };
		int r = poll(&pfd, 1, 0);

		if (r != 0) {
			fprintf(stderr,
				"guard_overhead: poll on an idle socket: %d (%s)\n",
				r, r < 0 ? strerror(errno) : "ready");
			return -1;
		}
	}
	return 0;
}

static int op_pingpong(struct bpair *bp, unsigned long n)
{
	int c = bp->p.cfd, s = bp->p.sfd;

	for (unsigned long i = 0; i < n; i++) {
		/* the response comes from the other half of the pattern */
		uint64_t back = bp->s2c + PAT_LEN / 2;

		if (send_all(c, pat_at(bp->c2s), SMALL) || wait_in(s) ||
		    recv_check(s, bp->c2s, SMALL))
			return -1;
		bp->c2s += SMALL;
		if (send_all(s, pat_at(back), SMALL) || wait_in(c) ||
		    recv_check(c, back, SMALL))
			return -1;
		bp->s2c += SMALL;
	}
	return 0;
}

static int op_bulk(struct bpair *bp, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		if (send_all(bp->p.cfd, pat_at(bp->c2s), CHUNK) ||
		    recv_check(bp->p.sfd, bp->c2s, CHUNK))
			return -1;
		bp->c2s += CHUNK;
	}
	return 0;
}

static int op_sendfile(struct bpair *bp, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		off_t off = (off_t)(bp->c2s % PAT_LEN);
		size_t left = CHUNK;

		while (left) {
			ssize_t r = sendfile(bp->p.cfd, pat_fd, &off, left);

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				fprintf(stderr, "guard_overhead: sendfile: %s\n",
					r ? strerror(errno) : "0 bytes");
				return -1;
			}
			left -= (size_t)r;
		}
		if (recv_check(bp->p.sfd, bp->c2s, CHUNK))
			return -1;
		bp->c2s += CHUNK;
	}
	return 0;
}

static void measure(op_fn fn, struct bpair *bp, unsigned long n,
		    struct sample *s, const char *what)
{
	double w = now(CLOCK_MONOTONIC), c = now(CLOCK_THREAD_CPUTIME_ID);

	if (fn(bp, n))
		die("%s failed", what);
	s->cpu = now(CLOCK_THREAD_CPUTIME_ID) - c;
	s->wall = now(CLOCK_MONOTONIC) - w;
}

/* ---- the module's view ---- */

static uint64_t sock_ino(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		die("fstat: %s", strerror(errno));
	return (uint64_t)st.st_ino;
}

static void guard_end(int fd, struct ktls_pair *p, bool client, uint64_t soft,
		      uint64_t hard, uint64_t *id)
{
	int err = guard_register(fd, p->c->suite, client ? p->c2s : p->s2c,
				 client ? p->s2c : p->c2s, p->slen, soft, hard,
				 id);

	if (err)
		die("register: %s", strerror(-err));
}

/* The dump entry of @id, which must be the socket @fd. */
static void expect_entry(uint64_t id, int fd, struct guard_attrs *a,
			 const char *what)
{
	if (!guard_lookup(id, a))
		die("%s (id %llu) is not in the module's dump", what,
		    (unsigned long long)id);
	if (a->v[KTLS_GUARD_A_SOCK_INODE] != sock_ino(fd))
		die("%s: the dump's inode %llu is not the socket's", what,
		    (unsigned long long)a->v[KTLS_GUARD_A_SOCK_INODE]);
	if (a->v[KTLS_GUARD_A_SOCK_FLAGS] & (KTLS_GUARD_SOCK_FAILED |
					     KTLS_GUARD_SOCK_TX_REFUSED))
		die("%s: flags %#llx", what,
		    (unsigned long long)a->v[KTLS_GUARD_A_SOCK_FLAGS]);
}

struct ino_find {
	uint64_t ino[4];
	bool seen;
};

static void ino_cb(const struct guard_attrs *a, void *arg)
{
	struct ino_find *f = arg;

	for (unsigned int i = 0; i < 4; i++)
		if (a->v[KTLS_GUARD_A_SOCK_INODE] == f->ino[i])
			f->seen = true;
}

static uint64_t tx_gen(uint64_t id)
{
	struct guard_attrs a;

	if (!guard_lookup(id, &a))
		die("id %llu left the dump", (unsigned long long)id);
	return a.v[KTLS_GUARD_A_SOCK_TX_GEN];
}

/* ---- statistics ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct spread {
	double med, lo, hi;
};

static unsigned int rounds;

static struct spread spread_of(const double *v, unsigned int n)
{
	double s[MAX_ROUNDS];
	struct spread r;

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	r.lo = s[0];
	r.hi = s[n - 1];
	r.med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	return r;
}

/*
 * One line: CPU microseconds per operation (medians over the rounds) of
 * the plain pair and of the variant, the median of their difference round
 * by round, and the ratios.
 */
static void row(const char *name, const double *plain, const double *var,
		const double *rw, const double *rc, double us)
{
	struct spread w = spread_of(rw, rounds), c = spread_of(rc, rounds);
	double d[MAX_ROUNDS];

	for (unsigned int r = 0; r < rounds; r++)
		d[r] = (var[r] - plain[r]) * us;
	printf("%-32s %9.2f %9.2f %+8.2f   %5.3f [%5.3f..%5.3f]   %5.3f [%5.3f..%5.3f]\n",
	       name, spread_of(plain, rounds).med * us,
	       spread_of(var, rounds).med * us, spread_of(d, rounds).med,
	       c.med, c.lo, c.hi, w.med, w.lo, w.hi);
}

/* ---- a test: calibrate, alternate, report ---- */

struct test {
	const char *name;
	op_fn fn;
	size_t bytes;		/* per operation, for MiB/s */
	bool tiny;		/* the soft-64 pair takes part */
};

static double target;		/* seconds per variant and round */
static double slice;		/* seconds per slice */
static struct bpair pairs[V_MAX];
static bool have_tiny;
static double upd_per_mib_sum, upd_mib;
static double upd_cost[MAX_ROUNDS];
static unsigned int upd_rounds;

/* Operations per slice: about @slice seconds on the plain pair. */
static unsigned long calibrate(const struct test *t)
{
	struct sample s;
	unsigned long n = 1;

	for (;;) {
		measure(t->fn, &pairs[V_PLAIN], n, &s, t->name);
		if (s.wall >= slice / 4 || n >= 1UL << 30)
			break;
		n *= 2;
	}
	n = (unsigned long)((double)n * slice / fmax(s.wall, 1e-6) + 0.5);
	return n ? n : 1;
}

static void run_test(const struct test *t)
{
	unsigned int vl[V_MAX] = { V_PLAIN, V_CTRL, V_GUARD, V_TINY };
	unsigned int nv = t->tiny && have_tiny ? 4 : 3;
	bool tiny = nv == 4;
	double rw[V_MAX][MAX_ROUNDS], rc[V_MAX][MAX_ROUNDS];
	double cpu[V_MAX][MAX_ROUNDS];
	unsigned long n, slices;
	struct sample s;

	/* warm-up: every pair once, then the count for one slice */
	for (unsigned int k = 0; k < nv; k++)
		measure(t->fn, &pairs[vl[k]], 16, &s, t->name);
	n = calibrate(t);
	slices = (unsigned long)(target / slice + 0.5);
	if (!slices)
		slices = 1;

	for (unsigned int r = 0; r < rounds; r++) {
		struct sample sum[V_MAX] = { 0 };
		uint64_t gen0 = 0, upd = 0;

		if (tiny)
			gen0 = tx_gen(pairs[V_TINY].cid);
		/*
		 * Short slices, the variants rotating from one slice to the
		 * next (P C G, C G P, G P C, ...), so that a change of the machine's
		 * load within the round falls on all of them alike.
		 */
		for (unsigned long j = 0; j < slices; j++) {
			for (unsigned int k = 0; k < nv; k++) {
				unsigned int v = vl[(k + j + r) % nv];

				measure(t->fn, &pairs[v], n, &s, t->name);
				sum[v].wall += s.wall;
				sum[v].cpu += s.cpu;
			}
		}
		if (tiny) {
			upd = tx_gen(pairs[V_TINY].cid) - gen0;
			if (!upd)
				die("%s: no key update at a soft limit of %d records",
				    t->name, TINY_SOFT);
			upd_per_mib_sum += (double)upd;
			upd_mib += (double)(slices * n) * (double)t->bytes /
				   (1024.0 * 1024.0);
			if (upd_rounds < MAX_ROUNDS)
				upd_cost[upd_rounds++] =
					(sum[V_TINY].cpu - sum[V_GUARD].cpu) /
					(double)upd;
		}
		for (unsigned int k = 0; k < nv; k++) {
			unsigned int v = vl[k];

			rw[v][r] = sum[v].wall / sum[V_PLAIN].wall;
			rc[v][r] = sum[v].cpu / sum[V_PLAIN].cpu;
			cpu[v][r] = sum[v].cpu;
		}
	}

	{
		double p = spread_of(cpu[V_PLAIN], rounds).med;
		double g = spread_of(cpu[V_GUARD], rounds).med;
		double ops = (double)(slices * n);
		double us = 1e6 / ops;
		char name[64];

		row(t->name, cpu[V_PLAIN], cpu[V_GUARD], rw[V_GUARD],
		    rc[V_GUARD], us);
		row("  control: plain B / plain", cpu[V_PLAIN], cpu[V_CTRL],
		    rw[V_CTRL], rc[V_CTRL], us);
		if (tiny) {
			snprintf(name, sizeof(name), "%s, REKEY soft %d",
				 t->name, TINY_SOFT);
			row(name, cpu[V_PLAIN], cpu[V_TINY], rw[V_TINY],
			    rc[V_TINY], us);
		}
		if (t->bytes > SMALL)
			printf("#   %s: %lu slices of %lu x %zu bytes per variant and round; CPU-bound rate plain %.1f MiB/s, guarded %.1f MiB/s\n",
			       t->name, slices, n, t->bytes,
			       ops * (double)t->bytes / p / 1048576.0,
			       ops * (double)t->bytes / g / 1048576.0);
		else
			printf("#   %s: %lu slices of %lu %s per variant and round\n",
			       t->name, slices, n,
			       t->bytes ? "round trips" : "calls");
	}
	fflush(stdout);
}

/* ---- setup and checks ---- */

static void open_pair(unsigned int v, uint64_t soft, uint64_t hard)
{
	struct bpair *bp = &pairs[v];
	int one = 1;

	memset(bp, 0, sizeof(*bp));
	if (ktls_pair_open(&bp->p, SUITE, (int)v + 1))
		die("%s: cannot open a kTLS pair: %s", vname[v],
		    strerror(errno));
	/* both sides small-message alike: no Nagle on either pair */
	setsockopt(bp->p.cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(bp->p.sfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (v == V_PLAIN || v == V_CTRL)
		return;
	guard_end(bp->p.cfd, &bp->p, true, soft, hard, &bp->cid);
	guard_end(bp->p.sfd, &bp->p, false, soft, hard, &bp->sid);
}

static void check_registrations(bool final)
{
	struct bpair *g = &pairs[V_GUARD], *k = &pairs[V_TINY];
	struct ino_find f = { .ino = { sock_ino(pairs[V_PLAIN].p.cfd),
				       sock_ino(pairs[V_PLAIN].p.sfd),
				       sock_ino(pairs[V_CTRL].p.cfd),
				       sock_ino(pairs[V_CTRL].p.sfd) } };
	struct guard_attrs c, s;
	int err;

	expect_entry(g->cid, g->p.cfd, &c, "guarded client");
	expect_entry(g->sid, g->p.sfd, &s, "guarded server");
	if (c.v[KTLS_GUARD_A_SOCK_TX_GEN] || c.v[KTLS_GUARD_A_SOCK_RX_GEN] ||
	    s.v[KTLS_GUARD_A_SOCK_TX_GEN] || s.v[KTLS_GUARD_A_SOCK_RX_GEN])
		die("the guarded pair updated its keys at default limits (client tx %llu rx %llu, server tx %llu rx %llu)",
		    (unsigned long long)c.v[KTLS_GUARD_A_SOCK_TX_GEN],
		    (unsigned long long)c.v[KTLS_GUARD_A_SOCK_RX_GEN],
		    (unsigned long long)s.v[KTLS_GUARD_A_SOCK_TX_GEN],
		    (unsigned long long)s.v[KTLS_GUARD_A_SOCK_RX_GEN]);
	if (final) {
		/* the module counted what went through it */
		if (!c.v[KTLS_GUARD_A_SOCK_TX_RECORDS] ||
		    !s.v[KTLS_GUARD_A_SOCK_RX_RECORDS])
			die("the guarded pair's dump shows no records");
		printf("# guarded pair, dump: client id %llu tx %llu records, server id %llu rx %llu records, 0 key updates\n",
		       (unsigned long long)g->cid,
		       (unsigned long long)c.v[KTLS_GUARD_A_SOCK_TX_RECORDS],
		       (unsigned long long)g->sid,
		       (unsigned long long)s.v[KTLS_GUARD_A_SOCK_RX_RECORDS]);
	}
	err = guard_dump(ino_cb, &f);
	if (err)
		die("dump: %s", strerror(-err));
	if (f.seen)
		die("a plain pair is in the module's dump");
	if (!have_tiny)
		return;
	expect_entry(k->cid, k->p.cfd, &c, "soft64 client");
	expect_entry(k->sid, k->p.sfd, &s, "soft64 server");
	if (final) {
		if (!c.v[KTLS_GUARD_A_SOCK_TX_GEN] ||
		    !s.v[KTLS_GUARD_A_SOCK_RX_GEN])
			die("the soft64 pair did not update its keys");
		printf("# soft64 pair, dump: client %llu TX key updates, server %llu RX key updates, %llu MiB each way\n",
		       (unsigned long long)c.v[KTLS_GUARD_A_SOCK_TX_GEN],
		       (unsigned long long)s.v[KTLS_GUARD_A_SOCK_RX_GEN],
		       (unsigned long long)(k->c2s >> 20));
	}
}

int main(void)
{
	static const struct test tests[] = {
		{ "recv() on an empty socket", op_recv_empty, 0, false },
		{ "poll() on an idle socket", op_poll_idle, 0, false },
		{ "ping-pong 64 B (poll+recv)", op_pingpong, SMALL, false },
		{ "bulk send 16 KiB", op_bulk, CHUNK, true },
		{ "sendfile 16 KiB", op_sendfile, CHUNK, false },
	};
	struct utsname u;
	uint32_t caps = 0;
	double t0 = now(CLOCK_MONOTONIC);
	int err;

	setvbuf(stdout, NULL, _IOLBF, 0);
	rounds = (unsigned int)env_ulong("GUARD_BENCH_ROUNDS", 10, MAX_ROUNDS);
	target = (double)env_ulong("GUARD_BENCH_MS", 500, 60000) / 1000.0;
	slice = (double)env_ulong("GUARD_BENCH_SLICE_MS", 20, 60000) / 1000.0;
	uname(&u);

	err = guard_load();
	if (err)
		die("cannot load ktls_guard.ko (KTLS_GUARD_KO=%s): %s",
		    getenv("KTLS_GUARD_KO") ?: "unset", strerror(-err));
	err = guard_caps(&caps);
	if (err)
		die("GET_CAPS: %s", strerror(-err));
	/* the default limits, whatever an earlier run left */
	err = guard_set_global(0, 0, 0);
	if (err)
		die("SET_LIMITS (defaults): %s", strerror(-err));
	have_tiny = caps & KTLS_GUARD_CAP_REKEY;

	pattern_init();
	open_pair(V_PLAIN, 0, 0);
	open_pair(V_CTRL, 0, 0);
	open_pair(V_GUARD, 0, 0);
	if (have_tiny)
		open_pair(V_TINY, TINY_SOFT, TINY_HARD);
	check_registrations(false);

	printf("# guard_overhead: ktls_guard.ko's interposition, guarded / plain kTLS, kernel %s, %ld CPUs\n",
	       u.release, sysconf(_SC_NPROCESSORS_ONLN));
	printf("# loopback TCP pairs, TLS_AES_128_GCM_SHA256, TCP_NODELAY; one thread drives both ends (no sleeps, no wakeups)\n");
	printf("# guarded: both ends registered at the default limits (no key update); plain: an identical pair, not registered\n");
	printf("# %u rounds per test; in a round, each variant runs about %.0f ms in slices of about %.0f ms, the variants rotating slice by slice\n",
	       rounds, target * 1000, slice * 1000);
	printf("# ratio = variant / plain time in the same round: median [lowest..highest] over the rounds; > 1 is slower\n");
	printf("# control: a second plain pair measured like the guarded one: its ratio shows the noise of the method\n");
	printf("# us/op: median CPU microseconds of this thread per operation (a call; a round trip; 16 KiB sent and received)\n");
	printf("# +us/op: median of (variant - plain) per operation, round by round\n");
	printf("%-32s %9s %9s %8s   %-21s   %-21s\n", "test (us/op)",
	       "plain", "variant", "+us/op", "CPU ratio", "wall ratio");

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		run_test(&tests[i]);

	if (have_tiny && upd_mib > 0) {
		struct spread c = spread_of(upd_cost, upd_rounds);

		printf("# REKEY row (not interposition): both ends of a further pair registered with soft %d / hard %d records;\n",
		       TINY_SOFT, TINY_HARD);
		printf("#   %.2f TX key updates per MiB (each also an RX key update at the other end);\n",
		       upd_per_mib_sum / upd_mib);
		printf("#   CPU per key update (soft64 minus guarded, same round): median %.0f us [%.0f..%.0f]\n",
		       c.med * 1e6, c.lo * 1e6, c.hi * 1e6);
	} else if (!have_tiny) {
		printf("# REKEY row skipped: this kernel cannot rekey kTLS (no KTLS_GUARD_CAP_REKEY)\n");
	}

	check_registrations(true);
	for (unsigned int v = 0; v < V_MAX; v++)
		if (v != V_TINY || have_tiny)
			ktls_pair_close(&pairs[v].p);
	printf("# all data checked: plain %llu, guarded %llu bytes client to server; %.0f s\n",
	       (unsigned long long)pairs[V_PLAIN].c2s,
	       (unsigned long long)pairs[V_GUARD].c2s,
	       now(CLOCK_MONOTONIC) - t0);
	return 0;
}
