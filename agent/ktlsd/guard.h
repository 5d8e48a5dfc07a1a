/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ktlsd and ktls_guard.ko: every socket ktlsd finishes is registered with
 * the module (if loaded), which then enforces the AEAD limits and updates
 * the keys for the kernel consumer (Documentation/ktls_guard.md). ktlsd
 * listens to the module's events (key updates, limits reached, errors),
 * logs them against its sessions and counts them for `tlsctl status`.
 */
#ifndef KTLSD_GUARD_H
#define KTLSD_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * After kTLS is installed on @fd with the keys of these secrets. Returns
 * the registration id, or 0 when the socket was not registered. Any
 * thread.
 */
uint64_t ktlsd_guard_register(int fd, uint16_t suite, const uint8_t *tx_secret,
			  const uint8_t *rx_secret, size_t secret_len);

/*
 * The event listener; main thread only, none of these waits.
 *
 * ktlsd_guard_listen() opens it if it is not open, or opens it again if
 * the module was unloaded under it (the group's members are dropped then).
 * Called at start, before the privileges and seccomp go, at reload, and
 * whenever ktlsd_guard_registered() says a registration succeeded since
 * the last call.
 */
void ktlsd_guard_listen(void);
bool ktlsd_guard_registered(void);
/* The listener's fd to poll for POLLIN, or -1. */
int ktlsd_guard_listen_fd(void);
/* Reads, counts and logs the pending events; @all: until none is left. */
void ktlsd_guard_events(bool all);
/* What the listener does with each event it reads (and the unit test). */
struct ktls_guard_ev;
void ktlsd_guard_on_event(const struct ktls_guard_ev *ev);
/* The listener's state and counts, for `tlsctl status`. */
void ktlsd_guard_status(FILE *out, bool json);
void ktlsd_guard_listen_close(void);
/* "tx_rekeyed" for KTLS_GUARD_EV_TX_REKEYED, and so on. */
const char *ktlsd_guard_event_name(uint32_t event);

#endif /* KTLSD_GUARD_H */
