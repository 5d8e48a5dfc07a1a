// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The local handshake service (see local.h and uapi/ktlsd_local.h).
 *
 * The main thread only accepts connections (while fewer than max_inflight
 * handshakes are in progress, the rest wait in the listen backlog); a
 * worker serves each one in bounded steps:
 *   1. wait at most KTLSD_LOCAL_REQUEST_WAIT_MS for the request, read it
 *      with its file descriptors in one recvmsg() (MSG_CMSG_CLOEXEC); every
 *      descriptor beyond the first is closed at once;
 *   2. parse it (bounds-checked, libktlsd_client/local_proto.c);
 *   3. check what was passed: exactly one descriptor, a connected TCP
 *      socket (IPv4 or IPv6) with no upper layer protocol set yet;
 *   4. check the identity against the caller's credentials (SO_PEERCRED,
 *      SO_PEERGROUPS);
 *   5. run the handshake (handshake.c) and install kTLS;
 *   6. send one reply with the status, the reason and the negotiated
 *      parameters, and close both descriptors.
 * Any refusal is a reply with an errno and a reason naming what was wrong.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "handshake.h"
#include "ktlsd_handshake.h"
#include "local.h"
#include "log.h"

#define MAX_FDS		8	/* read, then closed, beyond the first */
#define MAX_GROUPS	256

int ktlsd_local_open(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char dir[sizeof(a.sun_path)], *slash;
	int fd;

	if (strlen(path) >= sizeof(a.sun_path)) {
		log_err("local socket %s: path too long", path);
		return -1;
	}
	strcpy(a.sun_path, path);
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST) {
			log_err("local socket: mkdir %s: %s", dir,
				strerror(errno));
			return -1;
		}
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		log_err("local socket: %s", strerror(errno));
		return -1;
	}
	unlink(path);	/* a stale socket from a previous run */
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    chmod(path, 0666) || listen(fd, 1024)) {
		log_err("local socket %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	log_info("local handshake service on %s", path);
	return fd;
}

bool ktlsd_local_may_use(const struct ktlsd_identity *id, uid_t uid,
			 const gid_t *gids, unsigned int n_gids)
{
	if (uid == 0)
		return true;
	for (unsigned int i = 0; i < id->users.n; i++)
		if (id->users.id[i] == uid)
			return true;
	for (unsigned int i = 0; i < id->groups.n; i++)
		for (unsigned int j = 0; j < n_gids; j++)
			if (id->groups.id[i] == gids[j])
				return true;
	return false;
}

static unsigned int refuse(struct ktlsd_hs_result *res, int err,
			   const char *fmt, const char *arg)
{
	res->status = err;
	snprintf(res->reason, sizeof(res->reason), fmt, arg);
	return (unsigned int)err;
}

/* Step 3: a connected TCP socket, untouched; its peer's address in peer. */
static unsigned int check_socket(int fd, char *peer, size_t cap,
				 struct ktlsd_hs_result *res)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(int);
	int domain, type, proto;
	char ulp[16] = "", addr[INET6_ADDRSTRLEN] = "?";

	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len))
		return refuse(res, ENOTSOCK, "the descriptor passed is not a "
			      "socket%s", "");
	len = sizeof(int);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) ||
	    getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto,
		       &(socklen_t){ sizeof(int) }))
		return refuse(res, ENOTSOCK, "the socket passed cannot be "
			      "inspected%s", "");
	if ((domain != AF_INET && domain != AF_INET6) || type != SOCK_STREAM ||
	    proto != IPPROTO_TCP)
		return refuse(res, EPROTOTYPE, "the socket passed is not a TCP "
			      "socket%s", "");
	len = sizeof(ss);
	if (getpeername(fd, (struct sockaddr *)&ss, &len))
		return refuse(res, ENOTCONN, "the TCP socket passed is not "
			      "connected%s", "");
	len = sizeof(ulp) - 1;
	if (!getsockopt(fd, IPPROTO_TCP, TCP_ULP, ulp, &len) && len && ulp[0])
		return refuse(res, EALREADY, "the TCP socket passed already "
			      "has an upper layer protocol (%s)", ulp);
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)&ss;

		inet_ntop(AF_INET, &in->sin_addr, addr, sizeof(addr));
		snprintf(peer, cap, "%s:%u", addr, ntohs(in->sin_port));
	} else {
		const struct sockaddr_in6 *in6 = (const void *)&ss;

		inet_ntop(AF_INET6, &in6->sin6_addr, addr, sizeof(addr));
		snprintf(peer, cap, "[%s]:%u", addr, ntohs(in6->sin6_port));
	}
	return 0;
}

/* Step 1: the request and its descriptors. Returns the length or -errno. */
static ssize_t read_request(int conn, uint8_t *buf, size_t cap, int *fd,
			    unsigned int *nfds, struct ktlsd_hs_result *res)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int) * MAX_FDS)];
	} ctl;
	struct pollfd p = { .fd = conn, .events = POLLIN };
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	ssize_t n;

	*fd = -1;
	*nfds = 0;
	if (poll(&p, 1, KTLSD_LOCAL_REQUEST_WAIT_MS) != 1) {
		refuse(res, ETIMEDOUT, "no request within %s ms", "5000");
		return -ETIMEDOUT;
	}
	n = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c;
	     c = CMSG_NXTHDR(&mh, c)) {
		size_t k;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
		    c->cmsg_len < CMSG_LEN(0))
			continue;
		k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int got;

			memcpy(&got, CMSG_DATA(c) + i * sizeof(int),
			       sizeof(int));
			if (*fd < 0)
				*fd = got;
			else
				close(got);
			(*nfds)++;
		}
	}
	if (mh.msg_flags & MSG_CTRUNC) {
		refuse(res, EINVAL, "more than %s descriptors attached; pass "
		       "exactly one socket", "8");
		return -EINVAL;
	}
	if (mh.msg_flags & MSG_TRUNC) {
		refuse(res, EMSGSIZE, "the request is longer than %s bytes",
		       "4096");
		return -EMSGSIZE;
	}
	return n;
}

/* Step 4: who is asking. */
static void credentials(int conn, struct ucred *cred, gid_t *gids,
			unsigned int *n_gids)
{
	socklen_t len = sizeof(*cred);

	*n_gids = 0;
	if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, cred, &len)) {
		/* cannot happen on AF_UNIX; deny everything but the anonymous */
		cred->pid = 0;
		cred->uid = (uid_t)-1;
		cred->gid = (gid_t)-1;
		return;
	}
	gids[(*n_gids)++] = cred->gid;
	len = (MAX_GROUPS - 1) * sizeof(gid_t);
	if (!getsockopt(conn, SOL_SOCKET, SO_PEERGROUPS, gids + 1, &len))
		*n_gids += len / sizeof(gid_t);
}

static void reply(int conn, const struct ktlsd_hs_result *res)
{
	uint8_t msg[KTLSD_LOCAL_MAX_MSG];
	int len = ktlsd_local_encode_reply(res, msg, sizeof(msg));

	if (len < 0 || send(conn, msg, (size_t)len,
			    MSG_NOSIGNAL | MSG_DONTWAIT) != len)
		log_warn("local: the reply could not be sent: %s",
			 len < 0 ? strerror(-len) : strerror(errno));
}

void ktlsd_local_serve(int conn, const struct ktlsd_config *cfg)
{
	uint8_t msg[KTLSD_LOCAL_MAX_MSG];
	struct ktlsd_local_request lr;
	struct ktlsd_hs_result res = { .alert = -1 };
	struct ktlsd_hs_outcome out;
	struct ktlsd_hs_local loc = { .res = &res };
	struct ktlsd_request req = { .sockfd = -1 };
	gid_t gids[MAX_GROUPS];
	unsigned int n_gids, nfds, status;
	struct timespec t0, t1;
	struct ucred cred;
	char why[KTLSD_LOCAL_MAX_REASON + 1] = "";
	ssize_t n;
	int fd, r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	credentials(conn, &cred, gids, &n_gids);
	n = read_request(conn, msg, sizeof(msg), &fd, &nfds, &res);
	if (n == 0 && fd < 0)	/* the application went away */
		goto out;
	if (n < 0) {
		if (!res.status)
			refuse(&res, (int)-n, "reading the request: %s",
			       strerror((int)-n));
		goto refused;
	}
	r = ktlsd_local_parse_request(msg, (size_t)n, &lr, why, sizeof(why));
	if (r) {
		refuse(&res, -r, "bad request: %s", why);
		goto refused;
	}
	if (nfds != 1) {
		refuse(&res, EBADF, nfds ? "%smore than one descriptor "
		       "attached; pass exactly one socket" :
		       "%sno socket attached (SCM_RIGHTS)", "");
		goto refused;
	}
	req.sockfd = fd;
	req.msg_type = lr.role == KTLSD_LOCAL_ROLE_CLIENT ?
		       KTLSD_HS_MSG_TYPE_CLIENTHELLO :
		       KTLSD_HS_MSG_TYPE_SERVERHELLO;
	req.timeout_ms = lr.timeout_ms;
	if (check_socket(fd, req.peername, sizeof(req.peername), &res))
		goto refused;
	if (lr.role == KTLSD_LOCAL_ROLE_CLIENT)
		snprintf(req.peername, sizeof(req.peername), "%s",
			 lr.server_name);
	if (lr.identity[0]) {
		loc.identity = ktlsd_config_identity(cfg, lr.identity);
		if (!loc.identity) {
			refuse(&res, ENOENT, "no identity '%s' in ktlsd's "
			       "configuration", lr.identity);
			goto refused;
		}
		if (!ktlsd_local_may_use(loc.identity, cred.uid, gids,
					 n_gids)) {
			res.status = EPERM;
			snprintf(res.reason, sizeof(res.reason), "uid %u may "
				 "not use identity '%s' (see its users and "
				 "groups)", (unsigned int)cred.uid,
				 lr.identity);
			goto refused;
		}
	} else if (lr.role == KTLSD_LOCAL_ROLE_SERVER) {
		refuse(&res, EINVAL, "the server role needs an IDENTITY%s", "");
		goto refused;
	}
	req.auth_mode = loc.identity || lr.role == KTLSD_LOCAL_ROLE_SERVER ?
			KTLSD_HS_AUTH_X509 : KTLSD_HS_AUTH_UNAUTH;
	for (unsigned int i = 0; i < lr.n_alpn; i++)
		loc.alpn[i] = lr.alpn[i];
	loc.n_alpn = lr.n_alpn;
	loc.peer_auth = lr.peer_auth;
	log_info("local: uid %u pid %d: %s handshake requested: peer '%s', "
		 "identity '%s', %u ALPN protocols, timeout %u ms",
		 (unsigned int)cred.uid, (int)cred.pid,
		 ktlsd_msg_type_name(req.msg_type), req.peername,
		 lr.identity, lr.n_alpn, lr.timeout_ms);
	status = ktlsd_handshake_run_local(&req, cfg, &loc, &out);
	res.status = (int)status;
	if (status && !res.reason[0])
		snprintf(res.reason, sizeof(res.reason), "%s",
			 strerror((int)status));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ktlsd_sessions_add_local(&req, status,
				 (t1.tv_sec - t0.tv_sec) * 1000 +
				 (t1.tv_nsec - t0.tv_nsec) / 1000000,
				 (unsigned int)cred.uid, &out);
	log_info("local: uid %u: %s handshake for '%s': %s%s%s",
		 (unsigned int)cred.uid, ktlsd_msg_type_name(req.msg_type),
		 req.peername, status ? "failed: " : "kTLS installed",
		 status ? res.reason : "", "");
	reply(conn, &res);
	goto out;
refused:
	log_warn("local: uid %u pid %d: request refused: %s (%s)",
		 (unsigned int)cred.uid, (int)cred.pid, res.reason,
		 strerror(res.status));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ktlsd_sessions_add_local(&req, (unsigned int)res.status,
				 (t1.tv_sec - t0.tv_sec) * 1000 +
				 (t1.tv_nsec - t0.tv_nsec) / 1000000,
				 (unsigned int)cred.uid, NULL);
	reply(conn, &res);
out:
	if (fd >= 0)
		close(fd);
	close(conn);
}
