// SPDX-License-Identifier: GPL-2.0
/*
 * ktls_guard: AEAD usage limits and TLS 1.3 key updates for kTLS sockets.
 *
 * This is the module's skeleton: it registers the ktls_guard generic netlink
 * family and reports what the running kernel lets it do. Socket registration,
 * record accounting and in-kernel key updates build on it.
 */
#include <linux/module.h>
#include <linux/version.h>

#include "guard.h"
#include <linux/ktls_guard.h>

/*
 * kTLS accepts a second TLS_TX/TLS_RX setsockopt (a TLS 1.3 key update) from
 * Linux 6.14 on; before that it answers EBUSY. The module is built per
 * kernel, so the build-time version is the running one.
 */
u32 guard_caps(void)
{
	u32 caps = 0;

	if (LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0))
		caps |= KTLS_GUARD_CAP_REKEY;
	return caps;
}

static int __init ktls_guard_init(void)
{
	int err;

	err = guard_netlink_init();
	if (err) {
		pr_err("ktls_guard: cannot register the genetlink family: %d\n", err);
		return err;
	}
	pr_info("ktls_guard: loaded (caps 0x%x)\n", guard_caps());
	return 0;
}

static void __exit ktls_guard_exit(void)
{
	guard_netlink_exit();
	pr_info("ktls_guard: unloaded\n");
}

module_init(ktls_guard_init);
module_exit(ktls_guard_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("AEAD usage limits and TLS 1.3 key updates for kTLS sockets");
MODULE_AUTHOR("The ktlsd developers");
