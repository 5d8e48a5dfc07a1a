// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * tlsctl limits: read and set ktls_guard.ko's global AEAD usage limits
 * (Documentation/ktls_guard.md) through libktls's guard client.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ktls_guard.h>

#include "ktls_cipher.h"
#include "ktls_guard_client.h"
#include "tlsctl.h"

static void limits_usage(FILE *out)
{
	fputs("usage: tlsctl limits [--soft-permille N] [--soft RECORDS] "
	      "[--hard RECORDS] [--default]\n"
	      "  Without options, shows ktls_guard's limits per suite (records\n"
	      "  under one key). Options change the global ones (root):\n"
	      "  --soft-permille N  soft limit as N/1000 of the hard one\n"
	      "  --soft RECORDS     absolute soft limit (0: use the fraction)\n"
	      "  --hard RECORDS     absolute hard limit (0: the RFC default)\n"
	      "  --default          back to 750/1000 and the RFC defaults\n",
	      out);
}

static int parse_u64(const char *s, unsigned long long *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || !*s || *end ? -1 : 0;
}

int tlsctl_limits(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "soft-permille", required_argument, NULL, 'p' },
		{ "soft", required_argument, NULL, 's' },
		{ "hard", required_argument, NULL, 'H' },
		{ "default", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct ktls_guard_limits l;
	unsigned long long v;
	int c, err, set = 0;

	err = ktls_guard_get_limits(&l);
	if (err) {
		fprintf(stderr, "tlsctl: ktls_guard: %s%s\n", strerror(-err),
			err == -ENOENT ? " (is ktls_guard.ko loaded?)" : "");
		return 1;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			limits_usage(stdout);
			return 0;
		case 'd':
			l.soft_permille = 750;
			l.soft = l.hard = 0;
			set = 1;
			continue;
		case 'p':
		case 's':
		case 'H':
			if (parse_u64(optarg, &v)) {
				fprintf(stderr, "tlsctl: bad number '%s'\n",
					optarg);
				return 2;
			}
			if (c == 'p')
				l.soft_permille = (uint32_t)v;
			else if (c == 's')
				l.soft = v;
			else
				l.hard = v;
			set = 1;
			continue;
		default:
			limits_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		limits_usage(stderr);
		return 2;
	}
	if (set) {
		err = ktls_guard_set_limits(l.soft_permille, l.soft, l.hard);
		if (!err)
			err = ktls_guard_get_limits(&l);
		if (err) {
			fprintf(stderr, "tlsctl: setting limits: %s\n",
				strerror(-err));
			return 1;
		}
	}
	printf("key update: %s\n", l.caps & KTLS_GUARD_CAP_REKEY ?
	       "yes (TX keys are updated at the soft limit)" :
	       "no (events at the soft limit, TX refused at the hard one)");
	printf("soft limit: %u/1000 of the hard limit", l.soft_permille);
	if (l.soft)
		printf(", overridden: %llu records",
		       (unsigned long long)l.soft);
	printf("\nhard limit: %s", l.hard ? "overridden: " : "RFC default\n");
	if (l.hard)
		printf("%llu records\n", (unsigned long long)l.hard);
	printf("%-30s %20s %20s %20s\n", "suite", "soft", "hard",
	       "RFC default");
	for (unsigned int i = 0; i < l.n; i++) {
		const struct ktls_cipher *k =
			ktls_cipher_by_suite(l.suites[i].suite);

		printf("%-30s %20llu %20llu %20llu\n",
		       k ? k->name : "?",
		       (unsigned long long)l.suites[i].soft,
		       (unsigned long long)l.suites[i].hard,
		       (unsigned long long)l.suites[i].rfc);
	}
	return 0;
}
