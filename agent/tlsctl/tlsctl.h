/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef KTLSD_TLSCTL_H
#define KTLSD_TLSCTL_H

#include <stdbool.h>

/* Whether argv names an admin command (status, sessions, reload, help). */
bool tlsctl_is_admin(int argc, char **argv);
/* Runs it; returns the exit status. */
/* tlsctl limits: ktls_guard.ko's limits (limits.c). */
int tlsctl_limits(int argc, char **argv);
int tlsctl_admin(int argc, char **argv);
/* tlsctl verify (verify.c): offline chain verification. */
int tlsctl_verify(int argc, char **argv);

#endif /* KTLSD_TLSCTL_H */
