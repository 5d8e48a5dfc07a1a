// SPDX-License-Identifier: GPL-2.0
/*
 * A registered kTLS socket against OpenSSL 3.5's s_server, and, as the
 * server, against its s_client: both handle KeyUpdate in userspace. The
 * handshake is made with libssl on this side, the traffic secrets are taken
 * from its key log, kTLS is installed and the socket registered with the
 * soft limit at 64 records and the hard one at 128. Then GUARD_INTEROP_MIB
 * MiB (default 256, the proof; 32 on 6.12) go each way at once,
 * this side writing 4 KiB at a time (so 4 KiB records), the peer relaying
 * its stdin and stdout; both streams are checked byte for byte.
 *
 * 7.x: the guard updates its TX key every <= 64 records and asks the peer
 * for its own update when the RX key reaches 64 records: hundreds of key
 * updates each way, counted from the guard's dump; the peer exits 0 after
 * our close_notify with nothing on stderr (s_client: its banner only).
 * 6.12: TX is refused with EKEYEXPIRED before 128 records, the peer got
 * every byte sent before, intact, and the data from the peer flows on.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "guard_lib.h"
#include "kselftest_harness.h"

#pragma GCC diagnostic ignored "-Wsign-compare"

#define SOFT 64
#define HARD 128
#define WCHUNK 4096

static char keylog_c[200], keylog_s[200];

static void on_keylog(const SSL *ssl, const char *line)
{
	(void)ssl;
	if (!strncmp(line, "CLIENT_TRAFFIC_SECRET_0 ", 24))
		snprintf(keylog_c, sizeof(keylog_c), "%s", line);
	else if (!strncmp(line, "SERVER_TRAFFIC_SECRET_0 ", 24))
		snprintf(keylog_s, sizeof(keylog_s), "%s", line);
}

/* "LABEL <client_random hex> <secret hex>" -> secret */
static size_t keylog_secret(const char *line, uint8_t *out)
{
	const char *p = strrchr(line, ' ');
	size_t n = 0;

	if (!p)
		return 0;
	for (p++; p[0] && p[1] && n < 48; p += 2) {
		unsigned int b;

		if (sscanf(p, "%2x", &b) != 1)
			return 0;
		out[n++] = (uint8_t)b;
	}
	return n;
}

struct flow {
	int fd;
	unsigned int s;
	uint64_t total;
	uint64_t done;
	int err;
	size_t bad_at;
	bool recv_sock;		/* recv() rather than read() */
};

static void *flow_send(void *arg)
{
	struct flow *f = arg;
	uint8_t buf[WCHUNK * 16];
	size_t chunk = f->recv_sock ? WCHUNK : sizeof(buf);

	while (f->done < f->total) {
		size_t len = f->total - f->done < chunk ? f->total - f->done :
			     chunk;
		ssize_t n;

		stream_fill(f->s, f->done, buf, len);
		n = f->recv_sock ? send(f->fd, buf, len, 0) :
				   write(f->fd, buf, len);
		if (n <= 0) {
			f->err = n ? errno : EPIPE;
			break;
		}
		f->done += (uint64_t)n;
	}
	return NULL;
}

static void *flow_recv(void *arg)
{
	struct flow *f = arg;
	static __thread uint8_t buf[1 << 16];

	f->bad_at = (size_t)-1;
	/* total may shrink while we wait (6.12: up_check.total = up.done) */
	while (f->done < __atomic_load_n(&f->total, __ATOMIC_ACQUIRE)) {
		uint64_t total = __atomic_load_n(&f->total, __ATOMIC_ACQUIRE);
		size_t want = total - f->done < sizeof(buf) ?
			      total - f->done : sizeof(buf);
		struct pollfd pfd = { .fd = f->fd, .events = POLLIN };
		ssize_t n;
		size_t at;

		if (poll(&pfd, 1, 200) == 0)
			continue;
		n = f->recv_sock ? recv(f->fd, buf, want, 0) :
				   read(f->fd, buf, want);

		if (n <= 0) {
			f->err = n ? errno : EPIPE;
			break;
		}
		at = stream_check(f->s, f->done, buf, (size_t)n);
		if (at != (size_t)n && f->bad_at == (size_t)-1)
			f->bad_at = f->done + at;
		f->done += (uint64_t)n;
	}
	return NULL;
}

/*
 * A stall watchdog: when no byte has moved in any of the four flows for
 * STALL_S seconds, print what each side is doing (flow counters, the
 * guard's view of the socket, kTLS's counters, the TCP queues, the kernel
 * stacks of our threads and of the peer), then shut the socket and stop
 * the peer so the test fails now, with the evidence, instead of at the
 * harness's timeout.
 */
#define STALL_S 30

struct watch {
	struct flow *f[4];
	const char *dir;
	uint64_t id;
	pid_t server;
	int fd;
	int port;
	volatile bool stop;
	bool stalled;
};

static void watch_sh(const char *fmt, ...)
{
	char cmd[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd))
		fprintf(stderr, "# (%s failed)\n", cmd);
}

static void watch_report(struct watch *w)
{
	static const char *const name[4] = { "up", "up_check", "down",
					     "down_check" };
	struct guard_attrs a;

	fprintf(stderr, "# STALL: no progress for %d s\n", STALL_S);
	for (int i = 0; i < 4; i++)
		fprintf(stderr, "#   %-10s %llu of %llu bytes, err %d\n",
			name[i], (unsigned long long)w->f[i]->done,
			(unsigned long long)w->f[i]->total, w->f[i]->err);
	if (guard_lookup(w->id, &a))
		fprintf(stderr,
			"#   guard: tx_gen %llu rx_gen %llu tx_records %llu "
			"rx_records %llu headroom %llu flags %#llx\n",
			(unsigned long long)a.v[KTLS_GUARD_A_SOCK_TX_GEN],
			(unsigned long long)a.v[KTLS_GUARD_A_SOCK_RX_GEN],
			(unsigned long long)a.v[KTLS_GUARD_A_SOCK_TX_RECORDS],
			(unsigned long long)a.v[KTLS_GUARD_A_SOCK_RX_RECORDS],
			(unsigned long long)a.v[KTLS_GUARD_A_SOCK_TX_HEADROOM],
			(unsigned long long)a.v[KTLS_GUARD_A_SOCK_FLAGS]);
	else
		fprintf(stderr, "#   guard: socket %llu not registered\n",
			(unsigned long long)w->id);
	fflush(stderr);
	watch_sh("sed 's/^/#   /' /proc/net/tls_stat >&2");
	watch_sh("ss -tnimo '( sport = :%d or dport = :%d )' | "
		 "sed 's/^/#   /' >&2", w->port, w->port);
	watch_sh("for t in /proc/%d/task/*; do echo \"#   task ${t##*/} "
		 "$(cat $t/comm):\"; sed 's/^/#     /' $t/stack; done >&2",
		 getpid());
	watch_sh("echo '#   peer %d:'; sed 's/^/#     /' /proc/%d/stack "
		 ">&2", w->server, w->server);
	watch_sh("dmesg | tail -n 20 | sed 's/^/#   dmesg: /' >&2");
	watch_sh("sed 's/^/#   peer stderr: /' %s/stderr >&2", w->dir);
}

static void *watch_run(void *arg)
{
	struct watch *w = arg;
	uint64_t last = (uint64_t)-1;
	int still = 0;

	while (!w->stop) {
		uint64_t sum = 0;

		for (int i = 0; i < 4; i++)
			sum += w->f[i]->done;
		still = sum == last ? still + 1 : 0;
		last = sum;
		if (still >= STALL_S) {
			w->stalled = true;
			watch_report(w);
			shutdown(w->fd, SHUT_RDWR);
			kill(w->server, SIGKILL);
			break;
		}
		sleep(1);
	}
	return NULL;
}

static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	if (fd >= 0 && !bind(fd, (void *)&a, sizeof(a)) &&
	    !getsockname(fd, (void *)&a, &alen))
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

FIXTURE(interop)
{
	char dir[64];
	pid_t server;
	int to_server, from_server;
	int fd;
	int port;
	SSL_CTX *ctx;
	SSL *ssl;
};

FIXTURE_VARIANT(interop)
{
	uint16_t suite;
	const char *name;
	bool we_serve;		/* the peer is s_client, we are the server */
};

FIXTURE_VARIANT_ADD(interop, aes_128_gcm) {
	.suite = 0x1301, .name = "TLS_AES_128_GCM_SHA256" };
FIXTURE_VARIANT_ADD(interop, aes_256_gcm) {
	.suite = 0x1302, .name = "TLS_AES_256_GCM_SHA384" };
FIXTURE_VARIANT_ADD(interop, chacha20_poly1305) {
	.suite = 0x1303, .name = "TLS_CHACHA20_POLY1305_SHA256" };
FIXTURE_VARIANT_ADD(interop, aes_128_gcm_server) {
	.suite = 0x1301, .name = "TLS_AES_128_GCM_SHA256", .we_serve = true };

static const char *peer_name(const FIXTURE_VARIANT(interop) *variant)
{
	return variant->we_serve ? "s_client" : "s_server";
}

/* The peer: s_server, or s_client when we serve; stdin/stdout relayed. */
static void peer_exec(const FIXTURE_VARIANT(interop) *variant,
		      const char *addr, const char *cert, const char *key)
{
	if (variant->we_serve)
		execlp("openssl", "openssl", "s_client", "-quiet", "-connect",
		       addr, "-CAfile", cert, "-verify_return_error",
		       "-verify_hostname", "localhost", "-verify_quiet",
		       "-servername", "localhost", "-tls1_3",
		       "-max_send_frag", "4096", "-ciphersuites",
		       variant->name, NULL);
	else
		execlp("openssl", "openssl", "s_server", "-quiet", "-accept",
		       addr, "-cert", cert, "-key", key, "-tls1_3",
		       "-num_tickets", "0", "-naccept", "1",
		       "-max_send_frag", "4096", "-ciphersuites",
		       variant->name, NULL);
}

/* Our end of the TCP connection, made or accepted; -1 on failure. */
static int peer_connect(int lfd, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				 .sin_port = htons(port) };
	/* less in flight between our request and the peer's update */
	int rcvbuf = 128 << 10, fd = -1;

	if (lfd >= 0) {
		struct pollfd pfd = { .fd = lfd, .events = POLLIN };

		if (poll(&pfd, 1, 20000) == 1)
			fd = accept(lfd, NULL, NULL);
		return fd;
	}
	for (int i = 0; i < 200; i++) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
		if (!connect(fd, (void *)&a, sizeof(a)))
			return fd;
		close(fd);
		usleep(50000);
	}
	return -1;
}

FIXTURE_SETUP(interop)
{
	char cmd[512], port_s[16], key[100], cert[100], err[100];
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int in[2], out[2], port, lfd = -1;

	self->fd = -1;
	self->server = -1;
	signal(SIGPIPE, SIG_IGN);
	ASSERT_EQ(0, guard_load());
	snprintf(self->dir, sizeof(self->dir), "/tmp/guard_osslXXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(key, sizeof(key), "%s/key.pem", self->dir);
	snprintf(cert, sizeof(cert), "%s/cert.pem", self->dir);
	snprintf(err, sizeof(err), "%s/stderr", self->dir);
	snprintf(cmd, sizeof(cmd),
		 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
		 "-nodes -keyout %s -out %s -subj /CN=localhost -days 1 "
		 ">/dev/null 2>&1", key, cert);
	ASSERT_EQ(0, system(cmd));
	if (variant->we_serve) {
		int rcvbuf = 128 << 10, one = 1;
		socklen_t alen = sizeof(a);

		lfd = socket(AF_INET, SOCK_STREAM, 0);
		ASSERT_GE(lfd, 0);
		setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
		ASSERT_EQ(0, bind(lfd, (void *)&a, sizeof(a)));
		ASSERT_EQ(0, listen(lfd, 1));
		ASSERT_EQ(0, getsockname(lfd, (void *)&a, &alen));
		port = ntohs(a.sin_port);
	} else {
		port = free_port();
	}
	ASSERT_GT(port, 0);
	self->port = port;
	snprintf(port_s, sizeof(port_s), "127.0.0.1:%d", port);
	ASSERT_EQ(0, pipe(in));
	ASSERT_EQ(0, pipe(out));
	self->server = fork();
	ASSERT_GE(self->server, 0);
	if (!self->server) {
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(e, 2);
		close(in[1]);
		close(out[0]);
		peer_exec(variant, port_s, cert, key);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	self->to_server = in[1];
	self->from_server = out[0];

	self->fd = peer_connect(lfd, port);
	if (lfd >= 0)
		close(lfd);
	ASSERT_GE(self->fd, 0) TH_LOG("%s did not come up", peer_name(variant));

	self->ctx = SSL_CTX_new(variant->we_serve ? TLS_server_method() :
						    TLS_client_method());
	ASSERT_NE(NULL, self->ctx);
	SSL_CTX_set_min_proto_version(self->ctx, TLS1_3_VERSION);
	ASSERT_EQ(1, SSL_CTX_set_ciphersuites(self->ctx, variant->name));
	SSL_CTX_set_keylog_callback(self->ctx, on_keylog);
	if (variant->we_serve) {
		ASSERT_EQ(1, SSL_CTX_use_certificate_file(self->ctx, cert,
							  SSL_FILETYPE_PEM));
		ASSERT_EQ(1, SSL_CTX_use_PrivateKey_file(self->ctx, key,
							 SSL_FILETYPE_PEM));
		/* nothing after the handshake before kTLS takes over */
		SSL_CTX_set_num_tickets(self->ctx, 0);
	} else {
		ASSERT_EQ(1, SSL_CTX_load_verify_locations(self->ctx, cert,
							   NULL));
		SSL_CTX_set_verify(self->ctx, SSL_VERIFY_PEER, NULL);
	}
	self->ssl = SSL_new(self->ctx);
	ASSERT_NE(NULL, self->ssl);
	SSL_set_fd(self->ssl, self->fd);
	keylog_c[0] = keylog_s[0] = 0;
	if (variant->we_serve) {
		ASSERT_EQ(1, SSL_accept(self->ssl)) {
			ERR_print_errors_fp(stderr);
		}
	} else {
		SSL_set1_host(self->ssl, "localhost");
		ASSERT_EQ(1, SSL_connect(self->ssl)) {
			ERR_print_errors_fp(stderr);
		}
	}
	ASSERT_EQ(0, SSL_pending(self->ssl));
}

FIXTURE_TEARDOWN(interop)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->ssl) {
		SSL_set_quiet_shutdown(self->ssl, 1);
		SSL_free(self->ssl);
	}
	SSL_CTX_free(self->ctx);
	if (self->server > 0) {
		kill(self->server, SIGTERM);
		waitpid(self->server, NULL, 0);
	}
}

/*
 * Bytes each way: GUARD_INTEROP_MIB MiB, else 256 MiB (the proof)
 * where the guard updates keys, and 32 MiB where it cannot (6.12): there TX
 * stops at the hard limit after 128 records, and the peer's data only has
 * to flow on.
 */
static uint64_t interop_bytes(void)
{
	const char *e = getenv("GUARD_INTEROP_MIB");
	uint32_t caps = 0;

	if (e)
		return (uint64_t)atoi(e) << 20;
	if (guard_caps(&caps))
		caps = 0;
	return (uint64_t)(caps & KTLS_GUARD_CAP_REKEY ? 256 : 32) << 20;
}

TEST_F_TIMEOUT(interop, both_ways, 400)
{
	uint8_t tx[48], rx[48];
	const struct ktls_cipher *c = ktls_cipher_by_suite(variant->suite);
	const uint64_t total = interop_bytes();
	struct flow up = { .fd = self->fd, .s = 11, .total = total,
			   .recv_sock = true };
	struct flow up_check = { .fd = self->from_server, .s = 11,
				 .total = total };
	struct flow down = { .fd = self->to_server, .s = 12, .total = total };
	struct flow down_check = { .fd = self->fd, .s = 12, .total = total,
				   .recv_sock = true };
	static const uint8_t close_notify[2] = { 1, 0 };
	static const char banner[] = "Connecting to 127.0.0.1\n";
	bool rekey = false;
	pthread_t t[5];
	struct watch w;
	pid_t reaped = 0;
	struct guard_attrs a;
	struct stat st;
	char path[100];
	uint32_t caps;
	uint64_t id;
	size_t slen;
	int status;

	ASSERT_EQ(0, guard_caps(&caps));
	rekey = caps & KTLS_GUARD_CAP_REKEY;
	slen = keylog_secret(variant->we_serve ? keylog_s : keylog_c, tx);
	ASSERT_EQ(suite_secret_len(variant->suite), slen);
	ASSERT_EQ(slen, keylog_secret(variant->we_serve ? keylog_c : keylog_s,
				      rx));
	ASSERT_EQ(0, setsockopt(self->fd, IPPROTO_TCP, TCP_ULP, "tls",
				sizeof("tls")));
	ASSERT_EQ(0, install_secret(self->fd, TLS_TX, c, tx, slen));
	ASSERT_EQ(0, install_secret(self->fd, TLS_RX, c, rx, slen));
	ASSERT_EQ(0, guard_register(self->fd, variant->suite, tx, rx, slen,
				    SOFT, HARD, &id));
	memset(tx, 0, sizeof(tx));
	memset(rx, 0, sizeof(rx));

	w = (struct watch){ .f = { &up, &up_check, &down, &down_check },
			    .id = id, .server = self->server, .fd = self->fd,
			    .dir = self->dir,
			    .port = self->port };
	ASSERT_EQ(0, pthread_create(&t[0], NULL, flow_send, &up));
	ASSERT_EQ(0, pthread_create(&t[1], NULL, flow_recv, &up_check));
	ASSERT_EQ(0, pthread_create(&t[2], NULL, flow_send, &down));
	ASSERT_EQ(0, pthread_create(&t[3], NULL, flow_recv, &down_check));
	ASSERT_EQ(0, pthread_create(&t[4], NULL, watch_run, &w));
	pthread_join(t[0], NULL);
	if (!rekey) {
		/* refused before the hard limit; the peer has all of it */
		ASSERT_EQ(EKEYEXPIRED, up.err);
		ASSERT_LT(up.done, total);
		ASSERT_GT(up.done, (uint64_t)(HARD - 8) * WCHUNK);
		__atomic_store_n(&up_check.total, up.done, __ATOMIC_RELEASE);
	} else {
		ASSERT_EQ(0, up.err) TH_LOG("send: %s", strerror(up.err));
	}
	pthread_join(t[1], NULL);
	pthread_join(t[2], NULL);
	pthread_join(t[3], NULL);
	w.stop = true;
	pthread_join(t[4], NULL);
	ASSERT_FALSE(w.stalled);
	ASSERT_EQ(0, up_check.err);
	ASSERT_EQ(up_check.total, up_check.done);
	ASSERT_EQ((size_t)-1, up_check.bad_at);
	ASSERT_EQ(0, down.err);
	ASSERT_EQ(0, down_check.err) TH_LOG("recv: %s",
					    strerror(down_check.err));
	ASSERT_EQ(total, down_check.done);
	ASSERT_EQ((size_t)-1, down_check.bad_at);

	ASSERT_TRUE(guard_lookup(id, &a));
	TH_LOG("%llu bytes sent, %llu received: %llu TX and %llu RX key updates",
	       (unsigned long long)up.done,
	       (unsigned long long)down_check.done,
	       (unsigned long long)a.v[KTLS_GUARD_A_SOCK_TX_GEN],
	       (unsigned long long)a.v[KTLS_GUARD_A_SOCK_RX_GEN]);
	if (rekey) {
		/* 4 KiB records, <= 64 a key: one update per <= 256 KiB */
		ASSERT_GE(a.v[KTLS_GUARD_A_SOCK_TX_GEN], total / (SOFT * WCHUNK));
		ASSERT_GE(a.v[KTLS_GUARD_A_SOCK_RX_GEN],
			  total / (SOFT * 16384) / 2);
		ASSERT_LE(a.v[KTLS_GUARD_A_SOCK_TX_RECORDS], SOFT);
		ASSERT_EQ(0, a.v[KTLS_GUARD_A_SOCK_FLAGS]);
	} else {
		ASSERT_EQ(0, a.v[KTLS_GUARD_A_SOCK_TX_GEN]);
		ASSERT_TRUE(a.v[KTLS_GUARD_A_SOCK_FLAGS] &
			    KTLS_GUARD_SOCK_TX_REFUSED);
		ASSERT_LE(a.v[KTLS_GUARD_A_SOCK_TX_RECORDS], HARD);
		/* let the close_notify out under the (test-sized) key */
		ASSERT_EQ(0, guard_unregister(KTLS_GUARD_A_FD, self->fd));
	}
	ASSERT_EQ(2, send_record(self->fd, 21, close_notify, 2));
	close(self->to_server);
	/* the peer ends at our close_notify: give it STALL_S seconds */
	for (int i = 0; i < STALL_S * 10 && !reaped; i++) {
		reaped = waitpid(self->server, &status, WNOHANG);
		if (!reaped)
			usleep(100000);
	}
	if (!reaped) {
		fprintf(stderr, "# %s still running %d s after our "
			"close_notify\n", peer_name(variant), STALL_S);
		watch_report(&w);
	}
	ASSERT_EQ(self->server, reaped);
	self->server = -1;
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	/* nothing on stderr but s_client's banner */
	snprintf(path, sizeof(path), "%s/stderr", self->dir);
	ASSERT_EQ(0, stat(path, &st));
	if (st.st_size != (variant->we_serve ? (off_t)strlen(banner) : 0)) {
		char cmd[160];

		snprintf(cmd, sizeof(cmd), "sed 's/^/# %s: /' %s",
			 peer_name(variant), path);
		ASSERT_EQ(0, system(cmd));
		ASSERT_EQ(0, st.st_size);
	}
	if (variant->we_serve) {
		char got[64] = { 0 };
		FILE *f = fopen(path, "r");

		ASSERT_NE(NULL, f);
		ASSERT_EQ(strlen(banner), fread(got, 1, sizeof(got) - 1, f));
		fclose(f);
		ASSERT_STREQ(banner, got);
	}
}

TEST_HARNESS_MAIN
