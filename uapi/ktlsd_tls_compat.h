/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kTLS socket options newer than the build root's linux/tls.h (6.12), from
 * include/uapi/linux/tls.h of the kernels that added them. Whether the
 * running kernel has them is probed, never assumed.
 */
#ifndef KTLSD_TLS_COMPAT_H
#define KTLSD_TLS_COMPAT_H

#include <linux/tls.h>

#ifndef SOL_TLS
#define SOL_TLS			282
#endif
#ifndef TLS_TX_MAX_PAYLOAD_LEN
#define TLS_TX_MAX_PAYLOAD_LEN	5	/* RFC 8449 record size limit; in 7.3, not in 6.12 */
#endif

#endif /* KTLSD_TLS_COMPAT_H */
