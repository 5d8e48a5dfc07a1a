// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libktlsd_client: the application's side of ktlsd's local handshake
 * service (see ktlsd_client.h).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ktlsd_client.h"

#define DEFAULT_TIMEOUT_MS	30000
#define QUEUE_SLACK_MS		5000

static int failed(struct ktlsd_hs_result *res, int err, const char *fmt,
		  const char *arg)
{
	memset(res, 0, sizeof(*res));
	res->alert = -1;
	res->status = err;
	snprintf(res->reason, sizeof(res->reason), fmt, arg, strerror(err));
	return -err;
}

int ktlsd_handshake_start(int fd, const struct ktlsd_hs_req *req,
			  struct ktlsd_hs_result *res)
{
	const char *path = req->socket_path ? req->socket_path :
			   KTLSD_LOCAL_PATH;
	uint8_t msg[KTLSD_LOCAL_MAX_MSG];
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct timeval tv = { 0 };
	struct iovec iov;
	struct msghdr mh = { 0 };
	struct cmsghdr *cm;
	int len, conn, err;

	len = ktlsd_local_encode_request(req, msg, sizeof(msg));
	if (len < 0)
		return failed(res, -len, "%sthe request does not encode: %s",
			      "");
	if (strlen(path) >= sizeof(a.sun_path))
		return failed(res, ENAMETOOLONG, "ktlsd's socket %s: %s", path);
	strcpy(a.sun_path, path);
	conn = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (conn < 0)
		return failed(res, errno, "%ssocket: %s", "");
	/* a full backlog (ktlsd busy) blocks connect() at most this long */
	tv.tv_sec = (req->timeout_ms ? req->timeout_ms : DEFAULT_TIMEOUT_MS) /
		    1000 + QUEUE_SLACK_MS / 1000;
	setsockopt(conn, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(conn, (struct sockaddr *)&a, sizeof(a))) {
		err = errno;
		close(conn);
		return failed(res, err, "cannot reach ktlsd at %s: %s", path);
	}
	iov = (struct iovec){ .iov_base = msg, .iov_len = (size_t)len };
	memset(&ctl, 0, sizeof(ctl));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof(ctl.buf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(conn, &mh, MSG_NOSIGNAL) != len) {
		err = errno ? errno : EIO;
		close(conn);
		return failed(res, err, "sending the request to %s: %s", path);
	}
	return conn;
}

int ktlsd_handshake_finish(int conn, unsigned int timeout_ms,
			   struct ktlsd_hs_result *res)
{
	uint8_t msg[KTLSD_LOCAL_MAX_MSG + 1];
	struct pollfd p = { .fd = conn, .events = POLLIN };
	char why[160];
	ssize_t n;
	int r;

	r = poll(&p, 1, (int)((timeout_ms ? timeout_ms : DEFAULT_TIMEOUT_MS) +
			      QUEUE_SLACK_MS));
	if (r <= 0) {
		r = r ? errno : ETIMEDOUT;
		close(conn);
		return failed(res, r, "%sno reply from ktlsd: %s", "");
	}
	n = recv(conn, msg, sizeof(msg), MSG_DONTWAIT);
	r = errno;
	close(conn);
	if (n < 0)
		return failed(res, r, "%sreading ktlsd's reply: %s", "");
	if (n == 0)
		return failed(res, ECONNRESET, "%sktlsd closed the connection "
			      "without a reply: %s", "");
	r = ktlsd_local_parse_reply(msg, (size_t)n, res, why, sizeof(why));
	if (r)
		return failed(res, -r, "ktlsd's reply is malformed (%s): %s",
			      why);
	return -res->status;
}

int ktlsd_handshake(int fd, const struct ktlsd_hs_req *req,
		    struct ktlsd_hs_result *res)
{
	int conn = ktlsd_handshake_start(fd, req, res);

	if (conn < 0)
		return conn;
	return ktlsd_handshake_finish(conn, req->timeout_ms, res);
}
