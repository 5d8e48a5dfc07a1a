/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef KTLSD_PRIVS_H
#define KTLSD_PRIVS_H

/*
 * Drops every capability but CAP_NET_ADMIN (the handshake family's ACCEPT
 * requires it) from the effective, permitted, inheritable, ambient and
 * bounding sets, and sets no_new_privs, for the whole process. Call once,
 * before any thread starts. Returns 0, or -errno with the reason logged.
 */
int ktlsd_drop_privileges(void);

#endif /* KTLSD_PRIVS_H */
