// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * tlsctl status | sessions | reload: asking a running ktlsd through its
 * control socket (agent/ktlsd/control.c). main.c dispatches here.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "daemon.h"
#include "tlsctl.h"

static void usage(FILE *out)
{
	fputs("usage: tlsctl [--socket PATH] [--json] status|sessions|reload\n"
	      "       tlsctl connect HOST:PORT ...   (tlsctl connect --help)\n"
	      "       tlsctl serve --cert F --key F ...\n"
	      "       tlsctl limits [...]   ktls_guard.ko's AEAD limits\n"
	      "                             (tlsctl limits --help)\n"
	      "\n"
	      "Commands that ask a running ktlsd:\n"
	      "  status     the agent, the kernel's capabilities, counters\n"
	      "  sessions   recent handshakes: time, role, auth, peer,\n"
	      "             duration, result\n"
	      "  reload     re-read the configuration (as SIGHUP does)\n"
	      "\n"
	      "Options:\n"
	      "  --socket PATH  ktlsd's control socket (default\n"
	      "                 " KTLSD_CONTROL_PATH ")\n"
	      "  --json         answer as one JSON object\n"
	      "  --help, --version\n", out);
}

bool tlsctl_is_admin(int argc, char **argv)
{
	if (argc < 2)
		return true;	/* usage */
	if (!strcmp(argv[1], "connect") || !strcmp(argv[1], "serve"))
		return false;
	return true;
}

int tlsctl_admin(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	const char *path = KTLSD_CONTROL_PATH, *cmd;
	char req[KTLSD_CONTROL_MAX_REQ], err[512], *reply;
	bool json = false;
	int c, rc;

	if (argc > 1 && !strcmp(argv[1], "limits"))
		return tlsctl_limits(argc - 1, argv + 1);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			path = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("tlsctl %s\n", KTLSD_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fputs(optind == argc ? "tlsctl: which command?\n" :
		      "tlsctl: one command at a time\n", stderr);
		usage(stderr);
		return 2;
	}
	cmd = argv[optind];
	if (strcmp(cmd, "status") && strcmp(cmd, "sessions") &&
	    strcmp(cmd, "reload")) {
		fprintf(stderr, "tlsctl: unknown command '%s'\n", cmd);
		usage(stderr);
		return 2;
	}
	snprintf(req, sizeof(req), "%s%s", cmd, json ? " json" : "");
	reply = ktlsd_control_ask(path, req, err, sizeof(err));
	if (!reply) {
		fprintf(stderr, "tlsctl: %s\n", err);
		return 1;
	}
	rc = strncmp(reply, "error: ", 7) ? 0 : 1;
	fputs(reply, rc ? stderr : stdout);
	free(reply);
	return rc;
}
