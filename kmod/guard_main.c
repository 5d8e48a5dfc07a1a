// SPDX-License-Identifier: GPL-2.0
/*
 * ktls_guard: AEAD usage limits and TLS 1.3 key updates for kTLS sockets.
 *
 * Module init/exit and the capability bits; the generic netlink family is in
 * guard_netlink.c, registered sockets and key updates in guard_sock.c, the
 * key schedule in guard_hkdf.c.
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

bool guard_can_rekey(void)
{
	return guard_caps() & KTLS_GUARD_CAP_REKEY;
}

static int __init ktls_guard_init(void)
{
	int err;

	err = guard_hkdf_init();
	if (err) {
		pr_err("ktls_guard: no hmac(sha256)/hmac(sha384): %d\n", err);
		return err;
	}
	err = guard_sock_init();
	if (err) {
		guard_hkdf_exit();
		return err;
	}
	err = guard_netlink_init();
	if (err) {
		pr_err("ktls_guard: cannot register the genetlink family: %d\n", err);
		guard_sock_exit();
		guard_hkdf_exit();
		return err;
	}
	pr_info("ktls_guard: loaded (caps 0x%x)\n", guard_caps());
	return 0;
}

static void __exit ktls_guard_exit(void)
{
	guard_netlink_exit();
	guard_sock_exit();
	guard_hkdf_exit();
	pr_info("ktls_guard: unloaded\n");
}

module_init(ktls_guard_init);
module_exit(ktls_guard_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("AEAD usage limits and TLS 1.3 key updates for kTLS sockets");
MODULE_AUTHOR("The ktlsd developers");
