// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Registering finished sockets with ktls_guard.ko (guard.h). A kernel
 * without the module is normal: nothing is logged above debug level.
 */
#include <errno.h>
#include <string.h>

#include "guard.h"
#include "ktls_guard_client.h"
#include "log.h"

uint64_t ktlsd_guard_register(int fd, uint16_t suite, const uint8_t *tx_secret,
			  const uint8_t *rx_secret, size_t secret_len)
{
	uint64_t id = 0;
	int err;

	if (!secret_len)
		return 0;
	err = ktls_guard_register(fd, suite, tx_secret, rx_secret, secret_len,
				  &id);
	if (!err)
		log_info("fd %d: registered with ktls_guard (id %llu)", fd,
			 (unsigned long long)id);
	else if (err == -ENOENT)
		log_debug("fd %d: ktls_guard not loaded", fd);
	else
		log_warn("fd %d: ktls_guard registration failed: %s", fd,
			 strerror(-err));
	return err ? 0 : id;
}
