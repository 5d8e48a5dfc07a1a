// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * ktlsd reads tlshd's configuration file as tlshd does, and rejects what it
 * cannot honour with the line and the reason.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "tap.h"

static int parse(struct ktlsd_config *cfg, const char *text, char *err,
		 size_t errlen)
{
	ktlsd_config_defaults(cfg);
	err[0] = '\0';
	return ktlsd_config_parse(cfg, text, strlen(text), NULL, err, errlen);
}

/* The file Debian's ktls-utils ships, with its comments filled in. */
TAP_TEST(tlshd_file)
{
	static const char text[] =
		"# See tlshd.conf(5) for details.\n"
		"\n"
		"[debug]\n"
		"loglevel=1\n"
		"tls=0\n"
		"nl=0\n"
		"\n"
		"[authenticate]\n"
		"keyrings= .nvme;.nfs ; .nfsd;\n"
		"\n"
		"[authenticate.client]\n"
		"x509.truststore= /etc/pki/ca.pem\n"
		"\n"
		"[authenticate.server]\n"
		"x509.truststore= /etc/pki/ca.pem\n"
		"x509.certificate= /etc/pki/server.pem\r\n"
		"x509.private_key= /etc/pki/server.key\n"
		"x509.crl=/etc/pki/crl.pem\n"
		"x509.revocation = hard\n";
	struct ktlsd_config cfg;
	char err[256];

	TAP_CHECK_EQ(parse(&cfg, text, err, sizeof(err)), 0);
	TAP_CHECK_EQ(cfg.loglevel, 1);
	TAP_CHECK_EQ(cfg.n_keyrings, 3);
	TAP_CHECK(!strcmp(cfg.keyrings[0], ".nvme"));
	TAP_CHECK(!strcmp(cfg.keyrings[1], ".nfs"));
	TAP_CHECK(!strcmp(cfg.keyrings[2], ".nfsd"));
	TAP_CHECK(!strcmp(cfg.client.truststore, "/etc/pki/ca.pem"));
	TAP_CHECK(!strcmp(cfg.client.certificate, ""));
	TAP_CHECK(!strcmp(cfg.server.certificate, "/etc/pki/server.pem"));
	TAP_CHECK(!strcmp(cfg.server.private_key, "/etc/pki/server.key"));
	TAP_CHECK(!strcmp(cfg.server.crl, "/etc/pki/crl.pem"));
	TAP_CHECK_EQ(cfg.server.revocation, KTLSD_REVOCATION_HARD);
	TAP_CHECK_EQ(cfg.client.revocation, KTLSD_REVOCATION_UNSET);
	TAP_CHECK_EQ(cfg.workers, 4);		/* defaults kept */
	TAP_CHECK_EQ(cfg.max_inflight, 64);
	TAP_CHECK_EQ(cfg.n_warnings, 0);
}

TAP_TEST(ktlsd_group)
{
	struct ktlsd_config cfg;
	char err[256];

	TAP_CHECK_EQ(parse(&cfg, "[ktlsd]\nworkers = 16\nmax_inflight=200\n",
			   err, sizeof(err)), 0);
	TAP_CHECK_EQ(cfg.workers, 16);
	TAP_CHECK_EQ(cfg.max_inflight, 200);
}

/* tlshd ignores what it does not know; so do we, counting it. */
TAP_TEST(unknown_is_a_warning)
{
	struct ktlsd_config cfg;
	char err[256];

	TAP_CHECK_EQ(parse(&cfg, "[debug]\nverbose=3\n[future]\nx=1\n", err,
			   sizeof(err)), 0);
	TAP_CHECK_EQ(cfg.n_warnings, 2);
}

struct bad_case {
	const char *text;
	const char *error;	/* expected prefix of the message */
};

TAP_TEST(malformed_files_name_the_line)
{
	static const struct bad_case cases[] = {
		{ "[debug\nloglevel=1\n", "line 1: a group header" },
		{ "loglevel=1\n", "line 1: key outside any [group]" },
		{ "[debug]\n\nloglevel\n", "line 3: expected key=value" },
		{ "[debug]\nloglevel=high\n", "line 2: [debug] loglevel wants" },
		{ "[debug]\nloglevel=-1\n", "line 2: [debug] loglevel wants" },
		{ "[debug]\nloglevel=99999999999\n", "line 2: [debug] loglevel" },
		{ "[ktlsd]\nworkers=0\n", "line 2: [ktlsd] workers wants" },
		{ "[authenticate]\nkeyrings=a;b;c;d;e;f;g;h;i\n",
		  "line 2: [authenticate] more than 8 keyrings" },
		{ "[]\n", "line 1: a group header" },
		{ "[authenticate.client]\nx509.revocation=strict\n",
		  "line 2: [authenticate.client] x509.revocation wants off, soft or hard" },
		/* found by config_fuzz: NUL bytes made an empty keyring name */
		{ "[authenticate]\nkeyrings=.nvme;\001x\n",
		  "line 2: [authenticate] a keyring name with a control" },
	};
	struct ktlsd_config cfg;
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = parse(&cfg, cases[i].text, err, sizeof(err));

		TAP_CHECK_EQ(rc, -1);
		if (strncmp(err, cases[i].error, strlen(cases[i].error))) {
			printf("#   case %zu: got '%s'\n", i, err);
			*tap_failed = 1;
		}
	}
}

TAP_TEST(limits)
{
	static char big[KTLSD_CONFIG_MAX_FILE + 2];
	char line[KTLSD_CONFIG_MAX_LINE + 64], err[256];
	struct ktlsd_config cfg;

	memset(big, '#', sizeof(big) - 1);
	ktlsd_config_defaults(&cfg);
	TAP_CHECK_EQ(ktlsd_config_parse(&cfg, big, sizeof(big) - 1, NULL, err,
					sizeof(err)), -1);
	TAP_CHECK(strstr(err, "larger than") != NULL);

	/* A path that does not fit is an error, never truncated. */
	snprintf(line, sizeof(line), "[authenticate.server]\nx509.certificate=/%0*d\n",
		 KTLSD_CONFIG_MAX_PATH, 0);
	TAP_CHECK_EQ(parse(&cfg, line, err, sizeof(err)), -1);
	TAP_CHECK(strstr(err, "longer than") != NULL);

	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	TAP_CHECK_EQ(parse(&cfg, line, err, sizeof(err)), -1);
	TAP_CHECK(strstr(err, "line 1: longer than") != NULL);
}

TAP_TEST(load_finds_files)
{
	char path[] = "/tmp/ktlsd-config-XXXXXX", err[256];
	struct ktlsd_config cfg;
	FILE *f;
	int fd = mkstemp(path);

	TAP_CHECK(fd >= 0);
	f = fdopen(fd, "w");
	fputs("[ktlsd]\nworkers=3\n", f);
	fclose(f);
	TAP_CHECK_EQ(ktlsd_config_load(&cfg, path, NULL, err, sizeof(err)), 0);
	TAP_CHECK_EQ(cfg.workers, 3);
	TAP_CHECK(!strcmp(cfg.source, path));
	unlink(path);
	TAP_CHECK_EQ(ktlsd_config_load(&cfg, path, NULL, err, sizeof(err)), -1);
	TAP_CHECK(strstr(err, "No such file") != NULL);
}

int main(void)
{
	return tap_run();
}
