// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * An application of ktlsd's local handshake service, for
 * selftests/kernel/ktlsd_local.sh. It uses libktlsd_client and then only
 * plain read() and write() on the socket, which kTLS protects.
 *
 *   local_app connect PORT NAME [-a ALPN,...] [-i IDENTITY] [-m MESSAGE]
 *	TCP to 127.0.0.1:PORT, client handshake for NAME; with -m, write
 *	MESSAGE and a newline, read one line back and print it as "echo=".
 *   local_app serve PORT [-a ALPN,...] -i IDENTITY [-p 0|1|2] [-x N]
 *	listen on 127.0.0.1:PORT (prints "listening"), one connection: server
 *	handshake, read one line, answer "pong LINE", close; with -x, then
 *	N 'x' bytes and a newline in one write() (N at most 65536), and a
 *	clean close: close_notify, then read until the peer closes.
 *   local_app bad KIND
 *	a request ktlsd must refuse (nofd, twofds, udp, unconnected,
 *	server-noid, unknown-id, garbage, truncated, badversion, longname);
 *	prints the reply.
 *   local_app stress N [-i IDENTITY]
 *	N loopback TCP pairs; 2N handshakes in flight at once through the
 *	service (ktlsd serves both ends: client for "localhost", server with
 *	IDENTITY); then a message each way on every pair; prints the counts
 *	and exits 0 only if every handshake and every exchange succeeded.
 * Every mode prints the result as key=value lines and exits 0 on success.
 * -S PATH: the service's socket (default KTLSD_LOCAL_PATH).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "ktlsd_client.h"
#include "ktlsd_tls_compat.h"

static const char *sock_path;
static size_t extra;	/* serve -x */

static void print_result(const struct ktlsd_hs_result *r)
{
	printf("status=%d (%s)\n", r->status, strerror(r->status));
	if (r->reason[0])
		printf("reason=%s\n", r->reason);
	if (r->alert >= 0)
		printf("alert=%d %s\n", r->alert, r->alert_sent ? "sent" :
		       "received");
	if (!r->status) {
		printf("version=0x%04x\ncipher=%s (0x%04x)\ngroup=%s\n",
		       r->version, r->cipher_name, r->cipher, r->group_name);
		printf("alpn=%s\n", r->alpn);
		printf("subject=%s\n", r->peer_subject);
		for (unsigned int i = 0; i < r->n_peer_san; i++)
			printf("san=%s\n", r->peer_san[i]);
	}
	fflush(stdout);
}

static void split_alpn(char *list, struct ktlsd_hs_req *req)
{
	for (char *t = strtok(list, ","); t && req->n_alpn <
	     KTLSD_LOCAL_MAX_ALPN; t = strtok(NULL, ","))
		req->alpn[req->n_alpn++] = t;
}

static int tcp_connect(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		perror("connect");
		exit(2);
	}
	return fd;
}

static int tcp_listen(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(fd, 1024)) {
		perror("listen");
		exit(2);
	}
	return fd;
}

/* One line (at most cap-1 bytes), byte by byte: nothing read past it. */
static ssize_t read_line(int fd, char *buf, size_t cap)
{
	size_t n = 0;

	while (n + 1 < cap) {
		ssize_t r = read(fd, buf + n, 1);

		if (r <= 0)
			return r < 0 ? -1 : (ssize_t)n;
		if (buf[n++] == '\n')
			break;
	}
	buf[n] = '\0';
	return (ssize_t)n;
}

static int do_connect(int port, const char *name, struct ktlsd_hs_req *req,
		      const char *message)
{
	struct ktlsd_hs_result res;
	char line[512];
	int fd = tcp_connect(port), rc;

	req->role = KTLSD_LOCAL_ROLE_CLIENT;
	req->server_name = name;
	rc = ktlsd_handshake(fd, req, &res);
	printf("rc=%d\n", rc);
	print_result(&res);
	if (rc)
		return 1;
	if (message) {
		snprintf(line, sizeof(line), "%s\n", message);
		if (write(fd, line, strlen(line)) != (ssize_t)strlen(line)) {
			perror("write");
			return 1;
		}
		if (read_line(fd, line, sizeof(line)) <= 0) {
			perror("read");
			return 1;
		}
		line[strcspn(line, "\n")] = '\0';
		printf("echo=%s\n", line);
	}
	close(fd);
	return 0;
}

/*
 * kTLS sends no close_notify of its own: send one as an alert record
 * (warning, close_notify), stop writing, and read until the peer closes,
 * so that the close never resets data the peer has not read yet.
 */
static int close_notify(int fd)
{
	static const unsigned char alert[2] = { 1, 0 };
	char cbuf[CMSG_SPACE(sizeof(unsigned char))] = { 0 };
	struct iovec iov = { .iov_base = (void *)alert, .iov_len = 2 };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct timeval tv = { .tv_sec = 10 };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	char buf[256];

	c->cmsg_level = SOL_TLS;
	c->cmsg_type = TLS_SET_RECORD_TYPE;
	c->cmsg_len = CMSG_LEN(sizeof(unsigned char));
	*CMSG_DATA(c) = 21;	/* alert */
	if (sendmsg(fd, &m, 0) != 2) {
		perror("close_notify");
		return 1;
	}
	shutdown(fd, SHUT_WR);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	return 0;
}

static int do_serve(int port, struct ktlsd_hs_req *req)
{
	struct ktlsd_hs_result res;
	char line[512], out[600];
	int lfd = tcp_listen(port), fd, rc;
	ssize_t n;

	printf("listening\n");
	fflush(stdout);
	fd = accept(lfd, NULL, NULL);
	close(lfd);
	if (fd < 0) {
		perror("accept");
		return 2;
	}
	req->role = KTLSD_LOCAL_ROLE_SERVER;
	rc = ktlsd_handshake(fd, req, &res);
	printf("rc=%d\n", rc);
	print_result(&res);
	if (rc)
		return 1;
	n = read_line(fd, line, sizeof(line));
	if (n <= 0) {
		perror("read");
		return 1;
	}
	line[strcspn(line, "\n")] = '\0';
	printf("got=%s\n", line);
	fflush(stdout);
	snprintf(out, sizeof(out), "pong %s\n", line);
	if (write(fd, out, strlen(out)) != (ssize_t)strlen(out))
		return 1;
	if (extra) {
		static char big[65536 + 1];

		memset(big, 'x', extra);
		big[extra] = '\n';
		if (write(fd, big, extra + 1) != (ssize_t)(extra + 1))
			return 1;
		if (close_notify(fd))
			return 1;
	}
	close(fd);
	return 0;
}

/* Sends raw bytes with fds attached; prints ktlsd's reply. */
static int raw(const uint8_t *msg, size_t len, const int *fds, unsigned int n)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int) * 4)];
	} ctl;
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct ktlsd_hs_result res;
	int conn, rc;

	snprintf(a.sun_path, sizeof(a.sun_path), "%s",
		 sock_path ? sock_path : KTLSD_LOCAL_PATH);
	conn = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (conn < 0 || connect(conn, (struct sockaddr *)&a, sizeof(a))) {
		perror("connect to ktlsd");
		return 2;
	}
	if (n) {
		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * n);
		CMSG_FIRSTHDR(&mh)->cmsg_level = SOL_SOCKET;
		CMSG_FIRSTHDR(&mh)->cmsg_type = SCM_RIGHTS;
		CMSG_FIRSTHDR(&mh)->cmsg_len = CMSG_LEN(sizeof(int) * n);
		memcpy(CMSG_DATA(CMSG_FIRSTHDR(&mh)), fds, sizeof(int) * n);
	}
	if (sendmsg(conn, &mh, 0) != (ssize_t)len) {
		perror("sendmsg");
		return 2;
	}
	rc = ktlsd_handshake_finish(conn, 5000, &res);
	printf("rc=%d\n", rc);
	print_result(&res);
	return rc ? 0 : 1;	/* a bad request must fail */
}

static int do_bad(const char *kind, int port)
{
	struct ktlsd_hs_req req = { .role = KTLSD_LOCAL_ROLE_CLIENT,
				    .server_name = "localhost" };
	uint8_t msg[KTLSD_LOCAL_MAX_MSG + 64];
	int len, fds[2];

	len = ktlsd_local_encode_request(&req, msg, sizeof(msg));
	if (len < 0)
		return 2;
	if (!strcmp(kind, "nofd"))
		return raw(msg, (size_t)len, NULL, 0);
	if (!strcmp(kind, "twofds")) {
		fds[0] = tcp_connect(port);
		fds[1] = tcp_connect(port);
		return raw(msg, (size_t)len, fds, 2);
	}
	if (!strcmp(kind, "udp")) {
		fds[0] = socket(AF_INET, SOCK_DGRAM, 0);
		return raw(msg, (size_t)len, fds, 1);
	}
	if (!strcmp(kind, "unconnected")) {
		fds[0] = socket(AF_INET, SOCK_STREAM, 0);
		return raw(msg, (size_t)len, fds, 1);
	}
	fds[0] = tcp_connect(port);
	if (!strcmp(kind, "server-noid") || !strcmp(kind, "unknown-id")) {
		req.role = kind[0] == 's' ? KTLSD_LOCAL_ROLE_SERVER :
			   KTLSD_LOCAL_ROLE_CLIENT;
		req.server_name = kind[0] == 's' ? NULL : "localhost";
		req.identity = kind[0] == 's' ? NULL : "no-such-identity";
		len = ktlsd_local_encode_request(&req, msg, sizeof(msg));
		return raw(msg, (size_t)len, fds, 1);
	}
	if (!strcmp(kind, "garbage")) {
		memcpy(msg, "GET / HTTP/1.0\r\n\r\n", 18);
		return raw(msg, 18, fds, 1);
	}
	if (!strcmp(kind, "truncated")) {
		/* SERVER_NAME, after ROLE, claims 200 bytes */
		msg[12 + 8 + 2] = 0;
		msg[12 + 8 + 3] = 200;
		return raw(msg, (size_t)len, fds, 1);
	}
	if (!strcmp(kind, "badversion")) {
		msg[5] = 9;
		return raw(msg, (size_t)len, fds, 1);
	}
	if (!strcmp(kind, "longname")) {
		/* a SERVER_NAME of 300 bytes, encoded by hand */
		size_t off = (size_t)len;

		msg[off] = 0;
		msg[off + 1] = KTLSD_LOCAL_REQ_SERVER_NAME;
		msg[off + 2] = 300 >> 8;
		msg[off + 3] = 300 & 0xff;
		memset(msg + off + 4, 'a', 300);
		off += 4 + 300;
		/* drop the real SERVER_NAME: ROLE (8 bytes) stays first */
		memmove(msg + 12 + 8, msg + len, off - (size_t)len);
		off = 12 + 8 + (off - (size_t)len);
		msg[8] = (uint8_t)((off - 12) >> 24);
		msg[9] = (uint8_t)((off - 12) >> 16);
		msg[10] = (uint8_t)((off - 12) >> 8);
		msg[11] = (uint8_t)(off - 12);
		return raw(msg, off, fds, 1);
	}
	fprintf(stderr, "unknown kind %s\n", kind);
	return 2;
}

static int do_stress(unsigned int n, const char *identity)
{
	struct ktlsd_hs_req creq = { .role = KTLSD_LOCAL_ROLE_CLIENT,
				     .server_name = "localhost",
				     .timeout_ms = 240000,
				     .socket_path = sock_path };
	struct ktlsd_hs_req sreq = { .role = KTLSD_LOCAL_ROLE_SERVER,
				     .identity = identity,
				     .timeout_ms = 240000,
				     .socket_path = sock_path };
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	struct ktlsd_hs_result res;
	struct rlimit rl;
	int *cfd, *sfd, *ccon, *scon, lfd;
	unsigned int ok = 0, data = 0;

	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	cfd = calloc(n, sizeof(int));
	sfd = calloc(n, sizeof(int));
	ccon = calloc(n, sizeof(int));
	scon = calloc(n, sizeof(int));
	if (!cfd || !sfd || !ccon || !scon)
		return 2;
	lfd = tcp_listen(0);
	getsockname(lfd, (struct sockaddr *)&a, &alen);
	for (unsigned int i = 0; i < n; i++) {
		cfd[i] = tcp_connect(ntohs(a.sin_port));
		sfd[i] = accept(lfd, NULL, NULL);
		if (sfd[i] < 0) {
			perror("accept");
			return 2;
		}
	}
	/* All requests first (each pair's two ends side by side), then the
	 * replies: every handshake is in ktlsd's hands at once. */
	for (unsigned int i = 0; i < n; i++) {
		ccon[i] = ktlsd_handshake_start(cfd[i], &creq, &res);
		if (ccon[i] < 0)
			printf("# pair %u client: %s\n", i, res.reason);
		scon[i] = ktlsd_handshake_start(sfd[i], &sreq, &res);
		if (scon[i] < 0)
			printf("# pair %u server: %s\n", i, res.reason);
	}
	for (unsigned int i = 0; i < n; i++) {
		bool both = true;

		if (ccon[i] < 0 || ktlsd_handshake_finish(ccon[i],
							  creq.timeout_ms,
							  &res)) {
			printf("# pair %u client: %s\n", i, res.reason);
			both = false;
		} else {
			ok++;
		}
		if (scon[i] < 0 || ktlsd_handshake_finish(scon[i],
							  sreq.timeout_ms,
							  &res)) {
			printf("# pair %u server: %s\n", i, res.reason);
			both = false;
		} else {
			ok++;
		}
		if (both) {
			char msg[64], back[64];
			int len = snprintf(msg, sizeof(msg), "pair %u\n", i);

			if (write(cfd[i], msg, (size_t)len) == len &&
			    read_line(sfd[i], back, sizeof(back)) == len &&
			    !strcmp(msg, back) &&
			    write(sfd[i], msg, (size_t)len) == len &&
			    read_line(cfd[i], back, sizeof(back)) == len &&
			    !strcmp(msg, back))
				data++;
			else
				printf("# pair %u: the exchange failed\n", i);
		}
		close(cfd[i]);
		close(sfd[i]);
	}
	printf("handshakes=%u/%u\nexchanges=%u/%u\n", ok, 2 * n, data, n);
	free(cfd);
	free(sfd);
	free(ccon);
	free(scon);
	return ok == 2 * n && data == n ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct ktlsd_hs_req req = { 0 };
	const char *message = NULL;
	char *pos[4] = { 0 };
	unsigned int npos = 0;
	int c;

	while ((c = getopt(argc, argv, "a:i:m:p:S:t:x:")) != -1) {
		switch (c) {
		case 'a':
			split_alpn(optarg, &req);
			break;
		case 'i':
			req.identity = optarg;
			break;
		case 'm':
			message = optarg;
			break;
		case 'p':
			req.peer_auth = atoi(optarg);
			break;
		case 'S':
			sock_path = optarg;
			break;
		case 't':
			req.timeout_ms = (unsigned int)atoi(optarg);
			break;
		case 'x':
			extra = (size_t)atoi(optarg);
			if (extra > 65536)
				return 2;
			break;
		default:
			return 2;
		}
	}
	req.socket_path = sock_path;
	while (optind < argc && npos < 4)
		pos[npos++] = argv[optind++];
	if (npos == 3 && !strcmp(pos[0], "connect"))
		return do_connect(atoi(pos[1]), pos[2], &req, message);
	if (npos == 2 && !strcmp(pos[0], "serve"))
		return do_serve(atoi(pos[1]), &req);
	if (npos == 3 && !strcmp(pos[0], "bad"))
		return do_bad(pos[1], atoi(pos[2]));
	if (npos == 2 && !strcmp(pos[0], "stress"))
		return do_stress((unsigned int)atoi(pos[1]),
				 req.identity ? req.identity : "svc");
	fprintf(stderr, "usage: see selftests/lib/local_app.c\n");
	return 2;
}
