// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * ktlsd: the TLS 1.3 handshake agent for kernel consumers (net/handshake)
 * and applications.
 */
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "daemon.h"
#include "log.h"
#include "probe.h"

static void usage(FILE *out)
{
	fputs("usage: ktlsd [--config FILE] [--control PATH] [--workers N]\n"
	      "             [--max-inflight N] [-v]\n"
	      "       ktlsd --probe [--json]\n"
	      "       ktlsd --help | --version\n"
	      "\n"
	      "Serves the kernel's TLS handshake requests (net/handshake) in the\n"
	      "foreground, logging to standard error, until SIGTERM or SIGINT.\n"
	      "\n"
	      "  -c, --config FILE tlshd's configuration file (default: the first\n"
	      "                    of /etc/tlshd/config and /etc/tlshd.conf;\n"
	      "                    none: defaults); SIGHUP reloads it\n"
	      "  --control PATH    the control socket for tlsctl (default\n"
	      "                    /run/ktlsd/control.sock)\n"
	      "  --workers N       handshake threads (default 4)\n"
	      "  --max-inflight N  requests taken from the kernel at once; the\n"
	      "                    rest wait in the kernel's queue (default 64)\n"
	      "  -v, --verbose     log debugging detail\n"
	      "  --probe           report what the running kernel offers: the\n"
	      "                    handshake netlink family, kTLS ciphers, key\n"
	      "                    update, record size limit; exit 0 when the\n"
	      "                    kernel can serve handshakes, 1 otherwise\n"
	      "  --json            the probe report as one JSON object\n"
	      "\n"
	      "Handshakes use the certificates and trust stores of the\n"
	      "configuration, a certificate and key the kernel names by key\n"
	      "serial (NFS: cert_serial=, privkey_serial=), or PSKs from the\n"
	      "kernel's keyrings.\n",
	      out);
}

static bool parse_count(const char *s, unsigned int max, unsigned int *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v == 0 || v > max)
		return false;
	*out = (unsigned int)v;
	return true;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "control", required_argument, NULL, 'C' },
		{ "workers", required_argument, NULL, 'w' },
		{ "max-inflight", required_argument, NULL, 'm' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "probe", no_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	struct ktlsd_options o = { 0 };
	bool probe = false, json = false;
	struct ktlsd_caps caps;
	int c;

	while ((c = getopt_long(argc, argv, "c:hv", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o.config_path = optarg;
			break;
		case 'C':
			o.control_path = optarg;
			break;
		case 'w':
			if (!parse_count(optarg, 1024, &o.workers)) {
				fprintf(stderr, "ktlsd: --workers wants 1..1024, "
					"not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'm':
			if (!parse_count(optarg, 65536, &o.max_inflight)) {
				fprintf(stderr, "ktlsd: --max-inflight wants "
					"1..65536, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'v':
			o.verbose = true;
			ktlsd_log_set_level(KTLSD_LOG_DEBUG);
			break;
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
	if (!probe)
		return ktlsd_serve(&o);
	ktlsd_probe(&caps);
	ktlsd_caps_print(stdout, &caps, json);
	return caps.hs_family > 0 && caps.hs_group > 0 && !caps.ktls_err &&
	       caps.ciphers ? 0 : 1;
}
