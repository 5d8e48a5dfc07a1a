// SPDX-License-Identifier: GPL-2.0
/*
 * ktls_guard.ko loads, registers its generic netlink family so userspace can
 * resolve it by name, answers KTLS_GUARD_CMD_GET_CAPS truthfully for the
 * running kernel, and unloads cleanly, taking the family with it.
 *
 * KTLS_GUARD_KO names the module file built for the running kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include <linux/ktls_guard.h>
#include "kselftest_harness.h"

struct caps_reply {
	int seen;
	unsigned int caps;
	char release[128];
};

static int resolve(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int id;

	if (!sk || genl_connect(sk)) {
		nl_socket_free(sk);
		return -1;
	}
	id = genl_ctrl_resolve(sk, KTLS_GUARD_FAMILY_NAME);
	nl_socket_free(sk);
	return id;
}

static int on_caps(struct nl_msg *msg, void *arg)
{
	struct caps_reply *r = arg;
	struct nlattr *tb[KTLS_GUARD_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, KTLS_GUARD_A_MAX, NULL))
		return NL_SKIP;
	if (tb[KTLS_GUARD_A_CAPS])
		r->caps = nla_get_u32(tb[KTLS_GUARD_A_CAPS]);
	if (tb[KTLS_GUARD_A_KERNEL_RELEASE])
		snprintf(r->release, sizeof(r->release), "%s",
			 nla_get_string(tb[KTLS_GUARD_A_KERNEL_RELEASE]));
	r->seen = 1;
	return NL_OK;
}

static int get_caps(int family, struct caps_reply *r)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_msg *msg = nlmsg_alloc();
	int err = -1;

	if (!sk || !msg || genl_connect(sk))
		goto out;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0,
			 KTLS_GUARD_CMD_GET_CAPS, KTLS_GUARD_FAMILY_VERSION))
		goto out;
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_caps, r);
	if (nl_send_auto(sk, msg) < 0)
		goto out;
	err = nl_recvmsgs_default(sk);
out:
	nlmsg_free(msg);
	nl_socket_free(sk);
	return err;
}

static int kernel_has_rekey(void)
{
	struct utsname u;
	int a = 0, b = 0;

	uname(&u);
	sscanf(u.release, "%d.%d", &a, &b);
	return a > 6 || (a == 6 && b >= 14);
}

TEST(load_resolve_unload)
{
	const char *ko = getenv("KTLS_GUARD_KO");
	struct caps_reply r = { 0 };
	struct utsname u;
	int fd, id;

	ASSERT_NE(NULL, ko) TH_LOG("set KTLS_GUARD_KO to the module file");
	if (resolve() > 0)	/* left loaded by someone: start clean */
		ASSERT_EQ(0, syscall(SYS_delete_module, "ktls_guard", O_NONBLOCK));
	ASSERT_LT(resolve(), 0) TH_LOG("family registered before loading");

	fd = open(ko, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0) TH_LOG("%s: %s", ko, strerror(errno));
	ASSERT_EQ(0, syscall(SYS_finit_module, fd, "", 0))
		TH_LOG("finit_module %s: %s", ko, strerror(errno));
	close(fd);

	id = resolve();
	ASSERT_GT(id, 0) TH_LOG("family %s not resolvable after load",
				KTLS_GUARD_FAMILY_NAME);
	ASSERT_EQ(0, get_caps(id, &r));
	ASSERT_EQ(1, r.seen);
	uname(&u);
	EXPECT_STREQ(u.release, r.release);
	EXPECT_EQ(kernel_has_rekey(), !!(r.caps & KTLS_GUARD_CAP_REKEY));

	ASSERT_EQ(0, syscall(SYS_delete_module, "ktls_guard", O_NONBLOCK))
		TH_LOG("delete_module: %s", strerror(errno));
	ASSERT_LT(resolve(), 0) TH_LOG("family still registered after unload");
}

/* Loading twice fails cleanly; the loaded copy keeps working. */
TEST(double_load)
{
	const char *ko = getenv("KTLS_GUARD_KO");
	int fd;

	ASSERT_NE(NULL, ko);
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, syscall(SYS_finit_module, fd, "", 0));
	ASSERT_EQ(-1, syscall(SYS_finit_module, fd, "", 0));
	ASSERT_EQ(EEXIST, errno);
	close(fd);
	ASSERT_GT(resolve(), 0);
	ASSERT_EQ(0, syscall(SYS_delete_module, "ktls_guard", O_NONBLOCK));
	ASSERT_LT(resolve(), 0);
}

TEST_HARNESS_MAIN
