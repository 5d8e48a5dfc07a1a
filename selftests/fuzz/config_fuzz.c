// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer target for ktlsd's configuration parser (agent/ktlsd/config.c).
 * The file is trusted input, but a parser that can be made to read out of
 * bounds or to accept a value it then truncates is a bug anyway. Invariants:
 * the result is 0 or -1; a refusal says where ("line N: ..." or the file's
 * size); an acceptance leaves every field in its documented range and every
 * string terminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

static void terminated(const char *s, size_t cap)
{
	CHECK(memchr(s, '\0', cap) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ktlsd_config cfg;
	char err[256];
	int rc;

	ktlsd_config_defaults(&cfg);
	err[0] = '\0';
	rc = ktlsd_config_parse(&cfg, (const char *)data, size, NULL, err,
				sizeof(err));
	CHECK(rc == 0 || rc == -1);
	if (rc) {
		CHECK(!strncmp(err, "line ", 5) || !strncmp(err, "the file", 8));
		return 0;
	}
	CHECK(cfg.workers >= 1 && cfg.workers <= 1024);
	CHECK(cfg.max_inflight >= 1 && cfg.max_inflight <= 65536);
	CHECK(cfg.loglevel >= 0 && cfg.loglevel <= 1000);
	CHECK(cfg.n_keyrings <= KTLSD_CONFIG_MAX_KEYRINGS);
	for (unsigned int i = 0; i < cfg.n_keyrings; i++) {
		terminated(cfg.keyrings[i], sizeof(cfg.keyrings[i]));
		CHECK(cfg.keyrings[i][0] != '\0');
	}
	terminated(cfg.client.truststore, sizeof(cfg.client.truststore));
	terminated(cfg.server.private_key, sizeof(cfg.server.private_key));
	return 0;
}
