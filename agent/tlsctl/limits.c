// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * tlsctl limits: read and set ktls_guard.ko's global AEAD usage limits
 * (Documentation/ktls_guard.md) through libktls's guard client.
 *
 * --json (anywhere among the options): one object on stdout instead of the
 * text, the limits after any change:
 *   {"key_update": BOOL, "soft_permille": N, "soft": N|null,
 *    "hard": N|null, "suites": [{"suite": NAME, "id": N, "soft": N,
 *    "hard": N, "rfc_default": N}, ...]}
 * ("soft"/"hard" at the top: the global overrides, null when unset), or
 * {"error": MSG} with the exit status the text mode has.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
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
	      "                     [--json]\n"
	      "  Without options, shows ktls_guard's limits per suite (records\n"
	      "  under one key). Options change the global ones (root):\n"
	      "  --soft-permille N  soft limit as N/1000 of the hard one\n"
	      "  --soft RECORDS     absolute soft limit (0: use the fraction)\n"
	      "  --hard RECORDS     absolute hard limit (0: the RFC default)\n"
	      "  --default          back to 750/1000 and the RFC defaults\n"
	      "  --json             answer as one JSON object\n",
	      out);
}

static int parse_u64(const char *s, unsigned long long *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || !*s || *end ? -1 : 0;
}

/* An error: "tlsctl: MSG" on stderr, or {"error": MSG} on stdout. */
static int limits_error(bool json, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int limits_error(bool json, int rc, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (json)
		tlsctl_json_error(stdout, msg);
	else
		fprintf(stderr, "tlsctl: %s\n", msg);
	return rc;
}

static void limits_text(const struct ktls_guard_limits *l)
{
	printf("key update: %s\n", l->caps & KTLS_GUARD_CAP_REKEY ?
	       "yes (TX keys are updated at the soft limit)" :
	       "no (events at the soft limit, TX refused at the hard one)");
	printf("soft limit: %u/1000 of the hard limit", l->soft_permille);
	if (l->soft)
		printf(", overridden: %llu records",
		       (unsigned long long)l->soft);
	printf("\nhard limit: %s", l->hard ? "overridden: " : "RFC default\n");
	if (l->hard)
		printf("%llu records\n", (unsigned long long)l->hard);
	printf("%-30s %20s %20s %20s\n", "suite", "soft", "hard",
	       "RFC default");
	for (unsigned int i = 0; i < l->n; i++) {
		const struct ktls_cipher *k =
			ktls_cipher_by_suite(l->suites[i].suite);

		printf("%-30s %20llu %20llu %20llu\n",
		       k ? k->name : "?",
		       (unsigned long long)l->suites[i].soft,
		       (unsigned long long)l->suites[i].hard,
		       (unsigned long long)l->suites[i].rfc);
	}
}

/* A global override: its value, or null when unset (0). */
static void json_override(const char *key, uint64_t v)
{
	printf(", \"%s\": ", key);
	if (v)
		printf("%llu", (unsigned long long)v);
	else
		fputs("null", stdout);
}

static void limits_json(const struct ktls_guard_limits *l)
{
	printf("{\"key_update\": %s, \"soft_permille\": %u",
	       l->caps & KTLS_GUARD_CAP_REKEY ? "true" : "false",
	       l->soft_permille);
	json_override("soft", l->soft);
	json_override("hard", l->hard);
	fputs(", \"suites\": [", stdout);
	for (unsigned int i = 0; i < l->n; i++) {
		const struct ktls_cipher *k =
			ktls_cipher_by_suite(l->suites[i].suite);

		fputs(i ? ", {\"suite\": " : "{\"suite\": ", stdout);
		tlsctl_json_str(stdout, k ? k->name : NULL);
		printf(", \"id\": %u, \"soft\": %llu, \"hard\": %llu, "
		       "\"rfc_default\": %llu}", l->suites[i].suite,
		       (unsigned long long)l->suites[i].soft,
		       (unsigned long long)l->suites[i].hard,
		       (unsigned long long)l->suites[i].rfc);
	}
	fputs("]}\n", stdout);
}

int tlsctl_limits(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "soft-permille", required_argument, NULL, 'p' },
		{ "soft", required_argument, NULL, 's' },
		{ "hard", required_argument, NULL, 'H' },
		{ "default", no_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	/* what the options ask for, in their order; unset ones stay */
	bool has_permille = false, has_soft = false, has_hard = false;
	unsigned long long permille = 0, soft = 0, hard = 0, v;
	const char *bad_number = NULL;
	bool json = false, bad_usage = false, help = false;
	struct ktls_guard_limits l;
	int c, err;

	/* all options first: --json may come last, and decides the format */
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			help = true;
			break;
		case 'j':
			json = true;
			break;
		case 'd':
			permille = 750;
			soft = hard = 0;
			has_permille = has_soft = has_hard = true;
			break;
		case 'p':
		case 's':
		case 'H':
			if (parse_u64(optarg, &v)) {
				if (!bad_number)
					bad_number = optarg;
				break;
			}
			if (c == 'p') {
				permille = v;
				has_permille = true;
			} else if (c == 's') {
				soft = v;
				has_soft = true;
			} else {
				hard = v;
				has_hard = true;
			}
			break;
		default:
			bad_usage = true;
			break;
		}
	}
	if (help && !bad_usage) {
		limits_usage(stdout);
		return 0;
	}
	if (bad_usage || optind != argc) {
		limits_usage(stderr);
		if (!json)
			return 2;
		if (optind != argc)
			return limits_error(json, 2, "unexpected argument '%s'",
					    argv[optind]);
		return limits_error(json, 2, "unknown option or missing value");
	}
	if (bad_number)
		return limits_error(json, 2, "bad number '%s'", bad_number);

	err = ktls_guard_get_limits(&l);
	if (err)
		return limits_error(json, 1, "ktls_guard: %s%s",
				    strerror(-err), err == -ENOENT ?
				    " (is ktls_guard.ko loaded?)" : "");
	if (has_permille || has_soft || has_hard) {
		if (has_permille)
			l.soft_permille = (uint32_t)permille;
		if (has_soft)
			l.soft = soft;
		if (has_hard)
			l.hard = hard;
		err = ktls_guard_set_limits(l.soft_permille, l.soft, l.hard);
		if (!err)
			err = ktls_guard_get_limits(&l);
		if (err)
			return limits_error(json, 1, "setting limits: %s",
					    strerror(-err));
	}
	if (json)
		limits_json(&l);
	else
		limits_text(&l);
	return 0;
}
