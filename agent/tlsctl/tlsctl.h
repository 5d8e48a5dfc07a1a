/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef KTLSD_TLSCTL_H
#define KTLSD_TLSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Whether argv names an admin command (status, sessions, reload, help). */
bool tlsctl_is_admin(int argc, char **argv);
/* Runs it; returns the exit status. */
/* tlsctl limits: ktls_guard.ko's limits (limits.c). */
int tlsctl_limits(int argc, char **argv);
int tlsctl_admin(int argc, char **argv);
/* tlsctl verify (verify.c): offline chain verification. */
int tlsctl_verify(int argc, char **argv);

/*
 * JSON output for verify and limits (json.c): @len bytes escaped for a
 * JSON string ('"', '\', control characters and bytes >= 0x7f as \u00XX),
 * without the quotes; a quoted string, or null for NULL; {"error": MSG}
 * and a newline.
 */
void tlsctl_json_chars(FILE *out, const char *s, size_t len);
void tlsctl_json_str(FILE *out, const char *s);
void tlsctl_json_error(FILE *out, const char *msg);

#endif /* KTLSD_TLSCTL_H */
