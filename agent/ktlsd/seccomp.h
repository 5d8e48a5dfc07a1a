/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ktlsd's seccomp filter: once its sockets are open and its privileges
 * dropped, before any worker starts, ktlsd allows itself only the system
 * calls serving handshakes needs (see seccomp.c); any other fails with
 * EPERM. Installed for the whole process (the workers inherit it).
 */
#ifndef KTLSD_SECCOMP_H
#define KTLSD_SECCOMP_H

/* 0, or -1 with the reason logged (no_new_privs must be set already). */
int ktlsd_seccomp_install(void);

#endif /* KTLSD_SECCOMP_H */
