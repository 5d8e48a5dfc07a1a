// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Least privilege for the daemon (see privs.h).
 *
 * ktlsd parses what remote peers send; if that ever went wrong, the process
 * should hold as little as possible. After start it needs CAP_NET_ADMIN for
 * ACCEPT and nothing else: it keeps running as root only so that files
 * owned by root (private keys, the configuration) stay readable through
 * ordinary ownership, without CAP_DAC_OVERRIDE. The raw capset(2) and
 * prctl(2) calls avoid a dependency on libcap for five lines of work.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "privs.h"

static int last_cap(void)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	int last = CAP_LAST_CAP;

	if (f) {
		if (fscanf(f, "%d", &last) != 1)
			last = CAP_LAST_CAP;
		fclose(f);
	}
	return last;
}

int ktlsd_drop_privileges(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { 0 };
	const unsigned int keep = CAP_NET_ADMIN;
	bool had_net_admin;
	int cap;

	if (syscall(SYS_capget, &hdr, data)) {
		log_err("privileges: capget: %s", strerror(errno));
		return -errno;
	}
	had_net_admin = data[keep / 32].permitted & (1U << (keep % 32));

	for (cap = 0; cap <= last_cap(); cap++) {
		if ((unsigned int)cap == keep)
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL) {
			log_err("privileges: cannot drop capability %d from "
				"the bounding set: %s", cap, strerror(errno));
			return -errno;
		}
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) &&
	    errno != EINVAL) {
		log_err("privileges: cannot clear ambient capabilities: %s",
			strerror(errno));
		return -errno;
	}
	memset(data, 0, sizeof(data));
	if (had_net_admin) {
		data[keep / 32].effective = 1U << (keep % 32);
		data[keep / 32].permitted = 1U << (keep % 32);
	}
	if (syscall(SYS_capset, &hdr, data)) {
		log_err("privileges: capset: %s", strerror(errno));
		return -errno;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		log_err("privileges: no_new_privs: %s", strerror(errno));
		return -errno;
	}
	if (had_net_admin)
		log_info("privileges: dropped all capabilities but "
			 "CAP_NET_ADMIN; no new privileges");
	else
		log_warn("privileges: started without CAP_NET_ADMIN: the "
			 "kernel will refuse ACCEPT");
	return 0;
}
