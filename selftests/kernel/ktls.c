// SPDX-License-Identifier: GPL-2.0
/*
 * kTLS as this project relies on it, checked on every kernel lane, for every
 * TLS 1.3 cipher kTLS carries (uapi/ktls_cipher.h): data both ways in small
 * and large writes and through sendfile, control records, tampered records,
 * and TLS 1.3 key update (a second TLS_TX/TLS_RX), which Linux accepts from
 * 6.14 on and refuses with EBUSY before.
 *
 * Each test runs over a fresh loopback TCP pair whose two ends share keys:
 * "c2s" keys protect client-to-server records and "s2c" keys the others.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktls_cipher.h"
#include "kselftest_harness.h"

#ifndef SOL_TLS
#define SOL_TLS 282
#endif

#define REC_TYPE_ALERT		21
#define REC_TYPE_HANDSHAKE	22
#define LARGE_LEN		((size_t)4 << 20)

enum dir { C2S = 'c', S2C = 's' };

/* Distinct, reproducible key material per direction and key generation. */
static int install(int fd, int optname, const struct ktls_cipher *c,
		   enum dir d, int gen)
{
	uint8_t info[KTLS_MAX_INFO_LEN], key[KTLS_MAX_KEY_LEN], iv[KTLS_IV_LEN];
	unsigned int len;
	int ret;

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(d * 7 + gen * 13 + i);
	for (size_t i = 0; i < sizeof(iv); i++)
		iv[i] = (uint8_t)(d * 3 + gen * 5 + i * 11);
	len = ktls_cipher_fill(c, info, key, iv, 0);
	ret = setsockopt(fd, SOL_TLS, optname, info, len);
	memset(info, 0, sizeof(info));
	return ret;
}

static int tcp_pair(int *cfd, int *sfd)
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

static int ulp(int fd)
{
	return setsockopt(fd, IPPROTO_TCP, TCP_ULP, "tls", sizeof("tls"));
}

static bool kernel_at_least(int maj, int min)
{
	struct utsname u;
	int a = 0, b = 0;

	uname(&u);
	sscanf(u.release, "%d.%d", &a, &b);
	return a > maj || (a == maj && b >= min);
}

static void fill_random(uint8_t *buf, size_t len)
{
	int fd = open("/dev/urandom", O_RDONLY);

	for (size_t off = 0; fd >= 0 && off < len;) {
		ssize_t n = read(fd, buf + off, len - off);

		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fd);
}

/* Read exactly len bytes of application data; returns bytes read. */
static size_t recv_all(int fd, uint8_t *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = recv(fd, buf + off, len - off, 0);

		if (n <= 0)
			break;
		off += (size_t)n;
	}
	return off;
}

/* sendmsg() one record of the given content type. */
static ssize_t send_record(int fd, uint8_t type, const void *data, size_t len)
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

/* recvmsg() one record; *type gets its content type. */
static ssize_t recv_record(int fd, uint8_t *type, void *data, size_t len)
{
	char cbuf[CMSG_SPACE(sizeof(*type))] = { 0 };
	struct iovec iov = { .iov_base = data, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	ssize_t n = recvmsg(fd, &msg, 0);

	*type = 0;
	cm = CMSG_FIRSTHDR(&msg);
	if (n >= 0 && cm && cm->cmsg_level == SOL_TLS &&
	    cm->cmsg_type == TLS_GET_RECORD_TYPE)
		*type = *CMSG_DATA(cm);
	return n;
}

FIXTURE(ktls)
{
	int cfd, sfd;
	const struct ktls_cipher *c;
};

FIXTURE_VARIANT(ktls)
{
	uint16_t suite;
};

FIXTURE_VARIANT_ADD(ktls, aes_128_gcm) { .suite = 0x1301 };
FIXTURE_VARIANT_ADD(ktls, aes_256_gcm) { .suite = 0x1302 };
FIXTURE_VARIANT_ADD(ktls, chacha20_poly1305) { .suite = 0x1303 };
FIXTURE_VARIANT_ADD(ktls, aes_128_ccm) { .suite = 0x1304 };

FIXTURE_SETUP(ktls)
{
	self->c = ktls_cipher_by_suite(variant->suite);
	ASSERT_NE(NULL, self->c);
	ASSERT_EQ(0, tcp_pair(&self->cfd, &self->sfd));
	ASSERT_EQ(0, ulp(self->cfd)) TH_LOG("TCP_ULP tls: %s (is tls.ko there?)",
					   strerror(errno));
	ASSERT_EQ(0, ulp(self->sfd));
	if (install(self->cfd, TLS_TX, self->c, C2S, 0)) {
		int e = errno;

		/* A lane without this cipher's crypto is a fact, not a bug. */
		if (e == ENOENT || e == EOPNOTSUPP || e == EINVAL)
			SKIP(return, "this kernel has no kTLS %s: %s",
			     self->c->name, strerror(e));
		ASSERT_EQ(0, e);
	}
	ASSERT_EQ(0, install(self->sfd, TLS_RX, self->c, C2S, 0));
	ASSERT_EQ(0, install(self->sfd, TLS_TX, self->c, S2C, 0));
	ASSERT_EQ(0, install(self->cfd, TLS_RX, self->c, S2C, 0));
}

FIXTURE_TEARDOWN(ktls)
{
	close(self->cfd);
	close(self->sfd);
}

TEST_F(ktls, small_writes)
{
	uint8_t out[2080], in[sizeof(out)];
	size_t off = 0;

	fill_random(out, sizeof(out));
	for (size_t n = 1; n <= 64; n++) {	/* 1 + 2 + ... + 64 = 2080 */
		ASSERT_EQ((ssize_t)n, send(self->cfd, out + off, n, 0));
		off += n;
	}
	ASSERT_EQ(sizeof(in), recv_all(self->sfd, in, sizeof(in)));
	ASSERT_EQ(0, memcmp(in, out, sizeof(in)));
}

/* Big enough to span hundreds of records and fill the socket buffers. */
TEST_F(ktls, large_write_both_ways)
{
	uint8_t *out = malloc(LARGE_LEN), *in = malloc(LARGE_LEN);
	int status;
	pid_t pid;

	ASSERT_NE(NULL, out);
	ASSERT_NE(NULL, in);
	fill_random(out, LARGE_LEN);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(send(self->cfd, out, LARGE_LEN, 0) == LARGE_LEN &&
		      send(self->sfd, out, LARGE_LEN, 0) == LARGE_LEN ? 0 : 1);
	ASSERT_EQ(LARGE_LEN, recv_all(self->sfd, in, LARGE_LEN));
	ASSERT_EQ(0, memcmp(in, out, LARGE_LEN));
	memset(in, 0, LARGE_LEN);
	ASSERT_EQ(LARGE_LEN, recv_all(self->cfd, in, LARGE_LEN));
	ASSERT_EQ(0, memcmp(in, out, LARGE_LEN));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
	free(out);
	free(in);
}

TEST_F(ktls, sendfile)
{
	size_t len = (1 << 20) + 17;
	uint8_t *out = malloc(len), *in = malloc(len);
	char path[] = "/tmp/ktls-sendfile-XXXXXX";
	int fd = mkstemp(path), status;
	pid_t pid;

	ASSERT_GE(fd, 0);
	unlink(path);
	fill_random(out, len);
	ASSERT_EQ((ssize_t)len, write(fd, out, len));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		off_t o = 0;

		while ((size_t)o < len)
			if (sendfile(self->cfd, fd, &o, len - (size_t)o) <= 0)
				_exit(1);
		_exit(0);
	}
	ASSERT_EQ(len, recv_all(self->sfd, in, len));
	ASSERT_EQ(0, memcmp(in, out, len));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
	close(fd);
	free(out);
	free(in);
}

/*
 * Documentation/networking/tls.rst: a record that is not application data
 * is returned only to a recvmsg() with room for the TLS_GET_RECORD_TYPE
 * cmsg; a plain recv() of it fails with EIO and leaves it queued.
 */
TEST_F(ktls, alert_record)
{
	static const uint8_t alert[2] = { 2, 40 };	/* fatal handshake_failure */
	uint8_t buf[16], type;

	ASSERT_EQ(5, send(self->cfd, "hello", 5, 0));
	ASSERT_EQ(2, send_record(self->cfd, REC_TYPE_ALERT, alert, 2));
	ASSERT_EQ(5, recv(self->sfd, buf, sizeof(buf), 0));
	ASSERT_EQ(0, memcmp(buf, "hello", 5));
	ASSERT_EQ(-1, recv(self->sfd, buf, sizeof(buf), 0));
	ASSERT_EQ(EIO, errno);
	ASSERT_EQ(2, recv_record(self->sfd, &type, buf, sizeof(buf)));
	ASSERT_EQ(REC_TYPE_ALERT, type);
	ASSERT_EQ(0, memcmp(buf, alert, 2));
}

/* A record that fails authentication is EBADMSG, never data. */
TEST_F(ktls, tampered_record)
{
	uint8_t rec[5 + 64] = { 0x17, 0x03, 0x03, 0, 64 }, buf[64];
	int cfd, sfd;

	ASSERT_EQ(0, tcp_pair(&cfd, &sfd));
	ASSERT_EQ(0, ulp(sfd));
	ASSERT_EQ(0, install(sfd, TLS_RX, self->c, C2S, 0));
	fill_random(rec + 5, 64);
	ASSERT_EQ((ssize_t)sizeof(rec), send(cfd, rec, sizeof(rec), 0));
	ASSERT_EQ(-1, recv(sfd, buf, sizeof(buf), 0));
	ASSERT_EQ(EBADMSG, errno);
	close(cfd);
	close(sfd);
}

/*
 * RFC 8446 §4.6.3: the sender of a KeyUpdate switches its TX key right after
 * it; the receiver switches its RX key right after reading it. From Linux
 * 6.14, kTLS stops reading after a KeyUpdate (EKEYEXPIRED, no POLLIN) until
 * the next TLS_RX is set; earlier kernels refuse a second key with EBUSY.
 */
TEST_F(ktls, key_update)
{
	static const uint8_t key_update[5] = { 24, 0, 0, 1, 0 };
	struct pollfd pfd = { .fd = self->sfd, .events = POLLIN };
	uint8_t buf[64], type;

	if (!kernel_at_least(6, 14)) {
		ASSERT_EQ(-1, install(self->cfd, TLS_TX, self->c, C2S, 1));
		ASSERT_EQ(EBUSY, errno);
		ASSERT_EQ(-1, install(self->sfd, TLS_RX, self->c, C2S, 1));
		ASSERT_EQ(EBUSY, errno);
		/* The refused key update left the connection intact. */
		ASSERT_EQ(5, send(self->cfd, "still", 5, 0));
		ASSERT_EQ(5, recv(self->sfd, buf, sizeof(buf), 0));
		ASSERT_EQ(0, memcmp(buf, "still", 5));
		return;
	}

	ASSERT_EQ(6, send(self->cfd, "before", 6, 0));
	ASSERT_EQ(5, send_record(self->cfd, REC_TYPE_HANDSHAKE, key_update, 5));
	ASSERT_EQ(0, install(self->cfd, TLS_TX, self->c, C2S, 1));
	ASSERT_EQ(5, send(self->cfd, "after", 5, 0));

	ASSERT_EQ(6, recv(self->sfd, buf, sizeof(buf), 0));
	ASSERT_EQ(0, memcmp(buf, "before", 6));
	ASSERT_EQ(5, recv_record(self->sfd, &type, buf, sizeof(buf)));
	ASSERT_EQ(REC_TYPE_HANDSHAKE, type);
	ASSERT_EQ(0, memcmp(buf, key_update, 5));
	ASSERT_EQ(-1, recv(self->sfd, buf, sizeof(buf), MSG_DONTWAIT));
	ASSERT_EQ(EKEYEXPIRED, errno);
	ASSERT_EQ(0, poll(&pfd, 1, 100));
	ASSERT_EQ(0, install(self->sfd, TLS_RX, self->c, C2S, 1));
	ASSERT_EQ(5, recv(self->sfd, buf, sizeof(buf), 0));
	ASSERT_EQ(0, memcmp(buf, "after", 5));

	/* And the other way, several generations deep. */
	for (int gen = 1; gen <= 3; gen++) {
		ASSERT_EQ(5, send_record(self->sfd, REC_TYPE_HANDSHAKE,
					 key_update, 5));
		ASSERT_EQ(0, install(self->sfd, TLS_TX, self->c, S2C, gen));
		ASSERT_EQ(4, send(self->sfd, "gen!", 4, 0));
		ASSERT_EQ(5, recv_record(self->cfd, &type, buf, sizeof(buf)));
		ASSERT_EQ(REC_TYPE_HANDSHAKE, type);
		ASSERT_EQ(-1, recv(self->cfd, buf, sizeof(buf), MSG_DONTWAIT));
		ASSERT_EQ(EKEYEXPIRED, errno);
		ASSERT_EQ(0, install(self->cfd, TLS_RX, self->c, S2C, gen));
		ASSERT_EQ(4, recv(self->cfd, buf, sizeof(buf), 0));
		ASSERT_EQ(0, memcmp(buf, "gen!", 4));
	}
}

TEST_HARNESS_MAIN
