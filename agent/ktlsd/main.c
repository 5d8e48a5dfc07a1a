// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * ktlsd: the TLS 1.3 handshake agent for kernel consumers (net/handshake)
 * and applications. This first cut only reports what the running kernel
 * offers (--probe); the handshake service arrives with the engine.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "probe.h"

#define KTLSD_VERSION "0.1.0-dev"

static void usage(FILE *out)
{
	fputs("usage: ktlsd --probe [--json]\n"
	      "       ktlsd --help | --version\n"
	      "\n"
	      "  --probe     report what the running kernel offers: the handshake\n"
	      "              netlink family, kTLS ciphers, key update, record size\n"
	      "              limit; exit 0 when the kernel can serve handshakes\n"
	      "  --json      the report as one JSON object\n"
	      "\n"
	      "Serving handshakes is not implemented yet: the TLS 1.3 engine it\n"
	      "needs is being built.\n", out);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "probe", no_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	bool probe = false, json = false;
	struct ktlsd_caps caps;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			probe = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("ktlsd %s\n", KTLSD_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "ktlsd: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (!probe) {
		fputs("ktlsd: serving handshakes is not implemented yet; "
		      "only --probe works\n", stderr);
		return 2;
	}
	ktlsd_probe(&caps);
	ktlsd_caps_print(stdout, &caps, json);
	return caps.hs_family > 0 && caps.hs_group > 0 && !caps.ktls_err &&
	       caps.ciphers ? 0 : 1;
}
