/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ktls_guard: generic netlink ABI between ktls_guard.ko and userspace.
 *
 * The family is resolved by name (KTLS_GUARD_FAMILY_NAME) through the
 * generic netlink controller. Every message carries the generic netlink
 * header with the command below and version KTLS_GUARD_FAMILY_VERSION.
 *
 * This first version has one command; socket registration, limits, dumps and
 * events arrive in later versions and only ever append to the enums below.
 */
#ifndef _UAPI_LINUX_KTLS_GUARD_H
#define _UAPI_LINUX_KTLS_GUARD_H

#define KTLS_GUARD_FAMILY_NAME		"ktls_guard"
#define KTLS_GUARD_FAMILY_VERSION	1

enum ktls_guard_cmd {
	KTLS_GUARD_CMD_UNSPEC,
	/*
	 * Request: no attributes. Reply: KTLS_GUARD_A_CAPS and
	 * KTLS_GUARD_A_KERNEL_RELEASE. Unprivileged.
	 */
	KTLS_GUARD_CMD_GET_CAPS,

	__KTLS_GUARD_CMD_MAX,
	KTLS_GUARD_CMD_MAX = __KTLS_GUARD_CMD_MAX - 1
};

enum ktls_guard_attr {
	KTLS_GUARD_A_UNSPEC,
	KTLS_GUARD_A_CAPS,		/* u32: enum ktls_guard_caps bits */
	KTLS_GUARD_A_KERNEL_RELEASE,	/* NUL-terminated string: the
					 * release the module was built for */

	__KTLS_GUARD_A_MAX,
	KTLS_GUARD_A_MAX = __KTLS_GUARD_A_MAX - 1
};

/* What the running kernel lets the module do. */
enum ktls_guard_caps {
	/* kTLS accepts a second TLS_TX/TLS_RX (TLS 1.3 key update, >= 6.14) */
	KTLS_GUARD_CAP_REKEY		= 1U << 0,
};

#endif /* _UAPI_LINUX_KTLS_GUARD_H */
