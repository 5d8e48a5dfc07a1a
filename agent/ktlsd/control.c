// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The control socket (see control.h). The daemon's main thread answers it
 * between upcalls, so every step is bounded: the request is one message of
 * at most KTLSD_CONTROL_MAX_REQ bytes read with a one-second timeout, and the
 * reply is built in memory and sent as one message.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "log.h"

static int make_addr(const char *path, struct sockaddr_un *a)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(a->sun_path))
		return -1;
	strcpy(a->sun_path, path);
	return 0;
}

int ktlsd_control_open(const char *path)
{
	struct sockaddr_un a;
	char dir[sizeof(a.sun_path)], *slash;
	int fd;

	if (make_addr(path, &a)) {
		log_err("control socket %s: path too long", path);
		return -1;
	}
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST) {
			log_err("control socket: mkdir %s: %s", dir,
				strerror(errno));
			return -1;
		}
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		log_err("control socket: %s", strerror(errno));
		return -1;
	}
	unlink(path);	/* a stale socket from a previous run */
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    chmod(path, 0600) || listen(fd, 8)) {
		log_err("control socket %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

void ktlsd_control_serve(int lfd,
			 bool (*handle)(const char *cmd, bool json, FILE *out,
					void *arg),
			 void *arg)
{
	struct timeval tv = { .tv_sec = 1 };
	char req[KTLSD_CONTROL_MAX_REQ + 1], *reply = NULL, *sp;
	size_t len = 0;
	bool json = false;
	ssize_t n;
	FILE *out;
	int fd;

	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	n = recv(fd, req, KTLSD_CONTROL_MAX_REQ, 0);
	if (n <= 0)
		goto out;
	req[n] = '\0';
	req[strcspn(req, "\r\n")] = '\0';
	sp = strchr(req, ' ');
	if (sp) {
		json = !strcmp(sp + 1, "json");
		*sp = '\0';
	}
	out = open_memstream(&reply, &len);
	if (!out)
		goto out;
	if (!handle(req, json, out, arg))
		fprintf(out, "error: unknown command '%s'\n", req);
	fclose(out);
	if (len > KTLSD_CONTROL_MAX_REPLY)
		len = KTLSD_CONTROL_MAX_REPLY;
	if (send(fd, reply, len, MSG_NOSIGNAL) < 0)
		log_warn("control: reply not sent: %s", strerror(errno));
out:
	free(reply);
	close(fd);
}

char *ktlsd_control_ask(const char *path, const char *cmd, char *err,
			size_t errlen)
{
	struct sockaddr_un a;
	char *buf = NULL;
	ssize_t n;
	int fd;

	if (make_addr(path, &a)) {
		snprintf(err, errlen, "%s: path too long", path);
		return NULL;
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		snprintf(err, errlen, "cannot reach ktlsd at %s: %s%s", path,
			 strerror(errno), errno == ENOENT || errno == ECONNREFUSED ?
			 " (is ktlsd running?)" : "");
		goto fail;
	}
	if (send(fd, cmd, strlen(cmd), 0) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	buf = malloc(KTLSD_CONTROL_MAX_REPLY + 1);
	if (!buf) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	n = recv(fd, buf, KTLSD_CONTROL_MAX_REPLY, 0);
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	buf[n] = '\0';
	close(fd);
	return buf;
fail:
	free(buf);
	if (fd >= 0)
		close(fd);
	return NULL;
}
