/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktls_guard: internal interfaces between the module's files.
 */
#ifndef KTLS_GUARD_H
#define KTLS_GUARD_H

#include <linux/types.h>

int guard_netlink_init(void);
void guard_netlink_exit(void);
u32 guard_caps(void);

#endif /* KTLS_GUARD_H */
