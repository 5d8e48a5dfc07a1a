/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ktlsd's control socket, where tlsctl asks for status, sessions and
 * reloads: an AF_UNIX SOCK_SEQPACKET socket, mode 0600 (root only). One
 * request per connection: a command word, optionally followed by " json";
 * one reply message: the text or JSON answer, a first line "error: ..." when
 * the command failed.
 */
#ifndef KTLSD_CONTROL_H
#define KTLSD_CONTROL_H

#include <stdbool.h>
#include <stdio.h>

#define KTLSD_CONTROL_PATH	"/run/ktlsd/control.sock"
#define KTLSD_CONTROL_MAX_REQ	64
#define KTLSD_CONTROL_MAX_REPLY	(256 * 1024)

/* Returns the listening fd, or -1 with the reason logged. */
int ktlsd_control_open(const char *path);

/*
 * Accepts one connection on lfd and answers it through handle(), which
 * writes the reply for cmd to out and returns false for an unknown command.
 */
void ktlsd_control_serve(int lfd,
			 bool (*handle)(const char *cmd, bool json, FILE *out,
					void *arg),
			 void *arg);

/* The client side (tlsctl): sends cmd, returns the reply (free()) or NULL. */
char *ktlsd_control_ask(const char *path, const char *cmd, char *err,
			size_t errlen);

#endif /* KTLSD_CONTROL_H */
