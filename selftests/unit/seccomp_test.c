// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * ktlsd's seccomp filter (agent/ktlsd/seccomp.c), in a child process: what
 * serving needs still works (files, memory, threads, a socket pair's
 * messages), what it never needs fails with EPERM (execve, socket,
 * ptrace-like calls), and the process survives the refusals.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "seccomp.h"
#include "tap.h"

static void *thread_fn(void *arg)
{
	return arg;
}

/* Runs in the child: 0 when everything behaved, else the failing step. */
static int child(int sv)
{
	char *argv[] = { "true", NULL }, buf[16];
	static int token;
	pthread_t t;
	void *ret;
	void *p;
	int fd;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || ktlsd_seccomp_install())
		return 1;
	fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, buf, sizeof(buf)) <= 0 || close(fd))
		return 2;
	p = malloc(1 << 20);		/* mmap */
	if (!p)
		return 3;
	memset(p, 1, 1 << 20);
	free(p);
	if (pthread_create(&t, NULL, thread_fn, &token) ||
	    pthread_join(t, &ret) || ret != &token)
		return 4;
	if (send(sv, "x", 1, 0) != 1)
		return 5;
	execve("/bin/true", argv, NULL);
	if (errno != EPERM)
		return 6;
	if (socket(AF_INET, SOCK_STREAM, 0) >= 0 || errno != EPERM)
		return 7;
	if (setuid(0) == 0 || errno != EPERM)
		return 8;
	/* generic netlink (ktls_guard registration), and no other kind */
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return 9;
	close(fd);
	if (socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE) >= 0 || errno != EPERM)
		return 10;
	return 0;
}

TAP_TEST(filter)
{
	int sv[2], status = -1;
	char c = 0;
	pid_t pid;

	TAP_CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	pid = fork();
	if (pid == 0)
		_exit(child(sv[1]));
	TAP_CHECK(pid > 0);
	TAP_CHECK_EQ(waitpid(pid, &status, 0), pid);
	TAP_CHECK(WIFEXITED(status));
	TAP_CHECK_EQ(WEXITSTATUS(status), 0);
	TAP_CHECK_EQ(recv(sv[0], &c, 1, MSG_DONTWAIT), 1);
	TAP_CHECK_EQ(c, 'x');
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	return tap_run();
}
